# iommu: portable core (page tables, iommufd-style objects)
HYP_SRCS += iommu/pgtable.c

HOST_TESTS += pgtable
HOST_TEST_pgtable_SRCS = tests/host/test_pgtable.c iommu/pgtable.c $(HOST_ENV_SRCS)

# the iommufd-style core and the guest-memory accessors it uses
IOMMU_CORE_SRCS := iommu/core.c iommu/ioas.c iommu/hwpt.c iommu/device.c iommu/stage2.c iommu/vste.c \
	iommu/inval.c iommu/viommu.c iommu/quota.c iommu/iova.c iommu/ioas_copy.c \
	iommu/option.c iommu/auto_domain.c vmm/vm_mem.c
# Built for size (the image's text budget, tests/size/text_budget.sh): the
# set-up commands, and since the rest of iommufd's IOAS model (issue 12) the
# whole core except the quota counters. The page-table walks and command
# checks lose a little speed at -Os; the SMMU's work and the exits dominate.
HYP_COLD += iommu/iova.c iommu/ioas_copy.c iommu/option.c iommu/auto_domain.c \
	iommu/ioas.c iommu/hwpt.c iommu/viommu.c iommu/core.c iommu/pgtable.c iommu/vste.c iommu/inval.c
HYP_SRCS += $(IOMMU_CORE_SRCS)
HOST_TESTS += iommufd
HOST_TEST_iommufd_SRCS = tests/host/test_iommufd.c tests/host/iommufd_env.c $(SMMU_MODEL_SRCS) $(SMMUV3_SRCS) \
	iommu/pgtable.c $(IOMMU_CORE_SRCS) $(HOST_ENV_SRCS)
# the exact commands the core makes the SMMU consume, and the strict model
HOST_TESTS += cmds
HOST_TEST_cmds_SRCS = tests/host/test_cmds.c tests/host/iommufd_env.c $(SMMU_MODEL_SRCS) $(SMMUV3_SRCS) \
	iommu/pgtable.c $(IOMMU_CORE_SRCS) $(HOST_ENV_SRCS)
# a guest's commands against the shared SMMU command queue
HOST_TESTS += guest_cmds
HOST_TEST_guest_cmds_SRCS = tests/host/test_guest_cmds.c tests/host/iommufd_env.c \
	$(SMMU_MODEL_SRCS) $(SMMUV3_SRCS) iommu/pgtable.c $(IOMMU_CORE_SRCS) $(HOST_ENV_SRCS)
HOST_TESTS += quota
HOST_TEST_quota_SRCS = tests/host/test_quota.c tests/host/iommufd_env.c $(SMMU_MODEL_SRCS) $(SMMUV3_SRCS) \
	iommu/pgtable.c $(IOMMU_CORE_SRCS) $(HOST_ENV_SRCS)
# iommu = "stage2" runs once per device at guest creation: cold code
HYP_COLD += iommu/stage2.c
# iommu = "stage2": DMA to exactly the guest's RAM, the device pinned
HOST_TESTS += stage2
HOST_TEST_stage2_SRCS = tests/host/test_stage2.c tests/host/iommufd_env.c $(SMMU_MODEL_SRCS) \
	$(SMMUV3_SRCS) iommu/pgtable.c $(IOMMU_CORE_SRCS) $(HOST_ENV_SRCS)
# the rest of the IOAS model: COPY, ALLOW_IOVAS, reserved ranges, OPTION,
# attach to an IOAS (auto-domains)
HOST_TESTS += ioas
HOST_TEST_ioas_SRCS = tests/host/test_ioas.c tests/host/iommufd_env.c $(SMMU_MODEL_SRCS) \
	$(SMMUV3_SRCS) iommu/pgtable.c $(IOMMU_CORE_SRCS) $(HOST_ENV_SRCS)
