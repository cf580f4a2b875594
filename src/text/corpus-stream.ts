// A corpus too large to hold as text: its vocabulary counted in one streaming pass (gensim's
// max_vocab_size pruning and max_final_vocab), then its sentences encoded as ids either all at once
// (when they fit in memory) or a chunk at a time, read again from the source each epoch.
import { checkInt, checkOptions, describe } from "../tensor/check.js";
import type { EncodedCorpus } from "./corpus.js";
import { Vocab } from "./vocab.js";
import { ByteTable, type TokenSink, scanTokens, tokenBlocks } from "./byte-tokens.js";
import {
  type CorpusInput, EOL, TOKENIZER_OPTION_NAMES, type TokenizerOptions, checkCorpusInput, inputName, resolveTokenizerOptions,
} from "./stream.js";

/** Options of {@link scanVocab}. */
export interface VocabScanOptions extends TokenizerOptions {
  /** Words seen fewer times are dropped (default 5, as gensim). */
  minCount?: number;
  /**
   * Most distinct words held while counting (default: no limit). Whenever the count table grows past
   * it, words seen fewer than t times are dropped from it, t = 1, 2, 3, … rising by one at each
   * pruning: gensim's `max_vocab_size` and `prune_vocab`, checked after each line (and every
   * `maxSentenceLength` tokens of a longer one), as gensim checks after each sentence. A word
   * dropped and seen again counts from zero. (gensim's log says "count <= t", its code drops count < t;
   * embedkit does what the code does, so the vocabularies agree.)
   */
  maxVocabSize?: number;
  /** Keep at most this many words, by raising minCount as gensim's `max_final_vocab` does (default: no limit). */
  maxFinalVocab?: number;
  /** Sentences are cut into pieces of at most this many in-vocabulary tokens (default 10000, as gensim). */
  maxSentenceLength?: number;
  /** Called about once per mebibyte of text. */
  onProgress?: (p: ScanProgress) => void;
}

/** Progress of a counting pass. */
export interface ScanProgress {
  /** Tokens counted so far. */
  tokens: number;
  /** Distinct words in the count table now. */
  words: number;
}

/** What {@link scanVocab} found. */
export interface VocabScan {
  vocab: Vocab;
  /** Every token of the corpus, in-vocabulary or not. */
  rawTokens: number;
  /** Lines with at least one token. */
  lines: number;
  /** How many times the count table was pruned (maxVocabSize), and the last threshold used. */
  prunings: number;
  /** The minCount actually applied (maxFinalVocab may raise it). */
  effectiveMinCount: number;
}

const SCAN_OPTIONS = ["minCount", "maxVocabSize", "maxFinalVocab", "maxSentenceLength", "onProgress", ...TOKENIZER_OPTION_NAMES];

interface ScanSettings {
  minCount: number;
  maxVocabSize: number;
  maxFinalVocab: number;
  maxSentenceLength: number;
}

/** Checks the vocabulary options found in `o` and fills in the defaults. */
export function resolveScanOptions(fn: string, o: VocabScanOptions): ScanSettings {
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") {
    throw new TypeError(`${fn}: onProgress must be a function, got ${describe(o.onProgress)}`);
  }
  return {
    minCount: o.minCount === undefined ? 5 : checkInt(fn, "minCount", o.minCount, 1),
    maxVocabSize: o.maxVocabSize === undefined ? Infinity : checkInt(fn, "maxVocabSize", o.maxVocabSize, 1),
    maxFinalVocab: o.maxFinalVocab === undefined ? Infinity : checkInt(fn, "maxFinalVocab", o.maxFinalVocab, 1),
    maxSentenceLength: o.maxSentenceLength === undefined ? 10000 : checkInt(fn, "maxSentenceLength", o.maxSentenceLength, 1),
  };
}

/**
 * The vocabulary of word counts (first-seen order) with gensim's `min_count` and `max_final_vocab`
 * rules: with `maxFinalVocab` below the number of words, the effective minimum count becomes one more
 * than the count of the word ranked `maxFinalVocab` (so ties at the limit are all dropped).
 *
 * @example
 * ```ts
 * const counts = new Map([["a", 5], ["b", 3], ["c", 3], ["d", 1]]);
 * finalVocab(counts, 1, 2).vocab.words;  // ["a"]: b and c tie at the limit
 * finalVocab(counts, 2, Infinity).vocab.words; // ["a", "b", "c"]
 * ```
 */
export function finalVocab(counts: Map<string, number>, minCount: number, maxFinalVocab: number): { vocab: Vocab; effectiveMinCount: number } {
  let effectiveMinCount = minCount;
  if (maxFinalVocab < counts.size) {
    const sorted = Float64Array.from(counts.values()).sort().reverse();
    effectiveMinCount = Math.max(minCount, sorted[maxFinalVocab] + 1);
  }
  return { vocab: Vocab.fromCounts(counts, { minCount: effectiveMinCount }), effectiveMinCount };
}

/**
 * Counts the words of a corpus in one streaming pass and builds its {@link Vocab}, holding no more
 * of the text than one block (about a mebibyte) and, with `maxVocabSize`, a bounded count table.
 * For text that fits in a string, the vocabulary equals `encodeCorpus(text).vocab`.
 *
 * @example
 * ```ts
 * const scan = await scanVocab(["the cat sat\nthe dog ", "sat\n"], { minCount: 2 });
 * scan.vocab.words; // ["the", "sat"]
 * scan.rawTokens;   // 6
 * ```
 */
export async function scanVocab(input: CorpusInput, options: VocabScanOptions = {}): Promise<VocabScan> {
  const fn = "scanVocab";
  checkCorpusInput(fn, input);
  const o = checkOptions(fn, options, SCAN_OPTIONS) as VocabScanOptions;
  const s = resolveScanOptions(fn, o);
  const tok = resolveTokenizerOptions(fn, o);
  const table = new ByteTable();
  const enc = new TextEncoder();
  let rawTokens = 0, lines = 0, inLine = 0, prunings = 0, minReduce = 1;
  const check = () => {
    if (table.size > s.maxVocabSize) {
      table.prune(minReduce++);
      prunings++;
    }
  };
  const sink: TokenSink = {
    bytes(buf, start, end) {
      table.add(buf, start, end);
      rawTokens++;
      if (++inLine % s.maxSentenceLength === 0) check();
    },
    text(t) {
      const b = enc.encode(t);
      this.bytes(b, 0, b.length);
    },
    eol() {
      if (inLine > 0) lines++;
      inLine = 0;
      check();
    },
  };
  for await (const _ of scanTokens(input, tok, sink)) o.onProgress?.({ tokens: rawTokens, words: table.size });
  const { vocab, effectiveMinCount } = finalVocab(table.toMap(), s.minCount, s.maxFinalVocab);
  return { vocab, rawTokens, lines, prunings, effectiveMinCount };
}

/** Ids of sentences, a chunk of a corpus: sentence s is `ids.subarray(starts[s], starts[s + 1])`. */
export interface SentenceChunk {
  ids: Int32Array;
  /** Length sentences + 1; starts[0] = 0 and the last is ids.length. */
  starts: Int32Array;
  /** Every token read for this chunk, in-vocabulary or not. */
  rawTokens: number;
}

/**
 * Turns tokens into ids, cutting sentences at `maxLen` in-vocabulary tokens as encodeCorpus does;
 * whenever a sentence ends with at least `limit` ids gathered, they become a chunk in `ready`.
 */
class SentenceEncoder implements TokenSink {
  ids: Int32Array;
  n = 0;
  starts: number[] = [0];
  raw = 0;
  readonly ready: SentenceChunk[] = [];
  private inPiece = 0;
  private readonly table: ByteTable;

  constructor(
    private readonly vocab: Vocab, private readonly maxLen: number, capacity: number, private readonly limit: number,
    private readonly alloc: (bytes: number) => ArrayBufferLike,
  ) {
    this.ids = new Int32Array(Math.max(16, capacity));
    this.table = ByteTable.of(vocab.words);
  }

  bytes(buf: Uint8Array, start: number, end: number): void {
    this.push(this.table.find(buf, start, end));
  }

  text(t: string): void {
    this.push(this.vocab.idOf(t));
  }

  eol(): void {
    const { starts } = this;
    if (this.n > starts[starts.length - 1]) starts.push(this.n);
    this.inPiece = 0;
    if (this.n >= this.limit) this.ready.push(this.take());
  }

  private push(id: number): void {
    if (id < 0) {
      this.raw++;
      return;
    }
    if (this.inPiece === this.maxLen) {
      this.starts.push(this.n);
      this.inPiece = 0;
      if (this.n >= this.limit) this.ready.push(this.take());
    }
    this.raw++;
    if (this.n === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.n++] = id;
    this.inPiece++;
  }

  /** The chunk so far (every sentence closed), copied into memory from `alloc`; then starts a new one. */
  take(): SentenceChunk {
    if (this.n > this.starts[this.starts.length - 1]) this.starts.push(this.n);
    const ids = new Int32Array(this.alloc(this.n * 4), 0, this.n);
    ids.set(this.ids.subarray(0, this.n));
    const starts = new Int32Array(this.alloc(this.starts.length * 4), 0, this.starts.length);
    starts.set(this.starts);
    const chunk = { ids, starts, rawTokens: this.raw };
    this.n = 0;
    this.starts = [0];
    this.raw = 0;
    return chunk;
  }
}

/** Options of {@link encodeChunks}. */
export interface ChunkOptions extends TokenizerOptions {
  /** Sentences are cut into pieces of at most this many in-vocabulary tokens (default 10000). */
  maxSentenceLength?: number;
  /** A chunk is closed at the first sentence end after this many ids (default 65536). */
  chunkTokens?: number;
  /**
   * Where the chunks' arrays live (default plain ArrayBuffers; SharedArrayBuffers for worker threads):
   * a buffer of at least the bytes asked for (a larger one, e.g. from a pool, is used from its start).
   */
  alloc?: (bytes: number) => ArrayBufferLike;
}

const plainAlloc = (n: number): ArrayBufferLike => new ArrayBuffer(n);

/**
 * Reads the corpus once more and yields its sentences as ids, a chunk of about `chunkTokens` ids at
 * a time, words outside `vocab` left out and sentences cut as {@link encodeCorpus} cuts them. The
 * chunks laid end to end are exactly `encodeCorpus(text).ids` (and its starts).
 *
 * @example
 * ```ts
 * const { vocab } = await scanVocab(["a b a\nb a c\n"], { minCount: 2 });
 * const chunks = [];
 * for await (const c of encodeChunks(["a b a\nb a c\n"], vocab, { chunkTokens: 2 })) chunks.push(Array.from(c.ids));
 * chunks; // [[0, 1, 0], [1, 0]]
 * ```
 */
export async function* encodeChunks(input: CorpusInput, vocab: Vocab, options: ChunkOptions = {}): AsyncGenerator<SentenceChunk> {
  const fn = "encodeChunks";
  checkCorpusInput(fn, input);
  if (!(vocab instanceof Vocab)) throw new TypeError(`${fn}: vocab must be a Vocab, got ${describe(vocab)}`);
  const o = checkOptions(fn, options, ["maxSentenceLength", "chunkTokens", "alloc", ...TOKENIZER_OPTION_NAMES]) as ChunkOptions;
  const maxLen = o.maxSentenceLength === undefined ? 10000 : checkInt(fn, "maxSentenceLength", o.maxSentenceLength, 1);
  const limit = o.chunkTokens === undefined ? 65536 : checkInt(fn, "chunkTokens", o.chunkTokens, 1);
  if (o.alloc !== undefined && typeof o.alloc !== "function") throw new TypeError(`${fn}: alloc must be a function, got ${describe(o.alloc)}`);
  const alloc = o.alloc ?? plainAlloc;
  const tok = resolveTokenizerOptions(fn, o);
  const enc = new SentenceEncoder(vocab, maxLen, limit + Math.min(maxLen, limit), limit, alloc);
  for await (const _ of scanTokens(input, tok, enc)) {
    while (enc.ready.length > 0) yield enc.ready.shift()!;
  }
  while (enc.ready.length > 0) yield enc.ready.shift()!;
  if (enc.n > 0 || enc.raw > 0) yield enc.take();
}

/**
 * Encodes the whole corpus at once into one {@link EncodedCorpus} (the same as `encodeCorpus` of its
 * text), reading it once more; `expectedIds` sizes the id array (it grows if that was too few), and
 * the result's arrays come from `alloc` (shared memory, for worker threads).
 */
export async function encodeAll(input: CorpusInput, vocab: Vocab, options: ChunkOptions & { expectedIds?: number } = {}): Promise<EncodedCorpus> {
  const tok = resolveTokenizerOptions("encodeAll", options);
  const enc = new SentenceEncoder(vocab, options.maxSentenceLength ?? 10000, options.expectedIds ?? 1024, Infinity, options.alloc ?? plainAlloc);
  for await (const _ of scanTokens(input, tok, enc));
  const c = enc.take();
  return { vocab, ids: c.ids, starts: c.starts, rawTokens: c.rawTokens };
}

/**
 * Counts and encodes a corpus that can be read only once (an async iterable, standard input): the
 * tokens are kept as provisional ids (4 bytes a token, line ends included) while counting, then
 * renumbered in place once the vocabulary is known. A word pruned by `maxVocabSize` and seen again
 * is a new word from then on: its earlier occurrences are not trained on. Refuses (an Error naming
 * the budget) a corpus whose provisional ids would exceed `budgetBytes`.
 */
export async function scanAndEncodeOnce(
  fn: string,
  input: CorpusInput,
  options: VocabScanOptions,
  budgetBytes: number,
): Promise<{ scan: VocabScan; corpus: EncodedCorpus }> {
  const s = resolveScanOptions(fn, options);
  const tok = resolveTokenizerOptions(fn, options);
  const ids = new Map<string, number>(); // word -> provisional id
  const words: string[] = [];
  const counts: number[] = [];
  let prov = new Int32Array(1 << 16); // provisional ids, -1 at each line end
  let n = 0;
  let rawTokens = 0, lines = 0, inLine = 0, prunings = 0, minReduce = 1;
  const push = (v: number) => {
    if (n === prov.length) {
      if (n * 4 > budgetBytes) tooLarge();
      const grown = new Int32Array(prov.length * 2);
      grown.set(prov);
      prov = grown;
    }
    prov[n++] = v;
  };
  function tooLarge(): never {
    throw new Error(
      `${fn}: ${inputName(input)} can be read only once and holds more than ${Math.floor(budgetBytes / 4)} tokens, the memory budget ` +
        `(corpusMemory ${budgetBytes} bytes); give a file or a CorpusSource that can be read again, or a larger corpusMemory`,
    );
  }
  for await (const block of tokenBlocks(input, tok)) {
    for (let i = 0; i < block.length; i++) {
      const t = block[i];
      if (t === EOL) {
        if (inLine > 0) lines++;
        inLine = 0;
        push(-1);
      } else {
        let id = ids.get(t);
        if (id === undefined) {
          id = words.length;
          ids.set(t, id);
          words.push(t);
          counts.push(0);
        }
        counts[id]++;
        push(id);
        rawTokens++;
        if (++inLine % s.maxSentenceLength !== 0) continue;
      }
      if (ids.size > s.maxVocabSize) {
        for (const [w, id] of ids) {
          if (counts[id] < minReduce) {
            ids.delete(w);
            words[id] = "";
            counts[id] = -1;
          }
        }
        minReduce++;
        prunings++;
      }
    }
    options.onProgress?.({ tokens: rawTokens, words: ids.size });
  }
  if (n * 4 > budgetBytes) tooLarge();
  const countMap = new Map<string, number>();
  for (const [w, id] of ids) countMap.set(w, counts[id]);
  const { vocab, effectiveMinCount } = finalVocab(countMap, s.minCount, s.maxFinalVocab);
  // Renumber in place (the write position never passes the read position), cutting long sentences.
  const remap = new Int32Array(words.length).fill(-1);
  for (const [w, id] of ids) remap[id] = vocab.idOf(w);
  const starts: number[] = [0];
  let m = 0, inPiece = 0;
  for (let i = 0; i < n; i++) {
    const p = prov[i];
    if (p < 0) {
      if (m > starts[starts.length - 1]) starts.push(m);
      inPiece = 0;
      continue;
    }
    const id = remap[p];
    if (id < 0) continue;
    if (inPiece === s.maxSentenceLength) {
      starts.push(m);
      inPiece = 0;
    }
    prov[m++] = id;
    inPiece++;
  }
  if (m > starts[starts.length - 1]) starts.push(m);
  return {
    scan: { vocab, rawTokens, lines, prunings, effectiveMinCount },
    corpus: { vocab, ids: prov.slice(0, m), starts: Int32Array.from(starts), rawTokens },
  };
}

