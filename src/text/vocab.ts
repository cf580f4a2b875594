import { checkInt, checkNumber, checkOptions, describe } from "../tensor/check.js";

/** Options of {@link Vocab.build}. */
export interface VocabOptions {
  /** Words seen fewer times than this are dropped (default 1: keep every word). */
  minCount?: number;
}

/**
 * A vocabulary: words with their counts, ids sorted by descending count (ties: the word seen first
 * comes first, so the order is deterministic), words below `minCount` dropped.
 *
 * @example
 * ```ts
 * const vocab = Vocab.build([["the", "cat", "the", "dog"]], { minCount: 1 });
 * vocab.words;          // ["the", "cat", "dog"]
 * vocab.idOf("dog");    // 2
 * vocab.count(0);       // 2
 * vocab.encode(["dog", "emu", "the"]); // [2, 0]
 * ```
 */
export class Vocab {
  /** The words, by id. */
  readonly words: readonly string[];
  /** counts[id]: how often the word occurs in the corpus. */
  readonly counts: Float64Array;
  /** The total count of the kept words. */
  readonly totalCount: number;
  private readonly ids: Map<string, number>;

  /** `words` in id order and their `counts` (sorting is the caller's business; see {@link Vocab.build}). */
  constructor(words: readonly string[], counts: ArrayLike<number>) {
    const fn = "Vocab";
    if (!Array.isArray(words)) throw new TypeError(`${fn}: words must be an array of strings, got ${describe(words)}`);
    if (counts == null || typeof (counts as ArrayLike<number>).length !== "number") {
      throw new TypeError(`${fn}: counts must be an array of numbers, got ${describe(counts)}`);
    }
    if (counts.length !== words.length) {
      throw new RangeError(`${fn}: ${words.length} words but ${counts.length} counts`);
    }
    const ids = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (typeof w !== "string") throw new TypeError(`${fn}: words[${i}] must be a string, got ${describe(w)}`);
      if (ids.has(w)) throw new RangeError(`${fn}: word ${JSON.stringify(w)} appears twice (ids ${ids.get(w)} and ${i})`);
      checkNumber(fn, `counts[${i}]`, counts[i], 0);
      ids.set(w, i);
      total += counts[i];
    }
    this.words = Object.freeze(words.slice());
    this.counts = Float64Array.from(counts);
    this.totalCount = total;
    this.ids = ids;
  }

  /**
   * Counts the words of `sentences` (arrays of tokens) and keeps those seen at least `minCount` times,
   * most frequent first, ties in order of first appearance.
   *
   * @example
   * ```ts
   * Vocab.build([["b", "a", "a", "c"]], { minCount: 2 }).words; // ["a"]
   * ```
   */
  static build(sentences: Iterable<readonly string[]>, options: VocabOptions = {}): Vocab {
    const fn = "Vocab.build";
    const o = checkOptions(fn, options, ["minCount"]) as VocabOptions;
    const minCount = o.minCount === undefined ? 1 : checkInt(fn, "minCount", o.minCount, 1);
    if (sentences == null || typeof (sentences as Iterable<readonly string[]>)[Symbol.iterator] !== "function") {
      throw new TypeError(`${fn}: sentences must be an iterable of token arrays, got ${describe(sentences)}`);
    }
    const counts = new Map<string, number>();
    for (const sentence of sentences) {
      for (const w of sentence) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    return Vocab.fromCounts(counts, { minCount });
  }

  /**
   * A vocabulary from word counts (a Map or [word, count] pairs, in first-seen order), keeping words
   * with count >= `minCount`, sorted by descending count; equal counts keep their input order.
   *
   * @example
   * ```ts
   * Vocab.fromCounts(new Map([["x", 1], ["y", 3]])).words; // ["y", "x"]
   * ```
   */
  static fromCounts(counts: Iterable<readonly [string, number]>, options: VocabOptions = {}): Vocab {
    const fn = "Vocab.fromCounts";
    const o = checkOptions(fn, options, ["minCount"]) as VocabOptions;
    const minCount = o.minCount === undefined ? 1 : checkInt(fn, "minCount", o.minCount, 1);
    const kept: [string, number][] = [];
    for (const [w, c] of counts) if (c >= minCount) kept.push([w, c]);
    kept.sort((a, b) => b[1] - a[1]); // Array.prototype.sort is stable: ties keep first-seen order
    return new Vocab(
      kept.map((e) => e[0]),
      kept.map((e) => e[1]),
    );
  }

  /** The number of words. */
  get size(): number {
    return this.words.length;
  }

  /** The id of `word`, or -1 when it is not in the vocabulary. */
  idOf(word: string): number {
    return this.ids.get(word) ?? -1;
  }

  /** Whether `word` is in the vocabulary. */
  has(word: string): boolean {
    return this.ids.has(word);
  }

  /** The count of word `id`. */
  count(id: number): number {
    checkInt("Vocab.count", "id", id, 0, this.size - 1);
    return this.counts[id];
  }

  /** The ids of `tokens`, unknown words dropped. */
  encode(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    let n = 0;
    for (const t of tokens) {
      const id = this.ids.get(t);
      if (id !== undefined) out[n++] = id;
    }
    return out.slice(0, n);
  }

  /**
   * The probability of keeping each word under frequent-word subsampling with threshold `sample`
   * (word2vec's formula, as in word2vec.c and gensim): with `f = count / (sample · totalCount)`,
   * `keep = min(1, (√f + 1) / f)`. `sample = 0` keeps everything.
   *
   * @example
   * ```ts
   * const vocab = new Vocab(["the", "cat"], [9000, 1000]);
   * vocab.keepProbabilities(1e-3); // Float64Array [~0.0344, ~0.1100]
   * ```
   */
  keepProbabilities(sample: number): Float64Array {
    checkNumber("Vocab.keepProbabilities", "sample", sample, 0, 1);
    const keep = new Float64Array(this.size).fill(1);
    if (sample === 0) return keep;
    const threshold = sample * this.totalCount;
    for (let i = 0; i < this.size; i++) {
      const f = this.counts[i] / threshold;
      if (f > 0) keep[i] = Math.min(1, (Math.sqrt(f) + 1) / f);
    }
    return keep;
  }
}
