// The fused CBOW + negative-sampling training loop: the same math as the layered CBOW model
// (EmbeddingBag mean -> EmbeddingDot -> SigmoidWithLoss, one SGD step per center word), written as
// one allocation-free pass over typed arrays so that it can train millions of words per minute, in
// one thread or in several workers that share the two tables (Hogwild: lock-free, as word2vec.c and
// gensim). Everything here trusts its arguments (trainCBOW and trainCBOWThreaded validate them), but
// cbowUpdate, the checked entry point for calling one step by hand.
import { checkBoolean, checkInt, checkNumber, describe } from "../tensor/check.js";

/** The typed arrays a training run works on; in a threaded run every one of them is shared memory. */
export interface KernelTables {
  /** Input (context) vectors `[V, H]`: the word vectors that training produces. */
  Win: Float32Array;
  /** Output vectors `[V, H]` (word2vec's syn1neg). */
  Wout: Float32Array;
  /** The corpus: in-vocabulary token ids, sentence after sentence. */
  ids: Int32Array;
  /** `starts[s]`: where sentence s begins in `ids` (length sentences + 1). */
  starts: Int32Array;
  /** keep[w]: subsampling keep probability of word w as a fraction of 2^32 (2^32 - 1: always). */
  keep: Uint32Array;
  /** The noise distribution's alias table (see UnigramSampler). */
  prob: Uint32Array;
  alias: Int32Array;
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

/** The settings of one worker's run. */
export interface KernelParams {
  H: number;
  window: number;
  negative: number;
  alpha: number;
  minAlpha: number;
  epochs: number;
  /** In-vocabulary tokens of the whole corpus, for one epoch. */
  totalWords: number;
  /** This worker's slot in `progress`, and how many workers there are. */
  worker: number;
  workers: number;
  seed: number;
  /** Context rows get neu1e undivided (word2vec.c, gensim) rather than neu1e / n. */
  undividedGrad: boolean;
  computeLoss: boolean;
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
  sumRows(Win, H, ctx, n, h);
  if (n > 1) {
    const inv = 1 / n;
    for (let j = 0; j < H; j++) h[j] *= inv;
  }
  for (let j = 0; j < H; j++) neu1e[j] = 0;
  let loss = 0;
  let d = 0; // outputs done: 0 is the target, d ≥ 1 is negs[d - 1]
  // Six outputs in two passes when their rows differ (the second score must see the first update
  // when they are the same row, and then the one-at-a-time loop below does it in order).
  for (; d + 6 <= k + 1; d += 6) {
    const r0 = (d === 0 ? target : negs[d - 1]) * H;
    const r1 = negs[d] * H, r2 = negs[d + 1] * H, r3 = negs[d + 2] * H, r4 = negs[d + 3] * H, r5 = negs[d + 4] * H;
    if (!distinct6(r0, r1, r2, r3, r4, r5)) break;
    loss += sixOutputs(Wout, H, h, neu1e, r0, r1, r2, r3, r4, r5, d === 0 ? 1 : 0, alpha, computeLoss);
  }
  // The rest one at a time.
  for (; d <= k; d++) {
    loss += oneOutput(Wout, H, h, neu1e, (d === 0 ? target : negs[d - 1]) * H, d === 0 ? 1 : 0, alpha, computeLoss);
  }
  if (!undividedGrad && n > 1) {
    const inv = 1 / n;
    for (let j = 0; j < H; j++) neu1e[j] *= inv;
  }
  addToRows(Win, H, ctx, n, neu1e);
  return loss;
}

/** h = Σ_c Win[ctx[c]], four rows per pass over j (the n % 4 odd rows in the first pass). */
function sumRows(Win: Float32Array, H: number, ctx: Int32Array, n: number, h: Float64Array): void {
  let c = n & 3;
  if (c === 1) {
    const a = ctx[0] * H;
    for (let j = 0; j < H; j++) h[j] = Win[a + j];
  } else if (c === 2) {
    const a = ctx[0] * H, b = ctx[1] * H;
    for (let j = 0; j < H; j++) h[j] = Win[a + j] + Win[b + j];
  } else if (c === 3) {
    const a = ctx[0] * H, b = ctx[1] * H, e = ctx[2] * H;
    for (let j = 0; j < H; j++) h[j] = Win[a + j] + Win[b + j] + Win[e + j];
  } else {
    for (let j = 0; j < H; j++) h[j] = 0;
  }
  for (; c < n; c += 4) {
    const a = ctx[c] * H, b = ctx[c + 1] * H, e = ctx[c + 2] * H, f = ctx[c + 3] * H;
    for (let j = 0; j < H; j++) h[j] += Win[a + j] + Win[b + j] + Win[e + j] + Win[f + j];
  }
}

/** Win[ctx[c]] += x for every c, four rows per pass (a repeated row is added to once per mention). */
function addToRows(Win: Float32Array, H: number, ctx: Int32Array, n: number, x: Float64Array): void {
  let c = n & 3;
  if (c === 1) {
    const a = ctx[0] * H;
    for (let j = 0; j < H; j++) Win[a + j] += x[j];
  } else if (c === 2) {
    const a = ctx[0] * H, b = ctx[1] * H;
    for (let j = 0; j < H; j++) {
      const v = x[j];
      Win[a + j] += v;
      Win[b + j] += v;
    }
  } else if (c === 3) {
    const a = ctx[0] * H, b = ctx[1] * H, e = ctx[2] * H;
    for (let j = 0; j < H; j++) {
      const v = x[j];
      Win[a + j] += v;
      Win[b + j] += v;
      Win[e + j] += v;
    }
  }
  for (; c < n; c += 4) {
    const a = ctx[c] * H, b = ctx[c + 1] * H, e = ctx[c + 2] * H, f = ctx[c + 3] * H;
    for (let j = 0; j < H; j++) {
      const v = x[j];
      Win[a + j] += v;
      Win[b + j] += v;
      Win[e + j] += v;
      Win[f + j] += v;
    }
  }
}

/**
 * One output row (offset `row`, label 1 for the target, 0 for a negative): score it against h, add
 * g·Wout[row] to neu1e and g·h to the row; returns its loss term (0 when computeLoss is false). The
 * loops are unrolled by four (H4 = H rounded down to a multiple of 4, then the tail): unrolling
 * roughly halves the time of a one-row pass in V8, which does not vectorise.
 */
export function oneOutput(
  Wout: Float32Array, H: number, h: Float64Array, neu1e: Float64Array,
  row: number, label: number, alpha: number, computeLoss: boolean,
): number {
  const H4 = H & ~3;
  let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
  let j = 0;
  for (; j < H4; j += 4) {
    d0 += h[j] * Wout[row + j];
    d1 += h[j + 1] * Wout[row + j + 1];
    d2 += h[j + 2] * Wout[row + j + 2];
    d3 += h[j + 3] * Wout[row + j + 3];
  }
  for (; j < H; j++) d0 += h[j] * Wout[row + j];
  const f = 1 / (1 + Math.exp(-(d0 + d1 + d2 + d3)));
  const g = (label - f) * alpha;
  // neu1e += g Wout[w];  Wout[w] += g h   (neu1e reads the row before its update)
  for (j = 0; j < H4; j += 4) {
    const o0 = Wout[row + j], o1 = Wout[row + j + 1], o2 = Wout[row + j + 2], o3 = Wout[row + j + 3];
    neu1e[j] += g * o0;
    neu1e[j + 1] += g * o1;
    neu1e[j + 2] += g * o2;
    neu1e[j + 3] += g * o3;
    Wout[row + j] = o0 + g * h[j];
    Wout[row + j + 1] = o1 + g * h[j + 1];
    Wout[row + j + 2] = o2 + g * h[j + 2];
    Wout[row + j + 3] = o3 + g * h[j + 3];
  }
  for (; j < H; j++) {
    const o = Wout[row + j];
    neu1e[j] += g * o;
    Wout[row + j] = o + g * h[j];
  }
  return computeLoss ? -Math.log(Math.max(label === 1 ? f : 1 - f, 1e-30)) : 0;
}

function distinct6(r0: number, r1: number, r2: number, r3: number, r4: number, r5: number): boolean {
  return r0 !== r1 && r0 !== r2 && r0 !== r3 && r0 !== r4 && r0 !== r5 &&
    r1 !== r2 && r1 !== r3 && r1 !== r4 && r1 !== r5 &&
    r2 !== r3 && r2 !== r4 && r2 !== r5 && r3 !== r4 && r3 !== r5 && r4 !== r5;
}

/**
 * Six distinct output rows (row offsets r0..r5; r0 has label `label0`, the rest label 0): one pass
 * scores all six against h, then one pass adds g·Wout[r] to neu1e and g·h to each row. Distinct rows
 * make this equal to taking them one at a time: no score reads a row that an earlier update wrote.
 */
function sixOutputs(
  Wout: Float32Array, H: number, h: Float64Array, neu1e: Float64Array,
  r0: number, r1: number, r2: number, r3: number, r4: number, r5: number,
  label0: number, alpha: number, computeLoss: boolean,
): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0;
  for (let j = 0; j < H; j++) {
    const x = h[j];
    s0 += x * Wout[r0 + j];
    s1 += x * Wout[r1 + j];
    s2 += x * Wout[r2 + j];
    s3 += x * Wout[r3 + j];
    s4 += x * Wout[r4 + j];
    s5 += x * Wout[r5 + j];
  }
  const f0 = 1 / (1 + Math.exp(-s0)), f1 = 1 / (1 + Math.exp(-s1)), f2 = 1 / (1 + Math.exp(-s2));
  const f3 = 1 / (1 + Math.exp(-s3)), f4 = 1 / (1 + Math.exp(-s4)), f5 = 1 / (1 + Math.exp(-s5));
  const g0 = (label0 - f0) * alpha, g1 = -f1 * alpha, g2 = -f2 * alpha, g3 = -f3 * alpha, g4 = -f4 * alpha, g5 = -f5 * alpha;
  for (let j = 0; j < H; j++) {
    const x = h[j];
    const o0 = Wout[r0 + j], o1 = Wout[r1 + j], o2 = Wout[r2 + j], o3 = Wout[r3 + j], o4 = Wout[r4 + j], o5 = Wout[r5 + j];
    neu1e[j] += g0 * o0 + g1 * o1 + g2 * o2 + g3 * o3 + g4 * o4 + g5 * o5;
    Wout[r0 + j] = o0 + g0 * x;
    Wout[r1 + j] = o1 + g1 * x;
    Wout[r2 + j] = o2 + g2 * x;
    Wout[r3 + j] = o3 + g3 * x;
    Wout[r4 + j] = o4 + g4 * x;
    Wout[r5 + j] = o5 + g5 * x;
  }
  if (!computeLoss) return 0;
  const tiny = 1e-30;
  return -Math.log(Math.max(label0 === 1 ? f0 : 1 - f0, tiny)) - Math.log(Math.max(1 - f1, tiny)) -
    Math.log(Math.max(1 - f2, tiny)) - Math.log(Math.max(1 - f3, tiny)) - Math.log(Math.max(1 - f4, tiny)) -
    Math.log(Math.max(1 - f5, tiny));
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
  const { Win, Wout, ids, starts, keep, prob, alias, progress, next } = t;
  const { H, window, negative: k, epochs, worker, workers, undividedGrad, computeLoss } = p;
  const V = prob.length;
  const S = starts.length - 1;
  const jobs = S * epochs;
  const slot = worker * PROGRESS_SLOTS;
  const total = p.totalWords * epochs + 1;
  const alphaSpan = p.alpha - p.minAlpha;
  let longest = 0;
  for (let s = 0; s < S; s++) longest = Math.max(longest, starts[s + 1] - starts[s]);
  const sentence = new Int32Array(longest);
  const ctx = new Int32Array(2 * window);
  const negs = new Int32Array(Math.max(1, k));
  const h = new Float64Array(H);
  const neu1e = new Float64Array(H);
  let x = seedState(p.seed);
  // A run fed chunk by chunk calls this once per chunk: the learning rate picks up where the
  // progress counters left it (p.alpha at the start of a run).
  let doneBefore = 0;
  for (let q = 0; q < workers; q++) doneBefore += progress[q * PROGRESS_SLOTS + WORDS];
  let alpha = Math.max(p.minAlpha, p.alpha - (alphaSpan * doneBefore) / total);
  let sinceTick = 0;
  let words = progress[slot + WORDS];
  let effective = progress[slot + EFFECTIVE];
  let loss = progress[slot + LOSS];

  for (let job = Atomics.add(next, 0, 1); job < jobs; job = Atomics.add(next, 0, 1)) {
    // Subsample the sentence: keep word w with probability keep[w].
    const s = job % S;
    const begin = starts[s];
    const end = starts[s + 1];
    let n = 0;
    for (let i = begin; i < end; i++) {
      const w = ids[i];
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      if (x >>> 0 < keep[w]) sentence[n++] = w;
    }
    for (let pos = 0; pos < n; pos++) {
      // Random window shrinking: b in [0, window), the window used is window - b.
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      const b = (x >>> 0) % window;
      const lo = Math.max(0, pos - window + b);
      const hi = Math.min(n - 1, pos + window - b);
      let c = 0;
      for (let q = lo; q <= hi; q++) if (q !== pos) ctx[c++] = sentence[q];
      if (c === 0) continue;
      const target = sentence[pos];
      for (let d = 0; d < k; d++) {
        let w = target;
        while (w === target) {
          // Alias draw: a uniform column, kept with probability prob[col], else its alias.
          x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
          const col = Math.floor((x >>> 0) * V * 2.3283064365386963e-10);
          x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
          w = x >>> 0 < prob[col] ? col : alias[col];
        }
        negs[d] = w;
      }
      loss += cbowUpdateKernel(Win, Wout, H, ctx, c, target, negs, k, alpha, h, neu1e, undividedGrad, computeLoss);
    }
    effective += n;
    words += end - begin;
    sinceTick += end - begin;
    if (sinceTick >= TICK_WORDS) {
      sinceTick = 0;
      progress[slot + WORDS] = words;
      progress[slot + EFFECTIVE] = effective;
      progress[slot + LOSS] = loss;
      let done = 0;
      for (let q = 0; q < workers; q++) done += progress[q * PROGRESS_SLOTS + WORDS];
      alpha = Math.max(p.minAlpha, p.alpha - (alphaSpan * done) / total);
      if (onTick !== undefined) onTick();
    }
  }
  progress[slot + WORDS] = words;
  progress[slot + EFFECTIVE] = effective;
  progress[slot + LOSS] = loss;
  if (onTick !== undefined) onTick();
}
