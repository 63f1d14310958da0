/* SPDX-License-Identifier: MIT */
/*
 * PCIe behind a generic ECAM host bridge (drivers/pci_ecam.c): enumeration
 * of every bus behind bus_start (through PCI-PCI bridges), BAR sizing and
 * assignment from the host bridge's `ranges`, RequesterID -> StreamID via
 * `iommu-map`. Portable: host tests run it against an ECAM model.
 */
#ifndef AERIE_PCI_H
#define AERIE_PCI_H

#include <aerie/board.h>
#include <aerie/types.h>

#define PCI_MAX_DEVS 32

#define PCI_BDF(bus, dev, fn) (((bus) << 8) | ((dev) << 3) | (fn))
#define PCI_BUS(bdf) (((bdf) >> 8) & 0xff)
#define PCI_DEV(bdf) (((bdf) >> 3) & 0x1f)
#define PCI_FN(bdf) ((bdf) & 7)

struct pci_bar {
	paddr_t pa;		/* assigned CPU physical address, 0 if none */
	u64 size;		/* 0: not implemented */
	bool is64, prefetch, io;
};

struct pci_dev {
	u32 bdf;		/* = RequesterID */
	u16 vendor, device;
	u32 class;		/* class code << 8 | prog-if... (24 bits) */
	bool bridge;
	struct pci_bar bar[6];
	u32 dma_rid;		/* the RequesterID its DMA carries (its own, or
				 * a bridge's alias: see pci_ecam.c) */
	u32 sid;		/* StreamID of dma_rid from iommu-map */
	bool sid_valid;		/* ... on the SMMU guests use (board.smmu) */
	paddr_t smmu_base;	/* the SMMU its iommu-map entry names, 0 none */
	u8 intx_pin;		/* 1..4 = INTA..INTD, 0 none */
	u32 intx_spi;		/* SPI number after swizzling, 0 if unknown */
	paddr_t cfg;		/* this function's ECAM config space */
};

int pci_enumerate(const struct board *b);
unsigned int pci_dev_count(void);
struct pci_dev *pci_dev_at(unsigned int i);
struct pci_dev *pci_find(u16 vendor, u16 device, unsigned int idx);
struct pci_dev *pci_find_bdf(u32 bdf);
/* memory decoding + bus mastering on/off */
void pci_enable(struct pci_dev *d, bool enable);
u32 pci_cfg_read32(const struct pci_dev *d, u32 reg);
void pci_cfg_write32(const struct pci_dev *d, u32 reg, u32 val);
void pci_print(void);

#endif
