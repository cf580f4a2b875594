import { Tensor } from "../tensor/tensor.js";
import { describe, showShape } from "../tensor/check.js";
import { type IndexLike, toIndices } from "../tensor/indices.js";

/**
 * Softmax over the last axis followed by cross-entropy against class ids, averaged over the batch:
 * `loss = -(1/N) Σ_n log softmax(x[n])[t[n]]`, in float64 with the max subtracted. The full-softmax
 * output of the book's small CBOW: fine for a 7-word vocabulary, O(V) per example for a large one
 * (which is why the CBOW trainer uses negative sampling).
 *
 * @example
 * ```ts
 * const layer = new SoftmaxWithLoss();
 * layer.forward(Tensor.from([[0, 0]]), [1]); // ln 2 ≈ 0.6931
 * layer.backward().toArray();                // [[0.5, -0.5]] = softmax(x) - onehot(t)
 * ```
 */
export class SoftmaxWithLoss {
  private cache: { y: Float64Array; t: Int32Array; N: number; C: number } | null = null;

  // x [N, C], t [N] -> loss;  loss = -(1/N) Σ log softmax(x[n])[t[n]]
  forward(x: Tensor, t: IndexLike): number {
    const fn = "SoftmaxWithLoss.forward";
    if (!(x instanceof Tensor)) throw new TypeError(`${fn}: x must be a Tensor, got ${describe(x)}`);
    if (x.ndim !== 2) throw new RangeError(`${fn}: x must be 2-D [N, C], got shape ${showShape(x.shape)}`);
    const [N, C] = x.shape;
    const labels = toIndices(fn, t, C);
    if (labels.data.length !== N) throw new RangeError(`${fn}: t has ${labels.data.length} labels but x has ${N} rows`);
    const y = new Float64Array(N * C);
    let loss = 0;
    for (let n = 0; n < N; n++) {
      const o = n * C;
      let max = -Infinity;
      for (let c = 0; c < C; c++) max = Math.max(max, x.data[o + c]);
      let sum = 0;
      for (let c = 0; c < C; c++) sum += y[o + c] = Math.exp(x.data[o + c] - max);
      for (let c = 0; c < C; c++) y[o + c] /= sum;
      loss -= x.data[o + labels.data[n]] - max - Math.log(sum);
    }
    this.cache = { y, t: labels.data, N, C };
    return N > 0 ? loss / N : 0;
  }

  // -> dx [N, C] = (softmax(x) - onehot(t)) · dout / N
  backward(dout = 1): Tensor {
    const c = this.cache;
    if (c === null) throw new Error("SoftmaxWithLoss.backward: called before forward; run forward(x, t) first");
    if (typeof dout !== "number" || Number.isNaN(dout)) throw new TypeError(`SoftmaxWithLoss.backward: dout must be a number, got ${describe(dout)}`);
    const { y, t, N, C } = c;
    const dx = Tensor.zeros([N, C]);
    const scale = N > 0 ? dout / N : 0;
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < C; k++) dx.data[n * C + k] = (y[n * C + k] - (k === t[n] ? 1 : 0)) * scale;
    }
    return dx;
  }
}
