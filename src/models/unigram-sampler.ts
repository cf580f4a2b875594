import { Random } from "../tensor/random.js";
import { checkInt, checkNumber, checkOptions, describe } from "../tensor/check.js";
import { aliasPick, buildAlias } from "../word2vec/noise.js";

/** Options of {@link UnigramSampler}. */
export interface UnigramSamplerOptions {
  /** The exponent on the counts (default 0.75, word2vec's). */
  power?: number;
  /** Seed of the sampler's own generator. */
  seed?: number;
}

/**
 * Draws words with probability ∝ count^power (word2vec's noise distribution for negative sampling)
 * in O(1) per draw with Walker's alias table: column `i` is picked uniformly, then kept with
 * probability `prob[i]` or replaced by `alias[i]`. The table is 2·V numbers (8 bytes a word), built in
 * O(V) by Vose's method.
 *
 * @example
 * ```ts
 * const sampler = new UnigramSampler([5, 1, 0, 2], { seed: 1 });
 * sampler.draw();                                        // an id in {0, 1, 3}, 0 the most likely
 * sampler.negatives(new Int32Array([0, 3]), 2).shape;    // [2, 2], never the row's target
 * ```
 */
export class UnigramSampler {
  readonly vocabSize: number;
  readonly power: number;
  /** prob[i]: probability of keeping column i (as a fraction of 2^32, for integer comparison). */
  readonly prob: Uint32Array;
  /** alias[i]: the word that column i gives when it is not kept. */
  readonly alias: Int32Array;
  /** The normalised probabilities p[i] ∝ count[i]^power. */
  readonly p: Float64Array;
  private readonly rng: Random;

  constructor(counts: ArrayLike<number>, options: UnigramSamplerOptions = {}) {
    const fn = "UnigramSampler";
    if (counts == null || typeof counts.length !== "number") throw new TypeError(`${fn}: counts must be an array of numbers, got ${describe(counts)}`);
    const o = checkOptions(fn, options, ["power", "seed"]) as UnigramSamplerOptions;
    const power = o.power === undefined ? 0.75 : checkNumber(fn, "power", o.power, 0, 10);
    const V = counts.length;
    checkInt(fn, "counts.length", V, 1);
    const p = new Float64Array(V);
    let total = 0;
    for (let i = 0; i < V; i++) {
      const c = checkNumber(fn, `counts[${i}]`, counts[i], 0, Number.MAX_VALUE);
      p[i] = c > 0 ? c ** power : 0;
      total += p[i];
    }
    if (!(total > 0)) throw new RangeError(`${fn}: counts must have at least one positive value`);
    for (let i = 0; i < V; i++) p[i] /= total;
    this.rng = new Random(o.seed, fn);
    this.vocabSize = V;
    this.power = power;
    this.p = p;
    const { prob, alias } = buildAlias(p);
    this.prob = prob;
    this.alias = alias;
  }

  /** One word id drawn from the distribution. */
  draw(): number {
    const i = this.rng.int(this.vocabSize);
    return aliasPick(this.prob, this.alias, i, this.rng.nextUint32());
  }

  /**
   * For each target, `k` negative samples that are never the target (a draw equal to it is drawn
   * again): an index `{ data, shape: [B, k] }`. Needs at least two words with positive count.
   */
  negatives(target: ArrayLike<number>, k: number): { data: Int32Array; shape: [number, number] } {
    const fn = "UnigramSampler.negatives";
    checkInt(fn, "k", k, 0);
    let positive = 0;
    for (let i = 0; i < this.vocabSize && positive < 2; i++) if (this.p[i] > 0) positive++;
    const B = target.length;
    for (let b = 0; b < B; b++) checkInt(fn, `target[${b}]`, target[b], 0, this.vocabSize - 1);
    if (positive < 2 && k > 0) throw new RangeError(`${fn}: needs at least two words with positive count to avoid the target`);
    const out = new Int32Array(B * k);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < k; j++) {
        let w = this.draw();
        while (w === target[b]) w = this.draw();
        out[b * k + j] = w;
      }
    }
    return { data: out, shape: [B, k] };
  }
}
