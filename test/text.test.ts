import { describe, expect, it } from "vitest";
import { Vocab } from "../src/text/vocab.js";
import { tokenize } from "../src/text/tokenize.js";
import { createContextsTarget, preprocess } from "../src/text/preprocess.js";
import { encodeCorpus } from "../src/text/corpus.js";
import { DEMO_CLASSES, generateDemoCorpus } from "../src/text/synthetic.js";

describe("tokenize", () => {
  it.each([
    ["You say goodbye, and I say HELLO.", ["you", "say", "goodbye", "and", "i", "say", "hello"]],
    ["Don't stop, 2 cats!", ["don", "t", "stop", "2", "cats"]],
    ["  état-major  naïve\tcafé\n", ["état", "major", "naïve", "café"]],
    ["", []],
    ["... --- !!!", []],
  ])("%j", (text, tokens) => expect(tokenize(text)).toEqual(tokens));

  it("rejects a non-string", () => {
    expect(() => tokenize(3 as unknown as string)).toThrow(/^tokenize: text must be a string, got number$/);
  });
});

describe("Vocab", () => {
  it("sorts by count, ties in first-seen order, drops words below minCount", () => {
    const v = Vocab.build([["b", "a", "c", "a", "d", "c", "e"], ["b", "a"]], { minCount: 2 });
    expect(v.words).toEqual(["a", "b", "c"]);
    expect(Array.from(v.counts)).toEqual([3, 2, 2]);
    expect(v.totalCount).toBe(7);
    expect(v.idOf("c")).toBe(2);
    expect(v.idOf("d")).toBe(-1);
    expect(Array.from(v.encode(["d", "c", "a", "zz"]))).toEqual([2, 0]);
  });

  it("is deterministic for ties whatever the counts' magnitude", () => {
    const words = Array.from({ length: 50 }, (_, i) => `w${i}`);
    const v = Vocab.fromCounts(words.map((w) => [w, 7] as [string, number]));
    expect(v.words).toEqual(words);
  });

  it("keepProbabilities is word2vec's (sqrt(f) + 1) / f with f = count / (sample · total), capped at 1", () => {
    const v = new Vocab(["the", "cat", "emu"], [9000, 990, 10]);
    const keep = v.keepProbabilities(1e-3);
    const t = 1e-3 * 10000;
    for (let i = 0; i < 3; i++) {
      const f = v.counts[i] / t;
      expect(keep[i]).toBeCloseTo(Math.min(1, (Math.sqrt(f) + 1) / f), 12);
    }
    expect(keep[0]).toBeCloseTo(31 / 900, 12);
    expect(keep[2]).toBe(1);
    expect(Array.from(v.keepProbabilities(0))).toEqual([1, 1, 1]);
  });

  it("validates", () => {
    expect(() => Vocab.build([["a"]], { minCount: 0 })).toThrow(/^Vocab\.build: minCount must be >= 1, got 0$/);
    expect(() => Vocab.build([["a"]], { minCount: 1.5 })).toThrow(/^Vocab\.build: minCount must be an integer, got 1\.5$/);
    expect(() => Vocab.build([["a"]], { mincount: 1 } as never)).toThrow(/unknown option "mincount"/);
    expect(() => new Vocab(["a", "a"], [1, 1])).toThrow(/^Vocab: word "a" appears twice/);
    expect(() => new Vocab(["a"], [1, 2])).toThrow(/^Vocab: 1 words but 2 counts$/);
    expect(() => new Vocab(["a"], [1]).keepProbabilities(-1)).toThrow(/^Vocab\.keepProbabilities: sample must be in \[0, 1\], got -1$/);
  });
});

describe("the book's preprocess and createContextsTarget", () => {
  const { corpus, wordToId, idToWord } = preprocess("You say goodbye and I say hello.");

  it("preprocess", () => {
    expect(Array.from(corpus)).toEqual([0, 1, 2, 3, 4, 1, 5, 6]);
    expect(idToWord).toEqual(["you", "say", "goodbye", "and", "i", "hello", "."]);
    expect(wordToId.get("hello")).toBe(5);
  });

  it("createContextsTarget(corpus, 1)", () => {
    const { contexts, target } = createContextsTarget(corpus, 1);
    expect(contexts.shape).toEqual([6, 2]);
    expect(Array.from(contexts.data)).toEqual([0, 2, 1, 3, 2, 4, 3, 1, 4, 5, 1, 6]);
    expect(Array.from(target)).toEqual([1, 2, 3, 4, 1, 5]);
  });

  it("createContextsTarget(corpus, 2) and errors", () => {
    const { contexts, target } = createContextsTarget(corpus, 2);
    expect(contexts.shape).toEqual([4, 4]);
    expect(Array.from(contexts.data.subarray(0, 4))).toEqual([0, 1, 3, 4]);
    expect(Array.from(target)).toEqual([2, 3, 4, 1]);
    expect(() => createContextsTarget(corpus, 0)).toThrow(/^createContextsTarget: windowSize must be >= 1, got 0$/);
    expect(() => createContextsTarget([0, -1, 2], 1)).toThrow(/^createContextsTarget: corpus\[1\] must be >= 0, got -1$/);
  });
});

describe("encodeCorpus", () => {
  it("drops rare words, keeps sentences apart, counts raw tokens", () => {
    const c = encodeCorpus("the cat sat\n\nthe dog sat on the mat\n", { minCount: 2 });
    expect(c.vocab.words).toEqual(["the", "sat"]);
    expect(Array.from(c.ids)).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(c.starts)).toEqual([0, 2, 5]);
    expect(c.rawTokens).toBe(9);
  });

  it("cuts long lines into pieces of maxSentenceLength", () => {
    const c = encodeCorpus("a b a b a b a\nb", { minCount: 1, maxSentenceLength: 3 });
    expect(Array.from(c.starts)).toEqual([0, 3, 6, 7, 8]);
  });
});

describe("generateDemoCorpus", () => {
  it("is seeded and uses every class", () => {
    const a = generateDemoCorpus({ sentences: 500, seed: 3 });
    expect(generateDemoCorpus({ sentences: 500, seed: 3 })).toBe(a);
    expect(generateDemoCorpus({ sentences: 500, seed: 4 })).not.toBe(a);
    expect(a.split("\n")).toHaveLength(500);
    const words = new Set(tokenize(a));
    for (const cls of Object.values(DEMO_CLASSES)) for (const w of cls) expect(words.has(w), w).toBe(true);
  });
});
