// The embedding lab: three views over the library's public API, no dependencies, no bundler.
import {
  Adagrad, Adam, DEMO_CLASSES, decodeWord2Vec, Embedding, KeyedVectors, pca, SGD, SparseAdam, Tensor,
} from "./embedkit.js";

const $ = (id) => document.getElementById(id);
const lab = { errors: [] };
window.embedkitLab = lab;

function showError(where, e) {
  const message = String(e && e.message ? e.message : e);
  lab.errors.push(`${where}: ${message}`);
  const s = $("status");
  s.textContent = `${where}: ${message}`;
  s.className = "error";
}
function status(text) {
  const s = $("status");
  s.textContent = text;
  s.className = "";
}
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (x, d = 2) => (Object.is(x, -0) ? 0 : x).toFixed(d).replace(/^-(0\.0+)$/, "$1");

// ---------------------------------------------------------------------------------------------
// One diverging colour scale (ColorBrewer RdBu, reversed: negative blue, positive red), shared by
// every heat map on a view so that a value has the same colour in every panel.
const STOPS = [[33, 102, 172], [103, 169, 207], [247, 247, 247], [239, 138, 98], [178, 24, 43]];
function colour(v, max) {
  const t = Math.max(-1, Math.min(1, max > 0 ? v / max : 0));
  const x = (t + 1) * 2; // 0..4
  const i = Math.min(3, Math.floor(x));
  const f = x - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  return `rgb(${a.map((c, k) => Math.round(c + f * (b[k] - c))).join(",")})`;
}
const inkOn = (v, max) => (Math.abs(v) > 0.62 * max ? "#fff" : "#111827");
function colourBar(el, max, label) {
  const stops = STOPS.map((c) => `rgb(${c.join(",")})`).join(", ");
  const digits = max >= 0.995 ? 2 : Math.min(4, 1 - Math.floor(Math.log10(max || 1)));
  const ticks = [-max, -max / 2, 0, max / 2, max].map((t) => `<span>${fmt(t, digits)}</span>`).join("");
  el.innerHTML = `<span>${esc(label)}</span><div><div class="bar" style="background: linear-gradient(to right, ${stops})"></div>` +
    `<div class="ticks">${ticks}</div></div>`;
}

// ---------------------------------------------------------------------------------------------
// Tabs
const views = ["lookup", "train", "project"];
const shown = new Set();
function showView(name) {
  for (const v of views) {
    $(`view-${v}`).hidden = v !== name;
    document.querySelector(`nav button[data-view="${v}"]`).setAttribute("aria-selected", String(v === name));
  }
  document.body.dataset.view = name;
  if (!shown.has(name)) {
    shown.add(name);
    if (name === "train") startTraining();
    if (name === "project") startProjector();
  }
}
for (const b of document.querySelectorAll("nav button")) b.addEventListener("click", () => showView(b.dataset.view));

// =============================================================================================
// 1. Lookup and backward
const V = 6, H = 4;
const RULES = {
  sgd: "SGD: p −= lr · g. Only rows with gradient move; every other row is skipped.",
  momentum: "SGD with momentum: buf = 0.9 · buf + g; p −= lr · buf. A row keeps moving after its gradient stops, while its buffer decays: every row that ever had gradient moves.",
  decay: "SGD with weight decay: g += 0.1 · p before the step. Every non-zero row shrinks towards 0 at every step, used or not.",
  adam: "Adam: m = β₁m + (1−β₁)g, v = β₂v + (1−β₂)g², p −= lr · m̂ / (√v̂ + ε). Like momentum, every row that ever had gradient keeps moving.",
  sparseadam: "SparseAdam (lazy Adam, with sparse: true): only the rows in this step's gradient move, and only their moments are updated.",
  adagrad: "Adagrad: s += g²; p −= lr · g / (√s + ε). Only rows with gradient move.",
};
const lk = { emb: null, opt: null, step: 0, history: [], last: null };

for (let r = 0; r < V; r++) $("padding").insertAdjacentHTML("beforeend", `<option value="${r}">${r}</option>`);

function makeOptimizer(kind, params, lr) {
  switch (kind) {
    case "sgd": return new SGD(params, { lr });
    case "momentum": return new SGD(params, { lr, momentum: 0.9 });
    case "decay": return new SGD(params, { lr, weightDecay: 0.1 });
    case "adam": return new Adam(params, { lr });
    case "sparseadam": return new SparseAdam(params, { lr });
    case "adagrad": return new Adagrad(params, { lr });
  }
  throw new Error(`unknown optimizer ${kind}`);
}

function resetLookup() {
  const kind = $("optimizer").value;
  const pad = $("padding").value;
  const lr = Number($("lr").value);
  try {
    lk.emb = new Embedding(V, H, { seed: 1, paddingIdx: pad === "" ? undefined : Number(pad), sparse: kind === "sparseadam" });
    lk.opt = makeOptimizer(kind, lk.emb.params, lr);
  } catch (e) {
    return lookupError(e);
  }
  lk.step = 0;
  lk.history = [];
  lk.last = null;
  $("optimizer-rule").textContent = RULES[kind];
  $("moved").textContent = "Press Step: forward, backward with dout = ones, then one optimizer step. " +
    "Then change the batch to [[3]] and step again: which rows move now?";
  delete $("moved").dataset.rows;
  renderHistory();
  preview();
}

function parseIndices() {
  const text = $("indices").value;
  try {
    return JSON.parse(text);
  } catch {
    throw new SyntaxError(`the index batch ${JSON.stringify(text)} is not a JSON array, e.g. [[0, 2, 2, 1, 1]]`);
  }
}

function lookupError(e) {
  const el = $("lookup-error");
  el.hidden = e === null;
  el.textContent = e === null ? "" : `${e.constructor?.name ?? "Error"}: ${e.message}`;
}

/** Forward and backward for the current index batch, without a step: what the next step will use. */
function preview() {
  let idx, out, grad;
  try {
    idx = parseIndices();
    out = lk.emb.forward(idx);
    lk.emb.weight.zeroGrad(); // backward adds to the gradient: show this batch's alone
    lk.emb.backward(Tensor.ones(out.shape));
    grad = denseGrad();
    lookupError(null);
  } catch (e) {
    lookupError(e);
    return;
  }
  renderLookup(idx, out, grad, null);
}

function denseGrad() {
  const g = lk.emb.weight.grad;
  if (g === null) return Tensor.zeros([V, H]);
  return g instanceof Tensor ? g.clone() : g.toDense();
}

function doStep() {
  let idx, out, grad;
  const before = lk.emb.weight.clone();
  try {
    idx = parseIndices();
    out = lk.emb.forward(idx);
    lk.opt.zeroGrad(); // the preview's backward is not part of this step
    lk.emb.backward(Tensor.ones(out.shape));
    grad = denseGrad();
    lk.opt.step();
    lookupError(null);
  } catch (e) {
    lookupError(e);
    return;
  }
  lk.step++;
  const after = lk.emb.weight;
  const moved = [], withGrad = [];
  for (let r = 0; r < V; r++) {
    let m = false, g = false;
    for (let j = 0; j < H; j++) {
      if (after.data[r * H + j] !== before.data[r * H + j]) m = true;
      if (grad.data[r * H + j] !== 0) g = true;
    }
    if (m) moved.push(r);
    if (g) withGrad.push(r);
  }
  lk.last = { before, moved, withGrad };
  lk.history.push({ step: lk.step, idx: JSON.stringify(idx), withGrad, moved });
  const el = $("moved");
  el.dataset.rows = moved.join(",");
  el.dataset.gradRows = withGrad.join(",");
  const extra = moved.filter((r) => !withGrad.includes(r));
  const list = (rows) => (rows.length === 0 ? "none" : rows.join(", "));
  el.innerHTML = `Step ${lk.step}: rows with gradient <b>${list(withGrad)}</b>; rows that moved <b>${list(moved)}</b>` +
    (extra.length > 0 ? ` — rows ${extra.join(", ")} moved without gradient in this step (${$("optimizer").value === "decay" ? "weight decay" : "the optimizer's state from earlier steps"}).` : ".");
  renderHistory();
  renderLookup(idx, out, grad, { before, after, moved });
}

function renderHistory() {
  const list = (rows) => (rows.length === 0 ? "none" : rows.join(", "));
  $("history").tBodies[0].innerHTML = lk.history.map((h) =>
    `<tr><td>${h.step}</td><td>${esc(h.idx)}</td><td>${list(h.withGrad)}</td><td>${list(h.moved)}</td></tr>`).join("");
}

/** A heat-map table; rows[r] = { label, values, hi, note, pad }. */
function heatTable(title, rows, max) {
  const body = rows.map((r) => `<tr class="${r.hi ? "hi" : ""} ${r.pad ? "pad" : ""}"><th>${esc(r.label)}</th>` +
    Array.from(r.values, (v) => `<td style="background:${colour(v, max)};color:${inkOn(v, max)}">${fmt(v)}</td>`).join("") +
    `<td class="note">${esc(r.note ?? "")}</td></tr>`).join("");
  return `<div class="panel"><h3>${title}</h3><table class="heat">${body}</table></div>`;
}

function renderLookup(idx, out, grad, stepped) {
  const flat = out.data;
  const N = flat.length / H;
  const used = new Array(V).fill(0);
  const positions = [];
  const walk = (a, path) => {
    if (Array.isArray(a)) a.forEach((x, i) => walk(x, [...path, i]));
    else positions.push({ path, row: a });
  };
  walk(idx, []);
  for (const p of positions) used[p.row]++;
  const pad = lk.emb.paddingIdx;
  const W = stepped ? stepped.before : lk.emb.weight;
  let max = 0;
  for (const t of [W, out, grad, ...(stepped ? [stepped.after] : [])]) for (const v of t.data) max = Math.max(max, Math.abs(v));
  const row = (t, r) => t.data.subarray(r * H, (r + 1) * H);
  const wRows = Array.from({ length: V }, (_, r) => ({
    label: `row ${r}`, values: row(W, r), hi: used[r] > 0, pad: r === pad,
    note: used[r] > 0 ? `read ×${used[r]}` : r === pad ? "padding" : "",
  }));
  const outRows = positions.slice(0, N).map((p, i) => ({
    label: `idx[${p.path.join("][")}] = ${p.row}`, values: flat.subarray(i * H, (i + 1) * H), hi: false,
  }));
  const gRows = Array.from({ length: V }, (_, r) => ({
    label: `row ${r}`, values: row(grad, r), hi: used[r] > 0 && r !== pad, pad: r === pad,
    note: r === pad && used[r] > 0 ? `used ×${used[r]}, skipped (padding)` : used[r] > 1 ? `${used[r]} uses summed` : used[r] === 1 ? "1 use" : "",
  }));
  let html = heatTable(`W <small>[${V}, ${H}]${stepped ? ` before step ${lk.step}` : ""}</small>`, wRows, max) +
    heatTable(`out = W[idx] <small>[${out.shape.join(", ")}]</small>`, outRows, max) +
    heatTable(`dW after backward <small>dout = ones</small>`, gRows, max);
  if (stepped) {
    const aRows = Array.from({ length: V }, (_, r) => {
      const a = row(stepped.after, r), b = row(stepped.before, r);
      let d = 0;
      for (let j = 0; j < H; j++) d = Math.max(d, Math.abs(a[j] - b[j]));
      return { label: `row ${r}`, values: a, hi: stepped.moved.includes(r), note: d > 0 ? `moved, max |Δ| ${d.toPrecision(2)}` : "did not move" };
    });
    html += heatTable(`W after step ${lk.step} <small>${esc($("optimizer").selectedOptions[0].textContent)}</small>`, aRows, max);
  }
  $("lookup-panels").innerHTML = html;
  colourBar($("colorbar"), max, "one colour scale for every panel:");
}

$("step").addEventListener("click", doStep);
$("reset").addEventListener("click", resetLookup);
for (const id of ["optimizer", "padding", "lr"]) $(id).addEventListener("change", resetLookup);
$("indices").addEventListener("input", preview);
$("indices").addEventListener("keydown", (e) => e.key === "Enter" && doStep());

// =============================================================================================
// 2. Training (in a worker)
const SPEEDS = [1, 10, 100, 1000, Infinity];
const tr = { worker: null, words: [], shown: 0, dim: 0, losses: [], means: [], startLoss: 0, max: 0.5, latest: null, ready: false, text: null };

function trainWorker() {
  if (tr.worker) return tr.worker;
  tr.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  tr.worker.onmessage = (e) => onTrainMessage(e.data);
  tr.worker.onerror = (e) => showError("training worker", e.message ?? e);
  return tr.worker;
}

function startTraining() {
  const num = (id) => Number($(id).value);
  const text = $("corpus-source").value === "text" ? $("corpus-text").value : null;
  if (text !== null && text.trim() === "") return showError("training", "the text box is empty: paste or open a text first");
  tr.ready = false;
  tr.losses = [];
  tr.means = [];
  tr.max = 0; // the first picture is scaled to the initial weights (uniform in ±1/H)
  document.body.dataset.trainStep = "0";
  setPlaying(false);
  status("building the corpus…");
  trainWorker().postMessage({
    type: "init", text, dim: num("dim"), window: num("window"), negatives: num("negatives"), batch: num("batch"), lr: num("train-lr"),
    speed: SPEEDS[num("speed")],
  });
}

function setPlaying(on) {
  $("play").disabled = on;
  $("pause").disabled = !on;
  $("train-step").disabled = on;
}

function onTrainMessage(m) {
  if (m.type === "error") return showError("training", m.message);
  if (m.type === "ready") {
    Object.assign(tr, { words: m.words, shown: m.shown, dim: m.dim, startLoss: m.startLoss, ready: true });
    status(`${m.tokens.toLocaleString("en")} tokens, ${m.V.toLocaleString("en")} words: ${m.pairs.toLocaleString("en")} (context, target) pairs`);
    return;
  }
  if (m.type === "progress") {
    tr.latest = m;
    if (m.intervalSteps > 0) {
      tr.lastInterval = { loss: m.intervalLoss, steps: m.intervalSteps };
      tr.losses.push([m.step, m.intervalLoss]);
      tr.means.push([m.step, m.meanLoss]);
      if (tr.losses.length > 1500) {
        tr.losses = tr.losses.filter((_, i) => i % 2 === 0);
        tr.means = tr.means.filter((_, i) => i % 2 === 0);
      }
    }
    document.body.dataset.trainStep = String(m.step);
    setPlaying(m.playing);
    requestDraw();
    return;
  }
  if (m.type === "vectors") {
    setVectors("trained", m.words, m.dim, m.data, "the Training view's W_in");
    showView("project");
  }
}

let drawPending = false;
function requestDraw() {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    drawTraining();
  });
}

function drawTraining() {
  const m = tr.latest;
  if (!m) return;
  const epoch = m.epoch.toFixed(2);
  $("train-stats").textContent = m.step === 0
    ? `step 0: nothing trained yet; the loss will start near (1 + k)·ln 2 = ${tr.startLoss.toFixed(2)}`
    : `step ${m.step.toLocaleString("en")} · epoch ${epoch} · loss of the last interval ${tr.lastInterval.loss.toFixed(3)}` +
      ` (${tr.lastInterval.steps} step${tr.lastInterval.steps === 1 ? "" : "s"}) · running mean ${m.meanLoss.toFixed(3)} · ${Math.round(m.examples / Math.max(m.seconds, 1e-3)).toLocaleString("en")} examples/s`;
  if (m.neighbours) {
    $("train-neighbours").innerHTML = m.neighbours.length === 0 ? "" : "nearest neighbours now: " +
      m.neighbours.map((n) => `<b>${esc(n.word)}</b> → ${n.near.map(esc).join(", ")}`).join(" · ");
  }
  drawLoss();
  drawRows(m);
}

function drawLoss() {
  const svg = $("loss-plot");
  const Wd = +svg.getAttribute("width"), Ht = +svg.getAttribute("height");
  const L = 48, R = 12, T = 14, B = 36;
  const pts = tr.losses;
  const xmax = Math.max(10, pts.length ? pts[pts.length - 1][0] : 10);
  const ymax = Math.max(tr.startLoss * 1.08, ...pts.map((p) => p[1]).filter(Number.isFinite));
  const px = (x) => L + (x / xmax) * (Wd - L - R);
  const py = (y) => T + (1 - y / ymax) * (Ht - T - B);
  let g = `<rect x="${L}" y="${T}" width="${Wd - L - R}" height="${Ht - T - B}" fill="#fff" stroke="#e5e7eb"/>`;
  for (const y of niceTicks(0, ymax, 5)) {
    g += `<line x1="${L}" x2="${Wd - R}" y1="${py(y)}" y2="${py(y)}" stroke="#f1f5f9"/><text x="${L - 6}" y="${py(y) + 4}" text-anchor="end" font-size="11" fill="#6b7280">${y}</text>`;
  }
  for (const x of niceTicks(0, xmax, 6)) {
    g += `<text x="${px(x)}" y="${Ht - B + 15}" text-anchor="middle" font-size="11" fill="#6b7280">${x.toLocaleString("en")}</text>`;
  }
  g += `<text x="${(L + Wd - R) / 2}" y="${Ht - 4}" text-anchor="middle" font-size="12" fill="#374151">step (mini-batches)</text>`;
  g += `<text x="12" y="${(T + Ht - B) / 2}" text-anchor="middle" font-size="12" fill="#374151" transform="rotate(-90 12 ${(T + Ht - B) / 2})">loss</text>`;
  const y0 = py(tr.startLoss);
  g += `<line x1="${L}" x2="${Wd - R}" y1="${y0}" y2="${y0}" stroke="#9ca3af" stroke-dasharray="2 3"/>` +
    `<text x="${Wd - R - 4}" y="${y0 - 4}" text-anchor="end" font-size="11" fill="#6b7280">(1 + k)·ln 2 = ${tr.startLoss.toFixed(2)}</text>`;
  const line = (p) => p.filter((q) => Number.isFinite(q[1])).map((q) => `${px(q[0]).toFixed(1)},${py(q[1]).toFixed(1)}`).join(" ");
  g += `<polyline points="${line(tr.means)}" fill="none" stroke="#9ca3af" stroke-width="1.5" stroke-dasharray="6 4"/>`;
  g += `<polyline id="loss-line" points="${line(pts)}" fill="none" stroke="#2563eb" stroke-width="1.6"/>`;
  const lx = Wd - R - 210, ly = T + 34;
  g += `<g font-size="11"><rect x="${lx - 6}" y="${ly - 12}" width="206" height="38" fill="#fff" fill-opacity="0.85"/>` +
    `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="#2563eb" stroke-width="2"/><text x="${lx + 30}" y="${ly + 4}">loss per interval</text>` +
    `<line x1="${lx}" x2="${lx + 24}" y1="${ly + 16}" y2="${ly + 16}" stroke="#9ca3af" stroke-width="2" stroke-dasharray="6 4"/><text x="${lx + 30}" y="${ly + 20}">running mean since the start</text></g>`;
  svg.innerHTML = g;
}

function niceTicks(lo, hi, count) {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toPrecision(10)));
  return out;
}

function drawRows(m) {
  const canvas = $("rows-map");
  const ctx = canvas.getContext("2d");
  const n = tr.shown, Hd = tr.dim;
  const cols = n > 40 ? 2 : 1;
  const perCol = Math.ceil(n / cols);
  const rowH = Math.max(6, Math.min(14, Math.floor(400 / perCol)));
  canvas.height = perCol * rowH + 8;
  const labelW = 64;
  const colW = Math.floor((canvas.width - 8) / cols);
  const cellW = Math.max(1, Math.floor((colW - labelW - 22) / Hd));
  let max = 0;
  for (const v of m.rows) max = Math.max(max, Math.abs(v));
  max = tr.max = Math.max(tr.max * 0.98, max, 1e-3);
  const inSet = new Set(m.touchedIn), outSet = new Set(m.touchedOut);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = `${Math.min(11, rowH)}px system-ui, sans-serif`;
  ctx.textBaseline = "middle";
  for (let r = 0; r < n; r++) {
    const c = Math.floor(r / perCol), k = r % perCol;
    const x0 = 4 + c * colW, y0 = 4 + k * rowH;
    if (inSet.has(r)) {
      ctx.fillStyle = "#facc15";
      ctx.fillRect(x0, y0, labelW + Hd * cellW + 4, rowH);
    }
    ctx.fillStyle = inSet.has(r) ? "#111827" : "#4b5563";
    ctx.textAlign = "right";
    ctx.fillText(tr.words[r], x0 + labelW - 4, y0 + rowH / 2);
    for (let j = 0; j < Hd; j++) {
      const v = m.rows[r * Hd + j];
      ctx.fillStyle = colour(v, max);
      ctx.fillRect(x0 + labelW + j * cellW, y0 + 1, cellW - (cellW > 3 ? 1 : 0), rowH - 2);
    }
    if (outSet.has(r)) {
      ctx.fillStyle = "#2563eb";
      ctx.beginPath();
      ctx.arc(x0 + labelW + Hd * cellW + 10, y0 + rowH / 2, Math.min(4, rowH / 2 - 1), 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  colourBar($("rows-colorbar"), max, "W_in:");
  canvas.dataset.touchedIn = String(m.touchedIn.length);
  canvas.dataset.touchedOut = String(m.touchedOut.length);
}

$("play").addEventListener("click", () => trainWorker().postMessage({ type: "play", speed: SPEEDS[Number($("speed").value)] }));
$("pause").addEventListener("click", () => trainWorker().postMessage({ type: "pause" }));
$("train-step").addEventListener("click", () => trainWorker().postMessage({ type: "step", count: 1 }));
$("train-reset").addEventListener("click", startTraining);
$("to-projector").addEventListener("click", () => trainWorker().postMessage({ type: "vectors" }));
function speedLabel() {
  const s = SPEEDS[Number($("speed").value)];
  $("speed-label").textContent = s === Infinity ? "as fast as it goes" : `${s} step${s === 1 ? "" : "s"}/s`;
}
$("speed").addEventListener("input", () => {
  speedLabel();
  if (tr.worker) tr.worker.postMessage({ type: "speed", speed: SPEEDS[Number($("speed").value)] });
});
speedLabel();
$("corpus-source").addEventListener("change", () => {
  $("corpus-text").hidden = $("corpus-source").value !== "text";
  if ($("corpus-source").value === "demo" || $("corpus-text").value.trim() !== "") startTraining();
});
$("open-text").addEventListener("click", () => $("text-file").click());
$("text-file").addEventListener("change", async () => {
  const f = $("text-file").files[0];
  if (!f) return;
  $("corpus-text").value = await f.text();
  $("corpus-source").value = "text";
  $("corpus-text").hidden = false;
  startTraining();
});
for (const id of ["dim", "window", "negatives", "batch", "train-lr"]) $(id).addEventListener("change", () => shown.has("train") && startTraining());

// =============================================================================================
// 3. Projector
const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#b07aa1", "#edc948", "#ff9da7", "#9c755f"];
const OTHER = "#b8bcc4";
const classOf = new Map(Object.entries(DEMO_CLASSES).flatMap(([name, ws]) => ws.map((w) => [w, name])));
const TSNE_MAX = 2500;
const pj = {
  worker: null, sources: {}, source: null, kv: null, n: 0, idx: [], xy: null, method: "pca", variance: null,
  selected: null, neighbours: [], tsneId: 0, tsneState: "", measure: null,
};

function projWorker() {
  if (pj.worker) return pj.worker;
  pj.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  pj.worker.onmessage = (e) => onProjMessage(e.data);
  pj.worker.onerror = (e) => showError("projector worker", e.message ?? e);
  return pj.worker;
}

function startProjector() {
  if (pj.source) return;
  const url = new URLSearchParams(location.search).get("vectors");
  if (url) {
    status(`loading ${url}…`);
    fetch(url)
      .then((r) => {
        if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
        return r.arrayBuffer();
      })
      .then((buf) => openVectorBytes(new Uint8Array(buf), decodeURIComponent(url.split("/").pop())))
      .catch((e) => showError("opening vectors", e));
  } else {
    status("training the demo vectors (CBOW, 3,000 sentences)…");
    projWorker().postMessage({ type: "demoVectors" });
  }
}

function onProjMessage(m) {
  if (m.type === "error") return showError("projector", m.message);
  if (m.type === "demo-vectors") {
    setVectors("demo", m.words, m.dim, m.data, "CBOW on the demo grammar");
    status("ready");
    return;
  }
  if (m.type === "tsne" && m.id === pj.tsneId) {
    pj.xy = m.Y;
    const pp = `perplexity ${pj.perplexity}`;
    pj.tsneState = m.iteration < m.iterations ? `t-SNE (${pp}): iteration ${m.iteration} of ${m.iterations}` : `t-SNE (${pp}): ${m.iterations} iterations`;
    pj.tsneState += `, KL(P‖Q) = ${m.kl.toFixed(3)}`;
    if (m.iteration >= m.iterations) document.body.dataset.tsneDone = "true";
    requestPlot();
  }
}

function openVectorBytes(bytes, name) {
  const kv = decodeWord2Vec(bytes, name);
  setVectors("file", kv.words, kv.dim, kv.vectors.data, name, kv);
  status(`opened ${name}: ${kv.size.toLocaleString("en")} words × ${kv.dim}`);
}

/** Makes a set of vectors the projector's current one. */
function setVectors(key, words, dim, data, title, kv) {
  pj.sources[key] = { words, dim, data, title, kv: kv ?? new KeyedVectors(words, new Tensor(data, [words.length, dim])) };
  const opt = $("vectors-source").querySelector(`option[value="${key}"]`);
  opt.disabled = false;
  if (key === "file") opt.textContent = `opened file: ${title}`;
  $("vectors-source").value = key;
  useSource(key);
}

function useSource(key) {
  const s = pj.sources[key];
  if (!s) return;
  pj.source = s;
  pj.kv = s.kv;
  pj.selected = null;
  pj.neighbours = [];
  $("neighbours").innerHTML = "";
  $("query").textContent = "";
  project();
}

/** Projects the first `points` rows (word2vec files list the most frequent words first). */
function project() {
  const s = pj.source;
  if (!s) return;
  const maxPoints = Math.max(3, Math.min(5000, Math.floor(Number($("max-points").value) || 500)));
  const n = Math.min(s.words.length, maxPoints);
  pj.n = n;
  pj.method = $("method").value;
  const X = new Tensor(s.data.subarray(0, n * s.dim), [n, s.dim]);
  pj.tsneId++;
  delete document.body.dataset.tsneDone;
  try {
    const p = pca(X, 2);
    pj.variance = p.varianceRatio;
    pj.pcaModel = { mean: p.mean.data, comp: p.components.data };
    pj.extraXY = new Map();
    if (pj.method === "pca") {
      pj.xy = p.projected.data;
      pj.tsneState = "";
      projWorker().postMessage({ type: "stopTsne" });
    } else {
      const m = Math.min(n, TSNE_MAX);
      const perplexity = Math.max(1, Math.min(Number($("perplexity").value) || 10, m - 1));
      if (perplexity !== Number($("perplexity").value)) $("perplexity").value = String(perplexity);
      pj.n = m;
      pj.xy = null;
      pj.perplexity = perplexity;
      pj.tsneState = `t-SNE starting (perplexity ${perplexity})${n > m ? `; the first ${TSNE_MAX} points only` : ""}`;
      const Xt = s.data.slice(0, m * s.dim);
      projWorker().postMessage({ type: "tsne", id: pj.tsneId, X: Xt, n: m, d: s.dim, perplexity }, [Xt.buffer]);
    }
  } catch (e) {
    return showError("projector", e);
  }
  document.body.dataset.projectorReady = "true";
  if (pj.selected !== null) select(s.words[pj.selected]); // its notes depend on what is drawn
  requestPlot();
}

let plotPending = false;
function requestPlot() {
  if (plotPending) return;
  plotPending = true;
  requestAnimationFrame(() => {
    plotPending = false;
    drawProjection();
  });
}

function textWidth(s, bold) {
  if (!pj.measure) pj.measure = document.createElement("canvas").getContext("2d");
  pj.measure.font = `${bold ? "700 12px" : "11px"} system-ui, sans-serif`;
  return pj.measure.measureText(s).width;
}

/** Row i of the vectors on the PCA components of the first n rows (for rows beyond them). */
function projectRow(i) {
  const hit = pj.extraXY.get(i);
  if (hit) return hit;
  const { mean, comp } = pj.pcaModel;
  const d = pj.source.dim, v = pj.source.data;
  let a = 0, b = 0;
  for (let j = 0; j < d; j++) {
    const x = v[i * d + j] - mean[j];
    a += x * comp[j];
    b += x * comp[d + j];
  }
  const xy = [a, b];
  pj.extraXY.set(i, xy);
  return xy;
}

function drawProjection() {
  const svg = $("projection");
  const s = pj.source;
  const info = [];
  if (!s) return;
  info.push(`${s.title}: ${s.words.length.toLocaleString("en")} words × ${s.dim}; drawing ${pj.n.toLocaleString("en")}.`);
  if (pj.variance && pj.method === "pca") {
    const [a, b] = pj.variance;
    info.push(`PCA keeps ${(100 * a).toFixed(1)}% + ${(100 * b).toFixed(1)}% = ${(100 * (a + b)).toFixed(1)}% of the variance.`);
  }
  if (pj.method === "tsne") info.push(pj.tsneState + ". t-SNE keeps neighbourhoods; distances between far groups and the axes mean little.");
  $("projection-info").textContent = info.join(" ");
  const Wd = +svg.getAttribute("width"), Ht = +svg.getAttribute("height");
  if (!pj.xy) {
    svg.innerHTML = `<text x="${Wd / 2}" y="${Ht / 2}" text-anchor="middle" fill="#6b7280">${esc(pj.tsneState)}…</text>`;
    return;
  }
  const n = pj.n;
  const L = 44, R = 14, T = 14, B = 40;
  // In PCA, a selected word or neighbour beyond the first n rows is projected onto the same two
  // components and drawn too; t-SNE has no such projection, so it is only listed.
  const extra = pj.method === "pca" ? [pj.selected, ...pj.neighbours.map((nb) => nb.row)].filter((r) => r !== null && r >= n) : [];
  const rowsDrawn = [...Array.from({ length: n }, (_, i) => i), ...new Set(extra)];
  const at = (i) => (i < n ? [pj.xy[2 * i], pj.xy[2 * i + 1]] : projectRow(i));
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const i of rowsDrawn) {
    const [x, y] = at(i);
    x0 = Math.min(x0, x); x1 = Math.max(x1, x);
    y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  // equal aspect: one scale for both axes, the data centred in the frame
  const fw = Wd - L - R, fh = Ht - T - B;
  const span = Math.max((x1 - x0) / fw, (y1 - y0) / fh) * 1.06 || 1;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const px = (x) => L + fw / 2 + (x - cx) / span;
  const py = (y) => T + fh / 2 - (y - cy) / span;
  const drawn = new Set(rowsDrawn);
  const sel = pj.selected !== null && drawn.has(pj.selected) ? pj.selected : null;
  const near = new Set(pj.neighbours.map((nb) => nb.row).filter((r) => drawn.has(r)));
  const colourMode = $("color-by").value;
  const groups = new Map();
  const colourOfRow = (i) => {
    if (colourMode === "none") return PALETTE[0];
    const c = classOf.get(s.words[i]);
    if (c === undefined) return OTHER;
    if (!groups.has(c)) groups.set(c, PALETTE[Object.keys(DEMO_CLASSES).indexOf(c) % PALETTE.length]);
    return groups.get(c);
  };
  let g = `<rect x="${L}" y="${T}" width="${fw}" height="${fh}" fill="#fff" stroke="#e5e7eb"/>`;
  // ticks with one step on both axes (the same scale)
  const step = niceTicks(0, Math.max(fw, fh) * span, 8);
  const d = step.length > 1 ? step[1] - step[0] : 1;
  const fmtTick = (v) => Number(v.toPrecision(6)).toString();
  for (let v = Math.ceil((cx - fw / 2 * span) / d) * d; px(v) <= L + fw; v += d) {
    g += `<line x1="${px(v)}" x2="${px(v)}" y1="${T}" y2="${T + fh}" stroke="#f3f4f6"/><text x="${px(v)}" y="${T + fh + 14}" text-anchor="middle" font-size="10" fill="#9ca3af">${fmtTick(v)}</text>`;
  }
  for (let v = Math.ceil((cy - fh / 2 * span) / d) * d; py(v) >= T; v += d) {
    g += `<line x1="${L}" x2="${L + fw}" y1="${py(v)}" y2="${py(v)}" stroke="#f3f4f6"/><text x="${L - 5}" y="${py(v) + 3}" text-anchor="end" font-size="10" fill="#9ca3af">${fmtTick(v)}</text>`;
  }
  const [xl, yl] = pj.method === "pca" && pj.variance
    ? [`PC1 (${(100 * pj.variance[0]).toFixed(1)}% of the variance)`, `PC2 (${(100 * pj.variance[1]).toFixed(1)}%)`]
    : ["t-SNE 1", "t-SNE 2"];
  g += `<text x="${L + fw / 2}" y="${Ht - 8}" text-anchor="middle" font-size="12" fill="#374151">${xl} · equal scales on both axes</text>`;
  g += `<text x="14" y="${T + fh / 2}" text-anchor="middle" font-size="12" fill="#374151" transform="rotate(-90 14 ${T + fh / 2})">${yl}</text>`;
  // points: faded ones first, highlighted ones on top
  const order = rowsDrawn.slice();
  const focus = (i) => i === sel || near.has(i);
  order.sort((a, b) => Number(focus(a)) - Number(focus(b)));
  let dots = "";
  // points and placed labels go into a grid of 32-pixel cells, so that a label is checked against
  // what is near it only (thousands of points would otherwise cost a noticeable pause per frame)
  // Two grids: every point, and the labels with the highlighted points. The selected word's and its
  // neighbours' labels may cover the faded points around them; other labels cover nothing.
  const pointGrid = new Map(), labelGrid = new Map();
  const cellsOf = (b) => {
    const out = [];
    for (let gx = Math.floor(b.x / 32); gx <= Math.floor((b.x + b.w) / 32); gx++) {
      for (let gy = Math.floor(b.y / 32); gy <= Math.floor((b.y + b.h) / 32); gy++) out.push(gx * 4096 + gy);
    }
    return out;
  };
  const insert = (grid, b) => {
    for (const c of cellsOf(b)) {
      const list = grid.get(c);
      if (list) list.push(b);
      else grid.set(c, [b]);
    }
  };
  const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const free = (grid, b) => cellsOf(b).every((c) => !(grid.get(c) ?? []).some((q) => overlaps(b, q)));
  for (const i of order) {
    const [ux, uy] = at(i);
    const X = px(ux), Y = py(uy);
    const f = focus(i);
    const faded = sel !== null && !f;
    const r = i === sel ? 6 : f ? 5 : 3.5;
    const stroke = i === sel ? `stroke="#111827" stroke-width="2"` : f ? `stroke="#111827" stroke-width="1.2"` : `stroke="#fff" stroke-width="0.8"`;
    dots += `<circle data-i="${i}" cx="${X.toFixed(1)}" cy="${Y.toFixed(1)}" r="${r}" fill="${colourOfRow(i)}" ${stroke}${faded ? ` class="faded"` : ""}/>`;
    const box = { x: X - r, y: Y - r, w: 2 * r, h: 2 * r };
    insert(pointGrid, box);
    if (f || sel === null) insert(labelGrid, box);
  }
  // labels, greedily: the selected word and its neighbours first, then in row (frequency) order;
  // a label that would overlap a placed label or a point is left out (hover shows it)
  const labelOrder = [...(sel !== null ? [sel] : []), ...pj.neighbours.map((nb) => nb.row).filter((r) => drawn.has(r)), ...rowsDrawn];
  const placed = new Set();
  let labels = "", leaders = "";
  const fits = (b) => b.x >= L + 1 && b.x + b.w <= L + fw - 1 && b.y >= T + 1 && b.y + b.h <= T + fh - 1;
  let taken = 0;
  for (const i of labelOrder) {
    if (placed.has(i)) continue;
    placed.add(i);
    const strong = focus(i);
    if (sel !== null && !strong && taken > 60) continue;
    const [ux, uy] = at(i);
    const X = px(ux), Y = py(uy);
    const w = textWidth(s.words[i], strong) + 2, h = strong ? 14 : 12;
    const cand = [
      { x: X + 6, y: Y - h / 2 }, { x: X - 6 - w, y: Y - h / 2 }, { x: X - w / 2, y: Y - 6 - h }, { x: X - w / 2, y: Y + 6 },
      { x: X + 5, y: Y - 4 - h }, { x: X + 5, y: Y + 4 }, { x: X - 5 - w, y: Y - 4 - h }, { x: X - 5 - w, y: Y + 4 },
    ].map((c) => ({ ...c, w, h }));
    // the selected word and its neighbours may also sit further out, on a leader line
    if (strong) {
      for (const r of [24, 40, 58, 80, 105]) {
        for (let a = 0; a < 16; a++) {
          const t = (a * Math.PI) / 8 + (r / 24) * 0.3;
          const ex = X + r * Math.cos(t), ey = Y + r * Math.sin(t);
          cand.push({ x: Math.cos(t) >= 0 ? ex : ex - w, y: ey - h / 2, w, h, lead: [ex, ey] });
        }
      }
    }
    const best = cand.find((b) => fits(b) && free(labelGrid, b) && (strong || free(pointGrid, b)));
    if (!best) continue;
    insert(labelGrid, best);
    taken++;
    if (best.lead) {
      const r = i === sel ? 6 : 5, dx = best.lead[0] - X, dy = best.lead[1] - Y, len = Math.hypot(dx, dy);
      leaders += `<line x1="${(X + (dx / len) * r).toFixed(1)}" y1="${(Y + (dy / len) * r).toFixed(1)}" x2="${best.lead[0].toFixed(1)}" y2="${best.lead[1].toFixed(1)}" stroke="#6b7280" stroke-width="0.8"/>`;
    }
    labels += `<text class="label${strong ? " strong" : ""}${sel !== null && !strong ? " faded" : ""}" x="${(best.x + 1).toFixed(1)}" y="${(best.y + h - 3).toFixed(1)}">${esc(s.words[i])}</text>`;
  }
  svg.innerHTML = g + leaders + dots + labels;
  svg.dataset.labels = String(taken);
  svg.dataset.points = String(rowsDrawn.length);
  pj.screen = { px, py };
  // legend
  const legend = $("legend");
  if (colourMode === "none") {
    legend.innerHTML = "";
  } else {
    const counts = new Map();
    let other = 0;
    for (let i = 0; i < n; i++) {
      const c = classOf.get(s.words[i]);
      if (c === undefined) other++;
      else counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const ordered = Object.keys(DEMO_CLASSES).filter((c) => groups.has(c)).map((c) => [c, groups.get(c)]);
    legend.innerHTML = ordered.map(([c, col]) => `<span class="swatch" style="background:${col}"></span><span>${esc(c)} (${counts.get(c)})</span>`).join("") +
      (other > 0 ? `<span class="swatch" style="background:${OTHER}"></span><span>not in a demo class (${other})</span>` : "");
  }
}

function select(word) {
  const s = pj.source;
  if (!s || !pj.kv) return;
  const row = pj.kv.index(word);
  const ol = $("neighbours");
  if (row < 0) {
    pj.selected = null;
    pj.neighbours = [];
    ol.innerHTML = `<li class="missing">${esc(word)} is not in these vectors</li>`;
    $("query").textContent = "";
    ol.dataset.word = "";
    requestPlot();
    return;
  }
  pj.selected = row;
  const near = pj.kv.mostSimilar(word, 10);
  pj.neighbours = near.map((nb) => ({ ...nb, row: pj.kv.index(nb.word) }));
  ol.dataset.word = word;
  const beyond = (r) => (r >= pj.n ? (pj.method === "pca" ? " (row " + r + ", added)" : " (row " + r + ", not drawn)") : "");
  $("query").innerHTML = `<b>${esc(word)}</b> · row ${row}${beyond(row) ? (pj.method === "pca" ? ", beyond the first " + pj.n + ": projected onto the same components and added" : ", beyond the first " + pj.n + ": not drawn") : ""}`;
  const far = Math.max(row, ...pj.neighbours.map((nb) => nb.row));
  if (pj.method !== "pca" && far >= pj.n) {
    $("query").insertAdjacentHTML("beforeend", `; raise “points” to ${(far + 1).toLocaleString("en")} to draw ${far === row ? "it" : "them all"}${far + 1 > TSNE_MAX ? ` (t-SNE draws ${TSNE_MAX.toLocaleString("en")} at most; PCA adds them)` : ""}`);
  }
  ol.innerHTML = pj.neighbours.map((nb) =>
    `<li data-word="${esc(nb.word)}" class="${nb.row >= pj.n && pj.method !== "pca" ? "missing" : ""}">${esc(nb.word)}${beyond(nb.row)}<span class="sim">${nb.similarity.toFixed(3)}</span></li>`).join("");
  $("search").value = word;
  requestPlot();
}

$("search").addEventListener("keydown", (e) => {
  if (e.key !== "Enter") return;
  const w = $("search").value.trim();
  if (w === "") {
    pj.selected = null;
    pj.neighbours = [];
    $("neighbours").innerHTML = "";
    $("query").textContent = "";
    requestPlot();
  } else {
    select(w.toLowerCase() !== w && pj.kv && !pj.kv.has(w) ? w.toLowerCase() : w);
  }
});
$("neighbours").addEventListener("click", (e) => {
  const li = e.target.closest("li[data-word]");
  if (li) select(li.dataset.word);
});
const svgEl = $("projection");
svgEl.addEventListener("click", (e) => {
  const c = e.target.closest("circle[data-i]");
  if (c) select(pj.source.words[Number(c.dataset.i)]);
});
svgEl.addEventListener("mousemove", (e) => {
  const tip = $("tooltip");
  const c = e.target.closest("circle[data-i]");
  if (!c) {
    tip.hidden = true;
    return;
  }
  const i = Number(c.dataset.i);
  const w = pj.source.words[i];
  const cls = classOf.get(w);
  tip.textContent = `${w}${cls ? ` · ${cls}` : ""} · row ${i}`;
  tip.hidden = false;
  tip.style.left = `${Number(c.getAttribute("cx")) + 10}px`;
  tip.style.top = `${Number(c.getAttribute("cy")) - 28}px`;
});
svgEl.addEventListener("mouseleave", () => ($("tooltip").hidden = true));
$("vectors-source").addEventListener("change", () => useSource($("vectors-source").value));
for (const id of ["max-points", "method", "perplexity"]) $(id).addEventListener("change", project);
$("color-by").addEventListener("change", requestPlot);
$("open-vectors").addEventListener("click", () => $("vectors-file").click());
$("vectors-file").addEventListener("change", async () => {
  const f = $("vectors-file").files[0];
  if (!f) return;
  try {
    openVectorBytes(new Uint8Array(await f.arrayBuffer()), f.name);
  } catch (e) {
    showError(`opening ${f.name}`, e);
  }
});

// ---------------------------------------------------------------------------------------------
window.addEventListener("error", (e) => showError("page", e.message));
window.addEventListener("unhandledrejection", (e) => showError("page", e.reason));
resetLookup();
const first = new URLSearchParams(location.search).get("view") ?? (new URLSearchParams(location.search).has("vectors") ? "project" : "lookup");
showView(views.includes(first) ? first : "lookup");
document.body.dataset.ready = "true";
