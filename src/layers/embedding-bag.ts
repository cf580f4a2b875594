import { Tensor } from "../tensor/tensor.js";
import type { Parameter, RowSparseGrad } from "../tensor/parameter.js";
import { type IndexLike, toIndices } from "../tensor/indices.js";
import { checkBoolean, checkOptions, describe, sameShape, showShape } from "../tensor/check.js";
import { distinctRows, newSlotMap, uniqueRows } from "../kernels/group-rows.js";
import { renormRows } from "../kernels/renorm.js";
import { scatterAddAll, scatterAddRows, scatterAddRowsScaled } from "../kernels/scatter-add.js";
import { bagSum } from "../kernels/bag-sum.js";
import { bagMax, scatterMax } from "../kernels/bag-max.js";
import { bagWeightGrad } from "../kernels/bag-weight-grad.js";
import { spreadBagGrad } from "../kernels/spread-bag-grad.js";
import { touchRows } from "../kernels/touch-rows.js";
import type { EmbeddingOptions } from "./embedding.js";
import { TABLE_OPTIONS, makeTable, pretrainedOptions } from "./table.js";

/** How {@link EmbeddingBag} reduces a bag: the sum, the mean, or the per-coordinate max of its rows. */
export type BagMode = "sum" | "mean" | "max";

/** Options of {@link EmbeddingBag}: `Embedding`'s, plus PyTorch's `mode` and `include_last_offset`. */
export interface EmbeddingBagOptions extends EmbeddingOptions {
  /** How a bag's rows are reduced (default "mean", as PyTorch). */
  mode?: BagMode;
  /** `offsets` has B + 1 entries, the last one equal to the input's length (as CSR row pointers). */
  includeLastOffset?: boolean;
}

const OPTION_NAMES = [...TABLE_OPTIONS, "mode", "includeLastOffset"];
const MODES: readonly string[] = ["sum", "mean", "max"];

/** What forward keeps for backward. */
interface Saved {
  idx: Int32Array;
  inputShape: readonly number[];
  /** Bag b is positions starts[b] .. starts[b + 1]. */
  starts: Int32Array;
  /** scale[i]: position i's factor in its bag (the per-sample weight, 1 / n_b for the mean, or 1). */
  scale: Float32Array;
  /** max mode: the winning position of each output coordinate [B, H], -1 for an empty bag. */
  arg: Int32Array | null;
  weighted: boolean;
}

/**
 * PyTorch's `nn.EmbeddingBag`: one pooled row per bag of indices, without building the `[L, H]`
 * lookup first. `forward(input [B, N])` reads B bags of N indices; `forward(input [L], offsets [B])`
 * reads bag b as `input[offsets[b] .. offsets[b + 1])`, the last bag running to the end (with
 * `includeLastOffset`, `offsets` has B + 1 entries and ends at L). Each bag gives its rows' sum, mean or
 * per-coordinate max (`mode`); `paddingIdx` entries are left out (a bag with nothing left, or an empty
 * bag, gives a zero row). `perSampleWeights` (sum mode) weights each index. The backward costs
 * O(positions · H), never O(V · H).
 *
 * `scaleGradByFreq` follows the documented meaning: each row's gradient is divided by that row's count in
 * the whole input (nn.Embedding's counts, then the bag's reduction). PyTorch 1.13's CPU EmbeddingBag
 * divides by another index's count, a known upstream bug; embedkit does not copy it.
 *
 * @example
 * ```ts
 * const bag = new EmbeddingBag(4, 2, { mode: "sum", weight: Tensor.from([[1, 0], [0, 1], [2, 2], [5, 5]]) });
 * // bags {0, 1, 2} and {3}
 * bag.forward([0, 1, 2, 3], [0, 3]).toArray(); // [[3, 3], [5, 5]]
 * // a 2-D input is B bags of N
 * bag.forward([[0, 2], [1, 1]]).toArray();     // [[3, 2], [0, 2]]
 * bag.backward(Tensor.ones([2, 2]));
 * (bag.weight.grad as Tensor).toArray();       // [[1, 1], [2, 2], [1, 1], [0, 0]]
 * Array.from(bag.weight.touchedRows!).sort();  // [0, 1, 2]
 * ```
 */
export class EmbeddingBag {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly weight: Parameter;
  readonly mode: BagMode;
  /** The padding row, normalised to `[0, V)`, or null. */
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly sparse: boolean;
  readonly includeLastOffset: boolean;

  private saved: Saved | null = null;
  /** row -> slot scratch map, all -1 between calls (allocated on first use). */
  private slotOf: Int32Array | null = null;
  /** Where {@link touchRows}' sums go, so that the engine cannot drop the reads. */
  private sink = 0;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingBagOptions = {}) {
    const fn = "EmbeddingBag";
    const o = checkOptions(fn, options, OPTION_NAMES) as EmbeddingBagOptions;
    const t = makeTable(fn, numEmbeddings, embeddingDim, o);
    const mode = o.mode === undefined ? "mean" : o.mode;
    if (!MODES.includes(mode as string)) throw new RangeError(`${fn}: mode must be "sum", "mean" or "max", got ${describe(mode)}`);
    const includeLast = o.includeLastOffset === undefined ? false : checkBoolean(fn, "includeLastOffset", o.includeLastOffset);
    this.numEmbeddings = t.V;
    this.embeddingDim = t.H;
    this.weight = t.weight;
    this.mode = mode as BagMode;
    this.paddingIdx = t.paddingIdx;
    this.maxNorm = t.maxNorm;
    this.normType = t.normType;
    this.scaleGradByFreq = t.scaleGradByFreq;
    this.sparse = t.sparse;
    this.includeLastOffset = includeLast;
  }

  /**
   * A bag layer whose table is `weight` `[V, H]` (shared, not copied); `freeze` (default true) sets
   * `requiresGrad` to false so optimizers skip it.
   *
   * @example
   * ```ts
   * const bag = EmbeddingBag.fromPretrained(Tensor.from([[1, 2], [3, 4]]), { mode: "max" });
   * bag.forward([[0, 1]]).toArray(); // [[3, 4]]
   * bag.weight.requiresGrad;         // false
   * ```
   */
  static fromPretrained(
    weight: Tensor,
    options: Omit<EmbeddingBagOptions, "weight" | "seed"> & { freeze?: boolean } = {},
  ): EmbeddingBag {
    const p = pretrainedOptions<EmbeddingBagOptions>("EmbeddingBag.fromPretrained", weight, options, OPTION_NAMES);
    const bag = new EmbeddingBag(p.V, p.H, p.options);
    bag.weight.requiresGrad = !p.freeze;
    return bag;
  }

  /** The trainable parameters, `[weight]`. */
  get params(): Parameter[] {
    return [this.weight];
  }

  /** The parameters' gradients, in the order of `params`. */
  get grads(): (Tensor | RowSparseGrad | null)[] {
    return [this.weight.grad];
  }

  /**
   * One pooled row per bag: `[B, H]`. Every argument is validated (indices, offsets, weights) before
   * anything changes, `maxNorm`'s renormalisation included.
   */
  forward(input: IndexLike, offsets?: IndexLike | null, perSampleWeights?: Tensor | null): Tensor {
    const fn = "EmbeddingBag.forward";
    const V = this.numEmbeddings;
    const H = this.embeddingDim;
    const inp = toIndices(fn, input, V);
    const L = inp.data.length;
    let starts: Int32Array;
    if (inp.shape.length === 2) {
      if (offsets !== undefined && offsets !== null) {
        throw new RangeError(`${fn}: offsets must be null for a 2-D input ${showShape(inp.shape)} (its rows are the bags), got ${describe(offsets)}`);
      }
      const [B, N] = inp.shape;
      starts = new Int32Array(B + 1);
      for (let b = 0; b <= B; b++) starts[b] = b * N;
    } else if (inp.shape.length === 1) {
      if (offsets === undefined || offsets === null) {
        throw new RangeError(`${fn}: offsets are required for a 1-D input ${showShape(inp.shape)} (where each bag starts), got ${describe(offsets)}`);
      }
      starts = this.readOffsets(fn, offsets, L);
    } else {
      throw new RangeError(`${fn}: input must be 1-D (with offsets) or 2-D [B, N], got shape ${showShape(inp.shape)}`);
    }
    const B = starts.length - 1;
    let w: Float32Array | null = null;
    if (perSampleWeights !== undefined && perSampleWeights !== null) {
      if (!(perSampleWeights instanceof Tensor)) {
        throw new TypeError(`${fn}: perSampleWeights must be a Tensor or null, got ${describe(perSampleWeights)}`);
      }
      if (this.mode !== "sum") {
        throw new Error(`${fn}: perSampleWeights are only supported in mode "sum", got mode ${JSON.stringify(this.mode)}`);
      }
      if (!sameShape(perSampleWeights.shape, inp.shape)) {
        throw new RangeError(`${fn}: perSampleWeights shape ${showShape(perSampleWeights.shape)} != input shape ${showShape(inp.shape)}`);
      }
      w = perSampleWeights.data;
    }

    const idx = inp.data;
    const skip = this.paddingIdx ?? -1;
    const slotOf = (this.slotOf ??= newSlotMap(V));
    if (this.maxNorm !== null) renormRows(this.weight.data, uniqueRows(idx, -1, slotOf), H, this.maxNorm, this.normType);
    const out = Tensor.zeros([B, H]);
    const scale = new Float32Array(L);
    this.sink += touchRows(this.weight.data, idx, H);
    let arg: Int32Array | null = null;
    if (this.mode === "max") {
      // idx [L], W [V, H] -> out [B, H];  out[b, k] = max_{i in bag b} W[idx[i], k]
      arg = new Int32Array(B * H);
      bagMax(this.weight.data, idx, starts, skip, out.data, arg, H);
    } else {
      if (w !== null) scale.set(w);
      else if (this.mode === "sum") scale.fill(1);
      else {
        for (let b = 0; b < B; b++) {
          let n = 0;
          for (let i = starts[b]; i < starts[b + 1]; i++) if (idx[i] !== skip) n++;
          scale.fill(n === 0 ? 0 : 1 / n, starts[b], starts[b + 1]);
        }
      }
      // idx [L], W [V, H] -> out [B, H];  out[b] = Σ_{i in bag b} scale[i] · W[idx[i]]
      bagSum(this.weight.data, idx, starts, skip, scale, out.data, H);
    }
    this.saved = { idx, inputShape: inp.shape, starts, scale, arg, weighted: w !== null };
    return out;
  }

  /** offsets [B] (or [B + 1] with includeLastOffset) -> starts [B + 1], checked. */
  private readOffsets(fn: string, offsets: IndexLike, L: number): Int32Array {
    const off = toIndices(`${fn}: offsets`, offsets, 2 ** 31 - 1);
    if (off.shape.length !== 1) throw new RangeError(`${fn}: offsets must be 1-D, got shape ${showShape(off.shape)}`);
    const o = off.data;
    const n = o.length;
    if (this.includeLastOffset && n === 0) {
      throw new RangeError(`${fn}: offsets must have B + 1 >= 1 entries with includeLastOffset, got none`);
    }
    if (n > 0 && o[0] !== 0) throw new RangeError(`${fn}: offsets[0] must be 0 (the first bag starts the input), got ${o[0]}`);
    for (let b = 1; b < n; b++) {
      if (o[b] < o[b - 1]) throw new RangeError(`${fn}: offsets must not decrease; offsets[${b}] = ${o[b]} < offsets[${b - 1}] = ${o[b - 1]}`);
    }
    if (n > 0 && o[n - 1] > L) throw new RangeError(`${fn}: offsets[${n - 1}] = ${o[n - 1]} is beyond the input's length ${L}`);
    if (this.includeLastOffset) {
      if (o[n - 1] !== L) throw new RangeError(`${fn}: with includeLastOffset the last offset must be the input's length ${L}, got offsets[${n - 1}] = ${o[n - 1]}`);
      return o;
    }
    const starts = new Int32Array(n + 1);
    starts.set(o);
    starts[n] = L;
    return starts;
  }

  /**
   * Adds the gradient of the last forward to `weight.grad` (dense with `touchedRows`, or a
   * `RowSparseGrad` with `sparse`), before it returns: the sum spreads `dout[b]` to every row of
   * bag b (times its weight), the mean `dout[b] / n_b`, the max gives each coordinate to the row that won
   * it; `scaleGradByFreq` divides each row's gradient by its count in the whole input. Returns the
   * gradient of `perSampleWeights` (their shape) when they were given, else null.
   */
  backward(dout: Tensor): Tensor | null {
    const fn = "EmbeddingBag.backward";
    const saved = this.saved;
    if (saved === null) throw new Error(`${fn}: called before forward; run forward(input, offsets) first`);
    if (!(dout instanceof Tensor)) throw new TypeError(`${fn}: dout must be a Tensor, got ${describe(dout)}`);
    const H = this.embeddingDim;
    const { idx, starts, scale, arg } = saved;
    const B = starts.length - 1;
    if (!sameShape(dout.shape, [B, H])) throw new RangeError(`${fn}: dout shape ${showShape(dout.shape)} != output shape [${B}, ${H}]`);
    const skip = this.paddingIdx ?? -1;
    const g = dout.data;
    let dw: Tensor | null = null;
    if (saved.weighted) {
      // dout [B, H] -> dw [L];  dw[i] = dout[bag of i] · W[idx[i]]
      dw = Tensor.zeros(saved.inputShape);
      bagWeightGrad(g, this.weight.data, idx, starts, skip, dw.data, H);
    }
    if (!this.weight.requiresGrad) return dw;
    const slotOf = (this.slotOf ??= newSlotMap(this.numEmbeddings));
    this.sink += touchRows(slotOf, idx, 1);

    if (arg !== null) {
      // dout [B, H] -> dW [V, H];  dW[idx[arg[b, k]], k] += dout[b, k]   (/ count with scaleGradByFreq);  weight.grad += dW
      if (this.sparse) {
        const set = distinctRows(idx, skip, slotOf, true);
        const values = new Float32Array(set.rows.length * H);
        scatterMax(values, set.slots, arg, g, H, this.scaleGradByFreq ? set.slots : null, this.scaleGradByFreq ? set.counts : null);
        this.weight.addSparseGrad(set.rows, values, true);
      } else {
        const { dW, marks } = this.weight.denseGrad();
        const set = this.scaleGradByFreq ? distinctRows(idx, skip, slotOf, false) : null;
        scatterMax(dW, idx, arg, g, H, set?.slots ?? null, set?.counts ?? null);
        if (marks !== null) {
          const rows = set?.rows ?? uniqueRows(idx, skip, slotOf);
          this.weight.touch(rows, rows.length, true);
        }
      }
      return dw;
    }

    // dout [B, H] -> g [L, H] = scale[i] · dout[bag of i];  dW = 0;  dW[idx[i]] += g[i];  weight.grad += dW
    const L = idx.length;
    const spread = new Float32Array(L * H);
    spreadBagGrad(g, idx, starts, skip, scale, spread, H);
    if (this.sparse) {
      const { rows, counts, slots } = distinctRows(idx, skip, slotOf, true);
      const values = new Float32Array(rows.length * H);
      if (this.scaleGradByFreq) scatterAddRowsScaled(values, slots, slots, counts, spread, H);
      else scatterAddAll(values, slots, -1, spread, H);
      this.weight.addSparseGrad(rows, values, true);
      return dw;
    }
    const { dW, marks } = this.weight.denseGrad();
    if (this.scaleGradByFreq) {
      const set = distinctRows(idx, skip, slotOf, false);
      scatterAddRowsScaled(dW, idx, set.slots, set.counts, spread, H);
      if (marks !== null) this.weight.touch(set.rows, set.rows.length, true);
    } else if (marks === null) {
      scatterAddAll(dW, idx, skip, spread, H);
    } else {
      const added = new Int32Array(L);
      this.weight.touch(added, scatterAddRows(dW, idx, skip, spread, H, marks, added));
    }
    return dw;
  }

  toString(): string {
    const opts = [`${this.numEmbeddings}, ${this.embeddingDim}`];
    if (this.maxNorm !== null) opts.push(`max_norm=${this.maxNorm}`);
    if (this.normType !== 2) opts.push(`norm_type=${this.normType}`);
    if (this.scaleGradByFreq) opts.push("scale_grad_by_freq=True");
    opts.push(`mode=${this.mode}`);
    if (this.sparse) opts.push("sparse=True");
    if (this.includeLastOffset) opts.push("include_last_offset=True");
    if (this.paddingIdx !== null) opts.push(`padding_idx=${this.paddingIdx}`);
    return `EmbeddingBag(${opts.join(", ")})`;
  }
}
