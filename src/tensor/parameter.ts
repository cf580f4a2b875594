import { Tensor } from "./tensor.js";
import { describe, sameShape, shapeSize, showShape } from "./check.js";
import { formatTensor } from "./format.js";
import { coalesceRows } from "../kernels/coalesce.js";
import { newSlotMap } from "../kernels/group-rows.js";
import { scatterAddAll } from "../kernels/scatter-add.js";

/**
 * A gradient that is non-zero only in some rows of a `[V, H]` table: `rows` and their `values`
 * `[rows.length, H]`. Coalesced (`coalesced: true`), `rows` is unique and ascending; uncoalesced, it is
 * PyTorch's form of a lookup's gradient: one row per position, in position order, repeats allowed, and
 * the gradient is their sum. What a sparse `Embedding` writes; no `[V, H]` buffer exists.
 *
 * @example
 * ```ts
 * const g = new RowSparseGrad(new Int32Array([2, 0, 2]), Tensor.from([[1, 1], [5, 5], [2, 2]]), [3, 2], false);
 * g.coalesce().toDense().toArray(); // [[5, 5], [0, 0], [3, 3]]
 * ```
 */
export class RowSparseGrad {
  readonly rows: Int32Array;
  readonly values: Tensor;
  /** The dense shape, `[V, ...]`. */
  readonly shape: readonly number[];
  /** Whether `rows` is unique and ascending (else one row per position, repeats to be summed). */
  readonly coalesced: boolean;

  constructor(rows: Int32Array, values: Tensor, shape: readonly number[], coalesced = true) {
    const fn = "RowSparseGrad";
    if (!(rows instanceof Int32Array)) throw new TypeError(`${fn}: rows must be an Int32Array, got ${describe(rows)}`);
    if (!(values instanceof Tensor)) throw new TypeError(`${fn}: values must be a Tensor, got ${describe(values)}`);
    if (!Array.isArray(shape) || shape.length < 1) {
      throw new TypeError(`${fn}: shape must be a non-empty array, got ${describe(shape)}`);
    }
    if (typeof coalesced !== "boolean") throw new TypeError(`${fn}: coalesced must be a boolean, got ${describe(coalesced)}`);
    const expected = [rows.length, ...shape.slice(1)];
    if (!sameShape(values.shape, expected)) {
      throw new RangeError(`${fn}: values shape ${showShape(values.shape)} != ${showShape(expected)}`);
    }
    const bad = badRow(rows, shape[0], coalesced);
    if (bad >= 0) {
      const rule = coalesced ? "unique, ascending and in" : "in";
      throw new RangeError(`${fn}: rows must be ${rule} [0, ${shape[0] - 1}]; rows[${bad}] = ${rows[bad]}`);
    }
    this.rows = rows;
    this.values = values;
    this.shape = Object.freeze(shape.slice());
    this.coalesced = coalesced;
  }

  /** This gradient with its repeated rows summed (in position order) and its rows ascending. */
  coalesce(): RowSparseGrad {
    if (this.coalesced) return this;
    const width = shapeSize(this.shape.slice(1));
    const { rows, values } = coalesceRows(this.rows, this.values.data, width, newSlotMap(this.shape[0]), false);
    return new RowSparseGrad(rows, new Tensor(values, [rows.length, ...this.shape.slice(1)]), this.shape, true);
  }

  /** A copy that shares no storage with this gradient. */
  clone(): RowSparseGrad {
    return new RowSparseGrad(this.rows.slice(), this.values.clone(), this.shape, this.coalesced);
  }

  /** The gradient as a dense tensor of `shape` (allocates `V × H` floats: for inspection and tests). */
  toDense(): Tensor {
    const dense = Tensor.zeros(this.shape);
    scatterAddAll(dense.data, this.rows, -1, this.values.data, shapeSize(this.shape.slice(1)));
    return dense;
  }

  toString(): string {
    const rows = `rows=[${Array.from(this.rows).join(", ")}]`;
    const kind = this.coalesced ? "" : ", uncoalesced";
    return formatTensor(this.values.data, this.values.shape, `RowSparseGrad(${rows}, size=(${this.shape.join(", ")})${kind},\n  values=`, ")");
  }

  /** `console.log(g)` in Node, Bun and Deno prints the text form. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
}

/** The first row out of [0, V) (or, coalesced, not above its predecessor), or -1. */
function badRow(rows: Int32Array, V: number, coalesced: boolean): number {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r < 0 || r >= V || (coalesced && i > 0 && r <= rows[i - 1])) return i;
  }
  return -1;
}

/**
 * A trainable tensor: the data, its gradient and whether optimizers update it.
 *
 * The gradient is the sum of every backward since it was last cleared (`zeroGrad()`, or an
 * optimizer's `step()`, which applies it and then clears it): layers that share a parameter all add
 * to it. Layers add through {@link Parameter.denseGrad} and {@link Parameter.addSparseGrad}.
 *
 * `touchedRows` lists the rows a dense gradient may be non-zero in (every other row is zero), so that
 * optimizers and clearing cost O(rows touched × H); `null` means "every row". Setting `grad` sets it
 * to null; set it after `grad` if you know better. The arrays of a gradient written by a layer (the
 * dense buffer, a sparse gradient's rows and values) are kept and reused after the gradient is
 * cleared: clone a gradient you want to keep past `step()` or `zeroGrad()`.
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
  private touched: Int32Array | null = null;
  /**
   * Where the layers' `touched` lives (at its start, as a subarray), kept and grown while the gradient
   * is cleared, so that a training step does not allocate a rows array per backward.
   */
  private touchedBuf = new Int32Array(0);
  /** The dense buffer layers write (kept, all zeros, while the gradient is cleared). */
  private buffer: Tensor | null = null;
  /** `[V]`: 1 for the rows in `touched`, while `marksValid`; allocated with the buffer. */
  private marks: Uint8Array | null = null;
  private marksValid = false;
  /** The arrays a sparse backward fills, kept while the gradient is cleared (as `buffer`). */
  private rowsBuf = new Int32Array(0);
  private valuesBuf = new Float32Array(0);
  /** Whether the gradient now is a RowSparseGrad over rowsBuf and valuesBuf. */
  private sparseInUse = false;
  /** Whether `touchedRows` was set from outside since the gradient was last cleared (then it is checked, not trusted). */
  private touchedFromOutside = false;

  /** Wraps a tensor's data (no copy) as a parameter. */
  static fromTensor(t: Tensor): Parameter {
    if (!(t instanceof Tensor)) throw new TypeError(`Parameter.fromTensor: t must be a Tensor, got ${describe(t)}`);
    return new Parameter(t.data, t.shape);
  }

  /** The gradient: null, a dense Tensor of this shape, or a RowSparseGrad. */
  get grad(): Tensor | RowSparseGrad | null {
    return this.gradValue;
  }

  /** Replaces the gradient (and sets `touchedRows` to null: every row). */
  set grad(g: Tensor | RowSparseGrad | null) {
    this.clearGrad();
    this.gradValue = g;
  }

  /** The rows a dense gradient may be non-zero in, or null for "every row" (or no dense gradient). */
  get touchedRows(): Int32Array | null {
    return this.touched;
  }

  set touchedRows(rows: Int32Array | null) {
    this.touched = rows;
    this.marksValid = false;
    this.touchedFromOutside = true;
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
   * Sets `grad` to null (as PyTorch's `zero_grad(set_to_none=True)`). The dense buffer is cleared in
   * its touched rows only and kept for the next backward, so clearing costs O(rows touched × H).
   */
  zeroGrad(): void {
    this.clearGrad();
  }

  /**
   * For layers: the dense gradient to add a contribution into, and `marks`, 1 for each row that may
   * be non-zero (the rest are zero), or null when every row may be: the current dense gradient, or
   * the kept buffer, or a new one (a RowSparseGrad held now is added into it first). Report the rows
   * written with {@link Parameter.touch} (or `touchAll()`).
   */
  denseGrad(): { dW: Float32Array; marks: Uint8Array | null; empty: boolean } {
    const g = this.gradValue;
    if (g instanceof Tensor && sameShape(g.shape, this.shape)) {
      return { dW: g.data, marks: this.touched === null ? null : this.validMarks(), empty: false };
    }
    const buf = this.buffer ?? (this.buffer = Tensor.zeros(this.shape));
    this.gradValue = buf;
    this.touched = this.touchedBuf.subarray(0, 0);
    const marks = this.validMarks();
    if (g instanceof RowSparseGrad) {
      // a sparse gradient becomes dense: its rows added into the zero buffer, and marked
      scatterAddAll(buf.data, g.rows, -1, g.values.data, this.rowWidth);
      this.touch(g.rows, g.rows.length, true);
    } else if (g !== null) {
      throw new TypeError(`Parameter: cannot add a gradient to a grad of shape ${showShape((g as Tensor).shape)} != ${showShape(this.shape)}`);
    }
    return { dW: buf.data, marks, empty: g === null };
  }

  /**
   * For layers, after writing a dense contribution: `rows[0 .. n)` were written, and `marks` (from
   * {@link Parameter.denseGrad}) is already 1 for them unless `mark` asks this to mark them. They
   * join `touchedRows`.
   */
  touch(rows: Int32Array, n: number, mark = false): void {
    const old = this.touched;
    if (old === null) return;
    // appended in place when `touched` is the start of touchedBuf (the layers' own list), else copied there
    const own = old.buffer === this.touchedBuf.buffer && old.byteOffset === 0;
    let buf = this.touchedBuf;
    const len = old.length;
    if (!own || buf.length < len + n) {
      buf = new Int32Array(Math.max(len + n, 2 * buf.length));
      buf.set(old);
    }
    let k = n;
    if (mark) {
      const marks = this.marks as Uint8Array;
      k = 0;
      for (let i = 0; i < n; i++) {
        const r = rows[i];
        if (marks[r] === 0) {
          marks[r] = 1;
          buf[len + k++] = r;
        }
      }
    } else {
      buf.set(rows.subarray(0, n), len);
    }
    this.touchedBuf = buf;
    if (k > 0 || buf.buffer !== old.buffer) this.touched = buf.subarray(0, len + k);
  }

  /** For layers, after writing a dense contribution to every row. */
  touchAll(): void {
    this.touched = null;
    this.marksValid = false;
  }

  /**
   * For layers whose contribution covers every element (Linear, MatMul): `write(c)` overwrites `c`
   * with it, straight into the gradient when there is none yet, else into a scratch that is added.
   */
  addFullGrad(write: (c: Float32Array) => void): void {
    const { dW, empty } = this.denseGrad();
    if (empty) {
      write(dW);
    } else {
      const c = new Float32Array(dW.length);
      write(c);
      for (let i = 0; i < c.length; i++) dW[i] += c[i];
    }
    this.touchAll();
  }

  /**
   * For layers: `rows [n]` and `values [n · rowWidth]` to fill with a row gradient before handing
   * them to {@link Parameter.addSparseGrad}: the kept arrays of the last sparse gradient cleared (so
   * that a training loop does not allocate, and page-fault, a fresh `[N, H]` copy every step), or new
   * ones while that gradient is still held.
   */
  sparseBuffers(n: number): { rows: Int32Array; values: Float32Array } {
    const w = this.rowWidth;
    if (this.sparseInUse) return { rows: new Int32Array(n), values: new Float32Array(n * w) };
    if (this.rowsBuf.length < n) this.rowsBuf = new Int32Array(n);
    if (this.valuesBuf.length < n * w) this.valuesBuf = new Float32Array(n * w);
    return { rows: this.rowsBuf.subarray(0, n), values: this.valuesBuf.subarray(0, n * w) };
  }

  /**
   * For layers: adds a row gradient `rows [n]`, `values [n, ...]` (taken, not copied). Onto no
   * gradient it becomes the gradient; onto a RowSparseGrad the two are concatenated (uncoalesced, as
   * PyTorch accumulates sparse gradients); onto a dense gradient it is added into it.
   */
  addSparseGrad(rows: Int32Array, values: Float32Array, coalesced: boolean): void {
    const g = this.gradValue;
    const valueShape = [rows.length, ...this.shape.slice(1)];
    if (g === null) {
      this.gradValue = new RowSparseGrad(rows, new Tensor(values, valueShape), this.shape, coalesced);
      this.touched = null;
      this.sparseInUse = rows.buffer === this.rowsBuf.buffer || values.buffer === this.valuesBuf.buffer;
      return;
    }
    this.sparseInUse = false;
    if (g instanceof RowSparseGrad) {
      const r = new Int32Array(g.rows.length + rows.length);
      r.set(g.rows);
      r.set(rows, g.rows.length);
      const v = new Float32Array(g.values.size + values.length);
      v.set(g.values.data);
      v.set(values, g.values.size);
      this.gradValue = new RowSparseGrad(r, new Tensor(v, [r.length, ...this.shape.slice(1)]), this.shape, false);
      return;
    }
    const { dW, marks } = this.denseGrad();
    scatterAddAll(dW, rows, -1, values, this.rowWidth);
    if (marks !== null) this.touch(rows, rows.length, true);
  }

  /**
   * For optimizers: whether the gradient is the dense buffer layers write, with its touched rows
   * known: then a step may zero those rows as it applies them and call `clearAppliedGrad()`.
   */
  get ownsDenseGrad(): boolean {
    return this.gradValue !== null && this.gradValue === this.buffer && this.touched !== null && this.marksValid && !this.touchedFromOutside;
  }

  /** For optimizers: clears a gradient whose touched rows the step has just zeroed (see {@link ownsDenseGrad}). */
  clearAppliedGrad(): void {
    const rows = this.touched as Int32Array;
    const marks = this.marks as Uint8Array;
    for (let i = 0; i < rows.length; i++) marks[rows[i]] = 0;
    this.gradValue = null;
    this.touched = null;
    this.touchedFromOutside = false;
  }

  /** Clears the gradient; the dense buffer, if it holds it, is zeroed in its touched rows and kept. */
  private clearGrad(): void {
    const g = this.gradValue;
    if (g !== null && g === this.buffer) {
      const rows = this.touched;
      const w = this.rowWidth;
      if (rows === null || !this.marksValid) {
        g.data.fill(0);
        if (this.marks !== null) this.marks.fill(0);
      } else {
        const marks = this.marks as Uint8Array;
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i];
          g.data.fill(0, r * w, r * w + w);
          marks[r] = 0;
        }
      }
      this.marksValid = true;
    } else {
      this.marksValid = false;
    }
    this.gradValue = null;
    this.touched = null;
    this.sparseInUse = false;
    this.touchedFromOutside = false;
  }

  /** The row marks, rebuilt from `touchedRows` if they were set from outside. */
  private validMarks(): Uint8Array {
    const marks = this.marks ?? (this.marks = new Uint8Array(this.numRows));
    if (!this.marksValid) {
      marks.fill(0);
      const rows = this.touched;
      if (rows !== null) for (let i = 0; i < rows.length; i++) if (rows[i] >= 0 && rows[i] < marks.length) marks[rows[i]] = 1;
      this.marksValid = true;
    }
    return marks;
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
