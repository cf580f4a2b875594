// The test oracle for the byte scanner: the corpus tokenised as text, with a regular expression
// over decoded blocks (the straightforward way), to check src/text/byte-tokens.ts against.
import { describe } from "../../src/tensor/check.js";
import { type CorpusInput, type CorpusSource, EOL, MAX_LINE_PIECE, type TextChunk, type TokenizerOptions, inputName, resolveTokenizerOptions } from "../../src/text/stream.js";
import { ChunkDecoder } from "./decode.js";

const WORDS = /[\p{L}\p{N}\p{M}]+|\n/gu;
const WHITESPACE = /[^\s]+|\n/g;
const IS_WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const BLOCK_CHARS = 1 << 20;

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
export async function* oracleTokenBlocks(input: CorpusInput, options: TokenizerOptions): AsyncGenerator<string[]> {
  const o = resolveTokenizerOptions("oracleTokenBlocks", options);
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
