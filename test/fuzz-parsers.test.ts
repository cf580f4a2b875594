// Fuzzing every reader of untrusted bytes: seeded mutations (truncate, flip, overwrite, insert,
// delete) of valid files, and random bytes, a bounded number of runs. Every outcome is either a whole
// result or a TypeError/RangeError/Error whose message names the reader (and, for the vector files,
// the file and the line or byte offset); nothing hangs, crashes or throws anything else, and a header
// that lies about its size is refused before anything of that size is allocated.
// A new reader joins by adding an entry to READERS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  decodeModel, decodeNpy, decodeWord2Vec, decodeWord2VecBinary, decodeWord2VecText, encodeModel, encodeNpy, encodeWord2VecBinary,
  formatWord2VecText, KeyedVectors, parseWord2VecText, Tensor, trainWord2Vec,
} from "../src/index.js";
import { word2vecDecoder } from "../src/io/word2vec.js";
import { decodeVocab, formatVocab, parseVocab } from "../src/text/vocab-file.js";
import { Vocab } from "../src/text/vocab.js";
import { encodeCorpus } from "../src/text/corpus.js";
import { generateDemoCorpus } from "../src/text/synthetic.js";
import { loadModel } from "../src/node/model-files.js";
import { loadNpy, loadWord2Vec } from "../src/node/files.js";

/** Mutated files per reader (plus as many random inputs): a few thousand in all, seeded. */
const RUNS = 250;
const SEED = 19;

const enc = new TextEncoder();
const dec = new TextDecoder();

const table = fc
  .record({ rows: fc.integer({ min: 1, max: 6 }), dim: fc.integer({ min: 1, max: 5 }), seed: fc.integer({ min: 0, max: 1000 }) })
  .map(({ rows, dim, seed }) => new KeyedVectors(Array.from({ length: rows }, (_, i) => `w${i}ü${seed % 7}`), Tensor.randn([rows, dim], { seed })));

/** Byte-level mutations: truncate, flip, overwrite, insert, delete. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), byte: fc.constantFrom(0, 10, 13, 32, 45, 46, 48, 57, 101, 110, 0x93, 0xff, ...Array.from({ length: 8 }, (_, i) => i * 31)) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 6 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = bytes.slice();
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    if (m.kind === "truncate") b = b.slice(0, at);
    else if (m.kind === "flip" && at < b.length) b[at] ^= 1 << m.bit;
    else if (m.kind === "set" && at < b.length) b[at] = m.byte;
    else if (m.kind === "insert") b = Uint8Array.from([...b.slice(0, at), ...m.bytes, ...b.slice(at)]);
    else if (m.kind === "delete") b = Uint8Array.from([...b.slice(0, at), ...b.slice(at + m.n)]);
  }
  return b;
}

let dir = "";
let n = 0;
/** The bytes as a file, for the readers of paths. */
function file(bytes: Uint8Array, ext: string): string {
  const p = join(dir, `f${n++ % 8}.${ext}`);
  writeFileSync(p, bytes);
  return p;
}

/** Feeds a decoder in pieces whose sizes come from the bytes themselves (deterministic). */
function streamed(bytes: Uint8Array, withSize: boolean): KeyedVectors {
  const d = word2vecDecoder("fuzz.bin", withSize ? { size: bytes.length } : {});
  for (let pos = 0; pos < bytes.length; ) {
    const k = 1 + ((bytes[pos] * 7 + pos) % 13);
    if (d.push(bytes.slice(pos, pos + k))) break;
    pos += k;
  }
  return d.end();
}

let model: Uint8Array;
const vocabFile = (kv: KeyedVectors) => enc.encode([...formatVocab(new Vocab(kv.words, kv.words.map((_, i) => 100 - i)))].join(""));

interface Reader {
  name: string;
  /** A valid input built from a random table. */
  valid: (kv: KeyedVectors) => Uint8Array;
  read: (bytes: Uint8Array) => unknown;
  /** What every error message of this reader starts with. */
  message: RegExp;
}

const where = (fn: string, src: string) => new RegExp(`^${fn}: ${src.replace(/\./g, "\\.")} (line \\d+|byte \\d+)`);
const text = (kv: KeyedVectors) => enc.encode(formatWord2VecText(kv));
const binary = (kv: KeyedVectors) => encodeWord2VecBinary(kv);
const READERS: Reader[] = [
  { name: "parseWord2VecText", valid: text, read: (b) => parseWord2VecText(dec.decode(b), "fuzz.txt"), message: where("parseWord2VecText", "fuzz.txt") },
  { name: "parseWord2VecText noHeader", valid: (kv) => enc.encode(formatWord2VecText(kv).replace(/^.*\n/, "")), read: (b) => parseWord2VecText(dec.decode(b), "g.txt", { noHeader: true }), message: where("parseWord2VecText", "g.txt") },
  { name: "decodeWord2VecText", valid: text, read: (b) => decodeWord2VecText(b, "fuzz.txt"), message: where("decodeWord2VecText", "fuzz.txt") },
  { name: "decodeWord2VecBinary", valid: binary, read: (b) => decodeWord2VecBinary(b, "fuzz.bin"), message: where("decodeWord2VecBinary", "fuzz.bin") },
  { name: "decodeWord2Vec (text)", valid: text, read: (b) => decodeWord2Vec(b, "fuzz.bin", { limit: 3 }), message: /^decodeWord2Vec(Text|Binary): fuzz\.bin (line|byte) \d+/ },
  { name: "decodeWord2Vec (binary)", valid: binary, read: (b) => decodeWord2Vec(b, "fuzz.bin"), message: /^decodeWord2Vec(Text|Binary): fuzz\.bin (line|byte) \d+/ },
  { name: "word2vecDecoder (pieces, size known)", valid: binary, read: (b) => streamed(b, true), message: /^decodeWord2Vec(Text|Binary): fuzz\.bin (line|byte) \d+/ },
  { name: "word2vecDecoder (pieces, a pipe)", valid: text, read: (b) => streamed(b, false), message: /^decodeWord2Vec(Text|Binary): fuzz\.bin (line|byte) \d+/ },
  { name: "loadWord2Vec", valid: binary, read: (b) => loadWord2Vec(file(b, "bin")), message: /^decodeWord2Vec(Text|Binary): \S+ (line|byte) \d+/ },
  { name: "decodeNpy", valid: (kv) => encodeNpy(kv.vectors), read: (b) => decodeNpy(b, "fuzz.npy"), message: /^decodeNpy: fuzz\.npy byte \d+/ },
  { name: "loadNpy", valid: (kv) => encodeNpy(kv.vectors), read: (b) => loadNpy(file(b, "npy")), message: /^decodeNpy: \S+ byte \d+/ },
  { name: "decodeModel", valid: () => model, read: (b) => decodeModel(b, "fuzz.model"), message: /^decodeModel: fuzz\.model / },
  { name: "loadModel", valid: () => model, read: (b) => loadModel(file(b, "model")), message: /^loadModel: \S+ / },
  { name: "vocabulary file (decodeVocab, parseVocab)", valid: vocabFile, read: (b) => parseVocab(decodeVocab(b, "fuzz.vocab"), "fuzz.vocab"), message: /^fuzz\.vocab: line \d+/ },
];

/** Runs a reader: a result, or an error of an allowed kind whose message names the reader. */
function outcome(reader: Reader, bytes: Uint8Array): true {
  let result: unknown;
  try {
    result = reader.read(bytes);
  } catch (e) {
    const kind = (e as Error)?.constructor;
    if (kind !== Error && kind !== TypeError && kind !== RangeError) throw new Error(`${reader.name} threw ${kind?.name ?? typeof e}: ${String(e)}`);
    if (!reader.message.test((e as Error).message)) throw new Error(`${reader.name}: the message does not name the reader and position: ${(e as Error).message}`);
    return true;
  }
  if (result instanceof KeyedVectors) {
    expect(result.words.length).toBe(result.vectors.shape[0]);
    expect(result.vectors.size).toBe(result.words.length * result.dim);
  }
  return true;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "embedkit-fuzz-"));
  const corpus = encodeCorpus(generateDemoCorpus({ sentences: 20, seed: 3 }), { minCount: 1 });
  model = encodeModel(trainWord2Vec(corpus, { dim: 3, epochs: 1, seed: 1, negative: 2, hs: true }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(READERS)("fuzzed: $name", (reader) => {
  it(`${RUNS} mutated valid files, then ${RUNS} random inputs: a whole result or a clean error naming the reader`, { timeout: 30000 }, () => {
    fc.assert(fc.property(table, fc.array(mutation, { minLength: 1, maxLength: 4 }), (kv, ms) => outcome(reader, mutate(reader.valid(kv), ms))), { numRuns: RUNS, seed: SEED });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => outcome(reader, b)), { numRuns: RUNS, seed: SEED });
  });
});

describe("headers that lie about their size are refused before allocation", () => {
  const refusedFast = (f: () => unknown, message: RegExp) => {
    const t = performance.now();
    expect(f).toThrow(message);
    expect(performance.now() - t).toBeLessThan(1000);
  };
  it("a text header claiming 10^12 rows", () => {
    refusedFast(() => parseWord2VecText("1000000000000 100\nthe 1 2\n", "huge.txt"), /^parseWord2VecText: huge\.txt line 1/);
  });
  it("a binary header claiming 10^12 rows", () => {
    refusedFast(() => decodeWord2VecBinary(enc.encode("1000000000000 100\nthe "), "huge.bin"), /^decodeWord2VecBinary: huge\.bin (line|byte) \d+/);
  });
  it("a header within Float32Array's limit but beyond the input, for every vectors reader", () => {
    const lie = enc.encode("20000000 100\nthe 1 2\n"); // 8 GB of table claimed by 21 bytes
    refusedFast(() => decodeWord2VecText(lie, "lie.txt"), /lie\.txt line 1: header declares 20000000 rows of 100 values but the 8 bytes after it can hold at most 0/);
    refusedFast(() => decodeWord2Vec(lie, "lie.txt"), /can hold at most 0/);
    refusedFast(() => loadWord2Vec(file(lie, "txt")), /can hold at most 0/);
    // A pipe has no size: the table grows with the rows that arrive, and the input ends first.
    refusedFast(() => streamed(lie, false), /^decodeWord2VecText: fuzz\.bin line 2: expected 100 values/);
  });
  it("an .npy header claiming 10^6 × 10^6 floats", () => {
    const good = encodeNpy(Tensor.zeros([2, 2]));
    const t = dec.decode(good).replace("(2, 2)", "(1000000, 1000000)");
    refusedFast(() => decodeNpy(enc.encode(t), "huge.npy"), /^decodeNpy: huge\.npy byte \d+/);
  });
});
