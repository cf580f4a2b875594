// One training thread of fastText (its trainThread): starting at its share of the corpus, it reads
// lines round and round until all threads together have gone through epoch × ntokens tokens, with the
// learning rate falling linearly with that shared progress, updated every lrUpdateRate tokens. The
// tables are shared and updated without locks (Hogwild). Runs in this thread or in a worker
// (src/node/fasttext-worker.ts) on the same typed arrays.
import { nsOutputs, oneOutput, softmaxOutputs } from "./outputs.js";

export const CBOW = 0;
export const SKIPGRAM = 1;
export const SUPERVISED = 2;
export const NS = 0;
export const HS = 1;
export const SOFTMAX = 2;
export const OVA = 3;

/** The tables a thread reads and writes (SharedArrayBuffer views when threads share them). */
export interface LoopTables {
  /** Input rows [nwords + bucket, H]. */
  input: Float32Array;
  /** Output rows [osz, H] (labels for supervised, words otherwise; tree nodes for hs). */
  output: Float32Array;
  /** Word w's input rows: subIds[subStart[w] .. subStart[w+1]). */
  subStart: Int32Array;
  subIds: Int32Array;
  /** Unsupervised: word ids (-1: a label, counted but not trained), lines ids[lineStarts[l] .. lineStarts[l+1]). */
  ids: Int32Array;
  /** Supervised: line l's input rows rows[lineStarts[l]..), its labels labels[labelStarts[l]..), its tokens lineTokens[l]. */
  rows: Int32Array;
  rowStarts: Int32Array;
  labels: Int32Array;
  labelStarts: Int32Array;
  lineTokens: Int32Array;
  lineStarts: Int32Array;
  pdiscard: Float32Array;
  /** Noise table (ns). */
  prob: Uint32Array;
  alias: Int32Array;
  /** Tree paths (hs). */
  paths: Int32Array;
  codes: Uint8Array;
  pathStarts: Int32Array;
  /** progress[w]: tokens thread w has gone through; progress[workers + w]: its summed loss; [2·workers + w]: its examples. */
  progress: Float64Array;
}

export interface LoopParams {
  model: number;
  loss: number;
  H: number;
  ws: number;
  neg: number;
  lr: number;
  lrUpdateRate: number;
  /** epoch × ntokens: when all threads together have read this many tokens, training stops. */
  totalTokens: number;
  osz: number;
  worker: number;
  workers: number;
  seed: number;
}

/** Scratch of one thread. */
interface Scratch {
  h: Float64Array;
  grad: Float64Array;
  negs: Int32Array;
  scores: Float64Array;
  line: Int32Array;
  bow: number[];
  x: number;
}

/** A xorshift32 state from a seed (never 0). */
export function seedRng(seed: number): number {
  let x = (Math.imul(seed + 0x9e3779b9, 0x85ebca6b) ^ 0x5bd1e995) >>> 0;
  return x === 0 ? 1 : x;
}

/** Runs one thread's share of training; returns when the shared token count reaches totalTokens. */
export function trainThread(t: LoopTables, p: LoopParams): void {
  const { workers, worker, totalTokens, lrUpdateRate } = p;
  const nLines = t.lineStarts.length - 1;
  const s: Scratch = {
    h: new Float64Array(p.H),
    grad: new Float64Array(p.H),
    negs: new Int32Array(p.neg),
    scores: new Float64Array(p.model === SUPERVISED ? p.osz : 0),
    line: new Int32Array(1024),
    bow: [],
    x: seedRng(p.seed + worker),
  };
  if (nLines <= 0) return;
  let line = Math.floor((worker * nLines) / workers);
  let local = 0;
  let done = 0; // tokens of this thread already published in progress[worker]
  let global = tokensSoFar(t.progress, workers);
  let lossSum = 0;
  let examples = 0;
  while (global < totalTokens) {
    const lr = p.lr * (1 - global / totalTokens);
    let r;
    if (p.model === SUPERVISED) r = supervisedLine(t, p, s, line, lr);
    else r = unsupervisedLine(t, p, s, line, lr);
    local += r.tokens;
    lossSum += r.loss;
    examples += r.examples;
    if (++line === nLines) line = 0;
    if (local > lrUpdateRate) {
      done += local;
      local = 0;
      t.progress[worker] = done;
      t.progress[workers + worker] = lossSum;
      t.progress[2 * workers + worker] = examples;
      global = tokensSoFar(t.progress, workers);
    }
  }
  t.progress[worker] = done + local;
  t.progress[workers + worker] = lossSum;
  t.progress[2 * workers + worker] = examples;
}

function tokensSoFar(progress: Float64Array, workers: number): number {
  let g = 0;
  for (let w = 0; w < workers; w++) g += progress[w];
  return g;
}

function next(s: Scratch): number {
  let x = s.x;
  x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
  s.x = x;
  return x >>> 0;
}

interface LineResult {
  tokens: number;
  loss: number;
  examples: number;
}

/** A line of cbow or skip-gram: subsampled (keep word w with probability pdiscard[w]), then trained. */
function unsupervisedLine(t: LoopTables, p: LoopParams, s: Scratch, l: number, lr: number): LineResult {
  const a = t.lineStarts[l], b = t.lineStarts[l + 1];
  const line = s.line;
  let n = 0;
  for (let i = a; i < b; i++) {
    const w = t.ids[i];
    if (w >= 0 && next(s) * 2.3283064365386963e-10 <= t.pdiscard[w]) line[n++] = w;
  }
  let loss = 0, examples = 0;
  const { subStart, subIds } = t;
  for (let w = 0; w < n; w++) {
    const boundary = 1 + (next(s) % p.ws);
    if (p.model === CBOW) {
      const bow = s.bow;
      bow.length = 0;
      for (let c = -boundary; c <= boundary; c++) {
        if (c !== 0 && w + c >= 0 && w + c < n) {
          const x = line[w + c];
          for (let i = subStart[x]; i < subStart[x + 1]; i++) bow.push(subIds[i]);
        }
      }
      if (bow.length === 0) continue;
      loss += update(t, p, s, bow, 0, bow.length, line[w], lr, false);
      examples++;
    } else {
      const x = line[w];
      for (let c = -boundary; c <= boundary; c++) {
        if (c !== 0 && w + c >= 0 && w + c < n) {
          loss += update(t, p, s, subIds, subStart[x], subStart[x + 1], line[w + c], lr, false);
          examples++;
        }
      }
    }
  }
  return { tokens: b - a, loss, examples };
}

/** A supervised line: its rows predict one of its labels (drawn uniformly), or all of them for ova. */
function supervisedLine(t: LoopTables, p: LoopParams, s: Scratch, l: number, lr: number): LineResult {
  const ra = t.rowStarts[l], rb = t.rowStarts[l + 1];
  const la = t.labelStarts[l], lb = t.labelStarts[l + 1];
  const tokens = t.lineTokens[l];
  if (rb === ra || lb === la) return { tokens, loss: 0, examples: 0 };
  const target = p.loss === OVA ? -1 : t.labels[la + (next(s) % (lb - la))];
  return { tokens, loss: update(t, p, s, t.rows, ra, rb, target, lr, true, la, lb), examples: 1 };
}

/**
 * fastText's Model::update: h = mean of input rows idx[a..b) (EmbeddingBag's mean), the loss's output
 * update accumulating grad, then grad (÷ the row count for supervised) added to every input row.
 */
function update(
  t: LoopTables, p: LoopParams, s: Scratch, idx: ArrayLike<number>, a: number, b: number, target: number, lr: number, normalize: boolean,
  la = 0, lb = 0,
): number {
  const { H } = p;
  const { input, output } = t;
  const h = s.h, grad = s.grad;
  // h = mean of the rows (EmbeddingBag's mean), unrolled by four: V8 does not vectorise
  const H4 = H & ~3;
  h.fill(0);
  for (let i = a; i < b; i++) {
    const r = idx[i] * H;
    let j = 0;
    for (; j < H4; j += 4) {
      h[j] += input[r + j];
      h[j + 1] += input[r + j + 1];
      h[j + 2] += input[r + j + 2];
      h[j + 3] += input[r + j + 3];
    }
    for (; j < H; j++) h[j] += input[r + j];
  }
  const inv = 1 / (b - a);
  for (let j = 0; j < H; j++) h[j] *= inv;
  grad.fill(0);
  let loss = 0;
  switch (p.loss) {
    case NS: {
      const negs = s.negs, k = p.neg, V = t.prob.length;
      for (let d = 0; d < k; d++) {
        let w = target;
        while (w === target) {
          const col = Math.floor(next(s) * V * 2.3283064365386963e-10);
          w = next(s) < t.prob[col] ? col : t.alias[col];
        }
        negs[d] = w;
      }
      loss = nsOutputs(output, H, h, grad, target, negs, k, lr, true);
      break;
    }
    case HS:
      for (let i = t.pathStarts[target]; i < t.pathStarts[target + 1]; i++) {
        loss += oneOutput(output, H, h, grad, t.paths[i] * H, t.codes[i], lr, true);
      }
      break;
    case SOFTMAX:
      loss = softmaxOutputs(output, H, p.osz, h, grad, s.scores, target, lr);
      break;
    case OVA:
      for (let i = 0; i < p.osz; i++) {
        let label = 0;
        for (let q = la; q < lb; q++) if (t.labels[q] === i) label = 1;
        loss += oneOutput(output, H, h, grad, i * H, label, lr, true);
      }
      break;
  }
  if (normalize) for (let j = 0; j < H; j++) grad[j] *= inv;
  // every row of the bag += grad (fastText's scatter: no division by the bag size for cbow/skip-gram)
  for (let i = a; i < b; i++) {
    const r = idx[i] * H;
    let j = 0;
    for (; j < H4; j += 4) {
      input[r + j] += grad[j];
      input[r + j + 1] += grad[j + 1];
      input[r + j + 2] += grad[j + 2];
      input[r + j + 3] += grad[j + 3];
    }
    for (; j < H; j++) input[r + j] += grad[j];
  }
  return loss;
}

/**
 * One update by hand (for tests and notebooks): input rows `idx` predict `target` at rate p.lr, as
 * fastText's Model::update (supervised models divide the input gradient by the row count). For ova,
 * `labels` are the line's labels. Returns the loss before the step.
 */
export function modelUpdate(t: LoopTables, p: LoopParams, idx: readonly number[], target: number, labels: readonly number[] = [target]): number {
  const s: Scratch = {
    h: new Float64Array(p.H), grad: new Float64Array(p.H), negs: new Int32Array(p.neg), scores: new Float64Array(p.osz),
    line: new Int32Array(0), bow: [], x: seedRng(p.seed),
  };
  const lt = p.loss === OVA ? { ...t, labels: Int32Array.from(labels) } : t;
  return update(lt, p, s, idx, 0, idx.length, target, p.lr, p.model === SUPERVISED, 0, labels.length);
}
