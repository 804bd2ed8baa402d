#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the whole test suite: installs what is missing,
# builds (Release), runs every test with ctest, then rebuilds the tests with AddressSanitizer and
# UndefinedBehaviorSanitizer and runs them again, then gives each libFuzzer target a short run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
jobs=$(nproc 2>/dev/null || echo 2)

echo "== Release build and tests"
scripts/build.sh build -DLIFECIRCLE_BUILD_TESTS=ON
(cd build && ctest --output-on-failure -j"$jobs" --timeout 600)

echo "== Sanitizer build (ASan + UBSan) and tests"
# -O1 with line tables is what ASan recommends, and it compiles far faster than -O2 -g.
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1" \
  -DLIFECIRCLE_SANITIZE=ON -DLIFECIRCLE_BUILD_TESTS=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The browser, notebook and PostgreSQL cross-check tests exercise other programs, not our memory
# safety; the Release pass above runs them.
(cd build-asan && ctest --output-on-failure -j"$jobs" --timeout 900 -LE no_sanitizer \
  -E "PostgisCrossCheck|PgRouting")

echo "== Fuzz targets (clang libFuzzer, ASan + UBSan), a short run each"
# Each target replays its committed corpus (seeds and every crash found so far), then mutates
# it for 15 s; any crash fails. bench/fuzz/run.sh is the long run.
scripts/build-fuzz.sh build-fuzz
(cd build-fuzz && ctest --output-on-failure -j"$jobs" -L fuzz)
