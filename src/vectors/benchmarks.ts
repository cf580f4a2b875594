// Readers for the two classic word-vector benchmarks' file formats (pure: they parse strings).
//   word pairs (WordSim-353, SimLex-999 as gensim ships them): "word1<TAB>word2<TAB>score", "#" comments;
//   analogies (Mikolov's questions-words.txt): ": section" lines, then "a b c d" per line.
import { describe } from "../tensor/check.js";

/** A word pair with a human similarity score. */
export type WordPair = readonly [string, string, number];
/** "a is to b as c is to d". */
export type AnalogyQuestion = readonly [string, string, string, string];

function lines(fn: string, text: unknown): string[] {
  if (typeof text !== "string") throw new TypeError(`${fn}: text must be a string, got ${describe(text)}`);
  return text.split("\n");
}

/**
 * Parses a tab-separated word-pair file: `word1<TAB>word2<TAB>score` per line; lines starting with
 * `#` and blank lines are skipped. A line with another number of fields or a score that is not a
 * finite number is an error naming `source` and the line (gensim skips such lines silently).
 *
 * @example
 * ```ts
 * readWordPairs("# Word 1\tWord 2\tHuman (mean)\ntiger\tcat\t7.35\nbook\tpaper\t7.46\n");
 * // [["tiger", "cat", 7.35], ["book", "paper", 7.46]]
 * ```
 */
export function readWordPairs(text: string, source = "<text>"): WordPair[] {
  const fn = "readWordPairs";
  const out: WordPair[] = [];
  lines(fn, text).forEach((raw, k) => {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "" || line.startsWith("#")) return;
    const fields = line.split("\t");
    if (fields.length !== 3) {
      throw new Error(`${fn}: ${source} line ${k + 1}: expected 3 tab-separated fields (word1, word2, score), got ${fields.length}`);
    }
    const [a, b, s] = fields.map((f) => f.trim());
    const score = s === "" ? NaN : Number(s);
    if (!Number.isFinite(score) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
      throw new Error(`${fn}: ${source} line ${k + 1}: score ${describe(s)} is not a number`);
    }
    if (a === "" || b === "") throw new Error(`${fn}: ${source} line ${k + 1}: empty word`);
    out.push([a, b, score]);
  });
  return out;
}

/**
 * Parses an analogy file in the format of questions-words.txt: `: section name` lines start sections,
 * every other non-blank line holds four whitespace-separated words `a b c d`. Lines with another
 * number of words are an error naming `source` and the line. Use {@link readAnalogySections} to keep
 * the sections.
 *
 * @example
 * ```ts
 * readAnalogies(": capital-common-countries\nAthens Greece Baghdad Iraq\n");
 * // [["Athens", "Greece", "Baghdad", "Iraq"]]
 * ```
 */
export function readAnalogies(text: string, source = "<text>"): AnalogyQuestion[] {
  return readAnalogySections(text, source, "readAnalogies").flatMap((s) => s.questions);
}

/**
 * Like {@link readAnalogies}, grouped by section (questions before any `:` line go in a section named "").
 *
 * @example
 * ```ts
 * readAnalogySections(": family\nboy girl brother sister\n: gram1-adjective-to-adverb\ncalm calmly quick quickly\n");
 * // [{ section: "family", questions: [[...]] }, { section: "gram1-adjective-to-adverb", questions: [[...]] }]
 * ```
 */
export function readAnalogySections(
  text: string,
  source = "<text>",
  fn = "readAnalogySections",
): { section: string; questions: AnalogyQuestion[] }[] {
  const sections: { section: string; questions: AnalogyQuestion[] }[] = [];
  let current: { section: string; questions: AnalogyQuestion[] } | null = null;
  lines(fn, text).forEach((raw, k) => {
    const line = raw.trim();
    if (line === "") return;
    if (line.startsWith(":")) {
      current = { section: line.slice(1).trim(), questions: [] };
      sections.push(current);
      return;
    }
    const words = line.split(/\s+/);
    if (words.length !== 4) {
      throw new Error(`${fn}: ${source} line ${k + 1}: expected 4 words, got ${words.length}: ${describe(line.slice(0, 80))}`);
    }
    if (current === null) {
      current = { section: "", questions: [] };
      sections.push(current);
    }
    current.questions.push(words as unknown as AnalogyQuestion);
  });
  return sections;
}
