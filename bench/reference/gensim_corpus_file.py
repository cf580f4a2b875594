#!/usr/bin/python3
"""gensim Word2Vec CBOW + negative sampling in corpus_file mode, for bench/corpus-stream.ts.

gensim's streaming mode: Word2Vec(corpus_file=PATH) counts the vocabulary in one pass over the
file and then trains with each worker reading its own byte range of the file (LineSentence
format: one document per line, tokens separated by whitespace), never holding the corpus in
memory. Same settings as bench/reference/gensim_cbow.py (sg=0, hs=0, cbow_mean=1). Prints one
JSON object: the seconds of the vocabulary pass and of train(), and the effective words/s of
train() (in-vocabulary tokens kept by subsampling, per second, as gensim logs it).

    /usr/bin/python3 bench/reference/gensim_corpus_file.py --input big.txt --output v.bin \
        --workers 2 --epochs 1
"""

import argparse
import json
import logging
import time

import gensim
from gensim.models import Word2Vec


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--negative", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1e-3)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    logging.disable(logging.CRITICAL)

    model = Word2Vec(vector_size=args.dim, window=args.window, min_count=args.min_count, sample=args.sample,
                     negative=args.negative, hs=0, sg=0, cbow_mean=1, seed=args.seed, workers=args.workers,
                     epochs=args.epochs)
    t0 = time.perf_counter()
    model.build_vocab(corpus_file=args.input)
    vocab_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    effective, raw = model.train(corpus_file=args.input, total_examples=model.corpus_count,
                                 total_words=model.corpus_total_words, epochs=model.epochs)
    train_s = time.perf_counter() - t0
    model.wv.save_word2vec_format(args.output, binary=True)
    print(json.dumps({
        "gensim": gensim.__version__, "workers": args.workers, "epochs": args.epochs,
        "vocab": len(model.wv), "raw_words": raw, "effective_words": effective,
        "times_s": {"vocab": vocab_s, "train": train_s},
        "effective_words_per_s": effective / train_s if train_s > 0 else 0,
    }))


if __name__ == "__main__":
    main()
