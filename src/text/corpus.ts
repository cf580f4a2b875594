import { Vocab } from "./vocab.js";
import { tokenize } from "./tokenize.js";
import { checkInt, checkOptions, describe } from "../tensor/check.js";

/**
 * A tokenised corpus ready for training: every in-vocabulary token as an id in one `Int32Array`,
 * and where each sentence starts. Sentence `s` is `ids.subarray(starts[s], starts[s + 1])`;
 * context windows never cross a sentence boundary.
 */
export interface EncodedCorpus {
  readonly vocab: Vocab;
  /** The ids of the kept tokens, sentence after sentence. */
  readonly ids: Int32Array;
  /** `starts[s]`: offset of sentence s in `ids`; length = sentences + 1, last = ids.length. */
  readonly starts: Int32Array;
  /** Every token of the text, in-vocabulary or not (gensim's "raw words"). */
  readonly rawTokens: number;
}

/** Options of {@link encodeCorpus}. */
export interface EncodeOptions {
  /** Words seen fewer times are dropped (default 5, as gensim). */
  minCount?: number;
  /** Longer sentences are cut into pieces of at most this many tokens (default 10000, as gensim). */
  maxSentenceLength?: number;
}

/**
 * Tokenises a text of one document per line ({@link tokenize}), builds its {@link Vocab} and encodes
 * it. Lines longer than `maxSentenceLength` tokens are cut into pieces (as gensim does), so a
 * training job never holds a whole book as one sentence.
 *
 * @example
 * ```ts
 * const c = encodeCorpus("the cat sat\nthe dog sat\n", { minCount: 2 });
 * c.vocab.words; // ["the", "sat"]
 * c.ids;         // [0, 1, 0, 1]
 * c.starts;      // [0, 2, 4]
 * ```
 */
export function encodeCorpus(text: string, options: EncodeOptions = {}): EncodedCorpus {
  const fn = "encodeCorpus";
  if (typeof text !== "string") throw new TypeError(`${fn}: text must be a string, got ${describe(text)}`);
  const o = checkOptions(fn, options, ["minCount", "maxSentenceLength"]) as EncodeOptions;
  const minCount = o.minCount === undefined ? 5 : checkInt(fn, "minCount", o.minCount, 1);
  const maxLen = o.maxSentenceLength === undefined ? 10000 : checkInt(fn, "maxSentenceLength", o.maxSentenceLength, 1);
  const lines: string[][] = [];
  let rawTokens = 0;
  for (const line of text.split("\n")) {
    const tokens = tokenize(line);
    rawTokens += tokens.length;
    if (tokens.length > 0) lines.push(tokens);
  }
  const vocab = Vocab.build(lines, { minCount });
  return encodeLines(lines, vocab, maxLen, rawTokens);
}

/**
 * Tokenized lines as ids of `vocab` (words it does not have are dropped), each line cut into pieces of
 * at most `maxLen` ids: the one encoder behind {@link encodeCorpus} and a resumed model's new text.
 * @internal
 */
export function encodeLines(lines: readonly string[][], vocab: Vocab, maxLen: number, rawTokens: number): EncodedCorpus {
  const ids = new Int32Array(rawTokens);
  const starts: number[] = [0];
  let n = 0;
  for (const tokens of lines) {
    let inPiece = 0;
    for (const t of tokens) {
      const id = vocab.idOf(t);
      if (id < 0) continue;
      if (inPiece === maxLen) {
        starts.push(n);
        inPiece = 0;
      }
      ids[n++] = id;
      inPiece++;
    }
    if (n > starts[starts.length - 1]) starts.push(n);
  }
  return { vocab, ids: ids.slice(0, n), starts: Int32Array.from(starts), rawTokens };
}
