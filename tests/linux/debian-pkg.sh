# Sourced by the scripts that take files from Debian's arm64 kernel packages
# (tests/linux/prepare*.sh, tests/host/debian-dtbs.sh): apt-get download, no
# root needed, nothing installed.

# the linux-image-* package META:arm64 depends on: its candidate version
# (deb_candidate) or the newest in the package lists, backports included
# (deb_newest); nothing if there is none
deb_candidate() {
  apt-cache depends "$1:arm64" 2>/dev/null \
    | sed -n 's/^ *Depends: \(linux-image-[^ :]*\).*$/\1/p' | head -n1 || true
}
deb_newest() {
  apt-cache show "$1:arm64" 2>/dev/null \
    | sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n1 || true
}

# deb_unpack PKG DIR [PATH...]: PKG:arm64 downloaded and unpacked into DIR
# (only the PATHs of its tree when given, e.g. './usr/lib/linux-image-*');
# 1 with a message when it cannot be downloaded
deb_unpack() {
  local pkg=$1 dir=$2 tmp rc=0
  shift 2
  tmp=$(mktemp -d)
  if ! (cd "$tmp" && apt-get download -qq "$pkg:arm64" >/dev/null 2>&1); then
    echo "cannot download $pkg:arm64"
    rc=1
  elif [ $# -eq 0 ]; then
    mkdir -p "$dir" && dpkg-deb -x "$tmp"/*.deb "$dir"
  else
    mkdir -p "$dir" && dpkg-deb --fsys-tarfile "$tmp"/*.deb | (cd "$dir" && tar -x --wildcards "$@")
  fi
  rm -rf "$tmp"
  return $rc
}
