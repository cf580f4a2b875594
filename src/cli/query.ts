// `embedkit similar` and `embedkit analogy`: nearest neighbours in a word vectors file, by cosine,
// for the words on the command line, or (interactive) for each line typed on standard input after
// loading the file once, as word2vec.c's `distance` and `word-analogy` do.
import { closeSync, openSync, readSync } from "node:fs";
import { createInterface } from "node:readline";
import { loadWord2Vec } from "../node/files.js";
import type { KeyedVectors, Neighbour } from "../vectors/keyed-vectors.js";
import { UsageError, intFlag, parse } from "./args.js";
import type { CliIO } from "./train.js";

export const SIMILAR_USAGE = `  embedkit similar FILE WORD... [--negative WORD]... [--top 10] [--limit N]
      The words nearest to WORD by cosine similarity; with several words, nearest to the mean of
      their unit vectors minus the --negative ones (gensim's most_similar(positive, negative)):
        embedkit similar vectors.bin king woman --negative man
  embedkit similar FILE [--interactive] [--top 10] [--limit N]
      Loads FILE once, says how long that took, then answers each line typed on standard input
      ("king woman -man": a leading - marks a negative word) until EXIT or the end of input.`;

export const ANALOGY_USAGE = `  embedkit analogy FILE A B C [--top 5] [--limit N]
      A is to B as C is to ?, the same as: embedkit similar FILE B C --negative A
  embedkit analogy FILE [--interactive] [--top 5] [--limit N]
      Loads FILE once, then answers each line "A B C" typed on standard input until EXIT.`;

const COMMON_USAGE = `      FILE is word2vec text or binary (gensim's save_word2vec_format, word2vec.c's -output), or
      GloVe's text (no header line: detected). The query words are never answers. --limit N reads
      only the first N rows of FILE (gensim's limit=; the most frequent words, in files from
      word2vec, gensim, GloVe or embedkit): the query words must be among them.`;

export const QUERY_USAGE = `${SIMILAR_USAGE}\n${ANALOGY_USAGE}\n${COMMON_USAGE}`;

const QUERY_FLAGS = {
  negative: { type: "string", multiple: true },
  top: { type: "string" },
  limit: { type: "string" },
  interactive: { type: "boolean", short: "i" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * `embedkit similar FILE WORD... [--negative WORD]... [--top N] [--limit N]`: prints `word\tsimilarity`
 * lines, best first; with no WORD (or `--interactive`), answers queries typed on standard input.
 * Returns the exit code (UsageError for a bad command line).
 *
 * @example
 * ```ts
 * await similar(["vectors.txt", "king", "woman", "--negative", "man", "--top", "3"], io);
 * ```
 */
export async function similar(args: string[], io: CliIO): Promise<number> {
  const c = "similar";
  const { values, positionals } = parse(c, args, QUERY_FLAGS);
  if (values.help) {
    io.out(`Usage:\n${SIMILAR_USAGE}\n${COMMON_USAGE}\n`);
    return 0;
  }
  const negative = values.negative ?? [];
  if (positionals.length < 1) throw new UsageError(`embedkit similar: expected FILE WORD, got ${describeArgs(positionals)}`);
  const top = intFlag(c, "top", values.top, 10, 1);
  const limit = values.limit === undefined ? undefined : intFlag(c, "limit", values.limit, 0, 1);
  const [file, ...positive] = positionals;
  if (values.interactive || (positive.length === 0 && negative.length === 0)) {
    if (positive.length > 0 || negative.length > 0) throw new UsageError("embedkit similar: --interactive reads the words from standard input, not the command line");
    return interactive(c, file, limit, io, (kv, line) => {
      const pos: string[] = [];
      const neg: string[] = [];
      for (const w of line) {
        // "-man" is the negative word "man", unless "-man" itself is in the file
        if (w.length > 1 && w.startsWith("-") && !kv.has(w)) neg.push(w.slice(1));
        else pos.push(w);
      }
      return checkWords(kv, file, limit, [...pos, ...neg]) ?? kv.mostSimilar(pos, top, { negative: neg });
    });
  }
  const kv = load(file, limit).kv;
  const problem = checkWords(kv, file, limit, [...positive, ...negative]);
  if (problem !== null) throw new Error(problem);
  warnNonFinite(c, kv, file, io);
  print(kv.mostSimilar(positive, top, { negative }), io);
  return 0;
}

/**
 * `embedkit analogy FILE A B C [--top N] [--limit N]`: "A is to B as C is to ?" by 3CosAdd; with only
 * FILE (or `--interactive`), answers lines "A B C" typed on standard input.
 *
 * @example
 * ```ts
 * await analogy(["vectors.txt", "man", "king", "woman"], io); // queen ...
 * ```
 */
export async function analogy(args: string[], io: CliIO): Promise<number> {
  const c = "analogy";
  const { values, positionals } = parse(c, args, { top: QUERY_FLAGS.top, limit: QUERY_FLAGS.limit, interactive: QUERY_FLAGS.interactive, help: QUERY_FLAGS.help });
  if (values.help) {
    io.out(`Usage:\n${ANALOGY_USAGE}\n${COMMON_USAGE}\n`);
    return 0;
  }
  const interactiveMode = values.interactive === true || positionals.length === 1;
  if (interactiveMode ? positionals.length !== 1 : positionals.length !== 4) {
    throw new UsageError(`embedkit analogy: expected FILE A B C${interactiveMode ? " (or FILE alone with --interactive)" : ""}, got ${describeArgs(positionals)}`);
  }
  const top = intFlag(c, "top", values.top, 5, 1);
  const limit = values.limit === undefined ? undefined : intFlag(c, "limit", values.limit, 0, 1);
  const [file, a, b, cw] = positionals;
  if (interactiveMode) {
    return interactive(c, file, limit, io, (kv, line) => {
      if (line.length !== 3) return `expected three words A B C (A is to B as C is to ?), got ${line.length}`;
      return checkWords(kv, file, limit, line) ?? kv.analogy(line[0], line[1], line[2], top);
    });
  }
  const kv = load(file, limit).kv;
  const problem = checkWords(kv, file, limit, [a, b, cw]);
  if (problem !== null) throw new Error(problem);
  warnNonFinite(c, kv, file, io);
  print(kv.analogy(a, b, cw, top), io);
  return 0;
}

function describeArgs(positionals: string[]): string {
  return positionals.length === 0 ? "nothing" : `${positionals.length} argument(s): ${positionals.map((p) => JSON.stringify(p)).join(" ")}`;
}

/**
 * Whether FILE's first line is not a word2vec header ("ROWS DIM"): GloVe's text files have none, and
 * begin with a word and its numbers. Binary word2vec files always start with the header.
 */
export function headerless(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return false; // the loader says why it cannot read the file
  }
  try {
    const head = new Uint8Array(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n === 0) return false;
    let end = head.subarray(0, n).indexOf(10);
    if (end < 0) end = n;
    const first = new TextDecoder("latin1").decode(head.subarray(0, end));
    return !/^\s*\d+\s+\d+\s*$/.test(first);
  } finally {
    closeSync(fd);
  }
}

/** Loads FILE (its first `limit` rows, if given; GloVe's headerless text detected), timing it. */
export function load(file: string, limit: number | undefined): { kv: KeyedVectors; seconds: number; glove: boolean } {
  const glove = headerless(file);
  const start = performance.now();
  const kv = loadWord2Vec(file, { ...(limit === undefined ? {} : { limit }), ...(glove ? { noHeader: true } : {}) });
  return { kv, seconds: (performance.now() - start) / 1000, glove };
}

/**
 * Null when every query word is in `kv` and has a direction; otherwise what is wrong, naming the
 * file and, for a word that is there in another case ("King" when the file has "king"), that spelling.
 */
function checkWords(kv: KeyedVectors, file: string, limit: number | undefined, words: readonly string[]): string | null {
  const missing = [...new Set(words.filter((w) => !kv.has(w)))];
  if (missing.length > 0) {
    const list = missing.map((w) => JSON.stringify(w)).join(", ");
    const where = limit === undefined ? `${file} (${kv.size} words)` : `the first ${kv.size} words of ${file} (--limit ${limit})`;
    const hints = missing.flatMap((w) => {
      const other = otherCase(kv, w);
      return other === null ? [] : [`${JSON.stringify(other)} is there`];
    });
    const hint = hints.length === 0 ? "" : ` (${hints.join(", ")}: words are matched exactly, case included)`;
    return `${list} ${missing.length === 1 ? "is" : "are"} not in ${where}${hint}`;
  }
  const bad = new Set(kv.nonFiniteRows());
  for (const w of words) {
    if (bad.has(kv.index(w))) return `${JSON.stringify(w)} in ${file} (row ${kv.index(w) + 1}) holds NaN or Infinity: it has no nearest words`;
  }
  return null;
}

/** The word of `kv` spelled like `word` but for case: its lower-case form if present, else the first. */
function otherCase(kv: KeyedVectors, word: string): string | null {
  const lower = word.toLowerCase();
  if (lower !== word && kv.has(lower)) return lower;
  const upper = word.toUpperCase();
  for (const w of kv.words) if (w !== word && w.toUpperCase() === upper) return w;
  return null;
}

/** Rows holding NaN or Infinity are named in a warning on stderr (they are left out of every answer). */
function warnNonFinite(command: string, kv: KeyedVectors, file: string, io: CliIO): void {
  const bad = kv.nonFiniteRows();
  if (bad.length === 0) return;
  const shown = bad.slice(0, 5).map((r) => `${JSON.stringify(kv.words[r])} (row ${r + 1})`).join(", ");
  io.err(
    `embedkit ${command}: warning: ${bad.length} of the ${kv.size} vectors in ${file} hold NaN or Infinity and are left out: ` +
      `${shown}${bad.length > 5 ? `, and ${bad.length - 5} more` : ""}\n`,
  );
}

/**
 * The interactive mode: loads FILE once and says how long that took (stderr), then answers each line
 * of standard input with `answer` (an answer, or a message for stderr) until a line "EXIT" or the end
 * of the input. A prompt is shown when standard input is a terminal.
 */
async function interactive(
  command: string,
  file: string,
  limit: number | undefined,
  io: CliIO,
  answer: (kv: KeyedVectors, words: string[]) => Neighbour[] | string,
): Promise<number> {
  const { kv, seconds, glove } = load(file, limit);
  io.err(`embedkit ${command}: loaded ${kv.size} words × ${kv.dim} dims from ${file}${glove ? " (GloVe text: no header line)" : ""} in ${seconds.toFixed(2)} s\n`);
  warnNonFinite(command, kv, file, io);
  const input = io.stdin ?? process.stdin;
  const tty = (input as NodeJS.ReadStream).isTTY === true;
  const prompt = command === "analogy" ? "Enter three words A B C (EXIT to stop): " : "Enter a word or several, -word for a negative one (EXIT to stop): ";
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  if (tty) io.err(prompt);
  for await (const line of lines) {
    const words = line.trim().split(/\s+/).filter((w) => w !== "");
    if (words.length === 1 && words[0] === "EXIT") break;
    if (words.length > 0) {
      const got = answer(kv, words);
      if (typeof got === "string") io.err(`${got}\n`);
      else print(got, io);
      io.out("\n");
    }
    if (tty) io.err(prompt);
  }
  lines.close();
  return 0;
}

function print(answer: Neighbour[], io: CliIO): void {
  if (answer.length === 0) io.err("embedkit: no answer: every word searched is a query word or holds NaN or Infinity\n");
  for (const n of answer) io.out(`${n.word}\t${n.similarity.toFixed(4)}\n`);
}
