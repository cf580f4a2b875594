// The node:fs wrappers: round trips through real files, atomic writes (a failure leaves the old file
// and no temporary file), and errors that name the file.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyedVectors, Tensor } from "../src/index.js";
import { loadNpy, loadWord2Vec, saveNpy, saveWord2Vec } from "../src/node/files.js";

const dir = mkdtempSync(join(tmpdir(), "embedkit-io-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bitsOf = (t: Tensor) => Array.from(new Uint32Array(t.data.slice().buffer));
const kv = new KeyedVectors(["ünï", "b", "c"], Tensor.randn([3, 5], { seed: 9 }));

describe("word2vec files", () => {
  it("text and binary round trips, the format detected on load", () => {
    for (const binary of [false, true]) {
      const p = join(dir, binary ? "v.bin" : "v.txt");
      saveWord2Vec(p, kv, { binary });
      for (const back of [loadWord2Vec(p), loadWord2Vec(p, { binary })]) {
        expect(back.words).toEqual(kv.words);
        expect(bitsOf(back.vectors)).toEqual(bitsOf(kv.vectors));
      }
      expect(loadWord2Vec(p, { limit: 2 }).words).toEqual(["ünï", "b"]);
    }
    expect(readFileSync(join(dir, "v.txt"), "utf8").split("\n")[0]).toBe("3 5");
  });

  it("a word the format cannot hold: RangeError, the existing file untouched, no temporary file left", () => {
    const p = join(dir, "keep.txt");
    writeFileSync(p, "old contents");
    const bad = new KeyedVectors(["new york"], Tensor.zeros([1, 2]));
    expect(() => saveWord2Vec(p, bad)).toThrow(/saveWord2Vec: word 0 "new york" contains a space/);
    expect(() => saveWord2Vec(p, bad, { binary: true })).toThrow(RangeError);
    expect(readFileSync(p, "utf8")).toBe("old contents");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("a directory that does not exist: an error, nothing written", () => {
    expect(() => saveWord2Vec(join(dir, "missing", "v.txt"), kv)).toThrow(/ENOENT/);
    expect(() => saveNpy(join(dir, "missing", "w.npy"), kv.vectors)).toThrow(/ENOENT/);
  });

  it("errors name the file and the line", () => {
    const p = join(dir, "broken.txt");
    writeFileSync(p, "2 2\nalpha 1 2\nbeta 1\n");
    expect(() => loadWord2Vec(p)).toThrow(new RegExp(`decodeWord2VecText: ${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} line 3: expected 2 values`));
    expect(() => loadWord2Vec(join(dir, "nope.txt"))).toThrow(/loadWord2Vec: cannot read .*nope\.txt: ENOENT/);
  });

  it("bad arguments", () => {
    expect(() => saveWord2Vec("", kv)).toThrow(/saveWord2Vec: path must be a non-empty string/);
    expect(() => saveWord2Vec(join(dir, "x.txt"), {} as any)).toThrow(/saveWord2Vec: kv must be a KeyedVectors/);
    expect(() => saveWord2Vec(join(dir, "x.txt"), kv, { binary: "yes" } as any)).toThrow(/options.binary must be a boolean/);
    expect(() => loadWord2Vec(join(dir, "v.txt"), { limit: -2 })).toThrow(/options.limit must be >= 0/);
    expect(readdirSync(dir)).not.toContain("x.txt");
  });
});

describe(".npy files", () => {
  it("round trip", () => {
    const p = join(dir, "w.npy");
    saveNpy(p, kv.vectors);
    const back = loadNpy(p);
    expect(back.shape).toEqual([3, 5]);
    expect(bitsOf(back)).toEqual(bitsOf(kv.vectors));
  });

  it("errors name the file and the offset", () => {
    const p = join(dir, "bad.npy");
    writeFileSync(p, "not numpy");
    expect(() => loadNpy(p)).toThrow(/decodeNpy: .*bad\.npy byte 0: not a \.npy file/);
    expect(() => saveNpy(p, "x" as any)).toThrow(/saveNpy: t must be a Tensor/);
    expect(readFileSync(p, "utf8")).toBe("not numpy");
  });
});

describe("loadWord2Vec with a limit reads only the start of a large file", () => {
  it("text and binary: the first rows of a 4 MB file", () => {
    const V = 20000;
    const big = new KeyedVectors(Array.from({ length: V }, (_, i) => `w${i}`), Tensor.randn([V, 25], { seed: 2 }));
    for (const binary of [false, true]) {
      const p = join(dir, binary ? "big.bin" : "big.txt");
      saveWord2Vec(p, big, { binary });
      const head = loadWord2Vec(p, { limit: 3 });
      expect(head.words).toEqual(["w0", "w1", "w2"]);
      expect(bitsOf(head.vectors)).toEqual(bitsOf(new Tensor(big.vectors.data.slice(0, 75), [3, 25])));
      const all = loadWord2Vec(p, { limit: V + 5 });
      expect(all.size).toBe(V);
      expect(loadWord2Vec(p, { limit: V - 1, binary }).words[V - 2]).toBe(`w${V - 2}`);
    }
  }, 30_000); // ~1 s alone; a loaded shared machine has made it take over 5

  it("a 3 GB (sparse) file: readFileSync would refuse it, a limit of 2 rows reads one chunk", () => {
    const p = join(dir, "huge.txt");
    writeFileSync(p, "1000000 3\nalpha 1 2 3\nbeta 4 5 6\n");
    truncateSync(p, 3_000_000_000);
    const kv = loadWord2Vec(p, { limit: 2 });
    expect(kv.words).toEqual(["alpha", "beta"]);
    expect(Array.from(kv.vectors.data)).toEqual([1, 2, 3, 4, 5, 6]);
    rmSync(p);
  });

  it("bad options are reported before reading", () => {
    expect(() => loadWord2Vec(join(dir, "nope.txt"), { limit: 1.5 })).toThrow(/loadWord2Vec: options.limit must be an integer, got 1.5/);
    expect(() => loadWord2Vec(join(dir, "nope.txt"), { binary: 0 } as any)).toThrow(/loadWord2Vec: options.binary must be a boolean/);
  });
});

describe("loadWord2Vec without a header", () => {
  it("reads GloVe-style text, all of it or the first rows", () => {
    const p = join(dir, "glove.txt");
    writeFileSync(p, "the 0.1 0.2\nof -1 2\nand 3 4e-2\n");
    expect(loadWord2Vec(p, { noHeader: true }).words).toEqual(["the", "of", "and"]);
    expect(loadWord2Vec(p, { noHeader: true, limit: 2 }).words).toEqual(["the", "of"]);
    expect(() => loadWord2Vec(p)).toThrow(/line 1: bad header "the 0.1 0.2"/);
  });
});
