// numpy's .npy format: "\x93NUMPY", version (major, minor), header length (uint16 in 1.0, uint32 in
// 2.0/3.0), a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), } padded
// with spaces and "\n" so that the data starts at a multiple of 64, then the raw data.
// We write version 1.0 '<f4' C-order exactly as np.save does; we read 1.0, 2.0 and 3.0 headers, float32
// and float64 of either byte order (float64 rounded to float32), C or Fortran order.
import { Tensor } from "../tensor/tensor.js";
import { MAX_ELEMENTS, describe, shapeSize } from "../tensor/check.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN = 64;
/** np.save leaves room after the dict so the first axis can grow to 21 digits in place. */
const GROWTH_AXIS_MAX_DIGITS = 21;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A tensor as .npy bytes, identical to what `np.save` writes for a C-contiguous float32 array of the
 * same shape (format 1.0, '<f4', header padded to 64 bytes).
 *
 * @example
 * ```ts
 * const bytes = encodeNpy(Tensor.from([[1, 2, 3], [4, 5, 6]]));
 * bytes.length; // 128 header bytes + 24 data bytes
 * ```
 */
export function encodeNpy(t: Tensor): Uint8Array {
  if (!(t instanceof Tensor)) throw new TypeError(`encodeNpy: t must be a Tensor, got ${describe(t)}`);
  const shape = t.shape;
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  if (shape.length > 0) dict += " ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const hlen = dict.length + 1; // + "\n"
  const pad = ALIGN - ((MAGIC.length + 2 + 2 + hlen) % ALIGN);
  const headerLen = hlen + pad;
  if (headerLen > 0xffff) throw new RangeError(`encodeNpy: header of ${headerLen} bytes does not fit format 1.0`);
  const dataStart = 10 + headerLen;
  const out = new Uint8Array(dataStart + 4 * t.size);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerLen & 0xff;
  out[9] = headerLen >> 8;
  const text = dict + " ".repeat(pad) + "\n";
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  if (LITTLE_ENDIAN_HOST) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, 4 * t.size), dataStart);
  } else {
    const view = new DataView(out.buffer);
    for (let i = 0; i < t.size; i++) view.setFloat32(dataStart + 4 * i, t.data[i], true);
  }
  return out;
}

interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

type DictValue = { kind: "str"; value: string } | { kind: "bool"; value: boolean } | { kind: "tuple"; value: string[] } | { kind: "other"; value: string };

/**
 * The header dict, parsed as numpy reads it (`ast.literal_eval` of a Python dict literal): keys and
 * values in either quote style, any whitespace and `#` comments, a trailing comma; a key given twice
 * takes its last value, as a Python dict does; a key other than descr, fortran_order and shape is an
 * error, as in `np.load`. `at` prefixes error messages.
 */
function parseHeaderDict(at: string, text: string): NpyHeader {
  const body = text.replace(/[ \n]+$/, "");
  if (!body.startsWith("{") || !body.endsWith("}")) {
    throw new Error(`${at}: header is not a Python dict: ${describe(body.slice(0, 80))}`);
  }
  const bad = (why: string): never => {
    throw new Error(`${at}: header is not a Python dict (${why}): ${describe(body.slice(0, 120))}`);
  };
  let pos = 1;
  const skip = () => {
    for (;;) {
      while (pos < body.length && /\s/.test(body[pos])) pos++;
      if (body[pos] !== "#") return;
      while (pos < body.length && body[pos] !== "\n") pos++;
    }
  };
  const str = (): string => {
    const q = body[pos];
    const end = body.indexOf(q, pos + 1);
    if (end < 0) bad("an unterminated string");
    const s = body.slice(pos + 1, end);
    if (s.includes("\\")) bad("an escape sequence in a string");
    pos = end + 1;
    return s;
  };
  const value = (): DictValue => {
    const c = body[pos];
    if (c === "'" || c === '"') return { kind: "str", value: str() };
    if (c === "(") {
      const end = body.indexOf(")", pos);
      if (end < 0) bad("an unterminated tuple");
      const inner = body.slice(pos + 1, end);
      pos = end + 1;
      return { kind: "tuple", value: [inner] };
    }
    if (c === "[") {
      // a structured dtype's field list: not supported, but read past so the error says what it is
      const end = body.lastIndexOf("]");
      const list = body.slice(pos, end + 1);
      pos = end + 1;
      return { kind: "other", value: list };
    }
    const m = /^[^,}\s#]+/.exec(body.slice(pos));
    if (!m) bad(`a missing value at character ${pos}`);
    pos += m![0].length;
    if (m![0] === "True" || m![0] === "False") return { kind: "bool", value: m![0] === "True" };
    return { kind: "other", value: m![0] };
  };
  const entries = new Map<string, DictValue>();
  for (;;) {
    skip();
    if (body[pos] === "}") break;
    const q = body[pos];
    if (q !== "'" && q !== '"') bad(`a key that is not a string at character ${pos}`);
    const key = str();
    skip();
    if (body[pos] !== ":") bad(`no ":" after the key ${describe(key)}`);
    pos++;
    skip();
    entries.set(key, value()); // a repeated key: the last value wins, as in a Python dict
    skip();
    if (body[pos] === ",") pos++;
    else if (body[pos] !== "}") bad(`no "," after the value of ${describe(key)}`);
  }
  if (pos !== body.length - 1) bad("text after the closing brace");
  for (const key of entries.keys()) {
    if (key !== "descr" && key !== "fortran_order" && key !== "shape") {
      throw new Error(`${at}: header has the key ${describe(key)}; a .npy header holds only descr, fortran_order and shape`);
    }
  }
  const descr = entries.get("descr");
  const fortran = entries.get("fortran_order");
  const shape = entries.get("shape");
  if (!descr || !fortran || !shape) {
    const missing = [!descr && "descr", !fortran && "fortran_order", !shape && "shape"].filter(Boolean).join(", ");
    throw new Error(`${at}: header lacks ${missing}: ${describe(body.slice(0, 120))}`);
  }
  if (descr.kind !== "str") {
    throw new TypeError(`${at}: dtype ${descr.value} is not supported (float32 '<f4'/'>f4' or float64 '<f8'/'>f8')`);
  }
  if (fortran.kind !== "bool") throw new Error(`${at}: fortran_order is not True or False: ${describe(String(fortran.value))}`);
  if (shape.kind !== "tuple") throw new Error(`${at}: shape is not a tuple: ${describe(String(shape.value))}`);
  const inner = shape.value[0];
  const dims = inner.split(",").map((s) => s.trim());
  if (dims.length > 1 && dims[dims.length - 1] === "") dims.pop();
  if (dims.length === 1 && dims[0] === "") dims.pop();
  const parsed = dims.map((d) => {
    if (!/^\d+L?$/.test(d)) throw new Error(`${at}: bad shape (${inner}) in header`);
    return Number(d.replace("L", ""));
  });
  return { descr: descr.value, fortranOrder: fortran.value, shape: parsed };
}

/**
 * Reads .npy bytes (format 1.0, 2.0 or 3.0) into a float32 tensor: '<f4' and '>f4' as they are,
 * '<f8' and '>f8' rounded to float32; Fortran-order arrays are reordered to row-major. Errors name
 * `source` and the byte offset; the size the header declares is checked against the bytes present
 * before anything is allocated.
 *
 * @example
 * ```ts
 * const t = decodeNpy(encodeNpy(Tensor.from([[1, 2], [3, 4]])));
 * t.shape; // [2, 2]
 * ```
 */
export function decodeNpy(bytes: Uint8Array, source?: string): Tensor {
  const fn = "decodeNpy";
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fn}: bytes must be a Uint8Array, got ${describe(bytes)}`);
  if (source !== undefined && typeof source !== "string") {
    throw new TypeError(`${fn}: source must be a string, got ${describe(source)}`);
  }
  const src = source ?? "<bytes>";
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw new Error(`${fn}: ${src} byte ${Math.min(i, bytes.length)}: not a .npy file (the magic string "\\x93NUMPY" is missing)`);
    }
  }
  if (bytes.length < 10) throw new Error(`${fn}: ${src} byte ${bytes.length}: truncated .npy header`);
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) {
    throw new Error(`${fn}: ${src} byte 6: unsupported .npy format version ${major}.${minor} (known: 1.0, 2.0, 3.0)`);
  }
  const lenBytes = major === 1 ? 2 : 4;
  const start = 8 + lenBytes;
  if (bytes.length < start) throw new Error(`${fn}: ${src} byte ${bytes.length}: truncated .npy header`);
  let headerLen = 0;
  for (let i = lenBytes - 1; i >= 0; i--) headerLen = headerLen * 256 + bytes[8 + i];
  const dataStart = start + headerLen;
  if (dataStart > bytes.length) {
    throw new Error(`${fn}: ${src} byte 8: header length ${headerLen} runs past the end of the input (${bytes.length} bytes)`);
  }
  const headerBytes = bytes.subarray(start, dataStart);
  let text: string;
  if (major === 3) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(headerBytes);
    } catch {
      throw new Error(`${fn}: ${src} byte ${start}: header is not valid UTF-8`);
    }
  } else {
    text = "";
    for (let i = 0; i < headerBytes.length; i++) text += String.fromCharCode(headerBytes[i]);
  }
  const h = parseHeaderDict(`${fn}: ${src} byte ${start}`, text);
  const m = /^([<>|=])f([48])$/.exec(h.descr);
  if (!m || m[1] === "|") {
    throw new TypeError(
      `${fn}: ${src} byte ${start}: dtype ${describe(h.descr)} is not supported (float32 '<f4'/'>f4' or float64 '<f8'/'>f8')`,
    );
  }
  const itemSize = Number(m[2]);
  const littleEndian = m[1] === "<" || (m[1] === "=" && LITTLE_ENDIAN_HOST);
  const size = shapeSize(h.shape);
  if (size > MAX_ELEMENTS) {
    throw new RangeError(
      `${fn}: ${src} byte ${start}: shape [${h.shape.join(", ")}] has ${size} elements, more than a Float32Array can hold (${MAX_ELEMENTS})`,
    );
  }
  const have = bytes.length - dataStart;
  if (have !== size * itemSize) {
    throw new RangeError(
      `${fn}: ${src} byte ${dataStart}: shape [${h.shape.join(", ")}] of ${h.descr} needs ${size * itemSize} data bytes, found ${have}`,
    );
  }
  const data = new Float32Array(size);
  if (itemSize === 4 && littleEndian && LITTLE_ENDIAN_HOST) {
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, size * itemSize);
    if (itemSize === 4) for (let i = 0; i < size; i++) data[i] = view.getFloat32(4 * i, littleEndian);
    else for (let i = 0; i < size; i++) data[i] = view.getFloat64(8 * i, littleEndian);
  }
  return new Tensor(h.fortranOrder ? fortranToC(data, h.shape) : data, h.shape);
}

/** Column-major data of `shape` reordered row-major: out[i0..ik] = data[i0 + s0*(i1 + s1*(...))]. */
function fortranToC(data: Float32Array, shape: readonly number[]): Float32Array {
  const nd = shape.length;
  if (nd < 2) return data;
  const out = new Float32Array(data.length);
  const fStride = new Array<number>(nd);
  for (let d = 0, s = 1; d < nd; d++) {
    fStride[d] = s;
    s *= shape[d];
  }
  const idx = new Array<number>(nd).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src];
    // Advance the row-major counter (last axis fastest) and the column-major offset with it.
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      src += fStride[d];
      if (idx[d] < shape[d]) break;
      src -= fStride[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}
