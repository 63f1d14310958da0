#!/usr/bin/env bash
# Run every test and print one closing line "N passed, N failed".
# Usage: tests/run-all.sh "HOST_TESTS" "QEMU_TESTS" ["SCRIPT_TESTS"]
# Host test binaries print "ok"/"not ok" lines, one per test case; a binary
# that crashes without reporting a failure counts as one failure. Each QEMU
# test is one case judged by its exit status (tests/qemu/run.sh).
# Set TESTS=substring to run only matching host binaries / QEMU tests.
set -u
BUILD=${BUILD:-build}
host_tests=$1 qemu_tests=$2 script_tests=${3:-}
passed=0 failed=0 skipped=0
failures=()
logdir=$BUILD/test-logs
export AERIE_DTB_DIR=${AERIE_DTB_DIR:-$BUILD/dtb}
mkdir -p "$logdir"

match() { [ -z "${TESTS:-}" ] || [[ "$1" == *"$TESTS"* ]]; }

for t in $host_tests; do
  match "$t" || continue
  bin=$BUILD/host/test_$t
  log=$logdir/host-$t.log
  if [ ! -x "$bin" ]; then
    echo "FAIL host/$t: $bin was not built"; failed=$((failed+1)); failures+=("host/$t"); continue
  fi
  ASAN_OPTIONS=detect_leaks=1 timeout 600 "$bin" >"$log" 2>&1
  rc=$?
  p=$(grep -c '^ok ' "$log") f=$(grep -c '^not ok ' "$log")
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed+p)); failed=$((failed+f))
  if [ "$f" -ne 0 ]; then
    failures+=("host/$t")
    echo "FAIL host/$t: $p passed, $f failed (exit $rc), log: $log"
    grep -E '^not ok |check failed|ERROR|runtime error' "$log" | head -n 20 | sed 's/^/    /'
  else
    echo "ok   host/$t: $p passed"
  fi
done

for t in $qemu_tests; do
  match "$t" || continue
  log=$logdir/qemu-$t.log
  BUILD=$BUILD tests/qemu/run.sh "$t" >"$log" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    passed=$((passed+1)); echo "ok   qemu/$t"
  elif [ $rc -eq 77 ]; then
    skipped=$((skipped+1)); echo "skip qemu/$t: $(tail -n1 "$log")"
  else
    failed=$((failed+1)); failures+=("qemu/$t")
    echo "FAIL qemu/$t (exit $rc), log: $log"; tail -n 15 "$log" | sed 's/^/    /'
  fi
done

for t in $script_tests; do
  match "$t" || continue
  log=$logdir/script-$(basename "$t" .sh).log
  BUILD=$BUILD timeout 900 "$t" >"$log" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    passed=$((passed+1)); echo "ok   $t"
  else
    failed=$((failed+1)); failures+=("$t")
    echo "FAIL $t (exit $rc), log: $log"; tail -n 15 "$log" | sed 's/^/    /'
  fi
done

if [ ${#failures[@]} -ne 0 ]; then echo "failed: ${failures[*]}"; fi
if [ $skipped -ne 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
