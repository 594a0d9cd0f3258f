#!/usr/bin/env bash
# Installs every Debian package Kiln needs to build, test, benchmark and demo.
# Idempotent: when everything is present it only runs dpkg-query and exits.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang libclang-rt-14-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # core, CLI and ingest
  libcli11-dev libsimdjson-dev libyaml-cpp-dev
  # parquet: metadata and codecs
  libthrift-dev thrift-compiler libboost-dev libsnappy-dev libzstd-dev liblz4-dev libbrotli-dev zlib1g-dev
  # distributed runs (prep, training) over OpenMPI
  libopenmpi-dev openmpi-bin
  # data connector: HTTP datasets
  libcurl4-openssl-dev
  # model advisor: GP linear algebra and the experiment store
  libeigen3-dev libsqlite3-dev
  # training: libtorch takes BLAS from the system alternative, and the
  # reference libblas3 is ~13x slower than OpenBLAS
  libtorch-dev libopenblas0-openmp
  # build cache shared by build trees (used when present)
  ccache
  # interop checks run DuckDB and Polars from npm (pinned in tools/interop)
  nodejs
)

missing=()
# Debian's npm conflicts with the nodejs builds that already bundle npm.
command -v npm >/dev/null 2>&1 || packages+=(npm)

for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  sudo=sudo
else
  sudo=
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
