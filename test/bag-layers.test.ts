// EmbeddingBag, Linear and ReLU by central differences (loss in float64, step h = 2^-9) and by
// properties: a bag equals Embedding followed by the reduction; 2-D input equals 1-D with offsets.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Embedding, EmbeddingBag, type EmbeddingBagOptions, Linear, Random, ReLU, RowSparseGrad, SGD, Tensor } from "../src/index.js";
import { numericGrad } from "./helpers.js";

/** L = Σ out ⊙ R for a fixed random R, so dL/dout = R. */
function lossOf(out: Tensor, R: Float64Array): number {
  let s = 0;
  for (let i = 0; i < out.size; i++) s += out.data[i] * R[i];
  return s;
}

const randomArray = (n: number, rng: Random) => Float64Array.from({ length: n }, () => rng.normal());
const dense = (g: unknown): Float32Array => (g instanceof RowSparseGrad ? g.toDense().data : (g as Tensor).data);

describe("EmbeddingBag gradient check", () => {
  const input = [1, 4, 4, 0, 7, 2, 1, 1, 5];
  const offsets = [0, 3, 3, 6];
  const cases: [string, EmbeddingBagOptions, boolean][] = [
    ["sum", { mode: "sum" }, false],
    ["mean", { mode: "mean" }, false],
    ["max", { mode: "max" }, false],
    ["sum, per-sample weights", { mode: "sum" }, true],
    ["mean, paddingIdx", { mode: "mean", paddingIdx: 4 }, false],
    ["max, paddingIdx, sparse", { mode: "max", paddingIdx: 1, sparse: true }, false],
    ["sum, per-sample weights, sparse, paddingIdx", { mode: "sum", sparse: true, paddingIdx: 7 }, true],
  ];
  for (const [name, options, weighted] of cases) {
    it(name, () => {
      const rng = new Random(3);
      const bag = new EmbeddingBag(10, 3, { ...options, seed: 5 });
      const psw = weighted ? new Tensor(Float32Array.from(randomArray(input.length, rng)), [input.length]) : null;
      const out = bag.forward(input, offsets, psw);
      const R = randomArray(out.size, rng);
      const dpsw = bag.backward(new Tensor(Float32Array.from(R), out.shape));
      const g = dense(bag.weight.grad);
      const loss = () => lossOf(bag.forward(input, offsets, psw), R);
      for (let k = 0; k < bag.weight.size; k++) {
        expect(g[k]).toBeCloseTo(numericGrad(bag.weight.data, k, loss), 3);
      }
      if (psw !== null) {
        for (let k = 0; k < psw.size; k++) expect((dpsw as Tensor).data[k]).toBeCloseTo(numericGrad(psw.data, k, loss), 3);
      }
    });
  }
});

describe("Linear and ReLU gradient check", () => {
  it("Linear: dx, dW, db; ReLU: dx", () => {
    const rng = new Random(9);
    const lin = new Linear(4, 3, { seed: 2 });
    const relu = new ReLU();
    const x = new Tensor(Float32Array.from(randomArray(2 * 5 * 4, rng)), [2, 5, 4]);
    const out = relu.forward(lin.forward(x));
    const R = randomArray(out.size, rng);
    const dx = lin.backward(relu.backward(new Tensor(Float32Array.from(R), out.shape)));
    const loss = () => lossOf(relu.forward(lin.forward(x)), R);
    const dW = (lin.weight.grad as Tensor).data;
    const db = (lin.bias!.grad as Tensor).data;
    for (let k = 0; k < lin.weight.size; k++) expect(dW[k]).toBeCloseTo(numericGrad(lin.weight.data, k, loss), 3);
    for (let k = 0; k < 3; k++) expect(db[k]).toBeCloseTo(numericGrad(lin.bias!.data, k, loss), 3);
    for (let k = 0; k < x.size; k++) expect(dx.data[k]).toBeCloseTo(numericGrad(x.data, k, loss), 3);
  });
  it("a second backward adds to the gradient (until zeroGrad or a step clears it); bias-free layers have one parameter", () => {
    const lin = new Linear(2, 2, { bias: false, seed: 1 });
    expect(lin.params.length).toBe(1);
    lin.forward(Tensor.ones([1, 2]));
    lin.backward(Tensor.ones([1, 2]));
    lin.backward(Tensor.ones([1, 2]));
    expect(Array.from((lin.weight.grad as Tensor).data)).toEqual([2, 2, 2, 2]);
    lin.weight.zeroGrad();
    lin.backward(Tensor.ones([1, 2]));
    expect(Array.from((lin.weight.grad as Tensor).data)).toEqual([1, 1, 1, 1]);
    expect(String(lin)).toBe("Linear(in_features=2, out_features=2, bias=False)");
  });
});

describe("EmbeddingBag properties", () => {
  const bagArb = fc
    .record({ V: fc.integer({ min: 1, max: 9 }), H: fc.integer({ min: 1, max: 5 }), lengths: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 5 }) })
    .chain(({ V, H, lengths }) => {
      const L = lengths.reduce((a, b) => a + b, 0);
      return fc.record({
        V: fc.constant(V),
        H: fc.constant(H),
        lengths: fc.constant(lengths),
        input: fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: L, maxLength: L }),
        mode: fc.constantFrom("sum" as const, "mean" as const, "max" as const),
        pad: fc.option(fc.integer({ min: 0, max: V - 1 })),
        sparse: fc.boolean(),
        scale: fc.boolean(),
      });
    });

  it("equals Embedding over the flat input followed by each bag's reduction, gradients included", () => {
    fc.assert(
      fc.property(bagArb, ({ V, H, lengths, input, mode, pad, sparse, scale }) => {
        const weight = Tensor.randn([V, H], { seed: V * 31 + H });
        const bag = new EmbeddingBag(V, H, { mode, paddingIdx: pad, sparse, scaleGradByFreq: scale, weight: weight.clone() });
        const emb = new Embedding(V, H, { paddingIdx: pad, scaleGradByFreq: scale, weight: weight.clone() });
        const offsets: number[] = [];
        let at = 0;
        for (const n of lengths) {
          offsets.push(at);
          at += n;
        }
        const B = lengths.length;
        const out = bag.forward(input, offsets);
        const rows = emb.forward(input);
        const dout = Tensor.randn([B, H], { seed: 7 });
        const drows = Tensor.zeros(rows.shape);
        for (let b = 0; b < B; b++) {
          const members = [];
          for (let i = offsets[b]; i < offsets[b] + lengths[b]; i++) if (input[i] !== pad) members.push(i);
          for (let k = 0; k < H; k++) {
            let expected = 0;
            if (members.length > 0) {
              if (mode === "max") {
                let win = members[0];
                for (const i of members) if (rows.data[i * H + k] > rows.data[win * H + k]) win = i;
                expected = rows.data[win * H + k];
                drows.data[win * H + k] += dout.data[b * H + k];
              } else {
                const f = mode === "mean" ? 1 / members.length : 1;
                for (const i of members) {
                  expected += rows.data[i * H + k];
                  drows.data[i * H + k] += f * dout.data[b * H + k];
                }
                expected = Math.fround(expected * f);
              }
            }
            expect(out.data[b * H + k]).toBeCloseTo(expected, 4);
          }
        }
        if (input.length === 0) return;
        bag.backward(dout);
        emb.backward(drows);
        const got = dense(bag.weight.grad);
        const want = dense(emb.weight.grad);
        for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i], 4);
        if (sparse) expect((bag.weight.grad as RowSparseGrad).rows).toEqual(Int32Array.from(new Set(input.filter((r) => r !== pad))).sort());
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it("2-D input equals 1-D input with offsets, with and without the last offset", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom("sum" as const, "mean" as const, "max" as const), (B, N, mode) => {
        const idx = Array.from({ length: B }, (_, b) => Array.from({ length: N }, (_, j) => (b * 7 + j * 3) % 6));
        const flat = idx.flat();
        const a = new EmbeddingBag(6, 3, { mode, seed: 1 });
        const c = new EmbeddingBag(6, 3, { mode, includeLastOffset: true, seed: 1 });
        const offs = Array.from({ length: B }, (_, b) => b * N);
        const two = a.forward({ data: Int32Array.from(flat), shape: [B, N] }); // nested [] would read as 1-D
        expect(two.shape).toEqual([B, 3]);
        expect(a.forward(flat, offs).toArray()).toEqual(two.toArray());
        expect(c.forward(flat, [...offs, B * N]).toArray()).toEqual(two.toArray());
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it("backward touches only the rows used: SGD moves nothing else", () => {
    const bag = new EmbeddingBag(1000, 4, { mode: "sum", seed: 2 });
    const before = Float32Array.from(bag.weight.data);
    bag.forward([3, 998, 3, 17], [0, 2]);
    bag.backward(Tensor.ones([2, 4]));
    expect(Array.from(bag.weight.touchedRows as Int32Array).sort((x, y) => x - y)).toEqual([3, 17, 998]);
    new SGD(bag.params, { lr: 0.1 }).step();
    let moved = 0;
    for (let r = 0; r < 1000; r++) if (bag.weight.data[r * 4] !== before[r * 4]) moved++;
    expect(moved).toBe(3);
  });

  it("reads like PyTorch's repr, and empty input gives [B, H] zeros", () => {
    expect(String(new EmbeddingBag(10, 3, { mode: "sum", paddingIdx: 2, maxNorm: 1, sparse: true }))).toBe(
      "EmbeddingBag(10, 3, max_norm=1, mode=sum, sparse=True, padding_idx=2)",
    );
    const bag = new EmbeddingBag(4, 2, { seed: 0 });
    expect(bag.forward([], [0, 0]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(bag.forward({ data: new Int32Array(0), shape: [3, 0] }).toArray()).toEqual([[0, 0], [0, 0], [0, 0]]);
    bag.backward(Tensor.ones([3, 2]));
    expect(bag.weight.touchedRows).toEqual(new Int32Array(0));
  });
});

describe("Linear's blocked products equal the plain loops", () => {
  it("for every shape, tails included", async () => {
    const { gemmNN, gemmNT, gemmTN } = await import("../src/tensor/ops.js");
    const { gemmNN2x4 } = await import("../src/kernels/gemm-nn.js");
    const { gemmNT4x4 } = await import("../src/kernels/gemm-nt.js");
    const { gemmTN2x4 } = await import("../src/kernels/gemm-tn.js");
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), (n, d, h) => {
        const a = Tensor.randn([n, d], { seed: n }).data, b = Tensor.randn([d, h], { seed: d }).data;
        const g = Tensor.randn([n, h], { seed: h }).data, bt = Tensor.randn([d, h], { seed: 99 }).data;
        const pairs: [Float32Array, Float32Array][] = [];
        const c1 = new Float32Array(n * h), c2 = new Float32Array(n * h).fill(7);
        gemmNN(a, b, c1, n, d, h); gemmNN2x4(a, b, c2, n, d, h); pairs.push([c1, c2]);
        const e1 = new Float32Array(d * h), e2 = new Float32Array(d * h).fill(7);
        gemmTN(a, g, e1, n, d, h); gemmTN2x4(a, g, e2, n, d, h); pairs.push([e1, e2]);
        const f1 = new Float32Array(n * d), f2 = new Float32Array(n * d).fill(7);
        gemmNT(g, bt, f1, n, d, h); gemmNT4x4(g, bt, f2, n, d, h); pairs.push([f1, f2]);
        for (const [x, y] of pairs) for (let i = 0; i < x.length; i++) expect(y[i]).toBeCloseTo(x[i], 4);
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});
