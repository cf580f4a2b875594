// embedding-kit/node: what needs Node's worker threads or file system.
export { trainCBOWThreaded, type CBOWThreadedOptions, type CBOWThreadedStreamOptions } from "./cbow-threads.js";
export { fileCorpus } from "./file-corpus.js";
export { corpusFile, isGzipFile } from "./gzip.js";
export { saveWord2Vec, loadWord2Vec, saveNpy, loadNpy } from "./files.js";
export { saveModel, loadModel } from "./model-files.js";
export { trainFastTextThreaded } from "./fasttext-threads.js";
export { saveFastText, loadFastText } from "./fasttext-files.js";
