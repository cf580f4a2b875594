import { Tensor } from "../tensor/tensor.js";
import { Parameter } from "../tensor/parameter.js";
import { Random } from "../tensor/random.js";
import { type IndexLike, toIndices } from "../tensor/indices.js";
import { checkBoolean, checkInt, checkOptions, describe } from "../tensor/check.js";
import { ContextMean } from "../layers/context-mean.js";
import { EmbeddingDot } from "../layers/embedding-dot.js";
import { SigmoidWithLoss } from "../layers/sigmoid-with-loss.js";
import { UnigramSampler } from "./unigram-sampler.js";

/**
 * The book's `NegativeSamplingLoss`, batched: for hidden vectors `h [B, H]` and targets `[B]`, score
 * the target and `k` noise words per row with one {@link EmbeddingDot} over a `[B, 1 + k]` index
 * (column 0 the target, label 1; the rest negatives, label 0), then {@link SigmoidWithLoss}. The loss
 * is summed over the 1 + k scores of a row and averaged over the batch (the book's sum of 1 + k
 * batch-mean losses).
 *
 * @example
 * ```ts
 * const loss = new NegativeSamplingLoss(Tensor.zeros([4, 2]), [4, 3, 2, 1], { k: 2, seed: 1 });
 * loss.forward(Tensor.from([[1, 1]]), [0]); // 3 ln 2: every score is 0 at zero weights
 * const dh = loss.backward();               // [1, 2]
 * ```
 */
export class NegativeSamplingLoss {
  readonly k: number;
  readonly sampler: UnigramSampler;
  readonly dot: EmbeddingDot;
  readonly loss = new SigmoidWithLoss({ reduction: "sum" });
  private B = 0;

  /** `W [V, H]`: the output table; `counts`: word counts for the noise distribution (counts^0.75). */
  constructor(W: Tensor | Parameter, counts: ArrayLike<number>, options: { k?: number; power?: number; seed?: number } = {}) {
    if (!(W instanceof Tensor)) throw new TypeError(`NegativeSamplingLoss: W must be a Tensor or Parameter, got ${describe(W)}`);
    const o = checkOptions("NegativeSamplingLoss", options, ["k", "power", "seed"]) as { k?: number; power?: number; seed?: number };
    this.k = o.k === undefined ? 5 : checkInt("NegativeSamplingLoss", "k", o.k, 0);
    this.dot = new EmbeddingDot(W);
    if (counts?.length !== this.dot.embed.numEmbeddings) {
      throw new RangeError(`NegativeSamplingLoss: counts has ${describe(counts?.length)} entries, W has ${this.dot.embed.numEmbeddings} rows`);
    }
    this.sampler = new UnigramSampler(counts, { power: o.power, seed: o.seed });
  }

  get params(): Parameter[] {
    return this.dot.params;
  }

  get grads(): (Tensor | null)[] {
    return this.dot.grads;
  }

  // h [B, H], target [B] -> loss;  loss = (1/B) Σ_b [-log σ(h_b·W[t_b]) - Σ_k log σ(-h_b·W[n_bk])]
  forward(h: Tensor, target: IndexLike, negatives?: IndexLike): number {
    const fn = "NegativeSamplingLoss.forward";
    if (!(h instanceof Tensor) || h.ndim !== 2) throw new TypeError(`${fn}: h must be a 2-D Tensor [B, H], got ${describe(h)}`);
    const V = this.dot.embed.numEmbeddings;
    const t = toIndices(fn, target, V);
    const B = h.shape[0];
    if (t.data.length !== B) throw new RangeError(`${fn}: target has ${t.data.length} ids but h has ${B} rows`);
    const neg = negatives === undefined ? this.sampler.negatives(t.data, this.k) : toIndices(fn, negatives, V);
    if (neg.data.length !== B * this.k) throw new RangeError(`${fn}: negatives must have shape [${B}, ${this.k}], got ${neg.data.length} ids`);
    const K = 1 + this.k;
    const idx = new Int32Array(B * K);
    const labels = new Float32Array(B * K);
    for (let b = 0; b < B; b++) {
      idx[b * K] = t.data[b];
      labels[b * K] = 1;
      for (let j = 0; j < this.k; j++) idx[b * K + 1 + j] = neg.data[b * this.k + j];
    }
    const score = this.dot.forward(h, { data: idx, shape: [B, K] });
    this.B = B;
    return this.loss.forward(score, labels) / Math.max(1, B);
  }

  // dout (scalar) -> dh [B, H]
  backward(dout = 1): Tensor {
    const dscore = this.loss.backward(dout / Math.max(1, this.B));
    return this.dot.backward(dscore);
  }
}

/** Options of {@link CBOW}. */
export interface CBOWOptions {
  /** Negative samples per target (default 5). */
  k?: number;
  /** Seed of the initial weights and of the sampler. */
  seed?: number;
  /** Context rows get the hidden gradient undivided, as word2vec (default true); see {@link ContextMean}. */
  undividedGrad?: boolean;
}

/**
 * CBOW with negative sampling, built from layers the way the book builds it (its `CBOW` in
 * chapter 4), with the context as one {@link ContextMean} mean over a `[B, 2·window]` index:
 * `h = mean(W_in[contexts])`, `loss = NegativeSamplingLoss(h, target)`. `W_in` starts as word2vec's
 * (uniform in ±1/H, as gensim), `W_out` at zero. For real corpora use {@link trainCBOW}, a fused kernel that
 * computes the same step (a test checks one against the other).
 *
 * @example
 * ```ts
 * const model = new CBOW(7, 5, [1, 2, 1, 1, 1, 1, 1], { k: 2, seed: 0 });
 * const loss = model.forward([[0, 2], [1, 3]], [1, 2]); // contexts [B, 2], targets [B]
 * model.backward();
 * new SGD(model.params, { lr: 1 }).step();
 * ```
 */
export class CBOW {
  readonly inLayer: ContextMean;
  readonly nsLoss: NegativeSamplingLoss;
  readonly wordVecs: Parameter;

  /** `counts` of every word, for the noise distribution. */
  constructor(vocabSize: number, hiddenSize: number, counts: ArrayLike<number>, options: CBOWOptions = {}) {
    const fn = "CBOW";
    const o = checkOptions(fn, options, ["k", "seed", "undividedGrad"]) as CBOWOptions;
    const V = checkInt(fn, "vocabSize", vocabSize, 1);
    const H = checkInt(fn, "hiddenSize", hiddenSize, 1);
    const undivided = o.undividedGrad === undefined ? true : checkBoolean(fn, "undividedGrad", o.undividedGrad);
    const rng = new Random(o.seed, fn);
    const Win = new Float32Array(V * H);
    for (let i = 0; i < Win.length; i++) Win[i] = (2 * rng.uniform() - 1) / H;
    this.inLayer = new ContextMean(V, H, { weight: new Tensor(Win, [V, H]), undividedGrad: undivided });
    this.nsLoss = new NegativeSamplingLoss(Tensor.zeros([V, H]), counts, { k: o.k, seed: o.seed === undefined ? undefined : o.seed + 1 });
    this.wordVecs = this.inLayer.weight;
  }

  get params(): Parameter[] {
    return [...this.inLayer.params, ...this.nsLoss.params];
  }

  get grads(): (Tensor | null)[] {
    return [...this.inLayer.grads, ...this.nsLoss.grads];
  }

  // contexts [B, C] (-1 = empty slot), target [B] -> loss
  forward(contexts: Parameters<ContextMean["forward"]>[0], target: IndexLike, negatives?: IndexLike): number {
    const h = this.inLayer.forward(contexts);
    return this.nsLoss.forward(h, target, negatives);
  }

  backward(dout = 1): void {
    this.inLayer.backward(this.nsLoss.backward(dout));
  }
}
