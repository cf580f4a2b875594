import { Tensor } from "./tensor.js";
import { describe, sameShape, shapeSize, showShape } from "./check.js";
import { formatTensor } from "./format.js";
import { displayParameter, displayRowSparse } from "../display/tensor.js";

/**
 * A gradient that is non-zero only in some rows of a `[V, H]` table: `rows` (unique, ascending) and
 * their `values` `[rows.length, H]`. What `Embedding` writes with `sparse: true`; no `[V, H]` buffer
 * exists.
 *
 * @example
 * ```ts
 * const g = new RowSparseGrad(new Int32Array([0, 2]), Tensor.from([[1, 1], [2, 2]]), [3, 2]);
 * g.toDense().toArray(); // [[1, 1], [0, 0], [2, 2]]
 * ```
 */
export class RowSparseGrad {
  readonly rows: Int32Array;
  readonly values: Tensor;
  /** The dense shape, `[V, ...]`. */
  readonly shape: readonly number[];

  constructor(rows: Int32Array, values: Tensor, shape: readonly number[]) {
    const fn = "RowSparseGrad";
    if (!(rows instanceof Int32Array)) throw new TypeError(`${fn}: rows must be an Int32Array, got ${describe(rows)}`);
    if (!(values instanceof Tensor)) throw new TypeError(`${fn}: values must be a Tensor, got ${describe(values)}`);
    if (!Array.isArray(shape) || shape.length < 1) {
      throw new TypeError(`${fn}: shape must be a non-empty array, got ${describe(shape)}`);
    }
    const expected = [rows.length, ...shape.slice(1)];
    if (!sameShape(values.shape, expected)) {
      throw new RangeError(`${fn}: values shape ${showShape(values.shape)} != ${showShape(expected)}`);
    }
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r < 0 || r >= shape[0] || (i > 0 && r <= rows[i - 1])) {
        throw new RangeError(`${fn}: rows must be unique, ascending and in [0, ${shape[0] - 1}]; rows[${i}] = ${r}`);
      }
    }
    this.rows = rows;
    this.values = values;
    this.shape = Object.freeze(shape.slice());
  }

  /** The gradient as a dense tensor of `shape` (allocates `V × H` floats: for inspection and tests). */
  toDense(): Tensor {
    const dense = Tensor.zeros(this.shape);
    const width = this.values.size / Math.max(1, this.rows.length);
    for (let i = 0; i < this.rows.length; i++) {
      dense.data.set(this.values.data.subarray(i * width, (i + 1) * width), this.rows[i] * width);
    }
    return dense;
  }

  toString(): string {
    const rows = `rows=[${Array.from(this.rows).join(", ")}]`;
    return formatTensor(this.values.data, this.values.shape, `RowSparseGrad(${rows}, size=(${this.shape.join(", ")}),\n  values=`, ")");
  }

  /** What a Jupyter kernel shows: the stored rows over the dense shape, absent rows marked. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return displayRowSparse(this);
  }

  /** `console.log(g)` in Node, Bun and Deno prints the text form. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
}

/**
 * A trainable tensor: the data, its gradient and whether optimizers update it.
 *
 * `touchedRows` is how a layer tells the optimizers (and its own next backward) which rows of a
 * dense gradient may be non-zero; `null` means "treat the whole gradient as dense". If you write into
 * `grad` yourself outside those rows, set `touchedRows = null`.
 *
 * @example
 * ```ts
 * const w = new Parameter(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * w.grad;         // null
 * w.requiresGrad; // true
 * ```
 */
export class Parameter extends Tensor {
  grad: Tensor | RowSparseGrad | null = null;
  requiresGrad = true;
  touchedRows: Int32Array | null = null;
  /** A dense gradient buffer that `zeroGrad` cleared and kept, so the next backward need not allocate. */
  private spare: Tensor | null = null;

  /** Wraps a tensor's data (no copy) as a parameter. */
  static fromTensor(t: Tensor): Parameter {
    if (!(t instanceof Tensor)) throw new TypeError(`Parameter.fromTensor: t must be a Tensor, got ${describe(t)}`);
    return new Parameter(t.data, t.shape);
  }

  /** Rows of the first dimension (1 for a 0-d or 1-D parameter). */
  get numRows(): number {
    return this.ndim >= 2 ? this.shape[0] : 1;
  }

  /** Elements per row. */
  get rowWidth(): number {
    return this.ndim >= 2 ? shapeSize(this.shape.slice(1)) : this.size;
  }

  /**
   * Sets `grad` to null (as PyTorch's `zero_grad(set_to_none=True)`). A dense buffer is cleared in its
   * touched rows only and kept for the next backward, so clearing costs O(rows touched × H).
   */
  zeroGrad(): void {
    if (this.grad instanceof Tensor && sameShape(this.grad.shape, this.shape)) {
      clearRows(this.grad.data, this.touchedRows, this.rowWidth);
      this.spare = this.grad;
    }
    this.grad = null;
    this.touchedRows = null;
  }

  /**
   * A dense `[V, ...]` gradient buffer that is all zeros, for a layer about to write a fresh gradient:
   * the current dense grad with its touched rows cleared, or the buffer `zeroGrad` kept, or a new one.
   * The caller sets `grad` and `touchedRows` afterwards.
   */
  claimDenseGrad(): Tensor {
    const g = this.grad;
    if (g instanceof Tensor && sameShape(g.shape, this.shape)) {
      clearRows(g.data, this.touchedRows, this.rowWidth);
      return g;
    }
    const spare = this.spare;
    this.spare = null;
    return spare ?? Tensor.zeros(this.shape);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }

  /** What a Jupyter kernel shows: the data as a heat map and, beside it, the gradient's non-zero rows. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return displayParameter(this);
  }
}

/** Zeroes the given rows of a `[*, width]` buffer, or all of it when `rows` is null. */
function clearRows(data: Float32Array, rows: Int32Array | null, width: number): void {
  if (rows === null) {
    data.fill(0);
    return;
  }
  for (let i = 0; i < rows.length; i++) {
    const start = rows[i] * width;
    data.fill(0, start, start + width);
  }
}
