// idx [N] -> the distinct rows of a batch, with how often each occurs and which one each position
// refers to. What coalescing a row gradient, `scaleGradByFreq` and max-norm need. `slotOf` is a `[V]`
// scratch map, -1 everywhere on entry and on exit, so that finding the rows costs O(N), never O(V).

// The distinct rows of a batch of indices, with how often each occurs.
export interface RowSet {
  // The distinct rows, in order of first appearance (or ascending, if `sorted`).
  rows: Int32Array;
  // counts[s]: how many positions refer to rows[s].
  counts: Int32Array;
  // slots[i]: which entry of `rows` position i refers to, or -1 for a skipped (padding) position.
  slots: Int32Array;
}

// distinctRows walks its `[V]` map, rather than sorting, when V is at most this many times N.
export const WALK_LIMIT = 16;

// A `[V]` map filled with -1, reused across calls by a layer.
export function newSlotMap(numRows: number): Int32Array {
  return new Int32Array(numRows).fill(-1);
}

// Groups positions by row: every index except `skip` (the padding row, or -1 for none). Leaves
// `slotOf` all -1 again before returning. With `sorted`, the rows are ascending (what a
// `RowSparseGrad` needs): found by walking the `[V]` map when V is at most 16 times the number of
// positions, else by sorting the R distinct rows (O(R log R)) and renumbering the slots.
export function distinctRows(idx: Int32Array, skip: number, slotOf: Int32Array, sorted: boolean): RowSet {
  if (sorted && slotOf.length <= WALK_LIMIT * idx.length) return distinctRowsByWalk(idx, skip, slotOf);
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

// {@link distinctRows} with ascending rows, in three passes over the positions and one over the map:
// count each row's uses in `slotOf`, walk the map in row order giving each used row the next slot,
// then read every position's slot back. It takes half the time of grouping in order of appearance,
// then sorting and renumbering: 0.024 vs 0.046 ms at the teach shape (V = 10,000, N = 2,048), 0.048
// vs 0.091 ms at BERT's (V = 21,128, N = 4,096); at V = 1,000,000 and N = 1,000 the walk loses
// (0.84 vs 0.026 ms), hence the 16 × N limit (`npm run bench -- --variants`, "group rows").
export function distinctRowsByWalk(idx: Int32Array, skip: number, slotOf: Int32Array): RowSet {
  const n = idx.length;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const r = idx[i];
    if (r === skip) continue;
    const c = slotOf[r];
    if (c < 0) {
      slotOf[r] = 1;
      k++;
    } else {
      slotOf[r] = c + 1;
    }
  }
  const rows = new Int32Array(k);
  const counts = new Int32Array(k);
  for (let r = 0, s = 0; s < k; r++) {
    const c = slotOf[r];
    if (c < 0) continue;
    rows[s] = r;
    counts[s] = c;
    slotOf[r] = s++;
  }
  const slots = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = idx[i];
    slots[i] = r === skip ? -1 : slotOf[r];
  }
  for (let s = 0; s < k; s++) slotOf[rows[s]] = -1;
  return { rows, counts, slots };
}

// The distinct rows of `idx` other than `skip`, in order of first appearance. `slotOf` is used as a
// seen-mark and left all -1. One pass, one allocation: what a dense backward needs for `touchedRows`.
export function uniqueRows(idx: Int32Array, skip: number, slotOf: Int32Array): Int32Array {
  const n = idx.length;
  const found = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const r = idx[i];
    if (r !== skip && slotOf[r] < 0) {
      slotOf[r] = 0;
      found[k++] = r;
    }
  }
  for (let s = 0; s < k; s++) slotOf[found[s]] = -1;
  return found.slice(0, k);
}
