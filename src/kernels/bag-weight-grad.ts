// A bag b is the positions starts[b] .. starts[b + 1] of `idx`. Kernels of EmbeddingBag; they trust
// their arguments: the layer validates before calling them.
// dout [B, H], W [V, H] -> dw [L];  dw[i] = dout[bag of i] · W[idx[i]]   (0 for skipped positions)
// The gradient of the per-sample weights: each position's row dotted with its bag's output gradient.
export function bagWeightGrad(
  dout: Float32Array,
  W: Float32Array,
  idx: Int32Array,
  starts: Int32Array,
  skip: number,
  dw: Float32Array,
  H: number,
): void {
  const B = starts.length - 1;
  for (let b = 0; b < B; b++) {
    const s = b * H;
    const end = starts[b + 1];
    for (let i = starts[b]; i < end; i++) {
      const r = idx[i];
      if (r === skip) {
        dw[i] = 0;
        continue;
      }
      const w = r * H;
      let acc = 0;
      for (let k = 0; k < H; k++) acc += dout[s + k] * W[w + k];
      dw[i] = acc;
    }
  }
}
