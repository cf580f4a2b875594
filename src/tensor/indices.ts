import { checkShape, describe, shapeSize, showShape } from "./check.js";

/** Nested arrays of integers of any depth, e.g. `[[0, 2, 2, 1, 1]]`. */
export type NestedIndex = number | readonly NestedIndex[];

/**
 * What a lookup accepts as indices. The index shape is kept: a `[2, 3]` index gives a `[2, 3, H]`
 * output, a plain number gives `[H]`, `[]` gives `[0, H]`.
 * - a `number` (0-d),
 * - nested `number[]` arrays of any depth,
 * - an `Int32Array` (1-D; any other integer typed array, or a Float64Array / BigInt64Array holding
 *   integers, is accepted too),
 * - `{ data: Int32Array, shape }`.
 */
export type IndexLike =
  | number
  | readonly NestedIndex[]
  | Int32Array
  | ArrayLike<number>
  | { readonly data: Int32Array | ArrayLike<number>; readonly shape: readonly number[] };

/** Parsed, validated indices: the values and the index shape. */
export interface Indices {
  readonly data: Int32Array;
  readonly shape: readonly number[];
}

/** Position `[i, j, …]` of flat offset `k` in `shape`, for error messages. */
export function positionOf(k: number, shape: readonly number[]): string {
  const pos: number[] = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    pos[d] = k % shape[d];
    k = Math.floor(k / shape[d]);
  }
  return showShape(pos);
}

function badIndex(fn: string, value: unknown, k: number, shape: readonly number[], numClasses: number): Error {
  const at = `at position ${positionOf(k, shape)}`;
  if (typeof value === "bigint") {
    // Only a BigInt64Array or BigUint64Array gets here with a BigInt, and then it is out of range.
    return new RangeError(`${fn}: index ${value} ${at} is out of range [0, ${numClasses - 1}]`);
  }
  if (typeof value !== "number" || !Number.isInteger(value)) {
    return new TypeError(`${fn}: index ${describe(value)} ${at} is not an integer`);
  }
  return new RangeError(`${fn}: index ${value} ${at} is out of range [0, ${numClasses - 1}]`);
}

/** A BigInt outside a BigInt64Array: refused by kind, so that `1n` never reads as "index 1 out of range". */
function bigIntIndex(fn: string, value: bigint, at: string): TypeError {
  return new TypeError(`${fn}: index ${value}n ${at} is a BigInt; give indices as numbers (Number(${value}n)) or in a BigInt64Array`);
}

/**
 * Reads `indices` into an Int32Array (always a fresh copy) and checks every value is an integer in
 * `[0, numClasses)`, naming the first bad one and its position. Nothing is changed if it throws.
 * `fn` is the name used in error messages. `into`, if given and of the right length, receives the
 * values instead of a fresh array (a layer passes a buffer of its own that nothing else refers to, so
 * a forward into a reused output allocates nothing); it may be partly written when this throws.
 * A BigInt64Array is read as integers; a BigInt anywhere else is a TypeError.
 *
 * @example
 * ```ts
 * const idx = toIndices("lookup", [[0, 2, 2, 1, 1]], 5);
 * idx.shape;             // [1, 5]
 * Array.from(idx.data);  // [0, 2, 2, 1, 1]
 * // toIndices("lookup", [7], 5) throws RangeError("lookup: index 7 at position [0] is out of range [0, 4]")
 * ```
 */
export function toIndices(fn: string, indices: IndexLike, numClasses: number, into?: Int32Array): Indices {
  if (typeof indices === "number") {
    const out = into !== undefined && into.length === 1 ? into : new Int32Array(1);
    if (!Number.isInteger(indices) || indices < 0 || indices >= numClasses) {
      throw badIndex(fn, indices, 0, [], numClasses);
    }
    out[0] = indices;
    return { data: out, shape: [] };
  }
  if (Array.isArray(indices)) return fromNested(fn, indices, numClasses, into);
  if (ArrayBuffer.isView(indices) && !(indices instanceof DataView)) {
    const flat = indices as unknown as ArrayLike<number>;
    const shape = [flat.length];
    return { data: fromFlat(fn, flat, shape, numClasses, into), shape };
  }
  if (indices !== null && typeof indices === "object" && "data" in indices && "shape" in indices) {
    const { data, shape } = indices as { data: unknown; shape: unknown };
    if (!ArrayBuffer.isView(data) || data instanceof DataView) {
      throw new TypeError(`${fn}: indices.data must be an Int32Array, got ${describe(data)}`);
    }
    checkShape(fn, "indices.shape", shape);
    const flat = data as unknown as ArrayLike<number>;
    if (shapeSize(shape) !== flat.length) {
      throw new RangeError(
        `${fn}: indices.shape ${showShape(shape)} holds ${shapeSize(shape)} elements but indices.data has ${flat.length}`,
      );
    }
    return { data: fromFlat(fn, flat, shape, numClasses, into), shape: shape.slice() };
  }
  if (typeof indices === "bigint") throw bigIntIndex(fn, indices, "at position []");
  throw new TypeError(
    `${fn}: indices must be a number, nested arrays of integers, an Int32Array or { data, shape }, got ${describe(indices)}`,
  );
}

function fromFlat(fn: string, flat: ArrayLike<number>, shape: readonly number[], numClasses: number, into?: Int32Array): Int32Array {
  const n = flat.length;
  const out = into !== undefined && into.length === n ? into : new Int32Array(n);
  if (flat instanceof Int32Array) {
    const bad = copyInt32Checked(flat, out, numClasses);
    if (bad >= 0) throw badIndex(fn, flat[bad], bad, shape, numClasses);
    return out;
  }
  for (let k = 0; k < n; k++) {
    const raw: unknown = flat[k];
    const v = typeof raw === "bigint" && raw >= 0n && raw < BigInt(numClasses) ? Number(raw) : raw;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw badIndex(fn, raw, k, shape, numClasses);
    }
    out[k] = v;
  }
  return out;
}

/**
 * The common case: a native copy, then one compare per index (negatives wrap to >= 2^31 unsigned);
 * half the time of checking and copying in one loop (`npm run bench -- --kernels`, "index
 * check+copy"). Returns the first bad position, or -1.
 */
function copyInt32Checked(src: Int32Array, out: Int32Array, numClasses: number): number {
  out.set(src);
  for (let k = 0; k < out.length; k++) if (out[k] >>> 0 >= numClasses) return k;
  return -1;
}

function fromNested(fn: string, nested: readonly NestedIndex[], numClasses: number, into?: Int32Array): Indices {
  const shape: number[] = [];
  let probe: NestedIndex = nested;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  checkShape(fn, "indices shape", shape);
  const size = shapeSize(shape);
  const out = into !== undefined && into.length === size ? into : new Int32Array(size);
  let k = 0;
  const walk = (node: NestedIndex, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      if (Array.isArray(node)) {
        throw new RangeError(`${fn}: ragged nested indices: position ${showShape(path)} holds an array, expected an integer`);
      }
      if (typeof node !== "number" || !Number.isInteger(node) || node < 0 || node >= numClasses) {
        if (typeof node === "bigint") throw bigIntIndex(fn, node, `at position ${positionOf(k, shape)}`);
        throw badIndex(fn, node, k, shape, numClasses);
      }
      out[k++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim]) {
      throw new RangeError(
        `${fn}: ragged nested indices: position ${showShape(path)} has ` +
          `${Array.isArray(node) ? `length ${node.length}` : describe(node)}, expected length ${shape[dim]}`,
      );
    }
    for (let i = 0; i < node.length; i++) {
      path.push(i);
      walk(node[i], dim + 1, path);
      path.pop();
    }
  };
  walk(nested, 0, []);
  return { data: out, shape };
}
