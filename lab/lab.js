// The embedding lab: three views over the library's public API, no dependencies, no bundler.
import {
  Adagrad, Adam, DEMO_CLASSES, decodeWord2Vec, Embedding, KeyedVectors, matmul, oneHot, pca, SGD, SparseAdam, Tensor,
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
  saveState();
  if (!shown.has(name)) {
    shown.add(name);
    if (name === "train") startTraining();
    if (name === "project") startProjector();
  }
}
for (const b of document.querySelectorAll("nav button")) b.addEventListener("click", () => showView(b.dataset.view));

// =============================================================================================
// 1. Lookup and backward
const RULES = {
  sgd: "SGD: p −= lr · g. Only rows with gradient move; every other row is skipped.",
  momentum: "SGD with momentum: buf = 0.9 · buf + g; p −= lr · buf. A row keeps moving after its gradient stops, while its buffer decays: every row that ever had gradient moves.",
  decay: "SGD with weight decay: g += 0.1 · p before the step. Every non-zero row shrinks towards 0 at every step, used or not.",
  adam: "Adam: m = β₁m + (1−β₁)g, v = β₂v + (1−β₂)g², p −= lr · m̂ / (√v̂ + ε). Like momentum, every row that ever had gradient keeps moving.",
  sparseadam: "SparseAdam (lazy Adam, with sparse: true): only the rows in this step's gradient move, and only their moments are updated.",
  adagrad: "Adagrad: s += g²; p −= lr · g / (√s + ε). Only rows with gradient move.",
};
/** The examples: a table (random with a seed, or given rows) and the controls they set. */
const PRESETS = {
  random: { V: 6, H: 4, seed: 1, indices: "[[0, 2, 2, 1, 1]]", padding: "", dout: "ones", lr: "0.1", optimizer: "sgd" },
  // the CBOW document's seed example: nn.Embedding(5, 5, padding_idx=2), its row 2 zero
  doc5: {
    V: 5, H: 5, rows: [
      [1.0934, 1.7521, -1.9529, -1.0145, 0.577],
      [-0.4371, -0.427, -0.4908, -0.3988, 0.9695],
      [0, 0, 0, 0, 0],
      [0.7268, -0.4491, -0.8089, 0.7516, 1.2716],
      [0.7785, -0.4336, -0.7542, -0.1953, 0.9711],
    ],
    indices: "[[0, 2, 2, 1, 1]]", padding: "2", dout: "ones", lr: "0.1", optimizer: "sgd",
  },
  // the document's update example: gradient [0.1, 0.1, 0.3] on row 0 of a table of ones, SGD lr 0.1
  dout: { V: 2, H: 3, rows: [[1, 1, 1], [1, 1, 1]], indices: "[0]", padding: "", dout: "[[0.1, 0.1, 0.3]]", lr: "0.1", optimizer: "sgd" },
};
const lk = { V: 6, H: 4, emb: null, opt: null, step: 0, history: [], last: null };

function applyPreset(name) {
  const p = PRESETS[name] ?? PRESETS.random;
  $("preset").value = PRESETS[name] ? name : "random";
  $("padding").innerHTML = `<option value="">none</option>` + Array.from({ length: p.V }, (_, r) => `<option value="${r}">${r}</option>`).join("");
  $("indices").value = p.indices;
  $("padding").value = p.padding;
  $("dout").value = p.dout;
  $("lr").value = p.lr;
  $("optimizer").value = p.optimizer;
  resetLookup();
}

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
  const p = PRESETS[$("preset").value];
  const kind = $("optimizer").value;
  const pad = $("padding").value;
  const lr = Number($("lr").value);
  try {
    const options = { paddingIdx: pad === "" ? undefined : Number(pad), sparse: kind === "sparseadam" };
    lk.emb = p.rows ? new Embedding(p.V, p.H, { ...options, weight: Tensor.from(p.rows) }) : new Embedding(p.V, p.H, { ...options, seed: p.seed });
    lk.opt = makeOptimizer(kind, lk.emb.params, lr);
  } catch (e) {
    return lookupError(e);
  }
  lk.V = p.V;
  lk.H = p.H;
  lk.step = 0;
  lk.history = [];
  lk.last = null;
  $("optimizer-rule").textContent = RULES[kind];
  $("moved").textContent = "Press Step: forward, backward with dout, then one optimizer step. " +
    "Then change the batch to [[3]] and step again: which rows move now?";
  delete $("moved").dataset.rows;
  renderHistory();
  preview();
  saveState();
}

function parseIndices() {
  const text = $("indices").value;
  try {
    return JSON.parse(text);
  } catch {
    throw new SyntaxError(`the index batch ${JSON.stringify(text)} is not a JSON array, e.g. [[0, 2, 2, 1, 1]]`);
  }
}

/** dout: "ones" (the loss is the sum of out), or a JSON array of out's shape. */
function parseDout(shape) {
  const text = $("dout").value.trim();
  if (text === "" || text.toLowerCase() === "ones") return Tensor.ones(shape);
  let a;
  try {
    a = JSON.parse(text);
  } catch {
    throw new SyntaxError(`dout ${JSON.stringify(text)} is not "ones" nor a JSON array, e.g. [[0.1, 0.1, 0.3]]`);
  }
  return Tensor.from(a);
}

function lookupError(e) {
  const el = $("lookup-error");
  el.hidden = e === null;
  el.textContent = e === null ? "" : `${e.constructor?.name ?? "Error"}: ${e.message}`;
}

/** Says what an empty batch does (out has a zero dimension: nothing is read, dW is zero). */
function lookupNote(out) {
  const el = $("lookup-note");
  const empty = out !== null && out.shape.includes(0);
  el.hidden = !empty;
  el.textContent = empty
    ? `The batch is empty: out has shape [${out.shape.join(", ")}], no row is read, dW is all zeros, and a step moves no row ` +
      `(but with momentum or Adam, rows keep moving on their state; with weight decay, every row shrinks).`
    : "";
}

/** Forward and backward for the current batch and dout: what the next step will use. */
function forwardBackward() {
  const idx = parseIndices();
  const out = lk.emb.forward(idx);
  const dout = parseDout(out.shape);
  lk.emb.weight.zeroGrad(); // backward adds to the gradient: this batch's alone (a preview's is not part of the step)
  lk.emb.backward(dout);
  return { idx, out, grad: denseGrad() };
}

/** Forward and backward for the current index batch, without a step: what the next step will use. */
function preview() {
  let r;
  try {
    r = forwardBackward();
    lookupError(null);
  } catch (e) {
    lookupError(e);
    lookupNote(null);
    return;
  }
  lookupNote(r.out);
  renderLookup(r.idx, r.out, r.grad, null);
}

function denseGrad() {
  const g = lk.emb.weight.grad;
  if (g === null) return Tensor.zeros([lk.V, lk.H]);
  return g instanceof Tensor ? g.clone() : g.toDense();
}

function doStep() {
  const { V, H } = lk;
  let r;
  const before = lk.emb.weight.clone();
  try {
    r = forwardBackward();
    lk.opt.step();
    lookupError(null);
  } catch (e) {
    lk.emb.weight.zeroGrad();
    lookupError(e);
    return;
  }
  const { idx, out, grad } = r;
  lookupNote(out);
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
    (extra.length > 0 ? ` — row${extra.length === 1 ? "" : "s"} ${extra.join(", ")} moved without gradient in this step (${$("optimizer").value === "decay" ? "weight decay" : "the optimizer's state from earlier steps"}).` : ".");
  renderHistory();
  renderLookup(idx, out, grad, { before, after, moved });
}

function renderHistory() {
  const list = (rows) => (rows.length === 0 ? "none" : rows.join(", "));
  $("history").tBodies[0].innerHTML = lk.history.map((h) =>
    `<tr><td>${h.step}</td><td>${esc(h.idx)}</td><td>${list(h.withGrad)}</td><td>${list(h.moved)}</td></tr>`).join("");
}

/** A heat-map table; rows[r] = { label, values, hi, note, pad }; `cls` names the panel. */
function heatTable(title, rows, max, cls = "") {
  const body = rows.map((r) => `<tr class="${r.hi ? "hi" : ""} ${r.pad ? "pad" : ""}"><th>${esc(r.label)}</th>` +
    Array.from(r.values, (v) => `<td style="background:${colour(v, max)};color:${inkOn(v, max)}">${fmt(v)}</td>`).join("") +
    (r.note !== undefined ? `<td class="note">${esc(r.note)}</td>` : "") + `</tr>`).join("");
  return `<div class="panel ${cls}"><h3>${title}</h3><table class="heat">${body}</table></div>`;
}

/** The one-hot matrix [N, V] of the batch: a 1 in column idx of each position's row. */
function oneHotTable(positions, V, pad) {
  const head = `<tr><th></th>${Array.from({ length: V }, (_, r) => `<th class="col${r === pad ? " pad" : ""}">${r}</th>`).join("")}</tr>`;
  const body = positions.map((p) => `<tr><th>${esc(p.path.join(","))}</th>` +
    Array.from({ length: V }, (_, r) => `<td class="${r === p.row ? "one" : "zero"}">${r === p.row ? 1 : 0}</td>`).join("") + `</tr>`).join("");
  return `<div class="panel onehot"><h3>one-hot(idx) <small>[${positions.length}, ${V}]</small></h3><table class="heat onehot">${head}${body}</table></div>`;
}

function renderLookup(idx, out, grad, stepped) {
  lk.shown = [idx, out, grad, stepped];
  const { V, H } = lk;
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
    label: `[${p.path.join(",")}] = ${p.row}`, values: flat.subarray(i * H, (i + 1) * H), hi: false,
  }));
  const gRows = Array.from({ length: V }, (_, r) => ({
    label: `row ${r}`, values: row(grad, r), hi: used[r] > 0 && r !== pad, pad: r === pad,
    note: r === pad && used[r] > 0 ? "padding: 0" : used[r] > 1 ? `${used[r]} summed` : used[r] === 1 ? "1 use" : "",
  }));
  const onehot = $("onehot").checked;
  const doutText = $("dout").value.trim();
  const doutLabel = doutText === "" || doutText.toLowerCase() === "ones" ? "dout = ones" : `dout = ${doutText}`;
  let html = "";
  if (onehot) {
    // the same product, as a matrix multiplication: one-hot(idx) [N, V] @ W [V, H]
    const oh = oneHot(idx, V).reshape([-1, V]);
    const viaMatmul = matmul(oh, W);
    let diff = 0;
    for (let i = 0; i < flat.length; i++) diff = Math.max(diff, Math.abs(viaMatmul.data[i] - flat[i]));
    html += `<div class="equation" id="onehot-equation">${oneHotTable(positions, V, pad)}<span class="op">@</span>` +
      heatTable(`W <small>[${V}, ${H}]</small>`, wRows.map((r) => ({ ...r, note: undefined })), max, "w-rows") +
      `<span class="op">=</span>` + heatTable(`one-hot @ W <small>[${N}, ${H}]</small>`,
        Array.from({ length: N }, (_, i) => ({ label: `[${positions[i].path.join(",")}]`, values: viaMatmul.data.subarray(i * H, (i + 1) * H) })), max, "matmul-out") +
      `</div><p class="note" id="onehot-note">Each row of the one-hot matrix has one 1, in the column of its index: the product picks the ` +
      `same rows of W that the lookup reads (framed), and gives the same numbers (largest difference ${diff}). It costs N·V·H ` +
      `multiply-adds (${(N * V * H).toLocaleString("en")} here) where the lookup copies N·H numbers (${(N * H).toLocaleString("en")}).</p>`;
  }
  html += `<div class="panels-row">` + heatTable(`W <small>[${V}, ${H}]${stepped ? ` before step ${lk.step}` : ""}</small>`, wRows, max) +
    heatTable(`out = W[idx] <small>[${out.shape.join(", ")}]</small>`, outRows, max) +
    heatTable(`dW after backward <small>${esc(doutLabel)}</small>`, gRows, max);
  if (stepped) {
    const aRows = Array.from({ length: V }, (_, r) => {
      const a = row(stepped.after, r), b = row(stepped.before, r);
      let d = 0;
      for (let j = 0; j < H; j++) d = Math.max(d, Math.abs(a[j] - b[j]));
      return { label: `row ${r}`, values: a, hi: stepped.moved.includes(r), note: d > 0 ? `moved ${d.toPrecision(2)}` : "" };
    });
    html += heatTable(`W after step ${lk.step} <small>${esc($("optimizer").selectedOptions[0].textContent)}</small>`, aRows, max, "after");
  }
  $("lookup-panels").innerHTML = html + `</div>`;
  colourBar($("colorbar"), max, "one colour scale for every panel:");
}

$("step").addEventListener("click", doStep);
$("reset").addEventListener("click", resetLookup);
$("preset").addEventListener("change", () => applyPreset($("preset").value));
for (const id of ["optimizer", "padding", "lr"]) $(id).addEventListener("change", resetLookup);
$("indices").addEventListener("input", () => (preview(), saveState()));
$("dout").addEventListener("input", preview);
$("onehot").addEventListener("change", () => {
  if (lk.shown) renderLookup(...lk.shown);
  saveState();
});
for (const id of ["indices", "dout"]) $(id).addEventListener("keydown", (e) => e.key === "Enter" && doStep());

// =============================================================================================
// 2. Training (in a worker)
const SPEEDS = [1, 10, 100, 1000, Infinity];
/** A learning rate that suits each optimizer on this model (set when the optimizer is chosen). */
const TRAIN_LR = { sgd: 0.25, momentum: 0.025, adagrad: 0.25, adam: 0.01, sparseadam: 0.01 };
const tr = {
  worker: null, words: [], shown: 0, dim: 0, intervals: [], means: [], startLoss: 0, max: 0.5, latest: null, ready: false, text: null,
  initId: 0, liveAsked: 0,
};

function trainWorker() {
  if (tr.worker) return tr.worker;
  tr.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  tr.worker.onmessage = (e) => onTrainMessage(e.data);
  tr.worker.onerror = (e) => showError("training worker", e.message ?? e);
  return tr.worker;
}

function startTraining() {
  const num = (id) => Number($(id).value);
  const source = $("corpus-source").value;
  const text = source === "text" ? $("corpus-text").value : null;
  if (text !== null && text.trim() === "") return showError("training", "the text box is empty: paste or open a text first");
  tr.ready = false;
  tr.latest = null;
  tr.intervals = [];
  tr.means = [];
  tr.max = 0; // the first picture is scaled to the initial weights (uniform in ±1/H)
  document.body.dataset.trainStep = "0";
  setPlaying(false);
  status(source === "wiki" ? "loading the Wikipedia sample…" : "building the corpus…");
  trainWorker().postMessage({
    type: "init", id: ++tr.initId, source, text, optimizer: $("train-optimizer").value, dim: num("dim"), window: num("window"), negatives: num("negatives"), batch: num("batch"), lr: num("train-lr"),
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
    if (m.id !== tr.initId) return;
    $("vectors-source").querySelector('option[value="live"]').disabled = false;
    Object.assign(tr, { words: m.words, shown: m.shown, dim: m.dim, startLoss: m.startLoss, ready: true });
    status(`${m.tokens.toLocaleString("en")} tokens, ${m.V.toLocaleString("en")} words: ${m.pairs.toLocaleString("en")} (context, target) pairs`);
    $("corpus-note").textContent = m.raw > m.tokens
      ? `The sample has ${m.raw.toLocaleString("en")} tokens; words seen fewer than 5 times (${(m.raw - m.tokens).toLocaleString("en")} tokens) are left out, as word2vec's min_count does, and windows close over the gaps.`
      : "";
    return;
  }
  if (m.type === "progress") {
    if (!tr.ready) return;
    tr.latest = m;
    if (m.intervalSteps > 0) {
      tr.lastInterval = { loss: m.intervalLoss, steps: m.intervalSteps };
      addInterval(m.step, m.intervalLoss * m.intervalSteps, m.intervalSteps);
      tr.means.push([m.step, m.meanLoss]);
      if (tr.means.length > 1500) tr.means = tr.means.filter((_, i) => i % 2 === 0 || i === tr.means.length - 1);
    }
    document.body.dataset.trainStep = String(m.step);
    setPlaying(m.playing);
    requestDraw();
    liveVectors();
    return;
  }
  if (m.type === "vectors") {
    if (m.live) {
      if (pj.live) updateLive(m);
      return;
    }
    setVectors("trained", m.words, m.dim, m.data, `the Training view's W_in at step ${m.step.toLocaleString("en")}`, undefined, m.counts);
    showView("project");
  }
}

/** Keeps the loss of every reporting interval as [last step, sum of losses, steps]; over 1,500 of
 * them, neighbours are merged (sums and step counts add, so no loss is thrown away). */
function addInterval(step, sum, steps) {
  tr.intervals.push([step, sum, steps]);
  if (tr.intervals.length > 1500) {
    const merged = [];
    for (let i = 0; i < tr.intervals.length; i += 2) {
      const a = tr.intervals[i], b = tr.intervals[i + 1];
      merged.push(b ? [b[0], a[1] + b[1], a[2] + b[2]] : a);
    }
    tr.intervals = merged;
  }
}

/**
 * The points of the loss curve: consecutive intervals are pooled until a point holds at least
 * 1/150 of the steps so far, and each point is the mean loss of its steps (a weighted mean). So a
 * single step after a pause, whose loss is that of one mini-batch, joins its neighbours instead of
 * standing out as a spike; an unfinished last group is drawn only when it is the only one.
 */
function lossPoints() {
  const iv = tr.intervals;
  if (iv.length === 0) return [];
  const minSteps = Math.max(1, Math.ceil(iv[iv.length - 1][0] / 150));
  const out = [];
  let sum = 0, steps = 0;
  for (const [step, s, n] of iv) {
    sum += s;
    steps += n;
    if (steps >= minSteps) {
      out.push([step, sum / steps, steps]);
      sum = 0;
      steps = 0;
    }
  }
  if (steps > 0 && out.length === 0) out.push([iv[iv.length - 1][0], sum / steps, steps]);
  return out;
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
    $("train-neighbours").innerHTML = m.neighbours.length === 0 ? "" : "nearest neighbours now (cosine of the centred vectors): " +
      m.neighbours.map((n) => `<b>${esc(n.word)}</b> → ${n.near.map(esc).join(", ")}`).join(" · ");
  }
  drawLoss();
  drawRows(m);
}

function drawLoss() {
  const svg = $("loss-plot");
  fitSvg(svg, 520, 300 / 520, 220);
  const Wd = +svg.getAttribute("width"), Ht = +svg.getAttribute("height");
  const L = 48, R = 12, T = 14, B = 36;
  const pts = lossPoints();
  const xmax = Math.max(10, tr.intervals.length ? tr.intervals[tr.intervals.length - 1][0] : 10);
  const ymax = Math.max(tr.startLoss * 1.08, ...pts.map((p) => p[1]).filter(Number.isFinite));
  const px = (x) => L + (x / xmax) * (Wd - L - R);
  const py = (y) => T + (1 - y / ymax) * (Ht - T - B);
  let g = `<rect x="${L}" y="${T}" width="${Wd - L - R}" height="${Ht - T - B}" fill="#fff" stroke="#e5e7eb"/>`;
  for (const y of niceTicks(0, ymax, 5)) {
    g += `<line x1="${L}" x2="${Wd - R}" y1="${py(y)}" y2="${py(y)}" stroke="#f1f5f9"/><text x="${L - 6}" y="${py(y) + 4}" text-anchor="end" font-size="11" fill="#6b7280">${y}</text>`;
  }
  for (const x of niceTicks(0, xmax, 6)) {
    // a tick at the right edge is anchored at its end, so that its label stays in the picture
    g += `<text x="${px(x)}" y="${Ht - B + 15}" text-anchor="${px(x) > Wd - R - 16 ? "end" : "middle"}" font-size="11" fill="#6b7280">${x.toLocaleString("en")}</text>`;
  }
  g += `<text x="${(L + Wd - R) / 2}" y="${Ht - 4}" text-anchor="middle" font-size="12" fill="#374151">step (mini-batches)</text>`;
  g += `<text x="12" y="${(T + Ht - B) / 2}" text-anchor="middle" font-size="12" fill="#374151" transform="rotate(-90 12 ${(T + Ht - B) / 2})">loss</text>`;
  const y0 = py(tr.startLoss);
  g += `<line x1="${L}" x2="${Wd - R}" y1="${y0}" y2="${y0}" stroke="#9ca3af" stroke-dasharray="2 3"/>` +
    `<text x="${Wd - R - 4}" y="${y0 - 4}" text-anchor="end" font-size="11" fill="#6b7280">(1 + k)·ln 2 = ${tr.startLoss.toFixed(2)}</text>`;
  const line = (p) => p.filter((q) => Number.isFinite(q[1])).map((q) => `${px(q[0]).toFixed(1)},${py(q[1]).toFixed(1)}`).join(" ");
  g += `<polyline points="${line(tr.means)}" fill="none" stroke="#9ca3af" stroke-width="1.5" stroke-dasharray="6 4"/>`;
  g += `<polyline id="loss-line" points="${line(pts)}" data-steps="${pts.map((p) => p[2]).join(",")}" fill="none" stroke="#2563eb" stroke-width="1.6"/>`;
  // the legend sits bottom left, under the curve's start, where a falling curve never goes
  const lx = L + 12, ly = Ht - B - 34;
  g += `<g font-size="11"><rect x="${lx - 6}" y="${ly - 12}" width="206" height="38" fill="#fff" fill-opacity="0.85"/>` +
    `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="#2563eb" stroke-width="2"/><text x="${lx + 30}" y="${ly + 4}">mean loss over a run of steps</text>` +
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
  const box = canvas.parentElement.getBoundingClientRect().width;
  const cw = Math.max(260, Math.min(600, Math.floor(box > 0 ? box - 20 : 600)));
  if (canvas.width !== cw) canvas.width = cw;
  const ctx = canvas.getContext("2d");
  const n = tr.shown, Hd = tr.dim;
  const cols = n > 40 && canvas.width >= 500 ? 2 : 1;
  const perCol = Math.ceil(n / cols);
  const rowH = Math.max(cols === 1 && n > 40 ? 9 : 6, Math.min(14, Math.floor(400 / perCol)));
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
    // a row read as context: a yellow label and a dark frame around its cells, which keep their colours
    if (inSet.has(r)) {
      ctx.fillStyle = "#facc15";
      ctx.fillRect(x0, y0, labelW - 1, rowH);
    }
    ctx.fillStyle = inSet.has(r) ? "#111827" : "#4b5563";
    ctx.textAlign = "right";
    ctx.fillText(tr.words[r], x0 + labelW - 4, y0 + rowH / 2);
    for (let j = 0; j < Hd; j++) {
      const v = m.rows[r * Hd + j];
      ctx.fillStyle = colour(v, max);
      ctx.fillRect(x0 + labelW + j * cellW, y0 + 1, cellW - (cellW > 3 ? 1 : 0), rowH - 2);
    }
    if (inSet.has(r)) {
      ctx.strokeStyle = "#111827";
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x0 + labelW - 0.75, y0 + 0.25, Hd * cellW + 0.5, rowH - 0.5);
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
$("train-optimizer").addEventListener("change", () => {
  $("train-lr").value = String(TRAIN_LR[$("train-optimizer").value]);
  if (shown.has("train")) startTraining();
});
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
  $("corpus-licence").hidden = $("corpus-source").value !== "wiki";
  if ($("corpus-source").value !== "text" || $("corpus-text").value.trim() !== "") startTraining();
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
const MATCH = "#db2777";
const classOf = new Map(Object.entries(DEMO_CLASSES).flatMap(([name, ws]) => ws.map((w) => [w, name])));
const TSNE_MAX = 2500;
const pj = {
  worker: null, sources: {}, key: null, source: null, n: 0, rows: [], pos: new Map(), xy: null, method: "pca", variance: null,
  selected: null, neighbours: [], matches: null, tsneId: 0, tsneState: "", measure: null, live: false, pending: null,
};

function projWorker() {
  if (pj.worker) return pj.worker;
  pj.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  pj.worker.onmessage = (e) => onProjMessage(e.data);
  pj.worker.onerror = (e) => showError("projector worker", e.message ?? e);
  return pj.worker;
}

function startProjector() {
  if (pj.source || pj.pending) return;
  const url = new URLSearchParams(location.search).get("vectors");
  if (url) {
    pj.pending = "file";
    status(`loading ${url}…`);
    fetch(url)
      .then((r) => {
        if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
        return r.arrayBuffer();
      })
      .then((buf) => openVectorBytes(new Uint8Array(buf), decodeURIComponent(url.split("/").pop())))
      .catch((e) => showError("opening vectors", e));
  } else {
    useSource("demo");
  }
}


function trainDemoVectors() {
  if (pj.demoAsked) return;
  pj.demoAsked = true;
  status("training the demo vectors (CBOW, 3,000 sentences)…");
  projWorker().postMessage({ type: "demoVectors" });
}

function onProjMessage(m) {
  if (m.type === "error") return showError("projector", m.message);
  if (m.type === "demo-vectors") {
    addSource("demo", m.words, m.dim, m.data, "CBOW on the demo grammar", undefined, m.counts);
    status("ready");
    // shown only if "demo" is still what the select asks for (another set may have come meanwhile)
    if (pj.pending === "demo") useSource("demo");
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

/** Stores a set of vectors under a key of the "vectors" select, without showing it. */
function addSource(key, words, dim, data, title, kv, counts) {
  const s = { key, words, dim, data, title, counts: counts ?? null, kv: kv ?? new KeyedVectors(words, new Tensor(data, [words.length, dim])), centred: null, meta: null };
  // the demo classes colour a set only if their words make a good part of it (the demo grammar's
  // vectors, not a real corpus that happens to hold "red" and "river")
  let inClass = 0;
  for (const w of classOf.keys()) if (s.kv.has(w)) inClass++;
  s.hasClasses = inClass >= 0.25 * Math.min(words.length, 500);
  pj.sources[key] = s;
  const opt = $("vectors-source").querySelector(`option[value="${key}"]`);
  opt.disabled = false;
  if (key === "file") opt.textContent = `opened file: ${title}`;
  return s;
}

/** Makes a set of vectors the projector's current one. */
function setVectors(key, words, dim, data, title, kv, counts) {
  addSource(key, words, dim, data, title, kv, counts);
  useSource(key);
}

function useSource(key) {
  $("vectors-source").value = key;
  pj.live = key === "live";
  const s = pj.sources[key];
  if (!s) {
    // not there yet: say so instead of leaving the last set on screen under another name
    pj.pending = key;
    pj.source = null;
    pj.key = key;
    pj.xy = null;
    clearSelection();
    const svg = $("projection");
    svg.innerHTML = `<text x="${+svg.getAttribute("width") / 2}" y="${+svg.getAttribute("height") / 2}" text-anchor="middle" fill="#6b7280">${key === "demo" ? "training the demo vectors…" : "waiting for the Training view's vectors…"}</text>`;
    $("projection-info").textContent = "";
    $("legend").innerHTML = "";
    delete document.body.dataset.projectorReady;
    if (key === "demo") trainDemoVectors();
    if (key === "live") askLive(true);
    return;
  }
  pj.pending = null;
  const changed = pj.source !== s;
  pj.source = s;
  pj.key = key;
  syncColourOptions();
  if (changed && !pj.restoring) clearSelection();
  const wanted = pj.wanted;
  pj.wanted = null;
  if (wanted && wanted.colour) {
    const o = $("color-by").querySelector(`option[value="${CSS.escape(wanted.colour)}"]`);
    if (o && !o.disabled) $("color-by").value = wanted.colour;
  }
  project();
  if (wanted && wanted.q) select(wanted.q);
  else if (wanted && $("search").value !== "") runSearch();
  saveState();
}

function clearSelection() {
  pj.selected = null;
  pj.neighbours = [];
  $("neighbours").innerHTML = "";
  $("neighbours").dataset.word = "";
  $("query").textContent = "";
}

/** The colour choices the current set allows: demo classes only on vectors that hold their words. */
function syncColourOptions() {
  const s = pj.source;
  const sel = $("color-by");
  sel.querySelector('option[value="class"]').disabled = !s.hasClasses;
  sel.querySelector('option[value="meta"]').disabled = s.meta === null;
  if (sel.selectedOptions[0]?.disabled || pj.lastColourKey !== s.key) {
    sel.value = s.meta ? "meta" : s.hasClasses ? "class" : "freq";
  }
  pj.lastColourKey = s.key;
  const cols = $("meta-column");
  cols.hidden = sel.value !== "meta" || s.meta === null;
  if (s.meta) {
    const keep = cols.value;
    cols.innerHTML = s.meta.columns.map((c, i) => `<option value="${i}">${esc(c)}</option>`).join("");
    cols.value = keep !== "" && Number(keep) < s.meta.columns.length ? keep : String(s.meta.preferred);
  }
}

// --- live vectors from the Training view ---------------------------------------------------
/** Asks the Training view's worker for its W_in at most once a second while "live" is shown. */
function askLive(now) {
  if (!tr.worker || !tr.ready) return;
  const t = performance.now();
  if (!now && t - tr.liveAsked < 1000) return;
  tr.liveAsked = t;
  tr.worker.postMessage({ type: "vectors", live: true });
}
function liveVectors() {
  if (pj.live && $("vectors-source").value === "live") askLive(false);
}
function updateLive(m) {
  const title = `the Training view's W_in, live (step ${m.step.toLocaleString("en")})`;
  const old = pj.sources.live;
  const s = addSource("live", m.words, m.dim, m.data, title, undefined, m.counts);
  // the same words in the same order: keep the metadata
  if (old && old.meta && old.words.length === s.words.length) s.meta = old.meta;
  document.body.dataset.liveStep = String(m.step);
  if ($("vectors-source").value !== "live") return;
  const word = pj.selected !== null && pj.source ? pj.source.words[pj.selected] : null;
  pj.restoring = true;
  try {
    pj.source = s;
    pj.key = "live";
    pj.pending = null;
    syncColourOptions();
    // t-SNE takes seconds: a live set is projected with PCA only
    if ($("method").value === "tsne") {
      $("method").value = "pca";
      status("live vectors are projected with PCA (t-SNE would start again at every update)");
    }
    project();
    if (word !== null) select(word);
    else if (pj.matches) runSearch();
  } finally {
    pj.restoring = false;
  }
}

// --- projection ----------------------------------------------------------------------------
/** Projects the first `points` rows (word2vec files list the most frequent words first), or, with
 * "isolate", the selected word and its neighbours only. */
function project() {
  const s = pj.source;
  if (!s) return;
  const maxPoints = Math.max(3, Math.min(5000, Math.floor(Number($("max-points").value) || 500)));
  const n = Math.min(s.words.length, maxPoints);
  const isolate = $("isolate").checked && pj.selected !== null;
  pj.method = $("method").value;
  const rows = isolate ? [...new Set([pj.selected, ...pj.neighbours.map((nb) => nb.row)])] : Array.from({ length: n }, (_, i) => i);
  pj.isolated = isolate;
  pj.n = n;
  pj.tsneId++;
  delete document.body.dataset.tsneDone;
  const X = isolate ? gatherRows(s, rows) : new Tensor(s.data.subarray(0, n * s.dim), [n, s.dim]);
  try {
    if (rows.length < 2) throw new RangeError(`only ${rows.length} point to draw`);
    const p = pca(X, 2);
    pj.variance = p.varianceRatio;
    pj.pcaModel = { mean: p.mean.data, comp: p.components.data };
    pj.extraXY = new Map();
    if (pj.method === "pca") {
      setRows(rows, p.projected.data);
      pj.tsneState = "";
      if (pj.worker) pj.worker.postMessage({ type: "stopTsne" });
    } else {
      const m = Math.min(rows.length, TSNE_MAX);
      const typed = Number($("perplexity").value) || 10;
      const perplexity = Math.max(1, Math.min(typed, m - 1));
      if (perplexity !== typed && !isolate) $("perplexity").value = String(perplexity);
      setRows(rows.slice(0, m), null);
      pj.perplexity = perplexity;
      pj.tsneState = `t-SNE starting (perplexity ${perplexity})${rows.length > m ? `; the first ${TSNE_MAX} points only` : ""}`;
      const Xt = X.data.slice(0, m * s.dim);
      projWorker().postMessage({ type: "tsne", id: pj.tsneId, X: Xt, n: m, d: s.dim, perplexity }, [Xt.buffer]);
    }
  } catch (e) {
    return showError("projector", e);
  }
  document.body.dataset.projectorReady = "true";
  if (pj.selected !== null && !pj.restoring) select(s.words[pj.selected], { keepProjection: true }); // its notes depend on what is drawn
  requestPlot();
}

function gatherRows(s, rows) {
  const X = new Float32Array(rows.length * s.dim);
  rows.forEach((r, k) => X.set(s.data.subarray(r * s.dim, (r + 1) * s.dim), k * s.dim));
  return new Tensor(X, [rows.length, s.dim]);
}

function setRows(rows, xy) {
  pj.rows = rows;
  pj.pos = new Map(rows.map((r, k) => [r, k]));
  pj.xy = xy;
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
  const k = pj.pos.get(i);
  if (k !== undefined && pj.xy) return [pj.xy[2 * k], pj.xy[2 * k + 1]];
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
  info.push(`${s.title}: ${s.words.length.toLocaleString("en")} words × ${s.dim}; ` +
    (pj.isolated ? `drawing the selected word and its ${pj.rows.length - 1} neighbours only, projected on their own.` : `drawing ${pj.n.toLocaleString("en")}.`));
  if (pj.variance && pj.method === "pca") {
    const [a, b] = pj.variance;
    info.push(`PCA keeps ${(100 * a).toFixed(1)}% + ${(100 * b).toFixed(1)}% = ${(100 * (a + b)).toFixed(1)}% of the variance.`);
  }
  if (pj.method === "tsne") info.push(pj.tsneState + ". t-SNE keeps neighbourhoods; distances between far groups and the axes mean little.");
  $("projection-info").textContent = info.join(" ");
  fitSvg(svg, 680, 0.82, 300);
  const Wd = +svg.getAttribute("width"), Ht = +svg.getAttribute("height");
  if (!pj.xy) {
    svg.innerHTML = `<text x="${Wd / 2}" y="${Ht / 2}" text-anchor="middle" fill="#6b7280">${esc(pj.tsneState)}…</text>`;
    return;
  }
  const n = pj.rows.length;
  const L = Wd < 500 ? 36 : 44, R = 10, T = 14, B = 40;
  // In PCA, a selected word or neighbour beyond the first n rows is projected onto the same two
  // components and drawn too; t-SNE has no such projection, so it is only listed.
  const extra = pj.method === "pca" ? [pj.selected, ...pj.neighbours.map((nb) => nb.row)].filter((r) => r !== null && !pj.pos.has(r)) : [];
  const rowsDrawn = [...pj.rows, ...new Set(extra)];
  const at = (i) => projectRow(i);
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
  const matches = sel === null && pj.matches ? pj.matches : null;
  const colouring = colouringOf(s, $("color-by").value);
  const colourOfRow = colouring.colour;
  let g = `<rect x="${L}" y="${T}" width="${fw}" height="${fh}" fill="#fff" stroke="#e5e7eb"/>`;
  // ticks with one step on both axes (the same scale)
  const step = niceTicks(0, Math.max(fw, fh) * span, 8);
  const d = step.length > 1 ? step[1] - step[0] : 1;
  const fmtTick = (v) => (Math.abs(v) < d * 1e-6 ? "0" : Number(v.toPrecision(6)).toString());
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
  const focus = (i) => i === sel || near.has(i) || (matches !== null && matches.has(i));
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
    const faded = (sel !== null || matches !== null) && !f;
    const r = i === sel ? 6 : f ? 5 : 3.5;
    const stroke = i === sel ? `stroke="#111827" stroke-width="2"` : matches !== null && f ? `stroke="${MATCH}" stroke-width="2"` : f ? `stroke="#111827" stroke-width="1.2"` : `stroke="#fff" stroke-width="0.8"`;
    dots += `<circle data-i="${i}" cx="${X.toFixed(1)}" cy="${Y.toFixed(1)}" r="${r}" fill="${colourOfRow(i)}" ${stroke}${faded ? ` class="faded"` : ""}/>`;
    const box = { x: X - r, y: Y - r, w: 2 * r, h: 2 * r };
    insert(pointGrid, box);
    if (f || (sel === null && matches === null)) insert(labelGrid, box);
  }
  // labels, greedily: the selected word and its neighbours first, then in row (frequency) order;
  // a label that would overlap a placed label or a point is left out (hover shows it)
  const labelOrder = [...(sel !== null ? [sel] : []), ...pj.neighbours.map((nb) => nb.row).filter((r) => drawn.has(r)),
    ...(matches !== null ? rowsDrawn.filter((r) => matches.has(r)) : []), ...rowsDrawn];
  const placed = new Set();
  let labels = "", leaders = "";
  const fits = (b) => b.x >= L + 1 && b.x + b.w <= L + fw - 1 && b.y >= T + 1 && b.y + b.h <= T + fh - 1;
  let taken = 0;
  for (const i of labelOrder) {
    if (placed.has(i)) continue;
    placed.add(i);
    const strong = focus(i);
    if ((sel !== null || matches !== null) && !strong && taken > 60) continue;
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
    labels += `<text class="label${strong ? " strong" : ""}${(sel !== null || matches !== null) && !strong ? " faded" : ""}" x="${(best.x + 1).toFixed(1)}" y="${(best.y + h - 3).toFixed(1)}">${esc(s.words[i])}</text>`;
  }
  svg.innerHTML = g + leaders + dots + labels;
  svg.dataset.labels = String(taken);
  svg.dataset.points = String(rowsDrawn.length);
  pj.screen = { px, py };
  $("legend").innerHTML = colouring.legend(rowsDrawn);
  document.body.dataset.colour = colouring.mode;
}

// --- colours -------------------------------------------------------------------------------
/** A sequential scale (light yellow to dark blue, as viridis reversed) for t in [0, 1]. */
const SEQ = [[253, 231, 37], [94, 201, 98], [33, 145, 140], [59, 82, 139], [68, 1, 84]];
function sequential(t) {
  const x = Math.max(0, Math.min(1, t)) * 4;
  const i = Math.min(3, Math.floor(x));
  const f = x - i;
  const [a, b] = [SEQ[i], SEQ[i + 1]];
  return `rgb(${a.map((c, k) => Math.round(c + f * (b[k] - c))).join(",")})`;
}
const SEQ_CSS = `linear-gradient(to right, ${SEQ.map((c) => `rgb(${c.join(",")})`).join(", ")})`;

/** How the points are coloured: { mode, colour(row), legend(rows) }. */
function colouringOf(s, mode) {
  if (mode === "class" && s.hasClasses) {
    const groups = new Map();
    const colour = (i) => {
      const c = classOf.get(s.words[i]);
      if (c === undefined) return OTHER;
      if (!groups.has(c)) groups.set(c, PALETTE[Object.keys(DEMO_CLASSES).indexOf(c) % PALETTE.length]);
      return groups.get(c);
    };
    const legend = (rows) => {
      const counts = new Map();
      let other = 0;
      for (const i of rows) {
        const c = classOf.get(s.words[i]);
        if (c === undefined) other++;
        else counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      return Object.keys(DEMO_CLASSES).filter((c) => counts.has(c)).map((c) =>
        `<span class="swatch" style="background:${colour(s.words.indexOf(DEMO_CLASSES[c].find((w) => s.kv.has(w))))}"></span><span>${esc(c)} (${counts.get(c)})</span>`).join("") +
        (other > 0 ? `<span class="swatch" style="background:${OTHER}"></span><span>not in a demo class (${other})</span>` : "");
    };
    return { mode, colour, legend };
  }
  if (mode === "freq") {
    // row order is frequency order (word2vec files and the library's vocabularies list the most
    // frequent words first): the colour follows log(1 + row), so the first rows are told apart
    const last = Math.max(1, s.words.length - 1);
    const colour = (i) => sequential(Math.log1p(i) / Math.log1p(last));
    const count = (i) => (s.counts ? ` · seen ${s.counts[i].toLocaleString("en")}×` : "");
    const legend = () => `<span class="seq" style="background:${SEQ_CSS}"></span><span>row 0 (most frequent${count(0)}) → row ${last.toLocaleString("en")}${count(last)}; log scale</span>`;
    return { mode, colour, legend };
  }
  if (mode === "meta" && s.meta) {
    const col = Math.min(Number($("meta-column").value) || 0, s.meta.columns.length - 1);
    const values = s.meta.rows.map((r) => r[col] ?? "");
    const numeric = values.every((v) => v !== "" && Number.isFinite(Number(v)));
    if (numeric) {
      const xs = values.map(Number);
      let lo = Infinity, hi = -Infinity;
      for (const x of xs) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
      const colour = (i) => sequential(hi > lo ? (xs[i] - lo) / (hi - lo) : 0);
      const legend = () => `<span class="seq" style="background:${SEQ_CSS}"></span><span>${esc(s.meta.columns[col])}: ${lo} → ${hi}</span>`;
      return { mode, colour, legend };
    }
    // categories: the 9 commonest get a colour each, the rest grey
    const freq = new Map();
    for (const v of values) freq.set(v, (freq.get(v) ?? 0) + 1);
    const top = [...freq.entries()].sort((a, b) => b[1] - a[1]).slice(0, PALETTE.length).map(([v]) => v);
    const colourOf = new Map(top.map((v, k) => [v, PALETTE[k]]));
    const colour = (i) => colourOf.get(values[i]) ?? OTHER;
    const legend = (rows) => {
      const here = new Map();
      for (const i of rows) here.set(values[i], (here.get(values[i]) ?? 0) + 1);
      let other = 0;
      for (const [v, c] of here) if (!colourOf.has(v)) other += c;
      return top.filter((v) => here.has(v)).map((v) => `<span class="swatch" style="background:${colourOf.get(v)}"></span><span>${esc(v === "" ? "(empty)" : v)} (${here.get(v)})</span>`).join("") +
        (other > 0 ? `<span class="swatch" style="background:${OTHER}"></span><span>other values (${other})</span>` : "");
    };
    return { mode, colour, legend };
  }
  return { mode: "none", colour: () => PALETTE[0], legend: () => "" };
}

// --- metadata (the Embedding Projector's TSV) ------------------------------------------------
/**
 * Reads metadata in the Embedding Projector's format: tab-separated, one row per vector in the
 * vectors' order; with two columns or more the first row is a header (a single column has none).
 */
function parseMetadata(text, name, count) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new Error(`${name}: the file is empty`);
  const width = lines[0].split("\t").length;
  const columns = width > 1 ? lines.shift().split("\t") : ["label"];
  const rows = lines.map((l) => l.split("\t"));
  if (rows.length !== count) {
    throw new Error(`${name}: ${rows.length.toLocaleString("en")} rows of metadata${width > 1 ? " after the header" : ""} for ${count.toLocaleString("en")} vectors (one row per vector, in their order)`);
  }
  // colour by the first column that is not the words themselves
  const sameAsWords = (c) => rows.every((r, i) => r[c] === pj.source.words[i]);
  let preferred = 0;
  while (preferred < columns.length - 1 && sameAsWords(preferred)) preferred++;
  return { name, columns, rows, preferred };
}

// --- neighbours and search -------------------------------------------------------------------
/** The KeyedVectors that cosine is taken in: the vectors as they are, or minus their mean. */
function cosineVectors(s) {
  if (!$("centre").checked) return s.kv;
  if (!s.centred) {
    const n = s.words.length, d = s.dim, X = s.data;
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X[i * d + j];
    for (let j = 0; j < d; j++) mean[j] /= n;
    const C = new Float32Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) C[i * d + j] = X[i * d + j] - mean[j];
    s.centred = new KeyedVectors(s.words, new Tensor(C, [n, d]));
  }
  return s.centred;
}

function select(word, { keepProjection = false } = {}) {
  const s = pj.source;
  if (!s) return;
  const kv = cosineVectors(s);
  const row = kv.index(word);
  const ol = $("neighbours");
  const wasIsolated = pj.isolated;
  if (row < 0) {
    pj.selected = null;
    pj.neighbours = [];
    ol.innerHTML = `<li class="missing">${esc(word)} is not in these vectors</li>`;
    $("query").textContent = "";
    ol.dataset.word = "";
    if (wasIsolated && !keepProjection) project();
    requestPlot();
    saveState();
    return;
  }
  const k = Number($("k").value);
  pj.selected = row;
  pj.matches = null;
  $("matches").hidden = true;
  const near = kv.mostSimilar(word, k);
  pj.neighbours = near.map((nb) => ({ ...nb, row: kv.index(nb.word) }));
  ol.dataset.word = word;
  const drawnRow = (r) => pj.pos.has(r) || pj.method === "pca";
  const beyond = (r) => (pj.pos.has(r) ? "" : pj.method === "pca" ? ` (row ${r}, added)` : ` (row ${r}, not drawn)`);
  $("query").innerHTML = `<b>${esc(word)}</b> · row ${row}${$("centre").checked ? " · cosine of the centred vectors" : ""}` +
    (pj.pos.has(row) || pj.isolated ? "" : pj.method === "pca" ? `, beyond the first ${pj.n}: projected onto the same components and added` : `, beyond the first ${pj.n}: not drawn`);
  const far = Math.max(row, ...pj.neighbours.map((nb) => nb.row));
  if (pj.method !== "pca" && !pj.isolated && far >= pj.n) {
    $("query").insertAdjacentHTML("beforeend", `; raise “points” to ${(far + 1).toLocaleString("en")} to draw ${far === row ? "it" : "them all"}${far + 1 > TSNE_MAX ? ` (t-SNE draws ${TSNE_MAX.toLocaleString("en")} at most; PCA adds them)` : ""}`);
  }
  ol.innerHTML = pj.neighbours.map((nb) =>
    `<li data-word="${esc(nb.word)}" class="${drawnRow(nb.row) ? "" : "missing"}">${esc(nb.word)}${pj.isolated ? "" : beyond(nb.row)}<span class="sim">${nb.similarity.toFixed(3)}</span></li>`).join("");
  if ($("search-mode").value === "word") $("search").value = word;
  if ($("isolate").checked && !keepProjection) project();
  requestPlot();
  saveState();
}

/** Prefix or regular-expression search: every matching word is highlighted and listed. */
function runSearch() {
  const s = pj.source;
  const mode = $("search-mode").value;
  const q = $("search").value.trim();
  const box = $("matches");
  if (!s || mode === "word" || q === "") {
    pj.matches = null;
    box.hidden = true;
    box.dataset.count = "";
    requestPlot();
    return;
  }
  let test;
  if (mode === "prefix") {
    const p = q.toLowerCase();
    test = (w) => w.toLowerCase().startsWith(p);
  } else {
    let re;
    try {
      re = new RegExp(q, "iu");
    } catch (e) {
      pj.matches = null;
      box.hidden = false;
      box.dataset.count = "";
      box.textContent = `not a regular expression: ${e.message}`;
      requestPlot();
      return;
    }
    test = (w) => re.test(w);
  }
  const found = [];
  for (let i = 0; i < s.words.length; i++) if (test(s.words[i])) found.push(i);
  pj.matches = new Set(found);
  if (pj.selected !== null) {
    clearSelection();
    if (pj.isolated) project();
  }
  const drawnCount = found.filter((i) => pj.pos.has(i)).length;
  box.hidden = false;
  box.dataset.count = String(found.length);
  const shownList = found.slice(0, 30);
  box.innerHTML = `${found.length.toLocaleString("en")} word${found.length === 1 ? "" : "s"} match (${drawnCount.toLocaleString("en")} drawn, ringed)` +
    (found.length > 0 ? `: ${shownList.map((i) => `<a href="#" data-word="${esc(s.words[i])}">${esc(s.words[i])}</a>`).join(" ")}${found.length > shownList.length ? " …" : ""}` : "") +
    (found.length > 0 ? `. Click one, or press Enter for the first, to see its neighbours.` : "");
  requestPlot();
  saveState();
}

function searchEnter() {
  const w = $("search").value.trim();
  const mode = $("search-mode").value;
  if (w === "") {
    clearSelection();
    if (pj.isolated) project(); // nothing selected: back to the first rows
    runSearch();
    requestPlot();
    saveState();
    return;
  }
  if (mode !== "word") {
    runSearch();
    const first = pj.matches && pj.matches.size > 0 ? Math.min(...pj.matches) : -1;
    if (first >= 0) select(pj.source.words[first]);
    return;
  }
  const kv = pj.source ? pj.source.kv : null;
  select(w.toLowerCase() !== w && kv && !kv.has(w) ? w.toLowerCase() : w);
}

// --- sizes -----------------------------------------------------------------------------------
/** Sets an SVG's width to what its box allows (at most `max`), and its height in proportion. */
function fitSvg(svg, max, ratio, minHeight) {
  const box = svg.parentElement.getBoundingClientRect().width;
  const w = Math.max(240, Math.min(max, Math.floor(box > 0 ? box - 2 : max)));
  const h = Math.max(minHeight, Math.round(w * ratio));
  if (+svg.getAttribute("width") !== w) svg.setAttribute("width", String(w));
  if (+svg.getAttribute("height") !== h) svg.setAttribute("height", String(h));
}
let resizePending = 0;
window.addEventListener("resize", () => {
  clearTimeout(resizePending);
  resizePending = setTimeout(() => {
    if (pj.source) requestPlot();
    if (tr.latest) requestDraw();
  }, 100);
});

// --- events ----------------------------------------------------------------------------------
$("search").addEventListener("keydown", (e) => e.key === "Enter" && searchEnter());
$("search").addEventListener("input", () => $("search-mode").value !== "word" && runSearch());
$("search-mode").addEventListener("change", () => {
  $("search").placeholder = { word: "a word, then Enter", prefix: "the start of words", regex: "a regular expression, e.g. ^(he|she)$" }[$("search-mode").value];
  runSearch();
  saveState();
});
$("matches").addEventListener("click", (e) => {
  const a = e.target.closest("a[data-word]");
  if (!a) return;
  e.preventDefault();
  select(a.dataset.word);
});
$("k").addEventListener("input", () => {
  $("k-label").textContent = $("k").value;
  if (pj.selected !== null) select(pj.source.words[pj.selected]);
  else saveState();
});
$("centre").addEventListener("change", () => {
  if (pj.selected !== null) select(pj.source.words[pj.selected]);
  else saveState();
});
$("isolate").addEventListener("change", () => {
  project();
  saveState();
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
  const s = pj.source;
  const w = s.words[i];
  const cls = s.hasClasses ? classOf.get(w) : undefined;
  const meta = s.meta && $("color-by").value === "meta" ? s.meta.rows[i][Number($("meta-column").value) || 0] : undefined;
  tip.textContent = `${w}${cls ? ` · ${cls}` : ""}${meta !== undefined ? ` · ${meta}` : ""}${s.counts ? ` · seen ${s.counts[i].toLocaleString("en")}×` : ""} · row ${i}`;
  tip.hidden = false;
  tip.style.left = `${Math.min(Number(c.getAttribute("cx")) + 10, svgEl.clientWidth - 120)}px`;
  tip.style.top = `${Number(c.getAttribute("cy")) - 28}px`;
});
svgEl.addEventListener("mouseleave", () => ($("tooltip").hidden = true));
$("vectors-source").addEventListener("change", () => useSource($("vectors-source").value));
for (const id of ["max-points", "method", "perplexity"]) $(id).addEventListener("change", () => (project(), saveState()));
$("color-by").addEventListener("change", () => {
  if (pj.source) syncColourOptions();
  requestPlot();
  saveState();
});
$("meta-column").addEventListener("change", requestPlot);
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
$("open-meta").addEventListener("click", () => $("meta-file").click());
$("meta-file").addEventListener("change", async () => {
  const f = $("meta-file").files[0];
  if (!f || !pj.source) return;
  try {
    pj.source.meta = parseMetadata(await f.text(), f.name, pj.source.words.length);
    $("color-by").querySelector('option[value="meta"]').disabled = false;
    $("color-by").value = "meta";
    syncColourOptions();
    status(`opened ${f.name}: ${pj.source.meta.rows.length.toLocaleString("en")} rows, columns ${pj.source.meta.columns.join(", ")}`);
    requestPlot();
  } catch (e) {
    showError(`opening ${f.name}`, e);
  }
  $("meta-file").value = "";
});

// =============================================================================================
// The page's state in the URL's hash (#view=project&q=cat&k=5…), so that a view can be shared.
const STATE = {
  view: () => document.body.dataset.view ?? "lookup",
  preset: () => $("preset").value,
  idx: () => $("indices").value,
  opt: () => $("optimizer").value,
  onehot: () => ($("onehot").checked ? "1" : ""),
  src: () => pj.key ?? "",
  q: () => (pj.selected !== null && pj.source ? pj.source.words[pj.selected] : ""),
  mode: () => $("search-mode").value,
  search: () => ($("search-mode").value === "word" ? "" : $("search").value),
  k: () => $("k").value,
  centre: () => ($("centre").checked ? "1" : ""),
  isolate: () => ($("isolate").checked ? "1" : ""),
  method: () => $("method").value,
  points: () => $("max-points").value,
  colour: () => $("color-by").value,
};
const PROJECTOR_STATE = new Set(["src", "q", "mode", "search", "k", "centre", "isolate", "method", "points", "colour"]);
const DEFAULTS = { view: "lookup", src: "demo", preset: "random", idx: PRESETS.random.indices, opt: "sgd", mode: "word", k: "10", method: "pca", points: "500" };
let restoring = true;
function saveState() {
  if (restoring) return;
  const p = new URLSearchParams();
  const projector = shown.has("project");
  for (const [key, get] of Object.entries(STATE)) {
    if (!projector && PROJECTOR_STATE.has(key)) continue;
    const v = get();
    if (v !== "" && v !== DEFAULTS[key]) p.set(key, v);
  }
  // lookup state only when it is not the preset's own
  const preset = PRESETS[$("preset").value];
  if (p.get("idx") === preset.indices) p.delete("idx");
  if (p.get("opt") === preset.optimizer) p.delete("opt");
  const hash = p.toString();
  if (hash !== location.hash.slice(1)) history.replaceState(null, "", hash === "" ? location.pathname + location.search : `#${hash}`);
}

/** Applies the hash's state: the lookup's example, batch and optimizer, and the projector's
 * settings; the word to select waits for its vectors. */
function restoreState() {
  const h = new URLSearchParams(location.hash.slice(1));
  const q = new URLSearchParams(location.search);
  const set = (id, v) => {
    if (v === null) return;
    const el = $(id);
    if (el.tagName === "SELECT" && ![...el.options].some((o) => o.value === v && !o.disabled)) return;
    el.value = v;
  };
  applyPreset(PRESETS[h.get("preset")] ? h.get("preset") : "random");
  set("indices", h.get("idx"));
  set("optimizer", h.get("opt"));
  if (h.get("onehot") === "1") $("onehot").checked = true;
  set("search-mode", h.get("mode"));
  if (h.get("search")) $("search").value = h.get("search");
  set("k", h.get("k"));
  $("k-label").textContent = $("k").value;
  if (h.get("centre") === "1") $("centre").checked = true;
  if (h.get("isolate") === "1") $("isolate").checked = true;
  set("method", h.get("method"));
  set("max-points", h.get("points"));
  pj.wanted = { src: h.get("src"), q: h.get("q"), colour: h.get("colour") };
  resetLookup();
  const view = h.get("view") ?? q.get("view") ?? (q.has("vectors") ? "project" : "lookup");
  return views.includes(view) ? view : "lookup";
}

// ---------------------------------------------------------------------------------------------
window.addEventListener("error", (e) => showError("page", e.message));
window.addEventListener("unhandledrejection", (e) => showError("page", e.reason));
const first = restoreState();
restoring = false;
showView(first);
document.body.dataset.ready = "true";
