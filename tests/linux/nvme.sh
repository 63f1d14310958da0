# The NVMe tests' disk (sourced by tests/qemu/linux_nvme_*.conf): a 1 MiB raw
# image holding pattern A in its first 4 KiB; the guest's /init
# (tests/linux/init.c, aerietest=nvme) reads it by DMA and writes pattern B
# at 64 KiB. nvme_disk_new PATH writes it; nvme_disk_check PATH NAME checks
# that it holds A at 0, B at 64 KiB and zeros elsewhere.

# 4 KiB of "aerie-nvme: pattern X block NNN\n" (32-byte lines, 8 blocks)
nvme_pattern() {
  local b k
  for b in 0 1 2 3 4 5 6 7; do
    for k in $(seq 16); do printf 'aerie-nvme: pattern %s block %03d\n' "$1" "$b"; done
  done
}

nvme_disk_new() {
  nvme_pattern A > "$1"
  truncate -s 1M "$1"
}

nvme_disk_check() {
  local want rc=0
  want=$(mktemp)
  { nvme_pattern A; head -c $((65536 - 4096)) /dev/zero; nvme_pattern B; } > "$want"
  truncate -s 1M "$want"
  if ! cmp "$want" "$1"; then
    echo "$2: the image does not hold pattern A at 0 and B at 64 KiB only"
    rc=1
  fi
  rm -f "$want"
  return $rc
}
