// EmbeddingBag, Linear and ReLU against PyTorch 1.13: the cases in test/fixtures/torch-layers.json were
// computed by test/generators/torch_fixtures_layers.py (scaleGradByFreq by its documented meaning,
// nn.Embedding's counts then the bag's reduction, not PyTorch 1.13's buggy CPU EmbeddingBag).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Adagrad, Adam, EmbeddingBag, Linear, ReLU, RowSparseGrad, SparseAdam, Tensor, type BagMode } from "../src/index.js";
import { expectClose, num } from "./helpers.js";

const fx = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/torch-layers.json", import.meta.url)), "utf8"));
const f32 = (xs: (number | string)[]) => Float32Array.from(xs.map(num));

interface BagCase {
  name: string;
  V: number;
  H: number;
  mode: BagMode;
  weight: number[];
  input: number[];
  input_shape: number[];
  offsets: number[] | null;
  include_last_offset: boolean;
  padding_idx: number | null;
  max_norm: number | null;
  norm_type: number | string;
  scale_grad_by_freq: boolean;
  sparse: boolean;
  freeze?: boolean;
  per_sample_weights: number[] | null;
  dout: number[];
  out: number[];
  out_shape: number[];
  weight_after_forward?: number[];
  grad_weight: number[] | null;
  grad_rows?: number[];
  grad_per_sample_weights: number[] | null;
}

function makeBag(c: BagCase): EmbeddingBag {
  const options = {
    mode: c.mode,
    paddingIdx: c.padding_idx,
    maxNorm: c.max_norm,
    normType: num(c.norm_type),
    scaleGradByFreq: c.scale_grad_by_freq,
    sparse: c.sparse,
    includeLastOffset: c.include_last_offset,
  };
  const weight = new Tensor(f32(c.weight), [c.V, c.H]);
  if (c.freeze !== undefined) return EmbeddingBag.fromPretrained(weight, { ...options, freeze: c.freeze });
  return new EmbeddingBag(c.V, c.H, { ...options, weight });
}

describe("EmbeddingBag against PyTorch", () => {
  expect(fx.torch_version).toMatch(/^1\.13/);
  const cases = fx.embedding_bag as BagCase[];
  it("covers every mode, both input layouts and every option", () => {
    for (const mode of ["sum", "mean", "max"]) expect(cases.some((c) => c.mode === mode)).toBe(true);
    for (const key of ["include_last_offset", "scale_grad_by_freq", "sparse"] as const) expect(cases.some((c) => c[key])).toBe(true);
    expect(cases.some((c) => c.per_sample_weights !== null)).toBe(true);
    expect(cases.some((c) => c.max_norm !== null && c.norm_type === "Infinity")).toBe(true);
    expect(cases.some((c) => c.freeze === true) && cases.some((c) => c.freeze === false)).toBe(true);
    expect(cases.length).toBeGreaterThan(60);
  });
  for (const c of cases) {
    it(c.name, () => {
      const bag = makeBag(c);
      const idx = { data: Int32Array.from(c.input), shape: c.input_shape };
      const psw = c.per_sample_weights === null ? null : new Tensor(f32(c.per_sample_weights), c.input_shape);
      const out = bag.forward(idx, c.offsets === null ? null : Int32Array.from(c.offsets), psw);
      expect(out.shape).toEqual(c.out_shape);
      expectClose(out.data, c.out, `${c.name}: out`);
      if (c.weight_after_forward !== undefined) expectClose(bag.weight.data, c.weight_after_forward, `${c.name}: weight after maxNorm`);
      const dpsw = bag.backward(new Tensor(f32(c.dout), c.out_shape));
      if (c.grad_weight === null) {
        expect(bag.weight.grad).toBeNull();
      } else {
        const g = bag.weight.grad;
        if (c.sparse) {
          expect(g).toBeInstanceOf(RowSparseGrad);
          const rows = Array.from((g as RowSparseGrad).rows);
          // PyTorch's coalesced gradient keeps the padding row (with zeros); embedkit leaves it out.
          if (c.grad_rows !== undefined) expect(rows).toEqual(c.grad_rows.filter((r) => r !== c.padding_idx));
          expectClose((g as RowSparseGrad).toDense().data, c.grad_weight, `${c.name}: grad`);
        } else {
          expect(g).toBeInstanceOf(Tensor);
          expectClose((g as Tensor).data, c.grad_weight, `${c.name}: grad`);
          const touched = bag.weight.touchedRows;
          expect(touched).not.toBeNull();
          // every non-zero row of the gradient is listed in touchedRows
          for (let r = 0; r < c.V; r++) {
            const nonZero = c.grad_weight.slice(r * c.H, (r + 1) * c.H).some((v) => num(v) !== 0);
            if (nonZero) expect(Array.from(touched as Int32Array)).toContain(r);
          }
        }
      }
      if (c.grad_per_sample_weights === null) expect(dpsw).toBeNull();
      else {
        expect((dpsw as Tensor).shape).toEqual(c.input_shape);
        expectClose((dpsw as Tensor).data, c.grad_per_sample_weights, `${c.name}: grad of perSampleWeights`);
      }
    });
  }

  it("zeroGrad between two backwards clears the first's rows: the second gradient is PyTorch's", () => {
    const c = cases.find((k) => k.name === "sum 1-D offsets pad=None") as BagCase;
    const bag = makeBag(c);
    bag.forward([6, 6], [0]);
    bag.backward(Tensor.ones([1, c.H]));
    bag.weight.zeroGrad();
    bag.forward(Int32Array.from(c.input), Int32Array.from(c.offsets as number[]));
    bag.backward(new Tensor(f32(c.dout), c.out_shape));
    expectClose((bag.weight.grad as Tensor).data, c.grad_weight as number[], "second backward");
  });

  it("without zeroGrad, the second backward adds to the first (PyTorch's accumulation)", () => {
    const c = cases.find((k) => k.name === "sum 1-D offsets pad=None") as BagCase;
    const bag = makeBag(c);
    bag.forward([6, 6], [0]);
    bag.backward(Tensor.ones([1, c.H]));
    bag.forward(Int32Array.from(c.input), Int32Array.from(c.offsets as number[]));
    bag.backward(new Tensor(f32(c.dout), c.out_shape));
    const expected = Float32Array.from(c.grad_weight as number[]);
    for (let j = 0; j < c.H; j++) expected[6 * c.H + j] += 2;
    expectClose((bag.weight.grad as Tensor).data, Array.from(expected), "two backwards");
  });
});

describe("EmbeddingBag rejects what PyTorch rejects", () => {
  const bag = new EmbeddingBag(5, 2, { mode: "sum", seed: 1 });
  const mean = new EmbeddingBag(5, 2, { seed: 1 });
  const last = new EmbeddingBag(5, 2, { mode: "sum", includeLastOffset: true, seed: 1 });
  const calls: Record<string, () => unknown> = {
    "offsets with a 2-D input": () => bag.forward([[0, 1]], [0]),
    "a 1-D input without offsets": () => bag.forward([0, 1]),
    "offsets[0] != 0": () => bag.forward([0, 1, 2], [1, 2]),
    "perSampleWeights with mode mean": () => mean.forward([0, 1], [0], Tensor.ones([2])),
    "perSampleWeights of another shape": () => bag.forward([0, 1, 2], [0], Tensor.ones([2])),
    "an unknown mode": () => new EmbeddingBag(5, 2, { mode: "median" as BagMode }),
    "an index out of range": () => bag.forward([[0, 5]]),
    "includeLastOffset with a last offset beyond the input": () => last.forward([0, 1], [0, 3]),
    "Linear input of another width": () => new Linear(3, 2, { seed: 0 }).forward(Tensor.ones([4, 5])),
  };
  for (const e of fx.errors as { name: string; fragment: string; torch_message: string }[]) {
    it(`${e.name} (PyTorch: ${e.torch_message.slice(0, 60)}…)`, () => {
      const call = calls[e.name];
      expect(call, `no embedkit call for ${e.name}`).toBeDefined();
      const before = Float32Array.from(bag.weight.data);
      expect(call).toThrow(e.fragment);
      expect(bag.weight.data).toEqual(before);
    });
  }
  it("names the value too", () => {
    expect(() => bag.forward([[0, 1]], [0])).toThrow(/^EmbeddingBag\.forward: offsets must be null for a 2-D input \[1, 2\]/);
    expect(() => bag.forward([0, 1, 2], [1, 2])).toThrow(/offsets\[0\] must be 0 .*got 1$/);
    expect(() => bag.forward([0, 1, 2], [0, 2, 1])).toThrow(/offsets must not decrease; offsets\[2\] = 1 < offsets\[1\] = 2/);
    expect(() => bag.forward([0, 1, 2], [0, 4])).toThrow(/offsets\[1\] = 4 is beyond the input's length 3/);
    expect(() => last.forward([0, 1, 2], [0, 1])).toThrow(/last offset must be the input's length 3, got offsets\[1\] = 1/);
    expect(() => mean.forward([0, 1], [0], Tensor.ones([2]))).toThrow(/perSampleWeights are only supported in mode "sum", got mode "mean"/);
    expect(() => bag.forward([0, 1, 2], [0], Tensor.ones([2]))).toThrow(/perSampleWeights shape \[2\] != input shape \[3\]/);
    expect(() => new EmbeddingBag(5, 2, { mode: "median" as BagMode })).toThrow(/^EmbeddingBag: mode must be "sum", "mean" or "max", got "median"$/);
    expect(() => bag.forward([[0, 5]])).toThrow(/^EmbeddingBag\.forward: index 5 at position \[0, 1\] is out of range \[0, 4\]$/);
    expect(() => bag.forward([[[0]]])).toThrow(/input must be 1-D \(with offsets\) or 2-D \[B, N\], got shape \[1, 1, 1\]/);
    expect(() => bag.forward([0], [[0]])).toThrow(/offsets must be 1-D, got shape \[1, 1\]/);
    expect(() => bag.forward([0], [-1])).toThrow(/offsets: index -1 at position \[0\]/);
    bag.forward([[0, 1]]);
    expect(() => bag.backward(Tensor.ones([3, 2]))).toThrow(/^EmbeddingBag\.backward: dout shape \[3, 2\] != output shape/);
    expect(() => new EmbeddingBag(5, 2).backward(Tensor.ones([1, 2]))).toThrow(/^EmbeddingBag\.backward: called before forward/);
  });
  it("a failing forward changes nothing, maxNorm included", () => {
    const b = new EmbeddingBag(4, 2, { mode: "sum", maxNorm: 0.1, seed: 3 });
    const before = Float32Array.from(b.weight.data);
    expect(() => b.forward([0, 1, 2], [0, 5])).toThrow(RangeError);
    expect(() => b.forward([0, 1, 9], [0])).toThrow(RangeError);
    expect(b.weight.data).toEqual(before);
  });
});

describe("Linear and ReLU against PyTorch", () => {
  for (const c of fx.linear) {
    it(`Linear(${c.in}, ${c.out}, bias=${c.bias}) on x ${JSON.stringify(c.x_shape)}`, () => {
      const lin = new Linear(c.in, c.out, { bias: c.bias, seed: 0 });
      // PyTorch's state dict loads unchanged: weight [out, in], bias [out]
      const keys = lin.bias === null ? ["weight"] : ["bias", "weight"];
      expect(c.state_dict_keys).toEqual(keys);
      expect(c.state_dict_shapes.weight).toEqual(lin.weight.shape);
      lin.weight.data.set(f32(c.weight));
      if (c.bias) {
        expect(c.state_dict_shapes.bias).toEqual(lin.bias!.shape);
        lin.bias!.data.set(f32(c.b));
      }
      const x = new Tensor(f32(c.x), c.x_shape);
      const y = lin.forward(x);
      expect(y.shape).toEqual(c.y_shape);
      expectClose(y.data, c.y, "y", 1e-5, 1e-5);
      const dx = lin.backward(new Tensor(f32(c.dout), c.y_shape));
      expect(dx.shape).toEqual(c.x_shape);
      expectClose(dx.data, c.dx, "dx", 1e-5, 1e-5);
      expectClose((lin.weight.grad as Tensor).data, c.grad_weight, "grad weight", 1e-5, 1e-5);
      if (c.bias) expectClose((lin.bias!.grad as Tensor).data, c.grad_bias, "grad bias", 1e-5, 1e-5);

      const relu = new ReLU();
      const r = relu.forward(new Tensor(f32(c.relu_x), c.x_shape));
      expectClose(r.data, c.relu_y, "relu y");
      expectClose(relu.backward(new Tensor(f32(c.relu_dout), c.x_shape)).data, c.relu_dx, "relu dx");
    });
  }
  for (const c of fx.linear_init) {
    it(`initialises Linear(${c.in}, ${c.out}) as PyTorch: uniform in ±1/√in`, () => {
      const bound = num(c.bound);
      expect(bound).toBeCloseTo(1 / Math.sqrt(c.in), 12);
      // PyTorch's own draw reaches the bound and has the uniform's variance bound²/3
      expect(num(c.weight_max_abs)).toBeLessThanOrEqual(Math.fround(bound));
      expect(num(c.weight_var)).toBeCloseTo(bound ** 2 / 3, 3);
      for (const seed of [0, 1]) {
        const lin = new Linear(c.in, c.out, { seed });
        const w = lin.weight.data;
        let max = 0, mean = 0, sq = 0;
        for (const v of w) {
          max = Math.max(max, Math.abs(v));
          mean += v;
        }
        mean /= w.length;
        for (const v of w) sq += (v - mean) ** 2;
        const variance = sq / (w.length - 1);
        expect(max).toBeLessThanOrEqual(Math.fround(bound));
        expect(max).toBeGreaterThan(0.99 * bound);
        expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(bound ** 2 / 3 / w.length));
        expect(variance / (bound ** 2 / 3)).toBeGreaterThan(0.9);
        expect(variance / (bound ** 2 / 3)).toBeLessThan(1.1);
        let bmax = 0;
        for (const v of lin.bias!.data) bmax = Math.max(bmax, Math.abs(v));
        expect(bmax).toBeLessThanOrEqual(Math.fround(bound));
        expect(num(c.bias_max_abs)).toBeLessThanOrEqual(Math.fround(bound));
      }
      expect(new Linear(c.in, c.out, { seed: 5 }).weight.data).toEqual(new Linear(c.in, c.out, { seed: 5 }).weight.data);
    });
  }
});

describe("one training loop: Adam on the dense layers, SparseAdam or Adagrad on the table", () => {
  for (const loop of fx.training) {
    it(`${loop.table_optimizer} + Adam, three steps, as PyTorch`, () => {
      const { V, H, hidden } = loop;
      const bag = new EmbeddingBag(V, H, { mode: "sum", sparse: true, weight: new Tensor(f32(loop.init.bag), [V, H]) });
      const l1 = new Linear(H, hidden, { seed: 0 });
      const relu = new ReLU();
      const l2 = new Linear(hidden, 1, { seed: 0 });
      l1.weight.data.set(f32(loop.init.l1_weight));
      l1.bias!.data.set(f32(loop.init.l1_bias));
      l2.weight.data.set(f32(loop.init.l2_weight));
      l2.bias!.data.set(f32(loop.init.l2_bias));
      const dense = new Adam([...l1.params, ...l2.params], { lr: loop.dense_lr });
      const table = loop.table_optimizer === "SparseAdam" ? new SparseAdam(bag.params, { lr: loop.table_lr }) : new Adagrad(bag.params, { lr: loop.table_lr });
      for (const [s, step] of loop.steps.entries()) {
        dense.zeroGrad();
        table.zeroGrad();
        const logit = l2.forward(relu.forward(l1.forward(bag.forward(step.input, step.offsets))));
        // BCE with logits, mean over the batch
        const B = step.labels.length;
        const dlogit = Tensor.zeros([B, 1]);
        let loss = 0;
        for (let b = 0; b < B; b++) {
          const z = logit.data[b];
          const t = step.labels[b];
          loss += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
          dlogit.data[b] = (1 / (1 + Math.exp(-z)) - t) / B;
        }
        expect(loss / B).toBeCloseTo(num(step.loss), 5);
        bag.backward(l1.backward(relu.backward(l2.backward(dlogit))));
        dense.step();
        table.step();
        const at = `step ${s}`;
        expectClose(bag.weight.data, step.bag, `${at}: table`, 1e-4, 1e-5);
        expectClose(l1.weight.data, step.l1_weight, `${at}: l1.weight`, 1e-4, 1e-5);
        expectClose(l1.bias!.data, step.l1_bias, `${at}: l1.bias`, 1e-4, 1e-5);
        expectClose(l2.weight.data, step.l2_weight, `${at}: l2.weight`, 1e-4, 1e-5);
        expectClose(l2.bias!.data, step.l2_bias, `${at}: l2.bias`, 1e-4, 1e-5);
      }
    });
  }
});
