#!/usr/bin/python3
"""gensim Word2Vec reference run for embedkit.

Trains gensim's Word2Vec (by default CBOW with negative sampling: sg=0, hs=0,
negative=5, cbow_mean=1; --sg, --hs, --negative and --cbow-mean choose the
others; alpha 0.025 -> min_alpha 0.0001) on a corpus file with one document per line, tokens separated by
spaces, saves the vectors in word2vec text format, and prints a JSON summary on
stdout with the time of vocabulary building and of the train() call.

Throughput is reported two ways, both over the train() wall time:
  effective_words_per_s  words actually trained on: in-vocabulary tokens that
                         survived frequent-word subsampling (gensim's own
                         "effective words/s", the first value train() returns)
  raw_words_per_s        every token of the corpus times the epochs, including
                         tokens below min_count (the second value train()
                         returns), i.e. corpus throughput

Documents are fed as an in-memory list of token lists (read before timing
starts). gensim's compiled training routine silently drops every word past the
10,000th of one sentence, so documents longer than --max-sentence-length are cut
into consecutive pieces of at most that many tokens; no token is lost (context
windows do not cross a cut, which touches a handful of positions per cut).

Run with Debian's interpreter, which has python3-gensim:
    /usr/bin/python3 bench/reference/gensim_cbow.py --input corpus.txt \
        --output /tmp/gensim-vectors.txt --workers 1
"""

import argparse
import json
import logging
import os
import platform
import re
import statistics
import sys
import time

import gensim
from gensim.models import Word2Vec
from gensim.models import word2vec_inner

from machine import cpu_model  # bench/reference/machine.py, beside this script


EPOCH_RE = re.compile(r"EPOCH (\d+): training on (\d+) raw words \((\d+) effective words\) "
                      r"took ([\d.]+)s, (\d+) effective words/s")
TOTAL_RE = re.compile(r"training on \d+ raw words \(\d+ effective words\) took [\d.]+s, "
                      r"\d+ effective words/s")


class LogCapture(logging.Handler):
    """Keeps gensim's own per-epoch and final training reports."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.epoch_words_per_s = []
        self.total = None

    def emit(self, record):
        msg = record.getMessage()
        m = EPOCH_RE.search(msg)
        if m:
            self.epoch_words_per_s.append(int(m.group(5)))
            return
        m = TOTAL_RE.search(msg)
        if m:
            self.total = m.group(0)


def read_corpus(path, max_len):
    docs = []
    tokens = 0
    long_docs = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            words = line.split()
            if not words:
                continue
            tokens += len(words)
            if len(words) > max_len:
                long_docs += 1
                for start in range(0, len(words), max_len):
                    docs.append(words[start:start + max_len])
            else:
                docs.append(words)
    return docs, tokens, long_docs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", required=True, help="corpus: one document per line, space-separated tokens")
    ap.add_argument("--output", required=True, help="vector file to write (word2vec format)")
    ap.add_argument("--binary", action="store_true", help="write word2vec binary instead of text")
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--sg", type=int, choices=[0, 1], default=0, help="1: skip-gram, 0: CBOW")
    ap.add_argument("--hs", type=int, choices=[0, 1], default=0, help="1: hierarchical softmax")
    ap.add_argument("--negative", type=int, default=5, help="noise words (0: no negative sampling)")
    ap.add_argument("--cbow-mean", type=int, choices=[0, 1], default=1, help="CBOW over the mean (1) or the sum (0)")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1e-3)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--alpha", type=float, default=0.025)
    ap.add_argument("--min-alpha", type=float, default=0.0001)
    ap.add_argument("--max-sentence-length", type=int, default=word2vec_inner.MAX_WORDS_IN_BATCH,
                    help="cut longer documents into pieces of this many tokens (default: gensim's limit)")
    ap.add_argument("--log", action="store_true", help="show gensim's INFO log on stderr")
    args = ap.parse_args()

    capture = LogCapture()
    glog = logging.getLogger("gensim")
    glog.setLevel(logging.INFO)
    glog.addHandler(capture)
    if args.log:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)
    glog.propagate = args.log

    t0 = time.perf_counter()
    docs, corpus_tokens, long_docs = read_corpus(args.input, args.max_sentence_length)
    read_s = time.perf_counter() - t0

    model = Word2Vec(
        vector_size=args.dim, window=args.window, min_count=args.min_count,
        sample=args.sample, negative=args.negative, hs=args.hs, sg=args.sg, cbow_mean=args.cbow_mean,
        alpha=args.alpha, min_alpha=args.min_alpha, seed=args.seed,
        workers=args.workers, epochs=args.epochs,
    )

    t0 = time.perf_counter()
    model.build_vocab(docs)
    vocab_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    effective_words, raw_words = model.train(
        docs, total_examples=model.corpus_count, total_words=model.corpus_total_words,
        epochs=model.epochs,
    )
    train_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    model.wv.save_word2vec_format(args.output, binary=args.binary)
    save_s = time.perf_counter() - t0

    summary = {
        "gensim_version": gensim.__version__,
        "gensim_fast_version": word2vec_inner.FAST_VERSION,
        "python": platform.python_version(),
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model(),
        "input": os.path.abspath(args.input),
        "output": os.path.abspath(args.output),
        "params": {
            "sg": args.sg, "hs": args.hs, "cbow_mean": args.cbow_mean, "vector_size": args.dim, "window": args.window,
            "negative": args.negative, "min_count": args.min_count, "sample": args.sample,
            "epochs": args.epochs, "workers": args.workers, "seed": args.seed,
            "alpha": args.alpha, "min_alpha": args.min_alpha,
        },
        "corpus": {
            "documents": sum(1 for _ in open(args.input, encoding="utf-8") if _.strip()),
            "sentences_fed": len(docs),
            "documents_cut": long_docs,
            "max_sentence_length": args.max_sentence_length,
            "tokens": corpus_tokens,
            "vocab_size": len(model.wv),
            "tokens_in_vocab": int(sum(model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key)),
        },
        "times_s": {
            "read": round(read_s, 4),
            "build_vocab": round(vocab_s, 4),
            "train": round(train_s, 4),
            "save": round(save_s, 4),
        },
        "words": {
            "effective_words_trained": int(effective_words),
            "raw_words_processed": int(raw_words),
            "effective_words_per_epoch": round(effective_words / args.epochs),
        },
        "throughput": {
            "effective_words_per_s": round(effective_words / train_s),
            "raw_words_per_s": round(raw_words / train_s),
            "note": "effective = in-vocabulary tokens kept after subsampling (gensim's count); "
                    "raw = all corpus tokens x epochs; both divided by train() wall time",
        },
        "gensim_log": {
            "train_report": capture.total,
            "epoch_effective_words_per_s_median": (
                round(statistics.median(capture.epoch_words_per_s)) if capture.epoch_words_per_s else None),
            "epoch_effective_words_per_s_max": max(capture.epoch_words_per_s, default=None),
        },
    }
    json.dump(summary, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
