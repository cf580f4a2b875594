// Tied weights against PyTorch: several layers over one table in one step (test/fixtures/torch-tied.json,
// made by test/generators/torch_fixtures_tied.py). The gradient is the sum of every layer's, and the
// optimizer applies it once.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expectClose, num } from "./helpers.js";
import { Adagrad, Adam, Embedding, EmbeddingBag, Linear, RowSparseGrad, SGD, Tensor, type Optimizer, type Parameter } from "../src/index.js";

const doc = JSON.parse(readFileSync(resolve(import.meta.dirname, "fixtures", "torch-tied.json"), "utf8"));
const f32 = (xs: (number | string)[]) => new Float32Array(xs.map(num));

function optimizer(p: Parameter, spec: { type: string; lr: number }): Optimizer {
  if (spec.type === "sgd") return new SGD([p], { lr: spec.lr });
  if (spec.type === "adagrad") return new Adagrad([p], { lr: spec.lr });
  if (spec.type === "adam") return new Adam([p], { lr: spec.lr });
  throw new Error(spec.type);
}

describe("tied weights against PyTorch", () => {
  it("has the cases: two lookups over one table, and Embedding + EmbeddingBag + Linear, dense and sparse", () => {
    expect(doc.torch_version).toMatch(/^1\.13/);
    const names = doc.cases.map((c: { name: string }) => c.name);
    expect(names).toContain("two-embeddings-sgd-sparse");
    expect(names).toContain("embedding-bag-linear-adam-dense");
    expect(names).toContain("embedding-bag-linear-adagrad-sparse");
  });

  for (const c of doc.cases) {
    it(c.name, () => {
      const { V, H } = c;
      const lin = new Linear(H, V, { bias: false, seed: 0 });
      const table = lin.weight; // [V, H], the one Parameter every layer shares
      table.data.set(f32(c.weight));
      const layers = c.layers.map((s: any) => {
        if (s.kind === "embedding") return new Embedding(V, H, { weight: table, sparse: s.sparse, paddingIdx: s.paddingIdx ?? null });
        if (s.kind === "bag") return new EmbeddingBag(V, H, { weight: table, sparse: s.sparse, mode: s.mode });
        return lin;
      });
      for (const l of layers) expect(l.weight).toBe(table);
      const opt = optimizer(table, c.optimizer);
      c.steps.forEach((s: any, k: number) => {
        const at = `${c.name} step ${k}`;
        // forwards first, then backwards, as one autograd graph
        const outs = layers.map((l: any, i: number) => {
          const x = s.inputs[i];
          if (l instanceof Embedding) return l.forward(x);
          if (l instanceof EmbeddingBag) return l.forward(Int32Array.from(x.input), Int32Array.from(x.offsets));
          return l.forward(Tensor.from(x));
        });
        layers.forEach((l: any, i: number) => l.backward(new Tensor(f32(s.douts[i]), outs[i].shape)));
        const g = table.grad!;
        expect(g instanceof RowSparseGrad, `${at}: sparse gradient`).toBe(s.grad_sparse);
        expectClose((g instanceof RowSparseGrad ? g.toDense() : g).data, s.grad, `${at}: grad`);
        opt.step();
        expect(table.grad, `${at}: the step clears the gradient`).toBeNull();
        expectClose(table.data, s.weight_after_step, `${at}: weight after step`);
      });
    });
  }
});
