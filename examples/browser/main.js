// Runs in any modern browser, straight from the built package.
import {
  DEMO_CLASSES, Embedding, encodeCorpus, generateDemoCorpus, KeyedVectors, pca, SGD, Tensor, trainCBOW,
} from "../../dist/index.js";

const result = { ok: false };

const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#b07aa1", "#edc948", "#ff9da7", "#9c755f"];
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
let measure = null;
const textWidth = (s) => {
  measure ??= document.createElement("canvas").getContext("2d");
  measure.font = "12px system-ui, sans-serif";
  return measure.measureText(s).width;
};

/**
 * An SVG scatter plot with equal scales on both axes (a circle stays round), optional circles
 * `{ x, y, r }`, a legend, and labels placed where they overlap neither another label nor a point;
 * a label that finds no free place is left out (its point's tooltip still names it).
 * `points`: `{ x, y, label, group, hollow }`; `groups`: `[{ name, color }]`.
 */
function scatter(points, { groups, circles = [], caption, xLabel = "", yLabel = "" }) {
  const W = 620, H = 480, L = 46, R = 170, T = 14, B = 40;
  const fw = W - L - R, fh = H - T - B;
  const xs = [...points.map((p) => p.x), ...circles.flatMap((c) => [c.x - c.r, c.x + c.r])];
  const ys = [...points.map((p) => p.y), ...circles.flatMap((c) => [c.y - c.r, c.y + c.r])];
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const unit = Math.max((x1 - x0) / fw, (y1 - y0) / fh) * 1.1 || 1; // data units per pixel, both axes
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const px = (x) => L + fw / 2 + (x - cx) / unit;
  const py = (y) => T + fh / 2 - (y - cy) / unit;
  const colorOf = new Map(groups.map((g) => [g.key ?? g.name, g.color]));
  let svg = `<rect x="${L}" y="${T}" width="${fw}" height="${fh}" fill="#fff" stroke="#ddd"/>`;
  // one tick step on both axes
  const raw = (Math.max(fw, fh) * unit) / 6;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw);
  for (let v = Math.ceil((cx - (fw / 2) * unit) / step) * step; px(v) <= L + fw; v += step) {
    svg += `<line x1="${px(v)}" x2="${px(v)}" y1="${T}" y2="${T + fh}" stroke="#f1f1f1"/><text x="${px(v)}" y="${T + fh + 14}" font-size="10" fill="#999" text-anchor="middle">${+v.toPrecision(6)}</text>`;
  }
  for (let v = Math.ceil((cy - (fh / 2) * unit) / step) * step; py(v) >= T; v += step) {
    svg += `<line x1="${L}" x2="${L + fw}" y1="${py(v)}" y2="${py(v)}" stroke="#f1f1f1"/><text x="${L - 5}" y="${py(v) + 3}" font-size="10" fill="#999" text-anchor="end">${+v.toPrecision(6)}</text>`;
  }
  svg += `<text x="${L + fw / 2}" y="${H - 6}" font-size="12" fill="#444" text-anchor="middle">${esc(xLabel)}</text>`;
  svg += `<text x="13" y="${T + fh / 2}" font-size="12" fill="#444" text-anchor="middle" transform="rotate(-90 13 ${T + fh / 2})">${esc(yLabel)}</text>`;
  for (const c of circles) {
    svg += `<circle cx="${px(c.x)}" cy="${py(c.y)}" r="${c.r / unit}" fill="none" stroke="#9ca3af" stroke-dasharray="5 4"/>`;
    if (c.label) svg += `<text x="${px(c.x) + (c.r / unit) * 0.72 + 4}" y="${py(c.y) - (c.r / unit) * 0.72 - 4}" font-size="11" fill="#6b7280">${esc(c.label)}</text>`;
  }
  const boxes = points.map((p) => ({ x: px(p.x) - 5, y: py(p.y) - 5, w: 10, h: 10 }));
  for (const p of points) {
    const color = colorOf.get(p.group) ?? "#888";
    const fill = p.hollow ? `fill="#fff" stroke="${color}" stroke-width="2"` : `fill="${color}" stroke="#fff" stroke-width="1"`;
    svg += `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="4.5" ${fill}><title>${esc(p.label ?? "")}</title></circle>`;
  }
  const taken = [];
  const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  let shown = 0, labelled = 0;
  for (const p of points) {
    if (!p.label || p.hollow) continue;
    labelled++;
    // h: the whole box of a 12 px line (ascent and descent), as the browser lays the text out
    const X = px(p.x), Y = py(p.y), w = textWidth(p.label) + 2, h = 16;
    const near = [[7, -h / 2], [-7 - w, -h / 2], [-w / 2, -7 - h], [-w / 2, 7], [5, -5 - h], [5, 5], [-5 - w, -5 - h], [-5 - w, 5]]
      .map(([dx, dy]) => ({ x: X + dx, y: Y + dy, w, h }));
    // further out on a leader line, when the neighbourhood is crowded
    const far = [22, 36, 52, 70].flatMap((r) => Array.from({ length: 16 }, (_, a) => {
      const t = (a * Math.PI) / 8 + r / 40;
      const ex = X + r * Math.cos(t), ey = Y + r * Math.sin(t);
      return { x: Math.cos(t) >= 0 ? ex : ex - w, y: ey - h / 2, w, h, lead: [ex, ey] };
    }));
    const best = [...near, ...far]
      .find((b) => b.x >= L && b.x + b.w <= L + fw && b.y >= T && b.y + b.h <= T + fh && !taken.some((t) => overlaps(b, t)) && !boxes.some((q) => overlaps(b, q)));
    if (!best) continue;
    taken.push(best);
    shown++;
    if (best.lead) svg += `<line x1="${X.toFixed(1)}" y1="${Y.toFixed(1)}" x2="${best.lead[0].toFixed(1)}" y2="${best.lead[1].toFixed(1)}" stroke="#bbb" stroke-width="0.8"/>`;
    svg += `<text x="${(best.x + 1).toFixed(1)}" y="${(best.y + h - 4).toFixed(1)}" font-size="12" fill="#222">${esc(p.label)}</text>`;
  }
  const legend = groups.map((g, i) => {
    const y = T + 8 + i * 20;
    const dot = g.hollow ? `fill="#fff" stroke="${g.color}" stroke-width="2"` : `fill="${g.color}"`;
    return `<circle cx="${L + fw + 20}" cy="${y + 6}" r="5" ${dot}/><text x="${L + fw + 32}" y="${y + 10}" font-size="12" fill="#333">${esc(g.name)}</text>`;
  }).join("");
  const hidden = labelled - shown;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" data-labels="${shown}">` +
    `${svg}${legend}</svg><figcaption>${caption}${hidden > 0 ? ` ${hidden} label${hidden === 1 ? "" : "s"} left out where they would overprint (hover a point for its word).` : ""}</figcaption>`;
}

function trainSgd() {
  const V = 6;
  const emb = new Embedding(V, 2, { seed: 3 });
  const start = Array.from({ length: V }, (_, r) => Array.from(emb.weight.row(r)));
  const targets = Array.from({ length: V }, (_, i) => [Math.cos((2 * Math.PI * i) / V), Math.sin((2 * Math.PI * i) / V)]);
  const opt = new SGD(emb.params, { lr: 0.3 });
  const losses = [];
  for (let step = 0; step < 60; step++) {
    const idx = [step % V, (step * 5 + 1) % V, (step * 7 + 2) % V];
    const out = emb.forward(idx);
    // loss = ½ Σ (out − target)²  →  dout = out − target
    const dout = Tensor.zeros(out.shape);
    let loss = 0;
    idx.forEach((r, i) => {
      for (let j = 0; j < 2; j++) {
        const d = out.data[i * 2 + j] - targets[r][j];
        dout.data[i * 2 + j] = d;
        loss += 0.5 * d * d;
      }
    });
    losses.push(loss);
    opt.zeroGrad();
    emb.backward(dout);
    opt.step();
  }
  const rows = Array.from({ length: V }, (_, r) => Array.from(emb.weight.row(r)));
  const points = [
    ...start.map(([x, y], r) => ({ x, y, label: `row ${r}`, group: "start", hollow: true })),
    ...targets.map(([x, y], r) => ({ x, y, label: `target ${r}`, group: "target", hollow: true })),
    ...rows.map(([x, y], r) => ({ x, y, label: `row ${r}`, group: "after 60 steps" })),
  ];
  document.getElementById("sgd-figure").innerHTML = scatter(points, {
    groups: [
      { key: "start", name: "row at the start", color: "#9ca3af", hollow: true },
      { key: "target", name: "its target", color: "#e15759", hollow: true },
      { key: "after 60 steps", name: "row after 60 steps", color: "#1f77b4" },
    ],
    circles: [{ x: 0, y: 0, r: 1, label: "unit circle" }],
    caption: "The table's six rows, W[r] = (x, y), pulled by 60 SGD steps from their random start (grey) onto their targets on the unit circle, which they now cover (equal scales on both axes).",
    xLabel: "W[r, 0]",
    yLabel: "W[r, 1]",
  });
  document.getElementById("sgd-log").textContent =
    `loss at step 1: ${losses[0].toFixed(4)}\nloss at step 60: ${losses.at(-1).toFixed(6)}\nW =\n${emb.weight}`;
  return { firstLoss: losses[0], lastLoss: losses.at(-1) };
}

function trainWordVectors() {
  const start = performance.now();
  const corpus = encodeCorpus(generateDemoCorpus({ sentences: 3000, seed: 1 }), { minCount: 1 });
  // no subsampling: on a corpus this small it would drop many of the words that place the classes
  const { vocab, vectors, stats } = trainCBOW(corpus, { dim: 32, window: 2, epochs: 10, sample: 0, seed: 1 });
  const kv = new KeyedVectors(vocab.words, vectors);
  const seconds = (performance.now() - start) / 1000;
  const classes = Object.entries(DEMO_CLASSES);
  const classOf = new Map(classes.flatMap(([name, words]) => words.map((w) => [w, name])));
  const words = classes.flatMap(([, ws]) => ws.filter((w) => kv.has(w)));
  let same = 0, total = 0;
  for (const w of words) {
    for (const { word } of kv.mostSimilar(w, 3)) {
      total++;
      if (classOf.get(word) === classOf.get(w)) same++;
    }
  }
  // the library's PCA: the top two components, and how much of the variance they keep
  const X = Tensor.from(words.map((w) => Array.from(kv.get(w))));
  const { projected, varianceRatio } = pca(X, 2);
  const points = words.map((w, i) => ({ x: projected.data[2 * i], y: projected.data[2 * i + 1], label: w, group: classOf.get(w) }));
  const [v1, v2] = varianceRatio.map((r) => (100 * r).toFixed(1));
  document.getElementById("cbow-figure").innerHTML = scatter(points, {
    groups: classes.map(([name], i) => ({ name, color: PALETTE[i % PALETTE.length] })),
    caption: `The demo grammar's ${words.length} class words after CBOW training, projected by PCA (equal scales on both axes): ` +
      `the two components keep ${v1}% + ${v2}% of the variance. Colours are the word classes.`,
    xLabel: `PC1 (${v1}% of the variance)`,
    yLabel: `PC2 (${v2}%)`,
  });
  const purity = same / total;
  document.getElementById("cbow-log").textContent =
    `${corpus.ids.length} tokens, ${vocab.words.length} words, trained in ${seconds.toFixed(2)} s\n` +
    `nearest neighbours of the same class: ${(100 * purity).toFixed(0)}%\n` +
    `cat → ${kv.mostSimilar("cat", 3).map((n) => n.word).join(", ")}`;
  return { purity, words: words.length, loss: stats.loss };
}

try {
  result.sgd = trainSgd();
  result.cbow = trainWordVectors();
  result.ok = result.sgd.lastLoss < result.sgd.firstLoss / 100 && result.cbow.purity > 0.5;
  document.getElementById("status").textContent = result.ok ? "done" : "training did not converge";
} catch (e) {
  result.error = String(e && e.stack || e);
  document.getElementById("status").textContent = `error: ${e}`;
}
window.embedkitResult = result;
document.body.dataset.done = "true";
