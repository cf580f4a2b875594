#!/usr/bin/python3
"""Evaluate a word2vec-format vector file with gensim's standard word-vector tests.

Loads vectors with gensim's KeyedVectors.load_word2vec_format (text by default,
--binary for the binary format), then runs
  - KeyedVectors.evaluate_word_pairs on each word-similarity set
    (Pearson r, Spearman rho, and the share of pairs skipped as out of vocabulary)
  - KeyedVectors.evaluate_word_analogies on the analogy set
    (accuracy over the questions whose four words are all in vocabulary, per
    section and in total, and the share of questions skipped)
and prints one JSON object on stdout.

The same code scores embedkit's own exported vectors, so the two trainers are
compared on equal terms: embedkit writes word2vec text or binary, this script
reads either.

Default evaluation files are gensim's own test data, located through
gensim.test.utils.datapath: wordsim353.tsv and simlex999.txt (similarity) and
questions-words.txt (analogies). Debian's python3-gensim leaves that test_data
folder out of the package (debian/copyright: Files-Excluded
gensim/test/test_data), so on a Debian install those defaults are missing; pass
--similarity / --analogies with paths to copies of the files. A missing file is
reported in the JSON as "available": false rather than stopping the run (use
--strict to make it an error).

Run with Debian's interpreter, which has python3-gensim:
    /usr/bin/python3 bench/reference/eval_vectors.py vectors.txt \
        --similarity /path/wordsim353.tsv --similarity /path/simlex999.txt
"""

import argparse
import json
import logging
import math
import os
import sys
import time

import gensim
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

DEFAULT_SIMILARITY = ["wordsim353.tsv", "simlex999.txt"]
DEFAULT_ANALOGIES = "questions-words.txt"


def finite_or_none(x):
    x = float(x)
    return x if math.isfinite(x) else None


def count_pairs(path):
    n = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                n += 1
    return n


def count_questions(path):
    n = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith(":"):
                n += 1
    return n


def eval_similarity(kv, path, restrict_vocab, case_insensitive):
    entry = {"name": os.path.basename(path), "path": path}
    if not os.path.isfile(path):
        entry.update(available=False, error="file not found")
        return entry
    pearson, spearman, oov_pct = kv.evaluate_word_pairs(
        path, delimiter="\t", restrict_vocab=restrict_vocab,
        case_insensitive=case_insensitive, dummy4unknown=False,
    )
    total = count_pairs(path)
    # gensim returns the OOV share in percent; keep both forms explicit.
    entry.update(
        available=True,
        pairs_total=total,
        pairs_used=round(total * (1 - oov_pct / 100.0)),
        spearman=finite_or_none(spearman[0]),
        spearman_p=finite_or_none(spearman[1]),
        pearson=finite_or_none(pearson[0]),
        pearson_p=finite_or_none(pearson[1]),
        oov_ratio=round(oov_pct / 100.0, 6),
    )
    return entry


def eval_analogies(kv, path, restrict_vocab, case_insensitive):
    entry = {"name": os.path.basename(path), "path": path}
    if not os.path.isfile(path):
        entry.update(available=False, error="file not found")
        return entry
    score, sections = kv.evaluate_word_analogies(
        path, restrict_vocab=restrict_vocab, case_insensitive=case_insensitive,
        dummy4unknown=False,
    )
    total = count_questions(path)
    per_section = []
    attempted = 0
    for s in sections:
        c, i = len(s["correct"]), len(s["incorrect"])
        if s["section"] == "Total accuracy":
            attempted = c + i
            continue
        per_section.append({
            "section": s["section"], "correct": c, "attempted": c + i,
            "accuracy": round(c / (c + i), 6) if c + i else None,
        })
    entry.update(
        available=True,
        questions_total=total,
        questions_attempted=attempted,
        accuracy=finite_or_none(score) if attempted else None,
        oov_ratio=round(1 - attempted / total, 6) if total else None,
        sections=per_section,
    )
    return entry


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("vectors", help="word2vec-format vector file")
    ap.add_argument("--binary", action="store_true", help="vectors are in word2vec binary format")
    ap.add_argument("--similarity", action="append", default=None, metavar="FILE",
                    help="word-pair file (word1<TAB>word2<TAB>score, '#' comments); repeatable; "
                         "default: gensim's wordsim353.tsv and simlex999.txt")
    ap.add_argument("--analogies", default=None, metavar="FILE",
                    help="analogy file in questions-words.txt format; default: gensim's questions-words.txt; "
                         "'none' to skip")
    ap.add_argument("--restrict-vocab", type=int, default=300000,
                    help="only the most frequent N words take part (gensim's default 300000)")
    ap.add_argument("--case-sensitive", action="store_true",
                    help="compare words as written (gensim's default folds case)")
    ap.add_argument("--strict", action="store_true", help="exit non-zero when an evaluation file is missing")
    ap.add_argument("--log", action="store_true", help="show gensim's INFO log on stderr")
    args = ap.parse_args()

    if args.log:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)

    sim_paths = args.similarity or [datapath(n) for n in DEFAULT_SIMILARITY]
    if args.analogies is None:
        analogy_path = datapath(DEFAULT_ANALOGIES)
    elif args.analogies.lower() == "none":
        analogy_path = None
    else:
        analogy_path = args.analogies

    t0 = time.perf_counter()
    kv = KeyedVectors.load_word2vec_format(args.vectors, binary=args.binary)
    load_s = time.perf_counter() - t0

    ci = not args.case_sensitive
    result = {
        "gensim_version": gensim.__version__,
        "vectors": os.path.abspath(args.vectors),
        "binary": args.binary,
        "vocab_size": len(kv),
        "dim": kv.vector_size,
        "load_s": round(load_s, 4),
        "restrict_vocab": args.restrict_vocab,
        "case_insensitive": ci,
        "gensim_test_data_dir": os.path.dirname(datapath("wordsim353.tsv")),
        "similarity": [eval_similarity(kv, p, args.restrict_vocab, ci) for p in sim_paths],
        "analogies": (eval_analogies(kv, analogy_path, args.restrict_vocab, ci)
                      if analogy_path else None),
    }
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")

    missing = [e["path"] for e in result["similarity"] if not e["available"]]
    if result["analogies"] and not result["analogies"]["available"]:
        missing.append(result["analogies"]["path"])
    if missing:
        print("eval_vectors: missing evaluation file(s): " + ", ".join(missing)
              + " (Debian's python3-gensim does not ship gensim/test/test_data; "
              "pass --similarity/--analogies)", file=sys.stderr)
        if args.strict:
            sys.exit(2)


if __name__ == "__main__":
    main()
