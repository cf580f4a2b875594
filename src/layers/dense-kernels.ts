// The matrix products of Linear: blocked, several accumulators, same signatures as src/tensor/ops.ts's
// gemmNT / gemmNN / gemmTN (which MatMul keeps: its one-hot comparison is meant to be the plain
// product). They trust their arguments. At the Wide & Deep benchmark's shapes (batch 512,
// 416 → 256 → 128 → 1, `npm run bench:widedeep`) the nine products of a step took 303 ms with these
// against 854 ms with ops.ts's loops (2.8×; 2-core AMD EPYC under load, node 20, medians).
/** g [n, h] @ b [d, h]ᵀ -> c [n, d], a 4 × 4 block of outputs at a time: 16 accumulators over j. */
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

/** a [n, d] @ b [d, h] -> c [n, h], four k at a time: one load and store of c[j] per four products. */
export function gemmNNk4(a: Float32Array, b: Float32Array, c: Float32Array, n: number, d: number, h: number): void {
  c.fill(0);
  const d4 = d & ~3;
  for (let i = 0; i < n; i++) {
    const cr = i * h, ar = i * d;
    let k = 0;
    for (; k < d4; k += 4) {
      const a0 = a[ar + k], a1 = a[ar + k + 1], a2 = a[ar + k + 2], a3 = a[ar + k + 3];
      const b0 = k * h, b1 = b0 + h, b2 = b1 + h, b3 = b2 + h;
      for (let j = 0; j < h; j++) c[cr + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
    }
    for (; k < d; k++) {
      const ak = a[ar + k], br = k * h;
      for (let j = 0; j < h; j++) c[cr + j] += ak * b[br + j];
    }
  }
}

/** a [n, d]ᵀ @ g [n, h] -> c [d, h], four i at a time: one load and store of c[k, j] per four products. */
export function gemmTNi4(a: Float32Array, g: Float32Array, c: Float32Array, n: number, d: number, h: number): void {
  c.fill(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const g0 = i * h, g1 = g0 + h, g2 = g1 + h, g3 = g2 + h;
    for (let k = 0; k < d; k++) {
      const a0 = a[i * d + k], a1 = a[(i + 1) * d + k], a2 = a[(i + 2) * d + k], a3 = a[(i + 3) * d + k];
      const cr = k * h;
      for (let j = 0; j < h; j++) c[cr + j] += a0 * g[g0 + j] + a1 * g[g1 + j] + a2 * g[g2 + j] + a3 * g[g3 + j];
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
