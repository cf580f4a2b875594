// y += alpha · x over rows of a table: the update of plain SGD (alpha = -lr), and the word2vec
// updates. Each is unrolled by eight, which beat the scalar loop by 1.4–1.7× (teach H = 64: 2.0 vs 3.2
// ns/element; H = 100: 1.2 vs 2.1; H = 768: 1.6 vs 2.4) and unrolling by four by 10–25%
// (`npm run bench -- --variants`; the losing variants are in bench/variants.ts).

// y[yOff .. yOff+n) += alpha · x[xOff .. xOff+n)
// One row: BLAS's saxpy with explicit offsets (stride 1). Trusts its arguments.
//
// @example
// ```ts
// const y = new Float32Array([1, 1, 1, 1]);
// axpy(2, 0.5, new Float32Array([4, 8]), 0, y, 1);
// Array.from(y); // [1, 3, 5, 1]
// ```
export function axpy(n: number, alpha: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number): void {
  const n8 = n & ~7;
  let j = 0;
  for (; j < n8; j += 8) {
    y[yOff + j] += alpha * x[xOff + j];
    y[yOff + j + 1] += alpha * x[xOff + j + 1];
    y[yOff + j + 2] += alpha * x[xOff + j + 2];
    y[yOff + j + 3] += alpha * x[xOff + j + 3];
    y[yOff + j + 4] += alpha * x[xOff + j + 4];
    y[yOff + j + 5] += alpha * x[xOff + j + 5];
    y[yOff + j + 6] += alpha * x[xOff + j + 6];
    y[yOff + j + 7] += alpha * x[xOff + j + 7];
  }
  for (; j < n; j++) y[yOff + j] += alpha * x[xOff + j];
}

// P [V, H], G [V, H] -> P[rows[r]] += alpha · G[rows[r]]
// Plain SGD over a dense gradient's touched rows: {@link axpy} on the same row of P and G.
export function axpySameRows(P: Float32Array, rows: Int32Array, G: Float32Array, H: number, alpha: number): void {
  for (let r = 0; r < rows.length; r++) {
    const p = rows[r] * H;
    axpy(H, alpha, G, p, P, p);
  }
}

// P [V, H], G [V, H] -> P[rows[r]] += alpha · G[rows[r]];  G[rows[r]] = 0
// Plain SGD over a dense gradient's touched rows that also zeroes them, which a step does next (it
// clears the gradient): one pass instead of the update and a `fill(0)` per row, 0.22 against
// 0.25 + 0.05 ms at teach (1,900 rows of 64; medians of 400, a loaded 2-core machine, Node 24).
export function axpyRowsAndClear(P: Float32Array, rows: Int32Array, G: Float32Array, H: number, alpha: number): void {
  const H8 = H & ~7;
  for (let r = 0; r < rows.length; r++) {
    const p = rows[r] * H;
    let j = 0;
    for (; j < H8; j += 8) {
      P[p + j] += alpha * G[p + j];
      P[p + j + 1] += alpha * G[p + j + 1];
      P[p + j + 2] += alpha * G[p + j + 2];
      P[p + j + 3] += alpha * G[p + j + 3];
      P[p + j + 4] += alpha * G[p + j + 4];
      P[p + j + 5] += alpha * G[p + j + 5];
      P[p + j + 6] += alpha * G[p + j + 6];
      P[p + j + 7] += alpha * G[p + j + 7];
      G[p + j] = 0;
      G[p + j + 1] = 0;
      G[p + j + 2] = 0;
      G[p + j + 3] = 0;
      G[p + j + 4] = 0;
      G[p + j + 5] = 0;
      G[p + j + 6] = 0;
      G[p + j + 7] = 0;
    }
    for (; j < H; j++) {
      P[p + j] += alpha * G[p + j];
      G[p + j] = 0;
    }
  }
}

// G [N, H] -> P [V, H];  P[target[i]] += alpha · G[i]   for every i with target[i] != skip
// Plain SGD from an uncoalesced row gradient: each position's row of `G` is added into its row of `P`
// in order, as PyTorch's `add_` of its uncoalesced sparse gradient. Two positions per pass, their
// updates interleaved (in order: when both are the same row, each element still gets the first add,
// then the second), unrolled by eight: 0.96–0.99 the time of one position per pass unrolled by sixteen
// and 0.92–0.97 that of the pair unrolled by four at H = 64 and 100 (30 rounds, order rotated, medians).
export function scatterAxpyRows(P: Float32Array, target: Int32Array, skip: number, G: Float32Array, H: number, alpha: number): void {
  const H8 = H & ~7;
  const n = target.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = target[i];
    const r1 = target[i + 1];
    if (r0 === skip || r1 === skip) {
      if (r0 !== skip) axpy(H, alpha, G, i * H, P, r0 * H);
      if (r1 !== skip) axpy(H, alpha, G, (i + 1) * H, P, r1 * H);
      continue;
    }
    const p0 = r0 * H;
    const p1 = r1 * H;
    const g0 = i * H;
    const g1 = g0 + H;
    let j = 0;
    for (; j < H8; j += 8) {
      P[p0 + j] += alpha * G[g0 + j];
      P[p1 + j] += alpha * G[g1 + j];
      P[p0 + j + 1] += alpha * G[g0 + j + 1];
      P[p1 + j + 1] += alpha * G[g1 + j + 1];
      P[p0 + j + 2] += alpha * G[g0 + j + 2];
      P[p1 + j + 2] += alpha * G[g1 + j + 2];
      P[p0 + j + 3] += alpha * G[g0 + j + 3];
      P[p1 + j + 3] += alpha * G[g1 + j + 3];
      P[p0 + j + 4] += alpha * G[g0 + j + 4];
      P[p1 + j + 4] += alpha * G[g1 + j + 4];
      P[p0 + j + 5] += alpha * G[g0 + j + 5];
      P[p1 + j + 5] += alpha * G[g1 + j + 5];
      P[p0 + j + 6] += alpha * G[g0 + j + 6];
      P[p1 + j + 6] += alpha * G[g1 + j + 6];
      P[p0 + j + 7] += alpha * G[g0 + j + 7];
      P[p1 + j + 7] += alpha * G[g1 + j + 7];
    }
    for (; j < H; j++) {
      P[p0 + j] += alpha * G[g0 + j];
      P[p1 + j] += alpha * G[g1 + j];
    }
  }
  if (i < n && target[i] !== skip) axpy(H, alpha, G, i * H, P, target[i] * H);
}
