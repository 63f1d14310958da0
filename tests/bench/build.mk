# make bench: guest-observed costs in QEMU (-icount) and host instruction
# counts under callgrind (tests/bench/run.sh); results in docs/benchmarks.md.
# Included last: the sources come from drivers/ and iommu/.
BENCH_HOST := $(BUILD)/bench/bench_host
$(BENCH_HOST): tests/bench/bench_host.c tests/host/hostenv.c vmm/lib/errno.c $(SMMUV3_SRCS) \
		iommu/pgtable.c $(IOMMU_CORE_SRCS)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -g -DHOST_TEST -Iinclude -Itests/host -Wall -Werror \
		-Wno-unused-parameter -o $@ $^

.PHONY: bench
bench: deps
	@$(MAKE) -s --no-print-directory all $(BUILD)/guest/bench.dtb $(BENCH_HOST)
	@BUILD=$(BUILD) QEMU=$(QEMU) tests/bench/run.sh
