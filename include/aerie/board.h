/* SPDX-License-Identifier: MIT */
/*
 * What Aerie learned about the board from the device tree (boot/board.c,
 * on Aerie's reader, vmm/lib/dtb.c). Portable: filled the same way in the hypervisor and in host tests
 * (which parse DTBs dumped from QEMU).
 */
#ifndef AERIE_BOARD_H
#define AERIE_BOARD_H

#include <aerie/types.h>

#define BOARD_MAX_MEM 8
#define BOARD_MAX_CPUS 64	/* = MAX_CPUS; HiSilicon D05 has 64 */
#define BOARD_MAX_RANGES 4
#define BOARD_MAX_IOMMU_MAP 4
#define BOARD_MAX_REDIST 4
#define BOARD_MAX_RESERVED 32
#define BOARD_MAX_SMMU 8

struct board_mem {
	paddr_t base;
	u64 size;
};

/* memory the OS must not use: a /memreserve/ entry or a /reserved-memory
 * child with `reg` (no_map: not even mapped, e.g. secure firmware, whose
 * cacheable mapping alone can fault or corrupt) */
struct board_reserved {
	paddr_t base;
	u64 size;
	bool no_map;
};

/* the hypervisor consoles (drivers/pl011.c, drivers/ns16550.c) */
enum board_uart_kind {
	UART_PL011,		/* "arm,pl011" */
	UART_SBSA,		/* "arm,sbsa-uart": a PL011 subset, no control registers */
	UART_8250,		/* "ns16550a", "ns16550", "snps,dw-apb-uart", TI's 8250 */
};

/* an enabled SMMUv3 node */
struct board_smmu {
	paddr_t base;
	u64 size;
	u32 phandle;
	u32 irq_eventq, irq_gerror, irq_cmdq_sync; /* SPI numbers, 0 if absent */
};

enum psci_method { PSCI_NONE = 0, PSCI_SMC, PSCI_HVC };

/* PCI `ranges` space codes (phys.hi bits 25:24) */
enum pci_space { PCI_SPACE_CFG = 0, PCI_SPACE_IO = 1, PCI_SPACE_MEM32 = 2, PCI_SPACE_MEM64 = 3 };

struct board_pci_range {
	enum pci_space space;
	bool prefetchable;
	u64 pci_addr;
	paddr_t cpu_addr;
	u64 size;
};

/* iommu-map: RIDs [rid_base, rid_base+length) -> SIDs starting at sid_base */
struct board_iommu_map {
	u32 rid_base;
	u32 iommu_phandle;
	u32 sid_base;
	u32 length;
};

struct board {
	char model[64];

	struct board_mem mem[BOARD_MAX_MEM];
	unsigned int mem_count;

	struct board_reserved reserved[BOARD_MAX_RESERVED];
	unsigned int reserved_count;
	unsigned int reserved_dynamic;	/* size-only nodes, not placed: skipped */

	u64 cpu_mpidr[BOARD_MAX_CPUS];
	unsigned int cpu_count;
	unsigned int cpu_over;		/* enabled cpu nodes beyond BOARD_MAX_CPUS */
	enum psci_method psci;

	struct {
		bool present;
		enum board_uart_kind kind;
		paddr_t base;
		u64 size;
		u32 irq;		/* GIC SPI number (INTID - 32) */
		bool irq_known;		/* false: behind an interrupt-map, not read */
		u8 reg_shift;		/* 8250: register i at base + (i << reg_shift) */
		u8 reg_io_width;	/* 8250: 1 or 4 bytes per access */
		u32 baud;		/* from stdout-path "...:115200n8", 0 if none */
	} uart;				/* from /chosen/stdout-path */

	struct {
		bool present;
		paddr_t dist_base;
		u64 dist_size;
		paddr_t redist_base[BOARD_MAX_REDIST];
		u64 redist_size[BOARD_MAX_REDIST];
		unsigned int redist_count;
		/* optional GICv2-compat CPU interface / virtual interface regions */
		paddr_t gicv_base;	/* 0 if absent */
		u32 maint_irq;		/* PPI for maintenance (INTID), 0 if absent */
	} gic;

	/* every enabled SMMUv3, in tree order (disabled ones are skipped) */
	struct board_smmu smmus[BOARD_MAX_SMMU];
	unsigned int smmu_count;
	unsigned int smmu_over;		/* enabled ones beyond BOARD_MAX_SMMU */
	/* the one guests' DMA goes through: the SMMU the host bridge's first
	 * iommu-map entry names (smmus[0] without an iommu-map) */
	struct {
		bool present;
		unsigned int index;	/* in smmus[] */
		paddr_t base;
		u64 size;
		u32 phandle;
		u32 irq_eventq, irq_gerror, irq_cmdq_sync; /* SPI numbers, 0 if absent */
	} smmu;

	struct {
		bool present;
		paddr_t ecam_base;
		u64 ecam_size;
		u32 bus_start, bus_end;
		struct board_pci_range ranges[BOARD_MAX_RANGES];
		unsigned int range_count;
		struct board_iommu_map iommu_map[BOARD_MAX_IOMMU_MAP];
		unsigned int iommu_map_count;
		u32 iommu_map_mask;	/* 0xffff when the property is absent */
		u32 intx_spi[4];	/* INTA..INTD of slot 0 from interrupt-map (SPI), 0 if unknown */
	} pcie;

	struct {
		u32 hyp_ppi;		/* EL2 physical timer PPI (INTID) */
		u32 virt_ppi;		/* EL1 virtual timer PPI (INTID) */
		u32 phys_ppi;		/* EL1 physical timer PPI (INTID) */
	} timer;

	char bootargs[256];		/* /chosen/bootargs */
	paddr_t initrd_start, initrd_end; /* /chosen/linux,initrd-*, 0 if absent */
};

/*
 * Parse the DTB at `fdt`. Returns 0, or a negative errno with `*missing` set
 * to the name of the node or property that was required and not found
 * (for a clear message instead of a hang).
 */
int board_parse(const void *fdt, struct board *b, const char **missing);
/* print the one-screen summary shown at boot */
void board_print(const struct board *b);
/* RID -> StreamID through iommu-map on the SMMU guests use (b->smmu);
 * -ENOENT if the RID is not mapped to it */
int board_rid_to_sid(const struct board *b, u32 rid, u32 *sid);
/* the index in b->smmus[] of the SMMU iommu-map sends RID to (any of them),
 * with its StreamID; -ENOENT if none (unmapped, or a disabled SMMU) */
int board_rid_to_smmu(const struct board *b, u32 rid, u32 *sid);

#endif
