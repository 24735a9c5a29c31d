#!/usr/bin/env bash
# Installs the Debian 12 packages strider needs to build, test and benchmark.
# Idempotent: when everything is present it only checks (well under a second)
# and never calls apt-get. Runs apt-get as root, or through sudo otherwise.
# Usage: scripts/install_deps.sh [--check]   (--check: list what is missing, exit 1 if any)
set -euo pipefail

packages=(
  g++ cmake ninja-build git                  # toolchain
  libeigen3-dev                              # linear algebra (ridge, scaler)
  libxtensor-dev xtl-dev                     # the Panel's N x C x T buffer
  libcereal-dev rapidjson-dev                # model files (binary and JSON)
  libgtest-dev libgmock-dev                  # tests
  libbenchmark-dev                           # bench/
  clang-format                               # the CI format check
  clang libclang-rt-14-dev                   # the libFuzzer targets (tests/fuzz)
  python3 python3-numpy python3-sklearn      # independent reference tests
  python3-matplotlib                         # the benchmark report's picture
  python3-dev pybind11-dev python3-pybind11  # the Python package's extension module
  python3-pytest python3-pandas              # its tests (pandas: scikit-learn's DataFrame checks)
  python3-venv python3-pip python3-setuptools python3-wheel  # `pip install .`, offline
  libopenmpi-dev openmpi-bin                 # the fit over several processes (mpirun)
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install_deps: all ${#packages[@]} packages present"
  exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
  echo "install_deps: missing: ${missing[*]}"
  exit 1
fi

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo env DEBIAN_FRONTEND=noninteractive)
else
  echo "install_deps: error: not root and sudo is not available; install as root: ${missing[*]}" >&2
  exit 1
fi

echo "install_deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install_deps: done"
