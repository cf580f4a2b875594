// A bag b is the positions starts[b] .. starts[b + 1] of `idx`. Kernels of EmbeddingBag; they trust
// their arguments: the layer validates before calling them.
// idx [L], W [V, H] -> out [B, H], arg [B, H];  out[b, k] = max_{i in bag b} W[idx[i], k], arg = that i
// The per-coordinate max of each bag's rows, and for each coordinate the position that won it (the first
// on ties, -1 for a bag with no rows, whose output is 0).
export function bagMax(
  W: Float32Array,
  idx: Int32Array,
  starts: Int32Array,
  skip: number,
  out: Float32Array,
  arg: Int32Array,
  H: number,
): void {
  const B = starts.length - 1;
  arg.fill(-1);
  for (let b = 0; b < B; b++) {
    const o = b * H;
    const end = starts[b + 1];
    for (let i = starts[b]; i < end; i++) {
      const r = idx[i];
      if (r === skip) continue;
      const w = r * H;
      for (let k = 0; k < H; k++) {
        const v = W[w + k];
        if (arg[o + k] < 0 || v > out[o + k]) {
          out[o + k] = v;
          arg[o + k] = i;
        }
      }
    }
  }
}

// dout [B, H] -> dst [*, H];  dst[target[arg[b, k]], k] += dout[b, k] / count   (arg = the max's winners)
// The max's backward: each coordinate's gradient goes to the row that won it. `target[i]` is the row
// (dense gradient) or slot (sparse gradient) of position i; with `slots` and `counts` given, each is
// divided by its row's count (`scaleGradByFreq`).
export function scatterMax(
  dst: Float32Array,
  target: Int32Array,
  arg: Int32Array,
  dout: Float32Array,
  H: number,
  slots: Int32Array | null,
  counts: Int32Array | null,
): void {
  const n = arg.length;
  for (let e = 0; e < n; e++) {
    const i = arg[e];
    if (i < 0) continue;
    const k = e % H;
    const g = counts === null ? dout[e] : dout[e] / counts[(slots as Int32Array)[i]];
    dst[target[i] * H + k] += g;
  }
}
