// embedkit's public API: everything a user imports comes from here.
export { Tensor, type NestedArray } from "./tensor/tensor.js";
export { Parameter, RowSparseGrad } from "./tensor/parameter.js";
export { type IndexLike, type NestedIndex, type Indices, toIndices } from "./tensor/indices.js";
export { Random } from "./tensor/random.js";
export { oneHot, matmul } from "./tensor/ops.js";
export { Embedding, type EmbeddingOptions } from "./layers/embedding.js";
export { MatMul } from "./layers/matmul.js";
export { Optimizer, SGD, Adagrad, Adam, SparseAdam } from "./optim/optimizers.js";
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
  table,
  show,
} from "./display/index.js";
