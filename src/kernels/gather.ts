// idx [N], W [V, H] -> out [N, H];  out[i] = W[idx[i]]   (= oneHot(idx) @ W)
// The forward of a lookup. Three copies, one per range of row widths, each the fastest plain variant
// there (`npm run bench -- --variants`, "gather"; the losing variants are in bench/variants.ts).
import { SET_MIN_WIDTH, copiesAsFloat64, float64View } from "./float64-view.js";

// Gathers rows `idx` of `W` into `out`: through Float64Array views for even, aligned rows narrower
// than 256 floats (where the engine keeps the bits), else `set(subarray)` from 64 floats up, else an
// unrolled loop. Trusts its arguments.
//
// @example
// ```ts
// const out = new Float32Array(4);
// gatherRows(new Float32Array([0, 1, 2, 3, 4, 5]), new Int32Array([2, 0]), out, 2);
// Array.from(out); // [4, 5, 0, 1]
// ```
export function gatherRows(W: Float32Array, idx: Int32Array, out: Float32Array, H: number): void {
  if (copiesAsFloat64(W, out, H)) return gatherRowsFloat64(float64View(W) as Float64Array, idx, float64View(out) as Float64Array, H >> 1);
  if (H >= SET_MIN_WIDTH) gatherRowsBySet(W, idx, out, H);
  else gatherRowsUnrolled(W, idx, out, H);
}

// Two floats per move (`H2` = H / 2 doubles per row), two rows per pass with their moves interleaved,
// unrolled by sixteen. At H = 32–128 it takes 0.4–0.8 the time of `set(subarray)` and 0.6–0.9 that of
// one row per pass unrolled by sixteen or eight (30 rounds, order rotated, medians).
export function gatherRowsFloat64(W: Float64Array, idx: Int32Array, out: Float64Array, H2: number): void {
  const H16 = H2 & ~15;
  const n = idx.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const s0 = idx[i] * H2;
    const s1 = idx[i + 1] * H2;
    const d0 = i * H2;
    const d1 = d0 + H2;
    let j = 0;
    for (; j < H16; j += 16) {
      out[d0 + j] = W[s0 + j];
      out[d1 + j] = W[s1 + j];
      out[d0 + j + 1] = W[s0 + j + 1];
      out[d1 + j + 1] = W[s1 + j + 1];
      out[d0 + j + 2] = W[s0 + j + 2];
      out[d1 + j + 2] = W[s1 + j + 2];
      out[d0 + j + 3] = W[s0 + j + 3];
      out[d1 + j + 3] = W[s1 + j + 3];
      out[d0 + j + 4] = W[s0 + j + 4];
      out[d1 + j + 4] = W[s1 + j + 4];
      out[d0 + j + 5] = W[s0 + j + 5];
      out[d1 + j + 5] = W[s1 + j + 5];
      out[d0 + j + 6] = W[s0 + j + 6];
      out[d1 + j + 6] = W[s1 + j + 6];
      out[d0 + j + 7] = W[s0 + j + 7];
      out[d1 + j + 7] = W[s1 + j + 7];
      out[d0 + j + 8] = W[s0 + j + 8];
      out[d1 + j + 8] = W[s1 + j + 8];
      out[d0 + j + 9] = W[s0 + j + 9];
      out[d1 + j + 9] = W[s1 + j + 9];
      out[d0 + j + 10] = W[s0 + j + 10];
      out[d1 + j + 10] = W[s1 + j + 10];
      out[d0 + j + 11] = W[s0 + j + 11];
      out[d1 + j + 11] = W[s1 + j + 11];
      out[d0 + j + 12] = W[s0 + j + 12];
      out[d1 + j + 12] = W[s1 + j + 12];
      out[d0 + j + 13] = W[s0 + j + 13];
      out[d1 + j + 13] = W[s1 + j + 13];
      out[d0 + j + 14] = W[s0 + j + 14];
      out[d1 + j + 14] = W[s1 + j + 14];
      out[d0 + j + 15] = W[s0 + j + 15];
      out[d1 + j + 15] = W[s1 + j + 15];
    }
    for (; j < H2; j++) {
      out[d0 + j] = W[s0 + j];
      out[d1 + j] = W[s1 + j];
    }
  }
  if (i < n) {
    const s0 = idx[i] * H2;
    const d0 = i * H2;
    for (let j = 0; j < H2; j++) out[d0 + j] = W[s0 + j];
  }
}

// One native copy per row. Won for H >= 64 where the float64 copy does not apply: 2.1–3.5× memcpy at
// H = 768 against 5.8–7.3× for the unrolled loop and 11× for a scalar loop; 4.8× vs 12.9× at H = 256.
// Below H = 64 the subarray object per row costs more than the copy (63× memcpy at H = 16).
export function gatherRowsBySet(W: Float32Array, idx: Int32Array, out: Float32Array, H: number): void {
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * H;
    out.set(W.subarray(src, src + H), i * H);
  }
}

// A loop unrolled four times. Won for H < 64: 0.9 ns/element at H = 16 against 1.6 for the scalar
// loop and 2.8–5.0 for set(subarray); at H = 32, 1.0 vs 1.5–1.6.
export function gatherRowsUnrolled(W: Float32Array, idx: Int32Array, out: Float32Array, H: number): void {
  const H4 = H & ~3;
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * H;
    const dst = i * H;
    let j = 0;
    for (; j < H4; j += 4) {
      out[dst + j] = W[src + j];
      out[dst + j + 1] = W[src + j + 1];
      out[dst + j + 2] = W[src + j + 2];
      out[dst + j + 3] = W[src + j + 3];
    }
    for (; j < H; j++) out[dst + j] = W[src + j];
  }
}
