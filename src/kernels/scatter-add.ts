// src [N, H] -> dW [V, H];  dW[idx[i]] += src[i]   for every i with idx[i] != skip   (np.add.at)
// The backward of a lookup, adding into a gradient that may already hold earlier contributions.
// `marked[r]` is 1 for a row that may be non-zero (the gradient's touchedRows) and 0 for a row that is
// all zeros: a row's first use is then a copy, later ones are adds, and the rows newly used are listed
// in `added` and marked. (`npm run bench -- --variants`, "dense backward"; losing variants in
// bench/variants.ts.)
import { axpy } from "./axpy.js";
import { SET_MIN_WIDTH, copiesAsFloat64, float64View } from "./float64-view.js";

// dW[idx[i]] += src[i], rows of dW that `marked` says are zero written by copy. Returns how many rows
// it added to `added` (and marked). Copying a row's first use with `set(subarray)` beat "zero the rows,
// then add" by 1.5× at teach (V = 10,000, H = 64, N = 2,048: 0.21 vs 0.31 ms), 1.8× at H = 100 and
// 6× at BERT's H = 768 (3.7 vs 23.6 ms): most rows of a batch occur once, and a native copy is far
// cheaper than an add loop. Through Float64Array views the copy is faster still for even, aligned rows
// narrower than 256 floats; below H = 64, with no float64 copy, adding into the zero row wins.
//
// @example
// ```ts
// const dW = new Float32Array(6), marked = new Uint8Array(3), added = new Int32Array(3);
// const n = scatterAddRows(dW, new Int32Array([2, 2]), -1, new Float32Array([1, 2, 3, 4]), 2, marked, added);
// [n, Array.from(dW)]; // [1, [0, 0, 0, 0, 4, 6]]
// ```
export function scatterAddRows(
  dW: Float32Array,
  idx: Int32Array,
  skip: number,
  src: Float32Array,
  H: number,
  marked: Uint8Array,
  added: Int32Array,
): number {
  if (copiesAsFloat64(dW, src, H)) {
    return scatterCopyFirstFloat64(dW, float64View(dW) as Float64Array, idx, skip, src, float64View(src) as Float64Array, H, marked, added);
  }
  if (H >= SET_MIN_WIDTH) return scatterCopyFirst(dW, idx, skip, src, H, marked, added);
  let k = 0;
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    if (r === skip) continue;
    if (marked[r] === 0) {
      marked[r] = 1;
      added[k++] = r;
    }
    addRow(dW, r * H, src, i * H, H);
  }
  return k;
}

// dW[idx[i]] += src[i] into a gradient whose every row may be non-zero (touchedRows null).
export function scatterAddAll(dW: Float32Array, idx: Int32Array, skip: number, src: Float32Array, H: number): void {
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    if (r !== skip) addRow(dW, r * H, src, i * H, H);
  }
}

// A row's first use copied with `set(subarray)`, later ones added (H >= 64).
export function scatterCopyFirst(
  dW: Float32Array,
  idx: Int32Array,
  skip: number,
  src: Float32Array,
  H: number,
  marked: Uint8Array,
  added: Int32Array,
): number {
  let k = 0;
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    if (r === skip) continue;
    const d = r * H;
    const s = i * H;
    if (marked[r] === 0) {
      marked[r] = 1;
      added[k++] = r;
      dW.set(src.subarray(s, s + H), d);
    } else {
      addRow(dW, d, src, s, H);
    }
  }
  return k;
}

// A row's first use copied two floats per move through Float64Array views of the same buffers.
export function scatterCopyFirstFloat64(
  dW: Float32Array,
  dW64: Float64Array,
  idx: Int32Array,
  skip: number,
  src: Float32Array,
  src64: Float64Array,
  H: number,
  marked: Uint8Array,
  added: Int32Array,
): number {
  const H2 = H >> 1;
  const H4 = H2 & ~3;
  let k = 0;
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    if (r === skip) continue;
    if (marked[r] === 0) {
      marked[r] = 1;
      added[k++] = r;
      const d = r * H2;
      const s = i * H2;
      let j = 0;
      for (; j < H4; j += 4) {
        dW64[d + j] = src64[s + j];
        dW64[d + j + 1] = src64[s + j + 1];
        dW64[d + j + 2] = src64[s + j + 2];
        dW64[d + j + 3] = src64[s + j + 3];
      }
      for (; j < H2; j++) dW64[d + j] = src64[s + j];
    } else {
      addRow(dW, r * H, src, i * H, H);
    }
  }
  return k;
}

// dW[d .. d+H) += src[s .. s+H), unrolled four times (V8 inlines it into the loops above).
function addRow(dW: Float32Array, d: number, src: Float32Array, s: number, H: number): void {
  const H4 = H & ~3;
  let j = 0;
  for (; j < H4; j += 4) {
    dW[d + j] += src[s + j];
    dW[d + j + 1] += src[s + j + 1];
    dW[d + j + 2] += src[s + j + 2];
    dW[d + j + 3] += src[s + j + 3];
  }
  for (; j < H; j++) dW[d + j] += src[s + j];
}

// src [N, H] -> dW [*, H];  dW[target[i]] += src[i] / counts[slots[i]]   for every i with slots[i] >= 0
// Scatter-add with each position divided by its row's count (`scaleGradByFreq`): one axpy a position.
export function scatterAddRowsScaled(
  dW: Float32Array,
  target: Int32Array,
  slots: Int32Array,
  counts: Int32Array,
  src: Float32Array,
  H: number,
): void {
  for (let i = 0; i < target.length; i++) {
    const slot = slots[i];
    if (slot < 0) continue;
    axpy(H, 1 / counts[slot], src, i * H, dW, target[i] * H);
  }
}
