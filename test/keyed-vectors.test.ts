// KeyedVectors: hand-computed cosines, gensim 4.2's most_similar / evaluate_word_pairs /
// evaluate_word_analogies on the same vectors (test/fixtures/eval-*), and bad arguments.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  KeyedVectors, Tensor, averageRanks, parseWord2VecText, pearson, readAnalogies, readAnalogySections, readWordPairs, spearman,
} from "../src/index.js";

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), "utf8");
const gensim = JSON.parse(fixture("eval-gensim.json"));
const evalKv = parseWord2VecText(fixture("eval-vectors.txt"), "eval-vectors.txt");
const pairs = readWordPairs(fixture("eval-pairs.tsv"), "eval-pairs.tsv");
const questions = readAnalogies(fixture("eval-questions.txt"), "eval-questions.txt");

const royal = () =>
  new KeyedVectors(["king", "queen", "man", "woman"], Tensor.from([
    [0.9, 0.8, 0.1], [0.9, 0.1, 0.8], [0.1, 0.9, 0.1], [0.1, 0.1, 0.9],
  ]));

describe("KeyedVectors basics", () => {
  it("looks words up", () => {
    const kv = new KeyedVectors(["a", "b"], Tensor.from([[1, 2], [3, 4]]));
    expect([kv.size, kv.dim, kv.has("a"), kv.has("z"), kv.index("b"), kv.index("z")]).toEqual([2, 2, true, false, 1, -1]);
    const v = kv.get("b");
    expect(Array.from(v)).toEqual([3, 4]);
    v[0] = 99; // a copy: the table is unchanged
    expect(kv.vectors.data[2]).toBe(3);
  });

  it("validates its arguments", () => {
    const t = Tensor.zeros([2, 3]);
    expect(() => new KeyedVectors("ab" as any, t)).toThrow(/KeyedVectors: words must be an array of strings, got "ab"/);
    expect(() => new KeyedVectors(["a", "b"], [[1]] as any)).toThrow(/KeyedVectors: vectors must be a Tensor/);
    expect(() => new KeyedVectors(["a", "b"], Tensor.zeros([6]))).toThrow(/vectors must be 2-D \[V, H\], got shape \[6\]/);
    expect(() => new KeyedVectors(["a"], t)).toThrow(/vectors has 2 rows but there are 1 words/);
    expect(() => new KeyedVectors(["a", 2 as any], t)).toThrow(/words\[1\] must be a string, got 2/);
    expect(() => new KeyedVectors(["a", "a"], t)).toThrow(/words\[1\] "a" repeats words\[0\]; words must be distinct/);
    expect(() => new KeyedVectors(["a", "b"], Tensor.zeros([2, 0]))).toThrow(/at least one column/);
  });

  it("hand-computed cosines; a zero vector has cosine 0 with everything", () => {
    const kv = new KeyedVectors(["a", "b", "c", "z"], Tensor.from([[1, 0], [1, 1], [0, 3], [0, 0]]));
    expect(kv.similarity("a", "b")).toBeCloseTo(Math.SQRT1_2, 7);
    expect(kv.similarity("a", "c")).toBe(0);
    expect(kv.similarity("b", "b")).toBeCloseTo(1, 7);
    expect(kv.similarity("a", "z")).toBe(0);
    expect(kv.mostSimilar("z", 3).map((n) => n.similarity)).toEqual([0, 0, 0]);
    expect(Array.from(kv.unitVectors().data)).toEqual(Array.from(new Float32Array([1, 0, Math.SQRT1_2, Math.SQRT1_2, 0, 1, 0, 0])));
  });

  it("mostSimilar: best first, query word excluded, ties to the earlier row, topN clamped to V - 1", () => {
    const kv = new KeyedVectors(["a", "b", "c", "d"], Tensor.from([[1, 0], [0, 1], [1, 1], [0, 2]]));
    expect(kv.mostSimilar("a", 10)).toEqual([
      { word: "c", similarity: expect.closeTo(Math.SQRT1_2, 7) },
      { word: "b", similarity: 0 },
      { word: "d", similarity: 0 },
    ]);
    expect(kv.mostSimilar("b", 1).map((n) => n.word)).toEqual(["d"]);
    expect(kv.mostSimilar("b", 2, { exclude: ["d", "unknown"] }).map((n) => n.word)).toEqual(["c", "a"]);
    expect(kv.mostSimilar(new Float32Array([0, 5]), 2).map((n) => n.word)).toEqual(["b", "d"]);
  });

  it("mostSimilar and similarity agree to the last bit, and rank like a full sort", () => {
    const kv = new KeyedVectors(Array.from({ length: 300 }, (_, i) => `w${i}`), Tensor.randn([300, 13], { seed: 4 }));
    const top = kv.mostSimilar("w7", 299);
    for (const n of top) expect(n.similarity).toBe(kv.similarity("w7", n.word));
    const sorted = kv.words.filter((w) => w !== "w7").map((w) => ({ word: w, similarity: kv.similarity("w7", w) }))
      .sort((a, b) => b.similarity - a.similarity || kv.index(a.word) - kv.index(b.word));
    expect(top).toEqual(sorted);
    expect(kv.mostSimilar("w7", 5)).toEqual(sorted.slice(0, 5));
  });

  it("analogy: 3CosAdd excluding the three inputs", () => {
    const r = royal().analogy("man", "king", "woman");
    expect(r).toHaveLength(1);
    expect(r[0].word).toBe("queen");
    expect(royal().analogy("man", "king", "woman", 5).map((n) => n.word)).toEqual(["queen"]);
  });

  it("an empty vocabulary answers with nothing", () => {
    const kv = new KeyedVectors([], Tensor.zeros([0, 3]));
    expect(kv.mostSimilar(new Float32Array(3), 5)).toEqual([]);
    expect(kv.evaluateAnalogies([["a", "b", "c", "d"]])).toEqual({ accuracy: 0, correct: 0, total: 0, skipped: 1 });
    const r = kv.evaluateWordPairs([["a", "b", 1]]);
    expect([r.pairs, r.used, r.oovRatio, r.spearman, r.pearson]).toEqual([1, 0, 1, NaN, NaN]);
    expect(kv.evaluateWordPairs([]).oovRatio).toBeNaN();
  });

  it("refresh() recomputes the unit vectors after the table changed", () => {
    const kv = new KeyedVectors(["a", "b"], Tensor.from([[1, 0], [0, 1]]));
    expect(kv.similarity("a", "b")).toBe(0);
    kv.vectors.data[1] = 1;
    expect(kv.similarity("a", "b")).toBe(0); // cached
    kv.refresh();
    expect(kv.similarity("a", "b")).toBeCloseTo(Math.SQRT1_2, 7);
  });

  it("bad arguments name the method, the argument and the value", () => {
    const kv = royal();
    expect(() => kv.get("prince")).toThrow(/KeyedVectors.get: word "prince" is not in the vocabulary/);
    expect(() => kv.get("prince")).toThrow(RangeError);
    expect(() => kv.similarity("king", "prince")).toThrow(/KeyedVectors.similarity: b "prince" is not in the vocabulary/);
    expect(() => kv.mostSimilar("king", 0)).toThrow(/KeyedVectors.mostSimilar: topN must be >= 1, got 0/);
    expect(() => kv.mostSimilar("king", 1.5)).toThrow(/topN must be an integer, got 1.5/);
    expect(() => kv.mostSimilar("king", NaN)).toThrow(TypeError);
    expect(() => kv.mostSimilar(new Float32Array(2))).toThrow(/the query vector has length 2, expected 3/);
    expect(() => kv.mostSimilar([1, 2, 3] as any)).toThrow(/word must be a string or a Float32Array, got \[1, 2, 3\]/);
    expect(() => kv.mostSimilar("king", 1, { exclude: "man" as any })).toThrow(/options.exclude must be an array/);
    expect(() => kv.mostSimilar("king", 1, { exclde: [] } as any)).toThrow(/unknown option "exclde"/);
    expect(() => kv.analogy("man", "king", "girl")).toThrow(/KeyedVectors.analogy: c "girl" is not in the vocabulary/);
    expect(() => kv.analogy("man", "king", "woman", -1)).toThrow(/topN must be >= 1, got -1/);
    expect(() => kv.evaluateWordPairs([["king", "queen", "high" as any]])).toThrow(/pairs\[0\]\[2\] must be a finite number, got "high"/);
    expect(() => kv.evaluateWordPairs(5 as any)).toThrow(/pairs must be an iterable/);
    expect(() => kv.evaluateAnalogies([["a", "b", "c"] as any])).toThrow(/questions\[0\] must be a 4-tuple/);
    expect(() => kv.evaluateAnalogies([], { caseInsensitive: "yes" } as any)).toThrow(/options.caseInsensitive must be a boolean/);
  });
});

describe("KeyedVectors against gensim 4.2 on the same vectors", () => {
  it("similarity", () => {
    for (const [a, b, s] of gensim.similarity) expect(evalKv.similarity(a, b)).toBeCloseTo(s, 6);
  });

  it("mostSimilar by word and by vector", () => {
    for (const [word, expected] of Object.entries(gensim.most_similar) as [string, [string, number][]][]) {
      const got = evalKv.mostSimilar(word, 5);
      expect(got.map((n) => n.word)).toEqual(expected.map((e) => e[0]));
      got.forEach((n, k) => expect(n.similarity).toBeCloseTo(expected[k][1], 6));
    }
    const got = evalKv.mostSimilar(new Float32Array(gensim.most_similar_vector.vector), 4);
    expect(got.map((n) => n.word)).toEqual(gensim.most_similar_vector.result.map((e: any) => e[0]));
  });

  it("analogy = most_similar(positive=[b, c], negative=[a])", () => {
    const got = evalKv.analogy("Athens", "Greece", "Baghdad", 3);
    expect(got.map((n) => n.word)).toEqual(gensim.analogy.map((e: any) => e[0]));
    got.forEach((n, k) => expect(n.similarity).toBeCloseTo(gensim.analogy[k][1], 6));
  });

  for (const mode of ["exact", "ci"] as const) {
    const options = { caseInsensitive: mode === "ci" };
    it(`evaluateWordPairs (${mode}) = evaluate_word_pairs(case_insensitive=${mode === "ci"})`, () => {
      const r = evalKv.evaluateWordPairs(pairs, options);
      const g = gensim[mode].pairs;
      expect(r.pearson).toBeCloseTo(g.pearson, 6);
      expect(r.spearman).toBeCloseTo(g.spearman, 6);
      expect(r.oovRatio * 100).toBeCloseTo(g.oov_percent, 10);
      expect(r.pairs).toBe(pairs.length);
    });

    it(`evaluateAnalogies (${mode}) = evaluate_word_analogies(case_insensitive=${mode === "ci"})`, () => {
      const r = evalKv.evaluateAnalogies(questions, options);
      const g = gensim[mode].analogies;
      expect(r.correct).toBe(g.correct);
      expect(r.total).toBe(g.correct + g.incorrect);
      expect(r.accuracy).toBeCloseTo(g.score, 12);
      expect(r.skipped).toBe(questions.length - r.total);
    });
  }
});

describe("restrictVocab against gensim's restrict_vocab", () => {
  const r = gensim.restricted;
  it("evaluateWordPairs", () => {
    const got = evalKv.evaluateWordPairs(pairs, { restrictVocab: r.pairs_restrict_vocab });
    expect(got.pearson).toBeCloseTo(r.pairs.pearson, 6);
    expect(got.spearman).toBeCloseTo(r.pairs.spearman, 6);
    expect(got.oovRatio * 100).toBeCloseTo(r.pairs.oov_percent, 10);
  });
  it("evaluateAnalogies", () => {
    const got = evalKv.evaluateAnalogies(questions, { restrictVocab: r.analogies_restrict_vocab });
    expect([got.correct, got.total]).toEqual([r.analogies.correct, r.analogies.correct + r.analogies.incorrect]);
    expect(got.accuracy).toBeCloseTo(r.analogies.score, 12);
  });
  it("mostSimilar", () => {
    const got = evalKv.mostSimilar("king", 3, { restrictVocab: r.most_similar_king_restrict_vocab });
    expect(got.map((n) => n.word)).toEqual(r.most_similar_king.map((e: any) => e[0]));
    got.forEach((n, k) => expect(n.similarity).toBeCloseTo(r.most_similar_king[k][1], 6));
  });
  it("bad values", () => {
    expect(() => evalKv.mostSimilar("king", 3, { restrictVocab: 0 })).toThrow(/KeyedVectors.mostSimilar: options.restrictVocab must be >= 1, got 0/);
    expect(() => evalKv.evaluateWordPairs(pairs, { restrictVocab: 2.5 })).toThrow(/KeyedVectors.evaluateWordPairs: options.restrictVocab must be an integer, got 2.5/);
  });
});

describe("correlations (scipy's definitions)", () => {
  it("average ranks for ties", () => {
    expect(Array.from(averageRanks([10, 20, 10, 30]))).toEqual([1.5, 3, 1.5, 4]);
    expect(Array.from(averageRanks([5, 5, 5]))).toEqual([2, 2, 2]);
  });
  it("hand-computed values", () => {
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(0.9933992677987828, 14);
    expect(spearman([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 14);
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(0.9486832980505139, 14); // scipy.stats.spearmanr
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(pearson([1], [1])).toBeNaN();
  });
});

describe("benchmark file readers", () => {
  it("readWordPairs skips comments and blank lines, keeps case", () => {
    expect(readWordPairs("# c\n\nTiger\tcat\t7.35\r\nbook\tpaper\t7\n")).toEqual([["Tiger", "cat", 7.35], ["book", "paper", 7]]);
    expect(pairs.length).toBe(40);
  });
  it("readWordPairs errors name the source and line", () => {
    expect(() => readWordPairs("a\tb\t1\na\tb\n", "ws.tsv")).toThrow(/readWordPairs: ws.tsv line 2: expected 3 tab-separated fields \(word1, word2, score\), got 2/);
    expect(() => readWordPairs("a\tb\thigh\n", "ws.tsv")).toThrow(/ws.tsv line 1: score "high" is not a number/);
  });
  it("readAnalogies and sections", () => {
    expect(questions.length).toBe(17);
    expect(questions[0]).toEqual(["Athens", "Greece", "Baghdad", "Iraq"]);
    const sections = readAnalogySections(fixture("eval-questions.txt"));
    expect(sections.map((s) => [s.section, s.questions.length])).toEqual([["capital-common-countries", 12], ["family", 5]]);
    expect(() => readAnalogies(": s\na b c\n", "q.txt")).toThrow(/readAnalogies: q.txt line 2: expected 4 words, got 3/);
  });
});
