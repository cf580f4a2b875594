import { describe, expect, it } from "vitest";
import { Random, SGD } from "../src/index.js";
import { SkipGram } from "../src/models/skip-gram.js";
import { skipGramStep, stepScratch } from "../src/word2vec/step.js";
import { encodeCorpus } from "../src/text/corpus.js";
import { generateDemoCorpus } from "../src/text/synthetic.js";
import { preprocess } from "../src/text/preprocess.js";

describe("SkipGram from the book's layers", () => {
  it("one pair per SGD step is the fused skip-gram step, over a small corpus", () => {
    const c = encodeCorpus(generateDemoCorpus({ sentences: 30, seed: 3 }), { minCount: 1 });
    const V = c.vocab.size, H = 8, k = 5, alpha = 0.05;
    const model = new SkipGram(V, H, c.vocab.counts, { k, seed: 1 });
    const [Win, Wout] = model.params;
    const fusedIn = Win.data.slice(), fusedOut = Wout.data.slice();
    const opt = new SGD(model.params, { lr: alpha });
    const rng = new Random(9);
    const h = new Float64Array(H), neu1e = new Float64Array(H);
    let pairs = 0, layered = 0, fused = 0;
    for (let s = 0; s < c.starts.length - 1; s++) {
      const { inputs, outputs } = SkipGram.pairs(c.ids.subarray(c.starts[s], c.starts[s + 1]), 2);
      for (let p = 0; p < inputs.length; p++) {
        // distinct negatives, never the predicted word (repeated rows would be summed by the layers
        // but taken one after the other by the kernel, as word2vec.c does)
        const negs: number[] = [];
        while (negs.length < k) {
          const w = rng.int(V);
          if (w !== outputs[p] && !negs.includes(w)) negs.push(w);
        }
        layered += model.forward([inputs[p]], [outputs[p]], [negs]);
        model.backward();
        opt.step();
        const e32 = new Int32Array(0);
        const params = { H, window: 1, negative: k, sg: true, hs: false, cbowMean: true, undividedGrad: true, computeLoss: true };
        const scratch = { ...stepScratch(params, 1), h, neu1e };
        scratch.negs.set(negs);
        fused += skipGramStep(
          { Win: fusedIn, Wout: fusedOut, syn1: new Float32Array(0), codes: new Uint8Array(0), points: e32, codeStarts: e32, prob: new Uint32Array(0), alias: e32 },
          params, scratch, inputs[p], outputs[p], k, alpha,
        );
        pairs++;
      }
    }
    expect(pairs).toBeGreaterThan(500);
    expect(fused).toBeCloseTo(layered, 2);
    for (let i = 0; i < fusedIn.length; i++) expect(fusedIn[i], `W_in[${i}]`).toBeCloseTo(Win.data[i], 5);
    for (let i = 0; i < fusedOut.length; i++) expect(fusedOut[i], `W_out[${i}]`).toBeCloseTo(Wout.data[i], 5);
    expect(fusedOut.some((x) => x !== 0)).toBe(true);
  });

  it("learns the book's sentence", () => {
    const { corpus, idToWord } = preprocess("You say goodbye and I say hello.");
    const counts = idToWord.map((_, id) => corpus.filter((w) => w === id).length);
    const model = new SkipGram(idToWord.length, 5, counts, { k: 2, seed: 0 });
    const { inputs, outputs } = SkipGram.pairs(corpus, 1);
    expect(inputs.length).toBe(14); // 8 tokens: 2 · 8 - 2 pairs
    const opt = new SGD(model.params, { lr: 0.5 });
    const first = model.forward(inputs, outputs);
    for (let i = 0; i < 200; i++) {
      model.forward(inputs, outputs);
      model.backward();
      opt.step();
    }
    expect(first).toBeCloseTo(3 * Math.LN2, 5); // zero output vectors: every score 0
    expect(model.forward(inputs, outputs)).toBeLessThan(2);
  });

  it("validates its arguments", () => {
    expect(() => new SkipGram(0, 2, [])).toThrow(/^SkipGram: vocabSize must be/);
    expect(() => new SkipGram(3, 2, [1, 1, 1], { window: 2 } as never)).toThrow(/^SkipGram: unknown option "window"/);
    expect(() => SkipGram.pairs([0, -1], 1)).toThrow(/^SkipGram\.pairs: sentence\[1\] must be/);
    expect(() => SkipGram.pairs([0, 1], 0)).toThrow(/^SkipGram\.pairs: window must be/);
    const m = new SkipGram(3, 2, [1, 1, 1]);
    expect(() => m.forward([[0, 1]], [1])).toThrow(/^SkipGram\.forward: inputs must be 1-D/);
  });
});
