#!/usr/bin/python3
"""Reference cases for embedkit's Embedding and optimizers, computed by PyTorch itself.

    /usr/bin/python3 test/generators/torch_fixtures_embedding.py test/fixtures/torch-embedding.json

writes the file that test/torch-fixtures.test.ts replays step by step. The output depends only on
this script and the PyTorch version (fixed seeds, float32 arithmetic on one CPU thread, a stable JSON
layout), so test/torch-generators.test.ts can rerun it and require the committed file unchanged.

Each case builds torch.nn.Embedding (or Embedding.from_pretrained) from a seeded float32 table, then
runs steps of: set grad to None, out = emb(indices), out.backward(dout), opt.step(). A step records
the indices, the output, dout, the gradient (dense; coalesced rows and values when sparse), the
weight after the forward when max_norm renormalises, and the weight after the step. Float32 values
are written in their shortest decimal form that reads back to the same float32 (so Math.fround of the
JSON number is the exact value); "Infinity", "-Infinity" and "NaN" as strings.

`errors` are bad inputs: each is first shown to make PyTorch raise (its exception class and message
are recorded), then the test requires embedkit to throw with a message containing `match`. A few
cases have no PyTorch counterpart (embedkit's own misuse checks): their `torch` field is null.
"""

import json
import math
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

SEED = 1


def f(x):
    """A float32 value as JSON: its shortest decimal that reads back to the same float32 (numpy's
    float32 str), or a string for the non-finite ones."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return float(str(numpy.float32(x)))


def flat(t):
    return [f(x) for x in t.detach().reshape(-1).tolist()]


def table(v, h, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(v, h, generator=g, dtype=torch.float32)


def make_optimizer(params, spec):
    if spec is None:
        return None
    t = spec["type"]
    if t == "sgd":
        return torch.optim.SGD(params, lr=spec["lr"], momentum=spec.get("momentum", 0),
                               dampening=spec.get("dampening", 0), nesterov=spec.get("nesterov", False),
                               weight_decay=spec.get("weightDecay", 0))
    if t == "adagrad":
        return torch.optim.Adagrad(params, lr=spec["lr"], lr_decay=spec.get("lrDecay", 0),
                                   weight_decay=spec.get("weightDecay", 0),
                                   initial_accumulator_value=spec.get("initialAccumulatorValue", 0),
                                   eps=spec.get("eps", 1e-10))
    if t == "adam":
        return torch.optim.Adam(params, lr=spec["lr"], betas=tuple(spec.get("betas", (0.9, 0.999))),
                                eps=spec.get("eps", 1e-8), weight_decay=spec.get("weightDecay", 0))
    if t == "sparse_adam":
        return torch.optim.SparseAdam(params, lr=spec["lr"], betas=tuple(spec.get("betas", (0.9, 0.999))),
                                      eps=spec.get("eps", 1e-8))
    raise ValueError(t)


def torch_options(o):
    kw = {}
    if "paddingIdx" in o:
        kw["padding_idx"] = o["paddingIdx"]
    if "maxNorm" in o:
        kw["max_norm"] = o["maxNorm"]
    if "normType" in o:
        kw["norm_type"] = float(o["normType"])
    if "scaleGradByFreq" in o:
        kw["scale_grad_by_freq"] = o["scaleGradByFreq"]
    if "sparse" in o:
        kw["sparse"] = o["sparse"]
    return kw


def json_options(o):
    return {k: (f(v) if isinstance(v, float) else v) for k, v in o.items()}


def rand_dout(shape, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g, dtype=torch.float32)


def case(name, v, h, steps, options=None, optimizer=None, weight=None, pretrained=None, dout=None):
    """Runs the steps in PyTorch and records them. `steps` is a list of nested index lists (or ints)."""
    options = options or {}
    w0 = weight if weight is not None else table(v, h, SEED + len(name))
    kw = torch_options(options)
    if pretrained is not None:
        emb = torch.nn.Embedding.from_pretrained(w0.clone(), freeze=pretrained["freeze"], **kw)
    else:
        emb = torch.nn.Embedding(v, h, _weight=w0.clone(), **kw)
    opt = make_optimizer([emb.weight], optimizer)
    out_steps = []
    for k, idx in enumerate(steps):
        emb.weight.grad = None
        it = torch.tensor(idx, dtype=torch.long)
        out = emb(it)
        step = {
            "indices": idx,
            "indices_shape": list(it.shape),
            "output": flat(out),
            "output_shape": list(out.shape),
        }
        if "maxNorm" in options:
            step["weight_after_forward"] = flat(emb.weight)
        d = dout[k] if dout is not None else rand_dout(out.shape, 1000 + 17 * k + len(name))
        step["dout"] = flat(d)
        if out.requires_grad:
            out.backward(d)
        g = emb.weight.grad
        if g is None:
            step["grad"] = None
        elif g.is_sparse:
            c = g.coalesce()
            step["grad"] = flat(c.to_dense())
            step["sparse_grad"] = {"rows": c.indices()[0].tolist(), "values": flat(c.values())}
        else:
            step["grad"] = flat(g)
        if opt is not None:
            opt.step()
            step["weight_after_step"] = flat(emb.weight)
        out_steps.append(step)
    c = {
        "name": name,
        "num_embeddings": v,
        "embedding_dim": h,
        "options": json_options(options),
        "weight": flat(w0),
        "optimizer": optimizer,
        "steps": out_steps,
    }
    if pretrained is not None:
        c["from_pretrained"] = pretrained
    return c


def randint_nested(shape, hi, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, hi, shape, generator=g).tolist()


SGD = {"type": "sgd", "lr": 0.1}


def cases():
    out = []
    add = out.append
    # The seed documents' worked examples.
    add(case("doc000-lookup", 5, 5, [[0, 2, 0, 4, 1]]))
    add(case("doc003-sgd-one-row", 5, 3, [[2]], optimizer={"type": "sgd", "lr": 0.1},
             dout=[torch.ones(1, 3)]))
    add(case("repeated-1-0-3-0", 4, 2, [[1, 0, 3, 0]], dout=[torch.tensor([[1., 2.], [10., 20.], [3., 4.], [100., 200.]])]))
    # Index shapes.
    add(case("batch-2d-repeats", 10, 4, [[[1, 2, 4], [4, 3, 1], [9, 9, 9], [0, 2, 4], [5, 5, 1]]]))
    add(case("index-3d", 10, 4, [randint_nested((2, 3, 2), 10, 3)]))
    add(case("scalar-index", 10, 4, [7]))
    add(case("empty-index", 10, 4, [[], [[], []]]))
    # paddingIdx, positive and negative.
    add(case("padding-idx", 10, 4, [[[1, 2, 1, 3], [1, 1, 0, 9]], [[1, 1, 1], [2, 1, 8]]], {"paddingIdx": 1}))
    add(case("padding-idx-negative", 10, 4, [[9, 3, 9, 0]], {"paddingIdx": -1}))
    # maxNorm with the three norms, repeats, and a step after the renormalisation.
    add(case("max-norm-l2", 10, 4, [[[1, 3, 3], [5, 1, 0]], [2, 2, 7, 1, 3]], {"maxNorm": 1.0}))
    add(case("max-norm-l1", 10, 4, [[0, 2, 4, 6, 8, 2]], {"maxNorm": 1.5, "normType": 1.0}))
    add(case("max-norm-inf", 10, 4, [[1, 3, 5, 7, 9, 9]], {"maxNorm": 0.7, "normType": float("inf")}))
    add(case("max-norm-norm-3-sgd", 10, 4, [[1, 2, 2], [2, 3], [1, 4, 4, 4]], {"maxNorm": 1.2, "normType": 3.0},
             optimizer={"type": "sgd", "lr": 0.5}))
    add(case("max-norm-padding", 10, 4, [[[0, 1, 2], [2, 2, 5]]], {"maxNorm": 0.5, "paddingIdx": 2}))
    # scaleGradByFreq.
    add(case("scale-grad-by-freq", 10, 4, [[[1, 2, 1, 1], [3, 3, 9, 0]]], {"scaleGradByFreq": True}))
    add(case("scale-grad-by-freq-padding", 10, 4, [[[2, 2, 1, 2], [3, 1, 2, 0]]], {"scaleGradByFreq": True, "paddingIdx": 2}))
    # Sparse gradients: coalesced rows (unique, ascending) and values.
    add(case("sparse-grad", 10, 4, [[[7, 1, 7], [3, 0, 7], [9, 1, 1], [2, 2, 2]]], {"sparse": True}))
    add(case("sparse-grad-padding", 10, 4, [randint_nested((5,), 10, 5) + [4, 4]], {"sparse": True, "paddingIdx": 4}))
    add(case("sparse-grad-empty", 10, 4, [[]], {"sparse": True}))
    # Optimizers, dense and sparse, several steps.
    rep = [[[1, 2, 1], [3, 1, 0], [5, 5, 5], [9, 8, 1]]] * 3
    add(case("sgd-dense", 10, 4, rep, {"sparse": False}, {"type": "sgd", "lr": 0.1}))
    add(case("sgd-sparse", 10, 4, rep, {"sparse": True}, {"type": "sgd", "lr": 0.1}))
    late = [[[1, 2], [2, 2], [1, 3]], [[4, 5], [4, 4], [6, 5]], [[1, 1], [7, 8], [9, 0]], [[3, 3], [3, 3], [3, 3]]]
    mom = {"type": "sgd", "lr": 0.1, "momentum": 0.9}
    add(case("sgd-momentum-dense", 10, 4, late, {"sparse": False}, mom))
    add(case("sgd-momentum-sparse", 10, 4, late, {"sparse": True}, mom))
    add(case("sgd-nesterov-wd-dense", 10, 4, late[:3], {},
             {"type": "sgd", "lr": 0.05, "momentum": 0.8, "nesterov": True, "weightDecay": 0.01}))
    add(case("sgd-dampening-dense", 10, 4, late[:3], {},
             {"type": "sgd", "lr": 0.05, "momentum": 0.7, "dampening": 0.3}))
    add(case("sgd-weight-decay-dense", 10, 4, late[:3], {}, {"type": "sgd", "lr": 0.1, "weightDecay": 0.1}))
    add(case("sgd-padding-frozen-row", 10, 4, [[[1, 2], [1, 5], [1, 1]], [[1, 1]], [[3]]], {"paddingIdx": 1}, SGD))
    ada = {"type": "adagrad", "lr": 0.1}
    add(case("adagrad-dense", 10, 4, late[:3], {"sparse": False}, ada))
    add(case("adagrad-sparse", 10, 4, late[:3], {"sparse": True}, ada))
    add(case("adagrad-options-dense", 10, 4, late, {},
             {"type": "adagrad", "lr": 0.2, "lrDecay": 0.1, "weightDecay": 0.05, "initialAccumulatorValue": 0.3, "eps": 1e-6}))
    add(case("adagrad-lr-decay-sparse", 10, 4, late, {"sparse": True},
             {"type": "adagrad", "lr": 0.2, "lrDecay": 0.1, "initialAccumulatorValue": 0.1}))
    add(case("adam-dense", 10, 4, late, {}, {"type": "adam", "lr": 0.01}))
    add(case("adam-weight-decay-dense", 10, 4, late, {},
             {"type": "adam", "lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-6, "weightDecay": 0.1}))
    add(case("sparse-adam", 10, 4, late, {"sparse": True}, {"type": "sparse_adam", "lr": 0.01}))
    add(case("sparse-adam-padding-betas", 10, 4, late[:3], {"sparse": True, "paddingIdx": 3},
             {"type": "sparse_adam", "lr": 0.05, "betas": [0.5, 0.9], "eps": 1e-6}))
    # fromPretrained: frozen (no gradient, the optimizer leaves it) and trainable.
    w = table(6, 3, 77)
    add(case("from-pretrained-frozen", 6, 3, [[[0, 5, 5]]], {}, SGD, weight=w, pretrained={"freeze": True}))
    add(case("from-pretrained-trainable-padding", 6, 3, [[[0, 5, 5], [1, 2, 0]], [4, 0]], {"paddingIdx": 0}, SGD,
             weight=w, pretrained={"freeze": False}))
    # Larger random trajectories: a 50 x 7 table, [4, 6] batches with repeats, five steps each.
    traj = [randint_nested((4, 6), 50, 100 + k) for k in range(5)]
    add(case("trajectory-sgd-momentum-sparse", 50, 7, traj, {"sparse": True}, {"type": "sgd", "lr": 0.05, "momentum": 0.5}))
    add(case("trajectory-adam-dense-padding", 50, 7, traj, {"paddingIdx": 0}, {"type": "adam", "lr": 0.01}))
    add(case("trajectory-sparse-adam-max-norm", 50, 7, traj, {"sparse": True, "maxNorm": 2.0}, {"type": "sparse_adam", "lr": 0.02}))
    add(case("trajectory-adagrad-scale-freq", 50, 7, traj, {"scaleGradByFreq": True}, {"type": "adagrad", "lr": 0.1}))
    return out


def raises(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the class and message are what is recorded
        return {"error": type(e).__name__, "message": str(e).split("\n")[0][:200]}
    raise AssertionError("PyTorch did not raise")


def errors():
    E = torch.nn.Embedding
    out = []

    def err(name, match, torch_call, **fields):
        e = {"name": name, "match": match, "torch": raises(torch_call) if torch_call else None}
        e.update(fields)
        out.append(e)

    def fwd(v, h, idx, dtype=torch.long):
        return lambda: E(v, h)(torch.tensor(idx, dtype=dtype))

    err("index-too-large", "10", fwd(10, 3, [1, 10]), kind="forward", num_embeddings=10, embedding_dim=3, indices=[1, 10])
    err("index-negative", "-1", fwd(10, 3, [-1]), kind="forward", num_embeddings=10, embedding_dim=3, indices=[-1])
    err("index-not-integer", "1.5", fwd(10, 3, [1.5], torch.float32), kind="forward", num_embeddings=10, embedding_dim=3, indices=[1.5])
    err("index-nan", "NaN", fwd(10, 3, [float("nan")], torch.float32), kind="forward", num_embeddings=10, embedding_dim=3, indices=["NaN"])
    err("index-too-large-nested", "[1, 2]", fwd(4, 3, [[0, 1, 2], [3, 2, 4]]), kind="forward", num_embeddings=4, embedding_dim=3,
        indices=[[0, 1, 2], [3, 2, 4]])
    err("padding-idx-out-of-range", "10", lambda: E(10, 3, padding_idx=10), kind="construct", num_embeddings=10, embedding_dim=3,
        options={"paddingIdx": 10})
    err("padding-idx-too-negative", "-11", lambda: E(10, 3, padding_idx=-11), kind="construct", num_embeddings=10, embedding_dim=3,
        options={"paddingIdx": -11})
    err("dim-not-positive-integer", "0.5", lambda: E(10, 0.5), kind="construct", num_embeddings=10, embedding_dim=0.5)
    err("num-embeddings-negative", "-2", lambda: E(-2, 3), kind="construct", num_embeddings=-2, embedding_dim=3)

    def bad_dout():
        emb = E(10, 3)
        emb(torch.tensor([[1, 2]])).backward(torch.zeros(1, 2, 4))

    err("dout-wrong-shape", "[1, 2, 4]", bad_dout, kind="backward", num_embeddings=10, embedding_dim=3, indices=[[1, 2]],
        dout_shape=[1, 2, 4])
    err("backward-before-forward", "forward", None, kind="backward-first", num_embeddings=10, embedding_dim=3, dout_shape=[1, 3])
    err("pretrained-not-2d", "2", lambda: E.from_pretrained(torch.zeros(2, 3, 4)), kind="from-pretrained", weight_shape=[2, 3, 4])
    err("pretrained-1d", "[6]", lambda: E.from_pretrained(torch.zeros(6)), kind="from-pretrained", weight_shape=[6])

    p = [torch.nn.Parameter(torch.zeros(2, 2))]

    def opt_err(name, match, spec, ctor):
        err(name, match, lambda: ctor(), kind="optimizer", optimizer=spec)

    opt_err("sgd-lr-negative", "-0.1", {"type": "sgd", "lr": -0.1}, lambda: torch.optim.SGD(p, lr=-0.1))
    opt_err("sgd-momentum-negative", "-0.5", {"type": "sgd", "lr": 0.1, "momentum": -0.5},
            lambda: torch.optim.SGD(p, lr=0.1, momentum=-0.5))
    opt_err("sgd-weight-decay-negative", "-0.01", {"type": "sgd", "lr": 0.1, "weightDecay": -0.01},
            lambda: torch.optim.SGD(p, lr=0.1, weight_decay=-0.01))
    opt_err("sgd-nesterov-without-momentum", "nesterov", {"type": "sgd", "lr": 0.1, "nesterov": True},
            lambda: torch.optim.SGD(p, lr=0.1, nesterov=True))
    opt_err("sgd-nesterov-with-dampening", "nesterov", {"type": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True},
            lambda: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True))
    opt_err("adagrad-lr-decay-negative", "-1", {"type": "adagrad", "lr": 0.1, "lrDecay": -1},
            lambda: torch.optim.Adagrad(p, lr=0.1, lr_decay=-1))
    opt_err("adagrad-initial-accumulator-negative", "-0.5", {"type": "adagrad", "lr": 0.1, "initialAccumulatorValue": -0.5},
            lambda: torch.optim.Adagrad(p, lr=0.1, initial_accumulator_value=-0.5))
    opt_err("adagrad-eps-negative", "-1e-10", {"type": "adagrad", "lr": 0.1, "eps": -1e-10},
            lambda: torch.optim.Adagrad(p, lr=0.1, eps=-1e-10))
    opt_err("adam-beta1-one", "1", {"type": "adam", "lr": 0.1, "betas": [1.0, 0.999]},
            lambda: torch.optim.Adam(p, lr=0.1, betas=(1.0, 0.999)))
    opt_err("adam-beta2-negative", "-0.1", {"type": "adam", "lr": 0.1, "betas": [0.9, -0.1]},
            lambda: torch.optim.Adam(p, lr=0.1, betas=(0.9, -0.1)))
    opt_err("adam-eps-negative", "-1", {"type": "adam", "lr": 0.1, "eps": -1},
            lambda: torch.optim.Adam(p, lr=0.1, eps=-1))
    opt_err("sparse-adam-lr-negative", "-0.001", {"type": "sparse_adam", "lr": -0.001},
            lambda: torch.optim.SparseAdam(p, lr=-0.001))
    opt_err("sparse-adam-beta1-negative", "-0.9", {"type": "sparse_adam", "lr": 0.001, "betas": [-0.9, 0.999]},
            lambda: torch.optim.SparseAdam(p, lr=0.001, betas=(-0.9, 0.999)))
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: torch_fixtures_embedding.py OUT.json")
    doc = {
        "generator": "test/generators/torch_fixtures_embedding.py",
        "command": "/usr/bin/python3 test/generators/torch_fixtures_embedding.py test/fixtures/torch-embedding.json",
        "torch_version": torch.__version__,
        "seed": SEED,
        "cases": cases(),
        "errors": errors(),
    }
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), allow_nan=False)
    # One case or error per line: small diffs when a case changes, still compact.
    text = text.replace(',{"dout"', ',\n{"dout"').replace('},{"name"', '},\n{"name"')
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    os.replace(tmp, sys.argv[1])


if __name__ == "__main__":
    main()
