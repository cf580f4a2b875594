// Tensors as HTML heat-map tables for notebooks. Values are coloured on a diverging scale (blue < 0 <
// red), all-zero rows are dimmed, and a gradient marks its non-zero rows and lists them, so a reader
// sees at a glance which rows of dW an embedding backward touched. Large tensors are summarised with
// ellipses, as the text form is. src/tensor knows nothing of pictures: `attachDisplay` (called by the
// package's entry point) gives Tensor, Parameter and RowSparseGrad the method a Jupyter kernel looks for.
import { Tensor } from "../tensor/tensor.js";
import { Parameter, RowSparseGrad } from "../tensor/parameter.js";
import { colorBarSvg, escapeHtml, FONT, type HeatScale, MONO, type MimeBundle, cellFormatter, scaleColor, symmetricScale } from "./html.js";
import { describe } from "../tensor/check.js";

/** Options of {@link tensorHtml}. */
export interface TensorHtmlOptions {
  /** The heading; default `Tensor` (or `RowSparseGrad`). */
  title?: string;
  /** Show it as a gradient: mark and list the non-zero rows, and elide long runs of zero rows. */
  gradient?: boolean;
  /**
   * The colour range, e.g. one {@link HeatScale} shared by panels that are compared (`sideBySide`
   * with `sharedScale`); default ±the tensor's largest |x|.
   */
  scale?: HeatScale;
  /** Draw a colour bar for the scale under the table. */
  colorBar?: boolean;
  /** Rows to outline (e.g. the rows a lookup reads), listed under the heading as `highlightLabel`. */
  highlightRows?: readonly number[];
  /** The caption of the highlighted rows; default "highlighted rows". */
  highlightLabel?: string;
  /** Names for the rows (e.g. words) and columns, shown instead of the numbers. */
  rowLabels?: readonly string[];
  colLabels?: readonly string[];
}

const THRESHOLD = 1000; // more elements than this: summarise, as the text form does
const EDGE = 3;
const MAX_ROWS = 30; // a taller or wider table is summarised too, to stay on one screen
const ROW_EDGE = 10;
const MAX_COLS = 16;
const COL_EDGE = 6;
const GRAD_MAX_ROWS = 24; // a gradient with more rows shows only its non-zero rows
const GRAD_EDGE = 8;

type TensorLike = Pick<Tensor, "data" | "shape">;
type Row = { label: number; offset: number; stored?: boolean } | { gap: string };

/**
 * An HTML rendering of a tensor or a row-sparse gradient: a heat-map table (one per 2-D slice of a
 * tensor of 3 or more dimensions) under a heading with the shape. What notebooks show for a tensor.
 *
 * @example
 * ```ts
 * const html = tensorHtml(Tensor.from([[1, -1], [0, 0]]), { title: "dW", gradient: true });
 * html.includes("<table"); // true
 * html.includes("non-zero rows: 0"); // true
 * ```
 */
export function tensorHtml(t: Tensor | RowSparseGrad, options: TensorHtmlOptions = {}): string {
  const tensorLike = t !== null && typeof t === "object" && (t as Tensor).data instanceof Float32Array && Array.isArray((t as Tensor).shape);
  if (!tensorLike && !isRowSparse(t)) throw new TypeError(`tensorHtml: t must be a Tensor or RowSparseGrad, got ${describe(t)}`);
  if (isRowSparse(t)) return rowSparseHtml(t, options.title ?? "RowSparseGrad");
  const title = options.title ?? "Tensor";
  const shape = t.shape;
  const head = heading(title, `shape [${shape.join(", ")}] · float32`);
  if (t.data.length === 0) return panel(head + note("(empty)"));
  const fmt = cellFormatter(t.data);
  const scale = options.scale ?? symmetricScale(t.data);
  const style: Style = {
    color: (x) => scaleColor(x, scale),
    highlight: new Set(options.highlightRows ?? []),
    rowLabels: options.rowLabels,
    colLabels: options.colLabels,
  };
  const bar = options.colorBar === true ? `<div style="margin-top:4px">${colorBarSvg(scale)}</div>` : "";
  if (shape.length === 0) return panel(head + table([{ label: -1, offset: 0 }], [0], t.data, fmt, style, false) + bar);
  const cols = shape[shape.length - 1];
  const summarize = t.data.length > THRESHOLD;
  const colIds = pick(cols, summarize, cols > MAX_COLS ? COL_EDGE : 0);
  if (shape.length === 1) return panel(head + table([{ label: -1, offset: 0 }], colIds, t.data, fmt, style, false, cols) + bar);

  const rows = shape[shape.length - 2];
  const sliceSize = rows * cols;
  const gradient = options.gradient === true;
  let body = "";
  const leading = shape.slice(0, -2);
  for (const prefix of leadingIndices(leading, summarize)) {
    if (prefix === null) {
      body += note("⋮");
      continue;
    }
    let offset = 0;
    for (let d = 0; d < leading.length; d++) offset = offset * leading[d] + prefix[d];
    offset *= sliceSize;
    const rowItems = gradient && rows > GRAD_MAX_ROWS
      ? nonZeroRowItems(t.data, offset, rows, cols)
      : pick(rows, summarize, rows > MAX_ROWS ? ROW_EDGE : 0).map((r): Row => (r === null ? { gap: "⋮" } : { label: r, offset: offset + r * cols }));
    const label = leading.length > 0 ? note(`[${prefix.join(", ")}, :, :]`) : "";
    body += label + table(rowItems, colIds, t.data, fmt, style, gradient, cols);
  }
  let caption = gradient && shape.length === 2 ? gradientCaption(t.data, rows, cols) : "";
  if (style.highlight.size > 0) {
    const list = [...style.highlight].sort((a, b) => a - b);
    caption += note(`${options.highlightLabel ?? "highlighted rows"}: ${listRows(list.map((r) => style.rowLabels?.[r] ?? r))}`, HIGHLIGHT_TEXT);
  }
  return panel(head + caption + body + bar);
}

/** The MIME bundle of a tensor: the heat map, and the PyTorch-style text. */
export function displayTensor(t: Tensor): MimeBundle {
  return { "text/plain": String(t), "text/html": tensorHtml(t) };
}

/** A parameter's data, and beside it its gradient (if any) with the non-zero rows marked. */
export function displayParameter(p: Parameter): MimeBundle {
  const state = p.requiresGrad ? "requires grad" : "frozen (requiresGrad = false)";
  const weight = tensorHtml(p, { title: `Parameter · ${state}` });
  let html = weight;
  if (p.grad !== null) {
    const grad = isRowSparse(p.grad)
      ? tensorHtml(p.grad, { title: "grad · RowSparseGrad" })
      : tensorHtml(p.grad, { title: "grad", gradient: true });
    html = `<div style="display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start">${weight}${grad}</div>`;
  }
  return { "text/plain": String(p), "text/html": html };
}

/** The MIME bundle of a row-sparse gradient. */
export function displayRowSparse(g: RowSparseGrad): MimeBundle {
  return { "text/plain": String(g), "text/html": tensorHtml(g) };
}

function isRowSparse(t: unknown): t is RowSparseGrad {
  return typeof t === "object" && t !== null && (t as RowSparseGrad).rows instanceof Int32Array && "values" in t;
}

/** A row-sparse gradient over its dense shape: stored rows coloured, absent rows shown as `·` or elided. */
function rowSparseHtml(g: RowSparseGrad, title: string): string {
  const V = g.shape[0];
  const width = g.values.shape.length > 1 ? g.values.size / Math.max(1, g.rows.length) : 1;
  const head = heading(title, `dense shape [${g.shape.join(", ")}] · ${g.rows.length} of ${V} rows stored`);
  const fmt = cellFormatter(g.values.data);
  const style: Style = { color: (x) => scaleColor(x, symmetricScale(g.values.data)), highlight: new Set() };
  const colIds = pick(width, g.values.size > THRESHOLD, width > MAX_COLS ? COL_EDGE : 0);
  const items: Row[] = [];
  if (V <= GRAD_MAX_ROWS) {
    let s = 0;
    for (let r = 0; r < V; r++) {
      if (s < g.rows.length && g.rows[s] === r) items.push({ label: r, offset: (s++) * width, stored: true });
      else items.push({ label: r, offset: -1 });
    }
  } else {
    const shown = edges(g.rows.length, GRAD_EDGE);
    let prev = -1;
    for (const s of shown) {
      if (s === null) {
        items.push({ gap: `⋯ ${g.rows.length - 2 * GRAD_EDGE} more stored rows ⋯` });
        prev = -2;
        continue;
      }
      const r = g.rows[s];
      if (prev !== -2 && r - prev > 1) items.push({ gap: zeroRun(r - prev - 1, "absent") });
      items.push({ label: r, offset: s * width, stored: true });
      prev = r;
    }
    if (prev >= 0 && V - 1 - prev > 0) items.push({ gap: zeroRun(V - 1 - prev, "absent") });
  }
  const caption = note(`stored rows: ${listRows(Array.from(g.rows))}`, "#b91c1c");
  return panel(head + caption + table(items, colIds, g.values.data, fmt, style, true, width));
}

function gradientCaption(data: Float32Array, rows: number, cols: number): string {
  const nz: number[] = [];
  for (let r = 0; r < rows; r++) if (!rowIsZero(data, r * cols, cols)) nz.push(r);
  return note(`non-zero rows: ${nz.length === 0 ? "none" : listRows(nz)} (${nz.length} of ${rows})`, "#b91c1c");
}

function listRows(rows: (number | string)[]): string {
  return rows.length <= 16 ? rows.join(", ") : `${rows.slice(0, 8).join(", ")}, …, ${rows.slice(-4).join(", ")}`;
}

/** Rows of a tall gradient slice: the non-zero ones (first and last GRAD_EDGE), runs of zero rows as gaps. */
function nonZeroRowItems(data: Float32Array, offset: number, rows: number, cols: number): Row[] {
  const nz: number[] = [];
  for (let r = 0; r < rows; r++) if (!rowIsZero(data, offset + r * cols, cols)) nz.push(r);
  const items: Row[] = [];
  let prev = -1;
  for (const k of edges(nz.length, GRAD_EDGE)) {
    if (k === null) {
      items.push({ gap: `⋯ ${nz.length - 2 * GRAD_EDGE} more non-zero rows ⋯` });
      prev = -2;
      continue;
    }
    const r = nz[k];
    if (prev !== -2 && r - prev > 1) items.push({ gap: zeroRun(r - prev - 1, "zero") });
    items.push({ label: r, offset: offset + r * cols });
    prev = r;
  }
  if (prev !== -2 && rows - 1 - prev > 0) items.push({ gap: zeroRun(rows - 1 - prev, "zero") });
  return items;
}

function zeroRun(n: number, what: string): string {
  return `⋯ ${n} ${what} row${n === 1 ? "" : "s"} ⋯`;
}

function rowIsZero(data: Float32Array, start: number, width: number): boolean {
  for (let j = 0; j < width; j++) if (data[start + j] !== 0) return false;
  return true;
}

/** Indices 0..n-1, or the first and last few with a null between them when summarising. */
function pick(n: number, summarize: boolean, edge = 0): (number | null)[] {
  if (summarize) return edges(n, EDGE);
  return edge > 0 ? edges(n, edge) : Array.from({ length: n }, (_, i) => i);
}

function edges(n: number, edge: number): (number | null)[] {
  if (n <= 2 * edge) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: edge }, (_, i) => i);
  const tail = Array.from({ length: edge }, (_, i) => n - edge + i);
  return [...head, null, ...tail];
}

/** Every index tuple of the leading dimensions (summarised per dimension), null for an elision. */
function leadingIndices(leading: readonly number[], summarize: boolean): (number[] | null)[] {
  let out: (number[] | null)[] = [[]];
  for (const n of leading) {
    const next: (number[] | null)[] = [];
    for (const p of out) {
      if (p === null) continue;
      for (const i of pick(n, summarize)) next.push(i === null ? null : [...p, i]);
    }
    out = next.filter((p, k) => p !== null || next[k - 1] !== null);
  }
  return out;
}

// Shared styles sit on the table (inherited); cells carry only what differs, to keep outputs small.
const TABLE = `border-collapse:collapse;margin:2px 0;font-family:${MONO};font-size:12px;white-space:nowrap;text-align:right`;
const TD = "padding:2px 7px;border:1px solid #fff";
const TH = "padding:2px 6px;font-size:11px;color:#6b7280;font-weight:normal;background:#fff;border:none;text-align:right";

/** How the cells of a table are drawn: their colour, the outlined rows, names of rows and columns. */
interface Style {
  color: (x: number) => { bg: string; fg: string };
  highlight: Set<number>;
  rowLabels?: readonly string[];
  colLabels?: readonly string[];
}

const HIGHLIGHT = "#f59e0b";
const HIGHLIGHT_TEXT = "#b45309";

function table(
  rows: Row[],
  cols: (number | null)[],
  data: Float32Array,
  fmt: (x: number) => string,
  style: Style,
  gradient: boolean,
  width = cols.length,
): string {
  const labelled = rows.some((r) => "label" in r && r.label >= 0);
  const corner = labelled ? `<th style="${TH}"></th>` : "";
  const colName = (c: number) => escapeHtml(style.colLabels?.[c] ?? String(c));
  const headCells = cols.map((c) => `<th style="${TH};text-align:center">${c === null ? "…" : colName(c)}</th>`).join("");
  let body = "";
  for (const row of rows) {
    if ("gap" in row) {
      body += `<tr><td colspan="${cols.length + (labelled ? 1 : 0)}" style="${TH};text-align:center;font-style:italic">${escapeHtml(row.gap)}</td></tr>`;
      continue;
    }
    const absent = row.offset < 0;
    const zero = !absent && rowIsZero(data, row.offset, width);
    const mark = gradient && !zero && !absent;
    const lit = style.highlight.has(row.label);
    const name = escapeHtml(style.rowLabels?.[row.label] ?? String(row.label));
    const headStyle = (mark ? ";color:#b91c1c;font-weight:bold;border-left:3px solid #e15759" : "") +
      (lit ? `;color:${HIGHLIGHT_TEXT};font-weight:bold;background:#fef3c7` : "");
    const rowHead = labelled ? `<th style="${TH}${headStyle}">${lit ? "▶ " : ""}${name}</th>` : "";
    // an outlined row: a thick amber border above and below every cell, and at both ends
    const edge = (k: number) => (lit ? `;border-top:2px solid ${HIGHLIGHT};border-bottom:2px solid ${HIGHLIGHT}${k === 0 ? `;border-left:2px solid ${HIGHLIGHT}` : ""}${k === cols.length - 1 ? `;border-right:2px solid ${HIGHLIGHT}` : ""}` : "");
    const cells = cols.map((c, k) => {
      if (c === null) return `<td style="${TD};color:#9ca3af${edge(k)}">…</td>`;
      if (absent) return `<td style="${TD};color:#d1d5db;text-align:center${edge(k)}">·</td>`;
      const x = data[row.offset + c];
      if (zero) return `<td style="${TD};color:#c0c4cc${edge(k)}">${fmt(x)}</td>`;
      const { bg, fg } = style.color(x);
      return `<td style="${TD};background:${bg};color:${fg}${edge(k)}">${fmt(x)}</td>`;
    });
    body += `<tr>${rowHead}${cells.join("")}</tr>`;
  }
  const header = labelled || cols.length > 1 ? `<thead><tr>${corner}${headCells}</tr></thead>` : "";
  return `<table style="${TABLE}">${header}<tbody>${body}</tbody></table>`;
}

function heading(title: string, detail: string): string {
  return `<div style="font-family:${FONT};font-size:13px;margin-bottom:3px"><b>${escapeHtml(title)}</b> <span style="color:#6b7280">${escapeHtml(detail)}</span></div>`;
}

function note(text: string, color = "#6b7280"): string {
  return `<div style="font-family:${FONT};font-size:12px;color:${color};margin:2px 0">${escapeHtml(text)}</div>`;
}

function panel(inner: string): string {
  return `<div style="display:inline-block;vertical-align:top">${inner}</div>`;
}

/**
 * Gives `Tensor`, `Parameter` and `RowSparseGrad` their `Symbol.for("Jupyter.display")` method, so that
 * Deno's Jupyter kernel shows them as heat maps. Called once by the package's entry point; calling it
 * again changes nothing. Display only: no result depends on it.
 */
export function attachDisplay(): void {
  const key = Symbol.for("Jupyter.display");
  const define = (proto: object, fn: (this: never) => MimeBundle) =>
    Object.defineProperty(proto, key, { value: fn, writable: true, configurable: true, enumerable: false });
  define(Tensor.prototype, function (this: Tensor) {
    return displayTensor(this);
  });
  define(Parameter.prototype, function (this: Parameter) {
    return displayParameter(this);
  });
  define(RowSparseGrad.prototype, function (this: RowSparseGrad) {
    return displayRowSparse(this);
  });
}
