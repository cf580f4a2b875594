import { Embedding } from "../layers/embedding.js";
import { MatMul } from "../layers/matmul.js";
import { oneHot } from "../tensor/ops.js";
import { Tensor } from "../tensor/tensor.js";
import { KeyedVectors } from "../vectors/keyed-vectors.js";
import { trainCBOW } from "../word2vec/trainer.js";
import { encodeCorpus } from "../text/corpus.js";
import { DEMO_CLASSES, generateDemoCorpus } from "../text/synthetic.js";

/** Options of {@link runDemo}. */
export interface DemoOptions {
  log?: (line: string) => void;
  seed?: number;
  sentences?: number;
  epochs?: number;
  /** Neighbours looked at per word (default 5; each class has 8 words). */
  top?: number;
  /** Time a lookup against one-hot @ W (default true). */
  timing?: boolean;
}

/** What the demo measured. */
export interface DemoResult {
  /** Share of the class words' nearest neighbours that are of the same class, over all classes. */
  purity: number;
  /** The same share per class. */
  classes: Record<string, number>;
  seconds: number;
}

/**
 * The `embedkit demo`: generates a corpus from a small seeded grammar whose words fall into known
 * classes, trains CBOW on it in a few seconds, prints each class word's nearest neighbours and the
 * share that are of the same class, then times an embedding lookup against one-hot @ W.
 *
 * @example
 * ```ts
 * const { purity } = runDemo({ log: () => {}, timing: false });
 * purity; // near 1: the neighbours of "cat" are animals, those of "red" colours, ...
 * ```
 */
export function runDemo(options: DemoOptions = {}): DemoResult {
  const log = options.log ?? console.log;
  const seed = options.seed ?? 1;
  const top = options.top ?? 5;
  const sentences = options.sentences ?? 8000;
  const epochs = options.epochs ?? 5;
  const text = generateDemoCorpus({ sentences, seed });
  const corpus = encodeCorpus(text, { minCount: 1 });
  log(`== CBOW on a generated corpus`);
  log(`${sentences} sentences from a seeded grammar (seed ${seed}), e.g. "${text.slice(0, text.indexOf("\n"))}"`);
  log(`${corpus.ids.length} tokens, ${corpus.vocab.size} words; training dim 32, window 3, negative 5, ${epochs} epochs`);
  const { vocab, vectors, stats } = trainCBOW(corpus, { dim: 32, window: 3, negative: 5, sample: 0, epochs, seed });
  log(`trained in ${stats.seconds.toFixed(2)} s (${Math.round(stats.effectiveWordsPerSecond / 1000)}k words/s), final loss ${stats.loss.toFixed(3)}\n`);
  const kv = new KeyedVectors(vocab.words, vectors);
  const classOf = new Map<string, string>();
  for (const [cls, words] of Object.entries(DEMO_CLASSES)) for (const w of words) classOf.set(w, cls);
  const classes: Record<string, number> = {};
  let same = 0;
  let all = 0;
  for (const [cls, words] of Object.entries(DEMO_CLASSES)) {
    let sameHere = 0;
    log(`${cls}:`);
    for (const w of words) {
      const neighbours = kv.mostSimilar(w, top);
      const hits = neighbours.filter((n) => classOf.get(n.word) === cls).length;
      sameHere += hits;
      log(`  ${w.padEnd(8)} → ${neighbours.map((n) => (classOf.get(n.word) === cls ? n.word : `${n.word}*`)).join(", ")}`);
    }
    classes[cls] = sameHere / (words.length * top);
    log(`  same class: ${(classes[cls] * 100).toFixed(0)}%`);
    same += sameHere;
    all += words.length * top;
  }
  const purity = same / all;
  log(`\nnearest neighbours of the same class: ${(purity * 100).toFixed(1)}% (* marks the others; chance ≈ ${((7 / (vocab.size - 1)) * 100).toFixed(0)}%)`);
  if (options.timing ?? true) timeLookup(log);
  return { purity, classes, seconds: stats.seconds };
}

/** Median milliseconds of `fn` over `reps` runs, after one warm-up when reps > 1. */
function median(fn: () => void, reps: number): number {
  if (reps > 1) fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

/** A batch of lookups, forward + backward, through Embedding and through one-hot @ W. */
function timeLookup(log: (s: string) => void): void {
  const N = 256;
  const H = 32;
  log(`\n== Embedding lookup vs one-hot @ W (N = ${N} indices, H = ${H}, forward + backward)`);
  log(`V        lookup (ms)   one-hot @ W (ms)   speed-up`);
  for (const V of [100, 1000, 10000]) {
    const emb = new Embedding(V, H, { seed: 1 });
    const mm = new MatMul(emb.weight);
    const idx = Int32Array.from({ length: N }, (_, i) => (i * 7919) % V);
    const dout = Tensor.ones([N, H]);
    const lookup = median(() => {
      emb.forward(idx);
      emb.backward(dout);
    }, 30);
    const dense = median(() => {
      mm.forward(oneHot(idx, V));
      mm.backward(dout);
    }, V >= 10000 ? 1 : 5);
    log(`${String(V).padEnd(8)} ${lookup.toFixed(3).padStart(11)}   ${dense.toFixed(2).padStart(16)}   ${(dense / lookup).toFixed(0).padStart(7)}×`);
  }
}
