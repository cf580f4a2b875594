// The packed tarball is what a stranger installs: check what it ships, and that it imports with Node
// (ESM and require), Deno and Bun, giving the same bits everywhere (the seeded generator is portable).
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// @ts-expect-error: a plain .mjs helper without type declarations
import { ensureDeno } from "../scripts/tools.mjs";

const root = resolve(import.meta.dirname, "..");
const bin = (name: string) => join(root, "node_modules", ".bin", name);
let dir = "";
let tarball = "";

const probe = `
  const emb = new Embedding(10, 4, { seed: 1, paddingIdx: 0 });
  const out = emb.forward([[1, 2], [2, 0]]);
  emb.backward(Tensor.ones(out.shape));
  new SGD(emb.params, { lr: 0.1 }).step();
  let err = "";
  try { emb.forward([10]); } catch (e) { err = e.constructor.name + ": " + e.message; }
  console.log(JSON.stringify({ shape: out.shape, w: Array.from(emb.weight.data.slice(4, 12)), r: Array.from(Tensor.randn([3], { seed: 9 }).data), err }));
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "embedkit-pack-"));
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8" }));
  tarball = join(dir, packed[0].filename);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball], { cwd: dir, stdio: "ignore" });
  writeFileSync(join(dir, "esm.mjs"), `import { Embedding, SGD, Tensor } from "embedkit";\n${probe}`);
  writeFileSync(join(dir, "cjs.cjs"), `const { Embedding, SGD, Tensor } = require("embedkit");\n${probe}`);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the npm package", () => {
  it("ships only dist/, README, LICENSE and package.json, and stays small", () => {
    const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: root, encoding: "utf8" }))[0];
    const files: string[] = packed.files.map((f: { path: string }) => f.path);
    for (const f of files) expect(f).toMatch(/^(dist\/.*\.(js|d\.ts)|dist\/lab\/[\w-]+\.(html|css|js)|README\.md|LICENSE|package\.json)$/);
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/index.d.ts");
    // the embedding lab's page, served by `embedkit lab` from the installed package
    for (const f of ["index.html", "lab.css", "lab.js", "worker.js", "embedkit.js"]) expect(files).toContain(`dist/lab/${f}`);
    // The library keeps its 150 kB budget; the embedding lab (its page in dist/lab/, readable source,
    // not minified; its server; the projections it draws with) has its own, measured as the gzip size
    // of its files (what they add to the tarball, roughly).
    const lab = /^dist\/(lab\/|cli\/lab\.|vectors\/(tsne|pca)\.)/;
    const labBytes = files.filter((f) => lab.test(f)).reduce((s, f) => s + gzipSync(readFileSync(join(root, f))).length, 0);
    expect(labBytes).toBeLessThan(35_000);
    // word2vec beyond CBOW (skip-gram, hierarchical softmax, the whole model and its file format) has
    // its own budget too, measured the same way (19.7 kB when it was added).
    const w2v = /^dist\/(word2vec\/(word2vec-kernel|word2vec-model|huffman)|models\/skip-gram|io\/model|node\/model-files)\.(js|d\.ts)$/;
    const w2vBytes = files.filter((f) => w2v.test(f)).reduce((s, f) => s + gzipSync(readFileSync(join(root, f))).length, 0);
    expect(w2vBytes).toBeGreaterThan(0);
    expect(w2vBytes).toBeLessThan(22_000);
    // fastText (src/fasttext, its CLI command and node files) has its own budget (30.2 kB when it was added).
    const ft = /^dist\/(fasttext\/|node\/fasttext-|cli\/fasttext\.)/;
    const ftBytes = files.filter((f) => ft.test(f)).reduce((s, f) => s + gzipSync(readFileSync(join(root, f))).length, 0);
    expect(ftBytes).toBeGreaterThan(0);
    expect(ftBytes).toBeLessThan(34_000);
    expect(statSync(tarball).size - labBytes - w2vBytes - ftBytes).toBeLessThan(150_000);
  });

  it("serves the lab from the installed package (npx embedkit lab --port 0)", async () => {
    const child = spawn(join(dir, "node_modules", ".bin", "embedkit"), ["lab", "--port", "0"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      const url = await new Promise<string>((ok, fail) => {
        child.stdout.on("data", (c) => {
          out += c;
          const m = /open (http:\/\/127\.0\.0\.1:\d+\/lab\/)/.exec(out);
          if (m) ok(m[1]);
        });
        child.on("exit", (code) => fail(new Error(`embedkit lab exited with ${code}: ${out}`)));
      });
      for (const [path, type] of [["", "text/html"], ["lab.js", "text/javascript"], ["embedkit.js", "text/javascript"], ["../index.js", "text/javascript"]]) {
        const r = await fetch(new URL(path, url));
        expect(r.status, path).toBe(200);
        expect(r.headers.get("content-type")).toContain(type);
      }
      // the lab's one import resolves inside the package
      expect(await (await fetch(new URL("embedkit.js", url))).text()).toContain('export * from "../index.js"');
    } finally {
      child.kill("SIGTERM");
    }
  }, 60_000);

  const runs: [string, () => string][] = [
    ["Node ESM import", () => execFileSync(process.execPath, ["esm.mjs"], { cwd: dir, encoding: "utf8" })],
    ["Node require()", () => execFileSync(process.execPath, ["--no-warnings", "cjs.cjs"], { cwd: dir, encoding: "utf8" })],
    ["Deno", () => execFileSync(ensureDeno(), ["run", "--quiet", "--allow-read", "--allow-env", "esm.mjs"], { cwd: dir, encoding: "utf8", env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" } })],
    ["Bun", () => execFileSync(bin("bun"), ["esm.mjs"], { cwd: dir, encoding: "utf8" })],
  ];
  const results = new Map<string, unknown>();
  for (const [name, run] of runs) {
    it(`imports and trains under ${name}, with the same bits`, () => {
      const result = JSON.parse(run().trim().split("\n").pop()!);
      expect(result.shape).toEqual([2, 2, 4]);
      expect(result.err).toBe("RangeError: Embedding.forward: index 10 at position [0] is out of range [0, 9]");
      results.set(name, result);
      const first = results.values().next().value;
      expect(result).toEqual(first);
    }, 60_000);
  }
});
