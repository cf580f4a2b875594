// fastText's dictionary: words and labels with their counts, sorted (words first, then labels, each by
// count descending), each word's input rows (its own row, then its character n-gram buckets), and the
// subsampling table. Row r < nwords is word r; row nwords + b is bucket b.
import type { FastTextArgs } from "./args.js";
import { fnv1aBytes, pushNgramRows, pushWordNgramRows, utf8 } from "./hash.js";

/** The end of a line, a word of its own (fastText's EOS). */
export const EOS = "</s>";
export const WORD = 0;
export const LABEL = 1;

/** The settings a dictionary reads. */
export type DictionaryArgs = Pick<FastTextArgs, "model" | "minn" | "maxn" | "bucket" | "label" | "wordNgrams" | "t">;

/**
 * fastText's dictionary: entries (words, then labels, each most frequent first) with their counts,
 * each word's input rows (its own row, then its n-gram buckets) and the subsampling table.
 *
 * @example
 * ```ts
 * const model = await trainFastText("the cat sat on the mat\n".repeat(5), { dim: 4, minCount: 1, epoch: 1, bucket: 100 });
 * model.dict.words[0];         // "the"
 * model.dict.getId("mat") > 0; // true
 * ```
 */
export class FastTextDictionary {
  readonly words: string[];
  readonly counts: number[];
  /** WORD or LABEL per entry. */
  readonly types: Uint8Array;
  readonly nwords: number;
  readonly nlabels: number;
  /** Tokens read when it was built (fastText's ntokens: every word and label occurrence, EOS included). */
  readonly ntokens: number;
  readonly args: DictionaryArgs;
  private readonly rowOf: Map<string, number>;
  /** Word w's input rows are subIds[subStart[w] .. subStart[w + 1]). */
  readonly subStart: Int32Array;
  readonly subIds: Int32Array;
  /** Probability of keeping word w in a line (fastText's pdiscard: sqrt(t/f) + t/f, f its frequency). */
  readonly pdiscard: Float32Array;

  /** Entries already sorted words-first and by count (as in a .bin file). */
  constructor(args: DictionaryArgs, words: string[], counts: number[], types: Uint8Array, ntokens: number) {
    this.args = args;
    this.words = words;
    this.counts = counts;
    this.types = types;
    this.ntokens = ntokens;
    let nw = 0;
    while (nw < types.length && types[nw] === WORD) nw++;
    this.nwords = nw;
    this.nlabels = words.length - nw;
    this.rowOf = new Map();
    words.forEach((w, i) => this.rowOf.set(w, i));
    const starts = new Int32Array(nw + 1);
    const ids: number[] = [];
    for (let i = 0; i < nw; i++) {
      ids.push(i);
      if (words[i] !== EOS) pushNgramRows(utf8("<" + words[i] + ">"), args.minn, args.maxn, args.bucket, nw, ids);
      starts[i + 1] = ids.length;
    }
    this.subStart = starts;
    this.subIds = Int32Array.from(ids);
    this.pdiscard = new Float32Array(words.length);
    for (let i = 0; i < words.length; i++) {
      const f = Math.fround(Math.fround(counts[i]) / Math.fround(ntokens));
      this.pdiscard[i] = Math.sqrt(args.t / f) + args.t / f;
    }
  }

  /**
   * From raw counts (in first-seen order): drops words below minCount and labels below minCountLabel,
   * then sorts words first, then labels, each by count descending (ties in first-seen order).
   */
  static fromCounts(args: DictionaryArgs & Pick<FastTextArgs, "minCount" | "minCountLabel">, counts: Map<string, number>, ntokens: number): FastTextDictionary {
    const entries: { w: string; c: number; t: number; k: number }[] = [];
    let k = 0;
    for (const [w, c] of counts) {
      const t = w.startsWith(args.label) ? LABEL : WORD;
      if ((t === WORD && c >= args.minCount) || (t === LABEL && c >= args.minCountLabel)) entries.push({ w, c, t, k });
      k++;
    }
    entries.sort((a, b) => a.t - b.t || b.c - a.c || a.k - b.k);
    return new FastTextDictionary(args, entries.map((e) => e.w), entries.map((e) => e.c), Uint8Array.from(entries.map((e) => e.t)), ntokens);
  }

  get size(): number {
    return this.words.length;
  }

  /** The entry of `w` (word or label), or -1. */
  getId(w: string): number {
    return this.rowOf.get(w) ?? -1;
  }

  /** Whether `w` is a label (starts with the label prefix). */
  isLabel(w: string): boolean {
    return w.startsWith(this.args.label);
  }

  /**
   * The input rows of a word: for a known word its own row and its n-gram rows; for an unknown one
   * its n-gram rows only (none for EOS), as fastText's getSubwords.
   */
  wordRows(word: string, out: number[] = []): number[] {
    const id = this.getId(word);
    if (id >= 0 && id < this.nwords) {
      for (let i = this.subStart[id]; i < this.subStart[id + 1]; i++) out.push(this.subIds[i]);
    } else if (word !== EOS) {
      pushNgramRows(utf8("<" + word + ">"), this.args.minn, this.args.maxn, this.args.bucket, this.nwords, out);
    }
    return out;
  }

  /**
   * A line of tokens as the supervised model reads it (fastText's getLine for `sup`): the rows of each
   * word (known: its rows; unknown: its n-grams), then the word n-gram rows; the labels (label ids,
   * 0-based) of known labels. Unknown labels are dropped. Reading stops after EOS.
   */
  encodeSupervised(tokens: readonly string[], rows: number[], labels: number[]): number {
    const hashes: number[] = [];
    let n = 0;
    const { maxn } = this.args;
    for (const token of tokens) {
      n++;
      const id = this.getId(token);
      const type = id < 0 ? (this.isLabel(token) ? LABEL : WORD) : this.types[id];
      if (type === WORD) {
        if (id < 0) {
          if (token !== EOS) pushNgramRows(utf8("<" + token + ">"), this.args.minn, maxn, this.args.bucket, this.nwords, rows);
        } else if (maxn <= 0) {
          rows.push(id);
        } else {
          for (let i = this.subStart[id]; i < this.subStart[id + 1]; i++) rows.push(this.subIds[i]);
        }
        hashes.push(fnv1aBytes(utf8(token)));
      } else if (id >= 0) {
        labels.push(id - this.nwords);
      }
      if (token === EOS) break;
    }
    pushWordNgramRows(hashes, this.args.wordNgrams, this.args.bucket, this.nwords, rows);
    return n;
  }
}
