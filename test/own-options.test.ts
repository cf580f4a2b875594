// Options are read as own properties only; optimizers refuse an empty parameter list; indices are
// integer typed arrays; errors name the function the user called; deep nesting is a RangeError.
import { describe, expect, it } from "vitest";
import { Adagrad, Adam, ContextMean, Embedding, EmbeddingBag, Linear, SGD, SparseAdam, Tensor } from "../src/index.js";

describe("inherited options are not read", () => {
  const polluted: Record<string, unknown> = {
    sparse: true, maxNorm: 0.5, normType: 1, paddingIdx: 0, scaleGradByFreq: true, seed: 3, weight: Tensor.zeros([5, 3]),
    mode: "max", includeLastOffset: true, lr: 99, momentum: 0.9, nesterov: true, weightDecay: 1, betas: [0.1, 0.2], eps: 5,
    lrDecay: 1, initialAccumulatorValue: 7, bias: false, undividedGrad: true, freeze: false, std: 100, mean: 100,
  };
  const withPollution = <T>(f: () => T): T => {
    const proto = Object.prototype as Record<string, unknown>;
    for (const [k, v] of Object.entries(polluted)) proto[k] = v;
    try {
      return f();
    } finally {
      for (const k of Object.keys(polluted)) delete proto[k];
    }
  };

  it("after Object.prototype.sparse = true (and lr, maxNorm, mode, ...), layers and optimizers see only their own options", () => {
    const got = withPollution(() => {
      const emb = new Embedding(5, 3, {});
      const emb2 = new Embedding(5, 3);
      const bag = new EmbeddingBag(5, 3, {});
      const pre = Embedding.fromPretrained(Tensor.ones([5, 3]), {});
      const lin = new Linear(2, 2, {});
      const ctx = new ContextMean(5, 3, {});
      const sgd = new SGD(emb.params, { lr: 0.1 });
      const adam = new Adam(emb.params, {});
      const ada = new Adagrad(emb.params);
      const sa = new SparseAdam(emb.params, {});
      const r = Tensor.randn([1000], { seed: 1 });
      return { emb, emb2, bag, pre, lin, ctx, sgd, adam, ada, sa, r };
    });
    for (const e of [got.emb, got.emb2]) {
      expect([e.sparse, e.maxNorm, e.normType, e.paddingIdx, e.scaleGradByFreq]).toEqual([false, null, 2, null, false]);
      expect(e.weight.data.some((x) => x !== 0)).toBe(true); // not the inherited zero weight
    }
    expect([got.bag.sparse, got.bag.mode, got.bag.includeLastOffset, got.bag.maxNorm]).toEqual([false, "mean", false, null]);
    expect(got.pre.weight.requiresGrad).toBe(false);
    expect(got.lin.bias).not.toBeNull();
    expect(got.ctx.undividedGrad).toBe(false);
    expect([got.sgd.lr, got.sgd.momentum, got.sgd.nesterov, got.sgd.weightDecay]).toEqual([0.1, 0, false, 0]);
    expect([got.adam.lr, got.adam.betas, got.adam.eps, got.adam.weightDecay]).toEqual([1e-3, [0.9, 0.999], 1e-8, 0]);
    expect([got.ada.lr, got.ada.lrDecay, got.ada.initialAccumulatorValue, got.ada.eps]).toEqual([0.01, 0, 0, 1e-10]);
    expect([got.sa.lr, got.sa.eps]).toEqual([1e-3, 1e-8]);
    expect(Math.max(...got.r.data.map(Math.abs))).toBeLessThan(10); // N(0, 1), not N(100, 100)
    expect(Object.prototype).not.toHaveProperty("sparse");
  });

  it("SGD's required lr is not found on the prototype either", () => {
    expect(() => withPollution(() => new SGD(new Embedding(2, 2).params, {} as never))).toThrow(/^SGD: options\.lr is required$/);
  });
});

describe("optimizers refuse an empty parameter list, as PyTorch", () => {
  it.each([
    ["SGD", () => new SGD([], { lr: 0.1 })],
    ["Adagrad", () => new Adagrad([])],
    ["Adam", () => new Adam([])],
    ["SparseAdam", () => new SparseAdam({ params: [] })],
  ])("%s", (name, make) => {
    expect(make).toThrow(new RegExp(`^${name}: params is an empty list`));
    expect(make).toThrow(RangeError);
  });
});

describe("indices: integer typed arrays only", () => {
  const emb = new Embedding(10, 2, { seed: 1 });
  const expected = emb.forward([1, 9]).data;
  it.each([Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, Uint8ClampedArray])("%o is accepted", (T) => {
    expect(emb.forward(new T([1, 9])).data).toEqual(expected);
    expect(emb.forward({ data: new T([1, 9]), shape: [2] }).data).toEqual(expected);
  });
  it.each([
    ["Float32Array", () => new Float32Array([1, 9])],
    ["Float64Array", () => new Float64Array([1, 9])],
    ["BigInt64Array", () => new BigInt64Array([1n, 9n])],
    ["BigUint64Array", () => new BigUint64Array([1n, 9n])],
  ])("a %s is a TypeError naming its type", (name, make) => {
    const re = new RegExp(`^Embedding\\.forward: indices must be an integer typed array .* got a ${name} `);
    expect(() => emb.forward(make() as never)).toThrow(re);
    expect(() => emb.forward(make() as never)).toThrow(TypeError);
    expect(() => emb.forward({ data: make(), shape: [2] } as never)).toThrow(/indices\.data must be an integer typed array/);
    expect(() => new EmbeddingBag(10, 2).forward(make() as never, [0])).toThrow(/^EmbeddingBag\.forward: indices must be an integer typed array/);
  });
  it("a BigInt in a plain array is a TypeError", () => {
    expect(() => emb.forward([1n] as never)).toThrow(/^Embedding\.forward: index 1n at position \[0\] is a BigInt/);
  });
});

describe("errors name the function the user called", () => {
  it.each([
    ["Embedding", () => new Embedding(6e8, 4)],
    ["EmbeddingBag", () => new EmbeddingBag(6e8, 4)],
    ["ContextMean", () => new ContextMean(6e8, 4)],
  ])("new %s(6e8, 4): too big for a Float32Array", (name, make) => {
    expect(make).toThrow(new RegExp(`^${name}: a table of 600000000 × 4 = 2400000000 floats is more than a Float32Array can hold`));
    expect(make).toThrow(RangeError);
  });
});

describe("deeply nested indices", () => {
  it("10,000 levels deep: a RangeError naming the depth, not a stack overflow", () => {
    let nested: unknown = [0];
    for (let d = 1; d < 10_000; d++) nested = [nested];
    const emb = new Embedding(3, 2, { seed: 1 });
    expect(() => emb.forward(nested as never)).toThrow(/^Embedding\.forward: indices are nested 10000 levels deep; at most 64 are supported$/);
    expect(() => emb.forward(nested as never)).toThrow(RangeError);
  });
  it("an array that contains itself", () => {
    const a: unknown[] = [];
    a.push(a);
    expect(() => new Embedding(3, 2, { seed: 1 }).forward(a as never)).toThrow(/nested more than 1,000,000 levels deep/);
  });
  it("64 levels are fine", () => {
    let nested: unknown = [1];
    for (let d = 1; d < 64; d++) nested = [nested];
    expect(new Embedding(3, 2, { seed: 1 }).forward(nested as never).shape).toEqual([...Array(64).fill(1), 2]);
  });
});
