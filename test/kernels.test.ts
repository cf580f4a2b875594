// The row kernels against naive references, on random data with repeated indices and padding.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { expectClose, loadFixtures, num } from "./helpers.js";
// @ts-expect-error: a plain .mjs helper without type declarations
import { ensureBun, tryTool } from "../scripts/tools.mjs";
import { Adagrad, Adam, Embedding, Random, RowSparseGrad, SGD, SparseAdam, Tensor } from "../src/index.js";
import {
  FLOAT64_COPY_EXACT,
  RowCopy,
  axpySameRows,
  chooseRowCopy,
  scatterAxpyRows,
  axpyRows,
  distinctRows,
  gatherRows,
  gatherRowsBySet,
  gatherRowsUnrolled,
  newSlotMap,
  scatterAddRows,
  scatterAddRowsScaled,
  uniqueRows,
} from "../src/kernels/rows.js";

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

describe("row copies chosen per layer", () => {
  const rng = new Random(13);

  it("V8 copies float32 pairs through Float64Array views bit for bit, so the probe allows them", () => {
    expect(FLOAT64_COPY_EXACT).toBe(true);
  });

  it("chooses float64 for even, aligned, narrow rows; set for wide rows; a loop otherwise", () => {
    const buf = new Float32Array(1024 * 3);
    expect(chooseRowCopy(buf, 64)).toBe("float64");
    expect(chooseRowCopy(buf, 100)).toBe("float64");
    expect(chooseRowCopy(buf, 768)).toBe("set");
    expect(chooseRowCopy(buf, 65)).toBe("set");
    expect(chooseRowCopy(buf, 63)).toBe("unrolled");
    expect(chooseRowCopy(buf.subarray(1), 64)).toBe("set"); // not 8-byte aligned
    expect(chooseRowCopy(buf.subarray(1), 16)).toBe("unrolled");
  });

  // Every bit pattern, NaN payloads included, must come through the copy unchanged.
  const patterns = [0x7ff00001, 0xfff12345, 0x7fc00001, 0xff800000, 0x00000001, 0x80000000];
  for (const H of [2, 6, 16, 17, 64, 100, 130, 256, 768]) {
    for (const offset of [0, 1, 2]) {
      it(`RowCopy.gather and .scatter are exact at H = ${H}, buffers offset by ${offset} floats`, () => {
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
        const copy = new RowCopy(W, H);
        copy.gather(idx, out);
        const expected = naiveGather(W, idx, H);
        expect(new Uint32Array(out.buffer, out.byteOffset, out.length)).toEqual(new Uint32Array(expected.buffer));
        // scatter into zero rows: the sum of each row's positions, rows recorded once in order of first use
        const src = floats(rng, N * H);
        const dst = new Float32Array(V * H + offset).subarray(offset);
        const seen = newSlotMap(V);
        const found = new Int32Array(N);
        const k = copy.scatter(dst, idx, idx[1], src, seen, found);
        expect(Array.from(found.subarray(0, k))).toEqual([...new Set(idx)].filter((r) => r !== idx[1]));
        expectNear(dst, naiveScatter(V, idx, idx[1], src, H, false), "scatter");
        expect(seen.every((x) => x === -1)).toBe(true);
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

describe("pending gradients: written out on first read, applied by position by plain SGD", () => {
  const rng = new Random(17);
  const optimizers = {
    sgd: (p: Embedding) => new SGD(p.params, { lr: 0.3 }),
    momentum: (p: Embedding) => new SGD(p.params, { lr: 0.3, momentum: 0.9, weightDecay: 0.01 }),
    adagrad: (p: Embedding) => new Adagrad(p.params, { lr: 0.3 }),
    adam: (p: Embedding) => new Adam(p.params, { lr: 0.3 }),
    sparseAdam: (p: Embedding) => new SparseAdam(p.params, { lr: 0.3 }),
  };
  for (const [name, make] of Object.entries(optimizers)) {
    for (const sparse of [false, true]) {
      if (name === "adam" && sparse) continue;
      if (name === "sparseAdam" && !sparse) continue;
      for (const H of [5, 64, 100]) {
        it(`${name}, sparse ${sparse}, H = ${H}: steps without reading the gradient equal steps that read it`, () => {
          const V = 23;
          const a = new Embedding(V, H, { seed: 4, sparse, paddingIdx: 3 });
          const b = new Embedding(V, H, { seed: 4, sparse, paddingIdx: 3 });
          const optA = make(a);
          const optB = make(b);
          const out = Tensor.zeros([4, 10, H]);
          for (let step = 0; step < 4; step++) {
            const idx = { data: indices(rng, 40, V), shape: [4, 10] };
            idx.data[step] = 3;
            const dout = new Tensor(floats(rng, 40 * H), [4, 10, H]);
            if (step !== 2) optA.zeroGrad(); // one step without zeroGrad: the next backward replaces the gradient
            a.forward(idx, out);
            a.backward(dout);
            optA.step();
            optB.zeroGrad();
            b.forward(idx);
            b.backward(dout);
            void b.weight.grad; // written out before the step
            optB.step();
            expectNear(a.weight.data, b.weight.data, `${name} step ${step}`);
          }
        });
      }
    }
  }

  it("a gradient not read survives the next forward (its indices are not overwritten)", () => {
    for (const sparse of [false, true]) {
      const emb = new Embedding(12, 6, { seed: 5, sparse });
      emb.forward([[1, 2, 2, 7]]);
      const dout = new Tensor(floats(rng, 24), [1, 4, 6]);
      emb.backward(dout);
      emb.forward([[0, 0, 0, 0]]); // same size: the layer must not reuse the pending gradient's index buffer
      emb.forward([[3, 3, 3, 3]]);
      const g = emb.weight.grad!;
      const dense = g instanceof RowSparseGrad ? g.toDense() : g;
      expectNear(dense.data, naiveScatter(12, new Int32Array([1, 2, 2, 7]), -1, dout.data, 6, false), `sparse ${sparse}`);
      if (g instanceof RowSparseGrad) expect(Array.from(g.rows)).toEqual([1, 2, 7]);
      else expect(Array.from(emb.weight.touchedRows!)).toEqual([1, 2, 7]);
    }
  });

  it("a forward that throws leaves the pending gradient and the saved indices intact", () => {
    for (const sparse of [false, true]) {
      const emb = new Embedding(12, 6, { seed: 5, sparse });
      emb.forward([[1, 2, 2, 7]]);
      emb.weight.zeroGrad();
      emb.forward([[4, 5, 5, 8]]); // the previous buffer becomes the spare
      const dout = new Tensor(floats(rng, 24), [1, 4, 6]);
      emb.backward(dout);
      expect(() => emb.forward([[4, 5, 5, 99]])).toThrow(RangeError); // written into the spare, then refused
      const expected = naiveScatter(12, new Int32Array([4, 5, 5, 8]), -1, dout.data, 6, false);
      const g = emb.weight.grad!;
      expectNear(g instanceof RowSparseGrad ? g.toDense().data : g.data, expected, `sparse ${sparse}: pending gradient`);
      emb.backward(dout); // still refers to the last good forward
      const g2 = emb.weight.grad!;
      expectNear(g2 instanceof RowSparseGrad ? g2.toDense().data : g2.data, expected, `sparse ${sparse}: saved indices`);
    }
  });
});

describe("the pending gradient against PyTorch", () => {
  // The PyTorch cases with plain SGD (no momentum, no weight decay) and no scaleGradByFreq: the step
  // applies the backward's positions without anything reading the gradient first.
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
        expect(emb.weight.pendingPositions, "pending until read").not.toBeNull();
        opt.step();
        expect(emb.weight.pendingPositions, "still pending after the step").not.toBeNull();
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
      import { FLOAT64_COPY_EXACT } from ${JSON.stringify(resolve(dist, "..", "kernels", "rows.js"))};
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
