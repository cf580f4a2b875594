// word2vec.c's vocabulary file (`-save-vocab`, `-read-vocab`): one "word count" per line, most
// frequent first.
import { describe } from "../tensor/check.js";
import type { Vocab } from "./vocab.js";

/**
 * The text of a vocabulary file in word2vec.c's format, one `word count` line per word in id order,
 * as chunks of about 64 KiB.
 *
 * @example
 * ```ts
 * Array.from(formatVocab(new Vocab(["the", "cat"], [9, 2]))).join(""); // "the 9\ncat 2\n"
 * ```
 * @internal
 */
export function* formatVocab(vocab: Vocab): Generator<string> {
  let s = "";
  for (let i = 0; i < vocab.size; i++) {
    s += `${vocab.words[i]} ${vocab.counts[i]}\n`;
    if (s.length >= 65536) {
      yield s;
      s = "";
    }
  }
  if (s !== "") yield s;
}

/**
 * Reads a vocabulary file (`word count` per line, as word2vec.c and {@link formatVocab} write it)
 * into word counts in file order; blank lines are skipped. A malformed line, a repeated word or a
 * count that is not a whole number is an Error naming `name` and the line.
 *
 * @example
 * ```ts
 * Array.from(parseVocab("the 9\ncat 2\n", "vocab.txt")); // [["the", 9], ["cat", 2]]
 * ```
 * @internal
 */
export function parseVocab(text: string, name: string): Map<string, number> {
  if (typeof text !== "string") throw new TypeError(`parseVocab: text must be a string, got ${describe(text)}`);
  const counts = new Map<string, number>();
  let total = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (line.trim() === "") continue;
    const m = /^(\S+)[ \t]+(\d+)[ \t]*$/.exec(line);
    if (m === null) throw new Error(`${name}: line ${i + 1}: expected "word count", got ${JSON.stringify(line.slice(0, 80))}`);
    const count = Number(m[2]);
    if (!Number.isSafeInteger(count)) throw new Error(`${name}: line ${i + 1}: count ${m[2]} is too large`);
    if (counts.has(m[1])) throw new Error(`${name}: line ${i + 1}: ${JSON.stringify(m[1])} is listed twice`);
    // Bounded so that every sum and noise weight of the counts stays an exact integer.
    total += count;
    if (total > Number.MAX_SAFE_INTEGER) throw new Error(`${name}: line ${i + 1}: the counts add up to more than 2^53 - 1 (${Number.MAX_SAFE_INTEGER})`);
    counts.set(m[1], count);
  }
  return counts;
}
