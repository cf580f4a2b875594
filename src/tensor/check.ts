// Argument checks shared by every public function. Each throws before any state changes, with a
// message that names the function, the argument and the offending value.

/** A short, readable rendering of any value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) {
    const head = value.slice(0, 6).map(describe).join(", ");
    return `[${head}${value.length > 6 ? ", …" : ""}]`;
  }
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as { length?: number }).length ?? "?"})`;
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (typeof value === "object") {
    const name = (value as object).constructor?.name;
    return name && name !== "Object" ? `a ${name}` : "an object";
  }
  return String(value);
}

/** The number of elements of a shape. */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The largest length a Float32Array may have on every engine we support (2^31 - 1 elements). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

export function checkShape(fn: string, arg: string, shape: unknown): asserts shape is readonly number[] {
  if (!Array.isArray(shape)) {
    throw new TypeError(`${fn}: ${arg} must be an array of non-negative integers, got ${describe(shape)}`);
  }
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== "number" || !Number.isInteger(d)) {
      throw new TypeError(`${fn}: ${arg}[${i}] must be a non-negative integer, got ${describe(d)}`);
    }
    if (d < 0) throw new RangeError(`${fn}: ${arg}[${i}] must be >= 0, got ${d}`);
  }
  const size = shapeSize(shape);
  if (size > MAX_ELEMENTS) {
    throw new RangeError(
      `${fn}: ${arg} [${shape.join(", ")}] has ${size} elements, more than a Float32Array can hold (${MAX_ELEMENTS})`,
    );
  }
}

/** An integer in [min, max]; TypeError for a non-integer, RangeError outside the range. */
export function checkInt(fn: string, arg: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${fn}: ${arg} must be an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${fn}: ${arg} must be ${range}, got ${value}`);
  }
  return value;
}

/**
 * A number in [min, max] (bounds inclusive unless `open` says otherwise). TypeError for a non-number or
 * NaN, RangeError outside the range. `Infinity` passes only where `max` is Infinity.
 */
export function checkNumber(
  fn: string,
  arg: string,
  value: unknown,
  min = -Infinity,
  max = Infinity,
  open: { min?: boolean; max?: boolean } = {},
): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${fn}: ${arg} must be a number, got ${describe(value)}`);
  }
  const belowMin = open.min ? value <= min : value < min;
  const aboveMax = open.max ? value >= max : value > max;
  if (belowMin || aboveMax || (!Number.isFinite(value) && max !== Infinity)) {
    const lo = `${open.min ? "(" : "["}${min}`;
    const hi = `${max}${open.max ? ")" : "]"}`;
    throw new RangeError(`${fn}: ${arg} must be in ${lo}, ${hi}, got ${describe(value)}`);
  }
  return value;
}

export function checkBoolean(fn: string, arg: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(`${fn}: ${arg} must be a boolean, got ${describe(value)}`);
  }
  return value;
}

/**
 * Options must be a plain object (or undefined), and every key must be one the function knows.
 * Returns a copy of the options' own enumerable properties, on no prototype: an option inherited
 * from a prototype (say `Object.prototype.sparse = true`) is not read.
 */
export function checkOptions(fn: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  const own: Record<string, unknown> = Object.create(null);
  if (options === undefined) return own;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${fn}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${fn}: unknown option ${JSON.stringify(key)} (known: ${known.join(", ")})`);
    }
    own[key] = (options as Record<string, unknown>)[key];
  }
  return own;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function showShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** A seed: any safe integer (negative allowed). */
export function checkSeed(fn: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new TypeError(`${fn}: seed must be a safe integer, got ${describe(value)}`);
  }
  return value;
}
