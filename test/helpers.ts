import { expect } from "vitest";
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));

/** A file under `test/fixtures/`, committed with the repository (never a path outside it). */
export function fixturePath(...parts: string[]): string {
  const p = resolve(here, "fixtures", ...parts);
  if (!existsSync(p)) throw new Error(`missing ${p}: regenerate it with the command in test/fixtures/README.md`);
  return p;
}

/** A committed JSON fixture, e.g. `loadFixtures("torch-embedding.json")` (PyTorch's reference cases). */
export function loadFixtures(name = "torch-embedding.json"): any {
  return JSON.parse(readFileSync(fixturePath(name), "utf8"));
}

/** Numbers as written in the fixtures: "Infinity", "-Infinity" and "NaN" are strings there. */
export const num = (x: number | string): number => (typeof x === "string" ? Number(x) : x);

/** allclose with rtol 1e-5 and atol 1e-6 (float32 values written as float64). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number | string>, what: string, rtol = 1e-5, atol = 1e-6): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = num(expected[i]);
    if (Number.isNaN(e)) {
      expect(Number.isNaN(a), `${what}[${i}]: expected NaN, got ${a}`).toBe(true);
      continue;
    }
    if (!Number.isFinite(e)) {
      expect(a, `${what}[${i}]`).toBe(e);
      continue;
    }
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${what}[${i}]: got ${a}, expected ${e} (|diff| ${Math.abs(a - e)})`);
    }
  }
}

/**
 * Central difference of `loss` in x[k]: the loss is computed in float64, and h = 2^-9 is a step that
 * float32 represents exactly. x[k] is restored afterwards.
 */
export function numericGrad(x: Float32Array, k: number, loss: () => number, h = 2 ** -9): number {
  const orig = x[k];
  x[k] = orig + h;
  const up = loss();
  x[k] = orig - h;
  const down = loss();
  x[k] = orig;
  return (up - down) / (2 * h);
}

/**
 * Deep equality of two parsed JSON documents, where numbers may differ by `atol + rtol·|expected|`:
 * for generator-drift tests, which rerun a Python generator and compare its output with the committed
 * file. Floats that went through BLAS (numpy, PyTorch) change in their last digits with the CPU kernel
 * OpenBLAS picks, so such files are never compared byte for byte. Structure, strings, booleans and
 * nulls must match exactly; the message names the JSON path of the first difference.
 */
export function expectJsonClose(actual: unknown, expected: unknown, tol: { rtol: number; atol: number }, path = "$"): void {
  const kind = (x: unknown) => (x === null ? "null" : Array.isArray(x) ? "array" : typeof x);
  if (kind(actual) !== kind(expected)) throw new Error(`${path}: got ${kind(actual)} ${JSON.stringify(actual)?.slice(0, 80)}, expected ${kind(expected)} ${JSON.stringify(expected)?.slice(0, 80)}`);
  if (typeof expected === "number") {
    const a = actual as number;
    if (!(Math.abs(a - expected) <= tol.atol + tol.rtol * Math.abs(expected))) {
      throw new Error(`${path}: got ${a}, expected ${expected} (|diff| ${Math.abs(a - expected)} > atol ${tol.atol} + rtol ${tol.rtol}·|expected|)`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    const a = actual as unknown[];
    if (a.length !== expected.length) throw new Error(`${path}: got ${a.length} elements, expected ${expected.length}`);
    expected.forEach((e, i) => expectJsonClose(a[i], e, tol, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === "object") {
    const a = actual as Record<string, unknown>;
    const ka = Object.keys(a).sort();
    const ke = Object.keys(expected).sort();
    if (ka.join("\0") !== ke.join("\0")) throw new Error(`${path}: got keys [${ka.join(", ")}], expected [${ke.join(", ")}]`);
    for (const k of ke) expectJsonClose(a[k], (expected as Record<string, unknown>)[k], tol, `${path}.${k}`);
    return;
  }
  if (actual !== expected) throw new Error(`${path}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

/**
 * stderr of `embedkit train` without its progress lines (written every few seconds when stderr is
 * not a terminal: how many depends on the machine's speed), for tests that read the summary.
 */
export function withoutProgress(err: string): string {
  return err.replace(/^embedkit train: (counting words: .*|.* epoch \d+\/\d+ - [\d.]+% words, .*)\n/gm, "");
}
