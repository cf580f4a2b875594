// Copying float32 rows two at a time through Float64Array views of the same bytes: whether the engine
// keeps the bits, and the views themselves (made once per buffer).

// Whether this engine copies float32 data through `Float64Array` views bit for bit. V8 (Node, Deno,
// Chrome) moves a double it loads from a typed array without looking at it; JavaScriptCore (Bun,
// Safari) and SpiderMonkey (Firefox) canonicalise NaN doubles when they box them, so a pair of
// floats whose second reads as a NaN double (a float32 NaN with its top payload bits set) would come
// out changed, its partner float zeroed. Probed once, at load.
export const FLOAT64_COPY_EXACT: boolean = probeFloat64Copy();

function probeFloat64Copy(): boolean {
  // (low, high) word pairs whose double is a NaN other than the canonical one, and ordinary pairs.
  const words = [0x3f800000, 0x7ff00001, 0x12345678, 0x7ff80000, 0x00000001, 0xfff12345, 0xdeadbeef, 0x7fffffff, 0x40490fdb, 0xbf800000];
  const src = new Float64Array(new Uint32Array(words).buffer);
  const dst = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) dst[src.length - 1 - i] = src[i];
  const a = new Uint32Array(src.buffer);
  const b = new Uint32Array(dst.buffer);
  for (let i = 0; i < src.length; i++) {
    const j = src.length - 1 - i;
    if (b[2 * j] !== a[2 * i] || b[2 * j + 1] !== a[2 * i + 1]) return false;
  }
  return true;
}

// Rows narrower than this (in floats) are copied two floats at a time where they can be. The
// Float64Array copy won at H = 64 and 100 (0.5 the time of `set(subarray)`) and lost at H = 768
// (0.33 against 1.06 ns per float), where one native copy per row pays for itself.
export const FLOAT64_MAX_WIDTH = 256;

// Rows at least this wide are copied with `set(subarray)`; narrower ones with an unrolled loop.
export const SET_MIN_WIDTH = 64;

const views = new WeakMap<Float32Array, Float64Array | null>();

// `a` seen as doubles (length a.length / 2), or null when it does not start on an 8-byte boundary.
// Made once per buffer (a WeakMap lookup after that), so a kernel on reused buffers allocates nothing.
export function float64View(a: Float32Array): Float64Array | null {
  let v = views.get(a);
  if (v === undefined) {
    v = a.byteOffset % 8 === 0 ? new Float64Array(a.buffer, a.byteOffset, a.length >> 1) : null;
    views.set(a, v);
  }
  return v;
}

// Whether rows of width `H` of both buffers may be copied through Float64Array views.
export function copiesAsFloat64(a: Float32Array, b: Float32Array, H: number): boolean {
  return FLOAT64_COPY_EXACT && H % 2 === 0 && H < FLOAT64_MAX_WIDTH && a.byteOffset % 8 === 0 && b.byteOffset % 8 === 0;
}
