// Every word2vec setting, written once: its name, default, range and help, and its spellings in
// word2vec.c and gensim. The trainer (trainWord2Vec's options), the model file (src/io/model.ts reads
// a model's settings back through checkSettings) and the command line (`embedkit train`'s flags and
// --help) all read this table, so a range or a default cannot differ between them.
import { checkBoolean, checkInt, checkNumber, describe } from "../tensor/check.js";

/** Every setting of a model: the training options (gensim's names in parentheses) and minCount. */
export interface Word2VecSettings {
  /** Vector size (vector_size). */
  dim: number;
  window: number;
  /** Skip-gram (sg=1) or CBOW. */
  sg: boolean;
  /** Hierarchical softmax (hs=1). */
  hs: boolean;
  /** Noise words (negative; 0: none). */
  negative: number;
  /** CBOW's mean (cbow_mean=1) or sum. */
  cbowMean: boolean;
  undividedGrad: boolean;
  sample: number;
  /** The noise distribution's exponent (ns_exponent). */
  power: number;
  /** The schedule's ends: the learning rate decays linearly from alpha to minAlpha. */
  alpha: number;
  minAlpha: number;
  /** Words seen fewer times are not in the vocabulary (min_count); new text obeys it too. */
  minCount: number;
  seed: number;
}

/** One row of {@link SETTINGS}. */
export interface SettingSpec {
  /** The option's name in the library and in the model file's header. */
  readonly name: keyof Word2VecSettings | "epochs" | "computeLoss";
  readonly kind: "int" | "number" | "boolean";
  /** The default (see `defaultFrom` for the settings whose default follows another one). */
  readonly default: number | boolean;
  /** The range, [min, max] (min excluded when `minOpen`); `maxFrom`: the max is another setting's value. */
  readonly min: number;
  readonly max: number;
  readonly minOpen?: boolean;
  readonly maxFrom?: "alpha";
  /** The default is another setting's value (undividedGrad follows cbowMean), or at most it (minAlpha ≤ alpha). */
  readonly defaultFrom?: "cbowMean" | "alpha";
  /** `embedkit train --FLAG` (null: no flag), with the value's placeholder in --help; booleans are 0|1. */
  readonly flag: string | null;
  readonly arg?: string;
  /** word2vec.c's flag (`-size`) and gensim's parameter (`vector_size`), where they exist. */
  readonly w2vc?: string;
  readonly gensim?: string;
  /** The --help line (the default is added in parentheses). */
  readonly help: string;
  /** Where it lives: in the model file's settings, among the trainer's options. */
  readonly model: boolean;
  readonly train: boolean;
}

/**
 * The table. Defaults are gensim's Word2Vec defaults for CBOW (epochs 5, alpha 0.025 → 0.0001).
 *
 * @example
 * ```ts
 * const dim = SETTINGS.find((s) => s.name === "dim");
 * [dim.default, dim.min, dim.max]; // [100, 1, 100000]
 * dim.w2vc;                        // "size"
 * ```
 */
export const SETTINGS: readonly SettingSpec[] = [
  { name: "dim", kind: "int", default: 100, min: 1, max: 100000, flag: "dim", arg: "N", w2vc: "size", gensim: "vector_size", help: "vector size", model: true, train: true },
  { name: "window", kind: "int", default: 5, min: 1, max: 1000, flag: "window", arg: "N", w2vc: "window", gensim: "window", help: "context words on each side, at most", model: true, train: true },
  { name: "sg", kind: "boolean", default: false, min: 0, max: 1, flag: "sg", w2vc: "cbow", gensim: "sg", help: "1: skip-gram, 0: CBOW (word2vec.c's -cbow 1 is --sg 0)", model: true, train: true },
  { name: "hs", kind: "boolean", default: false, min: 0, max: 1, flag: "hs", w2vc: "hs", gensim: "hs", help: "1: hierarchical softmax over a Huffman tree of the counts", model: true, train: true },
  { name: "negative", kind: "int", default: 5, min: 0, max: 1000, flag: "negative", arg: "N", w2vc: "negative", gensim: "negative", help: "noise words per word; 0: no negative sampling (needs --hs 1)", model: true, train: true },
  { name: "cbowMean", kind: "boolean", default: true, min: 0, max: 1, flag: "cbow-mean", gensim: "cbow_mean", help: "CBOW's hidden layer: the mean (1) or the sum (0) of the context", model: true, train: true },
  {
    name: "undividedGrad", kind: "boolean", default: true, defaultFrom: "cbowMean", min: 0, max: 1, flag: null,
    help: "CBOW's context rows get the hidden layer's gradient undivided (default with the mean, as gensim and word2vec.c) or divided by the context size (default with the sum)",
    model: true, train: true,
  },
  { name: "minCount", kind: "int", default: 5, min: 1, max: Number.MAX_SAFE_INTEGER, flag: "min-count", arg: "N", w2vc: "min-count", gensim: "min_count", help: "drop words seen fewer times", model: true, train: false },
  { name: "sample", kind: "number", default: 1e-3, min: 0, max: 1, flag: "sample", arg: "X", w2vc: "sample", gensim: "sample", help: "frequent-word subsampling threshold; 0: off", model: true, train: true },
  { name: "power", kind: "number", default: 0.75, min: 0, max: 10, flag: null, gensim: "ns_exponent", help: "exponent of the noise distribution", model: true, train: true },
  { name: "alpha", kind: "number", default: 0.025, min: 0, minOpen: true, max: 10, flag: "alpha", arg: "X", w2vc: "alpha", gensim: "alpha", help: "initial learning rate, > 0", model: true, train: true },
  {
    name: "minAlpha", kind: "number", default: 0.0001, defaultFrom: "alpha", min: 0, max: 10, maxFrom: "alpha", flag: "min-alpha", arg: "X", gensim: "min_alpha",
    help: "final learning rate", model: true, train: true,
  },
  { name: "seed", kind: "int", default: 1, min: -(2 ** 31), max: 2 ** 32 - 1, flag: "seed", arg: "N", gensim: "seed", help: "random seed", model: true, train: true },
  { name: "epochs", kind: "int", default: 5, min: 1, max: 100000, flag: "epochs", arg: "N", w2vc: "iter", gensim: "epochs", help: "passes over the corpus; with --resume: how many more (then the default is what is left of the model's schedule)", model: false, train: true },
  { name: "computeLoss", kind: "boolean", default: true, min: 0, max: 1, flag: null, gensim: "compute_loss", help: "track the training loss (a logarithm per scored word)", model: false, train: true },
];

/** The row of setting `name`. */
export function settingSpec(name: SettingSpec["name"]): SettingSpec {
  const s = SETTINGS.find((x) => x.name === name);
  if (s === undefined) throw new Error(`settingSpec: no setting ${JSON.stringify(name)}`);
  return s;
}

/** The names of the settings a model file records, in the table's order. */
export const SETTING_NAMES = SETTINGS.filter((s) => s.model).map((s) => s.name) as readonly (keyof Word2VecSettings)[];
/** The names of the trainer's numeric and boolean options, in the table's order. */
export const TRAIN_SETTING_NAMES = SETTINGS.filter((s) => s.train).map((s) => s.name);

/** The default of `spec` given the settings resolved so far (in the table's order). */
export function defaultOf(spec: SettingSpec, resolved: Readonly<Record<string, unknown>>): number | boolean {
  if (spec.defaultFrom === "cbowMean") return resolved.cbowMean as boolean;
  if (spec.defaultFrom === "alpha") return Math.min(spec.default as number, resolved.alpha as number);
  return spec.default;
}

/** The largest value of `spec` given the settings resolved so far. */
export function maxOf(spec: SettingSpec, resolved: Readonly<Record<string, unknown>>): number {
  return spec.maxFrom === "alpha" ? (resolved.alpha as number) : spec.max;
}

/** Checks one value against its row; `label` is how messages name it ("dim", "header.settings.dim"). */
export function checkSetting(fn: string, spec: SettingSpec, label: string, value: unknown, resolved: Readonly<Record<string, unknown>>): number | boolean {
  if (spec.kind === "boolean") return checkBoolean(fn, label, value);
  const max = maxOf(spec, resolved);
  if (spec.kind === "int") return checkInt(fn, label, value, spec.min, max);
  return checkNumber(fn, label, value, spec.min, max, { min: spec.minOpen === true });
}

/**
 * Reads the settings of `names` from `o` (own properties only: an inherited `dim` is not an
 * option), checks each against the table and fills in the defaults. `prefix` goes before each name
 * in messages ("options.", "header.settings.").
 */
export function resolveSettings(fn: string, o: Readonly<Record<string, unknown>>, names: readonly string[], prefix = ""): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const spec of SETTINGS) {
    if (!names.includes(spec.name)) continue;
    const v = Object.prototype.hasOwnProperty.call(o, spec.name) ? o[spec.name] : undefined;
    out[spec.name] = v === undefined ? defaultOf(spec, out) : checkSetting(fn, spec, `${prefix}${spec.name}`, v, out);
  }
  if (out.negative === 0 && out.hs === false) {
    throw new RangeError(`${fn}: ${prefix}negative is 0 and ${prefix}hs is off: nothing would be trained (set hs: true or negative ≥ 1)`);
  }
  return out;
}

/**
 * Checks a whole settings object (every field present, none unknown, each in range, as the model
 * file records them); `what` names it in messages.
 */
export function checkSettings(fn: string, s: unknown, what = "settings"): Word2VecSettings {
  if (s === null || typeof s !== "object") throw new TypeError(`${fn}: ${what} must be an object, got ${describe(s)}`);
  const o = s as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(SETTING_NAMES as readonly string[]).includes(k)) throw new RangeError(`${fn}: ${what} has an unknown field ${JSON.stringify(k)}`);
  for (const k of SETTING_NAMES) if (!Object.prototype.hasOwnProperty.call(o, k)) throw new RangeError(`${fn}: ${what} lacks the field ${JSON.stringify(k)}`);
  return resolveSettings(fn, o, SETTING_NAMES, `${what}.`) as unknown as Word2VecSettings;
}

/** The --help lines of the settings that have a flag ("  --dim N                   vector size (100; word2vec.c: -size)"), wrapped at 100 columns. */
export function settingsHelp(): string[] {
  const lines: string[] = [];
  for (const s of SETTINGS) {
    if (s.flag === null) continue;
    const left = `  --${s.flag} ${s.kind === "boolean" ? "0|1" : s.arg}`;
    const def = s.kind === "boolean" ? (s.default ? "1" : "0") : String(s.default);
    const alias = s.w2vc === undefined || s.name === "sg" ? "" : `; word2vec.c: -${s.w2vc}`;
    let line = left.padEnd(28);
    for (const word of `${s.help} (${def}${alias})`.split(" ")) {
      if (line.length + word.length > 100 && line.trim() !== "") {
        lines.push(line.trimEnd());
        line = " ".repeat(28);
      }
      line += `${word} `;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
