// Bad input gets the documented error class and a message naming the function, the argument and the
// value; weights and gradients are left exactly as they were.
import { describe, expect, it } from "vitest";
import { Adagrad, Adam, Embedding, MatMul, oneHot, Parameter, RowSparseGrad, SGD, SparseAdam, Tensor } from "../src/index.js";

type ErrorClass = typeof TypeError | typeof RangeError | typeof Error;

/** Runs `act` against a trained-looking embedding and checks the error and that nothing changed. */
function expectRejected(make: () => Embedding, act: (e: Embedding) => unknown, cls: ErrorClass, message: RegExp): void {
  const emb = make();
  emb.forward([[1, 2], [2, 3]]);
  emb.backward(Tensor.ones([2, 2, 3]));
  const weight = emb.weight.data.slice();
  const grad = emb.weight.grad;
  const gradData = (grad as Tensor).data.slice();
  const touched = emb.weight.touchedRows?.slice();
  let thrown: unknown;
  try {
    act(emb);
  } catch (e) {
    thrown = e;
  }
  expect(thrown, "expected a throw").toBeInstanceOf(cls);
  if (cls === Error) expect((thrown as Error).constructor).toBe(Error);
  expect((thrown as Error).message).toMatch(message);
  expect(emb.weight.data).toEqual(weight);
  expect(emb.weight.grad).toBe(grad);
  expect((emb.weight.grad as Tensor).data).toEqual(gradData);
  expect(emb.weight.touchedRows?.slice()).toEqual(touched);
  // and the layer still works: backward refers to the last good forward
  emb.backward(Tensor.ones([2, 2, 3]));
}

const plain = () => new Embedding(10, 3, { seed: 1 });
const renorming = () => new Embedding(10, 3, { seed: 1, maxNorm: 0.5 });

describe("Embedding.forward rejects bad indices before touching anything", () => {
  const cases: [string, unknown, ErrorClass, RegExp][] = [
    ["too large", [[1, 10]], RangeError, /^Embedding\.forward: index 10 at position \[0, 1\] is out of range \[0, 9\]$/],
    ["negative", [3, -1], RangeError, /^Embedding\.forward: index -1 at position \[1\] is out of range \[0, 9\]$/],
    ["non-integer", [[0], [1.5]], TypeError, /^Embedding\.forward: index 1\.5 at position \[1, 0\] is not an integer$/],
    ["NaN", [NaN], TypeError, /^Embedding\.forward: index NaN at position \[0\] is not an integer$/],
    ["Infinity", [Infinity], TypeError, /index Infinity at position \[0\] is not an integer/],
    ["a string", ["5"], TypeError, /index "5" at position \[0\] is not an integer/],
    ["null", [null], TypeError, /index null at position \[0\]/],
    ["a 0-d bad number", 12, RangeError, /index 12 at position \[\] is out of range/],
    ["ragged nested arrays", [[1, 2], [3]], RangeError, /^Embedding\.forward: ragged nested indices: position \[1\] has length 1, expected length 2$/],
    ["ragged depth", [[1, 2], [3, [4]]], RangeError, /ragged nested indices: position \[1, 1\] holds an array/],
    ["an Int32Array with a bad value", new Int32Array([0, 99]), RangeError, /index 99 at position \[1\] is out of range \[0, 9\]/],
    ["a Float64Array with a fraction", new Float64Array([0.5]), TypeError, /index 0\.5 at position \[0\] is not an integer/],
    ["{ data, shape } that disagree", { data: new Int32Array(3), shape: [2, 2] }, RangeError, /indices\.shape \[2, 2\] holds 4 elements but indices\.data has 3/],
    ["an object", {}, TypeError, /^Embedding\.forward: indices must be .*, got an object$/],
    ["undefined", undefined, TypeError, /indices must be .*, got undefined/],
  ];
  for (const [name, bad, cls, message] of cases) {
    it(`${name}`, () => expectRejected(plain, (e) => e.forward(bad as never), cls, message));
    it(`${name}, with maxNorm (which writes to the weights)`, () =>
      expectRejected(renorming, (e) => e.forward(bad as never), cls, message));
  }
  it("a bad index after every valid row, with maxNorm: no row is renormalised", () =>
    expectRejected(renorming, (e) => e.forward([[0, 1, 2, 3, 4], [5, 6, 7, 8, 10]]), RangeError, /index 10 at position \[1, 4\] is out of range/));
  it("a wrong out buffer", () =>
    expectRejected(plain, (e) => e.forward([1, 2], Tensor.zeros([2, 4])), RangeError, /out must be a Tensor of shape \[2, 3\], got \[2, 4\]/));
});

describe("Embedding.backward", () => {
  it("rejects a dout of the wrong shape", () =>
    expectRejected(plain, (e) => e.backward(Tensor.zeros([2, 2, 4])), RangeError, /^Embedding\.backward: dout shape \[2, 2, 4\] != output shape \[2, 2, 3\]$/));
  it("rejects a non-tensor dout", () =>
    expectRejected(plain, (e) => e.backward([[1, 2, 3]] as never), TypeError, /^Embedding\.backward: dout must be a Tensor, got \[\[1, 2, 3\]\]$/));
  it("before forward is an Error", () => {
    const emb = new Embedding(4, 3, { seed: 1 });
    expect(() => emb.backward(Tensor.zeros([1, 3]))).toThrow(/^Embedding\.backward: called before forward/);
    expect(emb.weight.grad).toBeNull();
  });
});

describe("construction", () => {
  const cases: [string, () => unknown, ErrorClass, RegExp][] = [
    ["paddingIdx too large", () => new Embedding(10, 3, { paddingIdx: 10 }), RangeError, /^Embedding: paddingIdx must be in \[-10, 9\], got 10$/],
    ["paddingIdx too negative", () => new Embedding(10, 3, { paddingIdx: -11 }), RangeError, /paddingIdx must be in \[-10, 9\], got -11/],
    ["paddingIdx not an integer", () => new Embedding(10, 3, { paddingIdx: 1.5 }), TypeError, /paddingIdx must be an integer, got 1\.5/],
    ["numEmbeddings 0", () => new Embedding(0, 3), RangeError, /numEmbeddings must be >= 1, got 0/],
    ["numEmbeddings '5'", () => new Embedding("5" as never, 3), TypeError, /numEmbeddings must be an integer, got "5"/],
    ["embeddingDim 0.5", () => new Embedding(10, 0.5), TypeError, /embeddingDim must be an integer, got 0\.5/],
    ["embeddingDim NaN", () => new Embedding(10, NaN), TypeError, /embeddingDim must be an integer, got NaN/],
    ["maxNorm negative", () => new Embedding(10, 3, { maxNorm: -1 }), RangeError, /maxNorm must be in \(0, Infinity\], got -1/],
    ["maxNorm NaN", () => new Embedding(10, 3, { maxNorm: NaN }), TypeError, /maxNorm must be a number, got NaN/],
    ["normType 0", () => new Embedding(10, 3, { normType: 0 }), RangeError, /normType must be in \(0, Infinity\], got 0/],
    ["sparse 'yes'", () => new Embedding(10, 3, { sparse: "yes" as never }), TypeError, /sparse must be a boolean, got "yes"/],
    ["an unknown option", () => new Embedding(10, 3, { padding_idx: 1 } as never), TypeError, /unknown option "padding_idx"/],
    ["a weight of the wrong shape", () => new Embedding(10, 3, { weight: Tensor.zeros([10, 4]) }), RangeError, /weight shape \[10, 4\] != \[10, 3\]/],
    ["a seed that is not an integer", () => new Embedding(10, 3, { seed: 0.5 }), TypeError, /seed must be a safe integer, got 0\.5/],
    ["a table larger than a Float32Array holds", () => new Embedding(2 ** 20, 2 ** 12), RangeError, /more than a Float32Array can hold/],
    ["pretrained 3-D weights", () => Embedding.fromPretrained(Tensor.zeros([2, 3, 4])), RangeError, /^Embedding\.fromPretrained: weight must be 2-D \[V, H\], got 3-D shape \[2, 3, 4\]$/],
    ["pretrained non-tensor", () => Embedding.fromPretrained([[1, 2]] as never), TypeError, /fromPretrained: weight must be a Tensor/],
    ["pretrained freeze 'no'", () => Embedding.fromPretrained(Tensor.zeros([2, 3]), { freeze: "no" as never }), TypeError, /freeze must be a boolean/],
  ];
  for (const [name, act, cls, message] of cases) {
    it(name, () => {
      expect(act).toThrow(cls);
      expect(act).toThrow(message);
    });
  }
});

describe("tensors", () => {
  const cases: [string, () => unknown, ErrorClass, RegExp][] = [
    ["data/shape mismatch", () => new Tensor(new Float32Array(5), [2, 3]), RangeError, /^Tensor: shape \[2, 3\] holds 6 elements but data has 5$/],
    ["non-Float32Array data", () => new Tensor([1, 2] as never, [2]), TypeError, /Tensor: data must be a Float32Array/],
    ["ragged nested arrays", () => Tensor.from([[1, 2], [3]]), RangeError, /^Tensor\.from: ragged nested array: element at position \[1\] has length 1, expected length 2$/],
    ["a string element", () => Tensor.from([[1, "2" as never]]), TypeError, /position \[0, 1\] must be a number, got "2"/],
    ["reshape to a wrong size", () => Tensor.zeros([2, 3]).reshape([4, 2]), RangeError, /Tensor\.reshape: shape \[4, 2\] does not fit a tensor of 6 elements/],
    ["reshape with two -1", () => Tensor.zeros([2, 3]).reshape([-1, -1]), RangeError, /only one dimension may be -1/],
    ["a negative dimension", () => Tensor.zeros([2, -3]), RangeError, /Tensor\.zeros: shape\[1\] must be >= 0, got -3/],
    ["randn std NaN", () => Tensor.randn([2], { std: NaN }), TypeError, /std must be a finite number, got NaN/],
    ["oneHot numClasses 0", () => oneHot([0], 0), RangeError, /oneHot: numClasses must be >= 1, got 0/],
    ["oneHot index out of range", () => oneHot([[0, 3]], 3), RangeError, /^oneHot: index 3 at position \[0, 1\] is out of range \[0, 2\]$/],
    ["MatMul of a 1-D tensor", () => new MatMul(Tensor.zeros([3])), RangeError, /MatMul: W must be 2-D, got shape \[3\]/],
    ["MatMul.forward shape mismatch", () => new MatMul(Tensor.zeros([3, 2])).forward(Tensor.zeros([1, 4])), RangeError, /x\.shape\[1\] must be 3/],
    ["MatMul.backward before forward", () => new MatMul(Tensor.zeros([3, 2])).backward(Tensor.zeros([1, 2])), Error, /MatMul\.backward: called before forward/],
  ];
  for (const [name, act, cls, message] of cases) {
    it(name, () => {
      expect(act).toThrow(cls);
      expect(act).toThrow(message);
    });
  }
});

describe("optimizers", () => {
  const p = () => [new Parameter(new Float32Array(4), [2, 2])];
  const cases: [string, () => unknown, ErrorClass, RegExp][] = [
    ["SGD negative lr", () => new SGD(p(), { lr: -0.1 }), RangeError, /^SGD: lr must be in \[0, .*\], got -0\.1$/],
    ["SGD NaN lr", () => new SGD(p(), { lr: NaN }), TypeError, /^SGD: lr must be a number, got NaN$/],
    ["SGD without lr", () => new SGD(p(), {} as never), TypeError, /SGD: options\.lr is required/],
    ["SGD negative momentum", () => new SGD(p(), { lr: 0.1, momentum: -1 }), RangeError, /momentum must be in \[0, .*\], got -1/],
    ["SGD nesterov without momentum", () => new SGD(p(), { lr: 0.1, nesterov: true }), RangeError, /nesterov needs momentum > 0 and dampening = 0/],
    ["SGD params not parameters", () => new SGD([Tensor.zeros([2])] as never, { lr: 0.1 }), TypeError, /SGD: params\[0\] must be a Parameter, got a Tensor/],
    ["SGD params null", () => new SGD(null as never, { lr: 0.1 }), TypeError, /SGD: params must be an array of Parameters/],
    ["Adagrad negative lr", () => new Adagrad(p(), { lr: -1 }), RangeError, /Adagrad: lr must be in/],
    ["Adagrad negative eps", () => new Adagrad(p(), { eps: -1 }), RangeError, /Adagrad: eps must be in/],
    ["Adam beta1 = 1", () => new Adam(p(), { betas: [1, 0.999] }), RangeError, /^Adam: betas\[0\] must be in \[0, 1\), got 1$/],
    ["Adam beta2 negative", () => new Adam(p(), { betas: [0.9, -0.1] }), RangeError, /betas\[1\] must be in \[0, 1\), got -0\.1/],
    ["Adam betas not a pair", () => new Adam(p(), { betas: [0.9] as never }), TypeError, /betas must be a pair/],
    ["SparseAdam lr 0", () => new SparseAdam(p(), { lr: 0 }), RangeError, /SparseAdam: lr must be in \(0, /],
  ];
  for (const [name, act, cls, message] of cases) {
    it(name, () => {
      expect(act).toThrow(cls);
      expect(act).toThrow(message);
    });
  }
});

describe("optimizer steps check every gradient before moving any parameter", () => {
  type Make = (params: Parameter[]) => { step(): void };
  const makers: [string, Make][] = [
    ["SGD", (p) => new SGD(p, { lr: 1 })],
    ["SGD", (p) => new SGD(p, { lr: 1, momentum: 0.9 })],
    ["Adagrad", (p) => new Adagrad(p, { lr: 1 })],
    ["Adam", (p) => new Adam(p, { lr: 1 })],
    ["SparseAdam", (p) => new SparseAdam(p, { lr: 1 })],
  ];
  // Each case spoils the gradient of the second of two embeddings `[5, 3]` after a good backward; the
  // first embedding's good gradient must not be applied either.
  const cases: [string, (e: Embedding) => void, ErrorClass, (fn: string) => RegExp][] = [
    ["a dense grad of the wrong shape", (e) => (e.weight.grad = Tensor.ones([2, 2])), RangeError, (fn) => new RegExp(`^${fn}\\.step: params\\[1\\]\\.grad shape \\[2, 2\\] != parameter shape \\[5, 3\\]$`)],
    ["a string grad", (e) => (e.weight.grad = "abc" as never), TypeError, (fn) => new RegExp(`^${fn}\\.step: params\\[1\\]\\.grad must be a Tensor or a RowSparseGrad, got "abc"$`)],
    ["a plain-array grad", (e) => (e.weight.grad = [[1, 2, 3]] as never), TypeError, (fn) => new RegExp(`^${fn}\\.step: params\\[1\\]\\.grad must be a Tensor or a RowSparseGrad, got \\[\\[1, 2, 3\\]\\]$`)],
    ["touchedRows = [99]", (e) => { void e.weight.grad; e.weight.touchedRows = [99] as never; }, RangeError, (fn) => new RegExp(`^${fn}\\.step: params\\[1\\]\\.touchedRows\\[0\\] = 99 is out of range \\[0, 4\\]$`)],
    ["touchedRows with -1", (e) => { void e.weight.grad; e.weight.touchedRows = new Int32Array([0, -1]); }, RangeError, (fn) => new RegExp(`touchedRows\\[1\\] = -1 is out of range \\[0, 4\\]`)],
    ["touchedRows with a row twice", (e) => { void e.weight.grad; e.weight.touchedRows = new Int32Array([2, 1, 2]); }, RangeError, (fn) => new RegExp(`^${fn}\\.step: params\\[1\\]\\.touchedRows\\[2\\] = 2 is listed twice$`)],
    ["touchedRows not integers", (e) => { void e.weight.grad; e.weight.touchedRows = [1.5] as never; }, TypeError, (fn) => new RegExp(`^${fn}\\.step: params\\[1\\]\\.touchedRows\\[0\\] must be an integer, got 1\\.5$`)],
    ["touchedRows a string", (e) => { void e.weight.grad; e.weight.touchedRows = "1" as never; }, TypeError, (fn) => new RegExp(`touchedRows must be an Int32Array of rows or null, got "1"`)],
    ["a RowSparseGrad of another shape", (e) => (e.weight.grad = new RowSparseGrad(new Int32Array([1]), Tensor.ones([1, 3]), [4, 3])), RangeError, (fn) => new RegExp(`^${fn}\\.step: params\\[1\\]\\.grad shape \\[4, 3\\] != parameter shape \\[5, 3\\]$`)],
    ["a RowSparseGrad whose rows were changed to repeat", (e) => { const g = new RowSparseGrad(new Int32Array([1, 3]), Tensor.ones([2, 3]), [5, 3]); g.rows[1] = 1; e.weight.grad = g; }, RangeError, (fn) => new RegExp(`^${fn}\\.step: params\\[1\\]\\.grad\\.rows must be unique, ascending and in \\[0, 4\\]; rows\\[1\\] = 1$`)],
    ["a RowSparseGrad whose rows were changed out of range", (e) => { const g = new RowSparseGrad(new Int32Array([1, 3]), Tensor.ones([2, 3]), [5, 3]); g.rows[1] = 99; e.weight.grad = g; }, RangeError, (fn) => new RegExp(`rows\\[1\\] = 99`)],
  ];
  for (const [fn, make] of makers) {
    for (const [name, spoil, cls, message] of cases) {
      for (const sparse of [false, true]) {
        if ((fn === "Adam" && sparse) || (sparse && name.startsWith("touchedRows"))) continue; // touchedRows: dense gradients only
        it(`${fn}${make.toString().includes("momentum") ? " (momentum)" : ""}, ${sparse ? "sparse" : "dense"} layers: ${name}`, () => {
          const good = new Embedding(5, 3, { seed: 1, sparse });
          const bad = new Embedding(5, 3, { seed: 2, sparse });
          const opt = make([good.weight, bad.weight]);
          for (const e of [good, bad]) {
            e.forward([1, 2, 2]);
            e.backward(Tensor.ones([3, 3]));
          }
          spoil(bad);
          const before = [good.weight.data.slice(), bad.weight.data.slice()];
          let thrown: unknown;
          try {
            opt.step();
          } catch (err) {
            thrown = err;
          }
          expect(thrown, "expected a throw").toBeInstanceOf(cls);
          expect((thrown as Error).message).toMatch(message(fn));
          expect(good.weight.data).toEqual(before[0]);
          expect(bad.weight.data).toEqual(before[1]);
        });
      }
    }
  }

  it.each([
    ["SGD", (e: Embedding) => new SGD(e.params, { lr: 1 })],
    ["Adam", (e: Embedding) => new Adam(e.params, { lr: 1 })],
  ] as const)("the issue's case: %s with a [2, 2] gradient on a [5, 3] table throws and changes nothing", (fn, make) => {
    const e = new Embedding(5, 3, { seed: 1 });
    const before = e.weight.data.slice();
    e.weight.grad = Tensor.ones([2, 2]);
    expect(() => make(e).step()).toThrow(new RegExp(`^${fn}\\.step: params\\[0\\]\\.grad shape \\[2, 2\\] != parameter shape \\[5, 3\\]$`));
    expect(e.weight.data).toEqual(before);
  });

  it("NaN in a gradient is not looked for: it reaches the weights, as in PyTorch (a check would cost a pass over every value)", () => {
    const e = new Embedding(5, 3, { seed: 1 });
    e.forward([1]);
    e.backward(new Tensor(new Float32Array([NaN, 0, 0]), [1, 3]));
    new SGD(e.params, { lr: 1 }).step();
    expect(Number.isNaN(e.weight.data[3])).toBe(true);
    expect(Number.isNaN(e.weight.data[4])).toBe(false);
  });
});

describe("BigInt indices", () => {
  const cases: [string, unknown, ErrorClass, RegExp][] = [
    ["a BigInt as the index", 1n, TypeError, /^Embedding\.forward: index 1n at position \[\] is a BigInt; give indices as numbers \(Number\(1n\)\) or in a BigInt64Array$/],
    ["a BigInt in nested arrays", [[0, 1n]], TypeError, /^Embedding\.forward: index 1n at position \[0, 1\] is a BigInt; give indices as numbers/],
    ["an out-of-range BigInt64Array", new BigInt64Array([1n, 12n]), RangeError, /^Embedding\.forward: index 12 at position \[1\] is out of range \[0, 9\]$/],
    ["a negative BigInt64Array", new BigInt64Array([-1n]), RangeError, /index -1 at position \[0\] is out of range \[0, 9\]/],
  ];
  for (const [name, bad, cls, message] of cases) {
    it(name, () => expectRejected(plain, (e) => e.forward(bad as never), cls, message));
  }
  it("a BigInt64Array in range is read as its integers", () => {
    const e = plain();
    expect(e.forward(new BigInt64Array([1n, 9n]) as never).data).toEqual(e.forward([1, 9]).data);
  });
});
