// `embedkit fasttext`: fastText's commands and flags, its output formats, checked against fixtures
// printed by the fastText CLI.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fasttext, formatG } from "../src/cli/fasttext.js";
import { main } from "../src/cli/main.js";
import { loadFastText } from "../src/node/fasttext-files.js";

const dir = resolve(import.meta.dirname, "fixtures", "fasttext");
const text = (name: string) => readFileSync(join(dir, name), "utf8");

function capture() {
  const out: string[] = [], err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), isTTY: false }, out, err };
}

describe("embedkit fasttext", () => {
  it("formats floats as C++ streams do (%g)", () => {
    expect([formatG(0.0023034123, 5), formatG(-0.00071779, 5), formatG(1.5e-5, 5), formatG(12345.67, 5), formatG(123456, 5), formatG(0.5, 6), formatG(1, 5)])
      .toEqual(["0.0023034", "-0.00071779", "1.5e-05", "12346", "1.2346e+05", "0.5", "1"]);
  });
  it("predict-prob prints what the fastText CLI printed", async () => {
    const c = capture();
    expect(await fasttext(["predict-prob", join(dir, "supervised.bin"), join(dir, "predict-input.txt"), "3"], c.io)).toBe(0);
    expect(c.out.join("")).toBe(text("supervised-predict-prob.txt"));
  });
  it("print-word-vectors prints what the fastText CLI printed", async () => {
    const c = capture();
    expect(await fasttext(["print-word-vectors", join(dir, "skipgram.bin")], c.io, () => text("words.txt"))).toBe(0);
    expect(c.out.join("")).toBe(text("skipgram-vectors.txt"));
  });
  it("test prints N, P@k, R@k as fastText", async () => {
    const c = capture();
    expect(await fasttext(["test", join(dir, "supervised.bin"), join(dir, "supervised.txt"), "2"], c.io)).toBe(0);
    expect(c.out.join("")).toBe(text("supervised-test.txt"));
  });
  it("trains with single-dash flags and writes PREFIX.bin and PREFIX.vec", async () => {
    const d = mkdtempSync(join(tmpdir(), "ftcli-"));
    try {
      const c = capture();
      const code = await main(["fasttext", "supervised", "-input", join(dir, "supervised.txt"), "-output", join(d, "m"), "-dim", "8", "-epoch", "3", "--wordNgrams", "2", "-bucket", "500", "-thread", "1", "-verbose", "0"], c.io);
      expect(code).toBe(0);
      const m = loadFastText(join(d, "m.bin"));
      expect([m.args.model, m.args.dim, m.args.wordNgrams, m.args.bucket]).toEqual(["supervised", 8, 2, 500]);
      expect(readFileSync(join(d, "m.vec"), "utf8").split("\n")[0]).toBe(`${m.dict.nwords} 8`);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
  it("usage errors name the flag (exit code 2)", async () => {
    const c = capture();
    expect(await main(["fasttext", "skipgram", "-input", "x", "-output", "y", "-dimm", "3"], c.io)).toBe(2);
    expect(c.err.join("")).toMatch(/^embedkit fasttext skipgram: unknown flag "-dimm"/);
    const d = capture();
    expect(await main(["fasttext", "cbow", "-input", "x", "-output", "y", "-loss", "nce"], d.io)).toBe(2);
    expect(d.err.join("")).toMatch(/^embedkit fasttext cbow: -loss must be one of "ns", "hs", "softmax", "ova", got "nce"/);
  });
});
