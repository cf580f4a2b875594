// Wide & Deep on the synthetic click log: it learns (held-out AUC well above 0.5 and close to the
// generator's Bayes AUC), only the rows a step used move under plain SGD, and summary() counts the
// parameters by the formulas.
import { describe, expect, it } from "vitest";
import { Adagrad, Adam, clickLogBatch, generateClickLog, rocAuc, SGD, SigmoidWithLoss, SparseAdam, Tensor, WideDeep } from "../src/index.js";

describe("generateClickLog", () => {
  it("is seeded, and its bags and probabilities are well formed", () => {
    const a = generateClickLog({ records: 2000, seed: 3 });
    const b = generateClickLog({ records: 2000, seed: 3 });
    expect(a.label).toEqual(b.label);
    expect(a.history).toEqual(b.history);
    expect(generateClickLog({ records: 2000, seed: 4 }).label).not.toEqual(a.label);
    for (let r = 0; r < 2000; r++) {
      const n = a.historyOffsets[r + 1] - a.historyOffsets[r];
      expect(n >= 1 && n <= 5).toBe(true);
      expect(a.prob[r] > 0 && a.prob[r] < 1).toBe(true);
    }
    const rate = a.label.reduce((s, v) => s + v, 0) / 2000;
    expect(rate).toBeGreaterThan(0.2);
    expect(rate).toBeLessThan(0.6);
  });
  it("rejects bad options and batches", () => {
    expect(() => generateClickLog({ users: 0 })).toThrow(/^generateClickLog: users must be >= 1, got 0$/);
    expect(() => generateClickLog({ seed: 1.5 })).toThrow(/^generateClickLog: seed must be a safe integer, got 1\.5$/);
    const log = generateClickLog({ records: 10 });
    expect(() => clickLogBatch(log, 5, 3)).toThrow(/^clickLogBatch: end must be in \[5, 10\], got 3$/);
  });
});

describe("rocAuc", () => {
  it("counts ties as one half, and is NaN without both classes", () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
    expect(() => rocAuc([1, 2], [1, 2])).toThrow(/^rocAuc: labels\[1\] must be 0 or 1, got 2$/);
  });
});

describe("WideDeep", () => {
  it("learns the click log: held-out AUC well above 0.5 and close to the Bayes AUC", () => {
    const log = generateClickLog({ seed: 0 });
    const N = log.label.length;
    const nTrain = Math.floor(0.8 * N);
    const model = new WideDeep({ fields: log.fields.map((f) => ({ name: f.name, vocab: f.vocab, dim: 8 })), wideSize: log.wideSize, hidden: [32, 16], seed: 0 });
    const tables = new Adagrad(model.tableParams, { lr: 0.1 });
    const dense = new Adam(model.denseParams, { lr: 0.003 });
    const loss = new SigmoidWithLoss();
    const test = clickLogBatch(log, nTrain, N);
    const losses: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      let sum = 0, n = 0;
      for (let s = 0; s < nTrain; s += 256) {
        const { batch, labels } = clickLogBatch(log, s, Math.min(nTrain, s + 256));
        tables.zeroGrad();
        dense.zeroGrad();
        sum += loss.forward(model.forward(batch), labels);
        n++;
        model.backward(loss.backward());
        tables.step();
        dense.step();
      }
      losses.push(sum / n);
    }
    expect(losses[2]).toBeLessThan(losses[0]);
    const auc = rocAuc(model.forward(test.batch).data, test.labels);
    const bayes = rocAuc(test.prob, test.labels);
    expect(bayes).toBeGreaterThan(0.75);
    expect(auc).toBeGreaterThan(0.7);
    expect(auc).toBeGreaterThan(bayes - 0.06);
  }, 120_000); // three epochs over 40,000 records: a few seconds, more on a busy machine

  it("under plain SGD only the rows a step used move; the gradient matches central differences", () => {
    const log = generateClickLog({ records: 64, seed: 2 });
    const model = new WideDeep({ fields: log.fields.map((f) => ({ name: f.name, vocab: f.vocab, dim: 3 })), wideSize: log.wideSize, hidden: [4], sparse: false, seed: 1 });
    const { batch, labels } = clickLogBatch(log, 0, 8);
    const before = model.tableParams.map((p) => Float32Array.from(p.data));
    const loss = new SigmoidWithLoss();
    loss.forward(model.forward(batch), labels);
    model.backward(loss.backward());
    // central differences on a few dense and table entries
    const f = () => loss.forward(model.forward(batch), labels);
    for (const p of [model.layers[0].weight, model.output.weight, model.bias, model.tables[0].weight, model.wide.weight]) {
      const g = (p.grad as Tensor).data;
      for (const k of new Set([0, Math.min(1, p.size - 1), p.size - 1])) {
        const orig = p.data[k];
        p.data[k] = orig + 2 ** -9;
        const up = f();
        p.data[k] = orig - 2 ** -9;
        const down = f();
        p.data[k] = orig;
        expect(g[k]).toBeCloseTo((up - down) / 2 ** -8, 3);
      }
    }
    loss.forward(model.forward(batch), labels);
    model.backward(loss.backward());
    new SGD(model.tableParams, { lr: 0.5 }).step();
    const used = [batch.wide.input, ...batch.fields.map((x) => x.input)];
    model.tableParams.forEach((p, t) => {
      const H = p.shape[1];
      const rows = new Set(used[t]);
      for (let r = 0; r < p.shape[0]; r++) {
        const moved = p.data.slice(r * H, (r + 1) * H).some((v, j) => v !== before[t][r * H + j]);
        if (!rows.has(r)) expect(moved, `table ${t} row ${r}`).toBe(false);
      }
    });
  });

  it("summary() counts wide d + 1, Σ vocab·dim, n_(l-1)·n_l + n_l per layer, and n_L for the output", () => {
    const fields = [{ name: "user", vocab: 1000, dim: 16 }, { name: "item", vocab: 500, dim: 16 }, { name: "category", vocab: 20, dim: 8 }];
    const model = new WideDeep({ fields, wideSize: 21, hidden: [64, 32], seed: 0 });
    const s = model.summary();
    const embeddings = 1000 * 16 + 500 * 16 + 20 * 8;
    const dnn = 40 * 64 + 64 + (64 * 32 + 32);
    expect(s.rows.map((r) => r.count)).toEqual([21 + 1, 16000, 8000, 160, 40 * 64 + 64, 64 * 32 + 32, 32]);
    expect(s.total).toBe(22 + embeddings + dnn + 32);
    expect(s.total).toBe(model.params.reduce((a, p) => a + p.size, 0));
    expect(String(s)).toContain("Total params: 28,918");
  });

  it("rejects a malformed batch before touching anything", () => {
    const model = new WideDeep({ fields: [{ name: "a", vocab: 3, dim: 2 }], wideSize: 2, hidden: [2], seed: 0 });
    const ok = { input: Int32Array.of(0), offsets: Int32Array.of(0) };
    expect(() => model.forward({ fields: [], wide: ok })).toThrow(/^WideDeep\.forward: batch\.fields has 0 entries, the model has 1 fields$/);
    expect(() => model.forward({ fields: [{ input: Int32Array.of(0, 1), offsets: Int32Array.of(0, 1) }], wide: ok })).toThrow(/batch\.wide has 1 bags, batch\.fields\[0\] has 2/);
    expect(() => model.backward(Tensor.ones([1, 1]))).toThrow(/^WideDeep\.backward: called before forward/);
    expect(() => new WideDeep({ fields: [{ name: "a", vocab: 0, dim: 2 }], wideSize: 2, hidden: [] })).toThrow(/^WideDeep: fields\[0\]\.vocab must be >= 1, got 0$/);
    expect(() => new SparseAdam(model.tableParams)).not.toThrow();
  });
});
