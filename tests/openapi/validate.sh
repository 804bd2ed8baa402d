#!/usr/bin/env bash
# api/openapi.yaml under two independent OpenAPI 3.0 validators: Redocly's linter (its
# recommended rules, warnings count as failures) and @seriousme/openapi-schema-validator (the
# official OpenAPI 3.0 JSON Schema). Installed by setup.sh (the openapi_setup fixture).
# usage: validate.sh [DOCUMENT]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
doc=${1:-$here/../../api/openapi.yaml}
bin=$here/node_modules/.bin
[[ -x $bin/redocly && -x $bin/validate-api ]] || { echo "FAIL: run $here/setup.sh first"; exit 1; }

status=0
# Redocly's exit status counts only errors; its summary line names warnings too.
lint=$(cd "$here" && NO_COLOR=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  "$bin/redocly" lint --config redocly.yaml --format stylish "$doc" 2>&1) || status=1
echo "$lint" | grep -v '[║╔╚]'
if grep -qiE '[0-9]+ (warning|error)' <<<"$lint"; then status=1; fi
grep -q 'Your API description is valid' <<<"$lint" || status=1

result=$("$bin/validate-api" "$doc" 2>&1) || status=1
echo "$result"
grep -q '"valid": true' <<<"$result" || status=1

(( status == 0 )) && echo PASS || echo "FAIL: $doc is not a valid OpenAPI 3.0 document"
exit $status
