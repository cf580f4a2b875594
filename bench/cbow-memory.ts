// Memory of CBOW training at a 1,000,000-word vocabulary, dim 100: the process's memory is sampled
// during training and compared with the two tables (2 × V × H float32 = 800 MB).
//
//   node --expose-gc build/bench/cbow-memory.js [--vocab 1000000] [--dim 100] [--tokens 2000000]
//
// The corpus is synthetic: Zipf-distributed ids over the vocabulary (encoded directly, no text).
import { parseArgs } from "node:util";
import { Vocab } from "../src/text/vocab.js";
import { UnigramSampler } from "../src/models/unigram-sampler.js";
import { trainCBOW } from "../src/word2vec/trainer.js";

const { values } = parseArgs({ options: { vocab: { type: "string", default: "1000000" }, dim: { type: "string", default: "100" }, tokens: { type: "string", default: "2000000" } } });
const V = Number(values.vocab), H = Number(values.dim), N = Number(values.tokens);
const MB = 2 ** 20;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const counts = Float64Array.from({ length: V }, (_, i) => Math.max(1, Math.round(1e7 / (i + 1))));
const vocab = new Vocab(Array.from({ length: V }, (_, i) => `w${i}`), counts);
const sampler = new UnigramSampler(counts, { power: 1, seed: 1 });
const ids = Int32Array.from({ length: N }, () => sampler.draw());
const starts = Int32Array.from({ length: Math.floor(N / 1000) + 1 }, (_, s) => Math.min(N, s * 1000));
starts[starts.length - 1] = N;
const corpus = { vocab, ids, starts, rawTokens: N };

gc();
const base = process.memoryUsage();
let peakRss = base.rss;
let peakBuffers = base.arrayBuffers;
const t0 = performance.now();
const r = trainCBOW(corpus, {
  dim: H, epochs: 1, onProgress: () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
  },
});
const tables = (2 * V * H * 4) / MB;
console.log(`V = ${V}, H = ${H}, ${N} tokens, 1 epoch in ${((performance.now() - t0) / 1000).toFixed(1)} s (${Math.round(r.stats.effectiveWordsPerSecond)} words/s)`);
console.log(`two tables (2·V·H float32):               ${tables.toFixed(1)} MB`);
console.log(`typed-array memory added during training: ${((peakBuffers - base.arrayBuffers) / MB).toFixed(1)} MB`);
console.log(`process RSS added during training:        ${((peakRss - base.rss) / MB).toFixed(1)} MB`);
console.log(`(besides the tables: subsampling + alias tables 12 bytes/word = ${((12 * V) / MB).toFixed(1)} MB, scratch O(window + negative + H))`);
