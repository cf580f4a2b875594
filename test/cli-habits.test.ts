// The built `embedkit` binary against the habits of gensim and word2vec.c users: progress in logs,
// gzip corpora, --limit that cuts the read, the interactive query mode, GloVe files, --help on every
// command, a hint when a word is there in another case, and demo --quiet. Each drives dist/cli.js as a
// process; where a terminal matters, under a pseudo-terminal made by util-linux's `script`.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { execFileSync, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { generateDemoCorpus } from "../src/index.js";
import { logInterval } from "../src/cli/progress.js";
import { expectClose } from "./helpers.js";

// Each test starts node processes; on a loaded two-core machine one start can take seconds.
vi.setConfig({ testTimeout: 120_000 });

const root = resolve(import.meta.dirname, "..");
const cli = join(root, "dist", "cli.js");
let dir = "";

function embedkit(args: string[], options: SpawnSyncOptions & { input?: string } = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 120_000, ...options });
  return { code: r.status, out: String(r.stdout), err: String(r.stderr) };
}

/** Runs the binary under a pseudo-terminal (`script`), feeding `input`; everything it printed, as the terminal got it. */
function inTerminal(args: string[], input = ""): string {
  const command = [process.execPath, cli, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  return execFileSync("script", ["-q", "-e", "-c", command, "/dev/null"], { input, encoding: "utf8", timeout: 120_000 });
}
const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

beforeAll(() => {
  if (!existsSync(cli)) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  dir = mkdtempSync(join(tmpdir(), "embedding-kit-habits-"));
  writeFileSync(join(dir, "corpus.txt"), generateDemoCorpus({ sentences: 3000, seed: 3 }));
  writeFileSync(join(dir, "royal.txt"), "4 3\nking 0.9 0.8 0.1\nqueen 0.9 0.1 0.8\nman 0.1 0.9 0.1\nwoman 0.1 0.1 0.9\n");
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const trainFlags = ["--dim", "8", "--min-count", "1", "--seed", "1", "--threads", "1"];

describe("progress when stderr is not a terminal", () => {
  it("logs a plain line every EMBEDKIT_PROGRESS_SECONDS (default 5), as gensim's logging: epoch, % words, words/s", () => {
    const r = embedkit(["train", "--input", join(dir, "corpus.txt"), "--output", join(dir, "p.txt"), ...trainFlags, "--epochs", "3"], {
      env: { ...process.env, EMBEDKIT_PROGRESS_SECONDS: "0" },
    });
    expect(r.code).toBe(0);
    const lines = r.err.trim().split("\n");
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines.slice(0, -1)) {
      expect(l).toMatch(/^embedkit train: (counting words: \S+ tokens, \S+ distinct, [\d.]+ MiB read|CBOW NS epoch [1-3]\/3 - \d+\.\d% words, \S+ words\/s, loss \d+\.\d{4}, ETA \d+:\d\d)$/);
    }
    expect(lines.some((l) => / epoch 3\/3 - /.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^embedkit train: CBOW \+ negative sampling \(5\), .* wrote /);
    expect(r.err).not.toMatch(/[\r\x1b]/); // no carriage returns or escape sequences in a log
    expect(logInterval({})).toBe(5);
    expect(logInterval({ EMBEDKIT_PROGRESS_SECONDS: "2.5" })).toBe(2.5);
    expect(logInterval({ EMBEDKIT_PROGRESS_SECONDS: "soon" })).toBe(5);
  });

  it.skipIf(!hasScript)("on a terminal it is still the bar, redrawn in place", () => {
    const tty = inTerminal(["train", "--input", join(dir, "corpus.txt"), "--output", join(dir, "t.txt"), ...trainFlags, "--epochs", "2"]);
    expect(tty).toMatch(/\rCBOW NS  epoch 2\/2 .*100%.*\x1b\[K/);
    expect(tty).not.toMatch(/% words, /);
  });
});

describe("train --input FILE.gz", () => {
  it("reads gzip (told by its magic bytes, whatever the name) and trains exactly as on the text", () => {
    const text = readFileSync(join(dir, "corpus.txt"));
    writeFileSync(join(dir, "corpus.txt.gz"), gzipSync(text));
    // two gzip members one after the other, in a file whose name says nothing: read as one text
    const half = text.indexOf(10, text.length >> 1) + 1;
    writeFileSync(join(dir, "corpus.data"), Buffer.concat([gzipSync(text.subarray(0, half)), gzipSync(text.subarray(half))]));
    const out = (name: string) => join(dir, `${name}.vec`);
    for (const [input, name] of [["corpus.txt", "plain"], ["corpus.txt.gz", "gz"], ["corpus.data", "members"]]) {
      const r = embedkit(["train", "--input", join(dir, input), "--output", out(name), ...trainFlags, "--epochs", "1", "--quiet"]);
      expect(r, input).toMatchObject({ code: 0, err: "" });
    }
    const plain = readFileSync(out("plain"));
    expect(plain.length).toBeGreaterThan(100);
    expect(readFileSync(out("gz")).equals(plain)).toBe(true);
    expect(readFileSync(out("members")).equals(plain)).toBe(true);
  });

  it("a damaged gzip file is an error naming the file; --help says gzip is read", () => {
    const good = gzipSync(readFileSync(join(dir, "corpus.txt")));
    writeFileSync(join(dir, "cut.gz"), good.subarray(0, good.length >> 1));
    const r = embedkit(["train", "--input", join(dir, "cut.gz"), "--output", join(dir, "cut.vec"), ...trainFlags]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^embedkit train: ${join(dir, "cut.gz").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} starts as a gzip file but cannot be decompressed: unexpected end of file`));
    const help = embedkit(["train", "--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--input FILE +the corpus, plain text or gzip-compressed \(corpus\.txt\.gz/);
  });
});

describe("similar / analogy", () => {
  it("--limit N reads only N rows: what lies beyond is never parsed", () => {
    const f = join(dir, "broken-tail.txt");
    writeFileSync(f, "5 2\nking 1 0\nqueen 0.9 0.1\nman 0 1\nthis row is not numbers\nwoman 1\n");
    expect(embedkit(["similar", f, "king"]).code).toBe(1);
    const r = embedkit(["similar", f, "king", "--limit", "3"]);
    expect(r).toEqual({ code: 0, out: "queen\t0.9939\nman\t0.0000\n", err: "" });
  });

  it("a GloVe file (no header line) is detected and loaded", () => {
    const f = join(dir, "glove.6B.3d.txt");
    writeFileSync(f, "king 0.9 0.8 0.1\nqueen 0.9 0.1 0.8\nman 0.1 0.9 0.1\nwoman 0.1 0.1 0.9\n");
    const r = embedkit(["analogy", f, "man", "king", "woman", "--top", "1"]);
    expect(r).toEqual({ code: 0, out: embedkit(["analogy", join(dir, "royal.txt"), "man", "king", "woman", "--top", "1"]).out, err: "" });
    expect(r.out).toMatch(/^queen\t0\.9\d{3}\n$/);
    expect(embedkit(["similar", f, "king", "--limit", "2"]).out).toBe("queen\t0.6644\n");
  });

  it("a word that is there in another case is pointed out", () => {
    const f = join(dir, "royal.txt");
    const r = embedkit(["similar", f, "King"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`embedkit similar: "King" is not in ${f} (4 words) ("king" is there: words are matched exactly, case included)\n`);
    expect(embedkit(["analogy", f, "MAN", "king", "Duke"]).err).toMatch(/"MAN", "Duke" are not in .* \("man" is there: /);
  });

  it("interactive: FILE alone loads once, prints the load time, answers each line until EXIT", () => {
    const f = join(dir, "royal.txt");
    const r = embedkit(["similar", f, "--top", "2"], { input: "king\nking woman -man\nprince\n\nEXIT\nqueen\n" });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`^embedkit similar: loaded 4 words × 3 dims from .*royal\\.txt in \\d+\\.\\d\\d s\\n"prince" is not in `));
    // each answer ends with a blank line; "prince" gets only that (its message went to stderr);
    // nothing is answered after EXIT
    expect(r.out).toBe(
      embedkit(["similar", f, "king", "--top", "2"]).out + "\n" +
        embedkit(["similar", f, "king", "woman", "--negative", "man", "--top", "2"]).out + "\n" +
        "\n",
    );
    const a = embedkit(["analogy", f, "--interactive", "--top", "1"], { input: "man king woman\nman king\n" });
    expect(a.code).toBe(0);
    expect(a.out).toBe("queen\t0.9500\n\n\n");
    expect(a.err).toMatch(/\nexpected three words A B C \(A is to B as C is to \?\), got 2\n$/);
  });

  it.skipIf(!hasScript)("interactive on a terminal: a prompt, like word2vec.c's distance", () => {
    const tty = inTerminal(["similar", join(dir, "royal.txt"), "--top", "1"], "king\nEXIT\n");
    expect(tty).toMatch(/loaded 4 words × 3 dims .* s\r\nEnter a word or several, -word for a negative one \(EXIT to stop\): /);
    expect(tty).toMatch(/\(EXIT to stop\): (king\r\n)?man\t0\.7449\r\n\r\nEnter a word/);
  });
});

describe("embedkit convert", () => {
  it("--normalize writes gensim's unit_normalize_all vectors (test/fixtures/kv-api-gensim.json); --binary, --limit; GloVe in", () => {
    const out = join(dir, "unit.txt");
    const r = embedkit(["convert", join(root, "test", "fixtures", "eval-vectors.txt"), out, "--normalize"]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^embedkit convert: 74 words × 8 dims from .*eval-vectors\.txt to .*unit\.txt \(word2vec text, unit vectors\)\n$/);
    const { words, vectors } = JSON.parse(readFileSync(join(root, "test", "fixtures", "kv-api-gensim.json"), "utf8")).unit_normalize_all;
    const rows = readFileSync(out, "utf8").split("\n").slice(1, 1 + words.length).map((l) => l.split(" "));
    expect(rows.map((x) => x[0])).toEqual(words);
    expectClose(rows.flatMap((x) => x.slice(1).map(Number)), vectors.flat(), "convert --normalize", 0, 1e-6);

    const glove = join(dir, "g.txt");
    writeFileSync(glove, "king 3 4\nqueen 0 2\nman 1 0\n");
    expect(embedkit(["convert", glove, join(dir, "g.bin"), "--binary", "--limit", "2", "--quiet"])).toMatchObject({ code: 0, err: "" });
    expect(embedkit(["similar", join(dir, "g.bin"), "king"]).out).toBe("queen\t0.8000\n");
    expect(embedkit(["convert", glove, glove]).code).toBe(2); // never overwrites its input
  });
});

describe("--help on every command", () => {
  for (const command of ["train", "similar", "analogy", "convert", "demo", "lab"]) {
    it(`embedkit ${command} --help exits 0 with its usage`, () => {
      const r = embedkit([command, "--help"]);
      expect(r.code).toBe(0);
      expect(r.err).toBe("");
      expect(r.out).toMatch(new RegExp(`^Usage:?\\s+embedkit ${command}\\b`));
      expect(embedkit([command, "-h"]).out).toBe(r.out);
    });
  }
});

describe("embedkit demo --quiet", () => {
  it("prints only the results: each class's share, the overall share, the timing table with a range", () => {
    const r = embedkit(["demo", "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/== CBOW|trained in| → /);
    expect(r.out).toMatch(/^animals: \d+% of the nearest neighbours of the same class\n/);
    expect(r.out).toMatch(/\nnearest neighbours of the same class: \d+\.\d% /);
    expect(r.out).toMatch(/\n10000 +[\d.]+ +[\d.]+ +[\d.]+× \([\d.]+–[\d.]+×\)\n$/);
  }, 120_000);
});
