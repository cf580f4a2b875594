import { Tensor } from "../tensor/tensor.js";
import { Parameter, type RowSparseGrad } from "../tensor/parameter.js";
import { Random } from "../tensor/random.js";
import { type IndexLike } from "../tensor/indices.js";
import { checkInt, checkOptions, describe } from "../tensor/check.js";
import { Embedding } from "../layers/embedding.js";
import { NegativeSamplingLoss } from "./cbow.js";

/**
 * Skip-gram with negative sampling, built from the book's layers: an {@link Embedding} looks up
 * `h = W_in[input]` for a batch of word pairs, and {@link NegativeSamplingLoss} (EmbeddingDot,
 * SigmoidWithLoss, UnigramSampler) scores the word each one predicts against `k` noise words. A pair
 * is (context word, center word) as gensim and word2vec.c orient it: the context word's vector
 * predicts the center word ({@link SkipGram.pairs} lists them). One pair per step with SGD at rate
 * alpha is exactly the fused trainer's step (`trainCBOW(corpus, { sg: true })`, a test checks one
 * against the other); the fused one is the one to train real corpora with.
 *
 * @example
 * ```ts
 * const { corpus, idToWord } = preprocess("You say goodbye and I say hello.");
 * const counts = idToWord.map((_, id) => corpus.filter((w) => w === id).length);
 * const model = new SkipGram(idToWord.length, 5, counts, { k: 2, seed: 0 });
 * const { inputs, outputs } = SkipGram.pairs(corpus, 1);   // 14 pairs from 8 tokens
 * const opt = new SGD(model.params, { lr: 0.5 });
 * for (let i = 0; i < 200; i++) { model.forward(inputs, outputs); model.backward(); opt.step(); }
 * model.forward(inputs, outputs) < 2; // true: below the 3 ln 2 of an untrained model
 * ```
 */
export class SkipGram {
  readonly inLayer: Embedding;
  readonly nsLoss: NegativeSamplingLoss;
  readonly wordVecs: Parameter;

  /** `counts` of every word, for the noise distribution; W_in starts as word2vec's (±1/H), W_out at zero. */
  constructor(vocabSize: number, hiddenSize: number, counts: ArrayLike<number>, options: { k?: number; seed?: number } = {}) {
    const fn = "SkipGram";
    const o = checkOptions(fn, options, ["k", "seed"]) as { k?: number; seed?: number };
    const V = checkInt(fn, "vocabSize", vocabSize, 1);
    const H = checkInt(fn, "hiddenSize", hiddenSize, 1);
    const rng = new Random(o.seed, fn);
    const Win = new Float32Array(V * H);
    for (let i = 0; i < Win.length; i++) Win[i] = (2 * rng.uniform() - 1) / H;
    this.inLayer = new Embedding(V, H, { weight: new Tensor(Win, [V, H]) });
    this.nsLoss = new NegativeSamplingLoss(Tensor.zeros([V, H]), counts, { k: o.k, seed: o.seed === undefined ? undefined : o.seed + 1 });
    this.wordVecs = this.inLayer.weight;
  }

  get params(): Parameter[] {
    return [...this.inLayer.params, ...this.nsLoss.params];
  }

  get grads(): (Tensor | RowSparseGrad | null)[] {
    return [...this.inLayer.grads, ...this.nsLoss.grads];
  }

  // inputs [B], outputs [B] -> loss;  h = W_in[inputs] [B, H];  loss = NegativeSamplingLoss(h, outputs)
  forward(inputs: IndexLike, outputs: IndexLike, negatives?: IndexLike): number {
    const h = this.inLayer.forward(inputs);
    if (h.ndim !== 2) throw new RangeError(`SkipGram.forward: inputs must be 1-D [B], got ${h.ndim - 1} dimensions`);
    return this.nsLoss.forward(h, outputs, negatives);
  }

  // dW_in[inputs[b]] += dh[b]
  backward(dout = 1): void {
    this.inLayer.backward(this.nsLoss.backward(dout));
  }

  /**
   * Every (context word, center word) pair of a sentence of ids with a fixed window (no shrinking,
   * no subsampling), in the fused trainer's order: center by center, its context left to right.
   *
   * @example
   * ```ts
   * const { inputs, outputs } = SkipGram.pairs([7, 8, 9], 1);
   * Array.from(inputs);  // [8, 7, 9, 8]
   * Array.from(outputs); // [7, 8, 8, 9]
   * ```
   */
  static pairs(sentence: ArrayLike<number>, window: number): { inputs: Int32Array; outputs: Int32Array } {
    const fn = "SkipGram.pairs";
    if (sentence == null || typeof sentence.length !== "number") throw new TypeError(`${fn}: sentence must be an array of ids, got ${describe(sentence)}`);
    checkInt(fn, "window", window, 1);
    for (let i = 0; i < sentence.length; i++) checkInt(fn, `sentence[${i}]`, sentence[i], 0);
    const inputs: number[] = [];
    const outputs: number[] = [];
    const n = sentence.length;
    for (let pos = 0; pos < n; pos++) {
      for (let q = Math.max(0, pos - window); q <= Math.min(n - 1, pos + window); q++) {
        if (q === pos) continue;
        inputs.push(sentence[q]);
        outputs.push(sentence[pos]);
      }
    }
    return { inputs: Int32Array.from(inputs), outputs: Int32Array.from(outputs) };
  }
}
