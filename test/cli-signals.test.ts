// Nothing left behind: the built CLI (npm run build first) is interrupted by SIGINT or SIGTERM while
// it copies standard input, while it trains, and while it saves; and killed with SIGKILL while saving,
// after which the next save removes the dead process's temporary file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { KeyedVectors, Tensor } from "../src/index.js";
import { saveWord2Vec } from "../src/node/files.js";

const cli = resolve(import.meta.dirname, "..", "dist", "cli.js");
let dir: string;
let spoolTmp: string;
let bigCorpus: string;

/** Many distinct words (so the vectors file is large and slow to write), each seen a few times. */
function manyWords(words: number, seed: number): string {
  let x = seed;
  const lines: string[] = [];
  for (let s = 0; s < words / 4; s++) {
    const line: string[] = [];
    for (let k = 0; k < 12; k++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      line.push(`w${x % words}`);
    }
    lines.push(line.join(" "));
  }
  return `${lines.join("\n")}\n`;
}

function start(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> } {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  child.stdout!.resume();
  child.stdin!.on("error", () => {}); // EPIPE once it is gone
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>((ok) => child.on("close", (code, signal) => ok({ code, signal, err })));
  return { child, done };
}

async function until(what: string, test: () => boolean, ms = 20000): Promise<void> {
  const t = performance.now();
  while (!test()) {
    if (performance.now() - t > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 3));
  }
}

const temps = (d: string) => readdirSync(d).filter((f) => f.endsWith(".tmp"));

beforeAll(() => {
  if (!existsSync(cli)) throw new Error("run npm run build first: dist/cli.js is missing");
  dir = mkdtempSync(join(tmpdir(), "embedkit-signals-"));
  spoolTmp = join(dir, "tmp");
  mkdirSync(spoolTmp);
  bigCorpus = join(dir, "big.txt");
  writeFileSync(bigCorpus, manyWords(60000, 7));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SIGINT and SIGTERM leave nothing behind and end the process by that signal", () => {
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    it(`${sig} while standard input is being copied: the copy is removed`, { timeout: 30000 }, async () => {
      const { child, done } = start(["train", "--input", "-", "--output", join(dir, "v.txt"), "--min-count", "1"], { TMPDIR: spoolTmp });
      child.stdin!.write("the cat sat on the mat\n".repeat(20000)); // and stdin stays open
      await until("the spooled copy", () => readdirSync(spoolTmp).some((d) => existsSync(join(spoolTmp, d, "stdin.txt")) && statSync(join(spoolTmp, d, "stdin.txt")).size > 0));
      child.kill(sig);
      const r = await done;
      expect(r.signal).toBe(sig);
      expect(readdirSync(spoolTmp)).toEqual([]);
      expect(existsSync(join(dir, "v.txt"))).toBe(false);
    });

    it(`${sig} while training from standard input: nothing is left in TMPDIR, and it stops at once`, { timeout: 30000 }, async () => {
      const { child, done } = start(["train", "--input", "-", "--output", join(dir, "v.txt"), "--min-count", "1", "--epochs", "1000", "--dim", "50"], { TMPDIR: spoolTmp });
      child.stdin!.end("the cat sat on the mat and the dog sat on the log\n".repeat(20000));
      await new Promise((ok) => setTimeout(ok, 1500)); // copied, counted, training
      const t = performance.now();
      child.kill(sig);
      const r = await done;
      expect(r.signal).toBe(sig);
      expect(performance.now() - t).toBeLessThan(2000); // not after the 1000 epochs
      expect(readdirSync(spoolTmp)).toEqual([]);
    });
  }

  it("SIGINT while saving: the write completes or is undone, no temporary file stays, and the process ends by SIGINT", { timeout: 60000 }, async () => {
    const out = join(dir, "save-int");
    mkdirSync(out);
    const { child, done } = start(["train", "--input", bigCorpus, "--output", join(out, "v.txt"), "--min-count", "1", "--epochs", "1", "--dim", "100", "--sample", "0", "--quiet"]);
    await until("the temporary file", () => temps(out).length > 0, 50000);
    child.kill("SIGINT");
    const r = await done;
    expect(r.signal).toBe("SIGINT");
    expect(temps(out)).toEqual([]);
    // Whatever is there is a whole file.
    for (const f of readdirSync(out)) expect(readFileSync(join(out, f), "utf8").endsWith("\n")).toBe(true);
  });
});

describe("SIGKILL while saving leaves a temporary file, which the next save of that file removes", () => {
  it("through the CLI", { timeout: 60000 }, async () => {
    const out = join(dir, "save-kill");
    mkdirSync(out);
    const args = ["train", "--input", bigCorpus, "--output", join(out, "v.txt"), "--min-count", "1", "--epochs", "1", "--dim", "100", "--sample", "0", "--quiet"];
    const { child, done } = start(args);
    await until("the temporary file", () => temps(out).length > 0, 50000);
    child.kill("SIGKILL");
    expect((await done).signal).toBe("SIGKILL");
    const left = temps(out);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(new RegExp(`^\\.v\\.txt\\.${child.pid}\\.[0-9a-z]+\\.tmp$`));
    const again = start(["train", "--input", bigCorpus, "--output", join(out, "v.txt"), "--min-count", "1", "--epochs", "1", "--dim", "4", "--quiet"]);
    expect((await again.done).code).toBe(0);
    expect(temps(out)).toEqual([]);
  });

  it("only that file's temporary files, and only those of processes that are gone", async () => {
    const d = join(dir, "stale");
    mkdirSync(d);
    const gone = start(["--version"]);
    await gone.done;
    const dead = gone.child.pid!;
    const names = [
      `.v.txt.${dead}.abc123.tmp`, // removed
      `.v.txt.${process.pid}.abc123.tmp`, // a live process (this one): kept
      `.v.txt.${dead}.abc123.tmp.bak`, `.v.txt.${dead}.ABC.tmp`, `.v.txt.x${dead}.abc.tmp`, // not the pattern: kept
      `.w.txt.${dead}.abc123.tmp`, `.v.txt2.${dead}.abc.tmp`, // another file's: kept
    ];
    for (const n of names) writeFileSync(join(d, n), "partial");
    saveWord2Vec(join(d, "v.txt"), new KeyedVectors(["a"], Tensor.from([[1]])));
    expect(readdirSync(d).sort()).toEqual([...names.slice(1), "v.txt"].sort());
  });
});
