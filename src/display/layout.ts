// Putting several displays in one notebook output: tensors (as heat maps), figures and tables side
// by side under captions, e.g. a table before and after an update, or a weight next to its gradient.
import type { Tensor } from "../tensor/tensor.js";
import type { RowSparseGrad } from "../tensor/parameter.js";
import { checkOptions, describe } from "../tensor/check.js";
import { colorBarSvg, escapeHtml, FONT, JUPYTER_DISPLAY, type HeatScale, type MimeBundle, scaleOf } from "./html.js";
import { tensorHtml, type TensorHtmlOptions } from "./tensor.js";

type Displayable = Tensor | RowSparseGrad | { [JUPYTER_DISPLAY](): MimeBundle } | string;

/**
 * Any HTML that a notebook shows as HTML and elsewhere prints as its text form.
 *
 * @example
 * ```ts
 * const h = new Html("<b>hi</b>", "hi");
 * String(h); // "hi"
 * ```
 */
export class Html {
  readonly html: string;
  readonly text: string;
  constructor(html: string, text: string) {
    if (typeof html !== "string") throw new TypeError(`Html: html must be a string, got ${describe(html)}`);
    if (typeof text !== "string") throw new TypeError(`Html: text must be a string, got ${describe(text)}`);
    this.html = html;
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.text, "text/html": this.html };
  }
}

/** Options of {@link sideBySide}. */
export interface SideBySideOptions {
  /** Show these tensors as gradients (non-zero rows marked): `true` for all, or a list of captions. */
  gradient?: boolean | readonly string[];
  /**
   * Colour these tensors on one scale, with one colour bar (`true` for all, or a list of captions):
   * a value then has the same colour in every panel of the group. The other tensors keep their own
   * scale and get a colour bar each.
   */
  sharedScale?: boolean | readonly string[];
  title?: string;
}

/**
 * Shows several items in a row, each under its caption: tensors as heat maps (as gradients, non-zero
 * rows marked, with `gradient: true` for all or `gradient: [captions]` for some), figures as
 * pictures, strings as text (an empty string shows its caption alone, large: an operator such as
 * "×" or "=" between panels). The row never wraps; wider than the page, it scrolls. With `sharedScale`, tensors that are compared share one colour scale
 * and one colour bar.
 *
 * @example
 * ```ts
 * const before = Tensor.from([[1, 1], [1, 1]]);
 * const after = Tensor.from([[0.9, 0.9], [1, 1]]);
 * const view = sideBySide({ before, after }, { sharedScale: true });
 * String(view).startsWith("before:"); // true
 * String(view).endsWith("colour scale shared by: before, after"); // true
 * ```
 */
export function sideBySide(items: Record<string, Displayable>, options: SideBySideOptions = {}): Html {
  const fn = "sideBySide";
  const o = checkOptions(fn, options, ["gradient", "sharedScale", "title"]) as SideBySideOptions;
  const asGradient = (caption: string) => (Array.isArray(o.gradient) ? o.gradient.includes(caption) : o.gradient === true);
  if (typeof items !== "object" || items === null || Array.isArray(items)) {
    throw new TypeError(`${fn}: items must be an object of caption -> tensor | figure | string, got ${describe(items)}`);
  }
  for (const k of ["gradient", "sharedScale"] as const) {
    const v = o[k];
    if (v !== undefined && typeof v !== "boolean" && !(Array.isArray(v) && v.every((c) => typeof c === "string"))) {
      throw new TypeError(`${fn}: options.${k} must be a boolean or an array of captions, got ${describe(v)}`);
    }
    if (Array.isArray(v)) {
      for (const c of v) if (!(c in items)) throw new RangeError(`${fn}: options.${k} names ${JSON.stringify(c)}, which is not a caption of items`);
    }
  }
  const entries = Object.entries(items);
  const shared = entries
    .filter(([caption, item]) => isTensorLike(item) && (Array.isArray(o.sharedScale) ? o.sharedScale.includes(caption) : o.sharedScale === true))
    .map(([caption]) => caption);
  const scale: HeatScale | undefined = shared.length > 0
    ? scaleOf(...shared.map((c) => valuesOf(items[c] as Tensor | RowSparseGrad)))
    : undefined;
  const html: string[] = [];
  const text: string[] = [];
  for (const [caption, item] of entries) {
    let inner: string;
    if (item === "") {
      // an empty string shows its caption alone, large and centred: an operator between panels
      html.push(`<div style="flex:none;align-self:center;font-family:${FONT};font-size:26px;padding:0 2px">${escapeHtml(caption)}</div>`);
      text.push(caption);
      continue;
    }
    if (typeof item === "string") {
      inner = `<pre style="margin:0">${escapeHtml(item)}</pre>`;
      text.push(`${caption}:\n${item}`);
    } else if (isTensorLike(item)) {
      const inGroup = shared.includes(caption);
      const opts: TensorHtmlOptions = { title: caption, gradient: asGradient(caption) };
      if (inGroup && !isRowSparse(item)) opts.scale = scale;
      if (o.sharedScale !== undefined && !inGroup && !isRowSparse(item)) opts.colorBar = true;
      inner = tensorHtml(item, opts);
      text.push(`${caption}:\n${String(item)}`);
      html.push(`<div style="flex:none">${inner}</div>`);
      continue;
    } else if (typeof item === "object" && item !== null && typeof (item as { [JUPYTER_DISPLAY]?: unknown })[JUPYTER_DISPLAY] === "function") {
      const bundle = (item as { [JUPYTER_DISPLAY](): MimeBundle })[JUPYTER_DISPLAY]();
      inner = bundle["text/html"] ?? bundle["image/svg+xml"] ?? `<pre>${escapeHtml(bundle["text/plain"] ?? "")}</pre>`;
      text.push(`${caption}:\n${bundle["text/plain"] ?? ""}`);
    } else {
      throw new TypeError(`${fn}: items[${JSON.stringify(caption)}] must be a tensor, a figure or a string, got ${describe(item)}`);
    }
    html.push(`<div style="flex:none"><div style="font-family:${FONT};font-size:13px;font-weight:600;margin-bottom:3px">${escapeHtml(caption)}</div>${inner}</div>`);
  }
  if (scale !== undefined) {
    const all = shared.length === entries.filter(([, item]) => isTensorLike(item)).length;
    const label = shared.length === 1 ? `colour scale of ${shared[0]}` : all ? "one colour scale for all these panels" : `one colour scale: ${shared.join(", ")}`;
    html.push(`<div style="flex:none;align-self:flex-end">${colorBarSvg(scale, label)}</div>`);
    text.push(`colour scale shared by: ${shared.join(", ")}`);
  }
  const title = o.title ? `<div style="font-family:${FONT};font-size:14px;font-weight:600;margin-bottom:6px">${escapeHtml(o.title)}</div>` : "";
  return new Html(
    // one row that scrolls sideways when it is wider than the page, never wrapped: an equation
    // such as x × W = out must not leave its "=" at the end of one line and "out" on the next
    `<div>${title}<div style="display:flex;flex-wrap:nowrap;overflow-x:auto;gap:28px;align-items:flex-start">${html.join("")}</div></div>`,
    (o.title ? `${o.title}\n` : "") + text.join("\n\n"),
  );
}

function isRowSparse(x: unknown): x is RowSparseGrad {
  return typeof x === "object" && x !== null && (x as RowSparseGrad).rows instanceof Int32Array && "values" in x;
}

function valuesOf(t: Tensor | RowSparseGrad): Float32Array {
  return isRowSparse(t) ? t.values.data : t.data;
}

/** Options of {@link heatMap}. */
export interface HeatMapOptions {
  title?: string;
  /** Names of the rows and columns (e.g. words), shown instead of their numbers. */
  rowLabels?: readonly string[];
  colLabels?: readonly string[];
  /** The colour range, e.g. `{ min: -1, max: 1 }` for cosine similarities; default ±max |x|. */
  scale?: HeatScale;
  /** Rows to outline, e.g. the rows a lookup reads, listed as `highlightLabel`. */
  highlightRows?: readonly number[];
  highlightLabel?: string;
  /** A colour bar under the table (default true). */
  colorBar?: boolean;
}

/**
 * A tensor as a heat map with named rows and columns, outlined rows and a colour bar: e.g. a
 * cosine-similarity matrix of words on the fixed scale [-1, 1], or a table with the rows that a
 * lookup reads marked. In a notebook it shows as HTML; `String()` is the tensor's text form.
 *
 * @example
 * ```ts
 * const W = Tensor.from([[1, 0], [0, 1], [2, 2]]);
 * const view = heatMap(W, { title: "W", highlightRows: [0, 2], highlightLabel: "rows read" });
 * view.html.includes("rows read: 0, 2"); // true
 * String(view) === String(W); // true
 * ```
 */
export function heatMap(t: Tensor, options: HeatMapOptions = {}): Html {
  const fn = "heatMap";
  if (!isTensorLike(t) || isRowSparse(t)) throw new TypeError(`${fn}: t must be a Tensor, got ${describe(t)}`);
  const o = checkOptions(fn, options, ["title", "rowLabels", "colLabels", "scale", "highlightRows", "highlightLabel", "colorBar"]) as HeatMapOptions;
  const rows = t.shape.length >= 2 ? t.shape[t.shape.length - 2] : 1;
  const cols = t.shape.length >= 1 ? t.shape[t.shape.length - 1] : 1;
  for (const [k, n] of [["rowLabels", rows], ["colLabels", cols]] as const) {
    const v = o[k];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new TypeError(`${fn}: ${k} must be an array of strings, got ${describe(v)}`);
    if (v.length !== n) throw new RangeError(`${fn}: ${k} has ${v.length} names for ${n} ${k === "rowLabels" ? "rows" : "columns"}`);
  }
  if (o.scale !== undefined) {
    const sc = o.scale;
    if (typeof sc !== "object" || sc === null || !Number.isFinite(sc.min) || !Number.isFinite(sc.max) || sc.min > sc.max) {
      throw new RangeError(`${fn}: scale must be { min, max } with finite min <= max, got ${describe(sc)}`);
    }
  }
  if (o.highlightRows !== undefined) {
    if (!Array.isArray(o.highlightRows)) throw new TypeError(`${fn}: highlightRows must be an array of row numbers, got ${describe(o.highlightRows)}`);
    o.highlightRows.forEach((r, i) => {
      if (!Number.isInteger(r)) throw new TypeError(`${fn}: highlightRows[${i}] must be an integer, got ${describe(r)}`);
      if (r < 0 || r >= rows) throw new RangeError(`${fn}: highlightRows[${i}] = ${r} is out of range [0, ${rows - 1}]`);
    });
  }
  const html = tensorHtml(t, {
    title: o.title,
    scale: o.scale,
    colorBar: o.colorBar !== false,
    highlightRows: o.highlightRows,
    highlightLabel: o.highlightLabel,
    rowLabels: o.rowLabels,
    colLabels: o.colLabels,
  });
  return new Html(html, String(t));
}

/**
 * A colour bar alone: the colours of a {@link HeatScale} from min to max, labelled at both ends (and
 * at 0 when the scale spans it), for a figure whose panels share one scale.
 *
 * @example
 * ```ts
 * const bar = colorBar({ min: -1, max: 1 }, { label: "cosine similarity" });
 * bar.html.includes(">-1.</text>"); // true
 * String(bar); // "colour bar: -1 … 1"
 * ```
 */
export function colorBar(scale: HeatScale, options: { label?: string; width?: number } = {}): Html {
  const fn = "colorBar";
  const o = checkOptions(fn, options, ["label", "width"]) as { label?: string; width?: number };
  if (typeof scale !== "object" || scale === null || !Number.isFinite(scale.min) || !Number.isFinite(scale.max) || scale.min > scale.max) {
    throw new RangeError(`${fn}: scale must be { min, max } with finite min <= max, got ${describe(scale)}`);
  }
  if (o.label !== undefined && typeof o.label !== "string") throw new TypeError(`${fn}: label must be a string, got ${describe(o.label)}`);
  if (o.width !== undefined && (typeof o.width !== "number" || !Number.isFinite(o.width) || o.width < 100)) {
    throw new RangeError(`${fn}: width must be a number >= 100, got ${describe(o.width)}`);
  }
  return new Html(colorBarSvg(scale, o.label ?? "", o.width ?? 220), `colour bar: ${scale.min} … ${scale.max}`);
}

function isTensorLike(x: unknown): x is Tensor | RowSparseGrad {
  return typeof x === "object" && x !== null && (("data" in x && (x as Tensor).data instanceof Float32Array && "shape" in x) || ((x as RowSparseGrad).rows instanceof Int32Array && "values" in x));
}
