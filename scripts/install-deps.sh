#!/usr/bin/env bash
# Installs the Debian packages lifecircle needs, skipping what is already there.
# Usage: scripts/install-deps.sh [build|test|bench|all]   (default: build)
set -euo pipefail

group=${1:-build}

build_pkgs=(build-essential cmake pkg-config git
  libgdal-dev gdal-bin libgeos-dev libproj-dev proj-data
  libboost-dev libpistache-dev nlohmann-json3-dev)
test_pkgs=(libgtest-dev libgmock-dev curl
  postgresql-15-postgis-3 postgresql-15 sqlite3)
bench_pkgs=(libbenchmark-dev wrk hyperfine python3-geopandas)

case "$group" in
  build) want=("${build_pkgs[@]}") ;;
  test) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  bench) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  all) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|bench|all]" >&2; exit 2 ;;
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
