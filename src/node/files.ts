// File wrappers over the pure encoders (Node, Deno and Bun through node:fs). Writes are atomic: the
// bytes go to a temporary file beside the target, which is renamed over it only once complete, so a
// failure leaves the previous file (or no file) and never half a file.
import {
  closeSync, fchmodSync, fchownSync, fstatSync, fsyncSync, lstatSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, renameSync,
  unlinkSync, writeSync, type Stats,
} from "node:fs";
import { removeOnSignal } from "./cleanup.js";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { Tensor } from "../tensor/tensor.js";
import { checkInt, checkOptions, describe } from "../tensor/check.js";
import { KeyedVectors } from "../vectors/keyed-vectors.js";
import {
  encodeWord2VecBinary, word2vecDecoder, word2vecTextChunks, type Word2VecReadOptions,
} from "../io/word2vec.js";
import { decodeNpy, encodeNpy } from "../io/npy.js";

function checkPath(fn: string, path: unknown): string {
  if (typeof path !== "string" || path === "") {
    throw new TypeError(`${fn}: path must be a non-empty string, got ${describe(path)}`);
  }
  return path;
}

/** Symbolic links followed at most this many times (Linux's MAXSYMLINKS), then ELOOP. */
const MAX_LINKS = 40;

/**
 * An I/O error about the user's `path`: Node's message without the path it carries (which may be a
 * temporary file the user never named), e.g. `saveNpy: cannot write w.npy: ENOSPC: no space left on
 * device`. The original error is the `cause`; `code` is copied so callers can still branch on it.
 */
export function fileError(fn: string, verb: string, path: string, err: unknown, detail = ""): Error {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === "string" ? e.code : undefined;
  let why = e instanceof Error ? e.message : String(err);
  if (code !== undefined && why.startsWith(`${code}: `)) {
    // "ENOSPC: no space left on device, open '/d/.v.txt.123.tmp'" -> "ENOSPC: no space left on device"
    why = why.replace(/, [a-z]+(?: '.*')?$/s, "");
  }
  const out = new Error(`${fn}: cannot ${verb} ${path}${detail}: ${why}`, { cause: err });
  if (code !== undefined) (out as NodeJS.ErrnoException).code = code;
  return out;
}

/**
 * Where writing `path` must land: the file itself, or for a symbolic link (a chain of them, or one that
 * dangles) the file it points to, so that the link stays a link. `stats` is that file's, or null when it
 * does not exist yet.
 */
function writeTarget(path: string): { target: string; stats: Stats | null } {
  let target = path;
  for (let hops = 0; ; hops++) {
    let st: Stats;
    try {
      st = lstatSync(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { target, stats: null };
      throw err;
    }
    if (!st.isSymbolicLink()) return { target, stats: st };
    if (hops >= MAX_LINKS) {
      throw Object.assign(new Error(`ELOOP: too many levels of symbolic links`), { code: "ELOOP" });
    }
    const link = readlinkSync(target);
    target = isAbsolute(link) ? link : resolve(dirname(target), link);
  }
}

/**
 * Writes `chunks` to `path` through a temporary file in the same directory, renamed into place at the
 * end. On any error the temporary file is removed and `path` is left as it was.
 *
 * - An existing file keeps its permission bits (a mode-600 file stays 600) and, where the process may
 *   set them, its owner and group.
 * - A symbolic link is written through: the file it points to is replaced, the link stays a link.
 * - A path that is not a regular file (`/dev/stdout`, a named pipe) is written directly, not replaced.
 * - Every error names `path` (never the temporary file) and keeps Node's `code` (`ENOSPC`, `EACCES`...).
 * - A hard-linked file is replaced by a new file: the other names keep the old contents.
 *
 * `fn` prefixes error messages.
 *
 * @example
 * ```ts
 * writeFileAtomic("vocab.txt", ["the 120\n", "cat 7\n"]); // readers see the old file or the new one
 * ```
 */
export function writeFileAtomic(path: string, chunks: Iterable<string | Uint8Array>, fn = "writeFileAtomic"): void {
  checkPath(fn, path);
  let target: string;
  let stats: Stats | null;
  try {
    ({ target, stats } = writeTarget(path));
  } catch (err) {
    throw fileError(fn, "write", path, err);
  }
  if (stats !== null && stats.isDirectory()) {
    throw fileError(fn, "write", path, Object.assign(new Error("EISDIR: is a directory"), { code: "EISDIR" }));
  }
  if (stats !== null && !stats.isFile()) {
    writeDirect(fn, path, target, chunks);
    return;
  }
  const dir = dirname(target);
  removeStaleTemps(dir, basename(target));
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2) || "0"}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, "wx", stats === null ? 0o666 : stats.mode & 0o7777);
  } catch (err) {
    // The temporary file could not be created: say why in terms of the user's path and its directory.
    const code = (err as NodeJS.ErrnoException).code;
    const detail = code === "ENOENT" ? ` (the directory ${dir} does not exist)` : code === "EACCES" || code === "EROFS" ? ` (in ${dir})` : "";
    throw fileError(fn, "write", path, err, detail);
  }
  let closed = false;
  // SIGINT or SIGTERM during the write: handled when it returns (the file is complete or gone), then
  // the process ends by that signal; a temporary file left by a crash is removed by the next write.
  const forget = removeOnSignal(tmp);
  try {
    if (stats !== null) keepOwnerAndMode(fd, stats);
    writeChunks(fd, chunks);
    fsyncSync(fd);
    closeSync(fd);
    closed = true;
    renameSync(tmp, target);
  } catch (err) {
    if (!closed) {
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
    throw err instanceof WriteAbort ? err.inner : fileError(fn, "write", path, err);
  } finally {
    forget();
  }
  syncDir(dir);
}

/**
 * Removes the temporary files that earlier writes of `name` in `dir` left behind when their process
 * was killed (SIGKILL, a crash, a power cut): exactly `.NAME.<pid>.<random>.tmp`, and only when no
 * process `<pid>` is alive. Best effort: a file that cannot be listed or removed is left.
 */
function removeStaleTemps(dir: string, name: string): void {
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith(".tmp")) continue;
    const m = /^(\d+)\.[0-9a-z]+\.tmp$/.exec(entry.slice(prefix.length));
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || !Number.isSafeInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    try {
      unlinkSync(join(dir, entry));
    } catch {
      // gone already, or not ours to remove
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // alive, someone else's
  }
}

/** An exception from the caller's chunk iterator (not an I/O error): rethrown as it is. */
class WriteAbort {
  constructor(readonly inner: unknown) {}
}

function writeChunks(fd: number, chunks: Iterable<string | Uint8Array>): void {
  const enc = new TextEncoder();
  const it = chunks[Symbol.iterator]();
  for (;;) {
    let next: IteratorResult<string | Uint8Array>;
    try {
      next = it.next();
    } catch (err) {
      throw new WriteAbort(err);
    }
    if (next.done) break;
    const chunk = next.value;
    const bytes = typeof chunk === "string" ? enc.encode(chunk) : chunk;
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
  }
}

/** The new file gets the old one's permission bits (the umask applied to openSync's mode) and owner. */
function keepOwnerAndMode(fd: number, stats: Stats): void {
  const now = fstatSync(fd);
  if (now.uid !== stats.uid || now.gid !== stats.gid) {
    try {
      fchownSync(fd, stats.uid, stats.gid);
    } catch {
      // Not permitted (only root may give a file away): the file belongs to whoever writes it, as with
      // any editor's save; the permission bits below still hold.
    }
  }
  fchmodSync(fd, stats.mode & 0o7777);
}

/** For a character device or a pipe: write straight to it (renaming over /dev/stdout would replace it). */
function writeDirect(fn: string, path: string, target: string, chunks: Iterable<string | Uint8Array>): void {
  let fd: number;
  try {
    fd = openSync(target, "w");
  } catch (err) {
    throw fileError(fn, "write", path, err);
  }
  try {
    writeChunks(fd, chunks);
  } catch (err) {
    throw err instanceof WriteAbort ? err.inner : fileError(fn, "write", path, err);
  } finally {
    closeSync(fd);
  }
}

/** Makes the rename durable; best effort (some file systems refuse fsync on a directory). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // not supported here
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readBytes(fn: string, path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw fileError(fn, "read", path, err);
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
    writeFileAtomic(path, [encodeWord2VecBinary(kv)], fn);
  } else {
    // The generator checks every word before yielding the header, so a bad word throws before any byte.
    const chunks = word2vecTextChunks(kv, 1024, fn);
    const first = chunks.next();
    writeFileAtomic(path, (function* () {
      if (!first.done) yield first.value;
      yield* chunks;
    })(), fn);
  }
}

/**
 * Loads word vectors from a word2vec file, text or binary (detected unless `options.binary` says),
 * reading at most `options.limit` rows; `{ noHeader: true }` reads headerless text such as GloVe's.
 * Errors name the file and the line or byte offset. The file is read as a stream, a mebibyte at a
 * time, into a table allocated once (a regular file, whose size bounds the header's claim first) or
 * grown as rows arrive (a pipe, a FIFO, `/dev/stdin`): memory beyond the table is a few MiB, files
 * of any size load, and reading stops after `limit` rows.
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
  if (o.noHeader !== undefined && typeof o.noHeader !== "boolean") {
    throw new TypeError(`${fn}: options.noHeader must be a boolean, got ${describe(o.noHeader)}`);
  }
  if (o.noHeader === true && o.binary === true) {
    throw new Error(`${fn}: options.noHeader is for text files; the binary format always has a header`);
  }
  let fd: number;
  let own = true;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    // Standard input that is a socket (a parent's pipe, on Linux) cannot be opened by name: read fd 0.
    if ((err as NodeJS.ErrnoException).code !== "ENXIO" || (path !== "/dev/stdin" && path !== "/dev/fd/0")) throw fileError(fn, "read", path, err);
    fd = 0;
    own = false;
  }
  try {
    // A regular file's size bounds the header's claim before the table is allocated; a pipe, a FIFO or
    // /dev/stdin has none (fstat says 0): the table grows with the rows that arrive.
    let st: Stats;
    try {
      st = fstatSync(fd);
    } catch (err) {
      throw fileError(fn, "read", path, err);
    }
    if (st.isDirectory()) throw fileError(fn, "read", path, Object.assign(new Error("EISDIR: illegal operation on a directory"), { code: "EISDIR" }));
    const decoder = word2vecDecoder(path, {
      ...(o.binary === undefined ? {} : { binary: o.binary as boolean }),
      ...(limit === undefined ? {} : { limit }),
      ...(o.noHeader === true ? { noHeader: true } : {}),
      ...(st.isFile() ? { size: st.size } : {}),
    });
    // Read a chunk at a time (memory beyond the table: about two chunks), stopping once `limit` rows are in.
    for (;;) {
      const chunk = new Uint8Array(READ_CHUNK);
      let got: number;
      try {
        got = readSync(fd, chunk, 0, READ_CHUNK, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EAGAIN") {
          // A non-blocking descriptor (standard input set so by a parent): wait a little for data.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
          continue;
        }
        throw fileError(fn, "read", path, err);
      }
      if (got === 0) break;
      if (decoder.push(chunk.subarray(0, got))) break;
    }
    return decoder.end();
  } finally {
    if (own) closeSync(fd);
  }
}

/** Bytes read at a time by {@link loadWord2Vec}. */
const READ_CHUNK = 1 << 20;

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
  writeFileAtomic(path, [encodeNpy(t)], "saveNpy");
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
