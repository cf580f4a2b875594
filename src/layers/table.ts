// What Embedding, EmbeddingBag and ContextMean share: reading their table options and making the
// table. Options are read as own properties only (checkOptions).
import { Tensor } from "../tensor/tensor.js";
import { Parameter } from "../tensor/parameter.js";
import { MAX_ELEMENTS, checkBoolean, checkInt, checkNumber, checkOptions, checkSeed, describe, sameShape, showShape } from "../tensor/check.js";

/** The options of a lookup table, as PyTorch's `nn.Embedding` names them. */
export interface TableOptions {
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
  weight?: Tensor;
  seed?: number;
}

/** The option names every lookup table reads. */
export const TABLE_OPTIONS = ["paddingIdx", "maxNorm", "normType", "scaleGradByFreq", "sparse", "weight", "seed"] as const;

/** A lookup table's settings, checked. */
export interface Table {
  V: number;
  H: number;
  weight: Parameter;
  paddingIdx: number | null;
  maxNorm: number | null;
  normType: number;
  scaleGradByFreq: boolean;
  sparse: boolean;
}

/**
 * Checks `V`, `H` and the table options (`o` from checkOptions) and makes the table: `weight` as given
 * (a Parameter is shared, so layers built over one Parameter tie their weights), or N(0, 1) from
 * `seed` with the padding row zeroed. Errors name `fn`, the function the user called.
 */
export function makeTable(fn: string, numEmbeddings: unknown, embeddingDim: unknown, o: TableOptions): Table {
  const V = checkInt(fn, "numEmbeddings", numEmbeddings, 1);
  const H = checkInt(fn, "embeddingDim", embeddingDim, 1);
  let pad: number | null = null;
  if (o.paddingIdx !== undefined && o.paddingIdx !== null) {
    pad = checkInt(fn, "paddingIdx", o.paddingIdx, -V, V - 1);
    if (pad < 0) pad += V;
  }
  const maxNorm = o.maxNorm === undefined || o.maxNorm === null ? null : checkNumber(fn, "maxNorm", o.maxNorm, 0, Infinity, { min: true });
  const normType = o.normType === undefined ? 2 : checkNumber(fn, "normType", o.normType, 0, Infinity, { min: true });
  const scaleGradByFreq = o.scaleGradByFreq === undefined ? false : checkBoolean(fn, "scaleGradByFreq", o.scaleGradByFreq);
  const sparse = o.sparse === undefined ? false : checkBoolean(fn, "sparse", o.sparse);
  if (o.seed !== undefined) checkSeed(fn, o.seed);
  let table: Tensor;
  if (o.weight !== undefined) {
    if (!(o.weight instanceof Tensor)) throw new TypeError(`${fn}: weight must be a Tensor, got ${describe(o.weight)}`);
    if (!sameShape(o.weight.shape, [V, H])) throw new RangeError(`${fn}: weight shape ${showShape(o.weight.shape)} != [${V}, ${H}]`);
    if (o.seed !== undefined) throw new TypeError(`${fn}: give either weight or seed, not both`);
    table = o.weight;
  } else {
    if (V * H > MAX_ELEMENTS) {
      throw new RangeError(`${fn}: a table of ${V} × ${H} = ${V * H} floats is more than a Float32Array can hold (${MAX_ELEMENTS})`);
    }
    table = Tensor.randn([V, H], { seed: o.seed });
    if (pad !== null) table.data.fill(0, pad * H, (pad + 1) * H);
  }
  const weight = table instanceof Parameter ? table : Parameter.fromTensor(table);
  return { V, H, weight, paddingIdx: pad, maxNorm, normType, scaleGradByFreq, sparse };
}

/**
 * `fromPretrained`'s arguments, checked: `weight` a 2-D Tensor `[V, H]`, `options` the layer's own
 * (`names`, less `weight` and `seed`) plus `freeze` (default true). Returns the layer's options with
 * `weight` set, and `freeze`.
 */
export function pretrainedOptions<O>(fn: string, weight: unknown, options: unknown, names: readonly string[]): { V: number; H: number; options: O; freeze: boolean } {
  if (!(weight instanceof Tensor)) throw new TypeError(`${fn}: weight must be a Tensor, got ${describe(weight)}`);
  if (weight.ndim !== 2) throw new RangeError(`${fn}: weight must be 2-D [V, H], got ${weight.ndim}-D shape ${showShape(weight.shape)}`);
  const known = [...names.filter((n) => n !== "weight" && n !== "seed"), "freeze"];
  const { freeze = true, ...rest } = checkOptions(fn, options, known) as { freeze?: unknown };
  return { V: weight.shape[0], H: weight.shape[1], options: { ...rest, weight } as O, freeze: checkBoolean(fn, "freeze", freeze) };
}
