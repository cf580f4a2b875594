// A bag b is the positions starts[b] .. starts[b + 1] of `idx`. Kernels of EmbeddingBag; they trust
// their arguments: the layer validates before calling them.
// out[o .. o+H) += a · W[w .. w+H), unrolled four times.
function addScaledRow(out: Float32Array, o: number, W: Float32Array, w: number, a: number, H: number): void {
  const H4 = H & ~3;
  let j = 0;
  for (; j < H4; j += 4) {
    out[o + j] += a * W[w + j];
    out[o + j + 1] += a * W[w + j + 1];
    out[o + j + 2] += a * W[w + j + 2];
    out[o + j + 3] += a * W[w + j + 3];
  }
  for (; j < H; j++) out[o + j] += a * W[w + j];
}

// idx [L], W [V, H] -> out [B, H] (zeroed);  out[b] = Σ_{i in bag b, idx[i] != skip} scale[i] · W[idx[i]]
// The weighted sum of each bag's rows, positions equal to `skip` left out. `scale[i]` is the per-sample
// weight, `1 / n_b` for the mean or 1 for the sum: the same numbers the backward spreads with.
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
      addScaledRow(out, o, W, r * H, scale[i], H);
    }
  }
}
