// Row kernels shared by the lookup layers: gather, scatter-add, and finding the distinct rows of an
// index. They trust their arguments: the public layer methods validate before calling them.

/**
 * The distinct rows of a batch of indices, with how often each occurs.
 * `slotOf` is a `[V]` scratch map, -1 everywhere on entry and on exit, so that finding the rows costs
 * O(N), never O(V).
 */
export interface RowSet {
  /** The distinct rows, in order of first appearance (or ascending, if `sorted`). */
  rows: Int32Array;
  /** counts[s]: how many positions refer to rows[s]. */
  counts: Int32Array;
  /** slots[i]: which entry of `rows` position i refers to, or -1 for a skipped (padding) position. */
  slots: Int32Array;
}

/** A `[V]` map filled with -1, reused across calls by a layer. */
export function newSlotMap(numRows: number): Int32Array {
  return new Int32Array(numRows).fill(-1);
}

/**
 * Groups positions by row: every index except `skip` (the padding row, or -1 for none). Leaves
 * `slotOf` all -1 again before returning.
 */
export function distinctRows(idx: Int32Array, skip: number, slotOf: Int32Array, sorted: boolean): RowSet {
  const n = idx.length;
  const slots = new Int32Array(n);
  const firstRows = new Int32Array(n);
  const firstCounts = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const r = idx[i];
    if (r === skip) {
      slots[i] = -1;
      continue;
    }
    let s = slotOf[r];
    if (s < 0) {
      s = k++;
      slotOf[r] = s;
      firstRows[s] = r;
    }
    firstCounts[s]++;
    slots[i] = s;
  }
  let rows = firstRows.slice(0, k);
  let counts = firstCounts.slice(0, k);
  if (sorted && k > 1) {
    rows.sort();
    const reordered = new Int32Array(k);
    for (let s = 0; s < k; s++) {
      const oldSlot = slotOf[rows[s]];
      reordered[s] = counts[oldSlot];
      firstRows[oldSlot] = s; // firstRows now maps old slot -> new slot
    }
    counts = reordered;
    for (let i = 0; i < n; i++) if (slots[i] >= 0) slots[i] = firstRows[slots[i]];
  }
  for (let s = 0; s < k; s++) slotOf[rows[s]] = -1;
  return { rows, counts, slots };
}

// idx [N], W [V, H] -> out [N, H];  out[i] = W[idx[i]]
export function gatherRows(weight: Float32Array, idx: Int32Array, out: Float32Array, width: number): void {
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * width;
    out.set(weight.subarray(src, src + width), i * width);
  }
}

// dout [N, H] -> dst [*, H];  dst[target(i)] += scale(i) · dout[i], where target is a row of dst.
export function addRow(dst: Float32Array, dstOffset: number, src: Float32Array, srcOffset: number, width: number, scale: number): void {
  if (scale === 1) {
    for (let j = 0; j < width; j++) dst[dstOffset + j] += src[srcOffset + j];
  } else {
    for (let j = 0; j < width; j++) dst[dstOffset + j] += scale * src[srcOffset + j];
  }
}
