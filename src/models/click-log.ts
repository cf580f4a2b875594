import { Random } from "../tensor/random.js";
import { checkInt, checkOptions, describe } from "../tensor/check.js";

/** Options of {@link generateClickLog}. */
export interface ClickLogOptions {
  /** Users (default 300). */
  users?: number;
  /** Items (default 200). */
  items?: number;
  /** Item categories (default 20). */
  categories?: number;
  /** User segments (default 4): each segment has its own liking of each category. */
  segments?: number;
  /** Impressions (default 50,000). */
  records?: number;
  /** Seed of the whole log (default 0). */
  seed?: number;
}

/** A categorical field of a {@link ClickLog}: its name and how many ids it has. */
export interface ClickLogField {
  name: string;
  vocab: number;
  /** Whether a record holds several ids of this field (a bag), rather than one. */
  multiValued: boolean;
}

/**
 * A synthetic click log with a known preference structure. Each record is one impression: a user, an
 * item, the item's category, the user's segment and a bag of 1–5 categories the user browsed before
 * (the history), with a click (1) or not (0) drawn from the true probability
 * `p = σ(−1 + pref[segment, category] + quality[item] + 0.8 · taste[user]·style[category] + 0.5 · [category in history])`,
 * which is kept: the AUC of `p` itself is the best any model can reach on the log (the Bayes AUC).
 */
export interface ClickLog {
  /** user, item, category, segment, history: the deep part's fields, in this order. */
  fields: ClickLogField[];
  /** Ids `[records]` of the single-valued fields (user, item, category, segment). */
  user: Int32Array;
  item: Int32Array;
  category: Int32Array;
  segment: Int32Array;
  /** The history bags: record r's are `history[historyOffsets[r] .. historyOffsets[r + 1])`. */
  history: Int32Array;
  historyOffsets: Int32Array;
  /** 1 for a click, 0 for none. */
  label: Float32Array;
  /** The true click probability of each record. */
  prob: Float64Array;
  /** Size of the wide part's vocabulary: category, segment, and the segment × category cross. */
  wideSize: number;
  options: Required<ClickLogOptions>;
}

/**
 * A seeded synthetic click log: users × items × categories with a known preference structure, for
 * training and checking a recommender ({@link WideDeep}).
 *
 * @example
 * ```ts
 * const log = generateClickLog({ records: 1000, seed: 1 });
 * log.fields.map((f) => f.name); // ["user", "item", "category", "segment", "history"]
 * log.label.length;              // 1000
 * // category 20 + segment 4 + their cross 4 · 20
 * log.wideSize;                  // 104
 * ```
 */
export function generateClickLog(options: ClickLogOptions = {}): ClickLog {
  const fn = "generateClickLog";
  const o = checkOptions(fn, options, ["users", "items", "categories", "segments", "records", "seed"]) as ClickLogOptions;
  const U = o.users === undefined ? 300 : checkInt(fn, "users", o.users, 1);
  const I = o.items === undefined ? 200 : checkInt(fn, "items", o.items, 1);
  const C = o.categories === undefined ? 20 : checkInt(fn, "categories", o.categories, 1);
  const S = o.segments === undefined ? 4 : checkInt(fn, "segments", o.segments, 1);
  const N = o.records === undefined ? 50_000 : checkInt(fn, "records", o.records, 0, 10_000_000);
  const seed = o.seed === undefined ? 0 : o.seed;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) throw new TypeError(`${fn}: seed must be a safe integer, got ${describe(seed)}`);
  const rng = new Random(seed, fn);
  const K = 4;
  const pref = Float64Array.from({ length: S * C }, () => rng.normal());
  const quality = Float64Array.from({ length: I }, () => 0.5 * rng.normal());
  const itemCat = Int32Array.from({ length: I }, () => rng.int(C));
  const userSeg = Int32Array.from({ length: U }, () => rng.int(S));
  const taste = Float64Array.from({ length: U * K }, () => rng.normal() / Math.sqrt(K));
  const style = Float64Array.from({ length: C * K }, () => rng.normal());
  const affinity = (u: number, c: number) => {
    let s = 0;
    for (let k = 0; k < K; k++) s += taste[u * K + k] * style[c * K + k];
    return s;
  };

  const user = new Int32Array(N), item = new Int32Array(N), category = new Int32Array(N), segment = new Int32Array(N);
  const historyOffsets = new Int32Array(N + 1);
  const history: number[] = [];
  const label = new Float32Array(N);
  const prob = new Float64Array(N);
  const weights = new Float64Array(C);
  for (let r = 0; r < N; r++) {
    const u = rng.int(U);
    const i = rng.int(I);
    const c = itemCat[i];
    const s = userSeg[u];
    user[r] = u;
    item[r] = i;
    category[r] = c;
    segment[r] = s;
    // history: 1–5 categories drawn from the user's own liking, exp(pref + affinity)
    let total = 0;
    for (let k = 0; k < C; k++) total += weights[k] = Math.exp(pref[s * C + k] + affinity(u, k));
    const n = 1 + rng.int(5);
    let inHistory = 0;
    for (let j = 0; j < n; j++) {
      let x = rng.uniform() * total;
      let k = 0;
      while (k < C - 1 && (x -= weights[k]) > 0) k++;
      history.push(k);
      if (k === c) inHistory = 1;
    }
    historyOffsets[r + 1] = history.length;
    const z = -1 + pref[s * C + c] + quality[i] + 0.8 * affinity(u, c) + 0.5 * inHistory;
    const p = 1 / (1 + Math.exp(-z));
    prob[r] = p;
    label[r] = rng.uniform() < p ? 1 : 0;
  }
  return {
    fields: [
      { name: "user", vocab: U, multiValued: false },
      { name: "item", vocab: I, multiValued: false },
      { name: "category", vocab: C, multiValued: false },
      { name: "segment", vocab: S, multiValued: false },
      { name: "history", vocab: C, multiValued: true },
    ],
    user, item, category, segment,
    history: Int32Array.from(history),
    historyOffsets,
    label,
    prob,
    wideSize: C + S + S * C,
    options: { users: U, items: I, categories: C, segments: S, records: N, seed },
  };
}

/** One bag input per field: a 1-D `input` and the `offsets` where each record's bag starts. */
export interface BagInput {
  input: Int32Array;
  offsets: Int32Array;
}

/** A mini-batch for {@link WideDeep}: the deep part's fields, in order, and the wide part's ids. */
export interface WideDeepBatch {
  fields: BagInput[];
  wide: BagInput;
}

/**
 * Records `start .. end` of a click log as a {@link WideDeepBatch}, with their labels and true
 * probabilities. The wide ids are the category (`c`), the segment (`C + s`) and their cross
 * (`C + S + s·C + c`): a linear model over these is what the wide part learns.
 *
 * @example
 * ```ts
 * const log = generateClickLog({ records: 100, seed: 1 });
 * const { batch, labels } = clickLogBatch(log, 0, 32);
 * batch.fields.length;        // 5
 * batch.wide.offsets.length;  // 32
 * labels.length;              // 32
 * ```
 */
export function clickLogBatch(log: ClickLog, start: number, end: number): { batch: WideDeepBatch; labels: Float32Array; prob: Float64Array } {
  const fn = "clickLogBatch";
  if (log === null || typeof log !== "object" || !(log.label instanceof Float32Array)) {
    throw new TypeError(`${fn}: log must be a ClickLog from generateClickLog, got ${describe(log)}`);
  }
  const N = log.label.length;
  checkInt(fn, "start", start, 0, N);
  checkInt(fn, "end", end, start, N);
  const B = end - start;
  const { categories: C, segments: S } = log.options;
  const counting = Int32Array.from({ length: B }, (_, b) => b);
  const single = (ids: Int32Array): BagInput => ({ input: ids.slice(start, end), offsets: counting.slice() });
  const h0 = log.historyOffsets[start];
  const history: BagInput = {
    input: log.history.slice(h0, log.historyOffsets[end]),
    offsets: Int32Array.from({ length: B }, (_, b) => log.historyOffsets[start + b] - h0),
  };
  const wide = new Int32Array(3 * B);
  const wideOffsets = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const c = log.category[start + b];
    const s = log.segment[start + b];
    wide[3 * b] = c;
    wide[3 * b + 1] = C + s;
    wide[3 * b + 2] = C + S + s * C + c;
    wideOffsets[b] = 3 * b;
  }
  return {
    batch: {
      fields: [single(log.user), single(log.item), single(log.category), single(log.segment), history],
      wide: { input: wide, offsets: wideOffsets },
    },
    labels: log.label.slice(start, end),
    prob: log.prob.slice(start, end),
  };
}
