// Loaders refuse what would fail later: a model whose counters cannot grow exactly, a vocabulary
// file that is not UTF-8 (named by line and byte); and every I/O error keeps its `code`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Word2VecModel, decodeModel, encodeModel, trainWord2Vec } from "../src/index.js";
import { loadModel, saveModel } from "../src/node/index.js";
import { encodeCorpus } from "../src/text/corpus.js";
import { generateDemoCorpus } from "../src/text/synthetic.js";
import { main } from "../src/cli/main.js";

let dir: string;
let model: Word2VecModel;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "embedkit-loaders-"));
  model = trainWord2Vec(encodeCorpus(generateDemoCorpus({ sentences: 60, seed: 1 }), { minCount: 1 }), { dim: 4, epochs: 1, seed: 1 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The model's bytes with its header's JSON state field `key` set to `value` (the layout redone around it). */
function patchState(bytes: Uint8Array, key: string, value: number): Uint8Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  const L = dv.getUint32(12, true);
  const pad8 = (n: number) => (8 - (n % 8)) % 8;
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + L)));
  h.state[key] = value;
  const json = new TextEncoder().encode(JSON.stringify(h));
  const rest = bytes.subarray(16 + L + pad8(16 + L));
  const out = new Uint8Array(16 + json.length + pad8(16 + json.length) + rest.length);
  out.set(bytes.subarray(0, 16));
  new DataView(out.buffer).setUint32(12, json.length, true);
  out.set(json, 16);
  out.set(rest, out.length - rest.length);
  return out;
}

describe("a model whose counters are near 2^53 is refused at load, not at resume", () => {
  it("state.words and state.effectiveWords beyond 2^50", () => {
    const bytes = encodeModel(model);
    for (const key of ["words", "effectiveWords"]) {
      const bad = patchState(bytes, key, 2 ** 53 - 10);
      expect(() => decodeModel(bad, "big.model")).toThrow(new RegExp(`decodeModel: big\\.model has a bad header: state\\.${key} 9007199254740982 is beyond 2\\^50`));
      const p = join(dir, `${key}.model`);
      writeFileSync(p, bad);
      expect(() => loadModel(p)).toThrow(/^loadModel: .*is beyond 2\^50/);
    }
    expect(decodeModel(patchState(bytes, "words", 2 ** 40), "ok.model").state.words).toBe(2 ** 40);
  });
});

describe("loadModel and saveModel keep the system's code on every I/O error", () => {
  it("ENOENT, EISDIR, ENOTDIR", () => {
    saveModel(join(dir, "m.model"), model);
    const cases: [string, string][] = [[join(dir, "none.model"), "ENOENT"], [dir, "EISDIR"], [join(dir, "m.model", "x"), "ENOTDIR"]];
    for (const [p, code] of cases) {
      expect(() => loadModel(p)).toThrow(expect.objectContaining({ code, message: expect.stringMatching(/^loadModel: cannot read /) }));
    }
    expect(() => saveModel(join(dir, "no", "such", "m.model"), model)).toThrow(expect.objectContaining({ code: "ENOENT", message: expect.stringMatching(/^saveModel: cannot write /) }));
  });
});

describe("--read-vocab that is not UTF-8 names the file, the line and the byte", () => {
  it("an invalid byte on line 3", async () => {
    const p = join(dir, "latin1-vocab.txt");
    writeFileSync(p, Buffer.concat([Buffer.from("the 9\ncat 5\ncaf"), Buffer.from([0xe9]), Buffer.from(" 3\ndog 2\n")]));
    let err = "";
    const code = await main(["train", "--input", p, "--output", join(dir, "v.txt"), "--read-vocab", p, "--min-count", "1"], {
      out: () => {}, err: (s) => void (err += s), isTTY: false,
    });
    expect(code).toBe(1);
    expect(err).toBe(`embedkit train: ${p}: line 3 (byte 15): not valid UTF-8 (0xe9); a vocabulary file is UTF-8 text\n`);
  });
});
