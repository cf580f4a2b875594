// Principal component analysis of the rows of a table, for pictures of embeddings: centre the rows,
// form the covariance C = XᵀX / (n − 1) in float64, and take its top eigenvectors by power iteration
// with deflation. O(n·d²) for C, O(d²) per iteration: fine for a few thousand rows of a few hundred
// columns, which is what one draws.
import { Tensor } from "../tensor/tensor.js";
import { checkInt, checkOptions, describe } from "../tensor/check.js";

/** What {@link pca} returns. */
export interface PCAResult {
  /** The rows projected on the components, `[n, k]`: column c is the coordinate along component c. */
  projected: Tensor;
  /** The components `[k, d]`, unit length and orthogonal, in order of decreasing variance. */
  components: Tensor;
  /** The mean row `[d]` that was subtracted first. */
  mean: Tensor;
  /** The variance along each component (sample variance, divided by n − 1), as numpy's and sklearn's. */
  variance: number[];
  /** Each component's share of the total variance (sklearn's `explained_variance_ratio_`). */
  varianceRatio: number[];
  /** The total variance of the rows (the trace of the covariance). */
  totalVariance: number;
}

/**
 * Projects the rows of `X [n, d]` on their top `k` principal components (default 2), and says how
 * much of the variance each component keeps. A component's sign is fixed so that its largest
 * coordinate is positive, so the picture does not flip from run to run.
 *
 * @example
 * ```ts
 * const X = Tensor.from([[2, 0.1], [-2, -0.1], [1, -0.1], [-1, 0.1]]);
 * const { projected, varianceRatio } = pca(X, 1);
 * projected.shape;                  // [4, 1]
 * varianceRatio[0] > 0.99;          // true: the rows lie almost on the x axis
 * ```
 */
export function pca(X: Tensor, k = 2, options: { iterations?: number } = {}): PCAResult {
  const fn = "pca";
  if (!(X instanceof Tensor) || X.ndim !== 2) throw new TypeError(`${fn}: X must be a 2-D Tensor [n, d], got ${describeShape(X)}`);
  const [n, d] = X.shape;
  if (n < 2) throw new RangeError(`${fn}: X needs at least 2 rows, got ${n}`);
  if (d < 1) throw new RangeError(`${fn}: X needs at least 1 column, got shape [${n}, ${d}]`);
  checkInt(fn, "k", k, 1, d);
  const o = checkOptions(fn, options, ["iterations"]) as { iterations?: number };
  const maxIter = o.iterations === undefined ? 1000 : checkInt(fn, "iterations", o.iterations, 1, 1_000_000);
  const data = X.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new RangeError(`${fn}: X[${Math.floor(i / d)}, ${i % d}] is ${data[i]}; every value must be finite`);
    }
  }
  // mean and centred rows, in float64
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) mean[j] += data[off + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) Xc[off + j] = data[off + j] - mean[j];
  }
  // C = Xcᵀ Xc / (n − 1), upper triangle then mirrored
  const C = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let a = 0; a < d; a++) {
      const xa = Xc[off + a];
      if (xa === 0) continue;
      const row = a * d;
      for (let b = a; b < d; b++) C[row + b] += xa * Xc[off + b];
    }
  }
  let total = 0;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = C[a * d + b] / (n - 1);
      C[a * d + b] = v;
      C[b * d + a] = v;
    }
    total += C[a * d + a];
  }
  const components = new Float64Array(k * d);
  const variance: number[] = [];
  const v = new Float64Array(d);
  const w = new Float64Array(d);
  for (let c = 0; c < k; c++) {
    // start from a fixed, generic vector, orthogonal to the components found so far
    for (let j = 0; j < d; j++) v[j] = Math.sin(1.7 * j + 0.3 + c) + 0.01 * (j + 1);
    orthogonalise(v, components, c, d);
    normalise(v);
    for (let it = 0; it < maxIter; it++) {
      // w = C v, deflated: power iteration restricted to the complement of earlier components
      for (let a = 0; a < d; a++) {
        let s = 0;
        const row = a * d;
        for (let b = 0; b < d; b++) s += C[row + b] * v[b];
        w[a] = s;
      }
      orthogonalise(w, components, c, d);
      // no variance left outside the earlier components (only rounding error): keep v
      if (normalise(w) <= 1e-13 * total) break;
      let change = 0;
      for (let j = 0; j < d; j++) change += (w[j] - v[j]) ** 2;
      v.set(w);
      if (change < 1e-24) break;
    }
    // Rayleigh quotient: the variance along v (exact for the vector found, converged or not)
    let q = 0;
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += C[a * d + b] * v[b];
      q += v[a] * s;
    }
    const lambda = Math.max(0, q);
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    const sign = v[big] < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) components[c * d + j] = sign * v[j];
    variance.push(lambda);
  }
  const projected = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let c = 0; c < k; c++) {
      let s = 0;
      const cOff = c * d;
      for (let j = 0; j < d; j++) s += Xc[off + j] * components[cOff + j];
      projected[i * k + c] = s;
    }
  }
  return {
    projected: new Tensor(projected, [n, k]),
    components: new Tensor(Float32Array.from(components), [k, d]),
    mean: new Tensor(Float32Array.from(mean), [d]),
    variance,
    varianceRatio: variance.map((x) => (total > 0 ? x / total : 0)),
    totalVariance: total,
  };
}

/** v -= Σ (v·u) u over the first `count` rows u of `basis`. */
function orthogonalise(v: Float64Array, basis: Float64Array, count: number, d: number): void {
  for (let c = 0; c < count; c++) {
    const off = c * d;
    let dot = 0;
    for (let j = 0; j < d; j++) dot += v[j] * basis[off + j];
    for (let j = 0; j < d; j++) v[j] -= dot * basis[off + j];
  }
}

/** Scales v to unit length and returns its former length (v is left as it is when that is 0). */
function normalise(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j] * v[j];
  const norm = Math.sqrt(s);
  if (norm > 0) for (let j = 0; j < v.length; j++) v[j] /= norm;
  return norm;
}

function describeShape(X: unknown): string {
  return X instanceof Tensor ? `shape [${X.shape.join(", ")}]` : describe(X);
}
