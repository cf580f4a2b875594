// A training worker. Over a shared encoded corpus: takes sentences from the shared queue until there
// are none left. Fed by chunk (`chunked`): trains each chunk it is sent, then says so.
import { parentPort, workerData } from "node:worker_threads";
import { type KernelParams, type KernelTables, trainChunk, trainJobs } from "../word2vec/jobs.js";

const { tables, params, chunked } = workerData as { tables: KernelTables; params: KernelParams; chunked?: boolean };
if (chunked) {
  const next = new Int32Array(1);
  parentPort!.on("message", (m: { ids: Int32Array; starts: Int32Array; seed: number; totalWords: number }) => {
    trainChunk(tables, params, { ids: m.ids, starts: m.starts, rawTokens: 0 }, m.seed, m.totalWords, next);
    parentPort!.postMessage("done");
  });
} else {
  trainJobs(tables, params);
  parentPort?.postMessage("done");
}
