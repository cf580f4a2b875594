// examples/browser/index.html, driven in Debian's Chromium (headless, no network): the built ESM
// imports in a browser, trains, and draws.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { extname, join, normalize, resolve } from "node:path";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";

// @ts-expect-error: a plain .mjs helper without type declarations
import { ensureChromium } from "../scripts/tools.mjs";

const root = resolve(import.meta.dirname, "..");
let CHROMIUM = "";
const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".txt": "text/plain" };

let server: Server;
let browser: Browser;
let base = "";

beforeAll(async () => {
  CHROMIUM = ensureChromium();
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM_PATH)`);
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    const file = join(root, path);
    if (!file.startsWith(root) || !(path.startsWith("/dist/") || path.startsWith("/examples/"))) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((ok) => server?.close(ok));
});

describe("the browser example", () => {
  it("imports the built ESM, trains, and draws its figures", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${base}/examples/browser/index.html`);
    await page.waitForSelector("body[data-done=true]", { timeout: 60_000 });
    const result = await page.evaluate(() => (window as unknown as { embedkitResult: unknown }).embedkitResult);
    expect(errors).toEqual([]);
    expect(result).toMatchObject({ ok: true });
    expect(await page.locator("#sgd-figure svg circle").count()).toBe(6);
    expect(await page.locator("#cbow-figure svg circle").count()).toBeGreaterThan(20);
    expect(await page.locator("#status").textContent()).toBe("done");
    await page.close();
  }, 90_000);
});
