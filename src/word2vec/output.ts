// The output layer of word2vec, written once: negative sampling (the target and its noise words,
// rows of syn1neg) and hierarchical softmax (the inner nodes of the predicted word's Huffman path,
// rows of syn1). Each scores a hidden vector h against its rows, accumulates the input gradient in
// neu1e and updates the rows:
//   g = alpha · (label - σ(h · row));  neu1e += g · row;  row += g · h
// h and neu1e are float64 scratch rows of length H (sums in float64, tables in float32). The CBOW and
// skip-gram steps (step.ts) call these, and so can any trainer with the same output layer (fastText's
// is). Nothing here checks its arguments.

/**
 * The target (label 1) and k negatives (label 0), rows of Wout, in order. Six outputs go in two
 * passes when their rows differ (the second score must see the first update when they are the same
 * row, and then the one-at-a-time loop takes them in order).
 */
export function nsOutputs(
  Wout: Float32Array, H: number, h: Float64Array, neu1e: Float64Array,
  target: number, negs: Int32Array, k: number, alpha: number, computeLoss: boolean,
): number {
  let loss = 0;
  let d = 0; // outputs done: 0 is the target, d ≥ 1 is negs[d - 1]
  for (; d + 6 <= k + 1; d += 6) {
    const r0 = (d === 0 ? target : negs[d - 1]) * H;
    const r1 = negs[d] * H, r2 = negs[d + 1] * H, r3 = negs[d + 2] * H, r4 = negs[d + 3] * H, r5 = negs[d + 4] * H;
    if (!distinct6(r0, r1, r2, r3, r4, r5)) break;
    loss += sixOutputs(Wout, H, h, neu1e, r0, r1, r2, r3, r4, r5, d === 0 ? 1 : 0, alpha, computeLoss);
  }
  for (; d <= k; d++) {
    loss += oneOutput(Wout, H, h, neu1e, (d === 0 ? target : negs[d - 1]) * H, d === 0 ? 1 : 0, alpha, computeLoss);
  }
  return loss;
}

/** |score| from which an inner node is left alone (word2vec.c's and gensim's MAX_EXP). */
export const HS_MAX_SCORE = 6;

/**
 * The inner nodes points[a..b) of one Huffman path, rows of syn1, label 1 - codes[i]. As word2vec.c
 * and gensim do, a node whose score is already at |h · row| ≥ 6 is skipped: no update of the node and
 * no share of neu1e (its loss still counts). Near the root, where every word passes, most nodes soon
 * are; skipping them is most of why hierarchical softmax is fast. A path never visits a node twice,
 * so four nodes are scored in one pass, and the ones left are updated in one more.
 */
export function hsOutputs(
  syn1: Float32Array, H: number, h: Float64Array, neu1e: Float64Array,
  points: Int32Array, codes: Uint8Array, a: number, b: number, alpha: number, computeLoss: boolean,
): number {
  // The loss: the probabilities of the updated nodes multiplied up (one logarithm per path, or
  // sooner when the product gets small), plus the softplus of each skipped node.
  let loss = 0;
  let prob = 1;
  let i = a;
  for (; i + 4 <= b; i += 4) {
    const r0 = points[i] * H, r1 = points[i + 1] * H, r2 = points[i + 2] * H, r3 = points[i + 3] * H;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < H; j++) {
      const x = h[j];
      s0 += x * syn1[r0 + j];
      s1 += x * syn1[r1 + j];
      s2 += x * syn1[r2 + j];
      s3 += x * syn1[r3 + j];
    }
    const l0 = 1 - codes[i], l1 = 1 - codes[i + 1], l2 = 1 - codes[i + 2], l3 = 1 - codes[i + 3];
    // g = 0 for a skipped node
    let g0 = 0, g1 = 0, g2 = 0, g3 = 0;
    if (s0 > -HS_MAX_SCORE && s0 < HS_MAX_SCORE) {
      const f = 1 / (1 + Math.exp(-s0));
      g0 = (l0 - f) * alpha;
      prob *= l0 === 1 ? f : 1 - f;
    } else if (computeLoss) loss += saturatedLoss(l0 === 1 ? -s0 : s0);
    if (s1 > -HS_MAX_SCORE && s1 < HS_MAX_SCORE) {
      const f = 1 / (1 + Math.exp(-s1));
      g1 = (l1 - f) * alpha;
      prob *= l1 === 1 ? f : 1 - f;
    } else if (computeLoss) loss += saturatedLoss(l1 === 1 ? -s1 : s1);
    if (s2 > -HS_MAX_SCORE && s2 < HS_MAX_SCORE) {
      const f = 1 / (1 + Math.exp(-s2));
      g2 = (l2 - f) * alpha;
      prob *= l2 === 1 ? f : 1 - f;
    } else if (computeLoss) loss += saturatedLoss(l2 === 1 ? -s2 : s2);
    if (s3 > -HS_MAX_SCORE && s3 < HS_MAX_SCORE) {
      const f = 1 / (1 + Math.exp(-s3));
      g3 = (l3 - f) * alpha;
      prob *= l3 === 1 ? f : 1 - f;
    } else if (computeLoss) loss += saturatedLoss(l3 === 1 ? -s3 : s3);
    const live = (g0 !== 0 ? 1 : 0) + (g1 !== 0 ? 1 : 0) + (g2 !== 0 ? 1 : 0) + (g3 !== 0 ? 1 : 0);
    if (live >= 3) {
      for (let j = 0; j < H; j++) {
        const x = h[j];
        const o0 = syn1[r0 + j], o1 = syn1[r1 + j], o2 = syn1[r2 + j], o3 = syn1[r3 + j];
        neu1e[j] += g0 * o0 + g1 * o1 + g2 * o2 + g3 * o3;
        syn1[r0 + j] = o0 + g0 * x;
        syn1[r1 + j] = o1 + g1 * x;
        syn1[r2 + j] = o2 + g2 * x;
        syn1[r3 + j] = o3 + g3 * x;
      }
    } else if (live > 0) {
      if (g0 !== 0) updateRow(syn1, H, h, neu1e, r0, g0);
      if (g1 !== 0) updateRow(syn1, H, h, neu1e, r1, g1);
      if (g2 !== 0) updateRow(syn1, H, h, neu1e, r2, g2);
      if (g3 !== 0) updateRow(syn1, H, h, neu1e, r3, g3);
    }
    if (prob < 1e-200) {
      if (computeLoss) loss -= Math.log(prob);
      prob = 1;
    }
  }
  for (; i < b; i++) {
    const r = points[i] * H;
    const label = 1 - codes[i];
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    let j = 0;
    const H4 = H & ~3;
    for (; j < H4; j += 4) {
      d0 += h[j] * syn1[r + j];
      d1 += h[j + 1] * syn1[r + j + 1];
      d2 += h[j + 2] * syn1[r + j + 2];
      d3 += h[j + 3] * syn1[r + j + 3];
    }
    for (; j < H; j++) d0 += h[j] * syn1[r + j];
    const sc = d0 + d1 + d2 + d3;
    if (sc > -HS_MAX_SCORE && sc < HS_MAX_SCORE) {
      const f = 1 / (1 + Math.exp(-sc));
      prob *= label === 1 ? f : 1 - f;
      updateRow(syn1, H, h, neu1e, r, (label - f) * alpha);
    } else if (computeLoss) loss += saturatedLoss(label === 1 ? -sc : sc);
  }
  // Each factor is above σ(-6) ≈ 0.0025 and the product is flushed below 1e-200: no underflow.
  return computeLoss ? loss - Math.log(prob) : 0;
}

/** softplus(z) = -log σ(-z) for |z| ≥ 6: max(z, 0) + log1p(e^-|z|), the log1p by two terms (error < 3e-9). */
function saturatedLoss(z: number): number {
  const e = Math.exp(-Math.abs(z));
  return Math.max(z, 0) + e - 0.5 * e * e;
}

/** neu1e += g · W[row];  W[row] += g · h  (one row, unrolled by four). */
function updateRow(W: Float32Array, H: number, h: Float64Array, neu1e: Float64Array, row: number, g: number): void {
  const H4 = H & ~3;
  let j = 0;
  for (; j < H4; j += 4) {
    const o0 = W[row + j], o1 = W[row + j + 1], o2 = W[row + j + 2], o3 = W[row + j + 3];
    neu1e[j] += g * o0;
    neu1e[j + 1] += g * o1;
    neu1e[j + 2] += g * o2;
    neu1e[j + 3] += g * o3;
    W[row + j] = o0 + g * h[j];
    W[row + j + 1] = o1 + g * h[j + 1];
    W[row + j + 2] = o2 + g * h[j + 2];
    W[row + j + 3] = o3 + g * h[j + 3];
  }
  for (; j < H; j++) {
    const o = W[row + j];
    neu1e[j] += g * o;
    W[row + j] = o + g * h[j];
  }
}


/**
 * One output row (offset `row`, label 1 or 0): score it against h, add g·W[row] to neu1e and g·h to
 * the row; returns its loss term (0 when computeLoss is false). The loops are unrolled by four
 * (H4 = H rounded down to a multiple of 4, then the tail): unrolling roughly halves the time of a
 * one-row pass in V8, which does not vectorise.
 */
export function oneOutput(
  Wout: Float32Array, H: number, h: Float64Array, neu1e: Float64Array,
  row: number, label: number, alpha: number, computeLoss: boolean,
): number {
  const H4 = H & ~3;
  let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
  let j = 0;
  for (; j < H4; j += 4) {
    d0 += h[j] * Wout[row + j];
    d1 += h[j + 1] * Wout[row + j + 1];
    d2 += h[j + 2] * Wout[row + j + 2];
    d3 += h[j + 3] * Wout[row + j + 3];
  }
  for (; j < H; j++) d0 += h[j] * Wout[row + j];
  const f = 1 / (1 + Math.exp(-(d0 + d1 + d2 + d3)));
  const g = (label - f) * alpha;
  // neu1e += g W[w];  W[w] += g h   (neu1e reads the row before its update)
  updateRow(Wout, H, h, neu1e, row, g);
  return computeLoss ? -Math.log(Math.max(label === 1 ? f : 1 - f, 1e-30)) : 0;
}

function distinct6(r0: number, r1: number, r2: number, r3: number, r4: number, r5: number): boolean {
  return r0 !== r1 && r0 !== r2 && r0 !== r3 && r0 !== r4 && r0 !== r5 &&
    r1 !== r2 && r1 !== r3 && r1 !== r4 && r1 !== r5 &&
    r2 !== r3 && r2 !== r4 && r2 !== r5 && r3 !== r4 && r3 !== r5 && r4 !== r5;
}

/**
 * Six distinct output rows (row offsets r0..r5; r0 has label `label0`, the rest label 0): one pass
 * scores all six against h, then one pass adds g·Wout[r] to neu1e and g·h to each row. Distinct rows
 * make this equal to taking them one at a time: no score reads a row that an earlier update wrote.
 */
function sixOutputs(
  Wout: Float32Array, H: number, h: Float64Array, neu1e: Float64Array,
  r0: number, r1: number, r2: number, r3: number, r4: number, r5: number,
  label0: number, alpha: number, computeLoss: boolean,
): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0;
  for (let j = 0; j < H; j++) {
    const x = h[j];
    s0 += x * Wout[r0 + j];
    s1 += x * Wout[r1 + j];
    s2 += x * Wout[r2 + j];
    s3 += x * Wout[r3 + j];
    s4 += x * Wout[r4 + j];
    s5 += x * Wout[r5 + j];
  }
  const f0 = 1 / (1 + Math.exp(-s0)), f1 = 1 / (1 + Math.exp(-s1)), f2 = 1 / (1 + Math.exp(-s2));
  const f3 = 1 / (1 + Math.exp(-s3)), f4 = 1 / (1 + Math.exp(-s4)), f5 = 1 / (1 + Math.exp(-s5));
  const g0 = (label0 - f0) * alpha, g1 = -f1 * alpha, g2 = -f2 * alpha, g3 = -f3 * alpha, g4 = -f4 * alpha, g5 = -f5 * alpha;
  for (let j = 0; j < H; j++) {
    const x = h[j];
    const o0 = Wout[r0 + j], o1 = Wout[r1 + j], o2 = Wout[r2 + j], o3 = Wout[r3 + j], o4 = Wout[r4 + j], o5 = Wout[r5 + j];
    neu1e[j] += g0 * o0 + g1 * o1 + g2 * o2 + g3 * o3 + g4 * o4 + g5 * o5;
    Wout[r0 + j] = o0 + g0 * x;
    Wout[r1 + j] = o1 + g1 * x;
    Wout[r2 + j] = o2 + g2 * x;
    Wout[r3 + j] = o3 + g3 * x;
    Wout[r4 + j] = o4 + g4 * x;
    Wout[r5 + j] = o5 + g5 * x;
  }
  if (!computeLoss) return 0;
  // One logarithm of the product (each factor at least 1e-30: the product cannot underflow).
  const tiny = 1e-30;
  return -Math.log(Math.max(label0 === 1 ? f0 : 1 - f0, tiny) * Math.max(1 - f1, tiny) * Math.max(1 - f2, tiny) *
    Math.max(1 - f3, tiny) * Math.max(1 - f4, tiny) * Math.max(1 - f5, tiny));
}
