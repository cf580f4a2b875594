// `embedkit lab`'s server: 127.0.0.1 only, a free port with --port 0, the right content types, and
// nothing outside the lab, the browser modules and the one vectors file: no `..` (plain or encoded),
// no absolute paths, no backslashes, no symlinks out of dist/, no CLI or Node modules.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "node:http";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { LAB_MIME, LAB_TIMEOUTS, labModules, startLab, type LabServer } from "../src/cli/lab.js";

const repo = resolve(import.meta.dirname, "..");
let tmp = "";
let root = "";
let lab: LabServer;

/** A raw GET (the path is sent exactly as given, not normalised as fetch would). */
function get(path: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; type: string; body: Buffer; location?: string; headers: Record<string, unknown> }> {
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port: lab.port, path, method: options.method ?? "GET", headers: options.host ? { host: options.host } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body: Buffer.concat(chunks), location: res.headers.location, headers: res.headers }));
    });
    req.on("error", fail);
    req.end();
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "embedkit-lab-server-"));
  // a stand-in for dist/, with secrets beside it and symlinks pointing at them
  root = join(tmp, "dist");
  mkdirSync(join(root, "lab"), { recursive: true });
  mkdirSync(join(root, "node"), { recursive: true });
  mkdirSync(join(root, "cli"), { recursive: true });
  mkdirSync(join(tmp, "outside"));
  writeFileSync(join(tmp, "secret.txt"), "secret");
  writeFileSync(join(tmp, "outside", "secret.js"), "secret");
  writeFileSync(join(root, "lab", "index.html"), "<!doctype html><title>lab</title>");
  writeFileSync(join(root, "lab", "lab.css"), "body {}");
  // The page's modules: lab.js imports the library through embedkit.js; index.js imports vectors/pca.js.
  writeFileSync(join(root, "lab", "lab.js"), 'import { x } from "./embedkit.js";\nnew Worker(new URL("./worker.js", import.meta.url), { type: "module" });');
  writeFileSync(join(root, "lab", "worker.js"), 'import "./embedkit.js";');
  writeFileSync(join(root, "lab", "embedkit.js"), 'export * from "../index.js";');
  writeFileSync(join(root, "lab", "corpus.txt.gz"), Buffer.from([0x1f, 0x8b]));
  mkdirSync(join(root, "vectors"));
  writeFileSync(join(root, "vectors", "pca.js"), "export const pca = 1;");
  writeFileSync(join(root, "unused.js"), "export const unused = 1;");
  writeFileSync(join(root, "index.js"), 'export const x = 1;\nexport { pca } from "./vectors/pca.js";');
  writeFileSync(join(root, "index.d.ts"), "export declare const x: number;");
  writeFileSync(join(root, "cli.js"), "#!/usr/bin/env node");
  writeFileSync(join(root, "node", "index.js"), "export {};");
  writeFileSync(join(root, "cli", "main.js"), "export {};");
  writeFileSync(join(root, ".hidden.js"), "export {};");
  symlinkSync(join(tmp, "secret.txt"), join(root, "lab", "evil.txt"));
  symlinkSync(join(tmp, "outside", "secret.js"), join(root, "lab", "evil.js"));
  symlinkSync(join(tmp, "outside"), join(root, "lab", "out"));
  writeFileSync(join(tmp, "my vectors.bin"), Buffer.from([1, 2, 3, 4]));
  lab = await startLab({ port: 0, root, vectors: join(tmp, "my vectors.bin") });
});

afterAll(async () => {
  await lab?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("embedkit lab's server", () => {
  it("listens on 127.0.0.1 only, on a free port with --port 0, and says where", () => {
    const address = lab.server.address() as AddressInfo;
    expect(address.address).toBe("127.0.0.1");
    expect(lab.port).toBeGreaterThan(0);
    expect(lab.url).toBe(`http://127.0.0.1:${lab.port}/lab/?vectors=%2Fvectors%2Fmy%2520vectors.bin`);
  });

  it("serves the lab, the browser modules and the vectors file with their content types", async () => {
    const page = await get("/lab/");
    expect(page.status).toBe(200);
    expect(page.type).toBe(LAB_MIME[".html"]);
    expect((await get("/lab/index.html")).body.toString()).toContain("<title>lab</title>");
    expect((await get("/lab/lab.css")).type).toBe("text/css; charset=utf-8");
    expect((await get("/lab/lab.js")).type).toBe("text/javascript; charset=utf-8");
    expect((await get("/index.js")).type).toBe("text/javascript; charset=utf-8");
    const v = await get("/vectors/my%20vectors.bin");
    expect(v.status).toBe(200);
    expect(v.type).toBe("application/octet-stream");
    expect([...v.body]).toEqual([1, 2, 3, 4]);
    const head = await get("/lab/", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const home = await get("/");
    expect(home.status).toBe(302);
    expect(home.location).toBe("/lab/?vectors=%2Fvectors%2Fmy%2520vectors.bin");
    // the page's own request, as the browser sends it from that query
    expect((await get(decodeURIComponent("%2Fvectors%2Fmy%2520vectors.bin"))).status).toBe(200);
  });

  const refused: [string, string][] = [
    ["a parent directory", "/../secret.txt"],
    ["a parent directory inside the lab", "/lab/../../secret.txt"],
    ["an encoded parent directory", "/lab/%2e%2e/%2e%2e/secret.txt"],
    ["an encoded slash and parent", "/lab/..%2f..%2fsecret.txt"],
    ["mixed-case encoding", "/lab/%2E%2E/%2E%2E/secret.txt"],
    ["a backslash", "/lab/..%5c..%5csecret.txt"],
    ["a NUL byte", "/lab/index.html%00.js"],
    ["an absolute path", "/etc/passwd"],
    ["an absolute path after a double slash", "//etc/passwd"],
    ["a path into the temp dir", `${tmp}/secret.txt`],
    ["a symlink to a file outside", "/lab/evil.txt"],
    ["a symlinked module outside", "/lab/evil.js"],
    ["a file in a symlinked directory", "/lab/out/secret.js"],
    ["the command line", "/cli.js"],
    ["the CLI modules", "/cli/main.js"],
    ["the Node helpers", "/node/index.js"],
    ["type declarations", "/index.d.ts"],
    ["a hidden file", "/.hidden.js"],
    ["a missing file", "/lab/nothing.js"],
    ["another vectors name", "/vectors/other.bin"],
    ["a module the lab does not import", "/unused.js"],
    ["the vectors file by its path", "/vectors/../my%20vectors.bin"],
  ];
  for (const [name, path] of refused) {
    it(`refuses ${name}: ${path}`, async () => {
      const r = await get(path);
      expect(r.status).toBe(404);
      expect(r.body.toString()).not.toContain("secret");
    });
  }

  it("answers bad requests with 400, other methods with 405, other hosts with 403", async () => {
    expect((await get("/lab/%zz")).status).toBe(400);
    expect((await get(`http://127.0.0.1:${lab.port}/lab/`)).status).toBe(400);
    expect((await get("/lab/", { method: "POST" })).status).toBe(405);
    expect((await get("/lab/", { method: "PUT" })).status).toBe(405);
    expect((await get("/lab/", { host: `evil.example:${lab.port}` })).status).toBe(403);
    expect((await get("/lab/", { host: `localhost:${lab.port}` })).status).toBe(200);
  });

  it("refuses a missing vectors file and a dist/ without the lab", async () => {
    await expect(startLab({ port: 0, root, vectors: join(tmp, "nope.bin") })).rejects.toThrow(/nope\.bin: no such file/);
    await expect(startLab({ port: 0, root, vectors: tmp })).rejects.toThrow(/is not a file/);
    await expect(startLab({ port: 0, root: join(tmp, "outside") })).rejects.toThrow(/the lab's files are missing/);
    await expect(startLab({ port: lab.port, root })).rejects.toThrow(new RegExp(`port ${lab.port} on 127\\.0\\.0\\.1 is in use \\(try --port 0`));
  });
});

describe("npx embedkit lab", () => {
  const cli = join(repo, "dist", "cli.js");

  it("prints the URL, serves the page from dist/lab, and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [cli, "lab", join(tmp, "my vectors.bin"), "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const url = await new Promise<string>((ok, fail) => {
      child.stdout.on("data", (c) => {
        out += c;
        const m = /open (http:\/\/127\.0\.0\.1:\d+\/lab\/\S*)/.exec(out);
        if (m) ok(m[1]);
      });
      child.on("exit", (code) => fail(new Error(`exited with ${code}: ${out}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("embedkit lab");
    const module = await fetch(new URL("/lab/embedkit.js", url));
    expect(await module.text()).toContain('export * from "../index.js"');
    const code = await new Promise<number | null>((ok) => {
      child.on("exit", (c) => ok(c));
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
  }, 30_000);

  for (const [args, code, message] of [
    [["lab", "--port", "http"], 2, /embedkit lab: --port must be an integer, got "http"/],
    [["lab", "--port", "70000"], 2, /embedkit lab: --port must be <= 65535, got 70000/],
    [["lab", "a.bin", "b.bin"], 2, /embedkit lab: expected at most one vectors FILE, got 2 arguments/],
    [["lab", "--nope"], 2, /embedkit lab: Unknown option '--nope'/],
    [["lab", "/nonexistent/vectors.bin", "--port", "0"], 1, /embedkit lab: \/nonexistent\/vectors\.bin: no such file/],
  ] as const) {
    it(`embedkit ${args.join(" ")} exits with ${code}`, async () => {
      const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let err = "";
      child.stderr.on("data", (c) => (err += c));
      const exit = await new Promise<number | null>((ok) => child.on("exit", (c) => ok(c)));
      expect(exit).toBe(code);
      expect(err).toMatch(message);
    }, 30_000);
  }
});

describe("embedkit lab's server: hardening", () => {
  /** Sends `raw` bytes on a new connection; resolves with what came back once the server closes it. */
  function raw(text: string): Promise<string> {
    return new Promise((ok, fail) => {
      const socket = connect(lab.port, "127.0.0.1", () => socket.write(text));
      let got = "";
      socket.on("data", (d) => (got += d));
      socket.on("error", fail);
      socket.on("close", () => ok(got));
    });
  }

  it("serves exactly the modules the lab's scripts import (computed), and the lab's own files", async () => {
    expect([...labModules(root)].sort()).toEqual(["/index.js", "/lab/embedkit.js", "/lab/lab.js", "/lab/worker.js", "/vectors/pca.js"]);
    expect((await get("/vectors/pca.js")).status).toBe(200); // a module beside the /vectors/NAME of the file
    expect((await get("/unused.js")).status).toBe(404);
    const gz = await get("/lab/corpus.txt.gz");
    expect([gz.status, gz.type]).toEqual([200, "application/gzip"]);
    const repoModules = labModules(join(repo, "dist"));
    expect(repoModules.has("/index.js")).toBe(true);
    expect([...repoModules].filter((m) => m.startsWith("/cli") || m.startsWith("/node/"))).toEqual([]);
  });

  it("sends nosniff, a CSP with frame-ancestors 'none' and CORP same-origin on every answer", async () => {
    for (const path of ["/lab/", "/lab/lab.js", "/vectors/my%20vectors.bin", "/nothing"]) {
      const r = await get(path);
      expect(r.headers["x-content-type-options"], path).toBe("nosniff");
      expect(r.headers["cross-origin-resource-policy"], path).toBe("same-origin");
      expect(String(r.headers["content-security-policy"]), path).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
      expect(String(r.headers["content-security-policy"]), path).toMatch(/(^|; )default-src 'self'(;|$)/);
    }
  });

  it("answers a request with two Host headers with 400", async () => {
    const host = `127.0.0.1:${lab.port}`;
    const one = await raw(`GET /lab/ HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(one).toMatch(/^HTTP\/1\.1 200 /);
    for (const second of [host, `evil.example:${lab.port}`]) {
      const two = await raw(`GET /lab/ HTTP/1.1\r\nHost: ${host}\r\nHost: ${second}\r\nConnection: close\r\n\r\n`);
      expect(two).toMatch(/^HTTP\/1\.1 400 /);
    }
  });

  it("closes connections that send nothing, or no complete header, within a few seconds", { timeout: 30000 }, async () => {
    const limit = Math.max(LAB_TIMEOUTS.headersMs, LAB_TIMEOUTS.idleMs) + 2 * LAB_TIMEOUTS.checkEveryMs + 2000;
    expect(limit).toBeLessThanOrEqual(15000);
    const t = performance.now();
    const closed = (text: string) =>
      new Promise<number>((ok, fail) => {
        const socket = connect(lab.port, "127.0.0.1", () => {
          if (text) socket.write(text);
        });
        socket.on("data", () => {});
        socket.on("error", fail);
        socket.on("close", () => ok(performance.now() - t));
      });
    const times = await Promise.all([
      ...Array.from({ length: 20 }, () => closed("")),
      ...Array.from({ length: 5 }, () => closed("GET /lab/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")),
    ]);
    expect(Math.max(...times)).toBeLessThan(limit);
    // The server still answers afterwards.
    expect((await get("/lab/")).status).toBe(200);
  });
});
