#!/usr/bin/env bash
# Throughput and latency of /collections/facilities/items?limit=100 with wrk on loopback.
# usage: bench/http/run.sh [BINARY] [MANIFEST]
#   BINARY   default: build/lifecircle
#   MANIFEST default: gis-data/shanghai/manifest.json when it exists; otherwise a synthetic
#            dataset of 5,000 facilities generated into a temporary directory (so limit=100
#            really returns 100 features).
# Environment: DURATION (10s), CONNECTIONS (50), WRK_THREADS (2), SERVER_THREADS (2),
#              ACCESS_LOG (1: per-request log to a file as in production; 0: --quiet).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/build/lifecircle}
manifest=${2:-}
work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" || true
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z $manifest ]]; then
  if [[ -f $root/gis-data/shanghai/manifest.json ]]; then
    manifest=$root/gis-data/shanghai/manifest.json
  else
    # Synthetic: the test fixture's two districts and 5,000 facilities inside them.
    cp "$root/tests/data/server/districts.geojson" "$work/"
    /usr/bin/python3 - "$work" <<'PY'
import json, random, sys
random.seed(7)
w = sys.argv[1]
kinds = [("eldercare", "comprehensive_center"), ("eldercare", "day_care"), ("meal", "canteen"),
         ("meal", "meal_point"), ("columbarium", "public_columbarium")]
feats = []
for k in range(5000):
    lon, lat = random.uniform(121.401, 121.599), random.uniform(31.201, 31.299)
    fam, typ = kinds[k % 5]
    feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
                  "properties": {"id": "S%05d" % k, "name": "合成设施%d" % k, "family": fam, "type": typ,
                                 "status": "open", "floor_area_m2": 100 + k % 900, "beds": 20,
                                 "address": "合成路%d号" % k, "source": "synthetic benchmark data"}})
json.dump({"type": "FeatureCollection", "features": feats}, open(w + "/facilities.geojson", "w"), ensure_ascii=False)
json.dump({"name": "bench", "title": "HTTP benchmark (synthetic)", "extent": [121.3, 31.1, 121.7, 31.4],
           "layers": {"districts": {"source": "districts.geojson", "crs": "EPSG:4326"},
                      "facilities": {"source": "facilities.geojson", "crs": "EPSG:4326"}}},
          open(w + "/manifest.json", "w"))
PY
    manifest=$work/manifest.json
  fi
fi

log_flag=()
[[ ${ACCESS_LOG:-1} == 0 ]] && log_flag=(--quiet)
# shellcheck source=../lib/serve.sh
. "$root/bench/lib/serve.sh"
serve_in_background "$bin" "$manifest" "$work" "$work/access.log" \
  --threads "${SERVER_THREADS:-2}" "${log_flag[@]}"

target="$url/collections/facilities/items?limit=100"
echo "data: $manifest"
echo "response: $(curl -s "$target" | wc -c) bytes, numberReturned $(curl -s "$target" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["numberReturned"])')"
echo "+ wrk -t${WRK_THREADS:-2} -c${CONNECTIONS:-50} -d${DURATION:-10s} --latency -H 'Connection: keep-alive' '$target'"
wrk -t"${WRK_THREADS:-2}" -c"${CONNECTIONS:-50}" -d"${DURATION:-10s}" --latency \
  -H 'Connection: keep-alive' "$target"
echo "access log lines: $(wc -l <"$work/access.log")"
