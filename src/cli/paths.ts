// Checks made before any training, so that a run can neither end by failing to write nor overwrite
// its own input: every output's directory exists and is writable, and no output is an input (the
// same file by device and inode, whatever symlinks or hard links lead to it).
import { accessSync, constants, lstatSync, readlinkSync, realpathSync, statSync, type Stats } from "node:fs";
import { dirname, resolve } from "node:path";

/** A path that cannot be used: the CLI prints the message (no usage) and exits with code 2. @internal */
export class PathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PathError";
  }
}

/** A path given on the command line, and the flag that gave it (for messages). @internal */
export interface NamedPath {
  flag: string;
  path: string;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new PathError(`${path} cannot be reached (${code ?? (e as Error).message})`);
  }
}

/** The file a write to `path` ends up in: through symlinks (dangling ones too), absolute. @internal */
export function writeTarget(path: string): string {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let l: Stats;
    try {
      l = lstatSync(p);
    } catch {
      break; // does not exist: this is where the file will be
    }
    if (!l.isSymbolicLink()) break;
    p = resolve(dirname(p), readlinkSync(p));
  }
  try {
    return realpathSync(p);
  } catch {
    try {
      return resolve(realpathSync(dirname(p)), p.slice(dirname(p).length + 1));
    } catch {
      return p;
    }
  }
}

/**
 * Refuses, with a {@link PathError} that names the path, an output that is a directory, whose
 * directory does not exist or cannot be written, that is one of the inputs (every file the command
 * reads), or that another output also names (by path, or by device and inode for a file that exists:
 * symlinks and hard links lead nowhere else). Inputs that do not exist are left to the reader's own
 * error. `mayReplace` lists the [input flag, output flag] pairs where writing over the input is the
 * point (`--resume M --save-model M` updates a model in place: it is read whole before the atomic
 * write).
 *
 * @example
 * ```ts
 * checkPaths("train", [{ flag: "--input", path: "c.txt" }], [{ flag: "--output", path: "c.txt" }]);
 * // PathError: embedkit train: --output c.txt is the input file (--input c.txt); refusing to overwrite it
 * ```
 * @internal
 */
export function checkPaths(
  command: string,
  inputs: readonly NamedPath[],
  outputs: readonly NamedPath[],
  options: { mayReplace?: readonly (readonly [input: string, output: string])[] } = {},
): void {
  const pre = `embedkit ${command}:`;
  try {
    check(pre, inputs, outputs, options.mayReplace ?? []);
  } catch (e) {
    if (e instanceof PathError && !e.message.startsWith(pre)) throw new PathError(`${pre} ${e.message}`);
    throw e;
  }
}

function check(
  pre: string,
  inputs: readonly NamedPath[],
  outputs: readonly NamedPath[],
  mayReplace: readonly (readonly [string, string])[],
): void {
  const targets: { out: NamedPath; target: string; st: Stats | null }[] = [];
  for (const out of outputs) {
    const target = writeTarget(out.path);
    const st = statOrNull(target);
    if (st?.isDirectory()) throw new PathError(`${pre} ${out.flag} ${out.path} is a directory`);
    const dir = dirname(target);
    const dst = statOrNull(dir);
    if (dst === null) throw new PathError(`${pre} ${out.flag} ${out.path}: the directory ${dir} does not exist`);
    if (!dst.isDirectory()) throw new PathError(`${pre} ${out.flag} ${out.path}: ${dir} is not a directory`);
    try {
      accessSync(dir, constants.W_OK | constants.X_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new PathError(`${pre} ${out.flag} ${out.path}: the directory ${dir} is not writable${code ? ` (${code})` : ""}`);
    }
    if (st !== null) {
      for (const input of inputs) {
        if (input.path === "-") continue; // standard input
        if (mayReplace.some(([i, o]) => i === input.flag && o === out.flag)) continue;
        const ist = statOrNull(input.path);
        if (ist !== null && ist.dev === st.dev && ist.ino === st.ino) {
          throw new PathError(`${pre} ${out.flag} ${out.path} is the input file (${input.flag} ${input.path}); refusing to overwrite it`);
        }
      }
    }
    for (const other of targets) {
      const same = other.target === target || (st !== null && other.st !== null && st.dev === other.st.dev && st.ino === other.st.ino);
      if (same) throw new PathError(`${pre} ${out.flag} ${out.path} and ${other.out.flag} ${other.out.path} are the same file`);
    }
    targets.push({ out, target, st });
  }
}
