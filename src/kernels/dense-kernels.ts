// The matrix products of Linear: blocked, several accumulators, same signatures as src/tensor/ops.ts's
// gemmNT / gemmNN / gemmTN (which MatMul keeps: its one-hot comparison is meant to be the plain
// product). They trust their arguments. Measured at the Wide & Deep benchmark's first layer (batch
// 512, 416 → 256; 2-core AMD EPYC under heavy load, node 20, medians of 7, three alternating rounds):
// forward NT 4 × 4 block 74–154 ms against ops.ts's 263–731; dx NN 2 rows × 4 k 77–146 against 4 k
// at a time 142–237 and ops.ts's 415–605; dW TN 4 i × 2 k 132–163 against 4 i at a time 164–241 and
// ops.ts's 313–499. The losing blocked variants are in bench/variants.ts.
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

/** a [n, d] @ b [d, h] -> c [n, h], two rows of a and four k at a time: each b[k, j] loaded once for two rows. */
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

/** a [n, d]ᵀ @ g [n, h] -> c [d, h], four i and two k at a time: each g[i, j] loaded once for two rows of c. */
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
