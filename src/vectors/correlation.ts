// Correlation coefficients for word-similarity benchmarks, computed in float64 like scipy.stats.
import { describe } from "../tensor/check.js";

/** A sample: an array (or typed array) of numbers, none of them NaN. */
function checkSample(fn: string, arg: string, x: unknown): ArrayLike<number> {
  if (!Array.isArray(x) && !(ArrayBuffer.isView(x) && !(x instanceof DataView))) {
    throw new TypeError(`${fn}: ${arg} must be an array of numbers, got ${describe(x)}`);
  }
  const a = x as ArrayLike<unknown>;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== "number" || v !== v) throw new TypeError(`${fn}: ${arg}[${i}] must be a number, got ${describe(v)}`);
  }
  return a as ArrayLike<number>;
}

/**
 * Pearson's r of two equally long samples; NaN when either sample is constant or has fewer than 2
 * values (scipy.stats.pearsonr warns and returns nan there too).
 *
 * @example
 * ```ts
 * pearson([1, 2, 3], [2, 4, 7]); // 0.9933992677987828
 * ```
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkSample("pearson", "x", x);
  checkSample("pearson", "y", y);
  const n = x.length;
  if (n !== y.length) throw new RangeError(`pearson: samples differ in length, ${n} != ${y.length}`);
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  // r = sum(dx dy) / sqrt(sum(dx^2) sum(dy^2)), centred in a second pass for accuracy.
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/**
 * Ranks 1..n of a sample, ties given the average of the ranks they span (scipy's `rankdata`, method
 * "average").
 *
 * @example
 * ```ts
 * averageRanks([10, 20, 10, 30]); // [1.5, 3, 1.5, 4]
 * ```
 */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  checkSample("averageRanks", "x", x);
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && x[order[end]] === x[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 .. end
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Spearman's rank correlation: Pearson's r of the average ranks (scipy.stats.spearmanr).
 *
 * @example
 * ```ts
 * spearman([1, 2, 3, 4], [1, 3, 2, 4]); // 0.8
 * ```
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkSample("spearman", "x", x);
  checkSample("spearman", "y", y);
  if (x.length !== y.length) throw new RangeError(`spearman: samples differ in length, ${x.length} != ${y.length}`);
  return pearson(averageRanks(x), averageRanks(y));
}
