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

/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (as the WHATWG
 * decoder judges: no overlong forms, no surrogates, nothing above U+10FFFF), or -1 when all are.
 * @internal
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = 0; i < n; ) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (i + k >= n || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * The text of a vocabulary file's bytes; bytes that are not UTF-8 are an Error naming `name`, the
 * line and the byte offset (a leading byte-order mark is dropped).
 *
 * @example
 * ```ts
 * decodeVocab(new Uint8Array([0x61, 0x20, 0x31, 0x0a, 0xff]), "v.txt"); // Error: v.txt: line 2 (byte 4): not valid UTF-8 ...
 * ```
 * @internal
 */
export function decodeVocab(bytes: Uint8Array, name: string): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    let line = 1;
    for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) line++;
    throw new Error(`${name}: line ${line} (byte ${bad}): not valid UTF-8 (0x${bytes[bad].toString(16).padStart(2, "0")}); a vocabulary file is UTF-8 text`);
  }
  return new TextDecoder("utf-8").decode(bytes);
}
