// The noise distribution of negative sampling, P(w) ∝ count(w)^power, as Walker's alias table:
// built once (Vose's method, O(V)), then one draw is a uniform column and one comparison. The book's
// UnigramSampler and the fused trainers (word2vec here, fastText too) draw from the same table with
// the same aliasPick.

/** An alias table over V words: column i is kept with probability prob[i] / 2^32, else it gives alias[i]. */
export interface NoiseTable {
  prob: Uint32Array;
  alias: Int32Array;
}

/**
 * Vose's alias method: prob as fractions of 2^32 and alias ids, for probabilities p summing to 1.
 *
 * @example
 * ```ts
 * const t = buildAlias(new Float64Array([0.5, 0.5]));
 * Array.from(t.alias); // [0, 1]: both columns keep their word
 * ```
 */
export function buildAlias(p: Float64Array): NoiseTable {
  const V = p.length;
  const scaled = new Float64Array(V);
  const small = new Int32Array(V);
  const large = new Int32Array(V);
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < V; i++) {
    scaled[i] = p[i] * V;
    if (scaled[i] < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  const prob = new Uint32Array(V);
  const alias = new Int32Array(V);
  while (ns > 0 && nl > 0) {
    const s = small[--ns];
    const l = large[--nl];
    prob[s] = Math.floor(scaled[s] * 4294967296);
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    if (scaled[l] < 1) small[ns++] = l;
    else large[nl++] = l;
  }
  // What is left has probability 1 up to rounding: always kept.
  while (nl > 0) {
    const l = large[--nl];
    prob[l] = 4294967295;
    alias[l] = l;
  }
  while (ns > 0) {
    const s = small[--ns];
    prob[s] = 4294967295;
    alias[s] = s;
  }
  return { prob, alias };
}

/**
 * The noise table of word counts: P(w) ∝ counts[w]^power (word2vec's power is 0.75). Counts are
 * trusted (the trainers' vocabularies hold finite, non-negative counts, at least one positive).
 *
 * @example
 * ```ts
 * const t = noiseTable([100, 1, 1], 0.75);
 * t.prob.length; // 3
 * ```
 */
export function noiseTable(counts: ArrayLike<number>, power: number): NoiseTable {
  const V = counts.length;
  const p = new Float64Array(V);
  let total = 0;
  for (let i = 0; i < V; i++) total += p[i] = counts[i] ** power;
  for (let i = 0; i < V; i++) p[i] /= total;
  return buildAlias(p);
}

/**
 * The alias draw: column `col` (uniform in [0, V)) keeps its own word when `u` (a uniform 32-bit
 * integer) is below prob[col], else gives its alias. Every sampler calls this one function.
 *
 * @example
 * ```ts
 * const t = buildAlias(new Float64Array([1, 0]));
 * aliasPick(t.prob, t.alias, 1, 0); // 0: column 1 has no mass of its own
 * ```
 */
export function aliasPick(prob: Uint32Array, alias: Int32Array, col: number, u: number): number {
  return u < prob[col] ? col : alias[col];
}

/** xorshift32: the trainers' generator; `seedState` gives a non-zero starting state. */
export function seedState(seed: number): number {
  // splitmix32 of the seed, so that nearby seeds give unrelated streams
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return z === 0 ? 0x6d2b79f5 : z;
}

/** A generator state and the noise words drawn last, reused from draw to draw. */
export interface NoiseDraws {
  /** The xorshift32 state (never 0). */
  x: number;
  /** The words drawn by the last {@link drawNegatives}. */
  negs: Int32Array;
}

/**
 * Draws `k` noise words for the predicted word `target` into `s.negs` and returns how many were
 * kept: a draw that hits `target` is skipped, not drawn again, as word2vec.c and gensim do (a word
 * holding nearly all the noise mass would otherwise make a redraw loop run for ever). Two xorshift32
 * steps per draw: the column (the high bits, multiplied by V) and the keep test.
 */
export function drawNegatives(t: NoiseTable, s: NoiseDraws, target: number, k: number): number {
  const { prob, alias } = t;
  const negs = s.negs;
  const V = prob.length;
  let x = s.x;
  let m = 0;
  for (let d = 0; d < k; d++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const col = Math.floor((x >>> 0) * V * 2.3283064365386963e-10);
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const w = aliasPick(prob, alias, col, x >>> 0);
    if (w !== target) negs[m++] = w;
  }
  s.x = x;
  return m;
}
