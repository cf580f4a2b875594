// The core runs in browsers: nothing reachable from the package root imports a node: module (or any
// other bare specifier: there are no runtime dependencies).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const dist = resolve(import.meta.dirname, "..", "dist");

function importsOf(file: string): string[] {
  const src = readFileSync(file, "utf8");
  return [...src.matchAll(/(?:^|[;\s])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^import\s*["']([^"']+)["']/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
}

describe("browser safety", () => {
  it("the root entry's module graph has only relative imports", () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (spec.startsWith(".")) visit(join(dirname(file), spec));
        else bad.push(`${file.slice(dist.length + 1)} imports ${spec}`);
      }
    };
    visit(join(dist, "index.js"));
    expect(seen.size).toBeGreaterThan(10);
    expect(bad).toEqual([]);
  });
});
