#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the whole test suite: installs what is missing,
# builds (Release), runs every test with ctest, then rebuilds the tests with AddressSanitizer and
# UndefinedBehaviorSanitizer and runs them again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
jobs=$(nproc 2>/dev/null || echo 2)

echo "== Release build and tests"
scripts/build.sh build -DLIFECIRCLE_BUILD_TESTS=ON
(cd build && ctest --output-on-failure -j"$jobs" --timeout 600)

echo "== Sanitizer build (ASan + UBSan) and tests"
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIFECIRCLE_SANITIZE=ON -DLIFECIRCLE_BUILD_TESTS=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -j"$jobs" --timeout 900 -LE no_sanitizer)
