# gdb-multiarch -x scripts/aerie.gdb   (with `make debug` running)
# Aerie is linked at 0 and relocates itself; QEMU's -kernel loads the Image
# at RAM base + 2 MiB (0x40200000) on virt, so the symbols go there.
set architecture aarch64
add-symbol-file build/aerie.elf -o 0x40200000
target remote :1234
echo Aerie symbols loaded at 0x40200000. Try: break boot_main, continue\n
