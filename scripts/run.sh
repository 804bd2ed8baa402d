#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running service on the shipped Shanghai data:
# installs what is missing, builds, and serves http://127.0.0.1:8080 (extra args go to `serve`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
# The map page's Leaflet comes from the npm registry at set-up, never from a CDN at run time.
scripts/setup-web.sh
scripts/build.sh build -DLIFECIRCLE_BUILD_TESTS=OFF
exec build/lifecircle serve "$@"
