#!/usr/bin/env bash
# The long fuzzing run: builds the libFuzzer targets (clang, ASan+UBSan, build-fuzz/) and runs
# each one after another on one core for RUNS executions (default 10 million), starting from
# its committed corpus. Usage: bench/fuzz/run.sh [RUNS] [TARGET...]
# Logs, the grown corpora and any crash go to bench/out/fuzz-<date>/; the last lines print
# executions, exec/s, coverage (edges) and features per target. A crash stops that target
# with libFuzzer's exit status and the run goes on to the next one; the script then exits 1.
# FUZZ_MAX_SECONDS=N also stops each target after N seconds (the figures then say how far it got).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10000000}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_request fuzz_planning_json fuzz_manifest fuzz_loader)

scripts/build-fuzz.sh build-fuzz

out=bench/out/fuzz-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out/bin"
# Copies, so a rebuild of build-fuzz/ during the run does not change what runs.
for t in "${targets[@]}"; do cp "build-fuzz/fuzz/$t" "$out/bin/"; done
export ASAN_OPTIONS=detect_leaks=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for t in "${targets[@]}"; do
  mkdir -p "$out/corpus-$t"
  dict=()
  [ -f "fuzz/dict/$t.dict" ] && dict=(-dict="fuzz/dict/$t.dict")
  echo "== $t: $runs executions ($(date -u +%H:%M:%S))"
  rc=0
  "$out/bin/$t" -runs="$runs" ${FUZZ_MAX_SECONDS:+-max_total_time=$FUZZ_MAX_SECONDS} -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/$t-" "${dict[@]}" "$out/corpus-$t" "fuzz/corpus/$t" \
    >"$out/$t.log" 2>&1 || rc=$?
  [ $rc -eq 0 ] || status=1
  echo "$t exit $rc" >>"$out/summary.txt"
done

# One line per target from libFuzzer's final statistics (greps that find nothing print "?").
for t in "${targets[@]}"; do
  log="$out/$t.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  secs=$({ grep -o 'Done [0-9]* runs in [0-9]* second' "$log" || true; } | awk '{print $5}')
  cov=$({ grep -o 'cov: [0-9]* ft: [0-9]*' "$log" || true; } | tail -1)
  crashes=$(find "$out" -maxdepth 1 \( -name "$t-crash-*" -o -name "$t-leak-*" \
    -o -name "$t-timeout-*" -o -name "$t-oom-*" \) | wc -l)
  echo "$t: ${execs:-?} executions in ${secs:-?} s, ${rate:-?} exec/s, ${cov:-?}," \
    "crash inputs ${crashes}" | tee -a "$out/summary.txt"
done
echo "logs in $out"
exit $status
