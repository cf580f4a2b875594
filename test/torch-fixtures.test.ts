// Every case of test/fixtures/torch-embedding.json, step by step. The file is computed by PyTorch itself
// (test/generators/torch_fixtures_embedding.py; test/torch-generators.test.ts keeps it from drifting).
import { describe, expect, it } from "vitest";
import { Adagrad, Adam, Embedding, type Optimizer, RowSparseGrad, SGD, SparseAdam, Tensor } from "../src/index.js";
import { expectClose, loadFixtures, num } from "./helpers.js";

const fixtures = loadFixtures();

function makeOptimizer(params: Embedding["params"], spec: any): Optimizer | null {
  if (spec === null) return null;
  const pick = (keys: string[]) => Object.fromEntries(keys.filter((k) => spec[k] !== undefined && spec[k] !== null).map((k) => [k, spec[k]]));
  switch (spec.type) {
    case "sgd":
      return new SGD(params, pick(["lr", "momentum", "dampening", "nesterov", "weightDecay"]) as any);
    case "adagrad":
      return new Adagrad(params, pick(["lr", "lrDecay", "weightDecay", "initialAccumulatorValue", "eps"]));
    case "adam":
      return new Adam(params, pick(["lr", "betas", "eps", "weightDecay"]) as any);
    case "sparse_adam":
      return new SparseAdam(params, pick(["lr", "betas", "eps"]) as any);
  }
  throw new Error(`unknown optimizer ${spec.type}`);
}

function options(o: any) {
  const out: any = { ...o };
  if (out.normType !== undefined) out.normType = num(out.normType);
  return out;
}

describe("PyTorch reference cases", () => {
  it("has cases to run, computed by PyTorch", () => {
    expect(fixtures.cases.length).toBeGreaterThan(30);
    expect(fixtures.torch_version).toMatch(/^1\.13/);
  });

  for (const c of fixtures.cases) {
    it(c.name, () => {
      const V = c.num_embeddings;
      const H = c.embedding_dim;
      const weight = new Tensor(new Float32Array(c.weight.map(num)), [V, H]);
      const emb = c.from_pretrained
        ? Embedding.fromPretrained(weight.clone(), { ...options(c.options), freeze: c.from_pretrained.freeze })
        : new Embedding(V, H, { ...options(c.options), weight });
      const opt = makeOptimizer(emb.params, c.optimizer);
      c.steps.forEach((s: any, k: number) => {
        const at = `${c.name} step ${k}`;
        opt?.zeroGrad();
        emb.weight.zeroGrad();
        const out = emb.forward(s.indices);
        expect(out.shape, `${at}: output shape`).toEqual(s.output_shape);
        expectClose(out.data, s.output, `${at}: output`);
        if (s.weight_after_forward) expectClose(emb.weight.data, s.weight_after_forward, `${at}: weight after forward`);
        emb.backward(new Tensor(new Float32Array(s.dout.map(num)), s.output_shape));
        const g = emb.weight.grad;
        if (s.grad === null) {
          expect(g, `${at}: a frozen table gets no gradient`).toBeNull();
        } else if (c.options.sparse) {
          expect(g).toBeInstanceOf(RowSparseGrad);
          // embedkit keeps PyTorch's uncoalesced form (one row per position); coalesced, it is PyTorch's gradient.
          const sg = (g as RowSparseGrad).coalesce();
          expect(sg.coalesced).toBe(true);
          expect(Array.from(sg.rows), `${at}: sparse rows`).toEqual(s.sparse_grad.rows);
          expectClose(sg.values.data, s.sparse_grad.values, `${at}: sparse values`);
          expectClose(sg.toDense().data, s.grad, `${at}: sparse grad as dense`);
        } else {
          expect(g).toBeInstanceOf(Tensor);
          expectClose((g as Tensor).data, s.grad, `${at}: grad`);
        }
        if (opt) {
          opt.step();
          expectClose(emb.weight.data, s.weight_after_step, `${at}: weight after step`);
        }
      });
    });
  }
});

describe("PyTorch reference bad inputs", () => {
  for (const e of fixtures.errors) {
    it(`${e.name} throws, mentioning ${JSON.stringify(e.match)}, and changes nothing`, () => {
      const V = e.num_embeddings ?? 10;
      const H = e.embedding_dim ?? 3;
      const toIdx = (x: any): any => (Array.isArray(x) ? x.map(toIdx) : typeof x === "string" ? Number(x) : x);
      let act: () => unknown;
      let emb: Embedding | null = null;
      if (e.kind === "construct") act = () => new Embedding(V, H, options(e.options ?? {}));
      else if (e.kind === "from-pretrained") act = () => Embedding.fromPretrained(Tensor.zeros(e.weight_shape));
      else if (e.kind === "optimizer") act = () => makeOptimizer(new Embedding(4, 2, { seed: 1 }).params, e.optimizer);
      else {
        emb = new Embedding(V, H, { seed: 3 });
        if (e.kind === "backward") emb.forward(toIdx(e.indices));
        const target = emb;
        act =
          e.kind === "forward"
            ? () => target.forward(toIdx(e.indices))
            : () => target.backward(Tensor.zeros(e.dout_shape));
      }
      const before = emb?.weight.data.slice();
      const gradBefore = emb?.weight.grad;
      expect(act).toThrow(e.match);
      if (emb) {
        expect(emb.weight.data).toEqual(before);
        expect(emb.weight.grad).toBe(gradBefore);
      }
    });
  }
});
