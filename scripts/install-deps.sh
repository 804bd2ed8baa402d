#!/usr/bin/env bash
# Installs the Debian packages lifecircle needs, skipping what is already there.
# Usage: scripts/install-deps.sh [build|test|bench|web|notebooks|data|all]   (default: build)
set -euo pipefail

group=${1:-build}

build_pkgs=(build-essential cmake pkg-config git
  libgdal-dev gdal-bin libgeos-dev libproj-dev proj-data
  libboost-dev libpistache-dev nlohmann-json3-dev libyaml-dev
  coinor-libcbc-dev
  libosmium2-dev libprotozero-dev)
# QGIS (python3-qgis, run headless) and OWSLib are client tests of the OGC API;
# python3-jsonschema and python3-yaml check live answers against api/openapi.yaml; wrk drives
# the short load test (bench/load/run.sh).
test_pkgs=(libgtest-dev libgmock-dev curl wrk
  postgresql-15-postgis-3 postgresql-15 sqlite3
  postgresql-15-pgrouting python3-qgis python3-owslib python3-jsonschema python3-yaml
  clang-14 libclang-rt-14-dev)  # libFuzzer targets (fuzz/), built by scripts/build-fuzz.sh
bench_pkgs=(libbenchmark-dev hyperfine python3-geopandas python3-rtree)
# The map page (npm for its libraries: scripts/setup-web.sh) and its browser test; CJK fonts so
# Chinese labels render in screenshots and notebook figures.
web_pkgs=(nodejs chromium fonts-noto-cjk)
# Jupyter notebooks, run headless with /usr/bin/python3 by the test suite.
notebooks_pkgs=(python3-geopandas python3-matplotlib jupyter-nbconvert python3-nbformat
  python3-ipykernel fonts-noto-cjk)
# Re-deriving the sea mask of the shipped data from GSHHG shorelines (scripts/derive-sea-mask.sh).
data_pkgs=(gmt gmt-gshhg-full gdal-bin python3-gdal)

case "$group" in
  build) want=("${build_pkgs[@]}") ;;
  test) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${web_pkgs[@]}" "${notebooks_pkgs[@]}") ;;
  web) want=("${build_pkgs[@]}" "${web_pkgs[@]}") ;;
  notebooks) want=("${build_pkgs[@]}" "${notebooks_pkgs[@]}") ;;
  bench) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  data) want=("${build_pkgs[@]}" "${data_pkgs[@]}") ;;
  all) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}" "${web_pkgs[@]}"
    "${notebooks_pkgs[@]}" "${data_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|bench|web|notebooks|data|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# apt lists may be absent on a fresh image; refresh once, then install.
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
