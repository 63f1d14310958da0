#!/usr/bin/env bash
# scripts/apt-backports.sh on fixture apt folders, one per source format:
#   oneline/  Debian 12 installer's /etc/apt/sources.list (security, deb-src,
#             updates and options around the main entry)
#   listd/    an empty sources.list, the entry in sources.list.d/*.list
#   deb822/   sources.list.d/debian.sources (disabled, deb-src, security
#             stanzas before the main one, several suites in one stanza)
#   present/  an aerie-backports.sources already there: left as it is
#   none/     no main bookworm entry: exit 1 with a message, nothing written
# Each case's in/ is copied to a scratch folder; after the run, the folder's
# sources.list.d/aerie-backports.* must equal expect/ byte for byte.
# The fixtures name only mirror.invalid hosts (RFC 2606: never resolvable).
set -u
here=$(cd "$(dirname "$0")" && pwd)
script=$here/../../scripts/apt-backports.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for case in oneline listd deb822 present; do
  rm -rf "$tmp/apt"; cp -r "$here/$case/in" "$tmp/apt"
  if ! out=$("$script" "$tmp/apt" 2>&1); then
    echo "not ok $case: exit status $?: $out"; fail=1; continue
  fi
  exp=$(ls "$here/$case/expect")
  if [ "$out" != "$tmp/apt/sources.list.d/$exp" ]; then
    echo "not ok $case: wrote '$out', expected sources.list.d/$exp"; fail=1; continue
  fi
  if ! diff -u "$here/$case/expect/$exp" "$tmp/apt/sources.list.d/$exp"; then
    echo "not ok $case: content differs"; fail=1; continue
  fi
  n=$(ls "$tmp/apt/sources.list.d" | grep -c '^aerie-backports')
  if [ "$n" != 1 ]; then echo "not ok $case: $n aerie-backports files"; fail=1; continue; fi
  echo "ok $case"
done
rm -rf "$tmp/apt"; cp -r "$here/none/in" "$tmp/apt"
if out=$("$script" "$tmp/apt" 2>&1); then
  echo "not ok none: exit 0 without a main entry ($out)"; fail=1
elif ls "$tmp/apt"/sources.list.d/aerie-backports.* >/dev/null 2>&1; then
  echo "not ok none: wrote a file"; fail=1
elif [[ "$out" != *"add bookworm-backports by hand"* ]]; then
  echo "not ok none: message '$out'"; fail=1
else
  echo "ok none"
fi
# no real host name in what the script writes or in these fixtures
if grep -rhoE 'https?://[^ /]+' "$here" | grep -v '\.invalid$' | grep -q .; then
  echo "not ok fixtures: a host other than *.invalid"; fail=1
fi
exit $fail
