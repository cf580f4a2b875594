// A write that fails half way (the disk fills up), injected into node:fs so that it runs on every
// machine, root or not: the error names the user's path, the old file is intact, no temporary file stays.
import { afterAll, describe, expect, it, vi } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, chmodSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const failAfter = vi.hoisted(() => ({ bytes: Infinity, written: 0 }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const writeSync = ((fd: number, buf: Uint8Array, off?: number, len?: number) => {
    const n = Math.min(len ?? buf.length, 4096);
    if (failAfter.written + n > failAfter.bytes) {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
    }
    failAfter.written += n;
    return fs.writeSync(fd, buf, off, n);
  }) as typeof fs.writeSync;
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

const { KeyedVectors, Tensor } = await import("../src/index.js");
const { saveNpy, saveWord2Vec } = await import("../src/node/files.js");
const dir = mkdtempSync(join(tmpdir(), "embedkit-enospc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the disk fills up half way through a save", () => {
  const big = new KeyedVectors(["w", "x"], Tensor.randn([2, 5000], { seed: 1 }));
  const cases: [string, () => void][] = [
    ["saveWord2Vec text", () => saveWord2Vec(join(dir, "v.txt"), big)],
    ["saveWord2Vec binary", () => saveWord2Vec(join(dir, "v.txt"), big, { binary: true })],
    ["saveNpy", () => saveNpy(join(dir, "v.txt"), big.vectors)],
  ];
  for (const [name, save] of cases) {
    it(name, () => {
      const p = join(dir, "v.txt");
      writeFileSync(p, "old");
      chmodSync(p, 0o600);
      failAfter.written = 0;
      failAfter.bytes = 20000;
      let err: (Error & { code?: string }) | undefined;
      try {
        save();
      } catch (e) {
        err = e as Error & { code?: string };
      } finally {
        failAfter.bytes = Infinity;
      }
      expect(err?.message).toBe(`${name.split(" ")[0]}: cannot write ${p}: ENOSPC: no space left on device`);
      expect(err?.code).toBe("ENOSPC");
      expect(failAfter.written).toBeGreaterThan(0);
      expect(readFileSync(p, "utf8")).toBe("old");
      expect(statSync(p).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir)).toEqual(["v.txt"]);
    });
  }
});
