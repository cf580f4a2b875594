// fastText's training step, run by word2vec's job loop (src/word2vec/jobs.ts: jobs handed out from
// one shared counter, subsampling, the learning rate decaying linearly with the progress of every
// thread, divergence checks; the tables shared without locks, Hogwild, as fastText). A job is one
// line: for cbow and skip-gram its word ids, subsampled with fastText's keep probabilities; for
// supervised the line's index, repeated once per token so that progress counts tokens, as fastText's.
// The outputs are word2vec's (output.ts) but for softmax (outputs.ts); the noise draw is word2vec's.
import { type KernelParams, type KernelTables, trainJobs } from "../word2vec/jobs.js";
import { drawNegatives } from "../word2vec/noise.js";
import { type StepScratch, stepScratch } from "../word2vec/step.js";
import { seedState } from "../word2vec/noise.js";
import { nsOutputs, oneOutput, softmaxOutputs } from "./outputs.js";

export const CBOW = 0;
export const SKIPGRAM = 1;
export const SUPERVISED = 2;
export const NS = 0;
export const HS = 1;
export const SOFTMAX = 2;
export const OVA = 3;

/**
 * The tables of a run (SharedArrayBuffer views when threads share them). From word2vec's: Win is the
 * input table [nwords + bucket, H], Wout the output table [osz, H] (for hs, the tree's inner nodes),
 * points/codes/codeStarts fastText's tree paths, prob/alias the noise table, ids/starts/keep the jobs.
 */
export interface LoopTables extends KernelTables {
  /** Word w's input rows: subIds[subStart[w] .. subStart[w+1]). */
  subStart: Int32Array;
  subIds: Int32Array;
  /** Supervised: line l's input rows rows[rowStarts[l]..), its labels labels[labelStarts[l]..). */
  rows: Int32Array;
  rowStarts: Int32Array;
  labels: Int32Array;
  labelStarts: Int32Array;
  /** examples[w]: the updates worker w has made (for the average loss). */
  examples: Float64Array;
}

export interface LoopParams extends KernelParams {
  model: number;
  loss: number;
  osz: number;
}

// Per-thread scratch that word2vec's StepScratch has no room for (each worker has its own module).
let bow = new Int32Array(1024);
let scores = new Float64Array(0);

/** Runs one thread's share of the jobs (all of them when it is the only thread). */
export function trainThread(t: LoopTables, p: LoopParams): void {
  trainJobs(t, p, undefined, fastTextLine);
}

function next(s: StepScratch): number {
  let x = s.x;
  x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
  s.x = x;
  return x >>> 0;
}

/** One job: a subsampled line of cbow/skip-gram, or a supervised line (sentence[0] is its index). */
export function fastTextLine(t: LoopTables, p: LoopParams, s: StepScratch, line: Int32Array, n: number, lr: number): void {
  let examples = 0;
  if (p.model === SUPERVISED) {
    if (n === 0) return;
    const l = line[0];
    const ra = t.rowStarts[l], rb = t.rowStarts[l + 1];
    const la = t.labelStarts[l], lb = t.labelStarts[l + 1];
    if (rb === ra || lb === la) return;
    const target = p.loss === OVA ? -1 : t.labels[la + (next(s) % (lb - la))];
    s.loss += update(t, p, s, t.rows, ra, rb, target, lr, true, la, lb);
    examples = 1;
  } else {
    const { subStart, subIds } = t;
    for (let w = 0; w < n; w++) {
      const boundary = 1 + (next(s) % p.window);
      if (p.model === CBOW) {
        let m = 0;
        for (let c = -boundary; c <= boundary; c++) {
          if (c !== 0 && w + c >= 0 && w + c < n) {
            const x = line[w + c];
            const a = subStart[x], b = subStart[x + 1];
            if (m + b - a > bow.length) {
              const grown = new Int32Array(2 * (m + b - a));
              grown.set(bow.subarray(0, m));
              bow = grown;
            }
            for (let i = a; i < b; i++) bow[m++] = subIds[i];
          }
        }
        if (m === 0) continue;
        s.loss += update(t, p, s, bow, 0, m, line[w], lr, false);
        examples++;
      } else {
        const x = line[w];
        for (let c = -boundary; c <= boundary; c++) {
          if (c !== 0 && w + c >= 0 && w + c < n) {
            s.loss += update(t, p, s, subIds, subStart[x], subStart[x + 1], line[w + c], lr, false);
            examples++;
          }
        }
      }
    }
  }
  t.examples[p.worker] += examples;
}

/**
 * fastText's Model::update: h = mean of input rows idx[a..b) (EmbeddingBag's mean), the loss's output
 * update accumulating the input gradient (neu1e), then that gradient (÷ the row count for supervised)
 * added to every input row. Returns the loss. Exported for bench/fasttext-floor.ts (not public).
 */
export function update(
  t: LoopTables, p: LoopParams, s: StepScratch, idx: Int32Array, a: number, b: number, target: number, lr: number, normalize: boolean,
  la = 0, lb = 0,
): number {
  const { H } = p;
  const input = t.Win, output = t.Wout;
  const h = s.h, grad = s.neu1e;
  // h = mean of the rows, unrolled by four: V8 does not vectorise
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
  for (let j = 0; j < H; j++) { h[j] *= inv; grad[j] = 0; }
  let loss = 0;
  switch (p.loss) {
    case NS: {
      const m = drawNegatives(t, s, target, p.negative);
      loss = nsOutputs(output, H, h, grad, target, s.negs, m, lr, p.computeLoss);
      break;
    }
    case HS:
      for (let i = t.codeStarts[target]; i < t.codeStarts[target + 1]; i++) {
        loss += oneOutput(output, H, h, grad, t.points[i] * H, t.codes[i], lr, p.computeLoss);
      }
      break;
    case SOFTMAX:
      if (scores.length < p.osz) scores = new Float64Array(p.osz);
      loss = softmaxOutputs(output, H, p.osz, h, grad, scores, target, lr);
      break;
    case OVA:
      for (let i = 0; i < p.osz; i++) {
        let label = 0;
        for (let q = la; q < lb; q++) if (t.labels[q] === i) label = 1;
        loss += oneOutput(output, H, h, grad, i * H, label, lr, p.computeLoss);
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
 * One update by hand (for tests and notebooks): input rows `idx` predict `target` at rate p.alpha, as
 * fastText's Model::update (supervised models divide the input gradient by the row count). For ova,
 * `labels` are the line's labels. Returns the loss before the step.
 */
export function modelUpdate(t: LoopTables, p: LoopParams, idx: readonly number[], target: number, labels: readonly number[] = [target]): number {
  const s = stepScratch(p, seedState(p.seed));
  const lt = p.loss === OVA ? { ...t, labels: Int32Array.from(labels) } : t;
  return update(lt, p, s, Int32Array.from(idx), 0, idx.length, target, p.alpha, p.model === SUPERVISED, 0, labels.length);
}
