// Central-difference gradient checks: the loss is computed in float64 from the float32 forward, and
// each weight is stepped by h = 2^-9, which float32 represents exactly.
import { describe, expect, it } from "vitest";
import { Embedding, type EmbeddingOptions, MatMul, Random, RowSparseGrad, Tensor } from "../src/index.js";
import { numericGrad } from "./helpers.js";


/** L = Σ out ⊙ R for a fixed random R, so dL/dout = R. */
function lossOf(out: Tensor, R: Float64Array): number {
  let s = 0;
  for (let i = 0; i < out.size; i++) s += out.data[i] * R[i];
  return s;
}

function randomArray(n: number, rng: Random): Float64Array {
  return Float64Array.from({ length: n }, () => rng.normal());
}


const idx = [[1, 4, 4, 0], [7, 4, 2, 1]];
const cases: [string, EmbeddingOptions][] = [
  ["plain", {}],
  ["paddingIdx", { paddingIdx: 4 }],
  ["negative paddingIdx", { paddingIdx: -6 }],
  ["scaleGradByFreq", { scaleGradByFreq: true }],
  ["sparse", { sparse: true }],
  ["sparse + scaleGradByFreq + paddingIdx", { sparse: true, scaleGradByFreq: true, paddingIdx: 1 }],
  ["maxNorm far above every row", { maxNorm: 100 }],
  ["maxNorm (L1)", { maxNorm: 100, normType: 1 }],
  ["maxNorm (inf)", { maxNorm: 100, normType: Infinity }],
];

describe("Embedding gradient check", () => {
  for (const [name, options] of cases) {
    it(name, () => {
      const rng = new Random(11);
      const emb = new Embedding(10, 3, { ...options, seed: 5 });
      const out = emb.forward(idx);
      const R = randomArray(out.size, rng);
      emb.backward(new Tensor(Float32Array.from(R), out.shape));
      const g = emb.weight.grad instanceof RowSparseGrad ? emb.weight.grad.toDense() : (emb.weight.grad as Tensor);
      const counts = new Map<number, number>();
      idx.flat().forEach((r) => counts.set(r, (counts.get(r) ?? 0) + 1));
      const W = emb.weight.data;
      for (let k = 0; k < W.length; k++) {
        const row = Math.floor(k / 3);
        let expected = numericGrad(W, k, () => lossOf(emb.forward(idx), R));
        if (row === emb.paddingIdx) expected = 0; // the padding row never receives gradient
        if (options.scaleGradByFreq && counts.has(row)) expected /= counts.get(row)!;
        expect(g.data[k]).toBeCloseTo(expected, 3);
      }
    });
  }

  it("maxNorm: renormalised rows get the plain scatter-add gradient (the renorm is not differentiated, as in PyTorch)", () => {
    const emb = new Embedding(10, 3, { maxNorm: 0.5, seed: 5 });
    const out = emb.forward(idx);
    emb.backward(Tensor.ones(out.shape));
    const g = emb.weight.grad as Tensor;
    const counts = new Array(10).fill(0);
    idx.flat().forEach((r) => counts[r]++);
    for (let r = 0; r < 10; r++) for (let j = 0; j < 3; j++) expect(g.data[r * 3 + j]).toBe(counts[r]);
  });
});

describe("MatMul gradient check", () => {
  it("dx and dW match central differences", () => {
    const rng = new Random(3);
    const W = Tensor.randn([4, 3], { seed: 1 });
    const x = Tensor.randn([5, 4], { seed: 2 });
    const mm = new MatMul(W);
    const out = mm.forward(x);
    const R = randomArray(out.size, rng);
    const dx = mm.backward(new Tensor(Float32Array.from(R), out.shape));
    const dW = mm.W.grad as Tensor;
    const loss = () => lossOf(new MatMul(W).forward(x), R);
    for (let k = 0; k < W.size; k++) expect(dW.data[k]).toBeCloseTo(numericGrad(W.data, k, loss), 3);
    for (let k = 0; k < x.size; k++) expect(dx.data[k]).toBeCloseTo(numericGrad(x.data, k, loss), 3);
  });
});
