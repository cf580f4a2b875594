// Kernels of EmbeddingBag that rows.ts does not have: a bag's sum (or mean) and max, spreading a bag's
// gradient to its positions, the max's scatter, and max-norm renormalisation of the referenced rows.
// The scatter into the table itself is rows.ts's. Like rows.ts, they trust their arguments: the layer
// validates before calling them. A bag b is the positions starts[b] .. starts[b + 1] of `idx`.

/** out[o .. o+H) += a · W[w .. w+H), unrolled four times. */
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

/**
 * Reads the first and last element of every row `idx` refers to (in `data`, rows `width` wide) and
 * returns their sum, so that the rows are in cache before a kernel works on them. A loop this small
 * keeps many cache misses in flight at once, where a kernel that does a row's work between two misses
 * waits for each in turn: at the Wide & Deep benchmark's shape (26 tables of 10^5 × 16, 1,536 random
 * rows each) the bag forward took 4–9 ms with it against 11–23 ms without (`npm run bench:widedeep`;
 * alternating runs). JavaScript has no prefetch instruction; this is the nearest thing.
 */
export function touchRows(data: Float32Array | Int32Array, idx: Int32Array, width: number): number {
  let s = 0;
  const last = width - 1;
  for (let i = 0; i < idx.length; i++) {
    const w = idx[i] * width;
    s += data[w] + data[w + last];
  }
  return s;
}

// idx [L], W [V, H] -> out [B, H] (zeroed);  out[b] = Σ_{i in bag b, idx[i] != skip} scale[i] · W[idx[i]]
/**
 * The weighted sum of each bag's rows, positions equal to `skip` left out. `scale[i]` is the per-sample
 * weight, `1 / n_b` for the mean or 1 for the sum: the same numbers the backward spreads with.
 */
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

// idx [L], W [V, H] -> out [B, H], arg [B, H];  out[b, k] = max_{i in bag b} W[idx[i], k], arg = that i
/**
 * The per-coordinate max of each bag's rows, and for each coordinate the position that won it (the first
 * on ties, -1 for a bag with no rows, whose output is 0).
 */
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

// dout [B, H] -> g [L, H];  g[i] = scale[i] · dout[bag of i]   (0 for skipped positions)
/** Spreads each bag's output gradient to its positions, ready for rows.ts's scatter kernels. */
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

// dout [B, H], W [V, H] -> dw [L];  dw[i] = dout[bag of i] · W[idx[i]]   (0 for skipped positions)
/** The gradient of the per-sample weights: each position's row dotted with its bag's output gradient. */
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

// dout [B, H] -> dst [*, H];  dst[target[arg[b, k]], k] += dout[b, k] / count   (arg = the max's winners)
/**
 * The max's backward: each coordinate's gradient goes to the row that won it. `target[i]` is the row
 * (dense gradient) or slot (sparse gradient) of position i; with `slots` and `counts` given, each is
 * divided by its row's count (`scaleGradByFreq`).
 */
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
