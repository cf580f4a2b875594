// `embedkit train` as a user (and an attacker) runs it: outputs checked before any training, the
// input streamed (files, standard input, hostile bytes), word2vec.c's flags, the vocabulary files,
// the progress bar's width. In-process through main(); what needs worker threads or another user
// runs the built binary (test/cli-dist.test.ts has the threaded runs).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { main, version } from "../src/cli/main.js";
import { withoutProgress } from "./helpers.js";
import { progressLine } from "../src/cli/progress.js";
import { checkPaths, PathError } from "../src/cli/paths.js";
import { write } from "../src/cli/train.js";
import { generateDemoCorpus } from "../src/text/synthetic.js";

// Several tests here train or read megabytes: on a loaded machine they need more than the default 5 s.
vi.setConfig({ testTimeout: 60_000 });

async function run(argv: string[], extra: { stdin?: NodeJS.ReadableStream; isTTY?: boolean; columns?: number } = {}) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: extra.isTTY ?? false, ...extra });
  if (extra.isTTY !== true) err = withoutProgress(err);
  return { code, out, err };
}

let dir: string;
let corpus: string;
const text = generateDemoCorpus({ sentences: 2000, seed: 5 });
const small = ["--dim", "8", "--epochs", "1", "--min-count", "1", "--sample", "0"];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "embedkit-train-"));
  corpus = join(dir, "corpus.txt");
  writeFileSync(corpus, text);
});
afterAll(() => {
  try {
    chmodSync(join(dir, "ro"), 0o755);
  } catch {
    // not made
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("outputs are checked before anything is read or trained (exit 2, the path named)", () => {
  it("an output that is the input, by its own name, a symlink or a hard link, is refused and the corpus kept", async () => {
    const link = join(dir, "link.txt");
    const hard = join(dir, "hard.txt");
    symlinkSync(corpus, link);
    linkSync(corpus, hard);
    for (const output of [corpus, link, hard, join(dir, ".", "corpus.txt")]) {
      const r = await run(["train", "--input", corpus, "--output", output, ...small]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`embedkit train: --output ${output} is the input file (--input ${corpus}); refusing to overwrite it\n`);
    }
    const viaLink = await run(["train", "--input", link, "--output", corpus, ...small]);
    expect(viaLink.code).toBe(2);
    expect(readFileSync(corpus, "utf8")).toBe(text);
    const vocab = await run(["train", "--input", corpus, "--output", join(dir, "v.txt"), "--save-vocab", hard, ...small]);
    expect(vocab.err).toMatch(/^embedkit train: --save-vocab .*hard\.txt is the input file/);
    const same = await run(["train", "--input", corpus, "--output", join(dir, "v.txt"), "--save-vocab", join(dir, "v.txt"), ...small]);
    expect(same.err).toMatch(/^embedkit train: --save-vocab .*v\.txt and --output .*v\.txt are the same file/);
  });

  it("an output in a directory that does not exist, or that is a directory", async () => {
    const output = join(dir, "no", "such", "v.txt");
    const t = performance.now();
    const r = await run(["train", "--input", corpus, "--output", output, "--epochs", "50"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`embedkit train: --output ${output}: the directory ${join(dir, "no", "such")} does not exist\n`);
    expect(performance.now() - t).toBeLessThan(1000); // refused, not trained for 50 epochs first
    const d = await run(["train", "--input", corpus, "--output", dir, ...small]);
    expect(d.err).toBe(`embedkit train: --output ${dir} is a directory\n`);
  });

  it("a dangling symlink is checked where it points", () => {
    const dangling = join(dir, "dangling.txt");
    symlinkSync(join(dir, "gone", "x.txt"), dangling);
    expect(() => checkPaths("train", [], [{ flag: "--output", path: dangling }])).toThrow(PathError);
    expect(() => checkPaths("train", [], [{ flag: "--output", path: dangling }])).toThrow(/the directory .*gone does not exist/);
  });

  it("an output in a directory that cannot be written (run as an unprivileged user when root)", () => {
    chmodSync(dir, 0o755); // mkdtemp's 0700 would keep the other user out of everything
    const ro = join(dir, "ro");
    mkdirSync(ro, { mode: 0o755 });
    chmodSync(ro, 0o555);
    // The other user may not be able to reach the checkout (a clone in a private folder): run a copy
    // of the built package from the open temporary folder.
    const pkg = join(dir, "pkg");
    cpSync(resolve(import.meta.dirname, "..", "dist"), join(pkg, "dist"), { recursive: true });
    cpSync(resolve(import.meta.dirname, "..", "package.json"), join(pkg, "package.json"));
    const cli = join(pkg, "dist", "cli.js");
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(process.execPath, [cli, "train", "--input", corpus, "--output", join(ro, "v.txt"), ...small], { encoding: "utf8", ...asUser });
    expect(r.stderr).toBe(`embedkit train: --output ${join(ro, "v.txt")}: the directory ${ro} is not writable (EACCES)\n`);
    expect(r.status).toBe(2);
  });
});

describe("write errors name the user's path", () => {
  it("ENOSPC (from a temporary file) is reported for the output, with its code", () => {
    const full = () => {
      throw Object.assign(new Error("ENOSPC: no space left on device, write '/data/.v.bin.123.tmp'"), { code: "ENOSPC" });
    };
    let thrown: NodeJS.ErrnoException | undefined;
    try {
      write("/data/v.bin", full);
    } catch (e) {
      thrown = e as NodeJS.ErrnoException;
    }
    expect(thrown?.message).toBe("cannot write /data/v.bin: no space left on the device (ENOSPC)");
    expect(thrown?.code).toBe("ENOSPC");
  });
});

describe("hostile inputs", () => {
  it("invalid UTF-8 names the file and the byte offset, and --encoding latin1 reads it", async () => {
    const latin = join(dir, "latin.txt");
    writeFileSync(latin, Buffer.concat([Buffer.from("the cat likes the café\n".repeat(50)), Buffer.from("the caf"), Buffer.from([0xe9]), Buffer.from(" is open\n")]));
    const output = join(dir, "latin-v.txt");
    const r = await run(["train", "--input", latin, "--output", output, ...small]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`embedkit train: ${latin}: invalid UTF-8 at byte ${23 * 50 + 1 * 50 + 7} (0xe9 0x20 0x69 0x73); if the text is Latin-1, read it with --encoding latin1\n`);
    expect(existsSync(output)).toBe(false);
    const ok = await run(["train", "--input", latin, "--output", output, ...small, "--encoding", "latin1"]);
    expect(ok.code).toBe(0);
    expect(readFileSync(output, "utf8")).toMatch(/\ncafé /);
  });

  it("an empty file, and a file of separators only, are errors that name the file", async () => {
    for (const [name, content] of [["empty.txt", ""], ["dots.txt", "... !!! ---\n\n"]]) {
      const p = join(dir, name);
      writeFileSync(p, content);
      const r = await run(["train", "--input", p, "--output", join(dir, "e-v.txt"), ...small]);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`embedkit train: ${p} has 0 word(s) seen at least 1 times; need at least 2 (lower --min-count?)\n`);
    }
  });

  it("a file of one enormous line (4 MB, no newline) trains, cut into 10,000-token sentences", async () => {
    const p = join(dir, "one-line.txt");
    writeFileSync(p, "the cat eats the fish and the dog eats the bread ".repeat(80000));
    const r = await run(["train", "--input", p, "--output", join(dir, "one-v.txt"), ...small]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^embedkit train: CBOW \+ negative sampling \(5\), 7 words × 8 dims from 880000 tokens \(880000 in vocabulary, held in memory\)/);
  });

  it("a missing input is exit 1 naming it", async () => {
    const r = await run(["train", "--input", join(dir, "nope.txt"), "--output", join(dir, "o.txt")]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`embedkit train: ENOENT: no such file or directory, open '${join(dir, "nope.txt")}'\n`);
  });
});

describe("input", () => {
  it("--input - reads standard input (spooled to a temporary file, removed at the end)", async () => {
    const output = join(dir, "stdin-v.txt");
    const before = new Set(readdir(tmpdir()));
    const r = await run(["train", "--input", "-", "--output", output, ...small], { stdin: Readable.from([Buffer.from(text.slice(0, 5000)), Buffer.from(text.slice(5000))]) });
    expect(r.code).toBe(0);
    const file = await run(["train", "--input", corpus, "--output", join(dir, "file-v.txt"), ...small]);
    expect(readFileSync(output, "utf8")).toBe(readFileSync(join(dir, "file-v.txt"), "utf8"));
    expect(readdir(tmpdir()).filter((f) => f.startsWith("embedkit-stdin-") && !before.has(f))).toEqual([]);
    expect(file.code).toBe(0);
    const bad = await run(["train", "--input", "-", "--output", output, ...small], { stdin: Readable.from([Buffer.from([0x61, 0x20, 0xff])]) });
    expect(bad.err).toBe("embedkit train: standard input: invalid UTF-8 at byte 2 (0xff); if the text is Latin-1, read it with --encoding latin1\n");
  });

  it("--memory 0 streams the file every epoch; the vectors are as good", async () => {
    const r = await run(["train", "--input", corpus, "--output", join(dir, "s-v.txt"), "--dim", "16", "--epochs", "3", "--min-count", "1", "--sample", "0", "--memory", "0"]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/\(\d+ in vocabulary, streamed from the file each epoch\)/);
    const sim = await run(["similar", join(dir, "s-v.txt"), "cat", "--top", "5"]);
    const animals = ["dog", "horse", "cow", "sheep", "mouse", "rabbit", "fox"];
    expect(sim.out.split("\n").filter((l) => animals.includes(l.split("\t")[0])).length).toBeGreaterThanOrEqual(3);
  });

  it("--tokenizer whitespace keeps word2phrase's new_york; --no-lowercase keeps case", async () => {
    const p = join(dir, "phrases.txt");
    writeFileSync(p, "we went to new_york and New_York was big\nthe cat sat\n".repeat(20));
    const out = join(dir, "ph-v.txt");
    await run(["train", "--input", p, "--output", out, ...small, "--tokenizer", "whitespace"]);
    const words = readFileSync(out, "utf8").split("\n").slice(1).map((l) => l.split(" ")[0]);
    expect(words).toContain("new_york");
    expect(words).not.toContain("New_York");
    await run(["train", "--input", p, "--output", out, ...small, "--tokenizer", "whitespace", "--no-lowercase"]);
    expect(readFileSync(out, "utf8")).toMatch(/\nNew_York /);
    await run(["train", "--input", p, "--output", out, ...small]);
    expect(readFileSync(out, "utf8")).not.toMatch(/new_york/);
  });
});

const readdir = (p: string): string[] => readdirSync(p);

describe("vocabulary files and limits", () => {
  it("--save-vocab writes word2vec.c's format; --read-vocab trains on it without counting", async () => {
    const vocab = join(dir, "vocab.txt");
    const a = join(dir, "a-v.txt");
    const r = await run(["train", "--input", corpus, "--output", a, ...small, "--save-vocab", vocab]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/ and .*vocab\.txt\n$/);
    const lines = readFileSync(vocab, "utf8").trim().split("\n");
    expect(lines[0]).toMatch(/^the \d+$/);
    const counts = lines.map((l) => Number(l.split(" ")[1]));
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    const b = join(dir, "b-v.txt");
    expect((await run(["train", "--input", corpus, "--output", b, ...small, "--read-vocab", vocab])).code).toBe(0);
    expect(readFileSync(b, "utf8")).toBe(readFileSync(a, "utf8"));
    // word2vec.c applies min-count to the counts read
    const few = join(dir, "few.txt");
    writeFileSync(few, "the 100\ncat 50\ndog 3\n");
    await run(["train", "--input", corpus, "--output", b, ...small, "--read-vocab", few, "--min-count", "10"]);
    expect(readFileSync(b, "utf8").split("\n")[0]).toBe("2 8");
    writeFileSync(few, "the 100\ncat fifty\n");
    const bad = await run(["train", "--input", corpus, "--output", b, ...small, "--read-vocab", few]);
    expect(bad.err).toBe(`embedkit train: ${few}: line 2: expected "word count", got "cat fifty"\n`);
    expect(bad.code).toBe(1);
  });

  it("--max-final-vocab and --max-vocab-size bound the vocabulary", async () => {
    const out = join(dir, "m-v.txt");
    await run(["train", "--input", corpus, "--output", out, ...small, "--max-final-vocab", "10"]);
    expect(Number(readFileSync(out, "utf8").split(" ")[0])).toBeLessThanOrEqual(10);
    const r = await run(["train", "--input", corpus, "--output", out, ...small, "--max-vocab-size", "20"]);
    expect(r.code).toBe(0);
    expect(Number(readFileSync(out, "utf8").split(" ")[0])).toBeLessThanOrEqual(20);
  });
});

describe("command-line habits", () => {
  it("--version and train --help exit 0", async () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, "..", "package.json"), "utf8"));
    expect(version()).toBe(pkg.version);
    expect(await run(["--version"])).toEqual({ code: 0, out: `embedkit ${pkg.version}\n`, err: "" });
    const h = await run(["train", "--help"]);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^Usage: embedkit train --input FILE --output FILE \[options\]/);
    for (const flag of ["--max-vocab-size", "--max-final-vocab", "--max-sentence-length", "--memory", "--encoding", "--tokenizer", "--no-lowercase", "--save-vocab", "--read-vocab", "-cbow"]) {
      expect(h.out).toContain(flag);
    }
    expect((await run(["train", "-h"])).code).toBe(0);
  });

  it("word2vec.c's spellings train the same vectors as embedkit's", async () => {
    const w2v = join(dir, "w2v.bin");
    const ours = join(dir, "ours.bin");
    const r = await run(["train", "-input", corpus, "-output", w2v, "-size", "8", "-window", "3", "-negative", "4", "-cbow", "1", "-hs", "0",
      "-threads", "1", "-iter", "2", "-min-count", "2", "-sample", "0", "-alpha", "0.05", "-binary", "1"]);
    expect(r.code).toBe(0);
    await run(["train", "--input", corpus, "--output", ours, "--dim", "8", "--window", "3", "--negative", "4", "--epochs", "2", "--min-count", "2", "--sample", "0", "--alpha", "0.05", "--binary"]);
    expect(readFileSync(w2v)).toEqual(readFileSync(ours));
  });
});

describe("the progress bar fits the terminal", () => {
  const p = { epoch: 1, epochs: 5, words: 4_500_000, totalWords: 10_000_000, effectiveWords: 3_000_000, loss: 2.345, seconds: 7 };
  it.each([20, 40, 60, 80, 120, 200])("%i columns", (columns) => {
    const line = progressLine(p, { columns });
    expect(line.length).toBeLessThanOrEqual(columns - 1);
    // the loss goes first, then the rate, so that the bar keeps at least 10 characters
    if (columns >= 80) expect(line).toMatch(/^epoch 2\/5 █+░+  45%  429k words\/s  loss 2\.345  ETA 0:09$/);
    else if (columns >= 60) expect(line).toMatch(/^epoch 2\/5 █{9}░{11}  45%  429k words\/s  ETA 0:09$/);
    else if (columns >= 40) expect(line).toMatch(/^epoch 2\/5 █+░+  45%  ETA 0:09$/);
    if (columns >= 120) expect(line).toContain("█".repeat(18) + "░".repeat(22)); // the bar stops growing at 40
  });

  it("redraws in place on a terminal: carriage return, the line, clear to the end", async () => {
    const r = await run(["train", "--input", corpus, "--output", join(dir, "tty.txt"), ...small], { isTTY: true, columns: 60 });
    expect(r.code).toBe(0);
    const draws = r.err.split("\r").slice(1);
    expect(draws.length).toBeGreaterThan(1);
    for (const d of draws) {
      const line = d.split("\x1b[K")[0];
      expect(line.length, line).toBeLessThanOrEqual(59);
      expect(d).toMatch(/\x1b\[K/);
    }
  });
});
