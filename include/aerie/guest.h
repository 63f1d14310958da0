/* SPDX-License-Identifier: MIT */
/*
 * A guest (vmm/guest.c): RAM carved from Aerie's memory at guest-physical
 * GUEST_RAM_IPA, its own CPU stage 2 and VMID, up to GUEST_MAX_VCPUS vCPUs
 * at EL1 (vCPU i runs on physical CPU pcpu_base + i), an emulated PL011 at
 * GUEST_UART_IPA, its assigned PCI devices' BARs mapped at their physical
 * addresses, and an IOMMU context for the iommufd-style hypercalls.
 */
#ifndef AERIE_GUEST_H
#define AERIE_GUEST_H

#include <aerie/iommu_core.h>
#include <aerie/pci.h>
#include <aerie/pgtable.h>
#include <aerie/spinlock.h>
#include <aerie/vcpu.h>
#include <aerie/vgic.h>
#include <aerie/vm_mem.h>
#include <aerie/vpci.h>

/* The guest-physical map (what its device tree describes, vmm/guest_fdt.c).
 * Its devices' BARs sit at their physical addresses (PCI windows of the
 * board, 0x10000000..0x3effffff and above 512 GiB on QEMU virt). */
#define GUEST_RAM_IPA	0x40000000ULL
#define GUEST_UART_IPA	0x09000000ULL	/* emulated PL011 (vmm/vuart.c) */
#define GUEST_UART_SIZE	0x1000ULL
#define GUEST_UART_SPI	1
#define GUEST_GICD_IPA	0x08000000ULL	/* vGIC distributor */
#define GUEST_GICD_SIZE	0x10000ULL
#define GUEST_GICR_IPA	0x080a0000ULL	/* vGIC redistributors, one per vCPU */
#define GUEST_GICR_STRIDE 0x20000ULL
#define GUEST_ECAM_IPA	0x3f000000ULL	/* emulated ECAM, bus 0 (vmm/vpci.c) */
#define GUEST_ECAM_SIZE	0x100000ULL
#define GUEST_VSMMU_IPA	0x09050000ULL	/* iommu = "vsmmu" (vmm/vsmmu*.c): 128 KiB */
#define GUEST_VSMMU_EVTQ_SPI 209	/* its interrupts (one-shot injections) */
#define GUEST_VSMMU_GERROR_SPI 210
#define GUEST_FDT_MAX	0x10000ULL	/* the DTB: the last 64 KiB of its RAM */
#define GUEST_MAX_VCPUS	4
#define GUEST_MAX_DEVS	4

/* what a guest's assigned devices DMA through (the package's `iommu`
 * property, docs/guests.md): its RAM at IOVA = IPA, pinned (the default);
 * nothing until the guest's own hypercalls build it; a virtual SMMUv3 */
enum guest_iommu { GUEST_IOMMU_STAGE2, GUEST_IOMMU_HYPERCALL, GUEST_IOMMU_VSMMU };

struct vsmmu;

enum guest_state { GUEST_RUNNING, GUEST_OFF, GUEST_RESET, GUEST_CRASHED };
enum vcpu_power { VCPU_OFF, VCPU_ON_PENDING, VCPU_ON };

struct guest;

struct guest_vcpu {
	struct vcpu arch;
	struct guest *g;
	unsigned int idx;	/* the guest's CPU number (its MPIDR Aff0) */
	unsigned int pcpu;	/* the physical CPU it runs on */
	u32 power;		/* enum vcpu_power */
	u64 entry, ctx;		/* where CPU_ON starts it, and its x0 */
	struct vgic_cpu vgic;	/* its redistributor and virtual CPU interface */
};

struct guest {
	char name[16];
	struct vm_mem mem;
	paddr_t ram_pa;
	u64 ram_size;
	struct pgtable s2;
	u16 vmid;
	unsigned int nvcpus;
	struct guest_vcpu vcpus[GUEST_MAX_VCPUS];
	u32 active;		/* vCPU loops running */
	struct iommu_ctx *iommu;
	enum guest_iommu iommu_mode;	/* set before its devices are assigned */
	struct vsmmu *vsmmu;	/* iommu = "vsmmu": its virtual SMMUv3 */
	struct pci_dev *devs[GUEST_MAX_DEVS];	/* assigned devices */
	struct vpci_dev vpci[GUEST_MAX_DEVS];	/* their config-space view */
	unsigned int ndevs;
	u32 state;		/* enum guest_state */
	spinlock_t lock;	/* console line, state changes, CPU_ON */
	bool no_console;	/* package: console = "none" (no PL011 at all) */
	char line[128];		/* console line being assembled */
	unsigned int line_len;
	u64 boot_x0, boot_x1;	/* vCPU 0's x0 (the DTB) and x1 */
	const char *bootargs;	/* its DTB's /chosen/bootargs (NULL: none);
				 * only read while the DTB is built */
	u64 initrd_ipa, initrd_size;	/* its initrd in its RAM (size 0: none) */
	struct vgic_dist vgic;	/* its GIC distributor (include/aerie/vgic.h) */
};

/* how much RAM from its start an image needs: an arm64 Image header's
 * text_offset + image_size (BSS included) when it has one, else its length */
u64 guest_image_extent(const void *image, u64 len);
/* copy an initrd of len bytes into g's RAM, page-aligned, right below its
 * DTB's 64 KiB, above the first `reserved` bytes (its image); -ENOSPC if it
 * does not fit there. Its DTB's /chosen then names it. */
int guest_load_initrd(struct guest *g, const void *data, u64 len, u64 reserved);
/* copy `image` to the start of a fresh RAM of ram_size; one vCPU that enters
 * it there */
int guest_create(struct guest *g, const char *name, const void *image, u64 image_size,
		 u64 ram_size);
/* nvcpus vCPUs, vCPU i on physical CPU pcpu_base + i (vCPU 0 on the CPU
 * that calls guest_run) */
int guest_set_vcpus(struct guest *g, unsigned int nvcpus, unsigned int pcpu_base);
/* give the guest a PCI device: BARs in its stage 2, bus mastering on, and a
 * device object in its IOMMU context (vsid: the StreamID it names); with
 * GUEST_IOMMU_STAGE2 its stream is attached to the guest's RAM first */
int guest_assign_pci(struct guest *g, struct pci_dev *d, u32 vsid);
/* run the guest: vCPU 0 on this CPU (x1 = its test argument), the others
 * where PSCI CPU_ON starts them; returns when every vCPU has stopped */
enum guest_state guest_run(struct guest *g, u64 x1);
/* iommu = "vsmmu": its virtual SMMUv3 over the devices assigned so far */
int guest_vsmmu_create(struct guest *g);
void guest_destroy(struct guest *g);

#endif
