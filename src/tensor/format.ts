// Printing that reads like PyTorch's: `tensor([[ 1.0934, -0.4371], ...])`, fixed 4 decimals, or
// integers as `1.`, or scientific notation when the magnitudes span more than 1000×; tensors of more
// than 1000 elements are summarised with `...` (3 items at each edge); lines wrap at 80 columns.

const LINE_WIDTH = 80;
const THRESHOLD = 1000;
const EDGE = 3;

type Formatter = (x: number) => string;

function makeFormatter(data: Float32Array): { fmt: Formatter; width: number } {
  let intMode = true;
  let maxAbs = 0;
  let minAbs = Infinity;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (!Number.isFinite(x) || x === 0) continue;
    const a = Math.abs(x);
    if (a > maxAbs) maxAbs = a;
    if (a < minAbs) minAbs = a;
    if (intMode && Math.round(x) !== x) intMode = false;
  }
  const finiteNonZero = maxAbs > 0;
  let fmt: Formatter;
  if (intMode) {
    fmt = maxAbs > 1e8 ? (x) => sci(x) : (x) => (Number.isFinite(x) ? `${x.toFixed(0)}.` : special(x));
  } else if (finiteNonZero && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4)) {
    fmt = sci;
  } else {
    fmt = (x) => (Number.isFinite(x) ? fixed4(x) : special(x));
  }
  let width = 0;
  for (let i = 0; i < data.length; i++) width = Math.max(width, fmt(data[i]).length);
  return { fmt, width };
}

function fixed4(x: number): string {
  const s = x.toFixed(4);
  return s === "-0.0000" && x === 0 ? "0.0000" : s;
}

function special(x: number): string {
  return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
}

function sci(x: number): string {
  if (!Number.isFinite(x)) return special(x);
  const [mant, exp] = x.toExponential(4).split("e");
  const e = Number(exp);
  return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** Formats `data` with `shape` between `prefix` and `suffix`, e.g. `tensor(` and `)`. */
export function formatTensor(
  data: Float32Array,
  shape: readonly number[],
  prefix: string,
  suffix: string,
): string {
  if (data.length === 0) {
    return shape.length <= 1 ? `${prefix}[]${suffix}` : `${prefix}[], size=(${shape.join(", ")})${suffix}`;
  }
  const { fmt, width } = makeFormatter(data);
  if (shape.length === 0) return `${prefix}${fmt(data[0])}${suffix}`;
  const summarize = data.length > THRESHOLD;
  const pad = (x: number) => fmt(x).padStart(width);

  const strides: number[] = new Array(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  const pick = (n: number): (number | null)[] => {
    if (!summarize || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
    return [0, 1, 2, null, n - 3, n - 2, n - 1];
  };

  const render = (dim: number, offset: number, indent: number): string => {
    const items = pick(shape[dim]);
    if (dim === shape.length - 1) {
      const cells = items.map((i) => (i === null ? " ..." : pad(data[offset + i])));
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < cells.length; i += perLine) lines.push(cells.slice(i, i + perLine).join(", "));
      return `[${lines.join(",\n" + " ".repeat(indent + 1))}]`;
    }
    const rest = shape.length - dim;
    const parts = items.map((i) => (i === null ? "..." : render(dim + 1, offset + i * strides[dim], indent + 1)));
    return `[${parts.join("," + "\n".repeat(rest - 1) + " ".repeat(indent + 1))}]`;
  };
  return `${prefix}${render(0, 0, prefix.length)}${suffix}`;
}
