// Showing values from notebook code: the rich form in a Jupyter kernel, the text form elsewhere.

/** Deno's Jupyter namespace, when the code runs in `deno jupyter` (its getter throws elsewhere). */
function jupyterDisplay(): ((value: unknown) => Promise<void>) | null {
  try {
    const deno = (globalThis as { Deno?: { jupyter?: { display?: (v: unknown) => Promise<void> } } }).Deno;
    const display = deno?.jupyter?.display;
    return typeof display === "function" ? display : null;
  } catch {
    return null;
  }
}

/**
 * Shows each value, in order: in Deno's Jupyter kernel as rich output (a tensor as a heat map, a
 * figure as a picture, a summary as a table), sent before the cell finishes; anywhere else printed
 * with `console.log` in its text form (`tensor([[...]])`). Several `show` calls give several outputs
 * in one cell. Await it, so that the outputs belong to the cell that made them.
 *
 * @example
 * ```ts
 * // in a notebook: `await show(W, linePlot(losses))` draws a heat map and a plot. Outside one:
 * const printed: unknown[] = [];
 * const log = console.log;
 * console.log = (x: unknown) => printed.push(x);
 * await show(Tensor.from([1, 2]));
 * console.log = log;
 * printed; // ["tensor([1., 2.])"]
 * ```
 */
export async function show(...values: unknown[]): Promise<void> {
  const display = jupyterDisplay();
  for (const v of values) {
    if (display !== null) await display(v);
    else console.log(typeof v === "object" && v !== null ? String(v) : v);
  }
  // Give the kernel's event loop a turn, so the outputs leave before the cell reports that it is done.
  if (display !== null) await new Promise((resolve) => setTimeout(resolve, 0));
}
