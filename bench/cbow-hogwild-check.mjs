// Hogwild scaling check: one worker vs two workers sharing the tables and the job queue (same work),
// and two workers on private tables (what the machine gives). Run after `npm run build`:
//   node bench/cbow-hogwild-check.mjs [CORPUS]
// CORPUS is the argument, else $EMBEDKIT_CORPUS, else a generated demo corpus (200,000 sentences).
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { encodeCorpus } from "../dist/text/corpus.js";
import { prepareTables, resolveCBOWOptions, kernelParams } from "../dist/word2vec/trainer.js";
import { generateDemoCorpus } from "../dist/text/synthetic.js";
const corpusFile = process.argv[2] ?? process.env.EMBEDKIT_CORPUS;
console.log(`corpus: ${corpusFile ?? "generated demo corpus, 200,000 sentences"}`);
const text = corpusFile ? readFileSync(corpusFile, "utf8") : generateDemoCorpus({ sentences: 200_000, seed: 1 });
const corpus = encodeCorpus(text, { minCount: 5 });
const o = resolveCBOWOptions("x", { epochs: 2 });
const url = new URL("../dist/node/cbow-worker.js", import.meta.url);
async function run(label, tableSets, workersPer) {
  const t0 = performance.now();
  const ps = [];
  for (const tables of tableSets) for (let w = 0; w < workersPer; w++) {
    ps.push(new Promise((res) => new Worker(url, { workerData: { tables, params: kernelParams(o, corpus, w, workersPer) } }).once("message", res)));
  }
  await Promise.all(ps);
  console.log(label, ((performance.now() - t0) / 1000).toFixed(2), "s");
}
const sab = (n) => new SharedArrayBuffer(n);
for (let i = 0; i < 2; i++) {
  await run("1 worker, 1 job set        ", [prepareTables(corpus, o, 1, sab, true)], 1);
  await run("2 workers, private tables  ", [prepareTables(corpus, o, 1, sab, true), prepareTables(corpus, o, 1, sab, true)], 1);
  await run("2 workers, shared tables (half the work each)", [prepareTables(corpus, o, 2, sab, true)], 2);
}
