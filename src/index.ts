// embedkit's public API: everything a user imports comes from here.
export { Tensor, type NestedArray } from "./tensor/tensor.js";
export { Parameter, RowSparseGrad } from "./tensor/parameter.js";
export { type IndexLike, type NestedIndex, type Indices, toIndices } from "./tensor/indices.js";
export { Random } from "./tensor/random.js";
export { oneHot, matmul } from "./tensor/ops.js";
export { Embedding, type EmbeddingOptions } from "./layers/embedding.js";
export { MatMul } from "./layers/matmul.js";
export { Optimizer, SGD, Adagrad, Adam, SparseAdam } from "./optim/optimizers.js";
export { KeyedVectors, type Neighbour, type WordPairsScore, type AnalogyScore, type EvaluateOptions } from "./models/keyed-vectors.js";
export { pearson, spearman, averageRanks } from "./models/correlation.js";
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
export { readWordPairs, readAnalogies, readAnalogySections, type WordPair, type AnalogyQuestion } from "./io/benchmarks.js";
