/* SPDX-License-Identifier: MIT */
/*
 * A guest (vmm/guest.c): RAM carved from Aerie's memory at guest-physical
 * GUEST_RAM_IPA, its own CPU stage 2 and VMID, one vCPU at EL1, an emulated
 * PL011 at GUEST_UART_IPA, its assigned PCI devices' BARs mapped at their
 * physical addresses, and an IOMMU context for the iommufd-style hypercalls.
 */
#ifndef AERIE_GUEST_H
#define AERIE_GUEST_H

#include <aerie/iommu_core.h>
#include <aerie/pci.h>
#include <aerie/pgtable.h>
#include <aerie/vcpu.h>
#include <aerie/vm_mem.h>

#define GUEST_RAM_IPA	0x40000000ULL
#define GUEST_UART_IPA	0x09000000ULL

enum guest_state { GUEST_RUNNING, GUEST_OFF, GUEST_RESET, GUEST_CRASHED };

struct guest {
	char name[16];
	struct vm_mem mem;
	paddr_t ram_pa;
	u64 ram_size;
	struct pgtable s2;
	u16 vmid;
	struct vcpu vcpu;
	struct iommu_ctx *iommu;
	struct pci_dev *devs[4];	/* assigned devices */
	unsigned int ndevs;
	enum guest_state state;
	char line[128];		/* console line being assembled */
	unsigned int line_len;
};

/* copy `image` to the start of a fresh RAM of ram_size and prepare the vCPU
 * to enter it there; x1 = info (see guest/README) */
int guest_create(struct guest *g, const char *name, const void *image, u64 image_size,
		 u64 ram_size);
/* give the guest a PCI device: BARs in its stage 2, bus mastering on, and a
 * device object in its IOMMU context (vsid: the StreamID it names) */
int guest_assign_pci(struct guest *g, struct pci_dev *d, u32 vsid);
/* run the guest on this CPU until it stops; returns its final state */
enum guest_state guest_run(struct guest *g, u64 x1);
void guest_destroy(struct guest *g);

#endif
