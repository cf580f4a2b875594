// Reads the first and last element of every row `idx` refers to (in `data`, rows `width` wide) and
// returns their sum, so that the rows are in cache before a kernel works on them. A loop this small
// keeps many cache misses in flight at once, where a kernel that does a row's work between two misses
// waits for each in turn: at the Wide & Deep benchmark's shape (26 tables of 10^5 × 16, 1,536 random
// rows each) the bag forward took 4–9 ms with it against 11–23 ms without (`npm run bench:widedeep`;
// alternating runs). JavaScript has no prefetch instruction; this is the nearest thing.
export function touchRows(data: Float32Array | Int32Array, idx: Int32Array, width: number): number {
  let s = 0;
  const last = width - 1;
  for (let i = 0; i < idx.length; i++) {
    const w = idx[i] * width;
    s += data[w] + data[w + last];
  }
  return s;
}
