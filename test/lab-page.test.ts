// The embedding lab (lab/, served from dist/lab/ by `embedkit lab`), driven in Debian's Chromium:
// each view is used the way a learner uses it, and a screenshot of each is kept under
// build/lab-screenshots/ (git-ignored) and checked not to be blank.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import { encodeWord2VecBinary, KeyedVectors, Tensor } from "../src/index.js";
import { startLab, type LabServer } from "../src/cli/lab.js";
import { pixelStdDev } from "./png-stats.js";

// @ts-expect-error: a plain .mjs helper without type declarations
import { ensureChromium } from "../scripts/tools.mjs";

const root = resolve(import.meta.dirname, "..");
const shots = join(root, "build", "lab-screenshots");
let browser: Browser;
let lab: LabServer;
let tmp = "";

/** Vectors of three obvious groups, written as a word2vec binary file for the CLI argument and the picker. */
function groupedVectors(): KeyedVectors {
  const words: string[] = [];
  const rows: number[][] = [];
  const groups: [string, number[]][] = [["cat", [1, 0, 0, 0]], ["red", [0, 1, 0, 0]], ["bread", [0, 0, 1, 0]]];
  const extra: Record<string, string[]> = { cat: ["dog", "horse", "cow"], red: ["blue", "green", "pink"], bread: ["rice", "soup", "cake"] };
  groups.forEach(([w, base], g) => {
    [w, ...extra[w]].forEach((word, k) => {
      words.push(word);
      rows.push(base.map((x, j) => x + 0.05 * Math.sin(1 + k * 3 + j * 7 + g)));
    });
  });
  return new KeyedVectors(words, Tensor.from(rows));
}

beforeAll(async () => {
  if (!existsSync(join(root, "dist", "lab", "index.html"))) throw new Error("dist/lab is missing: run npm run build first");
  tmp = mkdtempSync(join(tmpdir(), "embedkit-lab-"));
  writeFileSync(join(tmp, "groups.bin"), encodeWord2VecBinary(groupedVectors()));
  mkdirSync(shots, { recursive: true });
  lab = await startLab({ port: 0, root: join(root, "dist"), vectors: join(tmp, "groups.bin") });
  const executablePath = ensureChromium();
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await lab?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function open(query = "", viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`http://127.0.0.1:${lab.port}/lab/${query}`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  return { page, errors };
}

async function screenshot(page: Page, name: string): Promise<void> {
  const png = await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  expect(pixelStdDev(png), `${name}.png is blank`).toBeGreaterThan(10);
}

describe("the embedding lab as static files", () => {
  it("works from the repository's lab/ folder under any static server, importing ../dist/index.js", async () => {
    const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
    const server = createServer(async (req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(/\/$/, "/index.html");
      const file = join(root, path);
      if (!file.startsWith(root + "/") || !(path.startsWith("/dist/") || path.startsWith("/lab/"))) return void res.writeHead(404).end();
      try {
        res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(await readFile(file));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/lab/?view=train`);
      await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
      await page.waitForSelector("#train-stats:has-text('step 0')", { timeout: 30_000 });
      await page.click("#train-step");
      await page.waitForFunction(() => document.body.dataset.trainStep === "1");
      await page.click("#tab-lookup");
      expect(await page.locator("nav [aria-selected=true]").allTextContents()).toEqual(["1 · Lookup and backward"]);
      expect(await page.locator("#lookup-panels .panel").count()).toBe(3);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  }, 60_000);
});

describe("the embedding lab in Chromium", () => {
  it("lookup and backward: gathered rows, dW with repeats summed, and which rows each optimizer moves", async () => {
    const { page, errors } = await open();
    // the default batch [[0, 2, 2, 1, 1]]: three rows read, row 2 twice and row 1 twice
    await expect.poll(() => page.locator("#lookup-panels .panel").count()).toBe(3);
    const notes = await page.locator("#lookup-panels .panel").nth(0).locator("td.note").allTextContents();
    expect(notes).toEqual(["read ×1", "read ×2", "read ×2", "", "", ""]);
    const dW = await page.locator("#lookup-panels .panel").nth(2).locator("tr").nth(2).locator("td:not(.note)").allTextContents();
    expect(dW).toEqual(["2.00", "2.00", "2.00", "2.00"]);

    /** Runs two steps, [[0, 2, 2, 1, 1]] then [[3]], and returns the rows that moved in the second. */
    async function secondStep(optimizer: string): Promise<string> {
      await page.selectOption("#optimizer", optimizer);
      await page.fill("#indices", "[[0, 2, 2, 1, 1]]");
      await page.click("#step");
      expect(await page.locator("#moved").getAttribute("data-rows")).toBe(optimizer === "decay" ? "0,1,2,3,4,5" : "0,1,2");
      await page.fill("#indices", "[[3]]");
      await page.click("#step");
      expect(await page.locator("#moved").getAttribute("data-grad-rows")).toBe("3");
      return (await page.locator("#moved").getAttribute("data-rows")) ?? "";
    }
    expect(await secondStep("sgd")).toBe("3");
    expect(await secondStep("sparseadam")).toBe("3");
    expect(await secondStep("adagrad")).toBe("3");
    expect(await secondStep("momentum")).toBe("0,1,2,3");
    expect(await secondStep("adam")).toBe("0,1,2,3");
    expect(await secondStep("decay")).toBe("0,1,2,3,4,5");
    await page.selectOption("#optimizer", "momentum");
    await page.click("#step");
    await page.fill("#indices", "[[3]]");
    await page.click("#step");
    expect(await page.locator("#history tbody tr").count()).toBe(2);

    // padding: row 2 is read but gets no gradient
    await page.selectOption("#padding", "2");
    await page.fill("#indices", "[[0, 2, 2, 1, 1]]");
    await page.click("#step");
    expect(await page.locator("#moved").getAttribute("data-grad-rows")).toBe("0,1");
    // a bad index shows the library's message and changes nothing
    await page.fill("#indices", "[[0, 6]]");
    await page.click("#step");
    expect(await page.locator("#lookup-error").textContent()).toBe("RangeError: Embedding.forward: index 6 at position [0, 1] is out of range [0, 5]");
    expect(await page.locator("#history tbody tr").count()).toBe(1);
    await page.fill("#indices", "[[0, 2, 2, 1, 1]]");
    await page.selectOption("#padding", "");
    await page.selectOption("#optimizer", "momentum");
    await page.click("#step");
    await page.fill("#indices", "[[3]]");
    await page.click("#step");
    await screenshot(page, "1-lookup");

    // an empty batch says what it does instead of showing nothing
    await page.fill("#indices", "[]");
    await expect.poll(() => page.locator("#lookup-note").isVisible()).toBe(true);
    expect(await page.locator("#lookup-note").textContent()).toMatch(/^The batch is empty: out has shape \[0, 4\], no row is read, dW is all zeros/);
    await page.fill("#indices", "[[0, 2, 2, 1, 1]]");
    expect(await page.locator("#lookup-note").isVisible()).toBe(false);
    // a dout of the wrong shape: the library's message
    await page.fill("#dout", "[[1, 2, 3]]");
    expect(await page.locator("#lookup-error").textContent()).toBe("RangeError: Embedding.backward: dout shape [1, 3] != output shape [1, 5, 4]");
    await page.fill("#dout", "ones");
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("lookup presets: the document's 5×5 table, the [0.99, 0.99, 0.97] update, and one-hot @ W picking the same rows", async () => {
    const { page, errors } = await open();
    // the CBOW document's 5×5 table with padding_idx 2: row 2 is read twice and gets no gradient
    await page.selectOption("#preset", "doc5");
    expect(await page.locator("#padding").inputValue()).toBe("2");
    const W = page.locator("#lookup-panels .panel").nth(0);
    expect(await W.locator("tr").nth(0).locator("td:not(.note)").allTextContents()).toEqual(["1.09", "1.75", "-1.95", "-1.01", "0.58"]);
    await page.click("#step");
    expect(await page.locator("#moved").getAttribute("data-grad-rows")).toBe("0,1");
    expect(await page.locator("#moved").getAttribute("data-rows")).toBe("0,1");
    // the four panels (W, out, dW, W after) stay on one row at 1280 px
    const tops = await page.locator("#lookup-panels .panels-row > .panel").evaluateAll((ps) => ps.map((p) => Math.round(p.getBoundingClientRect().top)));
    expect(tops.length).toBe(4);
    expect(new Set(tops).size).toBe(1);
    // one-hot(idx) @ W: a 1 in column idx of each row, the same rows of W framed, the same numbers
    await page.check("#onehot");
    const ones = await page.locator("#onehot-equation table.onehot tr").evaluateAll((trs) =>
      trs.slice(1).map((tr) => Array.from(tr.querySelectorAll("td")).findIndex((td) => td.classList.contains("one"))));
    expect(ones).toEqual([0, 2, 2, 1, 1]);
    const framed = await page.locator("#onehot-equation .w-rows tr").evaluateAll((trs) => trs.flatMap((tr, r) => (tr.classList.contains("hi") ? [r] : [])));
    expect(framed).toEqual([0, 1, 2]);
    expect(await page.locator("#onehot-note").textContent()).toMatch(/largest difference 0\b/);
    const viaMatmul = await page.locator("#onehot-equation .matmul-out td").allTextContents();
    const viaLookup = await page.locator("#lookup-panels .panels-row > .panel").nth(1).locator("td").allTextContents();
    expect(viaMatmul).toEqual(viaLookup);
    await screenshot(page, "1-lookup-onehot");
    await page.uncheck("#onehot");
    await expect.poll(() => page.locator("#onehot-equation").count()).toBe(0);

    // the document's update: gradient [0.1, 0.1, 0.3] on row 0 of a table of ones, SGD lr 0.1
    await page.selectOption("#preset", "dout");
    expect(await page.locator("#dout").inputValue()).toBe("[[0.1, 0.1, 0.3]]");
    await page.click("#step");
    const after = page.locator("#lookup-panels .panel.after tr");
    expect(await after.nth(0).locator("td:not(.note)").allTextContents()).toEqual(["0.99", "0.99", "0.97"]);
    expect(await after.nth(1).locator("td:not(.note)").allTextContents()).toEqual(["1.00", "1.00", "1.00"]);
    // and the example, batch and toggle are in the URL
    await page.check("#onehot");
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#preset=dout&onehot=1");
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("training: steps in a worker, a live loss curve, touched rows lit, the page responsive", async () => {
    const { page, errors } = await open("?view=train");
    expect(await page.locator("nav [aria-selected=true]").allTextContents()).toEqual(["2 · Training"]);
    await page.waitForFunction(() => document.body.dataset.trainStep === "0" && (window as any).embedkitLab);
    await page.waitForSelector("#train-stats:has-text('step 0')");
    // real text by default: the Wikipedia sample, words seen fewer than 5 times left out
    expect(await page.locator("#corpus-source").inputValue()).toBe("wiki");
    expect(await page.locator("#status").textContent()).toMatch(/^[\d,]+ tokens, 2,044 words: [\d,]+ \(context, target\) pairs$/);
    await page.click("#train-step");
    await page.waitForFunction(() => document.body.dataset.trainStep === "1");
    // the canvas is drawn on the next animation frame
    await expect.poll(async () => Number(await page.locator("#rows-map").getAttribute("data-touched-in"))).toBeGreaterThan(0);
    await expect.poll(async () => Number(await page.locator("#rows-map").getAttribute("data-touched-out"))).toBeGreaterThan(0);
    // play flat out for a while; the page keeps answering while the worker trains
    await page.fill("#speed", "4");
    expect(await page.locator("#speed-label").textContent()).toBe("as fast as it goes");
    await page.click("#play");
    const t0 = Date.now();
    const answered = await page.evaluate(() => new Promise<number>((ok) => {
      const s = performance.now();
      setTimeout(() => ok(performance.now() - s), 50);
    }));
    expect(answered).toBeLessThan(1000);
    await page.waitForFunction(() => Number(document.body.dataset.trainStep) > 8000, undefined, { timeout: 60_000 });
    await page.click("#pause");
    await page.waitForSelector("#pause:disabled");
    const step = Number(await page.evaluate(() => document.body.dataset.trainStep));
    await page.waitForTimeout(300);
    expect(Number(await page.evaluate(() => document.body.dataset.trainStep))).toBe(step);
    // one step after the pause is one mini-batch's loss: it joins a point of the curve instead of
    // being drawn as a point of its own (every point holds at least 1/150 of the steps)
    await page.click("#train-step");
    await page.waitForFunction((s) => document.body.dataset.trainStep === String(s + 1), step);
    await expect.poll(async () => (await page.locator("#train-stats").textContent())!.includes(`step ${(step + 1).toLocaleString("en")}`)).toBe(true);
    const perPoint = (await page.locator("#loss-line").getAttribute("data-steps"))!.split(",").map(Number);
    for (const n of perPoint) expect(n).toBeGreaterThanOrEqual(Math.ceil((step + 1) / 150));
    expect(Date.now() - t0).toBeLessThan(60_000);
    // the loss per interval has fallen well below its start, (1 + k) ln 2
    const points = (await page.locator("#loss-line").getAttribute("points"))!.trim().split(" ");
    expect(points.length).toBeGreaterThan(5);
    const stats = await page.locator("#train-stats").textContent();
    const last = Number(/loss of the last interval ([\d.]+)/.exec(stats!)![1]);
    expect(last).toBeLessThan(6 * Math.LN2 - 1);
    expect(await page.locator("#train-neighbours").textContent()).toMatch(/he → .* war → /);
    await screenshot(page, "2-training");
    // the projector follows the training live: its vectors are replaced as the steps go by
    await page.click("#play");
    await page.click("#tab-project");
    await page.selectOption("#vectors-source", "live");
    await page.waitForFunction(() => Number(document.body.dataset.liveStep) > 0, undefined, { timeout: 30_000 });
    const firstLive = Number(await page.evaluate(() => document.body.dataset.liveStep));
    await page.waitForFunction((s) => Number(document.body.dataset.liveStep) > s, firstLive, { timeout: 30_000 });
    await expect.poll(() => page.locator("#projection-info").textContent()).toMatch(/live \(step [\d,]+\): 2,044 words × 16/);
    // Wikipedia vectors are coloured by frequency, not by the demo grammar's classes
    expect(await page.locator("#color-by").inputValue()).toBe("freq");
    expect(await page.locator("#color-by option[value=class]").isDisabled()).toBe(true);
    await page.click("#tab-train");
    await page.click("#pause");
    await page.waitForSelector("#pause:disabled");
    // another optimizer starts again, with a learning rate that suits it
    await page.selectOption("#train-optimizer", "adam");
    expect(await page.locator("#train-lr").inputValue()).toBe("0.01");
    await page.waitForSelector("#train-stats:has-text('step 0')");
    await page.click("#train-step");
    await page.waitForFunction(() => document.body.dataset.trainStep === "1");
    // pasted text: one sentence per line
    await page.selectOption("#corpus-source", "text");
    await page.fill("#corpus-text", "the cat sat on the mat\nthe dog sat on the rug\nthe cat saw the dog");
    await page.click("#train-reset");
    await expect.poll(() => page.locator("#status").textContent()).toBe("17 tokens, 8 words: 17 (context, target) pairs");
    await page.click("#train-step");
    await page.waitForFunction(() => document.body.dataset.trainStep === "1");
    // the trained vectors go to the projector
    await page.click("#to-projector");
    await page.waitForFunction(() => document.body.dataset.view === "project" && document.body.dataset.projectorReady === "true");
    expect(await page.locator("#vectors-source").inputValue()).toBe("trained");
    await expect.poll(() => page.locator("#projection circle").count()).toBe(8);
    // choosing "demo" afterwards shows the demo vectors (trained on demand), not the trained ones
    await page.selectOption("#vectors-source", "demo");
    await page.waitForSelector("body[data-projector-ready=true]", { timeout: 60_000 });
    await expect.poll(() => page.locator("#projection-info").textContent(), { timeout: 60_000 }).toMatch(/^CBOW on the demo grammar: 67 words/);
    expect(await page.locator("#vectors-source").inputValue()).toBe("demo");
    await expect.poll(() => page.locator("#projection circle").count()).toBe(67);
    expect(await page.locator("#legend").textContent()).toMatch(/animals \(8\)/);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("projector: PCA with the variance kept, search and click list neighbours, t-SNE runs", async () => {
    const { page, errors } = await open("?view=project");
    await page.waitForSelector("body[data-projector-ready=true]", { timeout: 60_000 });
    await expect.poll(() => page.locator("#projection-info").textContent()).toMatch(/PCA keeps [\d.]+% \+ [\d.]+% = [\d.]+% of the variance/);
    // the picture is drawn on the next animation frame
    await expect.poll(() => page.locator("#projection circle").count()).toBeGreaterThan(40);
    await expect.poll(async () => Number(await page.locator("#projection").getAttribute("data-labels"))).toBeGreaterThan(20);
    expect(await page.locator("#legend").textContent()).toMatch(/animals \(8\)/);
    await page.fill("#search", "cat");
    await page.press("#search", "Enter");
    await expect.poll(() => page.locator("#neighbours li").count()).toBe(10);
    const near = await page.locator("#neighbours li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-word")));
    const animals = ["dog", "horse", "cow", "sheep", "mouse", "rabbit", "fox"];
    expect(near.slice(0, 5).filter((w) => animals.includes(w!)).length).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator("#projection circle[stroke='#111827']").count()).toBe(11);
    await screenshot(page, "3-projector-pca");
    // a click on a point selects its word
    const dog = await page.locator("#projection circle[r='5']").first().getAttribute("data-i");
    await page.locator("#projection circle[r='5']").first().dispatchEvent("click");
    const clicked = await page.locator("#neighbours").getAttribute("data-word");
    expect(clicked).not.toBe("cat");
    await expect.poll(() => page.locator(`#projection circle[data-i='${dog}']`).getAttribute("r")).toBe("6");
    // t-SNE
    await page.selectOption("#method", "tsne");
    await page.waitForSelector("body[data-tsne-done=true]", { timeout: 60_000 });
    await expect.poll(() => page.locator("#projection-info").textContent()).toMatch(/t-SNE \(perplexity 10\): 1000 iterations, KL\(P‖Q\) = [\d.]+/);
    // hovering a point names it
    await page.locator("#projection circle").first().dispatchEvent("mousemove");
    await expect.poll(() => page.locator("#tooltip").isVisible()).toBe(true);
    expect(await page.locator("#tooltip").textContent()).toMatch(/^\S+ · .*row \d+$/);
    await page.fill("#search", "red");
    await page.press("#search", "Enter");
    await expect.poll(() => page.locator("#neighbours").getAttribute("data-word")).toBe("red");
    await screenshot(page, "3-projector-tsne");
    // another perplexity starts t-SNE again
    await page.fill("#perplexity", "4");
    await page.locator("#perplexity").dispatchEvent("change");
    await page.waitForSelector("body[data-tsne-done=true]", { timeout: 60_000 });
    await expect.poll(() => page.locator("#projection-info").textContent()).toMatch(/t-SNE \(perplexity 4\): 1000 iterations/);
    await page.fill("#search", "zebra");
    await page.press("#search", "Enter");
    expect(await page.locator("#neighbours").textContent()).toBe("zebra is not in these vectors");
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it("projector: regex and prefix search, k, centring, isolating the neighbours, and the state in the URL", async () => {
    const { page, errors } = await open("?view=project");
    await page.waitForSelector("body[data-projector-ready=true]", { timeout: 60_000 });
    await expect.poll(() => page.locator("#projection circle").count()).toBe(67);
    // a regular expression rings every matching word
    await page.selectOption("#search-mode", "regex");
    await page.fill("#search", "^(cat|dog|red)$");
    await expect.poll(() => page.locator("#matches").getAttribute("data-count")).toBe("3");
    await expect.poll(() => page.locator("#projection circle[stroke='#db2777']").count()).toBe(3);
    // a bad one says so, on the page
    await page.fill("#search", "(");
    await expect.poll(() => page.locator("#matches").textContent()).toMatch(/^not a regular expression: /);
    // a prefix
    await page.selectOption("#search-mode", "prefix");
    await page.fill("#search", "bre");
    await expect.poll(() => page.locator("#matches").getAttribute("data-count")).toBe("1");
    await page.press("#search", "Enter");
    await expect.poll(() => page.locator("#neighbours").getAttribute("data-word")).toBe("bread");
    // k neighbours
    await page.locator("#k").fill("4");
    await expect.poll(() => page.locator("#neighbours li").count()).toBe(4);
    // centring (checked on known vectors in the file test below)
    await page.check("#centre");
    await expect.poll(() => page.locator("#query").textContent()).toMatch(/cosine of the centred vectors/);
    // isolate: only the word and its neighbours, projected on their own
    await page.check("#isolate");
    await expect.poll(() => page.locator("#projection circle").count()).toBe(5);
    expect(await page.locator("#projection-info").textContent()).toMatch(/its 4 neighbours only/);
    await screenshot(page, "3-projector-isolate");
    // the state is in the hash, and a page opened at that address comes back to it
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toBe("#view=project&q=bread&mode=prefix&search=bre&k=4&centre=1&isolate=1&colour=class");
    const again = await open(hash);
    await again.page.waitForSelector("body[data-projector-ready=true]", { timeout: 60_000 });
    await expect.poll(() => again.page.locator("#neighbours").getAttribute("data-word")).toBe("bread");
    expect(await again.page.locator("#neighbours li").count()).toBe(4);
    expect(await again.page.locator("#centre").isChecked()).toBe(true);
    await expect.poll(() => again.page.locator("#projection circle").count()).toBe(5);
    expect(again.errors).toEqual([]);
    await again.page.close();
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("fits a phone (390 px): one column, no sideways scrolling, tabs that wrap", async () => {
    const { page, errors } = await open("", { width: 390, height: 844 });
    for (const view of ["lookup", "train", "project"]) {
      await page.click(`#tab-${view}`);
      if (view === "train") await page.waitForSelector("#train-stats:has-text('step 0')", { timeout: 60_000 });
      if (view === "project") await page.waitForSelector("body[data-projector-ready=true]", { timeout: 60_000 });
      if (view === "lookup") await page.click("#step");
      if (view === "train") {
        await page.click("#train-step");
        await page.waitForFunction(() => document.body.dataset.trainStep === "1");
      }
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), view).toBeLessThanOrEqual(390);
      for (const b of await page.locator("nav button").all()) expect((await b.boundingBox())!.x + (await b.boundingBox())!.width).toBeLessThanOrEqual(390);
      await screenshot(page, `phone-${view}`);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("opens the vectors file named on the command line, and one from the file picker", async () => {
    const { page, errors } = await open(new URL(lab.url).search);
    await page.waitForSelector("body[data-projector-ready=true]", { timeout: 30_000 });
    expect(await page.locator("#vectors-source").inputValue()).toBe("file");
    await expect.poll(() => page.locator("#projection circle").count()).toBe(12);
    await page.fill("#search", "cat");
    await page.press("#search", "Enter");
    await expect.poll(() => page.locator("#neighbours li").count()).toBe(10);
    const near = await page.locator("#neighbours li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-word")));
    expect(new Set(near.slice(0, 3))).toEqual(new Set(["dog", "horse", "cow"]));
    // centring: the three groups sit on three axes, so a word of another group is at cosine 0; minus
    // the mean of the three, it is at cosine −1/2
    const farthest = async () => Number(await page.locator("#neighbours .sim").last().textContent());
    expect(Math.abs(await farthest())).toBeLessThan(0.1);
    await page.check("#centre");
    await expect.poll(farthest).toBeLessThan(-0.4);
    expect(await farthest()).toBeGreaterThan(-0.6);
    await page.uncheck("#centre");
    // the picker: a word2vec text file
    const text = "3 2\nup 0 1\ndown 0 -1\nleft -1 0\n";
    await page.setInputFiles("#vectors-file", { name: "arrows.txt", mimeType: "text/plain", buffer: Buffer.from(text) });
    await expect.poll(() => page.locator("#projection circle").count()).toBe(3);
    expect(await page.locator("#status").textContent()).toBe("opened arrows.txt: 3 words × 2");
    await page.fill("#search", "up");
    await page.press("#search", "Enter");
    await expect.poll(() => page.locator("#neighbours li").count()).toBe(2);
    await screenshot(page, "3-projector-file");
    // metadata in the Embedding Projector's format: a header, then one row per vector
    await page.setInputFiles("#meta-file", { name: "arrows.tsv", mimeType: "text/tab-separated-values", buffer: Buffer.from("word\taxis\nup\tvertical\ndown\tvertical\nleft\thorizontal\n") });
    await expect.poll(() => page.locator("#legend").textContent()).toBe("vertical (2)horizontal (1)");
    expect(await page.locator("#color-by").inputValue()).toBe("meta");
    expect(await page.locator("#meta-column").inputValue()).toBe("1");
    await page.setInputFiles("#meta-file", { name: "short.tsv", mimeType: "text/tab-separated-values", buffer: Buffer.from("word\taxis\nup\tvertical\n") });
    await expect.poll(() => page.locator("#status").textContent()).toBe("opening short.tsv: short.tsv: 1 rows of metadata after the header for 3 vectors (one row per vector, in their order)");
    // a malformed file: the parser's message, naming the file and line
    await page.setInputFiles("#vectors-file", { name: "bad.txt", mimeType: "text/plain", buffer: Buffer.from("2 2\nup 0 1\ndown 0\n") });
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/^opening bad\.txt: .*bad\.txt.*line 3/);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
