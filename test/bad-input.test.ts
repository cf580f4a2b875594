// Bad input gets the documented error class and a message naming the function, the argument and the
// value; weights and gradients are left exactly as they were.
import { describe, expect, it } from "vitest";
import {
  Adagrad, Adam, colorBar, ContextMean, Embedding, EmbeddingBag, heatMap, Linear, MatMul, oneHot, Parameter, pca, ReLU, RowSparseGrad, SGD, sideBySide, SparseAdam, Tensor, TSNE, tsne,
  tsneAffinities, tsneGradient, WideDeep, clickLogBatch, generateClickLog, rocAuc,
  Vocab, encodeChunks, scanVocab, tokenBlocks, trainCBOW,
} from "../src/index.js";
import { fileCorpus } from "../src/node/index.js";

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
    ["a Float64Array", new Float64Array([0.5]), TypeError, /^Embedding\.forward: indices must be an integer typed array .* got a Float64Array /],
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
    ["a BigInt as the index", 1n, TypeError, /^Embedding\.forward: index 1n at position \[\] is a BigInt; give indices as numbers \(Number\(1n\)\) or in an Int32Array$/],
    ["a BigInt in nested arrays", [[0, 1n]], TypeError, /^Embedding\.forward: index 1n at position \[0, 1\] is a BigInt; give indices as numbers/],
    ["a BigInt64Array", new BigInt64Array([1n, 12n]), TypeError, /^Embedding\.forward: indices must be an integer typed array .* got a BigInt64Array /],
    ["a BigUint64Array", new BigUint64Array([1n]), TypeError, /got a BigUint64Array /],
  ];
  for (const [name, bad, cls, message] of cases) {
    it(name, () => expectRejected(plain, (e) => e.forward(bad as never), cls, message));
  }
});

describe("EmbeddingBag, Linear, ReLU, WideDeep and the click log", () => {
  const bag = new EmbeddingBag(6, 2, { mode: "sum", maxNorm: 0.5, seed: 1 });
  bag.forward([1, 2, 2], [0, 1]);
  bag.backward(Tensor.ones([2, 2]));
  const lastBag = new EmbeddingBag(6, 2, { includeLastOffset: true, seed: 1 });
  const lin = new Linear(3, 2, { seed: 1 });
  const state = () => JSON.stringify([Array.from(bag.weight.data), Array.from((bag.weight.grad as Tensor).data), Array.from(bag.weight.touchedRows ?? []), Array.from(lin.weight.data)]);
  const cases: [string, () => unknown, ErrorClass, RegExp][] = [
    ["EmbeddingBag unknown mode", () => new EmbeddingBag(6, 2, { mode: "median" as never }), RangeError, /^EmbeddingBag: mode must be "sum", "mean" or "max", got "median"$/],
    ["EmbeddingBag index out of range (maxNorm untouched)", () => bag.forward([[0, 6]]), RangeError, /^EmbeddingBag\.forward: index 6 at position \[0, 1\] is out of range \[0, 5\]$/],
    ["EmbeddingBag -1 (ContextMean's empty slot) is not an index", () => bag.forward([[0, -1]]), RangeError, /index -1 at position \[0, 1\] is out of range \[0, 5\]/],
    ["EmbeddingBag offsets with a 2-D input", () => bag.forward([[0, 1]], [0]), RangeError, /^EmbeddingBag\.forward: offsets must be null for a 2-D input \[1, 2\]/],
    ["EmbeddingBag 1-D input without offsets", () => bag.forward([0, 1]), RangeError, /^EmbeddingBag\.forward: offsets are required for a 1-D input \[2\]/],
    ["EmbeddingBag offsets[0] != 0", () => bag.forward([0, 1, 2], [1]), RangeError, /offsets\[0\] must be 0 \(the first bag starts the input\), got 1$/],
    ["EmbeddingBag decreasing offsets", () => bag.forward([0, 1, 2], [0, 2, 1]), RangeError, /offsets must not decrease; offsets\[2\] = 1 < offsets\[1\] = 2$/],
    ["EmbeddingBag offset beyond the input", () => bag.forward([0, 1], [0, 3]), RangeError, /offsets\[1\] = 3 is beyond the input's length 2$/],
    ["EmbeddingBag includeLastOffset, last != L", () => lastBag.forward([0, 1], [0, 1]), RangeError, /with includeLastOffset the last offset must be the input's length 2, got offsets\[1\] = 1$/],
    ["EmbeddingBag includeLastOffset, no offsets", () => lastBag.forward([0, 1], []), RangeError, /offsets must have B \+ 1 >= 1 entries with includeLastOffset, got none$/],
    ["EmbeddingBag perSampleWeights in mode mean", () => new EmbeddingBag(6, 2, { seed: 1 }).forward([0, 1], [0], Tensor.ones([2])), Error, /^EmbeddingBag\.forward: perSampleWeights are only supported in mode "sum", got mode "mean"$/],
    ["EmbeddingBag perSampleWeights of another shape", () => bag.forward([0, 1], [0], Tensor.ones([1, 2])), RangeError, /^EmbeddingBag\.forward: perSampleWeights shape \[1, 2\] != input shape \[2\]$/],
    ["EmbeddingBag perSampleWeights not a tensor", () => bag.forward([0, 1], [0], [1, 1] as never), TypeError, /perSampleWeights must be a Tensor or null, got \[1, 1\]$/],
    ["EmbeddingBag 3-D input", () => bag.forward([[[0]]]), RangeError, /input must be 1-D \(with offsets\) or 2-D \[B, N\], got shape \[1, 1, 1\]$/],
    ["EmbeddingBag.backward wrong dout", () => bag.backward(Tensor.ones([3, 2])), RangeError, /^EmbeddingBag\.backward: dout shape \[3, 2\] != output shape \[2, 2\]$/],
    ["EmbeddingBag weight and seed", () => new EmbeddingBag(2, 2, { weight: Tensor.zeros([2, 2]), seed: 1 }), TypeError, /give either weight or seed, not both/],
    ["EmbeddingBag.fromPretrained 1-D", () => EmbeddingBag.fromPretrained(Tensor.zeros([3])), RangeError, /^EmbeddingBag\.fromPretrained: weight must be 2-D \[V, H\], got 1-D shape \[3\]$/],
    ["ContextMean index below -1", () => new ContextMean(4, 2, { seed: 1 }).forward([[0, -2]]), RangeError, /^ContextMean\.forward: index -2 at position \[0, 1\] is out of range \[-1, 3\]/],
    ["Linear.forward wrong width", () => lin.forward(Tensor.ones([2, 4])), RangeError, /^Linear\.forward: x shape \[2, 4\] must end in inFeatures = 3$/],
    ["Linear.backward before forward", () => new Linear(3, 2).backward(Tensor.ones([1, 2])), Error, /^Linear\.backward: called before forward/],
    ["ReLU.backward before forward", () => new ReLU().backward(Tensor.ones([1])), Error, /^ReLU\.backward: called before forward/],
    ["WideDeep no fields", () => new WideDeep({ fields: [], wideSize: 2, hidden: [] }), TypeError, /^WideDeep: fields must be a non-empty array, got \[\]$/],
    ["WideDeep hidden 0", () => new WideDeep({ fields: [{ name: "a", vocab: 2, dim: 2 }], wideSize: 2, hidden: [0] }), RangeError, /^WideDeep: hidden\[0\] must be >= 1, got 0$/],
    ["rocAuc length mismatch", () => rocAuc([1, 2, 3], [0, 1]), RangeError, /^rocAuc: labels has 2 entries, scores has 3$/],
    ["rocAuc NaN score", () => rocAuc([NaN, 1], [0, 1]), TypeError, /^rocAuc: scores\[0\] must be a number, got NaN$/],
    ["generateClickLog unknown option", () => generateClickLog({ rows: 3 } as never), TypeError, /^generateClickLog: unknown option "rows"/],
    ["clickLogBatch end beyond the log", () => clickLogBatch(generateClickLog({ records: 5 }), 0, 6), RangeError, /^clickLogBatch: end must be in \[0, 5\], got 6$/],
  ];
  for (const [name, act, cls, message] of cases) {
    it(name, () => {
      const before = state();
      let thrown: unknown = null;
      try {
        act();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(cls);
      if (cls === Error) expect((thrown as Error).constructor).toBe(Error);
      expect((thrown as Error).message).toMatch(message);
      expect(state()).toBe(before);
    });
  }
});

describe("display helpers", () => {
  const W = Tensor.from([[1, 2], [3, 4]]);
  const cases: [string, () => unknown, ErrorClass, RegExp][] = [
    ["heatMap of a non-tensor", () => heatMap([[1]] as never), TypeError, /^heatMap: t must be a Tensor, got/],
    ["heatMap with too few row names", () => heatMap(W, { rowLabels: ["a"] }), RangeError, /^heatMap: rowLabels has 1 names for 2 rows$/],
    ["heatMap with a row out of range", () => heatMap(W, { highlightRows: [2] }), RangeError, /^heatMap: highlightRows\[0\] = 2 is out of range \[0, 1\]$/],
    ["heatMap with a fractional row", () => heatMap(W, { highlightRows: [NaN] }), TypeError, /^heatMap: highlightRows\[0\] must be an integer, got NaN$/],
    ["heatMap with an inverted scale", () => heatMap(W, { scale: { min: 1, max: -1 } }), RangeError, /^heatMap: scale must be \{ min, max \}/],
    ["heatMap with an unknown option", () => heatMap(W, { colour: 1 } as never), TypeError, /heatMap: unknown option "colour"/],
    ["colorBar with NaN", () => colorBar({ min: NaN, max: 1 }), RangeError, /^colorBar: scale must be \{ min, max \}/],
    ["colorBar too narrow", () => colorBar({ min: 0, max: 1 }, { width: 10 }), RangeError, /^colorBar: width must be a number >= 100, got 10$/],
    ["sideBySide sharing an unknown caption", () => sideBySide({ W }, { sharedScale: ["V"] }), RangeError, /^sideBySide: options\.sharedScale names "V"/],
    ["sideBySide with a bad sharedScale", () => sideBySide({ W }, { sharedScale: "all" } as never), TypeError, /^sideBySide: options\.sharedScale must be a boolean or an array of captions, got "all"$/],
  ];
  for (const [name, act, cls, message] of cases) {
    it(name, () => {
      expect(act).toThrow(cls);
      expect(act).toThrow(message);
    });
  }
});

describe("projections (pca, t-SNE)", () => {
  const X = Tensor.from([[0, 0], [1, 1], [2, 0]]);
  const cases: [string, () => unknown, ErrorClass, RegExp][] = [
    ["pca of a non-tensor", () => pca({} as never), TypeError, /^pca: X must be a 2-D Tensor \[n, d\], got an object$/],
    ["pca k 0", () => pca(X, 0), RangeError, /^pca: k must be in \[1, 2\], got 0$/],
    ["pca of NaN", () => pca(Tensor.from([[NaN, 0], [1, 1]])), RangeError, /^pca: X\[0, 0\] is NaN; every value must be finite$/],
    ["tsneAffinities perplexity above n - 1", () => tsneAffinities(X, 2.5), RangeError, /^tsneAffinities: perplexity must be in \[1, 2\], got 2\.5$/],
    ["tsneGradient P not Float64Array", () => tsneGradient([0] as never, new Float64Array(4)), TypeError, /^tsneGradient: P must be a Float64Array/],
    ["TSNE unknown option", () => new TSNE(X, { perp: 2 } as never), TypeError, /^TSNE: unknown option "perp"/],
    ["tsne of a 3-D tensor", () => tsne(Tensor.zeros([2, 2, 2])), TypeError, /^tsne: X must be a 2-D Tensor \[n, d\], got shape \[2, 2, 2\]$/],
  ];
  for (const [name, act, cls, message] of cases) {
    it(name, () => {
      expect(act).toThrow(cls);
      expect(act).toThrow(message);
    });
  }
  it("a throwing TSNE.step leaves the picture as it was", () => {
    const t = new TSNE(X, { perplexity: 1.5 });
    t.step(5);
    const Y = t.Y.slice();
    expect(() => t.step(1.5)).toThrow(/^TSNE\.step: count must be an integer, got 1\.5$/);
    expect(t.Y).toEqual(Y);
    expect(t.iteration).toBe(5);
  });
});

describe("streaming corpora", () => {
  // Every public entry point of the streaming path rejects bad arguments before reading anything.
  let opened = 0;
  const source = { name: "s.txt", open: () => (opened++, ["the cat sat\nthe dog sat\n"]) };
  const vocab = () => new Vocab(["the", "sat"], [2, 2]);
  const drain = async (g: AsyncGenerator<unknown>) => {
    for await (const _ of g);
  };
  const cases: [string, () => Promise<unknown>, ErrorClass, RegExp][] = [
    ["scanVocab of a number", () => scanVocab(3 as never), TypeError, /^scanVocab: corpus must be an EncodedCorpus, a CorpusSource .*got 3$/],
    ["scanVocab minCount 0", () => scanVocab(source, { minCount: 0 }), RangeError, /^scanVocab: minCount must be >= 1, got 0$/],
    ["scanVocab maxVocabSize NaN", () => scanVocab(source, { maxVocabSize: NaN }), TypeError, /^scanVocab: maxVocabSize must be an integer, got NaN$/],
    ["scanVocab maxFinalVocab 0", () => scanVocab(source, { maxFinalVocab: 0 }), RangeError, /^scanVocab: maxFinalVocab must be >= 1, got 0$/],
    ["scanVocab encoding", () => scanVocab(source, { encoding: "ascii" as never }), RangeError, /^scanVocab: encoding must be "utf8" or "latin1", got "ascii"$/],
    ["scanVocab lowercase", () => scanVocab(source, { lowercase: 1 as never }), TypeError, /^scanVocab: lowercase must be a boolean, got 1$/],
    ["scanVocab onProgress", () => scanVocab(source, { onProgress: 1 as never }), TypeError, /^scanVocab: onProgress must be a function, got 1$/],
    ["encodeChunks vocab", () => drain(encodeChunks(source, {} as never)), TypeError, /^encodeChunks: vocab must be a Vocab, got /],
    ["encodeChunks chunkTokens", () => drain(encodeChunks(source, vocab(), { chunkTokens: 0 })), RangeError, /^encodeChunks: chunkTokens must be >= 1, got 0$/],
    ["encodeChunks alloc", () => drain(encodeChunks(source, vocab(), { alloc: 3 as never })), TypeError, /^encodeChunks: alloc must be a function, got 3$/],
    ["encodeChunks unknown option", () => drain(encodeChunks(source, vocab(), { chunk: 3 } as never)), TypeError, /^encodeChunks: unknown option "chunk"/],
    ["tokenBlocks tokenizer", () => drain(tokenBlocks(source, { tokenizer: "bpe" as never })), RangeError, /^tokenBlocks: tokenizer must be "words" or "whitespace", got "bpe"$/],
    ["trainCBOW stream maxSentenceLength", () => trainCBOW(source, { maxSentenceLength: 0 }), RangeError, /^trainCBOW: maxSentenceLength must be >= 1, got 0$/],
    ["trainCBOW stream corpusMemory", () => trainCBOW(source, { corpusMemory: 1.5 }), TypeError, /^trainCBOW: corpusMemory must be an integer, got 1\.5$/],
    ["trainCBOW stream onScan", () => trainCBOW(source, { onScan: "x" as never }), TypeError, /^trainCBOW: onScan must be a function, got "x"$/],
    ["trainCBOW stream unknown option", () => trainCBOW(source, { minCont: 1 } as never), TypeError, /^trainCBOW: unknown option "minCont"/],
  ];
  for (const [name, act, cls, message] of cases) {
    it(name, async () => {
      let thrown: unknown;
      try {
        await act();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(cls);
      expect((thrown as Error).message).toMatch(message);
    });
  }
  it("nothing was read by any of them", () => expect(opened).toBe(0));

  it("fileCorpus", () => {
    expect(() => fileCorpus("")).toThrow(/^fileCorpus: path must be a non-empty string, got ""$/);
    expect(() => fileCorpus("x", { name: 3 as never })).toThrow(/^fileCorpus: name must be a non-empty string, got 3$/);
  });
});

describe("word2vec: bad arguments are refused by name, before anything changes", () => {
  // imported here so that the table above stays about the layers
  it("every new public function", async () => {
    const m = await import("../src/index.js");
    const corpus = m.encodeCorpus(m.generateDemoCorpus({ sentences: 100, seed: 1 }), { minCount: 1 });
    const model = m.trainWord2Vec(corpus, { dim: 4, epochs: 1, hs: true });
    const syn0 = model.syn0.data.slice(), syn1 = model.syn1.data.slice();
    const cases: [string, () => unknown, ErrorClass, RegExp][] = [
      ["buildHuffman NaN", () => m.buildHuffman([1, NaN]), TypeError, /^buildHuffman: counts\[1\] must be a number, got NaN$/],
      ["buildHuffman empty", () => m.buildHuffman([]), RangeError, /^buildHuffman: counts must have at least one entry$/],
      ["trainCBOW sg", () => m.trainCBOW(corpus, { sg: "yes" as never }), TypeError, /^trainCBOW: sg must be a boolean, got "yes"$/],
      ["trainCBOW hs", () => m.trainCBOW(corpus, { hs: 1 as never }), TypeError, /^trainCBOW: hs must be a boolean, got 1$/],
      ["trainCBOW negative", () => m.trainCBOW(corpus, { negative: -1 }), RangeError, /^trainCBOW: negative must be in \[0, 1000\], got -1$/],
      ["trainCBOW cbowMean", () => m.trainCBOW(corpus, { cbowMean: null as never }), TypeError, /^trainCBOW: cbowMean must be a boolean, got null$/],
      ["trainCBOW nothing to train", () => m.trainCBOW(corpus, { negative: 0 }), RangeError, /^trainCBOW: negative is 0 and hs is off/],
      ["trainCBOW initial", () => m.trainCBOW(corpus, { initial: { syn0: [1] } as never }), TypeError, /^trainCBOW: initial must be \{ syn0, syn1neg, syn1 \} of Float32Arrays/],
      ["trainCBOW initial size", () => m.trainCBOW(corpus, { dim: 4, initial: { syn0: new Float32Array(3), syn1neg: new Float32Array(0), syn1: new Float32Array(0) } }), RangeError, /^trainCBOW: initial\.syn0 has 3 numbers; \d+ expected \(V = \d+, dim = 4\)$/],
      ["trainWord2Vec stopAfter", () => m.trainWord2Vec(corpus, { epochs: 2, stopAfter: 0 }), RangeError, /^trainWord2Vec: stopAfter must be in \[1, 2\], got 0$/],
      ["trainWord2Vec option", () => m.trainWord2Vec(corpus, { epoch: 2 } as never), TypeError, /^trainWord2Vec: unknown option "epoch"/],
      ["resumeWord2Vec model", () => m.resumeWord2Vec(null as never, "a"), TypeError, /^resumeWord2Vec: model must be a Word2VecModel, got null$/],
      ["resumeWord2Vec text", () => m.resumeWord2Vec(model, 3 as never), TypeError, /^resumeWord2Vec: text must be a string, got 3$/],
      ["resumeWord2Vec epochs", () => m.resumeWord2Vec(model, "cat", { epochs: 1.5 }), TypeError, /^resumeWord2Vec: epochs must be an integer, got 1\.5$/],
      ["Word2VecModel shapes", () => new m.Word2VecModel(model.vocab, model.settings, model.syn1, model.syn1neg, model.syn1, model.state), RangeError, /^Word2VecModel: syn0 must have shape \[\d+, 4\], got \[\d+, 4\]$/],
      ["Word2VecModel settings", () => new m.Word2VecModel(model.vocab, { ...model.settings, window: 0 }, model.syn0, model.syn1neg, model.syn1, model.state), RangeError, /^Word2VecModel: settings\.window must be in \[1, 1000\], got 0$/],
      ["encodeModel", () => m.encodeModel({} as never), TypeError, /^encodeModel: model must be a Word2VecModel, got an object$/],
      ["decodeModel bytes", () => m.decodeModel("EKW2VMDL" as never), TypeError, /^decodeModel: bytes must be a Uint8Array, got "EKW2VMDL"$/],
      ["decodeModel foreign", () => m.decodeModel(new Uint8Array(20), "z.bin"), Error, /^decodeModel: z\.bin is not an embedkit model file/],
      ["SkipGram counts", () => new m.SkipGram(3, 2, [1, 1]), RangeError, /^NegativeSamplingLoss: counts has 2 entries, W has 3 rows$/],
      ["SkipGram.pairs", () => m.SkipGram.pairs([0, 1.5], 1), TypeError, /^SkipGram\.pairs: sentence\[1\] must be an integer, got 1\.5$/],
    ];
    for (const [name, act, cls, message] of cases) {
      let thrown: unknown;
      try {
        act();
      } catch (e) {
        thrown = e;
      }
      expect(thrown, name).toBeInstanceOf(cls);
      if (cls === Error) expect((thrown as Error).constructor, name).toBe(Error);
      expect((thrown as Error).message, name).toMatch(message);
    }
    expect(model.syn0.data).toEqual(syn0);
    expect(model.syn1.data).toEqual(syn1);
  });
});
