// A whole word2vec model: what training needs to go on later (vocabulary with counts, the three
// tables, every setting, how far the learning-rate schedule got), beside the word vectors alone
// that KeyedVectors holds. src/io/model.ts writes it to bytes and reads it back.
import { Tensor } from "../tensor/tensor.js";
import { Random } from "../tensor/random.js";
import { checkInt, checkOptions, describe, showShape } from "../tensor/check.js";
import { Vocab } from "../text/vocab.js";
import { tokenize } from "../text/tokenize.js";
import { type EncodedCorpus, encodeLines } from "../text/corpus.js";
import { type CorpusInput, TOKENIZER_OPTION_NAMES, type TokenizerOptions, checkCorpusInput, resolveTokenizerOptions } from "../text/stream.js";
import { encodeAll, scanVocab } from "../text/corpus-stream.js";
import { KeyedVectors } from "../vectors/keyed-vectors.js";
import {
  type CBOWResult, type CBOWStreamOptions, type CBOWTrainOptions, STREAM_OPTION_NAMES, checkChunkArray, checkCorpus, isStreamInput, runWord2Vec,
} from "./trainer.js";
import { SETTING_NAMES, type Word2VecSettings, checkSettings, resolveSettings } from "./settings.js";

export { SETTING_NAMES, type Word2VecSettings, checkSettings } from "./settings.js";

/** How far training got. Epochs are passes over whatever text each run was given. */
export interface Word2VecState {
  /** Epochs trained in all, over every run. */
  epochsDone: number;
  /** The current schedule began after `scheduleStart` epochs and spans `scheduleEpochs`. */
  scheduleStart: number;
  scheduleEpochs: number;
  /** In-vocabulary tokens and effective words (kept by subsampling) trained on in all. */
  words: number;
  effectiveWords: number;
  /** Training runs so far (a run is one train call: the first, then each resume). */
  runs: number;
}

export const STATE_NAMES = ["epochsDone", "scheduleStart", "scheduleEpochs", "words", "effectiveWords", "runs"] as const;

/** Checks a training state; `what` names it in messages. */
export function checkState(fn: string, s: unknown, what = "state"): Word2VecState {
  if (s === null || typeof s !== "object") throw new TypeError(`${fn}: ${what} must be an object, got ${describe(s)}`);
  const o = s as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(STATE_NAMES as readonly string[]).includes(k)) throw new RangeError(`${fn}: ${what} has an unknown field ${JSON.stringify(k)}`);
  for (const k of STATE_NAMES) if (!(k in o)) throw new RangeError(`${fn}: ${what} lacks the field ${JSON.stringify(k)}`);
  const w = `${what}.`;
  const epochsDone = checkInt(fn, `${w}epochsDone`, o.epochsDone, 0);
  const scheduleStart = checkInt(fn, `${w}scheduleStart`, o.scheduleStart, 0, epochsDone);
  return {
    epochsDone,
    scheduleStart,
    scheduleEpochs: checkInt(fn, `${w}scheduleEpochs`, o.scheduleEpochs, Math.max(1, epochsDone - scheduleStart)),
    words: checkInt(fn, `${w}words`, o.words, 0),
    effectiveWords: checkInt(fn, `${w}effectiveWords`, o.effectiveWords, 0),
    runs: checkInt(fn, `${w}runs`, o.runs, 0),
  };
}

/**
 * A trained word2vec model that can be saved ({@link encodeModel}, `saveModel` in embedding-kit/node),
 * loaded and trained further ({@link resumeWord2Vec}): the vocabulary with its counts, the input
 * vectors (`syn0`, the word vectors), the negative-sampling output table (`syn1neg`, `[V, H]`, or
 * `[0, H]` without negative sampling), the hierarchical-softmax table (`syn1`, `[V - 1, H]`, or
 * `[0, H]` without it), every setting, and how far training got.
 *
 * @example
 * ```ts
 * const corpus = encodeCorpus(generateDemoCorpus({ sentences: 100, seed: 1 }), { minCount: 1 });
 * const model = trainWord2Vec(corpus, { sg: true, dim: 8, epochs: 2 });
 * model.state.epochsDone;          // 2
 * model.wv.vectors.shape[1];       // 8
 * ```
 */
export class Word2VecModel {
  readonly vocab: Vocab;
  readonly settings: Readonly<Word2VecSettings>;
  readonly syn0: Tensor;
  readonly syn1neg: Tensor;
  readonly syn1: Tensor;
  readonly state: Readonly<Word2VecState>;

  constructor(vocab: Vocab, settings: Word2VecSettings, syn0: Tensor, syn1neg: Tensor, syn1: Tensor, state: Word2VecState) {
    const fn = "Word2VecModel";
    if (!(vocab instanceof Vocab)) throw new TypeError(`${fn}: vocab must be a Vocab, got ${describe(vocab)}`);
    const s = checkSettings(fn, settings);
    const st = checkState(fn, state);
    const V = vocab.size, H = s.dim;
    if (V < 2) throw new RangeError(`${fn}: the vocabulary has ${V} word(s); a model needs at least 2`);
    const want: [string, Tensor, number][] = [["syn0", syn0, V], ["syn1neg", syn1neg, s.negative > 0 ? V : 0], ["syn1", syn1, s.hs ? V - 1 : 0]];
    for (const [name, t, rows] of want) {
      if (!(t instanceof Tensor)) throw new TypeError(`${fn}: ${name} must be a Tensor, got ${describe(t)}`);
      if (t.ndim !== 2 || t.shape[0] !== rows || t.shape[1] !== H) throw new RangeError(`${fn}: ${name} must have shape [${rows}, ${H}], got ${showShape(t.shape)}`);
    }
    this.vocab = vocab;
    this.settings = Object.freeze(s);
    this.syn0 = syn0;
    this.syn1neg = syn1neg;
    this.syn1 = syn1;
    this.state = Object.freeze(st);
  }

  /** The word vectors (syn0 with the vocabulary's words). */
  get wv(): KeyedVectors {
    return new KeyedVectors(this.vocab.words, this.syn0);
  }

  /** The learning rate where training stopped (minAlpha once the schedule is over). */
  get alphaNow(): number {
    return alphaAt(this.settings, this.state, this.state.epochsDone);
  }

  /** "skip-gram + negative sampling", "CBOW (sum) + hierarchical softmax", ...: what it trains. */
  get description(): string {
    return describeModel(this.settings);
  }
}

/** The learning rate after `epoch` epochs of the model's current schedule. */
function alphaAt(s: Word2VecSettings, st: Word2VecState, epoch: number): number {
  const f = Math.min(1, Math.max(0, (epoch - st.scheduleStart) / st.scheduleEpochs));
  if (f === 1) return s.minAlpha;
  return Math.max(s.minAlpha, s.alpha - (s.alpha - s.minAlpha) * f);
}

/** Names the architecture and the output layer(s) of settings, as the progress bar shows them. */
export function describeModel(s: Pick<Word2VecSettings, "sg" | "hs" | "negative" | "cbowMean">): string {
  const arch = s.sg ? "skip-gram" : s.cbowMean ? "CBOW" : "CBOW (sum)";
  const out = [s.hs ? "hierarchical softmax" : "", s.negative > 0 ? `negative sampling (${s.negative})` : ""].filter((x) => x !== "").join(" + ");
  return `${arch} + ${out}`;
}

/** A short name for a progress bar: "CBOW NS", "skip-gram HS", "CBOW-sum HS+NS". */
export function shortName(s: Pick<Word2VecSettings, "sg" | "hs" | "negative" | "cbowMean">): string {
  const arch = s.sg ? "skip-gram" : s.cbowMean ? "CBOW" : "CBOW-sum";
  return `${arch} ${[s.hs ? "HS" : "", s.negative > 0 ? "NS" : ""].filter((x) => x !== "").join("+")}`;
}

/** Options of {@link trainWord2Vec}: the trainer's, plus minCount (recorded) and stopAfter. */
export interface Word2VecTrainOptions extends Omit<CBOWTrainOptions, "onProgress"> {
  /** Recorded in the model; the corpus must have been encoded with it (default 5, or the corpus's smallest count). */
  minCount?: number;
  /**
   * Stop after this many of the `epochs` (default: all of them): the learning rate stands where
   * the schedule of `epochs` puts it, and {@link resumeWord2Vec} continues from there.
   */
  stopAfter?: number;
  onProgress?: CBOWTrainOptions["onProgress"];
}

/** What a run does: the trainer's options for it, and the model's state after it. */
export interface RunPlan {
  /** Epochs, alpha and minAlpha of this run (the learning rate decays from alpha to minAlpha over it). */
  epochs: number;
  alpha: number;
  minAlpha: number;
  /** The state once the run is done (words counted in by finishRun). */
  after: Word2VecState;
}

/** The plan of a first run: `epochs` in the schedule, stopping after `stopAfter` of them. */
export function planFirstRun(fn: string, s: Word2VecSettings, epochs: number, stopAfter: number | undefined): RunPlan {
  checkInt(fn, "epochs", epochs, 1, 100000);
  const stop = stopAfter === undefined ? epochs : checkInt(fn, "stopAfter", stopAfter, 1, epochs);
  const after: Word2VecState = { epochsDone: stop, scheduleStart: 0, scheduleEpochs: epochs, words: 0, effectiveWords: 0, runs: 1 };
  return { epochs: stop, alpha: s.alpha, minAlpha: alphaAt(s, after, stop), after };
}

/**
 * The plan of a resumed run of `epochs` more. The learning rate continues the schedule from where it
 * stopped: to the point `epochs` further on, or to minAlpha when the schedule ends sooner (then the
 * schedule is stretched to end with this run). When the schedule was already over, a new one starts
 * from alpha over these epochs (as gensim's train() does every time).
 */
export function planResume(fn: string, m: Word2VecModel, epochs: number): RunPlan {
  checkInt(fn, "epochs", epochs, 1, 100000);
  const s = m.settings, st = m.state;
  const end = st.epochsDone + epochs;
  const base = { words: st.words, effectiveWords: st.effectiveWords, runs: st.runs + 1, epochsDone: end };
  if (st.epochsDone >= st.scheduleStart + st.scheduleEpochs) {
    return { epochs, alpha: s.alpha, minAlpha: s.minAlpha, after: { ...base, scheduleStart: st.epochsDone, scheduleEpochs: epochs } };
  }
  const a0 = alphaAt(s, st, st.epochsDone);
  if (end <= st.scheduleStart + st.scheduleEpochs) {
    return { epochs, alpha: a0, minAlpha: alphaAt(s, st, end), after: { ...base, scheduleStart: st.scheduleStart, scheduleEpochs: st.scheduleEpochs } };
  }
  return { epochs, alpha: a0, minAlpha: s.minAlpha, after: { ...base, scheduleStart: st.scheduleStart, scheduleEpochs: end - st.scheduleStart } };
}

/** The model after a run: its tables, the plan's state with the run's word counts added. */
export function finishRun(vocab: Vocab, s: Word2VecSettings, plan: RunPlan, r: CBOWResult): Word2VecModel {
  const H = s.dim;
  const copy = (t: Tensor) => new Tensor(t.data.slice(), [t.data.length / H, H]);
  const after = { ...plan.after, words: plan.after.words + r.stats.words, effectiveWords: plan.after.effectiveWords + r.stats.effectiveWords };
  // Threaded runs leave their tables in shared memory; a model owns ordinary arrays.
  const own = (t: Tensor) => (t.data.buffer instanceof ArrayBuffer ? t : copy(t));
  return new Word2VecModel(vocab, s, own(r.vectors), own(r.outputVectors), own(r.hsVectors), after);
}

/**
 * The settings of a first run from trainer options: the settings table's checks and defaults, own
 * properties only; minCount defaults to 5, or to the corpus's smallest count when that is lower.
 */
export function settingsOf(fn: string, o: Word2VecTrainOptions, corpus: EncodedCorpus): Word2VecSettings {
  const own: Record<string, unknown> = { ...o };
  if (own.minCount === undefined) {
    let smallest = Infinity;
    for (const c of corpus.vocab.counts) smallest = Math.min(smallest, c);
    own.minCount = Math.max(1, Math.min(5, Math.floor(smallest)));
  }
  return resolveSettings(fn, own, SETTING_NAMES) as unknown as Word2VecSettings;
}

/** Trainer options for a run of the model's settings under `plan`, starting from `initial` tables. */
export function runOptions(s: Word2VecSettings, plan: RunPlan, initial?: Word2VecModel): CBOWTrainOptions {
  const { minCount: _m, ...train } = s;
  return { ...train, epochs: plan.epochs, alpha: plan.alpha, minAlpha: plan.minAlpha, ...(initial ? { initial: { syn0: initial.syn0.data, syn1neg: initial.syn1neg.data, syn1: initial.syn1.data } } : {}) };
}

/** Options of {@link trainWord2Vec} on a stream: the model's, and how the stream is read (see CBOWStreamOptions). */
export interface Word2VecStreamOptions extends Word2VecTrainOptions, Omit<CBOWStreamOptions, keyof CBOWTrainOptions | "minCount"> {}

/**
 * Trains a new word2vec model in this thread and returns the whole model, ready to save and resume:
 * the entry point for every model (`sg`, `hs`, `negative` and `cbowMean` choose it; the settings,
 * their defaults and ranges are {@link SETTINGS}). The corpus is an EncodedCorpus (then training
 * is synchronous) or a stream: a CorpusSource (`fileCorpus(path)` from embedkit/node), an array of
 * text or byte chunks, or an (async) iterable of them (then it returns a Promise, and the stream
 * options of trainCBOW apply: tokenizer, vocabulary, memory budget). For several threads see
 * `trainCBOWThreaded` in embedkit/node. A run that diverges throws {@link TrainingDivergedError}.
 *
 * @example
 * ```ts
 * const corpus = encodeCorpus(generateDemoCorpus({ sentences: 100, seed: 1 }), { minCount: 1 });
 * const model = trainWord2Vec(corpus, { hs: true, negative: 0, dim: 8, epochs: 4, stopAfter: 2 });
 * model.description;          // "CBOW + hierarchical softmax"
 * model.alphaNow;             // 0.01255: half-way down the schedule of 4 epochs
 * const streamed = await trainWord2Vec([generateDemoCorpus({ sentences: 100, seed: 1 })], { minCount: 1, dim: 8, epochs: 1 });
 * streamed.vocab.size === corpus.vocab.size; // true
 * ```
 */
export function trainWord2Vec(corpus: EncodedCorpus, options?: Word2VecTrainOptions): Word2VecModel;
export function trainWord2Vec(corpus: CorpusInput, options?: Word2VecStreamOptions): Promise<Word2VecModel>;
export function trainWord2Vec(corpus: EncodedCorpus | CorpusInput, options: Word2VecStreamOptions = {}): Word2VecModel | Promise<Word2VecModel> {
  const fn = "trainWord2Vec";
  const modelKeys = [...SETTING_NAMES, "epochs", "stopAfter", "computeLoss", "onProgress"];
  if (isStreamInput(corpus)) {
    if (Array.isArray(corpus)) checkChunkArray(fn, corpus);
    return (async () => {
      const o = { ...checkOptions(fn, options, [...modelKeys, ...STREAM_OPTION_NAMES]) } as Record<string, unknown>;
      const s = resolveSettings(fn, o, SETTING_NAMES) as unknown as Word2VecSettings;
      const plan = planFirstRun(fn, s, (o.epochs as number | undefined) ?? 5, o.stopAfter as number | undefined);
      const stream: Record<string, unknown> = {};
      for (const k of STREAM_OPTION_NAMES) if (o[k] !== undefined) stream[k] = o[k];
      const r = await runWord2Vec(fn, corpus, {
        ...stream, ...runOptions(s, plan), minCount: s.minCount, computeLoss: o.computeLoss as boolean | undefined, onProgress: o.onProgress as CBOWTrainOptions["onProgress"],
      });
      return finishRun(r.vocab, s, plan, r);
    })();
  }
  checkCorpus(fn, corpus);
  const o = checkOptions(fn, options, modelKeys) as Word2VecTrainOptions;
  const s = settingsOf(fn, o, corpus);
  const plan = planFirstRun(fn, s, o.epochs ?? 5, o.stopAfter);
  const r = runWord2Vec(fn, corpus, { ...runOptions(s, plan), computeLoss: o.computeLoss, onProgress: o.onProgress });
  return finishRun(corpus.vocab, s, plan, r);
}

/**
 * The model's vocabulary grown by a text (one document per line), as gensim's
 * `build_vocab(update=True)`: words of the text seen at least minCount times in it either add that
 * count to their own (words already known) or join the vocabulary after the known words, most
 * frequent first. The text is then encoded against the grown vocabulary. Also returns the tables
 * grown to match: new words' input vectors drawn as a new model's are (seeded by the model's seed and
 * its run count), their syn1neg rows zero, and syn1 grown by zero rows (the Huffman tree is rebuilt
 * from the new counts when training starts).
 */
export function growVocab(fn: string, m: Word2VecModel, text: string): { corpus: EncodedCorpus; model: Word2VecModel; added: number } {
  if (typeof text !== "string") throw new TypeError(`${fn}: text must be a string, got ${describe(text)}`);
  const s = m.settings;
  const counts = new Map<string, number>();
  const lines: string[][] = [];
  let rawTokens = 0;
  for (const line of text.split("\n")) {
    const tokens = tokenize(line);
    rawTokens += tokens.length;
    if (tokens.length === 0) continue;
    lines.push(tokens);
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const newCounts = Array.from(m.vocab.counts);
  const added: [string, number][] = [];
  for (const [w, c] of counts) {
    if (c < s.minCount) continue;
    const id = m.vocab.idOf(w);
    if (id >= 0) newCounts[id] += c;
    else added.push([w, c]);
  }
  added.sort((a, b) => b[1] - a[1]);
  const { vocab, grown } = growTables(m, newCounts, added);
  const corpus = encodeLines(lines, vocab, 10000, rawTokens);
  return { corpus, model: grown, added: added.length };
}

/** The model with its vocabulary grown by `added` words (after the known ones) and the known words' counts set to `counts`. */
function growTables(m: Word2VecModel, counts: number[], added: [string, number][]): { vocab: Vocab; grown: Word2VecModel } {
  const s = m.settings, H = s.dim;
  const V = m.vocab.size;
  const vocab = new Vocab([...m.vocab.words, ...added.map((a) => a[0])], [...counts, ...added.map((a) => a[1])]);
  const V2 = vocab.size;
  const syn0 = new Float32Array(V2 * H);
  syn0.set(m.syn0.data);
  const rng = new Random(s.seed + 104729 * m.state.runs);
  for (let i = V * H; i < V2 * H; i++) syn0[i] = (rng.nextUint32() * 4.656612873077393e-10 - 1) / H;
  const syn1neg = new Float32Array(s.negative > 0 ? V2 * H : 0);
  syn1neg.set(m.syn1neg.data);
  const syn1 = new Float32Array(s.hs ? (V2 - 1) * H : 0);
  syn1.set(m.syn1.data);
  const grown = new Word2VecModel(vocab, s, new Tensor(syn0, [V2, H]), new Tensor(syn1neg, [syn1neg.length / H, H]), new Tensor(syn1, [syn1.length / H, H]), m.state);
  return { vocab, grown };
}

/** Options of {@link growVocabFrom}: how the text is read (as `embedkit train` and trainWord2Vec on a stream read it). */
export interface GrowOptions extends TokenizerOptions {
  /** Sentences are cut into pieces of at most this many in-vocabulary tokens (default 10000). */
  maxSentenceLength?: number;
}

/**
 * {@link growVocab} on a stream (a file, chunks of text or bytes), read by the training corpus
 * encoder itself (scanVocab, then encodeAll): the tokenizer options work as in training.
 */
export async function growVocabFrom(
  fn: string, m: Word2VecModel, input: CorpusInput, options: GrowOptions = {},
): Promise<{ corpus: EncodedCorpus; model: Word2VecModel; added: number }> {
  checkCorpusInput(fn, input);
  const o = checkOptions(fn, options, [...TOKENIZER_OPTION_NAMES, "maxSentenceLength"]) as GrowOptions;
  const tok = resolveTokenizerOptions(fn, o);
  const maxSentenceLength = o.maxSentenceLength === undefined ? 10000 : checkInt(fn, "maxSentenceLength", o.maxSentenceLength, 1);
  const scan = await scanVocab(input, { minCount: m.settings.minCount, maxSentenceLength, ...tok });
  const counts = Array.from(m.vocab.counts);
  const added: [string, number][] = [];
  scan.vocab.words.forEach((w, i) => {
    const id = m.vocab.idOf(w);
    if (id >= 0) counts[id] += scan.vocab.counts[i];
    else added.push([w, scan.vocab.counts[i]]);
  });
  const { vocab, grown } = growTables(m, counts, added);
  const corpus = await encodeAll(input, vocab, { maxSentenceLength, ...tok, expectedIds: vocab.totalCount });
  return { corpus, model: grown, added: added.length };
}

/** Options of {@link resumeWord2Vec}. */
export interface ResumeOptions {
  /** Epochs to train (default: what is left of the schedule, or the last schedule's length). */
  epochs?: number;
  computeLoss?: boolean;
  onProgress?: CBOWTrainOptions["onProgress"];
}

/**
 * Trains a model further, in this thread, on a text (one document per line: the same text or new
 * text; new words join the vocabulary as in {@link growVocab}), the learning rate continuing the
 * model's schedule (see {@link planResume}). Returns the new model; `model` is left as it was.
 *
 * @example
 * ```ts
 * const text = generateDemoCorpus({ sentences: 100, seed: 1 });
 * const half = trainWord2Vec(encodeCorpus(text, { minCount: 1 }), { sg: true, dim: 8, epochs: 4, stopAfter: 2, minCount: 1 });
 * const done = resumeWord2Vec(half, text + "\nzebra zebra zebra\n", { epochs: 2 });
 * done.state.epochsDone;            // 4
 * done.alphaNow;                    // 0.0001
 * // a new word, seen 3 times (minCount 1), joins the vocabulary
 * done.vocab.has("zebra");          // true
 * ```
 */
export function resumeWord2Vec(model: Word2VecModel, text: string, options: ResumeOptions = {}): Word2VecModel {
  const fn = "resumeWord2Vec";
  if (!(model instanceof Word2VecModel)) throw new TypeError(`${fn}: model must be a Word2VecModel, got ${describe(model)}`);
  const o = checkOptions(fn, options, ["epochs", "computeLoss", "onProgress"]) as ResumeOptions;
  const plan = planResume(fn, model, o.epochs === undefined ? defaultResumeEpochs(model) : o.epochs);
  const { corpus, model: grown } = growVocab(fn, model, text);
  if (corpus.ids.length === 0) throw new RangeError(`${fn}: the text has no word of the vocabulary to train on`);
  const r = runWord2Vec(fn, corpus, { ...runOptions(grown.settings, plan, grown), computeLoss: o.computeLoss, onProgress: o.onProgress });
  return finishRun(corpus.vocab, grown.settings, plan, r);
}

/** What is left of the schedule, or the length of the last one when it is over. */
export function defaultResumeEpochs(m: Word2VecModel): number {
  const left = m.state.scheduleStart + m.state.scheduleEpochs - m.state.epochsDone;
  return left > 0 ? left : m.state.scheduleEpochs;
}
