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

/**
 * The value range a heat map colours over. When it spans zero the colours diverge around zero
 * (blue, white, red; ±max(|min|, |max|)); when all values have one sign they run from light at the
 * value nearest zero to dark at the farthest, so that close values (0.99 and 1.0) still differ.
 */
export interface HeatScale {
  min: number;
  max: number;
}

/** The finite range of values of several arrays: one {@link HeatScale} for panels that are compared. */
export function scaleOf(...arrays: ArrayLike<number>[]): HeatScale {
  let min = Infinity;
  let max = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (!Number.isFinite(x)) continue;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/** Background and text colour of a heat-map cell for `x` on a given {@link HeatScale}. */
export function scaleColor(x: number, scale: HeatScale): { bg: string; fg: string } {
  if (!Number.isFinite(x)) return heatColor(x, 1);
  const { min, max } = scale;
  if (min < 0 && max > 0) return heatColor(x, Math.max(-min, max));
  const positive = max > 0 || (max === 0 && min === 0);
  const near = positive ? min : max; // the end nearest zero is light
  const far = positive ? max : min;
  if (far === near) return heatColor(far === 0 ? 0 : far, Math.abs(far));
  // full colour at the far end; at the near end white if it is zero, else a light tint (so that it
  // does not read as zero)
  const t = Math.max(0, Math.min(1, (x - near) / (far - near)));
  const floor = near === 0 ? 0 : 0.12;
  const a = floor + (1 - floor) * t;
  const end = positive ? POS : NEG;
  const mix = (i: number) => Math.round(MID[i] + (end[i] - MID[i]) * a);
  return { bg: `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`, fg: a > 0.55 ? "#ffffff" : "#1f2937" };
}

/** The default scale of one tensor's heat map: diverging around zero, ±its largest |x|. */
export function symmetricScale(data: ArrayLike<number>): HeatScale {
  const m = maxAbsOf(data);
  return { min: -m, max: m };
}

/**
 * A horizontal colour bar for a {@link HeatScale}, as inline SVG: the colours from min to max with
 * labelled ticks at both ends (and at zero when the scale spans it).
 */
export function colorBarSvg(scale: HeatScale, label = "", minWidth = 220): string {
  const { min, max } = scale;
  // the caption is centred above the bar: the picture widens to hold it (about 6.2 px a character
  // at 11 px), so that a long caption is never cut at both ends
  const width = Math.max(minWidth, Math.ceil(label.length * 6.2) + 12);
  const h = 12;
  const top = label ? 16 : 2;
  const stops: string[] = [];
  const n = 24;
  for (let i = 0; i <= n; i++) {
    const x = min + ((max - min) * i) / n;
    stops.push(`<stop offset="${((100 * i) / n).toFixed(1)}%" stop-color="${scaleColor(x, scale).bg}"/>`);
  }
  const fmt = cellFormatter([min, max]);
  const ticks: [number, number][] = [[min, 0], [max, 1]];
  if (min < 0 && max > 0) ticks.push([0, -min / (max - min)]);
  if (min === max) ticks.length = 1;
  const x0 = 30;
  const w = width - 2 * x0;
  const id = `embedkit-bar-${++bars}`;
  let s = `<defs><linearGradient id="${id}">${stops.join("")}</linearGradient></defs>`;
  if (label) s += `<text x="${width / 2}" y="11" font-size="11" text-anchor="middle" fill="#374151">${escapeHtml(label)}</text>`;
  s += `<rect x="${x0}" y="${top}" width="${w}" height="${h}" fill="url(#${id})" stroke="#9ca3af" stroke-width="0.5"/>`;
  for (const [v, f] of ticks) {
    const x = (x0 + f * w).toFixed(1);
    s += `<line x1="${x}" y1="${top + h}" x2="${x}" y2="${top + h + 4}" stroke="#6b7280"/>`;
    s += `<text x="${x}" y="${top + h + 15}" font-size="10" text-anchor="middle" fill="#4b5563" font-family="${MONO.replace(/'/g, "")}">${escapeHtml(fmt(v))}</text>`;
  }
  const height = top + h + 19;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT.replace(/'/g, "")}">${s}</svg>`;
}
let bars = 0;

/** A number with thousands separators: 16226304 -> "16,226,304". */
export function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
