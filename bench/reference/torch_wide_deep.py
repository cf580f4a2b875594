#!/usr/bin/python3
"""PyTorch's side of embedkit's Wide & Deep benchmark (bench/wide-deep.ts): one training step, one thread.

The model: 26 categorical fields of 10^5 rows, each an nn.EmbeddingBag(10^5, 16, mode="sum",
sparse=True) over bags of 1-5 ids; the wide part an nn.EmbeddingBag(26 * 10^5, 1, mode="sum",
sparse=True) over every id of the record; the deep part 416 -> 256 -> ReLU -> 128 -> ReLU -> 1; the
joint logit wide + deep + bias; BCE-with-logits; SparseAdam on the tables, Adam on the dense layers.
Batch 512.

The step is timed in three parts, each separately per repetition (medians over repetitions):
  tables_forward   the 27 bag forwards and the concatenation
  dense            the dense layers' forward, the loss, their backward, Adam's step
  tables_backward  the bags' backward (from the gradient of the concatenation) and SparseAdam's step
The graph is cut between the two (detach + requires_grad) so that each part's autograd work is its own.
  matmuls          the dense part's nine matrix products alone (torch.mm), for the kernel comparison

Output: JSON on stdout, times in ms. Run: /usr/bin/python3 bench/reference/torch_wide_deep.py [--reps N]
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

FIELDS, ROWS, DIM, BATCH = 26, 100_000, 16, 512
HIDDEN = [256, 128]


def make_batches(n, g):
    batches = []
    for _ in range(n):
        fields = []
        for _f in range(FIELDS):
            sizes = torch.randint(1, 6, (BATCH,), generator=g)
            offsets = torch.zeros(BATCH, dtype=torch.long)
            offsets[1:] = torch.cumsum(sizes, 0)[:-1]
            ids = torch.randint(0, ROWS, (int(sizes.sum()),), generator=g)
            fields.append((ids, offsets, sizes))
        # wide: every id of the record, offset by its field
        wide_ids, wide_offsets, at = [], [], 0
        for b in range(BATCH):
            wide_offsets.append(at)
            for f, (ids, offsets, sizes) in enumerate(fields):
                s, n_ = int(offsets[b]), int(sizes[b])
                wide_ids.append(ids[s:s + n_] + f * ROWS)
                at += n_
        labels = torch.randint(0, 2, (BATCH,), generator=g).float()
        batches.append(([(i, o) for i, o, _ in fields], (torch.cat(wide_ids), torch.tensor(wide_offsets)), labels))
    return batches


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    args = ap.parse_args()
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    tables = [nn.EmbeddingBag(ROWS, DIM, mode="sum", sparse=True) for _ in range(FIELDS)]
    wide = nn.EmbeddingBag(FIELDS * ROWS, 1, mode="sum", sparse=True)
    nn.init.zeros_(wide.weight)
    bias = nn.Parameter(torch.zeros(1))
    widths = [FIELDS * DIM] + HIDDEN
    layers = [nn.Linear(widths[i], widths[i + 1]) for i in range(len(HIDDEN))]
    out = nn.Linear(HIDDEN[-1], 1, bias=False)
    sparse_opt = torch.optim.SparseAdam([t.weight for t in tables] + [wide.weight], lr=1e-3)
    dense_params = [bias] + [p for l in layers for p in l.parameters()] + list(out.parameters())
    dense_opt = torch.optim.Adam(dense_params, lr=1e-3)
    batches = make_batches(4, g)
    times = {"tables_forward": [], "dense": [], "tables_backward": [], "matmuls": []}

    for rep in range(args.warmup + args.reps):
        fields, (wide_ids, wide_offsets), labels = batches[rep % len(batches)]
        t0 = time.perf_counter()
        sparse_opt.zero_grad(set_to_none=True)
        hs = [t(ids, offs) for t, (ids, offs) in zip(tables, fields)]
        x = torch.cat(hs, 1)
        w = wide(wide_ids, wide_offsets)
        t1 = time.perf_counter()
        dense_opt.zero_grad(set_to_none=True)
        xl = x.detach().requires_grad_(True)
        wl = w.detach().requires_grad_(True)
        a = xl
        for l in layers:
            a = torch.relu(l(a))
        logit = out(a) + wl + bias
        loss = F.binary_cross_entropy_with_logits(logit.reshape(-1), labels)
        loss.backward()
        dense_opt.step()
        t2 = time.perf_counter()
        torch.autograd.backward([x, w], [xl.grad, wl.grad])
        sparse_opt.step()
        t3 = time.perf_counter()
        # the nine products of the dense part, alone
        with torch.no_grad():
            m0 = time.perf_counter()
            a = xl.detach()
            douts = []
            for l in layers + [out]:
                y = torch.mm(a, l.weight.t())
                douts.append((a, y))
                a = y
            for (a_in, y), l in zip(reversed(douts), reversed(layers + [out])):
                torch.mm(y, l.weight)
                torch.mm(y.t(), a_in)
            m1 = time.perf_counter()
        if rep >= args.warmup:
            times["tables_forward"].append((t1 - t0) * 1e3)
            times["dense"].append((t2 - t1) * 1e3)
            times["tables_backward"].append((t3 - t2) * 1e3)
            times["matmuls"].append((m1 - m0) * 1e3)
    result = {k: statistics.median(v) for k, v in times.items()}
    result["tables"] = result["tables_forward"] + result["tables_backward"]
    result["step"] = result["tables"] + result["dense"]
    result["torch_version"] = torch.__version__
    result["reps"] = args.reps
    print(json.dumps(result))


if __name__ == "__main__":
    main()
