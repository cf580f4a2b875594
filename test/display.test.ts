// Rich display: heat-map tables, gradient views, SVG charts, parameter summaries.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import {
  barChart,
  colorBar,
  Embedding,
  heatMap,
  logTickLabeller,
  Figure,
  linePlot,
  Parameter,
  RowSparseGrad,
  scatterPlot,
  sideBySide,
  summary,
  table,
  Tensor,
  tensorHtml,
  show,
} from "../src/index.js";

const JUPYTER = Symbol.for("Jupyter.display");
type Bundle = Record<string, string>;
const bundle = (x: unknown): Bundle => (x as { [JUPYTER](): Bundle })[JUPYTER]();
const count = (s: string, sub: string) => s.split(sub).length - 1;

describe("tensor display", () => {
  it("a Tensor shows a heat-map table in Jupyter and the PyTorch-style text as plain text", () => {
    const t = Tensor.from([[1.5, -2], [0, 0.25]]);
    const b = bundle(t);
    expect(b["text/plain"]).toBe(String(t));
    expect(b["text/plain"]).toBe("tensor([[ 1.5000, -2.0000],\n        [ 0.0000,  0.2500]])");
    expect(b["text/html"]).toContain("<table");
    expect(b["text/html"]).toContain("shape [2, 2]");
    expect(count(b["text/html"], "<tr>")).toBe(3); // header + 2 rows
    // the largest magnitude gets the strongest colour: -2 is the blue end, 1.5 a strong red
    expect(b["text/html"]).toContain("background:rgb(33, 102, 172)");
    expect(b["text/html"]).toMatch(/background:rgb\(1\d\d, \d\d, \d\d\);color:#ffffff">1\.5000/);
  });

  it("numbers read like the text form: integers as '1.', otherwise 4 decimals", () => {
    expect(bundle(Tensor.from([[1, 2]]))["text/html"]).toContain(">2.</td>");
    expect(bundle(Tensor.from([0.5, 1]))["text/html"]).toContain(">0.5000</td>");
    expect(bundle(Tensor.from([1e-5, 2e-4]))["text/html"]).toContain(">2.0000e-04</td>");
  });

  it("all-zero rows are dimmed, and a gradient marks and lists its non-zero rows", () => {
    const g = Tensor.from([[0, 0], [1, -1], [0, 0], [2, 0]]);
    const html = tensorHtml(g, { title: "dW", gradient: true });
    expect(html).toContain("non-zero rows: 1, 3 (2 of 4)");
    expect(count(html, "border-left:3px solid #e15759")).toBe(2);
    expect(count(html, "color:#c0c4cc")).toBe(4); // the two zero rows, 2 cells each
  });

  it("a tall gradient shows only its non-zero rows, with the runs of zero rows between them", () => {
    const g = Tensor.zeros([1000, 4]);
    g.data.fill(1, 5 * 4, 6 * 4);
    g.data.fill(2, 700 * 4, 701 * 4);
    const html = tensorHtml(g, { gradient: true });
    expect(html).toContain("non-zero rows: 5, 700 (2 of 1000)");
    expect(html).toContain("⋯ 5 zero rows ⋯");
    expect(html).toContain("⋯ 694 zero rows ⋯");
    expect(html).toContain("⋯ 299 zero rows ⋯");
    expect(count(html, "<tr>")).toBe(1 + 2 + 3);
  });

  it("large tensors are summarised with ellipses, as the text form is", () => {
    const t = Tensor.randn([2000, 768], { seed: 1 });
    const html = tensorHtml(t);
    expect(count(html, "<tr>")).toBe(1 + 3 + 1 + 3); // header, 3 rows, ⋮, 3 rows
    expect(html).toContain(">1999</th>");
    expect(html).toContain(">767</th>");
    expect(html.length).toBeLessThan(20000);
    const tall = tensorHtml(Tensor.zeros([100, 6])); // 600 elements, but 100 rows: 10 + ⋮ + 10
    expect(count(tall, "<tr>")).toBe(1 + 10 + 1 + 10);
  });

  it("0-D, 1-D, empty and 3-D tensors render", () => {
    expect(tensorHtml(Tensor.from(3))).toContain(">3.</td>");
    expect(count(tensorHtml(Tensor.from([1, 2, 3])), "<td")).toBe(3);
    expect(tensorHtml(Tensor.zeros([0, 3]))).toContain("(empty)");
    const t3 = tensorHtml(Tensor.zeros([2, 3, 4]));
    expect(t3).toContain("[0, :, :]");
    expect(t3).toContain("[1, :, :]");
    expect(count(t3, "<table")).toBe(2);
  });

  it("a Parameter shows its data and, beside it, its gradient's non-zero rows", () => {
    const emb = new Embedding(5, 3, { seed: 0 });
    expect(bundle(emb.weight)["text/html"]).toContain("Parameter · requires grad");
    expect(bundle(emb.weight)["text/html"]).not.toContain("<b>grad");
    emb.forward([[0, 2, 2]]);
    emb.backward(Tensor.ones([1, 3, 3]));
    const b = bundle(emb.weight);
    expect(b["text/plain"]).toBe(String(emb.weight));
    expect(b["text/html"]).toContain("<b>grad</b>");
    expect(b["text/html"]).toContain("non-zero rows: 0, 2 (2 of 5)");
    const frozen = Embedding.fromPretrained(Tensor.ones([2, 2]));
    expect(bundle(frozen.weight)["text/html"]).toContain("frozen (requiresGrad = false)");
  });

  it("a RowSparseGrad shows its stored rows over the dense shape", () => {
    const g = new RowSparseGrad(new Int32Array([1, 3]), Tensor.from([[1, 2], [3, 4]]), [5, 2]);
    const b = bundle(g);
    expect(b["text/plain"]).toBe(String(g));
    expect(b["text/html"]).toContain("2 of 5 rows stored");
    expect(b["text/html"]).toContain("stored rows: 1, 3");
    expect(count(b["text/html"], ">·</td>")).toBe(6); // rows 0, 2, 4 are absent
    const emb = new Embedding(100, 2, { seed: 0, sparse: true });
    emb.forward([7, 7, 60]);
    emb.backward(Tensor.ones([3, 2]));
    const html = bundle(emb.weight)["text/html"];
    expect(html).toContain("grad · RowSparseGrad");
    expect(html).toContain("⋯ 52 absent rows ⋯");
  });

  it("escapes titles", () => {
    expect(tensorHtml(Tensor.zeros([1]), { title: "<b>&" })).toContain("&lt;b&gt;&amp;");
  });
});

describe("SVG charts", () => {
  it("linePlot draws one polyline per series, a legend, axes labels and a title", () => {
    const fig = linePlot(
      [
        { name: "lookup", x: [10, 100, 1000], y: [1, 1.1, 1.2] },
        { name: "one-hot <matmul>", x: [10, 100, 1000], y: [2, 20, 200] },
      ],
      { title: "cost", xLabel: "V", yLabel: "ms", logX: true, logY: true },
    );
    expect(fig).toBeInstanceOf(Figure);
    expect(fig.svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(fig.svg.endsWith("</svg>")).toBe(true);
    expect(count(fig.svg, "<polyline")).toBe(2);
    expect(fig.svg).toContain(">one-hot &lt;matmul&gt;</text>");
    expect(fig.svg).toContain(">cost</text>");
    expect(fig.svg).toContain(">1000</text>"); // a power-of-ten tick
    expect(bundle(fig)["image/svg+xml"]).toBe(fig.svg);
    expect(String(fig)).toBe(fig.svg);
  });

  it("linePlot takes plain numbers as one series against 0, 1, 2, ...", () => {
    const fig = linePlot(new Float32Array([3, 2, 1]));
    expect(count(fig.svg, "<polyline")).toBe(1);
    expect(count(fig.svg, "<circle")).toBe(3);
  });

  it("linePlot rejects bad input naming the argument", () => {
    expect(() => linePlot([{ y: [1, 0] }], { logY: true })).toThrow(/^linePlot: series\[0\]\.y\[1\] must be > 0 on a log axis, got 0$/);
    expect(() => linePlot([{ x: [1, 2], y: [1] }])).toThrow(/linePlot: series\[0\] has 2 x values but 1 y values/);
    expect(() => linePlot([1, NaN])).toThrow(TypeError);
    expect(() => linePlot([1, 2], { colour: "red" } as never)).toThrow(/linePlot: unknown option "colour"/);
    expect(() => linePlot([1, 2], { width: 10 })).toThrow(/linePlot: width must be a number >= 160, got 10/);
  });

  it("scatterPlot labels points and keeps labels apart", () => {
    const pts = [
      { x: 0, y: 0, label: "you", group: "a" },
      { x: 0.001, y: 0.001, label: "say", group: "b" },
      { x: 1, y: 1, label: "<hello>" },
    ];
    const fig = scatterPlot(pts, { title: "PCA", equalAspect: true });
    expect(count(fig.svg, "<circle")).toBe(3 + 2); // points + legend dots
    expect(fig.svg).toContain(">&lt;hello&gt;</text>");
    const pos = [...fig.svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" font-size="12" fill="#1f2937">(you|say)</g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(pos).toHaveLength(2);
    expect(pos[0][0] !== pos[1][0] || pos[0][1] !== pos[1][1]).toBe(true);
    expect(() => scatterPlot([])).toThrow(/scatterPlot: points must be a non-empty array/);
    expect(() => scatterPlot([{ x: 1, y: NaN }])).toThrow(/scatterPlot: points\[0\] must have finite numbers x and y/);
  });

  it("barChart shows every bar with its value", () => {
    const fig = barChart([{ label: "a", value: 1234567 }, { label: "b", value: 0 }], { title: "t" });
    expect(count(fig.svg, "<rect")).toBe(1 + 2);
    expect(fig.svg).toContain(">1,234,567</text>");
    expect(() => barChart([{ label: "a", value: -1 }])).toThrow(/barChart: bars\[0\] must be/);
  });
});

/** BERT-base Chinese, part by part (the shapes of Hugging Face's bert-base-chinese). */
function bertBaseChinese() {
  const H = 768, heads = 12, dHead = 64, layers = 12, ffn = 3072;
  return summary([
    { name: "token embedding", params: [21128, H] },
    { name: "position embedding", params: [512, H] },
    { name: "segment embedding", params: [2, H] },
    { name: "embedding LayerNorm", params: [[H], [H]] },
    { name: "Q per head", params: [[H, dHead], [dHead]], repeat: [heads, layers] },
    { name: "K per head", params: [[H, dHead], [dHead]], repeat: [heads, layers] },
    { name: "V per head", params: [[H, dHead], [dHead]], repeat: [heads, layers] },
    { name: "attention output", params: [[heads * dHead, H], [H]], repeat: layers },
    { name: "attention LayerNorm", params: [[H], [H]], repeat: layers },
    { name: "FFN 768→3072", params: [[H, ffn], [ffn]], repeat: layers },
    { name: "FFN 3072→768", params: [[ffn, H], [H]], repeat: layers },
    { name: "FFN LayerNorm", params: [[H], [H]], repeat: layers },
    { name: "pooler", params: [[H, H], [H]] },
  ]);
}

describe("summary", () => {
  it("BERT-base Chinese: the token table is 21128 × 768 = 16,226,304 and the total is 102,267,648", () => {
    const s = bertBaseChinese();
    expect(s.rows[0].count).toBe(16_226_304);
    expect(s.rows[4].count).toBe(12 * 12 * (768 * 64 + 64));
    expect(s.total).toBe(102_267_648); // what PyTorch counts for bert-base-chinese's BertModel
    expect(s.trainable).toBe(s.total);
    expect(String(s)).toContain("Total params: 102,267,648 (390.12 MiB as float32)");
    expect(String(s)).toMatch(/\nQ per head +\[768, 64\] \+ \[64\] +12 × 12 +7,087,104\n/);
  });

  it("Wide & Deep: Σ vocab_i × e_i + DNN + wide + output", () => {
    const fields = [["user id", 50_000, 32], ["item id", 20_000, 32], ["category", 500, 16], ["city", 300, 8], ["device", 10, 4]] as const;
    const deepIn = fields.reduce((a, [, , e]) => a + e, 0) + 8;
    const s = summary([
      ...fields.map(([name, v, e]) => ({ name: `${name} embedding`, params: [v, e] })),
      { name: "DNN 100→256", params: [[deepIn, 256], [256]] },
      { name: "DNN 256→128", params: [[256, 128], [128]] },
      { name: "DNN 128→64", params: [[128, 64], [64]] },
      { name: "wide (crossed features)", params: [10_000] },
      { name: "output", params: [[64], [1]] },
    ]);
    expect(deepIn).toBe(100);
    expect(s.total).toBe(2_250_440 + 67_008 + 10_000 + 65);
  });

  it("counts layers by their params and frozen ones as non-trainable", () => {
    const emb = new Embedding(10, 4, { seed: 0 });
    const frozen = Embedding.fromPretrained(Tensor.ones([3, 4]));
    const s = summary([{ name: "emb", params: emb }, { name: "pretrained", params: frozen }, { name: "w", params: new Parameter(new Float32Array(6), [2, 3]) }]);
    expect(s.rows.map((r) => r.type)).toEqual(["Embedding", "Embedding", ""]);
    expect([s.total, s.trainable, s.nonTrainable]).toEqual([40 + 12 + 6, 46, 12]);
    expect(bundle(s)["text/html"]).toContain("(frozen)");
    expect(bundle(s)["text/plain"]).toBe(String(s));
  });

  it("rejects bad entries naming the entry", () => {
    expect(() => summary([{ name: "x", params: [3, -1] }])).toThrow(/^summary: entries\[0\]\.params\[1\] must be >= 0, got -1$/);
    expect(() => summary([{ name: "x", params: [3], repeat: 0 }])).toThrow(/^summary: entries\[0\]\.repeat must be >= 1, got 0$/);
    expect(() => summary([{ name: "x", params: [3], repeat: [2, 1.5] }])).toThrow(/summary: entries\[0\]\.repeat\[1\] must be an integer, got 1.5/);
    expect(() => summary([{ name: 1, params: [3] } as never])).toThrow(/summary: entries\[0\]\.name must be a string, got 1/);
    expect(() => summary([{ name: "x", params: "big" } as never])).toThrow(/summary: entries\[0\]\.params must be a shape/);
    expect(() => summary([{ name: "x", params: [3], size: 2 } as never])).toThrow(/unknown option "size"/);
  });
});

describe("tables and layout", () => {
  it("table aligns text left and numbers right", () => {
    const t = table([{ word: "say", similarity: 0.91234 }, { word: "goodbye", similarity: 0.4 }], { digits: 2 });
    expect(String(t)).toBe("word      similarity\nsay             0.91\ngoodbye          0.4");
    expect(bundle(t)["text/html"]).toContain("<th");
  });

  it("sideBySide puts tensors, figures and text under captions", () => {
    const view = sideBySide({ before: Tensor.ones([2, 3]), after: Tensor.zeros([2, 3]), plot: linePlot([1, 2]), note: "lr 0.1" });
    const b = bundle(view);
    expect(count(b["text/html"], "<table")).toBe(2);
    expect(b["text/html"]).toContain("<svg");
    expect(b["text/plain"]).toContain("after:\ntensor([[0., 0., 0.],");
    expect(() => sideBySide({ x: 3 } as never)).toThrow(/sideBySide: items\["x"\] must be a tensor, a figure or a string, got 3/);
  });
});

it("the display code has no node: imports (the core runs in browsers)", () => {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "display");
  for (const f of readdirSync(dir)) {
    expect(readFileSync(join(dir, f), "utf8"), f).not.toMatch(/from "node:|require\(/);
  }
});

describe("show and equal-aspect scatter", () => {
  it("show prints the text form outside a Jupyter kernel", async () => {
    const lines: unknown[] = [];
    const log = console.log;
    console.log = (x: unknown) => lines.push(x);
    try {
      await show(Tensor.from([1, 2]), 3);
    } finally {
      console.log = log;
    }
    expect(lines).toEqual(["tensor([1., 2.])", 3]);
  });

  it("equalAspect keeps circles round", () => {
    const fig = scatterPlot([{ x: -3, y: 0.5 }, { x: 2, y: -0.5 }], { equalAspect: true, circles: [{ x: 0, y: 0, r: 1 }] });
    const m = /<ellipse [^>]*rx="([\d.]+)" ry="([\d.]+)"/.exec(fig.svg);
    expect(m).not.toBeNull();
    expect(Math.abs(Number(m![1]) - Number(m![2]))).toBeLessThan(2);
    expect(() => scatterPlot([{ x: 0, y: 0 }], { arrows: [[0, 3]] })).toThrow(/scatterPlot: arrows\[0\] = \[0, 3\] must hold point indices in \[0, 0\]/);
  });
});

/** The background colour of every cell that shows `text`, in an HTML heat map. */
const cellColours = (html: string, text: string) =>
  [...html.matchAll(new RegExp(`background:(rgb\\([^)]*\\));color:#[0-9a-f]+[^"]*">${text.replace(/\./g, "\\.")}</td>`, "g"))].map((m) => m[1]);

describe("shared colour scales and colour bars", () => {
  it("sideBySide with sharedScale gives a value the same colour in every panel, and 0.99 another than 1", () => {
    const before = Tensor.from([[1, 1, 1], [1, 1, 1]]);
    const after = Tensor.from([[0.99, 0.99, 0.97], [1, 1, 1]]);
    const own = bundle(sideBySide({ before, after }))["text/html"];
    // each panel on its own scale: the 1s of "before" are the dark end, the 1s of "after" too, and 0.99 nearly so
    const html = bundle(sideBySide({ before, after }, { sharedScale: true }))["text/html"];
    const ones = cellColours(html, "1.0000");
    expect(ones).toHaveLength(3); // "after" shows 4 decimals
    expect(new Set([...ones, ...cellColours(html, "1.")]).size).toBe(1); // every 1 alike in both panels
    const c99 = cellColours(html, "0.9900");
    expect(c99).toHaveLength(2);
    expect(c99[0]).not.toBe(ones[0]);
    expect(cellColours(html, "0.9700")[0]).not.toBe(c99[0]);
    expect(count(html, "<linearGradient")).toBe(1); // one colour bar for the group
    expect(html).toContain("one colour scale for all these panels");
    expect(own).not.toContain("<linearGradient");
  });

  it("sharedScale as a list shares one scale among those captions; the others get their own bar", () => {
    const W = Tensor.from([[1, 2], [3, 4]]);
    const view = sideBySide({ before: W, after: Tensor.from([[1, 2], [2.9, 3.9]]), grad: Tensor.from([[0, 0], [1, 1]]) }, { sharedScale: ["before", "after"], gradient: ["grad"] });
    const html = bundle(view)["text/html"];
    expect(count(html, "<linearGradient")).toBe(2);
    expect(String(view)).toContain("colour scale shared by: before, after");
    expect(() => sideBySide({ a: W }, { sharedScale: ["b"] })).toThrow(/^sideBySide: options\.sharedScale names "b", which is not a caption of items$/);
    expect(() => sideBySide({ a: W }, { sharedScale: 1 } as never)).toThrow(/sideBySide: options\.sharedScale must be a boolean or an array of captions, got 1/);
  });

  it("a scale that spans zero diverges around it; a one-signed scale runs light to dark", () => {
    const sym = heatMap(Tensor.from([[-1, 0.5, 1]]), { scale: { min: -1, max: 1 } }).html;
    expect(sym).toContain("background:rgb(33, 102, 172)"); // -1: the blue end
    expect(sym).toContain("background:rgb(178, 24, 43)"); // 1: the red end
    const pos = heatMap(Tensor.from([[0.97, 0.99, 1]]), { scale: { min: 0.97, max: 1 } }).html;
    const colours = ["0.9700", "0.9900", "1.0000"].map((v) => cellColours(pos, v)[0]);
    expect(new Set(colours).size).toBe(3);
    expect(colours[2]).toBe("rgb(178, 24, 43)");
  });

  it("heatMap names rows and columns, outlines rows and draws a colour bar", () => {
    const words = ["you", "say", "goodbye"];
    const sim = Tensor.from([[1, 0.2, -0.5], [0.2, 1, 0], [-0.5, 0, 1]]);
    const view = heatMap(sim, { rowLabels: words, colLabels: words, scale: { min: -1, max: 1 }, highlightRows: [1], highlightLabel: "rows read" });
    expect(view.html).toContain(">goodbye</th>");
    expect(view.html).toContain(">▶ say</th>");
    expect(view.html).toContain("rows read: say");
    expect(count(view.html, "border-top:2px solid #f59e0b")).toBe(3);
    expect(view.html).toContain("<linearGradient");
    expect(String(view)).toBe(String(sim));
    expect(() => heatMap(sim, { rowLabels: ["a"] })).toThrow(/^heatMap: rowLabels has 1 names for 3 rows$/);
    expect(() => heatMap(sim, { highlightRows: [3] })).toThrow(/^heatMap: highlightRows\[0\] = 3 is out of range \[0, 2\]$/);
    expect(() => heatMap(sim, { highlightRows: [0.5] })).toThrow(TypeError);
    expect(() => heatMap(sim, { scale: { min: 1, max: 0 } })).toThrow(/heatMap: scale must be \{ min, max \} with finite min <= max/);
    expect(() => heatMap([[1]] as never)).toThrow(/^heatMap: t must be a Tensor, got/);
  });

  it("colorBar labels both ends and zero", () => {
    const bar = colorBar({ min: -2, max: 1 }, { label: "dW" });
    expect(bar.html).toContain(">-2.</text>");
    expect(bar.html).toContain(">0.</text>");
    expect(bar.html).toContain(">dW</text>");
    expect(() => colorBar({ min: NaN, max: 1 })).toThrow(RangeError);
  });
});

describe("tick labels and label placement", () => {
  it("log-axis ticks are all plain decimals, or all powers of ten, never mixed", () => {
    const label = logTickLabeller([0.05, 0.1, 0.2, 0.5, 1]);
    expect([0.05, 0.1, 0.2, 0.5, 1].map(label)).toEqual(["0.05", "0.1", "0.2", "0.5", "1"]);
    const tiny = logTickLabeller([1e-5, 2e-5, 5e-5, 1e-4]);
    expect([1e-5, 2e-5, 5e-5, 1e-4].map(tiny)).toEqual(["10⁻⁵", "2×10⁻⁵", "5×10⁻⁵", "10⁻⁴"]);
    const fig = linePlot([{ x: [1, 2], y: [0.04, 0.6] }], { logY: true });
    const ticks = [...fig.svg.matchAll(/text-anchor="end" fill="#4b5563">([^<]*)</g)].map((m) => m[1]);
    expect(ticks.length).toBeGreaterThan(2);
    for (const t of ticks) expect(t).toMatch(/^\d+(\.\d+)?$/);
  });

  it("legend: below puts the legend under the plot, outside the clipped plot area", () => {
    const series = [{ name: "per interval", y: [3, 2, 1] }, { name: "running mean", y: [3, 2.5, 2] }];
    const inside = linePlot(series, { height: 300 });
    const below = linePlot(series, { height: 300, legend: "below" });
    expect(inside.svg).toContain('height="300"');
    expect(below.svg).toContain(`height="${300 + 2 * 18 + 10}"`);
    expect(below.svg).toMatch(/<\/g><line [^>]*\/><text [^>]*>per interval<\/text>/);
    expect(() => linePlot(series, { legend: "left" } as never)).toThrow(/^linePlot: legend must be "inside" or "below", got "left"$/);
    const scatter = scatterPlot([{ x: 0, y: 0, group: "a" }, { x: 1, y: 1, group: "b" }], { height: 300, legend: "below" });
    expect(scatter.svg).toContain(`height="${300 + 2 * 18 + 10}"`);
    expect(scatter.svg).toMatch(/<\/g><circle [^>]*\/><text [^>]*>a<\/text><circle [^>]*\/><text [^>]*>b<\/text><\/svg>$/);
  });

  it("a dashed line has a dashed legend swatch; a solid one a solid swatch", () => {
    const fig = linePlot([{ name: "solid", y: [1, 2, 3] }, { name: "dashed", y: [3, 2, 1], dashed: true }], { legend: "below" });
    expect(fig.svg).toMatch(/<line [^>]*stroke-width="2.5"\/><text [^>]*>solid<\/text>/);
    expect(fig.svg).toMatch(/<line [^>]*stroke-width="2.5" stroke-dasharray="5 3"\/><text [^>]*>dashed<\/text>/);
  });

  it("by default a legend that would hide a point in every corner goes below the plot", () => {
    // a point in each corner of the plot area and a 5 × 5 grid between them
    const pts = [];
    for (let i = 0; i <= 4; i++) for (let j = 0; j <= 4; j++) pts.push({ x: i, y: j, group: i % 2 === 0 ? "even" : "odd" });
    const auto = scatterPlot(pts, { height: 300 });
    expect(auto.svg).toContain(`height="${300 + 2 * 18 + 10}"`);
    const forced = scatterPlot(pts, { height: 300, legend: "inside" });
    expect(forced.svg).toContain('height="300"');
    const free = scatterPlot([{ x: 0, y: 0, group: "a" }, { x: 1, y: 1, group: "b" }], { height: 300 });
    expect(free.svg).toContain('height="300"');
  });

  it("a colour bar widens to hold its caption; sideBySide keeps its row on one line", () => {
    const caption = "one colour scale: W before, W after = W − 0.1·dW, and a long caption";
    const bar = colorBar({ min: 0, max: 1 }, { label: caption });
    const width = Number(/width="(\d+)"/.exec(bar.html)![1]);
    expect(width).toBeGreaterThanOrEqual(caption.length * 6);
    const eq = sideBySide({ x: Tensor.ones([2, 2]), "×": "", W: Tensor.ones([2, 2]), "=": "", out: Tensor.ones([2, 2]) });
    expect(eq.html).toContain("flex-wrap:nowrap;overflow-x:auto");
    expect(eq.html).toMatch(/font-size:26px[^>]*>×<\/div>/);
    expect(String(eq)).toContain("\n\n×\n\n");
  });

  it("labels of a dense cluster do not overlap each other", () => {
    // twelve points within a few pixels of each other, with long labels
    const pts = Array.from({ length: 12 }, (_, i) => ({ x: 5 + (i % 4) * 0.02, y: 5 + Math.floor(i / 4) * 0.02, label: `word${i}xx` }));
    pts.push({ x: 0, y: 0, label: "far" }, { x: 10, y: 10, label: "away" });
    const fig = scatterPlot(pts, { width: 640, height: 420 });
    const boxes = [...fig.svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" font-size="12" fill="#1f2937">([^<]*)</g)].map((m) => ({
      x: Number(m[1]), y: Number(m[2]) - 11, w: m[3].length * 0.62 * 12, h: 14,
    }));
    expect(boxes).toHaveLength(14);
    for (let a = 0; a < boxes.length; a++) {
      for (let b = a + 1; b < boxes.length; b++) {
        const A = boxes[a], B = boxes[b];
        const hit = A.x < B.x + B.w && B.x < A.x + A.w && A.y < B.y + B.h && B.y < A.y + A.h;
        expect(hit, `labels ${a} and ${b} overlap`).toBe(false);
      }
    }
    expect(fig.svg).toContain('stroke="#9ca3af" stroke-width="0.8"'); // labels pushed away get a leader line
  });
});
