// Runs PyTorch's side of the benchmark (Debian's python3-torch, one thread) in the same run, through
// bench/reference/torch_embedding.py.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

/** Median ms of one shape and mode; `forward` is the pure gather (no autograd). */
export interface TorchOps {
  forward: number;
  backward: number;
  step: number;
}
export interface TorchResults {
  version: string;
  threads: number;
  script: string;
  /** `cpu_over_wall` of the PyTorch run (well below 1: it did not get its core). */
  cpuOverWall: number | null;
  shapes: Record<string, { dense: TorchOps; sparse: TorchOps; copyFloor: number | null }>;
  onehot: Record<string, { forward: number; forward_backward: number; embedding_forward_backward: number | null }>;
}

const PYTHON = "/usr/bin/python3";
const SCRIPT = "bench/reference/torch_embedding.py";

/** PyTorch's timings (ms, medians), or null when Debian's python has no torch. */
export function runTorch(quick: boolean, stat: "median" | "min", log: (s: string) => void, extraArgs: string[] = []): TorchResults | null {
  const probe = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  if (probe.status !== 0) {
    log("PyTorch: not available (/usr/bin/python3 -c 'import torch' failed); skipping the side-by-side columns");
    return null;
  }
  const script = SCRIPT;
  if (!existsSync(script)) {
    log(`PyTorch: ${script} is missing; skipping the side-by-side columns`);
    return null;
  }
  log(`PyTorch: running ${script}${quick ? " --quick" : ""} ...`);
  const r = spawnSync(PYTHON, [script, ...(quick ? ["--quick"] : []), ...extraArgs], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
    env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
  });
  if (r.status !== 0) {
    log(`PyTorch: ${script} failed (${r.status}): ${r.stderr.slice(-400)}`);
    return null;
  }
  const raw = JSON.parse(r.stdout);
  return fromReference(raw, script, stat === "min" ? "min_ms" : "median_ms");
}

type Fig = { median_ms: number; min_ms: number } | undefined;

/** bench/reference's JSON: figures are {median_ms, min_ms, q1_ms, ...}; step is `sgd_step`. */
function fromReference(raw: any, script: string, key: "median_ms" | "min_ms"): TorchResults {
  const med = (f: Fig): number => (f === undefined ? NaN : f[key]);
  const shapes: TorchResults["shapes"] = {};
  for (const [name, s] of Object.entries<any>(raw.shapes)) {
    const ops = (m: any): TorchOps => ({ forward: med(m.forward_no_grad), backward: med(m.backward), step: med(m.sgd_step) });
    shapes[name] = { dense: ops(s.dense), sparse: ops(s.sparse), copyFloor: s.copy_floor ? med(s.copy_floor) : null };
  }
  const onehot: TorchResults["onehot"] = {};
  for (const row of raw.onehot ?? []) {
    onehot[String(row.V)] = {
      forward: med(row.onehot_forward),
      forward_backward: med(row.onehot_forward_backward),
      embedding_forward_backward: med(row.embedding_forward_backward),
    };
  }
  return { version: raw.torch_version, threads: raw.threads, script, cpuOverWall: raw.cpu_over_wall ?? null, shapes, onehot };
}
