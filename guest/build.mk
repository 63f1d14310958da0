# guest/: bare-metal guests and the guest-side library (include/uapi + lib/)
# (they run with their MMU off: the ELF segment's RWX flags mean nothing)
# picolibc (Debian's picolibc-aarch64-linux-gnu, its release build) is the
# guests' C library: its headers first, then GCC's (stddef.h, stdarg.h)
PICOLIBC ?= /usr/lib/picolibc/aarch64-linux-gnu
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -ffreestanding -nostdlib \
	-mgeneral-regs-only -mstrict-align -fno-pie -fno-stack-protector -ftls-model=local-exec \
	-Iinclude -Iguest/lib -isystem $(PICOLIBC)/include \
	-isystem $(shell $(CC) -print-file-name=include 2>/dev/null)
GUEST_LIB := guest/lib/start.S guest/lib/vectors.S guest/lib/aerie_guest.c guest/lib/gic.c \
	guest/lib/smmu_s1.c guest/lib/libc.c
# printf without floating point (picolibc's integer-only variant)
GUEST_LIBS := -L$(PICOLIBC)/lib/release -Wl,--start-group -lc -lgcc -Wl,--end-group \
	-Wl,-u,__i_vfprintf -Wl,--defsym=vfprintf=__i_vfprintf
GUEST_LDFLAGS := -nostdinc -T guest/guest.ld -Wl,--build-id=none,--no-warn-rwx-segments -static

# (GUEST_SRCS_<name>: more sources of guest <name>, also its prerequisites)
$(BUILD)/guest/%.elf: guest/tests/%.c $(GUEST_LIB) guest/guest.ld guest/lib/aerie_guest.h guest/lib/smmu_s1.h \
		guest/lib/guest_dma.h guest/lib/guest_mmio.h guest/lib/gic.h guest/lib/bench_report.h include/aerie/smmuv3_regs.h
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(GUEST_LIB) $< $(GUEST_SRCS_$*) $(GUEST_LIBS)
$(BUILD)/guest/%.bin: $(BUILD)/guest/%.elf
	$(OBJCOPY) -O binary $< $@
# kept (not deleted as intermediates): gdb loads a guest's symbols from them
.PRECIOUS: $(BUILD)/guest/%.elf

# the test image carries the test guests
HYP_TEST_SRCS += tests/hyp/guest_blob.S tests/hyp/guest_dma.c
$(BUILD)/hyp-test/tests/hyp/guest_blob.o: $(BUILD)/guest/dma_test.bin
$(BUILD)/hyp-test/tests/hyp/guest_blob.o: HYP_ASFLAGS += -DGUEST_DMA_TEST_BIN='"$(BUILD)/guest/dma_test.bin"'
QEMU_TESTS += guest_dma

# guest packages (device trees passed to Aerie as the initrd)
$(BUILD)/guest/%.dtb: guest/%.dts $(BUILD)/guest/dma_test.bin $(BUILD)/guest/bench.bin \
		$(BUILD)/guest/victim.bin $(BUILD)/guest/hostile.bin $(BUILD)/guest/smp_test.bin
	dtc -q -I dts -O dtb -i $(BUILD)/guest -o $@ $<
RUN_EXTRA_DEPS += $(BUILD)/guest/demo.dtb
TEST_EXTRA_DEPS += $(BUILD)/guest/demo.dtb $(BUILD)/guest/twice.dtb $(BUILD)/guest/hostile.dtb \
	$(BUILD)/guest/smp.dtb $(BUILD)/guest/bss.dtb
QEMU_TESTS += demo_package package_device_twice hostile smp_guest package_bss
# an unknown `iommu` mode is refused (vmm/guest_config.c)
TEST_EXTRA_DEPS += $(BUILD)/guest/iommu_bad.dtb
QEMU_TESTS += package_iommu

# the probe guest: its device tree (x0) and the emulated ECAM (vmm/vpci.c)
$(BUILD)/guest/probe.dtb: $(BUILD)/guest/probe_test.bin
TEST_EXTRA_DEPS += $(BUILD)/guest/probe.dtb
QEMU_TESTS += probe_package

# two guests on one CPU: no FP/SIMD, PMU, debug or timer state crosses from
# one to the next, and what Aerie keeps from guests traps
GUEST_SRCS_fp_leak := guest/tests/cpu_state.c
$(BUILD)/guest/fp_leak.elf: $(GUEST_SRCS_fp_leak)
$(BUILD)/guest/fp.dtb: $(BUILD)/guest/fp_leak.bin
TEST_EXTRA_DEPS += $(BUILD)/guest/fp.dtb
QEMU_TESTS += fp_scrub

# a guest without a console (console = "none")
$(BUILD)/guest/quiet.dtb: $(BUILD)/guest/fp_leak.bin
TEST_EXTRA_DEPS += $(BUILD)/guest/quiet.dtb
QEMU_TESTS += package_console

# the interrupt guest: virtual timer and edu INTx through the vGIC
$(BUILD)/guest/irq.dtb: $(BUILD)/guest/irq_test.bin
TEST_EXTRA_DEPS += $(BUILD)/guest/irq.dtb
QEMU_TESTS += guest_irq guest_irq_1cpu

# make run PACKAGE=path/to/my.dts: the user's package and the guests it
# names, built under $(BUILD)/package/NAME/ (scripts/build-package.py)
ifdef PACKAGE
PACKAGE_NAME := $(basename $(notdir $(PACKAGE)))
PACKAGE_DIR := $(BUILD)/package/$(PACKAGE_NAME)
PACKAGE_DTB := $(PACKAGE_DIR)/$(PACKAGE_NAME).dtb
endif
.PHONY: package
package:
	$(if $(PACKAGE),,$(error package: say which, e.g. make run PACKAGE=path/to/my.dts))
	@GUEST_CC="$(CC)" OBJCOPY="$(OBJCOPY)" GUEST_CFLAGS="$(GUEST_CFLAGS)" \
		GUEST_LDFLAGS="$(GUEST_LDFLAGS)" GUEST_LIB="$(abspath $(GUEST_LIB))" \
		GUEST_LIBS="$(GUEST_LIBS)" scripts/build-package.py "$(PACKAGE)" "$(PACKAGE_DIR)"
# docs/guests.md's walk-through: a two-guest package from a folder outside
# the tree, through make run PACKAGE=
SCRIPT_TESTS += tests/package/walkthrough.sh

# bad packages: each refused with its reason and "no guest started"
# (tests/qemu/package_{damaged_*,refusals,cpus,compatible,not_a_package}.conf)
$(BUILD)/guest/damaged_%.dtb: $(BUILD)/guest/demo.dtb tests/package/bad_package.py
	tests/package/bad_package.py $* $< $@
$(BUILD)/guest/%.dtb: tests/package/%.dts $(BUILD)/guest/fp_leak.bin
	dtc -q -I dts -O dtb -i $(BUILD)/guest -o $@ $<
TEST_EXTRA_DEPS += $(BUILD)/guest/damaged_truncated.dtb $(BUILD)/guest/damaged_bigsize.dtb \
	$(BUILD)/guest/damaged_structure.dtb $(BUILD)/guest/damaged_version.dtb \
	$(BUILD)/guest/refusals.dtb $(BUILD)/guest/cpus.dtb \
	$(BUILD)/guest/wrong_compatible.dtb
QEMU_TESTS += package_damaged_truncated package_damaged_bigsize package_damaged_structure \
	package_damaged_version \
	package_refusals package_cpus package_compatible package_not_a_package

# the IOAS guest: COPY, ALLOW_IOVAS, reserved ranges, attach to an IOAS
$(BUILD)/guest/ioas.dtb: $(BUILD)/guest/ioas_test.bin
TEST_EXTRA_DEPS += $(BUILD)/guest/ioas.dtb
QEMU_TESTS += guest_ioas
