// The same bad values through every argument of every public function of the core: each call must
// throw a TypeError or RangeError whose message names the function and the argument, and change
// nothing. Values that are legitimately valid for an argument are listed as such.
import { describe, expect, it } from "vitest";
import {
  Adagrad, Adam, decodeNpy, decodeWord2VecBinary, Embedding, encodeNpy, encodeWord2VecBinary, formatWord2VecText, KeyedVectors, matmul, MatMul,
  oneHot, Parameter, parseWord2VecText, Random, readAnalogies, readWordPairs, RowSparseGrad, SGD, SparseAdam, Tensor,
  CBOW, cbowUpdate, createContextsTarget, EmbeddingBag, EmbeddingDot, encodeCorpus, generateDemoCorpus, linePlot, NegativeSamplingLoss,
  pearson, preprocess, scatterPlot, sigmoid, SigmoidWithLoss, SimpleCBOW, SoftmaxWithLoss, spearman, summary, tensorHtml, tokenize,
  trainCBOW, UnigramSampler, Vocab, formatFloat32, isWord2VecBinary, barChart, table,
  buildHuffman, trainWord2Vec, resumeWord2Vec, encodeModel, decodeModel, SkipGram,
  ContextMean, Linear, ReLU, WideDeep, rocAuc, generateClickLog, clickLogBatch,
} from "../src/index.js";

const BAD: [string, unknown][] = [
  ["'5'", "5"], ["NaN", NaN], ["Infinity", Infinity], ["-1", -1], ["1.5", 1.5],
  ["null", null], ["undefined", undefined], ["{}", {}], ["[]", []],
];

interface Row {
  fn: string;
  arg: RegExp; // how the message names the argument
  call: (v: any) => unknown;
  valid?: string[]; // bad-list names that are valid for this argument
  state?: () => unknown; // a snapshot that must not change
}

const emb = new Embedding(10, 3, { seed: 1, maxNorm: 0.5 });
emb.forward([[1, 2]]);
emb.backward(Tensor.ones([1, 2, 3]));
const snapshot = () => JSON.stringify([Array.from(emb.weight.data), Array.from((emb.weight.grad as Tensor).data), Array.from(emb.weight.touchedRows ?? [])]);
const params = () => [new Parameter(new Float32Array(4), [2, 2])];
const t23 = Tensor.zeros([2, 3]);
const sumBag = new EmbeddingBag(8, 3, { mode: "sum", seed: 1 });
sumBag.forward([1, 2, 2], [0, 1]);
sumBag.backward(Tensor.ones([2, 3]));
const bagSnapshot = () => JSON.stringify([Array.from(sumBag.weight.data), Array.from((sumBag.weight.grad as Tensor).data), Array.from(sumBag.weight.touchedRows ?? [])]);
const lin = new Linear(3, 2, { seed: 1 });
lin.forward(Tensor.ones([4, 3]));
lin.backward(Tensor.ones([4, 2]));
const linSnapshot = () => JSON.stringify([Array.from(lin.weight.data), Array.from((lin.weight.grad as Tensor).data)]);
const relu = new ReLU();
relu.forward(Tensor.ones([2, 2]));
const clickLog = generateClickLog({ records: 10, seed: 1 });

const rows: Row[] = [
  { fn: "Tensor", arg: /data/, call: (v) => new Tensor(v, [1]) },
  { fn: "Tensor", arg: /shape/, call: (v) => new Tensor(new Float32Array(4), v) },
  { fn: "Tensor.zeros", arg: /shape/, call: (v) => Tensor.zeros(v), valid: ["[]"] },
  { fn: "Tensor.ones", arg: /shape/, call: (v) => Tensor.ones(v), valid: ["[]"] },
  { fn: "Tensor.from", arg: /element|data|values/, call: (v) => Tensor.from(v), valid: ["NaN", "Infinity", "-1", "1.5", "[]"] },
  { fn: "Tensor.from", arg: /shape/, call: (v) => Tensor.from([1, 2, 3, 4], v), valid: ["undefined"] },
  { fn: "Tensor.randn", arg: /shape/, call: (v) => Tensor.randn(v), valid: ["[]"] },
  { fn: "Tensor.randn", arg: /seed/, call: (v) => Tensor.randn([2], { seed: v }), valid: ["-1", "undefined"] },
  { fn: "Tensor.randn", arg: /std/, call: (v) => Tensor.randn([2], { std: v }), valid: ["1.5", "undefined"] },
  { fn: "Tensor.randn", arg: /mean/, call: (v) => Tensor.randn([2], { mean: v }), valid: ["-1", "1.5", "undefined"] },
  { fn: "Tensor.reshape", arg: /shape/, call: (v) => t23.reshape(v), valid: ["-1"] },
  { fn: "Tensor.row", arg: /row/, call: (v) => t23.row(v) },
  { fn: "Random", arg: /seed/, call: (v) => new Random(v), valid: ["-1", "undefined"] },
  { fn: "Embedding", arg: /numEmbeddings/, call: (v) => new Embedding(v, 3) },
  { fn: "Embedding", arg: /embeddingDim/, call: (v) => new Embedding(10, v) },
  { fn: "Embedding", arg: /options/, call: (v) => new Embedding(10, 3, v), valid: ["undefined", "{}"] },
  { fn: "Embedding", arg: /paddingIdx/, call: (v) => new Embedding(10, 3, { paddingIdx: v }), valid: ["-1", "null", "undefined"] },
  { fn: "Embedding", arg: /maxNorm/, call: (v) => new Embedding(10, 3, { maxNorm: v }), valid: ["Infinity", "1.5", "null", "undefined"] },
  { fn: "Embedding", arg: /normType/, call: (v) => new Embedding(10, 3, { normType: v }), valid: ["Infinity", "1.5", "undefined"] },
  { fn: "Embedding", arg: /scaleGradByFreq/, call: (v) => new Embedding(10, 3, { scaleGradByFreq: v }), valid: ["undefined"] },
  { fn: "Embedding", arg: /sparse/, call: (v) => new Embedding(10, 3, { sparse: v }), valid: ["undefined"] },
  { fn: "Embedding", arg: /weight/, call: (v) => new Embedding(10, 3, { weight: v }), valid: ["undefined"] },
  { fn: "Embedding", arg: /seed/, call: (v) => new Embedding(10, 3, { seed: v }), valid: ["-1", "undefined"] },
  { fn: "Embedding.fromPretrained", arg: /weight/, call: (v) => Embedding.fromPretrained(v) },
  { fn: "Embedding.fromPretrained", arg: /freeze/, call: (v) => Embedding.fromPretrained(t23, { freeze: v }), valid: ["undefined"] },
  { fn: "Embedding.forward", arg: /ind(ex|ices)/, call: (v) => emb.forward(v), valid: ["[]"], state: snapshot },
  { fn: "Embedding.forward", arg: /ind(ex|ices)/, call: (v) => emb.forward([[0, 1], [2, v]]), state: snapshot },
  { fn: "Embedding.forward", arg: /out/, call: (v) => emb.forward([1], v), valid: ["undefined"], state: snapshot },
  { fn: "Embedding.backward", arg: /dout/, call: (v) => emb.backward(v), state: snapshot },
  { fn: "oneHot", arg: /ind(ex|ices)/, call: (v) => oneHot(v, 4), valid: ["[]"] },
  { fn: "oneHot", arg: /numClasses/, call: (v) => oneHot([1], v) },
  { fn: "matmul", arg: /\ba\b/, call: (v) => matmul(v, t23) },
  { fn: "matmul", arg: /\bb\b/, call: (v) => matmul(t23, v) },
  { fn: "MatMul", arg: /W/, call: (v) => new MatMul(v) },
  { fn: "MatMul.forward", arg: /x/, call: (v) => new MatMul(t23).forward(v) },
  { fn: "Parameter.fromTensor", arg: /\bt\b/, call: (v) => Parameter.fromTensor(v) },
  { fn: "RowSparseGrad", arg: /rows/, call: (v) => new RowSparseGrad(v, Tensor.zeros([1, 2]), [3, 2]) },
  { fn: "RowSparseGrad", arg: /values/, call: (v) => new RowSparseGrad(new Int32Array([1]), v, [3, 2]) },
  { fn: "RowSparseGrad", arg: /shape/, call: (v) => new RowSparseGrad(new Int32Array([1]), Tensor.zeros([1, 2]), v) },
  { fn: "SGD", arg: /params/, call: (v) => new SGD(v, { lr: 0.1 }), valid: ["[]"] },
  { fn: "SGD", arg: /lr/, call: (v) => new SGD(params(), { lr: v }), valid: ["1.5"] },
  { fn: "SGD", arg: /momentum/, call: (v) => new SGD(params(), { lr: 0.1, momentum: v }), valid: ["1.5", "undefined"] },
  { fn: "SGD", arg: /dampening/, call: (v) => new SGD(params(), { lr: 0.1, dampening: v }), valid: ["-1", "1.5", "undefined"] },
  { fn: "SGD", arg: /nesterov/, call: (v) => new SGD(params(), { lr: 0.1, nesterov: v }), valid: ["undefined"] },
  { fn: "SGD", arg: /weightDecay/, call: (v) => new SGD(params(), { lr: 0.1, weightDecay: v }), valid: ["1.5", "undefined"] },
  { fn: "Adagrad", arg: /lr\b/, call: (v) => new Adagrad(params(), { lr: v }), valid: ["1.5", "undefined"] },
  { fn: "Adagrad", arg: /lrDecay/, call: (v) => new Adagrad(params(), { lrDecay: v }), valid: ["1.5", "undefined"] },
  { fn: "Adagrad", arg: /initialAccumulatorValue/, call: (v) => new Adagrad(params(), { initialAccumulatorValue: v }), valid: ["1.5", "undefined"] },
  { fn: "Adagrad", arg: /eps/, call: (v) => new Adagrad(params(), { eps: v }), valid: ["1.5", "undefined"] },
  { fn: "Adam", arg: /lr/, call: (v) => new Adam(params(), { lr: v }), valid: ["1.5", "undefined"] },
  { fn: "Adam", arg: /betas/, call: (v) => new Adam(params(), { betas: v }), valid: ["undefined"] },
  { fn: "Adam", arg: /betas\[0\]/, call: (v) => new Adam(params(), { betas: [v, 0.9] }) },
  { fn: "Adam", arg: /eps/, call: (v) => new Adam(params(), { eps: v }), valid: ["1.5", "undefined"] },
  { fn: "Adam", arg: /weightDecay/, call: (v) => new Adam(params(), { weightDecay: v }), valid: ["1.5", "undefined"] },
  { fn: "SparseAdam", arg: /lr/, call: (v) => new SparseAdam(params(), { lr: v }), valid: ["1.5", "undefined"] },
  { fn: "SparseAdam", arg: /betas\[1\]/, call: (v) => new SparseAdam(params(), { betas: [0.9, v] }) },
];

const kv = new KeyedVectors(["cat", "dog", "fish"], Tensor.randn([3, 4], { seed: 2 }));
const kvState = () => JSON.stringify([kv.words, Array.from(kv.vectors.data)]);
rows.push(
  { fn: "KeyedVectors", arg: /words/, call: (v) => new KeyedVectors(v, Tensor.zeros([1, 2])) },
  { fn: "KeyedVectors", arg: /vectors/, call: (v) => new KeyedVectors(["a"], v) },
  { fn: "KeyedVectors.get", arg: /word/, call: (v) => kv.get(v), state: kvState },
  { fn: "KeyedVectors.mostSimilar", arg: /word/, call: (v) => kv.mostSimilar(v), state: kvState },
  { fn: "KeyedVectors.mostSimilar", arg: /topN/, call: (v) => kv.mostSimilar("cat", v), valid: ["undefined"], state: kvState },
  { fn: "KeyedVectors.similarity", arg: /\ba\b/, call: (v) => kv.similarity(v, "dog"), state: kvState },
  { fn: "KeyedVectors.similarity", arg: /\bb\b/, call: (v) => kv.similarity("cat", v), state: kvState },
  { fn: "KeyedVectors.analogy", arg: /\bc\b/, call: (v) => kv.analogy("cat", "dog", v), state: kvState },
  { fn: "KeyedVectors.analogy", arg: /topN/, call: (v) => kv.analogy("cat", "dog", "fish", v), valid: ["undefined"], state: kvState },
  { fn: "KeyedVectors.analogy", arg: /options/, call: (v) => kv.analogy("cat", "dog", "fish", 1, { restrictVocab: v }), valid: ["undefined"], state: kvState },
  { fn: "KeyedVectors.mostSimilar", arg: /options\.negative/, call: (v) => kv.mostSimilar("cat", 1, { negative: v }), valid: ["undefined", "[]"], state: kvState },
  { fn: "KeyedVectors.mostSimilar", arg: /options\.negative\[0\]|query vector/, call: (v) => kv.mostSimilar("cat", 1, { negative: [v] }), state: kvState },
  { fn: "KeyedVectors.mostSimilar", arg: /word\[1\]|query vector/, call: (v) => kv.mostSimilar(["cat", v]), state: kvState },
  { fn: "KeyedVectors.mostSimilar", arg: /options/, call: (v) => kv.mostSimilar("cat", 1, { restrictVocab: v }), valid: ["undefined"], state: kvState },
  { fn: "KeyedVectors.evaluateWordPairs", arg: /pairs/, call: (v) => kv.evaluateWordPairs(v), valid: ["[]"], state: kvState },
  { fn: "KeyedVectors.evaluateAnalogies", arg: /questions/, call: (v) => kv.evaluateAnalogies(v), valid: ["[]"], state: kvState },
  { fn: "formatWord2VecText", arg: /kv/, call: (v) => formatWord2VecText(v) },
  { fn: "encodeWord2VecBinary", arg: /kv/, call: (v) => encodeWord2VecBinary(v) },
  { fn: "parseWord2VecText", arg: /text/, call: (v) => parseWord2VecText(v), valid: ["'5'"] },
  { fn: "parseWord2VecText", arg: /source/, call: (v) => parseWord2VecText("1 1\na 1\n", v), valid: ["'5'", "undefined"] },
  { fn: "decodeWord2VecBinary", arg: /bytes/, call: (v) => decodeWord2VecBinary(v) },
  { fn: "encodeNpy", arg: /\bt\b/, call: (v) => encodeNpy(v) },
  { fn: "decodeNpy", arg: /bytes/, call: (v) => decodeNpy(v) },
  { fn: "decodeNpy", arg: /source/, call: (v) => decodeNpy(encodeNpy(Tensor.zeros([1])), v), valid: ["'5'", "undefined"] },
  { fn: "readWordPairs", arg: /text/, call: (v) => readWordPairs(v), valid: ["'5'"] },
  { fn: "readAnalogies", arg: /text/, call: (v) => readAnalogies(v), valid: ["'5'"] },
);

const corpus = encodeCorpus(generateDemoCorpus({ sentences: 50, seed: 1 }), { minCount: 1 });
const w2vModel = trainWord2Vec(corpus, { dim: 4, epochs: 1 });
const W8 = Tensor.randn([8, 3], { seed: 1 });
rows.push(
  { fn: "tokenize", arg: /text/, call: (v) => tokenize(v), valid: ["'5'"] },
  { fn: "preprocess", arg: /text/, call: (v) => preprocess(v), valid: ["'5'"] },
  { fn: "createContextsTarget", arg: /corpus/, call: (v) => createContextsTarget(v, 1), valid: ["[]"] },
  { fn: "createContextsTarget", arg: /windowSize/, call: (v) => createContextsTarget([0, 1, 2, 3], v), valid: ["undefined"] },
  { fn: "Vocab", arg: /words/, call: (v) => new Vocab(v, [1]) },
  { fn: "encodeCorpus", arg: /text/, call: (v) => encodeCorpus(v), valid: ["'5'"] },
  { fn: "encodeCorpus", arg: /minCount/, call: (v) => encodeCorpus("a b a", { minCount: v }), valid: ["undefined"] },
  { fn: "generateDemoCorpus", arg: /sentences/, call: (v) => generateDemoCorpus({ sentences: v }), valid: ["undefined"] },
  { fn: "generateDemoCorpus", arg: /seed/, call: (v) => generateDemoCorpus({ sentences: 1, seed: v }), valid: ["-1", "undefined"] },
  // [] is a stream of no chunks: trainCBOW returns a Promise for it, rejected with "the vocabulary has
  // 0 word(s)" (test/corpus-stream.test.ts checks that rejection).
  { fn: "trainCBOW", arg: /corpus/, call: (v) => trainCBOW(v), valid: ["[]"] },
  { fn: "trainCBOW", arg: /dim/, call: (v) => trainCBOW(corpus, { dim: v, epochs: 1 }), valid: ["undefined"] },
  { fn: "trainCBOW", arg: /window/, call: (v) => trainCBOW(corpus, { window: v, epochs: 1 }), valid: ["undefined"] },
  { fn: "trainCBOW", arg: /negative/, call: (v) => trainCBOW(corpus, { negative: v, epochs: 1 }), valid: ["undefined"] },
  { fn: "trainCBOW", arg: /epochs/, call: (v) => trainCBOW(corpus, { epochs: v }), valid: ["undefined"] },
  { fn: "trainCBOW", arg: /alpha/, call: (v) => trainCBOW(corpus, { alpha: v, epochs: 1 }), valid: ["1.5", "undefined"] },
  { fn: "trainCBOW", arg: /sample/, call: (v) => trainCBOW(corpus, { sample: v, epochs: 1 }), valid: ["1.5", "undefined"] },
  { fn: "cbowUpdate", arg: /Win/, call: (v) => cbowUpdate(v, new Float32Array(4), 2, new Int32Array([0]), 1, 1, new Int32Array([0]), 1, 0.1, new Float64Array(2), new Float64Array(2), true, true) },
  { fn: "cbowUpdate", arg: /target/, call: (v) => cbowUpdate(new Float32Array(4), new Float32Array(4), 2, new Int32Array([0]), 1, v, new Int32Array([0]), 1, 0.1, new Float64Array(2), new Float64Array(2), true, true) },
  { fn: "cbowUpdate", arg: /alpha/, call: (v) => cbowUpdate(new Float32Array(4), new Float32Array(4), 2, new Int32Array([0]), 1, 1, new Int32Array([0]), 1, v, new Float64Array(2), new Float64Array(2), true, true), valid: ["-1", "1.5"] },
  { fn: "EmbeddingBag", arg: /numEmbeddings/, call: (v) => new EmbeddingBag(v, 3) },
  { fn: "EmbeddingBag", arg: /embeddingDim/, call: (v) => new EmbeddingBag(8, v) },
  { fn: "EmbeddingBag", arg: /mode/, call: (v) => new EmbeddingBag(8, 3, { mode: v }), valid: ["undefined"] },
  { fn: "EmbeddingBag", arg: /paddingIdx/, call: (v) => new EmbeddingBag(8, 3, { paddingIdx: v }), valid: ["-1", "null", "undefined"] },
  { fn: "EmbeddingBag", arg: /maxNorm/, call: (v) => new EmbeddingBag(8, 3, { maxNorm: v }), valid: ["Infinity", "1.5", "null", "undefined"] },
  { fn: "EmbeddingBag", arg: /includeLastOffset/, call: (v) => new EmbeddingBag(8, 3, { includeLastOffset: v }), valid: ["undefined"] },
  { fn: "EmbeddingBag", arg: /seed/, call: (v) => new EmbeddingBag(8, 3, { seed: v }), valid: ["-1", "undefined"] },
  { fn: "EmbeddingBag.fromPretrained", arg: /weight/, call: (v) => EmbeddingBag.fromPretrained(v) },
  { fn: "EmbeddingBag.fromPretrained", arg: /freeze/, call: (v) => EmbeddingBag.fromPretrained(t23, { freeze: v }), valid: ["undefined"] },
  { fn: "EmbeddingBag.forward", arg: /ind(ex|ices)/, call: (v) => sumBag.forward(v, [0]), valid: ["[]"], state: bagSnapshot },
  { fn: "EmbeddingBag.forward", arg: /offsets/, call: (v) => sumBag.forward([0, 1], v), valid: ["[]"], state: bagSnapshot },
  { fn: "EmbeddingBag.forward", arg: /perSampleWeights/, call: (v) => sumBag.forward([0, 1], [0], v), valid: ["null", "undefined"], state: bagSnapshot },
  { fn: "EmbeddingBag.backward", arg: /dout/, call: (v) => sumBag.backward(v), state: bagSnapshot },
  { fn: "ContextMean", arg: /numEmbeddings/, call: (v) => new ContextMean(v, 3) },
  { fn: "ContextMean", arg: /undividedGrad/, call: (v) => new ContextMean(8, 3, { undividedGrad: v }), valid: ["undefined"] },
  { fn: "Linear", arg: /inFeatures/, call: (v) => new Linear(v, 3) },
  { fn: "Linear", arg: /outFeatures/, call: (v) => new Linear(3, v) },
  { fn: "Linear", arg: /bias/, call: (v) => new Linear(3, 2, { bias: v }), valid: ["undefined"] },
  { fn: "Linear", arg: /seed/, call: (v) => new Linear(3, 2, { seed: v }), valid: ["-1", "undefined"] },
  { fn: "Linear.forward", arg: /\bx\b/, call: (v) => lin.forward(v), state: linSnapshot },
  { fn: "Linear.backward", arg: /dout/, call: (v) => lin.backward(v), state: linSnapshot },
  { fn: "ReLU.forward", arg: /\bx\b/, call: (v) => new ReLU().forward(v) },
  { fn: "ReLU.backward", arg: /dout/, call: (v) => relu.backward(v) },
  { fn: "WideDeep", arg: /options|fields/, call: (v) => new WideDeep(v) },
  { fn: "WideDeep", arg: /wideSize/, call: (v) => new WideDeep({ fields: [{ name: "a", vocab: 3, dim: 2 }], wideSize: v, hidden: [2] }) },
  { fn: "WideDeep", arg: /hidden/, call: (v) => new WideDeep({ fields: [{ name: "a", vocab: 3, dim: 2 }], wideSize: 2, hidden: v }), valid: ["[]"] },
  { fn: "WideDeep.forward", arg: /batch/, call: (v) => new WideDeep({ fields: [{ name: "a", vocab: 3, dim: 2 }], wideSize: 2, hidden: [2] }).forward(v) },
  { fn: "rocAuc", arg: /scores/, call: (v) => rocAuc(v, [0, 1]) },
  { fn: "rocAuc", arg: /labels/, call: (v) => rocAuc([0.2, 0.4], v) },
  { fn: "generateClickLog", arg: /options/, call: (v) => generateClickLog(v), valid: ["undefined", "{}"] },
  { fn: "generateClickLog", arg: /users/, call: (v) => generateClickLog({ users: v, records: 10 }), valid: ["undefined"] },
  { fn: "generateClickLog", arg: /records/, call: (v) => generateClickLog({ records: v }), valid: ["undefined"] },
  { fn: "clickLogBatch", arg: /log/, call: (v) => clickLogBatch(v, 0, 1) },
  { fn: "clickLogBatch", arg: /start/, call: (v) => clickLogBatch(clickLog, v, 2) },
  { fn: "EmbeddingDot", arg: /W/, call: (v) => new EmbeddingDot(v) },
  { fn: "NegativeSamplingLoss", arg: /W/, call: (v) => new NegativeSamplingLoss(v, new Array(8).fill(1)) },
  { fn: "NegativeSamplingLoss", arg: /counts/, call: (v) => new NegativeSamplingLoss(W8, v) },
  { fn: "SigmoidWithLoss.forward", arg: /\bx\b/, call: (v) => new SigmoidWithLoss().forward(v, Tensor.zeros([2])) },
  { fn: "SoftmaxWithLoss.forward", arg: /\bx\b/, call: (v) => new SoftmaxWithLoss().forward(v, [0]) },
  { fn: "SimpleCBOW", arg: /vocabSize/, call: (v) => new SimpleCBOW(v, 3) },
  { fn: "CBOW", arg: /vocabSize/, call: (v) => new CBOW(v, 3, [1, 2]) },
  { fn: "UnigramSampler", arg: /counts/, call: (v) => new UnigramSampler(v) },
  { fn: "sigmoid", arg: /\bx\b/, call: (v) => sigmoid(v), valid: ["Infinity", "-1", "1.5"] },
  { fn: "pearson", arg: /\bx\b/, call: (v) => pearson(v, [1, 2]), valid: ["[]"] },
  { fn: "spearman", arg: /\by\b/, call: (v) => spearman([1, 2], v), valid: ["[]"] },
  { fn: "formatFloat32", arg: /\bx\b/, call: (v) => formatFloat32(v), valid: ["NaN", "Infinity", "-1", "1.5"] },
  { fn: "isWord2VecBinary", arg: /bytes/, call: (v) => isWord2VecBinary(v) },
  { fn: "linePlot", arg: /series/, call: (v) => linePlot(v) },
  { fn: "scatterPlot", arg: /points/, call: (v) => scatterPlot(v) },
  { fn: "barChart", arg: /bars/, call: (v) => barChart(v) },
  { fn: "summary", arg: /entries/, call: (v) => summary(v), valid: ["[]"] },
  { fn: "table", arg: /records/, call: (v) => table(v), valid: ["[]"] },
  { fn: "tensorHtml", arg: /\bt\b/, call: (v) => tensorHtml(v) },
  { fn: "trainCBOW", arg: /\bsg\b/, call: (v) => trainCBOW(corpus, { sg: v, epochs: 1 }), valid: ["undefined"] },
  { fn: "trainCBOW", arg: /\bhs\b/, call: (v) => trainCBOW(corpus, { hs: v, epochs: 1 }), valid: ["undefined"] },
  { fn: "trainCBOW", arg: /cbowMean/, call: (v) => trainCBOW(corpus, { cbowMean: v, epochs: 1 }), valid: ["undefined"] },
  { fn: "buildHuffman", arg: /counts/, call: (v) => buildHuffman(v) },
  { fn: "trainWord2Vec", arg: /corpus/, call: (v) => trainWord2Vec(v) },
  { fn: "trainWord2Vec", arg: /stopAfter/, call: (v) => trainWord2Vec(corpus, { epochs: 2, stopAfter: v }), valid: ["undefined"] },
  { fn: "resumeWord2Vec", arg: /model/, call: (v) => resumeWord2Vec(v, "cat") },
  { fn: "resumeWord2Vec", arg: /text/, call: (v) => resumeWord2Vec(w2vModel, v), state: () => Array.from(w2vModel.syn0.data).join(), valid: ["'5'"] }, // "5": a text of one new word
  { fn: "encodeModel", arg: /model/, call: (v) => encodeModel(v) },
  { fn: "decodeModel", arg: /bytes/, call: (v) => decodeModel(v) },
  { fn: "SkipGram.pairs", arg: /sentence/, call: (v) => SkipGram.pairs(v, 1), valid: ["[]"] },
  { fn: "SkipGram.pairs", arg: /window/, call: (v) => SkipGram.pairs([0, 1], v) },
);

describe("every bad value through every argument", () => {
  for (const row of rows) {
    for (const [name, value] of BAD) {
      if (row.valid?.includes(name)) continue;
      it(`${row.fn} (${row.arg.source}) rejects ${name}`, () => {
        const before = row.state?.();
        let thrown: unknown = null;
        try {
          row.call(value);
        } catch (e) {
          thrown = e;
        }
        expect(thrown, "expected a throw").not.toBeNull();
        expect(thrown instanceof TypeError || thrown instanceof RangeError, String(thrown)).toBe(true);
        const message = (thrown as Error).message;
        expect(message.startsWith(`${row.fn}: `), message).toBe(true);
        expect(message).toMatch(row.arg);
        if (row.state) expect(row.state()).toBe(before);
      });
    }
  }
});

describe("indices of other typed arrays", () => {
  it("accepts integer typed arrays (Uint8Array, Int16Array, ...) holding valid indices", () => {
    const e = new Embedding(10, 2, { seed: 1 });
    const expected = e.forward([1, 9]).data;
    expect(e.forward(new Uint8Array([1, 9])).data).toEqual(expected);
    expect(e.forward(new Int16Array([1, 9])).data).toEqual(expected);
  });
  it("refuses float and BigInt typed arrays by their type (PyTorch refuses float indices)", () => {
    const e = new Embedding(10, 2, { seed: 1 });
    expect(() => e.forward(new BigInt64Array([1n, 2n ** 40n]) as never)).toThrow(/^Embedding\.forward: indices must be an integer typed array .* got a BigInt64Array /);
    expect(() => e.forward(new Float64Array([1, 2.5]) as never)).toThrow(/^Embedding\.forward: indices must be an integer typed array .* got a Float64Array /);
  });
});
