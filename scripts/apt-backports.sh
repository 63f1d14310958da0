#!/usr/bin/env bash
# Derive the bookworm-backports apt entry from the machine's own main
# bookworm entry, in the same format, so that no mirror host is written here.
#   scripts/apt-backports.sh [APT_DIR [OUT_BASE]]
# APT_DIR   the apt configuration folder (default /etc/apt)
# OUT_BASE  the entry to write, without extension (default
#           APT_DIR/sources.list.d/aerie-backports); ".list" is appended for a
#           one-line source, ".sources" for a deb822 one.
# Sources are read in apt's order: APT_DIR/sources.list, then
# sources.list.d/*.list, then sources.list.d/*.sources. The first enabled
# "deb" entry whose suite is exactly "bookworm" (not bookworm-security,
# bookworm-updates, ...) gives the mirror URI, the components and the
# options (signed-by, arch); the suite becomes bookworm-backports.
# Prints the file written; does nothing (and prints it) when OUT_BASE.list or
# OUT_BASE.sources already exists. Exit 1 when no main bookworm entry exists.
set -euo pipefail

APT_DIR=${1:-/etc/apt}
OUT_BASE=${2:-$APT_DIR/sources.list.d/aerie-backports}
SUITE=bookworm

for ext in list sources; do
  if [ -e "$OUT_BASE.$ext" ]; then echo "$OUT_BASE.$ext"; exit 0; fi
done

# one-line format: "deb [opt=val ...] URI SUITE COMPONENT..."
from_oneline() {
  awk -v suite="$SUITE" '
    { sub(/#.*/, "") }
    $1 != "deb" { next }
    {
      opts = ""; i = 2
      if ($2 ~ /^\[/) {
        while (i <= NF) { opts = opts (opts == "" ? "" : " ") $i; if ($i ~ /\]$/) { i++; break } i++ }
      }
      uri = $i; s = $(i + 1)
      if (s != suite || uri ~ /security/) next
      comps = ""
      for (j = i + 2; j <= NF; j++) comps = comps " " $j
      if (comps == "") next
      print "deb " (opts == "" ? "" : opts " ") uri " " suite "-backports" comps
      exit
    }' "$1"
}

# deb822 format: stanzas separated by blank lines; "Suites:" may list several
from_deb822() {
  awk -v suite="$SUITE" '
    function flush(   i, n, w, hit, ok) {
      if (nf == 0) return
      ok = (types ~ /(^|[ \t])deb([ \t]|$)/) && tolower(enabled) != "no" && uris !~ /security/
      n = split(suites, w, /[ \t]+/); hit = 0
      for (i = 1; i <= n; i++) if (w[i] == suite) hit = 1
      if (ok && hit && comps != "") {
        print "Types: deb"
        for (i = 1; i <= nf; i++) {
          if (key[i] ~ /^(Types|Suites|Enabled)$/) continue
          if (key[i] == "Components") print "Suites: " suite "-backports"
          print key[i] ": " val[i]
        }
        found = 1; exit
      }
      nf = 0; types = suites = comps = uris = enabled = ""
    }
    /^[ \t]*#/ { next }
    /^[ \t]*$/ { flush(); next }
    /^[ \t]/ { val[nf] = val[nf] " " $0; next }   # continuation line
    {
      k = $0; sub(/:.*/, "", k); v = $0; sub(/^[^:]*:[ \t]*/, "", v)
      key[++nf] = k; val[nf] = v
      if (k == "Types") types = v
      else if (k == "Suites") suites = v
      else if (k == "Components") comps = v
      else if (k == "URIs") uris = v
      else if (k == "Enabled") enabled = v
    }
    END { if (!found) flush() }' "$1"
}

shopt -s nullglob
own_list=$OUT_BASE.list own_sources=$OUT_BASE.sources
for f in "$APT_DIR/sources.list" "$APT_DIR"/sources.list.d/*.list; do
  [ -f "$f" ] && [ "$f" != "$own_list" ] || continue
  entry=$(from_oneline "$f")
  if [ -n "$entry" ]; then
    mkdir -p "$(dirname "$OUT_BASE")"
    printf '# bookworm-backports, derived from %s by scripts/apt-backports.sh\n%s\n' \
      "${f#"$APT_DIR"/}" "$entry" > "$own_list"
    echo "$own_list"; exit 0
  fi
done
for f in "$APT_DIR"/sources.list.d/*.sources; do
  [ -f "$f" ] && [ "$f" != "$own_sources" ] || continue
  entry=$(from_deb822 "$f")
  if [ -n "$entry" ]; then
    mkdir -p "$(dirname "$OUT_BASE")"
    printf '# bookworm-backports, derived from %s by scripts/apt-backports.sh\n%s\n' \
      "${f#"$APT_DIR"/}" "$entry" > "$own_sources"
    echo "$own_sources"; exit 0
  fi
done
echo "apt-backports: no enabled 'deb ... $SUITE ...' entry in $APT_DIR/sources.list," \
  "$APT_DIR/sources.list.d/*.list or *.sources; add $SUITE-backports by hand" >&2
exit 1
