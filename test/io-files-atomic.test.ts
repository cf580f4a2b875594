// Atomic saves that cannot lose data: an existing file keeps its mode (and owner), a symbolic link is
// written through and stays a link, and every I/O error (full disk, read-only directory, missing
// directory) names the user's path, never the temporary file, and leaves the old contents in place.
import { afterAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import {
  chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyedVectors, Tensor } from "../src/index.js";
import { loadNpy, loadWord2Vec, saveNpy, saveWord2Vec, writeFileAtomic } from "../src/node/files.js";

const dir = mkdtempSync(join(tmpdir(), "embedkit-atomic-"));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) {
    try {
      execFileSync("umount", [m], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});
const kv = new KeyedVectors(["a", "b"], Tensor.from([[1, 2], [3, 4]]));
const TEXT = "2 2\na 1.0 2.0\nb 3.0 4.0\n";
const modeOf = (p: string) => statSync(p).mode & 0o7777;
const tmpLeft = (d: string) => readdirSync(d).filter((f) => f.endsWith(".tmp"));
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** A tmpfs of `options` mounted on a fresh directory (root only), or null where mounting is not possible. */
function tmpfs(name: string, options: string): string | null {
  if (!isRoot) return null;
  const m = join(dir, name);
  mkdirSync(m);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", m], { stdio: "ignore" });
  } catch {
    return null;
  }
  mounts.push(m);
  return m;
}

describe("an existing file keeps its permissions", () => {
  for (const mode of [0o600, 0o640, 0o444, 0o755]) {
    it(`mode ${mode.toString(8)}`, () => {
      const p = join(dir, `m${mode.toString(8)}.txt`);
      writeFileSync(p, "old");
      chmodSync(p, mode);
      saveWord2Vec(p, kv);
      expect(modeOf(p)).toBe(mode);
      expect(readFileSync(p, "utf8")).toBe(TEXT);
      saveNpy(p, kv.vectors);
      expect(modeOf(p)).toBe(mode);
      expect(loadNpy(p).shape).toEqual([2, 2]);
    });
  }

  it("a new file gets the usual mode (0666 less the umask), as any other new file", () => {
    const p = join(dir, "fresh.txt");
    saveWord2Vec(p, kv, { binary: true });
    const mask = process.umask();
    expect(modeOf(p)).toBe(0o666 & ~mask);
  });

  it("the owner and group are kept where the process may set them (root)", () => {
    if (!isRoot) return;
    const p = join(dir, "owned.txt");
    writeFileSync(p, "old");
    execFileSync("chown", ["12345:23456", p]);
    saveWord2Vec(p, kv);
    expect([statSync(p).uid, statSync(p).gid]).toEqual([12345, 23456]);
  });
});

describe("a symbolic link is written through and stays a link", () => {
  it("relative and absolute links, the target keeping its mode", () => {
    const sub = join(dir, "links");
    mkdirSync(sub);
    const target = join(sub, "real.txt");
    writeFileSync(target, "old");
    chmodSync(target, 0o600);
    symlinkSync("real.txt", join(sub, "rel.txt"));
    symlinkSync(target, join(dir, "abs.txt"));
    saveWord2Vec(join(sub, "rel.txt"), kv);
    expect(lstatSync(join(sub, "rel.txt")).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe(TEXT);
    expect(modeOf(target)).toBe(0o600);
    saveNpy(join(dir, "abs.txt"), kv.vectors);
    expect(lstatSync(join(dir, "abs.txt")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, "abs.txt"))).toBe(target);
    expect(loadNpy(target).shape).toEqual([2, 2]);
    expect(tmpLeft(sub)).toEqual([]);
    expect(tmpLeft(dir)).toEqual([]);
  });

  it("a chain of links into another directory: the temporary file lives beside the final target", () => {
    const a = join(dir, "chainA");
    const b = join(dir, "chainB");
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(b, "v.bin"), "old");
    symlinkSync(join(b, "v.bin"), join(a, "hop2"));
    symlinkSync("hop2", join(a, "hop1"));
    saveWord2Vec(join(a, "hop1"), kv, { binary: true });
    expect(lstatSync(join(a, "hop1")).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(a, "hop2")).isSymbolicLink()).toBe(true);
    expect(loadWord2Vec(join(b, "v.bin")).words).toEqual(["a", "b"]);
  });

  it("a dangling link: the file it names is created", () => {
    symlinkSync("created.txt", join(dir, "dangling.txt"));
    saveWord2Vec(join(dir, "dangling.txt"), kv);
    expect(lstatSync(join(dir, "dangling.txt")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "created.txt"), "utf8")).toBe(TEXT);
  });

  it("a loop of links: ELOOP naming the path", () => {
    symlinkSync("loop2", join(dir, "loop1"));
    symlinkSync("loop1", join(dir, "loop2"));
    expect(() => saveWord2Vec(join(dir, "loop1"), kv)).toThrow(new RegExp(`^saveWord2Vec: cannot write ${esc(join(dir, "loop1"))}: ELOOP`));
  });
});

describe("paths that are not regular files", () => {
  it("a character device is written to, not replaced", () => {
    saveWord2Vec("/dev/null", kv);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("/dev/full: ENOSPC naming /dev/full", () => {
    expect(() => saveWord2Vec("/dev/full", kv)).toThrow(/^saveWord2Vec: cannot write \/dev\/full: ENOSPC: no space left on device$/);
  });

  it("a directory: EISDIR naming it, nothing replaced", () => {
    const d = join(dir, "adir");
    mkdirSync(d);
    expect(() => saveNpy(d, kv.vectors)).toThrow(new RegExp(`^saveNpy: cannot write ${esc(d)}: EISDIR`));
    expect(statSync(d).isDirectory()).toBe(true);
  });
});

describe("errors name the user's path, never the temporary file, and change nothing", () => {
  it("a directory that does not exist", () => {
    const p = join(dir, "missing", "v.txt");
    let msg = "";
    try {
      saveWord2Vec(p, kv);
    } catch (e) {
      msg = (e as Error).message;
      expect((e as NodeJS.ErrnoException).code).toBe("ENOENT");
    }
    expect(msg).toBe(`saveWord2Vec: cannot write ${p} (the directory ${join(dir, "missing")} does not exist): ENOENT: no such file or directory`);
    expect(msg).not.toMatch(/\.tmp/);
  });

  it("a read-only directory (a read-only tmpfs as root, mode 555 otherwise)", () => {
    let ro = tmpfs("ro", "ro,size=64k");
    if (ro === null) {
      ro = join(dir, "ro555");
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      if (isRoot) return; // root ignores mode bits and could not mount: nothing to test here
    }
    const p = join(ro, "v.txt");
    for (const save of [() => saveWord2Vec(p, kv), () => saveWord2Vec(p, kv, { binary: true }), () => saveNpy(p, kv.vectors)]) {
      expect(save).toThrow(new RegExp(`^save(Word2Vec|Npy): cannot write ${esc(p)} \\(in ${esc(ro)}\\): (EROFS|EACCES)`));
      expect(save).not.toThrow(/\.tmp/);
    }
    expect(readdirSync(ro)).toEqual([]);
  });

  it("a full disk (a 64 KiB tmpfs, root only): ENOSPC naming the path, the old file intact, no temporary left", (ctx) => {
    const full = tmpfs("full", "size=64k");
    if (full === null) return ctx.skip();
    const p = join(full, "v.bin");
    writeFileSync(p, "old vectors");
    chmodSync(p, 0o600);
    const big = new KeyedVectors(["w"], Tensor.zeros([1, 40000])); // 160 kB, more than the disk holds
    for (const save of [() => saveWord2Vec(p, big, { binary: true }), () => saveWord2Vec(p, big), () => saveNpy(p, big.vectors)]) {
      expect(save).toThrow(new RegExp(`^save(Word2Vec|Npy): cannot write ${esc(p)}: ENOSPC: no space left on device$`));
      expect(readFileSync(p, "utf8")).toBe("old vectors");
      expect(modeOf(p)).toBe(0o600);
      expect(readdirSync(full)).toEqual(["v.bin"]);
    }
  });

  it("an exception from the chunks themselves is passed on as it is, with no temporary file left", () => {
    const p = join(dir, "chunks.txt");
    writeFileSync(p, "old");
    const boom = new RangeError("no more");
    expect(() => writeFileAtomic(p, (function* () {
      yield "part";
      throw boom;
    })())).toThrow(boom);
    expect(readFileSync(p, "utf8")).toBe("old");
    expect(tmpLeft(dir)).toEqual([]);
  });

  it("reading: the path named, with the code", () => {
    expect(() => loadNpy(join(dir, "absent.npy"))).toThrow(new RegExp(`^loadNpy: cannot read ${esc(join(dir, "absent.npy"))}: ENOENT: no such file or directory$`));
    expect(() => loadWord2Vec(dir)).toThrow(/^loadWord2Vec: cannot read .*: EISDIR/);
    // with a limit the file is read in chunks: the read error names the path too
    expect(() => loadWord2Vec(dir, { limit: 2 })).toThrow(new RegExp(`^loadWord2Vec: cannot read ${esc(dir)}: EISDIR: illegal operation on a directory$`));
  });
});
