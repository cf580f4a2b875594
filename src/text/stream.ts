// Corpora read a piece at a time: a source of text or byte chunks, decoded (./decode.ts) and cut
// into tokens with sentence ends marked, in blocks of bounded size, so that counting and encoding a
// corpus of any size never holds more than one block of it.
import { checkBoolean, describe } from "../tensor/check.js";

/** A piece of a corpus: text, or bytes to decode (UTF-8 by default). Pieces may cut lines and words anywhere. */
export type TextChunk = string | Uint8Array;

/**
 * A corpus that can be read more than once (one pass counts the words, then one per epoch): `open()`
 * gives its chunks from the start each time; `name` is what error messages call it (a file name).
 * `fileCorpus(path)` from `embedkit/node` makes one from a file.
 */
export interface CorpusSource {
  readonly name: string;
  open(): AsyncIterable<TextChunk> | Iterable<TextChunk>;
}

/**
 * What the streaming trainers and {@link scanVocab} read: a {@link CorpusSource}, an array of chunks
 * (read as often as needed), or any other (async) iterable of chunks, which is read once.
 */
export type CorpusInput = CorpusSource | readonly TextChunk[] | AsyncIterable<TextChunk> | Iterable<TextChunk>;

/** How the bytes of a corpus are read as text: UTF-8 (an invalid byte is an error), or Latin-1 (ISO-8859-1). */
export type TextEncoding = "utf8" | "latin1";

/** How text becomes tokens. */
export interface TokenizerOptions {
  /** How bytes are decoded (default "utf8": an invalid byte is an error naming its offset; "latin1" never fails). */
  encoding?: TextEncoding;
  /**
   * "words" (default, as {@link tokenize}): tokens are runs of letters, digits and marks, anything else
   * separates them. "whitespace": tokens are whatever lies between whitespace (as word2vec.c and
   * gensim's LineSentence), so `new_york` or `don't` stay one token.
   */
  tokenizer?: "words" | "whitespace";
  /** Lower-case the text first (default true). */
  lowercase?: boolean;
}

/** The tokenizer options, checked and with their defaults. */
export type ResolvedTokenizerOptions = Required<TokenizerOptions>;

export const TOKENIZER_OPTION_NAMES = ["encoding", "tokenizer", "lowercase"] as const;

/** Checks {@link TokenizerOptions} found in `o` (other keys are the caller's business). */
export function resolveTokenizerOptions(fn: string, o: TokenizerOptions): ResolvedTokenizerOptions {
  const encoding = o.encoding ?? "utf8";
  if (encoding !== "utf8" && encoding !== "latin1") throw new RangeError(`${fn}: encoding must be "utf8" or "latin1", got ${describe(encoding)}`);
  const tokenizer = o.tokenizer ?? "words";
  if (tokenizer !== "words" && tokenizer !== "whitespace") {
    throw new RangeError(`${fn}: tokenizer must be "words" or "whitespace", got ${describe(tokenizer)}`);
  }
  const lowercase = o.lowercase === undefined ? true : checkBoolean(fn, "lowercase", o.lowercase);
  return { encoding, tokenizer, lowercase };
}

/**
 * The end of a sentence (a line) in a block of tokens from {@link tokenBlocks}: no token is ever "\n".
 *
 * @example
 * ```ts
 * EOL; // "\n"
 * ```
 */
export const EOL = "\n";


/** Longest piece of a line held before it is tokenised without waiting for the line's end. */
export const MAX_LINE_PIECE = 1 << 20;

/** Whether `input` can be read more than once. */
export function isReopenable(input: CorpusInput): boolean {
  return Array.isArray(input) || typeof (input as CorpusSource).open === "function";
}

/** The name errors give `input`. */
export function inputName(input: CorpusInput): string {
  const name = (input as CorpusSource).name;
  return typeof name === "string" && name !== "" && typeof (input as CorpusSource).open === "function" ? name : "input";
}

/** Checks that `input` is a {@link CorpusInput}. */
export function checkCorpusInput(fn: string, input: unknown): asserts input is CorpusInput {
  const i = input as CorpusSource & Iterable<unknown> & AsyncIterable<unknown>;
  const ok = i != null && typeof i === "object" &&
    (typeof i.open === "function" || typeof i[Symbol.iterator] === "function" || typeof i[Symbol.asyncIterator] === "function");
  if (!ok) {
    throw new TypeError(
      `${fn}: corpus must be an EncodedCorpus, a CorpusSource ({ name, open() }), or an iterable of text or byte chunks, got ${describe(input)}`,
    );
  }
}
