// `npm run demo`: the seed examples, printed, and a lookup timed against one-hot matmul.
import { Embedding, MatMul, oneHot, SGD, Tensor } from "./index.js";

function section(title: string): void {
  console.log(`\n== ${title}`);
}

/** The worked examples: a lookup is one-hot @ W; only used rows get gradient; repeats add up. */
export function seedExamples(log: (s: string) => void = console.log): void {
  const W = Tensor.from([
    [1.0934, 1.7521, -1.9529, -1.0145, 0.577],
    [-0.4371, -0.427, -0.4908, -0.3988, 0.9695],
    [0, 0, 0, 0, 0],
    [0.7268, -0.4491, -0.8089, 0.7516, 1.2716],
    [0.7785, -0.4336, -0.7542, -0.1953, 0.9711],
  ]);
  const emb = new Embedding(5, 5, { weight: W });
  const idx = [[0, 2, 2, 1, 1]];
  log(`W =\n${W}`);
  log(`emb.forward(${JSON.stringify(idx)}) =\n${emb.forward(idx)}`);
  const viaOneHot = new MatMul(emb.weight).forward(oneHot(idx, 5).reshape([-1, 5])).reshape([1, 5, 5]);
  log(`oneHot(idx, 5) @ W: the same ${JSON.stringify(viaOneHot.shape)} tensor: ${String(viaOneHot) === String(emb.forward(idx))}`);

  const table = Embedding.fromPretrained(Tensor.from([[1, 1, 1], [1, 1, 1]]), { freeze: false });
  table.forward([0]);
  table.backward(Tensor.from([[0.1, 0.1, 0.3]]));
  new SGD(table.params, { lr: 0.1 }).step();
  log(`gradient [0.1, 0.1, 0.3] on row 0, SGD lr 0.1:\n${table.weight}`);

  const rep = new Embedding(4, 2, { seed: 1 });
  rep.forward([1, 0, 3, 0]);
  rep.backward(Tensor.from([[1, 2], [10, 20], [3, 4], [100, 200]]));
  log(`index [1, 0, 3, 0]: dW (row 0 gets both of its gradients, np.add.at) =\n${rep.weight.grad}`);
}

/** Median milliseconds of `fn` over `reps` runs after one warm-up. */
function time(fn: () => void, reps: number): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    fn();
    t.push(performance.now() - start);
  }
  return t.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

/** forward + backward of a lookup vs the same through one-hot @ W, N = 512 lookups, H = 64. */
export function timeAgainstOneHot(log: (s: string) => void = console.log, sizes = [100, 1000, 10000]): void {
  const N = 512;
  const H = 64;
  log(`V        lookup (ms)   one-hot @ W (ms)   speed-up   (N = ${N}, H = ${H}, forward + backward)`);
  for (const V of sizes) {
    const emb = new Embedding(V, H, { seed: 1 });
    const idx = Int32Array.from({ length: N }, (_, i) => (i * 7919) % V);
    const dout = Tensor.ones([N, H]);
    const mm = new MatMul(emb.weight);
    const lookup = time(() => {
      emb.forward(idx);
      emb.backward(dout);
    }, 50);
    const dense = time(() => {
      mm.forward(oneHot(idx, V));
      mm.backward(dout);
    }, V >= 10000 ? 1 : 5);
    log(`${String(V).padEnd(8)} ${lookup.toFixed(3).padStart(11)}   ${dense.toFixed(2).padStart(16)}   ${(dense / lookup).toFixed(0).padStart(7)}×`);
  }
}

section("The seed examples");
seedExamples();
section("Embedding vs one-hot matmul");
timeAgainstOneHot();
