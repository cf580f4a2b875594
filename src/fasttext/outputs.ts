// The output side of fastText's losses. Negative sampling, hierarchical softmax and one-vs-all are
// word2vec's output update (score a row against h, g = lr · (label - σ), neu1e += g · row, row += g · h),
// so they call word2vec's output layer (src/word2vec/output.ts) and noise table (noise.ts); softmax,
// which word2vec has not, is here. Also: the Huffman tree as fastText builds it (its node rows and
// code bits are what .bin files hold) and the predictions of each loss.
import { nsOutputs, oneOutput } from "../word2vec/output.js";
import { type NoiseTable, noiseTable as word2vecNoiseTable } from "../word2vec/noise.js";

export { nsOutputs, oneOutput };

/** fastText's tree over `counts` (sorted descending): node i < osz is a leaf, inner node i has row i - osz. */
export interface FastTextTree {
  osz: number;
  left: Int32Array;
  right: Int32Array;
  /** Each leaf's path to the root: inner rows paths[starts[w] .. starts[w+1]), codes the bit at each (1: right child). */
  paths: Int32Array;
  codes: Uint8Array;
  starts: Int32Array;
}

/** fastText's buildTree: the two-queue Huffman construction; the second child taken has code 1. */
export function buildTree(counts: ArrayLike<number>): FastTextTree {
  const osz = counts.length;
  const n = Math.max(1, 2 * osz - 1);
  const parent = new Int32Array(n).fill(-1);
  const left = new Int32Array(n).fill(-1);
  const right = new Int32Array(n).fill(-1);
  const count = new Float64Array(n).fill(1e15);
  const binary = new Uint8Array(n);
  for (let i = 0; i < osz; i++) count[i] = counts[i];
  let leaf = osz - 1;
  let node = osz;
  for (let i = osz; i < 2 * osz - 1; i++) {
    const mini = [0, 0];
    for (let j = 0; j < 2; j++) {
      if (leaf >= 0 && count[leaf] < count[node]) mini[j] = leaf--;
      else mini[j] = node++;
    }
    left[i] = mini[0];
    right[i] = mini[1];
    count[i] = count[mini[0]] + count[mini[1]];
    parent[mini[0]] = i;
    parent[mini[1]] = i;
    binary[mini[1]] = 1;
  }
  const starts = new Int32Array(osz + 1);
  const paths: number[] = [];
  const codes: number[] = [];
  for (let i = 0; i < osz; i++) {
    for (let j = i; parent[j] !== -1; j = parent[j]) {
      paths.push(parent[j] - osz);
      codes.push(binary[j]);
    }
    starts[i + 1] = paths.length;
  }
  return { osz, left, right, paths: Int32Array.from(paths), codes: Uint8Array.from(codes), starts };
}

/**
 * The noise distribution of negative sampling, fastText's: count^0.5 (word2vec uses 0.75), as an alias
 * table (fastText fills a table of 10^7 ids; the alias table draws from the same distribution).
 */
export function noiseTable(counts: ArrayLike<number>): NoiseTable {
  return word2vecNoiseTable(counts, 0.5);
}

/**
 * Softmax over all `osz` rows of Wout: p = softmax(Wout · h), then for each row
 * g = lr · (1[i = target] - p_i), grad += g · Wout[i], Wout[i] += g · h. `scores` is scratch [osz].
 * Returns -log p_target (fastText's loss, with its 1e-5 floor inside the log).
 */
export function softmaxOutputs(
  Wout: Float32Array, H: number, osz: number, h: Float64Array, grad: Float64Array, scores: Float64Array, target: number, lr: number,
): number {
  // in float64 (training needs no agreement to fastText's printed digits, and this is faster)
  let max = -Infinity;
  for (let i = 0; i < osz; i++) {
    const r = i * H;
    let d = 0;
    for (let j = 0; j < H; j++) d += Wout[r + j] * h[j];
    scores[i] = d;
    if (d > max) max = d;
  }
  let z = 0;
  for (let i = 0; i < osz; i++) z += scores[i] = Math.exp(scores[i] - max);
  for (let i = 0; i < osz; i++) scores[i] /= z;
  for (let i = 0; i < osz; i++) {
    const g = lr * ((i === target ? 1 : 0) - scores[i]);
    const r = i * H;
    for (let j = 0; j < H; j++) {
      const o = Wout[r + j];
      grad[j] += g * o;
      Wout[r + j] = o + g * h[j];
    }
  }
  return -Math.log(scores[target] + 1e-5);
}

/** Row `r` (offset) of W dotted with h, summed in float32 as fastText's dotRow. */
export function fdot(W: Float32Array, r: number, h: ArrayLike<number>, H: number): number {
  let d = 0;
  for (let j = 0; j < H; j++) d = Math.fround(d + Math.fround(W[r + j] * h[j]));
  return d;
}

/**
 * scores = softmax(Wout · h) over the first osz rows (max subtracted first), in float32 where fastText
 * computes in float, so that predicted probabilities agree with its output to the digits it prints.
 */
export function softmaxScores(Wout: Float32Array, H: number, osz: number, h: ArrayLike<number>, scores: Float64Array): void {
  let max = -Infinity;
  for (let i = 0; i < osz; i++) {
    const s = fdot(Wout, i * H, h, H);
    scores[i] = s;
    if (s > max) max = s;
  }
  let z = 0;
  for (let i = 0; i < osz; i++) z = Math.fround(z + (scores[i] = Math.fround(Math.exp(Math.fround(scores[i] - max)))));
  for (let i = 0; i < osz; i++) scores[i] = Math.fround(scores[i] / z);
}

// fastText's sigmoid table: 513 values on [-8, 8], used for one-vs-all's predicted probabilities.
const SIGMOID_TABLE = (() => {
  const t = new Float32Array(513);
  for (let i = 0; i <= 512; i++) {
    const x = Math.fround(Math.fround(i * 2 * 8) / 512 - 8);
    t[i] = 1 / (1 + Math.exp(-x));
  }
  return t;
})();

/** fastText's table sigmoid (what its one-vs-all prediction prints). */
export function tableSigmoid(x: number): number {
  if (x < -8) return 0;
  if (x > 8) return 1;
  return SIGMOID_TABLE[Math.trunc(Math.fround(Math.fround(Math.fround(x + 8) * 512) / 8 / 2))];
}

/** A prediction: label index and log-probability as fastText keeps it, log(p + 1e-5). */
export interface RawPrediction {
  index: number;
  logProb: number;
}

/** The k best outputs with p >= threshold, best first (fastText's findKBest). */
export function kBest(p: ArrayLike<number>, k: number, threshold: number): RawPrediction[] {
  const out: RawPrediction[] = [];
  for (let i = 0; i < p.length; i++) {
    if (p[i] < threshold) continue;
    out.push({ index: i, logProb: Math.fround(Math.log(Math.fround(p[i]) + 1e-5)) });
  }
  out.sort((a, b) => b.logProb - a.logProb || a.index - b.index);
  return out.slice(0, k);
}

/** Hierarchical softmax's predictions: fastText's depth-first search from the root, pruned by k and threshold. */
export function hsPredict(Wout: Float32Array, H: number, tree: FastTextTree, h: ArrayLike<number>, k: number, threshold: number): RawPrediction[] {
  const heap: RawPrediction[] = [];
  const logT = Math.log(threshold + 1e-5);
  const worst = () => heap[heap.length - 1].logProb;
  const dfs = (node: number, score: number): void => {
    if (score < logT) return;
    if (heap.length === k && score < worst()) return;
    if (tree.left[node] === -1 && tree.right[node] === -1) {
      heap.push({ index: node, logProb: score });
      heap.sort((a, b) => b.logProb - a.logProb || a.index - b.index);
      if (heap.length > k) heap.pop();
      return;
    }
    // in float32 where fastText computes in float (its scores add up float32 logarithms)
    const f = Math.fround(1 / Math.fround(1 + Math.fround(Math.exp(-fdot(Wout, (node - tree.osz) * H, h, H)))));
    dfs(tree.left[node], Math.fround(score + Math.fround(Math.log(Math.fround(1 - f) + 1e-5))));
    dfs(tree.right[node], Math.fround(score + Math.fround(Math.log(f + 1e-5))));
  };
  if (tree.osz > 0) dfs(2 * tree.osz - 2, 0);
  return heap;
}
