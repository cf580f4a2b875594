import { Worker } from "node:worker_threads";
import type { EncodedCorpus } from "../text/corpus.js";
import {
  type CBOWResult, type CBOWTrainOptions, checkCorpus, checkInitialSizes, kernelParams, prepareTables, readProgress, resolveCBOWOptions, result,
  trainCBOW,
} from "../models/cbow-trainer.js";
import { checkInt } from "../tensor/check.js";

/** Options of {@link trainCBOWThreaded}: {@link CBOWTrainOptions} and the number of worker threads. */
export interface CBOWThreadedOptions extends CBOWTrainOptions {
  /** Worker threads (default 1: train in this thread, reproducibly, like trainCBOW). */
  threads?: number;
}

/**
 * Trains CBOW with `threads` worker threads that update one pair of tables in a SharedArrayBuffer
 * without locks (Hogwild, as word2vec.c and gensim): the workers take sentences from one shared queue
 * (an atomic counter over epochs × sentences), so none sits idle while another still has work; the
 * learning rate follows the progress of all of them.
 * With more than one thread the result depends on timing, so it is not reproducible bit for bit;
 * `threads: 1` trains in this thread and is.
 *
 * @example
 * ```ts
 * // import { encodeCorpus } from "embedkit"; import { trainCBOWThreaded } from "embedkit/node";
 * const corpus = encodeCorpus(generateDemoCorpus({ sentences: 2000, seed: 1 }), { minCount: 1 });
 * const { vocab, vectors, stats } = await trainCBOWThreaded(corpus, { threads: 2, dim: 16, epochs: 2 });
 * vectors.shape[0] === vocab.words.length; // true
 * ```
 */
export async function trainCBOWThreaded(corpus: EncodedCorpus, options: CBOWThreadedOptions = {}): Promise<CBOWResult> {
  const fn = "trainCBOWThreaded";
  const { threads: t, ...rest } = options;
  const threads = t === undefined ? 1 : checkInt(fn, "threads", t, 1, 256);
  checkCorpus(fn, corpus);
  const o = resolveCBOWOptions(fn, rest);
  checkInitialSizes(fn, corpus, o);
  if (threads === 1) return trainCBOW(corpus, rest);
  const workers = Math.max(1, Math.min(threads, corpus.starts.length - 1));
  const tables = prepareTables(corpus, o, workers, (n) => new SharedArrayBuffer(n), true);
  const start = performance.now();
  const report = () => readProgress(tables.progress, workers, o.epochs, corpus.ids.length, (performance.now() - start) / 1000);
  const timer = o.onProgress === undefined ? undefined : setInterval(() => o.onProgress!(report()), 250);
  try {
    await Promise.all(
      Array.from(
        { length: workers },
        (_, w) =>
          new Promise<void>((resolve, reject) => {
            const params = kernelParams(o, corpus, w, workers);
            const worker = new Worker(new URL("./cbow-worker.js", import.meta.url), { workerData: { tables, params } });
            worker.once("message", () => resolve());
            worker.once("error", reject);
            worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${fn}: worker ${w} exited with code ${code}`))));
          }),
      ),
    );
  } finally {
    if (timer !== undefined) clearInterval(timer);
  }
  const stats = report();
  o.onProgress?.(stats);
  return result(corpus, o, tables, stats);
}
