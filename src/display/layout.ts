// Putting several displays in one notebook output: tensors (as heat maps), figures and tables side
// by side under captions, e.g. a table before and after an update, or a weight next to its gradient.
import type { Tensor } from "../tensor/tensor.js";
import type { RowSparseGrad } from "../tensor/parameter.js";
import { checkOptions, describe } from "../tensor/check.js";
import { escapeHtml, FONT, JUPYTER_DISPLAY, type MimeBundle } from "./html.js";
import { tensorHtml } from "./tensor.js";

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

/**
 * Shows several items in a row, each under its caption: tensors as heat maps (as gradients, non-zero
 * rows marked, with `gradient: true` for all or `gradient: [captions]` for some), figures as
 * pictures, strings as text.
 *
 * @example
 * ```ts
 * const before = Tensor.from([[1, 1], [1, 1]]);
 * const after = Tensor.from([[0.9, 0.9], [1, 1]]);
 * const view = sideBySide({ before, after });
 * String(view).startsWith("before:"); // true
 * ```
 */
export function sideBySide(
  items: Record<string, Displayable>,
  options: { gradient?: boolean | readonly string[]; title?: string } = {},
): Html {
  const fn = "sideBySide";
  const o = checkOptions(fn, options, ["gradient", "title"]) as { gradient?: boolean | readonly string[]; title?: string };
  const asGradient = (caption: string) => (Array.isArray(o.gradient) ? o.gradient.includes(caption) : o.gradient === true);
  if (typeof items !== "object" || items === null || Array.isArray(items)) {
    throw new TypeError(`${fn}: items must be an object of caption -> tensor | figure | string, got ${describe(items)}`);
  }
  const html: string[] = [];
  const text: string[] = [];
  for (const [caption, item] of Object.entries(items)) {
    let inner: string;
    if (typeof item === "string") {
      inner = `<pre style="margin:0">${escapeHtml(item)}</pre>`;
      text.push(`${caption}:\n${item}`);
    } else if (isTensorLike(item)) {
      inner = tensorHtml(item, { title: caption, gradient: asGradient(caption) });
      text.push(`${caption}:\n${String(item)}`);
      html.push(`<div>${inner}</div>`);
      continue;
    } else if (typeof item === "object" && item !== null && typeof (item as { [JUPYTER_DISPLAY]?: unknown })[JUPYTER_DISPLAY] === "function") {
      const bundle = (item as { [JUPYTER_DISPLAY](): MimeBundle })[JUPYTER_DISPLAY]();
      inner = bundle["text/html"] ?? bundle["image/svg+xml"] ?? `<pre>${escapeHtml(bundle["text/plain"] ?? "")}</pre>`;
      text.push(`${caption}:\n${bundle["text/plain"] ?? ""}`);
    } else {
      throw new TypeError(`${fn}: items[${JSON.stringify(caption)}] must be a tensor, a figure or a string, got ${describe(item)}`);
    }
    html.push(`<div><div style="font-family:${FONT};font-size:13px;font-weight:600;margin-bottom:3px">${escapeHtml(caption)}</div>${inner}</div>`);
  }
  const title = o.title ? `<div style="font-family:${FONT};font-size:14px;font-weight:600;margin-bottom:6px">${escapeHtml(o.title)}</div>` : "";
  return new Html(
    `<div>${title}<div style="display:flex;flex-wrap:wrap;gap:28px;align-items:flex-start">${html.join("")}</div></div>`,
    (o.title ? `${o.title}\n` : "") + text.join("\n\n"),
  );
}

function isTensorLike(x: unknown): x is Tensor | RowSparseGrad {
  return typeof x === "object" && x !== null && (("data" in x && (x as Tensor).data instanceof Float32Array && "shape" in x) || ((x as RowSparseGrad).rows instanceof Int32Array && "values" in x));
}
