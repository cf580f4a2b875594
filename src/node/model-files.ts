// The model file on disk (Node, Deno and Bun through node:fs): written atomically, read and checked
// whole before anything is built from it.
import { readFileSync } from "node:fs";
import { describe } from "../tensor/check.js";
import { Word2VecModel } from "../word2vec/model.js";
import { writeFileAtomic } from "./files.js";
import { decodeModel, modelChunks } from "../io/model.js";

/**
 * Saves a whole {@link Word2VecModel} (vocabulary with counts, every table and setting, how far
 * training got) to `path` in embedkit's model format, atomically: a failure leaves the previous file.
 *
 * @example
 * ```ts
 * // import { saveModel, loadModel } from "embedkit/node";
 * const corpus = encodeCorpus(generateDemoCorpus({ sentences: 100, seed: 1 }), { minCount: 1 });
 * saveModel("demo.model", trainWord2Vec(corpus, { sg: true, dim: 8, epochs: 1 }));
 * ```
 */
export function saveModel(path: string, model: Word2VecModel): void {
  if (typeof path !== "string" || path === "") throw new TypeError(`saveModel: path must be a non-empty string, got ${describe(path)}`);
  if (!(model instanceof Word2VecModel)) throw new TypeError(`saveModel: model must be a Word2VecModel, got ${describe(model)}`);
  writeFileAtomic(path, modelChunks(model));
}

/**
 * Loads a model saved by {@link saveModel}. A file that is not an embedkit model, is of another
 * format version, is truncated or whose header lies about its sizes is refused with an Error naming
 * the file and what is wrong, before anything of the claimed size is allocated.
 *
 * @example
 * ```ts
 * const corpus = encodeCorpus(generateDemoCorpus({ sentences: 100, seed: 1 }), { minCount: 1 });
 * saveModel("sg.model", trainWord2Vec(corpus, { sg: true, dim: 8, epochs: 1 }));
 * const model = loadModel("sg.model");
 * model.description; // "skip-gram + negative sampling (5)"
 * ```
 */
export function loadModel(path: string): Word2VecModel {
  if (typeof path !== "string" || path === "") throw new TypeError(`loadModel: path must be a non-empty string, got ${describe(path)}`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`loadModel: cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return decodeModel(bytes, path);
  } catch (e) {
    throw new Error((e as Error).message.replace(/^decodeModel: /, "loadModel: "), { cause: e });
  }
}
