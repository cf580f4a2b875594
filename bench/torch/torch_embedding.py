"""PyTorch timings for embedkit's benchmark, same shapes, one thread, medians in ms.

Prints one JSON object:
  {"torch": version, "threads": 1,
   "shapes": {name: {"dense"|"sparse": {"forward", "backward", "step"}}},
   "onehot": {V: {"forward", "forward_backward", "embedding_forward", "embedding_forward_backward"}}}
"step" is a full SGD step: opt.zero_grad(); out = emb(idx); out.backward(dout); opt.step().
"backward" is the embedding's backward kernel alone (aten.embedding_backward).
Usage: /usr/bin/python3 bench/torch/torch_embedding.py [--quick]
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
QUICK = "--quick" in sys.argv
BUDGET_S = 0.15 if QUICK else 0.6
MIN_ITERS = 5 if QUICK else 10

SHAPES = [
    ("teach", 10_000, 64, (64, 32)),
    ("bert", 21_128, 768, (8, 512)),
    ("cbow", 1_000_000, 100, (100, 10)),
]
ONEHOT_V = [100, 1_000, 10_000, 100_000]


def median_ms(fn, budget=BUDGET_S, min_iters=MIN_ITERS, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_iters or time.perf_counter() - start < budget:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return 1000 * times[len(times) // 2]


def shape_timings(V, H, index_shape, table):
    g = torch.Generator().manual_seed(2)
    idx = torch.randint(0, V, index_shape, generator=g)
    dout = torch.randn(*index_shape, H, generator=g)
    out = {}
    for mode in ("dense", "sparse"):
        sparse = mode == "sparse"
        emb = torch.nn.Embedding(V, H, sparse=sparse, _weight=table)
        opt = torch.optim.SGD(emb.parameters(), lr=1e-3)

        def forward():
            with torch.no_grad():
                emb(idx)

        def backward():
            torch.ops.aten.embedding_backward(dout, idx, V, -1, False, sparse)

        def step():
            opt.zero_grad()
            emb(idx).backward(dout)
            opt.step()

        out[mode] = {"forward": median_ms(forward), "backward": median_ms(backward), "step": median_ms(step)}
        del emb, opt
    return out


def onehot_timings(V, N=512, H=64):
    g = torch.Generator().manual_seed(3)
    idx = torch.randint(0, V, (N,), generator=g)
    W = torch.randn(V, H, generator=g, requires_grad=True)
    x = torch.nn.functional.one_hot(idx, V).float()
    dout = torch.randn(N, H, generator=g)
    slow = V >= 100_000
    kw = {"budget": 0, "min_iters": 3, "warmup": 1} if slow else {}

    def mm_forward():
        with torch.no_grad():
            x @ W

    def mm_forward_backward():
        W.grad = None
        (x @ W).backward(dout)

    def emb_forward():
        with torch.no_grad():
            torch.nn.functional.embedding(idx, W)

    def emb_forward_backward():
        W.grad = None
        torch.nn.functional.embedding(idx, W).backward(dout)

    return {
        "forward": median_ms(mm_forward, **kw),
        "forward_backward": median_ms(mm_forward_backward, **kw),
        "embedding_forward": median_ms(emb_forward),
        "embedding_forward_backward": median_ms(emb_forward_backward),
    }


def main():
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "shapes": {}, "onehot": {}}
    for name, V, H, index_shape in SHAPES:
        table = torch.rand(V, H) * 2 - 1
        result["shapes"][name] = shape_timings(V, H, index_shape, table)
        del table
    for V in ONEHOT_V:
        result["onehot"][str(V)] = onehot_timings(V)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
