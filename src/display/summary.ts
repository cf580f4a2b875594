// Parameter counting in the style of Keras' model.summary(): one row per named part with its weight
// shapes, how many times it repeats, and its parameter count; then the totals. Text everywhere, an
// HTML table in notebooks.
import { checkInt, checkOptions, checkShape, describe, shapeSize } from "../tensor/check.js";
import { escapeHtml, FONT, groupDigits, JUPYTER_DISPLAY, type MimeBundle, MONO } from "./html.js";

type Shape = readonly number[];
type Shaped = { readonly shape: Shape; requiresGrad?: boolean };

/** One part of a model for {@link summary}. */
export interface SummaryEntry {
  name: string;
  /**
   * Its weights: a shape (`[21128, 768]`), several shapes (`[[768, 64], [64]]` for a weight and its
   * bias), a tensor or parameter, or a layer with `params` (an `Embedding`, a `MatMul`, ...).
   */
  params: Shape | readonly Shape[] | Shaped | { readonly params: readonly Shaped[] };
  /** How many copies (e.g. 12 heads), or several factors (`[12, 12]`: 12 heads in each of 12 layers). */
  repeat?: number | readonly number[];
  /** A word for the kind of part, shown in brackets (default: the layer's class name, if any). */
  type?: string;
  /** Whether an optimizer updates it (default: every parameter's `requiresGrad`, else true). */
  trainable?: boolean;
}

/** A row of a {@link Summary}, resolved. */
export interface SummaryRow {
  name: string;
  type: string;
  shapes: number[][];
  repeat: number[];
  /** Parameters of this row, repeats included. */
  count: number;
  trainable: boolean;
}

/**
 * The parameter table of a model: rows, totals, and `toString()` / notebook display.
 *
 * @example
 * ```ts
 * const s = summary([
 *   { name: "token embedding", params: [21128, 768] },
 *   { name: "query (per head)", params: [[768, 64], [64]], repeat: [12, 12] },
 * ]);
 * s.total;               // 16226304 + 12 * 12 * (768 * 64 + 64) = 23313408
 * String(s).includes("Total params: 23,313,408"); // true
 * ```
 */
export class Summary {
  readonly rows: readonly SummaryRow[];
  readonly total: number;
  readonly trainable: number;
  readonly title: string;

  constructor(rows: SummaryRow[], title = "") {
    if (!Array.isArray(rows) || rows.some((r) => r === null || typeof r !== "object" || typeof r.count !== "number")) {
      throw new TypeError(`Summary: rows must be an array of { name, shape, count, trainable }, got ${describe(rows)}`);
    }
    if (typeof title !== "string") throw new TypeError(`Summary: title must be a string, got ${describe(title)}`);
    this.rows = rows;
    this.title = title;
    this.total = rows.reduce((a, r) => a + r.count, 0);
    this.trainable = rows.reduce((a, r) => a + (r.trainable ? r.count : 0), 0);
  }

  get nonTrainable(): number {
    return this.total - this.trainable;
  }

  /** The rows as text cells: name (type), shapes, repeat, count. */
  private cells(): string[][] {
    return this.rows.map((r) => [
      r.type ? `${r.name} (${r.type})` : r.name,
      r.shapes.map((s) => `[${s.join(", ")}]`).join(" + "),
      r.repeat.length ? r.repeat.join(" × ") : "",
      groupDigits(r.count),
    ]);
  }

  private footer(): string[] {
    const mb = (n: number) => `${(n * 4 / 2 ** 20).toFixed(2)} MiB as float32`;
    return [
      `Total params: ${groupDigits(this.total)} (${mb(this.total)})`,
      `Trainable params: ${groupDigits(this.trainable)}`,
      `Non-trainable params: ${groupDigits(this.nonTrainable)}`,
    ];
  }

  toString(): string {
    const head = ["Layer (type)", "Shape", "Repeat", "Param #"];
    const rows = this.cells();
    const w = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
    const line = (cells: string[]) =>
      cells.map((c, j) => (j === 3 ? c.padStart(w[j]) : c.padEnd(w[j]))).join("   ").trimEnd();
    const rule = (ch: string) => ch.repeat(w.reduce((a, b) => a + b, 0) + 9);
    const out = [];
    if (this.title) out.push(this.title);
    out.push(line(head), rule("="));
    for (const r of rows) out.push(line(r));
    out.push(rule("="), ...this.footer());
    return out.join("\n");
  }

  /** The table as HTML, each row's share of the total drawn as a bar. */
  toHTML(): string {
    const th = `padding:4px 10px;text-align:left;border-bottom:2px solid #374151;font-family:${FONT};font-size:12px`;
    const td = `padding:3px 10px;border-bottom:1px solid #e5e7eb;font-size:12px;vertical-align:middle`;
    const rows = this.cells().map((c, i) => {
      const share = this.total > 0 ? this.rows[i].count / this.total : 0;
      const bar = `<div style="height:8px;width:${Math.max(1, Math.round(share * 120))}px;background:#4e79a7;border-radius:2px;display:inline-block"></div>`;
      const frozen = this.rows[i].trainable ? "" : ` <span style="color:#b45309">(frozen)</span>`;
      return `<tr><td style="${td};font-family:${FONT};text-align:left">${escapeHtml(c[0])}${frozen}</td>` +
        `<td style="${td};font-family:${MONO};text-align:left">${escapeHtml(c[1])}</td>` +
        `<td style="${td};font-family:${MONO};text-align:center">${escapeHtml(c[2])}</td>` +
        `<td style="${td};font-family:${MONO};text-align:right">${c[3]}</td>` +
        `<td style="${td};text-align:left">${bar} <span style="font-family:${FONT};color:#6b7280">${(share * 100).toFixed(1)}%</span></td></tr>`;
    });
    const foot = this.footer().map((f) => `<div>${escapeHtml(f)}</div>`).join("");
    const title = this.title ? `<div style="font-family:${FONT};font-weight:600;font-size:14px;margin-bottom:4px">${escapeHtml(this.title)}</div>` : "";
    return `<div style="display:inline-block">${title}<table style="border-collapse:collapse;margin:0">` +
      `<thead><tr><th style="${th}">Layer (type)</th><th style="${th}">Shape</th><th style="${th};text-align:center">Repeat</th><th style="${th};text-align:right">Param #</th><th style="${th}">Share</th></tr></thead>` +
      `<tbody>${rows.join("")}</tbody></table>` +
      `<div style="font-family:${FONT};font-size:12px;margin-top:6px;border-top:2px solid #374151;padding-top:4px">${foot}</div></div>`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": this.toHTML() };
  }
}

/**
 * Counts the parameters of a model described part by part, like Keras' `model.summary()`.
 *
 * @example
 * ```ts
 * const emb = new Embedding(1000, 16, { seed: 0 });
 * const s = summary([
 *   { name: "user id", params: emb },                  // a layer: its params are counted
 *   { name: "dense 16→1", params: [[16, 1], [1]] },    // a weight and a bias
 * ], { title: "tiny model" });
 * s.total; // 16000 + 17 = 16017
 * ```
 */
export function summary(entries: readonly SummaryEntry[], options: { title?: string } = {}): Summary {
  const fn = "summary";
  const o = checkOptions(fn, options, ["title"]) as { title?: string };
  if (o.title !== undefined && typeof o.title !== "string") throw new TypeError(`${fn}: title must be a string, got ${describe(o.title)}`);
  if (!Array.isArray(entries)) throw new TypeError(`${fn}: entries must be an array, got ${describe(entries)}`);
  const rows = entries.map((e, i): SummaryRow => {
    const at = `entries[${i}]`;
    if (typeof e !== "object" || e === null) throw new TypeError(`${fn}: ${at} must be { name, params }, got ${describe(e)}`);
    checkOptions(`${fn}: ${at}`, e, ["name", "params", "repeat", "type", "trainable"]);
    if (typeof e.name !== "string") throw new TypeError(`${fn}: ${at}.name must be a string, got ${describe(e.name)}`);
    const { shapes, trainable, type } = resolveParams(fn, `${at}.params`, e.params);
    const repeat = e.repeat === undefined ? [] : typeof e.repeat === "number" ? [e.repeat] : e.repeat;
    if (!Array.isArray(repeat)) throw new TypeError(`${fn}: ${at}.repeat must be a number or an array of numbers, got ${describe(e.repeat)}`);
    repeat.forEach((r, k) => checkInt(fn, `${at}.repeat${typeof e.repeat === "number" ? "" : `[${k}]`}`, r, 1));
    if (e.type !== undefined && typeof e.type !== "string") throw new TypeError(`${fn}: ${at}.type must be a string, got ${describe(e.type)}`);
    if (e.trainable !== undefined && typeof e.trainable !== "boolean") {
      throw new TypeError(`${fn}: ${at}.trainable must be a boolean, got ${describe(e.trainable)}`);
    }
    const per = shapes.reduce((a, s) => a + shapeSize(s), 0);
    return {
      name: e.name,
      type: e.type ?? type,
      shapes,
      repeat: repeat.slice(),
      count: per * repeat.reduce((a, r) => a * r, 1),
      trainable: e.trainable ?? trainable,
    };
  });
  return new Summary(rows, o.title ?? "");
}

function resolveParams(fn: string, arg: string, p: SummaryEntry["params"]): { shapes: number[][]; trainable: boolean; type: string } {
  const isShape = (v: unknown): v is Shape => Array.isArray(v) && v.every((d) => typeof d === "number");
  if (isShape(p)) {
    checkShape(fn, arg, p);
    return { shapes: [p.slice()], trainable: true, type: "" };
  }
  if (Array.isArray(p)) {
    const shapes = p.map((s, k) => {
      checkShape(fn, `${arg}[${k}]`, s);
      return (s as Shape).slice();
    });
    return { shapes, trainable: true, type: "" };
  }
  if (typeof p === "object" && p !== null) {
    if ("params" in p && Array.isArray(p.params)) {
      const list = p.params as readonly Shaped[];
      const shapes = list.map((t, k) => {
        checkShape(fn, `${arg}.params[${k}].shape`, t?.shape);
        return t.shape.slice();
      });
      const name = (p as object).constructor?.name;
      return { shapes, trainable: list.every((t) => t.requiresGrad !== false), type: name && name !== "Object" ? name : "" };
    }
    if ("shape" in p) {
      checkShape(fn, `${arg}.shape`, p.shape);
      return { shapes: [p.shape.slice()], trainable: p.requiresGrad !== false, type: "" };
    }
  }
  throw new TypeError(`${fn}: ${arg} must be a shape, a list of shapes, a tensor or a layer with params, got ${describe(p)}`);
}
