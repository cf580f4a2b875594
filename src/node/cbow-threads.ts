import { Worker } from "node:worker_threads";
import { availableParallelism, cpus } from "node:os";
import type { EncodedCorpus } from "../text/corpus.js";
import type { CorpusInput } from "../text/stream.js";
import {
  type CBOWResult, type CBOWStreamOptions, type CBOWTrainOptions, type CorpusStats, type ResolvedCBOWOptions, checkCorpus, checkDiverged, checkInitialSizes,
  feedChunks, isStreamInput, kernelParams, planStream, prepareTables, readProgress, resolveCBOWOptions, result, runWord2Vec, type StreamPlan, vocabOnly,
} from "../word2vec/trainer.js";
import { type KernelTables, chunkSeed, divergedAt } from "../word2vec/jobs.js";
import type { SentenceChunk } from "../text/corpus-stream.js";
import { checkInt } from "../tensor/check.js";
import { fileCorpus } from "./file-corpus.js";

/** Options of {@link trainCBOWThreaded}: {@link CBOWTrainOptions} and the number of worker threads. */
export interface CBOWThreadedOptions extends CBOWTrainOptions {
  /** Worker threads (default 1: train in this thread, reproducibly, like trainCBOW). */
  threads?: number;
}

/** Options of {@link trainCBOWThreaded} on a stream or a file: {@link CBOWStreamOptions} and `threads`. */
export interface CBOWThreadedStreamOptions extends CBOWStreamOptions {
  threads?: number;
}

/** The cores this process may use (os.availableParallelism where there is one). */
export function coreCount(): number {
  return typeof availableParallelism === "function" ? availableParallelism() : cpus().length;
}

/**
 * Trains CBOW with `threads` worker threads that update one pair of tables in a SharedArrayBuffer
 * without locks (Hogwild, as word2vec.c and gensim).
 *
 * On an {@link EncodedCorpus} (or a stream whose ids fit in `corpusMemory`) the workers take
 * sentences from one shared queue (an atomic counter over epochs × sentences), so none sits idle
 * while another still has work, and at most one worker per sentence is started. On a streamed
 * corpus (a file path, a `fileCorpus`, or any input of `trainCBOW`, too large for `corpusMemory`)
 * this thread reads and encodes the corpus a chunk at a time and hands each chunk to the next idle
 * worker: memory is the two tables, the vocabulary and about two chunks per worker. The learning rate
 * follows the progress of all workers together. With more than one thread the result depends on
 * timing, so it is not reproducible bit for bit; `threads: 1` trains in this thread and is.
 * `result.threads` is the number of worker threads that were started.
 *
 * @example
 * ```ts
 * // import { encodeCorpus } from "embedkit"; import { trainCBOWThreaded } from "embedkit/node";
 * const corpus = encodeCorpus(generateDemoCorpus({ sentences: 2000, seed: 1 }), { minCount: 1 });
 * const { vocab, vectors, stats } = await trainCBOWThreaded(corpus, { threads: 2, dim: 16, epochs: 2 });
 * vectors.shape[0] === vocab.words.length; // true
 * ```
 */
export async function trainCBOWThreaded(corpus: EncodedCorpus, options?: CBOWThreadedOptions): Promise<CBOWResult>;
export async function trainCBOWThreaded(corpus: string | CorpusInput, options?: CBOWThreadedStreamOptions): Promise<CBOWResult>;
export async function trainCBOWThreaded(corpus: EncodedCorpus | string | CorpusInput, options: CBOWThreadedStreamOptions = {}): Promise<CBOWResult> {
  const fn = "trainCBOWThreaded";
  const { threads: t, ...rest } = options;
  const threads = t === undefined ? 1 : checkInt(fn, "threads", t, 1, 256);
  if (typeof corpus === "string") corpus = fileCorpus(corpus);
  if (isStreamInput(corpus)) {
    if (threads === 1) return runWord2Vec(fn, corpus, rest);
    const { o, plan } = await planStream(fn, corpus, rest, [], (n) => new SharedArrayBuffer(n));
    if (plan.corpus !== null) return trainShared(fn, plan.corpus, o, threads);
    return trainStreamed(fn, plan, o, threads);
  }
  checkCorpus(fn, corpus);
  const o = resolveCBOWOptions(fn, rest);
  checkInitialSizes(fn, corpus, o);
  if (threads === 1) return runWord2Vec(fn, corpus, rest);
  return trainShared(fn, corpus, o, threads);
}

function startWorker(workerData: unknown): Worker {
  return new Worker(new URL("./cbow-worker.js", import.meta.url), { workerData });
}

/** Workers over one encoded corpus in shared memory, taking sentences from one queue. */
async function trainShared(fn: string, corpus: EncodedCorpus, o: ResolvedCBOWOptions, threads: number): Promise<CBOWResult> {
  const workers = Math.max(1, Math.min(threads, corpus.starts.length - 1));
  const tables = prepareTables(corpus, o, workers, (n) => new SharedArrayBuffer(n), true);
  const start = performance.now();
  const report = () => readProgress(tables.progress, workers, o.epochs, corpus.ids.length, (performance.now() - start) / 1000);
  const timer = o.onProgress === undefined ? undefined : setInterval(() => o.onProgress!(report()), 250);
  const pool: Worker[] = [];
  try {
    await Promise.all(
      Array.from(
        { length: workers },
        (_, w) =>
          new Promise<void>((resolve, reject) => {
            const worker = startWorker({ tables, params: kernelParams(o, corpus, w, workers) });
            pool.push(worker);
            worker.once("message", () => resolve());
            worker.once("error", reject);
            worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${fn}: worker ${w} exited with code ${code}`))));
          }),
      ),
    );
  } finally {
    if (timer !== undefined) clearInterval(timer);
    // On the first error every other worker is stopped at once (terminating a finished one is a no-op).
    await Promise.all(pool.map((w) => w.terminate()));
  }
  checkDiverged(fn, tables, workers, o, corpus.ids.length);
  const stats = report();
  o.onProgress?.(stats);
  const input: CorpusStats = { rawTokens: corpus.rawTokens, tokens: corpus.ids.length, streamed: false };
  return result(corpus, o, tables, stats, input, workers);
}

/** A worker that trains the chunks it is sent, one at a time. */
interface ChunkWorker {
  worker: Worker;
  /** Resolves when the chunk it was last sent is done. */
  idle: Promise<ChunkWorker>;
}

/**
 * Workers fed by chunk: this thread reads and encodes the corpus, and sends each chunk (ids in a
 * SharedArrayBuffer, shared, not copied) to the first idle worker.
 */
async function trainStreamed(fn: string, plan: StreamPlan, o: ResolvedCBOWOptions, threads: number): Promise<CBOWResult> {
  const chunks = Math.ceil((plan.tokens * o.epochs) / plan.chunk.chunkTokens);
  const workers = Math.max(1, Math.min(threads, chunks));
  const base = vocabOnly(plan.vocab);
  const tables: KernelTables = prepareTables(base, o, workers, (n) => new SharedArrayBuffer(n), false);
  const start = performance.now();
  const report = () => readProgress(tables.progress, workers, o.epochs, plan.tokens, (performance.now() - start) / 1000);
  const timer = o.onProgress === undefined ? undefined : setInterval(() => o.onProgress!(report()), 250);
  let failure: Error | null = null;
  let finished = false;
  let fail: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = (e) => {
      failure ??= e;
      reject(failure);
    };
  });
  failed.catch(() => {});
  const pool: ChunkWorker[] = Array.from({ length: workers }, (_, w) => {
    const worker = startWorker({ tables, params: kernelParams(o, base, w, workers), chunked: true });
    worker.on("error", (e) => fail(e));
    worker.on("exit", (code) => {
      if (code !== 0 && !finished) fail(new Error(`${fn}: worker ${w} exited with code ${code}`));
    });
    const cw: ChunkWorker = { worker, idle: Promise.resolve(null as unknown as ChunkWorker) };
    cw.idle = Promise.resolve(cw);
    return cw;
  });
  // Chunks live in a pool of shared buffers, given back when their worker is done: a buffer sent to
  // a worker stays referenced there until that worker's next garbage collection, which may be long
  // in coming, so fresh buffers per chunk would pile up (a 1 GB corpus is thousands of chunks).
  const slotBytes = 4 * (plan.chunk.chunkTokens + Math.min(plan.chunk.maxSentenceLength, plan.chunk.chunkTokens) + 1);
  const free: SharedArrayBuffer[] = [];
  const alloc = (n: number): SharedArrayBuffer => {
    const i = free.findIndex((b) => b.byteLength >= n);
    return i >= 0 ? free.splice(i, 1)[0] : new SharedArrayBuffer(Math.max(n, slotBytes));
  };
  const send = (cw: ChunkWorker, chunk: SentenceChunk, message: unknown): void => {
    cw.idle = new Promise<ChunkWorker>((resolve) =>
      cw.worker.once("message", () => {
        free.push(chunk.ids.buffer as SharedArrayBuffer, chunk.starts.buffer as SharedArrayBuffer);
        resolve(cw);
      }),
    );
    cw.worker.postMessage(message);
  };
  let fed: { tokens: number; rawTokens: number };
  try {
    fed = await feedChunks(
      plan,
      o.epochs,
      async (chunk, k, totalWords) => {
        const cw = await Promise.race([failed, ...pool.map((p) => p.idle)]);
        if (divergedAt(tables.progress, workers) >= 0) checkDiverged(fn, tables, workers, o, plan.tokens);
        send(cw, chunk, { ids: chunk.ids, starts: chunk.starts, seed: chunkSeed(o.seed, k), totalWords });
      },
      alloc,
    );
    await Promise.race([failed, Promise.all(pool.map((p) => p.idle))]);
  } finally {
    finished = true;
    if (timer !== undefined) clearInterval(timer);
    await Promise.all(pool.map((p) => p.worker.terminate()));
  }
  if (failure !== null) throw failure;
  checkDiverged(fn, tables, workers, o, plan.tokens);
  const stats = report();
  o.onProgress?.(stats);
  return result(base, o, tables, stats, { rawTokens: fed.rawTokens, tokens: fed.tokens, streamed: true }, workers);
}
