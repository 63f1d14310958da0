/* SPDX-License-Identifier: MIT */
/*
 * QEMU's `edu` PCI device (hw/misc/edu.c): a DMA engine between RAM (bus
 * addresses, i.e. IOVAs through the SMMU) and a 4 KiB buffer inside the
 * device. Vendor 0x1234, device 0x11e8, BAR0 = 1 MiB of registers.
 * The device masks DMA addresses to 28 bits: IOVAs must stay below 256 MiB.
 * A DMA that the IOMMU refuses is silently dropped by the device; the
 * command still completes.
 */
#ifndef AERIE_EDU_H
#define AERIE_EDU_H

#include <aerie/bits.h>
#include <aerie/types.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_REG_ID		0x00	/* 0x010000ed */
#define EDU_REG_LIVENESS	0x04	/* reads back the complement */
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_CMD		0x98
#define   EDU_DMA_RUN		BIT(0)
#define   EDU_DMA_TO_RAM	BIT(1)	/* 0: RAM -> device buffer */
#define   EDU_DMA_IRQ		BIT(2)
#define EDU_BUF_OFFSET		0x40000	/* the device-side buffer's bus address */
#define EDU_BUF_SIZE		4096
#define EDU_DMA_MASK		((1ULL << 28) - 1)
#define EDU_ID_MAGIC		0xed

/* Hypervisor-side helpers (drivers/edu.c) on the BAR0 CPU address */
bool edu_present(paddr_t bar0);
/* copy len bytes between IOVA and the device buffer at `off`; waits for the
 * device. -EINVAL for ranges the device cannot do, -ETIMEDOUT. */
int edu_dma(paddr_t bar0, u64 iova, u32 off, u32 len, bool to_ram);

#endif
