// Printing a float32 the way numpy's repr(np.float32(x)) does (numpy >= 1.14, which gensim's
// save_word2vec_format writes): the shortest decimal that reads back as the same float32, positional
// for 1e-4 <= |x| < 1e16 ("0.25", "123456790.0"), scientific otherwise ("1e-05", "3.4e+38").
import { describe } from "../tensor/check.js";

/**
 * The shortest digits (no trailing zeros) and decimal exponent of a finite, non-zero float32 `x`:
 * `x ~= d[0].d[1..] * 10^exp`. Among the shortest digit strings that read back as x, the one nearest
 * to x, an exact tie going to the even last digit (as numpy's Dragon4 does: 2^-12 prints as
 * 0.00024414062, not ...63).
 */
function shortestDigits(x: number): { digits: string; exp: number } {
  return scaled(x) ?? search(x, x.toExponential(10)) ?? search(x, x.toExponential(29))!;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];

/**
 * Exact integer arithmetic in float64 for 1e-4 <= |x| < 1e8 (where embedding values live): with
 * k in [0, 12], X = |x| * 10^k is exact (24 + 28 mantissa bits < 53), so X's integer part N (9 digits)
 * and fraction give every p-digit neighbour and its distance exactly; a candidate c * 10^s is then
 * one correctly rounded multiply or divide, the same double as parsing its decimal string.
 * Returns null outside that range.
 */
function scaled(x: number): { digits: string; exp: number } | null {
  const ax = Math.abs(x);
  if (!(ax >= 1e-4 && ax < 1e8)) return null;
  let k = 8 - Math.floor(Math.log10(ax));
  if (k < 0 || k > 12) return null;
  let X = ax * POW10[k];
  if (X >= 1e9) X = ax * POW10[--k];
  else if (X < 1e8) X = ax * POW10[++k];
  if (k < 0 || k > 12 || X < 1e8 || X >= 1e9) return null;
  const N = Math.floor(X);
  const frac = X - N;
  // "Some p-digit decimal reads back" only turns true as p grows: walk down from 8 (most float32 need
  // 8 or 9 digits) and keep the last success. The candidate for p is c * 10^(9 - p - k).
  let best = pick(ax, N, frac, k, 8);
  let p = 8;
  if (best < 0) {
    best = pick(ax, N, frac, k, 9);
    p = 9;
  } else {
    for (let q = 7; q >= 1; q--) {
      const c = pick(ax, N, frac, k, q);
      if (c < 0) break;
      best = c;
      p = q;
    }
  }
  if (best < 0) return null;
  let e = 9 - p - k;
  while (best % 10 === 0) {
    best /= 10;
    e++;
  }
  const digits = String(best);
  return { digits, exp: digits.length - 1 + e };
}

/**
 * The p-digit integer c nearest to X / 10^(9-p) (the lower first when nearer, or on an exact tie
 * when even) whose c * 10^(9-p-k) reads back as ax; -1 if neither neighbour does.
 */
function pick(ax: number, N: number, frac: number, k: number, p: number): number {
  const m = POW10[9 - p];
  const r = N % m;
  const lower = (N - r) / m;
  const rest = r + frac; // exact: below 1e8, with the bits of X
  if (rest === 0) return lower;
  const half = m / 2;
  const lowerFirst = rest < half || (rest === half && lower % 2 === 0);
  const s = 9 - p - k; // in [-12, 8]
  const a = lowerFirst ? lower : lower + 1;
  if (readsBack(a, s, ax)) return a;
  const b = lowerFirst ? lower + 1 : lower;
  return readsBack(b, s, ax) ? b : -1;
}

/** c * 10^s, as one correctly rounded operation (the double its decimal string parses to), then float32. */
function readsBack(c: number, s: number, ax: number): boolean {
  return Math.fround(s >= 0 ? c * POW10[s] : c / POW10[-s]) === ax;
}

/**
 * The shortest round-tripping digits found from `long`, x to some number of significant digits, or
 * null when those digits cannot decide. With 30 digits they always decide: a float32 that is not
 * exactly halfway between two p-digit decimals (p <= 9) is never within 10^-20 of halfway.
 */
function search(x: number, long: string): { digits: string; exp: number } | null {
  const e = long.indexOf("e");
  const all = long.slice(x < 0 ? 1 : 0, e).replace(".", "");
  const exp = Number(long.slice(e + 1));
  const exact = all.length >= 30;
  // "Some p-digit decimal reads back as x" only turns from false to true as p grows (a p-digit decimal
  // is also a (p+1)-digit one). Most float32 need 8 or 9 digits, so start at 8 and walk down.
  const c8 = candidate(x, all, exp, 8, exact);
  if (c8 === undefined) return null;
  if (c8 === null) return candidate(x, all, exp, 9, exact) ?? null;
  let best = c8;
  for (let p = 7; p >= 1; p--) {
    const c = candidate(x, all, exp, p, exact);
    if (c === undefined) return null;
    if (c === null) break;
    best = c;
  }
  return best;
}

/**
 * The p-digit decimal nearest to x that reads back as x (the lower neighbour first when nearer, or
 * on an exact tie when its last digit is even); null if neither p-digit neighbour reads back as x;
 * undefined if `all` (not `exact`) has too few digits to tell which neighbour is nearer.
 */
function candidate(
  x: number,
  all: string,
  exp: number,
  p: number,
  exact: boolean,
): { digits: string; exp: number } | null | undefined {
  const lower = all.slice(0, p);
  const rest = all.slice(p);
  const half = HALF.slice(0, rest.length);
  const zeros = ZEROS.slice(0, rest.length);
  if (!exact && (rest === zeros || rest === half)) return undefined;
  if (rest === zeros) return trim(lower, exp); // x has at most p significant digits
  const up = String(Number(lower) + 1);
  const upper = up.length > p ? { digits: up.slice(0, p), exp: exp + 1 } : { digits: up, exp };
  const lowerFirst = rest < half || (rest === half && (lower.charCodeAt(p - 1) & 1) === 0);
  const low = { digits: lower, exp };
  const sign = x < 0 ? "-" : "";
  for (const c of lowerFirst ? [low, upper] : [upper, low]) {
    if (Math.fround(Number(`${sign}${c.digits}e${c.exp - p + 1}`)) === x) return trim(c.digits, c.exp);
  }
  return null;
}

const HALF = "5".padEnd(40, "0");
const ZEROS = "0".repeat(40);

function trim(digits: string, exp: number): { digits: string; exp: number } {
  return { digits: digits.replace(/0+$/, "") || "0", exp };
}


/**
 * numpy's `repr(np.float32(x))` for a float32 value `x` (a JS number already rounded to float32).
 *
 * @example
 * ```ts
 * formatFloat32(Math.fround(0.1));   // "0.1"
 * formatFloat32(1);                  // "1.0"
 * formatFloat32(Math.fround(1e-5));  // "1e-05"
 * formatFloat32(Math.fround(123456789)); // "123456790.0"
 * ```
 */
export function formatFloat32(x: number): string {
  if (typeof x !== "number") throw new TypeError(`formatFloat32: x must be a number, got ${describe(x)}`);
  if (x !== x) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const a = Math.abs(x);
  const { digits, exp } = shortestDigits(x);
  if (a >= 1e-4 && a < 1e16) {
    if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
    const intLen = exp + 1;
    if (digits.length <= intLen) return `${sign}${digits.padEnd(intLen, "0")}.0`;
    return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  }
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp);
  return `${sign}${mant}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
}
