// docs/reference.md, the user's reference of every export, is generated from the TSDoc by
// scripts/api-reference.mjs: it must be what the script writes today (after a change to an export or
// its TSDoc, run `node scripts/api-reference.mjs` and commit the file).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

describe("docs/reference.md", () => {
  it("is up to date with the TSDoc of every export (node scripts/api-reference.mjs --check)", () => {
    const r = spawnSync(process.execPath, [join(root, "scripts", "api-reference.mjs"), "--check"], { cwd: root, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 120_000);

  it("names every export of both entry points, the KeyedVectors methods among them", () => {
    const md = readFileSync(join(root, "docs", "reference.md"), "utf8");
    for (const name of ["Embedding", "KeyedVectors", "trainCBOW", "Word2VecModel", "loadWord2Vec", "corpusFile", "trainCBOWThreaded"]) {
      expect(md).toMatch(new RegExp(`^#### (class|function|type|const) \`${name}\`$`, "m"));
    }
    for (const m of ["mostSimilar", "mostSimilarCosmul", "doesntMatch", "nSimilarity", "similarByVector", "normalized"]) {
      expect(md).toContain(`##### \`keyedVectors.${m}(`);
    }
    expect(md).not.toMatch(/@internal|\{@link|import\("\//);
    expect(md).not.toContain(root); // nothing depends on where the repository is
  });
});
