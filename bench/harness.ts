// Timing and reporting for embedkit's benchmarks: tinybench for the timing (medians), a byte counter
// for allocation, and plain-text tables.
import { Bench } from "tinybench";

/** One measured function: median, minimum and mean time per call in ms, and how many calls were timed. */
export interface Timing {
  name: string;
  /** The statistic chosen with {@link useStatistic}: the median (default) or the minimum. */
  ms: number;
  medianMs: number;
  minMs: number;
  meanMs: number;
  samples: number;
}

/** How long to measure each function: at least `time` ms and `iterations` calls, after a warm-up. */
export interface Budget {
  time: number;
  iterations: number;
  warmupIterations: number;
}

export const FULL: Budget = { time: 600, iterations: 10, warmupIterations: 5 };
export const QUICK: Budget = { time: 150, iterations: 5, warmupIterations: 3 };
/** For functions that take seconds (one-hot matmul at large V): a few calls, no time floor. */
export const SLOW: Budget = { time: 0, iterations: 3, warmupIterations: 1 };
/** For functions that take tens of seconds: one call, after the JIT has warmed up on smaller sizes. */
export const ONCE: Budget = { time: 0, iterations: 1, warmupIterations: 0 };

export type Statistic = "median" | "min";
let statistic: Statistic = "median";
/**
 * Which statistic `measure` reports as `ms`. The median is the default; the minimum is steadier when
 * other jobs share the CPU (interference only ever adds time).
 */
export function useStatistic(s: Statistic): void {
  statistic = s;
}

/** Times `fn` with tinybench and returns its median (or minimum, see {@link useStatistic}). */
export async function measure(name: string, fn: () => void, budget: Budget): Promise<Timing> {
  const bench = new Bench({
    name,
    time: budget.time,
    iterations: budget.iterations,
    warmup: budget.warmupIterations > 0,
    warmupIterations: budget.warmupIterations,
    warmupTime: 0,
    throws: true,
  });
  bench.add(name, fn);
  await bench.run();
  const r = bench.tasks[0].result as unknown as { latency: { p50: number; min: number; mean: number; samplesCount: number } };
  const { p50, min, mean, samplesCount } = r.latency;
  return { name, ms: statistic === "min" ? min : p50, medianMs: p50, minMs: min, meanMs: mean, samples: samplesCount };
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Bytes of typed-array memory one call of `fn` allocates (external ArrayBuffer memory, which holds
 * every typed array larger than V8's 64-byte on-heap limit). Needs `node --expose-gc`; NaN without it.
 */
export function allocatedBytes(fn: () => unknown): number {
  if (gc === undefined) return NaN;
  gc();
  const before = process.memoryUsage().arrayBuffers;
  const keep = fn();
  const after = process.memoryUsage().arrayBuffers;
  void keep;
  return Math.max(0, after - before);
}

/** A fixed-width text table. */
export function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) => r.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
export const ratio = (x: number): string => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(2)) + "×" : "–");
export function bytes(n: number): string {
  if (!Number.isFinite(n)) return "?";
  if (n >= 1 << 30) return (n / (1 << 30)).toFixed(1) + " GiB";
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + " MiB";
  if (n >= 1 << 10) return (n / (1 << 10)).toFixed(1) + " KiB";
  return n + " B";
}

/** Uniform random indices in [0, V) from a small seeded generator (xorshift32). */
export function randomIndices(n: number, V: number, seed: number): Int32Array {
  let s = seed >>> 0 || 1;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) % V;
  }
  return out;
}

/** Values in [-1, 1) from the same generator, cheap enough for a 10⁸-element table. */
export function randomFloats(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2147483648 - 1;
  }
  return out;
}
