import { Tensor } from "../tensor/tensor.js";
import type { Parameter } from "../tensor/parameter.js";
import { checkBoolean, checkOptions, describe, sameShape, showShape } from "../tensor/check.js";
import { positionOf } from "../tensor/indices.js";
import { makeTable } from "./table.js";

/** Options of {@link ContextMean}. */
export interface ContextMeanOptions {
  /** The initial table `[V, H]`, used as given (shared, not copied). */
  weight?: Tensor;
  /** Seed for the N(0, 1) initial weights. */
  seed?: number;
  /**
   * How the gradient reaches the rows of a bag of n words. `false` (default): the true gradient of the
   * mean, `dW[idx] += dout / n`. `true`: `dW[idx] += dout`, undivided, as word2vec.c and gensim
   * (cbow_mean=1) update their context vectors.
   */
  undividedGrad?: boolean;
}

/**
 * The index value that marks an empty slot of a bag (a context shrunk by a smaller window).
 *
 * @example
 * ```ts
 * PAD; // -1
 * new ContextMean(3, 2, { seed: 1 }).forward([[2, PAD, PAD]]).shape; // [1, 2]
 * ```
 */
export const PAD = -1;

/**
 * The mean of a bag of rows, for CBOW's context (what embedkit 0.1 called `EmbeddingBag`; the PyTorch
 * layer of that name is {@link EmbeddingBag} now): `forward(idx [B, C])` gives `out [B, H]` with
 * `out[b] = mean of W[idx[b, j]]` over the slots j that are not {@link PAD} (-1), so windows shrunk at
 * a sentence edge or by random window shrinking fit one `[B, 2·window]` index. One lookup replaces the
 * book's 2·window Embedding layers that share one weight. A bag with no word gives a zero row.
 *
 * @example
 * ```ts
 * const bag = new ContextMean(4, 2, { weight: Tensor.from([[0, 0], [2, 4], [4, 8], [1, 1]]) });
 * bag.forward([[1, 2], [3, -1]]).toArray(); // [[3, 6], [1, 1]]
 * bag.backward(Tensor.ones([2, 2]));        // dW[1] = dW[2] = 0.5, dW[3] = 1
 * ```
 */
export class ContextMean {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly weight: Parameter;
  readonly undividedGrad: boolean;
  private saved: { idx: Int32Array; B: number; C: number } | null = null;

  constructor(numEmbeddings: number, embeddingDim: number, options: ContextMeanOptions = {}) {
    const fn = "ContextMean";
    const o = checkOptions(fn, options, ["weight", "seed", "undividedGrad"]) as ContextMeanOptions;
    const t = makeTable(fn, numEmbeddings, embeddingDim, { weight: o.weight, seed: o.seed });
    const undivided = o.undividedGrad === undefined ? false : checkBoolean(fn, "undividedGrad", o.undividedGrad);
    this.numEmbeddings = t.V;
    this.embeddingDim = t.H;
    this.weight = t.weight;
    this.undividedGrad = undivided;
  }

  get params(): Parameter[] {
    return [this.weight];
  }

  get grads(): (Tensor | null)[] {
    return [this.weight.grad as Tensor | null];
  }

  // idx [B, C] (-1 = empty slot), W [V, H] -> out [B, H];  out[b] = (1/n_b) Σ_j W[idx[b, j]]
  forward(indices: { data: ArrayLike<number>; shape: readonly number[] } | readonly (readonly number[])[]): Tensor {
    const { idx, B, C } = readBags("ContextMean.forward", indices, this.numEmbeddings);
    const H = this.embeddingDim;
    const W = this.weight.data;
    const out = Tensor.zeros([B, H]);
    const o = out.data;
    for (let b = 0; b < B; b++) {
      let n = 0;
      const ob = b * H;
      for (let j = 0; j < C; j++) {
        const r = idx[b * C + j];
        if (r === PAD) continue;
        n++;
        const wr = r * H;
        for (let k = 0; k < H; k++) o[ob + k] += W[wr + k];
      }
      if (n > 1) for (let k = 0; k < H; k++) o[ob + k] /= n;
    }
    this.saved = { idx, B, C };
    return out;
  }

  // dout [B, H] -> dW [V, H];  dW = 0;  dW[idx[b, j]] += dout[b] / n_b   (undividedGrad: += dout[b]);  weight.grad += dW
  backward(dout: Tensor): void {
    const fn = "ContextMean.backward";
    const saved = this.saved;
    if (saved === null) throw new Error(`${fn}: called before forward; run forward(indices) first`);
    if (!(dout instanceof Tensor)) throw new TypeError(`${fn}: dout must be a Tensor, got ${describe(dout)}`);
    const { idx, B, C } = saved;
    const H = this.embeddingDim;
    if (!sameShape(dout.shape, [B, H])) throw new RangeError(`${fn}: dout shape ${showShape(dout.shape)} != output shape [${B}, ${H}]`);
    if (!this.weight.requiresGrad) return;
    const { dW: d, marks } = this.weight.denseGrad();
    const g = dout.data;
    const added = new Int32Array(B * C);
    let k = 0;
    for (let b = 0; b < B; b++) {
      let n = 0;
      for (let j = 0; j < C; j++) if (idx[b * C + j] !== PAD) n++;
      const scale = this.undividedGrad || n === 0 ? 1 : 1 / n;
      const gb = b * H;
      for (let j = 0; j < C; j++) {
        const r = idx[b * C + j];
        if (r === PAD) continue;
        if (marks !== null && marks[r] === 0) {
          marks[r] = 1;
          added[k++] = r;
        }
        const wr = r * H;
        for (let c = 0; c < H; c++) d[wr + c] += scale * g[gb + c];
      }
    }
    this.weight.touch(added.subarray(0, k).sort(), k);
  }
}

/** Validates a `[B, C]` bag index whose values are in [-1, V). */
function readBags(
  fn: string,
  indices: { data: ArrayLike<number>; shape: readonly number[] } | readonly (readonly number[])[],
  V: number,
): { idx: Int32Array; B: number; C: number } {
  let data: ArrayLike<number>;
  let B: number, C: number;
  if (Array.isArray(indices)) {
    B = indices.length;
    C = B === 0 ? 0 : (indices[0] as readonly number[]).length;
    const flat: number[] = [];
    for (let b = 0; b < B; b++) {
      const row = indices[b];
      if (!Array.isArray(row) || row.length !== C) {
        throw new RangeError(`${fn}: indices must be a [B, C] array of rows of equal length; row ${b} is ${describe(row)}`);
      }
      flat.push(...row);
    }
    data = flat;
  } else if (indices !== null && typeof indices === "object" && "shape" in indices && "data" in indices) {
    const shape = indices.shape;
    if (!Array.isArray(shape) || shape.length !== 2) {
      throw new RangeError(`${fn}: indices must be 2-D [B, C], got shape ${describe(shape)}`);
    }
    [B, C] = shape as [number, number];
    data = indices.data;
    if (data.length !== B * C) throw new RangeError(`${fn}: indices shape ${showShape(shape)} holds ${B * C} values but data has ${data.length}`);
  } else {
    throw new TypeError(`${fn}: indices must be a [B, C] nested array or { data, shape }, got ${describe(indices)}`);
  }
  const idx = new Int32Array(B * C);
  for (let i = 0; i < idx.length; i++) {
    const v = data[i];
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new TypeError(`${fn}: index ${describe(v)} at position ${positionOf(i, [B, C])} is not an integer`);
    }
    if (v < PAD || v >= V) {
      throw new RangeError(`${fn}: index ${v} at position ${positionOf(i, [B, C])} is out of range [-1, ${V - 1}] (-1 = empty slot)`);
    }
    idx[i] = v;
  }
  return { idx, B, C };
}
