// Bytes to text, a chunk at a time, for corpora that never fit in one string: UTF-8 that refuses
// invalid bytes with their offset in the file, or Latin-1 (ISO-8859-1: byte b is U+00b), whatever
// the chunk boundaries are.

/** How the bytes of a corpus are read as text. */
export type TextEncoding = "utf8" | "latin1";

/**
 * A streaming decoder. `decode(chunk)` returns the text of the bytes so far (a UTF-8 sequence cut
 * by a chunk boundary is completed by the next chunk); `end()` checks that nothing is left over.
 * An invalid byte is an Error that names `name` and the byte's offset from the start of the stream.
 *
 * @example
 * ```ts
 * const d = new ChunkDecoder("c.txt", "utf8");
 * d.decode(new Uint8Array([0x63, 0x61, 0x66, 0xc3])) + d.decode(new Uint8Array([0xa9])); // "café"
 * new ChunkDecoder("l.txt", "latin1").decode(new Uint8Array([0x63, 0xe9])); // "cé"
 * ```
 */
export class ChunkDecoder {
  /** Bytes decoded so far. */
  bytes = 0;
  private readonly utf8: TextDecoder | null;
  /** The bytes at the end of the last chunk that begin an unfinished UTF-8 sequence. */
  private tail: Uint8Array = new Uint8Array(0);

  constructor(readonly name: string, readonly encoding: TextEncoding = "utf8") {
    this.utf8 = encoding === "utf8" ? new TextDecoder("utf-8", { fatal: true }) : null;
  }

  decode(chunk: Uint8Array): string {
    const before = this.bytes;
    this.bytes += chunk.length;
    if (this.utf8 === null) return latin1(chunk);
    try {
      const text = this.utf8.decode(chunk, { stream: true });
      this.tail = unfinishedTail(this.tail, chunk);
      return text;
    } catch {
      const joined = new Uint8Array(this.tail.length + chunk.length);
      joined.set(this.tail);
      joined.set(chunk, this.tail.length);
      const at = invalidUtf8At(joined);
      throw this.error(before - this.tail.length + Math.max(0, at), joined, Math.max(0, at));
    }
  }

  /** Flushes the decoder: an unfinished sequence at the very end is an error too. */
  end(): string {
    if (this.utf8 === null) return "";
    try {
      return this.utf8.decode();
    } catch {
      throw this.error(this.bytes - this.tail.length, this.tail, 0, true);
    }
  }

  private error(offset: number, bytes: Uint8Array, at: number, truncated = false): Error {
    const shown = Array.from(bytes.subarray(at, at + 4), (b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
    return new Error(
      `${this.name}: invalid UTF-8 at byte ${offset} (${shown}${truncated ? ", cut off by the end of the input" : ""}); ` +
        `if the text is Latin-1, read it with encoding "latin1"`,
    );
  }
}

/** Latin-1: every byte is the code point of the same value. */
function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  return s;
}

/** The length of the UTF-8 sequence that lead byte b starts (0: not a lead byte). */
function seqLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** The unfinished sequence at the end of `prev` + `chunk` (at most 3 bytes), for error offsets. */
function unfinishedTail(prev: Uint8Array, chunk: Uint8Array): Uint8Array {
  const n = chunk.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = chunk[n - back];
    if (b < 0x80) break;
    if (b >= 0xc0) return seqLength(b) > back ? chunk.slice(n - back) : new Uint8Array(0);
  }
  if (n >= 3) return new Uint8Array(0);
  // a short chunk may continue the previous tail
  const joined = new Uint8Array(prev.length + n);
  joined.set(prev);
  joined.set(chunk, prev.length);
  return joined.length > prev.length && joined.length < 4 && joined.length < seqLength(joined[0]) ? joined : new Uint8Array(0);
}

/**
 * The offset of the first byte of `bytes` that starts an invalid UTF-8 sequence (WHATWG's rules:
 * no overlong forms, no surrogates, nothing above U+10FFFF), or -1 when every sequence is valid
 * (an unfinished one at the very end counts as valid: the next chunk may finish it).
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
