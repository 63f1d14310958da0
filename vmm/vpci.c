/* SPDX-License-Identifier: MIT */
/*
 * The guest's PCI configuration space: an emulated ECAM window at
 * GUEST_ECAM_IPA showing only the guest's own devices, at their virtual
 * BDFs. The policy is in include/aerie/vpci.h and
 * docs/assigning-a-device.md.
 */
#include <aerie/bits.h>
#include <aerie/errno.h>
#include <aerie/guest.h>
#include <aerie/pci.h>
#include <aerie/vmmio.h>
#include <aerie/vpci.h>
#include "../drivers/pci_regs.h"

/* an offset in an ECAM window */
#define ECAM_BUS		GENMASK(27, 20)
#define ECAM_DEV		GENMASK(19, 15)
#define ECAM_FN			GENMASK(14, 12)
#define ECAM_REG		GENMASK(11, 0)
#define ECAM_REG_DWORD		GENMASK(11, 2)
#define ECAM_REG_BYTE		GENMASK(1, 0)
#define PCI_SLOTS		32
#define PCI_FNS			8
#define PCI_BARS_NORMAL		6
#define PCI_BARS_BRIDGE		2
#define PCI_COMMAND_BITS	GENMASK(15, 0)	/* the Command half of the dword */
#define BAR32_FLAGS		GENMASK(3, 0)	/* memory BAR: type, prefetchable */
#define BAR32_ADDR		GENMASK(31, 4)
/* what a guest may change in its device's Command register */
#define VPCI_COMMAND_GUEST	(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DIS)

/* the BAR that BAR register r of d belongs to (*high: r is the upper half
 * of a 64-bit BAR); NULL when the guest must see no BAR there */
static const struct pci_bar *bar_of(const struct pci_dev *d, unsigned int r, bool *high)
{
	const struct pci_bar *b;

	*high = false;
	if (r >= (d->bridge ? PCI_BARS_BRIDGE : PCI_BARS_NORMAL))
		return NULL;
	if (r > 0 && d->bar[r - 1].is64 && d->bar[r - 1].size) {
		*high = true;
		r--;
	}
	b = &d->bar[r];
	if (!b->size || b->io || !b->pa)
		return NULL;
	return b;
}

u64 vpci_bar_bus_addr(const struct pci_dev *d, int i)
{
	bool high;
	const struct pci_bar *b;
	u64 addr;

	if (i < 0)
		return 0;
	b = bar_of(d, (unsigned int)i, &high);
	if (!b || high)
		return 0;
	addr = pci_cfg_read32(d, PCI_BAR0 + 4 * (u32)i) & BAR32_ADDR;
	if (b->is64)
		addr |= (u64)pci_cfg_read32(d, PCI_BAR0 + 4 * (u32)i + 4) << 32;
	return addr;
}

static bool is_bar_reg(const struct pci_dev *d, u32 reg, unsigned int *r)
{
	u32 nbars = d->bridge ? PCI_BARS_BRIDGE : PCI_BARS_NORMAL;

	if (reg < PCI_BAR0 || reg >= PCI_BAR0 + 4 * nbars)
		return false;
	*r = (reg - PCI_BAR0) / 4;
	return true;
}

static u32 rom_reg(const struct pci_dev *d)
{
	return d->bridge ? PCI_ROM_ADDRESS_BRIDGE : PCI_ROM_ADDRESS;
}

/* the dword at `reg` (4-byte aligned) as the guest sees it */
static u32 cfg_read(const struct pci_dev *d, const struct vpci_dev *v, u32 reg)
{
	unsigned int r;

	if (is_bar_reg(d, reg, &r)) {
		bool high;
		const struct pci_bar *b = bar_of(d, r, &high);
		u32 real;
		u64 mask;

		if (!b)
			return 0;
		real = pci_cfg_read32(d, reg);
		if (!(v->sizing & BIT(r)))
			return real;
		mask = ~(b->size - 1);
		if (high)
			return (u32)(mask >> 32);
		return ((u32)mask & BAR32_ADDR) | (real & BAR32_FLAGS);
	}
	if (reg == rom_reg(d))
		return 0;
	return pci_cfg_read32(d, reg);
}

/* the guest writes the dword at `reg` (4-byte aligned) */
static void cfg_write(const struct pci_dev *d, struct vpci_dev *v, u32 reg, u32 val)
{
	unsigned int r;

	if (reg == PCI_COMMAND) {
		u32 cmd = pci_cfg_read32(d, PCI_COMMAND) & PCI_COMMAND_BITS;

		cmd = (cmd & ~(u32)VPCI_COMMAND_GUEST) | (val & VPCI_COMMAND_GUEST);
		/* Status is write-one-to-clear: writing 0 there changes nothing */
		pci_cfg_write32(d, PCI_COMMAND, cmd);
		return;
	}
	if (is_bar_reg(d, reg, &r)) {
		bool high;
		const struct pci_bar *b = bar_of(d, r, &high);
		u32 mask;

		if (!b)
			return;
		/* the address bits the BAR decodes; a value with all of them
		 * set is what the sizing protocol writes (on hardware it reads
		 * back as the size mask) */
		mask = high ? (u32)(~(b->size - 1) >> 32) : (u32)~(b->size - 1) & BAR32_ADDR;
		/* never forwarded: any other value leaves the BAR where it is
		 * (the guest sees it at IPA = PA) */
		if ((val & mask) == mask)
			v->sizing |= (u32)BIT(r);
		else
			v->sizing &= ~(u32)BIT(r);
	}
	/* everything else is ignored: ROM, capabilities (MSI, MSI-X, PCIe
	 * control), bridge registers, the extended space */
}

static int find_vbdf(const struct guest *g, u32 vbdf)
{
	for (unsigned int i = 0; i < g->ndevs; i++)
		if (g->vpci[i].vbdf == vbdf)
			return (int)i;
	return -1;
}

bool vpci_access(struct guest *g, struct vmmio_access *a)
{
	u64 off, ones;
	u32 vbdf, reg, shift;
	int i;

	if (a->ipa < GUEST_ECAM_IPA || a->ipa - GUEST_ECAM_IPA >= GUEST_ECAM_SIZE)
		return false;
	off = a->ipa - GUEST_ECAM_IPA;
	ones = a->size >= sizeof(u64) ? ~0ULL : BIT(8 * a->size) - 1;
	if (!a->write)
		a->val = ones;
	/* configuration accesses are 1, 2 or 4 bytes, naturally aligned */
	if ((a->size != 1 && a->size != 2 && a->size != 4) || (off & (a->size - 1)))
		return true;
	vbdf = PCI_BDF((u32)FIELD_GET(ECAM_BUS, off), (u32)FIELD_GET(ECAM_DEV, off),
		       (u32)FIELD_GET(ECAM_FN, off));
	reg = (u32)(off & ECAM_REG_DWORD);
	shift = 8 * (u32)(off & ECAM_REG_BYTE);
	spin_lock(&g->lock);
	i = find_vbdf(g, vbdf);
	if (i >= 0) {
		const struct pci_dev *d = g->devs[i];
		struct vpci_dev *v = &g->vpci[i];
		u32 dw = cfg_read(d, v, reg);

		if (!a->write) {
			a->val = (dw >> shift) & ones;
		} else {
			u32 m = (u32)(ones << shift);

			cfg_write(d, v, reg, (dw & ~m) | ((u32)(a->val << shift) & m));
		}
	}
	spin_unlock(&g->lock);
	return true;
}

static bool overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/* does a BAR of d land on a guest address that is not the device's? */
static bool bar_clash(const struct guest *g, const struct pci_dev *d)
{
	for (int i = 0; i < PCI_BARS_NORMAL; i++) {
		const struct pci_bar *b = &d->bar[i];

		if (!b->pa || !b->size || b->io)
			continue;
		if (overlaps(b->pa, b->size, GUEST_ECAM_IPA, GUEST_ECAM_SIZE) ||
		    overlaps(b->pa, b->size, GUEST_UART_IPA, GUEST_UART_SIZE) ||
		    overlaps(b->pa, b->size, GUEST_GICD_IPA, GUEST_GICD_SIZE) ||
		    overlaps(b->pa, b->size, GUEST_GICR_IPA, GUEST_GICR_STRIDE * GUEST_MAX_VCPUS) ||
		    overlaps(b->pa, b->size, GUEST_RAM_IPA, g->ram_size))
			return true;
	}
	return false;
}

static bool slot_taken(const struct guest *g, u32 slot)
{
	for (u32 fn = 0; fn < PCI_FNS; fn++)
		if (pci_find_bdf(PCI_BDF(0, slot, fn)) || find_vbdf(g, PCI_BDF(0, slot, fn)) >= 0)
			return true;
	return false;
}

int vpci_choose_vbdf(const struct guest *g, const struct pci_dev *d)
{
	if (bar_clash(g, d))
		return -EBUSY;
	if (PCI_BUS(d->bdf) == 0 && PCI_FN(d->bdf) == 0)
		return find_vbdf(g, d->bdf) < 0 ? (int)d->bdf : -EBUSY;
	/* slot 0 stays free: it is the host bridge's on most boards */
	for (u32 slot = 1; slot < PCI_SLOTS; slot++)
		if (!slot_taken(g, slot))
			return (int)PCI_BDF(0, slot, 0);
	return -ENOSPC;
}
