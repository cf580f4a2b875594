import { Tensor } from "./tensor.js";
import { type IndexLike, toIndices } from "./indices.js";
import { checkInt, describe, MAX_ELEMENTS, shapeSize, showShape } from "./check.js";

/**
 * The one-hot encoding of `indices`: shape `[...indexShape, numClasses]`, a 1 at each index.
 * This is the input that makes `oneHot(idx) @ W` equal to a lookup, at the cost of N × V floats.
 *
 * @example
 * ```ts
 * oneHot([2, 0], 3).toArray(); // [[0, 0, 1], [1, 0, 0]]
 * ```
 */
export function oneHot(indices: IndexLike, numClasses: number): Tensor {
  checkInt("oneHot", "numClasses", numClasses, 1);
  const idx = toIndices("oneHot", indices, numClasses);
  const shape = [...idx.shape, numClasses];
  if (shapeSize(shape) > MAX_ELEMENTS) {
    throw new RangeError(`oneHot: the result ${showShape(shape)} is larger than a Float32Array can hold`);
  }
  const out = Tensor.zeros(shape);
  for (let i = 0; i < idx.data.length; i++) out.data[i * numClasses + idx.data[i]] = 1;
  return out;
}

export function check2d(fn: string, arg: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${fn}: ${arg} must be a Tensor, got ${describe(t)}`);
  if (t.ndim !== 2) throw new RangeError(`${fn}: ${arg} must be 2-D, got shape ${showShape(t.shape)}`);
}

/**
 * The matrix product of 2-D tensors `a [N, D]` and `b [D, H]`, a general dense kernel (no special
 * case for zeros, so the one-hot comparison pays for every multiply).
 *
 * @example
 * ```ts
 * matmul(Tensor.from([[1, 2]]), Tensor.from([[3], [4]])).toArray(); // [[11]]
 * ```
 */
export function matmul(a: Tensor, b: Tensor, out?: Tensor): Tensor {
  check2d("matmul", "a", a);
  check2d("matmul", "b", b);
  const [n, d] = a.shape;
  const [d2, h] = b.shape;
  if (d !== d2) {
    throw new RangeError(`matmul: inner dimensions differ: a ${showShape(a.shape)} @ b ${showShape(b.shape)}`);
  }
  if (out === undefined) out = Tensor.zeros([n, h]);
  else {
    check2d("matmul", "out", out);
    if (out.shape[0] !== n || out.shape[1] !== h) {
      throw new RangeError(`matmul: out shape ${showShape(out.shape)} != [${n}, ${h}]`);
    }
  }
  gemmNN(a.data, b.data, out.data, n, d, h);
  return out;
}

// a [n, d] @ b [d, h] -> c [n, h];  i-k-j order so the inner loop walks rows of b and c contiguously.
export function gemmNN(a: Float32Array, b: Float32Array, c: Float32Array, n: number, d: number, h: number): void {
  c.fill(0);
  for (let i = 0; i < n; i++) {
    const cRow = i * h;
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k];
      const bRow = k * h;
      for (let j = 0; j < h; j++) c[cRow + j] += aik * b[bRow + j];
    }
  }
}

// a [n, d]ᵀ @ g [n, h] -> c [d, h];  c[k] += a[i, k] * g[i] for every i, k.
export function gemmTN(a: Float32Array, g: Float32Array, c: Float32Array, n: number, d: number, h: number): void {
  c.fill(0);
  for (let i = 0; i < n; i++) {
    const gRow = i * h;
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k];
      const cRow = k * h;
      for (let j = 0; j < h; j++) c[cRow + j] += aik * g[gRow + j];
    }
  }
}

// g [n, h] @ b [d, h]ᵀ -> c [n, d];  c[i, k] = dot(g[i], b[k]).
export function gemmNT(g: Float32Array, b: Float32Array, c: Float32Array, n: number, d: number, h: number): void {
  for (let i = 0; i < n; i++) {
    const gRow = i * h;
    for (let k = 0; k < d; k++) {
      const bRow = k * h;
      let s = 0;
      for (let j = 0; j < h; j++) s += g[gRow + j] * b[bRow + j];
      c[i * d + k] = s;
    }
  }
}
