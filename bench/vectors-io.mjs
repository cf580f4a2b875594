// Word-vector files, embedkit and gensim side by side on the same 30,000 x 100 table.
// Run: npm run build && node bench/vectors-io.mjs      (gensim part: Debian's python3-gensim)
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyedVectors, Tensor } from "../dist/index.js";
import { loadNpy, loadWord2Vec, saveNpy, saveWord2Vec } from "../dist/node/files.js";

const V = 30000;
const H = 100;
const dir = mkdtempSync(join(tmpdir(), "embedkit-bench-"));
const file = (name) => join(dir, name);
const kv = new KeyedVectors(Array.from({ length: V }, (_, i) => `word${i}`), Tensor.randn([V, H], { seed: 1, std: 0.1 }));
const time = (label, f) => {
  const t0 = performance.now();
  f();
  console.log(`embedkit ${label.padEnd(28)} ${((performance.now() - t0) / 1000).toFixed(3)} s`);
};
try {
  time("save text", () => saveWord2Vec(file("e.txt"), kv));
  time("save binary", () => saveWord2Vec(file("e.bin"), kv, { binary: true }));
  time("load text", () => loadWord2Vec(file("e.txt")));
  time("load binary", () => loadWord2Vec(file("e.bin")));
  time("save npy", () => saveNpy(file("e.npy"), kv.vectors));
  time("load npy", () => loadNpy(file("e.npy")));
  const q = loadWord2Vec(file("e.bin"));
  q.mostSimilar("word1", 10);
  time("100 x mostSimilar(topN=10)", () => {
    for (let i = 0; i < 100; i++) q.mostSimilar(`word${i}`, 10);
  });
  const py = `
import time, sys
from gensim.models import KeyedVectors
d = sys.argv[1]
def t(label, f):
    t0 = time.perf_counter(); r = f(); print(f"gensim   {label:<28} {time.perf_counter() - t0:.3f} s"); return r
kv = t("load text", lambda: KeyedVectors.load_word2vec_format(d + "/e.txt", binary=False))
t("load binary", lambda: KeyedVectors.load_word2vec_format(d + "/e.bin", binary=True))
t("save text", lambda: kv.save_word2vec_format(d + "/g.txt", binary=False))
t("save binary", lambda: kv.save_word2vec_format(d + "/g.bin", binary=True))
kv.most_similar("word1", topn=10)
t("100 x most_similar(topn=10)", lambda: [kv.most_similar(f"word{i}", topn=10) for i in range(100)])
same = lambda a, b: open(d + a, "rb").read() == open(d + b, "rb").read()
print("gensim re-saves identical bytes: text", same("/g.txt", "/e.txt"), "binary", same("/g.bin", "/e.bin"))
`;
  try {
    process.stdout.write(execFileSync("/usr/bin/python3", ["-c", py, dir], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  } catch {
    console.log("(gensim not available: apt-get install python3-gensim)");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
