// The kernel variants embedkit measured before choosing the ones in src/kernels/ and
// src/word2vec/cbow-kernel.ts. Run with `npm run bench -- --variants`; each kernel's comment quotes
// the result.
import { gatherRows } from "../src/kernels/gather.js";
import { scatterAddRows, scatterCopyFirst } from "../src/kernels/scatter-add.js";
import { WALK_LIMIT, distinctRows, distinctRowsByWalk, newSlotMap } from "../src/kernels/group-rows.js";
import { axpyRowsAndClear, axpySameRows, scatterAxpyRows } from "../src/kernels/axpy.js";
import { toIndices } from "../src/tensor/indices.js";
import { cbowUpdateKernel } from "../src/word2vec/step.js";
import { oneOutput } from "../src/word2vec/output.js";
import { Random } from "../src/tensor/random.js";
import { Tensor } from "../src/tensor/tensor.js";
import { TSNE, tsneAffinities, tsneGradient } from "../src/vectors/tsne.js";
import { FULL, QUICK, type Budget, measure, ms, randomFloats, randomIndices, table } from "./harness.js";

// ---- gather: out[i] = W[idx[i]] ----

export function gatherSet(W: Float32Array, idx: Int32Array, out: Float32Array, H: number): void {
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * H;
    out.set(W.subarray(src, src + H), i * H);
  }
}

export function gatherLoop(W: Float32Array, idx: Int32Array, out: Float32Array, H: number): void {
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * H;
    const dst = i * H;
    for (let j = 0; j < H; j++) out[dst + j] = W[src + j];
  }
}

export function gatherUnrolled(W: Float32Array, idx: Int32Array, out: Float32Array, H: number): void {
  const H4 = H & ~3;
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * H;
    const dst = i * H;
    let j = 0;
    for (; j < H4; j += 4) {
      out[dst + j] = W[src + j];
      out[dst + j + 1] = W[src + j + 1];
      out[dst + j + 2] = W[src + j + 2];
      out[dst + j + 3] = W[src + j + 3];
    }
    for (; j < H; j++) out[dst + j] = W[src + j];
  }
}

/**
 * The copy through Float64Array views of the same bytes (H even, buffers 8-byte aligned): two floats
 * per access, 1.8× faster than `set(subarray)` at H = 64. Not kept: a pair of float32s whose second
 * is a NaN with certain payloads reads as a NaN double, and JavaScriptCore (Safari, Bun) canonicalises
 * NaN doubles it boxes, so the copy is not bit-exact there (node: 0 of 65,536 such pairs changed;
 * bun: 28,644 words changed).
 */
export function gatherFloat64(W: Float64Array, idx: Int32Array, out: Float64Array, H2: number): void {
  const H8 = H2 & ~7;
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * H2;
    const dst = i * H2;
    let j = 0;
    for (; j < H8; j += 8) {
      out[dst + j] = W[src + j];
      out[dst + j + 1] = W[src + j + 1];
      out[dst + j + 2] = W[src + j + 2];
      out[dst + j + 3] = W[src + j + 3];
      out[dst + j + 4] = W[src + j + 4];
      out[dst + j + 5] = W[src + j + 5];
      out[dst + j + 6] = W[src + j + 6];
      out[dst + j + 7] = W[src + j + 7];
    }
    for (; j < H2; j++) out[dst + j] = W[src + j];
  }
}

/** The same copy through Int32Array views: bit-exact, no float conversions in the loop. */
export function gatherInt32(W: Int32Array, idx: Int32Array, out: Int32Array, H: number): void {
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * H;
    const dst = i * H;
    for (let j = 0; j < H; j++) out[dst + j] = W[src + j];
  }
}

/** Int32 views, unrolled by 4. */
export function gatherInt32Unrolled(W: Int32Array, idx: Int32Array, out: Int32Array, H: number): void {
  const H4 = H & ~3;
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * H;
    const dst = i * H;
    let j = 0;
    for (; j < H4; j += 4) {
      out[dst + j] = W[src + j];
      out[dst + j + 1] = W[src + j + 1];
      out[dst + j + 2] = W[src + j + 2];
      out[dst + j + 3] = W[src + j + 3];
    }
    for (; j < H; j++) out[dst + j] = W[src + j];
  }
}

// ---- scatter-add: dW[idx[i]] += dout[i] ----

export function scatterLoop(dW: Float32Array, idx: Int32Array, dout: Float32Array, H: number): void {
  for (let i = 0; i < idx.length; i++) {
    const dst = idx[i] * H;
    const src = i * H;
    for (let j = 0; j < H; j++) dW[dst + j] += dout[src + j];
  }
}

export function scatterUnrolled(dW: Float32Array, idx: Int32Array, dout: Float32Array, H: number): void {
  const H4 = H & ~3;
  for (let i = 0; i < idx.length; i++) {
    const dst = idx[i] * H;
    const src = i * H;
    let j = 0;
    for (; j < H4; j += 4) {
      dW[dst + j] += dout[src + j];
      dW[dst + j + 1] += dout[src + j + 1];
      dW[dst + j + 2] += dout[src + j + 2];
      dW[dst + j + 3] += dout[src + j + 3];
    }
    for (; j < H; j++) dW[dst + j] += dout[src + j];
  }
}

/** First occurrence of a row copies (set), later ones add: the row need not be zero beforehand. */
export function scatterFirstCopy(dW: Float32Array, idx: Int32Array, dout: Float32Array, H: number, seen: Uint8Array): void {
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    const dst = r * H;
    const src = i * H;
    if (seen[r] === 0) {
      seen[r] = 1;
      for (let j = 0; j < H; j++) dW[dst + j] = dout[src + j];
    } else {
      for (let j = 0; j < H; j++) dW[dst + j] += dout[src + j];
    }
  }
  for (let i = 0; i < idx.length; i++) seen[idx[i]] = 0;
}

export function clearRowsFill(dW: Float32Array, rows: Int32Array, H: number): void {
  for (let i = 0; i < rows.length; i++) dW.fill(0, rows[i] * H, rows[i] * H + H);
}

export function clearRowsLoop(dW: Float32Array, rows: Int32Array, H: number): void {
  for (let i = 0; i < rows.length; i++) {
    const s = rows[i] * H;
    for (let j = 0; j < H; j++) dW[s + j] = 0;
  }
}

// ---- sgd row update: P[row] -= lr · G[row] ----

export function axpyRowsLoop(P: Float32Array, rows: Int32Array, G: Float32Array, H: number, lr: number): void {
  for (let r = 0; r < rows.length; r++) {
    const p = rows[r] * H;
    const g = r * H;
    for (let j = 0; j < H; j++) P[p + j] -= lr * G[g + j];
  }
}

export function axpyRowsUnrolled(P: Float32Array, rows: Int32Array, G: Float32Array, H: number, lr: number): void {
  const H4 = H & ~3;
  for (let r = 0; r < rows.length; r++) {
    const p = rows[r] * H;
    const g = r * H;
    let j = 0;
    for (; j < H4; j += 4) {
      P[p + j] -= lr * G[g + j];
      P[p + j + 1] -= lr * G[g + j + 1];
      P[p + j + 2] -= lr * G[g + j + 2];
      P[p + j + 3] -= lr * G[g + j + 3];
    }
    for (; j < H; j++) P[p + j] -= lr * G[g + j];
  }
}

// ---- the CBOW negative-sampling step (src/word2vec/cbow-kernel.ts) ----

/**
 * The step with one row per pass over j: each context row summed in a pass of its own, each output
 * row scored and updated by the kernel's own one-row `oneOutput`, each context row updated in a pass
 * of its own; every pass unrolled by four.
 */
export function cbowStepOneRowPerPass(
  Win: Float32Array, Wout: Float32Array, H: number, ctx: Int32Array, n: number, target: number,
  negs: Int32Array, k: number, alpha: number, h: Float64Array, neu1e: Float64Array,
  undividedGrad: boolean, computeLoss: boolean,
): number {
  const H4 = H & ~3;
  let row = ctx[0] * H;
  for (let j = 0; j < H; j++) h[j] = Win[row + j];
  for (let c = 1; c < n; c++) {
    row = ctx[c] * H;
    let j = 0;
    for (; j < H4; j += 4) {
      h[j] += Win[row + j];
      h[j + 1] += Win[row + j + 1];
      h[j + 2] += Win[row + j + 2];
      h[j + 3] += Win[row + j + 3];
    }
    for (; j < H; j++) h[j] += Win[row + j];
  }
  for (let j = 0; j < H; j++) h[j] /= n;
  neu1e.fill(0, 0, H);
  let loss = 0;
  for (let d = 0; d <= k; d++) loss += oneOutput(Wout, H, h, neu1e, (d === 0 ? target : negs[d - 1]) * H, d === 0 ? 1 : 0, alpha, computeLoss);
  if (!undividedGrad) for (let j = 0; j < H; j++) neu1e[j] /= n;
  for (let c = 0; c < n; c++) {
    row = ctx[c] * H;
    let j = 0;
    for (; j < H4; j += 4) {
      Win[row + j] += neu1e[j];
      Win[row + j + 1] += neu1e[j + 1];
      Win[row + j + 2] += neu1e[j + 2];
      Win[row + j + 3] += neu1e[j + 3];
    }
    for (; j < H; j++) Win[row + j] += neu1e[j];
  }
  return loss;
}

/**
 * One CBOW step per call over a fixed stream of steps shaped like wiki-en-106 training (V = 9,044,
 * H = 100, window 5 shrunk at random, 5 negatives, words drawn with Zipf frequencies), for both
 * kernels on tables of their own: time per step and the ratio.
 */
async function cbowKernels(budget: Budget): Promise<(string | number)[][]> {
  const V = 9044, H = 100, k = 5, steps = 2000;
  const rng = new Random(5);
  const zipf = () => Math.min(V - 1, Math.floor(Math.exp(rng.uniform() * Math.log(V)) - 1));
  const ctx = new Int32Array(steps * 10), n = new Int32Array(steps), target = new Int32Array(steps), negs = new Int32Array(steps * k);
  for (let s = 0; s < steps; s++) {
    n[s] = 2 * (1 + rng.int(5));
    for (let c = 0; c < n[s]; c++) ctx[s * 10 + c] = zipf();
    target[s] = zipf();
    for (let d = 0; d < k; d++) do negs[s * k + d] = zipf(); while (negs[s * k + d] === target[s]);
  }
  // Each step's context and negatives as views made once, so that the timed loop allocates nothing.
  const ctxOf = Array.from({ length: steps }, (_, s) => ctx.subarray(s * 10, s * 10 + n[s]));
  const negsOf = Array.from({ length: steps }, (_, s) => negs.subarray(s * k, s * k + k));
  const h = new Float64Array(H), e = new Float64Array(H);
  const run = (kernel: typeof cbowUpdateKernel) => {
    const Win = randomFloats(V * H, 1).map((x) => x / H), Wout = new Float32Array(V * H);
    return () => {
      for (let s = 0; s < steps; s++) kernel(Win, Wout, H, ctxOf[s], n[s], target[s], negsOf[s], k, 0.025, h, e, true, true);
    };
  };
  // Five alternating rounds, medians: the load of a shared machine drifts between two long timings.
  const part: Budget = { ...budget, time: budget.time / 5, iterations: Math.ceil(budget.iterations / 5) };
  const oneStep = run(cbowStepOneRowPerPass), keptStep = run(cbowUpdateKernel);
  const one: number[] = [], kept: number[] = [], ratios: number[] = [];
  for (let round = 0; round < 5; round++) {
    one.push((await measure("one row per pass", oneStep, part)).medianMs);
    kept.push((await measure("several rows per pass", keptStep, part)).medianMs);
    ratios.push(kept[round] / one[round]);
  }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[2];
  const perStep = (ms: number) => ((ms * 1e6) / steps).toFixed(0);
  return [
    ["cbow step H=100", "one row per pass, unrolled×4", ms(mid(one)), "1.00×", perStep(mid(one)) + " ns/step"],
    ["cbow step H=100", "4 context / 6 output rows per pass (kept)", ms(mid(kept)), mid(ratios).toFixed(2) + "× (rounds " + ratios.map((r) => r.toFixed(2)).join(", ") + ")", perStep(mid(kept)) + " ns/step"],
  ];
}

const SHAPES = [
  { name: "H=16", V: 10_000, H: 16, N: 2048 },
  { name: "H=32", V: 10_000, H: 32, N: 2048 },
  { name: "teach H=64", V: 10_000, H: 64, N: 2048 },
  { name: "cbow H=100", V: 1_000_000, H: 100, N: 1000 },
  { name: "H=256", V: 10_000, H: 256, N: 2048 },
  { name: "bert H=768", V: 21_128, H: 768, N: 4096 },
];

// ---- t-SNE's exact gradient (src/vectors/tsne.ts) ----

/**
 * The first version of the gradient: every pair visited from both ends, any number of dimensions,
 * and the divergence's logarithm at every iteration. At n = 1000 an iteration took 4–5× as long as
 * the kept one (one visit per pair, the plane written out, KL once per TSNE.step call): 70–90 ms
 * against 13–18 ms, Node 20, 2026-12-01.
 */
export function tsneGradientBothWays(P: Float64Array, Y: Float64Array, n: number, dims: number, alpha: number, num: Float64Array, grad: Float64Array): number {
  let Z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dims; k++) s += (Y[i * dims + k] - Y[j * dims + k]) ** 2;
      num[i * n + j] = num[j * n + i] = 1 / (1 + s);
      Z += 2 * num[i * n + j];
    }
  }
  grad.fill(0);
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const q = num[i * n + j] / Z;
      const p = P[i * n + j];
      if (p > 0) kl += p * Math.log(p / Math.max(q, 1e-300));
      const m = 4 * (alpha * p - q) * num[i * n + j];
      for (let k = 0; k < dims; k++) grad[i * dims + k] += m * (Y[i * dims + k] - Y[j * dims + k]);
    }
  }
  return kl;
}

async function tsneKernels(budget: Budget): Promise<(string | number)[][]> {
  const rows: (string | number)[][] = [];
  const n = 1000, d = 32;
  const rng = new Random(1);
  const X = new Tensor(Float32Array.from({ length: n * d }, () => rng.normal()), [n, d]);
  const { P } = tsneAffinities(X, 30);
  const Y = Float64Array.from({ length: 2 * n }, () => rng.normal());
  const num = new Float64Array(n * n), grad = new Float64Array(2 * n);
  const base = await measure("both ways", () => tsneGradientBothWays(P, Y, n, 2, 1, num, grad), budget);
  rows.push([`n=${n}`, "both ways, KL every iteration", ms(base.medianMs), "1.00×"]);
  const one = await measure("tsneGradient", () => tsneGradient(P, Y), budget);
  rows.push([`n=${n}`, "one visit per pair, with KL (tsneGradient)", ms(one.medianMs), (one.medianMs / base.medianMs).toFixed(2) + "×"]);
  const t = new TSNE(X, { perplexity: 30 });
  const steps = await measure("TSNE.step(10)", () => t.step(10), budget);
  rows.push([`n=${n}`, "TSNE.step, KL once per 10 (kept)", ms(steps.medianMs / 10), (steps.medianMs / 10 / base.medianMs).toFixed(2) + "×"]);
  return rows;
}

export async function runVariants(quick: boolean): Promise<void> {
  const budget: Budget = quick ? QUICK : FULL;
  const rows: (string | number)[][] = [];
  for (const s of SHAPES) {
    const W = randomFloats(s.V * s.H, 1);
    const idx = randomIndices(s.N, s.V, 2);
    const out = new Float32Array(s.N * s.H);
    const dW = new Float32Array(s.V * s.H);
    const seen = new Uint8Array(s.V);
    const uniq = Int32Array.from(new Set(idx)).sort();
    const G = randomFloats(uniq.length * s.H, 3);
    const offsets = Int32Array.from(uniq, (_, r) => r * s.H);
    const floor = await measure("set", () => out.set(W.subarray(0, s.N * s.H)), budget);
    const t = async (name: string, fn: () => void) => {
      const r = await measure(name, fn, budget);
      rows.push([s.name, name, ms(r.medianMs), (r.medianMs / floor.medianMs).toFixed(2) + "×", ((r.medianMs * 1e6) / (s.N * s.H)).toFixed(3)]);
    };
    rows.push([s.name, "memcpy floor", ms(floor.medianMs), "1.00×", ((floor.medianMs * 1e6) / (s.N * s.H)).toFixed(3)]);
    await t("gather set(subarray)", () => gatherSet(W, idx, out, s.H));
    await t("gather loop", () => gatherLoop(W, idx, out, s.H));
    await t("gather unrolled×4", () => gatherUnrolled(W, idx, out, s.H));
    const Wi = new Int32Array(W.buffer), outI = new Int32Array(out.buffer);
    await t("gather int32 loop", () => gatherInt32(Wi, idx, outI, s.H));
    await t("gather int32 unrolled×4", () => gatherInt32Unrolled(Wi, idx, outI, s.H));
    if (s.H % 2 === 0) {
      const W64 = new Float64Array(W.buffer), out64 = new Float64Array(out.buffer);
      await t("gather float64 unrolled×8 (not bit-exact in JSC)", () => gatherFloat64(W64, idx, out64, s.H / 2));
    }
    await t("scatter loop", () => scatterLoop(dW, idx, out, s.H));
    await t("scatter unrolled×4", () => scatterUnrolled(dW, idx, out, s.H));
    await t("scatter first-copy", () => scatterFirstCopy(dW, idx, out, s.H, seen));
    // What a backward does to an all-zero destination: zero + scatter-add, or copy-first (no zeroing).
    const found = new Int32Array(s.N);
    await t("backward: fill(0) + scatter unrolled", () => {
      clearRowsFill(dW, uniq, s.H);
      scatterUnrolled(dW, idx, out, s.H);
    });
    const marks = new Uint8Array(s.V);
    await t("backward: copy-first via set", () => {
      scatterCopyFirst(dW, idx, -1, out, s.H, marks, found);
      for (const r of uniq) marks[r] = 0;
    });
    // Grouping a sparse backward's positions by row, rows ascending: walk the [V] map, or sort the
    // rows found (a map longer than WALK_LIMIT × N makes distinctRows sort).
    const map = newSlotMap(s.V), longMap = newSlotMap(Math.max(s.V, WALK_LIMIT * s.N + 1));
    await t("group rows: walk the map", () => distinctRowsByWalk(idx, -1, map));
    await t("group rows: sort", () => distinctRows(idx, -1, longMap, true));
    await t("clear rows fill", () => clearRowsFill(dW, uniq, s.H));
    await t("clear rows loop", () => clearRowsLoop(dW, uniq, s.H));
    await t("sgd rows loop", () => axpyRowsLoop(W, uniq, G, s.H, 1e-9));
    await t("sgd rows unrolled×4", () => axpyRowsUnrolled(W, uniq, G, s.H, 1e-9));
    await t("sgd rows unrolled×8 with an offsets array", () => axpyRowsWithOffsets(W, uniq, G, offsets, s.H, -1e-9));
  }
  console.log(table(["shape", "variant", "ms", "÷memcpy", "ns/elem"], rows));
  console.log(table(["shape", "variant", "ms", "÷one row per pass", "per step"], await cbowKernels(budget)));
  console.log(table(["points", "t-SNE gradient", "ms per iteration", "÷both ways"], await tsneKernels(budget)));
}

// ---- KeyedVectors.mostSimilar's scan: s[r] = u[r] . q over a unit table u [V, H], top-N kept ----
// Timed by `npm run bench:vectors` (bench/vectors.ts) beside the kept scan (scanTop in
// src/vectors/keyed-vectors.ts: the table in blocks of eight rows interleaved by column, eight rows per
// pass, one sum per row). The variants read a plain row-major table unless their name says blocked. Ratios to the kept scan
// on 300,000 x 100, medians of alternating rounds (2026-12-01, a shared 2-core machine under heavy
// load): see bench/README.md, "Word vectors vs gensim".

import type { TopN } from "../src/vectors/top-n.js";

/** Offers (row, score) when it beats `t` and is not skipped; returns the new threshold. */
function offerRow(top: TopN, skip: readonly number[], row: number, score: number, t: number): number {
  if (!(score > t) || (skip.length > 0 && skip.includes(row))) return t;
  top.offer(row, score);
  return top.threshold;
}

/** One row per pass, four sums per row (embedkit's scan before): 1.6-1.9x slower than the kept scan. */
export function scanOneRowFourSums(u: Float32Array, q: Float32Array, V: number, H: number, top: TopN, skip: readonly number[]): void {
  const H4 = H - (H % 4);
  let t = top.threshold;
  for (let r = 0, off = 0; r < V; r++, off += H) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, k = 0; // prettier-ignore
    for (; k < H4; k += 4) {
      s0 += u[off + k] * q[k];
      s1 += u[off + k + 1] * q[k + 1];
      s2 += u[off + k + 2] * q[k + 2];
      s3 += u[off + k + 3] * q[k + 3];
    }
    for (; k < H; k++) s0 += u[off + k] * q[k];
    t = offerRow(top, skip, r, s0 + s1 + (s2 + s3), t);
  }
}

/** Two rows per pass, four sums each (the suggestion): 1.2-1.4x slower than the kept scan. */
export function scanTwoRowsFourSums(u: Float32Array, q: Float32Array, V: number, H: number, top: TopN, skip: readonly number[]): void {
  const H4 = H - (H % 4);
  let t = top.threshold;
  let r = 0;
  for (let o0 = 0; r + 1 < V; r += 2, o0 += 2 * H) {
    const o1 = o0 + H;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0, k = 0; // prettier-ignore
    for (; k < H4; k += 4) {
      const q0 = q[k], q1 = q[k + 1], q2 = q[k + 2], q3 = q[k + 3]; // prettier-ignore
      a0 += u[o0 + k] * q0;
      a1 += u[o0 + k + 1] * q1;
      a2 += u[o0 + k + 2] * q2;
      a3 += u[o0 + k + 3] * q3;
      b0 += u[o1 + k] * q0;
      b1 += u[o1 + k + 1] * q1;
      b2 += u[o1 + k + 2] * q2;
      b3 += u[o1 + k + 3] * q3;
    }
    for (; k < H; k++) {
      a0 += u[o0 + k] * q[k];
      b0 += u[o1 + k] * q[k];
    }
    t = offerRow(top, skip, r, a0 + a1 + (a2 + a3), t);
    t = offerRow(top, skip, r + 1, b0 + b1 + (b2 + b3), t);
  }
  for (let off = r * H; r < V; r++, off += H) {
    let s = 0;
    for (let k = 0; k < H; k++) s += u[off + k] * q[k];
    t = offerRow(top, skip, r, s, t);
  }
}

/** Eight rows per pass, one sum each: 1.3-1.5x slower than the kept scan (too few registers left). */
export function scanEightRowsOneSum(u: Float32Array, q: Float32Array, V: number, H: number, top: TopN, skip: readonly number[]): void {
  let t = top.threshold;
  let r = 0;
  for (let o0 = 0; r + 7 < V; r += 8, o0 += 8 * H) {
    let a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0; // prettier-ignore
    for (let k = 0, i = o0; k < H; k++, i++) {
      const qk = q[k];
      a += u[i] * qk;
      b += u[i + H] * qk;
      c += u[i + 2 * H] * qk;
      d += u[i + 3 * H] * qk;
      e += u[i + 4 * H] * qk;
      f += u[i + 5 * H] * qk;
      g += u[i + 6 * H] * qk;
      h += u[i + 7 * H] * qk;
    }
    t = offerRow(top, skip, r, a, t);
    t = offerRow(top, skip, r + 1, b, t);
    t = offerRow(top, skip, r + 2, c, t);
    t = offerRow(top, skip, r + 3, d, t);
    t = offerRow(top, skip, r + 4, e, t);
    t = offerRow(top, skip, r + 5, f, t);
    t = offerRow(top, skip, r + 6, g, t);
    t = offerRow(top, skip, r + 7, h, t);
  }
  for (let off = r * H; r < V; r++, off += H) {
    let s = 0;
    for (let k = 0; k < H; k++) s += u[off + k] * q[k];
    t = offerRow(top, skip, r, s, t);
  }
}

/**
 * Four rows per pass, two sums each, on the row-major table (the kept scan's arithmetic without the
 * blocked layout, so four streams instead of one and four index computations per pair of loads):
 * 1.2-1.3x slower than the kept scan.
 */
export function scanFourRowsTwoSums(u: Float32Array, q: Float32Array, V: number, H: number, top: TopN, skip: readonly number[]): void {
  const H2 = H - (H % 2);
  let t = top.threshold;
  let r = 0;
  for (let o0 = 0; r + 3 < V; r += 4, o0 += 4 * H) {
    const o1 = o0 + H, o2 = o1 + H, o3 = o2 + H; // prettier-ignore
    let a0 = 0, a1 = 0, b0 = 0, b1 = 0, c0 = 0, c1 = 0, d0 = 0, d1 = 0; // prettier-ignore
    for (let k = 0; k < H2; k += 2) {
      const q0 = q[k], q1 = q[k + 1]; // prettier-ignore
      a0 += u[o0 + k] * q0;
      a1 += u[o0 + k + 1] * q1;
      b0 += u[o1 + k] * q0;
      b1 += u[o1 + k + 1] * q1;
      c0 += u[o2 + k] * q0;
      c1 += u[o2 + k + 1] * q1;
      d0 += u[o3 + k] * q0;
      d1 += u[o3 + k + 1] * q1;
    }
    if (H2 < H) {
      const qk = q[H2];
      a0 += u[o0 + H2] * qk;
      b0 += u[o1 + H2] * qk;
      c0 += u[o2 + H2] * qk;
      d0 += u[o3 + H2] * qk;
    }
    t = offerRow(top, skip, r, a0 + a1, t);
    t = offerRow(top, skip, r + 1, b0 + b1, t);
    t = offerRow(top, skip, r + 2, c0 + c1, t);
    t = offerRow(top, skip, r + 3, d0 + d1, t);
  }
  for (let off = r * H; r < V; r++, off += H) {
    let s = 0;
    for (let k = 0; k < H; k++) s += u[off + k] * q[k];
    t = offerRow(top, skip, r, s, t);
  }
}

/**
 * Blocks of four rows interleaved by column (`ub4[((r >> 2)·H + k)·4 + (r & 3)]`), four rows per pass,
 * two sums per row (even and odd k): kept for an hour, 1.08-1.12x slower than the kept scan's blocks
 * of eight rows with one sum each. (V a multiple of 4 and H even here.)
 */
export function scanBlockedFourTwoSums(ub4: Float32Array, q: Float32Array, V: number, H: number, top: TopN, skip: readonly number[]): void {
  let t = top.threshold;
  for (let r = 0, base = 0; r + 3 < V; r += 4, base += 4 * H) {
    let a0 = 0, a1 = 0, b0 = 0, b1 = 0, c0 = 0, c1 = 0, d0 = 0, d1 = 0; // prettier-ignore
    for (let k = 0, i = base; k < H; k += 2, i += 8) {
      const q0 = q[k], q1 = q[k + 1]; // prettier-ignore
      a0 += ub4[i] * q0;
      b0 += ub4[i + 1] * q0;
      c0 += ub4[i + 2] * q0;
      d0 += ub4[i + 3] * q0;
      a1 += ub4[i + 4] * q1;
      b1 += ub4[i + 5] * q1;
      c1 += ub4[i + 6] * q1;
      d1 += ub4[i + 7] * q1;
    }
    t = offerRow(top, skip, r, a0 + a1, t);
    t = offerRow(top, skip, r + 1, b0 + b1, t);
    t = offerRow(top, skip, r + 2, c0 + c1, t);
    t = offerRow(top, skip, r + 3, d0 + d1, t);
  }
}

/**
 * The floor: the kept scan's arithmetic on its blocked table (eight rows interleaved by column, see
 * blockedIndex in src/vectors/keyed-vectors.ts) writing every score to `out`, with no threshold, no
 * heap and no word lookup: what one pass over V x H costs and no less. (V a multiple of 8 here.)
 */
export function scoresFloor(ub: Float32Array, q: Float32Array, V: number, H: number, out: Float64Array): void {
  for (let r = 0, base = 0; r + 7 < V; r += 8, base += 8 * H) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0; // prettier-ignore
    for (let k = 0, i = base; k < H; k++, i += 8) {
      const qk = q[k];
      s0 += ub[i] * qk;
      s1 += ub[i + 1] * qk;
      s2 += ub[i + 2] * qk;
      s3 += ub[i + 3] * qk;
      s4 += ub[i + 4] * qk;
      s5 += ub[i + 5] * qk;
      s6 += ub[i + 6] * qk;
      s7 += ub[i + 7] * qk;
    }
    out[r] = s0;
    out[r + 1] = s1;
    out[r + 2] = s2;
    out[r + 3] = s3;
    out[r + 4] = s4;
    out[r + 5] = s5;
    out[r + 6] = s6;
    out[r + 7] = s7;
  }
}

// ---- decodeWord2VecBinary's float reading: the records' 4H bytes into the table ----
// `starts[r]` is the byte offset of row r's floats in `bytes`. Timed by `npm run bench:vectors`.

/** One `set(subarray)` (a memcpy) per record, kept in src/io/word2vec.ts (little-endian hosts). */
export function recordsBySet(bytes: Uint8Array, starts: Int32Array, data: Float32Array, dim: number): void {
  const out = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const rb = 4 * dim;
  for (let r = 0; r < starts.length; r++) out.set(bytes.subarray(starts[r], starts[r] + rb), r * rb);
}

/** DataView.getFloat32 per value (no allocation per row): 1.8-3x slower than recordsBySet. */
export function recordsByDataView(bytes: Uint8Array, starts: Int32Array, data: Float32Array, dim: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let r = 0, o = 0; r < starts.length; r++, o += dim) {
    const s = starts[r];
    for (let k = 0; k < dim; k++) data[o + k] = view.getFloat32(s + 4 * k, true);
  }
}

/** A byte loop (no allocation, bit-exact): 5-7x slower than recordsBySet. */
export function recordsByByteLoop(bytes: Uint8Array, starts: Int32Array, data: Float32Array, dim: number): void {
  const out = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const rb = 4 * dim;
  for (let r = 0, o = 0; r < starts.length; r++, o += rb) {
    const s = starts[r];
    for (let k = 0; k < rb; k++) out[o + k] = bytes[s + k];
  }
}

// ---- Linear's products (src/kernels/dense-kernels.ts): the blocked variants that lost ----
// At 512 × 416 → 256 (see dense-kernels.ts): four k at a time lost to 2 rows × 4 k by 1.6–1.9× (dx),
// four i at a time to 4 i × 2 k by 1.2–1.5× (dW); both still beat ops.ts's loops by 1.5–2.9×.

/** a [n, d] @ b [d, h] -> c [n, h], four k at a time: one load and store of c[j] per four products. */
export function gemmNNk4(a: Float32Array, b: Float32Array, c: Float32Array, n: number, d: number, h: number): void {
  c.fill(0);
  const d4 = d & ~3;
  for (let i = 0; i < n; i++) {
    const cr = i * h, ar = i * d;
    let k = 0;
    for (; k < d4; k += 4) {
      const a0 = a[ar + k], a1 = a[ar + k + 1], a2 = a[ar + k + 2], a3 = a[ar + k + 3];
      const b0 = k * h, b1 = b0 + h, b2 = b1 + h, b3 = b2 + h;
      for (let j = 0; j < h; j++) c[cr + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
    }
    for (; k < d; k++) {
      const ak = a[ar + k], br = k * h;
      for (let j = 0; j < h; j++) c[cr + j] += ak * b[br + j];
    }
  }
}

/** a [n, d]ᵀ @ g [n, h] -> c [d, h], four i at a time: one load and store of c[k, j] per four products. */
export function gemmTNi4(a: Float32Array, g: Float32Array, c: Float32Array, n: number, d: number, h: number): void {
  c.fill(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const g0 = i * h, g1 = g0 + h, g2 = g1 + h, g3 = g2 + h;
    for (let k = 0; k < d; k++) {
      const a0 = a[i * d + k], a1 = a[(i + 1) * d + k], a2 = a[(i + 2) * d + k], a3 = a[(i + 3) * d + k];
      const cr = k * h;
      for (let j = 0; j < h; j++) c[cr + j] += a0 * g[g0 + j] + a1 * g[g1 + j] + a2 * g[g2 + j] + a3 * g[g3 + j];
    }
  }
  for (; i < n; i++) {
    const gr = i * h;
    for (let k = 0; k < d; k++) {
      const ak = a[i * d + k], cr = k * h;
      for (let j = 0; j < h; j++) c[cr + j] += ak * g[gr + j];
    }
  }
}

// ---- the floor: each library kernel against the best plain typed-array variant, same run ----

export function gatherFloat64x4(W: Float64Array, idx: Int32Array, out: Float64Array, H2: number): void {
  const H4 = H2 & ~3;
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * H2;
    const dst = i * H2;
    let j = 0;
    for (; j < H4; j += 4) {
      out[dst + j] = W[src + j];
      out[dst + j + 1] = W[src + j + 1];
      out[dst + j + 2] = W[src + j + 2];
      out[dst + j + 3] = W[src + j + 3];
    }
    for (; j < H2; j++) out[dst + j] = W[src + j];
  }
}

export function scatterAxpyLoop(P: Float32Array, target: Int32Array, G: Float32Array, H: number, alpha: number): void {
  for (let i = 0; i < target.length; i++) {
    const p = target[i] * H;
    const g = i * H;
    for (let j = 0; j < H; j++) P[p + j] += alpha * G[g + j];
  }
}

export function scatterAxpyUnrolled4(P: Float32Array, target: Int32Array, G: Float32Array, H: number, alpha: number): void {
  const H4 = H & ~3;
  for (let i = 0; i < target.length; i++) {
    const p = target[i] * H;
    const g = i * H;
    let j = 0;
    for (; j < H4; j += 4) {
      P[p + j] += alpha * G[g + j];
      P[p + j + 1] += alpha * G[g + j + 1];
      P[p + j + 2] += alpha * G[g + j + 2];
      P[p + j + 3] += alpha * G[g + j + 3];
    }
    for (; j < H; j++) P[p + j] += alpha * G[g + j];
  }
}

/** Index check and copy: one pass, two compares. */
export function indexCopyTwoCompares(src: Int32Array, out: Int32Array, V: number): number {
  for (let k = 0; k < src.length; k++) {
    const v = src[k];
    if (v < 0 || v >= V) return k;
    out[k] = v;
  }
  return -1;
}

/** Index check and copy: `set` first, then one unsigned compare per index. */
export function indexSetThenCheck(src: Int32Array, out: Int32Array, V: number): number {
  out.set(src);
  for (let k = 0; k < out.length; k++) if (out[k] >>> 0 >= V) return k;
  return -1;
}

type Candidate = { name: string; fn: () => void; library?: boolean };

/** Times the candidates alternately for `rounds` rounds; medians per candidate, in ms. */
async function race(candidates: Candidate[], budget: Budget, rounds = 5): Promise<number[]> {
  const part: Budget = { ...budget, time: budget.time / rounds, iterations: Math.ceil(budget.iterations / rounds) };
  const times = candidates.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    // Each round starts with another candidate, so that none always runs first (after another kernel).
    for (let k = 0; k < candidates.length; k++) {
      const c = (k + round) % candidates.length;
      times[c].push((await measure(candidates[c].name, candidates[c].fn, part)).medianMs);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]);
}

export interface FloorRow {
  shape: string;
  kernel: string;
  libraryMs: number;
  floorMs: number;
  floorVariant: string;
}

const FLOOR_SHAPES = [
  { name: "teach", V: 10_000, H: 64, N: 2048 },
  { name: "cbow", V: 1_000_000, H: 100, N: 1000 },
  { name: "bert", V: 21_128, H: 768, N: 4096 },
];

/**
 * For each anchor shape and each kernel of a training step: the library's kernel and every plain
 * typed-array variant, alternated in one run; the floor is the fastest variant. Returns the rows and
 * prints them with the ratio library / floor.
 */
export async function runFloor(quick: boolean, log: (s: string) => void = console.log, only: string[] | null = null): Promise<FloorRow[]> {
  const budget: Budget = quick ? QUICK : FULL;
  const out: FloorRow[] = [];
  for (const s of FLOOR_SHAPES.filter((f) => only === null || only.includes(f.name))) {
    const { V, H, N } = s;
    const W = randomFloats(V * H, 1);
    const idx = randomIndices(N, V, 2);
    const G = randomFloats(N * H, 3);
    const o = new Float32Array(N * H);
    const idxOut = new Int32Array(N);
    const W64 = new Float64Array(W.buffer), o64 = new Float64Array(o.buffer);
    let views: Float32Array[] | null = null;
    const rowViews = () => (views ??= Array.from({ length: V }, (_, r) => W.subarray(r * H, r * H + H)));
    // What Embedding's dense backward and step do to the gradient: its touched rows cleared (the
    // step's zeroGrad), then this backward's rows written, each first use a copy.
    const dW = new Float32Array(V * H);
    const marks = new Uint8Array(V), found = new Int32Array(N);
    let touched = 0;
    const clearTouched = () => {
      for (let k = 0; k < touched; k++) {
        const r = found[k];
        dW.fill(0, r * H, r * H + H);
        marks[r] = 0;
      }
    };
    const denseScatter = () => {
      clearTouched();
      touched = scatterAddRows(dW, idx, -1, G, H, marks, found);
    };
    const uniq = Int32Array.from(new Set(idx));
    const uniqOffsets = offsetsOf(uniq, H);
    const kernels: { kernel: string; cands: Candidate[] }[] = [
      {
        kernel: "index check+copy",
        cands: [
          { name: "library (toIndices into a reused buffer)", fn: () => void toIndices("f", idx, V, idxOut), library: true },
          { name: "loop, two compares", fn: () => void indexCopyTwoCompares(idx, idxOut, V) },
          { name: "set, then unsigned compare", fn: () => void indexSetThenCheck(idx, idxOut, V) },
        ],
      },
      {
        kernel: "gather",
        cands: [
          { name: "library (gatherRows)", fn: () => gatherRows(W, idx, o, H), library: true },
          { name: "set(subarray)", fn: () => gatherSet(W, idx, o, H) },
          { name: "unrolled×4", fn: () => gatherUnrolled(W, idx, o, H) },
          { name: "float64 unrolled×4", fn: () => gatherFloat64x4(W64, idx, o64, H >> 1) },
          { name: "float64 unrolled×8", fn: () => gatherFloat64(W64, idx, o64, H >> 1) },
          { name: "float64 unrolled×16", fn: () => gatherFloat64x16(W64, idx, o64, H >> 1) },
          { name: "float64 two rows per pass, unrolled×8", fn: () => gatherFloat64TwoRows(W64, idx, o64, H >> 1) },
          ...(V <= 100_000 ? [{ name: "set(row view made once per row)", fn: () => gatherSetRowViews(rowViews(), idx, o, H) }] : []),
          { name: "float64 unrolled×8, running write offset", fn: () => gatherFloat64Running(W64, idx, o64, H >> 1) },
        ],
      },
      {
        kernel: "sgd from positions",
        cands: [
          { name: "library (scatterAxpyRows)", fn: () => scatterAxpyRows(W, idx, -1, G, H, -1e-9), library: true },
          { name: "scalar loop", fn: () => scatterAxpyLoop(W, idx, G, H, -1e-9) },
          { name: "unrolled×4", fn: () => scatterAxpyUnrolled4(W, idx, G, H, -1e-9) },
          { name: "unrolled×8", fn: () => scatterAxpyUnrolled8(W, idx, G, H, -1e-9) },
          { name: "unrolled×16", fn: () => scatterAxpyUnrolled16(W, idx, G, H, -1e-9) },
          { name: "two per pass, unrolled×4", fn: () => scatterAxpyTwoRows4(W, idx, G, H, -1e-9) },
        ],
      },
      {
        kernel: "dense backward (rows cleared + written)",
        cands: [
          { name: "library (Embedding's dense scatter)", fn: denseScatter, library: true },
          { name: "copy-first via set", fn: () => { clearTouched(); touched = scatterCopyFirst(dW, idx, -1, G, H, marks, found); } },
          { name: "fill(0) + scatter unrolled×4", fn: () => { scatterUnrolled(dW, idx, G, H); clearRowsFill(dW, idx, H); } },
        ],
      },
      {
        kernel: "sgd over dense rows, then clear them",
        cands: [
          { name: "library (axpyRowsAndClear)", fn: () => axpyRowsAndClear(W, uniq, dW, H, -1e-9), library: true },
          { name: "axpySameRows over axpy, then fill(0) per row", fn: () => { axpySameRows(W, uniq, dW, H, -1e-9); clearRowsFill(dW, uniq, H); } },
          { name: "unrolled×8 inline, then fill(0) per row", fn: () => { axpySameRowsInline(W, uniq, dW, H, -1e-9); clearRowsFill(dW, uniq, H); } },
          { name: "unrolled×8 with an offsets array, then fill", fn: () => { axpyRowsWithOffsets(W, uniq, dW, uniqOffsets, H, -1e-9); clearRowsFill(dW, uniq, H); } },
        ],
      },
    ];
    for (const k of kernels) {
      const t = await race(k.cands, budget);
      const lib = k.cands.findIndex((c) => c.library);
      let best = -1;
      for (let c = 0; c < t.length; c++) if (c !== lib && (best < 0 || t[c] < t[best])) best = c;
      out.push({ shape: s.name, kernel: k.kernel, libraryMs: t[lib], floorMs: t[best], floorVariant: k.cands[best].name });
      log(`  ${s.name} ${k.kernel}: ` + k.cands.map((c, i) => `${c.name} ${ms(t[i])}`).join(", "));
    }
  }
  log(
    "\n" +
      table(
        ["shape", "kernel", "library ms", "floor ms", "library ÷ floor", "floor variant"],
        out.map((r) => [r.shape, r.kernel, ms(r.libraryMs), ms(r.floorMs), (r.libraryMs / r.floorMs).toFixed(2) + "×", r.floorVariant]),
      ),
  );
  return out;
}

function offsetsOf(rows: Int32Array, H: number): Int32Array {
  return Int32Array.from(rows, (r) => r * H);
}

/** Float64 gather unrolled by sixteen, one row per pass (the library's before two rows per pass won by 10–12%). */
export function gatherFloat64x16(W: Float64Array, idx: Int32Array, out: Float64Array, H2: number): void {
  const H16 = H2 & ~15;
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * H2;
    const dst = i * H2;
    let j = 0;
    for (; j < H16; j += 16) {
      out[dst + j] = W[src + j];
      out[dst + j + 1] = W[src + j + 1];
      out[dst + j + 2] = W[src + j + 2];
      out[dst + j + 3] = W[src + j + 3];
      out[dst + j + 4] = W[src + j + 4];
      out[dst + j + 5] = W[src + j + 5];
      out[dst + j + 6] = W[src + j + 6];
      out[dst + j + 7] = W[src + j + 7];
      out[dst + j + 8] = W[src + j + 8];
      out[dst + j + 9] = W[src + j + 9];
      out[dst + j + 10] = W[src + j + 10];
      out[dst + j + 11] = W[src + j + 11];
      out[dst + j + 12] = W[src + j + 12];
      out[dst + j + 13] = W[src + j + 13];
      out[dst + j + 14] = W[src + j + 14];
      out[dst + j + 15] = W[src + j + 15];
    }
    for (; j < H2; j++) out[dst + j] = W[src + j];
  }
}

/** Float64 gather, unrolled by eight, the write position carried across rows (no multiply per row). */
export function gatherFloat64Running(W: Float64Array, idx: Int32Array, out: Float64Array, H2: number): void {
  const H8 = H2 & ~7;
  let d = 0;
  for (let i = 0; i < idx.length; i++) {
    const s = idx[i] * H2;
    let j = 0;
    for (; j < H8; j += 8, d += 8) {
      out[d] = W[s + j];
      out[d + 1] = W[s + j + 1];
      out[d + 2] = W[s + j + 2];
      out[d + 3] = W[s + j + 3];
      out[d + 4] = W[s + j + 4];
      out[d + 5] = W[s + j + 5];
      out[d + 6] = W[s + j + 6];
      out[d + 7] = W[s + j + 7];
    }
    for (; j < H2; j++, d++) out[d] = W[s + j];
  }
}

/** Gather by `set` of row views made once (one per table row: memory for small tables only). */
export function gatherSetRowViews(rows: Float32Array[], idx: Int32Array, out: Float32Array, H: number): void {
  for (let i = 0; i < idx.length; i++) out.set(rows[idx[i]], i * H);
}

/** The SGD update from positions unrolled by eight (the library's before ×16 won by 10–17%). */
export function scatterAxpyUnrolled8(P: Float32Array, target: Int32Array, G: Float32Array, H: number, alpha: number): void {
  const H8 = H & ~7;
  for (let i = 0; i < target.length; i++) {
    const p = target[i] * H;
    const g = i * H;
    let j = 0;
    for (; j < H8; j += 8) {
      P[p + j] += alpha * G[g + j];
      P[p + j + 1] += alpha * G[g + j + 1];
      P[p + j + 2] += alpha * G[g + j + 2];
      P[p + j + 3] += alpha * G[g + j + 3];
      P[p + j + 4] += alpha * G[g + j + 4];
      P[p + j + 5] += alpha * G[g + j + 5];
      P[p + j + 6] += alpha * G[g + j + 6];
      P[p + j + 7] += alpha * G[g + j + 7];
    }
    for (; j < H; j++) P[p + j] += alpha * G[g + j];
  }
}

/** Float64 gather, two rows per pass (their loads interleaved), unrolled by eight. */
export function gatherFloat64TwoRows(W: Float64Array, idx: Int32Array, out: Float64Array, H2: number): void {
  const H8 = H2 & ~7;
  const n = idx.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const s0 = idx[i] * H2;
    const s1 = idx[i + 1] * H2;
    const d0 = i * H2;
    const d1 = d0 + H2;
    let j = 0;
    for (; j < H8; j += 8) {
      out[d0 + j] = W[s0 + j];
      out[d1 + j] = W[s1 + j];
      out[d0 + j + 1] = W[s0 + j + 1];
      out[d1 + j + 1] = W[s1 + j + 1];
      out[d0 + j + 2] = W[s0 + j + 2];
      out[d1 + j + 2] = W[s1 + j + 2];
      out[d0 + j + 3] = W[s0 + j + 3];
      out[d1 + j + 3] = W[s1 + j + 3];
      out[d0 + j + 4] = W[s0 + j + 4];
      out[d1 + j + 4] = W[s1 + j + 4];
      out[d0 + j + 5] = W[s0 + j + 5];
      out[d1 + j + 5] = W[s1 + j + 5];
      out[d0 + j + 6] = W[s0 + j + 6];
      out[d1 + j + 6] = W[s1 + j + 6];
      out[d0 + j + 7] = W[s0 + j + 7];
      out[d1 + j + 7] = W[s1 + j + 7];
    }
    for (; j < H2; j++) {
      out[d0 + j] = W[s0 + j];
      out[d1 + j] = W[s1 + j];
    }
  }
  for (; i < n; i++) for (let j = 0, s = idx[i] * H2, d = i * H2; j < H2; j++) out[d + j] = W[s + j];
}

/** Float64 gather, two rows per pass, unrolled by 16. */
export function gatherFloat64TwoRows16(W: Float64Array, idx: Int32Array, out: Float64Array, H2: number): void {
  const HU = H2 - (H2 % 16);
  const n = idx.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const s0 = idx[i] * H2;
    const s1 = idx[i + 1] * H2;
    const d0 = i * H2;
    const d1 = d0 + H2;
    let j = 0;
    for (; j < HU; j += 16) {
      out[d0 + j] = W[s0 + j];
      out[d1 + j] = W[s1 + j];
      out[d0 + j + 1] = W[s0 + j + 1];
      out[d1 + j + 1] = W[s1 + j + 1];
      out[d0 + j + 2] = W[s0 + j + 2];
      out[d1 + j + 2] = W[s1 + j + 2];
      out[d0 + j + 3] = W[s0 + j + 3];
      out[d1 + j + 3] = W[s1 + j + 3];
      out[d0 + j + 4] = W[s0 + j + 4];
      out[d1 + j + 4] = W[s1 + j + 4];
      out[d0 + j + 5] = W[s0 + j + 5];
      out[d1 + j + 5] = W[s1 + j + 5];
      out[d0 + j + 6] = W[s0 + j + 6];
      out[d1 + j + 6] = W[s1 + j + 6];
      out[d0 + j + 7] = W[s0 + j + 7];
      out[d1 + j + 7] = W[s1 + j + 7];
      out[d0 + j + 8] = W[s0 + j + 8];
      out[d1 + j + 8] = W[s1 + j + 8];
      out[d0 + j + 9] = W[s0 + j + 9];
      out[d1 + j + 9] = W[s1 + j + 9];
      out[d0 + j + 10] = W[s0 + j + 10];
      out[d1 + j + 10] = W[s1 + j + 10];
      out[d0 + j + 11] = W[s0 + j + 11];
      out[d1 + j + 11] = W[s1 + j + 11];
      out[d0 + j + 12] = W[s0 + j + 12];
      out[d1 + j + 12] = W[s1 + j + 12];
      out[d0 + j + 13] = W[s0 + j + 13];
      out[d1 + j + 13] = W[s1 + j + 13];
      out[d0 + j + 14] = W[s0 + j + 14];
      out[d1 + j + 14] = W[s1 + j + 14];
      out[d0 + j + 15] = W[s0 + j + 15];
      out[d1 + j + 15] = W[s1 + j + 15];
    }
    for (; j < H2; j++) {
      out[d0 + j] = W[s0 + j];
      out[d1 + j] = W[s1 + j];
    }
  }
  for (; i < n; i++) for (let j = 0, s = idx[i] * H2, d = i * H2; j < H2; j++) out[d + j] = W[s + j];
}

/** The SGD update from positions, two positions per pass (in order, so a repeated row adds in turn), unrolled by 8. */
export function scatterAxpyTwoRows8(P: Float32Array, target: Int32Array, G: Float32Array, H: number, alpha: number): void {
  const HU = H - (H % 8);
  const n = target.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const p0 = target[i] * H;
    const p1 = target[i + 1] * H;
    const g0 = i * H;
    const g1 = g0 + H;
    let j = 0;
    for (; j < HU; j += 8) {
      P[p0 + j] += alpha * G[g0 + j];
      P[p1 + j] += alpha * G[g1 + j];
      P[p0 + j + 1] += alpha * G[g0 + j + 1];
      P[p1 + j + 1] += alpha * G[g1 + j + 1];
      P[p0 + j + 2] += alpha * G[g0 + j + 2];
      P[p1 + j + 2] += alpha * G[g1 + j + 2];
      P[p0 + j + 3] += alpha * G[g0 + j + 3];
      P[p1 + j + 3] += alpha * G[g1 + j + 3];
      P[p0 + j + 4] += alpha * G[g0 + j + 4];
      P[p1 + j + 4] += alpha * G[g1 + j + 4];
      P[p0 + j + 5] += alpha * G[g0 + j + 5];
      P[p1 + j + 5] += alpha * G[g1 + j + 5];
      P[p0 + j + 6] += alpha * G[g0 + j + 6];
      P[p1 + j + 6] += alpha * G[g1 + j + 6];
      P[p0 + j + 7] += alpha * G[g0 + j + 7];
      P[p1 + j + 7] += alpha * G[g1 + j + 7];
    }
    for (; j < H; j++) {
      P[p0 + j] += alpha * G[g0 + j];
      P[p1 + j] += alpha * G[g1 + j];
    }
  }
  for (; i < n; i++) for (let j = 0, p = target[i] * H, g = i * H; j < H; j++) P[p + j] += alpha * G[g + j];
}

/** The SGD update from positions, two positions per pass (in order, so a repeated row adds in turn), unrolled by 4. */
export function scatterAxpyTwoRows4(P: Float32Array, target: Int32Array, G: Float32Array, H: number, alpha: number): void {
  const HU = H - (H % 4);
  const n = target.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const p0 = target[i] * H;
    const p1 = target[i + 1] * H;
    const g0 = i * H;
    const g1 = g0 + H;
    let j = 0;
    for (; j < HU; j += 4) {
      P[p0 + j] += alpha * G[g0 + j];
      P[p1 + j] += alpha * G[g1 + j];
      P[p0 + j + 1] += alpha * G[g0 + j + 1];
      P[p1 + j + 1] += alpha * G[g1 + j + 1];
      P[p0 + j + 2] += alpha * G[g0 + j + 2];
      P[p1 + j + 2] += alpha * G[g1 + j + 2];
      P[p0 + j + 3] += alpha * G[g0 + j + 3];
      P[p1 + j + 3] += alpha * G[g1 + j + 3];
    }
    for (; j < H; j++) {
      P[p0 + j] += alpha * G[g0 + j];
      P[p1 + j] += alpha * G[g1 + j];
    }
  }
  for (; i < n; i++) for (let j = 0, p = target[i] * H, g = i * H; j < H; j++) P[p + j] += alpha * G[g + j];
}

/** The SGD update from positions, one per pass, unrolled by sixteen (the library's before two per pass won). */
export function scatterAxpyUnrolled16(P: Float32Array, target: Int32Array, G: Float32Array, H: number, alpha: number): void {
  const H16 = H & ~15;
  for (let i = 0; i < target.length; i++) {
    const p = target[i] * H;
    const g = i * H;
    let j = 0;
    for (; j < H16; j += 16) {
      P[p + j] += alpha * G[g + j];
      P[p + j + 1] += alpha * G[g + j + 1];
      P[p + j + 2] += alpha * G[g + j + 2];
      P[p + j + 3] += alpha * G[g + j + 3];
      P[p + j + 4] += alpha * G[g + j + 4];
      P[p + j + 5] += alpha * G[g + j + 5];
      P[p + j + 6] += alpha * G[g + j + 6];
      P[p + j + 7] += alpha * G[g + j + 7];
      P[p + j + 8] += alpha * G[g + j + 8];
      P[p + j + 9] += alpha * G[g + j + 9];
      P[p + j + 10] += alpha * G[g + j + 10];
      P[p + j + 11] += alpha * G[g + j + 11];
      P[p + j + 12] += alpha * G[g + j + 12];
      P[p + j + 13] += alpha * G[g + j + 13];
      P[p + j + 14] += alpha * G[g + j + 14];
      P[p + j + 15] += alpha * G[g + j + 15];
    }
    for (; j < H; j++) P[p + j] += alpha * G[g + j];
  }
}

/** Plain SGD over rows with an offsets array (src/kernels had it before axpy took explicit offsets). */
export function axpyRowsWithOffsets(P: Float32Array, rows: Int32Array, G: Float32Array, offsets: Int32Array, H: number, alpha: number): void {
  const H8 = H & ~7;
  for (let r = 0; r < rows.length; r++) {
    const p = rows[r] * H;
    const g = offsets[r];
    let j = 0;
    for (; j < H8; j += 8) {
      P[p + j] += alpha * G[g + j];
      P[p + j + 1] += alpha * G[g + j + 1];
      P[p + j + 2] += alpha * G[g + j + 2];
      P[p + j + 3] += alpha * G[g + j + 3];
      P[p + j + 4] += alpha * G[g + j + 4];
      P[p + j + 5] += alpha * G[g + j + 5];
      P[p + j + 6] += alpha * G[g + j + 6];
      P[p + j + 7] += alpha * G[g + j + 7];
    }
    for (; j < H; j++) P[p + j] += alpha * G[g + j];
  }
}

/** axpySameRows with its unrolled loop written inline rather than a call to axpy per row. */
export function axpySameRowsInline(P: Float32Array, rows: Int32Array, G: Float32Array, H: number, alpha: number): void {
  const H8 = H & ~7;
  for (let r = 0; r < rows.length; r++) {
    const p = rows[r] * H;
    let j = 0;
    for (; j < H8; j += 8) {
      P[p + j] += alpha * G[p + j];
      P[p + j + 1] += alpha * G[p + j + 1];
      P[p + j + 2] += alpha * G[p + j + 2];
      P[p + j + 3] += alpha * G[p + j + 3];
      P[p + j + 4] += alpha * G[p + j + 4];
      P[p + j + 5] += alpha * G[p + j + 5];
      P[p + j + 6] += alpha * G[p + j + 6];
      P[p + j + 7] += alpha * G[p + j + 7];
    }
    for (; j < H; j++) P[p + j] += alpha * G[p + j];
  }
}
