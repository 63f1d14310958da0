# tests: the host test framework and environment shared by all host tests.
# Each folder's build.mk adds its own tests, e.g.
#   HOST_TESTS += pgtable
#   HOST_TEST_pgtable_SRCS := tests/host/test_pgtable.c iommu/pgtable.c $(HOST_ENV_SRCS)
HOST_ENV_SRCS := tests/host/test.c tests/host/hostenv.c vmm/lib/errno.c
# the software SMMUv3 (tests/host/smmu_model.h) that driver and core tests run against
SMMU_MODEL_SRCS := tests/host/smmu_model.c tests/host/smmu_model_cmdq.c

HOST_TESTS += hostenv
HOST_TEST_hostenv_SRCS = tests/host/test_hostenv.c $(HOST_ENV_SRCS)

# in-hypervisor self-tests (test image only) and the QEMU tests that run them
HYP_TEST_SRCS += tests/hyp/selftest_runner.c tests/hyp/bringup.c tests/hyp/smmu_dma.c

# board discovery against DTBs dumped from QEMU
include tests/host/dtb.mk
HOST_TESTS += board
HOST_TEST_board_SRCS = tests/host/test_board.c boot/board.c vmm/lib/dtb.c $(HOST_ENV_SRCS)
HOST_TEST_board_LIBS = $(HOST_LIBFDT)

# boundaries at the exact edge: guest memory ranges, PSCI CPU_ON's entry
# point, object ids and command structs through the hypercall path
HOST_TESTS += edges
HOST_TEST_edges_SRCS = tests/host/test_edges.c tests/host/iommufd_env.c $(SMMU_MODEL_SRCS) \
	$(SMMUV3_SRCS) iommu/pgtable.c $(IOMMU_CORE_SRCS) $(HOST_ENV_SRCS)

# page allocator core and the hypervisor's formatter/string helpers
HOST_TESTS += palloc lib
HOST_TEST_palloc_SRCS = tests/host/test_palloc.c vmm/palloc.c $(HOST_ENV_SRCS)
HOST_TEST_lib_SRCS = tests/host/test_lib.c tests/host/format_host.c vmm/lib/bootargs.c $(HOST_ENV_SRCS)

QEMU_TESTS += boot smp alloc alloc_zeroed memcpy_alignments memset_zero_blocks el2_fault el1_entry no_smmu prod_boot uboot
QEMU_TESTS += uboot_prod
QEMU_TESTS += reserved_memory no_console sbsa_console disabled_smmu smp_12cpu package_bridge
QEMU_TESTS += uboot_package
QEMU_TESTS += smmu_dma_map smmu_dma_unmapped smmu_dma_inval smmu_dma_unconfigured smmu_dma_readonly pci_bridge
# a Linux kernel as a guest (tests/linux/: its package is built by the test)
QEMU_TESTS += linux_guest
# iommu = "stage2": the guest's stock nvme driver on QEMU's NVMe (tests/linux/)
QEMU_TESTS += linux_nvme_stage2 linux_nvme_vsmmu


# scripts/apt-backports.sh (install-deps' bookworm-backports entry) on
# fixture apt folders of each source format
SCRIPT_TESTS += tests/apt/test.sh

# the image's text budget (100 KiB) as a gate
SCRIPT_TESTS += tests/size/text_budget.sh
