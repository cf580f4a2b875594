// The row kernels against naive references, on random data with repeated indices and padding.
import { describe, expect, it } from "vitest";
import { Embedding, Random, RowSparseGrad, SGD, Tensor } from "../src/index.js";
import {
  axpyRows,
  distinctRows,
  gatherRows,
  gatherRowsBySet,
  gatherRowsUnrolled,
  newSlotMap,
  scatterAddRows,
  scatterAddRowsScaled,
  uniqueRows,
} from "../src/layers/rows.js";

const WIDTHS = [1, 2, 3, 4, 5, 7, 16, 33, 63, 64, 65, 100, 130];

function floats(rng: Random, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

/** n indices in [0, V), drawn from a small range so that rows repeat. */
function indices(rng: Random, n: number, V: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.int(Math.min(V, 1 + (n >> 1)));
  return a;
}

function naiveGather(W: Float32Array, idx: Int32Array, H: number): Float32Array {
  const out = new Float32Array(idx.length * H);
  for (let i = 0; i < idx.length; i++) for (let j = 0; j < H; j++) out[i * H + j] = W[idx[i] * H + j];
  return out;
}

// Accumulates in float64 then rounds once: the kernels round after every add, so compare with a tolerance.
function naiveScatter(V: number, idx: Int32Array, skip: number, dout: Float32Array, H: number, byFreq: boolean): Float64Array {
  const counts = new Map<number, number>();
  for (const r of idx) counts.set(r, (counts.get(r) ?? 0) + 1);
  const dW = new Float64Array(V * H);
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] === skip) continue;
    const scale = byFreq ? 1 / counts.get(idx[i])! : 1;
    for (let j = 0; j < H; j++) dW[idx[i] * H + j] += scale * dout[i * H + j];
  }
  return dW;
}

function expectNear(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= 1e-5 + 1e-5 * Math.abs(expected[i]))) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

describe("row kernels", () => {
  const rng = new Random(7);

  it.each(WIDTHS)("gather variants copy the rows exactly at H = %i", (H) => {
    const V = 13;
    const W = floats(rng, V * H);
    const idx = indices(rng, 40, V);
    const expected = naiveGather(W, idx, H);
    for (const kernel of [gatherRows, gatherRowsBySet, gatherRowsUnrolled]) {
      const out = new Float32Array(idx.length * H).fill(NaN);
      kernel(W, idx, out, H);
      expect(out, kernel.name).toEqual(expected);
    }
  });

  it.each(WIDTHS)("scatterAddRows sums repeated rows and skips padding at H = %i", (H) => {
    const V = 11;
    const idx = indices(rng, 50, V);
    const dout = floats(rng, idx.length * H);
    for (const skip of [-1, idx[3]]) {
      const dW = new Float32Array(V * H);
      scatterAddRows(dW, idx, skip, dout, H);
      expectNear(dW, naiveScatter(V, idx, skip, dout, H, false), `skip ${skip}`);
    }
  });

  it.each(WIDTHS)("scatterAddRowsScaled divides by each row's count at H = %i", (H) => {
    const V = 9;
    const idx = indices(rng, 30, V);
    const dout = floats(rng, idx.length * H);
    const skip = idx[0];
    const { slots, counts } = distinctRows(idx, skip, newSlotMap(V), false);
    const dW = new Float32Array(V * H);
    scatterAddRowsScaled(dW, idx, slots, counts, dout, H);
    expectNear(dW, naiveScatter(V, idx, skip, dout, H, true), "dW");
  });

  // A map of V entries takes the walk over the map (V <= 16 × positions, all but the shortest
  // batches); a map far longer than the batch takes the sort.
  it.each([["walks the map", 50], ["sorts", 50 * 16 * 61]])("distinctRows (which %s) and uniqueRows find each row once and leave the slot map at -1", (_, mapLength) => {
    const V = 50;
    const slotOf = newSlotMap(mapLength as number);
    for (let trial = 0; trial < 40; trial++) {
      const idx = indices(rng, 1 + rng.int(60), V);
      const skip = trial % 2 === 0 ? -1 : idx[0];
      const expected = [...new Set(idx)].filter((r) => r !== skip);
      expect(Array.from(uniqueRows(idx, skip, slotOf))).toEqual(expected);
      const sorted = distinctRows(idx, skip, slotOf, true);
      expect(Array.from(sorted.rows)).toEqual([...expected].sort((a, b) => a - b));
      for (let i = 0; i < idx.length; i++) {
        if (idx[i] === skip) expect(sorted.slots[i]).toBe(-1);
        else expect(sorted.rows[sorted.slots[i]]).toBe(idx[i]);
      }
      sorted.counts.forEach((c, s) => expect(c).toBe(idx.filter((r) => r === sorted.rows[s]).length));
      expect(slotOf.every((s) => s === -1)).toBe(true);
    }
  });

  it.each(WIDTHS)("axpyRows updates only the given rows at H = %i", (H) => {
    const V = 10;
    const P = floats(rng, V * H);
    const rows = new Int32Array([7, 2, 9]);
    const G = floats(rng, rows.length * H);
    const offsets = new Int32Array([0, H, 2 * H]);
    const expected = Float32Array.from(P);
    rows.forEach((r, k) => {
      for (let j = 0; j < H; j++) expected[r * H + j] = expected[r * H + j] - 0.5 * G[k * H + j];
    });
    axpyRows(P, rows, G, offsets, H, -0.5);
    expect(P).toEqual(expected);
  });
});

describe("Embedding kernels end to end", () => {
  const rng = new Random(11);

  for (const H of [3, 64, 100]) {
    for (const sparse of [false, true]) {
      for (const scaleGradByFreq of [false, true]) {
        it(`H = ${H}, sparse ${sparse}, scaleGradByFreq ${scaleGradByFreq}: three steps match a naive lookup table`, () => {
          const V = 17;
          const paddingIdx = 4;
          const emb = new Embedding(V, H, { seed: 1, sparse, scaleGradByFreq, paddingIdx });
          const ref = Float32Array.from(emb.weight.data);
          const opt = new SGD(emb.params, { lr: 0.25 });
          const out = Tensor.zeros([6, 5, H]);
          for (let step = 0; step < 3; step++) {
            const idx = indices(rng, 30, V);
            idx[step] = paddingIdx;
            const index = { data: idx, shape: [6, 5] };
            const fresh = emb.forward(index);
            expect(fresh.data).toEqual(naiveGather(emb.weight.data, idx, H));
            expect(emb.forward(index, out)).toBe(out);
            expect(out.data).toEqual(fresh.data);
            const dout = floats(rng, idx.length * H);
            emb.backward(new Tensor(dout, [6, 5, H]));
            const dW = naiveScatter(V, idx, paddingIdx, dout, H, scaleGradByFreq);
            const g = emb.weight.grad;
            if (sparse) {
              expect(g).toBeInstanceOf(RowSparseGrad);
              expectNear((g as RowSparseGrad).toDense().data, dW, `step ${step} sparse grad`);
            } else {
              expectNear((g as Tensor).data, dW, `step ${step} dense grad`); // rows of the last step cleared
              expect(new Set(emb.weight.touchedRows)).toEqual(new Set([...idx].filter((r) => r !== paddingIdx)));
            }
            opt.step();
            for (let k = 0; k < ref.length; k++) ref[k] = ref[k] - 0.25 * dW[k];
            expectNear(emb.weight.data, ref, `step ${step} weight`);
          }
        });
      }
    }
  }
});

describe("Embedding backward edge cases", () => {
  for (const sparse of [false, true]) {
    it(`sparse ${sparse}: an all-padding batch, then an empty one, then a normal one`, () => {
      const emb = new Embedding(6, 64, { seed: 2, sparse, paddingIdx: 1 });
      emb.forward([1, 1]);
      emb.backward(Tensor.ones([2, 64]));
      const g0 = emb.weight.grad!;
      expect(sparse ? (g0 as RowSparseGrad).rows.length : (g0 as Tensor).data.every((x) => x === 0)).toBe(sparse ? 0 : true);
      emb.forward({ data: new Int32Array(0), shape: [0] });
      emb.backward(Tensor.zeros([0, 64]));
      emb.forward([[3, 0, 3]]);
      emb.backward(Tensor.ones([1, 3, 64]));
      const dense = sparse ? (emb.weight.grad as RowSparseGrad).toDense() : (emb.weight.grad as Tensor);
      for (let r = 0; r < 6; r++) {
        const expected = r === 3 ? 2 : r === 0 ? 1 : 0;
        expect(Array.from(dense.row(r)).every((x) => x === expected), `row ${r}`).toBe(true);
      }
    });
  }
});
