"""Reference cases for embedkit's EmbeddingBag, Linear and ReLU, computed by PyTorch.

Run with Debian's python3 (torch 1.13):
    /usr/bin/python3 test/generators/torch_fixtures_layers.py test/fixtures/torch-layers.json

The output is deterministic: fixed seeds, sorted keys, one case per line; float32 values written in
their shortest decimal form that reads back to the same float32 (as torch_fixtures_embedding.py does),
float64 statistics as float64, non-finite values as the strings "Infinity", "-Infinity", "NaN".
test/torch-layers.test.ts reads it.

scale_grad_by_freq: PyTorch 1.13's CPU EmbeddingBag divides each gradient by the count of the wrong
index (a known upstream bug). The documented meaning is nn.Embedding's: each row's gradient divided by
that row's count in the whole input. Those cases are computed here with nn.Embedding over the flat input
followed by the bag's reduction written out by hand, not with nn.EmbeddingBag.
"""
import json
import math
import os
import sys

import numpy
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def num64(x):
    """A float64 value as JSON, or a string for the non-finite ones."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def num(x):
    """A float32 value as JSON: its shortest decimal that reads back to the same float32."""
    x = num64(x)
    return x if isinstance(x, str) else float(str(numpy.float32(x)))


def flat(t):
    return [num(v) for v in t.detach().reshape(-1).tolist()]


def ints(t):
    return [int(v) for v in t.reshape(-1).tolist()]


def bags_of(inp, offsets, include_last):
    """The bags as lists of flat positions."""
    if inp.dim() == 2:
        B, N = inp.shape
        return [list(range(b * N, (b + 1) * N)) for b in range(B)]
    L = inp.numel()
    offs = offsets.tolist()
    if include_last:
        ends = offs[1:]
        offs = offs[:-1]
    else:
        ends = offs[1:] + [L]
    return [list(range(s, e)) for s, e in zip(offs, ends)]


def manual_bag(weight, inp, offsets, include_last, mode, padding_idx, psw, max_norm, norm_type, scale):
    """The documented EmbeddingBag: nn.Embedding over the flat input, then each bag's reduction."""
    emb = nn.Embedding(weight.shape[0], weight.shape[1], padding_idx=padding_idx, max_norm=max_norm,
                       norm_type=norm_type, scale_grad_by_freq=scale, _weight=weight.detach().clone())
    flat_idx = inp.reshape(-1)
    rows = emb(flat_idx)
    outs = []
    for bag in bags_of(inp, offsets, include_last):
        keep = [i for i in bag if padding_idx is None or int(flat_idx[i]) != padding_idx]
        if not keep:
            outs.append(torch.zeros(weight.shape[1]))
            continue
        r = rows[keep]
        if psw is not None:
            r = r * psw.reshape(-1)[keep].unsqueeze(1)
        if mode == "sum":
            outs.append(r.sum(0))
        elif mode == "mean":
            outs.append(r.sum(0) / len(keep))
        else:
            outs.append(r.max(0).values)
    return emb, torch.stack(outs)


def bag_case(name, V, H, mode, inp, offsets=None, include_last=False, padding_idx=None, psw=False,
             max_norm=None, norm_type=2.0, scale=False, sparse=False, seed=0, from_pretrained=None):
    # PyTorch has no sparse gradient in max mode; embedkit's is checked against the dense one.
    g = torch.Generator().manual_seed(seed)
    weight = torch.randn(V, H, generator=g)
    inp = torch.tensor(inp, dtype=torch.long)
    offs = None if offsets is None else torch.tensor(offsets, dtype=torch.long)
    w = None
    if psw:
        w = torch.randn(inp.shape, generator=g).requires_grad_(True)
    case = {
        "name": name, "V": V, "H": H, "mode": mode,
        "weight": flat(weight),
        "input": ints(inp), "input_shape": list(inp.shape),
        "offsets": None if offs is None else ints(offs),
        "include_last_offset": include_last, "padding_idx": padding_idx,
        "max_norm": None if max_norm is None else num(max_norm), "norm_type": num(norm_type),
        "scale_grad_by_freq": scale, "sparse": sparse,
        "per_sample_weights": None if w is None else flat(w),
    }
    if scale:
        layer, out = manual_bag(weight, inp, offs, include_last, mode, padding_idx, w, max_norm, norm_type, True)
        B = out.shape[0]
    else:
        if from_pretrained is not None:
            layer = nn.EmbeddingBag.from_pretrained(weight.clone(), freeze=from_pretrained, mode=mode,
                                                    padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                                                    sparse=sparse, include_last_offset=include_last)
            case["freeze"] = from_pretrained
        else:
            layer = nn.EmbeddingBag(V, H, mode=mode, padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                                    sparse=sparse and mode != "max", include_last_offset=include_last,
                                    _weight=weight.clone())
        out = layer(inp, offs, per_sample_weights=w)
        B = out.shape[0]
    dout = torch.randn(B, H, generator=g)
    case["dout"] = flat(dout)
    case["out"] = flat(out)
    case["out_shape"] = list(out.shape)
    if max_norm is not None:
        case["weight_after_forward"] = flat(layer.weight)
    if out.requires_grad:
        out.backward(dout)
        gw = layer.weight.grad
        if gw is not None and gw.is_sparse:
            gw = gw.coalesce()
            case["grad_rows"] = ints(gw.indices())
            gw = gw.to_dense()
        case["grad_weight"] = None if gw is None else flat(gw)
        case["grad_per_sample_weights"] = None if w is None else flat(w.grad)
    else:
        case["grad_weight"] = None
        case["grad_per_sample_weights"] = None
    return case


def bag_cases():
    cases = []
    # 2-D input [B, N], and the same bags as 1-D input with offsets, with and without the last offset.
    two_d = [[0, 2, 2, 5], [4, 3, 1, 1], [6, 0, 3, 2]]
    one_d = [1, 2, 4, 4, 3, 2, 0, 6, 5, 1]
    offsets = [0, 2, 2, 7]  # bag 1 is empty
    for mode in ["sum", "mean", "max"]:
        for pad in [None, 2]:
            cases.append(bag_case(f"{mode} 2-D pad={pad}", 7, 3, mode, two_d, padding_idx=pad, seed=1))
            cases.append(bag_case(f"{mode} 1-D offsets pad={pad}", 7, 3, mode, one_d, offsets, padding_idx=pad, seed=2))
            cases.append(bag_case(f"{mode} 1-D includeLastOffset pad={pad}", 7, 3, mode, one_d, offsets + [10],
                                  include_last=True, padding_idx=pad, seed=3))
        # a bag of only padding, an empty last bag, and a trailing empty bag under includeLastOffset
        cases.append(bag_case(f"{mode} padding-only and empty bags", 6, 4, mode, [3, 3, 1, 0, 0], [0, 2, 5, 5],
                              padding_idx=3, seed=4))
        cases.append(bag_case(f"{mode} includeLastOffset empty trailing", 6, 4, mode, [1, 5, 5, 2], [0, 3, 4, 4],
                              include_last=True, seed=5))
        cases.append(bag_case(f"{mode} sparse", 9, 3, mode, one_d, offsets, sparse=True, seed=6))
        cases.append(bag_case(f"{mode} sparse pad=4", 9, 3, mode, one_d, offsets, padding_idx=4, sparse=True, seed=7))
        for p in [2.0, 1.0, float("inf"), 3.0]:
            cases.append(bag_case(f"{mode} maxNorm 1.1 normType {p}", 7, 3, mode, one_d, offsets, max_norm=1.1,
                                  norm_type=p, seed=8))
        for pad in [None, 2]:
            cases.append(bag_case(f"{mode} scaleGradByFreq 1-D pad={pad}", 7, 3, mode, one_d, offsets,
                                  padding_idx=pad, scale=True, seed=9))
            cases.append(bag_case(f"{mode} scaleGradByFreq 2-D pad={pad}", 7, 3, mode, two_d, padding_idx=pad,
                                  scale=True, seed=10))
            cases.append(bag_case(f"{mode} scaleGradByFreq sparse pad={pad}", 7, 3, mode, one_d, offsets,
                                  padding_idx=pad, scale=True, sparse=True, seed=11))
        for freeze in [True, False]:
            cases.append(bag_case(f"{mode} fromPretrained freeze={freeze}", 7, 3, mode, two_d, seed=12,
                                  from_pretrained=freeze))
    # per-sample weights: sum only, 2-D and 1-D, with padding, sparse, maxNorm, scaleGradByFreq
    cases.append(bag_case("psw 2-D", 7, 3, "sum", two_d, psw=True, seed=13))
    cases.append(bag_case("psw 1-D", 7, 3, "sum", one_d, offsets, psw=True, seed=14))
    cases.append(bag_case("psw 1-D includeLastOffset pad=2", 7, 3, "sum", one_d, offsets + [10], include_last=True,
                          padding_idx=2, psw=True, seed=15))
    cases.append(bag_case("psw sparse", 7, 3, "sum", one_d, offsets, psw=True, sparse=True, seed=16))
    cases.append(bag_case("psw maxNorm", 7, 3, "sum", one_d, offsets, psw=True, max_norm=0.9, seed=17))
    cases.append(bag_case("psw scaleGradByFreq", 7, 3, "sum", one_d, offsets, psw=True, scale=True, seed=18))
    # wide rows take the kernels' other branch (H >= 64)
    cases.append(bag_case("mean wide rows", 4, 64, "mean", [[0, 1, 1], [3, 2, 0]], seed=19))
    cases.append(bag_case("sum wide rows sparse", 4, 64, "sum", [0, 1, 1, 3, 2, 0], [0, 3], sparse=True, seed=20))
    return cases


def error_cases():
    """What PyTorch rejects; `fragment` is what embedkit's message must contain."""
    out = []

    def attempt(name, fragment, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            out.append({"name": name, "torch_error": type(e).__name__, "torch_message": str(e).split("\n")[0],
                        "fragment": fragment})
            return
        raise SystemExit(f"PyTorch accepted {name}")

    bag = nn.EmbeddingBag(5, 2, mode="sum")
    mean = nn.EmbeddingBag(5, 2, mode="mean")
    attempt("offsets with a 2-D input", "offsets", lambda: bag(torch.tensor([[0, 1]]), torch.tensor([0])))
    attempt("a 1-D input without offsets", "offsets", lambda: bag(torch.tensor([0, 1])))
    attempt("offsets[0] != 0", "offsets[0]", lambda: bag(torch.tensor([0, 1, 2]), torch.tensor([1, 2])))
    attempt("perSampleWeights with mode mean", "perSampleWeights",
            lambda: mean(torch.tensor([0, 1]), torch.tensor([0]), per_sample_weights=torch.ones(2)))
    attempt("perSampleWeights of another shape", "perSampleWeights",
            lambda: bag(torch.tensor([0, 1, 2]), torch.tensor([0]), per_sample_weights=torch.ones(2)))
    attempt("an unknown mode", "mode", lambda: nn.EmbeddingBag(5, 2, mode="median")(torch.tensor([[0]])))
    attempt("an index out of range", "index 5", lambda: bag(torch.tensor([[0, 5]])))
    attempt("includeLastOffset with a last offset beyond the input", "offsets",
            lambda: nn.EmbeddingBag(5, 2, mode="sum", include_last_offset=True)(torch.tensor([0, 1]), torch.tensor([0, 3])))
    attempt("Linear input of another width", "x", lambda: nn.Linear(3, 2)(torch.ones(4, 5)))
    return out


def linear_cases():
    cases = []
    for (shape, inf, outf, bias, seed) in [([3, 5], 5, 4, True, 30), ([2, 3, 5], 5, 2, True, 31), ([4, 6], 6, 3, False, 32),
                                          ([5], 5, 3, True, 33)]:
        g = torch.Generator().manual_seed(seed)
        lin = nn.Linear(inf, outf, bias=bias)
        with torch.no_grad():
            lin.weight.copy_(torch.randn(outf, inf, generator=g))
            if bias:
                lin.bias.copy_(torch.randn(outf, generator=g))
        x = torch.randn(shape, generator=g).requires_grad_(True)
        y = lin(x)
        dout = torch.randn(y.shape, generator=g)
        y.backward(dout)
        relu_in = torch.randn(shape, generator=g)
        relu_in.view(-1)[0] = 0.0  # ReLU'(0) is 0 in PyTorch
        relu_in = relu_in.requires_grad_(True)
        r = torch.relu(relu_in)
        r_dout = torch.randn(shape, generator=g)
        r.backward(r_dout)
        cases.append({
            "in": inf, "out": outf, "bias": bias, "x_shape": shape,
            "weight": flat(lin.weight), "b": None if not bias else flat(lin.bias),
            "x": flat(x), "y": flat(y), "y_shape": list(y.shape), "dout": flat(dout),
            "dx": flat(x.grad), "grad_weight": flat(lin.weight.grad),
            "grad_bias": None if not bias else flat(lin.bias.grad),
            "state_dict_keys": sorted(lin.state_dict().keys()),
            "state_dict_shapes": {k: list(v.shape) for k, v in lin.state_dict().items()},
            "relu_x": flat(relu_in), "relu_y": flat(r), "relu_dout": flat(r_dout), "relu_dx": flat(relu_in.grad),
        })
    return cases


def linear_init():
    """PyTorch's default init: weight kaiming_uniform(a=√5) gives bound 1/√in; the bias's bound is 1/√in."""
    torch.manual_seed(0)
    out = []
    for inf, outf in [(100, 400), (16, 1000), (416, 256)]:
        lin = nn.Linear(inf, outf)
        w = lin.weight.detach().double()
        b = lin.bias.detach().double()
        out.append({
            "in": inf, "out": outf, "bound": num64(1 / math.sqrt(inf)),
            "weight_max_abs": num64(w.abs().max()), "weight_mean": num64(w.mean()), "weight_var": num64(w.var()),
            "bias_max_abs": num64(b.abs().max()),
        })
    return out


def training_loop():
    """Bag -> Linear -> ReLU -> Linear -> BCE-with-logits; Adam on the dense layers, SparseAdam or Adagrad
    on the (sparse) table, three steps, as a PyTorch user writes it."""
    loops = []
    for table_opt in ["SparseAdam", "Adagrad"]:
        g = torch.Generator().manual_seed(40)
        V, H, hidden = 8, 4, 5
        bag = nn.EmbeddingBag(V, H, mode="sum", sparse=True, _weight=torch.randn(V, H, generator=g))
        l1 = nn.Linear(H, hidden)
        l2 = nn.Linear(hidden, 1)
        with torch.no_grad():
            for p in [l1.weight, l1.bias, l2.weight, l2.bias]:
                p.copy_(torch.randn(p.shape, generator=g) * 0.5)
        init = {"bag": flat(bag.weight), "l1_weight": flat(l1.weight), "l1_bias": flat(l1.bias),
                "l2_weight": flat(l2.weight), "l2_bias": flat(l2.bias)}
        dense = torch.optim.Adam(list(l1.parameters()) + list(l2.parameters()), lr=0.05)
        table = torch.optim.SparseAdam([bag.weight], lr=0.1) if table_opt == "SparseAdam" else torch.optim.Adagrad(
            [bag.weight], lr=0.1)
        steps = []
        batches = [([0, 1, 1, 3, 7, 2], [0, 2, 3], [1.0, 0.0, 1.0]),
                   ([5, 4, 0, 0], [0, 1, 1], [0.0, 1.0, 1.0]),
                   ([6, 1, 2, 3, 3], [0, 4], [1.0, 0.0])]
        for inp, offs, labels in batches:
            dense.zero_grad()
            table.zero_grad()
            h = bag(torch.tensor(inp), torch.tensor(offs))
            logit = l2(torch.relu(l1(h))).reshape(-1)
            loss = F.binary_cross_entropy_with_logits(logit, torch.tensor(labels))
            loss.backward()
            dense.step()
            table.step()
            steps.append({"input": inp, "offsets": offs, "labels": labels, "loss": num(loss),
                          "bag": flat(bag.weight), "l1_weight": flat(l1.weight), "l1_bias": flat(l1.bias),
                          "l2_weight": flat(l2.weight), "l2_bias": flat(l2.bias)})
        loops.append({"table_optimizer": table_opt, "V": V, "H": H, "hidden": hidden, "dense_lr": 0.05,
                      "table_lr": 0.1, "init": init, "steps": steps})
    return loops


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: torch_fixtures_layers.py OUT.json")
    data = {
        "generator": "test/generators/torch_fixtures_layers.py",
        "torch_version": torch.__version__,
        "command": "/usr/bin/python3 test/generators/torch_fixtures_layers.py test/fixtures/torch-layers.json",
        "embedding_bag": bag_cases(),
        "errors": error_cases(),
        "linear": linear_cases(),
        "linear_init": linear_init(),
        "training": training_loop(),
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)
    # One case per line: small diffs when a case changes, still compact.
    for key in ['{"H"', '{"fragment"', '{"b"', '{"bias_max_abs"']:
        text = text.replace("}," + key, "},\n" + key)
    text += "\n"
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, sys.argv[1])


if __name__ == "__main__":
    main()
