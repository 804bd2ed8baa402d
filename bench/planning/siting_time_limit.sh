#!/bin/sh
# Are time limits honoured? Pudong (310115), k = 30 new comprehensive centers, capacitated
# (CAPACITY aged 60+ per site, default 3000), exact CBC and the heuristic, each under several `--time-limit`s:
# prints the request's time (preparation + solve, what POST /siting spends) and the whole
# command's wall time (which adds loading the dataset) against the limit, and `stopped`.
# A limit is honoured when the request's time stays within 10% of it (it may finish sooner).
# usage: bench/planning/siting_time_limit.sh [path/to/lifecircle] [limits...]
set -eu
BIN=${1:-build/lifecircle}
shift || true
LIMITS=${*:-2 5 20}
CAPACITY=${CAPACITY:-3000}
Q="--family eldercare --type comprehensive_center --k 30 --district 310115 --weight 60plus --capacity $CAPACITY"
for method in exact heuristic; do
  for limit in $LIMITS; do
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$BIN" siting $Q --method $method --time-limit "$limit" --format json > /tmp/siting_time_limit.json
    end=$(date +%s.%N)
    /usr/bin/python3 - "$method" "$limit" "$start" "$end" <<'PY'
import json, sys
m, limit, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
j = json.load(open("/tmp/siting_time_limit.json"))
s = j["solver"]
wall = end - start
req = (s['time_ms'] + s['prepare_ms']) / 1000
print(f"| {m} | {limit:g} s | {req:.2f} s | {req / limit:.2f} | {wall:.2f} s | "
      f"{s['stopped'] or '-'} | {j['objective']:.0f} | {s['bound'] if s['bound'] is not None else '-'} |")
PY
  done
done
