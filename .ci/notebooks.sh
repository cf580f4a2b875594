#!/usr/bin/env bash
# Runs the teaching notebooks headless in Deno's Jupyter kernel; .ci/run calls it after npm test.
# Jupyter comes from Debian (nbconvert executes a notebook, nbclient and jupyter-client drive the
# kernel); Deno is installed on first use by scripts/tools.mjs. Prints "notebooks: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in python3-nbconvert python3-nbclient python3-jupyter-client; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# CI runs on the corpus that comes with the repository (data/), never on a file that happens to be on the machine.
unset EMBEDKIT_CORPUS
npm run test:notebooks
