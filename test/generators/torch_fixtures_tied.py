"""Tied weights computed by PyTorch: several layers over one table in one step, their gradients summed.

Run with Debian's python3 (torch 1.13):
    /usr/bin/python3 test/generators/torch_fixtures_tied.py test/fixtures/torch-tied.json

Each case is one table [V, H] shared by a list of layers (nn.Embedding, nn.EmbeddingBag, nn.Linear
without bias, whose weight [out, in] = [V, H] is the table: BERT's tied output layer). Every step runs
each layer's forward on its input, backpropagates sum(out_k * dout_k) over all of them at once, records
the table's gradient (dense, summed) and the table after the optimizer's step. zero_grad(set_to_none=True)
starts each step, which is what embedkit's step-clears rule gives. Floats are float32 in their shortest
decimal form (as torch_fixtures_embedding.py writes them). test/torch-tied.test.ts reads it.
"""
import json
import os
import sys

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

# The float32-as-JSON helpers are the embedding generator's, so that every fixture writes floats alike.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_fixtures_embedding import flat  # noqa: E402


def make_optimizer(params, spec):
    t = spec["type"]
    if t == "sgd":
        return torch.optim.SGD(params, lr=spec["lr"], momentum=spec.get("momentum", 0))
    if t == "adagrad":
        return torch.optim.Adagrad(params, lr=spec["lr"])
    if t == "adam":
        return torch.optim.Adam(params, lr=spec["lr"])
    raise ValueError(t)


def make_layer(spec, V, H, weight):
    kind = spec["kind"]
    if kind == "embedding":
        layer = nn.Embedding(V, H, sparse=spec.get("sparse", False), padding_idx=spec.get("paddingIdx"))
    elif kind == "bag":
        layer = nn.EmbeddingBag(V, H, mode=spec["mode"], sparse=spec.get("sparse", False))
    elif kind == "linear":
        layer = nn.Linear(H, V, bias=False)
    else:
        raise ValueError(kind)
    layer.weight = weight
    return layer


def run(layer, spec, inp):
    if spec["kind"] == "embedding":
        return layer(torch.tensor(inp, dtype=torch.long))
    if spec["kind"] == "bag":
        return layer(torch.tensor(inp["input"], dtype=torch.long), torch.tensor(inp["offsets"], dtype=torch.long))
    return layer(torch.tensor(inp, dtype=torch.float32))


def case(name, V, H, layers, optimizer, steps_inputs, seed):
    g = torch.Generator().manual_seed(seed)
    weight = nn.Parameter(torch.randn(V, H, generator=g, dtype=torch.float32))
    w0 = flat(weight)
    mods = [make_layer(s, V, H, weight) for s in layers]
    opt = make_optimizer([weight], optimizer)
    steps = []
    for inputs in steps_inputs:
        opt.zero_grad(set_to_none=True)
        outs = [run(m, s, x) for m, s, x in zip(mods, layers, inputs)]
        douts = [torch.randn(o.shape, generator=g, dtype=torch.float32) for o in outs]
        loss = sum((o * d).sum() for o, d in zip(outs, douts))
        loss.backward()
        grad = weight.grad.to_dense() if weight.grad.is_sparse else weight.grad
        opt.step()
        steps.append({
            "inputs": inputs,
            "douts": [flat(d) for d in douts],
            "grad": flat(grad),
            "grad_sparse": bool(weight.grad.is_sparse),
            "weight_after_step": flat(weight),
        })
    return {"name": name, "V": V, "H": H, "layers": layers, "optimizer": optimizer, "weight": w0, "steps": steps}


def cases():
    out = []
    V, H = 6, 4
    # The case: two Embedding layers over one table, one row each, in one step.
    for sparse in (False, True):
        for opt in ({"type": "sgd", "lr": 0.5}, {"type": "adagrad", "lr": 0.5}) + (() if sparse else ({"type": "adam", "lr": 0.1},)):
            layers = [{"kind": "embedding", "sparse": sparse}, {"kind": "embedding", "sparse": sparse}]
            steps = [[[0], [1]], [[2, 2, 0], [0]], [[5], [5, 1]]]
            out.append(case(f"two-embeddings-{opt['type']}-{'sparse' if sparse else 'dense'}", V, H, layers, opt, steps, 11))
    # Embedding + EmbeddingBag + Linear over one Parameter (the bag and lookup sparse or not; Linear is dense).
    for sparse in (False, True):
        for opt in ({"type": "sgd", "lr": 0.2}, {"type": "adam", "lr": 0.05}, {"type": "adagrad", "lr": 0.2}):
            layers = [
                {"kind": "embedding", "sparse": sparse, "paddingIdx": 4},
                {"kind": "bag", "mode": "mean", "sparse": sparse},
                {"kind": "linear"},
            ]
            x = lambda k: [[round(0.25 * ((i * 7 + j * 3 + k) % 9) - 1, 2) for j in range(H)] for i in range(2)]
            steps = [
                [[[0, 3, 3], [4, 1, 0]], {"input": [1, 3, 3, 5], "offsets": [0, 1]}, x(0)],
                [[[2, 2, 2], [5, 4, 3]], {"input": [0, 2], "offsets": [0, 2]}, x(1)],
                [[[1, 1, 1], [1, 1, 0]], {"input": [5, 5, 5], "offsets": [0]}, x(2)],
            ]
            out.append(case(f"embedding-bag-linear-{opt['type']}-{'sparse' if sparse else 'dense'}", V, H, layers, opt, steps, 12))
    # Two sparse bags (sum and mean) over one table, with SGD: sparse + sparse stays sparse (concatenated).
    layers = [{"kind": "bag", "mode": "sum", "sparse": True}, {"kind": "bag", "mode": "mean", "sparse": True}]
    steps = [[{"input": [0, 1, 1], "offsets": [0, 2]}, {"input": [1, 2, 3], "offsets": [0]}]] * 2
    out.append(case("two-bags-sgd-sparse", V, H, layers, {"type": "sgd", "lr": 0.3}, steps, 13))
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: torch_fixtures_tied.py OUT.json")
    doc = {
        "generator": "test/generators/torch_fixtures_tied.py",
        "command": "/usr/bin/python3 test/generators/torch_fixtures_tied.py test/fixtures/torch-tied.json",
        "torch_version": torch.__version__,
        "cases": cases(),
    }
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), allow_nan=False)
    text = text.replace('},{"layers"', '},\n{"layers"')
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    os.replace(tmp, sys.argv[1])


if __name__ == "__main__":
    main()
