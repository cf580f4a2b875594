#!/usr/bin/python3
"""gensim 4.2's most_similar_cosmul, doesnt_match, n_similarity, similar_by_vector, similar_by_word and
unit_normalize_all on the committed test/fixtures/eval-vectors.txt: the golden answers of the
KeyedVectors tests in test/keyed-vectors.test.ts.

    /usr/bin/python3 test/generators/make-kv-api-golden.py [OUT.json]   (Debian: apt-get install python3-gensim)

Output (small, committed; the tests need no gensim): test/fixtures/kv-api-gensim.json. Floats come from
numpy's float32 arithmetic through OpenBLAS, whose kernel changes their last digits from one CPU to
another: the test that reruns this script compares them within 1e-6, not byte for byte.
"""
import json
import os
import sys

import numpy as np
import gensim
from gensim.models import KeyedVectors

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
kv = KeyedVectors.load_word2vec_format(os.path.join(HERE, "eval-vectors.txt"), binary=False)
vec = [0.5, -1.0, 0.25, 2.0, 0.0, -0.75, 1.5, 0.1]
f = lambda pairs: [[w, float(s)] for w, s in pairs]

cosmul = []
for positive, negative, topn in [
    (["king", "woman"], ["man"], 5),
    (["Greece", "Baghdad"], ["Athens"], 4),
    (["tiger"], [], 6),
    (["king", "queen", "woman"], ["man", "boy"], 5),
    ([{"vector": vec}, "money"], ["bank"], 4),
]:
    terms = lambda ts: [np.array(t["vector"], dtype=np.float32) if isinstance(t, dict) else t for t in ts]
    cosmul.append({"positive": positive, "negative": negative, "topn": topn,
                   "result": f(kv.most_similar_cosmul(positive=terms(positive), negative=terms(negative), topn=topn))})

doesnt_match = []
for words in [["tiger", "cat", "car", "money"], ["king", "queen", "man", "woman", "paper"], ["Athens", "Greece", "Baghdad", "Iraq"], ["love", "sex"]]:
    doesnt_match.append({"words": words, "result": kv.doesnt_match(words)})

n_similarity = []
for ws1, ws2 in [(["king", "queen"], ["man", "woman"]), (["tiger"], ["cat", "tiger"]), (["money", "bank", "market"], ["paper"])]:
    n_similarity.append({"words1": ws1, "words2": ws2, "result": float(kv.n_similarity(ws1, ws2))})

similar_by_vector = {"vector": vec, "topn": 5, "result": f(kv.similar_by_vector(np.array(vec, dtype=np.float32), topn=5))}
similar_by_word = {"word": "money", "topn": 5, "result": f(kv.similar_by_word("money", topn=5))}

kv.unit_normalize_all()
normalized = {"words": kv.index_to_key[:10], "vectors": [[float(x) for x in kv.vectors[i]] for i in range(10)]}

with open(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "kv-api-gensim.json"), "w") as out:
    doc = {"gensim": gensim.__version__, "numpy": np.__version__, "most_similar_cosmul": cosmul, "doesnt_match": doesnt_match,
           "n_similarity": n_similarity, "similar_by_vector": similar_by_vector, "similar_by_word": similar_by_word,
           "unit_normalize_all": normalized}
    json.dump(doc, out, indent=1)
    out.write("\n")
print("kv-api-gensim.json written with gensim", gensim.__version__, file=sys.stderr)
