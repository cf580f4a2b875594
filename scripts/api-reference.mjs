// Writes docs/reference.md, the user's reference of every export of embedding-kit and
// embedding-kit/node, from the TSDoc in src/ (summaries, @example blocks, signatures), with the
// TypeScript compiler API. `node scripts/api-reference.mjs --check` exits 1 when the file is stale
// (test/api-reference.test.ts runs that); without it, the file is rewritten.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "docs", "reference.md");
const entries = [
  { name: "embedding-kit", src: join(root, "src", "index.ts"), intro: "Browser-safe: runs unchanged in Node, Deno, Bun and browsers." },
  { name: "embedding-kit/node", src: join(root, "src", "node", "index.ts"), intro: "Node only: worker threads and files." },
];
// Sections, by the folder a declaration lives in (the layout of src/ is the architecture).
const SECTIONS = {
  tensor: "Tensors and gradients",
  layers: "Layers",
  optim: "Optimizers",
  vectors: "Word vectors (KeyedVectors), evaluation, projections",
  io: "File formats (pure encoders and decoders)",
  text: "Text: tokens, vocabularies, corpora",
  models: "The book's models",
  word2vec: "word2vec: training, models",
  display: "Pictures (notebooks)",
  node: "Node: threads and files",
};

const program = ts.createProgram(entries.map((e) => e.src), {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  strict: true,
});
const checker = program.getTypeChecker();
const FORMAT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType * 0 | ts.TypeFormatFlags.WriteArrowStyleSignature;

// TSDoc's {@link X} and {@link X | words} read as code (`X`) or as the words.
const text = (parts) =>
  ts
    .displayPartsToString(parts)
    .replace(/\{@link\s+([^}|\s]+)\s*\|\s*([^}]+)\}/g, "$2")
    .replace(/\{@link\s+([^}\s]+)\s*\}/g, "`$1`")
    .trim();
const oneLine = (s) => s.replace(/\s*\n\s*/g, " ");

/** The symbol's documentation: summary and @example blocks (other tags, such as @internal, dropped). */
function docOf(symbol) {
  const summary = text(symbol.getDocumentationComment(checker));
  const examples = symbol
    .getJsDocTags(checker)
    .filter((t) => t.name === "example")
    .map((t) => text(t.text ?? []))
    .filter((e) => e !== "");
  return { summary, examples };
}

function isInternal(symbol) {
  return symbol.getJsDocTags(checker).some((t) => t.name === "internal");
}

function declarationText(decl) {
  // The declaration as written, without its body or its comments: for types and interfaces.
  const printer = ts.createPrinter({ removeComments: true });
  return printer.printNode(ts.EmitHint.Unspecified, decl, decl.getSourceFile());
}

function signatures(symbol, decl, name) {
  const type = checker.getTypeOfSymbolAtLocation(symbol, decl);
  return type
    .getCallSignatures()
    .filter((s) => !(s.declaration && isInternalDecl(s.declaration)))
    .map((s) => `${name}${checker.signatureToString(s, decl, FORMAT)}`);
}

function isInternalDecl(decl) {
  return ts.getJSDocTags(decl).some((t) => t.tagName.text === "internal");
}

function block(lines) {
  return ["```ts", ...lines, "```"].join("\n");
}

function renderDoc({ summary, examples }, level) {
  const parts = [];
  if (summary) parts.push(summary);
  for (const e of examples) parts.push(e.replace(/^```ts\n/, "```ts\n").trim());
  void level;
  return parts.join("\n\n");
}

function memberLines(target) {
  const lines = [];
  const type = checker.getDeclaredTypeOfSymbol(target);
  const decl = target.declarations[0];
  // the constructor: its overloads, or its implementation when it has none (never an @internal one)
  const ctor = target.members?.get("__constructor");
  if (ctor) {
    const decls = (ctor.declarations ?? []).filter((d) => !isInternalDecl(d));
    const overloads = decls.filter((d) => !d.body);
    for (const d of overloads.length > 0 ? overloads : decls) {
      const sig = checker.getSignatureFromDeclaration(d);
      lines.push({ head: `new ${target.name}${checker.signatureToString(sig, decl, FORMAT).replace(/ => [^=]*$/, "")}`, doc: docOf(ctor) });
    }
  }
  const statics = checker.getPropertiesOfType(checker.getTypeOfSymbol(target)).filter((m) => m.name !== "prototype");
  const instance = checker.getPropertiesOfType(type);
  for (const [members, prefix] of [[statics, `${target.name}.`], [instance, ""]]) {
    for (const m of members) {
      const d = m.declarations?.[0];
      if (!d || isInternal(m) || isInternalDecl(d)) continue;
      const mods = ts.getCombinedModifierFlags(d);
      if (mods & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || m.name.startsWith("#") || m.name.startsWith("__")) continue;
      if (d.getSourceFile().fileName.includes("node_modules")) continue;
      const owner = prefix || `${lowerFirst(target.name)}.`;
      let head;
      if (ts.isMethodDeclaration(d) || ts.isMethodSignature(d)) {
        const sigs = signatures(m, d, `${owner}${m.name}`);
        head = sigs.join("\n");
      } else if (ts.isGetAccessor(d)) {
        head = `${owner}${m.name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(m, d), d, FORMAT)}  (read-only)`;
      } else {
        const ro = mods & ts.ModifierFlags.Readonly ? "readonly " : "";
        head = `${ro}${owner}${m.name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(m, d), d, FORMAT)}`;
      }
      if (/^\w+\.\[/.test(head)) continue; // symbol-keyed members (the notebooks' display hook)
      lines.push({ head, doc: docOf(m) });
    }
  }
  return lines;
}

const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);

function renderExport(exported) {
  const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const decl = target.declarations?.[0];
  const name = exported.name;
  const doc = docOf(target);
  const md = [];
  if (target.flags & ts.SymbolFlags.Class) {
    md.push(`### class \`${name}\``);
    md.push(renderDoc(doc));
    for (const { head, doc: d } of memberLines(target)) {
      md.push(`#### \`${oneLine(head.split("\n")[0])}\``);
      if (head.includes("\n")) md.push(block(head.split("\n")));
      const body = renderDoc(d);
      if (body) md.push(body);
    }
  } else if (target.flags & ts.SymbolFlags.Function) {
    md.push(`### function \`${name}\``);
    md.push(block(signatures(target, decl, name)));
    md.push(renderDoc(doc));
  } else if (target.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
    md.push(`### type \`${name}\``);
    md.push(renderDoc(doc));
    if (ts.isInterfaceDeclaration(decl)) {
      const props = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(target));
      const rows = props.map((p) => {
        const d = p.declarations?.[0];
        const optional = p.flags & ts.SymbolFlags.Optional ? "?" : "";
        const t = d ? checker.typeToString(checker.getTypeOfSymbolAtLocation(p, d), d, FORMAT) : "";
        const pd = oneLine(text(p.getDocumentationComment(checker)));
        return `| \`${p.name}${optional}\` | \`${t.replace(/\|/g, "\\|")}\` | ${pd.replace(/\|/g, "\\|")} |`;
      });
      if (rows.length > 0) md.push(["| field | type | |", "| --- | --- | --- |", ...rows].join("\n"));
    } else {
      md.push(block([declarationText(decl).replace(/^export /, "")]));
    }
  } else {
    md.push(`### const \`${name}\``);
    md.push(block([`const ${name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(target, decl), decl, FORMAT)}`]));
    md.push(renderDoc(doc));
  }
  return md.filter((s) => s !== "").join("\n\n");
}

function sectionOf(exported) {
  const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const file = target.declarations?.[0]?.getSourceFile().fileName ?? "";
  return relative(join(root, "src"), file).split("/")[0];
}

export function render() {
  const md = [
    "# embedding-kit: reference",
    "",
    "Every export of the package, generated from the TSDoc in `src/` by `scripts/api-reference.mjs` (do not edit:",
    "run `node scripts/api-reference.mjs`; `npm test` checks that this file is up to date). Each `ts` block under",
    "a name is a runnable example: the tests run them all against the built package, and a line",
    "`expr; // value` says what `expr` gives. The guides: [README](../README.md), [word2vec](word2vec.md),",
    "[word vectors](vectors.md), [EmbeddingBag](embedding-bag.md), [the lab](lab.md), [notebooks](notebooks.md).",
    "",
  ];
  const toc = [];
  const bodies = [];
  for (const e of entries) {
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(e.src)));
    bodies.push(`## \`${e.name}\``, "", e.intro, "");
    toc.push(`- [\`${e.name}\`](#${anchor(e.name)})`);
    const bySection = new Map();
    for (const x of exports) {
      const s = sectionOf(x);
      if (!bySection.has(s)) bySection.set(s, []);
      bySection.get(s).push(x);
    }
    const order = Object.keys(SECTIONS);
    for (const s of [...bySection.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b))) {
      const title = SECTIONS[s] ?? s;
      const heading = e.name === "embedding-kit" ? title : `${title} (${e.name})`;
      bodies.push(`### ${heading}`, "");
      toc.push(`  - [${heading}](#${anchor(heading)}): ${bySection.get(s).map((x) => `\`${x.name}\``).join(", ")}`);
      for (const x of bySection.get(s)) bodies.push(renderExport(x).replace(/^(#{3,}) /gm, "$1# "), "");
    }
  }
  // A type the checker cannot name in scope is printed as import("/abs/path/src/x").T: keep the T (the
  // path would make the file depend on where the repository is).
  return [...md, ...toc, "", ...bodies].join("\n").replace(/import\("[^"]*"\)\./g, "").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

function anchor(heading) {
  return heading.toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fresh = render();
  if (process.argv.includes("--check")) {
    let kept = "";
    try {
      kept = readFileSync(out, "utf8");
    } catch {}
    if (kept !== fresh) {
      console.error("docs/reference.md is out of date: run `node scripts/api-reference.mjs`");
      process.exit(1);
    }
  } else {
    writeFileSync(out, fresh);
    console.error(`wrote ${relative(root, out)} (${fresh.length} characters)`);
  }
}
