#!/bin/sh
# "Where do 10 new comprehensive centers in Pudong (310115) cover the most uncovered 60+
# residents?" on the shipped dataset, heuristic and exact CBC; medians of the solver's own
# time over RUNS runs (default 5), plus the sites and gains of one run of each.
# usage: bench/planning/siting_shipped.sh [path/to/lifecircle] [runs]
set -eu
BIN=${1:-build/lifecircle}
RUNS=${2:-5}
Q="--family eldercare --type comprehensive_center --k 10 --district 310115 --weight 60plus"
for method in heuristic exact; do
  i=0
  : > /tmp/siting_shipped_$method.txt
  while [ $i -lt "$RUNS" ]; do
    # shellcheck disable=SC2086
    "$BIN" siting $Q --method $method --time-limit 120 --format json > /tmp/siting_shipped_$method.json
    /usr/bin/python3 -c "
import json; j = json.load(open('/tmp/siting_shipped_$method.json')); s = j['solver']
print(s['time_ms'], s['prepare_ms'], j['objective'], s['gap'] if s['gap'] is not None else '-', s['optimal'])
" >> /tmp/siting_shipped_$method.txt
    i=$((i + 1))
  done
  /usr/bin/python3 - "$method" <<'PY'
import json, statistics, sys
m = sys.argv[1]
rows = [l.split() for l in open(f"/tmp/siting_shipped_{m}.txt")]
t = statistics.median(float(r[0]) for r in rows)
p = statistics.median(float(r[1]) for r in rows)
j = json.load(open(f"/tmp/siting_shipped_{m}.json"))
s, c = j["solver"], j["coverage"]["city"]
print(f"{m}: solver median {t:.1f} ms, prepare median {p:.1f} ms over {len(rows)} runs; "
      f"method {s['method']}, objective {j['objective']:.0f} aged 60+ newly covered, "
      f"bound {s['bound']}, gap {s['gap']}, optimal {s['optimal']}, "
      f"heuristic objective {s['heuristic_objective']}")
print(f"  60+ coverage {c['ratio_before_60plus']:.4f} -> {c['ratio_after_60plus']:.4f}; "
      f"residents {c['ratio_before']:.4f} -> {c['ratio_after']:.4f}; "
      f"{j['candidates']['used']} grid candidates, {j['existing_facilities']} existing centers")
for f in j["sites"]["features"]:
    q = f["properties"]
    lon, lat = f["geometry"]["coordinates"]
    print(f"  | {q['rank']} | {lon:.5f}, {lat:.5f} | {q['new_residents_60plus']:.0f} | "
          f"{q['new_residents']:.0f} | {q['street_code']} {q['street_name']} |")
PY
done
