// Runs PyTorch's side of the benchmark (Debian's python3-torch, one thread) in the same run.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

export interface TorchOps {
  forward: number;
  backward: number;
  step: number;
}
export interface TorchResults {
  version: string;
  threads: number;
  script: string;
  shapes: Record<string, { dense: TorchOps; sparse: TorchOps }>;
  onehot: Record<string, { forward: number; forward_backward: number }>;
}

const PYTHON = "/usr/bin/python3";
const SCRIPTS = ["bench/reference/torch_embedding.py", "bench/torch/torch_embedding.py"];

/** PyTorch's timings (ms, medians), or null when Debian's python has no torch. */
export function runTorch(quick: boolean, log: (s: string) => void): TorchResults | null {
  const probe = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  if (probe.status !== 0) {
    log("PyTorch: not available (/usr/bin/python3 -c 'import torch' failed); skipping the side-by-side columns");
    return null;
  }
  const script = SCRIPTS.find((p) => existsSync(p))!;
  log(`PyTorch: running ${script} ...`);
  const r = spawnSync(PYTHON, [script, ...(quick ? ["--quick"] : [])], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
    env: { ...process.env, OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
  });
  if (r.status !== 0) {
    log(`PyTorch: ${script} failed (${r.status}): ${r.stderr.slice(-400)}`);
    return null;
  }
  const raw = JSON.parse(r.stdout.trim().split("\n").pop()!);
  return { version: raw.torch, threads: raw.threads, script, shapes: raw.shapes, onehot: raw.onehot };
}
