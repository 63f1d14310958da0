# make bench: guest-observed costs in QEMU (-icount) and host instruction
# counts under callgrind (tests/bench/run.sh); `make bench UPDATE=1` writes
# them to docs/benchmarks.md.
# Included last: the sources come from drivers/ and iommu/.
BENCH_HOST := $(BUILD)/bench/bench_host
$(BENCH_HOST): tests/bench/bench_host.c tests/host/hostenv.c $(SMMU_MODEL_SRCS) \
		vmm/lib/errno.c $(SMMUV3_SRCS) iommu/pgtable.c $(IOMMU_CORE_SRCS)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -g -DHOST_TEST -Iinclude -Itests/host -Wall -Werror \
		-Wno-unused-parameter -o $@ $^

# The bench guest: tests/bench/guest_entry.S goes first so that the image's
# first instruction reads the counter (boot to first guest instruction). An
# explicit rule, so it takes precedence over guest/build.mk's pattern rule.
$(BUILD)/guest/bench.elf: tests/bench/guest_entry.S guest/tests/bench.c tests/bench/ticks.h $(GUEST_LIB) \
		guest/guest.ld guest/lib/aerie_guest.h
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ \
		tests/bench/guest_entry.S $(GUEST_LIB) guest/tests/bench.c $(GUEST_LIBS)

# the boot figure's package: the same guest with 16 MiB of RAM
$(BUILD)/bench/boot.dtb: tests/bench/boot.dts $(BUILD)/guest/bench.bin
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -i $(BUILD)/guest -o $@ $<

# the vSMMU figures' package: its guest drives the virtual SMMUv3
$(BUILD)/bench/vsmmu.dtb: tests/bench/vsmmu.dts $(BUILD)/guest/vsmmu_bench.bin
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -i $(BUILD)/guest -o $@ $<

.PHONY: bench
bench: deps
	@$(MAKE) -s --no-print-directory all $(BUILD)/guest/bench.dtb $(BUILD)/bench/boot.dtb \
		$(BUILD)/bench/vsmmu.dtb $(BENCH_HOST)
	@BUILD=$(BUILD) QEMU=$(QEMU) UPDATE=$(UPDATE) tests/bench/run.sh

# the bench guest's tick -> instruction conversion, on the host
SCRIPT_TESTS += tests/bench/ticks_test.sh
