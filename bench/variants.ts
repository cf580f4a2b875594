// The kernel variants embedkit measured before choosing the ones in src/layers/rows.ts. Run with
// `npm run bench -- --variants`; each kernel's comment in rows.ts quotes the result.
import { axpyRows, scatterRowsCopyFirst } from "../src/layers/rows.js";
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

const SHAPES = [
  { name: "H=16", V: 10_000, H: 16, N: 2048 },
  { name: "H=32", V: 10_000, H: 32, N: 2048 },
  { name: "teach H=64", V: 10_000, H: 64, N: 2048 },
  { name: "cbow H=100", V: 1_000_000, H: 100, N: 1000 },
  { name: "H=256", V: 10_000, H: 256, N: 2048 },
  { name: "bert H=768", V: 21_128, H: 768, N: 4096 },
];

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
    await t("scatter loop", () => scatterLoop(dW, idx, out, s.H));
    await t("scatter unrolled×4", () => scatterUnrolled(dW, idx, out, s.H));
    await t("scatter first-copy", () => scatterFirstCopy(dW, idx, out, s.H, seen));
    // What a backward does to an all-zero destination: zero + scatter-add, or copy-first (no zeroing).
    const seenMap = new Int32Array(s.V).fill(-1);
    const found = new Int32Array(s.N);
    await t("backward: fill(0) + scatter unrolled", () => {
      clearRowsFill(dW, uniq, s.H);
      scatterUnrolled(dW, idx, out, s.H);
    });
    await t("backward: copy-first via set", () => scatterRowsCopyFirst(dW, idx, -1, out, s.H, seenMap, found));
    await t("clear rows fill", () => clearRowsFill(dW, uniq, s.H));
    await t("clear rows loop", () => clearRowsLoop(dW, uniq, s.H));
    await t("sgd rows loop", () => axpyRowsLoop(W, uniq, G, s.H, 1e-9));
    await t("sgd rows unrolled×4", () => axpyRowsUnrolled(W, uniq, G, s.H, 1e-9));
    await t("sgd rows unrolled×8 (kept)", () => axpyRows(W, uniq, G, offsets, s.H, -1e-9));
  }
  console.log(table(["shape", "variant", "ms", "÷memcpy", "ns/elem"], rows));
}
