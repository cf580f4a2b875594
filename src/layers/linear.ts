import { Tensor } from "../tensor/tensor.js";
import { Parameter } from "../tensor/parameter.js";
import { Random } from "../tensor/random.js";
import { checkBoolean, checkInt, checkOptions, checkSeed, describe, sameShape, showShape } from "../tensor/check.js";
import { gemmNN2x4 as gemmNN } from "../kernels/gemm-nn.js";
import { gemmNT4x4 as gemmNT } from "../kernels/gemm-nt.js";
import { gemmTN2x4 as gemmTN } from "../kernels/gemm-tn.js";

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Whether the layer adds a bias (default true). */
  bias?: boolean;
  /** Seed of the initial weights. */
  seed?: number;
}

/**
 * PyTorch's `nn.Linear`: `out = x @ weightᵀ + bias` over the last dimension, `weight [out, in]` in
 * PyTorch's layout (so `lin.weight.data.set(torchWeight)` loads a state dict's `weight` unchanged, and
 * `bias [out]` its `bias`). Initialised as PyTorch's: weight and bias uniform in ±1/√in (its
 * `kaiming_uniform_(a=√5)` gives exactly that bound), from a seeded generator.
 *
 * @example
 * ```ts
 * const lin = new Linear(3, 2, { seed: 0 });
 * lin.weight.shape;                                  // [2, 3]
 * lin.forward(Tensor.ones([4, 3])).shape;            // [4, 2]
 * lin.backward(Tensor.ones([4, 2])).shape;           // [4, 3]
 * Array.from((lin.bias!.grad as Tensor).data);       // [4, 4]
 * (lin.weight.grad as Tensor).toArray();             // [[4, 4, 4], [4, 4, 4]]
 * ```
 */
export class Linear {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  private x: Tensor | null = null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    const fn = "Linear";
    const o = checkOptions(fn, options, ["bias", "seed"]) as LinearOptions;
    const nIn = checkInt(fn, "inFeatures", inFeatures, 1);
    const nOut = checkInt(fn, "outFeatures", outFeatures, 1);
    const withBias = o.bias === undefined ? true : checkBoolean(fn, "bias", o.bias);
    if (o.seed !== undefined) checkSeed(fn, o.seed);
    const rng = new Random(o.seed, fn);
    const bound = 1 / Math.sqrt(nIn);
    const w = new Float32Array(nOut * nIn);
    for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * bound;
    this.inFeatures = nIn;
    this.outFeatures = nOut;
    this.weight = new Parameter(w, [nOut, nIn]);
    if (withBias) {
      const b = new Float32Array(nOut);
      for (let i = 0; i < nOut; i++) b[i] = (2 * rng.uniform() - 1) * bound;
      this.bias = new Parameter(b, [nOut]);
    } else {
      this.bias = null;
    }
  }

  /** `[weight, bias]` (or `[weight]` without bias), PyTorch's order. */
  get params(): Parameter[] {
    return this.bias === null ? [this.weight] : [this.weight, this.bias];
  }

  /** The parameters' gradients, in the order of `params`. */
  get grads(): (Tensor | null)[] {
    return this.params.map((p) => p.grad as Tensor | null);
  }

  // x [N, in], W [out, in] -> y [N, out];  y = x @ Wᵀ + b
  forward(x: Tensor): Tensor {
    const fn = "Linear.forward";
    if (!(x instanceof Tensor)) throw new TypeError(`${fn}: x must be a Tensor, got ${describe(x)}`);
    const nIn = this.inFeatures;
    if (x.ndim < 1 || x.shape[x.ndim - 1] !== nIn) {
      throw new RangeError(`${fn}: x shape ${showShape(x.shape)} must end in inFeatures = ${nIn}`);
    }
    const nOut = this.outFeatures;
    const N = x.size / nIn;
    const y = Tensor.zeros([...x.shape.slice(0, -1), nOut]);
    gemmNT(x.data, this.weight.data, y.data, N, nOut, nIn);
    if (this.bias !== null) {
      const b = this.bias.data;
      const yd = y.data;
      for (let i = 0; i < N; i++) {
        const r = i * nOut;
        for (let j = 0; j < nOut; j++) yd[r + j] += b[j];
      }
    }
    this.x = x;
    return y;
  }

  // dout [N, out] -> dx = dout @ W [N, in];  dW = doutᵀ @ x [out, in];  db = Σ_n dout[n]
  /** Adds to dense `weight.grad` and `bias.grad` (tied weights all count) and returns `dx`. */
  backward(dout: Tensor): Tensor {
    const fn = "Linear.backward";
    const x = this.x;
    if (x === null) throw new Error(`${fn}: called before forward; run forward(x) first`);
    if (!(dout instanceof Tensor)) throw new TypeError(`${fn}: dout must be a Tensor, got ${describe(dout)}`);
    const nIn = this.inFeatures;
    const nOut = this.outFeatures;
    const expected = [...x.shape.slice(0, -1), nOut];
    if (!sameShape(dout.shape, expected)) throw new RangeError(`${fn}: dout shape ${showShape(dout.shape)} != output shape ${showShape(expected)}`);
    const N = x.size / nIn;
    const dx = Tensor.zeros(x.shape);
    gemmNN(dout.data, this.weight.data, dx.data, N, nOut, nIn);
    if (this.weight.requiresGrad) this.weight.addFullGrad((dW) => gemmTN(dout.data, x.data, dW, N, nOut, nIn));
    if (this.bias !== null && this.bias.requiresGrad) {
      const g = dout.data;
      this.bias.addFullGrad((db) => {
        db.fill(0);
        for (let i = 0; i < N; i++) {
          const r = i * nOut;
          for (let j = 0; j < nOut; j++) db[j] += g[r + j];
        }
      });
    }
    return dx;
  }

  toString(): string {
    return `Linear(in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias === null ? "False" : "True"})`;
  }
}
