// Word-vector queries and file codecs. Run: npx vitest bench --run bench/vectors.bench.ts
// mostSimilar is one pass over V x H with a top-N heap; the baseline scores every row and sorts all V.
import { bench, describe } from "vitest";
import {
  KeyedVectors, Tensor, decodeWord2VecBinary, encodeWord2VecBinary, formatWord2VecText, parseWord2VecText,
} from "../src/index.js";

const V = 50_000;
const H = 100;
const words = Array.from({ length: V }, (_, i) => `w${i}`);
const kv = new KeyedVectors(words, Tensor.randn([V, H], { seed: 1 }));
kv.mostSimilar("w0", 1); // build the unit table outside the timings

/** The obvious version: every score into an array, sort all V, slice. */
function mostSimilarBySort(query: string, topN: number): { word: string; similarity: number }[] {
  const u = kv.unitVectors().data;
  const q = kv.index(query);
  const scored: { word: string; similarity: number }[] = [];
  for (let r = 0; r < V; r++) {
    if (r === q) continue;
    let s = 0;
    for (let k = 0; k < H; k++) s += u[r * H + k] * u[q * H + k];
    scored.push({ word: words[r], similarity: s });
  }
  return scored.sort((a, b) => b.similarity - a.similarity).slice(0, topN);
}

describe(`mostSimilar, V=${V}, H=${H}, topN=10`, () => {
  bench("one pass + top-N heap (KeyedVectors.mostSimilar)", () => {
    kv.mostSimilar("w123", 10);
  });
  bench("score all rows, sort all V (baseline)", () => {
    mostSimilarBySort("w123", 10);
  });
});

const small = new KeyedVectors(words.slice(0, 10_000), Tensor.randn([10_000, H], { seed: 2 }));
const text = formatWord2VecText(small);
const binary = encodeWord2VecBinary(small);

describe("word2vec codecs, 10,000 x 100 float32", () => {
  bench("formatWord2VecText", () => {
    formatWord2VecText(small);
  }, { iterations: 3, time: 0 });
  bench("parseWord2VecText", () => {
    parseWord2VecText(text);
  }, { iterations: 3, time: 0 });
  bench("encodeWord2VecBinary", () => {
    encodeWord2VecBinary(small);
  });
  bench("decodeWord2VecBinary", () => {
    decodeWord2VecBinary(binary);
  });
});
