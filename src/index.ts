// embedkit's public API: everything a user imports comes from here.
import { attachDisplay } from "./display/index.js";

// Tensors show as heat maps in a Jupyter kernel (src/tensor itself knows nothing of pictures).
attachDisplay();

export { Tensor, type NestedArray } from "./tensor/tensor.js";
export { Parameter, RowSparseGrad } from "./tensor/parameter.js";
export { type IndexLike, type NestedIndex } from "./tensor/indices.js";
export { Random } from "./tensor/random.js";
export { oneHot, matmul } from "./tensor/ops.js";
export { Embedding, type EmbeddingOptions } from "./layers/embedding.js";
export { MatMul } from "./layers/matmul.js";
export { Optimizer, SGD, Adagrad, Adam, SparseAdam } from "./optim/optimizers.js";
export { KeyedVectors, type Neighbour, type WordPairsScore, type AnalogyScore, type EvaluateOptions } from "./vectors/keyed-vectors.js";
export { pearson, spearman, averageRanks } from "./vectors/correlation.js";
export {
  formatWord2VecText,
  parseWord2VecText,
  decodeWord2VecText,
  encodeWord2VecBinary,
  decodeWord2VecBinary,
  decodeWord2Vec,
  isWord2VecBinary,
  type Word2VecReadOptions,
} from "./io/word2vec.js";
export { formatFloat32 } from "./io/float32-repr.js";
export { encodeNpy, decodeNpy } from "./io/npy.js";
export { readWordPairs, readAnalogies, readAnalogySections, type WordPair, type AnalogyQuestion } from "./vectors/benchmarks.js";
export { EmbeddingBag, type EmbeddingBagOptions, type BagMode } from "./layers/embedding-bag.js";
export { ContextMean, type ContextMeanOptions, PAD } from "./layers/context-mean.js";
export { Linear, type LinearOptions } from "./layers/linear.js";
export { ReLU } from "./layers/relu.js";
export { EmbeddingDot } from "./layers/embedding-dot.js";
export { SigmoidWithLoss, sigmoid } from "./layers/sigmoid-with-loss.js";
export { SoftmaxWithLoss } from "./layers/softmax-with-loss.js";
export { tokenize } from "./text/tokenize.js";
export { Vocab, type VocabOptions } from "./text/vocab.js";
export { preprocess, createContextsTarget, type Preprocessed } from "./text/preprocess.js";
export { encodeCorpus, type EncodedCorpus, type EncodeOptions } from "./text/corpus.js";
export { generateDemoCorpus, DEMO_CLASSES } from "./text/synthetic.js";
export { UnigramSampler, type UnigramSamplerOptions } from "./models/unigram-sampler.js";
export { CBOW, NegativeSamplingLoss, type CBOWOptions } from "./models/cbow.js";
export { SimpleCBOW } from "./models/simple-cbow.js";
export { SkipGram } from "./models/skip-gram.js";
export { cbowUpdate } from "./word2vec/step.js";
export {
  trainCBOW, TrainingDivergedError, type CBOWTrainOptions, type CBOWStreamOptions, type CBOWProgress, type CBOWResult, type CorpusStats,
} from "./word2vec/trainer.js";
export { SETTINGS, type SettingSpec } from "./word2vec/settings.js";
export { tokenBlocks } from "./text/byte-tokens.js";
export { EOL, type TextChunk, type CorpusSource, type CorpusInput, type TokenizerOptions, type TextEncoding } from "./text/stream.js";
export {
  scanVocab, finalVocab, encodeChunks, type VocabScanOptions, type VocabScan, type ScanProgress, type SentenceChunk, type ChunkOptions,
} from "./text/corpus-stream.js";
export { buildHuffman, type HuffmanTree } from "./word2vec/huffman.js";
export {
  Word2VecModel,
  trainWord2Vec,
  resumeWord2Vec,
  type Word2VecSettings,
  type Word2VecState,
  type Word2VecTrainOptions,
  type Word2VecStreamOptions,
  type ResumeOptions,
} from "./word2vec/model.js";
export { encodeModel, decodeModel, MODEL_FORMAT_VERSION } from "./io/model.js";
export {
  tensorHtml,
  type TensorHtmlOptions,
  type MimeBundle,
  Figure,
  linePlot,
  scatterPlot,
  barChart,
  PALETTE,
  type PlotOptions,
  type Series,
  type Point,
  type Bar,
  Summary,
  summary,
  type SummaryEntry,
  type SummaryRow,
  Html,
  sideBySide,
  type SideBySideOptions,
  heatMap,
  type HeatMapOptions,
  colorBar,
  type HeatScale,
  logTickLabeller,
  table,
  show,
} from "./display/index.js";
export { WideDeep, type WideDeepField, type WideDeepOptions, rocAuc } from "./models/wide-deep.js";
export { generateClickLog, clickLogBatch, type ClickLog, type ClickLogField, type ClickLogOptions, type BagInput, type WideDeepBatch } from "./models/click-log.js";
export { pca, type PCAResult } from "./vectors/pca.js";
export { TSNE, tsne, tsneAffinities, tsneGradient, type TSNEOptions, type TSNEAffinities } from "./vectors/tsne.js";
export {
  FastText, type Prediction, type FastTextTestResult, trainFastText, type FastTextTrainStats, FastTextDictionary,
  type FastTextArgs, type FastTextOptions, type FastTextModelName, type FastTextLoss, FASTTEXT_SETTINGS,
  fastTextHash, charNgrams, encodeFastTextBin, decodeFastTextBin, isFastTextBin,
} from "./fasttext/index.js";
