#!/usr/bin/env bash
# Regenerates test/fixtures/fasttext/ with the fastText CLI (FASTTEXT_BIN, default
# /work/tools/fasttext-src/fasttext, built from github.com/facebookresearch/fastText with `make`).
# The n-gram hashes come from a 20-line C++ program compiled against fastText's own Dictionary
# (FASTTEXT_SRC, default the CLI's directory), so they are fastText's, not ours.
# The corpus slice corpus.txt is committed; WIKI (a copy of wiki-en-106.txt) is only needed to remake it.
set -euo pipefail
cd "$(dirname "$0")/../fixtures/fasttext"
FT="${FASTTEXT_BIN:-/work/tools/fasttext-src/fasttext}"
SRC="${FASTTEXT_SRC:-$(dirname "$FT")}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

if [ -n "${WIKI:-}" ]; then
  # the first 90 words of each of the first 16 articles, one article a line
  head -n 16 "$WIKI" | awk '{ n = NF < 90 ? NF : 90; s = $1; for (i = 2; i <= n; i++) s = s " " $i; print s }' > corpus.txt
fi

# supervised: each 10-word piece of an article, labelled with the article's number
awk '{ for (i = 1; i + 9 <= NF; i += 10) { s = "__label__a" NR; for (j = i; j < i + 10; j++) s = s " " $j; print s } }' corpus.txt > supervised.txt

# character n-grams and hashes, from fastText's Dictionary
cat > "$TMP/ngrams.cc" <<'CC'
#include "args.h"
#include "dictionary.h"
#include <iostream>
#include <memory>
using namespace fasttext;
int main(int argc, char** argv) {
  auto args = std::make_shared<Args>();
  args->minn = std::stoi(argv[1]); args->maxn = std::stoi(argv[2]); args->bucket = std::stoi(argv[3]);
  Dictionary dict(args);
  std::string w;
  while (std::cin >> w) {
    std::vector<int32_t> ids; std::vector<std::string> subs;
    dict.getSubwords(w, ids, subs);
    std::cout << w << "\t" << dict.hash(w);
    for (size_t i = 0; i < subs.size(); i++) std::cout << "\t" << subs[i] << " " << dict.hash(subs[i]) << " " << ids[i];
    std::cout << "\n";
  }
}
CC
g++ -std=c++11 -O1 -I"$SRC/src" "$TMP/ngrams.cc" "$SRC"/dictionary.o "$SRC"/args.o -o "$TMP/ngrams" -pthread
printf 'where\nnaïve\n日本語\n🙂ok\nféé\nw\nanarchism\n' | "$TMP/ngrams" 3 6 2000000 > ngrams-3-6.tsv
printf 'where\nnaïve\n日本語\n🙂ok\n' | "$TMP/ngrams" 1 3 1000 > ngrams-1-3.tsv

# a small unsupervised model: dim 10, bucket 1000, one thread (reproducible)
"$FT" skipgram -input corpus.txt -output "$TMP/sg" -dim 10 -bucket 1000 -minCount 2 -epoch 3 -thread 1 -minn 3 -maxn 5 -verbose 0
cp "$TMP/sg.bin" skipgram.bin
printf 'anarchism\nthe\nwhere\nanarchisms\nnaïve\n日本語\n🙂\nqzxv\n' > words.txt
"$FT" print-word-vectors skipgram.bin < words.txt > skipgram-vectors.txt
"$FT" print-sentence-vectors skipgram.bin < <(printf 'anarchism is a political philosophy\n') > skipgram-sentence.txt
"$FT" cbow -input corpus.txt -output "$TMP/cbow" -dim 10 -bucket 1000 -minCount 2 -epoch 3 -thread 1 -loss hs -verbose 0
cp "$TMP/cbow.bin" cbow-hs.bin
"$FT" print-word-vectors cbow-hs.bin < words.txt > cbow-hs-vectors.txt

# small supervised models: softmax with word bigrams and subwords; hs; ova
"$FT" supervised -input supervised.txt -output "$TMP/sup" -dim 10 -bucket 1000 -wordNgrams 2 -minn 2 -maxn 4 -epoch 50 -lr 0.5 -thread 1 -verbose 0
cp "$TMP/sup.bin" supervised.bin
head -n 40 supervised.txt | cut -d' ' -f2- > predict-input.txt
"$FT" predict-prob supervised.bin predict-input.txt 3 > supervised-predict-prob.txt
"$FT" test supervised.bin supervised.txt 2 > supervised-test.txt
"$FT" print-sentence-vectors supervised.bin < <(printf 'anarchism is a political philosophy\n') > supervised-sentence.txt
"$FT" supervised -input supervised.txt -output "$TMP/suphs" -dim 10 -epoch 50 -lr 0.5 -thread 1 -loss hs -verbose 0
cp "$TMP/suphs.bin" supervised-hs.bin
"$FT" predict-prob supervised-hs.bin predict-input.txt 3 > supervised-hs-predict-prob.txt
"$FT" supervised -input supervised.txt -output "$TMP/supova" -dim 10 -epoch 50 -lr 0.5 -thread 1 -loss ova -verbose 0
cp "$TMP/supova.bin" supervised-ova.bin
"$FT" predict-prob supervised-ova.bin predict-input.txt 3 0.01 > supervised-ova-predict-prob.txt
ls -la
