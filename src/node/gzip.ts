// Corpus files that may be gzip-compressed (corpus.txt.gz): told apart by their first two bytes,
// gzip's magic number 1f 8b, whatever the file is called, and decompressed as a stream.
import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { createGunzip } from "node:zlib";
import type { CorpusSource } from "../text/stream.js";
import { describe } from "../tensor/check.js";
import { fileCorpus, ioError } from "./file-corpus.js";

/**
 * Whether the file at `path` starts with gzip's magic number (1f 8b). False for a shorter file or one
 * that cannot be read (reading it later reports why).
 *
 * @example
 * ```ts
 * // import { isGzipFile } from "embedding-kit/node";
 * (await import("node:fs")).writeFileSync("c.txt.gz", (await import("node:zlib")).gzipSync("the cat\n"));
 * isGzipFile("c.txt.gz"); // true
 * ```
 */
export function isGzipFile(path: string): boolean {
  if (typeof path !== "string" || path === "") throw new TypeError(`isGzipFile: path must be a non-empty string, got ${describe(path)}`);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return false;
  }
  try {
    const head = new Uint8Array(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/**
 * A corpus file as a {@link CorpusSource}, read a chunk at a time: plain text as {@link fileCorpus}
 * reads it, or, when the file starts with gzip's magic number, its decompressed bytes, streamed through
 * node:zlib (several gzip members one after another are read as one text, as `gzip -d` does). The
 * check is made once, here; `options.name` is the name errors use (default `path`).
 *
 * @example
 * ```ts
 * // import { scanVocab } from "embedding-kit"; import { corpusFile } from "embedding-kit/node";
 * (await import("node:fs")).writeFileSync("c.txt.gz", (await import("node:zlib")).gzipSync("the cat sat\nthe dog sat\n"));
 * const { vocab } = await scanVocab(corpusFile("c.txt.gz"), { minCount: 2 });
 * vocab.words; // ["the", "sat"]
 * ```
 */
export function corpusFile(path: string, options: { name?: string } = {}): CorpusSource {
  if (typeof path !== "string" || path === "") throw new TypeError(`corpusFile: path must be a non-empty string, got ${describe(path)}`);
  const name = options.name ?? path;
  if (typeof name !== "string" || name === "") throw new TypeError(`corpusFile: name must be a non-empty string, got ${describe(name)}`);
  if (!isGzipFile(path)) return fileCorpus(path, { name });
  return {
    name,
    async *open() {
      const file = createReadStream(path, { highWaterMark: 1 << 20 });
      const gunzip = createGunzip({ chunkSize: 1 << 20 });
      file.on("error", (e) => gunzip.destroy(ioError(path, name, e)));
      file.pipe(gunzip);
      try {
        for await (const chunk of gunzip) yield new Uint8Array((chunk as Buffer).buffer, (chunk as Buffer).byteOffset, (chunk as Buffer).length);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (typeof err.code === "string" && err.code.startsWith("Z_")) {
          throw Object.assign(new Error(`${name} starts as a gzip file but cannot be decompressed: ${err.message}`, { cause: e }), { code: err.code });
        }
        throw e;
      } finally {
        file.destroy();
        gunzip.destroy();
      }
    },
  };
}
