# drivers: each block belongs to its driver
# console and interrupt controller
HYP_SRCS += drivers/pl011.c drivers/ns16550.c drivers/gicv3.c

# SMMUv3 (portable: host tests run it against $(SMMU_MODEL_SRCS))
SMMUV3_SRCS := drivers/smmuv3.c drivers/smmuv3_evtq.c drivers/smmuv3_cmdq.c drivers/smmuv3_ste.c \
	drivers/smmuv3_inv.c
HYP_SRCS += $(SMMUV3_SRCS)
HOST_TESTS += smmuv3
HOST_TEST_smmuv3_SRCS = tests/host/test_smmuv3.c $(SMMU_MODEL_SRCS) $(SMMUV3_SRCS) \
	iommu/pgtable.c $(HOST_ENV_SRCS)

# PCIe ECAM enumeration and QEMU's edu DMA engine
HYP_SRCS += drivers/pci_ecam.c drivers/edu.c
# STE writes observed store by store (the host build's store hook)
HOST_TESTS += ste_order
HOST_TEST_ste_order_SRCS = tests/host/test_ste_order.c $(SMMU_MODEL_SRCS) $(SMMUV3_SRCS) \
	iommu/pgtable.c $(HOST_ENV_SRCS)
