/* SPDX-License-Identifier: MIT */
/*
 * A software PCI configuration space for host tests of code that uses
 * pci_cfg_read32/pci_cfg_write32/pci_find_bdf (vmm/vpci.c,
 * vmm/guest_fdt.c): functions with real BAR behaviour (sizing reads the
 * mask, writes move the BAR) and a count of writes per register.
 */
#ifndef AERIE_PCI_CFG_MODEL_H
#define AERIE_PCI_CFG_MODEL_H

#include <aerie/pci.h>

#define MODEL_MAX_FNS 40
#define MODEL_CFG_DWORDS 1024

struct model_fn {
	struct pci_dev dev;		/* what enumeration would have found */
	u32 cfg[MODEL_CFG_DWORDS];
	u32 writes[MODEL_CFG_DWORDS];	/* pci_cfg_write32 calls per dword */
	u64 bar_size[6];		/* the hardware's BAR sizes (0: none) */
};

/* forget every function */
void model_reset(void);
/* a type-0 function at bdf with vendor/device and class; no BARs yet */
struct model_fn *model_add(u32 bdf, u16 vendor, u16 device, u32 class);
/* give it a memory BAR i at bus address `bus`, CPU address `cpu` (what
 * pci_ecam.c would have assigned) */
void model_bar(struct model_fn *f, int i, u64 bus, u64 cpu, u64 size, bool is64, bool prefetch);
/* an I/O BAR the hypervisor leaves unassigned */
void model_io_bar(struct model_fn *f, int i, u32 size);

#endif
