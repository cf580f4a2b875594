// The fused word2vec steps: CBOW (mean or sum of the context) and skip-gram, each scored by negative
// sampling, by hierarchical softmax, or by both, as word2vec.c and gensim train them. One step is one
// allocation-free pass over typed arrays; trainSentence runs them over a subsampled sentence. Nothing
// here checks its arguments (the trainers validate their options once, cbowUpdate and word2vecUpdate
// check one step called by hand).
//
// Order of one step, as word2vec.c: h from the input table (the context mean or sum for CBOW, the
// context word's own row for skip-gram), then the hierarchical-softmax path of the predicted word,
// root first, then its target and negatives, all accumulating the same neu1e, then one update of the
// input rows. (gensim, when both hs and negative are on, updates the input rows after each of the two
// and recomputes h in between; for hs or negative alone the two orders are the same.)

/** The tables one step reads and writes. */
export interface StepTables {
  /** Input vectors `[V, H]` (syn0): the word vectors. */
  Win: Float32Array;
  /** Negative-sampling output vectors `[V, H]` (syn1neg); empty when negative is 0. */
  Wout: Float32Array;
  /** Hierarchical-softmax inner-node vectors `[V - 1, H]` (syn1); empty when hs is off. */
  syn1: Float32Array;
  /** Huffman codes and inner nodes (see buildHuffman): word w's path is [codeStarts[w], codeStarts[w + 1]). */
  codes: Uint8Array;
  points: Int32Array;
  codeStarts: Int32Array;
  /** The noise distribution's alias table (see UnigramSampler). */
  prob: Uint32Array;
  alias: Int32Array;
}

/** What a step does, besides its tables. */
export interface StepParams {
  H: number;
  window: number;
  /** Noise words per predicted word (0: no negative sampling). */
  negative: number;
  /** Skip-gram (true) or CBOW. */
  sg: boolean;
  /** Hierarchical softmax on. */
  hs: boolean;
  /** CBOW's h: the mean of the context rows (true) or their sum. */
  cbowMean: boolean;
  /** CBOW's context rows get neu1e undivided (true) or neu1e / n. */
  undividedGrad: boolean;
  computeLoss: boolean;
}

/** A worker's scratch space and running state: allocated once, reused for every sentence. */
export interface StepScratch {
  ctx: Int32Array;
  negs: Int32Array;
  h: Float64Array;
  neu1e: Float64Array;
  /** The xorshift32 state (never 0). */
  x: number;
  /** The loss summed so far. */
  loss: number;
}

/** Scratch for a worker with these settings, its generator seeded with `x` (from seedState). */
export function stepScratch(p: StepParams, x: number): StepScratch {
  return {
    ctx: new Int32Array(2 * p.window),
    negs: new Int32Array(Math.max(1, p.negative)),
    h: new Float64Array(p.H),
    neu1e: new Float64Array(p.H),
    x,
    loss: 0,
  };
}

/**
 * Trains one subsampled sentence (`sentence[0..n)`, word ids) at learning rate `alpha`: for each
 * position a window shrunk to `window - b` with b uniform in [0, window), then for CBOW one step on
 * the context predicting the word, for skip-gram one step per context word predicting the center
 * word (gensim's pairing: `h = Win[context]`, the center word's path and negatives). Negative words
 * are drawn from the alias table, never the predicted word itself.
 */
export function trainSentence(t: StepTables, p: StepParams, s: StepScratch, sentence: Int32Array, n: number, alpha: number): void {
  const { Win, Wout, syn1, codes, points, codeStarts, prob, alias } = t;
  const { H, window, negative: k, sg, hs, cbowMean, undividedGrad, computeLoss } = p;
  const { ctx, negs, h, neu1e } = s;
  const V = prob.length;
  let x = s.x;
  let loss = s.loss;
  for (let pos = 0; pos < n; pos++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const b = (x >>> 0) % window;
    const lo = Math.max(0, pos - window + b);
    const hi = Math.min(n - 1, pos + window - b);
    const target = sentence[pos];
    const pathStart = hs ? codeStarts[target] : 0;
    const pathEnd = hs ? codeStarts[target + 1] : 0;
    if (sg) {
      for (let q = lo; q <= hi; q++) {
        if (q === pos) continue;
        for (let d = 0; d < k; d++) {
          let w = target;
          while (w === target) {
            x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
            const col = Math.floor((x >>> 0) * V * 2.3283064365386963e-10);
            x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
            w = x >>> 0 < prob[col] ? col : alias[col];
          }
          negs[d] = w;
        }
        loss += skipGramStep(Win, Wout, syn1, H, sentence[q], target, negs, k, points, codes, pathStart, pathEnd, alpha, h, neu1e, computeLoss);
      }
    } else {
      let c = 0;
      for (let q = lo; q <= hi; q++) if (q !== pos) ctx[c++] = sentence[q];
      if (c === 0) continue;
      for (let d = 0; d < k; d++) {
        let w = target;
        while (w === target) {
          // Alias draw: a uniform column, kept with probability prob[col], else its alias.
          x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
          const col = Math.floor((x >>> 0) * V * 2.3283064365386963e-10);
          x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
          w = x >>> 0 < prob[col] ? col : alias[col];
        }
        negs[d] = w;
      }
      loss += cbowStep(Win, Wout, syn1, H, ctx, c, target, negs, k, points, codes, pathStart, pathEnd, alpha, h, neu1e, cbowMean, undividedGrad, computeLoss);
    }
  }
  s.x = x;
  s.loss = loss;
}

/**
 * One CBOW step, in place:
 *   h = Σ_c Win[ctx[c]]  (÷ n when `mean`)
 *   for each inner node u of the target's Huffman path with code bit c (label 1 - c), in syn1
 *   (but those already scored at |h · row| ≥ 6, see hsOutputs), then for the target (label 1) and
 *   each negative (label 0), in Wout:
 *     g = alpha · (label - σ(h · row));  neu1e += g · row;  row += g · h
 *   Win[c] += neu1e (÷ n unless `undividedGrad`) for each context word c
 * which is SGD at rate alpha on -Σ log σ(±h · row). Returns that loss (0 unless computeLoss).
 */
export function cbowStep(
  Win: Float32Array, Wout: Float32Array, syn1: Float32Array, H: number,
  ctx: Int32Array, n: number, target: number, negs: Int32Array, k: number,
  points: Int32Array, codes: Uint8Array, pathStart: number, pathEnd: number,
  alpha: number, h: Float64Array, neu1e: Float64Array, mean: boolean, undividedGrad: boolean, computeLoss: boolean,
): number {
  sumRows(Win, H, ctx, n, h);
  if (mean && n > 1) {
    const inv = 1 / n;
    for (let j = 0; j < H; j++) h[j] *= inv;
  }
  for (let j = 0; j < H; j++) neu1e[j] = 0;
  let loss = 0;
  if (pathEnd > pathStart) loss += hsOutputs(syn1, H, h, neu1e, points, codes, pathStart, pathEnd, alpha, computeLoss);
  if (Wout.length > 0) loss += nsOutputs(Wout, H, h, neu1e, target, negs, k, alpha, computeLoss);
  if (!undividedGrad && n > 1) {
    const inv = 1 / n;
    for (let j = 0; j < H; j++) neu1e[j] *= inv;
  }
  addToRows(Win, H, ctx, n, neu1e);
  return loss;
}

/**
 * One skip-gram step for the pair (context word, predicted center word), in place: h = Win[context],
 * then the center word's path and negatives exactly as in {@link cbowStep}, then
 * Win[context] += neu1e. Returns the loss (0 unless computeLoss).
 */
export function skipGramStep(
  Win: Float32Array, Wout: Float32Array, syn1: Float32Array, H: number,
  context: number, target: number, negs: Int32Array, k: number,
  points: Int32Array, codes: Uint8Array, pathStart: number, pathEnd: number,
  alpha: number, h: Float64Array, neu1e: Float64Array, computeLoss: boolean,
): number {
  const r = context * H;
  let loss = 0;
  if (pathEnd === pathStart) {
    // Negative sampling alone: the six outputs read the input row where it is (it does not change
    // until the end of the step), without copying it to h first. Same vectors bit for bit; copying
    // first (nsOutputs on h) trained wiki-en-106 at 0.93× the words per CPU second under Node 20
    // (median of 6 alternated one-thread ratios, 0.90–1.18) and 0.97× under Bun.
    for (let j = 0; j < H; j++) neu1e[j] = 0;
    let d = 0;
    for (; d + 6 <= k + 1; d += 6) {
      const r0 = (d === 0 ? target : negs[d - 1]) * H;
      const r1 = negs[d] * H, r2 = negs[d + 1] * H, r3 = negs[d + 2] * H, r4 = negs[d + 3] * H, r5 = negs[d + 4] * H;
      if (!distinct6(r0, r1, r2, r3, r4, r5)) break;
      loss += sixOutputsRow(Wout, H, Win, r, neu1e, r0, r1, r2, r3, r4, r5, d === 0 ? 1 : 0, alpha, computeLoss);
    }
    if (d <= k) {
      for (let j = 0; j < H; j++) h[j] = Win[r + j];
      for (; d <= k; d++) loss += oneOutput(Wout, H, h, neu1e, (d === 0 ? target : negs[d - 1]) * H, d === 0 ? 1 : 0, alpha, computeLoss);
    }
  } else {
    for (let j = 0; j < H; j++) {
      h[j] = Win[r + j];
      neu1e[j] = 0;
    }
    loss += hsOutputs(syn1, H, h, neu1e, points, codes, pathStart, pathEnd, alpha, computeLoss);
    if (Wout.length > 0) loss += nsOutputs(Wout, H, h, neu1e, target, negs, k, alpha, computeLoss);
  }
  for (let j = 0; j < H; j++) Win[r + j] += neu1e[j];
  return loss;
}

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

/** h = Σ_c Win[ctx[c]], four rows per pass over j (the n % 4 odd rows in the first pass). */
export function sumRows(Win: Float32Array, H: number, ctx: Int32Array, n: number, h: Float64Array): void {
  let c = n & 3;
  if (c === 1) {
    const a = ctx[0] * H;
    for (let j = 0; j < H; j++) h[j] = Win[a + j];
  } else if (c === 2) {
    const a = ctx[0] * H, b = ctx[1] * H;
    for (let j = 0; j < H; j++) h[j] = Win[a + j] + Win[b + j];
  } else if (c === 3) {
    const a = ctx[0] * H, b = ctx[1] * H, e = ctx[2] * H;
    for (let j = 0; j < H; j++) h[j] = Win[a + j] + Win[b + j] + Win[e + j];
  } else {
    for (let j = 0; j < H; j++) h[j] = 0;
  }
  for (; c < n; c += 4) {
    const a = ctx[c] * H, b = ctx[c + 1] * H, e = ctx[c + 2] * H, f = ctx[c + 3] * H;
    for (let j = 0; j < H; j++) h[j] += Win[a + j] + Win[b + j] + Win[e + j] + Win[f + j];
  }
}

/** Win[ctx[c]] += x for every c, four rows per pass (a repeated row is added to once per mention). */
export function addToRows(Win: Float32Array, H: number, ctx: Int32Array, n: number, x: Float64Array): void {
  let c = n & 3;
  if (c === 1) {
    const a = ctx[0] * H;
    for (let j = 0; j < H; j++) Win[a + j] += x[j];
  } else if (c === 2) {
    const a = ctx[0] * H, b = ctx[1] * H;
    for (let j = 0; j < H; j++) {
      const v = x[j];
      Win[a + j] += v;
      Win[b + j] += v;
    }
  } else if (c === 3) {
    const a = ctx[0] * H, b = ctx[1] * H, e = ctx[2] * H;
    for (let j = 0; j < H; j++) {
      const v = x[j];
      Win[a + j] += v;
      Win[b + j] += v;
      Win[e + j] += v;
    }
  }
  for (; c < n; c += 4) {
    const a = ctx[c] * H, b = ctx[c + 1] * H, e = ctx[c + 2] * H, f = ctx[c + 3] * H;
    for (let j = 0; j < H; j++) {
      const v = x[j];
      Win[a + j] += v;
      Win[b + j] += v;
      Win[e + j] += v;
      Win[f + j] += v;
    }
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

/** {@link sixOutputs} with h read from row `a` of `In` (float32) instead of a float64 copy. */
function sixOutputsRow(
  Wout: Float32Array, H: number, In: Float32Array, a: number, neu1e: Float64Array,
  r0: number, r1: number, r2: number, r3: number, r4: number, r5: number,
  label0: number, alpha: number, computeLoss: boolean,
): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0;
  for (let j = 0; j < H; j++) {
    const x = In[a + j];
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
    const x = In[a + j];
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
  const tiny = 1e-30;
  return -Math.log(Math.max(label0 === 1 ? f0 : 1 - f0, tiny) * Math.max(1 - f1, tiny) * Math.max(1 - f2, tiny) *
    Math.max(1 - f3, tiny) * Math.max(1 - f4, tiny) * Math.max(1 - f5, tiny));
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
