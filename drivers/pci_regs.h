/* SPDX-License-Identifier: MIT */
/* PCI configuration space registers (PCI Local Bus 3.0, PCIe base spec). */
#ifndef AERIE_PCI_REGS_H
#define AERIE_PCI_REGS_H

#include <aerie/bits.h>

#define PCI_VENDOR_ID		0x00	/* 16 bits; device ID above */
#define PCI_COMMAND		0x04	/* 16 bits; status above */
#define   PCI_COMMAND_IO	BIT(0)
#define   PCI_COMMAND_MEMORY	BIT(1)
#define   PCI_COMMAND_MASTER	BIT(2)
#define   PCI_COMMAND_INTX_DIS	BIT(10)
#define PCI_CLASS_REV		0x08	/* class << 8 | revision */
#define PCI_HEADER_REG		0x0c	/* cache line, latency, header type, BIST */
#define   PCI_HEADER_TYPE	GENMASK(22, 16)
#define   PCI_HEADER_MULTIFN	BIT(23)
#define   PCI_HEADER_NORMAL	0
#define   PCI_HEADER_BRIDGE	1
#define PCI_BAR0		0x10
#define   PCI_BAR_IO		BIT(0)
#define   PCI_BAR_MEM_TYPE	GENMASK(2, 1)
#define   PCI_BAR_MEM_64	2
#define   PCI_BAR_PREFETCH	BIT(3)
#define   PCI_BAR_MEM_MASK	(~0xfULL)
#define PCI_STATUS_CAP_LIST	BIT(20)	/* in the COMMAND dword */
#define PCI_ROM_ADDRESS		0x30	/* expansion ROM BAR (type 0 header) */
#define PCI_CAP_PTR		0x34
#define PCI_ROM_ADDRESS_BRIDGE	0x38	/* expansion ROM BAR (type 1 header) */
#define PCI_CAP_ID_EXP		0x10
#define PCI_EXP_FLAGS_TYPE	GENMASK(23, 20)	/* in the capability's first dword */
#define PCI_EXP_TYPE_PCI_BRIDGE	0x7
#define PCI_BUS_NUMBERS		0x18	/* bridge: primary, secondary, subordinate */
#define PCI_MEMORY_WINDOW	0x20	/* bridge: base [15:4] = addr[31:20], limit */
#define PCI_PREF_WINDOW		0x24
#define PCI_INTERRUPT_REG	0x3c	/* line, pin [15:8] */
#define   PCI_INTERRUPT_PIN	GENMASK(15, 8)

#define PCI_ECAM_OFFSET(bus, dev, fn, reg) \
	(((u64)(bus) << 20) | ((u64)(dev) << 15) | ((u64)(fn) << 12) | (reg))

#endif
