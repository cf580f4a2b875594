// `embedkit similar` and `embedkit analogy`: nearest neighbours in a word2vec file, by cosine.
import { loadWord2Vec } from "../node/files.js";
import type { KeyedVectors } from "../vectors/keyed-vectors.js";
import { UsageError, intFlag, parse } from "./args.js";
import type { CliIO } from "./main.js";

export const QUERY_USAGE = `  embedkit similar FILE WORD... [--negative WORD]... [--top 10] [--limit N]
      The words nearest to WORD by cosine similarity; with several words, nearest to the mean of
      their unit vectors minus the --negative ones (gensim's most_similar(positive, negative)):
        embedkit similar vectors.bin king woman --negative man
  embedkit analogy FILE A B C [--top 5] [--limit N]
      A is to B as C is to ?, the same as: embedkit similar FILE B C --negative A
      The query words are never answers. --limit N searches only the first N words of FILE (the
      most frequent, in files from word2vec, gensim or embedkit); the query words may lie beyond.`;

/**
 * `embedkit similar FILE WORD... [--negative WORD]... [--top N] [--limit N]`: prints `word\tsimilarity`
 * lines, best first. Returns the exit code (UsageError for a bad command line).
 *
 * @example
 * ```ts
 * await similar(["vectors.txt", "king", "woman", "--negative", "man", "--top", "3"], io);
 * ```
 */
export function similar(args: string[], io: CliIO): number {
  const c = "similar";
  const { values, positionals } = parse(c, args, {
    negative: { type: "string", multiple: true },
    top: { type: "string" },
    limit: { type: "string" },
  });
  const negative = values.negative ?? [];
  if (positionals.length < 1 || positionals.length + negative.length < 2) {
    throw new UsageError(`embedkit similar: expected FILE WORD, got ${describeArgs(positionals)}`);
  }
  const top = intFlag(c, "top", values.top, 10, 1);
  const limit = values.limit === undefined ? undefined : intFlag(c, "limit", values.limit, 0, 1);
  const [file, ...positive] = positionals;
  const kv = load(c, file, [...positive, ...negative], io);
  const answer = kv.mostSimilar(positive, top, { negative, ...(limit === undefined ? {} : { restrictVocab: limit }) });
  print(answer, io);
  return 0;
}

/**
 * `embedkit analogy FILE A B C [--top N] [--limit N]`: "A is to B as C is to ?" by 3CosAdd.
 *
 * @example
 * ```ts
 * await analogy(["vectors.txt", "man", "king", "woman"], io); // queen ...
 * ```
 */
export function analogy(args: string[], io: CliIO): number {
  const c = "analogy";
  const { values, positionals } = parse(c, args, { top: { type: "string" }, limit: { type: "string" } });
  if (positionals.length !== 4) {
    throw new UsageError(`embedkit analogy: expected FILE A B C, got ${describeArgs(positionals)}`);
  }
  const top = intFlag(c, "top", values.top, 5, 1);
  const limit = values.limit === undefined ? undefined : intFlag(c, "limit", values.limit, 0, 1);
  const [file, a, b, cw] = positionals;
  const kv = load(c, file, [a, b, cw], io);
  print(kv.analogy(a, b, cw, top, limit === undefined ? {} : { restrictVocab: limit }), io);
  return 0;
}

function describeArgs(positionals: string[]): string {
  return positionals.length === 0 ? "nothing" : `${positionals.length} argument(s): ${positionals.map((p) => JSON.stringify(p)).join(" ")}`;
}

/**
 * Loads FILE and checks the query words: each must be in it and have a direction. Rows holding NaN or
 * Infinity are named in a warning on stderr (they are left out of every answer).
 */
function load(command: string, file: string, words: string[], io: CliIO): KeyedVectors {
  const kv = loadWord2Vec(file);
  const missing = words.filter((w) => !kv.has(w));
  if (missing.length > 0) {
    const list = missing.map((w) => JSON.stringify(w)).join(", ");
    throw new Error(`${list} ${missing.length === 1 ? "is" : "are"} not in ${file} (${kv.size} words)`);
  }
  const bad = kv.nonFiniteRows();
  const badSet = new Set(bad);
  for (const w of words) {
    if (badSet.has(kv.index(w))) {
      throw new Error(`${JSON.stringify(w)} in ${file} (row ${kv.index(w) + 1}) holds NaN or Infinity: it has no nearest words`);
    }
  }
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).map((r) => `${JSON.stringify(kv.words[r])} (row ${r + 1})`).join(", ");
    io.err(
      `embedkit ${command}: warning: ${bad.length} of the ${kv.size} vectors in ${file} hold NaN or Infinity and are left out: ` +
        `${shown}${bad.length > 5 ? `, and ${bad.length - 5} more` : ""}\n`,
    );
  }
  return kv;
}

function print(answer: { word: string; similarity: number }[], io: CliIO): void {
  if (answer.length === 0) io.err("embedkit: no answer: every word searched is a query word or holds NaN or Infinity\n");
  for (const n of answer) io.out(`${n.word}\t${n.similarity.toFixed(4)}\n`);
}
