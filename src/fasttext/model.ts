// A fastText model: its settings, dictionary, input table (words, then buckets) and output table, with
// what fastText does with them: word vectors for any word, subwords, sentence vectors, neighbours,
// analogies, predictions and tests.
import { Tensor } from "../tensor/tensor.js";
import { checkInt, checkNumber, describe } from "../tensor/check.js";
import { bagSum } from "../kernels/bag-sum.js";
import { KeyedVectors, type Neighbour } from "../vectors/keyed-vectors.js";
import type { FastTextArgs } from "./args.js";
import { EOS, FastTextDictionary } from "./dictionary.js";
import { charNgrams, forEachNgram, utf8 } from "./hash.js";
import { type FastTextTree, type RawPrediction, buildTree, fdot, hsPredict, kBest, softmaxScores, tableSigmoid } from "./outputs.js";

/** A predicted label and its probability (as fastText's predict-prob prints it: p + 1e-5). */
export interface Prediction {
  label: string;
  probability: number;
}

/** What {@link FastText.test} measures, as fastText's `test` (and `test-label` per label). */
export interface FastTextTestResult {
  /** Lines with at least one known label and one input row. */
  n: number;
  k: number;
  /** Correct predictions / predictions made. */
  precision: number;
  /** Correct predictions / gold labels. */
  recall: number;
  perLabel: { label: string; precision: number; recall: number; f1: number; gold: number; predicted: number }[];
}

/** Splits a line as fastText reads it: ASCII whitespace separates tokens. */
export function splitTokens(text: string): string[] {
  return text.split(/[ \n\r\t\v\f\0]+/).filter((x) => x !== "");
}

/**
 * A fastText model (fastText 0.9's): its settings `args`, dictionary `dict`, input table (word rows,
 * then `bucket` hashed n-gram rows) and output table. Made by {@link trainFastText}, by
 * {@link decodeFastTextBin} from a `.bin` file's bytes, or `loadFastText` (embedkit/node).
 *
 * @example
 * ```ts
 * const model = await trainFastText("the cat sat on the mat\nthe dog sat on the log\n".repeat(20), { dim: 8, minCount: 1, epoch: 1, bucket: 1000 });
 * model.words.length; // 8
 * model.input.shape;  // [1008, 8]
 * ```
 */
export class FastText {
  readonly args: FastTextArgs;
  readonly dict: FastTextDictionary;
  /** Input rows [nwords + bucket, dim]: words, then n-gram (and word n-gram) buckets. */
  readonly input: Tensor;
  /** Output rows [osz, dim]: labels (supervised) or words; for hs, the tree's inner nodes. */
  readonly output: Tensor;
  private tree: FastTextTree | null = null;
  private kv: KeyedVectors | null = null;

  constructor(args: FastTextArgs, dict: FastTextDictionary, input: Tensor, output: Tensor) {
    const fn = "new FastText";
    const H = args.dim;
    if (input.shape[1] !== H || input.shape[0] !== dict.nwords + args.bucket) {
      throw new RangeError(`${fn}: input must be [${dict.nwords + args.bucket}, ${H}] (nwords + bucket, dim), got [${input.shape.join(", ")}]`);
    }
    const osz = args.model === "supervised" ? dict.nlabels : dict.nwords;
    if (output.shape[1] !== H || output.shape[0] !== osz) {
      throw new RangeError(`${fn}: output must be [${osz}, ${H}], got [${output.shape.join(", ")}]`);
    }
    this.args = args;
    this.dict = dict;
    this.input = input;
    this.output = output;
  }

  get dim(): number {
    return this.args.dim;
  }

  /** The vocabulary (words only, most frequent first). */
  get words(): string[] {
    return this.dict.words.slice(0, this.dict.nwords);
  }

  /** The labels (supervised models). */
  get labels(): string[] {
    return this.dict.words.slice(this.dict.nwords);
  }

  /**
   * A word's vector, known or not: the mean of its input rows (its own row if known, and its character
   * n-gram rows), computed by EmbeddingBag's sum kernel in float32 as fastText does. A word with no
   * rows (unknown, and no n-grams) is the zero vector.
   *
   * @example
   * ```ts
   * const model = await trainFastText("the cat sat on the mat\n".repeat(20), { dim: 8, minCount: 1, epoch: 1, bucket: 1000 });
   * model.getWordVector("cats").length; // 8
   * ```
   */
  getWordVector(word: string): Float32Array {
    if (typeof word !== "string") throw new TypeError(`FastText.getWordVector: word must be a string, got ${describe(word)}`);
    const rows = this.dict.wordRows(word);
    return this.meanRows(rows);
  }

  /** The mean of input rows `rows` (sum in float32, then × float32(1/n): fastText's order). */
  private meanRows(rows: number[]): Float32Array {
    const H = this.dim;
    const out = new Float32Array(H);
    if (rows.length === 0) return out;
    const idx = Int32Array.from(rows);
    bagSum(this.input.data, idx, Int32Array.of(0, idx.length), -1, new Float32Array(idx.length).fill(1), out, H);
    const inv = Math.fround(1 / rows.length);
    for (let j = 0; j < H; j++) out[j] *= inv;
    return out;
  }

  /**
   * A word's subwords and their input rows, as fastText's getSubwords: the word itself (if known),
   * then its character n-grams ("<wh", "whe", ...).
   *
   * @example
   * ```ts
   * const model = await trainFastText("where is it\n".repeat(20), { dim: 8, minCount: 1, epoch: 1, bucket: 1000, minn: 3, maxn: 3 });
   * model.getSubwords("where").subwords; // ["where", "<wh", "whe", "her", "ere", "re>"]
   * ```
   */
  getSubwords(word: string): { subwords: string[]; rows: number[] } {
    if (typeof word !== "string") throw new TypeError(`FastText.getSubwords: word must be a string, got ${describe(word)}`);
    const subwords: string[] = [];
    const rows: number[] = [];
    const id = this.dict.getId(word);
    if (id >= 0 && id < this.dict.nwords) {
      subwords.push(word);
      rows.push(id);
    }
    const { minn, maxn, bucket } = this.args;
    if (word !== EOS && maxn > 0 && bucket > 0) {
      const dec = new TextDecoder();
      forEachNgram(utf8("<" + word + ">"), minn, maxn, (h, s, e, b) => {
        subwords.push(dec.decode(b.subarray(s, e)));
        rows.push(this.dict.nwords + (h % bucket));
      });
    }
    return { subwords, rows };
  }

  /**
   * A sentence's vector, as fastText's getSentenceVector. Supervised: the mean of the line's input rows
   * (words, their n-grams, word n-grams and the end-of-line word) — the classifier's hidden layer.
   * Unsupervised: the mean of the unit vectors of its words (words with a zero vector left out).
   */
  getSentenceVector(text: string): Float32Array {
    if (typeof text !== "string") throw new TypeError(`FastText.getSentenceVector: text must be a string, got ${describe(text)}`);
    if (this.args.model === "supervised") return this.meanRows(this.lineRows(text).rows);
    const H = this.dim;
    const out = new Float32Array(H);
    let count = 0;
    for (const w of splitTokens(text)) {
      const v = this.getWordVector(w);
      let n2 = 0;
      for (let j = 0; j < H; j++) n2 += v[j] * v[j];
      const norm = Math.fround(Math.sqrt(n2));
      if (norm > 0) {
        const inv = Math.fround(1 / norm);
        for (let j = 0; j < H; j++) out[j] += Math.fround(v[j] * inv);
        count++;
      }
    }
    if (count > 0) {
      const inv = Math.fround(1 / count);
      for (let j = 0; j < H; j++) out[j] *= inv;
    }
    return out;
  }

  /** A line's input rows and labels, as the supervised model reads it (EOS appended, as fastText's CLI reads a line). */
  lineRows(text: string): { rows: number[]; labels: number[] } {
    const rows: number[] = [];
    const labels: number[] = [];
    this.dict.encodeSupervised([...splitTokens(text), EOS], rows, labels);
    return { rows, labels };
  }

  /**
   * The words' vectors as {@link KeyedVectors} (built once): what fastText's nn and analogies search.
   */
  keyedVectors(): KeyedVectors {
    if (this.kv === null) {
      const words = this.words;
      const H = this.dim;
      const data = new Float32Array(words.length * H);
      words.forEach((w, i) => data.set(this.getWordVector(w), i * H));
      this.kv = new KeyedVectors(words, new Tensor(data, [words.length, H]));
    }
    return this.kv;
  }

  /**
   * The k nearest words to `word` by cosine (known or not: an unknown word's vector comes from its
   * n-grams), the word itself left out, as fastText's `nn`.
   *
   * @example
   * ```ts
   * const model = await trainFastText("the cat sat on the mat\nthe dog sat on the log\n".repeat(20), { dim: 8, minCount: 1, epoch: 1, bucket: 1000 });
   * model.nearestNeighbors("catt", 3).length; // 3
   * ```
   */
  nearestNeighbors(word: string, k = 10): Neighbour[] {
    if (typeof word !== "string") throw new TypeError(`FastText.nearestNeighbors: word must be a string, got ${describe(word)}`);
    checkInt("FastText.nearestNeighbors", "k", k, 1);
    return this.keyedVectors().mostSimilar(this.getWordVector(word), k, { exclude: [word] });
  }

  /** fastText's analogies: the k words nearest to unit(a) - unit(b) + unit(c) (any words, known or not), a, b, c left out. */
  analogies(a: string, b: string, c: string, k = 10): Neighbour[] {
    const fn = "FastText.analogies";
    for (const [name, w] of [["a", a], ["b", b], ["c", c]] as const) if (typeof w !== "string") throw new TypeError(`${fn}: ${name} must be a string, got ${describe(w)}`);
    checkInt(fn, "k", k, 1);
    const H = this.dim;
    const q = new Float32Array(H);
    for (const [w, sign] of [[a, 1], [b, -1], [c, 1]] as const) {
      const v = this.getWordVector(w);
      let n2 = 0;
      for (let j = 0; j < H; j++) n2 += v[j] * v[j];
      const s = sign / (Math.sqrt(n2) + 1e-8);
      for (let j = 0; j < H; j++) q[j] += s * v[j];
    }
    return this.keyedVectors().mostSimilar(q, k, { exclude: [a, b, c] });
  }

  /**
   * The k most probable labels of a line with probability >= threshold, best first, as fastText's
   * `predict-prob` (the probability is p + 1e-5, which fastText reports). A line with no input rows
   * predicts nothing.
   *
   * @example
   * ```ts
   * const lines = "__label__pets the cat purrs\n__label__food fresh bread and cheese\n".repeat(30);
   * const classifier = await trainFastText(lines, { model: "supervised", dim: 8, epoch: 20, lr: 0.5 });
   * classifier.predict("a cat purrs", 1)[0].label; // "__label__pets"
   * ```
   */
  predict(text: string, k = 1, threshold = 0): Prediction[] {
    const fn = "FastText.predict";
    if (typeof text !== "string") throw new TypeError(`${fn}: text must be a string, got ${describe(text)}`);
    checkInt(fn, "k", k, 1);
    checkNumber(fn, "threshold", threshold, 0, 1);
    if (this.args.model !== "supervised") throw new Error(`${fn}: the model is ${this.args.model}, not supervised: it has no labels to predict`);
    return this.predictRows(this.lineRows(text).rows, k, threshold).map((p) => ({
      label: this.dict.words[this.dict.nwords + p.index],
      probability: Math.fround(Math.exp(p.logProb)),
    }));
  }

  /** Predictions for a line's input rows (log-probabilities, label indices). */
  predictRows(rows: number[], k: number, threshold: number): RawPrediction[] {
    if (rows.length === 0) return [];
    const h = this.meanRows(rows);
    const H = this.dim;
    const osz = this.dict.nlabels;
    const W = this.output.data;
    if (this.args.loss === "hs") {
      this.tree ??= buildTree(this.dict.counts.slice(this.dict.nwords));
      return hsPredict(W, H, this.tree, h, k, threshold);
    }
    const p = new Float64Array(osz);
    if (this.args.loss === "softmax") {
      softmaxScores(W, H, osz, h, p);
    } else {
      for (let i = 0; i < osz; i++) p[i] = tableSigmoid(fdot(W, i * H, h, H));
    }
    return kBest(p, k, threshold);
  }

  /**
   * Precision and recall at k over labelled lines (`text`: one example per line), as fastText's `test`;
   * `perLabel` as its `test-label`.
   */
  test(text: string, k = 1, threshold = 0): FastTextTestResult {
    const fn = "FastText.test";
    if (typeof text !== "string") throw new TypeError(`${fn}: text must be a string, got ${describe(text)}`);
    checkInt(fn, "k", k, 1);
    checkNumber(fn, "threshold", threshold, 0, 1);
    if (this.args.model !== "supervised") throw new Error(`${fn}: the model is ${this.args.model}, not supervised`);
    const L = this.dict.nlabels;
    const gold = new Float64Array(L), predicted = new Float64Array(L), correct = new Float64Array(L);
    let n = 0, nGold = 0, nPred = 0, nCorrect = 0;
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const { rows, labels } = this.lineRows(line);
      if (labels.length === 0 || rows.length === 0) continue;
      n++;
      const preds = this.predictRows(rows, k, threshold);
      nGold += labels.length;
      nPred += preds.length;
      for (const l of labels) gold[l]++;
      for (const p of preds) {
        predicted[p.index]++;
        if (labels.includes(p.index)) {
          correct[p.index]++;
          nCorrect++;
        }
      }
    }
    const perLabel = Array.from({ length: L }, (_, i) => {
      const precision = correct[i] / predicted[i];
      const recall = correct[i] / gold[i];
      return { label: this.dict.words[this.dict.nwords + i], precision, recall, f1: (2 * precision * recall) / (precision + recall), gold: gold[i], predicted: predicted[i] };
    });
    return { n, k, precision: nCorrect / nPred, recall: nCorrect / nGold, perLabel };
  }
}

export { charNgrams };
