// The word2vec vector formats of Mikolov's C tool, as gensim's save_word2vec_format writes them:
//   text:   "V H\n" then V lines "word v1 ... vH\n", each value numpy's repr of the float32;
//   binary: "V H\n" then V records "word " + H little-endian float32 (4H bytes), nothing between.
// Pure encode/decode on strings and bytes (browser-safe); src/node/files.ts adds node:fs wrappers,
// feeding the incremental decoder (word2vecDecoder) a chunk at a time.
//
// Reading rules (documented in docs/vectors.md):
// - the header is two non-negative integers; rows*dim is checked against what the input can hold
//   (when its size is known) and what a Float32Array can hold BEFORE anything is allocated; without
//   a size (a stream) the table grows with the rows that arrive;
// - text values are separated by one or more spaces; trailing ASCII whitespace (CRLF files, the
//   C tool's trailing space) is ignored, as by gensim's line.rstrip(); values use Python's float
//   syntax (digits, ".", exponent, "nan", "inf"); anything else is an error naming the line;
// - a word repeated later in the file is ignored, the first one kept (as gensim 4 does);
// - after the declared rows only blank lines (text) or newlines (binary) may follow, unless `limit`
//   stopped the reading early;
// - binary records may start with "\n" (the C tool writes one after each vector): it is skipped; a
//   "\n" inside a word is an error (the writers refuse such words, so reading and writing agree).
import { Tensor } from "../tensor/tensor.js";
import { MAX_ELEMENTS, checkInt, checkOptions, describe } from "../tensor/check.js";
import { KeyedVectors, keyedVectorsFromRows } from "../vectors/keyed-vectors.js";
import { formatFloat32 } from "./float32-repr.js";

/** Options of the word2vec readers. */
export interface Word2VecReadOptions {
  /** Read at most this many rows (gensim's `limit`): the rest of the file is not looked at. */
  limit?: number;
  /**
   * Text without the `V H` header line, as GloVe writes it (gensim's `no_header=True`): the rows are
   * counted and the dimension taken from the first row, in a first pass.
   */
  noHeader?: boolean;
}

const HEADER = /^[ \t\v\f\r]*(\d+)[ \t\v\f\r]+(\d+)[ \t\v\f\r]*$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(?:nan|inf|infinity)$/i;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// ---- writing ---------------------------------------------------------------------------------------

/** Checks every word can be stored (before anything is written). */
function checkWritable(fn: string, kv: unknown): KeyedVectors {
  if (!(kv instanceof KeyedVectors)) throw new TypeError(`${fn}: kv must be a KeyedVectors, got ${describe(kv)}`);
  kv.words.forEach((w, i) => {
    let why = "";
    if (w === "") why = "is empty";
    else if (w.includes(" ")) why = "contains a space";
    else if (w.includes("\n")) why = "contains a newline";
    else if (LONE_SURROGATE.test(w)) why = "contains a lone UTF-16 surrogate (not encodable as UTF-8)";
    if (why) throw new RangeError(`${fn}: word ${i} ${describe(w)} ${why}, which the word2vec format cannot hold`);
  });
  return kv;
}

/**
 * The text format in pieces of about `rowsPerChunk` rows, for writers that stream (the whole text of a
 * large table may exceed the longest string an engine allows). The words are checked first.
 *
 * @example
 * ```ts
 * const kv = new KeyedVectors(["a", "b"], Tensor.from([[1], [2]]));
 * [...word2vecTextChunks(kv, 1)]; // ["2 1\n", "a 1.0\n", "b 2.0\n"]
 * ```
 */
export function* word2vecTextChunks(kv: KeyedVectors, rowsPerChunk = 1024, fn = "formatWord2VecText"): Generator<string> {
  checkWritable(fn, kv);
  const [V, H] = kv.vectors.shape;
  const x = kv.vectors.data;
  yield `${V} ${H}\n`;
  let lines: string[] = [];
  const values = new Array<string>(H);
  for (let r = 0, off = 0; r < V; r++, off += H) {
    for (let j = 0; j < H; j++) values[j] = formatFloat32(x[off + j]);
    lines.push(`${kv.words[r]} ${values.join(" ")}\n`);
    if (lines.length === rowsPerChunk) {
      yield lines.join("");
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join("");
}

/**
 * The word2vec text format, byte for byte what gensim's `save_word2vec_format(binary=False)` writes:
 * a `"V H"` header, then one line per word with each value as numpy prints a float32 (the shortest
 * decimal that reads back as the same float32, so a round trip is exact). RangeError for a word the
 * format cannot hold (empty, or containing a space or a newline).
 *
 * @example
 * ```ts
 * const kv = new KeyedVectors(["a", "b"], Tensor.from([[0.1, 2], [-3, 1e-5]]));
 * formatWord2VecText(kv); // "2 2\na 0.1 2.0\nb -3.0 1e-05\n"
 * ```
 */
export function formatWord2VecText(kv: KeyedVectors): string {
  return [...word2vecTextChunks(kv)].join("");
}

/**
 * The word2vec binary format, byte for byte what gensim's `save_word2vec_format(binary=True)` writes:
 * `"V H\n"`, then per word its UTF-8 bytes, a space and H little-endian float32.
 *
 * @example
 * ```ts
 * const kv = new KeyedVectors(["a"], Tensor.from([[1, 2]]));
 * encodeWord2VecBinary(kv).length; // 4 ("1 2\n") + 2 ("a ") + 8
 * ```
 */
export function encodeWord2VecBinary(kv: KeyedVectors): Uint8Array {
  const fn = "encodeWord2VecBinary";
  checkWritable(fn, kv);
  const [V, H] = kv.vectors.shape;
  const enc = new TextEncoder();
  const header = enc.encode(`${V} ${H}\n`);
  const words = kv.words.map((w) => enc.encode(w));
  let total = header.length;
  for (const w of words) total += w.length + 1 + 4 * H;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const x = kv.vectors.data;
  out.set(header, 0);
  let pos = header.length;
  for (let r = 0, off = 0; r < V; r++, off += H) {
    out.set(words[r], pos);
    pos += words[r].length;
    out[pos++] = 0x20;
    for (let j = 0; j < H; j++, pos += 4) view.setFloat32(pos, x[off + j], true);
  }
  return out;
}

// ---- reading ---------------------------------------------------------------------------------------

function readOptions(fn: string, options: unknown, known = ["limit", "noHeader"]): { limit: number; noHeader: boolean } {
  const o = checkOptions(fn, options, known) as Word2VecReadOptions;
  const limit = o.limit === undefined ? Infinity : checkInt(fn, "options.limit", o.limit, 0);
  if (o.noHeader !== undefined && typeof o.noHeader !== "boolean") {
    throw new TypeError(`${fn}: options.noHeader must be a boolean, got ${describe(o.noHeader)}`);
  }
  return { limit, noHeader: o.noHeader === true };
}

function checkSource(fn: string, source: unknown, fallback: string): string {
  if (source === undefined) return fallback;
  if (typeof source !== "string") throw new TypeError(`${fn}: source must be a string, got ${describe(source)}`);
  return source;
}

/** Lines of a string, one at a time, with their 1-based numbers. */
interface LineSource {
  /** The next line without its "\n", or null at the end. */
  next(): string | null;
  /** The number of the line last returned. */
  line: number;
  /** Units (characters or bytes) not yet read. */
  remaining(): number;
}

function stringLines(text: string): LineSource {
  let pos = 0;
  return {
    line: 0,
    next() {
      if (pos >= text.length) return null;
      let end = text.indexOf("\n", pos);
      if (end < 0) end = text.length;
      const s = text.slice(pos, end);
      pos = end + 1;
      this.line++;
      return s;
    },
    remaining: () => Math.max(0, text.length - pos),
  };
}

/** rows and dim from a header line, checked against the input size (when known) and Float32Array's limit. */
function parseHeader(
  fn: string,
  where: string,
  line: string | null,
  limit: number,
  remaining: number | undefined,
  minRowBytes: (dim: number) => number,
  unit: string,
): { rows: number; dim: number; n: number } {
  if (line === null) throw new Error(`${fn}: ${where}: the input is empty, expected a "<rows> <dim>" header`);
  const m = HEADER.exec(line);
  if (!m) {
    throw new Error(`${fn}: ${where}: bad header ${describe(line.slice(0, 80))}, expected "<rows> <dim>"`);
  }
  const rows = Number(m[1]);
  const dim = Number(m[2]);
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(dim)) {
    throw new RangeError(`${fn}: ${where}: header "${m[1]} ${m[2]}" holds numbers too large to be real`);
  }
  if (dim < 1) throw new RangeError(`${fn}: ${where}: header declares vectors of dimension 0`);
  const n = Math.min(rows, limit);
  if (n * dim > MAX_ELEMENTS) {
    throw new RangeError(
      `${fn}: ${where}: header declares ${n} rows of ${dim} values (${n * dim}), more than a Float32Array can hold (${MAX_ELEMENTS})`,
    );
  }
  // Every row takes at least a 1-character word and a separator per value: a header claiming more
  // rows than that is rejected before the table is allocated. (When the size is not known, as for a
  // pipe, the table grows with the rows that actually arrive.)
  if (remaining !== undefined) {
    const fits = Math.floor((remaining + 1) / minRowBytes(dim));
    if (n > fits) {
      throw new RangeError(
        `${fn}: ${where}: header declares ${rows} rows of ${dim} values but the ${remaining} ${unit} after it can hold at most ${fits}`,
      );
    }
  }
  return { rows, dim, n };
}

/** A leading UTF-8 byte-order mark, dropped. */
function noBom(line: string | null): string | null {
  return line !== null && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}

/**
 * The row table: allocated once at its final size when that is known (a header checked against the
 * input's size), else grown by doubling as rows arrive and trimmed at the end (a pipe, or headerless
 * text), so that a header's claim alone never allocates.
 */
class RowTable {
  data: Float32Array;
  readonly words: string[] = [];
  constructor(readonly dim: number, private readonly max: number, exact: boolean) {
    const start = exact ? max : Math.min(max, Math.max(1, Math.floor((1 << 20) / dim)));
    this.data = new Float32Array(start * dim);
  }
  /** The offset where row `r` goes, growing the table if needed. */
  row(r: number): number {
    const need = (r + 1) * this.dim;
    if (need > this.data.length) {
      const rows = Math.min(this.max, Math.max(r + 1, 2 * (this.data.length / this.dim)));
      if (rows * this.dim > MAX_ELEMENTS) throw new RangeError(`more than ${MAX_ELEMENTS} values`);
      const bigger = new Float32Array(rows * this.dim);
      bigger.set(this.data);
      this.data = bigger;
    }
    return r * this.dim;
  }
  finish(): KeyedVectors {
    const n = this.words.length * this.dim;
    return keyedVectorsFromRows(this.words, n === this.data.length ? this.data : this.data.slice(0, n), this.dim);
  }
}

/**
 * One text row `word v1 ... vdim` (trailing whitespace already removed) into `data` at `off`;
 * returns the word. `at()` says where, for errors.
 */
function textRow(fn: string, at: () => string, line: string, dim: number, data: Float32Array, off: number): string {
  const sp = line.indexOf(" ");
  const word = sp < 0 ? line : line.slice(0, sp);
  if (word === "") {
    throw new Error(`${fn}: ${at()}: ${line === "" ? "blank line" : "line starts with a space"}, expected a word and ${dim} values`);
  }
  let pos = sp < 0 ? line.length : sp;
  for (let k = 0; k < dim; k++) {
    while (line.charCodeAt(pos) === 0x20) pos++;
    if (pos >= line.length) {
      throw new Error(`${fn}: ${at()}: expected ${dim} values after the word ${describe(word)}, got ${k}`);
    }
    let end = line.indexOf(" ", pos);
    if (end < 0) end = line.length;
    const token = line.slice(pos, end);
    const v = parseValue(token);
    if (v === undefined) {
      throw new Error(`${fn}: ${at()}: value ${k + 1} of ${describe(word)} is not a number: ${describe(token.slice(0, 40))}`);
    }
    data[off + k] = v;
    pos = end;
  }
  while (line.charCodeAt(pos) === 0x20) pos++;
  if (pos < line.length) {
    throw new Error(`${fn}: ${at()}: more than ${dim} values after the word ${describe(word)}`);
  }
  return word;
}

/** The text reader over the lines of a string (parseWord2VecText). */
function readStringText(fn: string, text: string, source: string, { limit, noHeader }: { limit: number; noHeader: boolean }): KeyedVectors {
  const t = textReader(fn, source, limit, noHeader, "characters");
  const lines = stringLines(text);
  for (let line = lines.next(); line !== null; line = lines.next()) {
    if (t.line(line, lines.remaining())) return t.end();
  }
  return t.end();
}

/**
 * The text format's rules over lines fed one at a time: `line()` returns true once no more lines
 * are needed (the `limit` is reached), `end()` gives the vectors or throws if the input ended early.
 */
function textReader(fn: string, source: string, limit: number, noHeader: boolean, unit: string) {
  let lineNo = 0;
  let table: RowTable | null = null;
  let rows = 0;
  let n = 0;
  let firstBlank = 0;
  let finished = limit === 0 && noHeader;
  const at = () => `${source} line ${lineNo}`;
  return {
    /** `remaining`: the units after this line when known, for the header's check. */
    line(raw: string, remaining: number | undefined): boolean {
      if (finished) return true;
      lineNo++;
      if (lineNo === 1) raw = noBom(raw)!;
      if (table === null && !noHeader) {
        const h = parseHeader(fn, `${source} line 1`, raw, limit, remaining, (d) => 2 * d + 2, unit);
        rows = h.rows;
        n = h.n;
        table = new RowTable(h.dim, n, remaining !== undefined);
        if (n < rows && n === 0) finished = true;
        return finished;
      }
      const line = trimEnd(raw);
      if (noHeader) {
        if (line === "") {
          if (firstBlank === 0) firstBlank = lineNo;
          return false;
        }
        if (table === null) {
          const dim = line.split(/ +/).length - 1;
          if (dim === 0) throw new Error(`${fn}: ${source} line 1: the first row has a word but no values`);
          table = new RowTable(dim, Math.floor(MAX_ELEMENTS / dim), false);
        }
        if (firstBlank !== 0) {
          throw new Error(`${fn}: ${source} line ${firstBlank}: blank line, expected a word and ${table.dim} values`);
        }
      } else if (table!.words.length === n) {
        // Past the declared rows (n === rows here): only blank lines may follow.
        if (line !== "") throw new Error(`${fn}: ${at()}: more rows than the ${rows} the header declares`);
        return false;
      }
      const t = table!;
      const r = t.words.length;
      const off = rowOrFail(fn, source, t, r);
      t.words.push(textRow(fn, at, line, t.dim, t.data, off));
      if (noHeader ? lineNo >= limit : r + 1 === n && n < rows) finished = true;
      return finished;
    },
    end(): KeyedVectors {
      if (noHeader) {
        if (table === null) {
          if (limit > 0) throw new Error(`${fn}: ${source} line 1: no rows (the input is empty or blank)`);
          return keyedVectorsFromRows([], new Float32Array(0), 1);
        }
        return table.finish();
      }
      if (table === null) throw new Error(`${fn}: ${source} line 1: the input is empty, expected a "<rows> <dim>" header`);
      if (table.words.length < n) {
        throw new Error(
          `${fn}: ${source} line ${lineNo + 1}: unexpected end of input after ${table.words.length} of the ${rows} rows the header declares`,
        );
      }
      return table.finish();
    },
  };
}

function rowOrFail(fn: string, source: string, t: RowTable, r: number): number {
  try {
    return t.row(r);
  } catch (e) {
    throw new RangeError(`${fn}: ${source}: ${t.dim}-dimensional rows: ${(e as Error).message} than a Float32Array can hold`);
  }
}

/** A value in Python's float syntax ("1.5", "-2e-05", ".5", "nan", "inf"), or undefined for junk. */
function parseValue(token: string): number | undefined {
  if (NUMBER.test(token)) return Number(token);
  if (!SPECIAL.test(token)) return undefined;
  if (/nan$/i.test(token)) return NaN;
  return token[0] === "-" ? -Infinity : Infinity;
}

function trimEnd(s: string): string {
  let end = s.length;
  for (;;) {
    const c = s.charCodeAt(end - 1);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) end--; // what Python's bytes.rstrip() removes
    else break;
  }
  return end === s.length ? s : s.slice(0, end);
}

/**
 * Reads the word2vec text format (what gensim's `save_word2vec_format(binary=False)` and the C tool
 * write). Errors name `source` and the line. See the module notes for the exact rules.
 *
 * @example
 * ```ts
 * const kv = parseWord2VecText("2 3\ncat 0.1 0.2 0.3\ndog 1 2 3\n", "pets.txt");
 * kv.words;          // ["cat", "dog"]
 * kv.get("dog");     // Float32Array [1, 2, 3]
 * parseWord2VecText("2 3\ncat 0.1 0.2\n", "pets.txt"); // Error: parseWord2VecText: pets.txt line 2: expected 3 values ...
 * ```
 */
export function parseWord2VecText(text: string, source?: string, options?: Word2VecReadOptions): KeyedVectors {
  const fn = "parseWord2VecText";
  if (typeof text !== "string") throw new TypeError(`${fn}: text must be a string, got ${describe(text)}`);
  const src = checkSource(fn, source, "<text>");
  return readStringText(fn, text, src, readOptions(fn, options));
}

/**
 * Reads the word2vec text format from UTF-8 bytes, line by line (no string of the whole file is
 * built, so files larger than an engine's longest string load too). Same rules as
 * {@link parseWord2VecText}; invalid UTF-8 is an error naming the line.
 *
 * @example
 * ```ts
 * const kv = decodeWord2VecText(new TextEncoder().encode("1 2\nçé 0.5 -1\n"));
 * kv.get("çé"); // Float32Array [0.5, -1]
 * ```
 */
export function decodeWord2VecText(bytes: Uint8Array, source?: string, options?: Word2VecReadOptions): KeyedVectors {
  const fn = "decodeWord2VecText";
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fn}: bytes must be a Uint8Array, got ${describe(bytes)}`);
  const src = checkSource(fn, source, "<bytes>");
  const { limit, noHeader } = readOptions(fn, options);
  return whole(byteDecoder(src, false, limit, noHeader, bytes.length), bytes);
}

/**
 * Reads the word2vec binary format (gensim's `binary=True`, the C tool's `-binary 1`). Errors name
 * `source` and the byte offset; a truncated file is an error, never a partly filled table. A word
 * holding a newline (which no writer can write back) is refused with its byte offset.
 *
 * @example
 * ```ts
 * const kv = new KeyedVectors(["a"], Tensor.from([[1, 2]]));
 * decodeWord2VecBinary(encodeWord2VecBinary(kv)).get("a"); // Float32Array [1, 2]
 * ```
 */
export function decodeWord2VecBinary(bytes: Uint8Array, source?: string, options?: Word2VecReadOptions): KeyedVectors {
  const fn = "decodeWord2VecBinary";
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fn}: bytes must be a Uint8Array, got ${describe(bytes)}`);
  const src = checkSource(fn, source, "<bytes>");
  const { limit } = readOptions(fn, options, ["limit"]);
  return whole(byteDecoder(src, true, limit, false, bytes.length), bytes);
}

function whole(d: Word2VecDecoder, bytes: Uint8Array): KeyedVectors {
  d.push(bytes);
  return d.end();
}

/** Options of {@link word2vecDecoder}. @internal */
export interface Word2VecDecoderOptions extends Word2VecReadOptions {
  /** The format; detected from the first bytes (as {@link isWord2VecBinary}) when not given. */
  binary?: boolean;
  /**
   * The input's total size in bytes when known (a regular file): a header claiming more rows than
   * that can hold is refused at once, and the table is allocated once. Without it (a pipe) the
   * table grows with the rows that arrive.
   */
  size?: number;
}

/** An incremental word2vec reader: see {@link word2vecDecoder}. @internal */
export interface Word2VecDecoder {
  /**
   * Feeds the next bytes of the input; returns true once no more are needed (`limit` rows read).
   * The decoder may keep a reference to `chunk` until the next call: do not reuse its memory.
   */
  push(chunk: Uint8Array): boolean;
  /** Ends the input: the vectors read, or an Error (naming the line or byte) if it ended early. */
  end(): KeyedVectors;
}

/**
 * A word2vec reader fed the input in chunks, for streams: memory beyond the table itself is one
 * chunk and one partial row, and with `limit` it asks for no more once that many rows are read.
 * Same rules and messages as {@link decodeWord2Vec} (which is this decoder fed all the bytes at once).
 * Without `binary`, the format is told from the first few KiB (the header, the first word and up to
 * 64 bytes per value after it), which are held until then.
 *
 * @example
 * ```ts
 * const d = word2vecDecoder("pets.txt", { limit: 1, binary: false });
 * d.push(new TextEncoder().encode("2 2\ncat 0.1 "));   // false: more wanted
 * d.push(new TextEncoder().encode("0.2\ndog 1 2\n"));   // true: the limit is reached
 * d.end().words;                                        // ["cat"]
 * ```
 * @internal
 */
export function word2vecDecoder(source?: string, options?: Word2VecDecoderOptions): Word2VecDecoder {
  const fn = "word2vecDecoder";
  const src = checkSource(fn, source, "<bytes>");
  const o = checkOptions(fn, options, ["binary", "limit", "noHeader", "size"]) as Word2VecDecoderOptions;
  const { limit, noHeader } = readOptions(fn, { limit: o.limit, noHeader: o.noHeader });
  if (o.binary !== undefined && typeof o.binary !== "boolean") {
    throw new TypeError(`${fn}: options.binary must be a boolean, got ${describe(o.binary)}`);
  }
  if (noHeader && o.binary === true) throw new Error(`${fn}: options.noHeader is for text files; the binary format always has a header`);
  const size = o.size === undefined ? undefined : checkInt(fn, "options.size", o.size, 0);
  return byteDecoder(src, noHeader ? false : o.binary, limit, noHeader, size);
}

/** A header line longer than this is not a header (so a file without newlines is not buffered whole). */
const MAX_HEADER_BYTES = 1 << 20;
/**
 * A text row longer than this is refused while streaming (so that a file without line breaks is not
 * buffered whole): 64 MiB holds a word and 100,000 values of 600 characters each.
 */
const MAX_LINE_BYTES = 64 << 20;

function byteDecoder(src: string, binary: boolean | undefined, limit: number, noHeader: boolean, size: number | undefined): Word2VecDecoder {
  let buf: Uint8Array = new Uint8Array(0);
  let pos = 0; // bytes of buf consumed
  let base = 0; // offset in the input of buf[0]
  let ended = false;
  let done = false;
  let mode: boolean | undefined = binary; // true: binary, false: text, undefined: not known yet
  const remainingAfter = (p: number) => (size === undefined ? undefined : Math.max(0, size - (base + p)));

  // ---- text
  const tfn = "decodeWord2VecText";
  const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let text: ReturnType<typeof textReader> | null = null;
  let lines = 0;
  let scan = 0;
  const runText = () => {
    text ??= textReader(tfn, src, limit, noHeader, "bytes");
    while (!done) {
      let nl = buf.indexOf(0x0a, scan);
      if (nl < 0) {
        if (!ended) {
          scan = buf.length;
          if (lines === 0 && !noHeader && buf.length - pos > MAX_HEADER_BYTES) {
            throw new Error(`${tfn}: ${src} line 1: bad header (no line break in the first ${MAX_HEADER_BYTES} bytes), expected "<rows> <dim>"`);
          }
          if (buf.length - pos > MAX_LINE_BYTES) {
            throw new Error(`${tfn}: ${src} line ${lines + 1} (byte ${base + pos}): no line break in ${MAX_LINE_BYTES} bytes: not a row of word2vec text`);
          }
          return;
        }
        if (pos >= buf.length) return;
        nl = buf.length;
      }
      lines++;
      let line: string;
      try {
        line = utf8.decode(buf.subarray(pos, nl));
      } catch {
        throw new Error(`${tfn}: ${src} line ${lines} (byte ${base + pos}): not valid UTF-8`);
      }
      pos = Math.min(nl + 1, buf.length);
      scan = pos;
      if (text.line(line, lines === 1 ? remainingAfter(nl + 1) : undefined)) done = true;
    }
  };

  // ---- binary
  const bfn = "decodeWord2VecBinary";
  const butf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let table: RowTable | null = null;
  let rows = 0;
  let n = 0;
  const runBinary = () => {
    if (table === null) {
      let nl = buf.indexOf(0x0a, pos);
      if (nl < 0 && !ended) {
        if (buf.length - pos > MAX_HEADER_BYTES) {
          throw new Error(`${bfn}: ${src} byte 0: bad header (no line break in the first ${MAX_HEADER_BYTES} bytes), expected "<rows> <dim>"`);
        }
        return;
      }
      if (nl < 0) nl = buf.length;
      const headerLine = buf.length === 0 ? null : latin1(buf.subarray(0, Math.min(nl, 200)));
      pos = Math.min(nl + 1, buf.length);
      const h = parseHeader(bfn, `${src} byte 0`, headerLine, limit, remainingAfter(pos), (d) => 4 * d + 2, "bytes");
      rows = h.rows;
      n = h.n;
      table = new RowTable(h.dim, n, size !== undefined);
      if (n === 0 && n < rows) done = true;
    }
    const t = table;
    const dim = t.dim;
    const recordBytes = 4 * dim;
    let dataBytes = new Uint8Array(t.data.buffer);
    while (!done && t.words.length < n) {
      const r = t.words.length;
      let p = pos;
      while (p < buf.length && buf[p] === 0x0a) p++;
      const sp = buf.indexOf(0x20, p);
      if (sp < 0) {
        if (!ended) return;
        throw new Error(
          `${bfn}: ${src} byte ${base + p}: unexpected end of input in row ${r + 1} of the ${rows} the header declares (no word ends there)`,
        );
      }
      if (sp === p) throw new Error(`${bfn}: ${src} byte ${base + p}: empty word in row ${r + 1}`);
      const start = sp + 1;
      if (start + recordBytes > buf.length && !ended) return;
      let word = sp - p <= 32 ? asciiWord(buf, p, sp) : null;
      if (word === null) {
        for (let q = p; q < sp; q++) {
          if (buf[q] === 0x0a) {
            throw new Error(`${bfn}: ${src} byte ${base + q}: the word of row ${r + 1} holds a newline, which the word2vec format cannot hold`);
          }
        }
        try {
          word = butf8.decode(buf.subarray(p, sp));
        } catch {
          throw new Error(`${bfn}: ${src} byte ${base + p}: the word of row ${r + 1} is not valid UTF-8`);
        }
      }
      if (start + recordBytes > buf.length) {
        throw new Error(
          `${bfn}: ${src} byte ${base + start}: truncated: row ${r + 1} (${describe(word.slice(0, 40))}) needs ${recordBytes} bytes of float32, only ${buf.length - start} left`,
        );
      }
      const off = rowOrFail(bfn, src, t, r);
      // The record's bytes are the float32 values themselves on a little-endian host: one copy per row
      // (DataView.getFloat32 per value is 1.8-3x slower on 300,000 x 100: npm run bench:vectors).
      if (dataBytes.buffer !== t.data.buffer) dataBytes = new Uint8Array(t.data.buffer);
      if (LITTLE_ENDIAN_HOST) dataBytes.set(buf.subarray(start, start + recordBytes), 4 * off);
      else {
        const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
        for (let k = 0; k < dim; k++) t.data[off + k] = view.getFloat32(start + 4 * k, true);
      }
      t.words.push(word);
      pos = start + recordBytes;
      if (t.words.length === n && n < rows) done = true;
    }
    if (!done && t.words.length === n) {
      // All the declared rows are read: only newlines (and spaces, CRs) may follow.
      for (let q = pos; q < buf.length; q++) {
        const c = buf[q];
        if (c !== 0x0a && c !== 0x0d && c !== 0x20) throw new Error(`${bfn}: ${src} byte ${base + q}: more data after the ${rows} rows the header declares`);
      }
      pos = buf.length;
    }
  };

  const run = () => {
    if (mode === undefined) {
      if (!ended && !detectable(buf)) return;
      mode = isWord2VecBinary(buf);
    }
    if (mode) runBinary();
    else runText();
  };

  return {
    push(chunk: Uint8Array): boolean {
      if (!(chunk instanceof Uint8Array)) throw new TypeError(`word2vecDecoder: push(chunk): chunk must be a Uint8Array, got ${describe(chunk)}`);
      if (ended) throw new Error("word2vecDecoder: push(chunk) after end()");
      if (done || chunk.length === 0) return done;
      if (pos >= buf.length) {
        base += buf.length;
        buf = chunk;
        scan = 0;
      } else {
        // The unread part (part of a row, or the start of the file until its format is known) and the new bytes.
        const joined = new Uint8Array(buf.length - pos + chunk.length);
        joined.set(buf.subarray(pos));
        joined.set(chunk, buf.length - pos);
        base += pos;
        scan = Math.max(0, scan - pos);
        buf = joined;
      }
      pos = 0;
      run();
      return done;
    },
    end(): KeyedVectors {
      if (ended) throw new Error("word2vecDecoder: end() called twice");
      ended = true;
      if (!done) run();
      const kv = mode ? binaryEnd() : text!.end();
      buf = new Uint8Array(0);
      return kv;
    },
  };

  function binaryEnd(): KeyedVectors {
    return table!.finish();
  }
}

/**
 * Whether the start of a file is long enough for {@link isWord2VecBinary} to judge it as it would the
 * whole file: the header, the first word and the bytes it looks at after that word.
 */
function detectable(bytes: Uint8Array): boolean {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0) return bytes.length > MAX_HEADER_BYTES;
  const m = HEADER.exec(latin1(bytes.subarray(0, Math.min(nl, 200))));
  if (!m || Number(m[1]) === 0) return true;
  let start = nl + 1;
  while (start < bytes.length && bytes[start] === 0x0a) start++;
  const sp = bytes.indexOf(0x20, start);
  if (sp < 0) return bytes.length - start > MAX_HEADER_BYTES;
  return bytes.length >= sp + 1 + Math.min(8 << 20, Math.max(64 * Number(m[2]) + 64, 4096));
}

/**
 * The word in bytes [from, to) if all are ASCII but "\n" (most words of most vocabularies), else null
 * (then the checks and the UTF-8 decoder run): building a short string from char codes beats a TextDecoder call.
 */
function asciiWord(bytes: Uint8Array, from: number, to: number): string | null {
  let word = "";
  for (let p = from; p < to; p++) {
    const c = bytes[p];
    if (c >= 0x80 || c === 0x0a) return null;
    word += String.fromCharCode(c);
  }
  return word;
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/**
 * Whether word2vec bytes are in the binary format. The first row after the header decides:
 * - a word followed by exactly the declared number of decimal values: text;
 * - otherwise the bytes where a binary file keeps its first float32 records (a few rows' worth, up
 *   to 4 KiB) are looked at: text never holds control bytes (other than tab, CR, LF, VT, FF) nor
 *   invalid UTF-8, while raw float32 bytes almost always do (any 0.0, 1.0, or a random mantissa
 *   byte). So a text file whose first row is damaged (a value missing, a stray word) is still read as
 *   text, and its error names the line, as for damage further down.
 *
 * @example
 * ```ts
 * const kv = new KeyedVectors(["a"], Tensor.from([[1, 2]]));
 * isWord2VecBinary(encodeWord2VecBinary(kv));                        // true
 * isWord2VecBinary(new TextEncoder().encode(formatWord2VecText(kv))); // false
 * isWord2VecBinary(new TextEncoder().encode("1 3\na 0.5 x 2\n"));     // false: text, its row is damaged
 * ```
 */
export function isWord2VecBinary(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`isWord2VecBinary: bytes must be a Uint8Array, got ${describe(bytes)}`);
  const nl = bytes.indexOf(0x0a);
  if (nl < 0) return false;
  const m = HEADER.exec(latin1(bytes.subarray(0, Math.min(nl, 200))));
  if (!m) return false;
  const dim = Number(m[2]);
  let start = nl + 1;
  while (bytes[start] === 0x0a) start++;
  const sp = bytes.indexOf(0x20, start);
  if (sp < 0) return false;
  if (Number(m[1]) === 0 || start >= bytes.length) return false;
  // A text row: word, then values of [0-9+-.eEnaifty] separated by spaces, up to "\n" or the end.
  let end = bytes.indexOf(0x0a, sp);
  if (end < 0) end = bytes.length;
  const rest = latin1(bytes.subarray(sp + 1, Math.min(end, sp + 1 + 64 * dim + 64)));
  const tokens = rest.trim().split(/ +/);
  if (tokens.length === dim && tokens.every((t) => NUMBER.test(t) || SPECIAL.test(t))) return false;
  const probe = Math.min(bytes.length, sp + 1 + Math.min(4096, 3 * (4 * dim + 16)));
  return !looksLikeText(bytes.subarray(sp + 1, probe));
}

/** No control bytes but tab and line breaks, and valid UTF-8 (a sequence cut by the end is allowed). */
function looksLikeText(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if ((c < 0x20 && (c < 0x09 || c > 0x0d)) || c === 0x7f) return false;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads either word2vec format from bytes: `options.binary` says which, or it is detected with
 * {@link isWord2VecBinary}.
 *
 * @example
 * ```ts
 * const kv = new KeyedVectors(["a"], Tensor.from([[1, 2]]));
 * decodeWord2Vec(encodeWord2VecBinary(kv)).words; // ["a"]
 * ```
 */
export function decodeWord2Vec(
  bytes: Uint8Array,
  source?: string,
  options?: Word2VecReadOptions & { binary?: boolean },
): KeyedVectors {
  const fn = "decodeWord2Vec";
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fn}: bytes must be a Uint8Array, got ${describe(bytes)}`);
  const { binary, ...rest } = checkOptions(fn, options, ["binary", "limit", "noHeader"]) as Word2VecReadOptions & { binary?: boolean };
  if (binary !== undefined && typeof binary !== "boolean") {
    throw new TypeError(`${fn}: options.binary must be a boolean, got ${describe(binary)}`);
  }
  if (rest.noHeader === true && binary === true) {
    throw new Error(`${fn}: options.noHeader is for text files; the binary format always has a header`);
  }
  const isBinary = rest.noHeader === true ? false : binary ?? isWord2VecBinary(bytes);
  return isBinary ? decodeWord2VecBinary(bytes, source, rest) : decodeWord2VecText(bytes, source, rest);
}
