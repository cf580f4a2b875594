import { readFileSync } from "node:fs";
import { UsageError, parse } from "./args.js";
import { PathError } from "./paths.js";
import { type CliIO, train } from "./train.js";
import { runDemo } from "./demo.js";
import { QUERY_USAGE, analogy, similar } from "./query.js";
import { lab } from "./lab.js";
import { CONVERT_USAGE, convert } from "./convert.js";
import { fasttext } from "./fasttext.js";

export type { CliIO } from "./train.js";

const DEMO_USAGE = `  embedkit demo [--quiet]
      Trains CBOW on a generated corpus in a few seconds and shows what it learns (each class
      word's nearest neighbours), then times an embedding lookup against one-hot @ W.
      --quiet: only the results (the share of same-class neighbours, the timing table).`;

const LAB_USAGE = `  embedkit lab [FILE] [--port 8080]
      Serves the embedding lab, an interactive page, on 127.0.0.1 (--port 0: a free port), with
      the word vectors in FILE (word2vec text or binary) to explore; Ctrl-C stops it.`;

export const USAGE = `Usage:
  embedkit train --input FILE --output FILE [--binary] [--dim 100] [--window 5] [--negative 5]
                 [--min-count 5] [--sample 1e-3] [--epochs 5] [--alpha 0.025] [--min-alpha 0.0001]
                 [--seed 1] [--threads 1] [--quiet] ...    (embedkit train --help: every option)
      Train word2vec CBOW with negative sampling on FILE (one document per line, any size; "-" for
      standard input) and write the word vectors in word2vec format (text, or binary with --binary).
${QUERY_USAGE}
${CONVERT_USAGE}
${DEMO_USAGE}
${LAB_USAGE}
  embedkit fasttext skipgram|cbow|supervised|predict|predict-prob|test|print-word-vectors|nn ...
                                            fastText's commands and flags (embedkit fasttext help)
  embedkit help | --help                    this text; embedkit COMMAND --help: that command's
  embedkit --version                        the version of embedding-kit
The command is installed as both embedkit and embedding-kit (npx embedding-kit ...).`;

/** The package's version, from its package.json (two directories up from src/cli and dist/cli). */
export function version(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

const processIO = (): CliIO => ({
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: process.stderr.isTTY === true,
  ...(process.stderr.isTTY === true && process.stderr.columns > 0 ? { columns: process.stderr.columns } : {}),
});

/**
 * Runs the `embedding-kit` command line and returns the exit code: 0 on success, 1 on failure, 2 on a
 * usage error (which names the flag and its value) or an output path that cannot be used (checked
 * before any work: see src/cli/paths.ts).
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
        return await similar(rest, io);
      case "analogy":
        return await analogy(rest, io);
      case "convert":
        return await convert(rest, io);
      case "demo":
        return demo(rest, io);
      case "lab":
        // lab's own flags are its server's; its help is given here
        if (rest.includes("--help") || rest.includes("-h")) return help(LAB_USAGE, io);
        return await lab(rest, io);
      case "fasttext":
        return await fasttext(rest, io);
      case "help":
      case "--help":
      case "-h":
        io.out(`${USAGE}\n`);
        return 0;
      case "--version":
      case "-v":
      case "version":
        io.out(`embedkit ${version()}\n`);
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
    if (e instanceof PathError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    io.err(`embedkit ${command}: ${(e as Error).message}\n`);
    return 1;
  }
}

function demo(args: string[], io: CliIO): number {
  const { values, positionals } = parse("demo", args, { quiet: { type: "boolean" }, help: { type: "boolean", short: "h" } });
  if (values.help) return help(DEMO_USAGE, io);
  if (positionals.length > 0) throw new UsageError(`embedkit demo: unexpected argument ${JSON.stringify(positionals[0])}`);
  runDemo({ log: (s) => io.out(`${s}\n`), quiet: values.quiet === true });
  return 0;
}

function help(usage: string, io: CliIO): number {
  io.out(`Usage:\n${usage}\n`);
  return 0;
}
