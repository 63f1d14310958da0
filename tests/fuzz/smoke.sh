#!/usr/bin/env bash
# A short, deterministic libFuzzer run of the IOMMU core (part of make test):
# the committed seeds, then a fixed seed and run count of mutations. A broken
# invariant, a sanitizer report, a timeout or a missing libFuzzer fails it;
# so does a run that did not reach the paths the fuzzer must reach (counted
# by the harness with FZ_STATS=1: multi-batch invalidations, one call's
# budget of 128 (-EAGAIN), a small command queue, two guests, injected
# allocation failures and refused SMMU commands).
set -u
BUILD=${BUILD:-build}
bin=$BUILD/fuzz/fuzz_iommufd
[ -x "$bin" ] || { echo "smoke: $bin was not built (clang + libFuzzer missing?)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$BUILD/fuzz/artifacts"
cp tests/fuzz/seeds/* "$work/corpus"/
FZ_STATS=1 timeout 300 "$bin" -seed=1 -runs="${FUZZ_RUNS:-20000}" -max_len=512 -timeout=25 \
  -rss_limit_mb=2048 -artifact_prefix="$BUILD/fuzz/artifacts/" "$work/corpus" >"$work/log" 2>&1
rc=$?
grep -E "invariant|ERROR|SUMMARY|at step|DONE|fz-stats" "$work/log" | tail -n 8
if [ $rc -ne 0 ]; then
  echo "smoke: the fuzzer failed (exit $rc); the input is in $BUILD/fuzz/artifacts/"
  exit 1
fi
stats=$(grep '^fz-stats:' "$work/log")
[ -n "$stats" ] || { echo "smoke: no fz-stats line"; exit 1; }
stat() { sed -n "s/.* $1 \([0-9]*\).*/\1/p" <<<"$stats"; }
fail=0
for s in multi_batch budget small_cmdq two_guests enomem fail_cmd; do
  [ "$(stat $s)" -gt 0 ] || { echo "smoke: no input reached $s"; fail=1; }
done
[ "$(stat max_issued)" -eq 128 ] || { echo "smoke: no invalidation issued a whole budget of 128"; fail=1; }
exit $fail
