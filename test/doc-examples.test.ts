// Every exported value carries a TSDoc @example, and every example runs against the built package.
// A line `expression; // <JSON>` is also an assertion: the expression must deep-equal the JSON.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

const root = resolve(import.meta.dirname, "..");
// The package's two entry points: the root (browser-safe) and embedding-kit/node.
const entries = [
  { src: join(root, "src", "index.ts"), dist: pathToFileURL(join(root, "dist", "index.js")).href },
  { src: join(root, "src", "node", "index.ts"), dist: pathToFileURL(join(root, "dist", "node", "index.js")).href },
];

const program = ts.createProgram(entries.map((e) => e.src), { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true });
const checker = program.getTypeChecker();
const exportsByEntry = entries.map((e) => checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(e.src)!)!));

interface Example {
  name: string;
  code: string;
}

function examplesOf(symbol: ts.Symbol): Example[] {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const out: Example[] = [];
  const collect = (s: ts.Symbol, name: string) => {
    for (const tag of s.getJsDocTags(checker)) {
      if (tag.name !== "example") continue;
      const text = ts.displayPartsToString(tag.text);
      const m = text.match(/```ts\n([\s\S]*?)```/);
      if (m) out.push({ name, code: m[1] });
    }
  };
  collect(target, symbol.name);
  if (target.flags & ts.SymbolFlags.Class) {
    const type = checker.getDeclaredTypeOfSymbol(target);
    for (const member of [...checker.getPropertiesOfType(type), ...checker.getPropertiesOfType(checker.getTypeOfSymbol(target))]) {
      collect(member, `${symbol.name}.${member.name}`);
    }
    const ctor = target.members?.get("__constructor" as ts.__String);
    if (ctor) collect(ctor, `new ${symbol.name}`);
  }
  return out;
}

/** Turns `expr; // [1, 2]` lines into assertions; other lines run as they are. */
function withAssertions(code: string): string {
  return code
    .split("\n")
    .map((line) => {
      const m = line.match(/^(\s*)([^/]*?);\s*\/\/\s*(.+?)\s*$/);
      if (!m || /^\s*(const|let|var|import|new |for|if|return)\b/.test(m[2] + " ")) return line;
      // `expr; // TypeError: …` (or RangeError, Error, throws …): the example shows a rejection.
      const thrown = m[3].match(/^(?:throws\s+)?(TypeError|RangeError|Error)\b/);
      if (thrown) return `${m[1]}__throws(${JSON.stringify(m[2])}, () => { ${m[2]}; }, ${JSON.stringify(thrown[1])});`;
      try {
        const expected = JSON.parse(m[3]);
        return `${m[1]}__check(${JSON.stringify(m[2])}, ${m[2]}, ${JSON.stringify(expected)});`;
      } catch {
        return line;
      }
    })
    .join("\n");
}

const isValue = (s: ts.Symbol) => ((s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags & ts.SymbolFlags.Value) !== 0;
const valuesByEntry = exportsByEntry.map((list) => list.filter(isValue));
const values = valuesByEntry.flat();

describe("TSDoc examples", () => {
  it("every exported value has an @example", () => {
    const missing = values.filter((s) => examplesOf(s).length === 0).map((s) => s.name);
    expect(missing).toEqual([]);
  });

  const all = values.flatMap(examplesOf);
  it("runs every example, checking `expr; // JSON` lines", () => {
    const imports = entries.map((e, i) => `import { ${valuesByEntry[i].map((s) => s.name).join(", ")} } from ${JSON.stringify(e.dist)};`);
    const dir = mkdtempSync(join(tmpdir(), "embedkit-doc-"));
    try {
      const blocks = all.map(({ name, code }) => {
        const js = ts.transpileModule(withAssertions(code), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
        return `await (async () => { __current = ${JSON.stringify(name)};\n${js}\n})();`;
      });
      const program = [
        ...imports,
        `import { isDeepStrictEqual } from "node:util";`,
        `let __current = "";`,
        `function __check(src, actual, expected) {`,
        `  const plain = ArrayBuffer.isView(actual) ? Array.from(actual) : actual;`,
        `  if (!isDeepStrictEqual(plain, expected)) throw new Error(__current + ": " + src + " gave " + JSON.stringify(plain) + ", the example says " + JSON.stringify(expected));`,
        `}`,
        `function __throws(src, fn, cls) {`,
        `  try { fn(); } catch (e) { if (cls === "Error" || e.constructor.name === cls) return; throw new Error(__current + ": " + src + " threw " + e.constructor.name + ", the example says " + cls); }`,
        `  throw new Error(__current + ": " + src + " did not throw, the example says it throws " + cls);`,
        `}`,
        ...blocks,
        `console.log("ran", ${all.length});`,
      ].join("\n");
      const file = join(dir, "examples.mjs");
      writeFileSync(file, program);
      const out = execFileSync(process.execPath, [file], { cwd: dir, encoding: "utf8", stdio: "pipe" });
      expect(out.trim()).toBe(`ran ${all.length}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000); // hundreds of examples in one child process: seconds on a loaded machine
});
