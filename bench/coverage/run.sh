#!/bin/sh
# Builds coverage_bench, runs it (shipped dataset when given, else the synthetic city), then the
# PostGIS and geopandas comparison. Usage: bench/coverage/run.sh [BUILD_DIR] [MANIFEST]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
manifest=${2:-}
out=$(mktemp -d /tmp/lifecircle-coverage-bench-XXXXXX)
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLIFECIRCLE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j2 --target coverage_bench >/dev/null
if [ -n "$manifest" ]; then
  "$build/bench/coverage/coverage_bench" --data "$manifest" --out "$out" >/dev/null
else
  "$build/bench/coverage/coverage_bench" --out "$out" >/dev/null
fi
/usr/bin/python3 "$root/bench/coverage/compare.py" "$out"
echo "(inputs and results in $out)"
