import { Tensor } from "../tensor/tensor.js";
import { checkNumber, checkOptions, describe, showShape } from "../tensor/check.js";

/**
 * `1 / (1 + e^-x)`, written so that it never overflows.
 *
 * @example
 * ```ts
 * sigmoid(0);     // 0.5
 * sigmoid(-1000); // 0
 * ```
 */
export function sigmoid(x: number): number {
  if (typeof x !== "number" || x !== x) checkNumber("sigmoid", "x", x);
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * Sigmoid followed by binary cross-entropy against 0/1 labels:
 * `loss = reduce_i -(t_i log σ(x_i) + (1 - t_i) log(1 - σ(x_i)))`, computed in float64 from the
 * logits (stable for large |x|). `reduction`: "mean" (default) over every element, or "sum".
 *
 * @example
 * ```ts
 * const layer = new SigmoidWithLoss();
 * layer.forward(Tensor.from([[0, 0]]), [[1, 0]]); // ln 2 ≈ 0.6931
 * layer.backward().toArray();                     // [[-0.25, 0.25]] = (σ(x) - t) / 2
 * ```
 */
export class SigmoidWithLoss {
  readonly reduction: "mean" | "sum";
  private cache: { y: Float64Array; t: Float32Array; shape: readonly number[] } | null = null;

  constructor(options: { reduction?: "mean" | "sum" } = {}) {
    const o = checkOptions("SigmoidWithLoss", options, ["reduction"]) as { reduction?: string };
    const r = o.reduction ?? "mean";
    if (r !== "mean" && r !== "sum") throw new RangeError(`SigmoidWithLoss: reduction must be "mean" or "sum", got ${describe(r)}`);
    this.reduction = r;
  }

  // x [...], t [...] -> loss (scalar);  loss = reduce -(t log σ(x) + (1 - t) log(1 - σ(x)))
  forward(x: Tensor, t: Tensor | ArrayLike<number> | readonly (readonly number[])[]): number {
    const fn = "SigmoidWithLoss.forward";
    if (!(x instanceof Tensor)) throw new TypeError(`${fn}: x must be a Tensor, got ${describe(x)}`);
    const labels = t instanceof Tensor ? t.data : Float32Array.from((Array.isArray(t) ? (t as unknown[]).flat(Infinity) : Array.from(t as ArrayLike<number>)) as number[]);
    if (labels.length !== x.size) throw new RangeError(`${fn}: t has ${labels.length} labels but x ${showShape(x.shape)} has ${x.size} values`);
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`${fn}: label ${describe(labels[i])} at ${i} must be 0 or 1`);
    }
    const y = new Float64Array(x.size);
    let loss = 0;
    for (let i = 0; i < y.length; i++) {
      const v = x.data[i];
      y[i] = sigmoid(v);
      // -log σ(v) = softplus(-v), -log(1 - σ(v)) = softplus(v); softplus(z) = max(z, 0) + log1p(e^-|z|)
      const z = labels[i] === 1 ? -v : v;
      loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }
    this.cache = { y, t: labels, shape: x.shape };
    return this.reduction === "mean" && y.length > 0 ? loss / y.length : loss;
  }

  // -> dx [...] = (σ(x) - t) · dout  (/ N for "mean")
  backward(dout = 1): Tensor {
    const c = this.cache;
    if (c === null) throw new Error("SigmoidWithLoss.backward: called before forward; run forward(x, t) first");
    if (typeof dout !== "number" || Number.isNaN(dout)) throw new TypeError(`SigmoidWithLoss.backward: dout must be a number, got ${describe(dout)}`);
    const scale = this.reduction === "mean" && c.y.length > 0 ? dout / c.y.length : dout;
    const dx = Tensor.zeros(c.shape);
    for (let i = 0; i < c.y.length; i++) dx.data[i] = (c.y[i] - c.t[i]) * scale;
    return dx;
  }
}
