#!/usr/bin/env bash
# GDAL's OGC API - Features client against the real server: ogrinfo lists the collections, and
# ogr2ogr copies every facility while following `next` links (PAGE_SIZE forces several pages).
# usage: gdal_client_test.sh LIFECIRCLE_BINARY MANIFEST EXPECTED_FACILITIES
set -euo pipefail
bin=$1 manifest=$2 expected=$3
work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"; wait "$server_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" serve --data "$manifest" --port 0 >"$work/stdout" 2>"$work/stderr" &
server_pid=$!
url=
for _ in $(seq 1 300); do  # up to 30 s for the data to load
  url=$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$work/stdout")
  [[ -n $url ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/stderr"; echo "FAIL: server exited"; exit 1; }
  sleep 0.1
done
[[ -n $url ]] || { echo "FAIL: no 'listening on' line"; exit 1; }
echo "server at $url"

# GDAL's HTTP client must not go through a proxy for loopback.
export no_proxy='*' NO_PROXY='*'

info=$(ogrinfo -ro -so "OAPIF:$url/")
echo "$info"
for c in districts streets_towns committees facilities population plan_indicators; do
  grep -q ": $c\b" <<<"$info" || { echo "FAIL: ogrinfo does not list collection $c"; exit 1; }
done

ogr2ogr -f GeoJSON "$work/out.geojson" "OAPIF:$url/" facilities -oo PAGE_SIZE=5
count=$(ogrinfo -ro -so "$work/out.geojson" facilities | sed -n 's/^Feature Count: //p')
pages=$(grep -c 'GET /collections/facilities/items' "$work/stderr" || true)
echo "ogr2ogr copied $count facilities in $pages item requests (expected $expected)"
[[ $count == "$expected" ]] || { echo "FAIL: copied $count features, expected $expected"; exit 1; }
(( pages >= expected / 5 )) || { echo "FAIL: expected paging through next links"; exit 1; }
# Every id once.
ids=$(/usr/bin/python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["features"]; ids=[x["properties"]["id"] for x in f]; print(len(set(ids)))' "$work/out.geojson")
[[ $ids == "$expected" ]] || { echo "FAIL: $ids distinct ids"; exit 1; }

kill -TERM "$server_pid"
rc=0; wait "$server_pid" || rc=$?
server_pid=
[[ $rc == 0 ]] || { echo "FAIL: server exit status $rc after SIGTERM"; exit 1; }
echo PASS
