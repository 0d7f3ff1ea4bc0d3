#!/usr/bin/env bash
# Executes every notebook in this folder headless and writes its figures to
# notebooks/figures/*.png. Fails if any cell fails.
#
#   notebooks/run_all.sh              # executed copies go to a temporary folder
#   notebooks/run_all.sh --in-place   # store the outputs in the notebooks themselves
#
# Environment: DETSIM (the binary; default build/release/detsim),
# DETSIM_REPS (replications, default 20), DETSIM_SMALL=1 (few sweep points).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
in_place=0
if [ "${1:-}" = "--in-place" ]; then in_place=1; fi

if [ -x /usr/bin/jupyter-nbconvert ]; then
  nbconvert=(/usr/bin/jupyter-nbconvert)
else
  nbconvert=(/usr/bin/python3 -m nbconvert)
fi
export MPLBACKEND=Agg PYTHONDONTWRITEBYTECODE=1
export DETSIM="${DETSIM:-$here/../build/release/detsim}"
export DETSIM_REPS="${DETSIM_REPS:-20}"
export DETSIM_SMALL="${DETSIM_SMALL:-0}"
if [ ! -x "$DETSIM" ]; then
  echo "run_all.sh: no detsim binary at $DETSIM (cmake --preset release && cmake --build --preset release --target detsim)" >&2
  exit 1
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
mkdir -p "$here/figures"
echo "detsim: $DETSIM  replications: $DETSIM_REPS  small sweeps: $DETSIM_SMALL"
for nb in "$here"/*.ipynb; do
  name="$(basename "$nb")"
  start=$(date +%s)
  if [ "$in_place" = 1 ]; then
    "${nbconvert[@]}" --to notebook --execute --inplace --ExecutePreprocessor.timeout=600 \
      --ExecutePreprocessor.kernel_name=python3 "$nb" 2>"$out/$name.log" || { cat "$out/$name.log" >&2; exit 1; }
  else
    "${nbconvert[@]}" --to notebook --execute --output-dir "$out" --ExecutePreprocessor.timeout=600 \
      --ExecutePreprocessor.kernel_name=python3 "$nb" 2>"$out/$name.log" || { cat "$out/$name.log" >&2; exit 1; }
  fi
  echo "ok  $name  ($(( $(date +%s) - start ))s)"
done
echo "figures: $here/figures"
