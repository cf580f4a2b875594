// The projector's two methods: PCA against numpy, t-SNE from its definition (perplexity calibration,
// the KL gradient against central differences, separated clusters staying separated), and both
// rejecting bad input.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pca, Random, Tensor, TSNE, tsne, tsneAffinities, tsneGradient } from "../src/index.js";
import { expectClose } from "./helpers.js";

const ref = JSON.parse(readFileSync(resolve(import.meta.dirname, "fixtures", "pca-reference.json"), "utf8"));

/** n points in d dimensions around `centres` (one cluster per centre), seeded. */
function clusters(centres: number[][], perCluster: number, spread: number, seed = 1): { X: Tensor; label: number[] } {
  const rng = new Random(seed);
  const d = centres[0].length;
  const rows: number[][] = [];
  const label: number[] = [];
  centres.forEach((c, k) => {
    for (let i = 0; i < perCluster; i++) {
      rows.push(c.map((x) => x + spread * rng.normal()));
      label.push(k);
    }
  });
  expect(rows[0].length).toBe(d);
  return { X: Tensor.from(rows), label };
}

describe("pca", () => {
  it("matches numpy's eigen-decomposition of the covariance (make-pca-reference.py)", () => {
    const r = pca(Tensor.from(ref.X), 3);
    expectClose(r.variance, ref.variance, "variance", 1e-5, 1e-7);
    expectClose(r.varianceRatio, ref.varianceRatio, "varianceRatio", 1e-5, 1e-7);
    expectClose(r.components.data, ref.components.flat(), "components", 1e-4, 1e-5);
    expectClose(r.projected.data, ref.projected.flat(), "projected", 1e-4, 1e-4);
  });

  it("gives orthonormal components and shares that add up to at most 1", () => {
    const { X } = clusters([[0, 0, 0, 0], [3, 1, 0, 2], [-1, 4, 2, 0]], 15, 0.7);
    const r = pca(X, 4);
    const c = r.components.data;
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        let dot = 0;
        for (let j = 0; j < 4; j++) dot += c[a * 4 + j] * c[b * 4 + j];
        expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-5);
      }
    }
    expect(r.varianceRatio.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
    for (let i = 1; i < 4; i++) expect(r.variance[i]).toBeLessThanOrEqual(r.variance[i - 1] + 1e-9);
  });

  it("handles a rank-deficient table (a component with no variance)", () => {
    const r = pca(Tensor.from([[1, 1, 0], [2, 2, 0], [3, 3, 0]]), 2);
    expect(r.varianceRatio[0]).toBeCloseTo(1, 6);
    expect(r.variance[1]).toBeCloseTo(0, 6);
    expect(r.projected.data.every(Number.isFinite)).toBe(true);
  });
});

describe("tsneAffinities", () => {
  it("calibrates each row by bisection to the target entropy ln(perplexity)", () => {
    const { X } = clusters([[0, 0, 0], [5, 5, 5]], 20, 1);
    for (const perplexity of [2, 5, 15, 39]) {
      const a = tsneAffinities(X, perplexity);
      for (let i = 0; i < a.n; i++) {
        // recompute the entropy from the conditional row itself, not from the search's bookkeeping
        let H = 0, sum = 0;
        for (let j = 0; j < a.n; j++) {
          const p = a.conditional[i * a.n + j];
          sum += p;
          if (p > 0) H -= p * Math.log(p);
        }
        expect(a.conditional[i * a.n + i]).toBe(0);
        expect(sum).toBeCloseTo(1, 12);
        expect(Math.abs(H - Math.log(perplexity))).toBeLessThan(1e-4);
      }
      let total = 0;
      for (let i = 0; i < a.n; i++) for (let j = 0; j < a.n; j++) {
        expect(a.P[i * a.n + j]).toBeCloseTo(a.P[j * a.n + i], 15);
        total += a.P[i * a.n + j];
      }
      expect(total).toBeCloseTo(1, 12);
    }
  });

  it("a larger perplexity gives a wider Gaussian (a smaller precision)", () => {
    const { X } = clusters([[0, 0]], 30, 1);
    const narrow = tsneAffinities(X, 3);
    const wide = tsneAffinities(X, 20);
    for (let i = 0; i < 30; i++) expect(wide.beta[i]).toBeLessThan(narrow.beta[i]);
  });
});

describe("tsneGradient", () => {
  const { X } = clusters([[0, 0, 0], [4, 0, 1], [0, 4, 2]], 5, 0.8, 3);
  const { P, n } = tsneAffinities(X, 4);
  const rng = new Random(5);
  const Y = Float64Array.from({ length: 2 * n }, () => rng.normal());

  /** α Σ p ln(1 + d²) + ln Z: the objective whose gradient tsneGradient returns (KL + const at α = 1). */
  function objective(y: Float64Array, alpha: number): number {
    let Z = 0, s = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const d2 = (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2;
      Z += 1 / (1 + d2);
      s += P[i * n + j] * Math.log(1 + d2);
    }
    return alpha * s + Math.log(Z);
  }

  function kl(y: Float64Array): number {
    return tsneGradient(P, y).kl;
  }

  for (const alpha of [1, 12]) {
    it(`matches central differences (exaggeration ${alpha})`, () => {
      const { grad } = tsneGradient(P, Y, alpha);
      const h = 1e-6;
      for (let k = 0; k < Y.length; k++) {
        const y = Y.slice();
        y[k] += h;
        const up = alpha === 1 ? kl(y) : objective(y, alpha);
        y[k] -= 2 * h;
        const down = alpha === 1 ? kl(y) : objective(y, alpha);
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(grad[k] - numeric)).toBeLessThan(1e-6 + 1e-5 * Math.abs(numeric));
      }
    });
  }

  it("reports KL(P ‖ Q) = Σ p ln(p / q)", () => {
    let Z = 0;
    const q = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      if (i === j) continue;
      q[i * n + j] = 1 / (1 + (Y[2 * i] - Y[2 * j]) ** 2 + (Y[2 * i + 1] - Y[2 * j + 1]) ** 2);
      Z += q[i * n + j];
    }
    let expected = 0;
    for (let k = 0; k < n * n; k++) if (P[k] > 0) expected += P[k] * Math.log(P[k] / (q[k] / Z));
    expect(tsneGradient(P, Y).kl).toBeCloseTo(expected, 12);
  });
});

describe("TSNE", () => {
  it("keeps well-separated clusters separated, and lowers the divergence", () => {
    const { X, label } = clusters([[0, 0, 0, 0, 0], [10, 0, 0, 0, 0], [0, 10, 0, 0, 0], [0, 0, 10, 10, 0]], 12, 0.5, 2);
    const t = new TSNE(X, { perplexity: 8 });
    t.step(1);
    const first = t.kl;
    t.step(499);
    expect(t.kl).toBeLessThan(first);
    const Y = t.Y;
    const n = label.length;
    // every point's nearest neighbour in the picture is of its own cluster, and every cluster's
    // diameter is smaller than its distance to any other cluster
    let within = 0, between = Infinity;
    for (let i = 0; i < n; i++) {
      let best = -1, bestD = Infinity;
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const d = Math.hypot(Y[2 * i] - Y[2 * j], Y[2 * i + 1] - Y[2 * j + 1]);
        if (d < bestD) (bestD = d), (best = j);
        if (label[i] === label[j]) within = Math.max(within, d);
        else between = Math.min(between, d);
      }
      expect(label[best]).toBe(label[i]);
    }
    expect(within).toBeLessThan(between);
  });

  it("is reproducible and gives the same picture through tsne()", () => {
    const { X } = clusters([[0, 0, 0], [6, 6, 6]], 8, 1, 4);
    const a = tsne(X, { perplexity: 5, iterations: 120, init: "random", seed: 3 });
    const t = new TSNE(X, { perplexity: 5, init: "random", seed: 3 });
    t.step(120);
    expect(Array.from(a.data)).toEqual(Array.from(t.embedding.data));
  });
});

describe("bad input", () => {
  const X = Tensor.from([[0, 0], [1, 1], [2, 0]]);
  const cases: [string, () => unknown, typeof TypeError | typeof RangeError, RegExp][] = [
    ["pca of a 1-D tensor", () => pca(Tensor.zeros([3])), TypeError, /^pca: X must be a 2-D Tensor \[n, d\], got shape \[3\]$/],
    ["pca of an array", () => pca([[1, 2]] as never), TypeError, /^pca: X must be a 2-D Tensor \[n, d\], got \[\[1, 2\]\]$/],
    ["pca of one row", () => pca(Tensor.zeros([1, 3])), RangeError, /^pca: X needs at least 2 rows, got 1$/],
    ["pca k too large", () => pca(X, 3), RangeError, /^pca: k must be in \[1, 2\], got 3$/],
    ["pca k fractional", () => pca(X, 1.5), TypeError, /^pca: k must be an integer, got 1\.5$/],
    ["pca of NaN", () => pca(Tensor.from([[0, NaN], [1, 1]])), RangeError, /^pca: X\[0, 1\] is NaN; every value must be finite$/],
    ["pca unknown option", () => pca(X, 2, { iters: 3 } as never), TypeError, /^pca: unknown option "iters"/],
    ["tsneAffinities perplexity too large", () => tsneAffinities(X, 3), RangeError, /^tsneAffinities: perplexity must be in \[1, 2\], got 3$/],
    ["tsneAffinities perplexity NaN", () => tsneAffinities(X, NaN), TypeError, /^tsneAffinities: perplexity must be a number, got NaN$/],
    ["tsneAffinities of Infinity", () => tsneAffinities(Tensor.from([[0, 0], [Infinity, 1], [1, 1]]), 1.5), RangeError, /^tsneAffinities: X\[1, 0\] is Infinity/],
    ["tsneGradient P of the wrong size", () => tsneGradient(new Float64Array(4), new Float64Array(6)), RangeError, /^tsneGradient: P has 4 values, expected n × n = 9 for Y's 3 points$/],
    ["tsneGradient Y not Float64Array", () => tsneGradient(new Float64Array(4), [0, 0, 1, 1] as never), TypeError, /^tsneGradient: Y must be a Float64Array/],
    ["tsneGradient Y of odd length", () => tsneGradient(new Float64Array(4), new Float64Array(5)), RangeError, /^tsneGradient: Y has 5 values, not n × 2 with n >= 2$/],
    ["TSNE perplexity below 1", () => new TSNE(X, { perplexity: 0.5 }), RangeError, /^TSNE: perplexity must be in \[1, 2\], got 0\.5$/],
    ["TSNE bad init", () => new TSNE(X, { init: "spectral" as never }), TypeError, /^TSNE: init must be "pca" or "random", got "spectral"$/],
    ["TSNE learningRate 0", () => new TSNE(X, { learningRate: 0 }), RangeError, /^TSNE: learningRate must be in \(0, /],
    ["TSNE.step negative", () => new TSNE(X).step(-1), RangeError, /^TSNE\.step: count must be in \[0, 1000000\], got -1$/],
    ["tsne iterations fractional", () => tsne(X, { iterations: 2.5 }), TypeError, /^tsne: iterations must be an integer, got 2\.5$/],
    ["tsne of one row", () => tsne(Tensor.zeros([1, 2])), RangeError, /^tsne: X needs at least 2 rows, got 1$/],
  ];
  for (const [name, act, cls, message] of cases) {
    it(name, () => {
      expect(act).toThrow(cls);
      expect(act).toThrow(message);
    });
  }
});
