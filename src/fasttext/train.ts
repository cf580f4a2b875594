// Training fastText models: one pass counts the corpus (streamed, as word2vec's trainers read it), one
// pass encodes it (word ids per line for cbow/skip-gram; input rows and labels per line for
// supervised), then the job loop of train-loop.ts runs, here or on worker threads.
import { Tensor } from "../tensor/tensor.js";
import { Random } from "../tensor/random.js";
import { type CorpusInput, EOL, checkCorpusInput, isReopenable } from "../text/stream.js";
import { tokenBlocks } from "../text/byte-tokens.js";
import { PROGRESS_SLOTS, LOSS, WORDS, divergedAt } from "../word2vec/jobs.js";
import { type FastTextArgs, type FastTextModelName, type FastTextOptions, resolveFastTextArgs } from "./args.js";
import { EOS, FastTextDictionary, LABEL } from "./dictionary.js";
import { FastText } from "./model.js";
import { buildTree, noiseTable } from "./outputs.js";
import { CBOW, HS, type LoopParams, type LoopTables, NS, OVA, SKIPGRAM, SOFTMAX, SUPERVISED, trainThread } from "./train-loop.js";

/** fastText's longest line: a line of more in-vocabulary tokens is cut into pieces this long. */
export const MAX_LINE_SIZE = 1024;

/** What a training run reports. */
export interface FastTextTrainStats {
  /** Tokens gone through (all threads). */
  tokens: number;
  seconds: number;
  /** Tokens per second (all threads together). */
  wordsPerSecond: number;
  /** The average loss per example. */
  loss: number;
  threads: number;
}

/** Reads tokens as fastText does: whitespace-separated, case kept, each line ending in EOS. */
async function* tokensOf(input: CorpusInput): AsyncGenerator<string[]> {
  for await (const block of tokenBlocks(input, { tokenizer: "whitespace", lowercase: false })) {
    for (let i = 0; i < block.length; i++) if (block[i] === EOL) block[i] = EOS;
    yield block;
  }
}

/** Counts words and labels (first-seen order kept) and all tokens. */
export async function countTokens(input: CorpusInput): Promise<{ counts: Map<string, number>; ntokens: number }> {
  const counts = new Map<string, number>();
  let ntokens = 0;
  for await (const block of tokensOf(input)) {
    for (const w of block) counts.set(w, (counts.get(w) ?? 0) + 1);
    ntokens += block.length;
  }
  return { counts, ntokens };
}

/** An encoded corpus, ready for the job loop: jobs (ids, starts) and, for supervised, each line's rows and labels. */
export type EncodedFastTextCorpus = Pick<LoopTables, "ids" | "starts" | "rows" | "rowStarts" | "labels" | "labelStarts">;

class Grow {
  a: Int32Array;
  n = 0;
  constructor(private readonly alloc: (bytes: number) => ArrayBufferLike) {
    this.a = new Int32Array(1024);
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done(): Int32Array {
    const out = new Int32Array(this.alloc(Math.max(4, 4 * this.n)));
    out.set(this.a.subarray(0, this.n));
    return this.n === 0 ? out.subarray(0, 0) : out;
  }
}

/** Encodes the corpus for training (arrays from `alloc`, SharedArrayBuffers for threads). */
export async function encodeForTraining(input: CorpusInput, dict: FastTextDictionary, alloc: (bytes: number) => ArrayBufferLike): Promise<EncodedFastTextCorpus> {
  const empty = new Int32Array(alloc(4)).subarray(0, 0);
  const ids = new Grow(alloc);
  const starts = new Grow(alloc);
  starts.push(0);
  if (dict.args.model !== "supervised") {
    // fastText's getLine: in-vocabulary words only (labels are left out), a line ends at EOS or after MAX_LINE_SIZE tokens
    let len = 0;
    for await (const block of tokensOf(input)) {
      for (const w of block) {
        const id = dict.getId(w);
        if (id < 0 || dict.types[id] === LABEL) continue;
        ids.push(id);
        len++;
        if (len >= MAX_LINE_SIZE || w === EOS) {
          starts.push(ids.n);
          len = 0;
        }
      }
    }
    if (len > 0) starts.push(ids.n);
    return { ids: ids.done(), starts: starts.done(), rows: empty, rowStarts: empty, labels: empty, labelStarts: empty };
  }
  // supervised: a job per line, its index repeated once per token (progress counts tokens, as fastText's)
  const rows = new Grow(alloc), rowStarts = new Grow(alloc), labels = new Grow(alloc), labelStarts = new Grow(alloc);
  rowStarts.push(0);
  labelStarts.push(0);
  let line: string[] = [];
  let lines = 0;
  const r: number[] = [], l: number[] = [];
  const flush = () => {
    r.length = 0;
    l.length = 0;
    const tokens = dict.encodeSupervised(line, r, l);
    for (const x of r) rows.push(x);
    for (const x of l) labels.push(x);
    rowStarts.push(rows.n);
    labelStarts.push(labels.n);
    for (let i = 0; i < tokens; i++) ids.push(lines);
    starts.push(ids.n);
    lines++;
    line = [];
  };
  for await (const block of tokensOf(input)) {
    for (const w of block) {
      line.push(w);
      if (w === EOS) flush();
    }
  }
  if (line.length > 0) flush();
  return { ids: ids.done(), starts: starts.done(), rows: rows.done(), rowStarts: rowStarts.done(), labels: labels.done(), labelStarts: labelStarts.done() };
}

/** Everything a run needs: the model (its tables in `alloc`'s memory) and the loop's tables and parameters. */
export interface TrainingPlan {
  model: FastText;
  tables: LoopTables;
  params: Omit<LoopParams, "worker" | "workers">;
  workers: number;
}

function copyInto<T extends Int32Array | Uint32Array | Float32Array | Uint8Array>(a: T, alloc: (bytes: number) => ArrayBufferLike): T {
  const C = a.constructor as { new (b: ArrayBufferLike): T };
  const out = new C(alloc(Math.max(a.byteLength, 4)));
  (out as unknown as { set(x: ArrayLike<number>): void }).set(a);
  return out;
}

/** Checks the options and input, counts and encodes the corpus, and initialises the tables. */
export async function planTraining(
  fn: string, input: unknown, options: unknown, fixedModel: FastTextModelName | undefined, alloc: (bytes: number) => ArrayBufferLike, maxThreads: number,
): Promise<TrainingPlan> {
  const args = resolveFastTextArgs(fn, options, fixedModel);
  if (args.thread > maxThreads) throw new RangeError(`${fn}: options.thread must be 1 here (worker threads: trainFastTextThreaded from embedkit/node), got ${args.thread}`);
  if (typeof input === "string") input = [input];
  checkCorpusInput(fn, input);
  if (!isReopenable(input)) throw new TypeError(`${fn}: the corpus is read twice (count, then encode): give a string, an array of chunks or a CorpusSource, not a one-shot iterable`);
  const { counts, ntokens } = await countTokens(input);
  const dict = FastTextDictionary.fromCounts(args, counts, ntokens);
  if (dict.size === 0 || dict.nwords === 0) throw new RangeError(`${fn}: empty vocabulary: no word occurs minCount (${args.minCount}) times; try a smaller minCount`);
  if (args.model === "supervised" && dict.nlabels === 0) throw new RangeError(`${fn}: no labels: supervised lines need words starting with ${JSON.stringify(args.label)}`);
  const corpus = await encodeForTraining(input, dict, alloc);
  const H = args.dim;
  const inRows = dict.nwords + args.bucket;
  const input_ = new Float32Array(alloc(4 * inRows * H));
  // fastText's initialisation: uniform in [-1/dim, 1/dim]
  const rng = new Random(args.seed);
  const a = 1 / H;
  for (let i = 0; i < input_.length; i++) input_[i] = (rng.nextUint32() * 2.3283064365386963e-10 * 2 - 1) * a;
  const osz = args.model === "supervised" ? dict.nlabels : dict.nwords;
  const output = new Float32Array(alloc(4 * osz * H));
  const targetCounts = dict.counts.slice(args.model === "supervised" ? dict.nwords : 0, args.model === "supervised" ? dict.size : dict.nwords);
  const noise = args.loss === "ns" ? noiseTable(targetCounts) : { prob: new Uint32Array(1), alias: new Int32Array(1) };
  const tree = args.loss === "hs" ? buildTree(targetCounts) : null;
  const jobs = corpus.starts.length - 1;
  const workers = Math.max(1, Math.min(args.thread, jobs));
  const model = new FastText(args, dict, new Tensor(input_, [inRows, H]), new Tensor(output, [osz, H]));
  // the job loop keeps word w with probability keep[w] / 2^32: fastText's pdiscard (never for supervised jobs)
  const keepLength = args.model === "supervised" ? Math.max(1, jobs) : dict.size;
  const keep = new Uint32Array(alloc(4 * keepLength));
  for (let w = 0; w < keepLength; w++) keep[w] = args.model === "supervised" ? 0xffffffff : Math.min(0xffffffff, Math.floor(dict.pdiscard[w] * 2 ** 32));
  const tables: LoopTables = {
    Win: input_, Wout: output, syn1: new Float32Array(0),
    subStart: copyInto(dict.subStart, alloc), subIds: copyInto(dict.subIds, alloc),
    ...corpus,
    keep,
    prob: copyInto(noise.prob, alloc), alias: copyInto(noise.alias, alloc),
    points: copyInto(tree?.paths ?? new Int32Array(1), alloc), codes: copyInto(tree?.codes ?? new Uint8Array(1), alloc),
    codeStarts: copyInto(tree?.starts ?? new Int32Array(1), alloc),
    progress: new Float64Array(alloc(8 * PROGRESS_SLOTS * workers)),
    next: new Int32Array(alloc(4)),
    examples: new Float64Array(alloc(8 * workers)),
  };
  const params = {
    model: args.model === "cbow" ? CBOW : args.model === "skipgram" ? SKIPGRAM : SUPERVISED,
    loss: { ns: NS, hs: HS, softmax: SOFTMAX, ova: OVA }[args.loss],
    H, window: args.ws, negative: args.neg, sg: args.model === "skipgram", hs: args.loss === "hs", cbowMean: true, undividedGrad: true, computeLoss: true,
    alpha: args.lr, minAlpha: 0, epochs: args.epoch, totalWords: corpus.ids.length, osz, seed: args.seed,
  };
  return { model, tables, params, workers };
}

/** Reads the stats a finished run left in `progress`; a run that diverged is an error naming `fn`. */
export function runStats(fn: string, tables: LoopTables, workers: number, seconds: number): FastTextTrainStats {
  const at = divergedAt(tables.progress, workers);
  if (at >= 0) throw new Error(`${fn}: training diverged (a weight or the loss became NaN or infinite) after ${at} tokens; try a smaller lr`);
  let tokens = 0, loss = 0, examples = 0;
  for (let w = 0; w < workers; w++) {
    tokens += tables.progress[w * PROGRESS_SLOTS + WORDS];
    loss += tables.progress[w * PROGRESS_SLOTS + LOSS];
    examples += tables.examples[w];
  }
  return { tokens, seconds, wordsPerSecond: tokens / seconds, loss: examples > 0 ? loss / examples : 0, threads: workers };
}

/**
 * Trains a fastText model in this thread (`thread` must be 1; `trainFastTextThreaded` in embedkit/node
 * trains on worker threads). `input`: the text itself, chunks of it, or a CorpusSource (a file, with
 * `fileCorpus`); it is read twice, a block at a time. Options are fastText's (names and defaults):
 * `model` "skipgram" (default), "cbow" or "supervised", `loss`, `dim`, `ws`, `epoch`, `minCount`,
 * `minCountLabel`, `neg`, `wordNgrams`, `bucket`, `minn`, `maxn`, `lr`, `lrUpdateRate`, `t`, `label`, `seed`.
 *
 * @example
 * ```ts
 * const text = "the cat sat on the mat\nthe dog sat on the log\n".repeat(20);
 * const model = await trainFastText(text, { model: "skipgram", dim: 8, epoch: 1, minCount: 2, bucket: 1000 });
 * model.getWordVector("unseenword").length; // 8
 * ```
 */
export async function trainFastText(input: string | CorpusInput, options?: FastTextOptions): Promise<FastText & { stats: FastTextTrainStats }> {
  const fn = "trainFastText";
  const plan = await planTraining(fn, input, options, undefined, (n) => new ArrayBuffer(n), 1);
  const start = performance.now();
  trainThread(plan.tables, { ...plan.params, worker: 0, workers: 1 });
  const stats = runStats(fn, plan.tables, 1, (performance.now() - start) / 1000);
  return Object.assign(plan.model, { stats });
}
