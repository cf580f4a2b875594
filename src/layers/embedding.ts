import { Tensor } from "../tensor/tensor.js";
import { Parameter, type RowPositions, RowSparseGrad } from "../tensor/parameter.js";
import { type IndexLike, type Indices, toIndices } from "../tensor/indices.js";
import { checkBoolean, checkInt, checkNumber, checkOptions, checkSeed, describe, sameShape, showShape } from "../tensor/check.js";
import { RowCopy, coalescePositions, denseBackward, newSlotMap, renormRows, uniqueRows } from "../kernels/rows.js";

/** Options of {@link Embedding}; the names and meanings are PyTorch's `nn.Embedding`'s. */
export interface EmbeddingOptions {
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
  /** The initial table `[V, H]`, used as given (its data is shared, its padding row is not zeroed). */
  weight?: Tensor;
  /** Seed for the N(0, 1) initial weights. */
  seed?: number;
}

function indexSize(shape: readonly number[]): number {
  let n = 1;
  for (let d = 0; d < shape.length; d++) n *= shape[d];
  return n;
}

const OPTION_NAMES = ["paddingIdx", "maxNorm", "normType", "scaleGradByFreq", "sparse", "weight", "seed"];

/**
 * A lookup table `W [V, H]`. `forward(idx)` gathers rows: mathematically `oneHot(idx) @ W`, without
 * building the one-hot. `backward(dout)` zeroes `dW` and scatter-adds `dout` into the rows that were
 * used, repeated indices summed (numpy's `np.add.at`).
 *
 * @example
 * ```ts
 * const emb = new Embedding(5, 3, { seed: 0 });
 * const out = emb.forward([[0, 2, 2]]);      // shape [1, 3, 3]: rows 0, 2, 2
 * emb.backward(Tensor.ones(out.shape));      // dW[0] = 1, dW[2] = 2 (two uses), other rows 0
 * new SGD(emb.params, { lr: 0.1 }).step();   // moves rows 0 and 2 only
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

  /** The last forward's indices, kept for backward. */
  private saved: Indices | null = null;
  /** A buffer for the next forward's indices that nothing refers to any more. */
  private spareIndices: Int32Array | undefined = undefined;
  /** The row copies, chosen for this table's width and alignment (rows.ts). */
  private rowCopy: RowCopy;
  /** row -> slot scratch map for grouping rows, all -1 between calls (allocated on first use). */
  private slotOf: Int32Array | null = null;
  /** Scratch for the rows a dense backward finds. */
  private foundRows: Int32Array = new Int32Array(0);
  /** What the weight calls to write out its pending gradient (see backward). */
  private readonly writeOut = (p: Parameter, pos: RowPositions): void => this.writeGrad(p, pos);

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    const fn = "Embedding";
    const o = checkOptions(fn, options, OPTION_NAMES) as EmbeddingOptions;
    const V = checkInt(fn, "numEmbeddings", numEmbeddings, 1);
    const H = checkInt(fn, "embeddingDim", embeddingDim, 1);
    let pad: number | null = null;
    if (o.paddingIdx !== undefined && o.paddingIdx !== null) {
      pad = checkInt(fn, "paddingIdx", o.paddingIdx, -V, V - 1);
      if (pad < 0) pad += V;
    }
    const maxNorm =
      o.maxNorm === undefined || o.maxNorm === null ? null : checkNumber(fn, "maxNorm", o.maxNorm, 0, Infinity, { min: true });
    const normType = o.normType === undefined ? 2 : checkNumber(fn, "normType", o.normType, 0, Infinity, { min: true });
    const scaleGradByFreq = o.scaleGradByFreq === undefined ? false : checkBoolean(fn, "scaleGradByFreq", o.scaleGradByFreq);
    const sparse = o.sparse === undefined ? false : checkBoolean(fn, "sparse", o.sparse);
    if (o.seed !== undefined) checkSeed(fn, o.seed);
    let table: Tensor;
    if (o.weight !== undefined) {
      if (!(o.weight instanceof Tensor)) throw new TypeError(`${fn}: weight must be a Tensor, got ${describe(o.weight)}`);
      if (!sameShape(o.weight.shape, [V, H])) {
        throw new RangeError(`${fn}: weight shape ${showShape(o.weight.shape)} != [${V}, ${H}]`);
      }
      if (o.seed !== undefined) throw new TypeError(`${fn}: give either weight or seed, not both`);
      table = o.weight;
    } else {
      table = Tensor.randn([V, H], { seed: o.seed });
      if (pad !== null) table.data.fill(0, pad * H, (pad + 1) * H);
    }
    this.numEmbeddings = V;
    this.embeddingDim = H;
    this.weight = table instanceof Parameter ? table : Parameter.fromTensor(table);
    this.paddingIdx = pad;
    this.maxNorm = maxNorm;
    this.normType = normType;
    this.scaleGradByFreq = scaleGradByFreq;
    this.sparse = sparse;
    this.rowCopy = new RowCopy(this.weight.data, H);
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
    const fn = "Embedding.fromPretrained";
    if (!(weight instanceof Tensor)) throw new TypeError(`${fn}: weight must be a Tensor, got ${describe(weight)}`);
    if (weight.ndim !== 2) {
      throw new RangeError(`${fn}: weight must be 2-D [V, H], got ${weight.ndim}-D shape ${showShape(weight.shape)}`);
    }
    const { freeze = true, ...rest } = checkOptions(fn, options, [...OPTION_NAMES.slice(0, 5), "freeze"]) as {
      freeze?: boolean;
    } & EmbeddingOptions;
    checkBoolean(fn, "freeze", freeze);
    const emb = new Embedding(weight.shape[0], weight.shape[1], { ...rest, weight });
    emb.weight.requiresGrad = !freeze;
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
   * anything is touched. `out`, if given, must have the output's shape and receives the result; a
   * forward into a reused `out` allocates no typed array.
   */
  forward(indices: IndexLike, out?: Tensor): Tensor {
    const fn = "Embedding.forward";
    const idx = toIndices(fn, indices, this.numEmbeddings, this.spareIndices);
    out = this.output(fn, idx.shape, out);
    if (this.maxNorm !== null) this.renorm(idx.data);
    // idx [N], W [V, H] -> out [N, H];  out[i] = W[idx[i]]   (= oneHot(idx) @ W)
    this.copy().gather(idx.data, out.data);
    this.keep(idx);
    return out;
  }

  /**
   * Writes the gradient of the last forward into `weight.grad`: zero `dW` (dense: only the rows the
   * previous backward touched), then `dW[idx[i]] += dout[i]` for every position, repeated indices
   * summed, the padding row skipped, each row divided by its count with `scaleGradByFreq`; with
   * `sparse`, a `RowSparseGrad` of the rows used, ascending.
   *
   * The gradient is kept as its positions (this forward's indices and `dout`, which is PyTorch's
   * sparse gradient) and written out the first time `weight.grad` or `touchedRows` is read; plain
   * SGD applies the positions without writing it. So leave `dout` unchanged until the step, or read
   * the gradient first. The dense `[V, H]` buffer is reused by the next backward once that gradient
   * is replaced or cleared: clone a gradient to keep it.
   */
  backward(dout: Tensor): void {
    const fn = "Embedding.backward";
    const saved = this.saved;
    if (saved === null) throw new Error(`${fn}: called before forward; run forward(indices) first`);
    if (!(dout instanceof Tensor)) throw new TypeError(`${fn}: dout must be a Tensor, got ${describe(dout)}`);
    if (!this.isOutputShape(dout.shape, saved.shape)) {
      throw new RangeError(`${fn}: dout shape ${showShape(dout.shape)} != output shape ${showShape([...saved.shape, this.embeddingDim])}`);
    }
    if (!this.weight.requiresGrad) return;
    // dout [N, H] -> dW [V, H];  dW[idx[i]] += dout[i]   (np.add.at; pending: written out when read)
    const positions = { idx: saved.data, src: dout.data, skip: this.paddingIdx ?? -1, width: this.embeddingDim };
    this.record(positions);
  }

  /** Writes out the gradient that backward left pending, the first time it is read. */
  private writeGrad(p: Parameter, pos: RowPositions): void {
    const H = this.embeddingDim;
    if (this.sparse) {
      // positions -> rows [R] ascending, values [R, H];  values[slot(i)] += dout[i]
      const { rows, values } = coalescePositions(pos, this.slotMap(), this.scaleGradByFreq);
      p.grad = new RowSparseGrad(rows, new Tensor(values, [rows.length, H]), p.shape);
      p.touchedRows = null;
    } else {
      // positions -> dW [V, H];  dW[idx[i]] += dout[i]   (only the last written gradient's rows cleared)
      const dW = p.claimDenseGrad();
      const rows = denseBackward(this.copy(), dW.data, pos.idx, pos.skip, pos.src, this.scaleGradByFreq, this.slotMap(), this.found(pos.idx.length));
      p.grad = dW;
      p.touchedRows = rows;
    }
  }

  /** `out` checked against the output shape `[...indexShape, H]`, or a new output. */
  private output(fn: string, indexShape: readonly number[], out: Tensor | undefined): Tensor {
    if (out === undefined) {
      const shape = [...indexShape, this.embeddingDim];
      // Every element is written by the gather: a fresh array, not filled first.
      return new Tensor(new Float32Array(this.embeddingDim * indexSize(indexShape)), shape);
    }
    if (!(out instanceof Tensor) || !this.isOutputShape(out.shape, indexShape)) {
      const shape = showShape([...indexShape, this.embeddingDim]);
      throw new RangeError(`${fn}: out must be a Tensor of shape ${shape}, got ${out instanceof Tensor ? showShape(out.shape) : describe(out)}`);
    }
    return out;
  }

  private isOutputShape(shape: readonly number[], indexShape: readonly number[]): boolean {
    const n = indexShape.length;
    if (shape.length !== n + 1 || shape[n] !== this.embeddingDim) return false;
    for (let d = 0; d < n; d++) if (shape[d] !== indexShape[d]) return false;
    return true;
  }

  /** The row copies for the current table (chosen again if its data was replaced). */
  private copy(): RowCopy {
    if (this.rowCopy.W !== this.weight.data) this.rowCopy = new RowCopy(this.weight.data, this.embeddingDim);
    return this.rowCopy;
  }

  private slotMap(): Int32Array {
    return (this.slotOf ??= newSlotMap(this.numEmbeddings));
  }

  private found(n: number): Int32Array {
    if (this.foundRows.length < n) this.foundRows = new Int32Array(n);
    return this.foundRows;
  }

  /**
   * Keeps a forward's indices for backward. The previous forward's buffer becomes the next one's,
   * unless the weight's pending gradient still refers to it.
   */
  private keep(idx: Indices): void {
    const old = this.saved === null ? undefined : this.saved.data;
    this.saved = idx;
    if (this.spareIndices === idx.data) this.spareIndices = undefined;
    if (old !== undefined && old !== idx.data && this.weight.pendingPositions?.idx !== old) this.spareIndices = old;
  }

  /**
   * Makes `positions` the weight's pending gradient (written out at once with `scaleGradByFreq`,
   * whose scale no optimizer applies by position). The indices of a pending gradient it replaces
   * become the next forward's buffer.
   */
  private record(positions: RowPositions): void {
    const replaced = this.weight.pendingPositions;
    this.weight.setPendingGrad(positions, this.writeOut);
    if (replaced !== null && replaced.idx !== positions.idx) this.spareIndices = replaced.idx;
    if (this.scaleGradByFreq) void this.weight.grad;
  }

  /** Rescales, in place, each distinct referenced row whose normType-norm exceeds maxNorm. */
  private renorm(idx: Int32Array): void {
    renormRows(this.weight.data, uniqueRows(idx, -1, this.slotMap()), this.embeddingDim, this.maxNorm as number, this.normType);
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
