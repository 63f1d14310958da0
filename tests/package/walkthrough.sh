#!/usr/bin/env bash
# docs/guests.md's walk-through, "Your own guest in one command", as a user
# follows it: the files it shows (each code block whose first line is
# /* NAME */) go into a temporary folder outside the tree, then
#   make run PACKAGE=that/folder/two.dts
# must build both guests (one from NAME.c, one from the sources its node
# names), boot them, print both guests' lines, end with status 0, write
# nothing into the folder and keep the guests' ELFs under build/.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
cd "$root"
dir=$(mktemp -d /tmp/aerie-walkthrough.XXXXXX)
trap 'rm -rf "$dir"' EXIT
python3 - "$root/docs/guests.md" "$dir" <<'PY' || exit 1
import re, sys
text = open(sys.argv[1]).read()
sec = text.split("## Your own guest in one command", 1)[1].split("\n## ", 1)[0]
n = 0
for body in re.findall(r"```(?:c|dts)\n(.*?)```", sec, re.S):
    m = re.match(r"/\* ([\w.-]+) \*/\n", body)
    if m:
        open(f"{sys.argv[2]}/{m.group(1)}", "w").write(body)
        n += 1
if n != 4:
    sys.exit(f"walkthrough: {n} files in docs/guests.md, expected 4")
PY
before=$(ls "$dir")
out=$(MEM=1G timeout 240 make --no-print-directory run BUILD="$BUILD" PACKAGE="$dir/two.dts" 2>&1 </dev/null)
rc=$?
echo "$out"
fail=0
[ $rc -eq 0 ] || { echo "walkthrough: make run exited $rc"; fail=1; }
for re in '^\[hello\] hello, world: Aerie ABI 1, my device tree at 0x40ff0000' \
	'^\[count\] counted to 10: the sum is 55' \
	'^\[hello\] stopped: PSCI SYSTEM_OFF' '^\[count\] stopped: PSCI SYSTEM_OFF'; do
  grep -qE "$re" <<<"$out" || { echo "walkthrough: no line matching $re"; fail=1; }
done
[ "$(ls "$dir")" = "$before" ] || { echo "walkthrough: the user's folder changed: $(ls "$dir")"; fail=1; }
for f in hello.elf count.elf hello.bin count.bin two.dtb; do
  [ -f "$BUILD/package/two/$f" ] || { echo "walkthrough: $BUILD/package/two/$f missing"; fail=1; }
done
[ $fail -eq 0 ] && echo "walkthrough: ok"
exit $fail
