# vmm: boot sequence, allocators, library helpers
HYP_SRCS += vmm/main.c vmm/page_alloc.c vmm/palloc.c vmm/guest.c vmm/guest_run.c vmm/vmmio.c vmm/vuart.c vmm/guest_config.c \
	vmm/lib/string.c vmm/lib/format.c vmm/lib/log.c vmm/lib/bootargs.c vmm/lib/errno.c

# Aerie's device-tree reader (the board's tree, the guest package)
HYP_SRCS += vmm/lib/dtb.c
HYP_COLD += vmm/lib/dtb.c
HOST_TESTS += dtb
HOST_TEST_dtb_SRCS = tests/host/test_dtb.c vmm/lib/dtb.c $(HOST_ENV_SRCS)
HOST_TEST_dtb_LIBS = $(HOST_LIBFDT)

# the guest's device tree and its emulated PCI config space
HYP_SRCS += vmm/guest_fdt.c vmm/vpci.c

# the guest's emulated GIC distributor and redistributors (an emulated
# device: cold code, built for size)
HYP_SRCS += vmm/vgic_dist.c
HYP_COLD += vmm/vgic_dist.c
HOST_TESTS += vgic_dist
HOST_TEST_vgic_dist_SRCS = tests/host/test_vgic_dist.c vmm/vgic_dist.c $(HOST_ENV_SRCS)

# trapped MSR/MRS and the SGIs a guest sends its own vCPUs (ICC_SGI1R_EL1:
# a Linux guest's IPIs, so built for speed)
HYP_SRCS += vmm/sysreg_trap.c vmm/vgic_sgi.c
HOST_TESTS += sgi
HOST_TEST_sgi_SRCS = tests/host/test_sgi.c vmm/sysreg_trap.c vmm/vgic_sgi.c $(HOST_ENV_SRCS)
HOST_TESTS += vpci guest_fdt
HOST_TEST_vpci_SRCS = tests/host/test_vpci.c tests/host/pci_cfg_model.c vmm/vpci.c $(HOST_ENV_SRCS)
HOST_TEST_guest_fdt_SRCS = tests/host/test_guest_fdt.c tests/host/pci_cfg_model.c vmm/guest_fdt.c \
	vmm/vpci.c $(HOST_ENV_SRCS)
HOST_TEST_guest_fdt_LIBS = $(HOST_LIBFDT)

# interrupts Aerie keeps for itself (the SMMU's event queue): cold code
HYP_SRCS += vmm/hyp_irq.c
HYP_COLD += vmm/hyp_irq.c

# iommu = "vsmmu": a virtual SMMUv3 on the IOMMU core (an emulated device:
# its registers are cold; its command queue is a guest's unmap path)
VSMMU_SRCS := vmm/vsmmu.c vmm/vsmmu_cmdq.c vmm/vsmmu_ste.c vmm/vsmmu_evtq.c
HYP_SRCS += $(VSMMU_SRCS)
HYP_COLD += vmm/vsmmu.c vmm/vsmmu_ste.c vmm/vsmmu_evtq.c
HOST_TESTS += vsmmu
HOST_TEST_vsmmu_SRCS = tests/host/test_vsmmu.c tests/host/iommufd_env.c $(SMMU_MODEL_SRCS) \
	$(SMMUV3_SRCS) iommu/pgtable.c $(IOMMU_CORE_SRCS) $(VSMMU_SRCS) $(HOST_ENV_SRCS)
# a stock Linux kernel drives it: arm-smmu-v3, VFIO, edu DMA (tests/linux/)
QEMU_TESTS += linux_vsmmu
# a hostile guest with a vSMMU next to a victim (guest/tests/vsmmu_hostile.c)
$(BUILD)/guest/vsmmu_hostile.dtb: $(BUILD)/guest/vsmmu_hostile.bin
TEST_EXTRA_DEPS += $(BUILD)/guest/vsmmu_hostile.dtb
QEMU_TESTS += vsmmu_hostile
