import { Tensor } from "../tensor/tensor.js";
import { Parameter, RowSparseGrad } from "../tensor/parameter.js";
import { type IndexLike, type Indices, toIndices } from "../tensor/indices.js";
import { checkBoolean, checkInt, checkNumber, checkOptions, checkSeed, describe, sameShape, showShape } from "../tensor/check.js";
import { addRow, distinctRows, gatherRows, newSlotMap } from "./rows.js";

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
    this.slotOf ??= newSlotMap(this.numEmbeddings);
    const { rows, counts, slots } = distinctRows(saved.data, this.paddingIdx ?? -1, this.slotOf, this.sparse);
    const g = dout.data;
    if (this.sparse) {
      // dout [N, H] -> values [R, H];  values[slot(i)] += dout[i]   (rows unique, ascending)
      const values = Tensor.zeros([rows.length, H]);
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i];
        if (s >= 0) addRow(values.data, s * H, g, i * H, H, this.scaleGradByFreq ? 1 / counts[s] : 1);
      }
      this.weight.grad = new RowSparseGrad(rows, values, this.weight.shape);
      this.weight.touchedRows = null;
    } else {
      // dout [N, H] -> dW [V, H];  dW[idx[i]] += dout[i]   (np.add.at)
      const dW = this.weight.claimDenseGrad();
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i];
        if (s >= 0) addRow(dW.data, rows[s] * H, g, i * H, H, this.scaleGradByFreq ? 1 / counts[s] : 1);
      }
      this.weight.grad = dW;
      this.weight.touchedRows = rows;
    }
  }

  /** Rescales, in place, each distinct referenced row whose normType-norm exceeds maxNorm. */
  private renorm(idx: Int32Array): void {
    const H = this.embeddingDim;
    const W = this.weight.data;
    const p = this.normType;
    const maxNorm = this.maxNorm as number;
    this.slotOf ??= newSlotMap(this.numEmbeddings);
    const { rows } = distinctRows(idx, -1, this.slotOf, false);
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
