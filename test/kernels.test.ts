// The row kernels against naive references, on random data with repeated indices and padding.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { expectClose, loadFixtures, num } from "./helpers.js";
// @ts-expect-error: a plain .mjs helper without type declarations
import { ensureBun, tryTool } from "../scripts/tools.mjs";
import { Adagrad, Adam, Embedding, Random, RowSparseGrad, SGD, SparseAdam, Tensor } from "../src/index.js";
import { FLOAT64_COPY_EXACT, copiesAsFloat64 } from "../src/kernels/float64-view.js";
import { gatherRows, gatherRowsBySet, gatherRowsUnrolled } from "../src/kernels/gather.js";
import { scatterAddAll, scatterAddRows, scatterAddRowsScaled } from "../src/kernels/scatter-add.js";
import { distinctRows, newSlotMap, uniqueRows } from "../src/kernels/group-rows.js";
import { axpy, axpySameRows, scatterAxpyRows } from "../src/kernels/axpy.js";
import { coalesceRows } from "../src/kernels/coalesce.js";

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

  it.each(WIDTHS)("scatterAddRows sums repeated rows, skips padding and lists the rows it marks, at H = %i", (H) => {
    const V = 11;
    const idx = indices(rng, 50, V);
    const dout = floats(rng, idx.length * H);
    for (const skip of [-1, idx[3]]) {
      const dW = new Float32Array(V * H);
      const marked = new Uint8Array(V);
      const added = new Int32Array(idx.length);
      const n = scatterAddRows(dW, idx, skip, dout, H, marked, added);
      expectNear(dW, naiveScatter(V, idx, skip, dout, H, false), `skip ${skip}`);
      const rows = [...new Set(idx)].filter((r) => r !== skip);
      expect(Array.from(added.subarray(0, n))).toEqual(rows);
      expect(Array.from(marked)).toEqual(Array.from({ length: V }, (_, r) => (rows.includes(r) ? 1 : 0)));
      // a second scatter adds to the marked rows (accumulation) and lists no row twice
      const again = scatterAddRows(dW, idx, skip, dout, H, marked, added);
      expect(again).toBe(0);
      const twice = naiveScatter(V, idx, skip, dout, H, false).map((x) => 2 * x);
      expectNear(dW, twice, `skip ${skip}, twice`);
      const all = new Float32Array(V * H);
      scatterAddAll(all, idx, skip, dout, H);
      expectNear(all, naiveScatter(V, idx, skip, dout, H, false), `scatterAddAll, skip ${skip}`);
    }
  });

  it.each(WIDTHS)("coalesceRows sums repeats in position order, rows ascending, at H = %i", (H) => {
    const V = 9;
    const idx = indices(rng, 30, V);
    const src = floats(rng, idx.length * H);
    const { rows, values } = coalesceRows(idx, src, H, newSlotMap(V), false);
    const distinct = [...new Set(idx)].sort((a, b) => a - b);
    expect(Array.from(rows)).toEqual(distinct);
    const dense = naiveScatter(V, idx, -1, src, H, false);
    const expected = new Float64Array(rows.length * H);
    rows.forEach((r, k) => expected.set(dense.subarray(r * H, r * H + H), k * H));
    expectNear(values, expected, "values");
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

  it.each(WIDTHS)("axpy adds alpha · x at the given offsets only, at H = %i", (H) => {
    const x = floats(rng, 3 * H);
    const y = floats(rng, 4 * H);
    const expected = Float32Array.from(y);
    for (let j = 0; j < H; j++) expected[2 * H + 1 + j] = expected[2 * H + 1 + j] - 0.5 * x[H + j];
    axpy(H, -0.5, x, H, y, 2 * H + 1 > y.length - H ? 0 : 2 * H + 1);
    if (2 * H + 1 <= y.length - H) expect(y).toEqual(expected);
  });
});

describe("row copies chosen per layer", () => {
  const rng = new Random(13);

  it("V8 copies float32 pairs through Float64Array views bit for bit, so the probe allows them", () => {
    expect(FLOAT64_COPY_EXACT).toBe(true);
  });

  it("copies through float64 views for even, aligned, narrow rows only", () => {
    const buf = new Float32Array(1024 * 3);
    expect(copiesAsFloat64(buf, buf, 64)).toBe(true);
    expect(copiesAsFloat64(buf, buf, 100)).toBe(true);
    expect(copiesAsFloat64(buf, buf, 768)).toBe(false);
    expect(copiesAsFloat64(buf, buf, 65)).toBe(false);
    expect(copiesAsFloat64(buf.subarray(1), buf, 64)).toBe(false); // not 8-byte aligned
    expect(copiesAsFloat64(buf, buf.subarray(1), 16)).toBe(false);
  });

  // Every bit pattern, NaN payloads included, must come through the copy unchanged.
  const patterns = [0x7ff00001, 0xfff12345, 0x7fc00001, 0xff800000, 0x00000001, 0x80000000];
  for (const H of [2, 6, 16, 17, 64, 100, 130, 256, 768]) {
    for (const offset of [0, 1, 2]) {
      it(`gatherRows and scatterAddRows are exact at H = ${H}, buffers offset by ${offset} floats`, () => {
        const V = 9;
        const N = 21;
        const Wbuf = new Float32Array(V * H + offset);
        const W = Wbuf.subarray(offset);
        W.set(floats(rng, V * H));
        const bits = new Uint32Array(W.buffer, W.byteOffset, W.length);
        for (let k = 0; k < bits.length; k += 3) bits[k] = patterns[k % patterns.length];
        const idx = indices(rng, N, V);
        const outBuf = new Float32Array(N * H + offset);
        const out = outBuf.subarray(offset).fill(-7);
        gatherRows(W, idx, out, H);
        const expected = naiveGather(W, idx, H);
        expect(new Uint32Array(out.buffer, out.byteOffset, out.length)).toEqual(new Uint32Array(expected.buffer));
        // scatter into zero rows: the sum of each row's positions, rows recorded once in order of first use
        const src = floats(rng, N * H);
        const dst = new Float32Array(V * H + offset).subarray(offset);
        const marked = new Uint8Array(V);
        const found = new Int32Array(N);
        const k = scatterAddRows(dst, idx, idx[1], src, H, marked, found);
        expect(Array.from(found.subarray(0, k))).toEqual([...new Set(idx)].filter((r) => r !== idx[1]));
        expectNear(dst, naiveScatter(V, idx, idx[1], src, H, false), "scatter");
      });
    }
  }

  it.each(WIDTHS)("scatterAxpyRows applies each position in order, skipping padding, at H = %i", (H) => {
    const V = 8;
    const idx = indices(rng, 25, V);
    const G = floats(rng, idx.length * H);
    const P = floats(rng, V * H);
    const expected = Float64Array.from(P);
    idx.forEach((r, i) => {
      if (r === idx[2]) return;
      for (let j = 0; j < H; j++) expected[r * H + j] -= 0.5 * G[i * H + j];
    });
    scatterAxpyRows(P, idx, idx[2], G, H, -0.5);
    expectNear(P, expected, "P");
  });

  it.each(WIDTHS)("axpySameRows updates a dense gradient's rows only, at H = %i", (H) => {
    const V = 10;
    const P = floats(rng, V * H);
    const G = floats(rng, V * H);
    const rows = new Int32Array([7, 2, 9]);
    const expected = Float32Array.from(P);
    for (const r of rows) for (let j = 0; j < H; j++) expected[r * H + j] = expected[r * H + j] - 0.5 * G[r * H + j];
    axpySameRows(P, rows, G, H, -0.5);
    expect(P).toEqual(expected);
  });
});

describe("plain SGD against PyTorch, the gradient never read", () => {
  // The PyTorch cases with plain SGD (no momentum, no weight decay) and no scaleGradByFreq: a sparse
  // gradient is applied position by position, as PyTorch's uncoalesced one.
  const fixtures = loadFixtures();
  const plain = fixtures.cases.filter(
    (c: any) => c.optimizer?.type === "sgd" && !c.optimizer.momentum && !c.optimizer.weightDecay && !c.options.scaleGradByFreq && !c.from_pretrained,
  );
  it("has such cases, dense and sparse", () => {
    expect(plain.some((c: any) => c.options.sparse)).toBe(true);
    expect(plain.some((c: any) => !c.options.sparse)).toBe(true);
  });
  for (const c of plain) {
    it(`${c.name}: weights after each step, the gradient never read`, () => {
      const V = c.num_embeddings;
      const H = c.embedding_dim;
      const o: any = { ...c.options };
      if (o.normType !== undefined) o.normType = num(o.normType);
      const emb = new Embedding(V, H, { ...o, weight: new Tensor(new Float32Array(c.weight.map(num)), [V, H]) });
      const opt = new SGD(emb.params, { lr: c.optimizer.lr });
      c.steps.forEach((s: any, k: number) => {
        opt.zeroGrad();
        emb.forward(s.indices);
        emb.backward(new Tensor(new Float32Array(s.dout.map(num)), s.output_shape));
        opt.step();
        expect(emb.weight.grad, "the step clears the gradient").toBeNull();
        expectClose(emb.weight.data, s.weight_after_step, `${c.name} step ${k}: weight after step`);
      });
    });
  }
});

describe("engines that canonicalise NaN doubles", () => {
  const dist = resolve(import.meta.dirname, "..", "dist", "index.js");
  it.skipIf(!existsSync(dist))("under Bun (JavaScriptCore) the probe refuses Float64Array copies and the lookup stays bit-exact", (ctx) => {
    // Bun is installed into .tools/ on first use (scripts/tools.mjs), or the test says why it cannot run.
    const found = tryTool(ensureBun) as { path?: string; reason?: string };
    if (found.path === undefined) return ctx.skip(`Bun is not available here: ${found.reason}`);
    const bun = found.path;
    const script = `
      import { Embedding, Tensor } from ${JSON.stringify(dist)};
      import { FLOAT64_COPY_EXACT } from ${JSON.stringify(resolve(dist, "..", "kernels", "float64-view.js"))};
      const H = 64, V = 50, W = new Float32Array(V * H), bits = new Uint32Array(W.buffer);
      for (let k = 0; k < bits.length; k++) bits[k] = k % 2 ? 0x7ff00001 + k : 0x3f800000 + k;
      const out = new Embedding(V, H, { weight: new Tensor(W, [V, H]) }).forward([3, 7, 49]);
      const ob = new Uint32Array(out.data.buffer);
      let changed = 0;
      [3, 7, 49].forEach((r, i) => { for (let j = 0; j < H; j++) if (ob[i * H + j] !== bits[r * H + j]) changed++; });
      console.log(JSON.stringify({ exact: FLOAT64_COPY_EXACT, changed }));`;
    const got = JSON.parse(execFileSync(bun, ["-e", script], { encoding: "utf8" }).trim());
    expect(got).toEqual({ exact: false, changed: 0 });
  });
});
