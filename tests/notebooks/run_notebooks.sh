#!/usr/bin/env bash
# Executes every notebook in notebooks/ headless with Debian's Python (python3-geopandas,
# matplotlib, nbconvert) against the given `lifecircle` binary; fails when any cell fails.
# By default the notebooks are executed from copies in a temp dir, so the committed outputs stay
# untouched; --in-place rewrites them with fresh outputs (do that before committing a change).
# Usage: tests/notebooks/run_notebooks.sh BINARY [--in-place] [NOTEBOOK...]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
binary=$(realpath "${1:?usage: $0 BINARY [--in-place] [NOTEBOOK...]}")
shift
in_place=0
if [[ "${1:-}" == "--in-place" ]]; then
  in_place=1
  shift
fi
notebooks=("$@")
[[ ${#notebooks[@]} -gt 0 ]] || notebooks=("$root"/notebooks/*.ipynb)

# The pyenv python3 first on PATH lacks geopandas: always Debian's.
py=/usr/bin/python3
export LIFECIRCLE_ROOT="$root" LIFECIRCLE_BINARY="$binary"
export PYDEVD_DISABLE_FILE_VALIDATION=1
# matplotlib and Jupyter write caches and runtime files; keep them out of $HOME and the tree.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export MPLCONFIGDIR="$work/mpl" JUPYTER_RUNTIME_DIR="$work/runtime" IPYTHONDIR="$work/ipython"

status=0
for nb in "${notebooks[@]}"; do
  nb=$(realpath "$nb")
  start=$(date +%s)
  if [[ $in_place -eq 1 ]]; then
    target="$nb"
  else
    target="$work/$(basename "$nb")"
    cp "$nb" "$target"
  fi
  # Cells run with the notebook's own folder as working directory, as in Jupyter.
  if (cd "$(dirname "$nb")" && "$py" -m jupyter nbconvert --to notebook --execute --inplace \
        --ExecutePreprocessor.timeout=180 --ExecutePreprocessor.kernel_name=python3 \
        "$target" >"$work/log" 2>&1); then
    echo "ok   $(basename "$nb") ($(($(date +%s) - start)) s)"
  else
    echo "FAIL $(basename "$nb")"
    cat "$work/log"
    status=1
  fi
done
exit $status
