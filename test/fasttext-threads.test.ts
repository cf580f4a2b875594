// fastText on worker threads, through the built package (the worker is dist/node/fasttext-worker.js):
// `npm run build` first (npm test does).
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
const fixtures = join(root, "test", "fixtures", "fasttext");

beforeAll(() => {
  if (!existsSync(join(root, "dist", "node", "fasttext-worker.js"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
});

describe("trainFastTextThreaded", () => {
  it("two threads share the tables: skip-gram and supervised train, all tokens gone through", async () => {
    const node = await import(pathToFileURL(join(root, "dist", "node", "index.js")).href);
    const sg = await node.trainFastTextThreaded(join(fixtures, "corpus.txt"), { model: "skipgram", thread: 2, dim: 10, bucket: 1000, minCount: 2, epoch: 3, seed: 1 });
    expect(sg.stats.threads).toBe(2);
    const inVocab = sg.dict.counts.slice(0, sg.dict.nwords).reduce((a: number, b: number) => a + b, 0);
    expect(sg.stats.tokens).toBe(3 * inVocab);
    expect(Array.from(sg.getWordVector("anarchisms") as Float32Array).every((x) => Number.isFinite(x))).toBe(true);
    const sup = await node.trainFastTextThreaded(join(fixtures, "supervised.txt"), { model: "supervised", thread: 2, dim: 10, epoch: 50, lr: 0.5, wordNgrams: 2, bucket: 1000, seed: 1 });
    expect(sup.stats.threads).toBe(2);
    expect(sup.test(readFileSync(join(fixtures, "supervised.txt"), "utf8"), 1).precision).toBeGreaterThan(0.5);
  }, 30_000); // four worker threads start, on a machine that may be busy
  it("the CLI trains on two threads and the result loads", () => {
    const dir = mkdtempSync(join(tmpdir(), "embedkit-ft-"));
    try {
      const r = spawnSync(process.execPath, [join(root, "dist", "cli.js"), "fasttext", "cbow", "-input", join(fixtures, "corpus.txt"), "-output", join(dir, "m"), "-dim", "8", "-bucket", "500", "-minCount", "2", "-thread", "2"], { encoding: "utf8" });
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(/on 2 thread\(s\)/);
      expect(readFileSync(join(dir, "m.vec"), "utf8").split("\n")[0]).toMatch(/^\d+ 8$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
