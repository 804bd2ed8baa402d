#!/usr/bin/env bash
# Configures and builds lifecircle. Usage: scripts/build.sh [BUILD_DIR] [extra cmake args...]
# LIFECIRCLE_BUILD_TARGET=name builds only that target (e.g. fuzz_targets).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
jobs=$(nproc 2>/dev/null || echo 2)
launcher=()
# ccache, when the machine has it, makes rebuilds of several checkouts (worktrees, CI clones)
# share objects: paths are rewritten relative to the checkout's parent so they hash alike.
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(cd .. && pwd)}
  export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
fi
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@" >/dev/null
cmake --build "$dir" -j"$jobs" ${LIFECIRCLE_BUILD_TARGET:+--target "$LIFECIRCLE_BUILD_TARGET"}
