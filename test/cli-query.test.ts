// embedkit similar / analogy: several positive and --negative words, --limit, unknown words and rows
// holding NaN, run in-process through main() with captured output.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { KeyedVectors, Tensor } from "../src/index.js";
import { saveWord2Vec } from "../src/node/files.js";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "embedkit-cli-query-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const royal = new KeyedVectors(["king", "queen", "man", "woman", "prince", "girl"], Tensor.from([
  [0.9, 0.8, 0.1], [0.9, 0.1, 0.8], [0.1, 0.9, 0.1], [0.1, 0.1, 0.9], [0.8, 0.9, 0.2], [0.2, 0.2, 1],
]));
const file = join(dir, "royal.bin");
saveWord2Vec(file, royal, { binary: true });
const lines = (answer: { word: string; similarity: number }[]) => answer.map((n) => `${n.word}\t${n.similarity.toFixed(4)}\n`).join("");

describe("embedkit similar", () => {
  it("one word: its neighbours, best first", async () => {
    const r = await run("similar", file, "king", "--top", "3");
    expect(r).toEqual({ code: 0, out: lines(royal.mostSimilar("king", 3)), err: "" });
  });

  it("several positive words and repeated --negative: gensim's most_similar(positive, negative)", async () => {
    const r = await run("similar", file, "king", "woman", "--negative", "man", "--negative", "prince", "--top", "2");
    expect(r.code).toBe(0);
    expect(r.out).toBe(lines(royal.mostSimilar(["king", "woman"], 2, { negative: ["man", "prince"] })));
    expect(r.out).not.toMatch(/^(king|woman|man|prince)\t/m);
  });

  it("--limit reads only the first N words (gensim's limit=): the query words must be among them", async () => {
    const r = await run("similar", file, "man", "--limit", "3");
    expect(r.out).toBe(lines(royal.mostSimilar("man", 10, { restrictVocab: 3 })));
    expect(r.out.trim().split("\n").map((l) => l.split("\t")[0])).toEqual(["king", "queen"]);
    const beyond = await run("similar", file, "girl", "--limit", "2");
    expect(beyond.code).toBe(1);
    expect(beyond.err).toBe(`embedkit similar: "girl" is not in the first 2 words of ${file} (--limit 2)\n`);
  });

  it("unknown words are all named, with the file", async () => {
    const r = await run("similar", file, "king", "duke", "--negative", "earl");
    expect(r.code).toBe(1);
    expect(r.err).toBe(`embedkit similar: "duke", "earl" are not in ${file} (6 words)\n`);
  });

  it("usage errors exit 2", async () => {
    expect((await run("similar")).err).toMatch(/^embedkit similar: expected FILE WORD, got nothing/);
    expect((await run("similar", file, "--negative", "man")).code).toBe(0); // negatives only: allowed, as in gensim
    expect((await run("similar", file, "king", "--limit", "0")).err).toMatch(/^embedkit similar: --limit must be >= 1, got 0\n/);
    expect((await run("similar", file, "king", "--negativ", "man")).code).toBe(2);
    expect((await run("analogy", file, "man", "king")).err).toMatch(/^embedkit analogy: expected FILE A B C, got 3 argument\(s\): /);
  });
});

describe("embedkit analogy", () => {
  it("A B C is similar B C --negative A, with --limit", async () => {
    const a = await run("analogy", file, "man", "king", "woman", "--top", "2");
    const s = await run("similar", file, "king", "woman", "--negative", "man", "--top", "2");
    expect(a.code).toBe(0);
    expect(a.out).toBe(s.out);
    expect(a.out).toBe(lines(royal.analogy("man", "king", "woman", 2)));
    const limited = await run("analogy", file, "man", "king", "woman", "--limit", "4");
    expect(limited.out).toBe(lines(royal.analogy("man", "king", "woman", 5, { restrictVocab: 4 })));
    expect(limited.out.trim().split("\n").map((l) => l.split("\t")[0])).toEqual(["queen"]);
  });
});

describe("rows holding NaN or Infinity", () => {
  const p = join(dir, "nan.txt");
  writeFileSync(p, "5 2\na 1 0\nbad nan 1\nb 0.9 0.1\ninf inf 0\nc 0 1\n");

  it("a warning names them; the answer leaves them out", async () => {
    const r = await run("similar", p, "a");
    expect(r.code).toBe(0);
    expect(r.out.split("\n").filter(Boolean).map((l) => l.split("\t")[0])).toEqual(["b", "c"]);
    expect(r.err).toBe(`embedkit similar: warning: 2 of the 5 vectors in ${p} hold NaN or Infinity and are left out: "bad" (row 2), "inf" (row 4)\n`);
  });

  it("nothing left to answer: said on stderr, exit 0", async () => {
    const r = await run("similar", p, "a", "b", "--negative", "c");
    expect(r.code).toBe(0);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/warning: 2 of the 5 vectors .*\nembedkit: no answer: every word searched is a query word or holds NaN or Infinity\n$/);
  });

  it("as a query word: exit 1 naming the word, the file and the row", async () => {
    const r = await run("analogy", p, "a", "b", "bad");
    expect(r.code).toBe(1);
    expect(r.err).toBe(`embedkit analogy: "bad" in ${p} (row 2) holds NaN or Infinity: it has no nearest words\n`);
  });
});
