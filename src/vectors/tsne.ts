// t-SNE (van der Maaten and Hinton, 2008), exact: every pair of points, O(n²) memory and time per
// iteration, which is quick up to a few thousand points. The steps, as in the paper and sklearn's
// "exact" method:
//   1. affinities: for each point i, a Gaussian over the others, p_{j|i} ∝ exp(−β_i‖x_i − x_j‖²),
//      with β_i found by binary search so that the entropy of p_{·|i} is ln(perplexity);
//      then P = (p_{j|i} + p_{i|j}) / 2n, symmetric, summing to 1.
//   2. a Student-t kernel in the picture: q_ij = (1 + ‖y_i − y_j‖²)⁻¹ / Z.
//   3. gradient descent on KL(P ‖ Q):  ∂C/∂y_i = 4 Σ_j (p_ij − q_ij)(1 + ‖y_i − y_j‖²)⁻¹ (y_i − y_j),
//      with momentum, per-coordinate gains, and P multiplied by an "early exaggeration" at first.
import { Tensor } from "../tensor/tensor.js";
import { Random } from "../tensor/random.js";
import { checkInt, checkNumber, checkOptions, describe } from "../tensor/check.js";
import { pca } from "./pca.js";

/** Options of {@link TSNE} and {@link tsne}. */
export interface TSNEOptions {
  /**
   * The effective number of neighbours each point's Gaussian covers, in [1, n − 1]
   * (default min(30, (n − 1) / 3), and at least 1).
   */
  perplexity?: number;
  /** Iterations {@link tsne} runs (default 1000). */
  iterations?: number;
  /** Step size (default sklearn's "auto": max(n / earlyExaggeration / 4, 50)). */
  learningRate?: number;
  /** Factor on P for the first `exaggerationIterations` steps (default 12). */
  earlyExaggeration?: number;
  /** How many steps the exaggeration (and the low momentum 0.5) lasts (default 250). */
  exaggerationIterations?: number;
  /** Starting picture: the top two principal components scaled to a spread of 1e-4 (default), or random. */
  init?: "pca" | "random";
  /** Seed of the random start (default 1). */
  seed?: number;
}

/** What {@link tsneAffinities} returns; matrices are `n × n`, row-major. */
export interface TSNEAffinities {
  n: number;
  /** The joint affinities P: symmetric, zero on the diagonal, summing to 1. */
  P: Float64Array;
  /** The conditional affinities p_{j|i} (row i sums to 1). */
  conditional: Float64Array;
  /** The precision β_i = 1 / 2σ_i² found for each row. */
  beta: Float64Array;
  /** The entropy (natural log) of each row of `conditional`: ln(perplexity) up to the tolerance. */
  entropy: Float64Array;
}

/**
 * Step 1 of t-SNE: the affinities of the rows of `X [n, d]` at a given perplexity. Each row's
 * precision is found by bisection until the entropy of p_{·|i} is within `tolerance` (default 1e-5)
 * of ln(perplexity).
 *
 * @example
 * ```ts
 * const X = Tensor.from([[0, 0], [0, 1], [1, 0], [5, 5], [5, 6]]);
 * const a = tsneAffinities(X, 2);
 * Math.abs(Math.exp(a.entropy[0]) - 2) < 1e-4;  // true: every row's perplexity is 2
 * Math.abs(a.P.reduce((s, p) => s + p, 0) - 1) < 1e-12; // true
 * ```
 */
export function tsneAffinities(X: Tensor, perplexity: number, options: { tolerance?: number } = {}): TSNEAffinities {
  const fn = "tsneAffinities";
  const n = checkTable(fn, X);
  checkNumber(fn, "perplexity", perplexity, 1, n - 1);
  const o = checkOptions(fn, options, ["tolerance"]) as { tolerance?: number };
  const tol = o.tolerance === undefined ? 1e-5 : checkNumber(fn, "tolerance", o.tolerance, 0, 1, { min: true });
  return affinities(X, perplexity, tol);
}

function affinities(X: Tensor, perplexity: number, tol: number): TSNEAffinities {
  const [n, d] = X.shape;
  const x = X.data;
  const D = new Float64Array(n * n); // squared distances
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = i + 1; j < n; j++) {
      const oj = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = x[oi + k] - x[oj + k];
        s += t * t;
      }
      D[i * n + j] = s;
      D[j * n + i] = s;
    }
  }
  const cond = new Float64Array(n * n);
  const beta = new Float64Array(n);
  const entropy = new Float64Array(n);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let dmin = Infinity;
    for (let j = 0; j < n; j++) if (j !== i && D[row + j] < dmin) dmin = D[row + j];
    // H(β) = ln Σ e^{−β d'} + β Σ d' p, with d' = d − dmin (the shift cancels in p); H falls as β grows
    const entropyAt = (b: number): number => {
      let sum = 0, dot = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const dj = D[row + j] - dmin;
        const e = Math.exp(-b * dj);
        cond[row + j] = e;
        sum += e;
        dot += dj * e;
      }
      return Math.log(sum) + (b * dot) / sum;
    };
    let lo = 0, hi = Infinity, b = 1;
    let h = entropyAt(b);
    for (let it = 0; it < 200 && Math.abs(h - target) > tol; it++) {
      if (h > target) {
        lo = b;
        b = hi === Infinity ? b * 2 : (b + hi) / 2;
      } else {
        hi = b;
        b = (b + lo) / 2;
      }
      h = entropyAt(b);
    }
    let sum = 0;
    for (let j = 0; j < n; j++) if (j !== i) sum += cond[row + j];
    for (let j = 0; j < n; j++) cond[row + j] = j === i ? 0 : cond[row + j] / sum;
    beta[i] = b;
    entropy[i] = h;
  }
  const P = new Float64Array(n * n);
  const scale = 1 / (2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (i !== j) P[i * n + j] = (cond[i * n + j] + cond[j * n + i]) * scale;
  }
  return { n, P, conditional: cond, beta, entropy };
}

/**
 * Steps 2 and 3 of t-SNE: for joint affinities `P` (`n × n`) and a picture `Y` (`n × 2`, row-major,
 * or `n × dims` with `dims`), the divergence KL(P ‖ Q) and its gradient with respect to `Y`.
 * With `exaggeration` α the gradient is 4 Σ_j (α·p_ij − q_ij)(1 + ‖y_i − y_j‖²)⁻¹ (y_i − y_j), the
 * gradient of α·Σ p_ij ln(1 + ‖y_i − y_j‖²) + ln Z (at α = 1: of the KL divergence).
 *
 * @example
 * ```ts
 * const { P } = tsneAffinities(Tensor.from([[0, 0], [0, 1], [4, 4]]), 1.5);
 * const { kl, grad } = tsneGradient(P, Float64Array.from([0, 0, 0, 0.1, 0.2, 0.2]));
 * kl > 0;          // true
 * grad.length;     // 6
 * ```
 */
export function tsneGradient(P: Float64Array, Y: Float64Array, exaggeration = 1, dims = 2): { kl: number; grad: Float64Array } {
  const fn = "tsneGradient";
  if (!(P instanceof Float64Array)) throw new TypeError(`${fn}: P must be a Float64Array (n × n), got ${describe(P)}`);
  if (!(Y instanceof Float64Array)) throw new TypeError(`${fn}: Y must be a Float64Array (n × dims), got ${describe(Y)}`);
  checkNumber(fn, "exaggeration", exaggeration, 0, 1e6);
  checkInt(fn, "dims", dims, 1, 1000);
  const n = Y.length / dims;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`${fn}: Y has ${Y.length} values, not n × ${dims} with n >= 2`);
  if (P.length !== n * n) throw new RangeError(`${fn}: P has ${P.length} values, expected n × n = ${n * n} for Y's ${n} points`);
  for (let i = 0; i < Y.length; i++) if (!Number.isFinite(Y[i])) throw new RangeError(`${fn}: Y[${i}] is ${Y[i]}; every value must be finite`);
  const grad = new Float64Array(Y.length);
  const num = new Float64Array(n * n);
  const kl = gradientInto(P, Y, n, dims, exaggeration, num, grad);
  return { kl, grad };
}

/**
 * The kernel behind {@link tsneGradient}: writes `grad`, uses `num` (n × n) as scratch, returns KL(P ‖ Q)
 * (or NaN when `wantKL` is false: the logarithms are most of the cost of an iteration). Each pair is
 * visited once, for both of its points, with p_ij taken as (P[i, j] + P[j, i]) / 2 (the same for a
 * symmetric P, and the right gradient for any P).
 */
function gradientInto(P: Float64Array, Y: Float64Array, n: number, dims: number, alpha: number, num: Float64Array, grad: Float64Array, wantKL = true): number {
  if (dims === 2) return gradient2(P, Y, n, alpha, num, grad, wantKL);
  let Z = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * dims;
    for (let j = i + 1; j < n; j++) {
      const oj = j * dims;
      let s = 0;
      for (let k = 0; k < dims; k++) {
        const t = Y[oi + k] - Y[oj + k];
        s += t * t;
      }
      const q = 1 / (1 + s);
      num[i * n + j] = q;
      Z += 2 * q;
    }
  }
  grad.fill(0);
  const invZ = 1 / Z;
  for (let i = 0; i < n; i++) {
    const oi = i * dims;
    for (let j = i + 1; j < n; j++) {
      const nij = num[i * n + j];
      const p = 0.5 * (P[i * n + j] + P[j * n + i]);
      const m = 4 * (alpha * p - nij * invZ) * nij;
      const oj = j * dims;
      for (let k = 0; k < dims; k++) {
        const g = m * (Y[oi + k] - Y[oj + k]);
        grad[oi + k] += g;
        grad[oj + k] -= g;
      }
    }
  }
  return wantKL ? divergence(P, num, n, invZ) : NaN;
}

/** {@link gradientInto} for a picture in the plane, the case every iteration of {@link TSNE} runs. */
function gradient2(P: Float64Array, Y: Float64Array, n: number, alpha: number, num: Float64Array, grad: Float64Array, wantKL: boolean): number {
  let Z = 0;
  for (let i = 0; i < n; i++) {
    const xi = Y[2 * i], yi = Y[2 * i + 1];
    const row = i * n;
    for (let j = i + 1; j < n; j++) {
      const dx = xi - Y[2 * j], dy = yi - Y[2 * j + 1];
      const q = 1 / (1 + dx * dx + dy * dy);
      num[row + j] = q;
      Z += q;
    }
  }
  Z *= 2;
  const invZ = 1 / Z;
  const a4 = 4 * alpha, z4 = 4 * invZ;
  grad.fill(0);
  for (let i = 0; i < n; i++) {
    const xi = Y[2 * i], yi = Y[2 * i + 1];
    const row = i * n;
    let gx = 0, gy = 0;
    for (let j = i + 1; j < n; j++) {
      const nij = num[row + j];
      // 4 (α p_ij − q_ij) num_ij, with p_ij = (P[i, j] + P[j, i]) / 2
      const m = (a4 * 0.5 * (P[row + j] + P[j * n + i]) - z4 * nij) * nij;
      const ex = m * (xi - Y[2 * j]), ey = m * (yi - Y[2 * j + 1]);
      gx += ex;
      gy += ey;
      grad[2 * j] -= ex;
      grad[2 * j + 1] -= ey;
    }
    grad[2 * i] += gx;
    grad[2 * i + 1] += gy;
  }
  return wantKL ? divergence(P, num, n, invZ) : NaN;
}

/** KL(P ‖ Q) = Σ_{i≠j} p_ij ln(p_ij / q_ij), from the kernel values of the upper triangle of `num`. */
function divergence(P: Float64Array, num: Float64Array, n: number, invZ: number): number {
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const q = Math.max(num[i * n + j] * invZ, 1e-300);
      const a = P[i * n + j], b = P[j * n + i];
      if (a > 0) kl += a * Math.log(a / q);
      if (b > 0) kl += b * Math.log(b / q);
    }
  }
  return kl;
}

/**
 * t-SNE, one iteration at a time (for a picture that moves while it settles); {@link tsne} runs it
 * to the end. The rows of `X [n, d]` are embedded in two dimensions.
 *
 * @example
 * ```ts
 * const X = Tensor.from([[0, 0, 0], [0, 0.1, 0], [0.1, 0, 0], [9, 9, 9], [9, 9.1, 9], [9.1, 9, 9]]);
 * const t = new TSNE(X, { perplexity: 2 });
 * t.step(300);
 * t.iteration;             // 300
 * t.embedding.shape;       // [6, 2]
 * ```
 */
export class TSNE {
  /** The number of points. */
  readonly n: number;
  readonly perplexity: number;
  readonly learningRate: number;
  readonly earlyExaggeration: number;
  readonly exaggerationIterations: number;
  /** The joint affinities (n × n). */
  readonly P: Float64Array;
  /** The current picture, n × 2, row-major (updated in place by {@link TSNE.step}). */
  readonly Y: Float64Array;
  /** Iterations done so far. */
  iteration = 0;
  /** KL(P ‖ Q) at the start of the last step (NaN before the first); computed once per {@link TSNE.step} call. */
  kl = NaN;
  private readonly update: Float64Array;
  private readonly gains: Float64Array;
  private readonly grad: Float64Array;
  private readonly num: Float64Array;

  constructor(X: Tensor, options: TSNEOptions = {}) {
    const fn = "TSNE";
    const n = checkTable(fn, X);
    const o = resolve(fn, options, n);
    this.n = n;
    this.perplexity = o.perplexity;
    this.earlyExaggeration = o.earlyExaggeration;
    this.exaggerationIterations = o.exaggerationIterations;
    this.learningRate = o.learningRate ?? Math.max(n / o.earlyExaggeration / 4, 50);
    this.P = affinities(X, o.perplexity, 1e-5).P;
    this.Y = new Float64Array(n * 2);
    if (o.init === "pca" && X.shape[1] >= 2) {
      const proj = pca(X, 2).projected.data;
      let mean = 0, sq = 0;
      for (let i = 0; i < n; i++) mean += proj[2 * i] / n;
      for (let i = 0; i < n; i++) sq += (proj[2 * i] - mean) ** 2 / n;
      const scale = sq > 0 ? 1e-4 / Math.sqrt(sq) : 0;
      for (let i = 0; i < 2 * n; i++) this.Y[i] = proj[i] * scale;
    }
    if (o.init === "random" || !this.Y.some((y) => y !== 0)) {
      const rng = new Random(o.seed, fn);
      for (let i = 0; i < 2 * n; i++) this.Y[i] = 1e-4 * rng.normal();
    }
    this.update = new Float64Array(2 * n);
    this.gains = new Float64Array(2 * n).fill(1);
    this.grad = new Float64Array(2 * n);
    this.num = new Float64Array(n * n);
  }

  /**
   * Runs `count` iterations (default 1) of gradient descent with momentum and gains (sklearn's
   * `_gradient_descent`: momentum 0.5 while P is exaggerated, then 0.8, with the steps and gains
   * reset between the two phases), and returns the divergence KL(P ‖ Q) before the last one.
   *
   * @example
   * ```ts
   * const t = new TSNE(Tensor.from([[0, 0], [0, 1], [3, 3], [3, 4]]), { perplexity: 1.5 });
   * t.step(10) > 0; // true
   * ```
   */
  step(count = 1): number {
    checkInt("TSNE.step", "count", count, 0, 1_000_000);
    const { P, Y, update, gains, grad, num, n } = this;
    const lr = this.learningRate;
    for (let c = 0; c < count; c++) {
      // the second phase starts afresh, as sklearn's second _gradient_descent call does
      if (this.iteration === this.exaggerationIterations && this.iteration > 0) {
        update.fill(0);
        gains.fill(1);
      }
      const early = this.iteration < this.exaggerationIterations;
      const alpha = early ? this.earlyExaggeration : 1;
      const momentum = early ? 0.5 : 0.8;
      const last = c === count - 1;
      const kl = gradientInto(P, Y, n, 2, alpha, num, grad, last);
      if (last) this.kl = kl;
      for (let i = 0; i < 2 * n; i++) {
        const g = grad[i];
        // gains grow where the step keeps changing direction and shrink where it does not
        gains[i] = update[i] * g < 0 ? gains[i] + 0.2 : Math.max(gains[i] * 0.8, 0.01);
        update[i] = momentum * update[i] - lr * gains[i] * g;
        Y[i] += update[i];
      }
      this.iteration++;
    }
    return this.kl;
  }

  /**
   * The current picture as a `[n, 2]` tensor (a copy).
   *
   * @example
   * ```ts
   * new TSNE(Tensor.from([[0, 0], [1, 1], [2, 0]]), { perplexity: 1 }).embedding.shape; // [3, 2]
   * ```
   */
  get embedding(): Tensor {
    return new Tensor(Float32Array.from(this.Y), [this.n, 2]);
  }
}

/**
 * Embeds the rows of `X [n, d]` in two dimensions with exact t-SNE ({@link TSNE}), `iterations`
 * steps (default 1000). Neighbours in `X` stay neighbours in the picture; distances between
 * far-apart groups mean little.
 *
 * @example
 * ```ts
 * const X = Tensor.from([[0, 0], [0, 0.2], [0.2, 0], [8, 8], [8, 8.2], [8.2, 8]]);
 * tsne(X, { perplexity: 2, iterations: 300 }).shape; // [6, 2]
 * ```
 */
export function tsne(X: Tensor, options: TSNEOptions = {}): Tensor {
  const fn = "tsne";
  const n = checkTable(fn, X);
  const iterations = resolve(fn, options, n).iterations;
  const t = new TSNE(X, options);
  t.step(iterations);
  return t.embedding;
}

function checkTable(fn: string, X: unknown): number {
  if (!(X instanceof Tensor) || X.ndim !== 2) {
    throw new TypeError(`${fn}: X must be a 2-D Tensor [n, d], got ${X instanceof Tensor ? `shape [${X.shape.join(", ")}]` : describe(X)}`);
  }
  const [n, d] = X.shape;
  if (n < 2) throw new RangeError(`${fn}: X needs at least 2 rows, got ${n}`);
  if (d < 1) throw new RangeError(`${fn}: X needs at least 1 column, got shape [${n}, ${d}]`);
  const x = X.data;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new RangeError(`${fn}: X[${Math.floor(i / d)}, ${i % d}] is ${x[i]}; every value must be finite`);
  }
  return n;
}

function resolve(fn: string, options: unknown, n: number) {
  const o = checkOptions(fn, options, [
    "perplexity", "iterations", "learningRate", "earlyExaggeration", "exaggerationIterations", "init", "seed",
  ]) as TSNEOptions;
  if (o.init !== undefined && o.init !== "pca" && o.init !== "random") {
    throw new TypeError(`${fn}: init must be "pca" or "random", got ${describe(o.init)}`);
  }
  return {
    perplexity: o.perplexity === undefined ? Math.max(1, Math.min(30, (n - 1) / 3)) : checkNumber(fn, "perplexity", o.perplexity, 1, n - 1),
    iterations: o.iterations === undefined ? 1000 : checkInt(fn, "iterations", o.iterations, 0, 1_000_000),
    learningRate: o.learningRate === undefined ? undefined : checkNumber(fn, "learningRate", o.learningRate, 0, 1e9, { min: true }),
    earlyExaggeration: o.earlyExaggeration === undefined ? 12 : checkNumber(fn, "earlyExaggeration", o.earlyExaggeration, 1, 1000),
    exaggerationIterations: o.exaggerationIterations === undefined ? 250 : checkInt(fn, "exaggerationIterations", o.exaggerationIterations, 0, 1_000_000),
    init: o.init ?? "pca",
    seed: o.seed === undefined ? 1 : checkInt(fn, "seed", o.seed, -(2 ** 31), 2 ** 32 - 1),
  };
}
