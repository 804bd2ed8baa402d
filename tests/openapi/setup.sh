#!/usr/bin/env bash
# Installs the OpenAPI validators (@redocly/cli, @seriousme/openapi-schema-validator) from the
# npm registry into tests/openapi/node_modules, exactly as package-lock.json pins them.
# Idempotent: does nothing when node_modules was installed from the current lock file.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
stamp="$here/node_modules/.lifecircle-lock.sha256"
if ! command -v npm >/dev/null; then
  # Debian's nodejs comes without npm.
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm
fi
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "openapi setup: node_modules matches package-lock.json"
  exit 0
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" >"$stamp"
echo "openapi setup: installed $(cd "$here" && node -p "require('@redocly/cli/package.json').version") (redocly)"
