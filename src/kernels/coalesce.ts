// rows [n] (repeats allowed), values [n, H] -> rows [R] unique ascending, values [R, H];
// values[slot(i)] += src[i]   (PyTorch's coalesce(): repeats summed in position order)
import { distinctRows } from "./group-rows.js";
import { scatterAddRowsScaled } from "./scatter-add.js";

// Sums the positions of an uncoalesced row gradient into its distinct rows, ascending, each position
// divided by its row's count with `byFreq`. The sums run in position order, as PyTorch's `coalesce()`.
// `slotOf` as in `distinctRows`. The values are a fresh array.
//
// @example
// ```ts
// const c = coalesceRows(new Int32Array([2, 0, 2]), new Float32Array([1, 2, 3]), 1, newSlotMap(3), false);
// [Array.from(c.rows), Array.from(c.values)]; // [[0, 2], [2, 4]]
// ```
export function coalesceRows(
  idx: Int32Array,
  src: Float32Array,
  H: number,
  slotOf: Int32Array,
  byFreq: boolean,
  skip = -1,
): { rows: Int32Array; values: Float32Array } {
  const { rows, counts, slots } = distinctRows(idx, skip, slotOf, true);
  const values = new Float32Array(rows.length * H);
  if (byFreq) {
    scatterAddRowsScaled(values, slots, slots, counts, src, H);
    return { rows, values };
  }
  // values start at zero; each slot's first position is copied, later ones added (as scatterAddRows)
  const first = new Uint8Array(rows.length);
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i];
    if (s < 0) continue;
    const d = s * H;
    const o = i * H;
    if (first[s] === 0) {
      first[s] = 1;
      values.set(src.subarray(o, o + H), d);
    } else {
      for (let j = 0; j < H; j++) values[d + j] += src[o + j];
    }
  }
  return { rows, values };
}
