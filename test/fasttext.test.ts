// fastText in TypeScript against the fastText CLI (0.9.2): fixtures made by
// test/generators/fasttext_fixtures.sh (n-grams and hashes, .bin models, their vectors and
// predictions), .bin round trips and hostile files, gradient checks of the losses, option checks.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { charNgrams, fastTextHash } from "../src/fasttext/hash.js";
import { decodeFastTextBin, encodeFastTextBin } from "../src/fasttext/binary.js";
import { trainFastText } from "../src/fasttext/train.js";
import { resolveFastTextArgs } from "../src/fasttext/args.js";
import { modelUpdate, NS, SOFTMAX, SKIPGRAM, SUPERVISED, type LoopTables } from "../src/fasttext/train-loop.js";
import { saveFastText, loadFastText } from "../src/node/fasttext-files.js";

const dir = resolve(import.meta.dirname, "fixtures", "fasttext");
const fixture = (name: string) => readFileSync(join(dir, name));
const text = (name: string) => readFileSync(join(dir, name), "utf8");
const FASTTEXT = process.env.FASTTEXT_BIN ?? "/work/tools/fasttext-src/fasttext";
const haveCli = existsSync(FASTTEXT);

/** Printed with 5 significant digits (fastText's Vector <<): agree to that precision. */
function expectPrinted(actual: ArrayLike<number>, printed: number[], digits = 5): void {
  expect(actual.length).toBe(printed.length);
  for (let j = 0; j < printed.length; j++) {
    const tol = 0.5 * 10 ** (1 - digits) * Math.abs(printed[j]) * 1.01 + 1e-12;
    if (Math.abs(actual[j] - printed[j]) > tol) throw new Error(`coordinate ${j}: ${actual[j]} vs printed ${printed[j]}`);
  }
}

function parseVectors(s: string): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const line of s.split("\n")) {
    if (line.trim() === "") continue;
    const parts = line.trim().split(" ");
    m.set(parts[0], parts.slice(1).map(Number));
  }
  return m;
}

describe("fastText n-grams and hashes", () => {
  for (const [file, minn, maxn, bucket] of [["ngrams-3-6.tsv", 3, 6, 2000000], ["ngrams-1-3.tsv", 1, 3, 1000]] as const) {
    it(`${file}: the same n-grams, hashes and buckets as fastText's Dictionary`, () => {
      const lines = text(file).trim().split("\n");
      expect(lines.length).toBeGreaterThanOrEqual(4);
      for (const line of lines) {
        const [word, hash, ...subs] = line.split("\t");
        expect(fastTextHash(word)).toBe(Number(hash));
        const want = subs.map((s) => s.split(" "));
        const got = charNgrams(word, minn, maxn);
        expect(got.ngrams).toEqual(want.map((w) => w[0]));
        expect(got.hashes).toEqual(want.map((w) => Number(w[1])));
        expect(got.hashes.map((h) => h % bucket)).toEqual(want.map((w) => Number(w[2])));
      }
    });
  }
  it("counts code points, not bytes: 日本語 with minn = maxn = 3 is <日本, 日本語, 本語>", () => {
    expect(charNgrams("日本語", 3, 3).ngrams).toEqual(["<日本", "日本語", "本語>"]);
    expect(charNgrams("where", 3, 3).ngrams).toEqual(["<wh", "whe", "her", "ere", "re>"]);
  });
});

describe("fastText .bin files from the fastText CLI", () => {
  for (const name of ["skipgram", "cbow-hs"]) {
    it(`${name}.bin: the word vectors of print-word-vectors, known and unknown words`, () => {
      const model = decodeFastTextBin(fixture(`${name}.bin`), `${name}.bin`);
      const want = parseVectors(text(`${name}-vectors.txt`));
      expect(want.size).toBe(8);
      let oov = 0;
      for (const [w, v] of want) {
        if (model.dict.getId(w) < 0) oov++;
        expectPrinted(model.getWordVector(w), v);
      }
      expect(oov).toBeGreaterThanOrEqual(4);
    });
    it(`${name}.bin: encodes back to the same bytes`, () => {
      const bytes = fixture(`${name}.bin`);
      expect(Buffer.from(encodeFastTextBin(decodeFastTextBin(bytes))).equals(bytes)).toBe(true);
    });
  }
  it("sentence vectors: unit-vector mean (unsupervised), row mean with EOS (supervised)", () => {
    const sg = decodeFastTextBin(fixture("skipgram.bin"));
    expectPrinted(sg.getSentenceVector("anarchism is a political philosophy"), text("skipgram-sentence.txt").trim().split(" ").map(Number));
    const sup = decodeFastTextBin(fixture("supervised.bin"));
    expectPrinted(sup.getSentenceVector("anarchism is a political philosophy"), text("supervised-sentence.txt").trim().split(" ").map(Number));
  });
  for (const [name, k, threshold] of [["supervised", 3, 0], ["supervised-hs", 3, 0], ["supervised-ova", 3, 0.01]] as const) {
    it(`${name}.bin: predict-prob's labels and probabilities`, () => {
      const model = decodeFastTextBin(fixture(`${name}.bin`));
      const inputs = text("predict-input.txt").split("\n").filter((l) => l !== "");
      const want = text(`${name}-predict-prob.txt`).split("\n").filter((l) => l !== "");
      expect(inputs.length).toBe(want.length);
      inputs.forEach((line, i) => {
        const parts = want[i].split(" ");
        const got = model.predict(line, k, threshold);
        expect(got.length).toBe(parts.length / 2);
        got.forEach((p, j) => {
          const prob = Number(parts[2 * j + 1]);
          expect(Math.abs(p.probability - prob)).toBeLessThanOrEqual(prob * 1e-5);
          // labels of equal printed probability may come in either order
          if (p.label !== parts[2 * j]) expect(parts.some((x, q) => q % 2 === 0 && x === p.label && Number(parts[q + 1]) === prob)).toBe(true);
        });
      });
    });
  }
  it("test: N, P@2 and R@2 as fastText prints them", () => {
    const model = decodeFastTextBin(fixture("supervised.bin"));
    const r = model.test(text("supervised.txt"), 2);
    const want = Object.fromEntries(text("supervised-test.txt").trim().split("\n").map((l) => l.split("\t")));
    expect(r.n).toBe(Number(want.N));
    expect(r.precision.toPrecision(3)).toBe(Number(want["P@2"]).toPrecision(3));
    expect(r.recall.toPrecision(3)).toBe(Number(want["R@2"]).toPrecision(3));
    expect(r.perLabel.length).toBe(model.dict.nlabels);
  });
});

describe("hostile .bin files", () => {
  const good = fixture("supervised.bin");
  it("refuses every truncation, naming the reader and a byte offset", () => {
    for (const cut of [0, 3, 7, 20, 63, 70, 100, 1000, good.length - 1]) {
      expect(() => decodeFastTextBin(good.subarray(0, cut), "m.bin")).toThrow(/^decodeFastTextBin: m\.bin: .* at byte \d+$/);
    }
  });
  it("refuses huge counts before allocating", () => {
    const b = Buffer.from(good);
    b.writeInt32LE(2 ** 31 - 1, 64); // dictionary size
    b.writeInt32LE(2 ** 31 - 2, 68);
    b.writeInt32LE(1, 72);
    expect(() => decodeFastTextBin(b, "m.bin")).toThrow(/dictionary size 2147483647 needs at least .* at byte 64$/);
    const m = Buffer.from(good);
    const inputAt = good.length - 4 * 10 * 144 - 17; // start of the output matrix header is after the input matrix
    expect(inputAt).toBeGreaterThan(0);
    const big = Buffer.from(good);
    big.writeInt32LE(1 << 20, 8); // dim
    expect(() => decodeFastTextBin(big, "m.bin")).toThrow(/decodeFastTextBin: m\.bin: .* at byte \d+/);
    m[4] = 13; // version 13
    expect(() => decodeFastTextBin(m, "m.bin")).toThrow(/unsupported \.bin version 13 .* at byte 4$/);
    const magic = Buffer.from(good);
    magic[0] ^= 1;
    expect(() => decodeFastTextBin(magic, "m.bin")).toThrow(/not a fastText \.bin file .* at byte 0$/);
  });
  it("refuses trailing bytes and quantized matrices", () => {
    expect(() => decodeFastTextBin(Buffer.concat([good, Buffer.from([0])]), "m.bin")).toThrow(/1 bytes follow the output matrix at byte/);
  });
  it("loadFastText names itself and the file", () => {
    const d = mkdtempSync(join(tmpdir(), "ft-"));
    try {
      const p = join(d, "cut.bin");
      writeFileSync(p, good.subarray(0, 100));
      expect(() => loadFastText(p)).toThrow(new RegExp(`^loadFastText: ${p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: .* at byte \\d+$`));
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe("training", () => {
  const corpus = text("corpus.txt");
  it("skipgram on the corpus slice: finite, OOV vectors from n-grams, saved .bin loads back equal", async () => {
    const model = await trainFastText(corpus, { model: "skipgram", dim: 10, bucket: 1000, minCount: 2, epoch: 2, seed: 1 });
    expect(Number.isFinite(model.stats.loss)).toBe(true);
    // word2vec's job loop: exactly epoch passes over the in-vocabulary tokens
    const inVocab = model.dict.counts.slice(0, model.dict.nwords).reduce((a, b) => a + b, 0);
    expect(model.stats.tokens).toBe(2 * inVocab);
    const v = model.getWordVector("anarchisms");
    expect(v.some((x) => x !== 0)).toBe(true);
    const back = decodeFastTextBin(encodeFastTextBin(model));
    expect(Array.from(back.getWordVector("anarchisms"))).toEqual(Array.from(v));
    expect(model.nearestNeighbors("anarchisms", 3).length).toBe(3);
  });
  it("supervised with wordNgrams 2 learns the slice's labels", async () => {
    const model = await trainFastText(text("supervised.txt"), { model: "supervised", dim: 10, epoch: 50, lr: 0.5, wordNgrams: 2, bucket: 1000, seed: 1 });
    const r = model.test(text("supervised.txt"), 1);
    expect(r.n).toBe(144);
    expect(r.precision).toBeGreaterThan(0.5);
  });
  it.skipIf(!haveCli)("a .bin saved by embedkit loads in the fastText CLI and prints the same vectors (skipped without the CLI)", async () => {
    const d = mkdtempSync(join(tmpdir(), "ft-"));
    try {
      const model = await trainFastText(corpus, { model: "cbow", dim: 10, bucket: 500, minCount: 2, epoch: 1, seed: 2 });
      const p = join(d, "ours.bin");
      saveFastText(p, model);
      const words = ["anarchism", "the", "anarchisms", "naïve", "日本語"];
      const out = spawnSync(FASTTEXT, ["print-word-vectors", p], { input: words.join("\n") + "\n", encoding: "utf8" });
      expect(out.status).toBe(0);
      const printed = parseVectors(out.stdout);
      for (const w of words) expectPrinted(model.getWordVector(w), printed.get(w)!);
      const sup = await trainFastText(text("supervised.txt"), { model: "supervised", dim: 10, epoch: 5, wordNgrams: 2, bucket: 1000, minn: 2, maxn: 4 });
      const q = join(d, "sup.bin");
      saveFastText(q, sup);
      const lines = text("predict-input.txt").split("\n").filter((l) => l !== "").slice(0, 10);
      const pp = spawnSync(FASTTEXT, ["predict-prob", q, "-", "2"], { input: lines.join("\n") + "\n", encoding: "utf8" });
      expect(pp.status).toBe(0);
      pp.stdout.trim().split("\n").forEach((l, i) => {
        const parts = l.split(" ");
        const got = sup.predict(lines[i], 2);
        expect(Math.abs(got[0].probability - Number(parts[1]))).toBeLessThanOrEqual(Number(parts[1]) * 1e-5);
      });
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe("gradients by central differences", () => {
  // One update moves each parameter by -lr · ∂L/∂p (supervised) and each input row by
  // -lr · n · ∂L/∂row for cbow/skip-gram, where fastText gives every row of the bag the gradient of h.
  const H = 4, rows = 3, osz = 5;
  function setup(seed: number) {
    let x = seed;
    const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.8;
    const input = Float32Array.from({ length: 8 * H }, rnd);
    const output = Float32Array.from({ length: osz * H }, rnd);
    return { input, output };
  }
  const idx = [1, 4, 6];
  const hOf = (input: Float64Array | Float32Array) => Array.from({ length: H }, (_, j) => idx.reduce((s, r) => s + input[r * H + j], 0) / idx.length);
  const dot = (a: number[], W: ArrayLike<number>, r: number) => a.reduce((s, v, j) => s + v * W[r * H + j], 0);
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const lossNS = (input: Float64Array, output: Float64Array) => {
    const h = hOf(input);
    return -Math.log(sig(dot(h, output, 2))) - Math.log(sig(-dot(h, output, 3)));
  };
  const lossSoftmax = (input: Float64Array, output: Float64Array) => {
    const h = hOf(input);
    const s = Array.from({ length: osz }, (_, i) => dot(h, output, i));
    const m = Math.max(...s);
    const z = s.reduce((a, v) => a + Math.exp(v - m), 0);
    return -(s[2] - m - Math.log(z));
  };
  function numGrad(f: (a: Float64Array, b: Float64Array) => number, a: Float64Array, b: Float64Array, which: Float64Array, i: number): number {
    const eps = 2 ** -12;
    const old = which[i];
    which[i] = old + eps;
    const up = f(a, b);
    which[i] = old - eps;
    const down = f(a, b);
    which[i] = old;
    return (up - down) / (2 * eps);
  }
  for (const [name, loss, f, model, scale] of [
    ["subword NS (skip-gram)", NS, lossNS, SKIPGRAM, idx.length],
    ["supervised softmax", SOFTMAX, lossSoftmax, SUPERVISED, 1],
  ] as const) {
    it(`${name}: one step is -lr times the gradient`, () => {
      const { input, output } = setup(7);
      const a = Float64Array.from(input), b = Float64Array.from(output);
      const lr = 1e-3;
      // a noise table that always draws word 3
      const t = { Win: input, Wout: output, prob: new Uint32Array(osz), alias: new Int32Array(osz).fill(3), labels: new Int32Array(1) } as unknown as LoopTables;
      modelUpdate(t, {
        model, loss, H, window: 1, negative: 1, sg: true, hs: false, cbowMean: true, undividedGrad: true, computeLoss: true,
        alpha: lr, minAlpha: 0, epochs: 1, totalWords: 1, osz, worker: 0, workers: 1, seed: 1,
      }, idx, 2);
      for (let i = 0; i < input.length; i++) {
        const g = numGrad(f, a, b, a, i);
        expect(Math.abs((input[i] - a[i]) / -lr - scale * g)).toBeLessThan(2e-3 + 1e-3 * Math.abs(g));
      }
      for (let i = 0; i < output.length; i++) {
        const g = numGrad(f, a, b, b, i);
        expect(Math.abs((output[i] - b[i]) / -lr - g)).toBeLessThan(2e-3 + 1e-3 * Math.abs(g));
      }
    });
  }
});

describe("options", () => {
  it("fastText's defaults, supervised's own, own properties only", () => {
    const a = resolveFastTextArgs("f", {});
    expect([a.model, a.dim, a.ws, a.epoch, a.minCount, a.neg, a.loss, a.bucket, a.minn, a.maxn, a.lr, a.lrUpdateRate, a.t]).toEqual(["skipgram", 100, 5, 5, 5, 5, "ns", 2000000, 3, 6, 0.05, 100, 1e-4]);
    const s = resolveFastTextArgs("f", { model: "supervised" });
    expect([s.loss, s.minCount, s.minn, s.maxn, s.lr, s.bucket]).toEqual(["softmax", 1, 0, 0, 0.1, 0]);
    expect(resolveFastTextArgs("f", Object.create({ dim: 7 })).dim).toBe(100);
  });
  it("names the function and the option", async () => {
    expect(() => resolveFastTextArgs("trainFastText", { dim: 0 })).toThrow(/^trainFastText: options\.dim must be in \[1, 10000\], got 0$/);
    expect(() => resolveFastTextArgs("trainFastText", { loss: "nce" })).toThrow(/^trainFastText: options\.loss must be one of .* got "nce"$/);
    expect(() => resolveFastTextArgs("trainFastText", { epochs: 3 })).toThrow(/^trainFastText: unknown option "epochs"/);
    expect(() => resolveFastTextArgs("trainFastText", { minn: 5, maxn: 3 })).toThrow(/options\.minn must be <= options\.maxn \(3\), got 5/);
    await expect(trainFastText("a b c\n", { thread: 2 })).rejects.toThrow(/^trainFastText: options\.thread must be 1 here/);
  });
});
