// One Wide & Deep training step against PyTorch 1.13 (bench/reference/torch_wide_deep.py, one thread),
// side by side in one run, rounds alternated: batch 512, 26 categorical fields of 10^5 rows each, bags
// of 1–5 ids, dim 16, layers 416 → 256 → 128 → 1, the wide part an EmbeddingBag(26·10^5, 1) over every
// id. SparseAdam on the tables, Adam on the dense layers. Build first: `npm run bench:widedeep` does.
//
//   node build/bench/wide-deep.js [--rounds 5] [--reps 10] [--json OUT.json]
//
// The step is split as the reference splits it:
//   tables   the 27 bag forwards and the concatenation, the bags' backward from the concatenation's
//            gradient, and SparseAdam's step                                    target: ≤ 2× PyTorch
//   dense    the dense layers' forward, the loss, their backward and Adam's step (plain-JS products
//            against BLAS: reported)
// and the dense part's nine matrix products are timed alone with the kernels Linear uses and with
// blocked variants (four rows or columns at a time, several accumulators), to say how much of the dense
// ratio is the product kernel.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Adam, SigmoidWithLoss, SparseAdam, Tensor, WideDeep } from "../src/index.js";
import { gemmNN, gemmNT, gemmTN } from "../src/tensor/ops.js";
import { putColumns, takeColumns } from "../src/models/wide-deep.js";
import { ms, randomIndices, ratio, table } from "./harness.js";
import { gemmNN2x4 } from "../src/kernels/gemm-nn.js";
import { gemmNT4x4 } from "../src/kernels/gemm-nt.js";
import { gemmTN2x4 } from "../src/kernels/gemm-tn.js";
import { gemmNNk4, gemmTNi4 } from "./variants.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const { values } = parseArgs({
  options: { rounds: { type: "string", default: "5" }, reps: { type: "string", default: "10" }, json: { type: "string" } },
});
const rounds = Number(values.rounds);
const reps = Number(values.reps);

const FIELDS = 26, ROWS = 100_000, DIM = 16, BATCH = 512;
const HIDDEN = [256, 128];

interface Batch {
  fields: { input: Int32Array; offsets: Int32Array }[];
  wide: { input: Int32Array; offsets: Int32Array };
  labels: Float32Array;
}

function makeBatch(seed: number): Batch {
  const fields = [];
  const sizes: Int32Array[] = [];
  for (let f = 0; f < FIELDS; f++) {
    const n = randomIndices(BATCH, 5, seed * 100 + f + 1).map((v) => v + 1);
    sizes.push(n);
    const offsets = new Int32Array(BATCH);
    for (let b = 1; b < BATCH; b++) offsets[b] = offsets[b - 1] + n[b - 1];
    const L = offsets[BATCH - 1] + n[BATCH - 1];
    fields.push({ input: randomIndices(L, ROWS, seed * 100 + 50 + f), offsets });
  }
  const wideIds: number[] = [];
  const wideOffsets = new Int32Array(BATCH);
  for (let b = 0; b < BATCH; b++) {
    wideOffsets[b] = wideIds.length;
    for (let f = 0; f < FIELDS; f++) {
      const s = fields[f].offsets[b];
      for (let j = 0; j < sizes[f][b]; j++) wideIds.push(fields[f].input[s + j] + f * ROWS);
    }
  }
  const labels = Float32Array.from(randomIndices(BATCH, 2, seed + 999));
  return { fields, wide: { input: Int32Array.from(wideIds), offsets: wideOffsets }, labels };
}

const model = new WideDeep({
  fields: Array.from({ length: FIELDS }, (_, f) => ({ name: `field ${f}`, vocab: ROWS, dim: DIM, mode: "sum" as const })),
  wideSize: FIELDS * ROWS,
  hidden: HIDDEN,
  seed: 0,
});
const sparseOpt = new SparseAdam(model.tableParams, { lr: 1e-3 });
const denseOpt = new Adam(model.denseParams, { lr: 1e-3 });
const loss = new SigmoidWithLoss();
const batches = [0, 1, 2, 3].map(makeBatch);
const width = FIELDS * DIM;

/** One step, the three parts timed: [tables forward, dense, tables backward] in ms. */
function step(batch: Batch): [number, number, number] {
  const t0 = performance.now();
  sparseOpt.zeroGrad();
  const x = new Float32Array(BATCH * width);
  for (let f = 0; f < FIELDS; f++) {
    putColumns(model.tables[f].forward(batch.fields[f].input, batch.fields[f].offsets).data, x, BATCH, DIM, width, f * DIM);
  }
  const w = model.wide.forward(batch.wide.input, batch.wide.offsets).data;
  const t1 = performance.now();
  denseOpt.zeroGrad();
  let a = new Tensor(x, [BATCH, width]);
  for (let l = 0; l < model.layers.length; l++) a = model.relus[l].forward(model.layers[l].forward(a));
  const logit = model.output.forward(a);
  const bias = model.bias.data[0];
  for (let b = 0; b < BATCH; b++) logit.data[b] += w[b] + bias;
  loss.forward(logit, batch.labels);
  const dlogit = loss.backward();
  let db = 0;
  for (let b = 0; b < BATCH; b++) db += dlogit.data[b];
  model.bias.grad = new Tensor(Float32Array.of(db), [1]);
  let d = model.output.backward(dlogit);
  for (let l = model.layers.length - 1; l >= 0; l--) d = model.layers[l].backward(model.relus[l].backward(d));
  denseOpt.step();
  const t2 = performance.now();
  for (let f = 0; f < FIELDS; f++) {
    const part = new Float32Array(BATCH * DIM);
    takeColumns(d.data, part, BATCH, DIM, width, f * DIM);
    model.tables[f].backward(new Tensor(part, [BATCH, DIM]));
  }
  model.wide.backward(dlogit);
  sparseOpt.step();
  const t3 = performance.now();
  return [t1 - t0, t2 - t1, t3 - t2];
}

// The dense part's nine products, alone: forward y = x Wᵀ (NT), dx = dout W (NN), dW = doutᵀ x (TN).
const shapes: [number, number][] = [[width, HIDDEN[0]], [HIDDEN[0], HIDDEN[1]], [HIDDEN[1], 1]];
const mats = shapes.map(([nIn, nOut], i) => ({
  nIn, nOut,
  x: Float32Array.from(randomIndices(BATCH * nIn, 1000, 7 + i), (v) => v / 1000 - 0.5),
  W: Float32Array.from(randomIndices(nOut * nIn, 1000, 17 + i), (v) => v / 1000 - 0.5),
  y: new Float32Array(BATCH * nOut),
  dx: new Float32Array(BATCH * nIn),
  dW: new Float32Array(nOut * nIn),
}));
type Kernels = { nt: typeof gemmNT; nn: typeof gemmNN; tn: typeof gemmTN };
const kernels: Record<string, Kernels> = {
  "ops.ts, plain loops": { nt: gemmNT, nn: gemmNN, tn: gemmTN },
  "blocked, 4 k / 4 i at a time (bench/variants.ts)": { nt: gemmNT4x4, nn: gemmNNk4, tn: gemmTNi4 },
  "dense-kernels.ts, blocked 2 × 4 (what Linear uses)": { nt: gemmNT4x4, nn: gemmNN2x4, tn: gemmTN2x4 },
};
function products(k: Kernels): number {
  const t0 = performance.now();
  for (const m of mats) k.nt(m.x, m.W, m.y, BATCH, m.nOut, m.nIn);
  for (let i = mats.length - 1; i >= 0; i--) {
    const m = mats[i];
    k.nn(m.y, m.W, m.dx, BATCH, m.nOut, m.nIn);
    k.tn(m.y, m.x, m.dW, BATCH, m.nOut, m.nIn);
  }
  return performance.now() - t0;
}
// the variants compute the same products
{
  const ref = mats.map((m) => { gemmNT(m.x, m.W, m.y, BATCH, m.nOut, m.nIn); gemmNN(m.y, m.W, m.dx, BATCH, m.nOut, m.nIn); gemmTN(m.y, m.x, m.dW, BATCH, m.nOut, m.nIn); return [m.y.slice(), m.dx.slice(), m.dW.slice()]; });
  mats.forEach((m, i) => {
    gemmNT4x4(m.x, m.W, m.y, BATCH, m.nOut, m.nIn);
    gemmNN2x4(m.y, m.W, m.dx, BATCH, m.nOut, m.nIn);
    gemmTN2x4(m.y, m.x, m.dW, BATCH, m.nOut, m.nIn);
    [m.y, m.dx, m.dW].forEach((got, j) => {
      for (let e = 0; e < got.length; e++) {
        if (Math.abs(got[e] - ref[i][j][e]) > 1e-3 * (1 + Math.abs(ref[i][j][e]))) throw new Error(`variant differs: layer ${i}, product ${j}, element ${e}`);
      }
    });
  });
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const js = { tables_forward: [] as number[], dense: [] as number[], tables_backward: [] as number[], matmul: {} as Record<string, number[]> };
const torch: Record<string, number>[] = [];
for (let i = 0; i < 5; i++) step(batches[i % batches.length]); // warm-up
for (const k of Object.values(kernels)) products(k);
for (let r = 0; r < rounds; r++) {
  // a step, then the products with each kernel set, in turn: load drifts hit them alike
  for (let i = 0; i < reps; i++) {
    const [a, b, c] = step(batches[i % batches.length]);
    js.tables_forward.push(a);
    js.dense.push(b);
    js.tables_backward.push(c);
    for (const [name, k] of Object.entries(kernels)) (js.matmul[name] ??= []).push(products(k));
  }
  const p = spawnSync("/usr/bin/python3", [join(root, "bench", "reference", "torch_wide_deep.py"), "--reps", String(reps)], { encoding: "utf8" });
  if (p.status !== 0) throw new Error(`torch_wide_deep.py failed: ${p.stderr}`);
  torch.push(JSON.parse(p.stdout));
  process.stderr.write(`round ${r + 1}/${rounds} done\n`);
}
// per round medians, then the median over rounds
const tm = (k: string) => median(torch.map((t) => t[k]));
const jsTables = median(js.tables_forward) + median(js.tables_backward);
const rows: (string | number)[][] = [
  ["tables: bag forward + concat", ms(median(js.tables_forward)), ms(tm("tables_forward")), ratio(median(js.tables_forward) / tm("tables_forward"))],
  ["tables: bag backward + SparseAdam", ms(median(js.tables_backward)), ms(tm("tables_backward")), ratio(median(js.tables_backward) / tm("tables_backward"))],
  ["tables (target ≤ 2×)", ms(jsTables), ms(tm("tables")), ratio(jsTables / tm("tables"))],
  ["dense: Linear/ReLU fwd + bwd + Adam", ms(median(js.dense)), ms(tm("dense")), ratio(median(js.dense) / tm("dense"))],
  ["step", ms(jsTables + median(js.dense)), ms(tm("step")), ratio((jsTables + median(js.dense)) / tm("step"))],
];
for (const [name, t] of Object.entries(js.matmul)) rows.push([`9 products, ${name}`, ms(median(t)), ms(tm("matmuls")), ratio(median(t) / tm("matmuls"))]);
console.log(`Wide & Deep step, batch ${BATCH}, ${FIELDS} fields × ${ROWS} rows, dim ${DIM}, ${width} → ${HIDDEN.join(" → ")} → 1; ` +
  `node ${process.version}, PyTorch ${torch[0].torch_version} (1 thread); ${rounds} rounds × ${reps} steps, medians; ${new Date().toISOString()}`);
console.log(table(["part", "embedkit ms", "PyTorch ms", "ratio"], rows));
const best = Math.min(...Object.values(js.matmul).map(median));
console.log(`the nine products are ${((100 * median(js.matmul["dense-kernels.ts, blocked 2 × 4 (what Linear uses)"])) / median(js.dense)).toFixed(0)}% of embedkit's dense part; ` +
  `Linear's products / the best variant measured: ${ratio(median(js.matmul["dense-kernels.ts, blocked 2 × 4 (what Linear uses)"]) / best)}`);
if (values.json) {
  writeFileSync(values.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds, reps, js: {
    tables_forward: median(js.tables_forward), tables_backward: median(js.tables_backward), dense: median(js.dense),
    matmul: Object.fromEntries(Object.entries(js.matmul).map(([k, v]) => [k, median(v)])),
  }, torch }, null, 2) + "\n");
}
