// A plain table of records for notebooks: neighbours of a word, timings, counts.
import { checkOptions, describe } from "../tensor/check.js";
import { escapeHtml, FONT, MONO } from "./html.js";
import { Html } from "./layout.js";

/**
 * A table from records (the columns are the keys of the first record). Numbers are right-aligned and
 * shown with up to `digits` decimals (default 4). Text form everywhere, an HTML table in notebooks.
 *
 * @example
 * ```ts
 * const t = table([{ word: "say", similarity: 0.91 }, { word: "hello", similarity: 0.4 }]);
 * String(t).split("\n")[0]; // "word    similarity"
 * ```
 */
export function table(records: readonly Record<string, unknown>[], options: { title?: string; digits?: number } = {}): Html {
  const fn = "table";
  const o = checkOptions(fn, options, ["title", "digits"]) as { title?: string; digits?: number };
  if (!Array.isArray(records) || records.some((r) => typeof r !== "object" || r === null)) {
    throw new TypeError(`${fn}: records must be an array of objects, got ${describe(records)}`);
  }
  const digits = o.digits ?? 4;
  const columns = records.length > 0 ? Object.keys(records[0]) : [];
  const show = (v: unknown) =>
    typeof v === "number" ? (Number.isInteger(v) ? String(v) : String(+v.toFixed(digits))) : v === undefined || v === null ? "" : String(v);
  const cells = records.map((r) => columns.map((c) => show(r[c])));
  const numeric = columns.map((c) => records.length > 0 && records.every((r) => typeof r[c] === "number"));
  const w = columns.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  const line = (row: string[]) => row.map((s, j) => (numeric[j] ? s.padStart(w[j]) : s.padEnd(w[j]))).join("   ").trimEnd();
  const text = [...(o.title ? [o.title] : []), line(columns), ...cells.map(line)].join("\n");
  const th = `padding:3px 10px;border-bottom:2px solid #374151;font-family:${FONT};font-size:12px`;
  const td = `padding:2px 10px;border-bottom:1px solid #e5e7eb;font-size:12px`;
  const head = columns.map((c, j) => `<th style="${th};text-align:${numeric[j] ? "right" : "left"}">${escapeHtml(c)}</th>`).join("");
  const body = cells
    .map((r) => `<tr>${r.map((s, j) => `<td style="${td};font-family:${numeric[j] ? MONO : FONT};text-align:${numeric[j] ? "right" : "left"}">${escapeHtml(s)}</td>`).join("")}</tr>`)
    .join("");
  const title = o.title ? `<div style="font-family:${FONT};font-weight:600;font-size:13px;margin-bottom:4px">${escapeHtml(o.title)}</div>` : "";
  return new Html(`<div>${title}<table style="border-collapse:collapse;margin:0"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`, text);
}
