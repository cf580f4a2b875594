// fastText training on worker threads: the tables and the encoded corpus live in SharedArrayBuffers,
// each worker runs fastText's training thread over them without locks (Hogwild, as fastText).
import { Worker } from "node:worker_threads";
import type { CorpusInput } from "../text/stream.js";
import type { FastTextOptions } from "../fasttext/args.js";
import type { FastText } from "../fasttext/model.js";
import { type FastTextTrainStats, planTraining, runStats } from "../fasttext/train.js";
import { trainThread } from "../fasttext/train-loop.js";
import { fileCorpus } from "./file-corpus.js";
import { coreCount } from "./cbow-threads.js";

/**
 * Trains a fastText model with `options.thread` worker threads (default: the cores of this machine,
 * at most 12, fastText's default). `input` is a file path, or any input of trainFastText. With one
 * thread it trains in this thread, reproducibly; with more the result depends on timing.
 *
 * @example
 * ```ts
 * const { writeFileSync } = await import("node:fs");
 * writeFileSync("corpus.txt", "the cat sat on the mat\nthe dog sat on the log\n".repeat(50));
 * const model = await trainFastTextThreaded("corpus.txt", { model: "skipgram", thread: 2, dim: 8, minCount: 1, bucket: 1000 });
 * model.stats.threads; // 2
 * ```
 */
export async function trainFastTextThreaded(input: string | CorpusInput, options: FastTextOptions = {}): Promise<FastText & { stats: FastTextTrainStats }> {
  const fn = "trainFastTextThreaded";
  const o: FastTextOptions = options !== null && typeof options === "object" && !Object.prototype.hasOwnProperty.call(options, "thread")
    ? { ...options, thread: Math.min(12, coreCount()) }
    : options;
  const source = typeof input === "string" ? fileCorpus(input) : input;
  const plan = await planTraining(fn, source, o, undefined, (n) => new SharedArrayBuffer(n), 256);
  const start = performance.now();
  if (plan.workers === 1) {
    trainThread(plan.tables, { ...plan.params, worker: 0, workers: 1 });
  } else {
    await Promise.all(
      Array.from({ length: plan.workers }, (_, w) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL("./fasttext-worker.js", import.meta.url), {
            workerData: { tables: plan.tables, params: { ...plan.params, worker: w, workers: plan.workers } },
          });
          worker.once("message", () => resolve());
          worker.once("error", reject);
          worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${fn}: worker ${w} exited with code ${code}`))));
        }),
      ),
    );
  }
  const stats = runStats(fn, plan.tables, plan.workers, (performance.now() - start) / 1000);
  return Object.assign(plan.model, { stats });
}
