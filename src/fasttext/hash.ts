// fastText's hashing of words, character n-grams and word n-grams, byte for byte as fastText 0.9.
//
// - A word is its UTF-8 bytes. FNV-1a runs over them with each byte sign-extended first (fastText
//   casts `char` to `int8_t`, then to `uint32_t`), so a byte >= 0x80 is xor-ed as 0xFFFFFFxx: a
//   non-ASCII word hashes differently from textbook FNV-1a, and models depend on it.
// - Character n-grams are taken from "<" + word + ">" and counted in code points: a position that
//   starts with a UTF-8 continuation byte (10xxxxxx) never starts an n-gram, and an n-gram always
//   takes a whole code point. The 1-grams "<" and ">" are left out. Row = nwords + hash % bucket.
// - Word n-grams (supervised, wordNgrams > 1) combine the words' int32 hashes in 64-bit arithmetic:
//   h = hash[i] (sign-extended to 64 bits), then h = h * 116049371 + hash[j] for the next words.

const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;
const encoder = new TextEncoder();

/** The UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** fastText's FNV-1a of bytes[start, end): a uint32 (bytes sign-extended, see above). */
export function fnv1aBytes(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    h = Math.imul((h ^ (b < 0x80 ? b : b | 0xffffff00)) >>> 0, FNV_PRIME) >>> 0;
  }
  return h;
}

/**
 * fastText's hash of a string (of its UTF-8 bytes), as `Dictionary::hash`.
 *
 * @example
 * ```ts
 * fastTextHash("where"); // 90969176
 * ```
 */
export function fastTextHash(s: string): number {
  return fnv1aBytes(utf8(s));
}

/**
 * The character n-grams (minn..maxn code points) of `word` wrapped in "<" ">", in fastText's order (by
 * start position, then length), with their hashes. `bucket` > 0 also gives `hash % bucket`.
 *
 * @example
 * ```ts
 * charNgrams("where", 3, 3).ngrams; // ["<wh", "whe", "her", "ere", "re>"]
 * ```
 */
export function charNgrams(word: string, minn: number, maxn: number): { ngrams: string[]; hashes: number[] } {
  const ngrams: string[] = [];
  const hashes: number[] = [];
  const dec = new TextDecoder();
  forEachNgram(utf8("<" + word + ">"), minn, maxn, (h, s, e, b) => {
    hashes.push(h);
    ngrams.push(dec.decode(b.subarray(s, e)));
  });
  return { ngrams, hashes };
}

/**
 * Calls `f(hash, start, end, bytes)` for each character n-gram of the wrapped word `bytes` (already
 * "<word>"), as fastText's computeSubwords. The hash is extended one byte at a time, so an n-gram costs
 * no more than its new bytes.
 */
export function forEachNgram(
  bytes: Uint8Array, minn: number, maxn: number, f: (hash: number, start: number, end: number, bytes: Uint8Array) => void,
): void {
  const len = bytes.length;
  for (let i = 0; i < len; i++) {
    if ((bytes[i] & 0xc0) === 0x80) continue;
    let h = FNV_OFFSET;
    for (let j = i, n = 1; j < len && n <= maxn; n++) {
      do {
        const b = bytes[j++];
        h = Math.imul((h ^ (b < 0x80 ? b : b | 0xffffff00)) >>> 0, FNV_PRIME) >>> 0;
      } while (j < len && (bytes[j] & 0xc0) === 0x80);
      if (n >= minn && !(n === 1 && (i === 0 || j === len))) f(h, i, j, bytes);
    }
  }
}

/** Pushes `nwords + hash % bucket` for each character n-gram of the wrapped word `bytes` onto `out`. */
export function pushNgramRows(bytes: Uint8Array, minn: number, maxn: number, bucket: number, nwords: number, out: number[]): void {
  if (maxn <= 0 || bucket <= 0) return;
  forEachNgram(bytes, minn, maxn, (h) => void out.push(nwords + (h % bucket)));
}

const MASK64 = (1n << 64n) - 1n;
const WORD_NGRAM_PRIME = 116049371n;

/**
 * The word n-gram rows of a line (fastText's addWordNgrams): for each start i and each n-gram of 2..n
 * words, `nwords + h % bucket` with h the 64-bit combination of the words' hashes. `hashes` are the
 * uint32 hashes of the line's word tokens (fastText keeps them as int32, so each is sign-extended).
 */
export function pushWordNgramRows(hashes: readonly number[], n: number, bucket: number, nwords: number, out: number[]): void {
  if (n <= 1 || bucket <= 0) return;
  const b = BigInt(bucket);
  const ext = hashes.map((x) => BigInt.asUintN(64, BigInt(x | 0)));
  for (let i = 0; i < ext.length; i++) {
    let h = ext[i];
    for (let j = i + 1; j < ext.length && j < i + n; j++) {
      h = (h * WORD_NGRAM_PRIME + ext[j]) & MASK64;
      out.push(nwords + Number(h % b));
    }
  }
}
