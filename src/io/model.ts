// The embedkit word2vec model file (version 1), documented in docs/word2vec.md:
//
//   offset 0   8 bytes   magic "EKW2VMDL"
//          8   u32 LE    format version (1)
//         12   u32 LE    L: bytes of the JSON header (at most 1 MiB)
//         16   L bytes   JSON header (UTF-8): format, vocabSize, dim, wordsBytes, settings, state, tables
//                        then zero bytes up to a multiple of 8
//              wordsBytes  the words, UTF-8, each followed by "\n", in id order; then zeros up to a multiple of 8
//              8·V       counts, float64 LE
//              4·V·H     syn0 (word vectors), float32 LE, row-major
//              4·R1·H    syn1neg, R1 = V with negative sampling, else 0
//              4·R2·H    syn1, R2 = V - 1 with hierarchical softmax, else 0
//              end of file: nothing may follow
//
// Decoding checks everything the header claims against the file's own length before it allocates
// anything of the claimed size, so a truncated, foreign, other-version or lying file is refused with
// an error that names it and what is wrong, and nothing is half-loaded.
import { Tensor } from "../tensor/tensor.js";
import { describe } from "../tensor/check.js";
import { Vocab } from "../text/vocab.js";
import { Word2VecModel, checkState } from "../word2vec/model.js";
import { checkSettings } from "../word2vec/settings.js";

const MAGIC = "EKW2VMDL";
/**
 * The model file format version this embedkit writes and reads (files of other versions are refused).
 *
 * @example
 * ```ts
 * MODEL_FORMAT_VERSION; // 1
 * ```
 */
export const MODEL_FORMAT_VERSION = 1;
const MAX_HEADER = 1 << 20;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const pad8 = (n: number) => (8 - (n % 8)) % 8;

function bytesOf(a: Float32Array | Float64Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const dv = new DataView(out.buffer);
  const size = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < a.length; i++) size === 4 ? dv.setFloat32(i * 4, a[i], true) : dv.setFloat64(i * 8, a[i], true);
  return out;
}

/**
 * The model file as a sequence of byte chunks (the tables are views of the model's arrays, not
 * copies), for `saveModel` to write atomically; {@link encodeModel} joins them.
 */
export function* modelChunks(model: Word2VecModel): Generator<Uint8Array> {
  if (!(model instanceof Word2VecModel)) throw new TypeError(`encodeModel: model must be a Word2VecModel, got ${describe(model)}`);
  const enc = new TextEncoder();
  const words = enc.encode(model.vocab.words.map((w) => `${w}\n`).join(""));
  const H = model.settings.dim;
  const header = enc.encode(JSON.stringify({
    format: "embedkit word2vec model",
    vocabSize: model.vocab.size,
    dim: H,
    wordsBytes: words.length,
    settings: model.settings,
    state: model.state,
    tables: { syn0: model.syn0.shape, syn1neg: model.syn1neg.shape, syn1: model.syn1.shape },
  }));
  const head = new Uint8Array(16);
  head.set(enc.encode(MAGIC));
  const dv = new DataView(head.buffer);
  dv.setUint32(8, MODEL_FORMAT_VERSION, true);
  dv.setUint32(12, header.length, true);
  yield head;
  yield header;
  yield new Uint8Array(pad8(16 + header.length));
  yield words;
  yield new Uint8Array(pad8(words.length));
  yield bytesOf(model.vocab.counts);
  yield bytesOf(model.syn0.data);
  yield bytesOf(model.syn1neg.data);
  yield bytesOf(model.syn1.data);
}

/**
 * A {@link Word2VecModel} as the bytes of an embedkit model file (format version 1, see
 * docs/word2vec.md); {@link decodeModel} reads it back exactly.
 *
 * @example
 * ```ts
 * const corpus = encodeCorpus(generateDemoCorpus({ sentences: 100, seed: 1 }), { minCount: 1 });
 * const model = trainWord2Vec(corpus, { dim: 4, epochs: 1 });
 * const bytes = encodeModel(model);
 * new TextDecoder().decode(bytes.subarray(0, 8));          // "EKW2VMDL"
 * decodeModel(bytes).syn0.data.every((x, i) => x === model.syn0.data[i]); // true
 * ```
 */
export function encodeModel(model: Word2VecModel): Uint8Array {
  const chunks = [...modelChunks(model)];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

function readFloats<T extends Float32Array | Float64Array>(bytes: Uint8Array, offset: number, n: number, Kind: { new (n: number): T; BYTES_PER_ELEMENT: number }): T {
  const out = new Kind(n);
  const size = Kind.BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + n * size));
  } else {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, n * size);
    for (let i = 0; i < n; i++) out[i] = size === 4 ? dv.getFloat32(i * 4, true) : dv.getFloat64(i * 8, true);
  }
  return out;
}

/**
 * Reads an embedkit model file's bytes (`name`, the file's name, goes into every error message).
 * Everything is checked first: the magic bytes, the version, the header, every size against the
 * length of the bytes, then the words and counts; an Error says what is wrong and nothing is
 * returned half-made.
 *
 * @example
 * ```ts
 * decodeModel(new TextEncoder().encode("2 3\ncat 1 2 3\n"), "vectors.txt"); // Error: decodeModel: vectors.txt is not an embedkit model file …
 * ```
 */
export function decodeModel(bytes: Uint8Array, name = "the model"): Word2VecModel {
  const fn = "decodeModel";
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fn}: bytes must be a Uint8Array, got ${describe(bytes)}`);
  if (typeof name !== "string") throw new TypeError(`${fn}: name must be a string, got ${describe(name)}`);
  const bad = (what: string) => new Error(`${fn}: ${name} ${what}`);
  const n = bytes.length;
  const magic = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(8, n)));
  if (magic !== MAGIC.slice(0, magic.length) || n < 8) {
    throw bad(`is not an embedkit model file: it starts with ${JSON.stringify(magic)}, not "${MAGIC}"`);
  }
  if (n < 16) throw bad(`is truncated: ${n} bytes, shorter than the 16-byte preamble`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== MODEL_FORMAT_VERSION) throw bad(`is model format version ${version}; this embedkit reads version ${MODEL_FORMAT_VERSION}`);
  const L = dv.getUint32(12, true);
  if (L > MAX_HEADER) throw bad(`claims a ${L}-byte header; at most ${MAX_HEADER} are allowed`);
  if (16 + L > n) throw bad(`is truncated: the header needs ${16 + L} bytes, the file has ${n}`);
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(16, 16 + L)));
  } catch (e) {
    throw bad(`has a malformed header: ${(e as Error).message}`);
  }
  if (h === null || typeof h !== "object" || h.format !== "embedkit word2vec model") throw bad(`has a header of another kind (format ${describe(h?.format)})`);
  let settings, state;
  try {
    settings = checkSettings(fn, h.settings, "header.settings");
    state = checkState(fn, h.state, "header.state");
  } catch (e) {
    throw bad(`has a bad header: ${(e as Error).message.replace(`${fn}: `, "")}`);
  }
  const V = h.vocabSize, H = h.dim, B = h.wordsBytes;
  if (!Number.isSafeInteger(V) || (V as number) < 2 || (V as number) > 2 ** 31 - 1) throw bad(`has a bad header: vocabSize ${describe(V)} is not an integer in [2, 2147483647]`);
  if (H !== settings.dim) throw bad(`has a bad header: dim ${describe(H)} differs from settings.dim ${settings.dim}`);
  if (!Number.isSafeInteger(B) || (B as number) < 2 * (V as number)) throw bad(`has a bad header: wordsBytes ${describe(B)} cannot hold ${V} words`);
  const v = V as number, b = B as number;
  const rows = { syn0: v, syn1neg: settings.negative > 0 ? v : 0, syn1: settings.hs ? v - 1 : 0 };
  const tables = h.tables as Record<string, unknown> | null;
  for (const k of ["syn0", "syn1neg", "syn1"] as const) {
    const s = tables?.[k];
    if (!Array.isArray(s) || s.length !== 2 || s[0] !== rows[k] || s[1] !== settings.dim) {
      throw bad(`has a bad header: tables.${k} is ${JSON.stringify(s)}; the settings make it [${rows[k]}, ${settings.dim}]`);
    }
  }
  const wordsAt = 16 + L + pad8(16 + L);
  const countsAt = wordsAt + b + pad8(b);
  const syn0At = countsAt + 8 * v;
  const syn1negAt = syn0At + 4 * v * settings.dim;
  const syn1At = syn1negAt + 4 * rows.syn1neg * settings.dim;
  const end = syn1At + 4 * rows.syn1 * settings.dim;
  if (end !== n) {
    throw bad(end > n ? `is truncated: the header's sizes need ${end} bytes, the file has ${n}` : `has ${n - end} bytes after the end the header's sizes give (${end})`);
  }
  // Sizes agree with the file: from here on nothing allocated is larger than the file itself.
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(wordsAt, wordsAt + b));
  } catch {
    throw bad(`has words that are not UTF-8 (bytes ${wordsAt}..${wordsAt + b})`);
  }
  const words = text.split("\n");
  if (words.pop() !== "" || words.length !== v) throw bad(`has ${words.length} words in its word list, the header says ${v}`);
  for (let i = 0; i < v; i++) if (words[i] === "" || /\s/u.test(words[i])) throw bad(`has an empty word or one with white space at id ${i}: ${JSON.stringify(words[i])}`);
  const counts = readFloats(bytes, countsAt, v, Float64Array);
  for (let i = 0; i < v; i++) if (!(counts[i] >= 0 && counts[i] < Infinity)) throw bad(`has a bad count ${counts[i]} for word ${JSON.stringify(words[i])} (byte ${countsAt + 8 * i})`);
  let vocab: Vocab;
  try {
    vocab = new Vocab(words, counts);
  } catch (e) {
    throw bad(`has a bad vocabulary: ${(e as Error).message.replace(/^Vocab: /, "")}`);
  }
  const Hd = settings.dim;
  const t = (at: number, r: number) => new Tensor(readFloats(bytes, at, r * Hd, Float32Array), [r, Hd]);
  return new Word2VecModel(vocab, settings, t(syn0At, v), t(syn1negAt, rows.syn1neg), t(syn1At, rows.syn1), state);
}
