// `embedkit lab [FILE] [--port 8080]`: serves the embedding lab (dist/lab/) on 127.0.0.1 and nothing
// else: the lab's own files, the package's browser modules that the lab's scripts import (computed
// at start from their import statements) and the one vectors file named on the command line. Every
// path is decoded, refused if it holds a `..` or `.` segment, a backslash or a NUL, resolved under
// dist/, and checked again after symlinks are followed, so that no request can read outside the
// package. A request must carry exactly one Host header naming this address; connections that send
// nothing, or no complete header, are closed after a few seconds; every answer forbids framing,
// sniffing and cross-origin reads.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createReadStream, existsSync, readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { UsageError, intFlag, parse } from "./args.js";

/** Content types of the files the lab serves; anything else is not served. */
export const LAB_MIME: Readonly<Record<string, string>> = Object.freeze({
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".gz": "application/gzip",
});

/** How long a connection may stay silent, or take to send its request's header, before it is closed. */
export const LAB_TIMEOUTS = Object.freeze({ headersMs: 5000, requestMs: 10000, keepAliveMs: 5000, idleMs: 10000, checkEveryMs: 1000 });

/** Headers on every answer: no framing, no sniffing, no reads from other origins. */
const SAFE_HEADERS = Object.freeze({
  "x-content-type-options": "nosniff",
  "cross-origin-resource-policy": "same-origin",
  "content-security-policy":
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; worker-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
});

/** Relative module specifiers in a script: static and dynamic imports, re-exports, `new URL("./x.js", import.meta.url)`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"'\n]+)["']|\bnew\s+URL\(\s*["'](\.{1,2}\/[^"'\n]+)["']\s*,\s*import\.meta\.url/g;

/**
 * The URL paths of the package's modules that the lab's page can load: every `.js` reached by the
 * imports of the scripts in dist/lab/, transitively, inside `root`. Computed once at start from the
 * files themselves, so the list follows the lab.
 */
export function labModules(root: string): Set<string> {
  const seen = new Set<string>();
  const todo: string[] = [];
  const labDir = join(root, "lab");
  for (const name of readdirSync(labDir)) if (name.endsWith(".js")) todo.push(join(labDir, name));
  while (todo.length > 0) {
    const file = todo.pop()!;
    const url = `/${relative(root, file).split(sep).join("/")}`;
    if (seen.has(url)) continue;
    let text: string;
    try {
      if (!realpathSync(file).startsWith(root + sep)) continue; // a symlink out of dist/ is not the package's
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    seen.add(url);
    for (const m of text.matchAll(SPECIFIER)) {
      const next = resolve(dirname(file), (m[1] ?? m[2]).split(/[?#]/)[0]);
      if (next.startsWith(root + sep) && next.endsWith(".js")) todo.push(next);
    }
  }
  return seen;
}

/** Options of {@link startLab}. */
export interface LabOptions {
  /** TCP port on 127.0.0.1 (default 8080; 0 picks a free one). */
  port?: number;
  /** A word2vec file (text or binary) the page opens at start. */
  vectors?: string;
  /** The package's dist/ folder (default: the one this module was loaded from). */
  root?: string;
}

/** A running lab server. */
export interface LabServer {
  /** The page's address, e.g. `http://127.0.0.1:8080/lab/?vectors=%2Fvectors%2Fwiki.bin`. */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const HOST = "127.0.0.1";

/** Starts the lab's HTTP server on 127.0.0.1 and resolves once it listens. */
export async function startLab(options: LabOptions = {}): Promise<LabServer> {
  const root = realpathSync(options.root ?? resolve(dirname(fileURLToPath(import.meta.url)), ".."));
  if (!existsSync(join(root, "lab", "index.html"))) {
    throw new Error(`the lab's files are missing from ${join(root, "lab")} (run npm run build)`);
  }
  let vectors: { file: string; name: string; size: number } | null = null;
  if (options.vectors !== undefined) {
    const file = resolve(options.vectors);
    let st;
    try {
      st = statSync(file);
    } catch {
      throw new Error(`${options.vectors}: no such file`);
    }
    if (!st.isFile()) throw new Error(`${options.vectors} is not a file`);
    vectors = { file, name: basename(file), size: st.size };
  }
  let port = options.port ?? 8080;
  const modules = labModules(root);
  const server = createServer({ connectionsCheckingInterval: LAB_TIMEOUTS.checkEveryMs }, (req, res) => handle(req, res, root, vectors, port, modules));
  // Connections that send nothing, or never finish their header, are closed (408 or a plain close).
  server.headersTimeout = LAB_TIMEOUTS.headersMs;
  server.requestTimeout = LAB_TIMEOUTS.requestMs;
  server.keepAliveTimeout = LAB_TIMEOUTS.keepAliveMs;
  server.setTimeout(LAB_TIMEOUTS.idleMs, (socket) => socket.destroy());
  await new Promise<void>((ok, fail) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      fail(e.code === "EADDRINUSE" ? new Error(`port ${port} on ${HOST} is in use (try --port 0 for a free one)`) : e));
    server.listen(port, HOST, () => ok());
  });
  port = (server.address() as AddressInfo).port;
  const query = vectors ? `?vectors=${encodeURIComponent(`/vectors/${encodeURIComponent(vectors.name)}`)}` : "";
  return {
    url: `http://${HOST}:${port}/lab/${query}`,
    port,
    server,
    close: () => new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    }),
  };
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  vectors: { file: string; name: string } | null,
  port: number,
  modules: ReadonlySet<string>,
): void {
  for (const [k, v] of Object.entries(SAFE_HEADERS)) res.setHeader(k, v);
  const fail = (status: number, text: string) => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(`${text}\n`);
  };
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return fail(405, "method not allowed");
  }
  // Only pages opened at this address may read from it (a rebound DNS name would carry its own Host).
  // Node keeps the first of several Host headers: a request with more than one is malformed (RFC 9112).
  let hosts = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === "host") hosts++;
  if (hosts > 1) return fail(400, "bad request: more than one Host header");
  const host = req.headers.host ?? "";
  if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) return fail(403, "forbidden host");
  const raw = req.url ?? "/";
  if (!raw.startsWith("/")) return fail(400, "bad request");
  const q = raw.indexOf("?");
  let path: string;
  try {
    path = decodeURIComponent(q < 0 ? raw : raw.slice(0, q));
  } catch {
    return fail(400, "bad request");
  }
  if (path.includes("\0") || path.includes("\\") || path.split("/").some((s) => s === ".." || s === "." || s.startsWith("."))) {
    return fail(404, "not found");
  }
  if (path === "/" || path === "/lab") {
    const query = vectors ? `?vectors=${encodeURIComponent(`/vectors/${encodeURIComponent(vectors.name)}`)}` : "";
    res.writeHead(302, { location: `/lab/${query}` }).end();
    return;
  }
  // The vectors file lives at /vectors/NAME, beside the package's own vectors/*.js modules: a module
  // the lab imports is served as such, whatever the file is called.
  if (path.startsWith("/vectors/") && !modules.has(path)) {
    if (vectors === null || path !== `/vectors/${vectors.name}`) return fail(404, "not found");
    return send(req, res, vectors.file, "application/octet-stream", fail);
  }
  if (path.endsWith("/")) path += "index.html";
  const ext = extname(path);
  const type = LAB_MIME[ext];
  const isLab = path.startsWith("/lab/");
  // The browser modules the lab imports only: not the command line, not the Node helpers (nor their types).
  const isModule = ext === ".js" && modules.has(path);
  if (type === undefined || !(isLab || isModule)) return fail(404, "not found");
  const file = resolve(root, `.${path}`);
  if (!file.startsWith(root + sep)) return fail(404, "not found");
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return fail(404, "not found");
  }
  // a symlink inside dist/ must not lead outside it
  if (!real.startsWith(root + sep)) return fail(404, "not found");
  send(req, res, real, type, fail);
}

function send(req: IncomingMessage, res: ServerResponse, file: string, type: string, fail: (status: number, text: string) => void): void {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return fail(404, "not found");
    size = st.size;
  } catch {
    return fail(404, "not found");
  }
  res.writeHead(200, { "content-type": type, "content-length": size, "cache-control": "no-store" });
  if (req.method === "HEAD") return void res.end();
  createReadStream(file).on("error", () => res.destroy()).pipe(res);
}

/** `embedkit lab [FILE] [--port 8080]`: serves the lab until the process is interrupted. */
export async function lab(args: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const c = "lab";
  const { values, positionals } = parse(c, args, { port: { type: "string" } });
  if (positionals.length > 1) throw new UsageError(`embedkit lab: expected at most one vectors FILE, got ${positionals.length} arguments`);
  const port = intFlag(c, "port", values.port, 8080, 0, 65535);
  const running = await startLab({ port, vectors: positionals[0] });
  io.out(`embedkit lab: open ${running.url}\n`);
  io.out(`(serving on ${HOST} only${positionals[0] ? `, with ${positionals[0]}` : ""}; Ctrl-C stops)\n`);
  await new Promise<void>((ok) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      ok();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await running.close();
  return 0;
}
