#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ into build-fuzz/ (or BUILD_DIR): clang, the libraries
# with ASan+UBSan and coverage instrumentation, only the modules the targets link (no CLI, no
# tests). Usage: scripts/build-fuzz.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-fuzz}
shift || true
# -O1 with line tables, as for the sanitizer build: faster to compile, still fast to run.
LIFECIRCLE_BUILD_TARGET=fuzz_targets scripts/build.sh "$dir" -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1" -DLIFECIRCLE_FUZZ=ON \
  -DLIFECIRCLE_BUILD_TESTS=OFF "$@"
