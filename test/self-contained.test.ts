// A user's clone has nothing beside it: no code, test, notebook or script of the repository may read a
// file outside it. (CI also runs the whole suite in a copy that has no sibling folders: .ci/run.)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const here = fileURLToPath(import.meta.url);
const root = resolve(dirname(here), "..");
const dirs = ["src", "test", "bench", "scripts", "notebooks", "examples", "ci", ".ci"];
const code = /\.(ts|mts|js|mjs|cjs|py|sh|ipynb|json|html)$|^run$/;
// A path that climbs out of the repository to the sibling folder of reference material: written with
// one or more "../" before its name, as resolve(root, "..", name), or as an absolute path into the
// workspace. (The name is spelled in pieces so that this file does not match itself.)
const sibling = ["sha", "red"].join("");
const outside = [
  new RegExp(`\\.\\./(\\.\\./)*${sibling}\\b`),
  new RegExp(`["']\\.\\.["']\\s*,\\s*["']${sibling}["']`),
  new RegExp(`/work/(${sibling}|main)\\b`),
];

function* files(dir: string): Generator<string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    // fixtures hold data; recorded-*.json are records of past benchmark runs (which file they read).
    if (name === "node_modules" || name === "fixtures" || name === "build" || name.startsWith("recorded-")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (code.test(name)) yield p;
  }
}

it("nothing in the repository reads a file outside it", () => {
  const found: string[] = [];
  let n = 0;
  for (const d of dirs) {
    for (const f of files(join(root, d))) {
      n++;
      readFileSync(f, "utf8").split("\n").forEach((line, i) => {
        if (outside.some((re) => re.test(line))) found.push(`${relative(root, f)}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
  }
  expect(n).toBeGreaterThan(50);
  expect(found, "paths outside the repository").toEqual([]);
});
