// Row kernels shared by the lookup layers and the optimizers: gather, scatter-add, row updates, and
// finding the distinct rows of an index. They trust their arguments: the public methods validate
// before calling them. Each kernel says which variant won in `npm run bench -- --variants` and by
// how much (2-core AMD EPYC, node 20; the variants are kept in bench/variants.ts).
import type { RowPositions } from "../tensor/parameter.js";

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

/** distinctRows walks its `[V]` map, rather than sorting, when V is at most this many times N. */
export const WALK_LIMIT = 16;

/** A `[V]` map filled with -1, reused across calls by a layer. */
export function newSlotMap(numRows: number): Int32Array {
  return new Int32Array(numRows).fill(-1);
}

/**
 * Groups positions by row: every index except `skip` (the padding row, or -1 for none). Leaves
 * `slotOf` all -1 again before returning. With `sorted`, the rows are ascending (what a
 * `RowSparseGrad` needs): found by walking the `[V]` map when V is at most 16 times the number of
 * positions, else by sorting the R distinct rows (O(R log R)) and renumbering the slots.
 */
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

/**
 * {@link distinctRows} with ascending rows, in three passes over the positions and one over the map:
 * count each row's uses in `slotOf`, walk the map in row order giving each used row the next slot,
 * then read every position's slot back. It takes half the time of grouping in order of appearance,
 * then sorting and renumbering: 0.024 vs 0.046 ms at the teach shape (V = 10,000, N = 2,048), 0.048
 * vs 0.091 ms at BERT's (V = 21,128, N = 4,096); at V = 1,000,000 and N = 1,000 the walk loses
 * (0.84 vs 0.026 ms), hence the 16 × N limit (`npm run bench -- --variants`, "group rows").
 */
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

/**
 * The distinct rows of `idx` other than `skip`, in order of first appearance. `slotOf` is used as a
 * seen-mark and left all -1. One pass, one allocation: what a dense backward needs for `touchedRows`.
 */
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

/**
 * Whether this engine copies float32 data through `Float64Array` views bit for bit. V8 (Node, Deno,
 * Chrome) moves a double it loads from a typed array without looking at it; JavaScriptCore (Bun,
 * Safari) and SpiderMonkey (Firefox) canonicalise NaN doubles when they box them, so a pair of
 * floats whose second reads as a NaN double (a float32 NaN with its top payload bits set) would come
 * out changed, its partner float zeroed. Probed once, at load, through the kernel itself.
 */
export const FLOAT64_COPY_EXACT: boolean = probeFloat64Copy();

function probeFloat64Copy(): boolean {
  // (low, high) word pairs whose double is a NaN other than the canonical one, and ordinary pairs.
  const words = [0x3f800000, 0x7ff00001, 0x12345678, 0x7ff80000, 0x00000001, 0xfff12345, 0xdeadbeef, 0x7fffffff, 0x40490fdb, 0xbf800000];
  const src = new Uint32Array(words);
  const dst = new Uint32Array(words.length);
  const idx = new Int32Array([4, 3, 2, 1, 0]);
  gatherRowsFloat64(new Float64Array(src.buffer), idx, new Float64Array(dst.buffer), 1);
  for (let i = 0; i < idx.length; i++) {
    if (dst[2 * i] !== src[2 * idx[i]] || dst[2 * i + 1] !== src[2 * idx[i] + 1]) return false;
  }
  return true;
}

/**
 * Rows narrower than this (in floats) that are 8-byte aligned are copied two floats at a time. The
 * Float64Array copy won at H = 64 and 100 (0.5 the time of `set(subarray)`) and lost at H = 768
 * (0.33 against 1.06 ns per float in a quiet run), where one native copy per row pays for itself;
 * widths in between were not measured, and this bound sits between the two.
 */
export const FLOAT64_MAX_WIDTH = 256;

/** How a layer copies its rows, chosen once for its width and the alignment of its table. */
export type RowCopyKind = "float64" | "set" | "unrolled";

/**
 * The copy for rows of width `H` out of `W`: through Float64Array views when the engine keeps their
 * bits ({@link FLOAT64_COPY_EXACT}), H is even, narrower than {@link FLOAT64_MAX_WIDTH} and `W`
 * starts on an 8-byte boundary; else `set(subarray)` from {@link SET_MIN_WIDTH} floats up; else an
 * unrolled loop.
 */
export function chooseRowCopy(W: Float32Array, H: number): RowCopyKind {
  if (FLOAT64_COPY_EXACT && H % 2 === 0 && H < FLOAT64_MAX_WIDTH && W.byteOffset % 8 === 0) return "float64";
  return H >= SET_MIN_WIDTH ? "set" : "unrolled";
}

/** `a` seen as doubles (length a.length / 2), or null when it does not start on an 8-byte boundary. */
function float64View(a: Float32Array): Float64Array | null {
  return a.byteOffset % 8 === 0 ? new Float64Array(a.buffer, a.byteOffset, a.length >> 1) : null;
}

/**
 * The row copies of one table, chosen once for its width and alignment (see {@link chooseRowCopy}):
 * the forward's gather and the dense backward's scatter. The Float64Array views of the table and of
 * the last buffers it wrote or read are kept, so a call on reused buffers allocates nothing.
 *
 * @example
 * ```ts
 * const W = new Float32Array([0, 1, 2, 3, 4, 5]);   // [3, 2]
 * const out = new Float32Array(4);
 * new RowCopy(W, 2).gather(new Int32Array([2, 0]), out);
 * Array.from(out); // [4, 5, 0, 1]
 * ```
 */
export class RowCopy {
  readonly W: Float32Array;
  readonly H: number;
  readonly kind: RowCopyKind;
  private readonly W64: Float64Array | null;
  private readonly views = new ViewCache();

  constructor(W: Float32Array, H: number) {
    this.W = W;
    this.H = H;
    this.kind = chooseRowCopy(W, H);
    this.W64 = this.kind === "float64" ? float64View(W) : null;
  }

  // idx [N], W [V, H] -> out [N, H];  out[i] = W[idx[i]]
  gather(idx: Int32Array, out: Float32Array): void {
    const H = this.H;
    if (this.kind === "float64") {
      const out64 = this.views.of(out, 0);
      if (out64 !== null) return gatherRowsFloat64(this.W64 as Float64Array, idx, out64, H >> 1);
    }
    if (H >= SET_MIN_WIDTH) gatherRowsBySet(this.W, idx, out, H);
    else gatherRowsUnrolled(this.W, idx, out, H);
  }

  // src [N, H] -> dst [*, H];  dst[r] = Σ src[i] over target[i] = r   (dst zero in those rows on entry)
  /**
   * The dense backward's scatter: {@link scatterRowsCopyFirst} (a row's first use copied, through
   * Float64Array views where they apply), or for narrow rows a scatter-add. Records the distinct rows
   * in `found`, in order of first use, and returns how many; `seen` is -1 on entry and exit.
   */
  scatter(dst: Float32Array, target: Int32Array, skip: number, src: Float32Array, seen: Int32Array, found: Int32Array): number {
    const H = this.H;
    if (this.kind === "float64") {
      const dst64 = this.views.of(dst, 1);
      const src64 = this.views.of(src, 2);
      if (dst64 !== null && src64 !== null) return scatterRowsCopyFirstFloat64(dst, dst64, target, skip, src, src64, H, seen, found);
    }
    if (H >= SET_MIN_WIDTH) return scatterRowsCopyFirst(dst, target, skip, src, H, seen, found);
    // Narrow rows: adding into the zero rows beats copying a row's first use with a loop.
    let k = 0;
    for (let i = 0; i < target.length; i++) {
      const r = target[i];
      if (r === skip) continue;
      if (seen[r] < 0) {
        seen[r] = k;
        found[k++] = r;
      }
      addRow(dst, r * H, src, i * H, H);
    }
    for (let f = 0; f < k; f++) seen[found[f]] = -1;
    return k;
  }
}

/** Float64Array views of the last few Float32Arrays seen in each slot, made once per buffer. */
class ViewCache {
  private readonly f32: (Float32Array | null)[] = [null, null, null];
  private readonly f64: (Float64Array | null)[] = [null, null, null];

  of(a: Float32Array, slot: number): Float64Array | null {
    if (this.f32[slot] !== a) {
      this.f32[slot] = a;
      this.f64[slot] = float64View(a);
    }
    return this.f64[slot];
  }
}

/**
 * Gather through Float64Array views of the same bytes, two floats per move (`H2` = H / 2 doubles per
 * row), two rows per pass with their moves interleaved, unrolled by sixteen. Only where
 * {@link FLOAT64_COPY_EXACT}. At H = 32–128 it takes 0.4–0.8 the time of `set(subarray)` and
 * 0.6–0.9 that of one row per pass unrolled by sixteen or eight (30 rounds, order rotated, medians);
 * the exception was the CBOW shape (V = 1M, H = 100), where one row per pass took 0.8 of its time.
 */
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

/** Rows at least this wide are copied with `set(subarray)`; narrower ones with an unrolled loop. */
export const SET_MIN_WIDTH = 64;

// idx [N], W [V, H] -> out [N, H];  out[i] = W[idx[i]]
/** The gather, choosing the faster copy for the row width (the two variants tie at H = 64). */
export function gatherRows(W: Float32Array, idx: Int32Array, out: Float32Array, H: number): void {
  if (H >= SET_MIN_WIDTH) gatherRowsBySet(W, idx, out, H);
  else gatherRowsUnrolled(W, idx, out, H);
}

/**
 * Gather by `out.set(W.subarray(...))`, one native copy per row. Won for H >= 64: 2.1–3.5× memcpy at
 * H = 768 against 5.8–7.3× for the unrolled loop and 11× for a scalar loop; 4.8× vs 12.9× at H = 256.
 * Below H = 64 the subarray object per row costs more than the copy (63× memcpy at H = 16).
 */
export function gatherRowsBySet(W: Float32Array, idx: Int32Array, out: Float32Array, H: number): void {
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * H;
    out.set(W.subarray(src, src + H), i * H);
  }
}

/**
 * Gather by a loop unrolled four times. Won for H < 64: 0.9 ns/element at H = 16 against 1.6 for the
 * scalar loop and 2.8–5.0 for set(subarray); at H = 32, 1.0 vs 1.5–1.6. Copying through Int32Array
 * views (no float conversion) was no faster.
 */
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

/** dst[d .. d+H) += src[s .. s+H), unrolled four times (V8 inlines it into the scatter loops). */
function addRow(dst: Float32Array, d: number, src: Float32Array, s: number, H: number): void {
  const H4 = H & ~3;
  let j = 0;
  for (; j < H4; j += 4) {
    dst[d + j] += src[s + j];
    dst[d + j + 1] += src[s + j + 1];
    dst[d + j + 2] += src[s + j + 2];
    dst[d + j + 3] += src[s + j + 3];
  }
  for (; j < H; j++) dst[d + j] += src[s + j];
}

// src [N, H] -> dst [*, H];  dst[target[i]] += src[i]   for every i with target[i] != skip
/**
 * Scatter-add into zeroed rows, unrolled four times: the backward's kernel for H < 64 (and, with the
 * rows zeroed first, what {@link scatterRowsCopyFirst} replaces for H >= 64). Won over the scalar loop
 * by 1.3–2.4× (teach: 2.1 vs 3.1 ns/element; H = 100: 1.3 vs 3.2; H = 768: 1.7 vs 2.5), and over
 * copying a row's first occurrence with a loop (2.4 ns/element at H = 64): only a native `set` copy
 * makes copy-first pay.
 */
export function scatterAddRows(dst: Float32Array, target: Int32Array, skip: number, src: Float32Array, H: number): void {
  for (let i = 0; i < target.length; i++) {
    const r = target[i];
    if (r === skip) continue;
    addRow(dst, r * H, src, i * H, H);
  }
}

// src [N, H] -> dst [*, H];  dst[r] = Σ src[i] over target[i] = r   (rows of dst not read first)
/**
 * Scatter that needs no zeroed destination: a row's first occurrence is copied with
 * `set(subarray)`, later ones are added (unrolled). Records the distinct rows in `found` (in order of
 * first appearance) and returns how many; `seen` is a `[rows of dst]` map, -1 on entry and on exit.
 * For H >= 64 it beat "zero the rows, then scatter-add" by 1.5× at teach (0.21 vs 0.31 ms), 1.8× at
 * H = 100, 3.2× at H = 256 and 6× at BERT's H = 768 (3.7 vs 23.6 ms): most rows of a batch occur once,
 * and a native row copy is far cheaper than an add loop. Below H = 64 it loses (H = 32: 0.19 vs 0.12 ms).
 */
export function scatterRowsCopyFirst(
  dst: Float32Array,
  target: Int32Array,
  skip: number,
  src: Float32Array,
  H: number,
  seen: Int32Array,
  found: Int32Array,
): number {
  let k = 0;
  for (let i = 0; i < target.length; i++) {
    const r = target[i];
    if (r === skip) continue;
    const d = r * H;
    const s = i * H;
    if (seen[r] < 0) {
      seen[r] = k;
      found[k++] = r;
      dst.set(src.subarray(s, s + H), d);
      continue;
    }
    addRow(dst, d, src, s, H);
  }
  for (let f = 0; f < k; f++) seen[found[f]] = -1;
  return k;
}

// src [N, H] -> dst [*, H];  dst[target[i]] += src[i] / counts[slots[i]]   for every i with slots[i] >= 0
/** Scatter-add with each position divided by its row's count (`scaleGradByFreq`); a plain loop. */
export function scatterAddRowsScaled(
  dst: Float32Array,
  target: Int32Array,
  slots: Int32Array,
  counts: Int32Array,
  src: Float32Array,
  H: number,
): void {
  for (let i = 0; i < target.length; i++) {
    const slot = slots[i];
    if (slot < 0) continue;
    const scale = 1 / counts[slot];
    const d = target[i] * H;
    const s = i * H;
    for (let j = 0; j < H; j++) dst[d + j] += scale * src[s + j];
  }
}

// P [V, H], G [*, H] -> P[rows[r]] += alpha · G[at offsets[r]]
/**
 * The row update of plain SGD (`alpha = -lr`), unrolled eight times. Won over the scalar loop by
 * 1.4–1.7× (teach H = 64: 2.0 vs 3.2 ns/element; H = 100: 1.2 vs 2.1; H = 768: 1.6 vs 2.4) and over
 * unrolling by four by 10–25% (alternating runs, medians).
 */
export function axpyRows(P: Float32Array, rows: Int32Array, G: Float32Array, offsets: Int32Array, H: number, alpha: number): void {
  const H8 = H & ~7;
  for (let r = 0; r < rows.length; r++) {
    const p = rows[r] * H;
    const g = offsets[r];
    let j = 0;
    for (; j < H8; j += 8) {
      P[p + j] += alpha * G[g + j];
      P[p + j + 1] += alpha * G[g + j + 1];
      P[p + j + 2] += alpha * G[g + j + 2];
      P[p + j + 3] += alpha * G[g + j + 3];
      P[p + j + 4] += alpha * G[g + j + 4];
      P[p + j + 5] += alpha * G[g + j + 5];
      P[p + j + 6] += alpha * G[g + j + 6];
      P[p + j + 7] += alpha * G[g + j + 7];
    }
    for (; j < H; j++) P[p + j] += alpha * G[g + j];
  }
}

// G [N, H] -> P [*, H];  P[target[i]] += alpha · G[i]   for every i with target[i] != skip
/**
 * Plain SGD straight from a pending gradient's positions (`alpha = -lr`): each position's row of `G`
 * is added into its row of `P` in order, as PyTorch's `index_add_` of its uncoalesced sparse
 * gradient. Two positions per pass, their updates interleaved (in order: when both are the same row,
 * each element still gets the first add, then the second), unrolled by eight: 0.96–0.99 the time of
 * one position per pass unrolled by sixteen and 0.92–0.97 that of the pair unrolled by four at H = 64
 * and 100 (30 rounds, order rotated, medians); about half the time of the scalar loop.
 */
export function scatterAxpyRows(P: Float32Array, target: Int32Array, skip: number, G: Float32Array, H: number, alpha: number): void {
  const H8 = H & ~7;
  const n = target.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = target[i];
    const r1 = target[i + 1];
    if (r0 === skip || r1 === skip) {
      if (r0 !== skip) axpyRow(P, r0 * H, G, i * H, H, alpha);
      if (r1 !== skip) axpyRow(P, r1 * H, G, (i + 1) * H, H, alpha);
      continue;
    }
    const p0 = r0 * H;
    const p1 = r1 * H;
    const g0 = i * H;
    const g1 = g0 + H;
    let j = 0;
    for (; j < H8; j += 8) {
      P[p0 + j] += alpha * G[g0 + j];
      P[p1 + j] += alpha * G[g1 + j];
      P[p0 + j + 1] += alpha * G[g0 + j + 1];
      P[p1 + j + 1] += alpha * G[g1 + j + 1];
      P[p0 + j + 2] += alpha * G[g0 + j + 2];
      P[p1 + j + 2] += alpha * G[g1 + j + 2];
      P[p0 + j + 3] += alpha * G[g0 + j + 3];
      P[p1 + j + 3] += alpha * G[g1 + j + 3];
      P[p0 + j + 4] += alpha * G[g0 + j + 4];
      P[p1 + j + 4] += alpha * G[g1 + j + 4];
      P[p0 + j + 5] += alpha * G[g0 + j + 5];
      P[p1 + j + 5] += alpha * G[g1 + j + 5];
      P[p0 + j + 6] += alpha * G[g0 + j + 6];
      P[p1 + j + 6] += alpha * G[g1 + j + 6];
      P[p0 + j + 7] += alpha * G[g0 + j + 7];
      P[p1 + j + 7] += alpha * G[g1 + j + 7];
    }
    for (; j < H; j++) {
      P[p0 + j] += alpha * G[g0 + j];
      P[p1 + j] += alpha * G[g1 + j];
    }
  }
  if (i < n && target[i] !== skip) axpyRow(P, target[i] * H, G, i * H, H, alpha);
}

/** P[p .. p+H) += alpha · G[g .. g+H). */
function axpyRow(P: Float32Array, p: number, G: Float32Array, g: number, H: number, alpha: number): void {
  for (let j = 0; j < H; j++) P[p + j] += alpha * G[g + j];
}

// P [V, H], G [V, H] -> P[rows[r]] += alpha · G[rows[r]]
/**
 * Plain SGD over a dense gradient's touched rows (`alpha = -lr`; when the gradient was read before
 * the step), unrolled by eight as {@link axpyRows}, without its offsets array.
 */
export function axpySameRows(P: Float32Array, rows: Int32Array, G: Float32Array, H: number, alpha: number): void {
  const H8 = H & ~7;
  for (let r = 0; r < rows.length; r++) {
    const p = rows[r] * H;
    let j = 0;
    for (; j < H8; j += 8) {
      P[p + j] += alpha * G[p + j];
      P[p + j + 1] += alpha * G[p + j + 1];
      P[p + j + 2] += alpha * G[p + j + 2];
      P[p + j + 3] += alpha * G[p + j + 3];
      P[p + j + 4] += alpha * G[p + j + 4];
      P[p + j + 5] += alpha * G[p + j + 5];
      P[p + j + 6] += alpha * G[p + j + 6];
      P[p + j + 7] += alpha * G[p + j + 7];
    }
    for (; j < H; j++) P[p + j] += alpha * G[p + j];
  }
}

/**
 * {@link scatterRowsCopyFirst} with each row's first occurrence copied two floats per move through
 * Float64Array views of the same buffers (`dst64`, `src64`; only where {@link FLOAT64_COPY_EXACT}).
 */
export function scatterRowsCopyFirstFloat64(
  dst: Float32Array,
  dst64: Float64Array,
  target: Int32Array,
  skip: number,
  src: Float32Array,
  src64: Float64Array,
  H: number,
  seen: Int32Array,
  found: Int32Array,
): number {
  const H2 = H >> 1;
  const H4 = H2 & ~3;
  let k = 0;
  for (let i = 0; i < target.length; i++) {
    const r = target[i];
    if (r === skip) continue;
    if (seen[r] < 0) {
      seen[r] = k;
      found[k++] = r;
      const d = r * H2;
      const s = i * H2;
      let j = 0;
      for (; j < H4; j += 4) {
        dst64[d + j] = src64[s + j];
        dst64[d + j + 1] = src64[s + j + 1];
        dst64[d + j + 2] = src64[s + j + 2];
        dst64[d + j + 3] = src64[s + j + 3];
      }
      for (; j < H2; j++) dst64[d + j] = src64[s + j];
      continue;
    }
    addRow(dst, r * H, src, i * H, H);
  }
  for (let f = 0; f < k; f++) seen[found[f]] = -1;
  return k;
}

// dout [N, H] -> dW [V, H];  dW[idx[i]] += dout[i]   (dW zero in every row on entry, np.add.at)
/**
 * The dense backward: writes every row of `dW` that `idx` refers to (except `skip`) and returns those
 * rows, in order of first use. With `byFreq`, each position is divided by its row's count
 * (`scaleGradByFreq`). `seen` is a `[V]` map, -1 on entry and exit; `found` holds at least N rows.
 */
export function denseBackward(
  copy: RowCopy,
  dW: Float32Array,
  idx: Int32Array,
  skip: number,
  dout: Float32Array,
  byFreq: boolean,
  seen: Int32Array,
  found: Int32Array,
): Int32Array {
  if (byFreq) {
    const set = distinctRows(idx, skip, seen, false);
    scatterAddRowsScaled(dW, idx, set.slots, set.counts, dout, copy.H);
    return set.rows;
  }
  return found.slice(0, copy.scatter(dW, idx, skip, dout, seen, found));
}

// positions (idx [N], src [N, H]) -> rows [R] ascending, values [R, H];  values[slot(i)] += src[i]
/**
 * Sums the positions of an uncoalesced row gradient into its distinct rows, ascending (what
 * `RowSparseGrad.rows` promises), each divided by its count with `byFreq`. `slotOf` as in
 * {@link distinctRows}. The values are a fresh array: the gradient owns them.
 */
export function coalescePositions(p: RowPositions, slotOf: Int32Array, byFreq: boolean): { rows: Int32Array; values: Float32Array } {
  const H = p.width;
  const { rows, counts, slots } = distinctRows(p.idx, p.skip, slotOf, true);
  const values = new Float32Array(rows.length * H);
  if (byFreq) scatterAddRowsScaled(values, slots, slots, counts, p.src, H);
  else if (H >= SET_MIN_WIDTH) scatterRowsCopyFirst(values, slots, -1, p.src, H, slotOf, new Int32Array(rows.length));
  else scatterAddRows(values, slots, -1, p.src, H);
  return { rows, values };
}

/**
 * Rescales, in place, each of `rows` whose `p`-norm exceeds `maxNorm` by `maxNorm / (norm + 1e-7)`,
 * as PyTorch's `embedding_renorm_`, whose scale is a float32 multiplied in float32. Rounding the scale
 * the same way makes rows cut in the ∞-norm equal to PyTorch's to the last bit (which decides ties of
 * EmbeddingBag's max mode); for the other norms PyTorch also sums the norm in float32, so a row can
 * differ from PyTorch's in its last bit (the fixtures' max-norm cases: 67 of 616 floats, was 75 with a
 * float64 scale). Embedding and EmbeddingBag share it.
 */
export function renormRows(W: Float32Array, rows: Int32Array, H: number, maxNorm: number, p: number): void {
  for (let s = 0; s < rows.length; s++) {
    const start = rows[s] * H;
    let norm = 0;
    if (p === Infinity) {
      for (let j = 0; j < H; j++) norm = Math.max(norm, Math.abs(W[start + j]));
    } else if (p === 1) {
      for (let j = 0; j < H; j++) norm += Math.abs(W[start + j]);
    } else if (p === 2) {
      for (let j = 0; j < H; j++) norm += W[start + j] * W[start + j];
      norm = Math.sqrt(norm);
    } else {
      for (let j = 0; j < H; j++) norm += Math.abs(W[start + j]) ** p;
      norm **= 1 / p;
    }
    if (norm > maxNorm) {
      const scale = Math.fround(maxNorm / (norm + 1e-7));
      for (let j = 0; j < H; j++) W[start + j] *= scale;
    }
  }
}
