// .npy: bytes identical to np.save's, numpy's files read bit-exactly (test/fixtures/npy-*.npy, written by
// numpy 1.24 via test/generators/make-gensim-golden.py), and every kind of malformed input.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

describe("the header dict as numpy reads it (ast.literal_eval; checked with numpy 1.24)", () => {
  const data = new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer);
  const file = (dict: string) => {
    const header = dict.padEnd(118, " ") + "\n";
    return new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8, ...new TextEncoder().encode(header), ...data]);
  };
  // What np.load returns for each header (dtype, shape, Fortran order), verified by running np.load on
  // the same bytes: a repeated key takes its last value.
  const read: [string, string, number[], boolean][] = [
    ["duplicate descr: the last wins", "{'descr': '<f8', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", [2, 3], false],
    ["duplicate fortran_order", "{'descr': '<f4', 'fortran_order': True, 'fortran_order': False, 'shape': (2, 3), }", [2, 3], false],
    ["duplicate shape", "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), 'shape': (2, 3), }", [2, 3], false],
    ["the last fortran_order True", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'fortran_order': True}", [2, 3], true],
    ["double quotes, keys in any order", `{"shape": (2, 3), "fortran_order": False, "descr": '<f4'}`, [2, 3], false],
    ["no spaces, a trailing comma in the tuple", "{'descr':'<f4','fortran_order':False,'shape':(2,3,),}", [2, 3], false],
    ["a comment and a newline inside", "{'descr': '<f4', # float32\n 'fortran_order': False, 'shape': (2, 3)}", [2, 3], false],
  ];
  it.each(read)("%s", (_, dict, shape, fortran) => {
    const t = decodeNpy(file(dict), "w.npy");
    expect(t.shape).toEqual(shape);
    const c = [[1, 2, 3], [4, 5, 6]];
    const f = [[1, 3, 5], [2, 4, 6]]; // column-major data reordered
    expect(t.toArray()).toEqual(fortran ? f : c);
  });

  const refused: [string, string, RegExp][] = [
    ["duplicate descr, the last unsupported", "{'descr': '<f4', 'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", /w\.npy byte 10: dtype "<i8" is not supported/],
    ["an extra key (numpy: Header does not contain the correct keys)", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}", /w\.npy byte 10: header has the key "extra"; a \.npy header holds only descr, fortran_order and shape/],
    ["fortran_order 0 (numpy: not a valid bool)", "{'descr':'<f4','fortran_order':0,'shape':(2, 3)}", /w\.npy byte 10: fortran_order is not True or False: "0"/],
    ["shape not a tuple", "{'descr': '<f4', 'fortran_order': False, 'shape': 6}", /w\.npy byte 10: shape is not a tuple: "6"/],
    ["a structured dtype", "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,)}", /w\.npy byte 10: dtype \[\('a', '<f4'\)\] is not supported/],
    ["a missing comma", "{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3)}", /w\.npy byte 10: header is not a Python dict \(no "," after the value of "descr"\)/],
    ["an unterminated string", "{'descr: '<f4', 'fortran_order': False, 'shape': (2, 3)}", /w\.npy byte 10: header is not a Python dict/],
  ];
  it.each(refused)("%s", (_, dict, message) => {
    expect(() => decodeNpy(file(dict), "w.npy")).toThrow(message);
  });

  it.skipIf(!hasNumpy())("live: np.load agrees on every header above (read, or refused)", () => {
    const d = mkdtempSync(join(tmpdir(), "embedkit-npy-"));
    try {
      const all = [...read.map((r) => r[1]), ...refused.map((r) => r[1])];
      all.forEach((dict, i) => writeFileSync(join(d, `${i}.npy`), file(dict)));
      const py = `
import json, sys, numpy as np
out = []
for i in range(int(sys.argv[2])):
    try:
        a = np.load(f"{sys.argv[1]}/{i}.npy")
        out.append({"shape": list(a.shape), "data": np.ascontiguousarray(a).astype(np.float64).tolist()})
    except Exception as e:
        out.append({"error": type(e).__name__})
print(json.dumps(out))
`;
      const np = JSON.parse(execFileSync("/usr/bin/python3", ["-c", py, d, String(all.length)], { encoding: "utf8" }));
      all.forEach((dict, i) => {
        let ours: unknown;
        try {
          const t = decodeNpy(file(dict));
          ours = { shape: t.shape, data: t.toArray() };
        } catch {
          ours = "refused";
        }
        if (np[i].error !== undefined) expect(ours, dict).toBe("refused");
        // numpy reads int64 and structured arrays; embedkit holds plain floats only
        else if (dict.includes("'<i8'") || dict.includes("[(")) expect(ours, dict).toBe("refused");
        else expect(ours, dict).toEqual(np[i]);
      });
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

function hasNumpy(): boolean {
  try {
    execFileSync("/usr/bin/python3", ["-c", "import numpy"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
