import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyedVectors, Word2VecModel, decodeModel, encodeModel, resumeWord2Vec, trainWord2Vec } from "../src/index.js";
import { loadModel, saveModel } from "../src/node/index.js";
import { growVocab, planResume } from "../src/word2vec/model.js";
import { encodeCorpus } from "../src/text/corpus.js";
import { DEMO_CLASSES, generateDemoCorpus } from "../src/text/synthetic.js";

const text = generateDemoCorpus({ sentences: 1500, seed: 5 });
const corpus = encodeCorpus(text, { minCount: 1 });

function purity(model: Word2VecModel): number {
  const kv = new KeyedVectors(model.vocab.words, model.syn0);
  let same = 0, all = 0;
  for (const ws of Object.values(DEMO_CLASSES)) {
    for (const w of ws) {
      same += kv.mostSimilar(w, 5).filter((n) => ws.includes(n.word)).length;
      all += 5;
    }
  }
  return same / all;
}

describe("the model file", () => {
  for (const o of [{}, { sg: true, hs: true, negative: 0 }, { hs: true, cbowMean: false }]) {
    it(`round-trips exactly: ${JSON.stringify(o)}`, () => {
      const m = trainWord2Vec(corpus, { dim: 6, epochs: 2, stopAfter: 1, ...o });
      const back = decodeModel(encodeModel(m), "m.model");
      expect(back.vocab.words).toEqual(m.vocab.words);
      expect(back.vocab.counts).toEqual(m.vocab.counts);
      expect(back.settings).toEqual(m.settings);
      expect(back.state).toEqual(m.state);
      for (const k of ["syn0", "syn1neg", "syn1"] as const) {
        expect(back[k].shape).toEqual(m[k].shape);
        expect(back[k].data).toEqual(m[k].data);
      }
      expect(encodeModel(back)).toEqual(encodeModel(m));
    });
  }

  const m = trainWord2Vec(encodeCorpus("a b c a b a\nc c d\n", { minCount: 1 }), { dim: 3, epochs: 1, hs: true });
  const good = encodeModel(m);
  const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  const headerLength = dv(good).getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(good.subarray(16, 16 + headerLength)));
  /** The file with its header replaced (the rest of the bytes as they were). */
  function withHeader(edit: (h: Record<string, any>) => void): Uint8Array {
    const h = structuredClone(header);
    edit(h);
    const json = new TextEncoder().encode(JSON.stringify(h));
    const pad = (n: number) => (8 - (n % 8)) % 8;
    const rest = good.subarray(16 + headerLength + pad(16 + headerLength));
    const out = new Uint8Array(16 + json.length + pad(16 + json.length) + rest.length);
    out.set(good.subarray(0, 16));
    dv(out).setUint32(12, json.length, true);
    out.set(json, 16);
    out.set(rest, out.length - rest.length);
    return out;
  }

  it("a truncated file is refused at every length, naming the file", () => {
    for (let n = 0; n < good.length; n++) {
      expect(() => decodeModel(good.subarray(0, n), "cut.model"), `${n} bytes`).toThrow(/^decodeModel: cut\.model (is truncated|is not an embedkit model file)/);
    }
    expect(() => decodeModel(good.subarray(0, good.length - 1), "cut.model")).toThrow(
      new RegExp(`^decodeModel: cut\\.model is truncated: the header's sizes need ${good.length} bytes, the file has ${good.length - 1}$`),
    );
  });

  it("a foreign file, another version, trailing bytes are refused", () => {
    expect(() => decodeModel(new TextEncoder().encode("2 3\ncat 1 2 3\ndog 1 2 3\n"), "v.txt")).toThrow(/^decodeModel: v\.txt is not an embedkit model file: it starts with "2 3\\ncat ", not "EKW2VMDL"$/);
    const v2 = good.slice();
    dv(v2).setUint32(8, 2, true);
    expect(() => decodeModel(v2, "new.model")).toThrow(/^decodeModel: new\.model is model format version 2; this embedkit reads version 1$/);
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    expect(() => decodeModel(longer, "x.model")).toThrow(/^decodeModel: x\.model has 4 bytes after the end the header's sizes give/);
    const notJson = good.slice();
    notJson[16] = 0x7b + 1;
    expect(() => decodeModel(notJson, "x.model")).toThrow(/^decodeModel: x\.model has a malformed header/);
  });

  it("a header that lies about sizes is refused before anything of its size is allocated", () => {
    // Claims of terabytes in a file of a few hundred bytes: refused at once by the size check.
    const huge = withHeader((h) => {
      h.vocabSize = 2 ** 31 - 1;
      h.dim = 100000;
      h.settings.dim = 100000;
      h.wordsBytes = 2 ** 40;
      h.tables = { syn0: [2 ** 31 - 1, 100000], syn1neg: [2 ** 31 - 1, 100000], syn1: [2 ** 31 - 2, 100000] };
    });
    expect(() => decodeModel(huge, "lie.model")).toThrow(/^decodeModel: lie\.model is truncated: the header's sizes need \d+ bytes, the file has \d+$/);
    expect(() => decodeModel(withHeader((h) => (h.vocabSize = 5)), "lie.model")).toThrow(/^decodeModel: lie\.model has a bad header: wordsBytes 8 cannot hold 5 words$/);
    expect(() => decodeModel(withHeader((h) => (h.tables.syn0 = [5, 3])), "lie.model")).toThrow(/^decodeModel: lie\.model has a bad header: tables\.syn0 is \[5,3\]; the settings make it \[4, 3\]$/);
    expect(() => decodeModel(withHeader((h) => (h.tables.syn1 = [4, 3])), "lie.model")).toThrow(/tables\.syn1 is \[4,3\]; the settings make it \[3, 3\]/);
    expect(() => decodeModel(withHeader((h) => (h.settings.hs = false)), "lie.model")).toThrow(/tables\.syn1 is \[3,3\]; the settings make it \[0, 3\]/);
    expect(() => decodeModel(withHeader((h) => (h.wordsBytes = 1e15)), "lie.model")).toThrow(/^decodeModel: lie\.model is truncated/);
    expect(() => decodeModel(withHeader((h) => (h.vocabSize = -1)), "lie.model")).toThrow(/vocabSize -1 is not an integer/);
    expect(() => decodeModel(withHeader((h) => (h.settings.window = 0)), "lie.model")).toThrow(/^decodeModel: lie\.model has a bad header: header\.settings\.window must be in \[1, 1000\], got 0$/);
    expect(() => decodeModel(withHeader((h) => (h.state.epochsDone = 1.5)), "lie.model")).toThrow(/header\.state\.epochsDone must be an integer/);
    expect(() => decodeModel(withHeader((h) => (h.format = "other")), "lie.model")).toThrow(/has a header of another kind/);
    const big = good.slice();
    dv(big).setUint32(12, 2 ** 31, true);
    expect(() => decodeModel(big, "lie.model")).toThrow(/^decodeModel: lie\.model claims a 2147483648-byte header; at most 1048576 are allowed$/);
  });

  it("bad words and counts are refused", () => {
    const wordsAt = 16 + headerLength + ((8 - ((16 + headerLength) % 8)) % 8);
    const dup = good.slice();
    dup[wordsAt + 2] = "a".charCodeAt(0); // "a\nc\nb\nd\n" -> "a\na\nb\nd\n"
    expect(() => decodeModel(dup, "d.model")).toThrow(/^decodeModel: d\.model has a bad vocabulary: word "a" appears twice/);
    const countsAt = wordsAt + header.wordsBytes + ((8 - (header.wordsBytes % 8)) % 8);
    const nan = good.slice();
    dv(nan).setFloat64(countsAt + 8, NaN, true);
    expect(() => decodeModel(nan, "n.model")).toThrow(/^decodeModel: n\.model has a bad count NaN for word "c" \(byte \d+\)$/);
  });

  it("saveModel writes atomically and loadModel names the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "embedkit-model-"));
    try {
      const path = join(dir, "m.model");
      saveModel(path, m);
      expect(new Uint8Array(readFileSync(path))).toEqual(good);
      expect(readdirSync(dir)).toEqual(["m.model"]);
      expect(loadModel(path).syn1.data).toEqual(m.syn1.data);
      writeFileSync(path, good.subarray(0, 40));
      expect(() => loadModel(path)).toThrow(new RegExp(`^loadModel: ${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is truncated`));
      expect(() => loadModel(join(dir, "none.model"))).toThrow(/^loadModel: cannot read .*none\.model/);
      expect(() => saveModel(join(dir, "no", "such", "dir.model"), m)).toThrow();
      expect(readdirSync(dir)).toEqual(["m.model"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("resuming", () => {
  it("the learning rate continues the schedule", () => {
    const half = trainWord2Vec(corpus, { dim: 4, epochs: 4, stopAfter: 1, alpha: 0.1, minAlpha: 0.02 });
    expect(half.alphaNow).toBeCloseTo(0.08, 12);
    expect(half.state).toMatchObject({ epochsDone: 1, scheduleStart: 0, scheduleEpochs: 4, runs: 1 });
    const two = planResume("t", half, 2);
    expect([two.epochs, two.alpha, two.minAlpha]).toEqual([2, expect.closeTo(0.08, 12), expect.closeTo(0.04, 12)]);
    // past the end of the schedule: stretched to end with this run
    const five = planResume("t", half, 5);
    expect([five.alpha, five.minAlpha, five.after.scheduleEpochs, five.after.epochsDone]).toEqual([expect.closeTo(0.08, 12), 0.02, 6, 6]);
    const done = resumeWord2Vec(half, text, { epochs: 3 });
    expect(done.state).toMatchObject({ epochsDone: 4, scheduleStart: 0, scheduleEpochs: 4, runs: 2 });
    expect(done.state.words).toBe(4 * corpus.ids.length);
    expect(done.alphaNow).toBe(0.02);
    // a finished schedule: the next run starts a new one from alpha, as gensim's train() does
    expect(planResume("t", done, 2)).toMatchObject({ alpha: 0.1, minAlpha: 0.02, after: { scheduleStart: 4, scheduleEpochs: 2 } });
    expect(half.state.epochsDone).toBe(1); // the model resumed from is left as it was
  });

  it("new words join the vocabulary as gensim's build_vocab(update=True)", () => {
    const m = trainWord2Vec(encodeCorpus("a b c a b a\nc c d a\n", { minCount: 1 }), { dim: 3, epochs: 1, hs: true, minCount: 2 });
    expect(m.settings.minCount).toBe(2);
    const { model: grown, corpus: c, added } = growVocab("t", m, "e e e a z\nf f e\n");
    expect(added).toBe(2);
    expect(grown.vocab.words).toEqual([...m.vocab.words, "e", "f"]); // z (seen once) stays out
    expect(grown.vocab.count(grown.vocab.idOf("e"))).toBe(4);
    expect(grown.vocab.count(grown.vocab.idOf("a"))).toBe(m.vocab.count(m.vocab.idOf("a"))); // "a" seen once: < minCount, not added
    expect(Array.from(grown.syn0.data.subarray(0, m.syn0.data.length))).toEqual(Array.from(m.syn0.data));
    expect(grown.syn1neg.shape).toEqual([grown.vocab.size, 3]);
    expect(grown.syn1neg.data.subarray(m.syn1neg.data.length).every((x) => x === 0)).toBe(true);
    expect(grown.syn1.shape).toEqual([grown.vocab.size - 1, 3]);
    expect(Array.from(c.ids)).toEqual([4, 4, 4, 0, 5, 5, 4]);
    const r = resumeWord2Vec(m, "e e e a z\nf f e\n", { epochs: 1 });
    expect(r.vocab.words).toEqual(grown.vocab.words);
  });

  it("saved half-way and resumed, a model learns as well as in one go", () => {
    const dir = mkdtempSync(join(tmpdir(), "embedkit-resume-"));
    try {
      const o = { sg: true, dim: 24, window: 3, sample: 0, epochs: 4, seed: 2 };
      const whole = trainWord2Vec(corpus, o);
      saveModel(join(dir, "half.model"), trainWord2Vec(corpus, { ...o, stopAfter: 2 }));
      const resumed = resumeWord2Vec(loadModel(join(dir, "half.model")), text);
      expect(resumed.state.epochsDone).toBe(4);
      expect(purity(whole)).toBeGreaterThan(0.9);
      expect(purity(resumed)).toBeGreaterThan(0.9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("validates before training", () => {
    expect(() => resumeWord2Vec({} as never, text)).toThrow(/^resumeWord2Vec: model must be a Word2VecModel, got an object$/);
    const m = trainWord2Vec(corpus, { dim: 4, epochs: 1 });
    expect(() => resumeWord2Vec(m, text, { epochs: 0 })).toThrow(/^resumeWord2Vec: epochs must be in \[1, 100000\], got 0$/);
    expect(() => resumeWord2Vec(m, "zzz qqq\n")).toThrow(/^resumeWord2Vec: the text has no word of the vocabulary to train on$/);
    expect(() => trainWord2Vec(corpus, { epochs: 2, stopAfter: 3 })).toThrow(/^trainWord2Vec: stopAfter must be in \[1, 2\], got 3$/);
  });
});
