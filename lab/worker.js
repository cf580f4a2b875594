// The lab's worker: CBOW training step by step (the Training view) and t-SNE (the Projector), off
// the page's thread so that the page stays responsive. Everything is the library's public API.
import {
  Adagrad, Adam, CBOW, encodeCorpus, generateDemoCorpus, KeyedVectors, PAD, Random, SGD, SparseAdam, Tensor, TSNE, trainCBOW,
} from "./embedkit.js";

/** Rows of W_in sent with every report (the most frequent words). */
const SHOWN_ROWS = 80;
/** Words whose neighbours the Training view shows while it trains (those in the vocabulary), per corpus. */
const PROBES = {
  wiki: ["he", "war", "city", "two", "french", "music"],
  demo: ["cat", "red", "bread", "garden", "eats", "girl"],
};
/** The real text the Training view starts with (see wiki-sample-README.txt). */
const WIKI_SAMPLE = new URL("./wiki-sample.txt", import.meta.url);

/** The optimizer of the Training view, over the model's parameters. */
function makeOptimizer(kind, params, lr) {
  switch (kind) {
    case "sgd": return new SGD(params, { lr });
    case "momentum": return new SGD(params, { lr, momentum: 0.9 });
    case "adagrad": return new Adagrad(params, { lr });
    case "adam": return new Adam(params, { lr });
    case "sparseadam": return new SparseAdam(params, { lr });
  }
  throw new Error(`unknown optimizer ${JSON.stringify(kind)}`);
}

let train = null;
let initId = 0;
let tsneJob = null;

self.onmessage = async (e) => {
  const m = e.data;
  try {
    await handlers[m.type](m);
  } catch (err) {
    self.postMessage({ type: "error", message: String(err && err.message ? err.message : err) });
  }
};

let wikiText = null;
async function wikiSample() {
  if (wikiText === null) {
    const r = await fetch(WIKI_SAMPLE);
    if (!r.ok) throw new Error(`${WIKI_SAMPLE.pathname}: HTTP ${r.status}`);
    wikiText = await r.text();
  }
  return wikiText;
}

const handlers = {
  /** Builds the corpus, the (context, target) pairs and the model. */
  async init(m) {
    stopTimer();
    train = null;
    const id = (initId = m.id);
    // the Wikipedia sample keeps words seen 5 times or more (as word2vec's min_count); a pasted
    // text and the demo grammar keep every word
    const text = m.source === "wiki" ? await wikiSample() : m.source === "text" ? m.text : generateDemoCorpus({ sentences: m.sentences ?? 3000, seed: 1 });
    if (id !== initId) return; // a newer init arrived while the sample loaded
    const corpus = encodeCorpus(text, { minCount: m.source === "wiki" ? 5 : 1 });
    const V = corpus.vocab.size;
    if (V < 2) throw new Error(`the corpus has ${V} distinct word(s); CBOW needs at least 2`);
    const w = m.window;
    const C = 2 * w;
    // one pair per token: its context within the sentence (PAD where the window runs off the end)
    const P = corpus.ids.length;
    const ctx = new Int32Array(P * C).fill(PAD);
    const tgt = new Int32Array(P);
    let p = 0;
    for (let s = 0; s + 1 < corpus.starts.length; s++) {
      const a = corpus.starts[s], b = corpus.starts[s + 1];
      for (let t = a; t < b; t++) {
        let k = p * C;
        for (let d = -w; d <= w; d++) {
          if (d === 0) continue;
          const u = t + d;
          if (u >= a && u < b) ctx[k] = corpus.ids[u];
          k++;
        }
        tgt[p++] = corpus.ids[t];
      }
    }
    const model = new CBOW(V, m.dim, corpus.vocab.counts, { k: m.negatives, seed: 1 });
    const opt = makeOptimizer(m.optimizer ?? "sgd", model.params, m.lr);
    const order = Int32Array.from({ length: P }, (_, i) => i);
    train = {
      words: corpus.vocab.words, counts: corpus.vocab.counts, probes: PROBES[m.source] ?? [], V, C, P, ctx, tgt, order, pos: P, model, opt, rng: new Random(1),
      batch: m.batch, k: m.negatives, dim: m.dim, step: 0, epochs: 0, lossSum: 0, lossSteps: 0, totalLoss: 0,
      playing: false, speed: m.speed ?? 100, lastReport: 0, lastNeighbours: 0, started: performance.now(), examples: 0,
      touchedIn: new Int32Array(0), touchedOut: new Int32Array(0),
    };
    self.postMessage({
      type: "ready", id, words: train.words.slice(0, SHOWN_ROWS), V, pairs: P, tokens: corpus.ids.length, raw: corpus.rawTokens ?? corpus.ids.length,
      startLoss: (1 + m.negatives) * Math.LN2, shown: Math.min(SHOWN_ROWS, V), dim: m.dim,
    });
    report(true);
  },
  play(m) {
    if (!train) return;
    train.speed = m.speed;
    if (!train.playing) {
      train.playing = true;
      train.lastTick = performance.now();
      train.credit = 1;
      tick();
    }
  },
  speed(m) {
    if (train) train.speed = m.speed;
  },
  pause() {
    if (!train) return;
    train.playing = false;
    stopTimer();
    report(true);
  },
  step(m) {
    if (!train) return;
    steps(m.count ?? 1);
    report(true);
  },
  vectors(m) {
    if (!train) return;
    const data = train.model.wordVecs.data.slice();
    self.postMessage({
      type: "vectors", live: m.live === true, step: train.step, words: train.words.slice(), counts: Array.from(train.counts), dim: train.dim, data,
    }, [data.buffer]);
  },
  /** Trains the projector's demo vectors with the fused trainer. */
  demoVectors(m) {
    const corpus = encodeCorpus(generateDemoCorpus({ sentences: m.sentences ?? 3000, seed: 1 }), { minCount: 1 });
    // no subsampling: on a corpus this small it throws away too many of the words that place the classes
    const { vocab, vectors } = trainCBOW(corpus, { dim: m.dim ?? 32, window: 2, epochs: m.epochs ?? 10, sample: 0, seed: 1 });
    const data = vectors.data.slice();
    self.postMessage({ type: "demo-vectors", words: vocab.words.slice(), counts: Array.from(vocab.counts), dim: m.dim ?? 32, data }, [data.buffer]);
  },
  tsne(m) {
    const t = new TSNE(new Tensor(m.X, [m.n, m.d]), { perplexity: m.perplexity });
    tsneJob = { id: m.id, t, iterations: m.iterations ?? 1000 };
    tsneChunk(tsneJob);
  },
  stopTsne() {
    tsneJob = null;
  },
};

let timer = 0;
function stopTimer() {
  if (timer) clearTimeout(timer);
  timer = 0;
}

/** One SGD step on the next mini-batch; a new shuffled epoch when the pairs run out. */
function steps(count) {
  const s = train;
  for (let c = 0; c < count; c++) {
    if (s.pos >= s.P) {
      // Fisher-Yates with the library's seeded generator
      for (let i = s.P - 1; i > 0; i--) {
        const j = s.rng.int(i + 1);
        const t = s.order[i];
        s.order[i] = s.order[j];
        s.order[j] = t;
      }
      if (s.step > 0) s.epochs++;
      s.pos = 0;
    }
    const B = Math.min(s.batch, s.P - s.pos);
    const ctx = new Int32Array(B * s.C);
    const tgt = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      const p = s.order[s.pos + b];
      ctx.set(s.ctx.subarray(p * s.C, (p + 1) * s.C), b * s.C);
      tgt[b] = s.tgt[p];
    }
    s.pos += B;
    const loss = s.model.forward({ data: ctx, shape: [B, s.C] }, tgt);
    s.model.backward();
    // read before the step, which applies the gradients and clears them
    s.touchedIn = s.model.inLayer.weight.touchedRows?.slice() ?? new Int32Array(0);
    s.touchedOut = s.model.nsLoss.dot.embed.weight.touchedRows?.slice() ?? new Int32Array(0);
    s.opt.step();
    s.lossSum += loss;
    s.lossSteps++;
    s.totalLoss += loss;
    s.step++;
    s.examples += B;
  }
}

/** Steps per second for the speed setting; Infinity runs flat out. */
function tick() {
  const s = train;
  if (!s || !s.playing) return;
  const now = performance.now();
  if (s.speed === Infinity) {
    const until = now + 40;
    while (performance.now() < until) steps(10);
  } else {
    s.credit += ((now - s.lastTick) / 1000) * s.speed;
    const n = Math.min(Math.floor(s.credit), Math.max(1, Math.ceil(s.speed / 5)));
    if (n > 0) {
      steps(n);
      s.credit -= n;
    }
  }
  s.lastTick = now;
  report(s.speed <= 10);
  const delay = s.speed === Infinity ? 0 : Math.max(5, Math.min(200, 1000 / s.speed));
  timer = setTimeout(tick, delay);
}

function report(force) {
  const s = train;
  const now = performance.now();
  if (!force && now - s.lastReport < 100) return;
  s.lastReport = now;
  const shown = Math.min(SHOWN_ROWS, s.V);
  const rows = s.model.wordVecs.data.slice(0, shown * s.dim);
  let neighbours = null;
  if (force || now - s.lastNeighbours > 700) {
    s.lastNeighbours = now;
    // cosine after subtracting the mean vector: early in training every row shares a common
    // direction, which would put every pair near cosine 1
    const X = s.model.wordVecs.data.slice();
    const mean = new Float64Array(s.dim);
    for (let i = 0; i < s.V; i++) for (let j = 0; j < s.dim; j++) mean[j] += X[i * s.dim + j] / s.V;
    for (let i = 0; i < s.V; i++) for (let j = 0; j < s.dim; j++) X[i * s.dim + j] -= mean[j];
    const kv = new KeyedVectors(s.words, new Tensor(X, [s.V, s.dim]));
    const probes = s.probes.filter((w) => kv.has(w));
    const words = probes.length > 0 ? probes : s.words.slice(0, 4);
    neighbours = s.step === 0 ? [] : words.map((w) => ({ word: w, near: kv.mostSimilar(w, 3).map((n) => n.word) }));
  }
  self.postMessage({
    type: "progress",
    step: s.step,
    epoch: s.epochs + s.pos / s.P,
    intervalLoss: s.lossSteps > 0 ? s.lossSum / s.lossSteps : NaN,
    intervalSteps: s.lossSteps,
    meanLoss: s.step > 0 ? s.totalLoss / s.step : NaN,
    examples: s.examples,
    seconds: (now - s.started) / 1000,
    touchedIn: s.touchedIn,
    touchedOut: s.touchedOut,
    rows,
    playing: s.playing,
    neighbours,
  }, [rows.buffer]);
  s.lossSum = 0;
  s.lossSteps = 0;
}

function tsneChunk(job) {
  if (tsneJob !== job) return;
  const start = performance.now();
  // about 60 ms of work per message, however large n is
  do job.t.step(1);
  while (performance.now() - start < 60 && job.t.iteration < job.iterations);
  const Y = Float32Array.from(job.t.Y);
  self.postMessage({ type: "tsne", id: job.id, Y, iteration: job.t.iteration, iterations: job.iterations, kl: job.t.kl }, [Y.buffer]);
  if (job.t.iteration < job.iterations) setTimeout(() => tsneChunk(job), 0);
  else if (tsneJob === job) tsneJob = null;
}
