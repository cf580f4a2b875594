// Runs in any modern browser, straight from the built package.
import {
  DEMO_CLASSES, Embedding, encodeCorpus, generateDemoCorpus, KeyedVectors, SGD, Tensor, trainCBOW,
} from "../../dist/index.js";

const result = { ok: false };

/** A small SVG scatter plot of labelled 2-D points. */
function scatter(points, labels, colors, caption) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const W = 560, H = 380, pad = 56;
  const sx = (x) => pad + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * pad);
  const sy = (y) => H - pad - ((y - y0) / (y1 - y0 || 1)) * (H - 2 * pad);
  const dots = points
    .map((p, i) => `<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="4" fill="${colors[i]}"/>` +
      `<text x="${(sx(p[0]) + 6).toFixed(1)}" y="${(sy(p[1]) - 6).toFixed(1)}" font-size="12" fill="#333">${labels[i]}</text>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
    `<rect width="${W}" height="${H}" fill="#fff" stroke="#ddd"/>${dots}</svg><figcaption>${caption}</figcaption>`;
}

function trainSgd() {
  const V = 6;
  const emb = new Embedding(V, 2, { seed: 3 });
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
  const points = Array.from({ length: V }, (_, r) => Array.from(emb.weight.row(r)));
  document.getElementById("sgd-figure").innerHTML = scatter(
    points,
    points.map((_, r) => `row ${r}`),
    points.map(() => "#1f77b4"),
    "The table's rows after 60 SGD steps: on the unit circle.",
  );
  document.getElementById("sgd-log").textContent =
    `loss at step 1: ${losses[0].toFixed(4)}\nloss at step 60: ${losses.at(-1).toFixed(6)}\nW =\n${emb.weight}`;
  return { firstLoss: losses[0], lastLoss: losses.at(-1) };
}

/** The top two principal components of some rows, by power iteration on the covariance. */
function pca2(rows) {
  const n = rows.length, d = rows[0].length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  const X = rows.map((r) => Float64Array.from(r, (x, j) => x - mean[j]));
  const components = [];
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: d }, (_, j) => Math.sin(j + 1 + c));
    for (let it = 0; it < 100; it++) {
      const w = new Float64Array(d);
      for (const x of X) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += x[j] * v[j];
        for (let j = 0; j < d; j++) w[j] += dot * x[j];
      }
      for (const u of components) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += w[j] * u[j];
        for (let j = 0; j < d; j++) w[j] -= dot * u[j];
      }
      const norm = Math.hypot(...w) || 1;
      v = w.map((x) => x / norm);
    }
    components.push(v);
  }
  return X.map((x) => components.map((u) => x.reduce((s, xj, j) => s + xj * u[j], 0)));
}

function trainWordVectors() {
  const start = performance.now();
  const corpus = encodeCorpus(generateDemoCorpus({ sentences: 3000, seed: 1 }), { minCount: 1 });
  const { vocab, vectors, stats } = trainCBOW(corpus, { dim: 32, window: 3, epochs: 5, seed: 1 });
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
  const points = pca2(words.map((w) => kv.get(w)));
  const colors = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"];
  const classIndex = new Map(classes.map(([name], i) => [name, i]));
  document.getElementById("cbow-figure").innerHTML = scatter(
    points,
    words,
    words.map((w) => colors[classIndex.get(classOf.get(w)) % colors.length]),
    `The demo grammar's words after CBOW training, projected by PCA; colours are the word classes (${classes.map(([n]) => n).join(", ")}).`,
  );
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
