// What needs the built package (`npm test` builds it first): the `embedding-kit` binary as a process,
// and training with worker threads (the worker is dist/node/cbow-worker.js).
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
// @ts-expect-error: a plain .mjs helper without type declarations
import { ensureBun, tryTool } from "../scripts/tools.mjs";

const root = resolve(import.meta.dirname, "..");
const cli = join(root, "dist", "cli.js");

beforeAll(() => {
  if (!existsSync(join(root, "dist", "node", "cbow-worker.js")) || !existsSync(cli)) {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  }
});

describe("the embedkit binary", () => {
  it("starts with a shebang", () => {
    expect(readFileSync(cli, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("exits with 2 on a bad flag value, naming flag and value", () => {
    const r = spawnSync(process.execPath, [cli, "train", "--input", "a", "--output", "b", "--negative", "five"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^embedkit train: --negative must be an integer, got "five"/);
  });

  // Bun runs the same binary; bench:cbow times it, so its threads must work too. Bun is installed into
  // .tools/ on first use (scripts/tools.mjs); where it cannot be, the test is skipped, saying why.
  const runtimes: [string, () => { path?: string; reason?: string }][] = [["node", () => ({ path: process.execPath })], ["bun", () => tryTool(ensureBun)]];
  it.for(runtimes)("trains with two threads end to end under %s", ([name, find], ctx) => {
    const found = find();
    if (found.path === undefined) return ctx.skip(`${name} is not available here: ${found.reason}`);
    const runtime = found.path;
    const dir = mkdtempSync(join(tmpdir(), "embedkit-dist-"));
    try {
      writeFileSync(join(dir, "c.txt"), "the cat eats the fish\nthe dog eats the bread\n".repeat(300));
      const r = spawnSync(runtime, [cli, "train", "--input", join(dir, "c.txt"), "--output", join(dir, "v.txt"), "--dim", "8", "--epochs", "2", "--min-count", "1", "--threads", "2"], { encoding: "utf8" });
      expect(r.stderr).toMatch(/2 thread\(s\)/);
      expect(r.status).toBe(0);
      expect(readFileSync(join(dir, "v.txt"), "utf8").split("\n")[0]).toBe("6 8"); // the, cat, eats, fish, dog, bread
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("trainCBOWThreaded", () => {
  it("two threads share the tables and learn the demo classes", async () => {
    const lib = await import(pathToFileURL(join(root, "dist", "index.js")).href);
    const { trainCBOWThreaded } = await import(pathToFileURL(join(root, "dist", "node", "index.js")).href);
    const corpus = lib.encodeCorpus(lib.generateDemoCorpus({ sentences: 6000, seed: 1 }), { minCount: 1 });
    const epochs = 5;
    const reports: { words: number }[] = [];
    const r = await trainCBOWThreaded(corpus, { threads: 2, dim: 32, window: 3, sample: 0, epochs, seed: 1, onProgress: (p: { words: number }) => reports.push(p) });
    expect(r.stats.words).toBe(epochs * corpus.ids.length);
    expect(r.stats.epoch).toBe(epochs);
    expect(r.vectors.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(reports.at(-1)!.words).toBe(epochs * corpus.ids.length);
    const one = lib.trainCBOW(corpus, { dim: 32, window: 3, sample: 0, epochs: 1, seed: 1 });
    expect(r.stats.loss).toBeLessThan(one.stats.loss);
    // Same-class share of the 5 nearest neighbours: the single-thread demo reaches about the same.
    const kv = new lib.KeyedVectors(r.vocab.words, r.vectors);
    let same = 0, all = 0;
    for (const words of Object.values(lib.DEMO_CLASSES) as string[][]) {
      for (const w of words) {
        for (const n of kv.mostSimilar(w, 5)) if (words.includes(n.word)) same++;
        all += 5;
      }
    }
    expect(same / all).toBeGreaterThan(0.7);
  }, 60_000); // 1-2 s on an idle machine; minutes when it is shared

  it("two threads train skip-gram and hierarchical softmax too (shared corpus and streamed), and resume", async () => {
    const lib = await import(pathToFileURL(join(root, "dist", "index.js")).href);
    const { trainCBOWThreaded } = await import(pathToFileURL(join(root, "dist", "node", "index.js")).href);
    const text = lib.generateDemoCorpus({ sentences: 3000, seed: 2 });
    const corpus = lib.encodeCorpus(text, { minCount: 1 });
    const purity = (words: readonly string[], vectors: unknown) => {
      const kv = new lib.KeyedVectors(words, vectors);
      let same = 0, all = 0;
      for (const ws of Object.values(lib.DEMO_CLASSES) as string[][]) {
        for (const w of ws) {
          for (const n of kv.mostSimilar(w, 5)) if (ws.includes(n.word)) same++;
          all += 5;
        }
      }
      return same / all;
    };
    const o = { threads: 2, dim: 24, window: 3, sample: 0, epochs: 3, seed: 1 };
    for (const model of [{ sg: true }, { hs: true, negative: 0 }, { sg: true, hs: true }]) {
      const shared = await trainCBOWThreaded(corpus, { ...o, ...model });
      expect(shared.hsVectors.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(purity(shared.vocab.words, shared.vectors), JSON.stringify(model)).toBeGreaterThan(0.7);
      const streamed = await trainCBOWThreaded([text], { ...o, ...model, minCount: 1, corpusMemory: 0, chunkTokens: 5000 });
      expect(streamed.corpus.streamed).toBe(true);
      expect(purity(streamed.vocab.words, streamed.vectors), JSON.stringify(model)).toBeGreaterThan(0.7);
    }
    // a model resumed from threaded tables (in shared memory) owns ordinary arrays
    const half = lib.trainWord2Vec(corpus, { dim: 8, epochs: 2, stopAfter: 1, sg: true });
    const plan = { epochs: 1, alpha: half.alphaNow, minAlpha: half.settings.minAlpha };
    const r = await trainCBOWThreaded(corpus, { threads: 2, dim: 8, sg: true, epochs: plan.epochs, alpha: plan.alpha, minAlpha: plan.minAlpha, initial: { syn0: half.syn0.data, syn1neg: half.syn1neg.data, syn1: half.syn1.data } });
    expect(r.vectors.data.some((x: number, i: number) => x !== half.syn0.data[i])).toBe(true);
  }, 120_000); // six threaded runs, three of them skip-gram: several seconds on a loaded machine

  it("threads: 1 is trainCBOW, bit for bit", async () => {
    const lib = await import(pathToFileURL(join(root, "dist", "index.js")).href);
    const { trainCBOWThreaded } = await import(pathToFileURL(join(root, "dist", "node", "index.js")).href);
    const corpus = lib.encodeCorpus(lib.generateDemoCorpus({ sentences: 500, seed: 2 }), { minCount: 1 });
    const a = await trainCBOWThreaded(corpus, { threads: 1, dim: 8, epochs: 1, seed: 4 });
    const b = lib.trainCBOW(corpus, { dim: 8, epochs: 1, seed: 4 });
    expect(a.vectors.data).toEqual(b.vectors.data);
    await expect(trainCBOWThreaded(corpus, { threads: 0 })).rejects.toThrow(/^trainCBOWThreaded: threads must be in \[1, 256\], got 0$/);
  });
});

describe("trainCBOWThreaded on a streamed corpus (workers fed by chunk)", () => {
  it("a file path, read a chunk at a time every epoch, two workers: the demo classes are learnt", async () => {
    const lib = await import(pathToFileURL(join(root, "dist", "index.js")).href);
    const { trainCBOWThreaded, fileCorpus } = await import(pathToFileURL(join(root, "dist", "node", "index.js")).href);
    const dir = mkdtempSync(join(tmpdir(), "embedkit-dist-"));
    try {
      const path = join(dir, "c.txt");
      writeFileSync(path, lib.generateDemoCorpus({ sentences: 6000, seed: 1 }));
      const corpus = lib.encodeCorpus(readFileSync(path, "utf8"), { minCount: 1 });
      const epochs = 4;
      const reports: number[] = [];
      const options = { threads: 2, dim: 32, window: 3, sample: 0, epochs, seed: 1, minCount: 1, corpusMemory: 0, chunkTokens: 5000 };
      const r = await trainCBOWThreaded(path, { ...options, onProgress: (p: { words: number }) => reports.push(p.words) });
      expect(r.corpus).toEqual({ rawTokens: corpus.rawTokens, tokens: corpus.ids.length, streamed: true });
      expect(r.threads).toBe(2);
      expect(r.stats.words).toBe(epochs * corpus.ids.length);
      expect(reports.at(-1)).toBe(epochs * corpus.ids.length);
      expect(r.vocab.words).toEqual(corpus.vocab.words);
      const kv = new lib.KeyedVectors(r.vocab.words, r.vectors);
      let same = 0, all = 0;
      for (const words of Object.values(lib.DEMO_CLASSES) as string[][]) {
        for (const w of words) {
          for (const n of kv.mostSimilar(w, 5)) if (words.includes(n.word)) same++;
          all += 5;
        }
      }
      expect(same / all).toBeGreaterThan(0.7);
      // the same through a CorpusSource, and with one thread (then reproducible)
      const a = await trainCBOWThreaded(fileCorpus(path), { ...options, threads: 1 });
      const { threads: _, ...single } = options;
      const b = await lib.trainCBOW(fileCorpus(path), single);
      expect(a.vectors.data).toEqual(b.vectors.data);
      await expect(trainCBOWThreaded(join(dir, "none.txt"), { threads: 2 })).rejects.toThrow(/^ENOENT: no such file or directory, open '.*none\.txt'$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("the CLI says how many threads really started, and warns beyond the core count", () => {
    const dir = mkdtempSync(join(tmpdir(), "embedkit-dist-"));
    try {
      writeFileSync(join(dir, "one.txt"), "the cat eats the fish and the dog eats the bread\n");
      const r = spawnSync(process.execPath, [cli, "train", "--input", join(dir, "one.txt"), "--output", join(dir, "v.txt"), "--dim", "4", "--epochs", "1", "--min-count", "1", "--threads", "64"], { encoding: "utf8" });
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(/^embedkit train: warning: --threads 64 is more than the \d+ core\(s\) here/);
      expect(r.stderr).toMatch(/, 1 thread\(s\) \(of 64 asked: no more jobs\):/);
      writeFileSync(join(dir, "c.txt"), "the cat eats the fish\nthe dog eats the bread\n".repeat(20000));
      const s = spawnSync(process.execPath, [cli, "train", "--input", join(dir, "c.txt"), "--output", join(dir, "v.txt"), "--dim", "4", "--epochs", "2", "--min-count", "1", "--threads", "2", "--memory", "0"], { encoding: "utf8" });
      expect(s.stderr).toMatch(/streamed from the file each epoch\), 2 epochs, 2 thread\(s\):/);
      expect(s.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
