// Runs in any modern browser, straight from the built package.
import { Embedding, SGD, Tensor } from "../../dist/index.js";

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

try {
  result.sgd = trainSgd();
  result.ok = result.sgd.lastLoss < result.sgd.firstLoss / 100;
  document.getElementById("status").textContent = result.ok ? "done" : "training did not converge";
} catch (e) {
  result.error = String(e && e.stack || e);
  document.getElementById("status").textContent = `error: ${e}`;
}
window.embedkitResult = result;
document.body.dataset.done = "true";
