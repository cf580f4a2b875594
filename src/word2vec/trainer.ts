import { Tensor } from "../tensor/tensor.js";
import { Random } from "../tensor/random.js";
import { checkInt, checkOptions, describe } from "../tensor/check.js";
import type { EncodedCorpus } from "../text/corpus.js";
import { Vocab } from "../text/vocab.js";
import { type CorpusInput, TOKENIZER_OPTION_NAMES, type TokenizerOptions, checkCorpusInput, isReopenable, resolveTokenizerOptions } from "../text/stream.js";
import {
  type ScanProgress, type SentenceChunk, type VocabScan, encodeAll, encodeChunks, resolveScanOptions, scanAndEncodeOnce, scanVocab,
} from "../text/corpus-stream.js";
import { buildHuffman } from "./huffman.js";
import { noiseTable } from "./noise.js";
import { TRAIN_SETTING_NAMES, resolveSettings } from "./settings.js";
import {
  EFFECTIVE, type KernelParams, type KernelTables, LOSS, PROGRESS_SLOTS, WORDS, chunkSeed, divergedAt, trainChunk, trainJobs,
} from "./jobs.js";

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

/**
 * Options of {@link trainCBOW} when it reads a corpus as a stream (a {@link CorpusSource}, chunks of
 * text or bytes): the training options, the tokenizer's, the vocabulary's, and the memory budget.
 */
export interface CBOWStreamOptions extends CBOWTrainOptions, TokenizerOptions {
  /** Words seen fewer times are dropped (default 5, as gensim). */
  minCount?: number;
  /** Most distinct words held while counting; see {@link scanVocab} (default: no limit). */
  maxVocabSize?: number;
  /** Keep at most this many words, raising minCount as gensim does (default: no limit). */
  maxFinalVocab?: number;
  /** Sentences are cut into pieces of at most this many in-vocabulary tokens (default 10000, as gensim). */
  maxSentenceLength?: number;
  /** Train on this vocabulary as it is, without a counting pass (for word2vec.c's `-read-vocab`). */
  vocab?: Vocab;
  /**
   * Bytes the corpus may take in memory as ids (default 256 MiB = 64 Mi tokens, 4 bytes a token):
   * a corpus of at most that many tokens is encoded once and trained from memory (exactly as
   * `trainCBOW(encodeCorpus(text))`); a larger one is read again from the source every epoch, a chunk
   * at a time. 0 always streams. A source that can be read only once must fit.
   */
  corpusMemory?: number;
  /** Ids per chunk when streaming (default 65536): a job for one worker. */
  chunkTokens?: number;
  /** Called during the counting pass, about once per mebibyte of text. */
  onScan?: (p: ScanProgress) => void;
}

/** The corpus a run trained on. */
export interface CorpusStats {
  /** Tokens of one pass, in-vocabulary or not. */
  rawTokens: number;
  /** In-vocabulary tokens of one pass. */
  tokens: number;
  /** Whether each epoch read the corpus again from its source (false: trained from ids in memory). */
  streamed: boolean;
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
  /** The corpus as trained on. */
  corpus: CorpusStats;
  /** Threads that trained: 1 in this thread; for trainCBOWThreaded, the worker threads started. */
  threads: number;
}

const OPTION_NAMES = [...TRAIN_SETTING_NAMES, "onProgress", "initial"];

/** Validated options, every default filled in. */
export type ResolvedCBOWOptions = Required<Omit<CBOWTrainOptions, "onProgress" | "initial">> & Pick<CBOWTrainOptions, "onProgress" | "initial">;

/**
 * Checks {@link CBOWTrainOptions} (and `threads`, when `extra` names it) against the settings table
 * (src/word2vec/settings.ts) and fills in the defaults. Own properties only.
 */
export function resolveCBOWOptions(fn: string, options: unknown, extra: readonly string[] = []): ResolvedCBOWOptions {
  const o = checkOptions(fn, options, [...OPTION_NAMES, ...extra]) as Record<string, unknown>;
  const own = (k: string) => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
  const onProgress = own("onProgress");
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw new TypeError(`${fn}: onProgress must be a function, got ${describe(onProgress)}`);
  }
  const settings = resolveSettings(fn, o, TRAIN_SETTING_NAMES) as unknown as Omit<ResolvedCBOWOptions, "onProgress" | "initial">;
  return { ...settings, onProgress: onProgress as CBOWTrainOptions["onProgress"], initial: checkInitial(fn, own("initial")) };
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

/** A vocabulary too small to train on; the error names the option to change (`option`) and the size. */
function tooFewWords(fn: string, V: number): RangeError {
  const e = new RangeError(`${fn}: the vocabulary has ${V} word(s); negative sampling needs at least 2 (lower minCount?)`);
  return Object.assign(e, { option: "minCount", vocabSize: V });
}

/** Checks that `corpus` looks like {@link encodeCorpus}'s result and can be trained on. */
export function checkCorpus(fn: string, corpus: unknown): asserts corpus is EncodedCorpus {
  const c = corpus as EncodedCorpus;
  if (c === null || typeof c !== "object" || !(c.vocab instanceof Vocab) || !(c.ids instanceof Int32Array) || !(c.starts instanceof Int32Array)) {
    throw new TypeError(
      `${fn}: corpus must be an EncodedCorpus ({ vocab, ids, starts } from encodeCorpus), a CorpusSource or an iterable of text chunks, ` +
        `got ${describe(corpus)}`,
    );
  }
  const V = c.vocab.size;
  if (V < 2) throw tooFewWords(fn, V);
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
  const table = noiseTable(vocab.counts, o.power);
  const prob = new Uint32Array(alloc(V * 4));
  const alias = new Int32Array(alloc(V * 4));
  prob.set(table.prob);
  alias.set(table.alias);
  let ids = corpus.ids;
  let starts = corpus.starts;
  // (ids already in shared memory, e.g. encoded there by a streaming run, are used as they are)
  const shared = (a: Int32Array) => typeof SharedArrayBuffer !== "undefined" && a.buffer instanceof SharedArrayBuffer;
  if (shareCorpus && !(shared(ids) && shared(starts))) {
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
 * Trains word2vec and returns the bare tables and run statistics (a {@link CBOWResult}).
 *
 * @deprecated Use {@link trainWord2Vec}, the entry point for every word2vec model (CBOW, skip-gram,
 * negative sampling, hierarchical softmax), which returns a whole Word2VecModel (`model.wv`,
 * `model.syn0`, ready to save and resume). `trainCBOW` keeps its behaviour and result.
 *
 * Trains in this thread (for several threads, see `trainCBOWThreaded` in `embedkit/node`):
 * CBOW with negative sampling by default, skip-gram with `sg: true`, hierarchical softmax with
 * `hs: true` (`negative: 0` turns negative sampling off), CBOW over the sum with `cbowMean: false`. Reproducible: the same corpus, options and seed give the
 * same vectors, bit for bit.
 *
 * The corpus is either an {@link EncodedCorpus} (then training is synchronous), or a stream: a
 * {@link CorpusSource} (`fileCorpus(path)` from `embedkit/node`), an array of text or byte chunks, or
 * an (async) iterable of them (then it returns a Promise). A stream is read once to count its words
 * ({@link scanVocab}) and then, if its ids fit in `corpusMemory`, once more to encode it, and trained
 * from memory exactly as its `encodeCorpus`; else it is read again each epoch, a chunk at a time, and
 * never held whole: memory is the two tables, the vocabulary and a few chunks.
 *
 * @example
 * ```ts
 * const corpus = encodeCorpus(generateDemoCorpus({ sentences: 2000, seed: 1 }), { minCount: 1 });
 * const { vocab, vectors, stats } = trainCBOW(corpus, { dim: 32, epochs: 3, seed: 1 });
 * const kv = new KeyedVectors(vocab.words, vectors);
 * kv.mostSimilar("cat", 3); // mostly other animals
 * const streamed = await trainCBOW([generateDemoCorpus({ sentences: 500, seed: 1 })], { minCount: 1, dim: 8, corpusMemory: 0 });
 * streamed.corpus.streamed; // true
 * ```
 */
export function trainCBOW(corpus: EncodedCorpus, options?: CBOWTrainOptions): CBOWResult;
export function trainCBOW(corpus: CorpusInput, options?: CBOWStreamOptions): Promise<CBOWResult>;
export function trainCBOW(corpus: EncodedCorpus | CorpusInput, options: CBOWStreamOptions = {}): CBOWResult | Promise<CBOWResult> {
  return runWord2Vec("trainCBOW", corpus as EncodedCorpus, options);
}

/**
 * The one training run behind every entry point (trainWord2Vec, resumeWord2Vec, trainCBOW,
 * trainCBOWThreaded with one thread): `fn` is the function the user called, for messages.
 */
export function runWord2Vec(fn: string, corpus: EncodedCorpus, options?: CBOWTrainOptions): CBOWResult;
export function runWord2Vec(fn: string, corpus: CorpusInput, options?: CBOWStreamOptions): Promise<CBOWResult>;
export function runWord2Vec(fn: string, corpus: EncodedCorpus | CorpusInput, options: CBOWStreamOptions = {}): CBOWResult | Promise<CBOWResult> {
  if (isStreamInput(corpus)) {
    // An array of chunks is known now: check it before returning the promise.
    if (Array.isArray(corpus)) checkChunkArray(fn, corpus);
    return trainStream(fn, corpus, options);
  }
  checkCorpus(fn, corpus);
  const o = resolveCBOWOptions(fn, options);
  checkInitialSizes(fn, corpus, o);
  const tables = prepareTables(corpus, o, 1);
  const start = now();
  const report = () => readProgress(tables.progress, 1, o.epochs, corpus.ids.length, (now() - start) / 1000);
  const onTick = o.onProgress === undefined ? undefined : () => o.onProgress!(report());
  trainJobs(tables, kernelParams(o, corpus, 0, 1), onTick);
  checkDiverged(fn, tables, 1, o, corpus.ids.length);
  return result(corpus, o, tables, report(), { rawTokens: corpus.rawTokens, tokens: corpus.ids.length, streamed: false }, 1);
}

/** Checks an array of chunks: not empty, every element text or bytes. */
export function checkChunkArray(fn: string, chunks: readonly unknown[]): void {
  if (chunks.length === 0) throw new RangeError(`${fn}: corpus is an empty array of chunks: there is nothing to train on`);
  chunks.forEach((c, i) => {
    if (typeof c !== "string" && !(c instanceof Uint8Array)) throw new TypeError(`${fn}: corpus[${i}] must be a string or a Uint8Array, got ${describe(c)}`);
  });
}

/** Whether `corpus` is a stream (a source or an iterable of chunks) rather than an EncodedCorpus. */
export function isStreamInput(corpus: unknown): corpus is CorpusInput {
  const c = corpus as Record<string | symbol, unknown> | null;
  return c !== null && typeof c === "object" &&
    (typeof c.open === "function" || typeof c[Symbol.iterator] === "function" || typeof c[Symbol.asyncIterator] === "function");
}

const STREAM_OPTION_NAMES = [
  "minCount", "maxVocabSize", "maxFinalVocab", "maxSentenceLength", "vocab", "corpusMemory", "chunkTokens", "onScan", ...TOKENIZER_OPTION_NAMES,
];

/** How a stream will be trained on: from ids in memory (`corpus`), or read again each epoch. */
export interface StreamPlan {
  input: CorpusInput;
  vocab: Vocab;
  /** The encoded corpus when it fits in the memory budget (or can be read only once). */
  corpus: EncodedCorpus | null;
  /** In-vocabulary tokens of one pass, as counted (exact once an epoch has been read). */
  tokens: number;
  rawTokens: number;
  scan: VocabScan | null;
  chunk: { maxSentenceLength: number; chunkTokens: number } & Required<TokenizerOptions>;
}

/**
 * Checks every option of a streaming run (before anything is read), counts the vocabulary (unless
 * given), and decides between training from memory (the ids from `alloc`) and streaming.
 */
export async function planStream(
  fn: string,
  input: CorpusInput,
  options: unknown,
  extra: readonly string[] = [],
  alloc?: (bytes: number) => ArrayBufferLike,
): Promise<{ o: ResolvedCBOWOptions; plan: StreamPlan; rest: CBOWTrainOptions }> {
  checkCorpusInput(fn, input);
  const all = checkOptions(fn, options, [...OPTION_NAMES, ...STREAM_OPTION_NAMES, ...extra]) as CBOWStreamOptions;
  const rest: Record<string, unknown> = {};
  for (const k of OPTION_NAMES) if ((all as Record<string, unknown>)[k] !== undefined) rest[k] = (all as Record<string, unknown>)[k];
  const o = resolveCBOWOptions(fn, rest);
  if (all.onScan !== undefined && typeof all.onScan !== "function") throw new TypeError(`${fn}: onScan must be a function, got ${describe(all.onScan)}`);
  const s = resolveScanOptions(fn, { ...all, onProgress: all.onScan });
  const tok = resolveTokenizerOptions(fn, all);
  if (all.vocab !== undefined && !(all.vocab instanceof Vocab)) throw new TypeError(`${fn}: vocab must be a Vocab, got ${describe(all.vocab)}`);
  const budget = all.corpusMemory === undefined ? 256 * 2 ** 20 : checkInt(fn, "corpusMemory", all.corpusMemory, 0);
  const chunkTokens = all.chunkTokens === undefined ? 65536 : checkInt(fn, "chunkTokens", all.chunkTokens, 1);
  const chunk = { maxSentenceLength: s.maxSentenceLength, chunkTokens, ...tok };
  const scanOptions = {
    minCount: s.minCount, maxSentenceLength: s.maxSentenceLength, ...tok, onProgress: all.onScan,
    ...(all.maxVocabSize === undefined ? {} : { maxVocabSize: all.maxVocabSize }),
    ...(all.maxFinalVocab === undefined ? {} : { maxFinalVocab: all.maxFinalVocab }),
  };
  let plan: StreamPlan;
  if (!isReopenable(input)) {
    // Read once: count and keep the ids in one pass (the vocabulary option, if given, is used as is).
    const { scan, corpus } = all.vocab === undefined
      ? await scanAndEncodeOnce(fn, input, scanOptions, budget)
      : { scan: null, corpus: await encodeAll(input, all.vocab, { ...chunk, expectedIds: 1024 }) };
    plan = { input, vocab: corpus.vocab, corpus, tokens: corpus.ids.length, rawTokens: corpus.rawTokens, scan, chunk };
  } else {
    const scan = all.vocab === undefined ? await scanVocab(input, scanOptions) : null;
    const vocab = scan === null ? all.vocab! : scan.vocab;
    // Raw tokens bound the ids from above; a given vocabulary's counts are all we know.
    const estimate = scan === null ? vocab.totalCount : scan.rawTokens;
    const sentences = scan === null ? 0 : scan.lines + Math.ceil(scan.rawTokens / s.maxSentenceLength);
    const fits = vocab.size >= 2 && (estimate + sentences + 1) * 4 <= budget;
    const corpus = fits ? await encodeAll(input, vocab, { ...chunk, expectedIds: vocab.totalCount, ...(alloc === undefined ? {} : { alloc }) }) : null;
    plan = {
      input, vocab, corpus, tokens: corpus === null ? vocab.totalCount : corpus.ids.length,
      rawTokens: corpus === null ? (scan?.rawTokens ?? NaN) : corpus.rawTokens, scan, chunk,
    };
  }
  if (plan.vocab.size < 2) {
    throw tooFewWords(fn, plan.vocab.size);
  }
  return { o, plan, rest: rest as CBOWTrainOptions };
}

/**
 * Feeds a streamed corpus to `train`, chunk after chunk, epoch after epoch. `train(chunk, k, total)`
 * gets the k-th chunk of the run and the number of in-vocabulary tokens of the whole run (epochs ×
 * one pass) that the learning rate decays over: counted by the vocabulary pass, then exact once the
 * first epoch has been read. Resolves to the tokens of one pass and the raw tokens.
 */
export async function feedChunks(
  plan: StreamPlan,
  epochs: number,
  train: (chunk: SentenceChunk, k: number, totalWords: number) => void | Promise<void>,
  alloc?: (bytes: number) => ArrayBufferLike,
): Promise<{ tokens: number; rawTokens: number }> {
  let perEpoch = plan.tokens;
  let rawTokens = 0;
  let k = 0;
  for (let e = 0; e < epochs; e++) {
    let tokens = 0;
    for await (const chunk of encodeChunks(plan.input, plan.vocab, { ...plan.chunk, ...(alloc === undefined ? {} : { alloc }) })) {
      tokens += chunk.ids.length;
      if (e === 0) rawTokens += chunk.rawTokens;
      await train(chunk, k++, Math.max(perEpoch, tokens) * epochs);
    }
    if (e === 0) perEpoch = plan.tokens = tokens;
  }
  return { tokens: perEpoch, rawTokens };
}

/** A corpus with no ids, for the tables of a streamed run. */
export function vocabOnly(vocab: Vocab): EncodedCorpus {
  return { vocab, ids: new Int32Array(0), starts: Int32Array.of(0), rawTokens: 0 };
}

async function trainStream(fn: string, input: CorpusInput, options: unknown): Promise<CBOWResult> {
  const { o, plan, rest } = await planStream(fn, input, options);
  if (plan.corpus !== null) {
    const r = runWord2Vec(fn, plan.corpus, rest);
    return { ...r, corpus: { rawTokens: plan.corpus.rawTokens, tokens: plan.corpus.ids.length, streamed: false } };
  }
  const tables = prepareTables(vocabOnly(plan.vocab), o, 1);
  const params = kernelParams(o, vocabOnly(plan.vocab), 0, 1);
  const next = new Int32Array(1);
  const start = now();
  const report = () => readProgress(tables.progress, 1, o.epochs, plan.tokens, (now() - start) / 1000);
  const onTick = o.onProgress === undefined ? undefined : () => o.onProgress!(report());
  const fed = await feedChunks(plan, o.epochs, (chunk, k, total) => {
    trainChunk(tables, params, chunk, chunkSeed(o.seed, k), total, next, onTick);
    if (divergedAt(tables.progress, 1) >= 0) checkDiverged(fn, tables, 1, o, plan.tokens);
  });
  checkDiverged(fn, tables, 1, o, plan.tokens);
  return result(vocabOnly(plan.vocab), o, tables, report(), { rawTokens: fed.rawTokens, tokens: fed.tokens, streamed: true }, 1);
}

/**
 * Training diverged: the loss or a weight stopped being finite (NaN or ±Infinity), almost always
 * because the learning rate is too large. Says in which epoch and near which word of it (in-vocabulary
 * tokens from the epoch's start, at the end of the sentence where it was seen), and the learning
 * rate; the tables are not returned.
 *
 * @example
 * ```ts
 * const corpus = encodeCorpus(generateDemoCorpus({ sentences: 200, seed: 1 }), { minCount: 1 });
 * let caught;
 * try { trainWord2Vec(corpus, { alpha: 10, dim: 8, epochs: 1 }); } catch (e) { caught = e; }
 * caught instanceof TrainingDivergedError; // true
 * caught.epoch;                            // 1
 * ```
 */
export class TrainingDivergedError extends Error {
  /** The epoch (1-based), the word of that epoch near which it was seen, and the initial learning rate. */
  readonly epoch: number;
  readonly word: number;
  readonly alpha: number;
  /** The option to lower (the settings table's name). */
  readonly option = "alpha";

  constructor(fn: string, epoch: number, epochs: number, word: number, totalWords: number, alpha: number) {
    super(
      `${fn}: training diverged in epoch ${epoch} of ${epochs}, near word ${word} of ${totalWords}: the loss or a weight is no longer finite ` +
        `(NaN or Infinity), so no vectors are returned; try a smaller alpha than ${alpha} (the default is 0.025)`,
    );
    this.name = "TrainingDivergedError";
    this.epoch = epoch;
    this.word = word;
    this.alpha = alpha;
  }
}

function allFinite(a: Float32Array): boolean {
  let probe = 0;
  for (let i = 0; i < a.length; i++) probe += a[i] * 0;
  return probe === 0;
}

/**
 * Throws {@link TrainingDivergedError} when a worker found the run diverging, or when a table holds a
 * non-finite number at the end (a blow-up in the last words before a check).
 */
export function checkDiverged(fn: string, t: KernelTables, workers: number, o: ResolvedCBOWOptions, totalWords: number): void {
  let at = divergedAt(t.progress, workers);
  if (at < 0 && !(allFinite(t.Win) && allFinite(t.Wout) && allFinite(t.syn1))) {
    at = 0;
    for (let w = 0; w < workers; w++) at += t.progress[w * PROGRESS_SLOTS + WORDS];
  }
  if (at < 0) return;
  // `at` counts the words up to the end of the sentence where it was seen (1-based position).
  const perEpoch = Math.max(1, totalWords);
  const epoch = Math.min(o.epochs, Math.floor((at - 1) / perEpoch) + 1);
  throw new TrainingDivergedError(fn, epoch, o.epochs, at - (epoch - 1) * perEpoch, totalWords, o.alpha);
}

/** Packs the trained tables into a {@link CBOWResult}. */
export function result(
  corpus: EncodedCorpus, o: ResolvedCBOWOptions, t: KernelTables, stats: CBOWProgress, input: CorpusStats, threads: number,
): CBOWResult {
  const V = corpus.vocab.size;
  return {
    vocab: corpus.vocab,
    vectors: new Tensor(t.Win, [V, o.dim]),
    outputVectors: new Tensor(t.Wout, [t.Wout.length / o.dim, o.dim]),
    hsVectors: new Tensor(t.syn1, [t.syn1.length / o.dim, o.dim]),
    stats: { ...stats, effectiveWordsPerSecond: stats.seconds > 0 ? stats.effectiveWords / stats.seconds : 0 },
    corpus: input,
    threads,
  };
}

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}
