import { checkSeed } from "./check.js";

// A seeded generator that gives the same numbers on every JavaScript engine. Math.log, Math.cos and
// friends are not required to be correctly rounded, and V8, JavaScriptCore and SpiderMonkey differ in
// the last bit, so the normal distribution below uses only +, -, *, /, Math.sqrt (exactly rounded by
// IEEE 754) and integer arithmetic.

const TWO_POW_53_INV = 1 / 9007199254740992;
const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;
const bits = new DataView(new ArrayBuffer(8));

/** Natural logarithm of a positive finite x, from exactly-rounded operations only. */
export function portableLog(x: number): number {
  bits.setFloat64(0, x);
  let hi = bits.getUint32(0);
  let k = ((hi >>> 20) & 0x7ff) - 1023;
  if (k === -1023) {
    // Subnormal: scale into the normal range first (exact).
    return portableLog(x * 2 ** 64) - 64 * LN2;
  }
  bits.setUint32(0, (hi & 0x800fffff) | 0x3ff00000); // mantissa m in [1, 2)
  let m = bits.getFloat64(0);
  if (m > SQRT2) {
    m /= 2;
    k += 1;
  }
  // ln(m) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), |s| <= 0.1716, 12 terms reach double precision.
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let term = s;
  let sum = 0;
  for (let n = 1; n <= 23; n += 2) {
    sum += term / n;
    term *= s2;
  }
  return k * LN2 + 2 * sum;
}

/**
 * xoshiro128** seeded through splitmix32: fast, 32-bit, and reproducible everywhere.
 *
 * @example
 * ```ts
 * const rng = new Random(42);
 * rng.uniform(); // a number in [0, 1), the same on every runtime for seed 42
 * rng.normal();  // a standard normal draw
 * rng.int(10);   // an integer in [0, 10)
 * ```
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  /** `seed`: any integer (negative and > 2^32 allowed); omitted, a random seed is drawn. */
  constructor(seed?: number, fn = "Random") {
    seed = seed === undefined ? Math.floor(Math.random() * 2 ** 32) : checkSeed(fn, seed);
    let state = (seed | 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x9e3779b9);
    const next = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) * TWO_POW_53_INV;
  }

  /** A uniform integer in [0, n), n <= 2^32, without modulo bias. */
  int(n: number): number {
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** A standard normal draw (Marsaglia's polar method). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const scale = Math.sqrt((-2 * portableLog(s)) / s);
    this.spare = v * scale;
    return u * scale;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
