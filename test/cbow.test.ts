import { describe, expect, it } from "vitest";
import { Adam, Random, SGD, Tensor } from "../src/index.js";
import { CBOW } from "../src/models/cbow.js";
import { SimpleCBOW } from "../src/models/simple-cbow.js";
import { cbowUpdate } from "../src/word2vec/step.js";
import { trainCBOW } from "../src/word2vec/trainer.js";
import { encodeCorpus } from "../src/text/corpus.js";
import { createContextsTarget, preprocess } from "../src/text/preprocess.js";
import { generateDemoCorpus } from "../src/text/synthetic.js";

describe("the fused kernel computes the layered model's step", () => {
  // k = 3 takes the one-output-at-a-time path; k = 5 the six-rows-per-pass path.
  for (const [undividedGrad, negList] of [[true, [1, 6, 4]], [false, [1, 6, 4]], [true, [1, 6, 4, 0, 5]], [false, [6, 0, 1, 5, 4]]] as const) {
    it(`one SGD step, undividedGrad ${undividedGrad}, k = ${negList.length}`, () => {
      const V = 7, H = 6, k = negList.length, alpha = 0.25;
      const model = new CBOW(V, H, [5, 4, 3, 3, 2, 1, 1], { k, seed: 11, undividedGrad });
      // Make W_out non-zero, so that the step moves W_in too.
      const [Win, Wout] = model.params;
      Wout.data.set(Tensor.randn([V, H], { seed: 12, std: 0.3 }).data);
      const fusedIn = Win.data.slice();
      const fusedOut = Wout.data.slice();
      const ctx = new Int32Array([0, 2, 5, 2]); // a repeated context word counts twice, as in word2vec
      const target = 3;
      const negs = new Int32Array(negList);

      const loss = model.forward({ data: ctx, shape: [1, 4] }, [target], [Array.from(negs)]);
      model.backward();
      new SGD(model.params, { lr: alpha }).step();

      const fusedLoss = cbowUpdate(fusedIn, fusedOut, H, ctx, 4, target, negs, k, alpha, new Float64Array(H), new Float64Array(H), undividedGrad, true);
      expect(fusedLoss).toBeCloseTo(loss, 5);
      for (let i = 0; i < V * H; i++) {
        expect(fusedIn[i], `W_in[${i}]`).toBeCloseTo(Win.data[i], 6);
        expect(fusedOut[i], `W_out[${i}]`).toBeCloseTo(Wout.data[i], 6);
      }
      // and the step did move both tables
      expect(fusedIn.some((x, i) => x !== new CBOW(V, H, [5, 4, 3, 3, 2, 1, 1], { k, seed: 11 }).params[0].data[i])).toBe(true);
    });
  }
});

/** The step of cbowUpdate written plainly, one output row at a time, all in float64 but the tables. */
function referenceStep(Win: Float32Array, Wout: Float32Array, H: number, ctx: number[], target: number, negs: number[], alpha: number, undivided: boolean): number {
  const h = new Float64Array(H);
  for (const c of ctx) for (let j = 0; j < H; j++) h[j] += Win[c * H + j];
  for (let j = 0; j < H; j++) h[j] /= ctx.length;
  const e = new Float64Array(H);
  let loss = 0;
  [target, ...negs].forEach((w, d) => {
    let dot = 0;
    for (let j = 0; j < H; j++) dot += h[j] * Wout[w * H + j];
    const f = 1 / (1 + Math.exp(-dot));
    const label = d === 0 ? 1 : 0;
    loss -= Math.log(label === 1 ? f : 1 - f);
    const g = (label - f) * alpha;
    for (let j = 0; j < H; j++) {
      e[j] += g * Wout[w * H + j];
      Wout[w * H + j] += g * h[j];
    }
  });
  for (const c of ctx) for (let j = 0; j < H; j++) Win[c * H + j] += undivided ? e[j] : e[j] / ctx.length;
  return loss;
}

describe("the fused kernel equals a plain one-row-at-a-time step", () => {
  // Repeated negatives must be taken in order (the second score sees the first update), which the
  // six-rows-per-pass path cannot do; repeated context words count twice. Shapes cover H below 4,
  // H not a multiple of 4, n from 1 to 10 and k across zero, one and two blocks of six outputs.
  const cases = [
    { H: 1, n: 1, k: 0 }, { H: 3, n: 2, k: 1 }, { H: 4, n: 3, k: 5 }, { H: 7, n: 4, k: 5 },
    { H: 100, n: 5, k: 5 }, { H: 9, n: 6, k: 6 }, { H: 10, n: 7, k: 11 }, { H: 5, n: 8, k: 12 },
    { H: 6, n: 9, k: 17 }, { H: 13, n: 10, k: 5 },
  ];
  for (const { H, n, k } of cases) {
    for (const repeats of [false, true]) {
      it(`H ${H}, ${n} context words, k ${k}${repeats ? ", repeated words" : ""}`, () => {
        const V = 40;
        const rng = new Random(H * 1000 + n * 10 + k + (repeats ? 7 : 0));
        const pick = (m: number) => Array.from({ length: m }, () => rng.nextUint32() % (repeats ? 4 : V));
        const ctx = pick(n);
        const target = 39;
        const negs = repeats ? pick(k) : Array.from({ length: k }, (_, d) => (d * 7 + 3) % 39);
        for (const undivided of [true, false]) {
          const Win = Tensor.randn([V, H], { seed: 1, std: 0.5 }).data;
          const Wout = Tensor.randn([V, H], { seed: 2, std: 0.5 }).data;
          const refIn = Win.slice(), refOut = Wout.slice();
          const want = referenceStep(refIn, refOut, H, ctx, target, negs, 0.3, undivided);
          const got = cbowUpdate(Win, Wout, H, Int32Array.from(ctx), n, target, Int32Array.from(negs), k, 0.3, new Float64Array(H), new Float64Array(H), undivided, true);
          expect(got).toBeCloseTo(want, 5);
          for (let i = 0; i < V * H; i++) {
            expect(Win[i], `W_in[${i}]`).toBeCloseTo(refIn[i], 6);
            expect(Wout[i], `W_out[${i}]`).toBeCloseTo(refOut[i], 6);
          }
        }
      });
    }
  }
});

describe("SimpleCBOW (full softmax) learns the book's sentence", () => {
  it("loss decreases and every context predicts its target", () => {
    const { corpus, idToWord } = preprocess("You say goodbye and I say hello.");
    const { contexts, target } = createContextsTarget(corpus, 1);
    const model = new SimpleCBOW(idToWord.length, 5, { seed: 0 });
    const opt = new Adam(model.params, { lr: 0.05 });
    const first = model.forward(contexts, target);
    let last = first;
    for (let i = 0; i < 500; i++) {
      last = model.forward(contexts, target);
      model.backward();
      opt.step();
    }
    expect(first).toBeCloseTo(Math.log(7), 1);
    expect(last).toBeLessThan(0.35);
    // The mean of a bag does not see order: "say _ and" (goodbye) and "and _ say" (i) look the same
    // (as in the book's SimpleCBOW), so those two get one answer between them; the rest are right.
    const predicted = Array.from(model.predict(contexts));
    expect([predicted[0], predicted[2], predicted[4], predicted[5]]).toEqual([1, 3, 1, 5]);
    expect(predicted[1]).toBe(predicted[3]);
    expect([2, 4]).toContain(predicted[1]);
    expect(last).toBeGreaterThan((2 * Math.LN2) / 6 - 0.01); // the floor that ambiguity sets
  });
});

describe("trainCBOW", () => {
  const corpus = encodeCorpus(generateDemoCorpus({ sentences: 1500, seed: 2 }), { minCount: 1 });

  it("is reproducible with the same seed and differs with another", () => {
    const options = { dim: 16, epochs: 2, seed: 7, sample: 1e-2 };
    const a = trainCBOW(corpus, options);
    const b = trainCBOW(corpus, options);
    const c = trainCBOW(corpus, { ...options, seed: 8 });
    expect(a.vectors.data).toEqual(b.vectors.data);
    expect(a.outputVectors.data).toEqual(b.outputVectors.data);
    expect(c.vectors.data).not.toEqual(a.vectors.data);
    expect(a.stats.effectiveWords).toBe(b.stats.effectiveWords);
    expect(a.stats.effectiveWords).toBeLessThan(2 * corpus.ids.length); // subsampling dropped some
    expect(a.stats.words).toBe(2 * corpus.ids.length);
  });

  it("the loss goes down and progress is reported", () => {
    const reports: number[] = [];
    const r = trainCBOW(corpus, { dim: 16, epochs: 4, seed: 1, onProgress: (p) => reports.push(p.loss) });
    expect(reports.length).toBeGreaterThanOrEqual(4);
    expect(r.stats.epoch).toBe(4);
    const one = trainCBOW(corpus, { dim: 16, epochs: 1, seed: 1 });
    expect(r.stats.loss).toBeLessThan(one.stats.loss);
    expect(one.stats.loss).toBeLessThan(6 * Math.LN2); // below the loss of zero output vectors
  });

  it("validates its options and corpus before training", () => {
    expect(() => trainCBOW(corpus, { dim: 0 })).toThrow(/^trainCBOW: dim must be in \[1, 100000\], got 0$/);
    expect(() => trainCBOW(corpus, { window: 2.5 })).toThrow(/^trainCBOW: window must be an integer, got 2\.5$/);
    expect(() => trainCBOW(corpus, { sample: NaN })).toThrow(/^trainCBOW: sample must be a number, got NaN$/);
    expect(() => trainCBOW(corpus, { alpha: 0.01, minAlpha: 0.1 })).toThrow(/^trainCBOW: minAlpha must be in \[0, 0\.01\], got 0\.1$/);
    expect(() => trainCBOW(corpus, { epoch: 3 } as never)).toThrow(/^trainCBOW: unknown option "epoch"/);
    expect(() => trainCBOW({} as never)).toThrow(/^trainCBOW: corpus must be an EncodedCorpus/);
    const one = encodeCorpus("a a a", { minCount: 1 });
    expect(() => trainCBOW(one)).toThrow(/^trainCBOW: the vocabulary has 1 word\(s\); negative sampling needs at least 2/);
  });
});
