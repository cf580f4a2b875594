// The fused CBOW + negative-sampling training loop: the same math as the layered CBOW model
// (EmbeddingBag mean -> EmbeddingDot -> SigmoidWithLoss, one SGD step per center word), written as
// one allocation-free pass over typed arrays so that it can train millions of words per minute, in
// one thread or in several workers that share the two tables (Hogwild: lock-free, as word2vec.c and
// gensim). Everything here trusts its arguments (trainCBOW and trainCBOWThreaded validate them), but
// cbowUpdate, the checked entry point for calling one step by hand.
import { checkBoolean, checkInt, checkNumber, describe } from "../tensor/check.js";
import { type StepParams, type StepTables, cbowStep, stepScratch, trainSentence } from "./word2vec-kernel.js";

export { oneOutput } from "./word2vec-kernel.js";

const EMPTY_F32 = new Float32Array(0);
const EMPTY_I32 = new Int32Array(0);
const EMPTY_U8 = new Uint8Array(0);

/**
 * The typed arrays a training run works on (the step's tables, see StepTables, and the corpus); in
 * a threaded run every one of them is shared memory.
 */
export interface KernelTables extends StepTables {
  /** The corpus: in-vocabulary token ids, sentence after sentence. */
  ids: Int32Array;
  /** `starts[s]`: where sentence s begins in `ids` (length sentences + 1). */
  starts: Int32Array;
  /** keep[w]: subsampling keep probability of word w as a fraction of 2^32 (2^32 - 1: always). */
  keep: Uint32Array;
  /** PROGRESS_SLOTS numbers per worker: what it has done so far (read by every worker and the caller). */
  progress: Float64Array;
  /** next[0]: the next job (epoch · sentences + sentence) to hand out; workers take jobs with Atomics.add. */
  next: Int32Array;
}

/** Per-worker progress counters in `KernelTables.progress`. */
export const PROGRESS_SLOTS = 3;
export const WORDS = 0; // in-vocabulary tokens gone through (drives the learning-rate decay)
export const EFFECTIVE = 1; // tokens kept by subsampling (gensim's effective words)
export const LOSS = 2; // sum over center words of the negative-sampling loss

/** The settings of one worker's run (the step's, see StepParams, and the schedule's). */
export interface KernelParams extends StepParams {
  /** The learning rate decays linearly from alpha to minAlpha over the run. */
  alpha: number;
  minAlpha: number;
  epochs: number;
  /** In-vocabulary tokens of the whole corpus, for one epoch. */
  totalWords: number;
  /** This worker's slot in `progress`, and how many workers there are. */
  worker: number;
  workers: number;
  seed: number;
}

/**
 * One CBOW negative-sampling SGD step for one center word, in place:
 *   h = mean of Win[ctx[0..n)]
 *   for each w in [target, ...negs] with label t (1 for the target, 0 for negatives):
 *     g = alpha · (t - σ(h · Wout[w]));  neu1e += g · Wout[w];  Wout[w] += g · h
 *   Win[c] += neu1e (or neu1e / n) for each context word c
 * which is SGD with learning rate alpha on loss = -log σ(h·Wout[target]) - Σ log σ(-h·Wout[neg]).
 * `h` and `neu1e` are float64 scratch rows of length H (sums in float64, tables in float32).
 * Returns that loss (0 when computeLoss is false). The kernel trusts its arguments (the trainer's
 * hot loop calls it per word); {@link cbowUpdate} is the same step with every argument checked.
 *
 * Speed: V8 compiles each `Wout[row + j]` to an index add, an overflow check and a bounds check
 * around the one load, and reloads the array's length and base once per loop iteration. The cost
 * per float therefore falls when one pass over j touches several rows: the context rows are summed
 * and updated four per pass, and the six output rows of the default `negative: 5` are scored in one
 * pass and updated in another. A step takes 0.73–0.77× the time of one row per pass, unrolled by four
 * (`npm run bench -- --variants`, "cbow step"), and wiki-en-106 trains at 1.3× the words/s.
 */
export function cbowUpdateKernel(
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
  return cbowStep(Win, Wout, EMPTY_F32, H, ctx, n, target, negs, k, EMPTY_I32, EMPTY_U8, 0, 0, alpha, h, neu1e, true, undividedGrad, computeLoss);
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

/** xorshift32: a fast 32-bit generator for the hot loop (never seeded with 0). */
export function seedState(seed: number): number {
  // splitmix32 of the seed, so that nearby seeds give unrelated streams
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return z === 0 ? 0x6d2b79f5 : z;
}

/** How many words go by between two updates of the learning rate (and of the progress counters). */
const TICK_WORDS = 10000;

/**
 * Trains jobs until there are none left. A job is one sentence of one epoch, taken from the shared
 * counter `next` (epoch-major order), so that every worker stays busy until the end whatever share
 * of the CPU it gets, as gensim's job queue does; with one worker the order is the corpus order,
 * epoch after epoch. Each job: frequent-word subsampling, then for each kept word a window drawn
 * from 1..window, `negative` noise words from the alias table (never the target), and one
 * {@link cbowUpdateKernel}. The learning rate decays linearly from alpha to minAlpha with the progress of
 * all workers together. `onTick`, if given, is called every few thousand words and at the end (the
 * caller's progress report).
 */
export function trainJobs(t: KernelTables, p: KernelParams, onTick?: () => void): void {
  const { ids, starts, keep, progress, next } = t;
  const { epochs, worker, workers } = p;
  const S = starts.length - 1;
  const jobs = S * epochs;
  const slot = worker * PROGRESS_SLOTS;
  const total = p.totalWords * epochs + 1;
  const alphaSpan = p.alpha - p.minAlpha;
  let longest = 0;
  for (let s = 0; s < S; s++) longest = Math.max(longest, starts[s + 1] - starts[s]);
  const sentence = new Int32Array(longest);
  const scratch = stepScratch(p, seedState(p.seed));
  // A run fed chunk by chunk calls this once per chunk: the learning rate picks up where the
  // progress counters left it (p.alpha at the start of a run).
  let doneBefore = 0;
  for (let q = 0; q < workers; q++) doneBefore += progress[q * PROGRESS_SLOTS + WORDS];
  let alpha = Math.max(p.minAlpha, p.alpha - (alphaSpan * doneBefore) / total);
  let sinceTick = 0;
  let words = progress[slot + WORDS];
  let effective = progress[slot + EFFECTIVE];
  scratch.loss = progress[slot + LOSS];

  for (let job = Atomics.add(next, 0, 1); job < jobs; job = Atomics.add(next, 0, 1)) {
    // Subsample the sentence: keep word w with probability keep[w].
    const s = job % S;
    const begin = starts[s];
    const end = starts[s + 1];
    let n = 0;
    let x = scratch.x;
    for (let i = begin; i < end; i++) {
      const w = ids[i];
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      if (x >>> 0 < keep[w]) sentence[n++] = w;
    }
    scratch.x = x;
    trainSentence(t, p, scratch, sentence, n, alpha);
    effective += n;
    words += end - begin;
    sinceTick += end - begin;
    if (sinceTick >= TICK_WORDS) {
      sinceTick = 0;
      progress[slot + WORDS] = words;
      progress[slot + EFFECTIVE] = effective;
      progress[slot + LOSS] = scratch.loss;
      let done = 0;
      for (let q = 0; q < workers; q++) done += progress[q * PROGRESS_SLOTS + WORDS];
      alpha = Math.max(p.minAlpha, p.alpha - (alphaSpan * done) / total);
      if (onTick !== undefined) onTick();
    }
  }
  progress[slot + WORDS] = words;
  progress[slot + EFFECTIVE] = effective;
  progress[slot + LOSS] = scratch.loss;
  if (onTick !== undefined) onTick();
}
