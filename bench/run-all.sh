#!/usr/bin/env bash
# Every benchmark in one go, one after another on the same machine, so the ratios against the
# peers (PostGIS, geopandas, pgRouting, CBC, wrk against our own server) are taken under the
# same conditions. Writes the combined log to bench/out/run-all-<date>.log.
# Usage: bench/run-all.sh   (installs the bench packages, builds build-bench with benchmarks)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh all
build=$root/build-bench
scripts/build.sh "$build" -DLIFECIRCLE_BUILD_BENCH=ON -DLIFECIRCLE_BUILD_TESTS=OFF
mkdir -p bench/out
log=bench/out/run-all-$(date -u +%Y%m%dT%H%M%SZ).log
{
  echo "# lifecircle benchmarks $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "## coverage: shipped data, then synthetic 100k"
  bench/coverage/run.sh "$build" gis-data/shanghai/manifest.json
  bench/coverage/run.sh "$build"
  echo "## siting solver"
  "$build/bench/siting/siting_bench"
  echo "## siting on the shipped data"
  bench/planning/siting_shipped.sh "$build/lifecircle" 5
  echo "## walking network (1M-node grid; pgRouting on smaller grids)"
  bench/network/run.sh "$build" 1000 5000
  bench/network/run.sh "$build" 500 1250
  echo "## HTTP throughput"
  bench/http/run.sh "$build/lifecircle" gis-data/shanghai/manifest.json
} 2>&1 | tee "$log"
echo "log: $log"
