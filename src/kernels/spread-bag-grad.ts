// A bag b is the positions starts[b] .. starts[b + 1] of `idx`. Kernels of EmbeddingBag; they trust
// their arguments: the layer validates before calling them.
// dout [B, H] -> g [L, H];  g[i] = scale[i] · dout[bag of i]   (0 for skipped positions)
// Spreads each bag's output gradient to its positions, ready for rows.ts's scatter kernels.
export function spreadBagGrad(
  dout: Float32Array,
  idx: Int32Array,
  starts: Int32Array,
  skip: number,
  scale: Float32Array,
  g: Float32Array,
  H: number,
): void {
  const B = starts.length - 1;
  const H4 = H & ~3;
  for (let b = 0; b < B; b++) {
    const s = b * H;
    const end = starts[b + 1];
    for (let i = starts[b]; i < end; i++) {
      const d = i * H;
      if (idx[i] === skip) {
        g.fill(0, d, d + H);
        continue;
      }
      const a = scale[i];
      let j = 0;
      for (; j < H4; j += 4) {
        g[d + j] = a * dout[s + j];
        g[d + j + 1] = a * dout[s + j + 1];
        g[d + j + 2] = a * dout[s + j + 2];
        g[d + j + 3] = a * dout[s + j + 3];
      }
      for (; j < H; j++) g[d + j] = a * dout[s + j];
    }
  }
}
