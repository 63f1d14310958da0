#!/usr/bin/env bash
# Aerie's one dependency installer: Debian packages only, idempotent.
#   scripts/install-deps.sh          install whatever is missing (needs root)
#   scripts/install-deps.sh --check  exit 0 if everything is present, 1 otherwise
# QEMU >= 10.0 comes from the bookworm-backports suite (bookworm's 7.2 lacks
# SMMUv3 stage 2 / nesting). The backports entry is derived from the
# machine's own main bookworm entry, in its format (one-line sources.list /
# *.list or deb822 *.sources), by scripts/apt-backports.sh, so that no mirror
# host is written here.
set -euo pipefail

QEMU_MIN_MAJOR=10
HERE=$(cd "$(dirname "$0")" && pwd)

# command -> package (host architecture)
TOOLS=(
  "aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu"
  "aarch64-linux-gnu-ld:binutils-aarch64-linux-gnu"
  "dtc:device-tree-compiler"
  "gdb-multiarch:gdb-multiarch"
  "clang:clang"
  "valgrind:valgrind"
  "python3:python3"
  "make:make"
  "gcc:gcc"
  "cpio:cpio"
)
# files that prove a package is there
# libfdt: the arm64 -dev package gives the header (libfdt.h: the hypervisor
# takes its types, accessors and error codes, and links no libfdt object);
# the host tests link the host's runtime libfdt1 (the two
# -dev packages of different architectures conflict in Debian).
HOST_MULTIARCH=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
FILES=(
  "/usr/include/libfdt.h:libfdt-dev:arm64"
  "/usr/lib/aarch64-linux-gnu/libfdt.a:libfdt-dev:arm64"
  "/usr/lib/${HOST_MULTIARCH}/libfdt.so.1:libfdt1"
  "/usr/lib/u-boot/qemu_arm64/u-boot.bin:u-boot-qemu"
  "/usr/lib/picolibc/aarch64-linux-gnu/lib/release/libc.a:picolibc-aarch64-linux-gnu"
)

missing=()
for t in "${TOOLS[@]}"; do
  command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t#*:}")
done
for f in "${FILES[@]}"; do
  [ -e "${f%%:*}" ] || missing+=("${f#*:}")
done
# libFuzzer / sanitizer runtime for clang
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 \
  || missing+=("libclang-rt-14-dev")

qemu_ok() {
  command -v qemu-system-aarch64 >/dev/null 2>&1 || return 1
  local v
  v=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -n1)
  [ -n "$v" ] && [ "$v" -ge "$QEMU_MIN_MAJOR" ]
}
need_qemu=0
qemu_ok || need_qemu=1

if [ ${#missing[@]} -eq 0 ] && [ $need_qemu -eq 0 ]; then
  [ "${1:-}" = "--check" ] || echo "install-deps: everything is present"
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "install-deps: missing: ${missing[*]}$([ $need_qemu = 1 ] && echo " qemu-system-arm(>=${QEMU_MIN_MAJOR})")"
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: these are missing: ${missing[*]}$([ $need_qemu = 1 ] && echo " qemu-system-arm(>=${QEMU_MIN_MAJOR})")" >&2
  echo "install-deps: run 'sudo $0' once (it needs root to install Debian packages)." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
fi
if [ $need_qemu -eq 1 ]; then
  bp=$("$HERE/apt-backports.sh")   # exits (set -e) with its message if it finds no entry
  echo "install-deps: bookworm-backports entry: $bp"
fi
apt-get update -qq
# dedupe
mapfile -t pkgs < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ ${#pkgs[@]} -gt 0 ]; then
  apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
fi
if [ $need_qemu -eq 1 ]; then
  apt-get install -y -qq --no-install-recommends -t bookworm-backports qemu-system-arm qemu-utils
fi
qemu_ok || { echo "install-deps: QEMU >= ${QEMU_MIN_MAJOR} still missing" >&2; exit 1; }
echo "install-deps: done"
