// Small HTML building blocks shared by the notebook displays: escaping, number formatting that reads
// like the text form, a diverging heat-map colour, and the MIME bundle Jupyter kernels understand.

/** What a Jupyter kernel (Deno's `Symbol.for("Jupyter.display")`) renders: MIME type -> content. */
export type MimeBundle = Record<string, string>;

/** The key Deno's Jupyter kernel looks up on a value to display it richly. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

export const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
export const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace";

/** Escapes text for HTML and SVG content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * A number formatter for heat-map cells, chosen from all the values: integers as `1.` (as the text
 * form), otherwise 4 decimals, or scientific notation when the largest magnitude is huge or tiny.
 * (The text form also switches when magnitudes merely span 1000×; in a coloured table the colour
 * already shows scale, and fixed decimals keep columns readable.)
 */
export function cellFormatter(data: ArrayLike<number>): (x: number) => string {
  let intMode = true;
  let maxAbs = 0;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (!Number.isFinite(x) || x === 0) continue;
    const a = Math.abs(x);
    if (a > maxAbs) maxAbs = a;
    if (intMode && Math.round(x) !== x) intMode = false;
  }
  const special = (x: number) => (Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf");
  const sci = (x: number) => {
    if (!Number.isFinite(x)) return special(x);
    const [mant, exp] = x.toExponential(4).split("e");
    const e = Number(exp);
    return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  };
  if (intMode && maxAbs <= 1e8) return (x) => (Number.isFinite(x) ? `${x.toFixed(0)}.` : special(x));
  if (maxAbs >= 1e5 || (maxAbs > 0 && maxAbs < 1e-3)) return sci;
  return (x) => {
    if (!Number.isFinite(x)) return special(x);
    const s = x.toFixed(4);
    return s === "-0.0000" ? "0.0000" : s;
  };
}

/** The largest finite |x|, or 0. */
export function maxAbsOf(data: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]);
    if (a > m && a !== Infinity) m = a;
  }
  return m;
}

// Diverging scale: blue for negative, near-white for zero, red for positive (ColorBrewer RdBu ends).
const NEG = [33, 102, 172];
const MID = [247, 247, 247];
const POS = [178, 24, 43];

/** Background and text colour of a heat-map cell for `x` on a scale of ±`maxAbs`. */
export function heatColor(x: number, maxAbs: number): { bg: string; fg: string } {
  if (!Number.isFinite(x)) return { bg: "#fde68a", fg: "#7c2d12" };
  const t = maxAbs > 0 ? Math.max(-1, Math.min(1, x / maxAbs)) : 0;
  const end = t < 0 ? NEG : POS;
  const a = Math.sqrt(Math.abs(t)); // lifts small values off white so they stay visible
  const mix = (i: number) => Math.round(MID[i] + (end[i] - MID[i]) * a);
  return { bg: `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`, fg: a > 0.62 ? "#ffffff" : "#1f2937" };
}

/** A number with thousands separators: 16226304 -> "16,226,304". */
export function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
