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
  /**
   * Only the results (`embedkit demo --quiet`): each class's share of same-class neighbours, the
   * overall share, and the timing table; not the corpus, the training or the neighbour lists.
   */
  quiet?: boolean;
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
  const detail = options.quiet === true ? () => {} : log;
  const seed = options.seed ?? 1;
  const top = options.top ?? 5;
  const sentences = options.sentences ?? 8000;
  const epochs = options.epochs ?? 5;
  const text = generateDemoCorpus({ sentences, seed });
  const corpus = encodeCorpus(text, { minCount: 1 });
  detail(`== CBOW on a generated corpus`);
  detail(`${sentences} sentences from a seeded grammar (seed ${seed}), e.g. "${text.slice(0, text.indexOf("\n"))}"`);
  detail(`${corpus.ids.length} tokens, ${corpus.vocab.size} words; training dim 32, window 3, negative 5, ${epochs} epochs`);
  const { vocab, vectors, stats } = trainCBOW(corpus, { dim: 32, window: 3, negative: 5, sample: 0, epochs, seed });
  detail(`trained in ${stats.seconds.toFixed(2)} s (${Math.round(stats.effectiveWordsPerSecond / 1000)}k words/s), final loss ${stats.loss.toFixed(3)}\n`);
  const kv = new KeyedVectors(vocab.words, vectors);
  const classOf = new Map<string, string>();
  for (const [cls, words] of Object.entries(DEMO_CLASSES)) for (const w of words) classOf.set(w, cls);
  const classes: Record<string, number> = {};
  let same = 0;
  let all = 0;
  for (const [cls, words] of Object.entries(DEMO_CLASSES)) {
    let sameHere = 0;
    detail(`${cls}:`);
    for (const w of words) {
      const neighbours = kv.mostSimilar(w, top);
      const hits = neighbours.filter((n) => classOf.get(n.word) === cls).length;
      sameHere += hits;
      detail(`  ${w.padEnd(8)} → ${neighbours.map((n) => (classOf.get(n.word) === cls ? n.word : `${n.word}*`)).join(", ")}`);
    }
    classes[cls] = sameHere / (words.length * top);
    if (options.quiet === true) log(`${cls}: ${(classes[cls] * 100).toFixed(0)}% of the nearest neighbours of the same class`);
    else log(`  same class: ${(classes[cls] * 100).toFixed(0)}%`);
    same += sameHere;
    all += words.length * top;
  }
  const purity = same / all;
  log(`\nnearest neighbours of the same class: ${(purity * 100).toFixed(1)}% (* marks the others; chance ≈ ${((7 / (vocab.size - 1)) * 100).toFixed(0)}%)`);
  if (options.timing ?? true) timeLookup(log);
  return { purity, classes, seconds: stats.seconds };
}

/**
 * Milliseconds per call of `fn`: runs it until `warmMs` have passed (the JIT compiles it and the
 * caches fill), then takes `samples` timings, each of a batch of calls long enough (about `batchMs`)
 * for the clock's resolution not to matter. Returns the per-call time of every batch, sorted.
 */
function timeCalls(fn: () => void, samples: number, warmMs: number, batchMs: number): number[] {
  let calls = 0;
  const warmStart = performance.now();
  do {
    fn();
    calls++;
  } while (performance.now() - warmStart < warmMs);
  const perCall = (performance.now() - warmStart) / calls;
  const batch = Math.max(1, Math.ceil(batchMs / Math.max(perCall, 1e-6)));
  const t: number[] = [];
  for (let k = 0; k < samples; k++) {
    const s = performance.now();
    for (let i = 0; i < batch; i++) fn();
    t.push((performance.now() - s) / batch);
  }
  return t.sort((a, b) => a - b);
}

const median = (sorted: readonly number[]) => sorted[Math.floor(sorted.length / 2)];
const lowerQuartile = (sorted: readonly number[]) => sorted[Math.floor(sorted.length / 4)];
const upperQuartile = (sorted: readonly number[]) => sorted[Math.ceil((3 * sorted.length) / 4) - 1];

/**
 * A batch of lookups, forward + backward, through Embedding and through one-hot @ W. Each is warmed
 * up, then timed in batches (seven; three for the slow one-hot product at V = 10000); the table shows
 * the medians and, for the speed-up, a range from the quartiles (the lookup's upper quartile against
 * the one-hot's lower one, and the reverse): on a busy machine one timing can be off by a factor of
 * several, and a single ratio of two such timings varied from 87,000× to 257,000× between runs.
 */
function timeLookup(log: (s: string) => void): void {
  const N = 256;
  const H = 32;
  log(`\n== Embedding lookup vs one-hot @ W (N = ${N} indices, H = ${H}, forward + backward; median of timed batches after a warm-up)`);
  log(`V        lookup (ms)   one-hot @ W (ms)   speed-up (range)`);
  for (const V of [100, 1000, 10000]) {
    const emb = new Embedding(V, H, { seed: 1 });
    const mm = new MatMul(emb.weight);
    const idx = Int32Array.from({ length: N }, (_, i) => (i * 7919) % V);
    const dout = Tensor.ones([N, H]);
    const lookup = timeCalls(() => {
      emb.forward(idx);
      emb.backward(dout);
    }, 7, 30, 5);
    const dense = timeCalls(() => {
      mm.forward(oneHot(idx, V));
      mm.backward(dout);
    }, V >= 10000 ? 3 : 7, V >= 10000 ? 1 : 50, V >= 10000 ? 1 : 10);
    const low = lowerQuartile(dense) / upperQuartile(lookup);
    const high = upperQuartile(dense) / lowerQuartile(lookup);
    const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(2));
    log(
      `${String(V).padEnd(8)} ${median(lookup).toFixed(4).padStart(11)}   ${median(dense).toFixed(2).padStart(16)}   ` +
        `${fmt(median(dense) / median(lookup)).padStart(7)}× (${fmt(low)}–${fmt(high)}×)`,
    );
  }
}
