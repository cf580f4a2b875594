import { Tensor } from "../tensor/tensor.js";
import { checkBoolean, checkInt, checkOptions, describe } from "../tensor/check.js";
import { TopN } from "./top-n.js";
import { pearson, spearman } from "./correlation.js";

/** A word and its cosine similarity to a query. */
export interface Neighbour {
  word: string;
  similarity: number;
}

/** What {@link KeyedVectors.evaluateWordPairs} reports. */
export interface WordPairsScore {
  /** Spearman's rank correlation (ties get average ranks) between the gold scores and the cosines. */
  spearman: number;
  /** Pearson's r between the gold scores and the cosines. */
  pearson: number;
  /** Fraction (0..1) of pairs skipped because a word is out of vocabulary; gensim reports a percent. */
  oovRatio: number;
  /** Pairs read. */
  pairs: number;
  /** Pairs whose two words are in the vocabulary: the ones correlated. */
  used: number;
}

/** What {@link KeyedVectors.evaluateAnalogies} reports. */
export interface AnalogyScore {
  /** correct / total, or 0 when no question could be asked (as gensim). */
  accuracy: number;
  correct: number;
  /** Questions whose four words are all in the vocabulary. */
  total: number;
  /** Questions skipped because a word is out of vocabulary. */
  skipped: number;
}

/** Options of the evaluate methods. */
export interface EvaluateOptions {
  /**
   * Compare words by their upper-case form, the first (most frequent) variant of a word standing for
   * all of them: gensim's default `case_insensitive=True`. Default false: exact matching.
   */
  caseInsensitive?: boolean;
  /**
   * Only the first `restrictVocab` words count as known and are searched (gensim's `restrict_vocab`,
   * 300000 by default there; here all words by default).
   */
  restrictVocab?: number;
}

/**
 * For the file decoders (not part of the package's API): `words[i]` owns row i of `data [n, dim]`;
 * a word seen before is dropped with its row, the first one kept (as gensim 4 does), compacting
 * `data` only if that happens. The word-to-row map is built once, here, not again by the constructor
 * (a hash table of 300,000 words costs about as much as reading their vectors).
 */
export function keyedVectorsFromRows(words: string[], data: Float32Array, dim: number): KeyedVectors {
  const rowOf = new Map<string, number>();
  let kept = 0;
  for (let r = 0; r < words.length; r++) {
    const w = words[r];
    if (rowOf.has(w)) continue;
    if (kept !== r) {
      words[kept] = w;
      data.copyWithin(kept * dim, r * dim, (r + 1) * dim);
    }
    rowOf.set(w, kept++);
  }
  words.length = kept;
  const table = kept * dim === data.length ? data : data.slice(0, kept * dim);
  return new KeyedVectors(words, new Tensor(table, [kept, dim]), rowOf);
}

/**
 * Word vectors: a vocabulary `words` and a table `vectors [V, H]` whose row i belongs to `words[i]`,
 * with cosine-similarity queries. The unit-normalised table is computed once, lazily, on the first
 * similarity query; call {@link KeyedVectors.refresh} if you change `vectors` afterwards.
 *
 * Cosines are computed on float32 unit vectors with float64 sums. A zero vector stays zero when
 * normalised, so its cosine with anything is 0. A row holding NaN or Infinity has no direction: it is
 * never returned as a neighbour, asking for its neighbours or its similarity is a RangeError naming
 * the word and the row, and {@link KeyedVectors.nonFiniteRows} lists such rows (the CLI warns about
 * them). gensim returns such rows with similarity `nan` and answers queries on them with `nan`s.
 *
 * @example
 * ```ts
 * const kv = new KeyedVectors(["king", "queen", "man", "woman"], Tensor.from([
 *   [0.9, 0.8, 0.1], [0.9, 0.1, 0.8], [0.1, 0.9, 0.1], [0.1, 0.1, 0.9],
 * ]));
 * kv.similarity("king", "queen");          // 0.6644...
 * kv.analogy("man", "king", "woman")[0];   // { word: "queen", similarity: 0.9500... }
 * kv.mostSimilar("king", 2).map((n) => n.word); // ["man", "queen"]
 * ```
 */
export class KeyedVectors {
  /** The vocabulary; `words[i]` owns row i of `vectors`. */
  readonly words: readonly string[];
  /** The table `[V, H]`, used as given (not copied). */
  readonly vectors: Tensor;
  private readonly rowOf: Map<string, number>;
  /** The unit table in blocks of eight rows (see {@link blockedIndex}), built by normed(). */
  private unit: Float32Array | null = null;
  /** The same, row-major, made only for unitVectors(). */
  private unitRowMajor: Float32Array | null = null;
  private badRows: number[] = [];
  private upperRows: Map<string, number[]> | null = null;

  /**
   * `words` must be distinct strings, one per row of the 2-D `vectors` (which needs at least one column).
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["a", "b"], Tensor.from([[1, 0], [0, 1]]));
   * kv.size; // 2
   * kv.dim;  // 2
   * ```
   */
  constructor(words: readonly string[], vectors: Tensor);
  /**
   * For {@link keyedVectorsFromRows}, which has already checked the words and built the map
   * `words[i] -> i` (it is not built twice: for 300,000 words that costs about as much as reading
   * their vectors).
   * @internal
   */
  constructor(words: readonly string[], vectors: Tensor, rowOf: Map<string, number>);
  constructor(words: readonly string[], vectors: Tensor, prebuilt?: Map<string, number>) {
    const fn = "KeyedVectors";
    if (!Array.isArray(words)) throw new TypeError(`${fn}: words must be an array of strings, got ${describe(words)}`);
    if (!(vectors instanceof Tensor)) throw new TypeError(`${fn}: vectors must be a Tensor, got ${describe(vectors)}`);
    if (vectors.ndim !== 2) {
      throw new RangeError(`${fn}: vectors must be 2-D [V, H], got shape [${vectors.shape.join(", ")}]`);
    }
    const [V, H] = vectors.shape;
    if (V !== words.length) {
      throw new RangeError(`${fn}: vectors has ${V} rows but there are ${words.length} words`);
    }
    if (H < 1) throw new RangeError(`${fn}: vectors must have at least one column, got shape [${V}, ${H}]`);
    let rowOf: Map<string, number>;
    if (prebuilt instanceof Map && prebuilt.size === words.length) {
      rowOf = prebuilt;
    } else {
      rowOf = new Map<string, number>();
      for (let i = 0; i < words.length; i++) {
        const w = words[i];
        if (typeof w !== "string") throw new TypeError(`${fn}: words[${i}] must be a string, got ${describe(w)}`);
        const first = rowOf.get(w);
        if (first !== undefined) {
          throw new RangeError(`${fn}: words[${i}] ${describe(w)} repeats words[${first}]; words must be distinct`);
        }
        rowOf.set(w, i);
      }
    }
    this.words = Object.freeze(words.slice());
    this.vectors = vectors;
    this.rowOf = rowOf;
  }

  /** The number of words, V. */
  get size(): number {
    return this.vectors.shape[0];
  }

  /** The vector length, H. */
  get dim(): number {
    return this.vectors.shape[1];
  }

  /**
   * Whether `word` is in the vocabulary.
   *
   * @example
   * ```ts
   * new KeyedVectors(["a"], Tensor.from([[1, 2]])).has("a"); // true
   * ```
   */
  has(word: string): boolean {
    return this.rowOf.has(word);
  }

  /**
   * The row of `word`, or -1 if it is not in the vocabulary.
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["a", "b"], Tensor.from([[1, 2], [3, 4]]));
   * kv.index("b"); // 1
   * kv.index("z"); // -1
   * ```
   */
  index(word: string): number {
    return this.rowOf.get(word) ?? -1;
  }

  /**
   * A copy of the vector of `word`; RangeError naming the word if it is absent.
   *
   * @example
   * ```ts
   * new KeyedVectors(["a"], Tensor.from([[1, 2]])).get("a"); // Float32Array [1, 2]
   * ```
   */
  get(word: string): Float32Array {
    const i = this.rowFor("KeyedVectors.get", "word", word);
    const H = this.dim;
    return this.vectors.data.slice(i * H, (i + 1) * H);
  }

  /**
   * The unit-normalised table `[V, H]` (rows divided by their L2 norm; zero rows stay zero; rows
   * holding NaN or Infinity all NaN), computed on first use and cached.
   *
   * @example
   * ```ts
   * new KeyedVectors(["a"], Tensor.from([[3, 4]])).unitVectors().data; // Float32Array [0.6, 0.8]
   * ```
   */
  unitVectors(): Tensor {
    if (this.unitRowMajor === null) {
      const [V, H] = this.vectors.shape;
      const ub = this.normed();
      const u = new Float32Array(V * H);
      for (let r = 0; r < V; r++) unitRowInto(ub, r, H, u, r * H);
      this.unitRowMajor = u;
    }
    return new Tensor(this.unitRowMajor, this.vectors.shape);
  }

  /**
   * Drops the cached unit vectors, for when `vectors` was changed in place after a query.
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["a", "b"], Tensor.from([[1, 0], [0, 1]]));
   * kv.similarity("a", "b"); // 0
   * kv.vectors.data[1] = 1;  // a = [1, 1]
   * kv.refresh();
   * kv.similarity("a", "b"); // 0.7071...
   * ```
   */
  refresh(): void {
    this.unit = null;
    this.unitRowMajor = null;
    this.badRows = [];
  }

  /**
   * Rows whose vector holds NaN or ±Infinity (ascending): they have no direction, so similarity queries
   * leave them out; a file with such rows usually comes from a training run that diverged.
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["a", "b", "c"], Tensor.from([[1, 0], [NaN, 1], [0, 1]]));
   * kv.nonFiniteRows();                        // [1]
   * kv.mostSimilar("a", 5).map((n) => n.word); // ["c"]: "b" has no cosine with anything
   * ```
   */
  nonFiniteRows(): number[] {
    this.normed();
    return this.badRows.slice();
  }

  /**
   * The `topN` words nearest by cosine to a query, best first; ties go to the earlier row. The query is
   * a word, a vector, or several of them: as gensim's `most_similar(positive, negative)`, the query is
   * the mean of the positive terms minus the negative ones (`options.negative`), where a word stands
   * for its unit vector and a vector is taken as given (scale it to weight it). Every word of the query
   * is left out of the answer, and so are the words in `options.exclude` (unknown ones are ignored).
   * `options.restrictVocab` searches only the first rows (gensim's `restrict_vocab`; query words may
   * lie beyond it). Fewer than `topN` come back when the vocabulary is smaller.
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["a", "b", "c"], Tensor.from([[1, 0], [1, 1], [0, 1]]));
   * kv.mostSimilar("a", 1);                        // [{ word: "b", similarity: 0.7071... }]
   * kv.mostSimilar(new Float32Array([0, 2]), 2);   // c (1), then b (0.7071...)
   * kv.mostSimilar("a", 1, { exclude: ["b"] });    // [{ word: "c", similarity: 0 }]
   * kv.mostSimilar("c", 1, { restrictVocab: 1 });  // [{ word: "a", similarity: 0 }]: only row 0 searched
   * kv.mostSimilar(["b"], 1, { negative: ["a"] }).map((n) => n.word); // ["c"]: unit(b) - unit(a) points towards c
   * ```
   */
  mostSimilar(
    word: string | Float32Array | readonly (string | Float32Array)[],
    topN = 10,
    options?: { negative?: readonly (string | Float32Array)[]; exclude?: readonly string[]; restrictVocab?: number },
  ): Neighbour[] {
    return this.nearestTo("KeyedVectors.mostSimilar", "word", word, topN, options);
  }

  /**
   * The `topN` words nearest by cosine to `vector` (as given: its length does not matter), best first:
   * gensim's `similar_by_vector`, the same as `mostSimilar(vector, topN, options)`.
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["a", "b", "c"], Tensor.from([[1, 0], [1, 1], [0, 1]]));
   * kv.similarByVector(new Float32Array([0, 2]), 2).map((n) => n.word); // ["c", "b"]
   * ```
   */
  similarByVector(vector: Float32Array, topN = 10, options?: { exclude?: readonly string[]; restrictVocab?: number }): Neighbour[] {
    const fn = "KeyedVectors.similarByVector";
    if (!(vector instanceof Float32Array)) throw new TypeError(`${fn}: vector must be a Float32Array, got ${describe(vector)}`);
    return this.nearestTo(fn, "vector", vector, topN, options === undefined ? undefined : checkOptions(fn, options, ["exclude", "restrictVocab"]));
  }

  /**
   * The `topN` words nearest by cosine to `word`, best first, `word` left out: gensim's
   * `similar_by_word`, the same as `mostSimilar(word, topN, options)`.
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["a", "b", "c"], Tensor.from([[1, 0], [1, 1], [0, 1]]));
   * kv.similarByWord("a", 1); // [{ word: "b", similarity: 0.7071... }]
   * ```
   */
  similarByWord(word: string, topN = 10, options?: { exclude?: readonly string[]; restrictVocab?: number }): Neighbour[] {
    const fn = "KeyedVectors.similarByWord";
    if (typeof word !== "string") throw new TypeError(`${fn}: word must be a string, got ${describe(word)}`);
    return this.nearestTo(fn, "word", word, topN, options === undefined ? undefined : checkOptions(fn, options, ["exclude", "restrictVocab"]));
  }

  /** mostSimilar's work, with `fn` and `arg` naming the method and the query argument in errors. */
  private nearestTo(
    fn: string,
    arg: string,
    word: unknown,
    topN: number,
    options: { negative?: readonly (string | Float32Array)[]; exclude?: readonly string[]; restrictVocab?: number } | undefined,
  ): Neighbour[] {
    const o = checkOptions(fn, options, ["negative", "exclude", "restrictVocab"]);
    const single = typeof word === "string" || word instanceof Float32Array;
    const positive = single ? [word] : word;
    if (!Array.isArray(positive) || (positive.length > 0 && positive.every((x) => typeof x === "number"))) {
      const hint = Array.isArray(positive) ? " (a vector must be a Float32Array)" : "";
      throw new TypeError(`${fn}: ${arg} must be a string, a Float32Array or an array of them, got ${describe(word)}${hint}`);
    }
    const negative = this.negativeTerms(fn, o.negative);
    if (positive.length === 0 && negative.length === 0) {
      throw new RangeError(`${fn}: ${arg} must name at least one word or vector (or options.negative some), got []`);
    }
    const skip: number[] = [];
    const pos = this.queryTerms(fn, arg, positive, skip, !single);
    const neg = this.queryTerms(fn, "options.negative", negative, skip, true);
    checkInt(fn, "topN", topN, 1);
    if (o.exclude !== undefined) {
      if (!Array.isArray(o.exclude)) {
        throw new TypeError(`${fn}: options.exclude must be an array of strings, got ${describe(o.exclude)}`);
      }
      o.exclude.forEach((w: unknown, k: number) => {
        if (typeof w !== "string") throw new TypeError(`${fn}: options.exclude[${k}] must be a string, got ${describe(w)}`);
        const i = this.index(w);
        if (i >= 0) skip.push(i);
      });
    }
    const rows = o.restrictVocab === undefined ? this.size : checkInt(fn, "options.restrictVocab", o.restrictVocab, 1);
    // A lone word is its own unit row, so that its cosines equal similarity()'s to the last bit.
    const query = pos.length === 1 && neg.length === 0 && typeof positive[0] === "string" ? pos[0] : this.meanQuery(pos, neg);
    return this.nearest(query, topN, skip, rows);
  }

  /** options.negative, checked to be an array (its elements are checked by queryTerms). */
  private negativeTerms(fn: string, negative: unknown): readonly unknown[] {
    if (negative !== undefined && !Array.isArray(negative)) {
      throw new TypeError(`${fn}: options.negative must be an array of words or Float32Arrays, got ${describe(negative)}`);
    }
    return negative ?? [];
  }

  /**
   * The terms of a query, checked: a word becomes its row of the unit table (and joins `skip`), a
   * vector stays as given. `indexed` names elements `arg[k]`.
   */
  private queryTerms(fn: string, arg: string, terms: readonly unknown[], skip: number[], indexed: boolean): Float32Array[] {
    const H = this.dim;
    return terms.map((t, k) => {
      const name = indexed ? `${arg}[${k}]` : arg;
      if (typeof t === "string") {
        const i = this.finiteRowFor(fn, name, t);
        skip.push(i);
        return this.unitRow(i);
      }
      if (!(t instanceof Float32Array)) {
        throw new TypeError(`${fn}: ${name} must be a string or a Float32Array, got ${describe(t)}`);
      }
      const what = indexed ? `the query vector ${name}` : "the query vector";
      if (t.length !== H) throw new RangeError(`${fn}: ${what} has length ${t.length}, expected ${H}`);
      for (let j = 0; j < H; j++) {
        if (!Number.isFinite(t[j])) throw new RangeError(`${fn}: ${what} holds ${t[j]} at [${j}]`);
      }
      return t;
    });
  }

  /** unit(sum(pos) - sum(neg)): gensim's mean query (the division by the count does not change it). */
  private meanQuery(pos: readonly Float32Array[], neg: readonly Float32Array[]): Float32Array {
    if (pos.length === 1 && neg.length === 0) return unitCopy(pos[0]);
    const H = this.dim;
    const sum = new Float64Array(H);
    for (const v of pos) for (let j = 0; j < H; j++) sum[j] += v[j];
    for (const v of neg) for (let j = 0; j < H; j++) sum[j] -= v[j];
    return unitCopy(Float32Array.from(sum));
  }

  /**
   * The cosine similarity of two words.
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["a", "b"], Tensor.from([[1, 0], [1, 1]]));
   * kv.similarity("a", "b"); // 0.7071067...
   * ```
   */
  similarity(a: string, b: string): number {
    const fn = "KeyedVectors.similarity";
    const i = this.finiteRowFor(fn, "a", a);
    const j = this.finiteRowFor(fn, "b", b);
    return this.cosineRows(i, j);
  }

  /**
   * "a is to b as c is to ?" by 3CosAdd: the words nearest to `unit(b) - unit(a) + unit(c)`, excluding
   * a, b and c (gensim's `most_similar(positive=[b, c], negative=[a])`); `options.restrictVocab`
   * searches only the first rows. For more words use {@link KeyedVectors.mostSimilar} with
   * `options.negative`.
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["king", "queen", "man", "woman"], Tensor.from([
   *   [0.9, 0.8, 0.1], [0.9, 0.1, 0.8], [0.1, 0.9, 0.1], [0.1, 0.1, 0.9],
   * ]));
   * kv.analogy("man", "king", "woman");                        // [{ word: "queen", similarity: 0.9500... }]
   * kv.analogy("man", "king", "woman", 1, { restrictVocab: 1 }); // []: only "king" is searched, an input
   * ```
   */
  analogy(a: string, b: string, c: string, topN = 1, options?: { restrictVocab?: number }): Neighbour[] {
    const fn = "KeyedVectors.analogy";
    const ia = this.finiteRowFor(fn, "a", a);
    const ib = this.finiteRowFor(fn, "b", b);
    const ic = this.finiteRowFor(fn, "c", c);
    checkInt(fn, "topN", topN, 1);
    const o = checkOptions(fn, options, ["restrictVocab"]);
    const rows = o.restrictVocab === undefined ? this.size : checkInt(fn, "options.restrictVocab", o.restrictVocab, 1);
    return this.nearest(this.offsetQuery(ia, ib, ic), topN, [ia, ib, ic], rows);
  }

  /**
   * The `topN` words that best answer a query by 3CosMul (Levy & Goldberg, 2014), gensim's
   * `most_similar_cosmul`: each word's score is the product over the positive terms of
   * (1 + cos) / 2, divided by the product over the negative terms plus 1e-6, where a word stands for
   * its unit vector and a vector is taken as given. Best first; the query words are left out. For
   * "man is to king as woman is to ?": `mostSimilarCosmul(["king", "woman"], 1, { negative: ["man"] })`.
   * (gensim 4.2 accepts a `restrict_vocab` here but ignores it, so there is none.)
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["king", "queen", "man", "woman"], Tensor.from([
   *   [0.9, 0.8, 0.1], [0.9, 0.1, 0.8], [0.1, 0.9, 0.1], [0.1, 0.1, 0.9],
   * ]));
   * kv.mostSimilarCosmul(["king", "woman"], 1, { negative: ["man"] }); // [{ word: "queen", similarity: 1.1746... }]
   * ```
   */
  mostSimilarCosmul(
    word: string | Float32Array | readonly (string | Float32Array)[],
    topN = 10,
    options?: { negative?: readonly (string | Float32Array)[] },
  ): Neighbour[] {
    const fn = "KeyedVectors.mostSimilarCosmul";
    const o = checkOptions(fn, options, ["negative"]);
    const single = typeof word === "string" || word instanceof Float32Array;
    const positive = single ? [word] : word;
    if (!Array.isArray(positive)) {
      throw new TypeError(`${fn}: word must be a string, a Float32Array or an array of them, got ${describe(word)}`);
    }
    if (positive.length === 0) throw new RangeError(`${fn}: word must name at least one word or vector, got []`);
    const negative = this.negativeTerms(fn, o.negative);
    const skip: number[] = [];
    const pos = this.queryTerms(fn, "word", positive, skip, !single);
    const neg = this.queryTerms(fn, "options.negative", negative, skip, true);
    checkInt(fn, "topN", topN, 1);
    const V = this.size;
    const num = new Float64Array(V).fill(1);
    const den = new Float64Array(V).fill(1);
    const cos = new Float64Array(V);
    for (const [terms, into] of [[pos, num], [neg, den]] as const) {
      for (const t of terms) {
        this.cosinesInto(t, cos);
        for (let r = 0; r < V; r++) into[r] *= (1 + cos[r]) / 2;
      }
    }
    const top = new TopN(Math.min(topN, V));
    for (let r = 0; r < V; r++) if (!skip.includes(r)) top.offer(r, num[r] / (den[r] + 1e-6));
    const { rows, scores } = top.drain();
    return rows.map((r, k) => ({ word: this.words[r], similarity: scores[k] }));
  }

  /**
   * The word of `words` that goes least with the others, gensim's `doesnt_match`: the one whose unit
   * vector has the lowest cosine with the unit mean of their unit vectors (ties: the first in code
   * point order, as gensim sorts). Unlike gensim, which ignores unknown words with a warning, an
   * unknown word is a RangeError naming it.
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["cat", "dog", "cow", "car"], Tensor.from([[1, 0.1], [0.9, 0.2], [1, 0.3], [0.1, 1]]));
   * kv.doesntMatch(["cat", "car", "dog", "cow"]); // "car"
   * ```
   */
  doesntMatch(words: readonly string[]): string {
    const fn = "KeyedVectors.doesntMatch";
    if (!Array.isArray(words)) throw new TypeError(`${fn}: words must be an array of strings, got ${describe(words)}`);
    if (words.length === 0) throw new RangeError(`${fn}: words must name at least one word, got []`);
    const rows = words.map((w, k) => this.finiteRowFor(fn, `words[${k}]`, w));
    const H = this.dim;
    const sum = new Float64Array(H);
    for (const r of rows) {
      const u = this.unitRow(r);
      for (let j = 0; j < H; j++) sum[j] += u[j];
    }
    const mean = unitCopy(Float32Array.from(sum));
    const u = this.normed();
    let worst = 0;
    let worstDist = Infinity;
    rows.forEach((r, k) => {
      const d = dot(mean, 0, 1, u, blockedIndex(r, 0, H), H);
      if (d < worstDist || (d === worstDist && codePointLess(words[k], words[worst]))) {
        worst = k;
        worstDist = d;
      }
    });
    return words[worst];
  }

  /**
   * The cosine similarity of the means of two sets of words, gensim's `n_similarity`: each mean is of
   * the words' vectors as stored (not unit-normalised first). Unlike gensim, which ignores unknown
   * words, an unknown word is a RangeError naming it.
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["a", "b", "c"], Tensor.from([[1, 0], [0, 1], [3, 3]]));
   * kv.nSimilarity(["a", "b"], ["c"]); // 1: the mean of a and b points the same way as c
   * ```
   */
  nSimilarity(words1: readonly string[], words2: readonly string[]): number {
    const fn = "KeyedVectors.nSimilarity";
    const mean = (arg: string, words: readonly string[]) => {
      if (!Array.isArray(words)) throw new TypeError(`${fn}: ${arg} must be an array of strings, got ${describe(words)}`);
      if (words.length === 0) throw new RangeError(`${fn}: ${arg} must name at least one word, got []`);
      const H = this.dim;
      const sum = new Float64Array(H);
      for (const i of words.map((w, k) => this.finiteRowFor(fn, `${arg}[${k}]`, w))) {
        for (let j = 0; j < H; j++) sum[j] += this.vectors.data[i * H + j];
      }
      return unitCopy(Float32Array.from(sum, (x) => x / words.length));
    };
    const a = mean("words1", words1);
    const b = mean("words2", words2);
    let s = 0;
    for (let j = 0; j < a.length; j++) s += a[j] * b[j];
    return s;
  }

  /**
   * A copy whose vectors have unit length: each row divided by its L2 norm (zero rows stay zero; rows
   * holding NaN or Infinity become all NaN). gensim's `unit_normalize_all` does the same in place.
   * Similarities are unchanged; dot products become cosines. `embedkit convert --normalize` writes it.
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["a", "b"], Tensor.from([[3, 4], [0, 2]]));
   * kv.normalized().vectors.data; // Float32Array [0.6, 0.8, 0, 1]
   * ```
   */
  normalized(): KeyedVectors {
    return new KeyedVectors(this.words, new Tensor(this.unitVectors().data.slice(), this.vectors.shape), this.rowOf);
  }

  /**
   * Correlates the model's cosines with human similarity scores (e.g. WordSim-353, read with
   * {@link readWordPairs}). Pairs with an unknown word are skipped and counted in `oovRatio` (a
   * fraction; gensim's `evaluate_word_pairs` reports the same number times 100). With no usable pair
   * the correlations are NaN (gensim raises).
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["a", "b", "c"], Tensor.from([[1, 0], [1, 1], [0, 1]]));
   * kv.evaluateWordPairs([["a", "b", 8], ["a", "c", 1], ["b", "c", 7], ["a", "zz", 5]]);
   * // { spearman: 0.866..., pearson: 0.991..., oovRatio: 0.25, pairs: 4, used: 3 }
   * ```
   */
  evaluateWordPairs(
    pairs: Iterable<readonly [string, string, number]>,
    options?: EvaluateOptions,
  ): WordPairsScore {
    const fn = "KeyedVectors.evaluateWordPairs";
    const { lookup } = this.lookupFor(fn, options);
    const checked = checkRecords(fn, "pairs", pairs, ["string", "string", "number"]);
    const gold: number[] = [];
    const model: number[] = [];
    for (const [a, b, score] of checked) {
      const i = lookup(a as string);
      const j = lookup(b as string);
      if (i < 0 || j < 0) continue;
      gold.push(score as number);
      model.push(this.cosineRows(i, j));
    }
    const n = checked.length;
    return {
      spearman: spearman(gold, model),
      pearson: pearson(gold, model),
      oovRatio: n === 0 ? NaN : (n - gold.length) / n,
      pairs: n,
      used: gold.length,
    };
  }

  /**
   * Answers analogy questions `[a, b, c, expected]` ("a is to b as c is to expected", e.g. Google's
   * questions-words.txt, read with {@link readAnalogies}) by 3CosAdd over the whole vocabulary. As
   * gensim's `evaluate_word_analogies`, only questions whose four words are all known count; the others
   * are `skipped`.
   *
   * @example
   * ```ts
   * const kv = new KeyedVectors(["king", "queen", "man", "woman"], Tensor.from([
   *   [0.9, 0.8, 0.1], [0.9, 0.1, 0.8], [0.1, 0.9, 0.1], [0.1, 0.1, 0.9],
   * ]));
   * kv.evaluateAnalogies([["man", "king", "woman", "queen"], ["man", "king", "girl", "queen"]]);
   * // { accuracy: 1, correct: 1, total: 1, skipped: 1 }
   * ```
   */
  evaluateAnalogies(
    questions: Iterable<readonly [string, string, string, string]>,
    options?: EvaluateOptions,
  ): AnalogyScore {
    const fn = "KeyedVectors.evaluateAnalogies";
    const { lookup, caseInsensitive, rows } = this.lookupFor(fn, options);
    const checked = checkRecords(fn, "questions", questions, ["string", "string", "string", "string"]);
    let correct = 0;
    let total = 0;
    for (const q of checked) {
      const [ia, ib, ic, id] = q.map((w) => lookup(w as string));
      if (ia < 0 || ib < 0 || ic < 0 || id < 0) continue;
      total++;
      // Every row spelled like a, b or c is left out (in case-insensitive mode, all its case variants).
      const skip = caseInsensitive ? [ia, ib, ic].flatMap((i) => this.variantsOf(i)) : [ia, ib, ic];
      const best = this.nearest(this.offsetQuery(ia, ib, ic), 1, skip, rows);
      if (best.length === 1 && lookup(best[0].word) === id) correct++;
    }
    return { accuracy: total === 0 ? 0 : correct / total, correct, total, skipped: checked.length - total };
  }

  // ---- internals -------------------------------------------------------------------------------

  private rowFor(fn: string, arg: string, word: unknown): number {
    if (typeof word !== "string") throw new TypeError(`${fn}: ${arg} must be a string, got ${describe(word)}`);
    const i = this.rowOf.get(word);
    if (i === undefined) throw new RangeError(`${fn}: ${arg} ${describe(word)} is not in the vocabulary`);
    return i;
  }

  /** rowFor, refusing a row that holds NaN or Infinity (it has no cosine with anything). */
  private finiteRowFor(fn: string, arg: string, word: unknown): number {
    const i = this.rowFor(fn, arg, word);
    this.normed();
    if (this.badRows.length > 0 && binaryHas(this.badRows, i)) {
      throw new RangeError(`${fn}: ${arg} ${describe(word)} (row ${i}) holds NaN or Infinity, so it has no cosine with anything`);
    }
    return i;
  }

  /**
   * The unit table, built on first use: row / ||row|| in float32, zero rows left zero, rows holding
   * NaN or Infinity set to NaN (so no comparison ever ranks them) and listed in `badRows`. It is
   * stored in blocks of eight rows, interleaved by column ({@link blockedIndex}), for the scan.
   */
  private normed(): Float32Array {
    if (this.unit !== null) return this.unit;
    const [V, H] = this.vectors.shape;
    const x = this.vectors.data;
    const u = new Float32Array(blockedLength(V, H));
    const bad: number[] = [];
    for (let r = 0, off = 0; r < V; r++, off += H) {
      const at = blockedIndex(r, 0, H); // element (r, j) is u[at + BLOCK·j]
      let ss = 0;
      for (let j = 0; j < H; j++) ss += x[off + j] * x[off + j];
      if (ss === 0) continue;
      if (!(ss < Infinity)) {
        // NaN, Infinity, or finite values whose squares overflow float64 (impossible for float32 data)
        let finite = true;
        for (let j = 0; j < H; j++) finite &&= Number.isFinite(x[off + j]);
        if (!finite) {
          bad.push(r);
          for (let j = 0; j < H; j++) u[at + BLOCK * j] = NaN;
          continue;
        }
      }
      const inv = 1 / Math.sqrt(ss);
      for (let j = 0; j < H; j++) u[at + BLOCK * j] = x[off + j] * inv;
    }
    this.unit = u;
    this.badRows = bad;
    return u;
  }

  /** Row i of the unit table, as a new Float32Array [H]. */
  private unitRow(i: number): Float32Array {
    const H = this.dim;
    const out = new Float32Array(H);
    unitRowInto(this.normed(), i, H, out, 0);
    return out;
  }

  private cosineRows(i: number, j: number): number {
    const u = this.normed();
    const H = this.dim;
    return dot(u, blockedIndex(i, 0, H), BLOCK, u, blockedIndex(j, 0, H), H);
  }

  /** unit(unit(b) - unit(a) + unit(c)), the 3CosAdd query. */
  private offsetQuery(ia: number, ib: number, ic: number): Float32Array {
    const a = this.unitRow(ia);
    const b = this.unitRow(ib);
    const c = this.unitRow(ic);
    const q = new Float32Array(this.dim);
    for (let k = 0; k < q.length; k++) q[k] = b[k] - a[k] + c[k];
    return unitCopy(q);
  }

  /** out[r] = cos(row r, q) for every row, q taken as given (a unit q gives cosines). */
  private cosinesInto(q: Float32Array, out: Float64Array): void {
    const u = this.normed();
    const H = this.dim;
    for (let r = 0; r < this.size; r++) out[r] = dot(q, 0, 1, u, blockedIndex(r, 0, H), H);
  }

  /** One pass over the first `searched` rows of the unit table, keeping the best `n` rows not in `skip`. */
  private nearest(query: Float32Array, n: number, skip: readonly number[], searched = this.size): Neighbour[] {
    const V = Math.min(searched, this.size);
    const top = new TopN(Math.min(n, V));
    scanTop(this.normed(), query, V, this.dim, top, skip);
    const { rows, scores } = top.drain();
    return rows.map((r, k) => ({ word: this.words[r], similarity: scores[k] }));
  }

  /** word -> row, exact or (gensim's case_insensitive) by upper case, the first variant winning. */
  private lookupFor(
    fn: string,
    options: EvaluateOptions | undefined,
  ): { lookup: (word: string) => number; caseInsensitive: boolean; rows: number } {
    const o = checkOptions(fn, options, ["caseInsensitive", "restrictVocab"]);
    const ci = o.caseInsensitive === undefined ? false : checkBoolean(fn, "options.caseInsensitive", o.caseInsensitive);
    const rows = o.restrictVocab === undefined ? this.size : checkInt(fn, "options.restrictVocab", o.restrictVocab, 1);
    if (!ci) {
      return { lookup: (w) => { const i = this.index(w); return i < rows ? i : -1; }, caseInsensitive: false, rows };
    }
    const upper = this.upperMap();
    // The first variant overall is the first within the restriction, if any variant is.
    return { lookup: (w) => { const i = upper.get(w.toUpperCase())?.[0] ?? -1; return i < rows ? i : -1; }, caseInsensitive: true, rows };
  }

  private upperMap(): Map<string, number[]> {
    if (this.upperRows === null) {
      const m = new Map<string, number[]>();
      this.words.forEach((w, i) => {
        const key = w.toUpperCase();
        const rows = m.get(key);
        if (rows) rows.push(i);
        else m.set(key, [i]);
      });
      this.upperRows = m;
    }
    return this.upperRows;
  }

  private variantsOf(row: number): number[] {
    return this.upperMap().get(this.words[row].toUpperCase()) ?? [row];
  }
}

/** Rows per block of the unit table (see {@link blockedIndex}). */
const BLOCK = 8;

/**
 * Where element (r, k) of a [V, H] table stored in blocks of eight rows lives: block r >> 3 holds
 * rows 8b..8b+7 column by column (k-major, the eight rows' values side by side), so that the scan
 * reads one sequential stream and shares each load of the query among eight rows. The last block is
 * padded with zero rows.
 */
export function blockedIndex(r: number, k: number, H: number): number {
  return ((r >> 3) * H + k) * BLOCK + (r & 7);
}

/** The length of a blocked [V, H] table: V rounded up to a multiple of the block, times H. */
export function blockedLength(V: number, H: number): number {
  return Math.ceil(V / BLOCK) * BLOCK * H;
}

/** Row r of a blocked table into out[at..at+H). */
function unitRowInto(ub: Float32Array, r: number, H: number, out: Float32Array, at: number): void {
  const from = blockedIndex(r, 0, H);
  for (let k = 0; k < H; k++) out[at + k] = ub[from + BLOCK * k];
}

/**
 * sum_k a[ao + k·sa] · b[bo + k·BLOCK], k = 0 … n-1 in order, one float64 sum. `b` is a row of a
 * blocked table; `a` is a plain vector (sa = 1) or another blocked row (sa = BLOCK). Every cosine
 * goes through this order (scanTop computes eight rows at once, each in the same order), so
 * mostSimilar and similarity agree to the last bit.
 */
function dot(a: Float32Array, ao: number, sa: number, b: Float32Array, bo: number, n: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += a[ao + k * sa] * b[bo + BLOCK * k];
  return s;
}

/**
 * The scan of mostSimilar: scores u[r] . q for rows [0, V) of the blocked unit table u (see
 * {@link blockedIndex}), offering to `top` those above its threshold (NaN never is) that are not in
 * `skip`. Eight rows per pass (one block, read as one stream) share each load of q, one sum per row
 * (eight independent chains). Measured on 300,000 x 100 (bench/variants.ts, `npm run bench:vectors`):
 * blocks of four rows with two sums each 1.08-1.12x slower, four rows per pass on the row-major
 * table 1.2-1.3x, one row per pass with four sums (the scan before) 1.6-1.9x.
 */
export function scanTop(u: Float32Array, q: Float32Array, V: number, H: number, top: TopN, skip: readonly number[]): void {
  const blocks = V >> 3;
  let t = top.threshold;
  // u [V/8][H][8], q [H] -> s[8b + j] = sum_k u[b][k][j] q[k]
  for (let b = 0, base = 0; b < blocks; b++, base += BLOCK * H) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0; // prettier-ignore
    for (let k = 0, i = base; k < H; k++, i += BLOCK) {
      const qk = q[k];
      s0 += u[i] * qk;
      s1 += u[i + 1] * qk;
      s2 += u[i + 2] * qk;
      s3 += u[i + 3] * qk;
      s4 += u[i + 4] * qk;
      s5 += u[i + 5] * qk;
      s6 += u[i + 6] * qk;
      s7 += u[i + 7] * qk;
    }
    // Rarely true once the heap is full: the test costs little beside the 8H multiply-adds.
    if (s0 > t || s1 > t || s2 > t || s3 > t || s4 > t || s5 > t || s6 > t || s7 > t) {
      const r = BLOCK * b;
      t = offer(top, skip, r, s0, t);
      t = offer(top, skip, r + 1, s1, t);
      t = offer(top, skip, r + 2, s2, t);
      t = offer(top, skip, r + 3, s3, t);
      t = offer(top, skip, r + 4, s4, t);
      t = offer(top, skip, r + 5, s5, t);
      t = offer(top, skip, r + 6, s6, t);
      t = offer(top, skip, r + 7, s7, t);
    }
  }
  for (let r = BLOCK * blocks; r < V; r++) t = offer(top, skip, r, dot(q, 0, 1, u, blockedIndex(r, 0, H), H), t);
}

/** Offers (row, score) if it beats the threshold `t` and is not skipped; returns the new threshold. */
function offer(top: TopN, skip: readonly number[], row: number, score: number, t: number): number {
  if (!(score > t)) return t;
  if (skip.length > 0 && skip.includes(row)) return t;
  top.offer(row, score);
  return top.threshold;
}

/** Whether the ascending array `a` holds `x`. */
function binaryHas(a: readonly number[], x: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === x) return true;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Whether a sorts before b by code points (Python's string order), not by UTF-16 code units. */
function codePointLess(a: string, b: string): boolean {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i];
  return x.length < y.length;
}

/** v / ||v|| as a new Float32Array (a zero vector stays zero). */
function unitCopy(v: Float32Array): Float32Array {
  let ss = 0;
  for (let k = 0; k < v.length; k++) ss += v[k] * v[k];
  const out = new Float32Array(v.length);
  if (ss === 0) return out;
  const inv = 1 / Math.sqrt(ss);
  for (let k = 0; k < v.length; k++) out[k] = v[k] * inv;
  return out;
}

/** Reads an iterable of fixed-kind tuples once, checking each, before anything is computed. */
function checkRecords(fn: string, arg: string, records: unknown, kinds: readonly ("string" | "number")[]): unknown[][] {
  if (records === null || typeof records !== "object" || typeof (records as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new TypeError(`${fn}: ${arg} must be an iterable of ${kinds.length}-tuples, got ${describe(records)}`);
  }
  const out: unknown[][] = [];
  let k = 0;
  for (const rec of records as Iterable<unknown>) {
    if (!Array.isArray(rec) || rec.length !== kinds.length) {
      throw new TypeError(`${fn}: ${arg}[${k}] must be a ${kinds.length}-tuple [${kinds.join(", ")}], got ${describe(rec)}`);
    }
    for (let f = 0; f < kinds.length; f++) {
      const v = rec[f];
      const ok = kinds[f] === "string" ? typeof v === "string" : typeof v === "number" && Number.isFinite(v);
      if (!ok) {
        const want = kinds[f] === "string" ? "a string" : "a finite number";
        throw new TypeError(`${fn}: ${arg}[${k}][${f}] must be ${want}, got ${describe(v)}`);
      }
    }
    out.push(rec);
    k++;
  }
  return out;
}
