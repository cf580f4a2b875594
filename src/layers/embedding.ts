import { Tensor } from "../tensor/tensor.js";
import type { Parameter, RowSparseGrad } from "../tensor/parameter.js";
import { type IndexLike, type Indices, IndexReader } from "../tensor/indices.js";
import { checkOptions, describe, shapeSize, showShape } from "../tensor/check.js";
import { gatherRows } from "../kernels/gather.js";
import { scatterAddAll, scatterAddRows, scatterAddRowsScaled } from "../kernels/scatter-add.js";
import { distinctRows, newSlotMap, uniqueRows } from "../kernels/group-rows.js";
import { renormRows } from "../kernels/renorm.js";
import { TABLE_OPTIONS, type TableOptions, makeTable, pretrainedOptions } from "./table.js";

/** Options of {@link Embedding}; the names and meanings are PyTorch's `nn.Embedding`'s. */
export interface EmbeddingOptions extends TableOptions {
  /** A row that is zero at initialisation and never receives gradient; negative counts from the end. */
  paddingIdx?: number | null;
  /** Rows referenced by a forward whose norm exceeds this are rescaled to it, in place, first. */
  maxNorm?: number | null;
  /** The p of the p-norm for `maxNorm` (default 2; `Infinity` allowed). */
  normType?: number;
  /** Divide each row's gradient by how often the row occurs in the mini-batch. */
  scaleGradByFreq?: boolean;
  /** Write `weight.grad` as a {@link RowSparseGrad}; no `[V, H]` gradient buffer is ever allocated. */
  sparse?: boolean;
  /** The initial table `[V, H]`, used as given (shared: a Parameter here ties the layers that use it). */
  weight?: Tensor;
  /** Seed for the N(0, 1) initial weights. */
  seed?: number;
}

/**
 * A lookup table `W [V, H]`. `forward(idx)` gathers rows: mathematically `oneHot(idx) @ W`, without
 * building the one-hot. `backward(dout)` is numpy's `dW = 0; np.add.at(dW, idx, dout)`: every
 * position's `dout` row is added to the row it looked up, repeated indices summed, and that `dW` is
 * added to `weight.grad` (the sum of every backward since the gradient was last cleared).
 *
 * @example
 * ```ts
 * const emb = new Embedding(5, 3, { seed: 0 });
 * const out = emb.forward([[0, 2, 2]]);      // shape [1, 3, 3]: rows 0, 2, 2
 * emb.backward(Tensor.ones(out.shape));      // dW[0] = 1, dW[2] = 2 (two uses), other rows 0
 * new SGD(emb.params, { lr: 0.1 }).step();   // moves rows 0 and 2 only, then clears the gradient
 * ```
 */
export class Embedding {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly weight: Parameter;
  /** The padding row, normalised to `[0, V)`, or null. */
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly sparse: boolean;
  /** The last forward's indices, for backward. */
  private idx: Indices | null = null;
  private readonly indices = new IndexReader();
  /** A `[V]` scratch map for grouping rows, -1 between calls (made on first use). */
  private slotOf: Int32Array | null = null;
  /** Scratch for a dense backward's newly touched rows (grown to the largest batch). */
  private added = new Int32Array(0);

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    const t = makeTable("Embedding", numEmbeddings, embeddingDim, checkOptions("Embedding", options, TABLE_OPTIONS));
    this.numEmbeddings = t.V;
    this.embeddingDim = t.H;
    this.weight = t.weight;
    this.paddingIdx = t.paddingIdx;
    this.maxNorm = t.maxNorm;
    this.normType = t.normType;
    this.scaleGradByFreq = t.scaleGradByFreq;
    this.sparse = t.sparse;
  }

  /**
   * An embedding whose table is `weight` `[V, H]` (shared, not copied). `freeze` (default true) sets
   * `requiresGrad` to false so optimizers skip it.
   *
   * @example
   * ```ts
   * const emb = Embedding.fromPretrained(Tensor.from([[1, 2.3, 3], [4, 5.1, 6.3]]));
   * emb.forward([1]).toArray(); // [[4, 5.1, 6.3]] (as float32)
   * emb.weight.requiresGrad;    // false
   * ```
   */
  static fromPretrained(weight: Tensor, options: Omit<EmbeddingOptions, "weight" | "seed"> & { freeze?: boolean } = {}): Embedding {
    const p = pretrainedOptions<EmbeddingOptions>("Embedding.fromPretrained", weight, options, TABLE_OPTIONS);
    const emb = new Embedding(p.V, p.H, p.options);
    emb.weight.requiresGrad = !p.freeze;
    return emb;
  }

  /** The trainable parameters, `[weight]`. */
  get params(): Parameter[] {
    return [this.weight];
  }

  /** The parameters' gradients, in the order of `params` (the book's `params`/`grads` style). */
  get grads(): (Tensor | RowSparseGrad | null)[] {
    return [this.weight.grad];
  }

  /**
   * Looks up the rows of `indices`: output shape `[...indexShape, H]`. With `maxNorm`, the distinct
   * referenced rows whose norm exceeds it are first rescaled in place. Every index is validated before
   * anything is touched. `out`, if given, must have the output's shape and share no memory with the
   * table; it receives the result, and a forward into a reused `out` allocates no typed array.
   */
  forward(indices: IndexLike, out?: Tensor): Tensor {
    const fn = "Embedding.forward";
    const W = this.weight.data;
    const H = this.embeddingDim;
    const idx = this.indices.read(fn, indices, this.numEmbeddings);
    out = checkOut(fn, out, [...idx.shape, H], W);
    if (this.maxNorm !== null) renormRows(W, uniqueRows(idx.data, -1, this.slots()), H, this.maxNorm, this.normType);
    // idx [N], W [V, H] -> out [N, H];  out[i] = W[idx[i]]   (= oneHot(idx) @ W)
    gatherRows(W, idx.data, out.data, H);
    this.idx = this.indices.keep(idx);
    return out;
  }

  /**
   * Adds the gradient of the last forward to `weight.grad`, before it returns: `dW = 0`, then
   * `dW[idx[i]] += dout[i]` for every position (repeated indices summed, the padding row skipped, each
   * row divided by its count with `scaleGradByFreq`), then `weight.grad += dW`. Dense, only the rows
   * used are written (they join `touchedRows`); with `sparse`, dW is PyTorch's uncoalesced
   * RowSparseGrad: the rows used, one per position, and a copy of their `dout` rows.
   */
  backward(dout: Tensor): void {
    const fn = "Embedding.backward";
    const idx = this.idx;
    if (idx === null) throw new Error(`${fn}: called before forward; run forward(indices) first`);
    const H = this.embeddingDim;
    if (!(dout instanceof Tensor)) throw new TypeError(`${fn}: dout must be a Tensor, got ${describe(dout)}`);
    if (!sameOutputShape(dout.shape, idx.shape, H)) {
      throw new RangeError(`${fn}: dout shape ${showShape(dout.shape)} != output shape ${showShape([...idx.shape, H])}`);
    }
    if (!this.weight.requiresGrad) return;
    const skip = this.paddingIdx ?? -1;
    if (this.sparse) {
      // dout [N, H] -> dW = RowSparseGrad(rows = idx[i], values = dout[i]);  weight.grad += dW
      const { rows, values } = positionRows(this.weight, idx.data, skip, dout.data, H, this.scaleGradByFreq ? this.slots() : null);
      this.weight.addSparseGrad(rows, values, false);
      return;
    }
    // dout [N, H] -> dW [V, H];  dW = 0;  dW[idx[i]] += dout[i]  (np.add.at);  weight.grad += dW
    const { dW, marks } = this.weight.denseGrad();
    if (this.scaleGradByFreq) {
      const { rows, counts, slots } = distinctRows(idx.data, skip, this.slots(), false);
      scatterAddRowsScaled(dW, idx.data, slots, counts, dout.data, H);
      if (marks !== null) this.weight.touch(rows, rows.length, true);
    } else if (marks === null) {
      scatterAddAll(dW, idx.data, skip, dout.data, H);
    } else {
      const added = this.addedRows(idx.data.length);
      this.weight.touch(added, scatterAddRows(dW, idx.data, skip, dout.data, H, marks, added));
    }
  }

  /** A scratch for the rows a dense backward adds to `touchedRows`, at least `n` long. */
  private addedRows(n: number): Int32Array {
    if (this.added.length < n) this.added = new Int32Array(n);
    return this.added;
  }

  private slots(): Int32Array {
    return (this.slotOf ??= newSlotMap(this.numEmbeddings));
  }

  toString(): string {
    const opts = [`${this.numEmbeddings}, ${this.embeddingDim}`];
    if (this.paddingIdx !== null) opts.push(`padding_idx=${this.paddingIdx}`);
    if (this.maxNorm !== null) opts.push(`max_norm=${this.maxNorm}`);
    if (this.normType !== 2) opts.push(`norm_type=${this.normType}`);
    if (this.scaleGradByFreq) opts.push("scale_grad_by_freq=True");
    if (this.sparse) opts.push("sparse=True");
    return `Embedding(${opts.join(", ")})`;
  }
}

/**
 * `out` checked: a Tensor of `shape` sharing no memory with the table `W` (a lookup into its own
 * table would overwrite rows it has yet to read), or, when absent, a new output.
 */
export function checkOut(fn: string, out: Tensor | undefined, shape: number[], W: Float32Array): Tensor {
  // Every element is written by the lookup: a fresh array, not filled first.
  if (out === undefined) return new Tensor(new Float32Array(shapeSize(shape)), shape);
  if (!(out instanceof Tensor) || !sameShapeAs(out.shape, shape)) {
    throw new RangeError(`${fn}: out must be a Tensor of shape ${showShape(shape)}, got ${out instanceof Tensor ? showShape(out.shape) : describe(out)}`);
  }
  const o = out.data;
  if (o.buffer === W.buffer && o.byteOffset < W.byteOffset + W.byteLength && W.byteOffset < o.byteOffset + o.byteLength) {
    throw new RangeError(`${fn}: out shares memory with the table (weight); give a buffer of its own`);
  }
  return out;
}

function sameShapeAs(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function sameOutputShape(shape: readonly number[], indexShape: readonly number[], H: number): boolean {
  const n = indexShape.length;
  if (shape.length !== n + 1 || shape[n] !== H) return false;
  for (let d = 0; d < n; d++) if (shape[d] !== indexShape[d]) return false;
  return true;
}

/**
 * The sparse gradient of a lookup, PyTorch's uncoalesced form: for every position not on the padding
 * row, its row and a copy of its `dout` row (divided by the row's count with `slotOf` given:
 * scaleGradByFreq), in arrays the parameter provides.
 */
function positionRows(
  p: Parameter,
  idx: Int32Array,
  skip: number,
  dout: Float32Array,
  H: number,
  slotOf: Int32Array | null,
): { rows: Int32Array; values: Float32Array } {
  let n = 0;
  for (let i = 0; i < idx.length; i++) if (idx[i] !== skip) n++;
  const { rows, values } = p.sparseBuffers(n);
  if (n === idx.length && slotOf === null) {
    rows.set(idx);
    values.set(dout);
    return { rows, values };
  }
  const set = slotOf === null ? null : distinctRows(idx, skip, slotOf, false);
  for (let i = 0, k = 0; i < idx.length; i++) {
    if (idx[i] === skip) continue;
    rows[k] = idx[i];
    const scale = set === null ? 1 : 1 / set.counts[set.slots[i]];
    for (let j = 0; j < H; j++) values[k * H + j] = scale * dout[i * H + j];
    k++;
  }
  return { rows, values };
}
