// The worked examples of the seed documents, with their published numbers.
import { describe, expect, it } from "vitest";
import { Embedding, MatMul, oneHot, Parameter, SGD, Tensor } from "../src/index.js";

describe("the seed documents' worked examples", () => {
  it("5×5 table, index [[0, 2, 2, 1, 1]] gives rows 0, 2, 2, 1, 1 as a 1×5×5 output", () => {
    const W = Tensor.from([
      [1.0934, 1.7521, -1.9529, -1.0145, 0.577],
      [-0.4371, -0.427, -0.4908, -0.3988, 0.9695],
      [0, 0, 0, 0, 0],
      [0.7268, -0.4491, -0.8089, 0.7516, 1.2716],
      [0.7785, -0.4336, -0.7542, -0.1953, 0.9711],
    ]);
    const emb = new Embedding(5, 5, { weight: W });
    const out = emb.forward([[0, 2, 2, 1, 1]]);
    expect(out.shape).toEqual([1, 5, 5]);
    const rows = [0, 2, 2, 1, 1].map((r) => Array.from(W.row(r)));
    expect((out.toArray() as number[][][])[0]).toEqual(rows);
    // and it is the one-hot product
    const viaOneHot = new MatMul(emb.weight).forward(oneHot([[0, 2, 2, 1, 1]], 5).reshape([-1, 5]));
    expect(Array.from(viaOneHot.data)).toEqual(Array.from(out.data));
  });

  it("Embedding(5, 3), index [2], loss = sum, SGD lr 0.1 moves only row 2, by -0.1 in every column", () => {
    const emb = new Embedding(5, 3, { seed: 7 });
    const before = emb.weight.clone();
    const out = emb.forward([2]);
    emb.backward(Tensor.ones(out.shape)); // d(sum)/d(out) = 1
    new SGD(emb.params, { lr: 0.1 }).step();
    for (let r = 0; r < 5; r++) {
      for (let j = 0; j < 3; j++) {
        const expected = r === 2 ? Math.fround(before.data[r * 3 + j] - 0.1) : before.data[r * 3 + j];
        expect(emb.weight.data[r * 3 + j]).toBeCloseTo(expected, 6);
        if (r !== 2) expect(emb.weight.data[r * 3 + j]).toBe(before.data[r * 3 + j]);
      }
    }
  });

  it("gradient [0.1, 0.1, 0.3] on row 0 of [[1,1,1],[1,1,1]] with lr 0.1 gives [[0.99, 0.99, 0.97], [1, 1, 1]]", () => {
    const emb = Embedding.fromPretrained(Tensor.from([[1, 1, 1], [1, 1, 1]]), { freeze: false });
    emb.forward([0]);
    emb.backward(Tensor.from([[0.1, 0.1, 0.3]]));
    new SGD(emb.params, { lr: 0.1 }).step();
    const got = emb.weight.toArray() as number[][];
    [[0.99, 0.99, 0.97], [1, 1, 1]].forEach((row, r) => row.forEach((v, j) => expect(got[r][j]).toBeCloseTo(v, 6)));
  });

  it("index [1, 0, 3, 0] accumulates both gradients of row 0 (np.add.at, not dW[idx] = dout)", () => {
    const emb = new Embedding(4, 2, { seed: 1 });
    emb.forward([1, 0, 3, 0]);
    emb.backward(Tensor.from([[1, 2], [10, 20], [3, 4], [100, 200]]));
    const dW = emb.weight.grad as Tensor;
    // the overwrite bug (dW[idx] = dout) would leave row 0 at [100, 200]
    expect(dW.toArray()).toEqual([[110, 220], [1, 2], [0, 0], [3, 4]]);
  });

  it("a frozen pretrained table is skipped by optimizers", () => {
    const emb = Embedding.fromPretrained(Tensor.from([[1, 2.3, 3], [4, 5.1, 6.3]]));
    expect(emb.weight.requiresGrad).toBe(false);
    expect(emb.forward([1]).toArray()).toEqual([[4, Math.fround(5.1), Math.fround(6.3)]]);
    emb.backward(Tensor.ones([1, 3]));
    new SGD(emb.params, { lr: 1 }).step();
    expect(emb.weight.toArray()).toEqual(Tensor.from([[1, 2.3, 3], [4, 5.1, 6.3]]).toArray());
  });

  it("forward keeps the index shape: number -> [H], [] -> [0, H], [2, 3] -> [2, 3, H]", () => {
    const emb = new Embedding(10, 4, { seed: 2 });
    expect(emb.forward(3).shape).toEqual([4]);
    expect(emb.forward([]).shape).toEqual([0, 4]);
    expect(emb.forward([[1, 2, 3], [4, 5, 6]]).shape).toEqual([2, 3, 4]);
    expect(emb.forward(new Int32Array([1, 2])).shape).toEqual([2, 4]);
    expect(emb.forward({ data: new Int32Array([1, 2, 3, 4, 5, 6]), shape: [3, 1, 2] }).shape).toEqual([3, 1, 2, 4]);
  });

  it("Parameter prints like PyTorch's", () => {
    const p = new Parameter(new Float32Array([1, 1, 1, 1]), [2, 2]);
    expect(String(p)).toBe("Parameter containing:\ntensor([[1., 1.],\n        [1., 1.]])");
  });
});
