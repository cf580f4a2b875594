// The embedkit command line, run in-process through main() with captured output.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { clock, progressLine } from "../src/cli/progress.js";
import { generateDemoCorpus } from "../src/text/synthetic.js";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false });
  return { code, out, err };
}

let dir: string;
let corpus: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "embedkit-cli-"));
  corpus = join(dir, "corpus.txt");
  writeFileSync(corpus, generateDemoCorpus({ sentences: 3000, seed: 5 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("embedkit train → similar / analogy", () => {
  for (const binary of [false, true]) {
    it(binary ? "binary vectors" : "text vectors", async () => {
      const output = join(dir, binary ? "vectors.bin" : "vectors.txt");
      const flags = ["--dim", "24", "--window", "3", "--epochs", "4", "--min-count", "1", "--sample", "0", "--seed", "3"];
      const train = await run("train", "--input", corpus, "--output", output, ...flags, ...(binary ? ["--binary"] : []));
      expect(train.err).toMatch(/^embedkit train: CBOW \+ negative sampling \(5\), \d+ words × 24 dims from \d+ tokens .* words\/s\), loss [\d.]+, .* wrote /);
      expect(train.code).toBe(0);
      expect(existsSync(output)).toBe(true);
      if (!binary) expect(readFileSync(output, "utf8").split("\n")[0]).toMatch(/^\d+ 24$/);

      const similar = await run("similar", output, "cat", "--top", "4");
      expect(similar.code).toBe(0);
      const lines = similar.out.trim().split("\n");
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(/^\S+\t-?[01]\.\d{4}$/);
      const animals = ["dog", "horse", "cow", "sheep", "mouse", "rabbit", "fox"];
      expect(lines.filter((l) => animals.includes(l.split("\t")[0])).length).toBeGreaterThanOrEqual(3);

      const analogy = await run("analogy", output, "cat", "dog", "fish", "--top", "3");
      expect(analogy.code).toBe(0);
      expect(analogy.out.trim().split("\n")).toHaveLength(3);
    });
  }

  it("quiet prints nothing; the summary is the only output otherwise (not a TTY)", async () => {
    const output = join(dir, "q.txt");
    const r = await run("train", "--input", corpus, "--output", output, "--dim", "8", "--epochs", "1", "--min-count", "1", "--quiet");
    expect(r).toEqual({ code: 0, out: "", err: "" });
  });
});

describe("embedkit train: skip-gram, hierarchical softmax, save and resume", () => {
  it("--sg 1 --hs 1 --negative 0 --save-model, then --resume on new text", async () => {
    const output = join(dir, "sg.txt");
    const model = join(dir, "sg.model");
    const flags = ["--dim", "16", "--window", "3", "--min-count", "1", "--sample", "0", "--epochs", "4", "--stop-after", "2"];
    const first = await run("train", "--input", corpus, "--output", output, "--sg", "1", "--hs", "1", "--negative", "0", ...flags, "--save-model", model);
    expect(first.err).toMatch(/^embedkit train: skip-gram \+ hierarchical softmax, \d+ words × 16 dims .* 2 epochs, .* and the model to .*sg\.model \(epoch 2, alpha 0\.0126\)\n$/);
    expect(first.code).toBe(0);
    const more = join(dir, "more.txt");
    writeFileSync(more, generateDemoCorpus({ sentences: 500, seed: 9 }) + "\nunicorn unicorn dragon\n");
    const resumed = join(dir, "sg2.model");
    const second = await run("train", "--resume", model, "--input", more, "--output", output, "--save-model", resumed);
    expect(second.err).toMatch(/^embedkit train: skip-gram \+ hierarchical softmax, resumed .*sg\.model \(2 new words\), \d+ words × 16 dims .* 2 epochs, .*\(epoch 4, alpha 0\.000100\)\n$/);
    expect(second.code).toBe(0);
    expect((await run("similar", output, "unicorn", "--top", "2")).code).toBe(0);
    // the model resumed from is left as it was
    const again = await run("train", "--resume", model, "--input", more, "--output", output, "--epochs", "1", "--quiet");
    expect(again.code).toBe(0);
  });

  it("CBOW over the sum, on a terminal: the bar names the model", async () => {
    let err = "";
    const code = await main(["train", "--input", corpus, "--output", join(dir, "sum.txt"), "--dim", "8", "--epochs", "1", "--min-count", "1", "--cbow-mean", "0", "--hs", "1"], {
      out: () => {},
      err: (s) => void (err += s),
      isTTY: true,
    });
    expect(code).toBe(0);
    expect(err).toMatch(/\rCBOW-sum HS\+NS  epoch 1\/1 █{24} 100%/);
  });

  it("a damaged model file is refused, naming it", async () => {
    const bad = join(dir, "bad.model");
    writeFileSync(bad, "EKW2VMDL\x01\x00\x00\x00");
    const r = await run("train", "--resume", bad, "--input", corpus, "--output", join(dir, "x.txt"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^embedkit train: loadModel: .*bad\.model is truncated: 12 bytes, shorter than the 16-byte preamble\n$/);
    expect(existsSync(join(dir, "x.txt"))).toBe(false);
  });
});

describe("usage errors exit with code 2 and name the flag and value", () => {
  const cases: [string[], RegExp][] = [
    [["train", "--input", "x", "--output", "y", "--sg", "2"], /^embedkit train: --sg must be 0 or 1, got "2"/],
    [["train", "--input", "x", "--output", "y", "--hs", "yes"], /^embedkit train: --hs must be 0 or 1, got "yes"/],
    [["train", "--input", "x", "--output", "y", "--cbow-mean", "2"], /^embedkit train: --cbow-mean must be 0 or 1, got "2"/],
    [["train", "--input", "x", "--output", "y", "--negative", "0"], /^embedkit train: --negative 0 needs --hs 1/],
    [["train", "--input", "x", "--output", "y", "--epochs", "3", "--stop-after", "4"], /^embedkit train: --stop-after must be <= 3, got 4\n/],
    [["train", "--resume", "m", "--input", "x", "--output", "y", "--dim", "8"], /^embedkit train: --dim cannot change a resumed model \(m keeps its own settings\)/],
    [["train", "--resume", "m", "--input", "x", "--output", "y", "--stop-after", "1"], /^embedkit train: --stop-after is for a new model/],
    [["train", "--resume", "m", "--input", "x", "--output", "y", "--read-vocab", "v"], /^embedkit train: --read-vocab cannot be used with --resume/],
    [["train", "--input", "x", "--output", "y", "--dim", "abc"], /^embedkit train: --dim must be an integer, got "abc"/],
    [["train", "--input", "x", "--output", "y", "--window", "0"], /^embedkit train: --window must be >= 1, got 0\n/],
    [["train", "--input", "x", "--output", "y", "--sample=-1"], /^embedkit train: --sample must be >= 0, got -1\n/],
    [["train", "--input", "x", "--output", "y", "--sample", "-1"], /^embedkit train: --sample must be >= 0, got -1\n/],
    [["train", "--input", "x", "--output", "y", "--dim", "-5"], /^embedkit train: --dim must be >= 1, got -5\n/],
    [["train", "--input", "x", "--output", "y", "--dim", "200000"], /^embedkit train: --dim must be <= 100000, got 200000\n/],
    [["train", "--input", "x", "--output", "y", "--alpha", "0"], /^embedkit train: --alpha must be > 0, got 0\n/],
    [["train", "--input", "x", "--output", "y", "--alpha", "-0.5"], /^embedkit train: --alpha must be > 0, got -0\.5\n/],
    [["train", "--input", "x", "--output", "y", "--encoding", "utf16"], /^embedkit train: --encoding must be "utf8" or "latin1", got "utf16"/],
    [["train", "--input", "x", "--output", "y", "--tokenizer", "bpe"], /^embedkit train: --tokenizer must be "words" or "whitespace", got "bpe"/],
    [["train", "--input", "x", "--output", "y", "--memory", "-1"], /^embedkit train: --memory must be >= 0, got -1\n/],
    [["train", "--input", "x", "--output", "y", "--max-vocab-size", "0"], /^embedkit train: --max-vocab-size must be >= 1, got 0\n/],
    [["train", "-input", "x", "-output", "y", "-cbow", "2"], /^embedkit train: -cbow must be 0 or 1, got "2"/],
    [["train", "-input", "x", "-output", "y", "-size", "-5"], /^embedkit train: --dim must be >= 1, got -5\n/],
    [["train", "-input", "x", "-output", "y", "-iter", "0"], /^embedkit train: --epochs must be >= 1, got 0\n/],
    [["train", "-input", "x", "-output", "y", "-debug", "2"], /^embedkit train: unknown option -debug \(word2vec\.c's flags taken here: -input -train -output -size/],
    [["train", "--input", "x", "--output", "y", "--alpha", "fast"], /^embedkit train: --alpha must be a number, got "fast"/],
    [["train", "--input", "x", "--output", "y", "--threads", "1.5"], /^embedkit train: --threads must be an integer, got "1\.5"/],
    [["train", "--input", "x", "--output", "y", "--alpha", "0.01", "--min-alpha", "0.1"], /^embedkit train: --min-alpha must be <= 0\.01, got 0\.1\n/],
    [["train", "--input", "x", "--output", "y", "--dimm", "3"], /^embedkit train: Unknown option '--dimm'/],
    [["train", "--input", "x", "--output", "y", "--epochs"], /^embedkit train: Option '--epochs <value>' argument missing/],
    [["train", "--output", "y"], /^embedkit train: --input FILE is required/],
    [["similar", "vectors.txt"], /^embedkit similar: expected FILE WORD, got 1 argument\(s\)/],
    [["similar", "v.txt", "cat", "--top", "0"], /^embedkit similar: --top must be >= 1, got 0\n/],
    [["analogy", "v.txt", "a", "b"], /^embedkit analogy: expected FILE A B C, got 3 argument\(s\)/],
    [["fly"], /^embedkit: unknown command "fly"/],
    [[], /^embedkit: missing command/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(" ") || "(nothing)", async () => {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).toContain("Usage:");
    });
  }

  it("a missing file is an error (code 1), not a usage error", async () => {
    const r = await run("train", "--input", join(dir, "nope.txt"), "--output", join(dir, "o.txt"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^embedkit train: ENOENT/);
    const s = await run("similar", join(dir, "vectors.txt"), "unicorn");
    expect(s.code).toBe(1);
    expect(s.err).toMatch(/"unicorn" is not in/);
  });

  it("help", async () => {
    const r = await run("help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage:\n  embedkit train --input FILE --output FILE/);
  });
});

describe("progress on a terminal", () => {
  it("draws a bar with epoch, words/s, loss and ETA on stderr, then the summary", async () => {
    let err = "";
    const output = join(dir, "tty.txt");
    const code = await main(["train", "--input", corpus, "--output", output, "--dim", "8", "--epochs", "2", "--min-count", "1"], {
      out: () => {},
      err: (s) => void (err += s),
      isTTY: true,
    });
    expect(code).toBe(0);
    expect(err).toMatch(/\rCBOW NS  epoch 2\/2 █{24} 100% +\d+(\.\d+)?[kM]? words\/s +loss \d\.\d{3} +ETA 0:00\x1b\[K\n/);
    expect(err).toMatch(/\nembedkit train: CBOW \+ negative sampling \(5\), \d+ words × 8 dims/);
  });

  it("progressLine and clock", () => {
    const line = progressLine({ epoch: 1, epochs: 4, words: 300, totalWords: 1200, effectiveWords: 200_000, loss: 2.5, seconds: 0.5 }, 8);
    expect(line).toBe("epoch 2/4 ██░░░░░░  25%  400k words/s  loss 2.500  ETA 0:02");
    expect(clock(3725)).toBe("1:02:05");
    expect(clock(NaN)).toBe("--:--");
  });
});
