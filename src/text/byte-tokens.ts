// The fast path of the corpus reader: tokens found in the bytes themselves, and looked up or counted
// in a hash table keyed by bytes, so that an ASCII word costs no string, no regular expression and
// no Map. A word with a byte >= 0x80 is decoded and tokenised as text (./stream.ts's rules), so the
// tokens are exactly those of tokenBlocks: ASCII whitespace separates words in both, and within one
// whitespace-free word the two agree (lower-casing, even Greek final sigma, never looks across
// whitespace).
import { describe } from "../tensor/check.js";
import {
  type CorpusInput, type CorpusSource, EOL, type ResolvedTokenizerOptions, type TextChunk, type TokenizerOptions, inputName, resolveTokenizerOptions,
} from "./stream.js";

/** Where the scanner's tokens go: as bytes (UTF-8, lower-cased when asked) or, when decoded, as text. @internal */
export interface TokenSink {
  bytes(buf: Uint8Array, start: number, end: number): void;
  text(token: string): void;
  /** The end of a line. */
  eol(): void;
}

/** A word longer than this (bytes, no whitespace) is cut. @internal */
export const MAX_WORD_BYTES = 1 << 20;
const WORK_BYTES = 1 << 20;

const WORD_RE = /[\p{L}\p{N}\p{M}]+/gu;
const NON_SPACE_RE = /[^\s]+/g;

// 1: ASCII whitespace (a word separator), 2: newline, 4: ASCII letter or digit.
const CLASS = new Uint8Array(256);
for (const c of [9, 11, 12, 13, 32]) CLASS[c] = 1;
CLASS[10] = 2;
for (let c = 48; c <= 57; c++) CLASS[c] = 4;
for (let c = 65; c <= 90; c++) CLASS[c] = 4;
for (let c = 97; c <= 122; c++) CLASS[c] = 4;

/** FNV-1a over buf[start..end). @internal */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h;
}

/**
 * Reads `input` (every chunk once, in order) and gives `sink` its tokens and line ends, yielding
 * after each block of about a mebibyte (so that the caller can hand on what the sink gathered).
 * Byte chunks are decoded with `o.encoding` where needed (an invalid UTF-8 byte is an Error naming
 * the input and the byte's offset); string chunks are text. The last line is ended even without a
 * newline.
 * @internal
 */
export async function* scanTokens(input: CorpusInput, o: ResolvedTokenizerOptions, sink: TokenSink): AsyncGenerator<void> {
  const name = inputName(input);
  const words = o.tokenizer === "words";
  const lower = o.lowercase;
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const enc = new TextEncoder();
  let work = new Uint8Array(WORK_BYTES * 2);
  let held = 0; // bytes of an unfinished word kept at the start of `work`
  let filled = 0; // bytes of `work` holding input
  let base = 0; // offset in the input of work[0]
  let kind: "string" | "bytes" | null = null;
  let open = false; // tokens given since the last line end
  let last = false; // scanning the end of the input

  /** A word with non-ASCII bytes: decoded, then tokenised as text. */
  const decoded = (s: number, e: number, latin1: boolean) => {
    let text: string;
    if (latin1) {
      text = "";
      for (let i = s; i < e; i += 8192) text += String.fromCharCode.apply(null, work.subarray(i, Math.min(e, i + 8192)) as unknown as number[]);
    } else {
      try {
        text = utf8.decode(work.subarray(s, e));
      } catch {
        // A word ends at whitespace or at the end of the input: an unfinished sequence is invalid too.
        const at = invalidUtf8At(work.subarray(s, e));
        const bad = at >= 0 ? at : lastSequence(work, s, e);
        const shown = Array.from(work.subarray(s + bad, Math.min(filled, s + bad + 4)), (b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
        const cut = at < 0 && last && e === filled;
        throw Object.assign(new Error(
          `${name}: invalid UTF-8 at byte ${base + s + bad} (${shown}${cut ? ", cut off by the end of the input" : ""}); ` +
            `if the text is Latin-1, read it with encoding "latin1"`,
        ), { option: "encoding" });
      }
    }
    const tokens = (lower ? text.toLowerCase() : text).match(words ? WORD_RE : NON_SPACE_RE);
    if (tokens !== null) {
      for (const t of tokens) sink.text(t);
      open = true;
    }
  };

  /** Tokens of work[0..end): whole words only (the caller keeps an unfinished one). */
  const scan = (end: number, latin1: boolean) => {
    const buf = work;
    let i = 0;
    while (i < end) {
      const c = CLASS[buf[i]];
      if (c === 2) {
        sink.eol();
        open = false;
        i++;
        continue;
      }
      if (c === 1) {
        i++;
        continue;
      }
      // a word: up to the next whitespace; ASCII only unless a byte says otherwise
      let j = i;
      let high = false;
      while (j < end) {
        const b = buf[j];
        if (b >= 0x80) high = true;
        else if (CLASS[b] & 3) break;
        j++;
      }
      if (high) {
        decoded(i, j, latin1);
      } else if (!words) {
        if (lower) for (let k = i; k < j; k++) if (buf[k] >= 65 && buf[k] <= 90) buf[k] |= 32;
        sink.bytes(buf, i, j);
        open = true;
      } else {
        let k = i;
        while (k < j) {
          while (k < j && CLASS[buf[k]] !== 4) k++;
          const s = k;
          while (k < j && CLASS[buf[k]] === 4) {
            if (lower && buf[k] <= 90 && buf[k] >= 65) buf[k] |= 32;
            k++;
          }
          if (k > s) {
            sink.bytes(buf, s, k);
            open = true;
          }
        }
      }
      i = j;
    }
  };

  const chunks = typeof (input as CorpusSource).open === "function" ? (input as CorpusSource).open() : (input as Iterable<TextChunk>);
  for await (const chunk of chunks) {
    let bytes: Uint8Array;
    if (typeof chunk === "string") {
      if (o.encoding === "latin1" && kind === "bytes") throw new Error(`${name}: mixes strings and bytes; with encoding "latin1" give one kind`);
      kind = "string";
      bytes = enc.encode(chunk);
    } else if (chunk instanceof Uint8Array) {
      if (o.encoding === "latin1" && kind === "string") throw new Error(`${name}: mixes strings and bytes; with encoding "latin1" give one kind`);
      kind = "bytes";
      bytes = chunk;
    } else {
      throw new TypeError(`${name}: a chunk must be a string or a Uint8Array, got ${describe(chunk)}`);
    }
    const latin1 = o.encoding === "latin1" && kind === "bytes";
    for (let at = 0; at < bytes.length; ) {
      const take = Math.min(bytes.length - at, WORK_BYTES);
      if (held + take > work.length) {
        const grown = new Uint8Array(held + take);
        grown.set(work.subarray(0, held));
        work = grown;
      }
      work.set(bytes.subarray(at, at + take), held);
      at += take;
      const end = (filled = held + take);
      // Keep the last, possibly unfinished, word for the next chunk (unless it grows too long).
      let cut = end;
      while (cut > 0 && (CLASS[work[cut - 1]] & 3) === 0) cut--;
      if (end - cut > MAX_WORD_BYTES) cut = charBoundary(work, end, latin1);
      scan(cut, latin1);
      work.copyWithin(0, cut, end);
      base += cut;
      held = filled = end - cut;
      yield;
    }
  }
  last = true;
  scan(held, o.encoding === "latin1" && kind === "bytes");
  if (open) sink.eol();
  yield;
}

/** The start of the last character of work[0..end) (so that a cut never splits a UTF-8 sequence). */
function charBoundary(work: Uint8Array, end: number, latin1: boolean): number {
  if (latin1) return end;
  let i = end;
  for (let back = 0; back < 4 && i > 0; back++) {
    const b = work[i - 1];
    if (b < 0x80) return i;
    i--;
    if (b >= 0xc0) return i;
  }
  return end;
}

/** Offset (from s) of the unfinished sequence at the end of work[s..e). */
function lastSequence(work: Uint8Array, s: number, e: number): number {
  for (let i = e - 1; i >= Math.max(s, e - 4); i--) if (work[i] >= 0xc0) return i - s;
  return Math.max(0, e - 1 - s);
}

/**
 * Words as bytes in an open-addressing hash table: entry ids in insertion order, a count per entry.
 * A vocabulary's table maps a token's bytes to its id; a counting table grows, and `prune` drops the
 * entries below a count keeping the others' order (as deleting from a Python dict does).
 * @internal
 */
export class ByteTable {
  /** Number of entries. */
  size = 0;
  counts: Float64Array;
  private arena: Uint8Array;
  private used = 0;
  private starts: Int32Array;
  private lengths: Int32Array;
  private hashes: Int32Array;
  private slots: Int32Array;
  private mask: number;

  constructor(capacity = 1024) {
    const cap = Math.max(16, capacity);
    this.counts = new Float64Array(cap);
    this.starts = new Int32Array(cap);
    this.lengths = new Int32Array(cap);
    this.hashes = new Int32Array(cap);
    this.arena = new Uint8Array(cap * 8);
    let slots = 16;
    while (slots < cap * 2) slots *= 2;
    this.slots = new Int32Array(slots).fill(-1);
    this.mask = slots - 1;
  }

  /** A table of `words` (UTF-8), entry i = word i. */
  static of(words: readonly string[]): ByteTable {
    const t = new ByteTable(words.length * 2);
    const enc = new TextEncoder();
    for (const w of words) {
      const b = enc.encode(w);
      t.insert(b, 0, b.length, hashBytes(b, 0, b.length));
    }
    return t;
  }

  /** The entry of buf[start..end), or -1. */
  find(buf: Uint8Array, start: number, end: number): number {
    const h = hashBytes(buf, start, end);
    const len = end - start;
    const { slots, mask, hashes, lengths, starts, arena } = this;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const id = slots[s];
      if (id < 0) return -1;
      if (hashes[id] === h && lengths[id] === len) {
        const a = starts[id];
        let k = 0;
        while (k < len && arena[a + k] === buf[start + k]) k++;
        if (k === len) return id;
      }
    }
  }

  /** Adds one to the count of buf[start..end), inserting it first if new. */
  add(buf: Uint8Array, start: number, end: number): void {
    const id = this.find(buf, start, end);
    if (id >= 0) this.counts[id]++;
    else this.counts[this.insert(buf, start, end, hashBytes(buf, start, end))] = 1;
  }

  private insert(buf: Uint8Array, start: number, end: number, h: number): number {
    const len = end - start;
    if (this.size === this.counts.length) this.growEntries();
    if (this.used + len > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.used + len));
      grown.set(this.arena.subarray(0, this.used));
      this.arena = grown;
    }
    const id = this.size++;
    this.arena.set(buf.subarray(start, end), this.used);
    this.starts[id] = this.used;
    this.lengths[id] = len;
    this.hashes[id] = h;
    this.counts[id] = 0;
    this.used += len;
    if (this.size * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    let s = this.hashes[id] & this.mask;
    while (this.slots[s] >= 0) s = (s + 1) & this.mask;
    this.slots[s] = id;
  }

  private rehash(slots: number): void {
    this.slots = new Int32Array(slots).fill(-1);
    this.mask = slots - 1;
    for (let id = 0; id < this.size; id++) this.place(id);
  }

  private growEntries(): void {
    const cap = this.counts.length * 2;
    const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.counts = grow(this.counts, (n) => new Float64Array(n));
    this.starts = grow(this.starts, (n) => new Int32Array(n));
    this.lengths = grow(this.lengths, (n) => new Int32Array(n));
    this.hashes = grow(this.hashes, (n) => new Int32Array(n));
  }

  /** Drops the entries counted fewer than `below` times (gensim's prune_vocab), keeping the order of the rest. */
  prune(below: number): void {
    let m = 0, used = 0;
    for (let id = 0; id < this.size; id++) {
      if (this.counts[id] < below) continue;
      const len = this.lengths[id];
      this.arena.copyWithin(used, this.starts[id], this.starts[id] + len);
      this.starts[m] = used;
      this.lengths[m] = len;
      this.hashes[m] = this.hashes[id];
      this.counts[m] = this.counts[id];
      used += len;
      m++;
    }
    this.size = m;
    this.used = used;
    this.rehash(this.slots.length);
  }

  /** The entries as a Map from word to count, in insertion order. */
  toMap(): Map<string, number> {
    const dec = new TextDecoder();
    const out = new Map<string, number>();
    for (let id = 0; id < this.size; id++) out.set(dec.decode(this.arena.subarray(this.starts[id], this.starts[id] + this.lengths[id])), this.counts[id]);
    return out;
  }
}

/** The length of the UTF-8 sequence that lead byte b starts (0: not a lead byte). @internal */
export function seqLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/**
 * The offset of the first byte of `bytes` that starts an invalid UTF-8 sequence (WHATWG's rules:
 * no overlong forms, no surrogates, nothing above U+10FFFF), or -1 when every sequence is valid
 * (an unfinished one at the very end counts as valid: the next chunk may finish it).
 * @internal
 */
export function invalidUtf8At(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = seqLength(b);
    if (len === 0) return i;
    let lo = 0x80, hi = 0xbf;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
    else if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
    for (let k = 1; k < len; k++) {
      if (i + k >= n) return -1;
      const c = bytes[i + k];
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += len;
  }
  return -1;
}

/**
 * Reads `input` once, from the start, as blocks of tokens: each block is an array of tokens in which
 * {@link EOL} marks the end of a line (the last line is closed even without a final newline). A
 * block holds the tokens of about a mebibyte of text; a line of any length is read in pieces, and a
 * single word longer than a mebibyte (no whitespace) is cut, so one enormous line costs no more
 * memory than many short ones. (The trainers count and encode from the same scanner without making
 * a string per ASCII token; this gives the tokens as strings, to look at.)
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
  const dec = new TextDecoder();
  let block: string[] = [];
  const sink: TokenSink = {
    bytes: (buf, start, end) => void block.push(dec.decode(buf.subarray(start, end))),
    text: (t) => void block.push(t),
    eol: () => void block.push(EOL),
  };
  for await (const _ of scanTokens(input, o, sink)) {
    if (block.length > 0) yield block;
    block = [];
  }
}
