import { Tensor } from "../tensor/tensor.js";
import { Parameter, RowSparseGrad } from "../tensor/parameter.js";
import { type IndexLike, type Indices, toIndices } from "../tensor/indices.js";
import { checkBoolean, checkInt, checkNumber, checkOptions, checkSeed, describe, sameShape, showShape } from "../tensor/check.js";
import {
  SET_MIN_WIDTH,
  distinctRows,
  gatherRows,
  newSlotMap,
  scatterAddRows,
  scatterAddRowsScaled,
  scatterRowsCopyFirst,
  uniqueRows,
} from "./rows.js";

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
  /** The backing store of the last sparse gradient's values, and that gradient. */
  private sparseStore: Float32Array | null = null;
  private lastSparseGrad: RowSparseGrad | null = null;
  /** row -> slot scratch map for coalescing, all -1 between calls (allocated on first use). */
  private slotOf: Int32Array | null = null;

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
   * anything is touched. `out`, if given, must have the output's shape and receives the result.
   */
  forward(indices: IndexLike, out?: Tensor): Tensor {
    const fn = "Embedding.forward";
    const idx = toIndices(fn, indices, this.numEmbeddings);
    const shape = [...idx.shape, this.embeddingDim];
    if (out === undefined) out = Tensor.zeros(shape);
    else if (!(out instanceof Tensor) || !sameShape(out.shape, shape)) {
      throw new RangeError(`${fn}: out must be a Tensor of shape ${showShape(shape)}, got ${out instanceof Tensor ? showShape(out.shape) : describe(out)}`);
    }
    if (this.maxNorm !== null) this.renorm(idx.data);
    // idx [N], W [V, H] -> out [N, H];  out[i] = W[idx[i]]   (= oneHot(idx) @ W)
    gatherRows(this.weight.data, idx.data, out.data, this.embeddingDim);
    this.saved = idx;
    return out;
  }

  /**
   * Writes the gradient of the last forward into `weight.grad`: zero `dW` (dense: only the rows the
   * previous backward touched), then `dW[idx[i]] += dout[i]` for every position, repeated indices
   * summed, the padding row skipped, each row divided by its count with `scaleGradByFreq`.
   * The gradient's storage (the dense `[V, H]` buffer, or a sparse gradient's values) is reused by the
   * next backward once that gradient is replaced or cleared: clone a gradient to keep it.
   */
  backward(dout: Tensor): void {
    const fn = "Embedding.backward";
    const saved = this.saved;
    if (saved === null) throw new Error(`${fn}: called before forward; run forward(indices) first`);
    if (!(dout instanceof Tensor)) throw new TypeError(`${fn}: dout must be a Tensor, got ${describe(dout)}`);
    const expected = [...saved.shape, this.embeddingDim];
    if (!sameShape(dout.shape, expected)) {
      throw new RangeError(`${fn}: dout shape ${showShape(dout.shape)} != output shape ${showShape(expected)}`);
    }
    if (!this.weight.requiresGrad) return;

    const H = this.embeddingDim;
    const skip = this.paddingIdx ?? -1;
    const idx = saved.data;
    const g = dout.data;
    const slotOf = (this.slotOf ??= newSlotMap(this.numEmbeddings));
    if (this.sparse) {
      // dout [N, H] -> values [R, H];  values[slot(i)] += dout[i]   (rows unique, ascending)
      const { rows, counts, slots } = distinctRows(idx, skip, slotOf, true);
      const values = new Tensor(this.sparseValues(rows.length * H), [rows.length, H]);
      if (this.scaleGradByFreq) scatterAddRowsScaled(values.data.fill(0), slots, slots, counts, g, H);
      else if (H >= SET_MIN_WIDTH) scatterRowsCopyFirst(values.data, slots, -1, g, H, slotOf, new Int32Array(rows.length));
      else scatterAddRows(values.data.fill(0), slots, -1, g, H);
      this.weight.grad = this.lastSparseGrad = new RowSparseGrad(rows, values, this.weight.shape);
      this.weight.touchedRows = null;
    } else {
      // dout [N, H] -> dW [V, H];  dW[idx[i]] += dout[i]   (np.add.at; only last backward's rows cleared)
      const dW = this.weight.claimDenseGrad();
      let rows: Int32Array;
      if (this.scaleGradByFreq) {
        const set = distinctRows(idx, skip, slotOf, false);
        scatterAddRowsScaled(dW.data, idx, set.slots, set.counts, g, H);
        rows = set.rows;
      } else if (H >= SET_MIN_WIDTH) {
        const found = new Int32Array(idx.length);
        rows = found.slice(0, scatterRowsCopyFirst(dW.data, idx, skip, g, H, slotOf, found));
      } else {
        scatterAddRows(dW.data, idx, skip, g, H);
        rows = uniqueRows(idx, skip, slotOf);
      }
      this.weight.grad = dW;
      this.weight.touchedRows = rows;
    }
  }

  /**
   * Storage for a sparse gradient's values. Like the dense gradient's buffer, it is reused when the
   * gradient it held is being replaced (or was cleared): a fresh 11 MB buffer per BERT-shape backward
   * cost page faults and garbage collections, 2–3× the time of the backward itself.
   */
  private sparseValues(size: number): Float32Array {
    const g = this.weight.grad;
    let store = this.sparseStore;
    if (store === null || store.length < size || (g !== null && g !== this.lastSparseGrad)) {
      store = this.sparseStore = new Float32Array(Math.max(size, store === null ? 0 : Math.min(store.length * 2, this.weight.size)));
    }
    return store.subarray(0, size);
  }

  /** Rescales, in place, each distinct referenced row whose normType-norm exceeds maxNorm. */
  private renorm(idx: Int32Array): void {
    const H = this.embeddingDim;
    const W = this.weight.data;
    const p = this.normType;
    const maxNorm = this.maxNorm as number;
    const rows = uniqueRows(idx, -1, (this.slotOf ??= newSlotMap(this.numEmbeddings)));
    for (let s = 0; s < rows.length; s++) {
      const start = rows[s] * H;
      let norm = 0;
      if (p === Infinity) {
        for (let j = 0; j < H; j++) norm = Math.max(norm, Math.abs(W[start + j]));
      } else if (p === 1) {
        for (let j = 0; j < H; j++) norm += Math.abs(W[start + j]);
      } else if (p === 2) {
        for (let j = 0; j < H; j++) norm += W[start + j] * W[start + j];
        norm = Math.sqrt(norm);
      } else {
        for (let j = 0; j < H; j++) norm += Math.abs(W[start + j]) ** p;
        norm **= 1 / p;
      }
      if (norm > maxNorm) {
        const scale = maxNorm / (norm + 1e-7);
        for (let j = 0; j < H; j++) W[start + j] *= scale;
      }
    }
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
