// word2vec files read as streams: the incremental decoder gives what the whole-bytes decoders give
// (vectors and errors) however the input is cut; loadWord2Vec reads pipes, FIFOs and /dev/stdin,
// stops after `limit` rows, and is not bounded by the 2 GiB of a single read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KeyedVectors, Tensor, decodeWord2Vec, decodeWord2VecBinary, encodeWord2VecBinary, formatWord2VecText } from "../src/index.js";
import { word2vecDecoder } from "../src/io/word2vec.js";
import { loadWord2Vec } from "../src/node/files.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const goldenText = new Uint8Array(readFileSync(fixture("w2v-gensim.txt")));
const goldenBin = new Uint8Array(readFileSync(fixture("w2v-gensim.bin")));
const utf8 = (s: string) => new TextEncoder().encode(s);
const bits = (kv: KeyedVectors) => Array.from(new Uint32Array(kv.vectors.data.slice().buffer));

/** Feeds `bytes` in pieces of the given sizes (cycled); the result or the error message. */
function fed(bytes: Uint8Array, sizes: number[], options: Parameters<typeof word2vecDecoder>[1] = {}): string | { words: readonly string[]; bits: number[] } {
  try {
    const d = word2vecDecoder("f", options);
    for (let pos = 0, i = 0; pos < bytes.length; i++) {
      const k = Math.max(1, sizes[i % sizes.length]);
      if (d.push(bytes.slice(pos, pos + k))) break;
      pos += k;
    }
    const kv = d.end();
    return { words: kv.words, bits: bits(kv) };
  } catch (e) {
    return (e as Error).message;
  }
}
function wholeBytes(bytes: Uint8Array, options: Record<string, unknown> = {}): string | { words: readonly string[]; bits: number[] } {
  try {
    const kv = decodeWord2Vec(bytes, "f", options);
    return { words: kv.words, bits: bits(kv) };
  } catch (e) {
    return (e as Error).message;
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "embedkit-stream-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("word2vecDecoder: any cut of the input reads as the whole bytes do", () => {
  const damaged = [
    utf8("3 2\na 1 2\nb 3\nc 5 6\n"), utf8("2 2\na 1 2\n"), utf8("1 2\na 1 2\nb 3 4\n"), utf8(""), utf8("x y\n"),
    utf8("\ufeff2 1\na 1\nb 2\n\n\n"), new Uint8Array([...utf8("1 1\n"), 0xff, 0x20, ...utf8("1\n")]),
    goldenBin.subarray(0, goldenBin.length - 3), goldenText.subarray(0, 200),
  ];
  for (const [name, bytes] of [["text", goldenText], ["binary", goldenBin], ...damaged.map((b, i) => [`damaged ${i}`, b] as const)] as const) {
    it(`${name}: pieces of 1, 7, 4096 bytes and mixed; with and without limit`, () => {
      for (const limit of [undefined, 0, 1, 3]) {
        const o = limit === undefined ? {} : { limit };
        const want = wholeBytes(bytes, o);
        for (const sizes of [[1], [7], [4096], [1, 2, 300, 5, 64]]) {
          expect(fed(bytes, sizes, { ...o, size: bytes.length }), `${name} limit ${limit} pieces ${sizes}`).toEqual(want);
          // Without the size (a pipe) the header's claim cannot be checked against it first: the
          // input is refused further on, where it runs out.
          const unsized = fed(bytes, sizes, o);
          if (typeof want === "string" && /can hold at most/.test(want)) expect(unsized).toEqual(expect.any(String));
          else expect(unsized, `${name} limit ${limit} pieces ${sizes}, no size`).toEqual(want);
        }
      }
    });
  }

  it("headerless text (GloVe) in pieces", () => {
    for (const t of ["a 1 2\nb 3 4\n", "a 1 2\n\nb 3 4\n", "a 1 2\nb 3\n", "\n \n", "a\n", "a 1\nb 2\n\n"]) {
      for (const limit of [undefined, 0, 1, 2]) {
        const o = { noHeader: true, ...(limit === undefined ? {} : { limit }) };
        expect(fed(utf8(t), [1], o), JSON.stringify(t)).toEqual(wholeBytes(utf8(t), o));
      }
    }
  });

  it("stops asking for bytes once `limit` rows are in", () => {
    const d = word2vecDecoder("pets", { limit: 1, binary: false });
    expect(d.push(utf8("2 2\ncat 0.1 "))).toBe(false);
    expect(d.push(utf8("0.2\ndog 1 2\n"))).toBe(true);
    expect(d.end().words).toEqual(["cat"]);
  });

  it("without a size, a header's claim allocates nothing: the table grows with the rows", () => {
    const d = word2vecDecoder("lie.bin", { binary: true });
    d.push(utf8("500000000 4\n")); // 2e9 values claimed: would throw or allocate 8 GB at once
    expect(() => d.end()).toThrow(/lie\.bin byte 12: unexpected end of input in row 1 of the 500000000/);
  });
});

describe("binary words the writer cannot write back are refused at read, with the byte offset", () => {
  it("a word holding a newline", () => {
    const good = encodeWord2VecBinary(new KeyedVectors(["ab", "cd"], Tensor.from([[1], [2]])));
    const bad = good.slice();
    const at = bad.indexOf(0x62); // "b" of "ab"
    bad[at] = 0x0a;
    expect(() => decodeWord2VecBinary(bad, "nl.bin")).toThrow(`decodeWord2VecBinary: nl.bin byte ${at}: the word of row 1 holds a newline, which the word2vec format cannot hold`);
    const long = encodeWord2VecBinary(new KeyedVectors(["é".repeat(20) + "x"], Tensor.from([[1]])));
    const at2 = long.indexOf(0x78);
    long[at2] = 0x0a;
    expect(() => decodeWord2VecBinary(long, "nl.bin")).toThrow(`nl.bin byte ${at2}: the word of row 1 holds a newline`);
    // What is read can be written back: every word the reader accepts, the writer takes.
    const kv = decodeWord2VecBinary(encodeWord2VecBinary(new KeyedVectors(["a\tb", "c\rd", "\u0001"], Tensor.from([[1], [2], [3]]))));
    expect(decodeWord2VecBinary(encodeWord2VecBinary(kv)).words).toEqual(["a\tb", "c\rd", "\u0001"]);
  });
});

describe("loadWord2Vec reads streams", () => {
  const kv = new KeyedVectors(["the", "cat", "dog", "cow"], Tensor.from([[1, 0], [0.5, 0.5], [0, 1], [-1, 0]]));
  // The built package (npm run build first), in a child process that reads its own standard input.
  const script = (body: string) => [
    "--input-type=module", "-e",
    `import { loadWord2Vec } from ${JSON.stringify(fileURLToPath(new URL("../dist/node/index.js", import.meta.url)))}; ${body}`,
  ];

  it("from /dev/stdin (a shell's pipe, and a parent's socket), with and without limit, text and binary", () => {
    const file = join(dir, "in.txt");
    writeFileSync(file, formatWord2VecText(kv));
    const viaShell = spawnSync("sh", ["-c", `cat "$0" | "$1" "$2" "$3" "$4"`, file, process.execPath, ...script(
      `console.log(JSON.stringify(loadWord2Vec("/dev/stdin", { limit: 3 }).words))`,
    )], { encoding: "utf8" });
    expect(viaShell.stderr).toBe("");
    expect(JSON.parse(viaShell.stdout)).toEqual(kv.words.slice(0, 3));
    for (const bytes of [utf8(formatWord2VecText(kv)), encodeWord2VecBinary(kv)]) {
      for (const limit of [undefined, 2]) {
        const out = execFileSync(process.execPath, script(
          `const kv = loadWord2Vec("/dev/stdin"${limit === undefined ? "" : `, { limit: ${limit} }`}); console.log(JSON.stringify(kv.words))`,
        ), { input: Buffer.from(bytes), encoding: "utf8" });
        expect(JSON.parse(out)).toEqual(limit === undefined ? kv.words : kv.words.slice(0, limit));
      }
    }
  });

  it("from a FIFO, written slowly", { timeout: 20000 }, async () => {
    const fifo = join(dir, "v.fifo");
    execFileSync("mkfifo", [fifo]);
    const child = spawn(process.execPath, script(`console.log(JSON.stringify(loadWord2Vec(${JSON.stringify(fifo)}).words))`), { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const code = new Promise<number | null>((ok) => child.on("close", ok));
    const fh = await open(fifo, "w"); // in the thread pool: never blocks the test's event loop
    const text = formatWord2VecText(kv);
    for (let i = 0; i < text.length; i += 5) {
      await fh.write(text.slice(i, i + 5));
      await new Promise((ok) => setTimeout(ok, 2));
    }
    await fh.close();
    expect(await code).toBe(0);
    expect(JSON.parse(out)).toEqual(kv.words);
  });

  it("a file over 2 GiB (sparse): read as a stream, not refused for its size; with limit, only the start is read", () => {
    const big = join(dir, "big.bin");
    writeFileSync(big, encodeWord2VecBinary(kv));
    const fd = openSync(big, "r+");
    ftruncateSync(fd, 2 ** 31 + 4096); // zeros after the rows: not allowed there
    closeSync(fd);
    const r = spawnSync(process.execPath, script(`
      const t = performance.now();
      const kv = loadWord2Vec(${JSON.stringify(big)}, { limit: 3 });
      let error = ""; try { loadWord2Vec(${JSON.stringify(big)}); } catch (e) { error = e.code + " " + e.message; }
      console.log(JSON.stringify({ words: kv.words, error, ms: performance.now() - t }))`), { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const got = JSON.parse(r.stdout);
    expect(got.words).toEqual(kv.words.slice(0, 3));
    expect(got.error).not.toMatch(/ERR_FS_FILE_TOO_LARGE/);
    expect(got.error).toMatch(/byte \d+: more data after the 4 rows the header declares/);
  });

  it("I/O errors name the file and keep the code", () => {
    expect(() => loadWord2Vec(join(dir, "nope.bin"))).toThrow(expect.objectContaining({ code: "ENOENT" }));
    expect(() => loadWord2Vec(dir)).toThrow(expect.objectContaining({ code: "EISDIR", message: expect.stringMatching(/^loadWord2Vec: cannot read /) }));
  });
});
