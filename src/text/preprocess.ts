import { checkInt, describe } from "../tensor/check.js";

/** What {@link preprocess} returns: the corpus as ids and the two lookup tables. */
export interface Preprocessed {
  corpus: Int32Array;
  wordToId: Map<string, number>;
  idToWord: string[];
}

/**
 * The book's `preprocess` for the small teaching case: lower-case, split a final period off as its
 * own token, split on single spaces, give ids in order of first appearance.
 *
 * @example
 * ```ts
 * const { corpus, idToWord } = preprocess("You say goodbye and I say hello.");
 * corpus;   // [0, 1, 2, 3, 4, 1, 5, 6]
 * idToWord; // ["you", "say", "goodbye", "and", "i", "hello", "."]
 * ```
 */
export function preprocess(text: string): Preprocessed {
  if (typeof text !== "string") throw new TypeError(`preprocess: text must be a string, got ${describe(text)}`);
  const words = text.toLowerCase().replaceAll(".", " .").split(" ").filter((w) => w.length > 0);
  const wordToId = new Map<string, number>();
  const idToWord: string[] = [];
  for (const w of words) {
    if (!wordToId.has(w)) {
      wordToId.set(w, idToWord.length);
      idToWord.push(w);
    }
  }
  const corpus = Int32Array.from(words, (w) => wordToId.get(w) as number);
  return { corpus, wordToId, idToWord };
}

/**
 * The book's `create_contexts_target`: for every position with a full window on both sides, the
 * `2·windowSize` context ids (left to right, the target left out) and the target id.
 *
 * @example
 * ```ts
 * const { corpus } = preprocess("You say goodbye and I say hello.");
 * const { contexts, target } = createContextsTarget(corpus, 1);
 * contexts.shape;        // [6, 2]
 * contexts.data.subarray(0, 2); // [0, 2]: "you" and "goodbye" around "say"
 * target;                // [1, 2, 3, 4, 1, 5]
 * ```
 */
export function createContextsTarget(
  corpus: ArrayLike<number>,
  windowSize = 1,
): { contexts: { data: Int32Array; shape: [number, number] }; target: Int32Array } {
  const fn = "createContextsTarget";
  if (corpus == null || typeof corpus.length !== "number") throw new TypeError(`${fn}: corpus must be an array of ids, got ${describe(corpus)}`);
  checkInt(fn, "windowSize", windowSize, 1);
  for (let i = 0; i < corpus.length; i++) checkInt(fn, `corpus[${i}]`, corpus[i], 0);
  const n = Math.max(0, corpus.length - 2 * windowSize);
  const C = 2 * windowSize;
  const contexts = new Int32Array(n * C);
  const target = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const center = t + windowSize;
    target[t] = corpus[center];
    let k = t * C;
    for (let d = -windowSize; d <= windowSize; d++) if (d !== 0) contexts[k++] = corpus[center + d];
  }
  return { contexts: { data: contexts, shape: [n, C] }, target };
}
