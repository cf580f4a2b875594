// Dependency-free SVG charts for notebooks: a line plot (loss curves, cost as a size grows), a
// labelled 2-D scatter (word vectors after PCA) and horizontal bars (where parameters live). Each
// returns a Figure, which a Jupyter kernel shows as an image and anything else prints as SVG text.
import { checkOptions, describe } from "../tensor/check.js";
import { escapeHtml, FONT, groupDigits, JUPYTER_DISPLAY, type MimeBundle } from "./html.js";

/** Colour-blind-safe series colours (Tableau 10). */
export const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

/**
 * An SVG picture. In a Jupyter kernel it displays as an image; `String(fig)` is the SVG document.
 *
 * @example
 * ```ts
 * const fig = linePlot([3, 2, 1.5, 1.2], { title: "loss" });
 * fig.svg.startsWith("<svg"); // true
 * ```
 */
export class Figure {
  /** The SVG document. */
  readonly svg: string;
  readonly title: string;
  constructor(svg: string, title = "") {
    this.svg = svg;
    this.title = title;
  }
  toString(): string {
    return this.svg;
  }
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "image/svg+xml": this.svg, "text/plain": `Figure(${JSON.stringify(this.title)})` };
  }
}

/** Common options of the charts. */
export interface PlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixels; default 640 × 380. */
  width?: number;
  height?: number;
  /** Logarithmic axes (every value must then be > 0). */
  logX?: boolean;
  logY?: boolean;
}

/** One line of a {@link linePlot}: `y` against `x` (default 0, 1, 2, ...). */
export interface Series {
  y: ArrayLike<number>;
  x?: ArrayLike<number>;
  name?: string;
  color?: string;
  /** Draw a dot at each point (default: when there are at most 40 points). */
  markers?: boolean;
  /** Draw the line dashed. */
  dashed?: boolean;
}

/**
 * A line plot with axes, ticks, labels and a legend. Give one series as numbers, or several series.
 *
 * @example
 * ```ts
 * const fig = linePlot(
 *   [{ name: "lookup", x: [10, 100, 1000], y: [1, 1, 1.1] },
 *    { name: "one-hot @ W", x: [10, 100, 1000], y: [2, 15, 160] }],
 *   { title: "forward time", xLabel: "V", yLabel: "ms", logX: true, logY: true },
 * );
 * fig.svg.includes("one-hot @ W"); // true
 * ```
 */
export function linePlot(series: ArrayLike<number> | Series | Series[], options: PlotOptions = {}): Figure {
  const fn = "linePlot";
  const o = checkPlotOptions(fn, options);
  const list: Series[] = Array.isArray(series) && (series.length === 0 || typeof series[0] === "object")
    ? (series as Series[])
    : isSeries(series) ? [series] : [{ y: series as ArrayLike<number> }];
  if (list.length === 0) throw new RangeError(`${fn}: series must not be empty`);
  const lines = list.map((s, k) => {
    if (!isSeries(s)) throw new TypeError(`${fn}: series[${k}] must be { y, x?, name? }, got ${describe(s)}`);
    const n = s.y.length;
    if (s.x !== undefined && s.x.length !== n) {
      throw new RangeError(`${fn}: series[${k}] has ${s.x.length} x values but ${n} y values`);
    }
    const xs = Array.from({ length: n }, (_, i) => (s.x === undefined ? i : Number(s.x[i])));
    const ys = Array.from(s.y, Number);
    checkValues(fn, `series[${k}].x`, xs, o.logX);
    checkValues(fn, `series[${k}].y`, ys, o.logY);
    return { xs, ys, name: s.name, color: s.color ?? PALETTE[k % PALETTE.length], markers: s.markers ?? n <= 40, dashed: s.dashed === true };
  });
  const frame = makeFrame(o, lines.flatMap((l) => l.xs), lines.flatMap((l) => l.ys));
  let marks = "";
  for (const l of lines) {
    const pts = l.xs.map((x, i) => `${frame.px(x).toFixed(1)},${frame.py(l.ys[i]).toFixed(1)}`);
    const dash = l.dashed ? ` stroke-dasharray="6 4"` : "";
    marks += `<polyline fill="none" stroke="${l.color}" stroke-width="2.2" stroke-linejoin="round" stroke-linecap="round"${dash} points="${pts.join(" ")}"/>`;
    if (l.markers) {
      for (let i = 0; i < l.xs.length; i++) {
        marks += `<circle cx="${frame.px(l.xs[i]).toFixed(1)}" cy="${frame.py(l.ys[i]).toFixed(1)}" r="3.2" fill="#fff" stroke="${l.color}" stroke-width="1.8"/>`;
      }
    }
  }
  const marksAt: Box[] = [];
  for (const l of lines) {
    // sample along each segment so that a legend avoids lines, not only markers
    for (let i = 0; i < l.xs.length; i++) {
      const x0 = frame.px(l.xs[i]);
      const y0 = frame.py(l.ys[i]);
      const x1 = i + 1 < l.xs.length ? frame.px(l.xs[i + 1]) : x0;
      const y1 = i + 1 < l.xs.length ? frame.py(l.ys[i + 1]) : y0;
      for (let k = 0; k < 8; k++) marksAt.push({ x: x0 + ((x1 - x0) * k) / 8 - 2, y: y0 + ((y1 - y0) * k) / 8 - 2, w: 4, h: 4 });
    }
  }
  const legend = legendBox(frame, lines.filter((l) => l.name).map((l) => ({ name: l.name as string, color: l.color })), marksAt);
  return new Figure(frame.wrap(marks + legend), o.title ?? "");
}

/** One point of a {@link scatterPlot}. */
export interface Point {
  x: number;
  y: number;
  label?: string;
  /** Points of one group share a colour and a legend entry. */
  group?: string;
}

/**
 * A 2-D scatter plot; labelled points get their label beside them, nudged to avoid overlaps.
 *
 * @example
 * ```ts
 * const fig = scatterPlot([{ x: 0, y: 1, label: "you" }, { x: 1, y: 0, label: "i" }], { title: "PCA" });
 * fig.svg.includes(">you<"); // true
 * ```
 */
export function scatterPlot(points: readonly Point[], options: PlotOptions & { equalAspect?: boolean } = {}): Figure {
  const fn = "scatterPlot";
  const { equalAspect, ...rest } = options;
  const o = checkPlotOptions(fn, rest);
  if (!Array.isArray(points) || points.length === 0) {
    throw new TypeError(`${fn}: points must be a non-empty array of { x, y, label? }, got ${describe(points)}`);
  }
  points.forEach((p, i) => {
    if (typeof p !== "object" || p === null || typeof p.x !== "number" || typeof p.y !== "number" || !Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      throw new TypeError(`${fn}: points[${i}] must have finite numbers x and y, got ${describe(p)}`);
    }
  });
  const groups = [...new Set(points.map((p) => p.group).filter((g): g is string => g !== undefined))];
  const colorOf = (g: string | undefined) => (g === undefined ? PALETTE[0] : PALETTE[groups.indexOf(g) % PALETTE.length]);
  let xs = points.map((p) => p.x);
  let ys = points.map((p) => p.y);
  if (equalAspect) ({ xs, ys } = squareExtent(xs, ys));
  const frame = makeFrame(o, xs, ys);
  let dots = "";
  let labels = "";
  const placed: Box[] = [];
  for (const p of points) {
    const cx = frame.px(p.x);
    const cy = frame.py(p.y);
    dots += `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="${colorOf(p.group)}" fill-opacity="0.85" stroke="#fff" stroke-width="1"/>`;
    placed.push({ x: cx - 4, y: cy - 4, w: 8, h: 8 });
  }
  for (const p of points) {
    if (p.label === undefined || p.label === "") continue;
    const cx = frame.px(p.x);
    const cy = frame.py(p.y);
    const w = textWidth(p.label, 12);
    const candidates: Box[] = [
      { x: cx + 6, y: cy - 8, w, h: 14 },
      { x: cx - 6 - w, y: cy - 8, w, h: 14 },
      { x: cx - w / 2, y: cy - 22, w, h: 14 },
      { x: cx - w / 2, y: cy + 7, w, h: 14 },
      { x: cx + 5, y: cy - 19, w, h: 14 },
      { x: cx + 5, y: cy + 4, w, h: 14 },
      { x: cx - 5 - w, y: cy - 19, w, h: 14 },
      { x: cx - 5 - w, y: cy + 4, w, h: 14 },
    ];
    const inside = (b: Box) => b.x >= frame.left && b.x + b.w <= frame.right && b.y >= frame.top && b.y + b.h <= frame.bottom;
    const best = candidates.find((b) => inside(b) && !placed.some((q) => overlaps(b, q))) ??
      candidates.find(inside) ?? candidates[0];
    placed.push(best);
    labels += `<text x="${best.x.toFixed(1)}" y="${(best.y + 11).toFixed(1)}" font-size="12" fill="#1f2937">${escapeHtml(p.label)}</text>`;
  }
  const legend = legendBox(frame, groups.map((g) => ({ name: g, color: colorOf(g), dot: true })), placed);
  return new Figure(frame.wrap(dots + labels + legend), o.title ?? "");
}

/** One bar of a {@link barChart}. */
export interface Bar {
  label: string;
  value: number;
  color?: string;
}

/**
 * Horizontal bars with their labels and values (e.g. parameters per part of a model).
 *
 * @example
 * ```ts
 * const fig = barChart([{ label: "token embedding", value: 16226304 }, { label: "encoder", value: 85054464 }]);
 * fig.svg.includes("16,226,304"); // true
 * ```
 */
export function barChart(bars: readonly Bar[], options: { title?: string; width?: number; unit?: string; format?: (v: number) => string } = {}): Figure {
  const fn = "barChart";
  checkOptions(fn, options, ["title", "width", "unit", "format"]);
  if (!Array.isArray(bars) || bars.length === 0) {
    throw new TypeError(`${fn}: bars must be a non-empty array of { label, value }, got ${describe(bars)}`);
  }
  bars.forEach((b, i) => {
    if (typeof b !== "object" || b === null || typeof b.label !== "string" || typeof b.value !== "number" || !(b.value >= 0) || !Number.isFinite(b.value)) {
      throw new TypeError(`${fn}: bars[${i}] must be { label: string, value: finite number >= 0 }, got ${describe(b)}`);
    }
  });
  const width = options.width ?? 640;
  const format = options.format ?? ((v: number) => groupDigits(v) + (options.unit ? ` ${options.unit}` : ""));
  const labelW = Math.min(260, Math.max(...bars.map((b) => textWidth(b.label, 12))) + 16);
  const valueW = Math.max(...bars.map((b) => textWidth(format(b.value), 11))) + 12;
  const top = options.title ? 40 : 12;
  const rowH = 26;
  const height = top + bars.length * rowH + 12;
  const max = Math.max(...bars.map((b) => b.value)) || 1;
  const span = width - labelW - valueW - 16;
  let body = "";
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    const w = Math.max(1, (b.value / max) * span);
    const color = b.color ?? PALETTE[i % PALETTE.length];
    body += `<text x="${labelW - 8}" y="${y + 17}" font-size="12" text-anchor="end" fill="#1f2937">${escapeHtml(b.label)}</text>`;
    body += `<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" rx="3" fill="${color}"/>`;
    body += `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 17}" font-size="11" fill="#4b5563">${escapeHtml(format(b.value))}</text>`;
  });
  const title = options.title ? `<text x="${width / 2}" y="24" font-size="15" font-weight="600" text-anchor="middle" fill="#111827">${escapeHtml(options.title)}</text>` : "";
  return new Figure(svgDoc(width, height, title + body), options.title ?? "");
}

// ---- shared pieces --------------------------------------------------------------------------

type Box = { x: number; y: number; w: number; h: number };

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** An estimate of the width of text in the sans-serif font (no DOM to measure with). */
function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += /[mwMW@]/.test(ch) ? 0.85 : /[il.,:;'|!1 ]/.test(ch) ? 0.32 : /[A-Z]/.test(ch) ? 0.68 : 0.56;
  return w * size;
}

function isSeries(s: unknown): s is Series {
  return typeof s === "object" && s !== null && !ArrayBuffer.isView(s) && !Array.isArray(s) && "y" in s;
}

function checkPlotOptions(fn: string, options: PlotOptions): PlotOptions {
  const o = checkOptions(fn, options, ["title", "xLabel", "yLabel", "width", "height", "logX", "logY"]) as PlotOptions;
  for (const k of ["width", "height"] as const) {
    const v = o[k];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 160)) {
      throw new RangeError(`${fn}: ${k} must be a number >= 160, got ${describe(v)}`);
    }
  }
  return o;
}

function checkValues(fn: string, arg: string, values: number[], log: boolean | undefined): void {
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new TypeError(`${fn}: ${arg}[${i}] must be a finite number, got ${describe(v)}`);
    if (log && v <= 0) throw new RangeError(`${fn}: ${arg}[${i}] must be > 0 on a log axis, got ${v}`);
  });
}

function squareExtent(xs: number[], ys: number[]): { xs: number[]; ys: number[] } {
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const half = Math.max(x1 - x0, y1 - y0) / 2 || 1;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return { xs: [cx - half, cx + half], ys: [cy - half, cy + half] };
}

interface Axis {
  ticks: number[];
  lo: number;
  hi: number;
  label: (v: number) => string;
  map: (v: number) => number; // data -> [0, 1]
}

/** Axis range and "nice" ticks (1, 2, 5 × 10^k), or powers of ten on a log axis. */
function makeAxis(values: number[], log: boolean): Axis {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (log) {
    let a = Math.floor(Math.log10(lo));
    let b = Math.ceil(Math.log10(hi));
    if (a === b) { a -= 1; b += 1; }
    const step = Math.max(1, Math.ceil((b - a) / 8));
    const ticks: number[] = [];
    for (let e = a; e <= b; e += step) ticks.push(10 ** e);
    return { ticks, lo: 10 ** a, hi: 10 ** b, label: powerLabel, map: (v) => (Math.log10(v) - a) / (b - a) };
  }
  if (lo === hi) { lo -= lo === 0 ? 1 : Math.abs(lo) * 0.1; hi += hi === 0 ? 1 : Math.abs(hi) * 0.1; }
  const step = niceStep((hi - lo) / 5);
  const t0 = Math.floor(lo / step) * step;
  const t1 = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = t0; v <= t1 + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { ticks, lo: t0, hi: t1, label: (v) => linearLabel(v, digits), map: (v) => (v - t0) / (t1 - t0) };
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function linearLabel(v: number, digits: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return v.toFixed(Math.min(digits, 6));
}

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";
function powerLabel(v: number): string {
  const e = Math.round(Math.log10(v));
  if (e >= 0 && e <= 3) return String(10 ** e);
  const digits = String(Math.abs(e)).split("").map((d) => SUPERSCRIPT[Number(d)]).join("");
  return `10${e < 0 ? "⁻" : ""}${digits}`;
}

interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
  px: (x: number) => number;
  py: (y: number) => number;
  wrap: (marks: string) => string;
}

/** The plot area, axes, grid, tick labels, axis labels and title; `wrap` puts marks inside it. */
let figures = 0;

function makeFrame(o: PlotOptions, xs: number[], ys: number[]): Frame {
  const width = o.width ?? 640;
  const height = o.height ?? 380;
  const xa = makeAxis(xs, o.logX === true);
  const ya = makeAxis(ys, o.logY === true);
  const yTickW = Math.max(...ya.ticks.map((t) => textWidth(ya.label(t), 11)));
  const left = 18 + yTickW + (o.yLabel ? 22 : 0);
  const right = width - 20;
  const top = o.title ? 40 : 16;
  const bottom = height - 34 - (o.xLabel ? 18 : 0);
  const pad = 10; // keeps markers at the extremes clear of the frame
  const px = (x: number) => left + pad + xa.map(x) * (right - left - 2 * pad);
  const py = (y: number) => bottom - pad - ya.map(y) * (bottom - top - 2 * pad);
  let axes = `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="#fbfbfd" stroke="#d1d5db"/>`;
  for (const t of xa.ticks) {
    const x = px(t).toFixed(1);
    axes += `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#e5e7eb"/>`;
    axes += `<text x="${x}" y="${bottom + 16}" font-size="11" text-anchor="middle" fill="#4b5563">${escapeHtml(xa.label(t))}</text>`;
  }
  for (const t of ya.ticks) {
    const y = py(t).toFixed(1);
    axes += `<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#e5e7eb"/>`;
    axes += `<text x="${left - 6}" y="${(py(t) + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#4b5563">${escapeHtml(ya.label(t))}</text>`;
  }
  if (o.title) axes += `<text x="${(left + right) / 2}" y="25" font-size="15" font-weight="600" text-anchor="middle" fill="#111827">${escapeHtml(o.title)}</text>`;
  if (o.xLabel) axes += `<text x="${(left + right) / 2}" y="${height - 10}" font-size="12" text-anchor="middle" fill="#374151">${escapeHtml(o.xLabel)}</text>`;
  if (o.yLabel) {
    const cy = (top + bottom) / 2;
    axes += `<text x="14" y="${cy}" font-size="12" text-anchor="middle" fill="#374151" transform="rotate(-90 14 ${cy})">${escapeHtml(o.yLabel)}</text>`;
  }
  const id = `embedkit-plot-${++figures}`; // unique per page: notebooks inline many SVGs
  const clip = `<clipPath id="${id}"><rect x="${left - 5}" y="${top - 5}" width="${right - left + 10}" height="${bottom - top + 10}"/></clipPath>`;
  return {
    left, right, top, bottom, px, py,
    wrap: (marks) => svgDoc(width, height, `<defs>${clip}</defs>${axes}<g clip-path="url(#${id})">${marks}</g>`),
  };
}

/** A legend in the corner of the plot area that covers the fewest of `marks` (pixel positions). */
function legendBox(frame: Frame, entries: { name: string; color: string; dot?: boolean }[], marks: Box[]): string {
  if (entries.length === 0) return "";
  const w = Math.max(...entries.map((e) => textWidth(e.name, 12))) + 40;
  const h = entries.length * 18 + 8;
  const corners: Box[] = [
    { x: frame.right - w - 8, y: frame.top + 8, w, h },
    { x: frame.left + 8, y: frame.top + 8, w, h },
    { x: frame.right - w - 8, y: frame.bottom - h - 8, w, h },
    { x: frame.left + 8, y: frame.bottom - h - 8, w, h },
  ];
  const covered = (b: Box) => marks.filter((m) => overlaps({ x: b.x - 6, y: b.y - 6, w: b.w + 12, h: b.h + 12 }, m)).length;
  let best = corners[0];
  for (const c of corners) if (covered(c) < covered(best)) best = c;
  const { x, y } = best;
  let s = `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="4" fill="#ffffff" fill-opacity="0.92" stroke="#d1d5db"/>`;
  entries.forEach((e, i) => {
    const cy = y + 13 + i * 18;
    s += e.dot
      ? `<circle cx="${x + 16}" cy="${cy}" r="4" fill="${e.color}"/>`
      : `<line x1="${x + 8}" y1="${cy}" x2="${x + 26}" y2="${cy}" stroke="${e.color}" stroke-width="2.5"/>`;
    s += `<text x="${x + 32}" y="${cy + 4}" font-size="12" fill="#1f2937">${escapeHtml(e.name)}</text>`;
  });
  return s;
}

function svgDoc(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT.replace(/'/g, "")}"><rect width="100%" height="100%" fill="#ffffff"/>${body}</svg>`;
}
