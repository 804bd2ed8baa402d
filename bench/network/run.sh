#!/usr/bin/env bash
# Walking-network benchmark: our multi-source search against pgRouting's pgr_drivingDistance on
# the same perturbed street grid, same sources, same cutoff, in one run.
# Usage: bench/network/run.sh [BUILD_DIR] [SIDE] [FACILITIES]   (defaults: build-bench 1000 5000)
# Needs: cmake -DLIFECIRCLE_BUILD_BENCH=ON, target network_bench; scripts/install-deps.sh test
# (PostgreSQL 15 + pgRouting). Prints medians; writes nothing outside a temp dir.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-bench}
side=${2:-1000}
facilities=${3:-5000}
cutoff=${CUTOFF:-1000}
pg_repeats=${PG_REPEATS:-3}
bench=$build/bench/network/network_bench
bin=/usr/lib/postgresql/15/bin
[[ -x $bench ]] || { echo "build $bench first (cmake -DLIFECIRCLE_BUILD_BENCH=ON)" >&2; exit 2; }

work=$(mktemp -d /tmp/lifecircle-netbench-XXXXXX)
chmod 0777 "$work"
as=""
[[ $(id -u) -eq 0 ]] && as="runuser -u postgres --"
cleanup() {
  [[ -f $work/data/postmaster.pid ]] && $as "$bin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== grid ${side}x${side}, $facilities facilities, cutoff $cutoff m (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
"$bench" generate --out "$work/grid.osm.pbf" --side "$side"
"$bench" run --network "$work/grid.osm.pbf" --facilities "$facilities" --cutoff "$cutoff" \
  --repeats 9 --demand 100000 --export "$work" | tee "$work/ours.txt"
chmod a+r "$work"/*.csv "$work"/*.txt

# pgr_drivingDistance keeps a distance array per start: starts x nodes x ~8 bytes. On the 1M-node
# grid with 5000 starts it grew to 21 GB and was killed by the OOM killer (24 GB box), so above
# 1e9 start-nodes (~4 GB at the 4.3 bytes per start-node measured there) pgRouting is skipped
# unless FORCE_PG=1; run a smaller SIDE for the ratio.
nodes=$(sed -n 's/^graph .*: \([0-9]*\) nodes.*/\1/p' "$work/ours.txt")
nstarts=$(tr ',' '\n' < "$work/starts.txt" | wc -l)
if (( nstarts * nodes > 1000000000 )) && [[ ${FORCE_PG:-0} != 1 ]]; then
  echo "pgRouting skipped: $nstarts starts x $nodes nodes would need ~$(( nstarts * nodes * 43 / 10000000000 )) GB (FORCE_PG=1 to try)"
  exit 0
fi

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$as "$bin/initdb" -D "$work/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
$as "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=256MB -c work_mem=256MB" \
  start >/dev/null
psql=("$bin/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres)

"${psql[@]}" <<SQL
SET client_min_messages = warning;
CREATE EXTENSION pgrouting CASCADE;
CREATE TABLE edges (id bigint, source bigint, target bigint, cost float8, reverse_cost float8);
\copy edges FROM '$work/edges.csv' WITH (FORMAT csv)
SQL
starts=$(cat "$work/starts.txt")
"${psql[@]}" -c "CREATE TABLE ours (node bigint, d float8)" -c "\copy ours FROM '$work/reached_nodes.csv' WITH (FORMAT csv)"

# Two ways to ask pgRouting: its multi-start answer (equicost => true), and per-start areas
# reduced to the minimum per node (exact, but returns every start's area).
declare -A query=(
  [equicost]="CREATE TABLE pgr_equicost AS SELECT node, agg_cost FROM pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM edges', ARRAY[$starts]::bigint[], $cutoff, directed => false, equicost => true)"
  [per_start_min]="CREATE TABLE pgr_per_start_min AS SELECT node, min(agg_cost) AS agg_cost FROM pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM edges', ARRAY[$starts]::bigint[], $cutoff, directed => false, equicost => false) GROUP BY node"
)
ours=$(sed -n 's/.*multi-source search.*median \([0-9.]*\) s over.*/\1/p' "$work/ours.txt")
ours_cpu=$(sed -n 's/.*CPU median \([0-9.]*\) s).*/\1/p' "$work/ours.txt")
echo "ours: multi_source_search median $ours s (CPU $ours_cpu s), $(cat "$work/reached.txt") nodes reached"
for mode in equicost per_start_min; do
  times=()
  for i in $(seq "$pg_repeats"); do
    out=$("${psql[@]}" -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS pgr_$mode" -c '\timing on' -c "${query[$mode]}")
    times+=("$(echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)")
  done
  med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
  cmp=$("${psql[@]}" -F' ' -c "SELECT (SELECT count(*) FROM pgr_$mode),
      (SELECT count(*) FROM ours o LEFT JOIN pgr_$mode p USING (node) WHERE p.node IS NULL),
      (SELECT count(*) FROM pgr_$mode p LEFT JOIN ours o USING (node) WHERE o.node IS NULL),
      (SELECT count(*) FROM ours o JOIN pgr_$mode p USING (node) WHERE abs(o.d - p.agg_cost) > 0.01)")
  read -r rows only_ours only_pgr differ <<<"$cmp"
  awk -v m="$mode" -v pg="$med" -v o="$ours" -v c="$ours_cpu" -v r="$rows" -v a="$only_ours" -v b="$only_pgr" -v d="$differ" -v n="$pg_repeats" 'BEGIN {
    printf "pgRouting %s: median %.3f s over %d runs, %d nodes (%d only in ours, %d only in pgRouting, %d differ > 1 cm); ratio %.0fx wall, %.0fx vs our CPU\n",
      m, pg / 1000, n, r, a, b, d, pg / 1000 / o, pg / 1000 / c }'
done
