// Every file a command reads is an input of the output checks: `train --resume M --output M` would
// otherwise replace the model with its vectors. Run in-process through main().
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { generateDemoCorpus } from "../src/text/synthetic.js";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false });
  return { code, out, err };
}

let dir: string;
let corpus: string;
let model: string;
let modelBytes: Buffer;
const small = ["--dim", "8", "--epochs", "1", "--min-count", "1", "--sample", "0", "--quiet"];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "embedkit-paths-"));
  corpus = join(dir, "corpus.txt");
  writeFileSync(corpus, generateDemoCorpus({ sentences: 200, seed: 2 }));
  model = join(dir, "m.model");
  const r = await run("train", "--input", corpus, "--output", join(dir, "v.txt"), "--save-model", model, ...small);
  expect(r.code).toBe(0);
  modelBytes = readFileSync(model);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("train: no output may be a file the command reads", () => {
  it("--resume M --output M (by name, symlink or hard link) is refused, naming both, and M is kept", async () => {
    const link = join(dir, "m-link.model");
    const hard = join(dir, "m-hard.model");
    symlinkSync(model, link);
    linkSync(model, hard);
    for (const output of [model, link, hard]) {
      const r = await run("train", "--resume", model, "--input", corpus, "--output", output, "--epochs", "1", "--quiet");
      expect(r.code).toBe(2);
      expect(r.err).toBe(`embedkit train: --output ${output} is the input file (--resume ${model}); refusing to overwrite it\n`);
    }
    expect(readFileSync(model).equals(modelBytes)).toBe(true);
  });

  it("--resume M --save-model M updates the model in place (read whole, written atomically)", async () => {
    const copy = join(dir, "copy.model");
    writeFileSync(copy, modelBytes);
    const r = await run("train", "--resume", copy, "--input", corpus, "--output", join(dir, "v2.txt"), "--save-model", copy, "--epochs", "1", "--quiet");
    expect(r).toEqual({ code: 0, out: "", err: "" });
    expect(readFileSync(copy).equals(modelBytes)).toBe(false);
  });

  it("--save-model and --save-vocab against --read-vocab, --input and --output, also through hard links", async () => {
    const vocab = join(dir, "vocab.txt");
    const r0 = await run("train", "--input", corpus, "--output", join(dir, "v3.txt"), "--save-vocab", vocab, ...small);
    expect(r0.code).toBe(0);
    const vocabText = readFileSync(vocab, "utf8");
    const cases: [string[], RegExp][] = [
      [["--read-vocab", vocab, "--save-model", vocab], /--save-model .*vocab\.txt is the input file \(--read-vocab .*vocab\.txt\)/],
      [["--read-vocab", vocab, "--save-vocab", vocab], /--save-vocab .*vocab\.txt is the input file \(--read-vocab .*vocab\.txt\)/],
      [["--save-model", corpus], /--save-model .*corpus\.txt is the input file \(--input .*corpus\.txt\)/],
    ];
    for (const [flags, message] of cases) {
      const r = await run("train", "--input", corpus, "--output", join(dir, "v4.txt"), ...small, ...flags);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
    }
    expect(readFileSync(vocab, "utf8")).toBe(vocabText);
    // Two outputs that are one file by a hard link.
    const out = join(dir, "out.txt");
    const outHard = join(dir, "out-hard.txt");
    writeFileSync(out, "keep\n");
    linkSync(out, outHard);
    const r = await run("train", "--input", corpus, "--output", out, "--save-model", outHard, ...small);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`embedkit train: --save-model ${outHard} and --output ${out} are the same file\n`);
    expect(readFileSync(out, "utf8")).toBe("keep\n");
    const r2 = await run("train", "--resume", model, "--input", corpus, "--output", out, "--save-model", outHard, "--quiet");
    expect(r2.code).toBe(2);
    expect(readFileSync(model).equals(modelBytes)).toBe(true);
  });
});
