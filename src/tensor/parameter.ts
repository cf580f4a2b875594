import { Tensor } from "./tensor.js";
import { describe, sameShape, shapeSize, showShape } from "./check.js";
import { formatTensor } from "./format.js";
import { displayParameter, displayRowSparse } from "../display/tensor.js";

/**
 * A gradient a layer has not written out yet, as positions: position i adds row i of `src`
 * (`[N, width]`) to row `idx[i]` of the gradient, except where `idx[i]` is `skip` (-1 for none).
 */
export interface RowPositions {
  readonly idx: Int32Array;
  readonly src: Float32Array;
  readonly skip: number;
  readonly width: number;
}

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

  /** A copy that shares no storage with this gradient. */
  clone(): RowSparseGrad {
    return new RowSparseGrad(this.rows.slice(), this.values.clone(), this.shape);
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
 * A layer may leave its gradient pending ({@link Parameter.setPendingGrad}): the positions of a
 * lookup's backward, written out into `grad` and `touchedRows` the first time either is read, so
 * that plain SGD can apply them directly, in one pass, as PyTorch applies its sparse gradient.
 *
 * @example
 * ```ts
 * const w = new Parameter(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * w.grad;         // null
 * w.requiresGrad; // true
 * ```
 */
export class Parameter extends Tensor {
  requiresGrad = true;
  private gradValue: Tensor | RowSparseGrad | null = null;
  private touchedValue: Int32Array | null = null;
  /** A gradient not written out yet, and the layer's function that writes it. */
  private pending: RowPositions | null = null;
  private writePending: ((p: Parameter, positions: RowPositions) => void) | null = null;
  /** A dense gradient buffer that `zeroGrad` cleared and kept, so the next backward need not allocate. */
  private spare: Tensor | null = null;

  /** Wraps a tensor's data (no copy) as a parameter. */
  static fromTensor(t: Tensor): Parameter {
    if (!(t instanceof Tensor)) throw new TypeError(`Parameter.fromTensor: t must be a Tensor, got ${describe(t)}`);
    return new Parameter(t.data, t.shape);
  }

  /** The gradient: null, a dense Tensor of this shape, or a RowSparseGrad (a pending one is written out first). */
  get grad(): Tensor | RowSparseGrad | null {
    if (this.pending !== null) this.writeOut();
    return this.gradValue;
  }

  set grad(g: Tensor | RowSparseGrad | null) {
    this.pending = null;
    this.writePending = null;
    this.gradValue = g;
  }

  /** The rows a dense gradient may be non-zero in, or null for "every row" (a pending gradient is written out first). */
  get touchedRows(): Int32Array | null {
    if (this.pending !== null) this.writeOut();
    return this.touchedValue;
  }

  set touchedRows(rows: Int32Array | null) {
    if (this.pending !== null) this.writeOut();
    this.touchedValue = rows;
  }

  /** Whether there is a gradient (pending or written), without writing a pending one out. */
  get hasGrad(): boolean {
    return this.pending !== null || this.gradValue !== null;
  }

  /**
   * The pending gradient's positions, or null when the gradient is written out (or absent). For optimizers.
   *
   * @example
   * ```ts
   * const emb = new Embedding(4, 2, { seed: 1 });
   * emb.forward([3, 3]);
   * emb.backward(Tensor.ones([2, 2]));
   * emb.weight.pendingPositions === null;   // false
   * Array.from(emb.weight.touchedRows!);    // [3]
   * emb.weight.pendingPositions;            // null
   * ```
   */
  get pendingPositions(): RowPositions | null {
    return this.pending;
  }

  /**
   * Replaces the gradient with a pending one: `positions` (trusted: the layer has checked every index;
   * it keeps them and `src` unchanged while they are pending) and `write`, which the first read of
   * `grad` or `touchedRows` calls to write the gradient out. A dense gradient buffer held now is
   * cleared and kept for that.
   */
  setPendingGrad(positions: RowPositions, write: (p: Parameter, positions: RowPositions) => void): void {
    this.keepDenseBuffer();
    this.gradValue = null;
    this.touchedValue = null;
    this.pending = positions;
    this.writePending = write;
  }

  private writeOut(): void {
    const positions = this.pending as RowPositions;
    const write = this.writePending as (p: Parameter, positions: RowPositions) => void;
    this.pending = null;
    this.writePending = null;
    write(this, positions);
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
    this.pending = null;
    this.writePending = null;
    this.keepDenseBuffer();
    this.gradValue = null;
    this.touchedValue = null;
  }

  /** A dense gradient buffer held now is cleared in its touched rows and becomes the spare. */
  private keepDenseBuffer(): void {
    const g = this.gradValue;
    if (g instanceof Tensor && sameShape(g.shape, this.shape)) {
      clearRows(g.data, this.touchedValue, this.rowWidth);
      this.spare = g;
    }
  }

  /**
   * A dense `[V, ...]` gradient buffer that is all zeros, for a layer about to write a fresh gradient:
   * the current dense grad with its touched rows cleared, or the buffer `zeroGrad` kept, or a new one.
   * The caller sets `grad` and `touchedRows` afterwards.
   */
  claimDenseGrad(): Tensor {
    if (this.pending !== null) {
      this.pending = null;
      this.writePending = null;
    }
    const g = this.gradValue;
    if (g instanceof Tensor && sameShape(g.shape, this.shape)) {
      clearRows(g.data, this.touchedValue, this.rowWidth);
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
