// The word2vec vector formats of Mikolov's C tool, as gensim's save_word2vec_format writes them:
//   text:   "V H\n" then V lines "word v1 ... vH\n", each value numpy's repr of the float32;
//   binary: "V H\n" then V records "word " + H little-endian float32 (4H bytes), nothing between.
// Pure encode/decode on strings and bytes (browser-safe); src/node/files.ts adds node:fs wrappers.
//
// Reading rules (documented in docs/vectors.md):
// - the header is two non-negative integers; rows*dim is checked against what the input can hold and
//   what a Float32Array can hold BEFORE anything is allocated;
// - text values are separated by one or more spaces; trailing ASCII whitespace (CRLF files, the
//   C tool's trailing space) is ignored, as by gensim's line.rstrip(); values use Python's float
//   syntax (digits, ".", exponent, "nan", "inf"); anything else is an error naming the line;
// - a word repeated later in the file is ignored, the first one kept (as gensim 4 does);
// - after the declared rows only blank lines (text) or newlines (binary) may follow, unless `limit`
//   stopped the reading early;
// - binary records may start with "\n" (the C tool writes one after each vector): it is skipped.
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

/** Lines of a text, one at a time, with their 1-based numbers. */
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

function byteLines(fn: string, bytes: Uint8Array, source: string): LineSource {
  const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let pos = 0;
  return {
    line: 0,
    next() {
      if (pos >= bytes.length) return null;
      let end = bytes.indexOf(0x0a, pos);
      if (end < 0) end = bytes.length;
      this.line++;
      let s: string;
      try {
        s = utf8.decode(bytes.subarray(pos, end));
      } catch {
        throw new Error(`${fn}: ${source} line ${this.line} (byte ${pos}): not valid UTF-8`);
      }
      pos = end + 1;
      return s;
    },
    remaining: () => Math.max(0, bytes.length - pos),
  };
}

/** rows and dim from a header line, checked against the input size and Float32Array's limit. */
function parseHeader(
  fn: string,
  where: string,
  line: string | null,
  limit: number,
  remaining: number,
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
  // rows than that is rejected before the table is allocated.
  const fits = Math.floor((remaining + 1) / minRowBytes(dim));
  if (n > fits) {
    throw new RangeError(
      `${fn}: ${where}: header declares ${rows} rows of ${dim} values but the ${remaining} ${unit} after it can hold at most ${fits}`,
    );
  }
  return { rows, dim, n };
}

/** A leading UTF-8 byte-order mark, dropped. */
function noBom(line: string | null): string | null {
  return line !== null && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}

/** The shared text reader over lines of a string or of UTF-8 bytes (`makeLines` starts a new pass). */
function readText(
  fn: string,
  makeLines: () => LineSource,
  source: string,
  { limit, noHeader }: { limit: number; noHeader: boolean },
  unit: string,
): KeyedVectors {
  const lines = makeLines();
  if (noHeader) {
    const { rows, dim, complete } = countRows(fn, makeLines(), source, limit);
    return readRows(fn, lines, source, rows, dim, rows, true, complete);
  }
  const header = noBom(lines.next());
  const { rows, dim, n } = parseHeader(fn, `${source} line 1`, header, limit, lines.remaining(), (d) => 2 * d + 2, unit);
  return readRows(fn, lines, source, rows, dim, n, false, n === rows);
}

/** Without a header: the rows up to the last non-blank line (at most `limit`), and the first row's width. */
function countRows(
  fn: string,
  lines: LineSource,
  source: string,
  limit: number,
): { rows: number; dim: number; complete: boolean } {
  let dim = 0;
  let rows = 0;
  let raw = noBom(lines.next());
  for (; raw !== null && rows < limit; raw = lines.next()) {
    const line = trimEnd(raw);
    if (line === "") continue;
    rows = lines.line;
    if (dim === 0) dim = line.split(/ +/).length - 1;
  }
  if (rows === 0 && limit > 0) throw new Error(`${fn}: ${source} line 1: no rows (the input is empty or blank)`);
  if (dim === 0 && limit > 0) throw new Error(`${fn}: ${source} line 1: the first row has a word but no values`);
  return { rows, dim: Math.max(dim, 1), complete: raw === null };
}

/**
 * Rows `word v1 ... vdim`, n of the `rows` declared, into a table allocated once; with `checkRest`,
 * only blank lines may follow.
 */
function readRows(
  fn: string,
  lines: LineSource,
  source: string,
  rows: number,
  dim: number,
  n: number,
  firstMayHaveBom: boolean,
  checkRest: boolean,
): KeyedVectors {
  const at = () => `${source} line ${lines.line}`;
  const data = new Float32Array(n * dim);
  const words: string[] = [];
  for (let r = 0; r < n; r++) {
    const raw = r === 0 && firstMayHaveBom ? noBom(lines.next()) : lines.next();
    if (raw === null) {
      throw new Error(
        `${fn}: ${source} line ${lines.line + 1}: unexpected end of input after ${r} of the ${rows} rows the header declares`,
      );
    }
    const line = trimEnd(raw);
    const sp = line.indexOf(" ");
    const word = sp < 0 ? line : line.slice(0, sp);
    if (word === "") {
      throw new Error(`${fn}: ${at()}: ${line === "" ? "blank line" : "line starts with a space"}, expected a word and ${dim} values`);
    }
    const off = r * dim;
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
    words.push(word);
  }
  if (checkRest) {
    for (let raw = lines.next(); raw !== null; raw = lines.next()) {
      if (trimEnd(raw) !== "") {
        throw new Error(`${fn}: ${at()}: more rows than the ${rows} the header declares`);
      }
    }
  }
  return keyedVectorsFromRows(words, data, dim);
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
  return readText(fn, () => stringLines(text), src, readOptions(fn, options), "characters");
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
  return readText(fn, () => byteLines(fn, bytes, src), src, readOptions(fn, options), "bytes");
}

/**
 * Reads the word2vec binary format (gensim's `binary=True`, the C tool's `-binary 1`). Errors name
 * `source` and the byte offset; a truncated file is an error, never a partly filled table.
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
  const nl = bytes.indexOf(0x0a);
  const headerEnd = nl < 0 ? bytes.length : nl;
  const headerLine = bytes.length === 0 ? null : latin1(bytes.subarray(0, Math.min(headerEnd, 200)));
  let pos = Math.min(headerEnd + 1, bytes.length);
  const { rows, dim, n } = parseHeader(fn, `${src} byte 0`, headerLine, limit, bytes.length - pos, (d) => 4 * d + 2, "bytes");
  const data = new Float32Array(n * dim);
  const dataBytes = new Uint8Array(data.buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const words = new Array<string>(n);
  const recordBytes = 4 * dim;
  for (let r = 0; r < n; r++) {
    while (pos < bytes.length && bytes[pos] === 0x0a) pos++;
    const sp = bytes.indexOf(0x20, pos);
    if (sp < 0) {
      throw new Error(
        `${fn}: ${src} byte ${pos}: unexpected end of input in row ${r + 1} of the ${rows} the header declares (no word ends there)`,
      );
    }
    if (sp === pos) throw new Error(`${fn}: ${src} byte ${pos}: empty word in row ${r + 1}`);
    let word = sp - pos <= 32 ? asciiWord(bytes, pos, sp) : null;
    if (word === null) {
      try {
        word = utf8.decode(bytes.subarray(pos, sp));
      } catch {
        throw new Error(`${fn}: ${src} byte ${pos}: the word of row ${r + 1} is not valid UTF-8`);
      }
    }
    const start = sp + 1;
    if (start + recordBytes > bytes.length) {
      throw new Error(
        `${fn}: ${src} byte ${start}: truncated: row ${r + 1} (${describe(word.slice(0, 40))}) needs ${recordBytes} bytes of float32, only ${bytes.length - start} left`,
      );
    }
    words[r] = word;
    // The record's bytes are the float32 values themselves on a little-endian host: one copy per row
    // (its subarray view is the only allocation beside the word; DataView.getFloat32 per value, with
    // none, is 1.8-3x slower on 300,000 x 100: bench/variants.ts, npm run bench:vectors).
    if (LITTLE_ENDIAN_HOST) dataBytes.set(bytes.subarray(start, start + recordBytes), r * recordBytes);
    else for (let k = 0, off = r * dim; k < dim; k++) data[off + k] = view.getFloat32(start + 4 * k, true);
    pos = start + recordBytes;
  }
  if (n === rows) {
    for (let p = pos; p < bytes.length; p++) {
      const c = bytes[p];
      if (c !== 0x0a && c !== 0x0d && c !== 0x20) {
        throw new Error(`${fn}: ${src} byte ${p}: more data after the ${rows} rows the header declares`);
      }
    }
  }
  return keyedVectorsFromRows(words, data, dim);
}

/**
 * The word in bytes [from, to) if all are ASCII (most words of most vocabularies), else null (then
 * the UTF-8 decoder runs): building a short string from char codes beats a TextDecoder call.
 */
function asciiWord(bytes: Uint8Array, from: number, to: number): string | null {
  let word = "";
  for (let p = from; p < to; p++) {
    const c = bytes[p];
    if (c >= 0x80) return null;
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

/**
 * How many leading bytes of a word2vec file hold its header and first `rows` rows, or -1 if `bytes`
 * (the start of a file) does not reach that far yet. Lets a file reader with a `limit` stop early.
 *
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode("3 1\na 1\nb 2\nc 3\n");
 * word2vecPrefixLength(bytes, 2, false);               // 12: "3 1\na 1\nb 2\n"
 * word2vecPrefixLength(bytes.subarray(0, 9), 2, false); // -1: read more
 * ```
 */
export function word2vecPrefixLength(bytes: Uint8Array, rows: number, binary: boolean, header = true): number {
  let pos = 0;
  let dim = 0;
  if (header) {
    pos = bytes.indexOf(0x0a);
    if (pos < 0) return -1;
    const m = HEADER.exec(latin1(bytes.subarray(0, Math.min(pos, 200))));
    if (!m) return bytes.length; // let the decoder report the bad header
    pos++;
    dim = Number(m[2]);
  }
  for (let r = 0; r < rows; r++) {
    if (binary) {
      while (pos < bytes.length && bytes[pos] === 0x0a) pos++;
      const sp = bytes.indexOf(0x20, pos);
      if (sp < 0) return -1;
      pos = sp + 1 + 4 * dim;
      if (pos > bytes.length) return -1;
    } else {
      const nl = bytes.indexOf(0x0a, pos);
      if (nl < 0) return -1;
      pos = nl + 1;
    }
  }
  return pos;
}
