// examples/browser/index.html, driven in Debian's Chromium (headless, no network): the built ESM
// imports in a browser, trains, and draws.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync, mkdirSync } from "node:fs";
import { extname, join, normalize, resolve } from "node:path";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { pixelStdDev } from "./png-stats.js";

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
    // the SGD figure: six rows, their starts and targets, the unit circle, a legend
    expect(await page.locator("#sgd-figure svg circle[r='4.5']").count()).toBe(18);
    expect(await page.locator("#sgd-figure svg circle[stroke-dasharray]").count()).toBe(1);
    expect(await page.locator("#sgd-figure svg").textContent()).toContain("row after 60 steps");
    expect(await page.locator("#cbow-figure svg circle[r='4.5']").count()).toBeGreaterThan(40);
    expect(await page.locator("#cbow-figure figcaption").textContent()).toMatch(/keep [\d.]+% \+ [\d.]+% of the variance/);
    for (const fig of ["#sgd-figure", "#cbow-figure"]) {
      const check = await page.locator(`${fig} svg`).evaluate((svg) => {
        // equal aspect: one data unit is as long on the x axis as on the y axis (read off the tick labels)
        const ticks = Array.from(svg.querySelectorAll("text[font-size='10']")).map((t) => ({ v: Number(t.textContent), x: +t.getAttribute("x")!, y: +t.getAttribute("y")!, anchor: t.getAttribute("text-anchor") }));
        const xt = ticks.filter((t) => t.anchor === "middle"), yt = ticks.filter((t) => t.anchor === "end");
        const xScale = (xt[1].x - xt[0].x) / (xt[1].v - xt[0].v), yScale = (yt[0].y - yt[1].y) / (yt[1].v - yt[0].v);
        // no two labels overprint
        const boxes = Array.from(svg.querySelectorAll("text[font-size='12']")).map((t) => (t as SVGGraphicsElement).getBBox());
        let overlaps = 0;
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i], b = boxes[j];
          if (a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5) overlaps++;
        }
        return { xScale, yScale, overlaps, labels: Number(svg.getAttribute("data-labels")) };
      });
      expect(check.overlaps, fig).toBe(0);
      expect(Math.abs(check.xScale / check.yScale - 1), fig).toBeLessThan(1e-3);
      expect(check.labels, fig).toBeGreaterThan(5);
    }
    expect(await page.locator("#status").textContent()).toBe("done");
    mkdirSync(join(root, "build", "lab-screenshots"), { recursive: true });
    const png = await page.screenshot({ path: join(root, "build", "lab-screenshots", "browser-example.png"), fullPage: true });
    expect(pixelStdDev(png)).toBeGreaterThan(10);
    await page.close();
  }, 90_000);
});
