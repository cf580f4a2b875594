// Fuzzing the vector-file parsers: truncated, corrupted and random inputs, a bounded number of runs.
// Every outcome is either a complete table or a clean error that names the file and the line or byte
// offset; nothing hangs or crashes, and a header may not make the parser allocate beyond the input.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  decodeNpy, decodeWord2VecBinary, encodeNpy, encodeWord2VecBinary, formatWord2VecText, KeyedVectors, parseWord2VecText, Tensor,
} from "../src/index.js";

const RUNS = 400;

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

/** Parse, and check the outcome: a whole table, or an Error naming the source and a position. */
function outcome(parse: () => KeyedVectors | Tensor, where: RegExp): boolean {
  let result: KeyedVectors | Tensor;
  try {
    result = parse();
  } catch (e) {
    if (!(e instanceof Error)) throw new Error(`threw a non-Error: ${String(e)}`);
    if (!where.test(e.message)) throw new Error(`message does not name the file and position: ${e.message}`);
    return true;
  }
  if (result instanceof KeyedVectors) {
    expect(result.words.length).toBe(result.vectors.shape[0]);
    expect(result.vectors.size).toBe(result.words.length * result.dim);
  }
  return true;
}

describe("fuzzed word2vec text", () => {
  it(`${RUNS} mutated files: a whole table or a clean error with file and line`, () => {
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    fc.assert(
      fc.property(table, fc.array(mutation, { minLength: 1, maxLength: 4 }), (kv, ms) => {
        const text = decoder.decode(mutate(encoder.encode(formatWord2VecText(kv)), ms));
        return outcome(() => parseWord2VecText(text, "fuzz.txt"), /^parseWord2VecText: fuzz\.txt (line \d+|byte \d+)/);
      }),
      { numRuns: RUNS },
    );
  });
  it("random text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => outcome(() => parseWord2VecText(text, "r.txt"), /^parseWord2VecText: r\.txt (line \d+|byte \d+)/)), { numRuns: RUNS });
  });
});

describe("fuzzed word2vec binary", () => {
  it(`${RUNS} mutated files: a whole table or a clean error with file and byte offset`, () => {
    fc.assert(
      fc.property(table, fc.array(mutation, { minLength: 1, maxLength: 4 }), (kv, ms) =>
        outcome(() => decodeWord2VecBinary(mutate(encodeWord2VecBinary(kv), ms), "fuzz.bin"), /^decodeWord2VecBinary: fuzz\.bin (line \d+|byte \d+)/),
      ),
      { numRuns: RUNS },
    );
  });
  it("random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => outcome(() => decodeWord2VecBinary(b, "r.bin"), /^decodeWord2VecBinary: r\.bin (line \d+|byte \d+)/)), { numRuns: RUNS });
  });
});

describe("fuzzed .npy", () => {
  it(`${RUNS} mutated files: a whole tensor or a clean error with file and byte offset`, () => {
    fc.assert(
      fc.property(table, fc.array(mutation, { minLength: 1, maxLength: 4 }), (kv, ms) =>
        outcome(() => decodeNpy(mutate(encodeNpy(kv.vectors), ms), "fuzz.npy"), /^decodeNpy: fuzz\.npy byte \d+/),
      ),
      { numRuns: RUNS },
    );
  });
  it("random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => outcome(() => decodeNpy(b, "r.npy"), /^decodeNpy: r\.npy byte \d+/)), { numRuns: RUNS });
  });
});

describe("headers that lie about their size are rejected before allocation", () => {
  it("a text header claiming 10^12 rows", () => {
    expect(() => parseWord2VecText("1000000000000 100\nthe 1 2\n", "huge.txt")).toThrow(/^parseWord2VecText: huge\.txt line 1/);
  });
  it("a binary header claiming 10^12 rows", () => {
    expect(() => decodeWord2VecBinary(new TextEncoder().encode("1000000000000 100\nthe "), "huge.bin")).toThrow(/^decodeWord2VecBinary: huge\.bin (line|byte) \d+/);
  });
  it("an .npy header claiming 10^6 × 10^6 floats", () => {
    const good = encodeNpy(Tensor.zeros([2, 2]));
    const text = new TextDecoder().decode(good).replace("(2, 2)", "(1000000, 1000000)");
    expect(() => decodeNpy(new TextEncoder().encode(text), "huge.npy")).toThrow(/^decodeNpy: huge\.npy byte \d+/);
  });
});
