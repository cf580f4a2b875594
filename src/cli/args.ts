import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;
/** What {@link parse} returns for options T. */
export type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>>;

/** A mistake in the command line: the CLI prints it with the usage and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** parseArgs, strict, with its errors turned into UsageErrors that name the flag. */
export function parse<T extends Options>(command: string, args: string[], options: T): Parsed<T> {
  try {
    return parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>({ args, options, strict: true, allowPositionals: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    if (typeof err.code === "string" && err.code.startsWith("ERR_PARSE_ARGS")) {
      throw new UsageError(`embedkit ${command}: ${err.message.replace(/\s*\n\s*/g, " ").replace(/\. To specify a positional argument.*$/s, "")}`);
    }
    throw e;
  }
}

/** `--flag VALUE` as an integer in [min, max]. */
export function intFlag(command: string, flag: string, value: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new UsageError(`embedkit ${command}: --${flag} must be an integer ${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** `--flag VALUE` as a finite number in [min, max]. */
export function numFlag(command: string, flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`embedkit ${command}: --${flag} must be a number in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
  return n;
}
