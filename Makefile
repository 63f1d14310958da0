# SPDX-License-Identifier: MIT
# Aerie: a type-1 micro-hypervisor for 64-bit Arm.
#
# `make help` lists every target and the variables a user sets.
#
# Each folder adds its sources in its build.mk:
#   HYP_SRCS       .c/.S linked into the hypervisor image
#   HYP_TEST_SRCS  extra sources linked only into the self-test image
#   HOST_TESTS     names of host unit tests; HOST_TEST_<name>_SRCS their sources
#   QEMU_TESTS     names of QEMU tests (run by tests/qemu/run.sh NAME)
#   SCRIPT_TESTS   scripts that are one test each, judged by exit status

CROSS_COMPILE ?= aarch64-linux-gnu-
BUILD ?= build
HOSTCC ?= gcc
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
OBJDUMP := $(CROSS_COMPILE)objdump
AR := $(CROSS_COMPILE)ar
SIZE := $(CROSS_COMPILE)size

# Without the cross compiler nothing below can be built: say what is missing
# and how to get it (the targets that install it first, and help/clean, go on).
NO_CC_GOALS := help clean deps run run-linux test bench debug fuzz qemu-tests
ifeq ($(shell command -v $(CC) 2>/dev/null),)
ifneq ($(filter-out $(NO_CC_GOALS),$(or $(MAKECMDGOALS),all)),)
$(info make: $(CC) (the cross compiler, Debian package gcc-aarch64-linux-gnu) is not installed.)
$(info make: $(or $(shell scripts/install-deps.sh --check 2>&1),nothing else is missing))
$(info make: install everything Aerie needs with: sudo scripts/install-deps.sh)
$(info make: (make run / make test run it for you first))
$(error missing build tools)
endif
endif

# QEMU (>= 10.0, scripts/install-deps.sh installs it)
QEMU ?= qemu-system-aarch64
CPUS ?= 4

# Optimisation: speed for the hot paths (IOMMU map/unmap/invalidate, page
# tables, SMMU command queue, traps, the exit loop, the vGIC list registers),
# size for cold code (boot and board discovery, guest creation,
# configuration and device trees, vCPU load/put, SMMU probe and STE writing
# (attach), GIC set-up, device attach, the emulated GIC distributor and
# system-register traps, the page allocator (about 50 instructions on a
# 4 KiB IOAS_MAP), emulated devices, formatting). The SMMU event queue
# (polled on every slow-path exit) and the vIOMMU (invalidation) stay -O2:
# at -Os they cost 14 instructions on every hypercall / HWPT_INVALIDATE.
# The image's text is held to 100 KiB with everything in, the vSMMU
# included: make test fails above it (tests/size/text_budget.sh). Since the
# rest of iommufd's IOAS model
# (issue 12) the iommu/ core, its map/unmap/invalidate paths and page
# tables included, is -Os too (iommu/build.mk): about 8% more instructions
# on a 4 KiB IOAS_MAP, 14% on a 1 GiB one.
# -O2 code is not padded to 16-byte boundaries (functions, loops, jumps):
# 720 bytes of the budget; padding buys nothing measurable here and the
# padding before a loop is executed, so the counts only go down
HYP_OPT = -O2 -falign-functions=4 -falign-jumps=4 -falign-loops=4 -falign-labels=4
HYP_COLD := boot/% vmm/main.c vmm/guest.c vmm/guest_config.c vmm/guest_fdt.c vmm/vpci.c \
	vmm/vuart.c vmm/vmmio.c vmm/lib/format.c vmm/lib/log.c vmm/lib/bootargs.c \
	vmm/lib/errno.c drivers/pci_ecam.c drivers/pl011.c drivers/edu.c drivers/smmuv3.c \
	arch/mmu.c arch/exception.c arch/smp.c arch/psci.c arch/vcpu.c tests/hyp/% \
	drivers/gicv3.c drivers/smmuv3_ste.c iommu/device.c \
	vmm/vgic_dist.c vmm/sysreg_trap.c vmm/page_alloc.c vmm/palloc.c
# the 8250 console; the vCPU's debug-register reset and system-register traps
HYP_COLD += drivers/ns16550.c arch/vcpu_debug.c arch/vcpu_sysreg.c
# the event queue: drained after IOMMU hypercalls and on its interrupt only
HYP_COLD += drivers/smmuv3_evtq.c
# Every symbol is hidden (aerie/hidden.h), so every call is a direct BL and
# no PLT is made; -fno-plt only sent the compiler's own memcpy/memset calls
# (a structure copied or zeroed) through GOT entries, relocated at boot.
HYP_CFLAGS = -std=gnu11 $(HYP_OPT) -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-builtin-printf -nostdlib -mgeneral-regs-only -mstrict-align \
	-march=armv8-a -fno-stack-protector -fno-common -fpie -include aerie/hidden.h \
	-mno-outline-atomics -ffunction-sections -fdata-sections \
	-nostdinc -isystem include/freestanding -isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
	-Iinclude -idirafter /usr/include -MMD -MP
HYP_ASFLAGS = $(HYP_CFLAGS) -D__ASSEMBLY__
# one loadable segment (the image relocates itself; the EL2 page tables give
# text RX, rodata RO, the rest RW + XN with SCTLR_EL2.WXN: arch/mmu.c), so
# the linker's RWX-segment warning says nothing about run time
HYP_LDFLAGS := -nostdlib -pie --no-dynamic-linker -z notext -z norelro --gc-sections \
	-z max-page-size=4096 --build-id=none --no-warn-rwx-segments

HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-DHOST_TEST -Iinclude -Itests/host -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer -MMD -MP
HOST_LDFLAGS := -fsanitize=address,undefined

# libfdt: its header only (types, header accessors, error codes). No libfdt
# object is linked: Debian builds libfdt.a without -ffunction-sections, so
# an object comes whole, and fdt.o + fdt_ro.o + fdt_check.o + fdt_sw.o were
# 10.6 KB of text for a few calls; the reading and the writing are Aerie's
# own (vmm/lib/dtb.c; the guests' trees: vmm/guest_fdt.c). The host tests
# link the host's libfdt and compare the reader with it
# (tests/host/test_dtb.c) and check the written trees with fdt_check_full
# (tests/host/test_guest_fdt.c).
HOST_MULTIARCH := $(shell $(HOSTCC) -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
HOST_LIBFDT := /usr/lib/$(HOST_MULTIARCH)/libfdt.so.1

# plain `make` builds Aerie (the fragments below define rules of their own)
.DEFAULT_GOAL := all

HYP_SRCS :=
HYP_TEST_SRCS :=
HOST_TESTS :=
QEMU_TESTS :=
SCRIPT_TESTS :=

include tests/build.mk
include arch/build.mk
include boot/build.mk
include drivers/build.mk
include iommu/build.mk
include vmm/build.mk
include guest/build.mk
# after every fragment: the fuzzer's sources come from drivers/ and iommu/
include tests/fuzz/build.mk
include tests/bench/build.mk

HYP_OBJS := $(patsubst %,$(BUILD)/hyp/%.o,$(basename $(HYP_SRCS)))
HYP_TEST_OBJS := $(patsubst %,$(BUILD)/hyp-test/%.o,$(basename $(HYP_SRCS) $(HYP_TEST_SRCS)))
# the flags live here (HYP_COLD decides -O2 or -Os): a change rebuilds
$(HYP_OBJS) $(HYP_TEST_OBJS): Makefile

.PHONY: all run run-linux debug test fuzz size deps clean host-tests qemu-tests help
all: $(BUILD)/aerie.elf $(BUILD)/aerie.bin

deps:
	@scripts/install-deps.sh --check >/dev/null 2>&1 || scripts/install-deps.sh

$(foreach f,$(HYP_COLD),$(BUILD)/hyp/$(basename $(f)).o $(BUILD)/hyp-test/$(basename $(f)).o): HYP_OPT = -Os
$(BUILD)/hyp/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HYP_CFLAGS) -c $< -o $@
$(BUILD)/hyp/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(HYP_ASFLAGS) -c $< -o $@
$(BUILD)/hyp-test/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HYP_CFLAGS) -DAERIE_SELFTEST -c $< -o $@
$(BUILD)/hyp-test/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(HYP_ASFLAGS) -DAERIE_SELFTEST -c $< -o $@

$(BUILD)/aerie.elf: $(HYP_OBJS) linker/aerie.ld
	$(LD) $(HYP_LDFLAGS) -T linker/aerie.ld -Map $(BUILD)/aerie.map -o $@ $(HYP_OBJS)
	@scripts/check-no-fp.sh $(OBJDUMP) $@
$(BUILD)/aerie-test.elf: $(HYP_TEST_OBJS) linker/aerie.ld
	$(LD) $(HYP_LDFLAGS) -T linker/aerie.ld -Map $(BUILD)/aerie-test.map -o $@ $(HYP_TEST_OBJS)
	@scripts/check-no-fp.sh $(OBJDUMP) $@
$(BUILD)/%.bin: $(BUILD)/%.elf
	$(OBJCOPY) -O binary $< $@

# PACKAGE=my.dts: that package (its guests built by guest/build.mk's
# `package` rule) instead of the demo; Aerie is told a package is expected
# (aerie.package), so an initrd that is none ends with a non-zero status
RUN_ARGS = AERIE_ARGS="aerie.package $(AERIE_ARGS)" \
	$(if $(PACKAGE),AERIE_DEMO_ARGS="-device edu -initrd $(PACKAGE_DTB)")
run: deps
	@$(MAKE) --no-print-directory all $(if $(PACKAGE),package,$(RUN_EXTRA_DEPS))
	@BUILD=$(BUILD) QEMU=$(QEMU) $(RUN_ARGS) scripts/run-qemu.sh run

# a Linux kernel as a guest (Debian's cloud-arm64 Image, fetched once into
# $(BUILD)/linux; LINUX_IMAGE=path uses another Image): docs/guests.md
run-linux: deps
	@$(MAKE) --no-print-directory all
	@tests/linux/prepare.sh $(BUILD)
	@BUILD=$(BUILD) QEMU=$(QEMU) AERIE_DEMO_ARGS="-device edu -initrd $(BUILD)/linux/linux.dtb" \
		AERIE_ARGS="aerie.package $(AERIE_ARGS)" scripts/run-qemu.sh run

debug: deps
	@$(MAKE) --no-print-directory all $(if $(PACKAGE),package,$(RUN_EXTRA_DEPS))
	@BUILD=$(BUILD) QEMU=$(QEMU) $(RUN_ARGS) scripts/run-qemu.sh debug

size: $(BUILD)/aerie.elf
	$(SIZE) $<

# ---- host unit tests ------------------------------------------------------
define host_test_rule
$(BUILD)/host/test_$(1): $$(patsubst %.c,$(BUILD)/host/%.o,$$(HOST_TEST_$(1)_SRCS))
	@mkdir -p $$(dir $$@)
	$(HOSTCC) $(HOST_LDFLAGS) -o $$@ $$^ $$(HOST_TEST_$(1)_LIBS)
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))
$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

HOST_TEST_BINS := $(addprefix $(BUILD)/host/test_,$(HOST_TESTS))
host-tests: $(HOST_TEST_BINS)

# the build prints one line per stage (-s hides the commands; a first build
# takes a minute or two), then run-all.sh one line per test
test: deps
	@echo "make test: building Aerie, the self-test image, $(words $(HOST_TESTS)) host tests, guests and the fuzzer under $(BUILD)/ ..."
	@$(MAKE) -s --no-print-directory all
	@echo "make test: ... $(BUILD)/aerie.elf done; the self-test image and guests ..."
	@$(MAKE) -s --no-print-directory $(BUILD)/aerie-test.bin $(TEST_EXTRA_DEPS)
	@echo "make test: ... host tests ..."
	@$(MAKE) -s --no-print-directory host-tests
	@tests/host/debian-dtbs.sh $(BUILD)
	@echo "make test: built; running $(words $(HOST_TESTS)) host test binaries, $(words $(QEMU_TESTS)) QEMU tests, $(words $(SCRIPT_TESTS)) script tests$(if $(TESTS), matching '$(TESTS)')"
	@BUILD=$(BUILD) QEMU=$(QEMU) tests/run-all.sh "$(HOST_TESTS)" "$(QEMU_TESTS)" "$(SCRIPT_TESTS)"

# only the QEMU tests (with what they need built)
qemu-tests: deps
	@$(MAKE) -s --no-print-directory all $(BUILD)/aerie-test.bin $(TEST_EXTRA_DEPS)
	@BUILD=$(BUILD) QEMU=$(QEMU) tests/run-all.sh "" "$(QEMU_TESTS)" ""

help:
	@echo "Aerie: make TARGET [VARIABLE=value ...]"
	@echo "Targets:"
	@echo "  all (default)  build $(BUILD)/aerie.elf and $(BUILD)/aerie.bin (checks the tools first)"
	@echo "  run            boot Aerie in QEMU with the demo package (guest/demo.dts), or PACKAGE="
	@echo "  run-linux      boot Aerie with a Debian arm64 kernel as its guest (downloaded once)"
	@echo "  test           build everything and run every test; ends with 'N passed, N failed'"
	@echo "  qemu-tests     build and run only the QEMU tests"
	@echo "  host-tests     build the host unit-test binaries (make test runs them)"
	@echo "  bench          the benchmarks (slow); UPDATE=1 also rewrites docs/benchmarks.md"
	@echo "  fuzz           libFuzzer on the IOMMU core for FUZZ_SECONDS"
	@echo "  debug          QEMU halted at Aerie's first instruction, waiting for gdb-multiarch"
	@echo "  size           text/data/bss of $(BUILD)/aerie.elf"
	@echo "  deps           install missing Debian packages (scripts/install-deps.sh, needs root)"
	@echo "  clean          remove $(BUILD)/"
	@echo "  help           this list"
	@echo "Variables:"
	@echo "  PACKAGE=my.dts  run/debug: build this guest package (and its guests' NAME.c) and boot it"
	@echo "  TESTS=substr    test/qemu-tests: run only the tests whose name contains substr"
	@echo "  FUZZ_SECONDS=N  fuzz: how long to fuzz (default $(FUZZ_SECONDS))"
	@echo "  UPDATE=1        bench: write the results to docs/benchmarks.md"
	@echo "  CPUS=N MEM=size run/debug: QEMU's CPU count (default $(CPUS)) and RAM (default 1G)"
	@echo "  BUILD=dir       where everything is built (default build)"

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
