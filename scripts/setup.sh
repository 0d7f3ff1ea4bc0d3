#!/usr/bin/env bash
# Installs what detsim needs on Debian 12 (idempotent: installs only what is
# missing), then configures and builds the release preset.
#   scripts/setup.sh            packages + build
#   scripts/setup.sh --deps     packages only
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config
  libboost-program-options-dev libboost-math-dev libyaml-cpp-dev libeigen3-dev
  catch2 librandom123-dev libfmt-dev nlohmann-json3-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin
  clang libclang-rt-14-dev
  python3-matplotlib python3-pandas python3-yaml jupyter-nbconvert python3-ipykernel
  libcpp-httplib-dev libjs-chart.js chromium chromium-driver python3-selenium python3-pytest
  python3-dev pybind11-dev python3-pybind11 python3-tqdm
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
[ "${1:-}" = "--deps" ] && exit 0

cmake --preset release >/dev/null
cmake --build --preset release

# `import detsim` for /usr/bin/python3 from any folder: a .pth file in
# Debian's site folder names this build's package folder (build/release/python).
site=/usr/lib/python3/dist-packages
pth="$site/detsim-build.pth"
if [ -f build/release/python/detsim/__init__.py ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "$PWD/build/release/python" | $SUDO tee "$pth.tmp" >/dev/null && $SUDO mv "$pth.tmp" "$pth"
  echo "setup: /usr/bin/python3 imports detsim from $PWD/build/release/python ($pth)"
fi
