import { Tensor } from "../tensor/tensor.js";
import { Parameter } from "../tensor/parameter.js";
import { type IndexLike, toIndices } from "../tensor/indices.js";
import { describe, sameShape, showShape } from "../tensor/check.js";
import { Embedding } from "./embedding.js";

/**
 * Scores output words against hidden vectors: `forward(h [B, H], idx [B, K])` gives
 * `out [B, K]`, `out[b, k] = h[b] · W[idx[b, k]]` — the rows of the output table for the target and
 * the negative samples, without the `[H, V]` product over the whole vocabulary. The lookup is an
 * {@link Embedding} (so `dW` is its scatter-add), as the book's `EmbeddingDot`.
 *
 * @example
 * ```ts
 * const dot = new EmbeddingDot(Tensor.from([[1, 0], [0, 1], [1, 1]]));
 * dot.forward(Tensor.from([[2, 3]]), [[2, 0]]).toArray(); // [[5, 2]]
 * const dh = dot.backward(Tensor.from([[1, 1]]));          // dh = W[2] + W[0] = [[2, 1]]
 * ```
 */
export class EmbeddingDot {
  readonly embed: Embedding;
  private cache: { h: Tensor; target: Tensor; B: number; K: number } | null = null;

  /** `W [V, H]`: the output-side table (a Parameter is shared, a Tensor wrapped). */
  constructor(W: Tensor | Parameter) {
    if (!(W instanceof Tensor)) throw new TypeError(`EmbeddingDot: W must be a Tensor, got ${describe(W)}`);
    if (W.ndim !== 2) throw new RangeError(`EmbeddingDot: W must be 2-D [V, H], got shape ${showShape(W.shape)}`);
    this.embed = new Embedding(W.shape[0], W.shape[1], { weight: W });
  }

  get params(): Parameter[] {
    return this.embed.params;
  }

  get grads(): (Tensor | null)[] {
    return this.embed.grads as (Tensor | null)[];
  }

  // h [B, H], idx [B, K] -> out [B, K];  out[b, k] = h[b] · W[idx[b, k]]
  forward(h: Tensor, idx: IndexLike): Tensor {
    const fn = "EmbeddingDot.forward";
    if (!(h instanceof Tensor)) throw new TypeError(`${fn}: h must be a Tensor, got ${describe(h)}`);
    const H = this.embed.embeddingDim;
    if (h.ndim !== 2 || h.shape[1] !== H) throw new RangeError(`${fn}: h must have shape [B, ${H}], got ${showShape(h.shape)}`);
    const B = h.shape[0];
    const ids = toIndices(fn, idx, this.embed.numEmbeddings);
    if (ids.shape.length !== 2 || ids.shape[0] !== B) {
      throw new RangeError(`${fn}: idx must have shape [${B}, K], got ${showShape(ids.shape)}`);
    }
    const target = this.embed.forward(ids);
    const K = target.shape[1];
    const out = Tensor.zeros([B, K]);
    const t = target.data;
    const hd = h.data;
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        const tr = (b * K + k) * H;
        let s = 0;
        for (let j = 0; j < H; j++) s += hd[b * H + j] * t[tr + j];
        out.data[b * K + k] = s;
      }
    }
    this.cache = { h, target, B, K };
    return out;
  }

  // dout [B, K] -> dh [B, H] = Σ_k dout[b, k] W[idx[b, k]];  dW[idx[b, k]] += dout[b, k] h[b]
  backward(dout: Tensor): Tensor {
    const fn = "EmbeddingDot.backward";
    const c = this.cache;
    if (c === null) throw new Error(`${fn}: called before forward; run forward(h, idx) first`);
    if (!(dout instanceof Tensor)) throw new TypeError(`${fn}: dout must be a Tensor, got ${describe(dout)}`);
    const { h, target, B, K } = c;
    if (!sameShape(dout.shape, [B, K])) throw new RangeError(`${fn}: dout shape ${showShape(dout.shape)} != output shape [${B}, ${K}]`);
    const H = this.embed.embeddingDim;
    const dh = Tensor.zeros([B, H]);
    const dtarget = Tensor.zeros([B, K, H]);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        const g = dout.data[b * K + k];
        const tr = (b * K + k) * H;
        for (let j = 0; j < H; j++) {
          dh.data[b * H + j] += g * target.data[tr + j];
          dtarget.data[tr + j] = g * h.data[b * H + j];
        }
      }
    }
    this.embed.backward(dtarget);
    return dh;
  }
}
