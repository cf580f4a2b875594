// Properties over random shapes and indices: lookup == one-hot @ W, gradient == one-hotᵀ @ dout,
// and the row-skipping optimizers == a naive full-table implementation of PyTorch's formulas.
import { describe, expect, it } from "vitest";
import { Adagrad, Adam, Embedding, matmul, MatMul, oneHot, type Optimizer, Random, RowSparseGrad, SGD, SparseAdam, Tensor } from "../src/index.js";

function randomIndexShape(rng: Random): number[] {
  const ndim = rng.int(4); // 0-d .. 3-d
  return Array.from({ length: ndim }, () => rng.int(4)); // sizes 0..3, empty included
}

function randomIndices(shape: number[], V: number, rng: Random): { data: Int32Array; shape: number[] } {
  const n = shape.reduce((a, b) => a * b, 1);
  // few distinct values, so repeats are common
  const pool = Array.from({ length: 1 + rng.int(4) }, () => rng.int(V));
  return { data: Int32Array.from({ length: n }, () => pool[rng.int(pool.length)]), shape };
}

describe("lookup is one-hot matmul", () => {
  it("for 200 random shapes, indices and option mixes: forward and weight gradient", () => {
    const rng = new Random(2024);
    for (let trial = 0; trial < 200; trial++) {
      const V = 1 + rng.int(12);
      const H = 1 + rng.int(6);
      const sparse = rng.int(2) === 1;
      const emb = new Embedding(V, H, { seed: trial, sparse });
      const idx = randomIndices(randomIndexShape(rng), V, rng);
      const out = emb.forward(idx);
      expect(out.shape).toEqual([...idx.shape, H]);
      const X = oneHot(idx, V).reshape([-1, V]);
      const mm = new MatMul(emb.weight.clone());
      const expected = mm.forward(X);
      expect(Array.from(out.data)).toEqual(Array.from(expected.data));
      const dout = Tensor.randn(out.shape, { seed: trial + 1 });
      emb.backward(dout);
      mm.backward(dout.reshape([-1, H]));
      const dense = emb.weight.grad instanceof RowSparseGrad ? emb.weight.grad.toDense() : (emb.weight.grad as Tensor);
      const reference = matmul(new Tensor(transpose(X.data, X.shape[0], V), [V, X.shape[0]]), dout.reshape([-1, H]));
      expectAllClose(dense.data, reference.data);
      expectAllClose((mm.W.grad as Tensor).data, reference.data);
    }
  });

  it("dense gradients are zeroed only where needed, yet equal a fresh gradient (or the sum since the last clear) every step", () => {
    const rng = new Random(9);
    const emb = new Embedding(50, 4, { seed: 1 });
    let sum = new Float32Array(50 * 4);
    for (let step = 0; step < 30; step++) {
      const idx = randomIndices([1 + rng.int(6)], 50, rng);
      const out = emb.forward(idx);
      const dout = Tensor.randn(out.shape, { seed: step });
      emb.backward(dout);
      const fresh = new Embedding(50, 4, { weight: emb.weight.clone() });
      fresh.forward(idx);
      fresh.backward(dout);
      sum = sum.map((x, k) => x + (fresh.weight.grad as Tensor).data[k]);
      expect(Array.from((emb.weight.grad as Tensor).data)).toEqual(Array.from(sum));
      if (step % 3 !== 1) {
        emb.weight.zeroGrad(); // two of three steps clear; the third's gradient carries into the next
        sum.fill(0);
      }
    }
  });
});

function transpose(a: Float32Array, n: number, m: number): Float32Array {
  const t = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j];
  return t;
}

function expectAllClose(a: Float32Array, b: Float32Array, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (Math.abs(a[i] - b[i]) > tol * (1 + Math.abs(b[i]))) throw new Error(`[${i}]: ${a[i]} != ${b[i]}`);
  }
}

// Naive full-table versions of PyTorch's update rules: every element, every step, float32 state.
type Naive = (p: Float32Array, g: Float32Array) => void;
function naiveSGD(lr: number, momentum: number, dampening: number, nesterov: boolean, wd: number): Naive {
  let buf: Float32Array | null = null;
  return (p, g) => {
    const d = g.map((x, i) => x + wd * p[i]);
    if (momentum !== 0) {
      if (buf === null) buf = Float32Array.from(d);
      else for (let i = 0; i < d.length; i++) buf[i] = momentum * buf[i] + (1 - dampening) * d[i];
      for (let i = 0; i < d.length; i++) d[i] = nesterov ? d[i] + momentum * buf[i] : buf[i];
    }
    for (let i = 0; i < p.length; i++) p[i] -= lr * d[i];
  };
}
function naiveAdagrad(lr: number, lrDecay: number, wd: number, init: number, eps: number): Naive {
  let sum: Float32Array | null = null;
  let t = 0;
  return (p, g) => {
    sum ??= new Float32Array(p.length).fill(init);
    t++;
    const clr = lr / (1 + (t - 1) * lrDecay);
    for (let i = 0; i < p.length; i++) {
      const d = g[i] + wd * p[i];
      sum[i] += d * d;
      p[i] -= (clr * d) / (Math.sqrt(sum[i]) + eps);
    }
  };
}
function naiveAdam(lr: number, b1: number, b2: number, eps: number, wd: number): Naive {
  let m: Float32Array | null = null;
  let v: Float32Array | null = null;
  let t = 0;
  return (p, g) => {
    m ??= new Float32Array(p.length);
    v ??= new Float32Array(p.length);
    t++;
    for (let i = 0; i < p.length; i++) {
      const d = g[i] + wd * p[i];
      m[i] += (1 - b1) * (d - m[i]);
      v[i] = b2 * v[i] + (1 - b2) * d * d;
      p[i] -= (lr / (1 - b1 ** t)) * (m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps));
    }
  };
}

describe("row-skipping optimizers equal the naive full-table formulas", () => {
  const configs: [string, (ps: Embedding) => Optimizer, () => Naive][] = [
    ["SGD", (e) => new SGD(e.params, { lr: 0.1 }), () => naiveSGD(0.1, 0, 0, false, 0)],
    ["SGD momentum", (e) => new SGD(e.params, { lr: 0.05, momentum: 0.9 }), () => naiveSGD(0.05, 0.9, 0, false, 0)],
    ["SGD momentum dampening", (e) => new SGD(e.params, { lr: 0.05, momentum: 0.8, dampening: 0.3 }), () => naiveSGD(0.05, 0.8, 0.3, false, 0)],
    ["SGD nesterov + weight decay", (e) => new SGD(e.params, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }), () => naiveSGD(0.05, 0.9, 0, true, 0.01)],
    ["SGD weight decay only", (e) => new SGD(e.params, { lr: 0.05, weightDecay: 0.1 }), () => naiveSGD(0.05, 0, 0, false, 0.1)],
    ["Adagrad", (e) => new Adagrad(e.params, { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 }), () => naiveAdagrad(0.1, 0.01, 0, 0.1, 1e-10)],
    ["Adagrad weight decay", (e) => new Adagrad(e.params, { lr: 0.1, weightDecay: 0.05 }), () => naiveAdagrad(0.1, 0, 0.05, 0, 1e-10)],
    ["Adam", (e) => new Adam(e.params, { lr: 0.01 }), () => naiveAdam(0.01, 0.9, 0.999, 1e-8, 0)],
    ["Adam weight decay", (e) => new Adam(e.params, { lr: 0.01, betas: [0.8, 0.99], weightDecay: 0.1 }), () => naiveAdam(0.01, 0.8, 0.99, 1e-8, 0.1)],
  ];
  for (const [name, make, makeNaive] of configs) {
    for (const sparse of [false, true]) {
      it(`${name} (${sparse ? "sparse" : "dense"} gradients), rows joining late and leaving`, () => {
        const rng = new Random(77);
        const emb = new Embedding(12, 3, { seed: 4, sparse });
        const ref = emb.weight.data.slice();
        const opt = make(emb);
        const naive = makeNaive();
        for (let step = 0; step < 8; step++) {
          const idx = randomIndices([1 + rng.int(5)], step < 3 ? 4 : 12, rng); // rows >= 4 join late
          const out = emb.forward(idx);
          const dout = Tensor.randn(out.shape, { seed: 100 + step });
          opt.zeroGrad();
          emb.backward(dout);
          // a copy: the step clears the gradient, whose dense buffer is kept for the next backward
          const g = emb.weight.grad instanceof RowSparseGrad ? emb.weight.grad.toDense() : (emb.weight.grad as Tensor).clone();
          opt.step();
          naive(ref, g.data);
          expectAllClose(emb.weight.data, ref, 2e-5);
        }
      });
    }
  }

  it("SparseAdam moves only the rows present in the gradient", () => {
    const emb = new Embedding(6, 2, { seed: 1, sparse: true });
    const opt = new SparseAdam(emb.params, { lr: 0.1 });
    emb.forward([0, 1]);
    emb.backward(Tensor.ones([2, 2]));
    opt.step();
    const after1 = emb.weight.data.slice();
    emb.forward([3]);
    emb.backward(Tensor.ones([1, 2]));
    opt.step();
    for (const r of [0, 1, 2, 4, 5]) expect(Array.from(emb.weight.row(r))).toEqual(Array.from(after1.subarray(r * 2, r * 2 + 2)));
  });
});
