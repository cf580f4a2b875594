// fastText's options: one table (name, default, range, help) that the library, the .bin reader and
// the CLI all read. Names and defaults are fastText 0.9's; `supervised` changes five defaults
// (loss softmax, minCount 1, minn 0, maxn 0, lr 0.1) as fastText's `supervised` command does.
import { checkInt, checkNumber, describe } from "../tensor/check.js";

export type FastTextModelName = "cbow" | "skipgram" | "supervised";
export type FastTextLoss = "ns" | "hs" | "softmax" | "ova";

/** Everything that defines a fastText model and its training. */
export interface FastTextArgs {
  model: FastTextModelName;
  loss: FastTextLoss;
  dim: number;
  ws: number;
  epoch: number;
  minCount: number;
  minCountLabel: number;
  neg: number;
  wordNgrams: number;
  bucket: number;
  minn: number;
  maxn: number;
  lr: number;
  lrUpdateRate: number;
  t: number;
  label: string;
  thread: number;
  seed: number;
}

/** Options of the trainers: any of {@link FastTextArgs} (the rest take fastText's defaults). */
export type FastTextOptions = Partial<FastTextArgs>;

interface Setting {
  name: keyof FastTextArgs;
  help: string;
  /** fastText's default for the unsupervised commands, and for `supervised` when it differs. */
  def: number | string;
  sup?: number | string;
  check: (fn: string, arg: string, v: unknown) => number | string;
}

const int = (min: number, max = 2147483647) => (fn: string, arg: string, v: unknown) => checkInt(fn, arg, v, min, max);
const oneOf = (xs: readonly string[]) => (fn: string, arg: string, v: unknown) => {
  if (typeof v !== "string" || !xs.includes(v)) throw new RangeError(`${fn}: ${arg} must be one of ${xs.map((x) => JSON.stringify(x)).join(", ")}, got ${describe(v)}`);
  return v;
};

/**
 * fastText's settings: name, help, default (and `supervised`'s default where it differs), checked by
 * the trainers and listed by `embedkit fasttext help`.
 *
 * @example
 * ```ts
 * FASTTEXT_SETTINGS.find((s) => s.name === "bucket")!.def; // 2000000
 * ```
 */
export const FASTTEXT_SETTINGS: readonly Setting[] = [
  { name: "model", help: "cbow, skipgram or supervised", def: "skipgram", check: oneOf(["cbow", "skipgram", "supervised"]) },
  { name: "minCount", help: "minimal number of word occurrences", def: 5, sup: 1, check: int(1) },
  { name: "minCountLabel", help: "minimal number of label occurrences", def: 0, check: int(0) },
  { name: "wordNgrams", help: "max length of word ngram", def: 1, check: int(1, 64) },
  { name: "bucket", help: "number of buckets", def: 2000000, check: int(0, 1 << 30) },
  { name: "minn", help: "min length of char ngram", def: 3, sup: 0, check: int(0, 64) },
  { name: "maxn", help: "max length of char ngram", def: 6, sup: 0, check: int(0, 64) },
  { name: "t", help: "sampling threshold", def: 1e-4, check: (fn, arg, v) => checkNumber(fn, arg, v, 0, 1, { min: true }) },
  { name: "label", help: "labels prefix", def: "__label__", check: (fn, arg, v) => {
    if (typeof v !== "string" || v === "" || /\s/.test(v)) throw new TypeError(`${fn}: ${arg} must be a non-empty string without whitespace, got ${describe(v)}`);
    return v;
  } },
  { name: "lr", help: "learning rate", def: 0.05, sup: 0.1, check: (fn, arg, v) => checkNumber(fn, arg, v, 0, 100, { min: true }) },
  { name: "lrUpdateRate", help: "change the rate of updates for the learning rate", def: 100, check: int(1) },
  { name: "dim", help: "size of word vectors", def: 100, check: int(1, 10000) },
  { name: "ws", help: "size of the context window", def: 5, check: int(1, 1000) },
  { name: "epoch", help: "number of epochs", def: 5, check: int(1, 1000000) },
  { name: "neg", help: "number of negatives sampled", def: 5, check: int(1, 1000) },
  { name: "loss", help: "loss function {ns, hs, softmax, ova}", def: "ns", sup: "softmax", check: oneOf(["ns", "hs", "softmax", "ova"]) },
  { name: "thread", help: "number of threads", def: 1, check: int(1, 256) },
  { name: "seed", help: "random generator seed", def: 0, check: int(0) },
];

export const FASTTEXT_OPTION_NAMES: readonly string[] = FASTTEXT_SETTINGS.map((s) => s.name);

/**
 * The options checked (own properties only; an unknown name, a wrong type or a value out of range is
 * an error naming `fn` and the option) and completed with fastText's defaults for their model.
 */
export function resolveFastTextArgs(fn: string, options: unknown, fixedModel?: FastTextModelName): FastTextArgs {
  if (options === undefined) options = {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${fn}: options must be an object, got ${describe(options)}`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!FASTTEXT_OPTION_NAMES.includes(key)) throw new TypeError(`${fn}: unknown option ${JSON.stringify(key)} (known: ${FASTTEXT_OPTION_NAMES.join(", ")})`);
  }
  const own = (k: string) => (Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined ? o[k] : undefined);
  const model = (fixedModel ?? (own("model") === undefined ? "skipgram" : oneOf(["cbow", "skipgram", "supervised"])(fn, "options.model", own("model")))) as FastTextModelName;
  if (fixedModel !== undefined && own("model") !== undefined && own("model") !== fixedModel) {
    throw new RangeError(`${fn}: options.model must be ${JSON.stringify(fixedModel)} here, got ${describe(own("model"))}`);
  }
  const out: Record<string, unknown> = { model };
  for (const s of FASTTEXT_SETTINGS) {
    if (s.name === "model") continue;
    const v = own(s.name);
    out[s.name] = v === undefined ? (model === "supervised" && s.sup !== undefined ? s.sup : s.def) : s.check(fn, `options.${s.name}`, v);
  }
  const a = out as unknown as FastTextArgs;
  if (a.maxn > 0 && a.minn > a.maxn) throw new RangeError(`${fn}: options.minn must be <= options.maxn (${a.maxn}), got ${a.minn}`);
  if (model !== "supervised" && a.loss === "ova") throw new RangeError(`${fn}: options.loss "ova" is for model "supervised", got model ${JSON.stringify(model)}`);
  // As fastText: without subwords or word n-grams the bucket rows are never used, so there are none.
  if (a.wordNgrams <= 1 && a.maxn === 0) a.bucket = 0;
  if (a.bucket === 0 && (a.maxn > 0 || a.wordNgrams > 1)) {
    throw new RangeError(`${fn}: options.bucket must be >= 1 when maxn > 0 or wordNgrams > 1, got 0`);
  }
  return a;
}

/** fastText's numeric codes in .bin files. */
export const MODEL_CODES: Record<FastTextModelName, number> = { cbow: 1, skipgram: 2, supervised: 3 };
export const LOSS_CODES: Record<FastTextLoss, number> = { hs: 1, ns: 2, softmax: 3, ova: 4 };
