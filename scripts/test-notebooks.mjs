#!/usr/bin/env node
// Executes every notebooks/*.ipynb headless in Deno's Jupyter kernel and fails on any error.
//
//   npm run test:notebooks                 build, then run every notebook
//   node scripts/test-notebooks.mjs 01     only notebooks whose file name contains "01"
//   NOTEBOOKS_OUT=dir npm run test:notebooks   keep the executed copies in dir
//
// The committed notebooks are never rewritten: each one is executed into a temporary directory
// (the kernel's working directory is notebooks/, so notebooks/deno.json maps "embedding-kit" to the built
// dist/). The Deno kernelspec is installed into a private Jupyter data directory, so nothing in the
// user's home is touched. A notebook fails when any cell has an error output or writes to stderr, when
// a cell tagged "figure" shows no SVG, a cell tagged "table" no HTML table (the heat maps), or a cell
// tagged "prose" no Markdown (the sentences that state a measurement, written from the numbers of
// this run); every notebook must have at least one "figure" cell. A notebook also fails when its code names a path
// outside the repository (`../../…`, or the `shared/` folder that sits beside a development checkout):
// a clone has nothing beside it, so a notebook that needs a file from there cannot run for its users
// (a real corpus comes in through an environment variable instead, e.g. EMBEDKIT_CORPUS).
// Needs Debian's python3-nbconvert, python3-nbclient and python3-jupyter-client (/usr/bin/python3).

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDeno } from "./tools.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const notebookDir = join(root, "notebooks");
const python = process.env.NOTEBOOKS_PYTHON ?? "/usr/bin/python3";
const cellTimeout = Number(process.env.NOTEBOOKS_CELL_TIMEOUT ?? 300);
const filters = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const skipBuild = process.argv.includes("--no-build");

function die(message) {
  console.error(`test:notebooks: ${message}`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
  if (r.error) return { status: -1, stdout: "", stderr: String(r.error.message) };
  return r;
}

// 1. The built package, as a user would import it.
if (!skipBuild) {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = run(npm, ["run", "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) die("npm run build failed");
}
if (!existsSync(join(root, "dist", "index.js"))) die("dist/index.js is missing: run npm run build");

// 2. Jupyter (Debian's packages) and Deno (pinned, installed into .tools/ on first use: scripts/tools.mjs).
const probe = run(python, ["-c", "import nbconvert, nbclient, jupyter_client, nbformat"]);
if (probe.status !== 0) {
  die(
    `${python} cannot import nbconvert/nbclient/jupyter_client:\n${probe.stderr.trim()}\n` +
      "install them with: apt-get install -y python3-nbconvert python3-nbclient python3-jupyter-client",
  );
}
const deno = ensureDeno();

// 3. A private Jupyter home: the kernelspec, runtime files and config live in a temporary directory.
const work = mkdtempSync(join(tmpdir(), "embedkit-notebooks-"));
const env = {
  ...process.env,
  XDG_DATA_HOME: join(work, "data"), // where `deno jupyter --install` writes jupyter/kernels/deno
  JUPYTER_PATH: join(work, "data", "jupyter"),
  JUPYTER_DATA_DIR: join(work, "data", "jupyter"),
  JUPYTER_RUNTIME_DIR: join(work, "runtime"),
  JUPYTER_CONFIG_DIR: join(work, "config"),
  JUPYTER_PLATFORM_DIRS: "1",
  NO_COLOR: "1",
  PYDEVD_DISABLE_FILE_VALIDATION: "1",
  PYTHONPATH: [join(root, "scripts"), process.env.PYTHONPATH].filter(Boolean).join(":"),
};
const install = run(deno, ["jupyter", "--install", "--force"], { env, cwd: root });
if (install.status !== 0 || !existsSync(join(work, "data", "jupyter", "kernels", "deno", "kernel.json"))) {
  die(`deno jupyter --install failed:\n${install.stdout}${install.stderr}`);
}

// 4. Execute each notebook into the temporary directory and read its outputs.
const notebooks = readdirSync(notebookDir)
  .filter((f) => f.endsWith(".ipynb") && !f.startsWith("."))
  .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
  .sort();
if (notebooks.length === 0) die(`no notebooks matched in ${notebookDir}`);

const outDir = join(work, "out");
const problems = [];
let passed = 0;
for (const name of notebooks) {
  const started = Date.now();
  const r = run(
    python,
    [
      "-m", "nbconvert", "--to", "notebook",
      // nbconvert's --execute, tolerant of the outputs Deno's kernel sends just after "idle"
      "--NotebookExporter.preprocessors=late_outputs.LateOutputExecutePreprocessor",
      "--LateOutputExecutePreprocessor.enabled=True",
      "--ExecutePreprocessor.allow_errors=True",
      "--ExecutePreprocessor.kernel_name=deno",
      `--ExecutePreprocessor.timeout=${cellTimeout}`,
      "--output-dir", outDir, "--output", name, join(notebookDir, name),
    ],
    { env, cwd: notebookDir },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const executed = join(outDir, name);
  const found = r.status === 0 && existsSync(executed)
    ? checkNotebook(name, JSON.parse(readFileSync(executed, "utf8")))
    : [`${name}: nbconvert exited with ${r.status}:\n${indent(r.stderr.trim())}`];
  const late = r.status === 0 && existsSync(executed) ? lateOutputs(JSON.parse(readFileSync(executed, "utf8"))) : 0;
  const note = late > 0 ? `; ${late} output${late === 1 ? "" : "s"} arrived after the cell went idle, kept` : "";
  if (found.length === 0) {
    passed++;
    console.log(`ok   ${name} (${seconds} s${note})`);
  } else {
    console.log(`FAIL ${name} (${seconds} s)`);
    for (const p of found) console.log(indent(p));
    problems.push(...found);
  }
}

if (process.env.NOTEBOOKS_OUT) {
  mkdirSync(process.env.NOTEBOOKS_OUT, { recursive: true });
  for (const f of readdirSync(outDir)) copyFileSync(join(outDir, f), join(process.env.NOTEBOOKS_OUT, f));
  console.log(`executed notebooks written to ${process.env.NOTEBOOKS_OUT}`);
}
rmSync(work, { recursive: true, force: true });
console.log(`notebooks: ${passed} passed, ${notebooks.length - passed} failed`);
process.exit(problems.length === 0 ? 0 : 1);

/** The problems of one executed notebook, each naming the notebook and the cell. */
function checkNotebook(name, nb) {
  const out = [];
  let figures = 0;
  let code = 0;
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    code++;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const where = `${name}, code cell ${code} (${firstLine(source)})`;
    const tags = cell.metadata?.tags ?? [];
    const outside = source.match(/(["'`])(?:\.\.\/){2,}|\bshared\/(?:corpora|fixtures)\b/);
    if (outside) out.push(`${where}: names a path outside the repository (${JSON.stringify(outside[0])}); a clone has nothing beside it`);
    let svg = false;
    let html = false;
    let markdown = false;
    for (const o of cell.outputs ?? []) {
      if (o.output_type === "error") {
        out.push(`${where}: ${o.ename}: ${o.evalue}\n${indent(stripAnsi((o.traceback ?? []).join("\n")))}`);
      } else if (o.output_type === "stream" && o.name === "stderr") {
        out.push(`${where}: wrote to stderr:\n${indent(stripAnsi(text(o.text)).trimEnd())}`);
      } else if (o.data) {
        for (const mime of ["image/svg+xml", "text/html"]) {
          if (o.data[mime] !== undefined && text(o.data[mime]).includes("<svg")) svg = true;
        }
        if (o.data["text/html"] !== undefined && text(o.data["text/html"]).includes("<table")) html = true;
        if (o.data["text/markdown"] !== undefined && text(o.data["text/markdown"]).trim() !== "") markdown = true;
      }
    }
    if (tags.includes("figure")) {
      figures++;
      if (!svg) out.push(`${where}: tagged "figure" but showed no SVG`);
    }
    if (tags.includes("table") && !html) out.push(`${where}: tagged "table" but showed no HTML table`);
    if (tags.includes("prose") && !markdown) out.push(`${where}: tagged "prose" but showed no Markdown`);
  }
  if (figures === 0) out.push(`${name}: no cell is tagged "figure"; every notebook must draw at least one`);
  return out;
}

/** Outputs that Deno's kernel sent after reporting the cell idle (recorded by late_outputs.py). */
function lateOutputs(nb) {
  return nb.cells.reduce((n, c) => n + (c.metadata?.late_outputs ?? 0), 0);
}

function text(v) {
  return Array.isArray(v) ? v.join("") : String(v);
}
function firstLine(source) {
  const line = source.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
function indent(s) {
  return s.split("\n").map((l) => `    ${l}`).join("\n");
}
function stripAnsi(s) {
  return s.replace(/\u001b\[[0-9;]*m/g, "");
}
