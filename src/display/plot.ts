// Dependency-free SVG charts for notebooks: a line plot (loss curves, cost as a size grows), a
// labelled 2-D scatter (word vectors after PCA) and horizontal bars (where parameters live). Each
// returns a Figure, which a Jupyter kernel shows as an image and anything else prints as SVG text.
import { checkOptions, describe } from "../tensor/check.js";
import { escapeHtml, FONT, groupDigits, JUPYTER_DISPLAY, type MimeBundle } from "./html.js";

/**
 * Colour-blind-safe series colours (Tableau 10), in the order the charts use them.
 *
 * @example
 * ```ts
 * PALETTE[0]; // "#4e79a7"
 * linePlot([{ y: [1, 2], color: PALETTE[2] }]);
 * ```
 */
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
    if (typeof svg !== "string") throw new TypeError(`Figure: svg must be a string, got ${describe(svg)}`);
    if (typeof title !== "string") throw new TypeError(`Figure: title must be a string, got ${describe(title)}`);
    this.svg = svg;
    this.title = title;
  }
  toString(): string {
    return this.svg;
  }
  /**
   * The SVG both as an image and as inline HTML: frontends that prefer HTML (JupyterLab, nbconvert's
   * HTML export, which strips SVG given as an image) inline it; others show the image.
   */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "image/svg+xml": this.svg, "text/html": this.svg, "text/plain": `Figure(${JSON.stringify(this.title)})` };
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
  /**
   * Where the legend goes: `"inside"` (the corner of the plot area that covers the fewest marks) or
   * `"below"` the plot, one entry per line (the figure grows to make room). By default (no `legend`)
   * it goes inside when a corner is free, and below when every corner would hide a point or a line.
   */
  legend?: "inside" | "below";
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
  if (series === null || typeof series !== "object" || (!Array.isArray(series) && !ArrayBuffer.isView(series) && !isSeries(series))) {
    throw new TypeError(`${fn}: series must be an array of numbers, a { y } series or an array of series, got ${describe(series)}`);
  }
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
  const named = lines.filter((l) => l.name).map((l) => ({ name: l.name as string, color: l.color, dashed: l.dashed }));
  const frame = makeFrame(o, lines.flatMap((l) => l.xs), lines.flatMap((l) => l.ys), false, o.legend === "below" ? named.length : 0);
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
  const box = o.legend === "below" ? undefined : legendBox(frame, named, marksAt);
  if (box !== undefined && box.covered > 0 && o.legend === undefined) return linePlot(series, { ...options, legend: "below" });
  const legend = box === undefined ? legendBelow(frame, named) : box.svg;
  return new Figure(o.legend === "below" ? frame.wrap(marks, legend) : frame.wrap(marks + legend), o.title ?? "");
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
 * `arrows` draws an arrow from one point to another (by index), e.g. a row before and after an update;
 * `circles` draws dashed circles (e.g. the ball `‖w‖ = maxNorm`); `equalAspect` gives both axes the
 * same scale, so that circles stay round.
 *
 * @example
 * ```ts
 * const fig = scatterPlot([{ x: 0, y: 1, label: "you" }, { x: 1, y: 0, label: "i" }], { title: "PCA" });
 * fig.svg.includes(">you<"); // true
 * ```
 */
export function scatterPlot(
  points: readonly Point[],
  options: PlotOptions & {
    equalAspect?: boolean;
    arrows?: readonly (readonly [number, number])[];
    circles?: readonly { x: number; y: number; r: number; label?: string }[];
  } = {},
): Figure {
  const fn = "scatterPlot";
  const { equalAspect, arrows = [], circles = [], ...rest } = options;
  const o = checkPlotOptions(fn, equalAspect ? { width: 480, height: 460, ...rest } : rest);
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
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  if (!Array.isArray(circles)) throw new TypeError(`${fn}: circles must be an array of { x, y, r }, got ${describe(circles)}`);
  circles.forEach((c, i) => {
    if (typeof c !== "object" || c === null || ![c.x, c.y, c.r].every((v) => typeof v === "number" && Number.isFinite(v)) || c.r < 0) {
      throw new TypeError(`${fn}: circles[${i}] must be { x, y, r } with finite numbers and r >= 0, got ${describe(c)}`);
    }
  });
  for (const c of circles) xs.push(c.x - c.r, c.x + c.r), ys.push(c.y - c.r, c.y + c.r);
  const frame = makeFrame(o, xs, ys, equalAspect === true, o.legend === "below" ? groups.length : 0);
  let dots = "";
  let labels = "";
  const placed: Box[] = [];
  for (const c of circles) {
    const rx = Math.abs(frame.px(c.x + c.r) - frame.px(c.x));
    const ry = Math.abs(frame.py(c.y + c.r) - frame.py(c.y));
    dots += `<ellipse cx="${frame.px(c.x).toFixed(1)}" cy="${frame.py(c.y).toFixed(1)}" rx="${rx.toFixed(1)}" ry="${ry.toFixed(1)}" fill="none" stroke="#9ca3af" stroke-width="1.2" stroke-dasharray="5 4"/>`;
    if (c.label) {
      const lx = frame.px(c.x) + rx * Math.SQRT1_2 + 4;
      const ly = frame.py(c.y) - ry * Math.SQRT1_2 - 4;
      labels += `<text x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" font-size="11" fill="#6b7280">${escapeHtml(c.label)}</text>`;
      placed.push({ x: lx, y: ly - 11, w: textWidth(c.label, 11), h: 14 });
    }
  }
  if (!Array.isArray(arrows)) throw new TypeError(`${fn}: arrows must be an array of [from, to] point indices, got ${describe(arrows)}`);
  arrows.forEach(([from, to], k) => {
    for (const i of [from, to]) {
      if (!Number.isInteger(i) || i < 0 || i >= points.length) {
        throw new RangeError(`${fn}: arrows[${k}] = [${from}, ${to}] must hold point indices in [0, ${points.length - 1}]`);
      }
    }
    const [x0, y0, x1, y1] = [frame.px(points[from].x), frame.py(points[from].y), frame.px(points[to].x), frame.py(points[to].y)];
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len < 1) return;
    const ux = (x1 - x0) / len;
    const uy = (y1 - y0) / len;
    const ex = x1 - ux * 6; // stop short of the target dot
    const ey = y1 - uy * 6;
    const head = `${ex},${ey} ${ex - ux * 8 - uy * 4},${ey - uy * 8 + ux * 4} ${ex - ux * 8 + uy * 4},${ey - uy * 8 - ux * 4}`;
    dots += `<line x1="${x0.toFixed(1)}" y1="${y0.toFixed(1)}" x2="${(ex - ux * 6).toFixed(1)}" y2="${(ey - uy * 6).toFixed(1)}" stroke="#6b7280" stroke-width="1.4"/>`;
    // labels keep off the arrow: small boxes along it
    for (let t = 0; t <= len; t += 6) placed.push({ x: x0 + ux * t - 3, y: y0 + uy * t - 3, w: 6, h: 6 });
    dots += `<polygon points="${head.replace(/(\d+\.\d{2})\d*/g, "$1")}" fill="#6b7280"/>`;
  });
  for (const p of points) {
    const cx = frame.px(p.x);
    const cy = frame.py(p.y);
    dots += `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="${colorOf(p.group)}" fill-opacity="0.85" stroke="#fff" stroke-width="1"/>`;
    placed.push({ x: cx - 4, y: cy - 4, w: 8, h: 8 });
  }
  const inside = (b: Box) => b.x >= frame.left + 2 && b.x + b.w <= frame.right - 2 && b.y >= frame.top + 2 && b.y + b.h <= frame.bottom - 2;
  const labelled = points.map((p, i) => ({ p, i, cx: frame.px(p.x), cy: frame.py(p.y) })).filter((q) => q.p.label !== undefined && q.p.label !== "");
  // crowded points first: isolated ones still find room afterwards
  const crowd = labelled.map((q) => labelled.filter((r) => Math.hypot(r.cx - q.cx, r.cy - q.cy) < 40).length);
  const order = labelled.map((_, k) => k).sort((a, b) => crowd[b] - crowd[a] || a - b);
  for (const k of order) {
    const { p, cx, cy } = labelled[k];
    const label = p.label as string;
    const box = placeLabel(cx, cy, textWidth(label, 12), 14, placed, inside);
    placed.push(box);
    // a leader line from the dot to the nearest point of its label, when that is more than a few pixels away
    const lx = Math.max(box.x, Math.min(cx, box.x + box.w));
    const ly = Math.max(box.y, Math.min(cy, box.y + box.h));
    if (Math.hypot(lx - cx, ly - cy) > 10) {
      labels += `<line x1="${cx.toFixed(1)}" y1="${cy.toFixed(1)}" x2="${lx.toFixed(1)}" y2="${ly.toFixed(1)}" stroke="#9ca3af" stroke-width="0.8"/>`;
    }
    labels += `<text x="${box.x.toFixed(1)}" y="${(box.y + 11).toFixed(1)}" font-size="12" fill="#1f2937">${escapeHtml(label)}</text>`;
  }
  const entries = groups.map((g) => ({ name: g, color: colorOf(g), dot: true }));
  const box = o.legend === "below" ? undefined : legendBox(frame, entries, placed);
  if (box !== undefined && box.covered > 0 && o.legend === undefined) return scatterPlot(points, { ...options, legend: "below" });
  const legend = box === undefined ? legendBelow(frame, entries) : box.svg;
  return new Figure(o.legend === "below" ? frame.wrap(dots + labels, legend) : frame.wrap(dots + labels + legend), o.title ?? "");
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
  const labelW = Math.min(320, Math.max(...bars.map((b) => textWidth(b.label, 12))) + 20);
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

/**
 * Where a label of w × h goes beside the dot at (cx, cy): the first free place, trying the eight
 * places touching the dot, then rings farther out (drawn with a leader line); if every place
 * overlaps something, the one that overlaps least.
 */
function placeLabel(cx: number, cy: number, w: number, h: number, placed: readonly Box[], inside: (b: Box) => boolean): Box {
  const candidates: Box[] = [
    { x: cx + 6, y: cy - 8, w, h },
    { x: cx - 6 - w, y: cy - 8, w, h },
    { x: cx - w / 2, y: cy - 22, w, h },
    { x: cx - w / 2, y: cy + 7, w, h },
    { x: cx + 5, y: cy - 19, w, h },
    { x: cx + 5, y: cy + 4, w, h },
    { x: cx - 5 - w, y: cy - 19, w, h },
    { x: cx - 5 - w, y: cy + 4, w, h },
  ];
  for (let ring = 1; ring <= 6; ring++) {
    const d = 10 + 13 * ring;
    for (let k = 0; k < 16; k++) {
      const a = (k * Math.PI) / 8;
      const dx = Math.cos(a) * (d + w / 2);
      const dy = -Math.sin(a) * d;
      candidates.push({ x: cx + dx - w / 2, y: cy + dy - h / 2, w, h });
    }
  }
  const free = candidates.find((b) => inside(b) && !placed.some((q) => overlaps(b, q)));
  if (free !== undefined) return free;
  let best = candidates[0];
  let bestCost = Infinity;
  for (const b of candidates) {
    if (!inside(b)) continue;
    let cost = 0;
    for (const q of placed) cost += overlapArea(b, q);
    if (cost < bestCost) [best, bestCost] = [b, cost];
  }
  return best;
}

function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** An estimate of the width of text in the sans-serif font (no DOM to measure with). */
function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += /[mwMW@—]/.test(ch) ? 0.95 : /[il.,:;'|!1 ]/.test(ch) ? 0.34 : /[A-Z]/.test(ch) ? 0.72 : 0.62;
  return w * size;
}

function isSeries(s: unknown): s is Series {
  return typeof s === "object" && s !== null && !ArrayBuffer.isView(s) && !Array.isArray(s) && "y" in s;
}

function checkPlotOptions(fn: string, options: PlotOptions): PlotOptions {
  const o = checkOptions(fn, options, ["title", "xLabel", "yLabel", "width", "height", "logX", "logY", "legend"]) as PlotOptions;
  if (o.legend !== undefined && o.legend !== "inside" && o.legend !== "below") {
    throw new RangeError(`${fn}: legend must be "inside" or "below", got ${describe(o.legend)}`);
  }
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

interface Axis {
  ticks: number[];
  lo: number;
  hi: number;
  label: (v: number) => string;
  map: (v: number) => number; // data -> [0, 1]
}

/** Axis range and "nice" ticks (1, 2, 5 × 10^k), or powers of ten on a log axis. */
function makeAxis(values: number[], log: boolean, range?: [number, number]): Axis {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (range !== undefined && !log) {
    // a given range (equal aspect): ticks inside it, the range itself kept exactly
    const [r0, r1] = range;
    const step = niceStep((r1 - r0) / 5);
    const ticks: number[] = [];
    for (let v = Math.ceil(r0 / step - 1e-9) * step; v <= r1 + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return { ticks, lo: r0, hi: r1, label: (v) => linearLabel(v, digits), map: (v) => (v - r0) / (r1 - r0) };
  }
  if (log) {
    // the data's range widened to 1, 2 or 5 × 10^k (the frame adds a margin); ticks at powers of ten, with 2× and 5× when
    // fewer than three powers fall inside it
    // widen to the nearest 1, 2 or 5 × 10^k outside the data, so that both ends carry a tick
    const nice = (v: number, up: boolean) => {
      const e = Math.floor(Math.log10(v) + 1e-12);
      const steps = up ? [1, 2, 5, 10] : [10, 5, 2, 1];
      const m = steps.find((s) => (up ? s * 10 ** e >= v * (1 - 1e-9) : s * 10 ** e <= v * (1 + 1e-9))) ?? 1;
      return m * 10 ** e;
    };
    let a = Math.log10(nice(lo, false));
    let b = Math.log10(nice(hi, true));
    if (b - a < 1e-9) { a -= 0.5; b += 0.5; }
    const ticks: number[] = [];
    const dense = Math.floor(b + 1e-9) - Math.ceil(a - 1e-9) + 1 < 3; // fewer than 3 powers of ten: add 2× and 5×
    const step = Math.max(1, Math.ceil((b - a) / 8));
    for (let e = Math.floor(a); e <= Math.ceil(b); e += step) {
      for (const m of dense ? [1, 2, 5] : [1]) {
        const v = m * 10 ** e;
        const l = Math.log10(v);
        if (l >= a - 1e-9 && l <= b + 1e-9) ticks.push(v);
      }
    }
    return { ticks, lo: 10 ** a, hi: 10 ** b, label: logTickLabeller(ticks), map: (v) => (Math.log10(v) - a) / (b - a) };
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

/**
 * Labels for the ticks of a log axis, all in one style: plain decimals (0.05, 0.1, 0.2, ..., 1000)
 * when every tick lies in [0.001, 10000], otherwise powers of ten (10⁻⁴, 2×10⁻⁴, 5×10⁻⁴, 10⁻³),
 * so that "10⁻¹" never stands beside "0.05".
 *
 * @example
 * ```ts
 * const label = logTickLabeller([0.05, 0.1, 0.2]);
 * [0.05, 0.1, 0.2].map(label); // ["0.05", "0.1", "0.2"]
 * logTickLabeller([1e-4, 2e-4, 1e-3])(2e-4); // "2×10⁻⁴"
 * ```
 */
export function logTickLabeller(ticks: readonly number[]): (v: number) => string {
  const plain = ticks.every((v) => v >= 1e-3 - 1e-12 && v <= 1e4 + 1e-9);
  return (v: number) => {
    const e = Math.floor(Math.log10(v) + 1e-9);
    const m = Math.round(v / 10 ** e);
    if (plain) return e >= 0 ? String(Math.round(v)) : v.toFixed(-e);
    const digits = String(Math.abs(e)).split("").map((d) => SUPERSCRIPT[Number(d)]).join("");
    const power = `10${e < 0 ? "⁻" : ""}${digits}`;
    return m === 1 ? power : `${m}×${power}`;
  };
}

interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
  px: (x: number) => number;
  py: (y: number) => number;
  /** The height of the whole figure. */
  height: number;
  /** The SVG: `marks` clipped to the plot area, `outside` (a legend below) not. */
  wrap: (marks: string, outside?: string) => string;
}

/** The plot area, axes, grid, tick labels, axis labels and title; `wrap` puts marks inside it. */
let figures = 0;

function makeFrame(o: PlotOptions, xs: number[], ys: number[], equalAspect = false, rowsBelow = 0): Frame {
  const width = o.width ?? 640;
  const below = rowsBelow > 0 ? rowsBelow * 18 + 10 : 0; // room for a legend under the axis label
  const height = (o.height ?? 380) + below;
  const xa0 = makeAxis(xs, o.logX === true);
  let ya = makeAxis(ys, o.logY === true);
  let yTickW = Math.max(...ya.ticks.map((t) => textWidth(ya.label(t), 11)));
  let left = Math.round(18 + yTickW + (o.yLabel ? 22 : 0));
  let xa = xa0;
  if (equalAspect && !o.logX && !o.logY) {
    // one data unit is the same number of pixels on both axes: widen the tighter axis' range (twice,
    // since the new y tick labels may change the left margin and so the plot width)
    const ya0 = ya;
    for (let pass = 0; pass < 2; pass++) {
      const w = width - 20 - left - 20;
      const h = height - 34 - (o.xLabel ? 18 : 0) - (o.title ? 40 : 16) - 20;
      const perPx = Math.max((xa0.hi - xa0.lo) / w, (ya0.hi - ya0.lo) / h);
      const around = (a: Axis, px: number): [number, number] => {
        const c = (a.lo + a.hi) / 2;
        return [c - (perPx * px) / 2, c + (perPx * px) / 2];
      };
      xa = makeAxis(xs, false, around(xa0, w));
      ya = makeAxis(ys, false, around(ya0, h));
      yTickW = Math.max(...ya.ticks.map((t) => textWidth(ya.label(t), 11)));
      left = Math.round(18 + yTickW + (o.yLabel ? 22 : 0));
    }
  }
  const right = width - 20;
  const top = o.title ? 40 : 16;
  const bottom = height - below - 34 - (o.xLabel ? 18 : 0);
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
  if (o.title) axes += `<text x="${width / 2}" y="25" font-size="15" font-weight="600" text-anchor="middle" fill="#111827">${escapeHtml(o.title)}</text>`;
  if (o.xLabel) axes += `<text x="${(left + right) / 2}" y="${height - below - 10}" font-size="12" text-anchor="middle" fill="#374151">${escapeHtml(o.xLabel)}</text>`;
  if (o.yLabel) {
    const cy = (top + bottom) / 2;
    axes += `<text x="14" y="${cy}" font-size="12" text-anchor="middle" fill="#374151" transform="rotate(-90 14 ${cy})">${escapeHtml(o.yLabel)}</text>`;
  }
  const id = `embedkit-plot-${++figures}`; // unique per page: notebooks inline many SVGs
  const clip = `<clipPath id="${id}"><rect x="${left - 5}" y="${top - 5}" width="${right - left + 10}" height="${bottom - top + 10}"/></clipPath>`;
  return {
    left, right, top, bottom, px, py, height,
    wrap: (marks, outside = "") => svgDoc(width, height, `<defs>${clip}</defs>${axes}<g clip-path="url(#${id})">${marks}</g>${outside}`),
  };
}

/** A legend under the plot (and its x label), one entry per line. */
type LegendEntry = { name: string; color: string; dot?: boolean; dashed?: boolean };

/** A legend's line sample, 18 px long: dashed as its line is (5 on, 3 off: two gaps show). */
function swatch(x: number, cy: number, e: LegendEntry): string {
  const dash = e.dashed ? ` stroke-dasharray="5 3"` : "";
  return `<line x1="${x}" y1="${cy}" x2="${x + 18}" y2="${cy}" stroke="${e.color}" stroke-width="2.5"${dash}/>`;
}

function legendBelow(frame: Frame, entries: LegendEntry[]): string {
  let s = "";
  entries.forEach((e, i) => {
    const cy = frame.height - (entries.length - i) * 18 + 4;
    const x = frame.left + 8;
    s += e.dot ? `<circle cx="${x + 9}" cy="${cy}" r="4" fill="${e.color}"/>` : swatch(x, cy, e);
    s += `<text x="${x + 24}" y="${cy + 4}" font-size="12" fill="#1f2937">${escapeHtml(e.name)}</text>`;
  });
  return s;
}

/** A legend in the corner of the plot area that covers the fewest of `marks` (pixel positions). */
function legendBox(frame: Frame, entries: LegendEntry[], marks: Box[]): { svg: string; covered: number } {
  if (entries.length === 0) return { svg: "", covered: 0 };
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
  const hidden = marks.filter((m) => overlaps(best, m)).length;
  const { x, y } = best;
  let s = `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="4" fill="#ffffff" fill-opacity="0.92" stroke="#d1d5db"/>`;
  entries.forEach((e, i) => {
    const cy = y + 13 + i * 18;
    s += e.dot ? `<circle cx="${x + 16}" cy="${cy}" r="4" fill="${e.color}"/>` : swatch(x + 8, cy, e);
    s += `<text x="${x + 32}" y="${cy + 4}" font-size="12" fill="#1f2937">${escapeHtml(e.name)}</text>`;
  });
  return { svg: s, covered: hidden };
}

function svgDoc(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT.replace(/'/g, "")}"><rect width="100%" height="100%" fill="#ffffff"/>${body}</svg>`;
}
