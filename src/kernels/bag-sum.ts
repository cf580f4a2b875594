import { axpy } from "./axpy.js";

// A bag b is the positions starts[b] .. starts[b + 1] of `idx`. Kernels of EmbeddingBag; they trust
// their arguments: the layer validates before calling them.
// idx [L], W [V, H] -> out [B, H] (zeroed);  out[b] = Σ_{i in bag b, idx[i] != skip} scale[i] · W[idx[i]]
// The weighted sum of each bag's rows, positions equal to `skip` left out. `scale[i]` is the per-sample
// weight, `1 / n_b` for the mean or 1 for the sum: the same numbers the backward spreads with.
// Each row is one axpy (src/kernels/axpy.ts), the same unrolled loop as SGD's row update.
export function bagSum(
  W: Float32Array,
  idx: Int32Array,
  starts: Int32Array,
  skip: number,
  scale: Float32Array,
  out: Float32Array,
  H: number,
): void {
  const B = starts.length - 1;
  for (let b = 0; b < B; b++) {
    const o = b * H;
    const end = starts[b + 1];
    for (let i = starts[b]; i < end; i++) {
      const r = idx[i];
      if (r === skip) continue;
      axpy(H, scale[i], W, r * H, out, o); // out[b] += scale[i] · W[idx[i]]
    }
  }
}
