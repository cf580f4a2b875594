#!/usr/bin/python3
"""PyTorch reference timings for embedkit's embedding benchmarks.

Times torch.nn.Embedding on one CPU thread in float32 for the shapes embedkit's
benchmarks use, dense and sparse gradients:

  forward          out = emb(idx)                  (autograd on, as in training)
  forward_no_grad  out = emb(idx) under no_grad    (pure gather)
  backward         out.backward(dout) only
  sgd_step         zero_grad(set_to_none=True); out = emb(idx);
                   out.backward(dout); opt.step()   (SGD, lr 0.1)
  copy_floor       out_buf.copy_(src), same byte count as the forward output

and, at N=512 indices, H=64, for V in {100, 1000, 10000, 100000}, the one-hot
matmul formulation F.one_hot(idx, V).float() @ W against nn.Embedding
(forward, and forward+backward).

How the backward is timed: each repetition sets weight.grad to None, runs a
fresh forward (untimed), then times out.backward(dout) alone. Timing the two
phases separately inside one repetition avoids subtracting two noisy medians,
and resetting the gradient first means every backward does what it does in a
real training step with zero_grad(set_to_none=True): for a dense gradient that
includes allocating and zero-filling the V x H gradient; for a sparse one it is
building the (indices, values) gradient without touching V x H memory.
retain_graph is not used: re-running backward on one graph would keep
accumulating into the gradient, which is not what a training step does.

Every figure is the median of many individually timed repetitions after a
warm-up, with the repetition count adapted so that one figure takes about
--target seconds (fewer repetitions for slow cases such as the cbow dense step).

Output: one JSON object on stdout, times in milliseconds. --pretty also prints
a table on stderr. --quick uses far fewer repetitions, for smoke tests.

Run with Debian's interpreter, which has python3-torch:
    /usr/bin/python3 bench/reference/torch_embedding.py --pretty > torch.json
"""

import os

# One thread everywhere. torch.set_num_threads covers ATen's OpenMP pool but not
# the OpenBLAS pthread pool that Debian's torch calls for matmul (the one-hot
# case), so pin both through the environment before torch loads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import gc
import json
import platform
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from machine import cpu_model  # bench/reference/machine.py, beside this script

SHAPES = {
    "teach": {"V": 10000, "H": 64, "index_shape": [64, 32]},
    "bert": {"V": 21128, "H": 768, "index_shape": [8, 512]},
    "cbow": {"V": 1000000, "H": 100, "index_shape": [100, 10]},
}
ONEHOT_VOCABS = [100, 1000, 10000, 100000]
ONEHOT_N = 512
ONEHOT_H = 64
LR = 0.1


class Timer:
    """Median-of-repetitions timer; reps adapt to a time budget per figure."""

    def __init__(self, target_s, min_reps, max_reps, warmup_s):
        self.target_s = target_s
        self.min_reps = min_reps
        self.max_reps = max_reps
        self.warmup_s = warmup_s

    def measure(self, run):
        """run() performs one repetition and returns its timed part in ns."""
        # Warm-up: at least two calls and about warmup_s of wall time, which
        # also gives a per-repetition cost estimate (untimed setup included).
        t_start = time.perf_counter()
        calls = 0
        while calls < 2 or (time.perf_counter() - t_start) < self.warmup_s:
            run()
            calls += 1
            if calls >= 1000:
                break
        per_call = (time.perf_counter() - t_start) / calls
        reps = int(self.target_s / max(per_call, 1e-9))
        reps = max(self.min_reps, min(self.max_reps, reps))

        samples = []
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            for _ in range(reps):
                samples.append(run())
        finally:
            if gc_was_enabled:
                gc.enable()
        ms = sorted(s / 1e6 for s in samples)
        q = statistics.quantiles(ms, n=4) if len(ms) >= 2 else [ms[0]] * 3
        return {
            "median_ms": round(statistics.median(ms), 6),
            "q1_ms": round(q[0], 6),
            "q3_ms": round(q[2], 6),
            "min_ms": round(ms[0], 6),
            "reps": reps,
        }


def timed(fn):
    """Wrap a no-setup callable into a run() that returns its duration in ns."""

    def run():
        t0 = time.perf_counter_ns()
        fn()
        return time.perf_counter_ns() - t0

    return run


def make_indices(V, shape, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, V, tuple(shape), generator=g, dtype=torch.int64)


def make_dout(shape, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(tuple(shape), generator=g, dtype=torch.float32)


def bench_embedding(timer, V, H, idx, dout, sparse, seed):
    torch.manual_seed(seed)
    emb = torch.nn.Embedding(V, H, sparse=sparse)
    w = emb.weight
    opt = torch.optim.SGD([w], lr=LR)
    res = {}

    def forward():
        emb(idx)

    res["forward"] = timer.measure(timed(forward))

    def forward_no_grad():
        with torch.no_grad():
            emb(idx)

    res["forward_no_grad"] = timer.measure(timed(forward_no_grad))

    def backward():
        w.grad = None
        out = emb(idx)
        t0 = time.perf_counter_ns()
        out.backward(dout)
        return time.perf_counter_ns() - t0

    res["backward"] = timer.measure(backward)
    w.grad = None

    def sgd_step():
        opt.zero_grad(set_to_none=True)
        out = emb(idx)
        out.backward(dout)
        opt.step()

    res["sgd_step"] = timer.measure(timed(sgd_step))
    # The steps move the weights; make sure they stayed finite (a NaN would make
    # later kernels take different, misleading paths).
    res["weights_finite"] = bool(torch.isfinite(w).all())
    del emb, w, opt
    gc.collect()
    return res


def bench_copy(timer, numel, seed):
    g = torch.Generator().manual_seed(seed)
    src = torch.randn(numel, generator=g, dtype=torch.float32)
    out_buf = torch.empty(numel, dtype=torch.float32)

    def copy():
        out_buf.copy_(src)

    return timer.measure(timed(copy))


def bench_onehot(timer, V, N, H, seed):
    idx = make_indices(V, [N], seed)
    dout = make_dout([N, H], seed + 1)
    torch.manual_seed(seed)
    W = torch.randn(V, H, dtype=torch.float32, requires_grad=True)
    emb = torch.nn.Embedding(V, H)
    row = {"V": V, "N": N, "H": H}

    def onehot_forward():
        F.one_hot(idx, V).float() @ W

    row["onehot_forward"] = timer.measure(timed(onehot_forward))

    def onehot_forward_backward():
        W.grad = None
        t0 = time.perf_counter_ns()
        out = F.one_hot(idx, V).float() @ W
        out.backward(dout)
        return time.perf_counter_ns() - t0

    row["onehot_forward_backward"] = timer.measure(onehot_forward_backward)

    def embedding_forward():
        emb(idx)

    row["embedding_forward"] = timer.measure(timed(embedding_forward))

    def embedding_forward_backward():
        emb.weight.grad = None
        t0 = time.perf_counter_ns()
        out = emb(idx)
        out.backward(dout)
        return time.perf_counter_ns() - t0

    row["embedding_forward_backward"] = timer.measure(embedding_forward_backward)
    del W, emb
    gc.collect()
    return row


def fmt_ms(x):
    if x >= 100:
        return f"{x:9.1f}"
    if x >= 1:
        return f"{x:9.3f}"
    return f"{x:9.4f}"


def print_table(result, out):
    w = out.write
    w(f"torch {result['torch_version']}, threads {result['threads']}, "
      f"float32, median ms (reps)\n\n")
    hdr = f"{'shape':6} {'grad':6} {'forward':>9} {'fwd nograd':>10} {'backward':>9} {'sgd step':>9} {'copy floor':>10}\n"
    w(hdr)
    w("-" * (len(hdr) - 1) + "\n")
    for name, s in result["shapes"].items():
        for mode in ("dense", "sparse"):
            r = s[mode]
            w(f"{name:6} {mode:6} {fmt_ms(r['forward']['median_ms'])} "
              f"{fmt_ms(r['forward_no_grad']['median_ms']):>10} "
              f"{fmt_ms(r['backward']['median_ms'])} {fmt_ms(r['sgd_step']['median_ms'])} "
              f"{fmt_ms(s['copy_floor']['median_ms']):>10}\n")
    w("\n")
    hdr = (f"{'V':>7} {'onehot fwd':>11} {'onehot f+b':>11} "
           f"{'emb fwd':>9} {'emb f+b':>9}   (N={ONEHOT_N}, H={ONEHOT_H})\n")
    w(hdr)
    w("-" * 52 + "\n")
    for r in result["onehot"]:
        w(f"{r['V']:>7} {fmt_ms(r['onehot_forward']['median_ms']):>11} "
          f"{fmt_ms(r['onehot_forward_backward']['median_ms']):>11} "
          f"{fmt_ms(r['embedding_forward']['median_ms'])} "
          f"{fmt_ms(r['embedding_forward_backward']['median_ms'])}\n")
    w(f"\nwall {result['wall_s']:.1f} s, process cpu/wall {result['cpu_over_wall']:.2f}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="few repetitions, for smoke tests")
    ap.add_argument("--pretty", action="store_true", help="also print a table on stderr")
    ap.add_argument("--target", type=float, default=None,
                    help="seconds of timed repetitions per figure (default 1.0, quick 0.05)")
    ap.add_argument("--shapes", default=",".join(SHAPES),
                    help="comma-separated subset of: " + ", ".join(SHAPES))
    ap.add_argument("--no-onehot", action="store_true", help="skip the one-hot comparison")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set; interop threads are unused here anyway

    if args.quick:
        timer = Timer(args.target or 0.05, min_reps=3, max_reps=200, warmup_s=0.01)
    else:
        timer = Timer(args.target or 1.0, min_reps=7, max_reps=20000, warmup_s=0.2)

    wall0 = time.perf_counter()
    cpu0 = time.process_time()
    result = {
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "dtype": "float32",
        "seed": args.seed,
        "quick": args.quick,
        "target_s_per_figure": timer.target_s,
        "statistic": "median of individually timed repetitions after warm-up",
        "backward_method": "per repetition: grad=None, fresh untimed forward, time out.backward(dout) only",
        "machine": {
            "nproc": os.cpu_count(),
            "cpu_model": cpu_model(),
            "python": platform.python_version(),
            "blas": "torch BLAS_INFO=generic (Debian libblas.so.3 alternative), OPENBLAS_NUM_THREADS=1",
        },
        "shapes": {},
        "onehot": [],
    }

    names = [n.strip() for n in args.shapes.split(",") if n.strip()]
    for name in names:
        if name not in SHAPES:
            ap.error(f"unknown shape {name!r}; known: {', '.join(SHAPES)}")
    for i, name in enumerate(names):
        spec = SHAPES[name]
        V, H, ishape = spec["V"], spec["H"], spec["index_shape"]
        idx = make_indices(V, ishape, args.seed + 10 * i)
        out_shape = list(ishape) + [H]
        dout = make_dout(out_shape, args.seed + 10 * i + 1)
        numel = dout.numel()
        entry = {
            "V": V,
            "H": H,
            "index_shape": ishape,
            "output_shape": out_shape,
            "output_bytes": numel * 4,
            "weight_bytes": V * H * 4,
        }
        entry["copy_floor"] = bench_copy(timer, numel, args.seed)
        for sparse in (False, True):
            mode = "sparse" if sparse else "dense"
            entry[mode] = bench_embedding(timer, V, H, idx, dout, sparse, args.seed)
            print(f"[torch_embedding] {name} {mode} done", file=sys.stderr, flush=True)
        result["shapes"][name] = entry

    if not args.no_onehot:
        for V in ONEHOT_VOCABS:
            result["onehot"].append(bench_onehot(timer, V, ONEHOT_N, ONEHOT_H, args.seed))
            print(f"[torch_embedding] onehot V={V} done", file=sys.stderr, flush=True)

    wall = time.perf_counter() - wall0
    result["wall_s"] = round(wall, 3)
    result["cpu_over_wall"] = round((time.process_time() - cpu0) / wall, 3)

    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")
    if args.pretty:
        print_table(result, sys.stderr)


if __name__ == "__main__":
    main()
