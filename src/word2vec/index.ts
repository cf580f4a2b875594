// The word2vec module: what each file holds, and the pieces other trainers (fastText) reuse.
//   settings.ts  every setting once: name, default, range, help, CLI flag, word2vec.c/gensim names
//   noise.ts     the noise distribution: alias table, the alias draw, negatives drawn for a word
//   output.ts    the output layer: negative sampling and hierarchical softmax updates
//   step.ts      one CBOW step, one skip-gram step, one sentence (trainSentence)
//   jobs.ts      the job loop: sentences to the kernel, learning-rate decay, progress, divergence
//   huffman.ts   the Huffman tree of hierarchical softmax
//   trainer.ts   a training run: options, tables, streamed corpora (trainCBOW, deprecated)
//   model.ts     Word2VecModel, trainWord2Vec (the entry point), resumeWord2Vec
export {
  SETTINGS, SETTING_NAMES, TRAIN_SETTING_NAMES, type SettingSpec, type Word2VecSettings, checkSetting, checkSettings, resolveSettings, settingSpec, settingsHelp,
} from "./settings.js";
export { type NoiseTable, type NoiseDraws, aliasPick, buildAlias, drawNegatives, noiseTable, seedState } from "./noise.js";
export { HS_MAX_SCORE, hsOutputs, nsOutputs, oneOutput } from "./output.js";
export { type StepParams, type StepScratch, type StepTables, cbowStep, cbowUpdate, cbowUpdateKernel, skipGramStep, stepScratch, trainSentence } from "./step.js";
export {
  DIVERGED, EFFECTIVE, type KernelParams, type KernelTables, LOSS, PROGRESS_SLOTS, type SentenceTrainer, WORDS, chunkSeed, divergedAt, trainChunk, trainJobs,
} from "./jobs.js";
export { type HuffmanTree, buildHuffman } from "./huffman.js";
export {
  type CBOWProgress, type CBOWResult, type CBOWStreamOptions, type CBOWTrainOptions, type CorpusStats, TrainingDivergedError, checkCorpus, checkDiverged,
  prepareTables, kernelParams, readProgress, resolveCBOWOptions, runWord2Vec, trainCBOW,
} from "./trainer.js";
export {
  type ResumeOptions, Word2VecModel, type Word2VecState, type Word2VecTrainOptions, describeModel, resumeWord2Vec, trainWord2Vec,
} from "./model.js";
