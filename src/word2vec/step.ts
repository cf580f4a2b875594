// The two word2vec steps, CBOW and skip-gram, over the output layer of output.ts, and trainSentence,
// which runs them over one subsampled sentence. One step is one allocation-free pass over typed
// arrays. Nothing here checks its arguments but cbowUpdate (one CBOW step called by hand).
//
// Order of one step, as word2vec.c: h from the input table (the context mean or sum for CBOW, the
// context word's own row for skip-gram), then the hierarchical-softmax path of the predicted word,
// root first, then its target and negatives, all accumulating the same neu1e, then one update of the
// input rows. (gensim, when both hs and negative are on, updates the input rows after each of the two
// and recomputes h in between; for hs or negative alone the two orders are the same.)
import { checkBoolean, checkInt, checkNumber, describe } from "../tensor/check.js";
import { type NoiseDraws, drawNegatives } from "./noise.js";
import { hsOutputs, nsOutputs } from "./output.js";

/** The tables one step reads and writes. */
export interface StepTables {
  /** Input vectors `[V, H]` (syn0): the word vectors. */
  Win: Float32Array;
  /** Negative-sampling output vectors `[V, H]` (syn1neg); empty when negative is 0. */
  Wout: Float32Array;
  /** Hierarchical-softmax inner-node vectors `[V - 1, H]` (syn1); empty when hs is off. */
  syn1: Float32Array;
  /** Huffman codes and inner nodes (see buildHuffman): word w's path is [codeStarts[w], codeStarts[w + 1]). */
  codes: Uint8Array;
  points: Int32Array;
  codeStarts: Int32Array;
  /** The noise distribution's alias table (see UnigramSampler). */
  prob: Uint32Array;
  alias: Int32Array;
}

/** What a step does, besides its tables. */
export interface StepParams {
  H: number;
  window: number;
  /** Noise words per predicted word (0: no negative sampling). */
  negative: number;
  /** Skip-gram (true) or CBOW. */
  sg: boolean;
  /** Hierarchical softmax on. */
  hs: boolean;
  /** CBOW's h: the mean of the context rows (true) or their sum. */
  cbowMean: boolean;
  /** CBOW's context rows get neu1e undivided (true) or neu1e / n. */
  undividedGrad: boolean;
  computeLoss: boolean;
}


/** A worker's scratch space and running state: allocated once, reused for every sentence. */
export interface StepScratch extends NoiseDraws {
  /** CBOW's context word ids, and their row offsets (ids × H). */
  ctx: Int32Array;
  off: Int32Array;
  h: Float64Array;
  neu1e: Float64Array;
  /** The loss summed so far. */
  loss: number;
}

/** Scratch for a worker with these settings, its generator seeded with `x` (from seedState). */
export function stepScratch(p: Pick<StepParams, "H" | "window" | "negative">, x: number): StepScratch {
  return {
    ctx: new Int32Array(2 * p.window),
    off: new Int32Array(2 * p.window),
    negs: new Int32Array(Math.max(1, p.negative)),
    h: new Float64Array(p.H),
    neu1e: new Float64Array(p.H),
    x,
    loss: 0,
  };
}

/**
 * Trains one subsampled sentence (`sentence[0..n)`, word ids) at learning rate `alpha`: for each
 * position a window shrunk to `window - b` with b uniform in [0, window), then for CBOW one step on
 * the context predicting the word, for skip-gram one step per context word predicting the center
 * word (gensim's pairing: `h = Win[context]`, the center word's path and negatives). Noise words are
 * drawn by drawNegatives (a draw that hits the predicted word is skipped, as in word2vec.c).
 */
export function trainSentence(t: StepTables, p: StepParams, s: StepScratch, sentence: Int32Array, n: number, alpha: number): void {
  const { window, negative: k, sg } = p;
  const ctx = s.ctx;
  let loss = s.loss;
  for (let pos = 0; pos < n; pos++) {
    let x = s.x;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    s.x = x;
    const b = (x >>> 0) % window;
    const lo = Math.max(0, pos - window + b);
    const hi = Math.min(n - 1, pos + window - b);
    const target = sentence[pos];
    if (sg) {
      for (let q = lo; q <= hi; q++) {
        if (q === pos) continue;
        const m = drawNegatives(t, s, target, k);
        loss += skipGramStep(t, p, s, sentence[q], target, m, alpha);
      }
    } else {
      let c = 0;
      for (let q = lo; q <= hi; q++) if (q !== pos) ctx[c++] = sentence[q];
      if (c === 0) continue;
      const m = drawNegatives(t, s, target, k);
      loss += cbowStep(t, p, s, c, target, m, alpha);
    }
  }
  s.loss = loss;
}

/**
 * One CBOW step on the context `s.ctx[0..n)` predicting `target`, with the noise words
 * `s.negs[0..k)`, in place:
 *   h = Σ_c Win[ctx[c]]  (÷ n when cbowMean)
 *   for each inner node u of the target's Huffman path with code bit c (label 1 - c), in syn1
 *   (but those already scored at |h · row| ≥ 6, see hsOutputs), then for the target (label 1) and
 *   each negative (label 0), in Wout:
 *     g = alpha · (label - σ(h · row));  neu1e += g · row;  row += g · h
 *   Win[c] += neu1e (÷ n unless undividedGrad) for each context word c
 * which is SGD at rate alpha on -Σ log σ(±h · row). Returns that loss (0 unless computeLoss).
 *
 * Fused: one pass over j sums the context rows, takes the mean and clears neu1e; one pass over j
 * adds the (divided) neu1e to every context row. The float operations and their order are those of
 * summing four rows per pass, scaling, clearing and adding back in separate passes, so the vectors
 * are the same bit for bit; the separate passes took 1.2× the time of the step (see bench/README.md).
 */
export function cbowStep(t: StepTables, p: StepParams, s: StepScratch, n: number, target: number, k: number, alpha: number): number {
  const { Win, Wout, syn1 } = t;
  const H = p.H;
  const { ctx, off, h, neu1e } = s;
  for (let c = 0; c < n; c++) off[c] = ctx[c] * H;
  sumContext(Win, H, off, n, p.cbowMean && n > 1 ? 1 / n : 1, h, neu1e);
  let loss = 0;
  if (p.hs) loss += hsOutputs(syn1, H, h, neu1e, t.points, t.codes, t.codeStarts[target], t.codeStarts[target + 1], alpha, p.computeLoss);
  if (Wout.length > 0) loss += nsOutputs(Wout, H, h, neu1e, target, s.negs, k, alpha, p.computeLoss);
  addToContext(Win, H, off, n, !p.undividedGrad && n > 1 ? 1 / n : 1, neu1e);
  return loss;
}

/**
 * h = (Σ_c W[off[c]..]) · scale and neu1e = 0, in one pass over j. The rows are summed as
 * (n mod 4 rows) + (four rows) + (four rows) …, each group left to right.
 */
function sumContext(W: Float32Array, H: number, off: Int32Array, n: number, scale: number, h: Float64Array, neu1e: Float64Array): void {
  const r = n & 3;
  const a = off[0], b = off[1], e = off[2];
  if (r === 0) {
    for (let j = 0; j < H; j++) {
      let sum = 0;
      for (let c = 0; c < n; c += 4) sum += W[off[c] + j] + W[off[c + 1] + j] + W[off[c + 2] + j] + W[off[c + 3] + j];
      h[j] = sum * scale;
      neu1e[j] = 0;
    }
  } else if (r === 1) {
    for (let j = 0; j < H; j++) {
      let sum = W[a + j];
      for (let c = 1; c < n; c += 4) sum += W[off[c] + j] + W[off[c + 1] + j] + W[off[c + 2] + j] + W[off[c + 3] + j];
      h[j] = sum * scale;
      neu1e[j] = 0;
    }
  } else if (r === 2) {
    for (let j = 0; j < H; j++) {
      let sum = W[a + j] + W[b + j];
      for (let c = 2; c < n; c += 4) sum += W[off[c] + j] + W[off[c + 1] + j] + W[off[c + 2] + j] + W[off[c + 3] + j];
      h[j] = sum * scale;
      neu1e[j] = 0;
    }
  } else {
    for (let j = 0; j < H; j++) {
      let sum = W[a + j] + W[b + j] + W[e + j];
      for (let c = 3; c < n; c += 4) sum += W[off[c] + j] + W[off[c + 1] + j] + W[off[c + 2] + j] + W[off[c + 3] + j];
      h[j] = sum * scale;
      neu1e[j] = 0;
    }
  }
}

/** W[off[c] + j] += neu1e[j] · scale for every context row c, in one pass over j (a repeated row once per mention). */
function addToContext(W: Float32Array, H: number, off: Int32Array, n: number, scale: number, neu1e: Float64Array): void {
  for (let j = 0; j < H; j++) {
    const v = neu1e[j] * scale;
    for (let c = 0; c < n; c++) W[off[c] + j] += v;
  }
}

/**
 * One skip-gram step for the pair (context word, predicted center word), in place: h = Win[context],
 * then the center word's path and the noise words `s.negs[0..k)` exactly as in {@link cbowStep},
 * then Win[context] += neu1e. Returns the loss (0 unless computeLoss).
 */
export function skipGramStep(t: StepTables, p: StepParams, s: StepScratch, context: number, target: number, k: number, alpha: number): number {
  const { Win, Wout, syn1 } = t;
  const H = p.H;
  const { h, neu1e } = s;
  const r = context * H;
  for (let j = 0; j < H; j++) {
    h[j] = Win[r + j];
    neu1e[j] = 0;
  }
  let loss = 0;
  if (p.hs) loss += hsOutputs(syn1, H, h, neu1e, t.points, t.codes, t.codeStarts[target], t.codeStarts[target + 1], alpha, p.computeLoss);
  if (Wout.length > 0) loss += nsOutputs(Wout, H, h, neu1e, target, s.negs, k, alpha, p.computeLoss);
  for (let j = 0; j < H; j++) Win[r + j] += neu1e[j];
  return loss;
}

const EMPTY_F32 = new Float32Array(0);
const EMPTY_I32 = new Int32Array(0);
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_U32 = new Uint32Array(0);

/**
 * One CBOW negative-sampling SGD step for one center word ({@link cbowStep} with the mean of the
 * context and no hierarchical softmax), in place, on loose arrays: ctx[0..n) the context, negs[0..k)
 * the noise words, h and neu1e float64 scratch of length H. Trusts its arguments; {@link cbowUpdate}
 * checks them first.
 */
export function cbowUpdateKernel(
  Win: Float32Array, Wout: Float32Array, H: number, ctx: Int32Array, n: number, target: number, negs: Int32Array, k: number,
  alpha: number, h: Float64Array, neu1e: Float64Array, undividedGrad: boolean, computeLoss: boolean,
): number {
  const t: StepTables = { Win, Wout, syn1: EMPTY_F32, codes: EMPTY_U8, points: EMPTY_I32, codeStarts: EMPTY_I32, prob: EMPTY_U32, alias: EMPTY_I32 };
  const p: StepParams = { H, window: 1, negative: k, sg: false, hs: false, cbowMean: true, undividedGrad, computeLoss };
  return cbowStep(t, p, { ctx, off: new Int32Array(n), negs, h, neu1e, x: 1, loss: 0 }, n, target, k, alpha);
}

/**
 * {@link cbowUpdateKernel} with every argument checked first (shapes, index ranges, scratch sizes),
 * for readers and tests that call one CBOW step by hand; nothing is written if a check fails.
 *
 * @example
 * ```ts
 * const H = 2;
 * const Win = new Float32Array([1, 0, 0, 1, 1, 1]);  // 3 words
 * const Wout = new Float32Array(6);                  // zero: every score is 0, σ = 0.5
 * const loss = cbowUpdate(Win, Wout, H, new Int32Array([0, 1]), 2, 2, new Int32Array([0]), 1, 0.1,
 *   new Float64Array(H), new Float64Array(H), true, true);
 * loss;                  // 1.3862943611198906
 * Array.from(Wout);      // [-0.02500000037252903, -0.02500000037252903, 0, 0, 0.02500000037252903, 0.02500000037252903]
 * ```
 */
export function cbowUpdate(
  Win: Float32Array,
  Wout: Float32Array,
  H: number,
  ctx: Int32Array,
  n: number,
  target: number,
  negs: Int32Array,
  k: number,
  alpha: number,
  h: Float64Array,
  neu1e: Float64Array,
  undividedGrad: boolean,
  computeLoss: boolean,
): number {
  const fn = "cbowUpdate";
  if (!(Win instanceof Float32Array)) throw new TypeError(`${fn}: Win must be a Float32Array, got ${describe(Win)}`);
  if (!(Wout instanceof Float32Array)) throw new TypeError(`${fn}: Wout must be a Float32Array, got ${describe(Wout)}`);
  checkInt(fn, "H", H, 1);
  if (Win.length % H !== 0 || Wout.length !== Win.length) {
    throw new RangeError(`${fn}: Win (${Win.length}) and Wout (${Wout.length}) must both hold V rows of H = ${H}`);
  }
  const V = Win.length / H;
  if (!(ctx instanceof Int32Array)) throw new TypeError(`${fn}: ctx must be an Int32Array, got ${describe(ctx)}`);
  checkInt(fn, "n", n, 1, ctx.length);
  for (let c = 0; c < n; c++) {
    if (ctx[c] < 0 || ctx[c] >= V) throw new RangeError(`${fn}: ctx[${c}] = ${ctx[c]} is out of range [0, ${V - 1}]`);
  }
  checkInt(fn, "target", target, 0, V - 1);
  if (!(negs instanceof Int32Array)) throw new TypeError(`${fn}: negs must be an Int32Array, got ${describe(negs)}`);
  checkInt(fn, "k", k, 0, negs.length);
  for (let d = 0; d < k; d++) {
    if (negs[d] < 0 || negs[d] >= V) throw new RangeError(`${fn}: negs[${d}] = ${negs[d]} is out of range [0, ${V - 1}]`);
  }
  checkNumber(fn, "alpha", alpha, -Number.MAX_VALUE, Number.MAX_VALUE);
  for (const [name, a] of [["h", h], ["neu1e", neu1e]] as const) {
    if (!(a instanceof Float64Array) || a.length < H) throw new TypeError(`${fn}: ${name} must be a Float64Array of at least H = ${H} elements, got ${describe(a)}`);
  }
  checkBoolean(fn, "undividedGrad", undividedGrad);
  checkBoolean(fn, "computeLoss", computeLoss);
  return cbowUpdateKernel(Win, Wout, H, ctx, n, target, negs, k, alpha, h, neu1e, undividedGrad, computeLoss);
}
