#!/usr/bin/python3
"""gensim's side of `npm run bench:vectors`: load_word2vec_format and most_similar, timed in-process.

    /usr/bin/python3 bench/reference/gensim_vectors.py FILE.bin      (Debian: apt-get install python3-gensim)

Reads one JSON command per line on stdin and answers each with one JSON line on stdout, so that the
benchmark can alternate gensim's timings with embedkit's in one run:
  {"cmd": "load"}                          -> {"ms": load_word2vec_format(FILE, binary=True) time}
  {"cmd": "query", "words": [...], "topn": 10}
                                           -> {"ms": [per most_similar call], "result": [[[word, sim], ...], ...]}
  {"cmd": "info"}                          -> versions and the BLAS numpy uses
  {"cmd": "quit"}
The benchmark starts it with OPENBLAS_NUM_THREADS=1 (one BLAS thread, as embedkit's one thread)
and without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, so OpenBLAS picks its own kernels for this CPU.
"""
import json
import os
import sys
import time

import numpy as np
import gensim
from gensim.models import KeyedVectors

path = sys.argv[1]
kv = None


def blas():
    return {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}


for line in sys.stdin:
    req = json.loads(line)
    cmd = req["cmd"]
    if cmd == "quit":
        break
    if cmd == "info":
        out = {"gensim": gensim.__version__, "numpy": np.__version__, "python": sys.version.split()[0], "env": blas()}
    elif cmd == "load":
        kv = None
        t0 = time.perf_counter()
        kv = KeyedVectors.load_word2vec_format(path, binary=True)
        ms = (time.perf_counter() - t0) * 1000
        out = {"ms": ms, "rows": len(kv.index_to_key), "dim": kv.vector_size}
    elif cmd == "query":
        kv.fill_norms()  # the norms are computed once, as embedkit's unit table; not timed
        times, results = [], []
        for w in req["words"]:
            t0 = time.perf_counter()
            r = kv.most_similar(w, topn=req["topn"])
            times.append((time.perf_counter() - t0) * 1000)
            results.append([[k, float(v)] for k, v in r])
        out = {"ms": times, "result": results}
    else:
        out = {"error": f"unknown command {cmd!r}"}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
