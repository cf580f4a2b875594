// Property tests with fast-check: shrinking finds the smallest counter-example if one exists.
import { describe, it } from "vitest";
import fc from "fast-check";
import { Adagrad, Embedding, MatMul, oneHot, type Optimizer, RowSparseGrad, SGD, Tensor } from "../src/index.js";

const dims = fc.record({ V: fc.integer({ min: 1, max: 12 }), H: fc.integer({ min: 1, max: 5 }) });

/** A table size, an index shape of 0..3 dims, indices in range (repeats likely), a seed. */
const lookupCase = dims.chain(({ V, H }) =>
  fc
    .array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 })
    .chain((shape) => {
      const n = shape.reduce((a, b) => a * b, 1);
      return fc.record({
        V: fc.constant(V),
        H: fc.constant(H),
        shape: fc.constant(shape),
        idx: fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: n, maxLength: n }),
        seed: fc.integer({ min: 0, max: 1000 }),
        paddingIdx: fc.option(fc.integer({ min: -V, max: V - 1 }), { nil: undefined }),
        scaleGradByFreq: fc.boolean(),
      });
    }),
);

function same(a: Float32Array, b: Float32Array, tol = 1e-5): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])))) return false;
  return true;
}

describe("fast-check properties", () => {
  it("lookup == one-hot @ W, and the weight gradient == one-hotᵀ @ dout", () => {
    fc.assert(
      fc.property(lookupCase, ({ V, H, shape, idx, seed }) => {
        const emb = new Embedding(V, H, { seed });
        const index = { data: Int32Array.from(idx), shape };
        const out = emb.forward(index);
        const mm = new MatMul(emb.weight.clone());
        const viaOneHot = mm.forward(oneHot(index, V).reshape([-1, V]));
        if (!same(out.data, viaOneHot.data, 0)) return false;
        const dout = Tensor.randn(out.shape, { seed: seed + 1 });
        emb.backward(dout);
        mm.backward(dout.reshape([-1, H]));
        return same((emb.weight.grad as Tensor).data, (mm.W.grad as Tensor).data);
      }),
      { numRuns: 300 },
    );
  });

  it("sparse and dense gradients give the same SGD, momentum SGD and Adagrad trajectories", () => {
    const makers: ((e: Embedding) => Optimizer)[] = [
      (e) => new SGD(e.params, { lr: 0.1 }),
      (e) => new SGD(e.params, { lr: 0.05, momentum: 0.9, nesterov: true }),
      (e) => new Adagrad(e.params, { lr: 0.1 }),
    ];
    fc.assert(
      fc.property(lookupCase, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 4 }), (c, which, steps) => {
        const options = { paddingIdx: c.paddingIdx, scaleGradByFreq: c.scaleGradByFreq };
        const dense = new Embedding(c.V, c.H, { ...options, seed: c.seed });
        const sparse = new Embedding(c.V, c.H, { ...options, seed: c.seed, sparse: true });
        const [od, os] = [makers[which](dense), makers[which](sparse)];
        const index = { data: Int32Array.from(c.idx), shape: c.shape };
        for (let s = 0; s < steps; s++) {
          const dout = Tensor.randn(dense.forward(index).shape, { seed: c.seed + s });
          sparse.forward(index);
          od.zeroGrad();
          os.zeroGrad();
          dense.backward(dout);
          sparse.backward(dout);
          if (!same((sparse.weight.grad as RowSparseGrad).toDense().data, (dense.weight.grad as Tensor).data)) return false;
          od.step();
          os.step();
          if (!same(sparse.weight.data, dense.weight.data)) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it("any invalid index is rejected and leaves the table as it was", () => {
    const bad = fc.oneof(
      fc.integer({ min: 10, max: 2 ** 31 - 1 }),
      fc.integer({ min: -(2 ** 31), max: -1 }),
      fc.double({ noInteger: true }),
      fc.constantFrom(NaN, Infinity, -Infinity, "5", null, undefined, {}, [1.5], true),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 5 }), bad, fc.nat(5), (good, b, at) => {
        const emb = new Embedding(10, 3, { seed: 1, maxNorm: 0.1 });
        const before = emb.weight.data.slice();
        const idx: unknown[] = [...good];
        idx.splice(Math.min(at, idx.length), 0, b);
        try {
          emb.forward(idx as never);
          return false;
        } catch (e) {
          return (e instanceof TypeError || e instanceof RangeError) && /^Embedding\.forward: /.test((e as Error).message) && same(emb.weight.data, before, 0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
