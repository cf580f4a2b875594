// Corpora read a piece at a time: a source of text or byte chunks, decoded (./decode.ts) and cut
// into tokens with sentence ends marked, in blocks of bounded size, so that counting and encoding a
// corpus of any size never holds more than one block of it.
import { checkBoolean, describe } from "../tensor/check.js";
import { ChunkDecoder, type TextEncoding } from "./decode.js";

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

// A token, or a line end, in one pass of the regular expression over a whole block.
const WORDS = /[\p{L}\p{N}\p{M}]+|\n/gu;
const WHITESPACE = /[^\s]+|\n/g;
const IS_WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Longest piece of a line held before it is tokenised without waiting for the line's end. */
export const MAX_LINE_PIECE = 1 << 20;
/** Text of at most this many characters is tokenised at once. */
const BLOCK_CHARS = 1 << 20;

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

function chunksOf(input: CorpusInput): AsyncIterable<TextChunk> | Iterable<TextChunk> {
  return typeof (input as CorpusSource).open === "function" ? (input as CorpusSource).open() : (input as Iterable<TextChunk>);
}

/**
 * Reads `input` once, from the start, as blocks of tokens: each block is an array of tokens in which
 * {@link EOL} marks the end of a line (the last line is closed even without a final newline). A
 * block holds about a mebibyte of text; a line longer than {@link MAX_LINE_PIECE} characters is
 * tokenised in pieces cut between tokens (a single token longer than that is cut too), so one
 * enormous line costs no more memory than many short ones.
 *
 * @example
 * ```ts
 * const blocks = [];
 * for await (const b of tokenBlocks(["The cat\nsat", " down"], {})) blocks.push(...b);
 * blocks; // ["the", "cat", "\n", "sat", "down", "\n"]
 * ```
 */
export async function* tokenBlocks(input: CorpusInput, options: TokenizerOptions): AsyncGenerator<string[]> {
  const o = resolveTokenizerOptions("tokenBlocks", options);
  const name = inputName(input);
  const re = o.tokenizer === "words" ? WORDS : WHITESPACE;
  const decoder = new ChunkDecoder(name, o.encoding);
  const tokens = (text: string): string[] => (o.lowercase ? text.toLowerCase() : text).match(re) ?? [];
  // The unfinished line so far (never holds a line end), in parts, so that many small chunks of one
  // long line are not copied again and again.
  let carry: string[] = [];
  let carryLength = 0;
  let open = false; // tokens were given since the last line end
  function* take(text: string, last: boolean): Generator<string[]> {
    let at = 0;
    do {
      let piece = text.slice(at, at + BLOCK_CHARS);
      if (piece.length === BLOCK_CHARS && isHighSurrogate(piece.charCodeAt(piece.length - 1))) piece = piece.slice(0, -1);
      at += piece.length;
      const final = last && at >= text.length;
      let block: string;
      const nl = final ? -1 : piece.lastIndexOf("\n");
      if (final) {
        block = carry.join("") + piece;
        carry = [];
        carryLength = 0;
      } else if (nl >= 0) {
        block = carry.join("") + piece.slice(0, nl + 1);
        carry = [piece.slice(nl + 1)];
        carryLength = carry[0].length;
      } else {
        block = "";
        carry.push(piece);
        carryLength += piece.length;
      }
      if (carryLength > MAX_LINE_PIECE) {
        // a line too long to hold: tokenise what we have of it, cut between tokens
        const line = carry.join("");
        const cut = cutPoint(line, o.tokenizer);
        block += line.slice(0, cut);
        carry = [line.slice(cut)];
        carryLength = carry[0].length;
      }
      const t = block === "" ? [] : tokens(block);
      if (t.length > 0) open = t[t.length - 1] !== EOL;
      if (final && open) {
        t.push(EOL);
        open = false;
      }
      if (t.length > 0) yield t;
    } while (at < text.length);
  }
  for await (const chunk of chunksOf(input)) {
    let text: string;
    if (typeof chunk === "string") text = chunk;
    else if (chunk instanceof Uint8Array) text = decoder.decode(chunk);
    else throw new TypeError(`${name}: a chunk must be a string or a Uint8Array, got ${describe(chunk)}`);
    yield* take(text, false);
  }
  yield* take(decoder.end(), true);
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Where to cut a long line: after its last separator near the end, else at the end (between surrogates never). */
function cutPoint(s: string, tokenizer: "words" | "whitespace"): number {
  const stop = Math.max(0, s.length - 4096);
  for (let i = s.length - 1; i >= stop; i--) {
    const ch = s[i];
    const sep = tokenizer === "whitespace" ? /\s/.test(ch) : !IS_WORD_CHAR.test(ch) && !isHighSurrogate(ch.charCodeAt(0)) && !isLowSurrogate(ch.charCodeAt(0));
    if (sep) return i + 1;
  }
  return isHighSurrogate(s.charCodeAt(s.length - 1)) ? s.length - 1 : s.length;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
