// File wrappers over the pure encoders (Node, Deno and Bun through node:fs). Writes are atomic: the
// bytes go to a temporary file beside the target, which is renamed over it only once complete, so a
// failure leaves the previous file (or no file) and never half a file.
import { closeSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Tensor } from "../tensor/tensor.js";
import { checkInt, checkOptions, describe } from "../tensor/check.js";
import { KeyedVectors } from "../models/keyed-vectors.js";
import {
  decodeWord2Vec, encodeWord2VecBinary, isWord2VecBinary, word2vecPrefixLength, word2vecTextChunks, type Word2VecReadOptions,
} from "./word2vec.js";
import { decodeNpy, encodeNpy } from "./npy.js";

function checkPath(fn: string, path: unknown): string {
  if (typeof path !== "string" || path === "") {
    throw new TypeError(`${fn}: path must be a non-empty string, got ${describe(path)}`);
  }
  return path;
}

/**
 * Writes `chunks` to `path` through a temporary file in the same directory, renamed into place at the
 * end. On any error the temporary file is removed and `path` is left as it was.
 *
 * @example
 * ```ts
 * writeFileAtomic("vocab.txt", ["the 120\n", "cat 7\n"]); // readers see the old file or the new one
 * ```
 */
export function writeFileAtomic(path: string, chunks: Iterable<string | Uint8Array>): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const fd = openSync(tmp, "wx");
  let done = false;
  try {
    const enc = new TextEncoder();
    for (const chunk of chunks) {
      const bytes = typeof chunk === "string" ? enc.encode(chunk) : chunk;
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    }
    fsyncSync(fd);
    closeSync(fd);
    done = true;
    renameSync(tmp, path);
  } catch (err) {
    if (!done) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to remove
    }
    throw err;
  }
}

function readBytes(fn: string, path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`${fn}: cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Saves word vectors in word2vec format, text by default (as gensim's `save_word2vec_format`) or
 * binary with `{ binary: true }`. Every word is checked before the file is opened, and the file is
 * written atomically.
 *
 * @example
 * ```ts
 * const kv = new KeyedVectors(["cat", "dog"], Tensor.from([[0.1, 0.2], [0.3, 0.4]]));
 * saveWord2Vec("pets.txt", kv);                   // writes "2 2\ncat 0.1 0.2\ndog 0.3 0.4\n"
 * saveWord2Vec("pets.bin", kv, { binary: true });
 * ```
 */
export function saveWord2Vec(path: string, kv: KeyedVectors, options?: { binary?: boolean }): void {
  const fn = "saveWord2Vec";
  checkPath(fn, path);
  if (!(kv instanceof KeyedVectors)) throw new TypeError(`${fn}: kv must be a KeyedVectors, got ${describe(kv)}`);
  const o = checkOptions(fn, options, ["binary"]);
  if (o.binary !== undefined && typeof o.binary !== "boolean") {
    throw new TypeError(`${fn}: options.binary must be a boolean, got ${describe(o.binary)}`);
  }
  if (o.binary === true) {
    writeFileAtomic(path, [encodeWord2VecBinary(kv)]);
  } else {
    // The generator checks every word before yielding the header, so a bad word throws before any byte.
    const chunks = word2vecTextChunks(kv, 1024, fn);
    const first = chunks.next();
    writeFileAtomic(path, (function* () {
      if (!first.done) yield first.value;
      yield* chunks;
    })());
  }
}

/**
 * Loads word vectors from a word2vec file, text or binary (detected unless `options.binary` says),
 * reading at most `options.limit` rows; `{ noHeader: true }` reads headerless text such as GloVe's.
 * Errors name the file and the line or byte offset.
 *
 * @example
 * ```ts
 * saveWord2Vec("pets.bin", new KeyedVectors(["cat", "dog", "cow"], Tensor.from([[1, 0], [0.9, 0.1], [0, 1]])), { binary: true });
 * const kv = loadWord2Vec("pets.bin", { limit: 2 }); // the format is detected; only the first 2 rows are read
 * kv.words;                                          // ["cat", "dog"]
 * kv.mostSimilar("cat", 1)[0].word;                  // "dog"
 * ```
 */
export function loadWord2Vec(path: string, options?: Word2VecReadOptions & { binary?: boolean }): KeyedVectors {
  const fn = "loadWord2Vec";
  checkPath(fn, path);
  const o = checkOptions(fn, options, ["binary", "limit", "noHeader"]);
  const limit = o.limit === undefined ? undefined : checkInt(fn, "options.limit", o.limit, 0);
  if (o.binary !== undefined && typeof o.binary !== "boolean") {
    throw new TypeError(`${fn}: options.binary must be a boolean, got ${describe(o.binary)}`);
  }
  const noHeader = o.noHeader === true;
  const bytes = limit === undefined ? readBytes(fn, path) : readRows(fn, path, limit, o.binary as boolean | undefined, noHeader);
  return decodeWord2Vec(bytes, path, options);
}

/**
 * The start of a word2vec file up to its first `limit` rows, read in growing chunks, so that
 * `{ limit: 10000 }` on a multi-gigabyte file reads megabytes, not the whole file.
 */
function readRows(fn: string, path: string, limit: number, binary: boolean | undefined, noHeader: boolean): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    throw new Error(`${fn}: cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const size = fstatSync(fd).size;
    let buf = new Uint8Array(Math.min(size, 1 << 20));
    let have = 0;
    for (;;) {
      while (have < buf.length) {
        const n = readSync(fd, buf, have, buf.length - have, have);
        if (n === 0) break;
        have += n;
      }
      const bytes = buf.subarray(0, have);
      if (have >= size) return bytes;
      const end = noHeader
        ? word2vecPrefixLength(bytes, limit, false, false)
        : word2vecPrefixLength(bytes, limit, binary ?? isWord2VecBinary(bytes));
      if (end >= 0) return bytes.subarray(0, end);
      const bigger = new Uint8Array(Math.min(size, buf.length * 2));
      bigger.set(bytes);
      buf = bigger;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Saves a tensor as .npy (format 1.0, '<f4'), atomically; `np.load` and `torch.from_numpy(np.load(...))`
 * read it.
 *
 * @example
 * ```ts
 * const emb = new Embedding(10, 4, { seed: 1 });
 * saveNpy("weights.npy", emb.weight);   // python: np.load("weights.npy").shape == (10, 4)
 * ```
 */
export function saveNpy(path: string, t: Tensor): void {
  checkPath("saveNpy", path);
  if (!(t instanceof Tensor)) throw new TypeError(`saveNpy: t must be a Tensor, got ${describe(t)}`);
  writeFileAtomic(path, [encodeNpy(t)]);
}

/**
 * Loads a .npy file written by numpy (float32 or float64, any version) or by {@link saveNpy}.
 *
 * @example
 * ```ts
 * saveNpy("weights.npy", Tensor.randn([3, 2], { seed: 1 }));
 * const W = loadNpy("weights.npy");
 * W.shape;                                 // [3, 2]
 * const emb = Embedding.fromPretrained(W);
 * ```
 */
export function loadNpy(path: string): Tensor {
  checkPath("loadNpy", path);
  return decodeNpy(readBytes("loadNpy", path), path);
}
