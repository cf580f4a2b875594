import { Tensor } from "../tensor/tensor.js";
import { Parameter } from "../tensor/parameter.js";
import { checkBoolean, checkInt, checkOptions, checkSeed, describe, sameShape, showShape } from "../tensor/check.js";
import { EmbeddingBag, type BagMode } from "../layers/embedding-bag.js";
import { Linear } from "../layers/linear.js";
import { ReLU } from "../layers/relu.js";
import { summary, type Summary } from "../display/summary.js";
import type { WideDeepBatch } from "./click-log.js";

/** A categorical field of the deep part: its vocabulary, its embedding width and how a bag is pooled. */
export interface WideDeepField {
  name: string;
  vocab: number;
  dim: number;
  /** How a multi-valued field's bag is reduced (default "mean"; a single id gives its row either way). */
  mode?: BagMode;
}

/** Options of {@link WideDeep}. */
export interface WideDeepOptions {
  /** The deep part's fields, one embedding table each. */
  fields: readonly WideDeepField[];
  /** How many wide (sparse and crossed) features: one weight each. */
  wideSize: number;
  /** Widths of the hidden layers, e.g. `[256, 128]`. */
  hidden: readonly number[];
  /** Tables write `RowSparseGrad`s (default true), for SparseAdam or Adagrad. */
  sparse?: boolean;
  /** Seed of every initial weight. */
  seed?: number;
}

/**
 * Wide & Deep (Cheng et al., 2016): `logit = wide + deep + bias`, trained with a sigmoid loss.
 * - wide: a linear model over sparse and crossed features, an {@link EmbeddingBag} of width 1 in sum
 *   mode (`wideSize` weights) plus the bias;
 * - deep: one {@link EmbeddingBag} per field, concatenated (`Σ dim_i` wide), then Linear → ReLU per hidden
 *   layer, then a Linear to one unit without bias (the joint bias is the wide part's).
 *
 * Parameters: wide `wideSize + 1`, embeddings `Σ vocab_i · dim_i`, each dense layer `n_(l−1) · n_l + n_l`,
 * output `n_L` (see {@link WideDeep.summary}).
 *
 * @example
 * ```ts
 * const model = new WideDeep({ fields: [{ name: "user", vocab: 10, dim: 4 }, { name: "item", vocab: 5, dim: 2 }], wideSize: 7, hidden: [8], seed: 0 });
 * const batch = { fields: [{ input: Int32Array.of(1, 2), offsets: Int32Array.of(0, 1) }, { input: Int32Array.of(0, 4, 3), offsets: Int32Array.of(0, 1) }],
 *                 wide: { input: Int32Array.of(0, 6), offsets: Int32Array.of(0, 1) } };
 * model.forward(batch).shape;             // [2, 1]
 * model.backward(Tensor.ones([2, 1]));
 * // wide 7 + 1, embeddings 10·4 + 5·2, dense 6·8 + 8, output 8
 * model.summary().total;                  // 122
 * ```
 */
export class WideDeep {
  readonly fields: readonly Required<WideDeepField>[];
  readonly wide: EmbeddingBag;
  readonly bias: Parameter;
  readonly tables: readonly EmbeddingBag[];
  readonly layers: readonly Linear[];
  readonly relus: readonly ReLU[];
  readonly output: Linear;
  private B = -1;

  constructor(options: WideDeepOptions) {
    const fn = "WideDeep";
    const o = checkOptions(fn, options, ["fields", "wideSize", "hidden", "sparse", "seed"]) as unknown as WideDeepOptions;
    if (!Array.isArray(o.fields) || o.fields.length === 0) throw new TypeError(`${fn}: fields must be a non-empty array, got ${describe(o.fields)}`);
    const fields = o.fields.map((f, i): Required<WideDeepField> => {
      if (f === null || typeof f !== "object") throw new TypeError(`${fn}: fields[${i}] must be { name, vocab, dim }, got ${describe(f)}`);
      checkOptions(`${fn}: fields[${i}]`, f, ["name", "vocab", "dim", "mode"]);
      if (typeof f.name !== "string") throw new TypeError(`${fn}: fields[${i}].name must be a string, got ${describe(f.name)}`);
      return { name: f.name, vocab: checkInt(fn, `fields[${i}].vocab`, f.vocab, 1), dim: checkInt(fn, `fields[${i}].dim`, f.dim, 1), mode: f.mode ?? "mean" };
    });
    const wideSize = checkInt(fn, "wideSize", o.wideSize, 1);
    if (!Array.isArray(o.hidden)) throw new TypeError(`${fn}: hidden must be an array of layer widths, got ${describe(o.hidden)}`);
    const hidden = o.hidden.map((h, i) => checkInt(fn, `hidden[${i}]`, h, 1));
    const sparse = o.sparse === undefined ? true : checkBoolean(fn, "sparse", o.sparse);
    const seed = o.seed === undefined ? 0 : checkSeed(fn, o.seed);
    this.fields = fields;
    // the wide part's weights start at zero, as a linear model's usually do
    this.wide = new EmbeddingBag(wideSize, 1, { mode: "sum", sparse, weight: Tensor.zeros([wideSize, 1]) });
    this.bias = new Parameter(new Float32Array(1), [1]);
    this.tables = fields.map((f, i) => {
      const t = new EmbeddingBag(f.vocab, f.dim, { mode: f.mode, sparse, seed: seed * 1000 + i });
      // N(0, 0.1²) rather than N(0, 1): unit-variance rows would saturate the first ReLU layer
      for (let k = 0; k < t.weight.size; k++) t.weight.data[k] *= 0.1;
      return t;
    });
    let width = fields.reduce((a, f) => a + f.dim, 0);
    this.layers = hidden.map((h, i) => {
      const lin = new Linear(width, h, { seed: seed * 1000 + 500 + i });
      width = h;
      return lin;
    });
    this.relus = hidden.map(() => new ReLU());
    this.output = new Linear(width, 1, { bias: false, seed: seed * 1000 + 999 });
  }

  /** Width of the concatenated embeddings, the first dense layer's input. */
  get deepInput(): number {
    return this.fields.reduce((a, f) => a + f.dim, 0);
  }

  /** The tables' parameters (wide weights and embeddings), for a sparse optimizer (SparseAdam, Adagrad). */
  get tableParams(): Parameter[] {
    return [this.wide.weight, ...this.tables.map((t) => t.weight)];
  }

  /** The dense parameters (Linear weights and biases, the joint bias), for Adam. */
  get denseParams(): Parameter[] {
    return [this.bias, ...this.layers.flatMap((l) => l.params), ...this.output.params];
  }

  get params(): Parameter[] {
    return [...this.tableParams, ...this.denseParams];
  }

  // fields -> logit [B, 1];  logit = wideBag(wide ids) + bias + output(relu(... relu(L1(concat_f bag_f(ids_f)))))
  forward(batch: WideDeepBatch): Tensor {
    const fn = "WideDeep.forward";
    const B = this.checkBatch(fn, batch);
    const width = this.deepInput;
    const x = new Float32Array(B * width);
    let col = 0;
    for (let f = 0; f < this.tables.length; f++) {
      const e = this.fields[f].dim;
      putColumns(this.tables[f].forward(batch.fields[f].input, batch.fields[f].offsets).data, x, B, e, width, col);
      col += e;
    }
    let a = new Tensor(x, [B, width]);
    for (let l = 0; l < this.layers.length; l++) a = this.relus[l].forward(this.layers[l].forward(a));
    const logit = this.output.forward(a);
    const w = this.wide.forward(batch.wide.input, batch.wide.offsets).data;
    const bias = this.bias.data[0];
    for (let b = 0; b < B; b++) logit.data[b] += w[b] + bias;
    this.B = B;
    return logit;
  }

  // dlogit [B, 1] -> every parameter's grad;  the deep gradient is split back into each field's columns
  backward(dlogit: Tensor): void {
    const fn = "WideDeep.backward";
    if (this.B < 0) throw new Error(`${fn}: called before forward; run forward(batch) first`);
    if (!(dlogit instanceof Tensor)) throw new TypeError(`${fn}: dlogit must be a Tensor, got ${describe(dlogit)}`);
    const B = this.B;
    if (!sameShape(dlogit.shape, [B, 1])) throw new RangeError(`${fn}: dlogit shape ${showShape(dlogit.shape)} != output shape [${B}, 1]`);
    this.wide.backward(dlogit);
    let db = 0;
    for (let b = 0; b < B; b++) db += dlogit.data[b];
    const g = this.bias.grad instanceof Tensor ? this.bias.grad : Tensor.zeros([1]);
    g.data[0] = db;
    this.bias.grad = g;
    let d = this.output.backward(dlogit);
    for (let l = this.layers.length - 1; l >= 0; l--) d = this.layers[l].backward(this.relus[l].backward(d));
    const width = this.deepInput;
    let col = 0;
    for (let f = 0; f < this.tables.length; f++) {
      const e = this.fields[f].dim;
      const part = new Float32Array(B * e);
      takeColumns(d.data, part, B, e, width, col);
      this.tables[f].backward(new Tensor(part, [B, e]));
      col += e;
    }
  }

  /**
   * The parameter table: wide `wideSize + 1` (its weights and the joint bias), each field's embedding
   * `vocab_i · dim_i`, each dense layer `n_(l−1) · n_l + n_l`, the output `n_L` (one unit, no second bias).
   */
  summary(): Summary {
    const last = this.layers.length === 0 ? this.deepInput : this.layers[this.layers.length - 1].outFeatures;
    return summary(
      [
        { name: "wide", params: { params: [this.wide.weight, this.bias] }, type: "EmbeddingBag + bias" },
        ...this.tables.map((t, i) => ({ name: `${this.fields[i].name} embedding`, params: t })),
        ...this.layers.map((l) => ({ name: `dense ${l.inFeatures} → ${l.outFeatures}`, params: l })),
        { name: `output ${last} → 1`, params: this.output },
      ],
      { title: "Wide & Deep" },
    );
  }

  private checkBatch(fn: string, batch: WideDeepBatch): number {
    if (batch === null || typeof batch !== "object" || !Array.isArray(batch.fields) || batch.wide === null || typeof batch.wide !== "object") {
      throw new TypeError(`${fn}: batch must be { fields: [{ input, offsets }, ...], wide: { input, offsets } }, got ${describe(batch)}`);
    }
    if (batch.fields.length !== this.tables.length) {
      throw new RangeError(`${fn}: batch.fields has ${batch.fields.length} entries, the model has ${this.tables.length} fields`);
    }
    const parts = [...batch.fields.map((p, i) => [`batch.fields[${i}]`, p] as const), ["batch.wide", batch.wide] as const];
    let B = -1;
    for (const [name, p] of parts) {
      if (p === null || typeof p !== "object" || !(p.input instanceof Int32Array) || !(p.offsets instanceof Int32Array)) {
        throw new TypeError(`${fn}: ${name} must be { input: Int32Array, offsets: Int32Array }, got ${describe(p)}`);
      }
      if (B < 0) B = p.offsets.length;
      else if (p.offsets.length !== B) throw new RangeError(`${fn}: ${name} has ${p.offsets.length} bags, batch.fields[0] has ${B}`);
    }
    return B;
  }
}

// src [B, e] -> dst[:, col .. col + e) of dst [B, width]: the concatenation. A loop, not
// set(subarray): at e = 16 a subarray object per row costs more than the copy (see rows.ts).
export function putColumns(src: Float32Array, dst: Float32Array, B: number, e: number, width: number, col: number): void {
  for (let b = 0; b < B; b++) {
    const s = b * e, d = b * width + col;
    for (let j = 0; j < e; j++) dst[d + j] = src[s + j];
  }
}

// src[:, col .. col + e) of src [B, width] -> dst [B, e]: the concatenation's backward.
export function takeColumns(src: Float32Array, dst: Float32Array, B: number, e: number, width: number, col: number): void {
  for (let b = 0; b < B; b++) {
    const s = b * width + col, d = b * e;
    for (let j = 0; j < e; j++) dst[d + j] = src[s + j];
  }
}

/**
 * The area under the ROC curve: the probability that a random positive scores above a random negative
 * (ties count one half). NaN when there are no positives or no negatives.
 *
 * @example
 * ```ts
 * rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // 0.75
 * ```
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const fn = "rocAuc";
  if (scores === null || typeof scores !== "object" || typeof scores.length !== "number") throw new TypeError(`${fn}: scores must be an array of numbers, got ${describe(scores)}`);
  if (labels === null || typeof labels !== "object" || typeof labels.length !== "number") throw new TypeError(`${fn}: labels must be an array of 0/1, got ${describe(labels)}`);
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`${fn}: labels has ${labels.length} entries, scores has ${n}`);
  for (let i = 0; i < n; i++) {
    if (typeof scores[i] !== "number" || Number.isNaN(scores[i])) throw new TypeError(`${fn}: scores[${i}] must be a number, got ${describe(scores[i])}`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`${fn}: labels[${i}] must be 0 or 1, got ${describe(labels[i])}`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[order[k]] === 1) {
      rankSum += rank;
      pos++;
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
