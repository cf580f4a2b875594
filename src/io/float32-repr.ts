// Printing a float32 the way numpy's repr(np.float32(x)) does (numpy >= 1.14, which gensim's
// save_word2vec_format writes): the shortest decimal that reads back as the same float32, positional
// for 1e-4 <= |x| < 1e16 ("0.25", "123456790.0"), scientific otherwise ("1e-05", "3.4e+38").

/**
 * The shortest digits (no trailing zeros) and decimal exponent of a finite, non-zero float32 `x`:
 * `x ~= d[0].d[1..] * 10^exp`. Among the shortest digit strings that read back as x, the one nearest
 * to x, an exact tie going to the even last digit (as numpy's Dragon4 does: 2^-12 prints as
 * 0.00024414062, not ...63).
 */
function shortestDigits(x: number): { digits: string; exp: number } {
  const sign = x < 0 ? "-" : "";
  for (let p = 1; p <= 9; p++) {
    // x to p + 20 significant digits: exact enough to see which p-digit neighbour is nearer, and ties.
    const long = split(x.toExponential(p + 19), false);
    const lower = long.digits.slice(0, p);
    const rest = long.digits.slice(p);
    if (/^0*$/.test(rest)) return trim(lower, long.exp); // x has at most p digits
    const up = String(Number(lower) + 1);
    const upper = up.length > p ? { digits: up.slice(0, p), exp: long.exp + 1 } : { digits: up, exp: long.exp };
    const half = "5".padEnd(rest.length, "0");
    const lowerFirst = rest < half || (rest === half && Number(lower[p - 1]) % 2 === 0);
    const order = lowerFirst ? [{ digits: lower, exp: long.exp }, upper] : [upper, { digits: lower, exp: long.exp }];
    for (const c of order) {
      const text = `${sign}${c.digits[0]}.${c.digits.slice(1)}e${c.exp}`;
      if (Math.fround(Number(text)) === x) return trim(c.digits, c.exp);
    }
  }
  return split(x.toExponential(8), true); // unreachable: 9 significant digits always round-trip a float32
}

function trim(digits: string, exp: number): { digits: string; exp: number } {
  return { digits: digits.replace(/0+$/, "") || "0", exp };
}

/** "-1.2500e+3" -> digits "12500" (or "125" with `trimZeros`), exp 3; the sign is dropped. */
function split(s: string, trimZeros: boolean): { digits: string; exp: number } {
  const e = s.indexOf("e");
  const digits = s.slice(s[0] === "-" ? 1 : 0, e).replace(".", "");
  const exp = Number(s.slice(e + 1));
  return trimZeros ? trim(digits, exp) : { digits, exp };
}

/**
 * numpy's `repr(np.float32(x))` for a float32 value `x` (a JS number already rounded to float32).
 *
 * @example
 * ```ts
 * formatFloat32(Math.fround(0.1));   // "0.1"
 * formatFloat32(1);                  // "1.0"
 * formatFloat32(Math.fround(1e-5));  // "1e-05"
 * formatFloat32(123456789);          // "123456790.0"
 * ```
 */
export function formatFloat32(x: number): string {
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
