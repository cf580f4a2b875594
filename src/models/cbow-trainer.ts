import { Tensor } from "../tensor/tensor.js";
import { Random } from "../tensor/random.js";
import { checkBoolean, checkInt, checkNumber, checkOptions, describe } from "../tensor/check.js";
import type { EncodedCorpus } from "../text/corpus.js";
import { Vocab } from "../text/vocab.js";
import { buildAlias } from "./unigram-sampler.js";
import { buildHuffman } from "./huffman.js";
import { EFFECTIVE, type KernelParams, type KernelTables, LOSS, PROGRESS_SLOTS, WORDS, trainJobs } from "./cbow-kernel.js";

/** Options of {@link trainCBOW}; defaults are gensim's Word2Vec defaults for CBOW. */
export interface CBOWTrainOptions {
  /** Vector size H (default 100). */
  dim?: number;
  /** Maximum distance between the center word and a context word (default 5). */
  window?: number;
  /** Skip-gram (gensim's sg=1: each word predicts each context word) instead of CBOW (default false). */
  sg?: boolean;
  /** Hierarchical softmax over a Huffman tree of the counts (gensim's hs=1; default false). */
  hs?: boolean;
  /** Noise words per predicted word (default 5; 0 turns negative sampling off, then hs must be on). */
  negative?: number;
  /** CBOW's hidden layer: the mean of the context vectors (default true) or their sum (gensim's cbow_mean=0). */
  cbowMean?: boolean;
  /** Subsampling threshold (default 1e-3; 0 turns subsampling off). */
  sample?: number;
  /** Passes over the corpus (default 5). */
  epochs?: number;
  /** Initial learning rate (default 0.025), decayed linearly to `minAlpha` (default 0.0001). */
  alpha?: number;
  minAlpha?: number;
  /** Seed of the initial vectors and of every random choice (default 1). */
  seed?: number;
  /** Exponent of the noise distribution (default 0.75). */
  power?: number;
  /**
   * CBOW's context rows receive the hidden layer's gradient undivided, or divided by the number of
   * context words. The default is gensim's: undivided with the mean (word2vec.c too), divided with
   * the sum (`cbowMean: false`). Undivided is the exact gradient of the sum, divided that of the mean.
   */
  undividedGrad?: boolean;
  /** Track the training loss (default true; costs a logarithm per scored word). */
  computeLoss?: boolean;
  /** Called every few thousand words and at the end of each epoch. */
  onProgress?: (p: CBOWProgress) => void;
  /**
   * Tables to start from instead of a fresh model (a resumed run, see Word2VecModel): syn0 `[V, H]`,
   * syn1neg `[V, H]` (empty when negative is 0), syn1 `[V - 1, H]` (empty when hs is off); copied.
   */
  initial?: { syn0: Float32Array; syn1neg: Float32Array; syn1: Float32Array };
}

/** A progress report. Word counts are summed over all workers. */
export interface CBOWProgress {
  /** Whole epochs' worth of words gone through. */
  epoch: number;
  epochs: number;
  /** In-vocabulary tokens gone through so far, and in all (tokens × epochs). */
  words: number;
  totalWords: number;
  /** Tokens kept by subsampling, i.e. the center words trained on: gensim's "effective words". */
  effectiveWords: number;
  /** Mean negative-sampling loss per effective word so far. */
  loss: number;
  /** Seconds since training started. */
  seconds: number;
}

/** What {@link trainCBOW} returns. */
export interface CBOWResult {
  vocab: Vocab;
  /** The word vectors (input table) `[V, H]`. */
  vectors: Tensor;
  /** The negative-sampling output table `[V, H]` (syn1neg; `[0, H]` when negative is 0). */
  outputVectors: Tensor;
  /** The hierarchical-softmax inner-node table `[V - 1, H]` (syn1; `[0, H]` when hs is off). */
  hsVectors: Tensor;
  /** Final counts: effective words per second is `effectiveWords / seconds`. */
  stats: CBOWProgress & { effectiveWordsPerSecond: number };
}

const OPTION_NAMES = [
  "dim", "window", "sg", "hs", "negative", "cbowMean", "sample", "epochs", "alpha", "minAlpha", "seed", "power", "undividedGrad", "computeLoss", "onProgress", "initial",
];

/** Validated options, every default filled in. */
export type ResolvedCBOWOptions = Required<Omit<CBOWTrainOptions, "onProgress" | "initial">> & Pick<CBOWTrainOptions, "onProgress" | "initial">;

/** Checks {@link CBOWTrainOptions} (and `threads`, when `extra` names it) and fills in the defaults. */
export function resolveCBOWOptions(fn: string, options: unknown, extra: readonly string[] = []): ResolvedCBOWOptions {
  const o = checkOptions(fn, options, [...OPTION_NAMES, ...extra]) as CBOWTrainOptions;
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") {
    throw new TypeError(`${fn}: onProgress must be a function, got ${describe(o.onProgress)}`);
  }
  const alpha = o.alpha === undefined ? 0.025 : checkNumber(fn, "alpha", o.alpha, 0, 10, { min: true });
  const minAlpha = o.minAlpha === undefined ? Math.min(0.0001, alpha) : checkNumber(fn, "minAlpha", o.minAlpha, 0, alpha);
  const cbowMean = o.cbowMean === undefined ? true : checkBoolean(fn, "cbowMean", o.cbowMean);
  if (o.negative === 0 && o.hs !== true) throw new RangeError(`${fn}: negative is 0 and hs is off: nothing would be trained (set hs: true or negative ≥ 1)`);
  return {
    dim: o.dim === undefined ? 100 : checkInt(fn, "dim", o.dim, 1, 100000),
    window: o.window === undefined ? 5 : checkInt(fn, "window", o.window, 1, 1000),
    sg: o.sg === undefined ? false : checkBoolean(fn, "sg", o.sg),
    hs: o.hs === undefined ? false : checkBoolean(fn, "hs", o.hs),
    negative: o.negative === undefined ? 5 : checkInt(fn, "negative", o.negative, 0, 1000),
    cbowMean,
    sample: o.sample === undefined ? 1e-3 : checkNumber(fn, "sample", o.sample, 0, 1),
    epochs: o.epochs === undefined ? 5 : checkInt(fn, "epochs", o.epochs, 1, 100000),
    alpha,
    minAlpha,
    seed: o.seed === undefined ? 1 : checkInt(fn, "seed", o.seed, -(2 ** 31), 2 ** 32 - 1),
    power: o.power === undefined ? 0.75 : checkNumber(fn, "power", o.power, 0, 10),
    undividedGrad: o.undividedGrad === undefined ? cbowMean : checkBoolean(fn, "undividedGrad", o.undividedGrad),
    computeLoss: o.computeLoss === undefined ? true : checkBoolean(fn, "computeLoss", o.computeLoss),
    onProgress: o.onProgress,
    initial: checkInitial(fn, o.initial),
  };
}

function checkInitial(fn: string, initial: unknown): CBOWTrainOptions["initial"] {
  if (initial === undefined) return undefined;
  const t = initial as Record<string, unknown>;
  if (t === null || typeof t !== "object" || !(t.syn0 instanceof Float32Array) || !(t.syn1neg instanceof Float32Array) || !(t.syn1 instanceof Float32Array)) {
    throw new TypeError(`${fn}: initial must be { syn0, syn1neg, syn1 } of Float32Arrays, got ${describe(initial)}`);
  }
  return t as CBOWTrainOptions["initial"];
}

/** Checks that the initial tables (if any) have the sizes of this corpus and these options. */
export function checkInitialSizes(fn: string, corpus: EncodedCorpus, o: ResolvedCBOWOptions): void {
  if (o.initial === undefined) return;
  const V = corpus.vocab.size, H = o.dim;
  const want = { syn0: V * H, syn1neg: o.negative > 0 ? V * H : 0, syn1: o.hs ? (V - 1) * H : 0 };
  for (const k of ["syn0", "syn1neg", "syn1"] as const) {
    if (o.initial[k].length !== want[k]) throw new RangeError(`${fn}: initial.${k} has ${o.initial[k].length} numbers; ${want[k]} expected (V = ${V}, dim = ${H})`);
  }
}

/** Checks that `corpus` looks like {@link encodeCorpus}'s result and can be trained on. */
export function checkCorpus(fn: string, corpus: unknown): asserts corpus is EncodedCorpus {
  const c = corpus as EncodedCorpus;
  if (c === null || typeof c !== "object" || !(c.vocab instanceof Vocab) || !(c.ids instanceof Int32Array) || !(c.starts instanceof Int32Array)) {
    throw new TypeError(`${fn}: corpus must be an EncodedCorpus ({ vocab, ids, starts } from encodeCorpus), got ${describe(corpus)}`);
  }
  const V = c.vocab.size;
  if (V < 2) throw new RangeError(`${fn}: the vocabulary has ${V} word(s); negative sampling needs at least 2 (lower minCount?)`);
  if (c.starts.length < 1 || c.starts[0] !== 0 || c.starts[c.starts.length - 1] !== c.ids.length) {
    throw new RangeError(`${fn}: corpus.starts must begin at 0 and end at ids.length (${c.ids.length})`);
  }
  for (let s = 1; s < c.starts.length; s++) {
    if (c.starts[s] < c.starts[s - 1]) throw new RangeError(`${fn}: corpus.starts must not decrease; starts[${s}] = ${c.starts[s]}`);
  }
  for (let i = 0; i < c.ids.length; i++) {
    if (c.ids[i] < 0 || c.ids[i] >= V) throw new RangeError(`${fn}: corpus.ids[${i}] = ${c.ids[i]} is out of range [0, ${V - 1}]`);
  }
}

/**
 * Allocates and fills everything a run needs: the two tables (input rows uniform in
 * [-1/H, 1/H) as gensim 4, output rows zero), the subsampling and noise tables, the progress
 * counters. `alloc(n)` gives the backing store of n bytes (an ArrayBuffer, or a SharedArrayBuffer for
 * workers); the corpus arrays are copied into it only when `shareCorpus` is set.
 */
export function prepareTables(
  corpus: EncodedCorpus,
  o: ResolvedCBOWOptions,
  workers: number,
  alloc: (bytes: number) => ArrayBufferLike = (n) => new ArrayBuffer(n),
  shareCorpus = false,
): KernelTables {
  const { vocab } = corpus;
  const V = vocab.size;
  const H = o.dim;
  const Win = new Float32Array(alloc(V * H * 4));
  const Wout = new Float32Array(alloc(o.negative > 0 ? V * H * 4 : 0));
  const syn1 = new Float32Array(alloc(o.hs ? (V - 1) * H * 4 : 0));
  const tree = o.hs ? buildHuffman(vocab.counts) : { codes: new Uint8Array(0), points: new Int32Array(0), codeStarts: new Int32Array(0) };
  const codes = new Uint8Array(alloc(tree.codes.length));
  const points = new Int32Array(alloc(tree.points.length * 4));
  const codeStarts = new Int32Array(alloc(tree.codeStarts.length * 4));
  codes.set(tree.codes);
  points.set(tree.points);
  codeStarts.set(tree.codeStarts);
  const rng = new Random(o.seed);
  if (o.initial !== undefined) {
    Win.set(o.initial.syn0);
    Wout.set(o.initial.syn1neg);
    syn1.set(o.initial.syn1);
  } else {
    for (let i = 0; i < Win.length; i++) Win[i] = (rng.nextUint32() * 4.656612873077393e-10 - 1) / H;
  }
  const keepP = vocab.keepProbabilities(o.sample);
  const keep = new Uint32Array(alloc(V * 4));
  for (let i = 0; i < V; i++) keep[i] = keepP[i] >= 1 ? 4294967295 : Math.floor(keepP[i] * 4294967296);
  const p = new Float64Array(V);
  let total = 0;
  for (let i = 0; i < V; i++) total += p[i] = vocab.counts[i] ** o.power;
  for (let i = 0; i < V; i++) p[i] /= total;
  const table = buildAlias(p);
  const prob = new Uint32Array(alloc(V * 4));
  const alias = new Int32Array(alloc(V * 4));
  prob.set(table.prob);
  alias.set(table.alias);
  let ids = corpus.ids;
  let starts = corpus.starts;
  if (shareCorpus) {
    ids = new Int32Array(alloc(ids.length * 4));
    ids.set(corpus.ids);
    starts = new Int32Array(alloc(starts.length * 4));
    starts.set(corpus.starts);
  }
  const progress = new Float64Array(alloc(workers * PROGRESS_SLOTS * 8));
  const next = new Int32Array(alloc(4));
  return { Win, Wout, syn1, codes, points, codeStarts, ids, starts, keep, prob, alias, progress, next };
}

/** The kernel settings of worker `worker` of `workers`. */
export function kernelParams(o: ResolvedCBOWOptions, corpus: EncodedCorpus, worker: number, workers: number): KernelParams {
  return {
    H: o.dim,
    window: o.window,
    negative: o.negative,
    sg: o.sg,
    hs: o.hs,
    cbowMean: o.cbowMean,
    alpha: o.alpha,
    minAlpha: o.minAlpha,
    epochs: o.epochs,
    totalWords: corpus.ids.length,
    worker,
    workers,
    seed: o.seed + 7919 * (worker + 1),
    undividedGrad: o.undividedGrad,
    computeLoss: o.computeLoss,
  };
}

/** Sums the workers' progress counters into a report. */
export function readProgress(progress: Float64Array, workers: number, epochs: number, totalWords: number, seconds: number): CBOWProgress {
  let words = 0, effective = 0, loss = 0;
  for (let w = 0; w < workers; w++) {
    const s = w * PROGRESS_SLOTS;
    words += progress[s + WORDS];
    effective += progress[s + EFFECTIVE];
    loss += progress[s + LOSS];
  }
  const epoch = totalWords > 0 ? Math.min(epochs, Math.floor(words / totalWords)) : epochs;
  return { epoch, epochs, words, totalWords: totalWords * epochs, effectiveWords: effective, loss: effective > 0 ? loss / effective : NaN, seconds };
}

/**
 * Trains word2vec CBOW with negative sampling on an encoded corpus, in this thread (for several
 * threads, see `trainCBOWThreaded` in `embedkit/node`). Reproducible: the same corpus, options and
 * seed give the same vectors, bit for bit.
 *
 * @example
 * ```ts
 * const corpus = encodeCorpus(generateDemoCorpus({ sentences: 2000, seed: 1 }), { minCount: 1 });
 * const { vocab, vectors, stats } = trainCBOW(corpus, { dim: 32, epochs: 3, seed: 1 });
 * const kv = new KeyedVectors(vocab.words, vectors);
 * kv.mostSimilar("cat", 3); // mostly other animals
 * ```
 */
export function trainCBOW(corpus: EncodedCorpus, options: CBOWTrainOptions = {}): CBOWResult {
  const fn = "trainCBOW";
  checkCorpus(fn, corpus);
  const o = resolveCBOWOptions(fn, options);
  checkInitialSizes(fn, corpus, o);
  const tables = prepareTables(corpus, o, 1);
  const start = now();
  const report = () => readProgress(tables.progress, 1, o.epochs, corpus.ids.length, (now() - start) / 1000);
  const onTick = o.onProgress === undefined ? undefined : () => o.onProgress!(report());
  trainJobs(tables, kernelParams(o, corpus, 0, 1), onTick);
  return result(corpus, o, tables, report());
}

/** Packs the trained tables into a {@link CBOWResult}. */
export function result(corpus: EncodedCorpus, o: ResolvedCBOWOptions, t: KernelTables, stats: CBOWProgress): CBOWResult {
  const V = corpus.vocab.size;
  return {
    vocab: corpus.vocab,
    vectors: new Tensor(t.Win, [V, o.dim]),
    outputVectors: new Tensor(t.Wout, [t.Wout.length / o.dim, o.dim]),
    hsVectors: new Tensor(t.syn1, [t.syn1.length / o.dim, o.dim]),
    stats: { ...stats, effectiveWordsPerSecond: stats.seconds > 0 ? stats.effectiveWords / stats.seconds : 0 },
  };
}

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}
