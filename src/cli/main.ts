import { readFileSync } from "node:fs";
import { encodeCorpus } from "../text/corpus.js";
import { KeyedVectors } from "../models/keyed-vectors.js";
import { saveWord2Vec } from "../io/files.js";
import { trainCBOWThreaded } from "../node/cbow-threads.js";
import { UsageError, intFlag, numFlag, parse } from "./args.js";
import { human, progressLine } from "./progress.js";
import { runDemo } from "./demo.js";
import { QUERY_USAGE, analogy, similar } from "./query.js";

/** Where the CLI writes; the real process's streams by default, strings in tests. */
export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether stderr is a terminal (the progress bar is drawn only then). */
  isTTY: boolean;
}

export const USAGE = `Usage:
  embedkit train --input FILE --output FILE [--binary] [--dim 100] [--window 5] [--negative 5]
                 [--min-count 5] [--sample 1e-3] [--epochs 5] [--alpha 0.025] [--min-alpha 0.0001]
                 [--seed 1] [--threads 1] [--quiet]
      Train word2vec CBOW with negative sampling on FILE (one document per line) and write the word
      vectors in word2vec format (text, or binary with --binary).
${QUERY_USAGE}
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

async function train(args: string[], io: CliIO): Promise<number> {
  const c = "train";
  const { values, positionals } = parse(c, args, {
    input: { type: "string" },
    output: { type: "string" },
    binary: { type: "boolean" },
    dim: { type: "string" },
    window: { type: "string" },
    negative: { type: "string" },
    "min-count": { type: "string" },
    sample: { type: "string" },
    epochs: { type: "string" },
    alpha: { type: "string" },
    "min-alpha": { type: "string" },
    seed: { type: "string" },
    threads: { type: "string" },
    quiet: { type: "boolean" },
  });
  if (positionals.length > 0) throw new UsageError(`embedkit train: unexpected argument ${JSON.stringify(positionals[0])}`);
  if (values.input === undefined) throw new UsageError("embedkit train: --input FILE is required");
  if (values.output === undefined) throw new UsageError("embedkit train: --output FILE is required");
  const alpha = numFlag(c, "alpha", values.alpha, 0.025, 0, 10);
  const options = {
    dim: intFlag(c, "dim", values.dim, 100, 1, 100000),
    window: intFlag(c, "window", values.window, 5, 1, 1000),
    negative: intFlag(c, "negative", values.negative, 5, 1, 1000),
    sample: numFlag(c, "sample", values.sample, 1e-3, 0, 1),
    epochs: intFlag(c, "epochs", values.epochs, 5, 1, 100000),
    alpha,
    minAlpha: numFlag(c, "min-alpha", values["min-alpha"], Math.min(0.0001, alpha), 0, alpha),
    seed: intFlag(c, "seed", values.seed, 1, 0, 2 ** 32 - 1),
    threads: intFlag(c, "threads", values.threads, 1, 1, 256),
  };
  const minCount = intFlag(c, "min-count", values["min-count"], 5, 1);
  const quiet = values.quiet === true;
  const bar = io.isTTY && !quiet;

  const start = performance.now();
  const corpus = encodeCorpus(readFileSync(values.input, "utf8"), { minCount });
  if (corpus.vocab.size < 2) {
    throw new Error(`${values.input} has ${corpus.vocab.size} word(s) seen at least ${minCount} times; need at least 2 (lower --min-count?)`);
  }
  let lastDraw = 0;
  const { vocab, vectors, stats } = await trainCBOWThreaded(corpus, {
    ...options,
    onProgress: bar
      ? (p) => {
          const t = performance.now();
          if (t - lastDraw < 100 && p.words < p.totalWords) return;
          lastDraw = t;
          io.err(`\r${progressLine(p)}\x1b[K`);
        }
      : undefined,
  });
  if (bar) io.err("\n");
  saveWord2Vec(values.output, new KeyedVectors(vocab.words, vectors), { binary: values.binary === true });
  const total = (performance.now() - start) / 1000;
  if (!quiet) {
    io.err(
      `embedkit train: ${vocab.size} words × ${options.dim} dims from ${corpus.rawTokens} tokens (${corpus.ids.length} in vocabulary), ` +
        `${options.epochs} epochs, ${options.threads} thread(s): ${stats.effectiveWords} effective words in ${stats.seconds.toFixed(2)} s ` +
        `(${human(stats.effectiveWordsPerSecond)} words/s), loss ${stats.loss.toFixed(4)}, ${total.toFixed(2)} s in all; wrote ${values.output}\n`,
    );
  }
  return 0;
}

function demo(args: string[], io: CliIO): number {
  const { values, positionals } = parse("demo", args, { quiet: { type: "boolean" } });
  if (positionals.length > 0) throw new UsageError(`embedkit demo: unexpected argument ${JSON.stringify(positionals[0])}`);
  runDemo({ log: values.quiet ? () => {} : (s) => io.out(`${s}\n`) });
  return 0;
}
