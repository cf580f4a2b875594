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

const NUMBER = /^-(\d|\.\d|Infinity\b|inf\b|nan\b|NaN\b)/i;

/**
 * parseArgs, strict, with its errors turned into UsageErrors that name the flag. A value that looks
 * like a negative number (`--dim -5`) is taken as the flag's value, so that the range check can
 * say what is wrong with it, rather than as an unknown flag.
 */
export function parse<T extends Options>(command: string, args: string[], options: T): Parsed<T> {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const name = a.startsWith("--") && !a.includes("=") ? a.slice(2) : null;
    if (name !== null && options[name]?.type === "string" && i + 1 < args.length && NUMBER.test(args[i + 1])) {
      joined.push(`${a}=${args[++i]}`);
    } else {
      joined.push(a);
    }
  }
  try {
    return parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>({ args: joined, options, strict: true, allowPositionals: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    if (typeof err.code === "string" && err.code.startsWith("ERR_PARSE_ARGS")) {
      throw new UsageError(`embedkit ${command}: ${err.message.replace(/\s*\n\s*/g, " ").replace(/\. To specify a positional argument.*$/s, "")}`);
    }
    throw e;
  }
}

/**
 * Rewrites word2vec.c's single-dash flags (`-size 100`, `-cbow 0`, `-binary 1`) as embedkit's
 * (`--dim 100`, `--sg 1`, `--binary`), by the table `aliases`: an alias maps to a flag name, or to
 * a function of its value that returns the flags to use instead.
 */
export function rewriteAliases(
  command: string,
  args: readonly string[],
  aliases: Readonly<Record<string, string | ((value: string | undefined) => string[])>>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^-([a-z][a-z-]*)$/.exec(a);
    const alias = m === null ? undefined : aliases[m[1]];
    if (alias === undefined && m !== null && m[1].length > 1) {
      throw new UsageError(
        `embedkit ${command}: unknown option ${a} (word2vec.c's flags taken here: ${Object.keys(aliases).map((k) => `-${k}`).join(" ")})`,
      );
    }
    if (alias === undefined) {
      out.push(a);
    } else if (typeof alias === "string") {
      out.push(`--${alias}`);
    } else {
      const value = args[i + 1];
      i++;
      out.push(...alias(value));
    }
  }
  return out;
}

/** A word2vec.c flag that takes 0 or 1. */
export function zeroOne(command: string, flag: string, value: string | undefined): 0 | 1 {
  if (value === "0" || value === "1") return Number(value) as 0 | 1;
  throw new UsageError(`embedkit ${command}: ${flag} must be 0 or 1, got ${value === undefined ? "nothing" : JSON.stringify(value)}`);
}

function shown(value: string): string {
  return NUMBER.test(value) || /^[+]?(\d|\.\d)/.test(value) ? value.trim() : JSON.stringify(value);
}

/** `--flag VALUE` as an integer in [min, max]. */
export function intFlag(command: string, flag: string, value: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (Number.isNaN(n)) throw new UsageError(`embedkit ${command}: --${flag} must be an integer, got ${JSON.stringify(value)}`);
  if (n < min) throw new UsageError(`embedkit ${command}: --${flag} must be >= ${min}, got ${shown(value)}`);
  if (n > max || !Number.isSafeInteger(n)) throw new UsageError(`embedkit ${command}: --${flag} must be <= ${max}, got ${shown(value)}`);
  return n;
}

/** `--flag VALUE` as a finite number in [min, max] (or (min, max] with `exclusiveMin`). */
export function numFlag(
  command: string, flag: string, value: string | undefined, fallback: number, min: number, max: number, exclusiveMin = false,
): number {
  if (value === undefined) return fallback;
  const n = value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`embedkit ${command}: --${flag} must be a number, got ${JSON.stringify(value)}`);
  if (exclusiveMin ? n <= min : n < min) throw new UsageError(`embedkit ${command}: --${flag} must be ${exclusiveMin ? ">" : ">="} ${min}, got ${shown(value)}`);
  if (n > max) throw new UsageError(`embedkit ${command}: --${flag} must be <= ${max}, got ${shown(value)}`);
  return n;
}

/** `--flag VALUE` as one of `choices`. */
export function choiceFlag<T extends string>(command: string, flag: string, value: string | undefined, fallback: T, choices: readonly T[]): T {
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`embedkit ${command}: --${flag} must be ${choices.map((c) => JSON.stringify(c)).join(" or ")}, got ${JSON.stringify(value)}`);
}
