import { Tensor } from "../tensor/tensor.js";
import { Parameter } from "../tensor/parameter.js";
import { type IndexLike } from "../tensor/indices.js";
import { checkInt, checkOptions } from "../tensor/check.js";
import { ContextMean } from "../layers/context-mean.js";
import { MatMul } from "../layers/matmul.js";
import { SoftmaxWithLoss } from "../layers/softmax-with-loss.js";

/**
 * The book's `SimpleCBOW` (chapter 3) with the input side as a lookup: `h = mean(W_in[contexts])`
 * (one {@link ContextMean} instead of a MatMul per context word on one-hot rows),
 * `score = h @ W_out` over the whole vocabulary, {@link SoftmaxWithLoss}. For the small teaching
 * corpus; the full softmax costs O(V) per example. Weights start as the book's: 0.01 · N(0, 1).
 *
 * @example
 * ```ts
 * const { corpus, idToWord } = preprocess("You say goodbye and I say hello.");
 * const { contexts, target } = createContextsTarget(corpus, 1);
 * const model = new SimpleCBOW(idToWord.length, 5, { seed: 0 });
 * const opt = new Adam(model.params, { lr: 0.01 });
 * for (let i = 0; i < 1000; i++) { model.forward(contexts, target); model.backward(); opt.step(); }
 * model.predict(contexts); // the targets, except that "say _ and" and "and _ say" share one answer
 * ```
 */
export class SimpleCBOW {
  readonly inLayer: ContextMean;
  readonly outLayer: MatMul;
  readonly lossLayer = new SoftmaxWithLoss();
  readonly wordVecs: Parameter;

  constructor(vocabSize: number, hiddenSize: number, options: { seed?: number } = {}) {
    const o = checkOptions("SimpleCBOW", options, ["seed"]) as { seed?: number };
    const V = checkInt("SimpleCBOW", "vocabSize", vocabSize, 1);
    const H = checkInt("SimpleCBOW", "hiddenSize", hiddenSize, 1);
    const Win = Tensor.randn([V, H], { seed: o.seed, std: 0.01 });
    const Wout = Tensor.randn([H, V], { seed: o.seed === undefined ? undefined : o.seed + 1, std: 0.01 });
    this.inLayer = new ContextMean(V, H, { weight: Win });
    this.outLayer = new MatMul(Wout);
    this.wordVecs = this.inLayer.weight;
  }

  get params(): Parameter[] {
    return [...this.inLayer.params, ...this.outLayer.params];
  }

  get grads(): (Tensor | null)[] {
    return [...this.inLayer.grads, ...this.outLayer.grads];
  }

  /** The scores `[B, V]` of every word as the center of each context. */
  scores(contexts: Parameters<ContextMean["forward"]>[0]): Tensor {
    return this.outLayer.forward(this.inLayer.forward(contexts));
  }

  // contexts [B, C], target [B] -> loss = mean cross-entropy of softmax(h @ W_out)
  forward(contexts: Parameters<ContextMean["forward"]>[0], target: IndexLike): number {
    return this.lossLayer.forward(this.scores(contexts), target);
  }

  backward(dout = 1): void {
    this.inLayer.backward(this.outLayer.backward(this.lossLayer.backward(dout)));
  }

  /** The most likely center word of each context. */
  predict(contexts: Parameters<ContextMean["forward"]>[0]): Int32Array {
    const s = this.scores(contexts);
    const [B, V] = s.shape;
    const out = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      let best = 0;
      for (let v = 1; v < V; v++) if (s.data[b * V + v] > s.data[b * V + best]) best = v;
      out[b] = best;
    }
    return out;
  }
}
