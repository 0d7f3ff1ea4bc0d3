#!/usr/bin/env bash
# The whole test suite: installs missing packages, builds the release preset
# and runs every test with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --deps
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release
