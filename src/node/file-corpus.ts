import { open } from "node:fs/promises";
import type { CorpusSource } from "../text/stream.js";
import { describe } from "../tensor/check.js";

/** Bytes read at a time. */
const READ_BYTES = 1 << 20;

/**
 * A corpus file as a {@link CorpusSource}: each `open()` reads it from the start, a mebibyte at a
 * time, so a corpus of any size can be counted and trained on (`trainCBOW(fileCorpus(path))`,
 * `trainCBOWThreaded(path)`). `name` (default: the path) is what errors call the file, e.g. when
 * the file is a temporary copy of standard input; an I/O error names it and keeps its `code`.
 *
 * @example
 * ```ts
 * // import { fileCorpus } from "embedding-kit/node";
 * (await import("node:fs")).writeFileSync("corpus.txt", "the cat sat\nthe dog sat\n");
 * const { vocab } = await scanVocab(fileCorpus("corpus.txt"), { minCount: 2 });
 * vocab.words; // ["the", "sat"]
 * ```
 */
export function fileCorpus(path: string, options: { name?: string } = {}): CorpusSource {
  if (typeof path !== "string" || path === "") throw new TypeError(`fileCorpus: path must be a non-empty string, got ${describe(path)}`);
  const name = options.name ?? path;
  if (typeof name !== "string" || name === "") throw new TypeError(`fileCorpus: name must be a non-empty string, got ${describe(name)}`);
  return {
    name,
    async *open() {
      const fh = await open(path, "r").catch((e: unknown) => {
        throw ioError(path, name, e);
      });
      try {
        for (;;) {
          const buf = new Uint8Array(READ_BYTES);
          const { bytesRead } = await fh.read(buf, 0, READ_BYTES, null).catch((e: unknown) => {
            throw ioError(path, name, e);
          });
          if (bytesRead === 0) break;
          yield buf.subarray(0, bytesRead);
        }
      } finally {
        await fh.close();
      }
    },
  };
}

/** An I/O error that names the user's file (not a temporary copy), keeping the system's code. */
export function ioError(path: string, name: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  const message = String(err?.message ?? e).split(path).join(name);
  const out = new Error(message.includes(name) ? message : `${name}: ${message}`, { cause: e });
  if (err?.code !== undefined) (out as NodeJS.ErrnoException).code = err.code;
  return out;
}
