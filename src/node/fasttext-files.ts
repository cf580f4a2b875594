// fastText .bin files on disk: written atomically, read with the file's name in every error.
import { readFileSync } from "node:fs";
import { describe } from "../tensor/check.js";
import { decodeFastTextBin, fastTextBinChunks } from "../fasttext/binary.js";
import { FastText } from "../fasttext/model.js";
import { fileError, writeFileAtomic } from "./files.js";

/**
 * Writes a model as a fastText 0.9 `.bin` file (the fastText CLI loads it), atomically.
 *
 * @example
 * ```ts
 * const model = await trainFastText("where is it\n".repeat(20), { dim: 8, minCount: 1, epoch: 1, bucket: 1000 });
 * saveFastText("model.bin", model);
 * loadFastText("model.bin").dict.nwords; // 4
 * ```
 */
export function saveFastText(path: string, model: FastText): void {
  const fn = "saveFastText";
  if (typeof path !== "string" || path === "") throw new TypeError(`${fn}: path must be a non-empty string, got ${describe(path)}`);
  if (!(model instanceof FastText)) throw new TypeError(`${fn}: model must be a FastText, got ${describe(model)}`);
  writeFileAtomic(path, fastTextBinChunks(model), fn);
}

/**
 * Reads a fastText `.bin` model (as the fastText CLI writes it, or saveFastText).
 *
 * @example
 * ```ts
 * saveFastText("tiny.bin", await trainFastText("where is it\n".repeat(20), { dim: 8, minCount: 1, epoch: 1, bucket: 1000 }));
 * loadFastText("tiny.bin").getWordVector("unseen").length; // 8
 * ```
 */
export function loadFastText(path: string): FastText {
  const fn = "loadFastText";
  if (typeof path !== "string" || path === "") throw new TypeError(`${fn}: path must be a non-empty string, got ${describe(path)}`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw fileError(fn, "read", path, e);
  }
  try {
    return decodeFastTextBin(bytes, path);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith("decodeFastTextBin: ")) {
      const Ctor = e.constructor as new (m: string) => Error;
      throw new Ctor(`${fn}: ${e.message.slice("decodeFastTextBin: ".length)}`);
    }
    throw e;
  }
}
