// fastText's CBOW update for one target word: the library's (src/fasttext/train-loop.ts update) beside
// the fastest plain-JavaScript version of the same arithmetic ("the floor"), on identical inputs.
//
//   npm run bench:fasttext-floor [-- --rounds 4 --time 1000 --ngrams 6 --bucket 200000]
//
// One update: h = mean of every input row of the context (each of ~10 context words brings its own
// row and its ~8 subword n-gram rows: fastText's cbow averages all of them), negative sampling with
// 5 noise words (score, g = lr · (label - σ), grad += g · out row, out row += g · h), then grad added
// to every input row. The floor is written for speed alone: one function, monomorphic typed arrays,
// rows' offsets precomputed, no options. Both draw their noise words from the same alias table with
// the same generator. The tasks alternate (tinybench, rounds with the order swapped); the table is
// [nwords + bucket, 100], bucket 200,000 unless --bucket (fastText's is 2,000,000: more cache misses).
import { parseArgs } from "node:util";
import { Bench } from "tinybench";
import { type LoopParams, type LoopTables, update } from "../src/fasttext/train-loop.js";
import { noiseTable } from "../src/fasttext/outputs.js";
import { stepScratch } from "../src/word2vec/step.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "4" },
    time: { type: "string", default: "1000" },
    // n-gram rows per word: from --ngrams to --ngrams + 4 (wiki-en-106's in-vocabulary words have ~14)
    ngrams: { type: "string", default: "6" },
    bucket: { type: "string", default: "200000" },
  },
});
const H = 100, NWORDS = 30_000, BUCKET = Number(values.bucket), NEG = 5, CONTEXTS = 4096, LR = 0.005;
const NGRAMS = Number(values.ngrams);
let x = 0x2545f491;
const rnd = (): number => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 4294967296; };

const Win = new Float32Array((NWORDS + BUCKET) * H);
for (let i = 0; i < Win.length; i++) Win[i] = (rnd() * 2 - 1) / H;
const Wout = new Float32Array(NWORDS * H);
// Zipf-ish counts for the noise table
const counts = Array.from({ length: NWORDS }, (_, i) => Math.floor(1e6 / (i + 1)) + 1);
const noise = noiseTable(counts);
// each word: its own row then 6..10 n-gram rows in the buckets
const subStart = new Int32Array(NWORDS + 1);
const subList: number[] = [];
for (let w = 0; w < NWORDS; w++) {
  subList.push(w);
  const k = NGRAMS + Math.floor(rnd() * 5);
  for (let i = 0; i < k; i++) subList.push(NWORDS + Math.floor(rnd() * BUCKET));
  subStart[w + 1] = subList.length;
}
const subIds = Int32Array.from(subList);
// contexts: 10 words (Zipf-drawn) flattened into bags of row ids, and a target each
const bagStart = new Int32Array(CONTEXTS + 1);
const bagList: number[] = [];
const targets = new Int32Array(CONTEXTS);
const zipf = (): number => Math.min(NWORDS - 1, Math.floor(Math.exp(rnd() * Math.log(NWORDS))) - 1);
for (let c = 0; c < CONTEXTS; c++) {
  for (let i = 0; i < 10; i++) {
    const w = zipf();
    for (let j = subStart[w]; j < subStart[w + 1]; j++) bagList.push(subIds[j]);
  }
  bagStart[c + 1] = bagList.length;
  targets[c] = zipf();
}
const bags = Int32Array.from(bagList);

// ---- the library's update
const t = { Win, Wout, prob: noise.prob, alias: noise.alias } as unknown as LoopTables;
const p = { H, negative: NEG, loss: 0, model: 0, computeLoss: false } as unknown as LoopParams;
const s = stepScratch({ H, window: 5, negative: NEG }, 12345);
let libC = 0;
function libraryStep(): void {
  const c = libC++ & (CONTEXTS - 1);
  update(t, p, s, bags, bagStart[c], bagStart[c + 1], targets[c], LR, false);
}

// ---- the floor
const fh = new Float64Array(H), fg = new Float64Array(H);
const prob = noise.prob, alias = noise.alias, V = prob.length;
let fx = 12345, floorC = 0;
function floorUpdate(
  Win: Float32Array, Wout: Float32Array, bags: Int32Array, a: number, b: number, target: number, lr: number,
  h: Float64Array, grad: Float64Array,
): void {
  for (let j = 0; j < 100; j++) h[j] = 0;
  for (let i = a; i < b; i++) {
    const r = bags[i] * 100;
    for (let j = 0; j < 100; j += 4) {
      h[j] += Win[r + j]; h[j + 1] += Win[r + j + 1]; h[j + 2] += Win[r + j + 2]; h[j + 3] += Win[r + j + 3];
    }
  }
  const inv = 1 / (b - a);
  for (let j = 0; j < 100; j++) { h[j] *= inv; grad[j] = 0; }
  let x = fx;
  for (let d = 0; d <= NEG; d++) {
    let w = target, label = 1;
    if (d > 0) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      const col = Math.floor((x >>> 0) * V * 2.3283064365386963e-10);
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      w = (x >>> 0) < prob[col] ? col : alias[col];
      if (w === target) continue;
      label = 0;
    }
    const o = w * 100;
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let j = 0; j < 100; j += 4) {
      d0 += h[j] * Wout[o + j]; d1 += h[j + 1] * Wout[o + j + 1]; d2 += h[j + 2] * Wout[o + j + 2]; d3 += h[j + 3] * Wout[o + j + 3];
    }
    const g = (label - 1 / (1 + Math.exp(-(d0 + d1 + d2 + d3)))) * lr;
    for (let j = 0; j < 100; j++) {
      const v = Wout[o + j];
      grad[j] += g * v;
      Wout[o + j] = v + g * h[j];
    }
  }
  fx = x;
  for (let i = a; i < b; i++) {
    const r = bags[i] * 100;
    for (let j = 0; j < 100; j += 4) {
      Win[r + j] += grad[j]; Win[r + j + 1] += grad[j + 1]; Win[r + j + 2] += grad[j + 2]; Win[r + j + 3] += grad[j + 3];
    }
  }
}
function floorStep(): void {
  const c = floorC++ & (CONTEXTS - 1);
  floorUpdate(Win, Wout, bags, bagStart[c], bagStart[c + 1], targets[c], LR, fh, fg);
}

const rows = bags.length / CONTEXTS;
process.stderr.write(`node ${process.version}; ${rows.toFixed(1)} input rows per update on average, ${NEG} negatives, dim ${H}\n`);
const time = Number(values.time);
const lib: number[] = [], flo: number[] = [];
for (let r = 0; r < Number(values.rounds); r++) {
  const bench = new Bench({ time, warmupTime: 200 });
  if (r % 2 === 0) bench.add("library", libraryStep).add("floor", floorStep);
  else bench.add("floor", floorStep).add("library", libraryStep);
  await bench.run();
  for (const task of bench.tasks) {
    const hz = (task.result as unknown as { throughput: { mean: number } }).throughput.mean;
    (task.name === "library" ? lib : flo).push(hz);
  }
  process.stderr.write(`round ${r}: library ${lib.at(-1)!.toFixed(0)}/s, floor ${flo.at(-1)!.toFixed(0)}/s, library ÷ floor (time) ${(flo.at(-1)! / lib.at(-1)!).toFixed(3)}\n`);
}
const med = (v: number[]): number => v.slice().sort((a, b) => a - b)[v.length >> 1];
for (let i = 0; i < Win.length; i += 997) if (!Number.isFinite(Win[i])) throw new Error("diverged");
console.log(JSON.stringify({ node: process.version, rowsPerUpdate: rows, libraryPerSecond: med(lib), floorPerSecond: med(flo), libraryOverFloor: med(flo) / med(lib) }));
