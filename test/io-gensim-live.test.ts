// Live interop with real gensim and numpy, when Debian's /usr/bin/python3 has them (apt-get install
// python3-gensim); skipped otherwise, since the golden files under test/fixtures cover CI.
// Our files load in gensim/numpy with identical words and bits, gensim re-saves them byte for byte,
// and what gensim writes loads here bit-identically.
import { afterAll, describe, expect, it, vi } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyedVectors, Tensor } from "../src/index.js";
import { loadNpy, loadWord2Vec, saveNpy, saveWord2Vec } from "../src/node/files.js";

const PY = "/usr/bin/python3";
// Importing gensim alone takes seconds on a loaded machine.
vi.setConfig({ testTimeout: 120_000 });
function hasGensim(): boolean {
  try {
    execFileSync(PY, ["-c", "import gensim, numpy"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const dir = mkdtempSync(join(tmpdir(), "embedkit-gensim-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bitsOf = (t: Tensor) => Array.from(new Uint32Array(t.data.slice().buffer));

describe.skipIf(!hasGensim())("live gensim / numpy interop", () => {
  const words = ["the", "café", "日本語", "emoji🙂", "x\ty", "Ω"];
  const table = Tensor.randn([words.length, 50], { seed: 8, std: 0.3 });
  table.data.set([1e-45, -0, 3.4e38, 1e-4, 2 ** -12, 1e16, 123456789, -1.5e-7], 0);
  const kv = new KeyedVectors(words, table);

  it("gensim and numpy read our files exactly and gensim re-saves them byte for byte", () => {
    saveWord2Vec(join(dir, "ours.txt"), kv);
    saveWord2Vec(join(dir, "ours.bin"), kv, { binary: true });
    saveNpy(join(dir, "ours.npy"), kv.vectors);
    writeFileSync(join(dir, "expected.json"), JSON.stringify({ words, bits: bitsOf(kv.vectors), shape: kv.vectors.shape }));
    const py = `
import json, sys, numpy as np
from gensim.models import KeyedVectors
d = sys.argv[1]
ref = json.load(open(d + "/expected.json"))
bits = np.array(ref["bits"], dtype=np.uint32).reshape(ref["shape"])
for binary, name in ((False, "ours.txt"), (True, "ours.bin")):
    kv = KeyedVectors.load_word2vec_format(d + "/" + name, binary=binary)
    assert kv.index_to_key == ref["words"], (name, kv.index_to_key)
    assert np.array_equal(kv.vectors.view(np.uint32), bits), name
    kv.save_word2vec_format(d + "/resaved-" + name, binary=binary)
    assert open(d + "/resaved-" + name, "rb").read() == open(d + "/" + name, "rb").read(), name
a = np.load(d + "/ours.npy")
assert a.dtype == np.float32 and np.array_equal(a.view(np.uint32), bits)
kv.save_word2vec_format(d + "/gensim.txt", binary=False)
kv.save_word2vec_format(d + "/gensim.bin", binary=True)
np.save(d + "/numpy.npy", a)
print("ok")
`;
    expect(execFileSync(PY, ["-c", py, dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim()).toBe("ok");
  });

  it("what gensim and numpy write loads here bit-identically", () => {
    for (const name of ["gensim.txt", "gensim.bin"]) {
      const back = loadWord2Vec(join(dir, name));
      expect(back.words).toEqual(words);
      expect(bitsOf(back.vectors)).toEqual(bitsOf(kv.vectors));
    }
    expect(bitsOf(loadNpy(join(dir, "numpy.npy")))).toEqual(bitsOf(kv.vectors));
    expect(readFileSync(join(dir, "numpy.npy"))).toEqual(readFileSync(join(dir, "ours.npy")));
  });
});
