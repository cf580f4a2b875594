// formatFloat32 against numpy's repr(np.float32(x)) for every power of two, its neighbours, the
// positional/scientific thresholds and random bit patterns (test/fixtures/float32-repr.tsv, from numpy).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatFloat32 } from "../src/index.js";

const tsv = readFileSync(fileURLToPath(new URL("./fixtures/float32-repr.tsv", import.meta.url)), "utf8");
const rows = tsv.trim().split("\n").map((l) => l.split("\t"));

function fromBits(b: number): number {
  const u = new Uint32Array([b]);
  return new Float32Array(u.buffer)[0];
}

describe("formatFloat32 (numpy's float32 repr)", () => {
  it("has the golden values", () => expect(rows.length).toBeGreaterThan(2000));

  it("prints every golden value exactly as numpy does", () => {
    const wrong: string[] = [];
    for (const [bits, repr] of rows) {
      const got = formatFloat32(fromBits(Number(bits)));
      if (got !== repr) wrong.push(`${bits}: got ${got}, numpy ${repr}`);
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it("reads back to the same float32 (shortest round trip)", () => {
    for (const [bits] of rows) {
      const x = fromBits(Number(bits));
      expect(Math.fround(Number(formatFloat32(x)))).toBe(x);
    }
  });

  it.each([
    [NaN, "nan"], [Infinity, "inf"], [-Infinity, "-inf"], [0, "0.0"], [-0, "-0.0"],
    [1, "1.0"], [Math.fround(0.1), "0.1"], [Math.fround(1e-5), "1e-05"], [Math.fround(123456789), "123456790.0"],
    [Math.fround(1e16), "1e+16"], [Math.fround(-2.5e-7), "-2.5e-07"],
  ])("formatFloat32(%s) is %s", (x, s) => expect(formatFloat32(x as number)).toBe(s));
});
