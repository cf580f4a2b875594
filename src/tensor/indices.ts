import { checkShape, describe, shapeSize, showShape } from "./check.js";

/** Nested arrays of integers, e.g. `[[0, 2, 2, 1, 1]]` (at most 64 levels). */
export type NestedIndex = number | readonly NestedIndex[];

/**
 * What a lookup accepts as indices. The index shape is kept: a `[2, 3]` index gives a `[2, 3, H]`
 * output, a plain number gives `[H]`, `[]` gives `[0, H]`.
 * - a `number` (0-d),
 * - nested `number[]` arrays, at most {@link MAX_INDEX_DEPTH} deep,
 * - an integer typed array (1-D): `Int32Array`, `Uint32Array`, `Int16Array`, `Uint16Array`,
 *   `Int8Array`, `Uint8Array`, `Uint8ClampedArray`,
 * - `{ data, shape }` with `data` one of those (or a `number[]`).
 *
 * Float typed arrays are refused, as PyTorch refuses float index tensors: a float index is a bug
 * more often than a row number. BigInt arrays are refused too: no table has 2^31 rows, and numbers are
 * what every other index form holds.
 */
export type IndexLike =
  | number
  | readonly NestedIndex[]
  | Int32Array
  | IntegerArray
  | { readonly data: Int32Array | IntegerArray | readonly number[]; readonly shape: readonly number[] };

/** The integer typed arrays accepted as indices. */
export type IntegerArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** Nested index arrays deeper than this are refused (a RangeError, not a stack overflow); PyTorch's tensors have at most 64 dimensions too. */
export const MAX_INDEX_DEPTH = 64;

function isIntegerArray(a: unknown): a is IntegerArray {
  return (
    a instanceof Int32Array ||
    a instanceof Uint32Array ||
    a instanceof Int16Array ||
    a instanceof Uint16Array ||
    a instanceof Int8Array ||
    a instanceof Uint8Array ||
    a instanceof Uint8ClampedArray
  );
}

/** The TypeError for a typed array that is not an integer one (Float32Array, BigInt64Array, ...). */
function notIntegerArray(fn: string, arg: string, a: ArrayBufferView): TypeError {
  const name = a.constructor.name;
  const why = /^Big/.test(name) ? "BigInt arrays are not accepted" : "float indices are refused, as in PyTorch";
  return new TypeError(`${fn}: ${arg} must be an integer typed array (Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array) or numbers, got a ${name} (${why}; convert with Int32Array.from)`);
}

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
  if (typeof value !== "number" || !Number.isInteger(value)) {
    return new TypeError(`${fn}: index ${describe(value)} ${at} is not an integer`);
  }
  return new RangeError(`${fn}: index ${value} ${at} is out of range [0, ${numClasses - 1}]`);
}

/** A BigInt outside a BigInt64Array: refused by kind, so that `1n` never reads as "index 1 out of range". */
function bigIntIndex(fn: string, value: bigint, at: string): TypeError {
  return new TypeError(`${fn}: index ${value}n ${at} is a BigInt; give indices as numbers (Number(${value}n)) or in an Int32Array`);
}

/**
 * Reads `indices` into an Int32Array (always a fresh copy) and checks every value is an integer in
 * `[0, numClasses)`, naming the first bad one and its position. Nothing is changed if it throws.
 * `fn` is the name used in error messages. `into`, if given and of the right length, receives the
 * values instead of a fresh array (a layer passes a buffer of its own that nothing else refers to, so
 * a forward into a reused output allocates nothing); it may be partly written when this throws.
 * A float or BigInt typed array, or a BigInt anywhere, is a TypeError.
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
  if (ArrayBuffer.isView(indices)) {
    if (!isIntegerArray(indices)) throw notIntegerArray(fn, "indices", indices);
    const shape = [indices.length];
    return { data: fromFlat(fn, indices, shape, numClasses, into), shape };
  }
  if (indices !== null && typeof indices === "object" && "data" in indices && "shape" in indices) {
    const { data, shape } = indices as { data: unknown; shape: unknown };
    if (ArrayBuffer.isView(data) && !isIntegerArray(data)) throw notIntegerArray(fn, "indices.data", data);
    if (!isIntegerArray(data) && !Array.isArray(data)) {
      throw new TypeError(`${fn}: indices.data must be an Int32Array (or another integer typed array, or numbers), got ${describe(data)}`);
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
    const v: unknown = flat[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= numClasses) {
      if (typeof v === "bigint") throw bigIntIndex(fn, v, `at position ${positionOf(k, shape)}`);
      throw badIndex(fn, v, k, shape, numClasses);
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
    if (shape.length === MAX_INDEX_DEPTH) {
      let depth = shape.length;
      for (let p: unknown = probe; Array.isArray(p) && depth <= 1e6; p = p.length > 0 ? p[0] : undefined) depth++;
      const deep = depth > 1e6 ? "more than 1,000,000" : String(depth);
      throw new RangeError(`${fn}: indices are nested ${deep} levels deep; at most ${MAX_INDEX_DEPTH} are supported`);
    }
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

/**
 * Reads a layer's indices into one of two buffers of its own, alternately: `read` writes into the one
 * the layer does not hold, `keep` makes it the held one once the forward has succeeded. So the held
 * indices (which the layer's backward needs) stay intact through a forward that throws, and a read of
 * the same size allocates nothing. For layers.
 */
export class IndexReader {
  private held: Int32Array | undefined = undefined;
  private spare: Int32Array | undefined = undefined;

  read(fn: string, indices: IndexLike, numClasses: number): Indices {
    return toIndices(fn, indices, numClasses, this.spare);
  }

  keep(idx: Indices): Indices {
    if (idx.data !== this.held) {
      this.spare = this.held;
      this.held = idx.data;
    }
    return idx;
  }
}
