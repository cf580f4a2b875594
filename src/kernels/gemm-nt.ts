// Linear's matrix products, blocked with several accumulators (same signatures as src/tensor/ops.ts's
// plain gemmNT / gemmNN / gemmTN, which MatMul keeps: its one-hot comparison is meant to be the plain
// product). Measured at the Wide & Deep benchmark's first layer (batch 512, 416 → 256; 2-core AMD EPYC
// under load, node 20, medians of 7, three alternating rounds; `npm run bench:widedeep`); the losing
// blocked variants are in bench/variants.ts. They trust their arguments.
// forward: 4 × 4 block 74–154 ms against ops.ts's 263–731.
// g [n, h] @ b [d, h]ᵀ -> c [n, d], a 4 × 4 block of outputs at a time: 16 accumulators over j.
export function gemmNT4x4(g: Float32Array, b: Float32Array, c: Float32Array, n: number, d: number, h: number): void {
  const n4 = n & ~3, d4 = d & ~3;
  for (let i = 0; i < n4; i += 4) {
    const g0 = i * h, g1 = g0 + h, g2 = g1 + h, g3 = g2 + h;
    for (let k = 0; k < d4; k += 4) {
      const b0 = k * h, b1 = b0 + h, b2 = b1 + h, b3 = b2 + h;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let j = 0; j < h; j++) {
        const x0 = g[g0 + j], x1 = g[g1 + j], x2 = g[g2 + j], x3 = g[g3 + j];
        const w0 = b[b0 + j], w1 = b[b1 + j], w2 = b[b2 + j], w3 = b[b3 + j];
        s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3;
        s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3;
        s20 += x2 * w0; s21 += x2 * w1; s22 += x2 * w2; s23 += x2 * w3;
        s30 += x3 * w0; s31 += x3 * w1; s32 += x3 * w2; s33 += x3 * w3;
      }
      const c0 = i * d + k, c1 = c0 + d, c2 = c1 + d, c3 = c2 + d;
      c[c0] = s00; c[c0 + 1] = s01; c[c0 + 2] = s02; c[c0 + 3] = s03;
      c[c1] = s10; c[c1 + 1] = s11; c[c1 + 2] = s12; c[c1 + 3] = s13;
      c[c2] = s20; c[c2 + 1] = s21; c[c2 + 2] = s22; c[c2 + 3] = s23;
      c[c3] = s30; c[c3 + 1] = s31; c[c3 + 2] = s32; c[c3 + 3] = s33;
    }
    for (let k = d4; k < d; k++) {
      for (let r = 0; r < 4; r++) {
        let s = 0;
        for (let j = 0; j < h; j++) s += g[(i + r) * h + j] * b[k * h + j];
        c[(i + r) * d + k] = s;
      }
    }
  }
  for (let i = n4; i < n; i++) {
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let j = 0; j < h; j++) s += g[i * h + j] * b[k * h + j];
      c[i * d + k] = s;
    }
  }
}
