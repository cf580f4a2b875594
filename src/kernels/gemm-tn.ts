// Linear's matrix products, blocked with several accumulators (same signatures as src/tensor/ops.ts's
// plain gemmNT / gemmNN / gemmTN, which MatMul keeps: its one-hot comparison is meant to be the plain
// product). Measured at the Wide & Deep benchmark's first layer (batch 512, 416 → 256; 2-core AMD EPYC
// under load, node 20, medians of 7, three alternating rounds; `npm run bench:widedeep`); the losing
// blocked variants are in bench/variants.ts. They trust their arguments.
// dW: 4 i × 2 k 132–163 ms against 4 i at a time 164–241 and ops.ts's 313–499.
// a [n, d]ᵀ @ g [n, h] -> c [d, h], four i and two k at a time: each g[i, j] loaded once for two rows of c.
export function gemmTN2x4(a: Float32Array, g: Float32Array, c: Float32Array, n: number, d: number, h: number): void {
  c.fill(0);
  const n4 = n & ~3, d2 = d & ~1;
  let i = 0;
  for (; i < n4; i += 4) {
    const g0 = i * h, g1 = g0 + h, g2 = g1 + h, g3 = g2 + h;
    const r0 = i * d, r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
    let k = 0;
    for (; k < d2; k += 2) {
      const p0 = a[r0 + k], p1 = a[r1 + k], p2 = a[r2 + k], p3 = a[r3 + k];
      const q0 = a[r0 + k + 1], q1 = a[r1 + k + 1], q2 = a[r2 + k + 1], q3 = a[r3 + k + 1];
      const c0 = k * h, c1 = c0 + h;
      for (let j = 0; j < h; j++) {
        const x0 = g[g0 + j], x1 = g[g1 + j], x2 = g[g2 + j], x3 = g[g3 + j];
        c[c0 + j] += p0 * x0 + p1 * x1 + p2 * x2 + p3 * x3;
        c[c1 + j] += q0 * x0 + q1 * x1 + q2 * x2 + q3 * x3;
      }
    }
    for (; k < d; k++) {
      const p0 = a[r0 + k], p1 = a[r1 + k], p2 = a[r2 + k], p3 = a[r3 + k], c0 = k * h;
      for (let j = 0; j < h; j++) c[c0 + j] += p0 * g[g0 + j] + p1 * g[g1 + j] + p2 * g[g2 + j] + p3 * g[g3 + j];
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
