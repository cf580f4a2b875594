#!/usr/bin/env bash
# Runs the teaching notebooks headless in Deno's Jupyter kernel (called by .ci/run after npm test).
# Installs what the runner needs: Debian's Jupyter pieces (nbconvert executes, nbclient drives the
# kernel, ipykernel/jupyter-client provide the kernel machinery); Deno itself is an npm dev
# dependency, already installed by npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in python3-nbconvert python3-nbclient python3-ipykernel python3-jupyter-client; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi
[ -x node_modules/.bin/deno ] || npm ci

npm run test:notebooks
