import { Tensor } from "../tensor/tensor.js";
import { describe, sameShape, showShape } from "../tensor/check.js";

/**
 * PyTorch's `nn.ReLU`: `y = max(x, 0)` elementwise; the gradient passes where `x > 0` (0 at `x = 0`,
 * as PyTorch). NaN stays NaN and passes its gradient, as PyTorch's.
 *
 * @example
 * ```ts
 * const relu = new ReLU();
 * relu.forward(Tensor.from([[-1, 0, 2]])).toArray();  // [[0, 0, 2]]
 * relu.backward(Tensor.from([[5, 5, 5]])).toArray();  // [[0, 0, 5]]
 * ```
 */
export class ReLU {
  private mask: Uint8Array | null = null;
  private shape: readonly number[] = [];

  // x [...] -> y [...];  y = max(x, 0)
  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new TypeError(`ReLU.forward: x must be a Tensor, got ${describe(x)}`);
    const n = x.size;
    const y = new Float32Array(n);
    const mask = this.mask !== null && this.mask.length === n ? this.mask : new Uint8Array(n);
    const xd = x.data;
    for (let i = 0; i < n; i++) {
      const v = xd[i];
      const pass = v > 0 || v !== v;
      mask[i] = pass ? 1 : 0;
      y[i] = pass ? v : 0;
    }
    this.mask = mask;
    this.shape = x.shape.slice();
    return new Tensor(y, x.shape);
  }

  // dout [...] -> dx [...];  dx = dout · [x > 0]
  backward(dout: Tensor): Tensor {
    const fn = "ReLU.backward";
    const mask = this.mask;
    if (mask === null) throw new Error(`${fn}: called before forward; run forward(x) first`);
    if (!(dout instanceof Tensor)) throw new TypeError(`${fn}: dout must be a Tensor, got ${describe(dout)}`);
    if (!sameShape(dout.shape, this.shape)) throw new RangeError(`${fn}: dout shape ${showShape(dout.shape)} != output shape ${showShape(this.shape)}`);
    const dx = new Float32Array(mask.length);
    const g = dout.data;
    for (let i = 0; i < mask.length; i++) dx[i] = mask[i] === 1 ? g[i] : 0;
    return new Tensor(dx, this.shape);
  }

  /** ReLU has no parameters. */
  get params(): [] {
    return [];
  }

  toString(): string {
    return "ReLU()";
  }
}
