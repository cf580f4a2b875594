import { readFileSync } from "node:fs";
import { type EncodedCorpus, encodeCorpus } from "../text/corpus.js";
import type { Vocab } from "../text/vocab.js";
import {
  type RunPlan, type Word2VecModel, type Word2VecSettings, defaultResumeEpochs, describeModel, finishRun, growVocab, planFirstRun,
  planResume, runOptions, shortName,
} from "../models/word2vec-model.js";
import { loadModel, saveModel } from "../io/model-files.js";
import { KeyedVectors } from "../models/keyed-vectors.js";
import { loadWord2Vec, saveWord2Vec } from "../io/files.js";
import { trainCBOWThreaded } from "../node/cbow-threads.js";
import { UsageError, intFlag, numFlag, parse } from "./args.js";
import { human, progressLine } from "./progress.js";
import { runDemo } from "./demo.js";

/** Where the CLI writes; the real process's streams by default, strings in tests. */
export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether stderr is a terminal (the progress bar is drawn only then). */
  isTTY: boolean;
}

export const USAGE = `Usage:
  embedkit train --input FILE --output FILE [--binary] [--sg 0] [--hs 0] [--negative 5] [--cbow-mean 1]
                 [--dim 100] [--window 5] [--min-count 5] [--sample 1e-3] [--epochs 5] [--stop-after N]
                 [--alpha 0.025] [--min-alpha 0.0001] [--seed 1] [--threads 1] [--save-model FILE] [--quiet]
      Train word2vec on FILE (one document per line): CBOW (--sg 0) or skip-gram (--sg 1), with
      negative sampling (--negative N; 0: off) and/or hierarchical softmax (--hs 1), CBOW over the
      mean or the sum (--cbow-mean 0); write the word vectors in word2vec format (text, or binary
      with --binary) and, with --save-model, the whole model to train further. --stop-after N stops
      after N of the --epochs, the learning rate where that schedule puts it.
  embedkit train --resume MODEL --input FILE --output FILE [--epochs N] [--save-model FILE] [--threads 1]
      Train a saved model further on FILE (the same text or new; new words join the vocabulary),
      the learning rate continuing its schedule (or a new schedule when it was over).
  embedkit similar FILE WORD [--top 10]     nearest neighbours of WORD by cosine similarity
  embedkit analogy FILE A B C [--top 5]     A is to B as C is to ? (B - A + C)
  embedkit demo [--quiet]                   train on a generated corpus and show what CBOW learns
  embedkit help`;

const processIO = (): CliIO => ({
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: process.stderr.isTTY === true,
});

/**
 * Runs the `embedkit` command line and returns the exit code: 0 on success, 1 on failure, 2 on a
 * usage error (which names the flag and its value).
 *
 * @example
 * ```ts
 * const code = await main(["similar", "vectors.txt", "king", "--top", "5"]);
 * ```
 */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "train":
        return await train(rest, io);
      case "similar":
        return similar(rest, io);
      case "analogy":
        return analogy(rest, io);
      case "demo":
        return demo(rest, io);
      case "help":
      case "--help":
      case "-h":
        io.out(`${USAGE}\n`);
        return 0;
      case undefined:
        throw new UsageError("embedkit: missing command");
      default:
        throw new UsageError(`embedkit: unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    io.err(`embedkit ${command}: ${(e as Error).message}\n`);
    return 1;
  }
}

/** The flags that set up a new model; a resumed model keeps its own. */
const MODEL_FLAGS = ["dim", "window", "sg", "hs", "negative", "cbow-mean", "min-count", "sample", "alpha", "min-alpha", "seed"] as const;

async function train(args: string[], io: CliIO): Promise<number> {
  const c = "train";
  const { values, positionals } = parse(c, args, {
    input: { type: "string" },
    output: { type: "string" },
    binary: { type: "boolean" },
    dim: { type: "string" },
    window: { type: "string" },
    sg: { type: "string" },
    hs: { type: "string" },
    negative: { type: "string" },
    "cbow-mean": { type: "string" },
    "min-count": { type: "string" },
    sample: { type: "string" },
    epochs: { type: "string" },
    "stop-after": { type: "string" },
    alpha: { type: "string" },
    "min-alpha": { type: "string" },
    seed: { type: "string" },
    threads: { type: "string" },
    "save-model": { type: "string" },
    resume: { type: "string" },
    quiet: { type: "boolean" },
  });
  if (positionals.length > 0) throw new UsageError(`embedkit train: unexpected argument ${JSON.stringify(positionals[0])}`);
  if (values.input === undefined) throw new UsageError("embedkit train: --input FILE is required");
  if (values.output === undefined) throw new UsageError("embedkit train: --output FILE is required");
  const threads = intFlag(c, "threads", values.threads, 1, 1, 256);
  const quiet = values.quiet === true;
  const bar = io.isTTY && !quiet;
  const start = performance.now();

  let vocab: Vocab;
  let corpus: EncodedCorpus;
  let settings: Word2VecSettings;
  let plan: RunPlan;
  let initial: Word2VecModel | undefined;
  let added = 0;
  if (values.resume !== undefined) {
    for (const f of MODEL_FLAGS) {
      if (values[f] !== undefined) throw new UsageError(`embedkit train: --${f} cannot change a resumed model (${values.resume} keeps its own settings)`);
    }
    if (values["stop-after"] !== undefined) throw new UsageError("embedkit train: --stop-after is for a new model; with --resume, --epochs says how many more");
    const model = loadModel(values.resume);
    const epochs = intFlag(c, "epochs", values.epochs, defaultResumeEpochs(model), 1, 100000);
    plan = planResume("embedkit train", model, epochs);
    const grown = growVocab("embedkit train", model, readFileSync(values.input, "utf8"));
    if (grown.corpus.ids.length === 0) throw new Error(`${values.input} has no word of ${values.resume}'s vocabulary to train on`);
    ({ corpus, added } = grown);
    initial = grown.model;
    vocab = corpus.vocab;
    settings = grown.model.settings;
  } else {
    const alpha = numFlag(c, "alpha", values.alpha, 0.025, 0, 10);
    const cbowMean = bitFlag(c, "cbow-mean", values["cbow-mean"], true);
    const negative = intFlag(c, "negative", values.negative, 5, 0, 1000);
    const hs = bitFlag(c, "hs", values.hs, false);
    if (negative === 0 && !hs) throw new UsageError("embedkit train: --negative 0 needs --hs 1 (otherwise nothing is trained)");
    settings = {
      dim: intFlag(c, "dim", values.dim, 100, 1, 100000),
      window: intFlag(c, "window", values.window, 5, 1, 1000),
      sg: bitFlag(c, "sg", values.sg, false),
      hs,
      negative,
      cbowMean,
      undividedGrad: cbowMean,
      sample: numFlag(c, "sample", values.sample, 1e-3, 0, 1),
      power: 0.75,
      alpha,
      minAlpha: numFlag(c, "min-alpha", values["min-alpha"], Math.min(0.0001, alpha), 0, alpha),
      minCount: intFlag(c, "min-count", values["min-count"], 5, 1),
      seed: intFlag(c, "seed", values.seed, 1, 0, 2 ** 32 - 1),
    };
    const epochs = intFlag(c, "epochs", values.epochs, 5, 1, 100000);
    const stopAfter = values["stop-after"] === undefined ? undefined : intFlag(c, "stop-after", values["stop-after"], epochs, 1, epochs);
    plan = planFirstRun("embedkit train", settings, epochs, stopAfter);
    corpus = encodeCorpus(readFileSync(values.input, "utf8"), { minCount: settings.minCount });
    vocab = corpus.vocab;
    if (vocab.size < 2) {
      throw new Error(`${values.input} has ${vocab.size} word(s) seen at least ${settings.minCount} times; need at least 2 (lower --min-count?)`);
    }
  }
  const name = describeModel(settings);
  const label = shortName(settings);
  let lastDraw = 0;
  const r = await trainCBOWThreaded(corpus, {
    ...runOptions(settings, plan, initial),
    threads,
    onProgress: bar
      ? (p) => {
          const t = performance.now();
          if (t - lastDraw < 100 && p.words < p.totalWords) return;
          lastDraw = t;
          io.err(`\r${label}  ${progressLine(p)}\x1b[K`);
        }
      : undefined,
  });
  if (bar) io.err("\n");
  const model = finishRun(vocab, settings, plan, r);
  saveWord2Vec(values.output, new KeyedVectors(vocab.words, r.vectors), { binary: values.binary === true });
  if (values["save-model"] !== undefined) saveModel(values["save-model"], model);
  const { stats } = r;
  const total = (performance.now() - start) / 1000;
  if (!quiet) {
    const resumed = values.resume === undefined ? "" : `resumed ${values.resume} (${added} new words), `;
    const saved = values["save-model"] === undefined ? "" : ` and the model to ${values["save-model"]} (epoch ${model.state.epochsDone}, alpha ${model.alphaNow.toPrecision(3)})`;
    io.err(
      `embedkit train: ${name}, ${resumed}${vocab.size} words × ${settings.dim} dims from ${corpus.rawTokens} tokens (${corpus.ids.length} in vocabulary), ` +
        `${plan.epochs} epochs, ${threads} thread(s): ${stats.effectiveWords} effective words in ${stats.seconds.toFixed(2)} s ` +
        `(${human(stats.effectiveWordsPerSecond)} words/s), loss ${stats.loss.toFixed(4)}, ${total.toFixed(2)} s in all; wrote ${values.output}${saved}\n`,
    );
  }
  return 0;
}

/** `--flag 0|1` as a boolean. */
function bitFlag(command: string, flag: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value.trim() === "0") return false;
  if (value.trim() === "1") return true;
  throw new UsageError(`embedkit ${command}: --${flag} must be 0 or 1, got ${JSON.stringify(value)}`);
}

function similar(args: string[], io: CliIO): number {
  const { values, positionals } = parse("similar", args, { top: { type: "string" } });
  if (positionals.length !== 2) throw new UsageError(`embedkit similar: expected FILE WORD, got ${positionals.length} argument(s)`);
  const top = intFlag("similar", "top", values.top, 10, 1);
  const [file, word] = positionals;
  const kv = loadWord2Vec(file);
  if (!kv.has(word)) throw new Error(`${JSON.stringify(word)} is not in ${file}`);
  for (const n of kv.mostSimilar(word, top)) io.out(`${n.word}\t${n.similarity.toFixed(4)}\n`);
  return 0;
}

function analogy(args: string[], io: CliIO): number {
  const { values, positionals } = parse("analogy", args, { top: { type: "string" } });
  if (positionals.length !== 4) throw new UsageError(`embedkit analogy: expected FILE A B C, got ${positionals.length} argument(s)`);
  const top = intFlag("analogy", "top", values.top, 5, 1);
  const [file, a, b, c] = positionals;
  const kv = loadWord2Vec(file);
  for (const w of [a, b, c]) if (!kv.has(w)) throw new Error(`${JSON.stringify(w)} is not in ${file}`);
  for (const n of kv.analogy(a, b, c, top)) io.out(`${n.word}\t${n.similarity.toFixed(4)}\n`);
  return 0;
}

function demo(args: string[], io: CliIO): number {
  const { values, positionals } = parse("demo", args, { quiet: { type: "boolean" } });
  if (positionals.length > 0) throw new UsageError(`embedkit demo: unexpected argument ${JSON.stringify(positionals[0])}`);
  runDemo({ log: values.quiet ? () => {} : (s) => io.out(`${s}\n`) });
  return 0;
}
