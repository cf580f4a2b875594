// The streaming corpus path: decoding a chunk at a time, tokens and line ends whatever the chunk
// boundaries, the vocabulary counted in one pass (gensim's pruning), sentences encoded chunk by
// chunk, and trainCBOW / trainCBOWThreaded reading a stream or a file.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ChunkDecoder } from "./oracle/decode.js";
import { oracleTokenBlocks } from "./oracle/stream.js";
import { invalidUtf8At } from "../src/text/byte-tokens.js";
import { EOL, MAX_LINE_PIECE, type TextChunk } from "../src/text/stream.js";
import { tokenBlocks } from "../src/text/byte-tokens.js";
import { encodeChunks, finalVocab, scanVocab } from "../src/text/corpus-stream.js";
import { ByteTable, MAX_WORD_BYTES, scanTokens } from "../src/text/byte-tokens.js";
import { resolveTokenizerOptions } from "../src/text/stream.js";
import { encodeCorpus } from "../src/text/corpus.js";
import { tokenize } from "../src/text/tokenize.js";
import { generateDemoCorpus } from "../src/text/synthetic.js";
import { trainCBOW } from "../src/word2vec/trainer.js";
import { KeyedVectors } from "../src/vectors/keyed-vectors.js";
import { fileCorpus } from "../src/node/file-corpus.js";
import { formatVocab, parseVocab } from "../src/text/vocab-file.js";
import { Vocab } from "../src/text/vocab.js";

// Several tests here train or read megabytes: on a loaded machine they need more than the default 5 s.
vi.setConfig({ testTimeout: 60_000 });

const enc = new TextEncoder();

/** `bytes` cut at the given positions. */
function cut(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const points = [0, ...at.filter((p) => p > 0 && p < bytes.length).sort((a, b) => a - b), bytes.length];
  return points.slice(1).map((p, i) => bytes.slice(points[i], p));
}

/** Tokens as the oracle (a regular expression over decoded text, test/oracle/stream.ts) finds them. */
async function tokensOf(chunks: TextChunk[], options = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const b of oracleTokenBlocks(chunks, options)) out.push(...b);
  return out;
}

/** Tokens as the library's tokenBlocks (the byte scanner) gives them. */
async function libraryTokens(chunks: TextChunk[], options = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const b of tokenBlocks(chunks, options)) out.push(...b);
  return out;
}

/** What tokenBlocks should give: tokenize per line, a line end after every line (a last one only if it has tokens). */
function expectedTokens(text: string): string[] {
  const lines = text.split("\n");
  const last = lines.pop()!;
  return [...lines.flatMap((l) => [...tokenize(l), EOL]), ...(tokenize(last).length > 0 ? [...tokenize(last), EOL] : [])];
}

describe("the oracle's ChunkDecoder", () => {
  it("decodes UTF-8 cut anywhere, and Latin-1 byte for byte", () => {
    const bytes = enc.encode("naïve café — 東京 🐈 ok");
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const d = new ChunkDecoder("x", "utf8");
        expect(cut(bytes, [i, j]).map((c) => d.decode(c)).join("") + d.end()).toBe("naïve café — 東京 🐈 ok");
      }
    }
    const latin = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80, 0xff]);
    expect(new ChunkDecoder("x", "latin1").decode(latin)).toBe("café \u0080\u00ff");
  });

  it("names the file and the offset of the first invalid byte, wherever the chunks are cut", () => {
    const good = enc.encode("ab café\nxyz ");
    const cases: [number[], number][] = [
      [[0xe9, 0x20], good.length], // Latin-1 é followed by a space
      [[0xc3, 0x28], good.length], // a lead byte and no continuation
      [[0xed, 0xa0, 0x80], good.length], // a surrogate
      [[0xc0, 0xaf], good.length], // overlong
      [[0xf4, 0x90, 0x80, 0x80], good.length], // above U+10FFFF
      [[0x80], good.length], // a stray continuation byte
    ];
    for (const [bad, offset] of cases) {
      const bytes = new Uint8Array([...good, ...bad, ...enc.encode(" tail\n")]);
      for (let at = 1; at < bytes.length; at++) {
        const d = new ChunkDecoder("corpus.txt", "utf8");
        const run = () => {
          for (const c of cut(bytes, [at])) d.decode(c);
          d.end();
        };
        expect(run, `${bad} cut at ${at}`).toThrow(new RegExp(`^corpus\\.txt: invalid UTF-8 at byte ${offset} \\(0x${bad[0].toString(16)}`));
      }
    }
  });

  it("an unfinished sequence at the very end is an error too", () => {
    const d = new ChunkDecoder("c.txt", "utf8");
    d.decode(enc.encode("abc"));
    d.decode(new Uint8Array([0xe2, 0x82]));
    expect(() => d.end()).toThrow(/^c\.txt: invalid UTF-8 at byte 3 \(0xe2 0x82, cut off by the end of the input\)/);
  });

  it("invalidUtf8At agrees with TextDecoder on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const at = invalidUtf8At(bytes);
        let valid = true;
        try {
          new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
        } catch {
          valid = false;
        }
        expect(at === -1).toBe(valid);
        if (at >= 0) expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, at), { stream: true })).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });
});

describe("the oracle's tokenBlocks, and the library's against it", () => {
  it("the library's tokenBlocks gives the oracle's tokens", async () => {
    const text = "The cat  sat.\n\nÉtat-major, naïve CAFÉ\r\n🐈 x2 y\nlast line without newline";
    for (const options of [{}, { tokenizer: "whitespace" }, { lowercase: false }] as const) {
      expect(sentences(await libraryTokens(cut(enc.encode(text), [5, 17]), options))).toEqual(sentences(await tokensOf([text], options)));
    }
    await expect(libraryTokens([3 as never])).rejects.toThrow(/^input: a chunk must be a string or a Uint8Array, got 3$/);
  });

  it("gives tokenize's tokens and a line end per line, whatever the chunks (strings or bytes)", async () => {
    const text = "The cat  sat.\n\nÉtat-major, naïve CAFÉ\r\n🐈 x2 y\nlast line without newline";
    const want = expectedTokens(text);
    const bytes = enc.encode(text);
    for (let i = 0; i < bytes.length; i += 3) {
      expect(await tokensOf(cut(bytes, [i, i + 7]))).toEqual(want);
      expect(await tokensOf([text.slice(0, i), text.slice(i)])).toEqual(want);
    }
  });

  it("property: any text cut anywhere", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom("a", "B", "é", " ", "\n", ".", "東", "🐈", "\u0301", "\r") , maxLength: 60 }), fc.array(fc.nat(80), { maxLength: 5 }), async (text, at) => {
        expect(await tokensOf(cut(enc.encode(text), at))).toEqual(expectedTokens(text));
      }),
      { numRuns: 300 },
    );
  });

  it("whitespace tokenizer and no lower-casing keep word2phrase's tokens", async () => {
    const text = "New_York is big.\nDon't\tstop\n";
    expect(await tokensOf([text], { tokenizer: "whitespace" })).toEqual(["new_york", "is", "big.", EOL, "don't", "stop", EOL]);
    expect(await tokensOf([text], { tokenizer: "whitespace", lowercase: false })).toEqual(["New_York", "is", "big.", EOL, "Don't", "stop", EOL]);
    expect(await tokensOf([text], { lowercase: false })).toEqual(["New", "York", "is", "big", EOL, "Don", "t", "stop", EOL]);
  });

  it("empty input gives nothing; a line of separators gives a line end", async () => {
    expect(await tokensOf([])).toEqual([]);
    expect(await tokensOf([""])).toEqual([]);
    expect(await tokensOf([new Uint8Array(0)])).toEqual([]);
    expect(await tokensOf(["... !!!"])).toEqual([]);
    expect(await tokensOf(["... !!!\n"])).toEqual([EOL]);
  });

  it("one enormous line is tokenised in pieces of bounded size, cut between tokens", async () => {
    // 3 × MAX_LINE_PIECE characters with no newline, given in 64 KiB pieces
    const word = "abcdefg ";
    const line = word.repeat(Math.ceil((3 * MAX_LINE_PIECE) / word.length));
    const chunks: string[] = [];
    for (let i = 0; i < line.length; i += 65536) chunks.push(line.slice(i, i + 65536));
    let blocks = 0, longest = 0, tokens = 0, eols = 0;
    for await (const b of tokenBlocks(chunks, {})) {
      blocks++;
      longest = Math.max(longest, b.length);
      for (const t of b) {
        if (t === EOL) eols++;
        else if (t === "abcdefg") tokens++;
        else throw new Error(`unexpected token ${JSON.stringify(t)}`);
      }
    }
    expect(tokens).toBe(line.length / word.length);
    expect(eols).toBe(1);
    expect(blocks).toBeGreaterThanOrEqual(3);
    expect(longest).toBeLessThanOrEqual((MAX_LINE_PIECE + 65536) / word.length + 2);
  });

  it("a single token longer than MAX_LINE_PIECE is cut (never held whole)", async () => {
    const chunks = Array.from({ length: 40 }, () => "x".repeat(65536));
    const toks = await tokensOf(chunks);
    expect(toks[toks.length - 1]).toBe(EOL);
    expect(toks.slice(0, -1).join("").length).toBe(40 * 65536);
    expect(Math.max(...toks.map((t) => t.length))).toBeLessThanOrEqual(MAX_LINE_PIECE + 65536);
  });

  it("rejects a chunk that is neither text nor bytes, naming the input", async () => {
    await expect(tokensOf([3 as never])).rejects.toThrow(/^input: a chunk must be a string or a Uint8Array, got 3$/);
  });
});

/** Tokens from the byte scanner (the fast path), as strings, line ends as EOL. */
async function fastTokens(chunks: TextChunk[], options = {}): Promise<string[]> {
  const out: string[] = [];
  const dec = new TextDecoder();
  const sink = {
    bytes: (b: Uint8Array, s: number, e: number) => void out.push(dec.decode(b.subarray(s, e))),
    text: (t: string) => void out.push(t),
    eol: () => void out.push(EOL),
  };
  for await (const _ of scanTokens(chunks, resolveTokenizerOptions("test", options), sink));
  return out;
}

/** Line ends only matter between tokens: drop repeated and leading ones. */
function sentences(tokens: string[]): string[] {
  return tokens.filter((t, i) => t !== EOL || (i > 0 && tokens[i - 1] !== EOL));
}

describe("the byte scanner gives tokenBlocks' tokens", () => {
  const units = ["a", "Z", "7", "é", "É", " ", "\t", "\r", "\v", "\f", "\n", ".", "'", "_", "-", "東", "🐈", "\u0301", "\u00a0", "\u3000", "Σ", "İ", "ß", "\ufeff"];
  for (const options of [{}, { tokenizer: "whitespace" }, { lowercase: false }, { tokenizer: "whitespace", lowercase: false }] as const) {
    it(`property, ${JSON.stringify(options)}: any text, cut anywhere`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom(...units), { maxLength: 50 }), fc.array(fc.nat(120), { maxLength: 4 }), async (parts, at) => {
          const bytes = enc.encode(parts.join(""));
          const want = sentences(await tokensOf([bytes], options));
          expect(sentences(await fastTokens(cut(bytes, at), options))).toEqual(want);
        }),
        { numRuns: 400 },
      );
    });
  }

  it("Latin-1 bytes, and invalid UTF-8 reported at the same byte as the decoder does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(0x61, 0x41, 0x20, 0x0a, 0xe9, 0xc3, 0xa9, 0x80, 0xff, 0xe2, 0x82, 0xac, 0x2e), { maxLength: 30 }), fc.nat(30), async (arr, at) => {
        const bytes = Uint8Array.from(arr);
        expect(sentences(await fastTokens(cut(bytes, [at]), { encoding: "latin1" }))).toEqual(sentences(await tokensOf([bytes], { encoding: "latin1" })));
        const slow = await tokensOf([bytes]).then(() => null, (e: Error) => e.message.match(/at byte (\d+)/)![1]);
        const fast = await fastTokens(cut(bytes, [at])).then(() => null, (e: Error) => e.message.match(/at byte (\d+)/)![1]);
        expect(fast).toBe(slow);
      }),
      { numRuns: 1000 },
    );
  });

  it("a word longer than MAX_WORD_BYTES is cut, never between the bytes of a character", async () => {
    const long = "é".repeat(MAX_WORD_BYTES); // 2 MiB of one word
    const toks = await fastTokens(cut(enc.encode(long + " end\n"), [100000, 1500000]));
    expect(toks.slice(0, -2).join("")).toBe(long);
    expect(toks.slice(-2)).toEqual(["end", EOL]);
    expect(toks.length).toBeGreaterThan(3);
  });

  it("ByteTable counts, finds and prunes keeping insertion order", () => {
    const t = new ByteTable(2);
    const words = Array.from({ length: 300 }, (_, i) => `w${i % 97}`);
    for (const w of words) {
      const b = enc.encode(w);
      t.add(b, 0, b.length);
    }
    expect(t.size).toBe(97);
    t.prune(4); // w0..w8 were seen 4 times (i % 97 < 300 - 291), the others 3
    expect([...t.toMap().entries()]).toEqual(Array.from({ length: 9 }, (_, i) => [`w${i}`, 4]));
    const v = ByteTable.of(["the", "café"]);
    expect(v.find(enc.encode("café"), 0, 5)).toBe(1);
    expect(v.find(enc.encode("xthe"), 1, 4)).toBe(0);
    expect(v.find(enc.encode("cat"), 0, 3)).toBe(-1);
  });
});

/** The corpus of make-vocab-golden.py, line by line (the same integers and doubles). */
function goldenCorpus(lines = 3000, seed = 12345): string {
  let x = seed;
  const out: string[] = [];
  const step = () => (x = (x * 48271) % 2147483647); // MINSTD: exact in doubles
  for (let l = 0; l < lines; l++) {
    step();
    const n = 1 + (x % 12);
    const s: string[] = [];
    for (let i = 0; i < n; i++) {
      step();
      s.push(`w${Math.floor((x / 2147483647) ** 3 * 500)}`);
    }
    out.push(s.join(" "));
  }
  return out.join("\n") + "\n";
}

describe("scanVocab", () => {
  const demo = generateDemoCorpus({ sentences: 2000, seed: 4 });

  it("counts what encodeCorpus counts, in the same order", async () => {
    for (const minCount of [1, 5, 50]) {
      const scan = await scanVocab([demo.slice(0, 777), demo.slice(777)], { minCount });
      const c = encodeCorpus(demo, { minCount });
      expect(scan.vocab.words).toEqual(c.vocab.words);
      expect(Array.from(scan.vocab.counts)).toEqual(Array.from(c.vocab.counts));
      expect(scan.rawTokens).toBe(c.rawTokens);
      expect(scan.lines).toBe(2000);
    }
  });

  it("max_vocab_size pruning and max_final_vocab give gensim 4.2's vocabulary", async () => {
    const golden = JSON.parse(readFileSync(resolve(import.meta.dirname, "fixtures", "vocab-gensim.json"), "utf8")) as {
      cases: { maxVocabSize: number | null; minCount: number; maxFinalVocab: number | null; counts: Record<string, number> }[];
    };
    const text = goldenCorpus();
    for (const g of golden.cases) {
      const scan = await scanVocab([text], {
        minCount: g.minCount, tokenizer: "whitespace", lowercase: false,
        ...(g.maxVocabSize === null ? {} : { maxVocabSize: g.maxVocabSize }),
        ...(g.maxFinalVocab === null ? {} : { maxFinalVocab: g.maxFinalVocab }),
      });
      const got = Object.fromEntries(scan.vocab.words.map((w, i) => [w, scan.vocab.counts[i]]).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
      expect(got, JSON.stringify({ ...g, counts: undefined })).toEqual(g.counts);
      if (g.maxVocabSize !== null) expect(scan.prunings).toBeGreaterThan(0);
    }
  });

  it("finalVocab drops every word tied at the max_final_vocab limit", () => {
    const counts = new Map([["a", 5], ["b", 3], ["c", 3], ["d", 1]]);
    expect(finalVocab(counts, 1, 2)).toEqual({ vocab: expect.any(Vocab), effectiveMinCount: 4 });
    expect(finalVocab(counts, 1, 3).vocab.words).toEqual(["a", "b", "c"]);
    expect(finalVocab(counts, 1, 10).vocab.words).toEqual(["a", "b", "c", "d"]);
  });

  it("validates its options before reading", async () => {
    await expect(scanVocab([demo], { minCount: 0 })).rejects.toThrow(/^scanVocab: minCount must be >= 1, got 0$/);
    await expect(scanVocab([demo], { maxVocabSize: 1.5 })).rejects.toThrow(/^scanVocab: maxVocabSize must be an integer, got 1\.5$/);
    await expect(scanVocab([demo], { encoding: "utf16" as never })).rejects.toThrow(/^scanVocab: encoding must be "utf8" or "latin1", got "utf16"$/);
    await expect(scanVocab([demo], { tokenizer: "bpe" as never })).rejects.toThrow(/^scanVocab: tokenizer must be "words" or "whitespace"/);
    await expect(scanVocab([demo], { minCont: 3 } as never)).rejects.toThrow(/^scanVocab: unknown option "minCont"/);
    await expect(scanVocab(42 as never)).rejects.toThrow(/^scanVocab: corpus must be an EncodedCorpus, a CorpusSource/);
  });
});

describe("encodeChunks", () => {
  it("chunks laid end to end are encodeCorpus's ids and sentences", async () => {
    const text = generateDemoCorpus({ sentences: 1500, seed: 6 }) + "\n" + "the cat ".repeat(40) + "\nfish";
    for (const [maxSentenceLength, chunkTokens] of [[10000, 1], [10000, 500], [7, 64], [3, 1000000]]) {
      const want = encodeCorpus(text, { minCount: 3, maxSentenceLength });
      const ids: number[] = [];
      const starts: number[] = [0];
      let raw = 0;
      for await (const c of encodeChunks([text.slice(0, 5000), text.slice(5000)], want.vocab, { maxSentenceLength, chunkTokens })) {
        expect(c.starts[0]).toBe(0);
        expect(c.starts[c.starts.length - 1]).toBe(c.ids.length);
        if (chunkTokens < 1000000 && c.ids.length > 0) expect(c.ids.length).toBeLessThan(chunkTokens + maxSentenceLength + 1);
        for (let s = 1; s < c.starts.length; s++) {
          expect(c.starts[s] - c.starts[s - 1]).toBeGreaterThan(0);
          expect(c.starts[s] - c.starts[s - 1]).toBeLessThanOrEqual(maxSentenceLength);
          starts.push(ids.length + c.starts[s]);
        }
        ids.push(...c.ids);
        raw += c.rawTokens;
      }
      expect(ids).toEqual(Array.from(want.ids));
      expect(starts.slice(0, -0 || undefined)).toEqual(Array.from(want.starts));
      expect(raw).toBe(want.rawTokens);
    }
  });
});

describe("trainCBOW on a stream", () => {
  const text = generateDemoCorpus({ sentences: 3000, seed: 2 });
  const bytes = enc.encode(text);
  const options = { dim: 16, epochs: 2, seed: 3, minCount: 1, sample: 0 };

  it("a stream that fits in memory trains exactly as trainCBOW(encodeCorpus(text))", async () => {
    const want = trainCBOW(encodeCorpus(text, { minCount: 1 }), { dim: 16, epochs: 2, seed: 3, sample: 0 });
    const got = await trainCBOW(cut(bytes, [1000, 50000]), options);
    expect(got.vectors.data).toEqual(want.vectors.data);
    expect(got.outputVectors.data).toEqual(want.outputVectors.data);
    expect(got.corpus).toEqual({ rawTokens: want.corpus.rawTokens, tokens: want.corpus.tokens, streamed: false });
    async function* once() {
      yield text.slice(0, 3333);
      yield text.slice(3333);
    }
    const onePass = await trainCBOW(once(), options);
    expect(onePass.vectors.data).toEqual(want.vectors.data);
  });

  it("streamed (corpusMemory 0): every epoch read again, reproducible, learns the classes", async () => {
    const reports: number[] = [];
    const a = await trainCBOW([text], { ...options, epochs: 3, corpusMemory: 0, chunkTokens: 4000, onProgress: (p) => reports.push(p.words) });
    const b = await trainCBOW(cut(bytes, [7, 30000, 30001]), { ...options, epochs: 3, corpusMemory: 0, chunkTokens: 4000 });
    expect(a.corpus.streamed).toBe(true);
    expect(a.vectors.data).toEqual(b.vectors.data); // chunks are cut by ids, not by how the bytes arrive
    const c = encodeCorpus(text, { minCount: 1 });
    expect(a.stats.words).toBe(3 * c.ids.length);
    expect(a.stats.epoch).toBe(3);
    expect(a.corpus).toEqual({ rawTokens: c.rawTokens, tokens: c.ids.length, streamed: true });
    expect(reports.length).toBeGreaterThan(3);
    expect(reports).toEqual([...reports].sort((x, y) => x - y));
    const kv = new KeyedVectors(a.vocab.words, a.vectors);
    const animals = ["dog", "horse", "cow", "sheep", "mouse", "rabbit", "fox"];
    expect(kv.mostSimilar("cat", 5).filter((n) => animals.includes(n.word)).length).toBeGreaterThanOrEqual(3);
    // and the learning rate decayed over the whole run, not per chunk: the loss is that of one run
    const inMemory = trainCBOW(c, { dim: 16, epochs: 3, seed: 3, sample: 0 });
    expect(Math.abs(a.stats.loss - inMemory.stats.loss)).toBeLessThan(0.05);
  });

  it("a one-pass source larger than corpusMemory is refused, naming the budget", async () => {
    async function* once() {
      yield text;
    }
    await expect(trainCBOW(once(), { ...options, corpusMemory: 1000 })).rejects.toThrow(
      /^trainCBOW: input can be read only once and holds more than 250 tokens, the memory budget \(corpusMemory 1000 bytes\)/,
    );
  });

  it("refuses bad options before reading, and a corpus of fewer than 2 words", async () => {
    let opened = 0;
    const source = { name: "s.txt", open: () => (opened++, [text]) };
    await expect(trainCBOW(source, { dim: 0 })).rejects.toThrow(/^trainCBOW: dim must be in \[1, 100000\], got 0$/);
    await expect(trainCBOW(source, { corpusMemory: -1 })).rejects.toThrow(/^trainCBOW: corpusMemory must be >= 0, got -1$/);
    await expect(trainCBOW(source, { chunkTokens: 0 })).rejects.toThrow(/^trainCBOW: chunkTokens must be >= 1, got 0$/);
    await expect(trainCBOW(source, { vocab: ["a"] } as never)).rejects.toThrow(/^trainCBOW: vocab must be a Vocab, got /);
    await expect(trainCBOW(source, { lowercase: "yes" } as never)).rejects.toThrow(/^trainCBOW: lowercase must be a boolean/);
    expect(opened).toBe(0);
    await expect(trainCBOW(["a a a\n"], { minCount: 1 })).rejects.toThrow(/^trainCBOW: the vocabulary has 1 word\(s\); negative sampling needs at least 2/);
    await expect(trainCBOW([""], { minCount: 1 })).rejects.toThrow(/^trainCBOW: the vocabulary has 0 word\(s\)/);
    expect(() => trainCBOW([], { minCount: 1 })).toThrow(/^trainCBOW: corpus is an empty array of chunks: there is nothing to train on$/);
    expect(() => trainCBOW(["a", 3 as never])).toThrow(/^trainCBOW: corpus\[1\] must be a string or a Uint8Array, got 3$/);
  });

  it("invalid UTF-8 in a stream is an error naming the source and the byte", async () => {
    const bad = new Uint8Array([...enc.encode("the cat\nthe caf"), 0xe9, ...enc.encode("\n")]);
    const source = { name: "latin.txt", open: () => [bad] };
    await expect(trainCBOW(source, { minCount: 1 })).rejects.toThrow(/^latin\.txt: invalid UTF-8 at byte 15 \(0xe9 0x0a\)/);
    const latin = await trainCBOW(source, { minCount: 1, encoding: "latin1", dim: 4, epochs: 1 });
    expect(latin.vocab.words).toContain("café");
  });

  it("a given vocabulary skips the counting pass", async () => {
    let opened = 0;
    const source = { name: "s.txt", open: () => (opened++, [text]) };
    const vocab = new Vocab(["cat", "dog", "the"], [10, 10, 100]);
    const r = await trainCBOW(source, { ...options, vocab, corpusMemory: 0 });
    expect(r.vocab).toBe(vocab);
    expect(opened).toBe(2); // one pass per epoch, no counting pass
  });
});

describe("files", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "embedkit-stream-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("fileCorpus reads a file a mebibyte at a time, every time it is opened", async () => {
    const path = join(dir, "c.txt");
    const text = generateDemoCorpus({ sentences: 40000, seed: 1 }); // about 1.5 MB: two reads
    writeFileSync(path, text);
    const source = fileCorpus(path);
    const sizes: number[] = [];
    for await (const c of source.open()) sizes.push((c as Uint8Array).length);
    expect(sizes.length).toBe(2);
    expect(sizes[0]).toBe(1 << 20);
    const scan = await scanVocab(source, { minCount: 1 });
    expect(scan.vocab.words).toEqual(encodeCorpus(text, { minCount: 1 }).vocab.words);
  });

  it("I/O errors name the user's path, not the file read", async () => {
    await expect(scanVocab(fileCorpus(join(dir, "missing.txt")))).rejects.toThrow(/^ENOENT: no such file or directory, open '.*missing\.txt'$/);
    await expect(scanVocab(fileCorpus(join(dir, "missing.txt"), { name: "standard input" }))).rejects.toThrow(
      /^ENOENT: no such file or directory, open 'standard input'$/,
    );
    await expect(scanVocab(fileCorpus(dir))).rejects.toThrow(/^.*embedkit-stream-.*: EISDIR|^EISDIR/);
  });

  it("vocabulary files in word2vec.c's format round-trip, and malformed ones are refused by line", () => {
    const vocab = new Vocab(["the", "new_york", "café"], [9, 4, 2]);
    const text = Array.from(formatVocab(vocab)).join("");
    expect(text).toBe("the 9\nnew_york 4\ncafé 2\n");
    expect(parseVocab(text, "v.txt")).toEqual(new Map([["the", 9], ["new_york", 4], ["café", 2]]));
    expect(parseVocab("a 1\r\n\nb 2", "v.txt")).toEqual(new Map([["a", 1], ["b", 2]]));
    expect(() => parseVocab("a 1\nb\n", "v.txt")).toThrow(/^v\.txt: line 2: expected "word count", got "b"$/);
    expect(() => parseVocab("a 1\nb -2\n", "v.txt")).toThrow(/^v\.txt: line 2: expected "word count", got "b -2"$/);
    expect(() => parseVocab("a 1\na 2\n", "v.txt")).toThrow(/^v\.txt: line 2: "a" is listed twice$/);
  });
});
