import { formatTensor } from "./format.js";
import { Random } from "./random.js";
import { checkOptions, checkShape, describe, shapeSize } from "./check.js";

/** Nested arrays of numbers, e.g. `[[1, 2], [3, 4]]`, as given to {@link Tensor.from}. */
export type NestedArray = number | readonly NestedArray[];

/**
 * A dense, contiguous, row-major float32 array with a shape. `data` is the storage; `shape` says how
 * to read it. There are no strides and no views other than {@link Tensor.reshape}, which shares `data`.
 *
 * @example
 * ```ts
 * const t = Tensor.from([[1, 2, 3], [4, 5, 6]]);
 * t.shape;            // [2, 3]
 * t.data[4];          // 5
 * String(t);          // "tensor([[1., 2., 3.],\n        [4., 5., 6.]])"
 * ```
 */
export class Tensor {
  /** The elements, row-major. */
  readonly data: Float32Array;
  /** The size of each dimension; `[]` for a scalar. */
  readonly shape: readonly number[];

  /**
   * Wraps `data` (not copied) with `shape`. RangeError when the product of `shape` is not `data.length`.
   *
   * @example
   * ```ts
   * const t = new Tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
   * t.ndim; // 2
   * ```
   */
  constructor(data: Float32Array, shape: readonly number[]) {
    if (!(data instanceof Float32Array)) {
      throw new TypeError(`Tensor: data must be a Float32Array, got ${describe(data)}`);
    }
    checkShape("Tensor", "shape", shape);
    const size = shapeSize(shape);
    if (size !== data.length) {
      throw new RangeError(
        `Tensor: shape [${shape.join(", ")}] holds ${size} elements but data has ${data.length}`,
      );
    }
    this.data = data;
    this.shape = Object.freeze(shape.slice());
  }

  /** The number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** The number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /**
   * A tensor of zeros.
   *
   * @example
   * ```ts
   * Tensor.zeros([2, 3]).toArray(); // [[0, 0, 0], [0, 0, 0]]
   * ```
   */
  static zeros(shape: readonly number[]): Tensor {
    checkShape("Tensor.zeros", "shape", shape);
    return new Tensor(new Float32Array(shapeSize(shape)), shape);
  }

  /**
   * A tensor of ones.
   *
   * @example
   * ```ts
   * Tensor.ones([3]).toArray(); // [1, 1, 1]
   * ```
   */
  static ones(shape: readonly number[]): Tensor {
    checkShape("Tensor.ones", "shape", shape);
    return new Tensor(new Float32Array(shapeSize(shape)).fill(1), shape);
  }

  /**
   * Builds a tensor from nested arrays (the shape is inferred; ragged input is a RangeError) or from a
   * Float32Array (copied) with an optional shape (default: 1-D).
   *
   * @example
   * ```ts
   * Tensor.from([[1, 1, 1], [1, 1, 1]]).shape;           // [2, 3]
   * Tensor.from(new Float32Array(6), [3, 2]).shape;      // [3, 2]
   * ```
   */
  static from(values: NestedArray | Float32Array, shape?: readonly number[]): Tensor {
    if (shape !== undefined) checkShape("Tensor.from", "shape", shape);
    if (values instanceof Float32Array) {
      if (shape !== undefined && shapeSize(shape) !== values.length) {
        throw new RangeError(`Tensor.from: shape [${shape.join(", ")}] holds ${shapeSize(shape)} elements but values has ${values.length}`);
      }
      return new Tensor(values.slice(), shape ?? [values.length]);
    }
    const inferred = inferShape(values);
    checkShape("Tensor.from", "shape of the nested arrays", inferred);
    const data = new Float32Array(shapeSize(inferred));
    flattenInto("Tensor.from", values, inferred, 0, data, { offset: 0 }, []);
    if (shape !== undefined && shapeSize(shape) !== data.length) {
      throw new RangeError(`Tensor.from: shape [${shape.join(", ")}] holds ${shapeSize(shape)} elements but values has ${data.length}`);
    }
    return new Tensor(data, shape ?? inferred);
  }

  /**
   * Normally distributed values from a seeded generator: the same seed gives the same tensor on every
   * runtime (the generator uses only exactly-rounded arithmetic). Without a seed the values are random.
   *
   * @example
   * ```ts
   * const a = Tensor.randn([2, 3], { seed: 1 });
   * const b = Tensor.randn([2, 3], { seed: 1 });
   * a.data.every((x, i) => x === b.data[i]); // true
   * ```
   */
  static randn(shape: readonly number[], options: { seed?: number; mean?: number; std?: number } = {}): Tensor {
    checkShape("Tensor.randn", "shape", shape);
    const { seed, mean = 0, std = 1 } = checkOptions("Tensor.randn", options, ["seed", "mean", "std"]) as { seed?: number; mean?: number; std?: number };
    if (typeof mean !== "number" || !Number.isFinite(mean)) {
      throw new TypeError(`Tensor.randn: mean must be a finite number, got ${describe(mean)}`);
    }
    if (typeof std !== "number" || !Number.isFinite(std)) {
      throw new TypeError(`Tensor.randn: std must be a finite number, got ${describe(std)}`);
    }
    if (std < 0) throw new RangeError(`Tensor.randn: std must be >= 0, got ${std}`);
    const rng = new Random(seed, "Tensor.randn");
    const data = new Float32Array(shapeSize(shape));
    for (let i = 0; i < data.length; i++) data[i] = mean + std * rng.normal();
    return new Tensor(data, shape);
  }

  /**
   * The same data seen with another shape (no copy). One dimension may be `-1`: it is inferred.
   *
   * @example
   * ```ts
   * Tensor.zeros([2, 3, 4]).reshape([-1, 4]).shape; // [6, 4]
   * ```
   */
  reshape(shape: readonly number[]): Tensor {
    if (!Array.isArray(shape)) {
      throw new TypeError(`Tensor.reshape: shape must be an array of integers, got ${describe(shape)}`);
    }
    const free = shape.indexOf(-1);
    if (free !== -1 && shape.indexOf(-1, free + 1) !== -1) {
      throw new RangeError(`Tensor.reshape: only one dimension may be -1, got [${shape.join(", ")}]`);
    }
    let resolved = shape as readonly number[];
    if (free !== -1) {
      const rest = shape.filter((_, i) => i !== free);
      checkShape("Tensor.reshape", "shape", rest);
      const known = shapeSize(rest);
      if (known === 0 || this.size % known !== 0) {
        throw new RangeError(
          `Tensor.reshape: cannot infer -1 in [${shape.join(", ")}] for a tensor of ${this.size} elements`,
        );
      }
      resolved = shape.map((d) => (d === -1 ? this.size / known : d));
    }
    checkShape("Tensor.reshape", "shape", resolved);
    if (shapeSize(resolved) !== this.size) {
      throw new RangeError(
        `Tensor.reshape: shape [${shape.join(", ")}] does not fit a tensor of ${this.size} elements ` +
          `(shape [${this.shape.join(", ")}])`,
      );
    }
    return new Tensor(this.data, resolved);
  }

  /** A copy with its own data. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  /**
   * Row `i` of a tensor of 2 or more dimensions, as a view (`subarray`) of the data.
   *
   * @example
   * ```ts
   * Tensor.from([[1, 2], [3, 4]]).row(1); // Float32Array [3, 4]
   * ```
   */
  row(i: number): Float32Array {
    if (this.ndim < 1) throw new RangeError(`Tensor.row: a scalar tensor has no rows`);
    const rows = this.shape[0];
    if (!Number.isInteger(i) || i < 0 || i >= rows) {
      throw new RangeError(`Tensor.row: row ${describe(i)} is out of range [0, ${rows - 1}]`);
    }
    const width = rows === 0 ? 0 : this.size / rows;
    return this.data.subarray(i * width, (i + 1) * width);
  }

  /**
   * The elements as nested arrays of numbers (a plain number for a 0-d tensor).
   *
   * @example
   * ```ts
   * Tensor.from([[1, 2], [3, 4]]).toArray(); // [[1, 2], [3, 4]]
   * ```
   */
  toArray(): NestedArray {
    if (this.ndim === 0) return this.data[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim];
      const stride = shapeSize(this.shape.slice(dim + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = dim === this.ndim - 1 ? this.data[offset + i] : build(dim + 1, offset + i * stride);
      }
      return out;
    };
    return build(0, 0);
  }

  /** Reads like PyTorch's `tensor([[...]])`, with the same number formatting and summarisation. */
  toString(): string {
    return formatTensor(this.data, this.shape, "tensor(", ")");
  }

  /** `console.log(t)` in Node and Bun prints the PyTorch-like text form, as `String(t)` does. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** `console.log(t)` in Deno prints the PyTorch-like text form. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
}

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

function flattenInto(
  fn: string,
  values: NestedArray,
  shape: readonly number[],
  dim: number,
  out: Float32Array,
  cursor: { offset: number },
  position: number[],
): void {
  if (dim === shape.length) {
    if (Array.isArray(values)) {
      throw new RangeError(
        `${fn}: ragged nested array: position [${position.join(", ")}] holds an array, expected a number`,
      );
    }
    if (typeof values !== "number") {
      throw new TypeError(
        `${fn}: element at position [${position.join(", ")}] must be a number, got ${describe(values)}`,
      );
    }
    out[cursor.offset++] = values;
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new RangeError(
      `${fn}: ragged nested array: element at position [${position.join(", ")}] has ` +
        `${Array.isArray(values) ? `length ${values.length}` : describe(values)}, expected length ${shape[dim]}`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    position.push(i);
    flattenInto(fn, values[i], shape, dim + 1, out, cursor, position);
    position.pop();
  }
}
