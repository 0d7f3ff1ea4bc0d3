#!/usr/bin/env bash
# Executes every notebook in this folder headless and writes its figures to
# notebooks/figures/*.png. Fails if any cell fails.
#
#   notebooks/run_all.sh              # executed copies go to a temporary folder
#   notebooks/run_all.sh --in-place   # store the outputs in the notebooks themselves
#
# The notebooks use the Python module `detsim`. Environment: DETSIM_PYTHON
# (the folder holding the package; default build/release/python, this
# checkout's release build), DETSIM_REPS (replications, default 20),
# DETSIM_SMALL=1 (few sweep points).
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
DETSIM_PYTHON="${DETSIM_PYTHON:-$here/../build/release/python}"
export PYTHONPATH="$DETSIM_PYTHON${PYTHONPATH:+:$PYTHONPATH}"
export DETSIM_REPS="${DETSIM_REPS:-20}"
export DETSIM_SMALL="${DETSIM_SMALL:-0}"
if ! /usr/bin/python3 -c "import detsim" 2>/dev/null; then
  echo "run_all.sh: cannot import detsim from $DETSIM_PYTHON (cmake --preset release && cmake --build --preset release --target detsim_python)" >&2
  exit 1
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
mkdir -p "$here/figures"
echo "detsim: $(/usr/bin/python3 -c "import detsim; print(detsim.__file__)")  replications: $DETSIM_REPS  small sweeps: $DETSIM_SMALL"
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
