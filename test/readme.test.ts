// The README's TypeScript examples run as written, against the built package.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

const root = resolve(import.meta.dirname, "..");
const dist = pathToFileURL(join(root, "dist", "index.js")).href;

function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes(`from "embedding-kit"`));
}

describe("README examples", () => {
  const blocks = codeBlocks(readFileSync(join(root, "README.md"), "utf8"));
  it("has examples", () => expect(blocks.length).toBeGreaterThan(0));
  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs`, () => {
      const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
      const dir = mkdtempSync(join(tmpdir(), "embedkit-readme-"));
      try {
        const file = join(dir, "example.mjs");
        writeFileSync(file, js.replaceAll(`from "embedding-kit"`, `from ${JSON.stringify(dist)}`));
        execFileSync(process.execPath, [file], { cwd: root, encoding: "utf8", stdio: "pipe" });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
