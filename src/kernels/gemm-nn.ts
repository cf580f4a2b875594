// Linear's matrix products, blocked with several accumulators (same signatures as src/tensor/ops.ts's
// plain gemmNT / gemmNN / gemmTN, which MatMul keeps: its one-hot comparison is meant to be the plain
// product). Measured at the Wide & Deep benchmark's first layer (batch 512, 416 → 256; 2-core AMD EPYC
// under load, node 20, medians of 7, three alternating rounds; `npm run bench:widedeep`); the losing
// blocked variants are in bench/variants.ts. They trust their arguments.
// dx: 2 rows × 4 k 77–146 ms against 4 k at a time 142–237 and ops.ts's 415–605.
// a [n, d] @ b [d, h] -> c [n, h], two rows of a and four k at a time: each b[k, j] loaded once for two rows.
export function gemmNN2x4(a: Float32Array, b: Float32Array, c: Float32Array, n: number, d: number, h: number): void {
  c.fill(0);
  const d4 = d & ~3, n2 = n & ~1;
  let i = 0;
  for (; i < n2; i += 2) {
    const c0 = i * h, c1 = c0 + h, a0 = i * d, a1 = a0 + d;
    let k = 0;
    for (; k < d4; k += 4) {
      const p0 = a[a0 + k], p1 = a[a0 + k + 1], p2 = a[a0 + k + 2], p3 = a[a0 + k + 3];
      const q0 = a[a1 + k], q1 = a[a1 + k + 1], q2 = a[a1 + k + 2], q3 = a[a1 + k + 3];
      const b0 = k * h, b1 = b0 + h, b2 = b1 + h, b3 = b2 + h;
      for (let j = 0; j < h; j++) {
        const w0 = b[b0 + j], w1 = b[b1 + j], w2 = b[b2 + j], w3 = b[b3 + j];
        c[c0 + j] += p0 * w0 + p1 * w1 + p2 * w2 + p3 * w3;
        c[c1 + j] += q0 * w0 + q1 * w1 + q2 * w2 + q3 * w3;
      }
    }
    for (; k < d; k++) {
      const p = a[a0 + k], q = a[a1 + k], br = k * h;
      for (let j = 0; j < h; j++) {
        c[c0 + j] += p * b[br + j];
        c[c1 + j] += q * b[br + j];
      }
    }
  }
  for (; i < n; i++) {
    const cr = i * h, ar = i * d;
    for (let k = 0; k < d; k++) {
      const ak = a[ar + k], br = k * h;
      for (let j = 0; j < h; j++) c[cr + j] += ak * b[br + j];
    }
  }
}
