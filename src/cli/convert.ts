// `embedkit convert IN OUT`: word vectors from one file format to another (word2vec text or binary,
// GloVe's headerless text), optionally unit-normalised (gensim's unit_normalize_all) or cut to the
// first N rows.
import { saveWord2Vec } from "../node/files.js";
import { UsageError, intFlag, parse } from "./args.js";
import { checkPaths } from "./paths.js";
import { load } from "./query.js";
import type { CliIO } from "./train.js";

export const CONVERT_USAGE = `  embedkit convert IN OUT [--binary] [--normalize] [--limit N] [--quiet]
      Reads the word vectors in IN (word2vec text or binary, or GloVe's text: detected) and writes
      them to OUT in word2vec format: text, or binary with --binary. --normalize writes every
      vector divided by its length (gensim's unit_normalize_all): cosines stay, dot products become
      cosines. --limit N keeps the first N rows (the most frequent words).`;

/**
 * `embedkit convert IN OUT [--binary] [--normalize] [--limit N]`: returns the exit code.
 *
 * @example
 * ```ts
 * await convert(["glove.6B.100d.txt", "glove.bin", "--binary", "--normalize"], io);
 * ```
 */
export async function convert(args: string[], io: CliIO): Promise<number> {
  const c = "convert";
  const { values, positionals } = parse(c, args, {
    binary: { type: "boolean" },
    normalize: { type: "boolean" },
    limit: { type: "string" },
    quiet: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.out(`Usage:\n${CONVERT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 2) {
    throw new UsageError(`embedkit convert: expected IN OUT, got ${positionals.length} argument(s)${positionals.length > 0 ? `: ${positionals.map((p) => JSON.stringify(p)).join(" ")}` : ""}`);
  }
  const limit = values.limit === undefined ? undefined : intFlag(c, "limit", values.limit, 0, 1);
  const [input, output] = positionals;
  checkPaths(c, [{ flag: "IN", path: input }], [{ flag: "OUT", path: output }]);
  const { kv, glove } = load(input, limit);
  const out = values.normalize ? kv.normalized() : kv;
  saveWord2Vec(output, out, { binary: values.binary === true });
  if (!values.quiet) {
    io.err(
      `embedkit convert: ${kv.size} words × ${kv.dim} dims from ${input}${glove ? " (GloVe text)" : ""} to ${output} ` +
        `(word2vec ${values.binary ? "binary" : "text"}${values.normalize ? ", unit vectors" : ""})\n`,
    );
  }
  return 0;
}
