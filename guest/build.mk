# guest/: bare-metal guests and the guest-side library (include/uapi + lib/)
# (they run with their MMU off: the ELF segment's RWX flags mean nothing)
GUEST_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib \
	-mgeneral-regs-only -mstrict-align -fno-pie -fno-stack-protector -Iinclude \
	-Iguest/lib -isystem $(shell $(CC) -print-file-name=include)
GUEST_LIB := guest/lib/start.S guest/lib/vectors.S guest/lib/aerie_guest.c guest/lib/gic.c \
	guest/lib/smmu_s1.c

# (GUEST_SRCS_<name>: more sources of guest <name>, also its prerequisites)
$(BUILD)/guest/%.elf: guest/tests/%.c $(GUEST_LIB) guest/guest.ld guest/lib/aerie_guest.h guest/lib/smmu_s1.h \
		guest/lib/guest_dma.h guest/lib/guest_mmio.h guest/lib/gic.h
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -nostdinc -T guest/guest.ld -Wl,--build-id=none,--no-warn-rwx-segments \
		-static -o $@ \
		$(GUEST_LIB) $< $(GUEST_SRCS_$*)
$(BUILD)/guest/%.bin: $(BUILD)/guest/%.elf
	$(OBJCOPY) -O binary $< $@

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
