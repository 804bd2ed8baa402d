#!/usr/bin/env bash
# GDAL's OGC API - Features client against the real server: ogrinfo lists the collections, and
# ogr2ogr copies every facility while following `next` links (PAGE_SIZE forces several pages).
# Then, on TYPED_MANIFEST (the shipped data, whose first features lack numbers), every field of
# every collection has the type api/openapi.yaml documents (GDAL reads the `describedBy` JSON
# Schema), and a GeoPackage export keeps the numbers.
# usage: gdal_client_test.sh LIFECIRCLE_BINARY MANIFEST EXPECTED_FACILITIES TYPED_MANIFEST
set -euo pipefail
bin=$1 manifest=$2 expected=$3 typed_manifest=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"; wait "$server_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Starts the server on $1; sets server_pid and url.
serve() {
  "$bin" serve --data "$1" --port 0 >"$work/stdout" 2>"$work/stderr" &
  server_pid=$!
  url=
  for _ in $(seq 1 1200); do  # up to 120 s for the data to load (sanitizer builds are slow)
    url=$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$work/stdout")
    [[ -n $url ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/stderr"; echo "FAIL: server exited"; exit 1; }
    sleep 0.1
  done
  [[ -n $url ]] || { echo "FAIL: no 'listening on' line"; exit 1; }
  echo "server at $url"
}

stop() {
  kill -TERM "$server_pid"
  local rc=0
  wait "$server_pid" || rc=$?
  server_pid=
  [[ $rc == 0 ]] || { echo "FAIL: server exit status $rc after SIGTERM"; exit 1; }
}

serve "$manifest"

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

stop

serve "$typed_manifest"
for c in districts streets_towns committees facilities population plan_indicators; do
  ogrinfo -ro -so "OAPIF:$url/" "$c" >"$work/$c.txt"
done
ogr2ogr -f GPKG "$work/facilities.gpkg" "OAPIF:$url/" facilities
curl -sf --noproxy '*' "$url/collections/facilities/items?limit=10000" >"$work/facilities.json"
# With the JSON API document GDAL sees `family` as a filter of the items and sends it to the
# server instead of filtering every feature itself.
meals=$(ogrinfo -ro -al -q -where "family='meal'" "OAPIF:$url/" facilities | grep -c '^OGRFeature')
want=$(/usr/bin/python3 -c 'import json,sys; print(sum(f["properties"]["family"] == "meal" for f in json.load(open(sys.argv[1]))["features"]))' "$work/facilities.json")
echo "ogrinfo -where family='meal': $meals facilities (the items hold $want)"
[[ $meals == "$want" ]] || { echo "FAIL: $meals meal facilities through GDAL, $want in the items"; exit 1; }
grep -q 'GET /collections/facilities/items?.*family=meal' "$work/stderr" ||
  { echo "FAIL: GDAL filtered on the client, not with family=meal"; exit 1; }
/usr/bin/python3 - "$here/../../api/openapi.yaml" "$work" <<'PY'
import json, re, sqlite3, sys, yaml
doc, work = yaml.safe_load(open(sys.argv[1])), sys.argv[2]
gdal_type = {"string": "String", "integer": "Integer", "number": "Real"}
failed = False
for name, schema in doc["components"]["schemas"].items():
    for c in schema.get("x-collections", []):
        fields = dict(re.findall(r"^(\w+): (\w+) \(", open(f"{work}/{c}.txt").read(), re.M))
        names = re.findall(r"^(\w+): \w+ \(", open(f"{work}/{c}.txt").read(), re.M)
        want = {p: gdal_type[s["type"]] for p, s in schema["properties"].items()}
        print(c, fields)
        for p, t in want.items():
            if fields.get(p) != t:
                print(f"FAIL: {c}.{p} is {fields.get(p)} in GDAL, documented {t}")
                failed = True
        if len(names) != len(set(names)):
            print(f"FAIL: {c} has repeated field names {names}")
            failed = True
# The export keeps the numbers: typed columns, and the same values as the JSON items.
items = {f["id"]: f["properties"] for f in json.load(open(f"{work}/facilities.json"))["features"]}
db = sqlite3.connect(f"{work}/facilities.gpkg")
rows = db.execute("select id, floor_area_m2, beds, meal_capacity_per_day, "
                  "typeof(floor_area_m2) from facilities").fetchall()
if len(rows) != len(items):
    print(f"FAIL: GeoPackage has {len(rows)} facilities, the API {len(items)}")
    failed = True
for fid, area, beds, meals, kind in rows:
    p = items[fid]
    if (area, beds, meals) != (p["floor_area_m2"], p["beds"], p["meal_capacity_per_day"]) or \
            kind not in ("real", "null"):
        print(f"FAIL: {fid}: GeoPackage {(area, beds, meals, kind)}, API "
              f"{(p['floor_area_m2'], p['beds'], p['meal_capacity_per_day'])}")
        failed = True
        break
print(f"GeoPackage export: {len(rows)} facilities, numbers kept")
sys.exit(1 if failed else 0)
PY
stop
echo PASS
