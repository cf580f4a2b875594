// Word vectors vs gensim, side by side in one run, on a 300,000 x 100 word2vec binary file:
//   load:        loadWord2Vec(file)                    vs  KeyedVectors.load_word2vec_format(file, binary=True)
//   query:       kv.mostSimilar(word, 10)              vs  kv.most_similar(word, topn=10)
//   floor:       the scan variants of bench/variants.ts, and the bare scan with no top-N at all
// gensim runs in one long-lived /usr/bin/python3 (bench/reference/gensim_vectors.py) with one BLAS
// thread (OPENBLAS_NUM_THREADS=1) and without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE; its timings
// are taken in-process, and the rounds alternate embedkit, gensim, embedkit, ... so that the drifting
// load of a shared machine hits both alike. The neighbour lists are checked to agree.
//
//   npm run bench:vectors [-- --rows 300000 --dim 100 --rounds 7 --queries 10 --json OUT.json --no-gensim]
//
// The file (random N(0, 0.1²) vectors, words w0 ... w299999) is written once into
// /tmp/embedkit-vectors-bench/ and reused.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { KeyedVectors, blockedIndex, blockedLength } from "../src/vectors/keyed-vectors.js";
import { TopN } from "../src/vectors/top-n.js";
import { Tensor } from "../src/tensor/tensor.js";
import { loadWord2Vec, saveWord2Vec } from "../src/node/files.js";
import { table } from "./harness.js";
import {
  recordsByByteLoop, recordsByDataView, recordsBySet, scanBlockedFourTwoSums, scanEightRowsOneSum, scanFourRowsTwoSums, scanOneRowFourSums,
  scanTwoRowsFourSums, scoresFloor,
} from "./variants.js";
import { readFileSync } from "node:fs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "300000" },
    dim: { type: "string", default: "100" },
    rounds: { type: "string", default: "7" },
    queries: { type: "string", default: "10" },
    json: { type: "string" },
    "no-gensim": { type: "boolean" },
  },
});
const V = Number(values.rows);
const H = Number(values.dim);
const ROUNDS = Number(values.rounds);
const Q = Number(values.queries);
const TOP = 10;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

// ---- the file ----
const dir = "/tmp/embedkit-vectors-bench";
const file = join(dir, `w2v-${V}x${H}.bin`);
if (!existsSync(file)) {
  mkdirSync(dir, { recursive: true });
  console.error(`writing ${file} ...`);
  const words = Array.from({ length: V }, (_, i) => `w${i}`);
  saveWord2Vec(file, new KeyedVectors(words, Tensor.randn([V, H], { seed: 1, std: 0.1 })), { binary: true });
}
const queryWords = Array.from({ length: Q }, (_, k) => `w${(k * 7919 + 13) % V}`);

// ---- gensim, in a long-lived child ----
interface Gensim {
  ask(req: object): Promise<any>;
  close(): void;
}
function startGensim(): Gensim | null {
  if (values["no-gensim"]) return null;
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const child = spawn("/usr/bin/python3", [join(root, "bench", "reference", "gensim_vectors.py"), file], { env, stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on("line", (l) => waiting.shift()?.(l));
  let dead = false;
  child.on("exit", () => {
    dead = true;
    for (const w of waiting.splice(0)) w('{"error": "gensim exited"}');
  });
  child.on("error", () => {
    dead = true;
  });
  return {
    ask: (req) =>
      new Promise((ok, fail) => {
        if (dead) return fail(new Error("gensim is not running"));
        waiting.push((l) => {
          const r = JSON.parse(l);
          if (r.error) fail(new Error(r.error));
          else ok(r);
        });
        child.stdin.write(JSON.stringify(req) + "\n");
      }),
    close: () => {
      if (!dead) child.stdin.end(JSON.stringify({ cmd: "quit" }) + "\n");
    },
  };
}

let gensim = startGensim();
let info: any = null;
if (gensim) {
  try {
    info = await gensim.ask({ cmd: "info" });
  } catch {
    console.error("(gensim not available: apt-get install python3-gensim; timing embedkit alone)");
    gensim = null;
  }
}

console.log(`word vectors: ${V} x ${H} binary file, ${ROUNDS} alternating rounds, ${Q} query words, topN ${TOP}`);
console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model}), load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
if (info) console.log(`gensim ${info.gensim}, numpy ${info.numpy}, python ${info.python}, env ${JSON.stringify(info.env)}`);

// ---- load ----
const loadOurs: number[] = [];
const loadGensim: number[] = [];
let kv: KeyedVectors | null = null;
for (let round = 0; round < ROUNDS; round++) {
  kv = null;
  gc();
  const t0 = performance.now();
  kv = loadWord2Vec(file);
  loadOurs.push(performance.now() - t0);
  if (gensim) loadGensim.push((await gensim.ask({ cmd: "load" })).ms);
}
const vectors = kv!;

// ---- the float reading of the decoder, alone ----
const fileBytes = readFileSync(file);
const starts = new Int32Array(V);
for (let r = 0, pos = fileBytes.indexOf(0x0a) + 1; r < V; r++) {
  const sp = fileBytes.indexOf(0x20, pos);
  starts[r] = sp + 1;
  pos = sp + 1 + 4 * H;
}
const copyInto = new Float32Array(V * H);
const copies: Record<string, () => void> = {
  "floats: set(subarray) per row (kept)": () => recordsBySet(fileBytes, starts, copyInto, H),
  "floats: DataView.getFloat32": () => recordsByDataView(fileBytes, starts, copyInto, H),
  "floats: byte loop": () => recordsByByteLoop(fileBytes, starts, copyInto, H),
};
const copyMs: Record<string, number[]> = Object.fromEntries(Object.keys(copies).map((k) => [k, []]));
for (const f of Object.values(copies)) f(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  const entries = Object.entries(copies);
  for (let j = 0; j < entries.length; j++) {
    const [name, f] = entries[(j + round) % entries.length];
    const t0 = performance.now();
    f();
    copyMs[name].push(performance.now() - t0);
  }
}

// ---- queries ----
const unit = vectors.unitVectors().data; // builds the unit table once, as gensim's fill_norms (row-major copy)
const blocked = new Float32Array(blockedLength(V, H)); // the layout the library scans
for (let r = 0; r < V; r++) for (let k = 0; k < H; k++) blocked[blockedIndex(r, k, H)] = unit[r * H + k];
const blocked4 = new Float32Array(Math.ceil(V / 4) * 4 * H); // blocks of four rows, for that variant
for (let r = 0; r < V; r++) for (let k = 0; k < H; k++) blocked4[((r >> 2) * H + k) * 4 + (r & 3)] = unit[r * H + k];
const scores = new Float64Array(V);
const rowsOf = queryWords.map((w) => vectors.index(w));
type Scan = (u: Float32Array, q: Float32Array, V: number, H: number, top: TopN, skip: readonly number[]) => void;
const viaScan = (scan: Scan) => () => {
  for (const r of rowsOf) {
    const top = new TopN(TOP);
    scan(unit, unit.subarray(r * H, (r + 1) * H), V, H, top, [r]);
    top.drain();
  }
};
/** Each timed function runs all Q queries; per round we keep the median per query. */
const ours: Record<string, () => void> = {
  "embedkit mostSimilar (blocked, 8 rows x 1 sum)": () => {
    for (const w of queryWords) vectors.mostSimilar(w, TOP);
  },
  "variant: blocked, 4 rows x 2 sums": () => {
    for (const r of rowsOf) {
      const top = new TopN(TOP);
      scanBlockedFourTwoSums(blocked4, unit.subarray(r * H, (r + 1) * H), V - (V % 4), H, top, [r]);
      top.drain();
    }
  },
  "variant: row-major, 4 rows x 2 sums": viaScan(scanFourRowsTwoSums),
  "variant: 1 row x 4 sums (before)": viaScan(scanOneRowFourSums),
  "variant: 2 rows x 4 sums": viaScan(scanTwoRowsFourSums),
  "variant: 8 rows x 1 sum": viaScan(scanEightRowsOneSum),
  "floor: the bare scan, scores only": () => {
    for (const r of rowsOf) scoresFloor(blocked, unit.subarray(r * H, (r + 1) * H), V - (V % 8), H, scores);
  },
};
for (const f of Object.values(ours)) f(); // warm-up: every function optimised before timing
const perQuery: Record<string, number[]> = Object.fromEntries(Object.keys(ours).map((k) => [k, []]));
const gensimQuery: number[] = [];
let gensimResult: [string, number][][] | null = null;
for (let round = 0; round < ROUNDS; round++) {
  if (gensim) {
    const r = await gensim.ask({ cmd: "query", words: queryWords, topn: TOP });
    gensimQuery.push(median(r.ms));
    gensimResult = r.result;
  }
  // The order rotates each round: none is always the first after gensim (whose run evicts the caches).
  const entries = Object.entries(ours);
  for (let j = 0; j < entries.length; j++) {
    const [name, f] = entries[(j + round) % entries.length];
    const t0 = performance.now();
    f();
    perQuery[name].push((performance.now() - t0) / Q);
  }
}
gensim?.close();

// ---- the same neighbours? ----
let agree = 0;
let maxDiff = 0;
const disagreements: string[] = [];
if (gensimResult) {
  queryWords.forEach((w, i) => {
    const mine = vectors.mostSimilar(w, TOP);
    const theirs = gensimResult![i];
    const same = mine.length === theirs.length && mine.every((n, k) => n.word === theirs[k][0]);
    if (same) agree++;
    else disagreements.push(`${w}: embedkit ${mine.map((n) => n.word).join(",")} / gensim ${theirs.map((t) => t[0]).join(",")}`);
    mine.forEach((n, k) => {
      if (theirs[k]) maxDiff = Math.max(maxDiff, Math.abs(n.similarity - theirs[k][1]));
    });
  });
}

// ---- report ----
const ms = (x: number) => x.toFixed(x < 10 ? 2 : 1);
const g = gensimQuery.length ? median(gensimQuery) : NaN;
const kept = median(perQuery["embedkit mostSimilar (blocked, 8 rows x 1 sum)"]);
const floor = median(perQuery["floor: the bare scan, scores only"]);
const ratioPerRound = (xs: number[], ys: number[]) => median(xs.map((x, i) => x / ys[i]));
const rows: (string | number)[][] = [];
rows.push(["load (cold: round 1)", ms(loadOurs[0]), loadGensim.length ? ms(loadGensim[0]) : "-", loadGensim.length ? (loadOurs[0] / loadGensim[0]).toFixed(2) + "×" : "-", "", "≤ 1.00×"]);
rows.push([
  `load (median of ${ROUNDS})`, ms(median(loadOurs)), loadGensim.length ? ms(median(loadGensim)) : "-",
  loadGensim.length ? ratioPerRound(loadOurs, loadGensim).toFixed(2) + "×" : "-", "", "≤ 1.00×",
]);
for (const [name, xs] of Object.entries(perQuery)) {
  rows.push([
    name, ms(median(xs)), gensimQuery.length ? ms(g) : "-", gensimQuery.length ? ratioPerRound(xs, gensimQuery).toFixed(2) + "×" : "-",
    (median(xs) / kept).toFixed(2) + "×", name.startsWith("embedkit") ? "≤ 2.00×" : "",
  ]);
}
const keptCopy = median(copyMs["floats: set(subarray) per row (kept)"]);
for (const [name, xs] of Object.entries(copyMs)) rows.splice(2 + Object.keys(copyMs).indexOf(name), 0, [`  ${name}`, ms(median(xs)), "", "", (median(xs) / keptCopy).toFixed(2) + "×", ""]);
console.log(table(["ms per call", "embedkit", "gensim", "÷ gensim", "÷ kept", "target"], rows));
console.log(`kept scan ÷ bare scan (the floor): ${(kept / floor).toFixed(2)}×`);
if (gensimResult) {
  console.log(`neighbours: ${agree} of ${Q} query words give gensim's exact top-${TOP} list; largest |similarity difference| ${maxDiff.toExponential(2)}`);
  for (const d of disagreements) console.log(`  differs: ${d}`);
}
console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);

if (values.json) {
  writeFileSync(values.json, JSON.stringify({
    date: new Date().toISOString(), node: process.version, rows: V, dim: H, rounds: ROUNDS, queries: Q, gensim: info,
    loadMs: { embedkit: loadOurs, gensim: loadGensim }, floatReadingMs: copyMs, queryMsPerCall: { ...perQuery, gensim: gensimQuery },
    neighboursAgree: agree, maxSimilarityDiff: maxDiff,
  }, null, 1) + "\n");
}
