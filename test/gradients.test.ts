// The gradient rule: backward computes its gradient before it returns; a parameter's gradient is the
// sum of every backward since it was last cleared (tied weights all count); step() applies and clears
// it, zeroGrad() clears it. Each guarantee is checked bit for bit.
import { describe, expect, it } from "vitest";
import { Adagrad, Adam, Embedding, EmbeddingBag, Linear, Parameter, Random, RowSparseGrad, SGD, SparseAdam, Tensor, type Optimizer } from "../src/index.js";

const rng = new Random(31);
const floats = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
const ints = (n: number, V: number) => Int32Array.from({ length: n }, () => rng.int(V));
const dense = (g: Tensor | RowSparseGrad | null) => (g === null ? null : g instanceof RowSparseGrad ? g.toDense() : g);

const OPTIMIZERS: Record<string, (p: Parameter[]) => Optimizer> = {
  sgd: (p) => new SGD(p, { lr: 0.3 }),
  momentum: (p) => new SGD(p, { lr: 0.3, momentum: 0.9 }),
  adagrad: (p) => new Adagrad(p, { lr: 0.3 }),
  adam: (p) => new Adam(p, { lr: 0.3 }),
  sparseAdam: (p) => new SparseAdam(p, { lr: 0.3 }),
};

/** Runs `steps` SGD-style steps of one Embedding; `between(emb, dout)` runs after each backward. */
function train(sparse: boolean, optName: string, between: (emb: Embedding, dout: Tensor) => void, steps = 30): Float32Array {
  const V = 40;
  const H = 6;
  const r = new Random(5);
  const emb = new Embedding(V, H, { seed: 2, sparse, paddingIdx: 1 });
  const opt = OPTIMIZERS[optName](emb.params);
  for (let s = 0; s < steps; s++) {
    const idx = Int32Array.from({ length: 24 }, () => r.int(12)); // repeats, and the padding row
    const dout = new Tensor(Float32Array.from({ length: 24 * H }, () => r.normal()), [24, H]);
    emb.forward(idx);
    emb.backward(dout);
    between(emb, dout);
    opt.step();
  }
  return emb.weight.data;
}

const cases: [string, boolean][] = [
  ["sgd", false], ["sgd", true], ["momentum", false], ["momentum", true], ["adagrad", false], ["adagrad", true], ["adam", false], ["sparseAdam", true],
];

describe("reading the gradient never changes a later result", () => {
  for (const [opt, sparse] of cases) {
    it(`${opt}, sparse ${sparse}: 30 steps are bit for bit the same whether grad is read or not`, () => {
      const quiet = train(sparse, opt, () => {});
      const read = train(sparse, opt, (emb) => {
        void emb.weight.grad;
        void emb.weight.touchedRows;
        void emb.grads;
        if (emb.weight.grad instanceof RowSparseGrad) emb.weight.grad.coalesce();
      });
      expect(new Uint32Array(read.buffer)).toEqual(new Uint32Array(quiet.buffer));
    });
  }
});

describe("changing dout after backward changes nothing", () => {
  for (const [opt, sparse] of cases) {
    it(`${opt}, sparse ${sparse}: 30 steps with dout overwritten after each backward`, () => {
      const kept = train(sparse, opt, () => {});
      const scribbled = train(sparse, opt, (_, dout) => dout.data.fill(1e6));
      expect(new Uint32Array(scribbled.buffer)).toEqual(new Uint32Array(kept.buffer));
    });
  }
});

describe("backward does the work: the gradient is there when it returns", () => {
  for (const sparse of [false, true]) {
    it(`sparse ${sparse}: grad is populated by backward itself, and reading it twice gives the same object`, () => {
      const emb = new Embedding(5, 2, { weight: Tensor.zeros([5, 2]), sparse });
      emb.forward([0, 2, 2]);
      const dout = Tensor.from([[1, 1], [2, 2], [3, 3]]);
      expect(emb.weight.grad).toBeNull();
      emb.backward(dout);
      dout.data.fill(0); // if backward had only recorded dout, the gradient would now be zero
      const g = emb.weight.grad;
      expect(g).not.toBeNull();
      expect(emb.weight.grad).toBe(g);
      expect(dense(g)!.toArray()).toEqual([[1, 1], [0, 0], [5, 5], [0, 0], [0, 0]]);
      if (sparse) {
        const s = g as RowSparseGrad;
        expect(s.coalesced).toBe(false);
        expect(Array.from(s.rows)).toEqual([0, 2, 2]); // PyTorch's uncoalesced form: one row per position
        expect(Array.from(s.coalesce().rows)).toEqual([0, 2]);
      } else {
        expect(Array.from(emb.weight.touchedRows!)).toEqual([0, 2]);
      }
    });
  }

  it("the grad accessor has no side effect (a plain getter over a stored value)", () => {
    const get = Object.getOwnPropertyDescriptor(Parameter.prototype, "grad")!.get!;
    expect(get.toString()).toMatch(/return this\.\w+;?\s*}$/);
  });
});

describe("accumulation: the gradient is the sum of every backward since it was cleared", () => {
  for (const sparse of [false, true]) {
    it(`sparse ${sparse}: two backwards add; step applies the sum and clears; zeroGrad clears`, () => {
      const emb = new Embedding(6, 3, { weight: Tensor.zeros([6, 3]), sparse });
      emb.forward([1, 4]);
      emb.backward(Tensor.ones([2, 3]));
      emb.forward([4, 5]);
      emb.backward(Tensor.ones([2, 3]).reshape([2, 3]));
      const g = emb.weight.grad!;
      expect(dense(g)!.toArray()).toEqual([[0, 0, 0], [1, 1, 1], [0, 0, 0], [0, 0, 0], [2, 2, 2], [1, 1, 1]]);
      if (g instanceof RowSparseGrad) expect(Array.from(g.rows)).toEqual([1, 4, 4, 5]); // concatenated, as PyTorch
      else expect(Array.from(emb.weight.touchedRows!).sort()).toEqual([1, 4, 5]);
      new SGD(emb.params, { lr: 1 }).step();
      expect(emb.weight.grad).toBeNull();
      expect(emb.weight.toArray()).toEqual([[0, 0, 0], [-1, -1, -1], [0, 0, 0], [0, 0, 0], [-2, -2, -2], [-1, -1, -1]]);
      emb.forward([0]);
      emb.backward(Tensor.ones([1, 3]));
      new SGD(emb.params, { lr: 1 }).zeroGrad();
      expect(emb.weight.grad).toBeNull();
      emb.forward([2]);
      emb.backward(Tensor.ones([1, 3]));
      expect(dense(emb.weight.grad)!.toArray()).toEqual([[0, 0, 0], [0, 0, 0], [1, 1, 1], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    });
  }

  it("the book's loop, which never calls zeroGrad, trains exactly as the loop that does", () => {
    for (const sparse of [false, true]) {
      const run = (zero: boolean) => {
        const emb = new Embedding(20, 4, { seed: 9, sparse });
        const opt = new SGD(emb.params, { lr: 0.1 });
        const r = new Random(3);
        for (let s = 0; s < 10; s++) {
          if (zero) opt.zeroGrad();
          emb.forward(Int32Array.from({ length: 8 }, () => r.int(20)));
          emb.backward(new Tensor(Float32Array.from({ length: 32 }, () => r.normal()), [8, 4]));
          opt.step();
        }
        return emb.weight.data;
      };
      expect(run(false)).toEqual(run(true));
    }
  });
});

describe("tied weights: layers sharing one Parameter all count", () => {
  for (const sparse of [false, true]) {
    it(`sparse ${sparse}: a.forward([0]); b.forward([1]); both backward; step moves rows 0 and 1`, () => {
      const a = new Embedding(3, 2, { weight: Tensor.zeros([3, 2]), sparse });
      const b = new Embedding(3, 2, { weight: a.weight, sparse });
      expect(b.weight).toBe(a.weight);
      a.forward([0]);
      b.forward([1]);
      a.backward(Tensor.ones([1, 2]));
      b.backward(Tensor.ones([1, 2]));
      new SGD(a.params, { lr: 0.5 }).step();
      expect(a.weight.toArray()).toEqual([[-0.5, -0.5], [-0.5, -0.5], [0, 0]]);
    });
  }

  for (const sparse of [false, true]) {
    it(`sparse ${sparse}: Embedding + EmbeddingBag + Linear over one table: the gradient is the sum of the three`, () => {
      const V = 7;
      const H = 4;
      const lin = new Linear(H, V, { bias: false, seed: 3 }); // weight [V, H]: logits = h @ Wᵀ
      const emb = new Embedding(V, H, { weight: lin.weight, sparse });
      const bag = new EmbeddingBag(V, H, { weight: lin.weight, sparse, mode: "sum" });
      const idx = [0, 3, 3];
      const bagIn = [[1, 3], [6, 6]];
      const x = new Tensor(floats(2 * H), [2, H]);
      const dEmb = new Tensor(floats(3 * H), [3, H]);
      const dBag = new Tensor(floats(2 * H), [2, H]);
      const dLin = new Tensor(floats(2 * V), [2, V]);
      const alone = (f: () => void) => {
        lin.weight.zeroGrad();
        f();
        return dense(lin.weight.grad)!.data.slice();
      };
      const gEmb = alone(() => { emb.forward(idx); emb.backward(dEmb); });
      const gBag = alone(() => { bag.forward(bagIn); bag.backward(dBag); });
      const gLin = alone(() => { lin.forward(x); lin.backward(dLin); });
      lin.weight.zeroGrad();
      emb.forward(idx);
      bag.forward(bagIn);
      lin.forward(x);
      emb.backward(dEmb);
      bag.backward(dBag);
      lin.backward(dLin);
      const sum = dense(lin.weight.grad)!.data;
      for (let k = 0; k < sum.length; k++) expect(sum[k]).toBeCloseTo(gEmb[k] + gBag[k] + gLin[k], 5);
      expect(lin.weight.grad).toBeInstanceOf(Tensor); // a dense contribution makes the sum dense
      expect(lin.weight.touchedRows).toBeNull();
    });
  }
});

describe("forward(idx, out) refuses an out that shares memory with the table", () => {
  const emb = new Embedding(6, 2, { seed: 1 });
  const before = emb.weight.data.slice();
  it.each([
    ["the table itself", () => new Tensor(emb.weight.data.subarray(0, 4), [2, 2])],
    ["a view of its last rows", () => new Tensor(emb.weight.data.subarray(8, 12), [2, 2])],
    ["a view starting mid-row", () => new Tensor(new Float32Array(emb.weight.data.buffer, emb.weight.data.byteOffset + 4, 4), [2, 2])],
  ])("%s", (_, out) => {
    expect(() => emb.forward([1, 2], out())).toThrow(/^Embedding\.forward: out shares memory with the table \(weight\)/);
    expect(emb.weight.data).toEqual(before);
  });
  it("a separate buffer in the same ArrayBuffer, not overlapping, is fine", () => {
    const buf = new Float32Array(16);
    const e = new Embedding(2, 2, { weight: new Tensor(buf.subarray(0, 4), [2, 2]) });
    buf.set([1, 2, 3, 4]);
    const out = new Tensor(buf.subarray(4, 8), [2, 2]);
    expect(e.forward([1, 0], out).toArray()).toEqual([[3, 4], [1, 2]]);
  });
});

describe("a forward that throws leaves the last forward's indices for backward", () => {
  for (const sparse of [false, true]) {
    it(`sparse ${sparse}: a bad out, then a bad index, then backward uses the last good forward`, () => {
      const emb = new Embedding(12, 2, { weight: Tensor.zeros([12, 2]), sparse });
      emb.forward([1, 2, 2, 7]);
      emb.forward([4, 5, 5, 8]); // the first forward's buffer becomes the spare
      expect(() => emb.forward([0, 0, 0, 0], Tensor.zeros([3, 2]))).toThrow(RangeError); // read into the spare, then refused
      expect(() => emb.forward([9, 9, 9, 99])).toThrow(RangeError); // written into a buffer, then refused
      emb.backward(Tensor.ones([4, 2]));
      const g = dense(emb.weight.grad)!;
      expect((g.toArray() as number[][]).map((r) => r[0])).toEqual([0, 0, 0, 0, 1, 2, 0, 0, 1, 0, 0, 0]);
    });
  }
});

describe("touchedRows set from outside is checked by the step, even after a backward", () => {
  it("rows out of range or listed twice are refused, nothing moves", () => {
    const emb = new Embedding(5, 2, { seed: 1 });
    const before = emb.weight.data.slice();
    emb.forward([1]);
    emb.backward(Tensor.ones([1, 2]));
    emb.weight.touchedRows = new Int32Array([1, 1]);
    emb.forward([2]);
    emb.backward(Tensor.ones([1, 2]));
    expect(() => new SGD(emb.params, { lr: 1 }).step()).toThrow(/touchedRows\[1\] = 1 is listed twice/);
    expect(emb.weight.data).toEqual(before);
  });
});
