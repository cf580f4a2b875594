// The job loop: hands sentences to trainSentence (or any sentence trainer with its signature, such as
// fastText's), decays the learning rate with the progress of every worker, keeps the progress
// counters, and stops when training diverges. One worker or several sharing the tables (Hogwild:
// lock-free, as word2vec.c and gensim). Nothing here checks its arguments (the trainers do).
import type { SentenceChunk } from "../text/corpus-stream.js";
import { seedState } from "./noise.js";
import { type StepParams, type StepScratch, type StepTables, stepScratch, trainSentence } from "./step.js";

/**
 * The typed arrays a training run works on (the step's tables, see StepTables, and the corpus); in
 * a threaded run every one of them is shared memory.
 */
export interface KernelTables extends StepTables {
  /** The corpus: in-vocabulary token ids, sentence after sentence. */
  ids: Int32Array;
  /** `starts[s]`: where sentence s begins in `ids` (length sentences + 1). */
  starts: Int32Array;
  /** keep[w]: subsampling keep probability of word w as a fraction of 2^32 (2^32 - 1: always). */
  keep: Uint32Array;
  /** PROGRESS_SLOTS numbers per worker: what it has done so far (read by every worker and the caller). */
  progress: Float64Array;
  /** next[0]: the next job (epoch · sentences + sentence) to hand out; workers take jobs with Atomics.add. */
  next: Int32Array;
}

/** Per-worker progress counters in `KernelTables.progress`. */
export const PROGRESS_SLOTS = 4;
export const WORDS = 0; // in-vocabulary tokens gone through (drives the learning-rate decay)
export const EFFECTIVE = 1; // tokens kept by subsampling (gensim's effective words)
export const LOSS = 2; // sum over center words of the loss
/** 0, or the words (of all workers, ≥ 1) gone through when this worker found a non-finite loss or weight. */
export const DIVERGED = 3;

/** The settings of one worker's run (the step's, see StepParams, and the schedule's). */
export interface KernelParams extends StepParams {
  /** The learning rate decays linearly from alpha to minAlpha over the run. */
  alpha: number;
  minAlpha: number;
  epochs: number;
  /** In-vocabulary tokens of the whole corpus, for one epoch. */
  totalWords: number;
  /** This worker's slot in `progress`, and how many workers there are. */
  worker: number;
  workers: number;
  seed: number;
}

/** The function that trains one subsampled sentence (trainSentence's signature). */
export type SentenceTrainer<T extends StepTables = StepTables, P extends StepParams = StepParams> = (
  t: T, p: P, s: StepScratch, sentence: Int32Array, n: number, alpha: number,
) => void;

/** How many words go by between two updates of the learning rate (and of the progress counters). */
const TICK_WORDS = 10000;

/** The words gone through when a worker found the run diverging, or -1 when none has. */
export function divergedAt(progress: Float64Array, workers: number): number {
  for (let q = 0; q < workers; q++) if (progress[q * PROGRESS_SLOTS + DIVERGED] > 0) return progress[q * PROGRESS_SLOTS + DIVERGED];
  return -1;
}

/**
 * Trains jobs until there are none left. A job is one sentence of one epoch, taken from the shared
 * counter `next` (epoch-major order), so that every worker stays busy until the end whatever share
 * of the CPU it gets, as gensim's job queue does; with one worker the order is the corpus order,
 * epoch after epoch. Each job: frequent-word subsampling, then `train` (trainSentence: the CBOW or
 * skip-gram steps). The learning rate decays linearly from alpha to minAlpha with the progress of
 * all workers together. Every TICK_WORDS words the counters are published, and training stops when
 * the loss or the last hidden vector is no longer finite (checked after every sentence; the DIVERGED
 * slot says where, the caller raises the error) or another worker has said so. `onTick`, if given, is called at each tick and
 * at the end (the caller's progress report).
 */
export function trainJobs<T extends KernelTables, P extends KernelParams>(
  t: T, p: P, onTick?: () => void, train: SentenceTrainer<T, P> = trainSentence as unknown as SentenceTrainer<T, P>,
): void {
  const { ids, starts, keep, progress, next } = t;
  const { epochs, worker, workers } = p;
  const S = starts.length - 1;
  const jobs = S * epochs;
  const slot = worker * PROGRESS_SLOTS;
  const total = p.totalWords * epochs + 1;
  const alphaSpan = p.alpha - p.minAlpha;
  let longest = 0;
  for (let s = 0; s < S; s++) longest = Math.max(longest, starts[s + 1] - starts[s]);
  const sentence = new Int32Array(longest);
  const scratch = stepScratch(p, seedState(p.seed));
  const { h } = scratch;
  const H = p.H;
  // A run fed chunk by chunk calls this once per chunk: the learning rate picks up where the
  // progress counters left it (p.alpha at the start of a run).
  let doneBefore = 0;
  for (let q = 0; q < workers; q++) doneBefore += progress[q * PROGRESS_SLOTS + WORDS];
  let alpha = Math.max(p.minAlpha, p.alpha - (alphaSpan * doneBefore) / total);
  let sinceTick = 0;
  let words = progress[slot + WORDS];
  let effective = progress[slot + EFFECTIVE];
  scratch.loss = progress[slot + LOSS];

  for (let job = Atomics.add(next, 0, 1); job < jobs; job = Atomics.add(next, 0, 1)) {
    // Subsample the sentence: keep word w with probability keep[w].
    const s = job % S;
    const begin = starts[s];
    const end = starts[s + 1];
    let n = 0;
    let x = scratch.x;
    for (let i = begin; i < end; i++) {
      const w = ids[i];
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      if (x >>> 0 < keep[w]) sentence[n++] = w;
    }
    scratch.x = x;
    train(t, p, scratch, sentence, n, alpha);
    effective += n;
    words += end - begin;
    sinceTick += end - begin;
    // Divergence: a NaN or infinite weight reaches h (and the loss) within a few steps; x · 0 is
    // NaN exactly when x is not finite. One pass over H per sentence.
    let probe = scratch.loss * 0;
    for (let j = 0; j < H; j++) probe += h[j] * 0;
    if (probe !== 0) {
      let done = words;
      for (let q = 0; q < workers; q++) if (q !== worker) done += progress[q * PROGRESS_SLOTS + WORDS];
      progress[slot + DIVERGED] = done;
      break;
    }
    if (sinceTick >= TICK_WORDS) {
      sinceTick = 0;
      progress[slot + WORDS] = words;
      progress[slot + EFFECTIVE] = effective;
      progress[slot + LOSS] = scratch.loss;
      let done = 0;
      for (let q = 0; q < workers; q++) done += progress[q * PROGRESS_SLOTS + WORDS];
      if (divergedAt(progress, workers) >= 0) break;
      alpha = Math.max(p.minAlpha, p.alpha - (alphaSpan * done) / total);
      if (onTick !== undefined) onTick();
    }
  }
  progress[slot + WORDS] = words;
  progress[slot + EFFECTIVE] = effective;
  progress[slot + LOSS] = scratch.loss;
  if (onTick !== undefined) onTick();
}

/** The seed of the k-th chunk of a streamed run: every chunk draws its own random numbers. */
export function chunkSeed(seed: number, k: number): number {
  return seed + 104729 * (k + 1);
}

/**
 * Trains one chunk of sentences on the tables: the job loop over the chunk, with the learning rate
 * continuing from the progress counters. `next` is this caller's job counter.
 */
export function trainChunk(
  tables: KernelTables, params: KernelParams, chunk: SentenceChunk, seed: number, totalWords: number, next: Int32Array, onTick?: () => void,
): void {
  next[0] = 0;
  trainJobs({ ...tables, ids: chunk.ids, starts: chunk.starts, next }, { ...params, epochs: 1, totalWords, seed }, onTick);
}
