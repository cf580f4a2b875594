import { Tensor } from "../tensor/tensor.js";
import { Parameter } from "../tensor/parameter.js";
import { check2d, gemmNN, gemmNT, gemmTN } from "../tensor/ops.js";
import { describe, sameShape, showShape } from "../tensor/check.js";

/**
 * A dense layer without bias, `out = x @ W`: the "one-hot times W" that an {@link Embedding} replaces.
 * Its kernel is general (it multiplies every zero), which is the point of the comparison.
 *
 * @example
 * ```ts
 * const emb = new Embedding(5, 3, { seed: 0 });
 * const viaMatMul = new MatMul(emb.weight).forward(oneHot([4, 1], 5)); // [2, 3]
 * // equals emb.forward([4, 1])
 * ```
 */
export class MatMul {
  readonly W: Parameter;
  private x: Tensor | null = null;

  /** `W [D, H]`; a Parameter is used as is (so it can be shared with an Embedding), a Tensor is wrapped. */
  constructor(W: Tensor | Parameter) {
    check2d("MatMul", "W", W);
    this.W = W instanceof Parameter ? W : Parameter.fromTensor(W);
  }

  get params(): Parameter[] {
    return [this.W];
  }

  get grads(): (Tensor | null)[] {
    return [this.W.grad as Tensor | null];
  }

  // x [N, D], W [D, H] -> out [N, H];  out = x @ W
  forward(x: Tensor): Tensor {
    check2d("MatMul.forward", "x", x);
    const [n, d] = x.shape;
    const [D, H] = this.W.shape;
    if (d !== D) {
      throw new RangeError(`MatMul.forward: x shape ${showShape(x.shape)} does not fit W ${showShape(this.W.shape)} (x.shape[1] must be ${D})`);
    }
    const out = Tensor.zeros([n, H]);
    gemmNN(x.data, this.W.data, out.data, n, D, H);
    this.x = x;
    return out;
  }

  // dout [N, H] -> dx = dout @ Wᵀ [N, D];  dW = xᵀ @ dout [D, H]  (dense, added to W.grad)
  backward(dout: Tensor): Tensor {
    const x = this.x;
    if (x === null) throw new Error("MatMul.backward: called before forward; run forward(x) first");
    if (!(dout instanceof Tensor)) throw new TypeError(`MatMul.backward: dout must be a Tensor, got ${describe(dout)}`);
    const [n, D] = x.shape;
    const H = this.W.shape[1];
    if (!sameShape(dout.shape, [n, H])) {
      throw new RangeError(`MatMul.backward: dout shape ${showShape(dout.shape)} != output shape [${n}, ${H}]`);
    }
    const dx = Tensor.zeros([n, D]);
    gemmNT(dout.data, this.W.data, dx.data, n, D, H);
    if (this.W.requiresGrad) {
      this.W.addFullGrad((dW) => gemmTN(x.data, dout.data, dW, n, D, H));
    }
    return dx;
  }
}
