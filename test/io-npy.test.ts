// .npy: bytes identical to np.save's, numpy's files read bit-exactly (test/fixtures/npy-*.npy, written by
// numpy 1.24 via test/fixtures/make-gensim-golden.py), and every kind of malformed input.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Tensor, decodeNpy, encodeNpy } from "../src/index.js";

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));
const golden = JSON.parse(fixture("npy-golden.json").toString("utf8"));
const bitsOf = (t: Tensor) => Array.from(new Uint32Array(t.data.slice().buffer));
const fromBits = (bits: number[]) => new Float32Array(new Uint32Array(bits).buffer);

describe(".npy against numpy", () => {
  for (const [name, spec] of Object.entries(golden.files) as [string, { shape: number[]; bits: number[] }][]) {
    it(`decodeNpy reads ${name}: shape ${JSON.stringify(spec.shape)}, bit-exact (float64 rounded to float32)`, () => {
      const t = decodeNpy(fixture(name), name);
      expect(t.shape).toEqual(spec.shape);
      expect(bitsOf(t)).toEqual(spec.bits);
    });
  }

  it.each(["npy-f4-2d.npy", "npy-f4-1d.npy", "npy-f4-0d.npy", "npy-f4-3d.npy", "npy-f4-empty.npy"])(
    "encodeNpy writes %s byte for byte as np.save does",
    (name) => {
      const spec = golden.files[name];
      const t = new Tensor(fromBits(spec.bits), spec.shape);
      expect(Buffer.from(encodeNpy(t))).toEqual(fixture(name));
    },
  );

  it("round trip is bit-exact, NaN and -0 included; the header is padded to 64 bytes", () => {
    const t = new Tensor(new Float32Array([NaN, -0, Infinity, 1e-45, 3.4e38, -1.5]), [2, 3]);
    const bytes = encodeNpy(t);
    const headerLen = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(bytes[10 + headerLen - 1]).toBe(0x0a);
    expect(bitsOf(decodeNpy(bytes))).toEqual(bitsOf(t));
    const big = Tensor.randn([1000, 7], { seed: 1 });
    expect(bitsOf(decodeNpy(encodeNpy(big)))).toEqual(bitsOf(big));
  });

  it("reads a tensor whose bytes start at an odd offset of a larger buffer", () => {
    const bytes = encodeNpy(Tensor.from([[1, 2], [3, 4]]));
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(decodeNpy(padded.subarray(3)).toArray()).toEqual([[1, 2], [3, 4]]);
  });
});

describe("malformed .npy: errors name the source and the byte offset", () => {
  const good = encodeNpy(Tensor.from([[1, 2, 3], [4, 5, 6]]));
  const withHeader = (dict: string, data: Uint8Array = new Uint8Array(24), version = 1) => {
    const header = dict.padEnd(118 - (version === 1 ? 0 : 2), " ") + "\n";
    const lenBytes = version === 1 ? [header.length & 0xff, header.length >> 8] : [header.length & 0xff, header.length >> 8, 0, 0];
    return new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0, ...lenBytes, ...new TextEncoder().encode(header), ...data]);
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ["empty input", new Uint8Array(0), /decodeNpy: w\.npy byte 0: not a \.npy file/],
    ["bad magic", new Uint8Array([...good.subarray(0, 3), 0x58, ...good.subarray(4)]), /w\.npy byte 3: not a \.npy file \(the magic string/],
    ["unknown version", new Uint8Array([...good.subarray(0, 6), 9, 0, ...good.subarray(8)]), /w\.npy byte 6: unsupported \.npy format version 9\.0/],
    ["header length past the end", good.subarray(0, 60), /w\.npy byte 8: header length 118 runs past the end of the input \(60 bytes\)/],
    ["header not a dict", withHeader("descr: <f4"), /w\.npy byte 10: header is not a Python dict/],
    ["header without shape", withHeader("{'descr': '<f4', 'fortran_order': False, }"), /w\.npy byte 10: header lacks shape/],
    ["bad shape", withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }"), /w\.npy byte 10: bad shape \(2, x\)/],
    ["int dtype", withHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }"), /w\.npy byte 10: dtype "<i8" is not supported/],
    ["object dtype", withHeader("{'descr': '|O', 'fortran_order': False, 'shape': (3,), }"), /w\.npy byte 10: dtype "\|O" is not supported/],
    ["data shorter than the shape", good.subarray(0, good.length - 4), /w\.npy byte 128: shape \[2, 3\] of <f4 needs 24 data bytes, found 20/],
    ["data longer than the shape", new Uint8Array([...good, 0, 0, 0, 0]), /w\.npy byte 128: shape \[2, 3\] of <f4 needs 24 data bytes, found 28/],
    ["10^12 elements", withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }"), /w\.npy byte 10: shape \[1000000, 1000000\] has 1000000000000 elements, more than a Float32Array can hold/],
    ["version 2 header truncated", new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0, 1]), /w\.npy byte 9: truncated \.npy header/],
  ];
  it.each(cases)("%s", (_, bytes, message) => {
    expect(() => decodeNpy(bytes, "w.npy")).toThrow(message);
  });

  it("reads a version 2.0 header built by hand", () => {
    const t = decodeNpy(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new Uint8Array(good.subarray(128)), 2));
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it("bad arguments", () => {
    expect(() => encodeNpy([1, 2] as any)).toThrow(/encodeNpy: t must be a Tensor, got \[1, 2\]/);
    expect(() => decodeNpy("x" as any)).toThrow(/decodeNpy: bytes must be a Uint8Array, got "x"/);
  });
});
