#!/usr/bin/env bash
# Installs the map page's front-end libraries from the npm registry (web/package-lock.json) and
# vendors them into web/vendor/, which `lifecircle serve` serves under /map/vendor/. The page
# then needs nothing from outside the machine. Idempotent: does nothing when node_modules was
# installed from the current lock file and the vendored copy is in place.
# Usage: scripts/setup-web.sh [--force]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
web="$root/web"
stamp="$web/node_modules/.lifecircle-lock.sha256"
vendor="$web/vendor/leaflet"

if ! command -v npm >/dev/null; then
  # Debian's nodejs comes without npm (NodeSource's includes it).
  echo "setup-web: installing npm"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm
fi

want=$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)
if [[ "${1:-}" != "--force" && -f "$stamp" && "$(cat "$stamp")" == "$want" &&
      -f "$vendor/leaflet.js" && -f "$vendor/leaflet.css" ]]; then
  echo "setup-web: node_modules matches package-lock.json, vendor/ in place"
  exit 0
fi

echo "setup-web: npm ci in $web"
# ci installs exactly the lock file; the registry is reached only here, never at run time.
(cd "$web" && npm ci --no-audit --no-fund --loglevel=error)

rm -rf "$web/vendor"
mkdir -p "$vendor/images"
cp "$web/node_modules/leaflet/dist/leaflet.js" "$web/node_modules/leaflet/dist/leaflet.css" \
  "$vendor/"
cp "$web/node_modules/leaflet/dist/images/"*.png "$vendor/images/"
cp "$web/node_modules/leaflet/LICENSE" "$vendor/LICENSE" 2>/dev/null || true
echo "$want" >"$stamp"
echo "setup-web: vendored leaflet $(node -p "require('$web/node_modules/leaflet/package.json').version") into web/vendor/"
