// fastText in TypeScript: the public part.
export { FastText, type Prediction, type FastTextTestResult } from "./model.js";
export { trainFastText, type FastTextTrainStats } from "./train.js";
export { FastTextDictionary } from "./dictionary.js";
export { type FastTextArgs, type FastTextOptions, type FastTextModelName, type FastTextLoss, FASTTEXT_SETTINGS } from "./args.js";
export { fastTextHash, charNgrams } from "./hash.js";
export { encodeFastTextBin, decodeFastTextBin, isFastTextBin } from "./binary.js";
