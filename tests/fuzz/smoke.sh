#!/usr/bin/env bash
# A short, deterministic libFuzzer run of the IOMMU core (part of make test):
# fixed seed and run count from the committed seeds. A crash, a sanitizer
# report or a broken invariant fails it; a missing libFuzzer fails it too.
set -u
BUILD=${BUILD:-build}
bin=$BUILD/fuzz/fuzz_iommufd
[ -x "$bin" ] || { echo "smoke: $bin was not built (clang + libFuzzer missing?)"; exit 1; }
work=$(mktemp -d)
cp tests/fuzz/seeds/* "$work"/ 2>/dev/null
mkdir -p "$BUILD/fuzz/artifacts"
"$bin" -seed=1 -runs=${FUZZ_RUNS:-3000} -max_len=512 -rss_limit_mb=4096 \
  -artifact_prefix="$BUILD/fuzz/artifacts/" "$work" 2>&1 | grep -E "invariant|ERROR|SUMMARY|Done" | tail -n 5
rc=${PIPESTATUS[0]}
rm -rf "$work"
exit $rc
