// Gradient checks (central differences, loss in float64, steps of 2^-9 that float32 represents
// exactly) and behaviour of the layers the CBOW model is built from.
import { describe, expect, it } from "vitest";
import { Tensor } from "../src/index.js";
import { numericGrad } from "./helpers.js";
import { ContextMean } from "../src/layers/context-mean.js";
import { EmbeddingDot } from "../src/layers/embedding-dot.js";
import { SigmoidWithLoss } from "../src/layers/sigmoid-with-loss.js";
import { SoftmaxWithLoss } from "../src/layers/softmax-with-loss.js";
import { CBOW, NegativeSamplingLoss } from "../src/models/cbow.js";
import { UnigramSampler } from "../src/models/unigram-sampler.js";


function expectGrad(analytic: ArrayLike<number>, x: Float32Array, loss: () => number, what: string, tol = 2e-3): void {
  for (let k = 0; k < x.length; k++) {
    const n = numericGrad(x, k, loss);
    if (!(Math.abs(n - analytic[k]) <= tol * (1 + Math.abs(n)))) throw new Error(`${what}[${k}]: analytic ${analytic[k]}, numeric ${n}`);
  }
}

function randn(shape: number[], seed: number, std = 1): Tensor {
  return Tensor.randn(shape, { seed, std });
}

/** L = Σ out ⊙ R, so dL/dout = R. */
function dotLoss(out: Tensor, R: Tensor): number {
  let s = 0;
  for (let i = 0; i < out.size; i++) s += out.data[i] * R.data[i];
  return s;
}

describe("ContextMean", () => {
  const idx = { data: new Int32Array([1, 4, 4, 0, 2, -1, -1, 3, -1, -1, -1, -1]), shape: [3, 4] };

  it("forward is the mean of the non-empty slots (an empty bag is zero)", () => {
    const bag = new ContextMean(5, 2, { weight: Tensor.from([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]) });
    expect(bag.forward(idx).toArray()).toEqual([[(2 + 8 + 8 + 0) / 4, (3 + 9 + 9 + 1) / 4], [5, 6], [0, 0]]);
  });

  it("gradient check (mean), and the undivided gradient is n times it", () => {
    for (const undividedGrad of [false, true]) {
      const bag = new ContextMean(5, 3, { seed: 2, undividedGrad });
      const R = randn([3, 3], 7);
      const out = bag.forward(idx);
      bag.backward(R);
      const g = bag.weight.grad as Tensor;
      if (!undividedGrad) {
        expectGrad(g.data, bag.weight.data, () => dotLoss(bag.forward(idx), R), "dW");
        expect(Array.from(bag.weight.touchedRows!)).toEqual([0, 1, 2, 3, 4]);
      } else {
        // row 3 is alone in its bag (n = 1): same as the mean; row 2 shares bag 1 with row 3 (n = 2)
        expect(g.data[3 * 3]).toBeCloseTo(R.data[3], 6);
        expect(g.data[2 * 3 + 1]).toBeCloseTo(R.data[4], 6);
        expect(g.data[4 * 3]).toBeCloseTo(2 * R.data[0], 6);
      }
      expect(out.shape).toEqual([3, 3]);
    }
  });

  it("validates before changing anything", () => {
    const bag = new ContextMean(5, 2, { seed: 1 });
    expect(() => bag.backward(Tensor.zeros([1, 2]))).toThrow(/^ContextMean\.backward: called before forward/);
    expect(() => bag.forward([[0, 5]])).toThrow(/^ContextMean\.forward: index 5 at position \[0, 1\] is out of range \[-1, 4\]/);
    expect(() => bag.forward([[0, -2]])).toThrow(RangeError);
    expect(() => bag.forward([[0, 1.5]])).toThrow(/^ContextMean\.forward: index 1\.5 at position \[0, 1\] is not an integer$/);
    expect(() => bag.forward([[0, 1], [2]])).toThrow(/rows of equal length; row 1/);
    bag.forward([[0, 1]]);
    expect(() => bag.backward(Tensor.zeros([2, 2]))).toThrow(/^ContextMean\.backward: dout shape \[2, 2\] != output shape \[1, 2\]$/);
    expect(() => new ContextMean(0, 2)).toThrow(/^ContextMean: numEmbeddings must be >= 1, got 0$/);
  });
});

describe("EmbeddingDot", () => {
  it("gradient check for h and W", () => {
    const W = randn([6, 4], 3);
    const dot = new EmbeddingDot(W);
    const hT = randn([2, 4], 4);
    const idx = [[1, 5, 1], [0, 2, 3]];
    const R = randn([2, 3], 5);
    dot.forward(hT, idx);
    const dh = dot.backward(R);
    expectGrad(dh.data, hT.data, () => dotLoss(dot.forward(hT, idx), R), "dh");
    expectGrad((dot.grads[0] as Tensor).data, W.data, () => dotLoss(dot.forward(hT, idx), R), "dW");
  });

  it("validates", () => {
    const dot = new EmbeddingDot(Tensor.zeros([3, 2]));
    expect(() => dot.forward(Tensor.zeros([2, 3]), [[0], [1]])).toThrow(/^EmbeddingDot\.forward: h must have shape \[B, 2\], got \[2, 3\]$/);
    expect(() => dot.forward(Tensor.zeros([2, 2]), [0, 1])).toThrow(/^EmbeddingDot\.forward: idx must have shape \[2, K\], got \[2\]$/);
    expect(() => dot.forward(Tensor.zeros([1, 2]), [[3]])).toThrow(/^EmbeddingDot\.forward: index 3 at position \[0, 0\] is out of range \[0, 2\]$/);
  });
});

describe("SigmoidWithLoss and SoftmaxWithLoss", () => {
  it("SigmoidWithLoss: value, gradient check, stable at large logits", () => {
    const x = Tensor.from([[0.3, -2, 4], [10, -30, 0]]);
    const t = [[1, 0, 0], [1, 1, 0]];
    const layer = new SigmoidWithLoss();
    const loss = layer.forward(x, t);
    let expected = 0;
    const tf = t.flat();
    for (let i = 0; i < 6; i++) {
      const s = 1 / (1 + Math.exp(-x.data[i]));
      expected -= tf[i] ? Math.log(s) : Math.log(1 - s);
    }
    expect(loss).toBeCloseTo(expected / 6, 10);
    const dx = layer.backward();
    expectGrad(dx.data, x.data, () => new SigmoidWithLoss().forward(x, t), "dx");
    expect(new SigmoidWithLoss({ reduction: "sum" }).forward(Tensor.from([1000, -1000]), [1, 0])).toBe(0);
    expect(() => layer.forward(x, [1, 0])).toThrow(/^SigmoidWithLoss\.forward: t has 2 labels but x \[2, 3\] has 6 values$/);
    expect(() => layer.forward(Tensor.from([1]), [0.5])).toThrow(/label 0\.5 at 0 must be 0 or 1/);
  });

  it("SoftmaxWithLoss: value and gradient check", () => {
    const x = randn([3, 5], 9);
    const t = [4, 0, 2];
    const layer = new SoftmaxWithLoss();
    const loss = layer.forward(x, t);
    let expected = 0;
    for (let n = 0; n < 3; n++) {
      let z = 0;
      for (let c = 0; c < 5; c++) z += Math.exp(x.data[n * 5 + c]);
      expected -= x.data[n * 5 + t[n]] - Math.log(z);
    }
    expect(loss).toBeCloseTo(expected / 3, 10);
    expectGrad(layer.backward().data, x.data, () => new SoftmaxWithLoss().forward(x, t), "dx");
    expect(() => layer.forward(x, [0, 5, 1])).toThrow(/^SoftmaxWithLoss\.forward: index 5 at position \[1\] is out of range \[0, 4\]$/);
    expect(() => new SoftmaxWithLoss().backward()).toThrow(/called before forward/);
  });
});

describe("NegativeSamplingLoss and the layered CBOW", () => {
  it("gradient check of the whole model through h, W_in and W_out", () => {
    const counts = [5, 3, 2, 2, 1, 1];
    const model = new CBOW(6, 4, counts, { k: 2, seed: 3, undividedGrad: false });
    // Non-zero W_out so that every gradient is non-trivial.
    model.nsLoss.params[0].data.set(randn([6, 4], 8, 0.5).data);
    const contexts = { data: new Int32Array([0, 2, 3, -1, 5, 1, 4, 4]), shape: [2, 4] };
    const target = [1, 0];
    const negatives = [[2, 4], [3, 5]];
    model.forward(contexts, target, negatives);
    model.backward();
    const [dWin, dWout] = model.grads as Tensor[];
    const loss = () => model.forward(contexts, target, negatives);
    expectGrad(dWin.data, model.params[0].data, loss, "dW_in");
    expectGrad(dWout.data, model.params[1].data, loss, "dW_out");
  });

  it("draws negatives itself, never the target", () => {
    const ns = new NegativeSamplingLoss(Tensor.zeros([4, 2]), [4, 3, 2, 1], { k: 3, seed: 1 });
    expect(ns.forward(Tensor.from([[1, 1], [2, 2]]), [0, 3])).toBeCloseTo(4 * Math.LN2, 6);
    expect(ns.backward().shape).toEqual([2, 2]);
  });
});

describe("UnigramSampler", () => {
  it("draws ∝ count^0.75 (chi-square within bounds, fixed seed)", () => {
    const counts = [1000, 300, 100, 50, 10, 1, 0, 7];
    const s = new UnigramSampler(counts, { seed: 42 });
    const N = 200000;
    const seen = new Float64Array(counts.length);
    for (let i = 0; i < N; i++) seen[s.draw()]++;
    const p = counts.map((c) => c ** 0.75);
    const z = p.reduce((a, b) => a + b);
    let chi2 = 0;
    for (let i = 0; i < counts.length; i++) {
      const e = (N * p[i]) / z;
      if (e === 0) expect(seen[i]).toBe(0);
      else chi2 += (seen[i] - e) ** 2 / e;
    }
    // 6 degrees of freedom: P(chi2 > 22.46) = 0.001
    expect(chi2).toBeLessThan(22.46);
  });

  it("negatives never equal the target", () => {
    const s = new UnigramSampler([1000, 1, 1], { seed: 3 });
    const target = new Int32Array(500).fill(0);
    const neg = s.negatives(target, 5);
    expect(neg.shape).toEqual([500, 5]);
    expect(neg.data.every((w) => w !== 0)).toBe(true);
    const t2 = Int32Array.from({ length: 300 }, (_, i) => i % 3);
    const n2 = s.negatives(t2, 4);
    for (let b = 0; b < 300; b++) for (let j = 0; j < 4; j++) expect(n2.data[b * 4 + j]).not.toBe(t2[b]);
  });

  it("is seeded, and validates", () => {
    const a = new UnigramSampler([3, 2, 1], { seed: 5 });
    const b = new UnigramSampler([3, 2, 1], { seed: 5 });
    const da = Array.from({ length: 50 }, () => a.draw());
    expect(Array.from({ length: 50 }, () => b.draw())).toEqual(da);
    expect(() => new UnigramSampler([0, 0])).toThrow(/^UnigramSampler: counts must have at least one positive value$/);
    expect(() => new UnigramSampler([1, -1])).toThrow(/^UnigramSampler: counts\[1\] must be in \[0, /);
    expect(() => new UnigramSampler([1, 0]).negatives([0], 1)).toThrow(/needs at least two words with positive count/);
    expect(() => a.negatives([3], 1)).toThrow(/^UnigramSampler\.negatives: target\[0\] must be in \[0, 2\], got 3$/);
  });
});

