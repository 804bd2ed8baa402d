#!/usr/bin/env bash
# Load: wrk on three kinds of request at once against `lifecircle serve` -- feature items,
# /coverage (the analysis pool) and POST /siting (the planning pool) -- sampling the server's
# RSS every second. Prints requests/s, p50/p99 and RSS start/peak/end (start = after the
# warm-up requests); exits 1 on any socket error, timeout or non-2xx answer, or when RSS grew
# by more than RSS_GROWTH_PCT over a run of 30 s or more.
# usage: bench/load/run.sh [BINARY] [MANIFEST]
#   BINARY   default: build/lifecircle;  MANIFEST default: the shipped Shanghai data
# Environment: DURATION (60s), CONNECTIONS (100 in all), SITING_CONNECTIONS (4 of them, each a
#              planner posting one siting after another), WRK_THREADS (2), SERVER_THREADS (2),
#              RSS_GROWTH_PCT (20).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/build/lifecircle}
manifest=${2:-$root/gis-data/shanghai/manifest.json}
duration=${DURATION:-60s}
connections=${CONNECTIONS:-100}
siting_connections=${SITING_CONNECTIONS:-4}
wrk_threads=${WRK_THREADS:-2}
work=$(mktemp -d)
server_pid=
sampler_pid=
probe_pid=
cleanup() {
  [[ -n $sampler_pid ]] && kill "$sampler_pid" 2>/dev/null || true
  [[ -n $probe_pid ]] && kill "$probe_pid" 2>/dev/null || true
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" || true
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=../lib/serve.sh
. "$root/bench/lib/serve.sh"
serve_in_background "$bin" "$manifest" "$work" "$work/stderr" --threads "${SERVER_THREADS:-2}" --quiet

items='/collections/facilities/items?limit=100'
coverage='/coverage?family=eldercare&by=district'
siting='{"family":"eldercare","type":"comprehensive_center","k":10,"district":"310115","weight":"60plus"}'

# Warm-up: the first coverage computes and caches; every kind must answer 200 before the run.
for target in "$items" "$coverage"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url$target")
  [[ $code == 200 ]] || { echo "warm-up GET $target: $code"; exit 1; }
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "$siting" "$url/siting")
[[ $code == 200 ]] || { echo "warm-up POST /siting: $code"; exit 1; }

# wrk's summary as one line: requests, duration, errors and latency percentiles.
cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f " ..
    "max_ms=%.2f connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status))
end
LUA
{
  echo "local paths = {\"$items\", \"$coverage\"}"
  echo 'local n = 0'
  echo 'request = function() n = n + 1; return wrk.format("GET", paths[n % 2 + 1]) end'
  cat "$work/report.lua"
} >"$work/reads.lua"
{
  echo 'wrk.method = "POST"'
  echo 'wrk.headers["Content-Type"] = "application/json"'
  echo "wrk.body = '$siting'"
  cat "$work/report.lua"
} >"$work/siting.lua"

# /health probes through the run: each must answer 200 (their latency is reported).
probe() {
  while kill -0 "$server_pid" 2>/dev/null; do
    curl -s -o /dev/null -m 5 -w '%{http_code} %{time_total}\n' "$url/health" || echo "000 5"
    sleep 0.5
  done
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status"; }
(while kill -0 "$server_pid" 2>/dev/null; do rss_kb; sleep 1; done) >"$work/rss" &
sampler_pid=$!
sleep 1

reads=$((connections - siting_connections))
echo "data: $manifest"
echo "+ wrk -t$wrk_threads -c$reads -d$duration --timeout 10s (items?limit=100 and coverage, alternating)"
echo "+ wrk -t1 -c$siting_connections -d$duration --timeout 10s (POST /siting, k=10 in Pudong)"
probe >"$work/health" &
probe_pid=$!
wrk -t"$wrk_threads" -c"$reads" -d"$duration" --timeout 10s -s "$work/reads.lua" "$url" \
  >"$work/reads.out" 2>&1 &
reads_pid=$!
wrk -t1 -c"$siting_connections" -d"$duration" --timeout 10s -s "$work/siting.lua" "$url/siting" \
  >"$work/siting.out" 2>&1 || true
wait "$reads_pid" || true
kill "$probe_pid" 2>/dev/null || true
sleep 1
kill "$sampler_pid" 2>/dev/null || true
sampler_pid=

health_ms=$(curl -s -o /dev/null -w '%{time_total}' "$url/health" | awk '{printf "%.1f", $1 * 1000}')
fail=0
for kind in reads siting; do
  line=$(grep '^RESULT' "$work/$kind.out" || true)
  [[ -n $line ]] || { echo "$kind: no wrk summary"; cat "$work/$kind.out"; fail=1; continue; }
  echo "$kind: ${line#RESULT }"
  for key in connect read write timeout status; do
    v=$(sed -n "s/.* $key=\([0-9]*\).*/\1/p" <<<"$line")
    [[ $v == 0 ]] || { echo "FAIL: $kind had $v $key errors"; fail=1; }
  done
done
/usr/bin/python3 - "$work/rss" "$duration" "${RSS_GROWTH_PCT:-20}" <<'PY' || fail=1
import re, sys
rss = [int(l) for l in open(sys.argv[1]) if l.strip().isdigit()]
d = sys.argv[2]
seconds = float(re.sub(r"[a-z]", "", d)) * (60 if d.endswith("m") else 1)
start, peak, end = rss[0] / 1024, max(rss) / 1024, rss[-1] / 1024
growth = 100 * (end - start) / start
print(f"RSS start {start:.1f} MB, peak {peak:.1f} MB, end {end:.1f} MB ({growth:+.1f}%, {len(rss)} samples)")
if seconds >= 30 and growth > float(sys.argv[3]):
    print(f"FAIL: RSS grew {growth:.1f}% (limit {sys.argv[3]}%)")
    sys.exit(1)
PY
/usr/bin/python3 - "$work/health" <<'PY' || fail=1
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
ms = sorted(float(t) * 1000 for _, t in rows)
bad = sum(1 for c, _ in rows if c != "200")
print(f"/health during the run: {len(rows)} probes, {bad} failed, median {statistics.median(ms):.1f} ms, "
      f"max {ms[-1]:.1f} ms")
sys.exit(1 if bad or not rows else 0)
PY
echo "/health after the run: $health_ms ms"
kill -0 "$server_pid" || { echo "FAIL: the server died"; fail=1; }
exit $fail
