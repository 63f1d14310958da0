/* SPDX-License-Identifier: MIT */
/*
 * Generic ECAM PCIe host: depth-first enumeration from the bridge's first
 * bus, bus numbers for PCI-PCI bridges, BAR sizing and natural-alignment
 * assignment (every memory BAR on a page of its own) from the host bridge's
 * memory windows (64-bit BARs from the
 * 64-bit window when there is one), bridge memory windows around what sits
 * behind them. Decoding and bus mastering stay off until a user enables a
 * device (device assignment does). I/O BARs are sized but not assigned.
 *
 * DMA aliases: behind a conventional PCI bridge the bridge issues DMA on
 * behalf of the devices, so the IOMMU sees the bridge's RequesterID; a
 * PCIe-to-PCI bridge uses (secondary bus, 00.0); PCIe ports keep each
 * device's own. The outermost alias wins. Devices that share an alias share
 * a StreamID and can only be assigned together.
 */
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/mmio.h>
#include <aerie/pci.h>
#include <aerie/string.h>
#include "pci_regs.h"

#define WINDOW_ALIGN (1ULL << 20)	/* bridge windows: 1 MiB granules */

struct window {
	u64 pci_to_cpu;		/* cpu = pci + pci_to_cpu */
	u64 next, end;		/* PCI addresses */
	bool present;
};

static struct pci_dev devs[PCI_MAX_DEVS];
static unsigned int ndevs;
static const struct board *pci_board;
static struct window mem32, mem64;

static paddr_t cfg_addr(u32 bus, u32 dev, u32 fn)
{
	return pci_board->pcie.ecam_base + PCI_ECAM_OFFSET(bus - pci_board->pcie.bus_start,
							   dev, fn, 0);
}

u32 pci_cfg_read32(const struct pci_dev *d, u32 reg)
{
	return mmio_read32(d->cfg + reg);
}

void pci_cfg_write32(const struct pci_dev *d, u32 reg, u32 val)
{
	mmio_write32(d->cfg + reg, val);
}

/* a naturally aligned PCI address range of `size` in w */
static bool window_alloc(struct window *w, u64 size, u64 *pci)
{
	u64 start;

	if (!w->present)
		return false;
	start = ALIGN_UP(w->next, size);
	if (start < w->next || start + size > w->end || start + size < start)
		return false;
	w->next = start + size;
	*pci = start;
	return true;
}

/* size BAR i of d (and i+1 for a 64-bit BAR); returns the BARs consumed */
static int size_bar(struct pci_dev *d, int i)
{
	u32 reg = PCI_BAR0 + 4 * i;
	u32 orig = pci_cfg_read32(d, reg), lo, hi = 0xffffffff;
	struct pci_bar *bar = &d->bar[i];
	u64 mask;

	pci_cfg_write32(d, reg, 0xffffffff);
	lo = pci_cfg_read32(d, reg);
	pci_cfg_write32(d, reg, orig);
	if (lo == 0 || lo == 0xffffffff)
		return 1;
	if (orig & PCI_BAR_IO) {
		bar->io = true;
		bar->size = (~(lo & ~3U) + 1) & 0xffff;
		return 1;
	}
	bar->prefetch = orig & PCI_BAR_PREFETCH;
	bar->is64 = FIELD_GET(PCI_BAR_MEM_TYPE, orig) == PCI_BAR_MEM_64;
	if (bar->is64 && i < 5) {
		u32 orig_hi = pci_cfg_read32(d, reg + 4);

		pci_cfg_write32(d, reg + 4, 0xffffffff);
		hi = pci_cfg_read32(d, reg + 4);
		pci_cfg_write32(d, reg + 4, orig_hi);
	}
	mask = ((u64)hi << 32 | lo) & PCI_BAR_MEM_MASK;
	if (!bar->is64)
		mask |= 0xffffffff00000000ULL;
	bar->size = ~mask + 1;
	return bar->is64 ? 2 : 1;
}

static void assign_bar(struct pci_dev *d, int i, bool behind_bridge)
{
	struct pci_bar *bar = &d->bar[i];
	u32 reg = PCI_BAR0 + 4 * i;
	struct window *w = NULL;
	u64 pci, span;

	if (!bar->size || bar->io)
		return;
	/* at least a page each: a guest's stage 2 maps whole pages, so a
	 * small BAR must not share its page with another device's registers */
	span = bar->size < PAGE_SIZE ? PAGE_SIZE : bar->size;
	/* 64-bit prefetchable BARs prefer the 64-bit window; behind a bridge
	 * everything goes through its 32-bit memory window */
	if (bar->is64 && bar->prefetch && !behind_bridge && window_alloc(&mem64, span, &pci))
		w = &mem64;
	else if (window_alloc(&mem32, span, &pci))
		w = &mem32;
	else if (bar->is64 && !behind_bridge && window_alloc(&mem64, span, &pci))
		w = &mem64;
	if (!w) {
		pr_warn("pci %02x:%02x.%u: no room for BAR%d (%llu bytes)\n", PCI_BUS(d->bdf),
			PCI_DEV(d->bdf), PCI_FN(d->bdf), i, (unsigned long long)bar->size);
		return;
	}
	bar->pa = pci + w->pci_to_cpu;
	pci_cfg_write32(d, reg, (u32)pci | (pci_cfg_read32(d, reg) & 0xf));
	if (bar->is64)
		pci_cfg_write32(d, reg + 4, (u32)(pci >> 32));
}

static u32 swizzle_spi(const struct board *b, u32 bdf, u8 pin)
{
	/* INTx of slot s, pin p routes to the host bridge's pin ((s + p - 1) % 4)
	 * on bus 0 (interrupt-map of QEMU virt and most ECAM hosts) */
	u32 slot = PCI_DEV(bdf);

	if (!pin || pin > 4)
		return 0;
	return b->pcie.intx_spi[(slot + pin - 1) % 4];
}

#define NO_ALIAS 0xffffffffU

static int scan_bus(const struct board *b, u32 bus, u32 *next_bus, bool behind_bridge,
		    u32 alias);

/* the PCIe capability's port type, or -1 for a conventional function */
static int pcie_port_type(const struct pci_dev *d)
{
	u32 ptr;

	if (!(pci_cfg_read32(d, PCI_COMMAND) & PCI_STATUS_CAP_LIST))
		return -1;
	ptr = pci_cfg_read32(d, PCI_CAP_PTR) & 0xfc;
	for (int n = 0; ptr && n < 48; n++) {
		u32 cap = pci_cfg_read32(d, ptr);

		if ((cap & 0xff) == PCI_CAP_ID_EXP)
			return (int)FIELD_GET(PCI_EXP_FLAGS_TYPE, cap);
		ptr = (cap >> 8) & 0xfc;
	}
	return -1;
}

static void add_function(const struct board *b, u32 bus, u32 dev, u32 fn, u32 id,
			 u32 *next_bus, bool behind_bridge, u32 alias)
{
	struct pci_dev *d;
	u32 hdr;
	int smmu;

	if (ndevs == PCI_MAX_DEVS) {
		pr_warn("pci: more than %d functions, ignoring %02x:%02x.%u\n", PCI_MAX_DEVS, bus,
			dev, fn);
		return;
	}
	d = &devs[ndevs++];
	memset(d, 0, sizeof(*d));
	d->bdf = PCI_BDF(bus, dev, fn);
	d->cfg = cfg_addr(bus, dev, fn);
	d->vendor = (u16)id;
	d->device = (u16)(id >> 16);
	d->class = pci_cfg_read32(d, PCI_CLASS_REV) >> 8;
	hdr = pci_cfg_read32(d, PCI_HEADER_REG);
	d->bridge = FIELD_GET(PCI_HEADER_TYPE, hdr) == PCI_HEADER_BRIDGE;
	/* decoding off while we size and place BARs */
	pci_cfg_write32(d, PCI_COMMAND, pci_cfg_read32(d, PCI_COMMAND) &
				 ~(u32)(PCI_COMMAND_MEMORY | PCI_COMMAND_IO | PCI_COMMAND_MASTER));
	for (int i = 0; i < (d->bridge ? 2 : 6);)
		i += size_bar(d, i);
	for (int i = 0; i < (d->bridge ? 2 : 6); i++)
		assign_bar(d, i, behind_bridge);
	d->intx_pin = (u8)FIELD_GET(PCI_INTERRUPT_PIN, pci_cfg_read32(d, PCI_INTERRUPT_REG));
	d->intx_spi = swizzle_spi(b, d->bdf, d->intx_pin);
	d->dma_rid = alias != NO_ALIAS ? alias : d->bdf;
	smmu = board_rid_to_smmu(b, d->dma_rid, &d->sid);
	d->smmu_base = smmu >= 0 ? b->smmus[smmu].base : 0;
	d->sid_valid = smmu >= 0 && (unsigned int)smmu == b->smmu.index;
	if (d->bridge) {
		u32 sec = (*next_bus)++;
		u64 win_start, win_end;
		int type = pcie_port_type(d);
		u32 child_alias = alias;

		if (child_alias == NO_ALIAS && type < 0)
			child_alias = d->bdf;			/* conventional bridge */
		else if (child_alias == NO_ALIAS && type == PCI_EXP_TYPE_PCI_BRIDGE)
			child_alias = PCI_BDF(sec, 0, 0);	/* PCIe-to-PCI bridge */

		/* primary, secondary, subordinate (0xff while we scan) */
		pci_cfg_write32(d, PCI_BUS_NUMBERS, bus | (sec << 8) | (0xffU << 16));
		mem32.next = ALIGN_UP(mem32.next, WINDOW_ALIGN);
		win_start = mem32.next;
		scan_bus(b, sec, next_bus, true, child_alias);
		mem32.next = ALIGN_UP(mem32.next, WINDOW_ALIGN);
		win_end = mem32.next;
		pci_cfg_write32(d, PCI_BUS_NUMBERS, bus | (sec << 8) | ((*next_bus - 1) << 16));
		if (win_end > win_start)
			pci_cfg_write32(d, PCI_MEMORY_WINDOW, (u32)((win_start >> 16) & 0xfff0) |
								 (u32)(((win_end - 1) & 0xfff00000)));
		else
			pci_cfg_write32(d, PCI_MEMORY_WINDOW, 0x0000fff0); /* closed */
		pci_cfg_write32(d, PCI_PREF_WINDOW, 0x0000fff0);	 /* closed */
		/* forward memory cycles and let devices behind it master */
		pci_cfg_write32(d, PCI_COMMAND, pci_cfg_read32(d, PCI_COMMAND) |
					 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	}
}

static int scan_bus(const struct board *b, u32 bus, u32 *next_bus, bool behind_bridge,
		    u32 alias)
{
	if (bus > b->pcie.bus_end)
		return -ERANGE;
	for (u32 dev = 0; dev < 32; dev++) {
		for (u32 fn = 0; fn < 8; fn++) {
			u32 id = mmio_read32(cfg_addr(bus, dev, fn) + PCI_VENDOR_ID);
			u32 hdr;

			if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0) {
				if (fn == 0)
					break;
				continue;
			}
			hdr = mmio_read32(cfg_addr(bus, dev, fn) + PCI_HEADER_REG);
			add_function(b, bus, dev, fn, id, next_bus, behind_bridge, alias);
			if (fn == 0 && !(hdr & PCI_HEADER_MULTIFN))
				break;
		}
	}
	return 0;
}

int pci_enumerate(const struct board *b)
{
	u32 next_bus = b->pcie.bus_start + 1;

	pci_board = b;
	ndevs = 0;
	memset(&mem32, 0, sizeof(mem32));
	memset(&mem64, 0, sizeof(mem64));
	for (unsigned int i = 0; i < b->pcie.range_count; i++) {
		const struct board_pci_range *r = &b->pcie.ranges[i];
		struct window *w = r->space == PCI_SPACE_MEM32 ? &mem32 :
				   r->space == PCI_SPACE_MEM64 ? &mem64 : NULL;

		if (!w || w->present)
			continue;
		w->present = true;
		w->pci_to_cpu = r->cpu_addr - r->pci_addr;
		w->next = r->pci_addr;
		w->end = r->pci_addr + r->size;
	}
	if (!mem32.present)
		pr_warn("pci: the host bridge has no 32-bit memory window\n");
	return scan_bus(b, b->pcie.bus_start, &next_bus, false, NO_ALIAS);
}

unsigned int pci_dev_count(void)
{
	return ndevs;
}

struct pci_dev *pci_dev_at(unsigned int i)
{
	return i < ndevs ? &devs[i] : NULL;
}

struct pci_dev *pci_find(u16 vendor, u16 device, unsigned int idx)
{
	for (unsigned int i = 0; i < ndevs; i++)
		if (devs[i].vendor == vendor && devs[i].device == device && idx-- == 0)
			return &devs[i];
	return NULL;
}

struct pci_dev *pci_find_bdf(u32 bdf)
{
	for (unsigned int i = 0; i < ndevs; i++)
		if (devs[i].bdf == bdf)
			return &devs[i];
	return NULL;
}

void pci_enable(struct pci_dev *d, bool enable)
{
	u32 cmd = pci_cfg_read32(d, PCI_COMMAND) & 0xffff;

	if (enable)
		cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	else
		cmd &= ~(u32)(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	pci_cfg_write32(d, PCI_COMMAND, cmd);
}

void pci_print(void)
{
	for (unsigned int i = 0; i < ndevs; i++) {
		const struct pci_dev *d = &devs[i];

		pr_info("pci %02x:%02x.%u %04x:%04x class %06x%s, StreamID %s0x%x", PCI_BUS(d->bdf),
			PCI_DEV(d->bdf), PCI_FN(d->bdf), d->vendor, d->device, d->class,
			d->bridge ? " (bridge)" : "", d->sid_valid ? "" : "none ",
			d->sid_valid ? d->sid : 0);
		if (d->dma_rid != d->bdf)
			pr_info(" (DMA aliased to %02x:%02x.%u)", PCI_BUS(d->dma_rid),
				PCI_DEV(d->dma_rid), PCI_FN(d->dma_rid));
		for (int b = 0; b < 6; b++)
			if (d->bar[b].pa)
				pr_info(", BAR%d 0x%llx+0x%llx", b, (unsigned long long)d->bar[b].pa,
					(unsigned long long)d->bar[b].size);
		pr_info("\n");
	}
}
