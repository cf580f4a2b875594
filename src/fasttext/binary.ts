// fastText's .bin model file, version 12 (fastText 0.9), both ways. Little-endian throughout:
//   int32 magic 793712314, int32 version 12
//   args: int32 dim, ws, epoch, minCount, neg, wordNgrams, loss (hs 1, ns 2, softmax 3, ova 4),
//         model (cbow 1, sg 2, sup 3), bucket, minn, maxn, lrUpdateRate; float64 t
//   dictionary: int32 size, nwords, nlabels; int64 ntokens, pruneidx_size (-1: not pruned);
//         size entries: word bytes, a 0 byte, int64 count, int8 type (0 word, 1 label);
//         pruneidx_size pairs of int32
//   bool quantized input (embedkit reads dense only), input matrix: int64 rows, int64 cols, float32s
//   bool quantized output, output matrix likewise
// The reader checks every count against the bytes left before allocating anything, and names the
// file and the byte offset of what it refuses.
import { Tensor } from "../tensor/tensor.js";
import { MAX_ELEMENTS, describe } from "../tensor/check.js";
import { type FastTextArgs, type FastTextLoss, type FastTextModelName, LOSS_CODES, MODEL_CODES } from "./args.js";
import { FastTextDictionary, LABEL, WORD } from "./dictionary.js";
import { FastText } from "./model.js";

export const FASTTEXT_MAGIC = 793712314;
export const FASTTEXT_VERSION = 12;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const ARG_INTS = ["dim", "ws", "epoch", "minCount", "neg", "wordNgrams", "loss", "model", "bucket", "minn", "maxn", "lrUpdateRate"] as const;

/**
 * Whether bytes start with fastText's magic number.
 *
 * @example
 * ```ts
 * isFastTextBin(new Uint8Array([0xba, 0x16, 0x4f, 0x2f, 12, 0, 0, 0])); // true
 * ```
 */
export function isFastTextBin(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true) === FASTTEXT_MAGIC;
}

/**
 * A model as the bytes of a fastText 0.9 `.bin` file (the fastText CLI loads it). Chunks: the
 * matrices are views of the model's tables, not copies.
 */
export function* fastTextBinChunks(model: FastText): Generator<Uint8Array> {
  const fn = "encodeFastTextBin";
  if (!(model instanceof FastText)) throw new TypeError(`${fn}: model must be a FastText, got ${describe(model)}`);
  const { args, dict } = model;
  const enc = new TextEncoder();
  const wordBytes = dict.words.map((w) => {
    const b = enc.encode(w);
    if (b.includes(0)) throw new RangeError(`${fn}: word ${describe(w)} contains a NUL character, which a .bin file cannot hold`);
    return b;
  });
  const headLen = 8 + 48 + 8 + 12 + 16 + wordBytes.reduce((s, b) => s + b.length + 10, 0);
  const head = new Uint8Array(headLen);
  const dv = new DataView(head.buffer);
  let o = 0;
  const i32 = (v: number) => { dv.setInt32(o, v, true); o += 4; };
  const i64 = (v: number) => { dv.setBigInt64(o, BigInt(v), true); o += 8; };
  i32(FASTTEXT_MAGIC);
  i32(FASTTEXT_VERSION);
  for (const k of ARG_INTS) i32(k === "loss" ? LOSS_CODES[args.loss] : k === "model" ? MODEL_CODES[args.model] : args[k]);
  dv.setFloat64(o, args.t, true);
  o += 8;
  i32(dict.size);
  i32(dict.nwords);
  i32(dict.nlabels);
  i64(dict.ntokens);
  i64(-1);
  wordBytes.forEach((b, i) => {
    head.set(b, o);
    o += b.length + 1;
    i64(dict.counts[i]);
    dv.setInt8(o++, dict.types[i]);
  });
  yield head;
  for (const m of [model.input, model.output]) {
    const h = new Uint8Array(17);
    const hv = new DataView(h.buffer);
    hv.setUint8(0, 0); // not quantized
    hv.setBigInt64(1, BigInt(m.shape[0]), true);
    hv.setBigInt64(9, BigInt(m.shape[1]), true);
    yield h;
    yield floatBytes(m.data);
  }
}

function floatBytes(a: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) dv.setFloat32(4 * i, a[i], true);
  return out;
}

/**
 * A model as one `.bin` byte array.
 *
 * @example
 * ```ts
 * const model = await trainFastText("where is it\n".repeat(20), { dim: 8, minCount: 1, epoch: 1, bucket: 1000 });
 * const back = decodeFastTextBin(encodeFastTextBin(model));
 * Array.from(back.getWordVector("wheree")).join() === Array.from(model.getWordVector("wheree")).join(); // true
 * ```
 */
export function encodeFastTextBin(model: FastText): Uint8Array {
  const chunks = [...fastTextBinChunks(model)];
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

class Reader {
  o = 0;
  readonly dv: DataView;
  constructor(readonly bytes: Uint8Array, readonly fn: string, readonly source: string) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fail(what: string, at = this.o): never {
    throw new RangeError(`${this.fn}: ${this.source}: ${what} at byte ${at}`);
  }
  need(n: number, what: string): void {
    if (n > this.bytes.length - this.o) this.fail(`${what} needs ${n} bytes but only ${this.bytes.length - this.o} are left (file truncated or corrupt)`);
  }
  i32(what: string): number {
    this.need(4, what);
    const v = this.dv.getInt32(this.o, true);
    this.o += 4;
    return v;
  }
  i64(what: string): number {
    this.need(8, what);
    const v = this.dv.getBigInt64(this.o, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(-Number.MAX_SAFE_INTEGER)) this.fail(`${what} ${v} is out of range`);
    this.o += 8;
    return Number(v);
  }
  f64(what: string): number {
    this.need(8, what);
    const v = this.dv.getFloat64(this.o, true);
    this.o += 8;
    return v;
  }
  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.o++];
  }
}

const MODELS: Record<number, FastTextModelName> = { 1: "cbow", 2: "skipgram", 3: "supervised" };
const LOSSES: Record<number, FastTextLoss> = { 1: "hs", 2: "ns", 3: "softmax", 4: "ova" };

/**
 * Reads a fastText `.bin` model (versions 11 and 12, dense matrices; quantized `.ftz` files are refused).
 * `source` (a file name) goes into every error message, with the byte offset of what was refused.
 *
 * @example
 * ```ts
 * const model = await trainFastText("where is it\n".repeat(20), { dim: 8, minCount: 1, epoch: 1, bucket: 1000 });
 * decodeFastTextBin(encodeFastTextBin(model)).dict.nwords; // 4
 * decodeFastTextBin(new Uint8Array(3), "m.bin"); // RangeError: decodeFastTextBin: m.bin: the magic number needs 4 bytes ... at byte 0
 * ```
 */
export function decodeFastTextBin(bytes: Uint8Array, source = "<bytes>"): FastText {
  const fn = "decodeFastTextBin";
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fn}: bytes must be a Uint8Array, got ${describe(bytes)}`);
  const r = new Reader(bytes, fn, source);
  const magic = r.i32("the magic number");
  if (magic !== FASTTEXT_MAGIC) r.fail(`not a fastText .bin file (magic number ${magic}, expected ${FASTTEXT_MAGIC})`, 0);
  const version = r.i32("the version");
  if (version > FASTTEXT_VERSION || version < 11) r.fail(`unsupported .bin version ${version} (this reader knows 11 and 12)`, 4);
  const a: Record<string, number> = {};
  for (const k of ARG_INTS) {
    const at = r.o;
    const v = r.i32(`args.${k}`);
    a[k] = v;
    if (k === "loss" && LOSSES[v] === undefined) r.fail(`args.loss code ${v} is not one of 1..4`, at);
    else if (k === "model" && MODELS[v] === undefined) r.fail(`args.model code ${v} is not one of 1..3`, at);
    else if (k !== "loss" && k !== "model" && (v < 0 || (k === "dim" && (v < 1 || v > 1 << 20)))) r.fail(`args.${k} ${v} is out of range`, at);
  }
  const tAt = r.o;
  const t = r.f64("args.t");
  if (!(t > 0 && t <= 1)) r.fail(`args.t ${t} is not in (0, 1]`, tAt);
  const model = MODELS[a.model];
  if (version === 11 && model === "supervised") a.maxn = 0;
  const args: FastTextArgs = {
    model, loss: LOSSES[a.loss], dim: a.dim, ws: a.ws, epoch: a.epoch, minCount: a.minCount, minCountLabel: 0, neg: a.neg,
    wordNgrams: a.wordNgrams, bucket: a.bucket, minn: a.minn, maxn: a.maxn, lr: model === "supervised" ? 0.1 : 0.05,
    lrUpdateRate: a.lrUpdateRate, t, label: "__label__", thread: 1, seed: 0,
  };
  const dictAt = r.o;
  const size = r.i32("dictionary size");
  const nwords = r.i32("dictionary nwords");
  const nlabels = r.i32("dictionary nlabels");
  if (size < 0 || nwords < 0 || nlabels < 0 || nwords + nlabels !== size) {
    r.fail(`dictionary counts size ${size}, nwords ${nwords}, nlabels ${nlabels} do not add up`, dictAt);
  }
  const ntokens = r.i64("dictionary ntokens");
  const pruneAt = r.o;
  const pruned = r.i64("dictionary pruneidx_size");
  if (pruned !== -1 && pruned !== 0) r.fail(`the dictionary is pruned (pruneidx_size ${pruned}): a quantized model, which this reader does not read`, pruneAt);
  // every entry takes at least 10 bytes (a word of one byte or none, its 0, 8 count bytes, 1 type byte)
  if (size * 10 > bytes.length - r.o) r.fail(`dictionary size ${size} needs at least ${size * 10} bytes but only ${bytes.length - r.o} are left`, dictAt);
  const words = new Array<string>(size);
  const counts = new Array<number>(size);
  const types = new Uint8Array(size);
  const dec = new TextDecoder();
  const seen = new Set<string>();
  for (let i = 0; i < size; i++) {
    const at = r.o;
    const end = bytes.indexOf(0, at);
    if (end < 0) r.fail(`dictionary entry ${i} has no terminating 0 byte`, at);
    const w = dec.decode(bytes.subarray(at, end));
    r.o = end + 1;
    const c = r.i64(`the count of dictionary entry ${i}`);
    const typeAt = r.o;
    const ty = r.u8(`the type of dictionary entry ${i}`);
    if (ty !== WORD && ty !== LABEL) r.fail(`dictionary entry ${i} has type ${ty} (0 word, 1 label)`, typeAt);
    if ((ty === WORD) !== (i < nwords)) r.fail(`dictionary entry ${i} ${describe(w)} is a ${ty === WORD ? "word" : "label"} among the ${i < nwords ? "words" : "labels"}`, typeAt);
    if (c < 0) r.fail(`dictionary entry ${i} has count ${c}`, typeAt - 8);
    if (seen.has(w)) r.fail(`dictionary entry ${i} ${describe(w)} is repeated`, at);
    seen.add(w);
    words[i] = w;
    counts[i] = c;
    types[i] = ty;
  }
  if (ntokens < 0) r.fail(`dictionary ntokens ${ntokens} is negative`, dictAt + 12);
  const dict = new FastTextDictionary(args, words, counts, types, Math.max(1, ntokens));
  const input = readMatrix(r, "input", nwords + args.bucket, args.dim);
  const output = readMatrix(r, "output", model === "supervised" ? nlabels : nwords, args.dim);
  if (r.o !== bytes.length) r.fail(`${bytes.length - r.o} bytes follow the output matrix`);
  return new FastText(args, dict, input, output);
}

function readMatrix(r: Reader, name: string, rows: number, cols: number): Tensor {
  const qAt = r.o;
  const q = r.u8(`the ${name} matrix's quantization flag`);
  if (q !== 0) r.fail(q === 1 ? `the ${name} matrix is quantized (.ftz): not supported` : `the ${name} matrix's quantization flag is ${q}, not 0 or 1`, qAt);
  const at = r.o;
  const m = r.i64(`the ${name} matrix's rows`);
  const n = r.i64(`the ${name} matrix's columns`);
  if (m !== rows || n !== cols) r.fail(`the ${name} matrix is [${m}, ${n}] but the header says [${rows}, ${cols}]`, at);
  if (m * n > MAX_ELEMENTS) r.fail(`the ${name} matrix [${m}, ${n}] is larger than a Float32Array can hold`, at);
  r.need(4 * m * n, `the ${name} matrix [${m}, ${n}]`);
  const data = new Float32Array(m * n);
  if (LITTLE_ENDIAN) new Uint8Array(data.buffer).set(r.bytes.subarray(r.o, r.o + 4 * m * n));
  else for (let i = 0; i < data.length; i++) data[i] = r.dv.getFloat32(r.o + 4 * i, true);
  r.o += 4 * m * n;
  return new Tensor(data, [m, n]);
}
