// The PyTorch reference files under test/fixtures cannot drift from PyTorch: where Debian's
// python3-torch is importable, every generator test/generators/torch_fixtures_NAME.py is rerun into a
// temporary file that must equal the committed test/fixtures/torch-NAME.json: the same structure,
// strings and integers, and floats within the fixtures' own tolerance (rtol 1e-5, atol 1e-6). Not byte
// for byte: PyTorch's matrix products go through OpenBLAS, whose kernel (picked for the CPU when it
// loads) changes the last digits of float32 results from one machine to another.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expectJsonClose } from "./helpers.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const python = "/usr/bin/python3";
const generators = readdirSync(join(root, "test", "generators"))
  .filter((f) => /^torch_fixtures_[a-z0-9_]+\.py$/.test(f))
  .sort();

/** The torch version `python` imports, or why it cannot. */
function torchVersion(): { version: string } | { why: string } {
  if (!existsSync(python)) return { why: `${python} is missing` };
  const r = spawnSync(python, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" });
  if (r.status !== 0) return { why: `${python} cannot import torch (apt-get install python3-torch)` };
  return { version: r.stdout.trim() };
}

const torch = torchVersion();

describe("PyTorch fixture generators", () => {
  it("every generator has its committed output, with the command that made it", () => {
    expect(generators.length).toBeGreaterThan(0);
    for (const g of generators) {
      const name = g.replace(/^torch_fixtures_/, "").replace(/\.py$/, "").replace(/_/g, "-");
      const out = join(root, "test", "fixtures", `torch-${name}.json`);
      expect(existsSync(out), `${out} (from test/generators/${g})`).toBe(true);
      const doc = JSON.parse(readFileSync(out, "utf8"));
      expect(doc.command, `${out}: command`).toContain(`test/generators/${g}`);
      expect(doc.torch_version, `${out}: torch_version`).toMatch(/^\d+\.\d+/);
    }
  });

  for (const g of generators) {
    const name = g.replace(/^torch_fixtures_/, "").replace(/\.py$/, "").replace(/_/g, "-");
    const committed = join(root, "test", "fixtures", `torch-${name}.json`);
    const recorded = existsSync(committed) ? String(JSON.parse(readFileSync(committed, "utf8")).torch_version) : "?";
    const why =
      "why" in torch
        ? torch.why
        : torch.version !== recorded
          ? `torch ${torch.version} is installed, the fixtures are from torch ${recorded}`
          : null;
    it.skipIf(why !== null)(
      `test/generators/${g} reproduces test/fixtures/torch-${name}.json${why ? ` (skipped: ${why})` : ""}`,
      () => {
        const dir = mkdtempSync(join(tmpdir(), "embedkit-fixtures-"));
        try {
          const out = join(dir, `torch-${name}.json`);
          execFileSync(python, [join(root, "test", "generators", g), out], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
          const fresh = JSON.parse(readFileSync(out, "utf8"));
          const kept = JSON.parse(readFileSync(committed, "utf8"));
          // The message names the JSON path of the first case that drifted; regenerate with the file's "command".
          expectJsonClose(fresh, kept, { rtol: 1e-5, atol: 1e-6 });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      60_000,
    );
  }
});
