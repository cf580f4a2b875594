// `embedkit train`: word vectors from a corpus file (or standard input) of any size.
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { KeyedVectors } from "../vectors/keyed-vectors.js";
import { saveWord2Vec, writeFileAtomic } from "../node/files.js";
import type { CBOWProgress } from "../word2vec/trainer.js";
import { coreCount, trainCBOWThreaded } from "../node/cbow-threads.js";
import { fileCorpus } from "../node/file-corpus.js";
import type { ScanProgress } from "../text/corpus-stream.js";
import { finalVocab } from "../text/corpus-stream.js";
import type { CorpusSource } from "../text/stream.js";
import { formatVocab, parseVocab } from "../text/vocab-file.js";
import { UsageError, choiceFlag, intFlag, numFlag, parse, rewriteAliases, zeroOne } from "./args.js";
import { checkPaths, type NamedPath } from "./paths.js";
import { Bar, human, progressLine } from "./progress.js";
import {
  defaultResumeEpochs, describeModel, finishRun, growVocabFrom, planFirstRun, planResume, runOptions, shortName,
} from "../word2vec/model.js";
import { SETTINGS, SETTING_NAMES, type Word2VecSettings, defaultOf, maxOf, settingSpec, settingsHelp } from "../word2vec/settings.js";
import { TrainingDivergedError } from "../word2vec/trainer.js";
import { loadModel, saveModel } from "../node/model-files.js";

/** Where the CLI writes; the real process's streams by default, strings in tests. */
export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether stderr is a terminal (the progress bar is drawn only then). */
  isTTY: boolean;
  /** The terminal's width in columns, when known (the progress bar fits in it). */
  columns?: number;
  /** Standard input, for `--input -` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
}

/** @internal */
export const TRAIN_USAGE: string = `Usage: embedkit train --input FILE --output FILE [options]

Trains word2vec on FILE (one document per line; "-" reads standard input) and writes the word
vectors in word2vec format: CBOW or skip-gram, with negative sampling and/or hierarchical softmax.
Defaults and model flags are gensim's.
       embedkit train --resume MODEL --input FILE --output FILE [--epochs N] [--save-model FILE]
Trains a saved model further on FILE (the same text or new: new words join the vocabulary), the
learning rate continuing its schedule (a new schedule from --alpha's value when it was over).

  --input FILE              the corpus; "-" copies standard input to a temporary file first
                            (the vocabulary pass and every epoch read it again), removed at the end
  --output FILE             the vectors (text word2vec format; binary with --binary)
  --binary                  binary word2vec format
${settingsHelp().join("\n")}
  --stop-after N            stop after N of the --epochs, the learning rate where that schedule
                            puts it (to --resume later)
  --save-model FILE         also write the whole model (vocabulary, counts, every table and
                            setting, how far training got) to train further with --resume
  --resume FILE             train the model in FILE further (it keeps its own settings; the text
                            is read as for a new model, the tokenizer flags apply, and held in memory)
  --threads N               worker threads (1: reproducible bit for bit)
  --max-vocab-size N        prune the count table whenever it holds more than N words (no limit)
  --max-final-vocab N       keep at most N words, raising --min-count as gensim does (no limit)
  --max-sentence-length N   cut longer lines into pieces of N in-vocabulary tokens (10000)
  --memory MB               corpora of at most MB MiB of ids (4 bytes a token) are encoded once
                            and trained from memory; larger ones are read from the file again
                            each epoch, a chunk at a time (256; 0: always stream)
  --encoding utf8|latin1    how the file is decoded (utf8: an invalid byte is an error)
  --tokenizer words|whitespace
                            words: runs of letters, digits and marks; whitespace: anything
                            between spaces, so "new_york" or "don't" stay one token (words)
  --no-lowercase            keep the case of the text
  --save-vocab FILE         write the vocabulary, "word count" per line (word2vec.c's format)
  --read-vocab FILE         use this vocabulary (word2vec.c's format) instead of counting one
  --quiet                   no progress bar and no summary

word2vec.c's spellings are accepted too: -train (or -input) -output -size -window -negative -cbow 0|1
-hs 0|1 -threads -iter -min-count -sample -alpha -binary 0|1 -save-vocab -read-vocab.`;

/** The flags of `embedkit train`, as parseArgs reads them. */
const FLAGS = {
  input: { type: "string" },
  output: { type: "string" },
  binary: { type: "boolean" },
  // the settings' flags (src/word2vec/settings.ts), spelled out for parseArgs' types
  dim: { type: "string" },
  window: { type: "string" },
  negative: { type: "string" },
  "min-count": { type: "string" },
  sample: { type: "string" },
  epochs: { type: "string" },
  alpha: { type: "string" },
  "min-alpha": { type: "string" },
  seed: { type: "string" },
  sg: { type: "string" },
  hs: { type: "string" },
  "cbow-mean": { type: "string" },
  threads: { type: "string" },
  "stop-after": { type: "string" },
  "save-model": { type: "string" },
  resume: { type: "string" },
  "max-vocab-size": { type: "string" },
  "max-final-vocab": { type: "string" },
  "max-sentence-length": { type: "string" },
  memory: { type: "string" },
  encoding: { type: "string" },
  tokenizer: { type: "string" },
  "no-lowercase": { type: "boolean" },
  "save-vocab": { type: "string" },
  "read-vocab": { type: "string" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * word2vec.c's single-dash flags and what they become. Flags that take 0|1 there map to embedkit's
 * boolean or 0|1 flags; `-cbow 0` is skip-gram, i.e. `--sg 1`.
 */
const W2V_ALIASES: Record<string, string | ((v: string | undefined) => string[])> = {
  input: (v) => ["--input", v ?? ""],
  train: (v) => ["--input", v ?? ""], // word2vec.c's name for the input
  output: (v) => ["--output", v ?? ""],
  // the numeric settings under word2vec.c's names (-size, -iter, …), from the settings table
  ...Object.fromEntries(
    SETTINGS.filter((x) => x.w2vc !== undefined && x.flag !== null && x.kind !== "boolean").map((x) => [x.w2vc!, (v: string | undefined) => [`--${x.flag}`, v ?? ""]]),
  ),
  threads: (v) => ["--threads", v ?? ""],
  "save-vocab": (v) => ["--save-vocab", v ?? ""],
  "read-vocab": (v) => ["--read-vocab", v ?? ""],
  cbow: (v) => [`--sg=${1 - zeroOne("train", "-cbow", v)}`],
  hs: (v) => [`--hs=${zeroOne("train", "-hs", v)}`],
  binary: (v) => (zeroOne("train", "-binary", v) === 1 ? ["--binary"] : []),
};

/** Runs `embedkit train`; returns the exit code (errors are thrown to main). @internal */
export async function train(args: string[], io: CliIO): Promise<number> {
  const c = "train";
  const { values: v, positionals } = parse(c, rewriteAliases(c, args, W2V_ALIASES), FLAGS);
  if (v.help) {
    io.out(`${TRAIN_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`embedkit train: unexpected argument ${JSON.stringify(positionals[0])}`);
  if (v.input === undefined || v.input === "") throw new UsageError("embedkit train: --input FILE is required");
  if (v.output === undefined || v.output === "") throw new UsageError("embedkit train: --output FILE is required");
  if (v.resume !== undefined) return resume(v as ResumeFlags, io);
  // Model choice: the flags word2vec.c and gensim users give.
  const all = settingFlags(c, v as Record<string, unknown>);
  const settings = Object.fromEntries(SETTING_NAMES.map((k) => [k, all[k]])) as unknown as Word2VecSettings;
  const minCount = settings.minCount;
  if (settings.negative === 0 && !settings.hs) throw new UsageError("embedkit train: --negative 0 needs --hs 1 (otherwise nothing is trained)");
  const epochs = all.epochs as number;
  const plan = planFirstRun("embedkit train", settings, epochs, v["stop-after"] === undefined ? undefined : intFlag(c, "stop-after", v["stop-after"], epochs, 1, epochs));
  const options = { ...runOptions(settings, plan), threads: intFlag(c, "threads", v.threads, 1, 1, 256) };
  const maxVocabSize = v["max-vocab-size"] === undefined ? undefined : intFlag(c, "max-vocab-size", v["max-vocab-size"], 0, 1);
  const maxFinalVocab = v["max-final-vocab"] === undefined ? undefined : intFlag(c, "max-final-vocab", v["max-final-vocab"], 0, 1);
  const maxSentenceLength = intFlag(c, "max-sentence-length", v["max-sentence-length"], 10000, 1);
  const memoryMiB = numFlag(c, "memory", v.memory, 256, 0, 2 ** 40);
  const encoding = choiceFlag(c, "encoding", v.encoding, "utf8", ["utf8", "latin1"] as const);
  const tokenizer = choiceFlag(c, "tokenizer", v.tokenizer, "words", ["words", "whitespace"] as const);
  const quiet = v.quiet === true;
  const fromStdin = v.input === "-";

  // Before anything is read or trained: the outputs can be written and none of them is an input.
  const inputs: NamedPath[] = fromStdin ? [] : [{ flag: "--input", path: v.input }];
  if (v["read-vocab"] !== undefined) inputs.push({ flag: "--read-vocab", path: v["read-vocab"] });
  const outputs: NamedPath[] = [{ flag: "--output", path: v.output }];
  if (v["save-vocab"] !== undefined) outputs.push({ flag: "--save-vocab", path: v["save-vocab"] });
  if (v["save-model"] !== undefined) outputs.push({ flag: "--save-model", path: v["save-model"] });
  checkPaths(c, inputs, outputs);

  const cores = coreCount();
  if (options.threads > cores && !quiet) {
    io.err(`embedkit train: warning: --threads ${options.threads} is more than the ${cores} core(s) here; the extra threads only take turns\n`);
  }
  const vocab = v["read-vocab"] === undefined ? undefined : readVocab(v["read-vocab"], minCount, maxFinalVocab);

  const start = performance.now();
  const bar = io.isTTY && !quiet ? new Bar(io.err, io.columns) : null;
  const label = shortName(settings);
  let spoolDir: string | null = null;
  try {
    let source: CorpusSource;
    let bytesRead = 0;
    if (fromStdin) {
      spoolDir = mkdtempSync(join(tmpdir(), "embedkit-stdin-"));
      const spool = join(spoolDir, "stdin.txt");
      bar?.draw(() => "reading standard input");
      await spoolStdin(io.stdin ?? process.stdin, spool, spoolDir);
      source = fileCorpus(spool, { name: "standard input" });
    } else {
      source = fileCorpus(v.input);
    }
    const counted: CorpusSource = {
      name: source.name,
      async *open() {
        for await (const chunk of source.open()) {
          bytesRead += (chunk as Uint8Array).length;
          yield chunk;
        }
      },
    };
    const result = await trainCBOWThreaded(counted, {
      ...options,
      minCount,
      maxSentenceLength,
      corpusMemory: Math.floor(memoryMiB * 2 ** 20),
      encoding,
      tokenizer,
      lowercase: v["no-lowercase"] !== true,
      ...(maxVocabSize === undefined ? {} : { maxVocabSize }),
      ...(maxFinalVocab === undefined ? {} : { maxFinalVocab }),
      ...(vocab === undefined ? {} : { vocab }),
      onScan: bar === null ? undefined : (p: ScanProgress) => bar.draw(() => `counting words: ${human(p.tokens)} tokens, ${human(p.words)} distinct, ${mib(bytesRead)} read`),
      onProgress: bar === null ? undefined : (p: CBOWProgress) => bar.draw((cols) => labelled(label, p, io.columns === undefined ? undefined : cols), p.words >= p.totalWords),
    }).catch((e: Error) => {
      throw inCliWords(e, source.name, minCount);
    });
    bar?.done();
    const { stats } = result;
    if (v["save-vocab"] !== undefined) write(v["save-vocab"], () => writeFileAtomic(v["save-vocab"]!, formatVocab(result.vocab)));
    write(v.output, () => saveWord2Vec(v.output!, new KeyedVectors(result.vocab.words, result.vectors), { binary: v.binary === true }));
    const model = v["save-model"] === undefined ? null : finishRun(result.vocab, settings, plan, result);
    if (model !== null) write(v["save-model"]!, () => saveModel(v["save-model"]!, model));
    const total = (performance.now() - start) / 1000;
    if (!quiet) {
      const threads = result.threads === options.threads ? `${result.threads} thread(s)` : `${result.threads} thread(s) (of ${options.threads} asked: no more jobs)`;
      io.err(
        `embedkit train: ${describeModel(settings)}, ${result.vocab.size} words × ${options.dim} dims from ${result.corpus.rawTokens} tokens (${result.corpus.tokens} in vocabulary, ` +
          `${result.corpus.streamed ? "streamed from the file each epoch" : "held in memory"}), ` +
          `${options.epochs} epochs, ${threads}: ${stats.effectiveWords} effective words in ${stats.seconds.toFixed(2)} s ` +
          `(${human(stats.effectiveWordsPerSecond)} words/s), loss ${stats.loss.toFixed(4)}, ${total.toFixed(2)} s in all; wrote ${v.output}` +
          `${v["save-vocab"] === undefined ? "" : ` and ${v["save-vocab"]}`}${savedModel(v["save-model"], model)}\n`,
      );
    }
    return 0;
  } finally {
    bar?.done();
    if (spoolDir !== null) rmSync(spoolDir, { recursive: true, force: true });
  }
}

/**
 * The settings' flags, read and checked against the settings table (src/word2vec/settings.ts): the
 * same ranges and defaults as the library, in the command line's words. Settings without a flag
 * get their default.
 */
function settingFlags(c: string, v: Record<string, unknown>): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const s of SETTINGS) {
    const raw = s.flag === null ? undefined : (v[s.flag] as string | undefined);
    if (raw === undefined) out[s.name] = defaultOf(s, out);
    else if (s.kind === "boolean") out[s.name] = zeroOne(c, `--${s.flag}`, raw) === 1;
    else if (s.kind === "int") out[s.name] = intFlag(c, s.flag!, raw, 0, s.min, maxOf(s, out));
    else out[s.name] = numFlag(c, s.flag!, raw, 0, s.min, maxOf(s, out), s.minOpen === true);
  }
  return out;
}

/**
 * A trainer's error in the command line's words: the facts the error carries (the option to change,
 * named by the settings table's flag), its message otherwise. Keeps `code`.
 */
function inCliWords(e: Error, source: string, minCount: number): Error {
  const facts = e as Error & { option?: string; vocabSize?: number; code?: string };
  let message: string;
  if (e instanceof TrainingDivergedError) {
    message = `training diverged in epoch ${e.epoch}, near word ${e.word} of it: the loss or a weight is no longer finite (NaN or Infinity); ` +
      `nothing was written. Try a smaller --alpha than ${e.alpha} (the default is ${settingSpec("alpha").default})`;
  } else if (facts.option === "minCount" && facts.vocabSize !== undefined) {
    message = `${source} has ${facts.vocabSize} word(s) seen at least ${minCount} times; need at least 2 (lower --${settingSpec("minCount").flag}?)`;
  } else {
    const fn = "trainCBOWThreaded: ";
    message = e.message.startsWith(fn) ? e.message.slice(fn.length) : e.message;
    if (facts.option === "encoding") message = message.replace('encoding "latin1"', "--encoding latin1");
  }
  return Object.assign(new Error(message, { cause: e }), { code: facts.code });
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;
}

/** Runs a write of `path`; an error names `path` (the user's file, not a temporary one) and keeps its code. @internal */
export function write(path: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const out = new Error(`cannot write ${path}: ${err.code === "ENOSPC" ? "no space left on the device (ENOSPC)" : err.message}`, { cause: e });
    if (err.code !== undefined) (out as NodeJS.ErrnoException).code = err.code;
    throw out;
  }
}

/** Copies standard input to `path`; an error says it was standard input and where the copy went. */
async function spoolStdin(stdin: NodeJS.ReadableStream, path: string, dir: string): Promise<void> {
  try {
    await pipeline(stdin, createWriteStream(path, { mode: 0o600 }));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === "ENOSPC" ? "no space left on the device (ENOSPC)" : err.message;
    throw new Error(`cannot copy standard input to a temporary file in ${dir} (set TMPDIR to use another directory): ${why}`, { cause: e });
  }
}

/** A --read-vocab file, with --min-count and --max-final-vocab applied to its counts. */
function readVocab(path: string, minCount: number, maxFinalVocab: number | undefined) {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path));
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  const { vocab } = finalVocab(parseVocab(text, path), minCount, maxFinalVocab ?? Infinity);
  if (vocab.size < 2) throw new Error(`${path} has ${vocab.size} word(s) with a count of at least ${minCount}; need at least 2`);
  return vocab;
}

/** The progress line with the model's short name in front ("skip-gram NS  epoch 2/5 ██…"). */
function labelled(label: string, p: CBOWProgress, columns: number | undefined): string {
  return `${label}  ${progressLine(p, columns === undefined ? 24 : { columns: Math.max(20, columns - label.length - 2) })}`;
}

/** ", and the model to FILE (epoch 10, alpha 0.0126)" for the summary line. */
function savedModel(path: string | undefined, model: ReturnType<typeof finishRun> | null): string {
  return path === undefined || model === null ? "" : `, and the model to ${path} (epoch ${model.state.epochsDone}, alpha ${model.alphaNow.toPrecision(3)})`;
}

type Flags = ReturnType<typeof parse<typeof FLAGS>>["values"];
type ResumeFlags = Flags & { resume: string; input: string; output: string };

/** The flags that set up a new model or how its text is read: a resumed model keeps its own. */
const NOT_WITH_RESUME = SETTINGS.filter((x) => x.model && x.flag !== null).map((x) => x.flag!) as (keyof Flags)[];
const NOT_WITH_RESUME_READING = ["read-vocab", "save-vocab", "max-vocab-size", "max-final-vocab", "memory"] as const;

/** `embedkit train --resume MODEL`: trains a saved model further. */
async function resume(v: ResumeFlags, io: CliIO): Promise<number> {
  const c = "train";
  for (const f of NOT_WITH_RESUME) {
    if (v[f] !== undefined) throw new UsageError(`embedkit train: --${f} cannot change a resumed model (${v.resume} keeps its own settings)`);
  }
  for (const f of NOT_WITH_RESUME_READING) {
    if (v[f] !== undefined) throw new UsageError(`embedkit train: --${f} cannot be used with --resume (the model has its vocabulary, and the text is held in memory)`);
  }
  if (v["stop-after"] !== undefined) throw new UsageError("embedkit train: --stop-after is for a new model; with --resume, --epochs says how many more");
  if (v.input === "-") throw new UsageError("embedkit train: --input - (standard input) cannot be used with --resume");
  const threads = intFlag(c, "threads", v.threads, 1, 1, 256);
  const quiet = v.quiet === true;
  // The model file may be rewritten in place (--save-model the same file): it is read whole first
  // and written atomically.
  const outputs: NamedPath[] = [{ flag: "--output", path: v.output }];
  if (v["save-model"] !== undefined) outputs.push({ flag: "--save-model", path: v["save-model"] });
  checkPaths(c, [{ flag: "--input", path: v.input }], outputs);
  const old = loadModel(v.resume);
  const plan = planResume("embedkit train", old, intFlag(c, "epochs", v.epochs, defaultResumeEpochs(old), 1, 100000));
  const start = performance.now();
  // The same corpus encoder as a new model's training (the tokenizer flags apply).
  const source = fileCorpus(v.input);
  const grown = await growVocabFrom("embedkit train", old, source, {
    encoding: choiceFlag(c, "encoding", v.encoding, "utf8", ["utf8", "latin1"] as const),
    tokenizer: choiceFlag(c, "tokenizer", v.tokenizer, "words", ["words", "whitespace"] as const),
    lowercase: v["no-lowercase"] !== true,
    maxSentenceLength: intFlag(c, "max-sentence-length", v["max-sentence-length"], 10000, 1),
  }).catch((e: Error) => {
    throw inCliWords(e, source.name, old.settings.minCount);
  });
  if (grown.corpus.ids.length === 0) throw new Error(`${v.input} has no word of ${v.resume}'s vocabulary to train on`);
  const settings = old.settings;
  const bar = io.isTTY && !quiet ? new Bar(io.err, io.columns) : null;
  const label = shortName(settings);
  try {
    const result = await trainCBOWThreaded(grown.corpus, {
      ...runOptions(settings, plan, grown.model),
      threads,
      onProgress: bar === null ? undefined : (p: CBOWProgress) => bar.draw((cols) => labelled(label, p, io.columns === undefined ? undefined : cols), p.words >= p.totalWords),
    });
    bar?.done();
    const model = finishRun(grown.corpus.vocab, settings, plan, result);
    write(v.output, () => saveWord2Vec(v.output, new KeyedVectors(model.vocab.words, model.syn0), { binary: v.binary === true }));
    if (v["save-model"] !== undefined) write(v["save-model"], () => saveModel(v["save-model"]!, model));
    const { stats } = result;
    const total = (performance.now() - start) / 1000;
    if (!quiet) {
      io.err(
        `embedkit train: ${describeModel(settings)}, resumed ${v.resume} (${grown.added} new words), ${model.vocab.size} words × ${settings.dim} dims ` +
          `from ${grown.corpus.rawTokens} tokens (${grown.corpus.ids.length} in vocabulary, held in memory), ${plan.epochs} epochs, ` +
          `${result.threads} thread(s): ${stats.effectiveWords} effective words in ${stats.seconds.toFixed(2)} s ` +
          `(${human(stats.effectiveWordsPerSecond)} words/s), loss ${stats.loss.toFixed(4)}, ${total.toFixed(2)} s in all; wrote ${v.output}` +
          `${savedModel(v["save-model"], model)}\n`,
      );
    }
    return 0;
  } finally {
    bar?.done();
  }
}
