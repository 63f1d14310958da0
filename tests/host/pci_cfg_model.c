/* SPDX-License-Identifier: MIT */
/* A software PCI configuration space: see pci_cfg_model.h. */
#include <stddef.h>
#include <string.h>
#include "pci_cfg_model.h"
#include "../../drivers/pci_regs.h"

#define BAR_IO_FLAGS_MASK 0x3U
#define BAR_MEM_FLAGS_MASK 0xfU

static struct model_fn fns[MODEL_MAX_FNS];
static unsigned int nfns;

void model_reset(void)
{
	memset(fns, 0, sizeof(fns));
	nfns = 0;
}

struct model_fn *model_add(u32 bdf, u16 vendor, u16 device, u32 class)
{
	struct model_fn *f = &fns[nfns++];

	f->dev.bdf = bdf;
	f->dev.vendor = vendor;
	f->dev.device = device;
	f->dev.class = class;
	f->dev.cfg = bdf;
	f->cfg[PCI_VENDOR_ID / 4] = (u32)device << 16 | vendor;
	f->cfg[PCI_CLASS_REV / 4] = class << 8;
	return f;
}

void model_bar(struct model_fn *f, int i, u64 bus, u64 cpu, u64 size, bool is64, bool prefetch)
{
	u32 flags = (is64 ? (u32)FIELD_PREP(PCI_BAR_MEM_TYPE, PCI_BAR_MEM_64) : 0) |
		    (prefetch ? (u32)PCI_BAR_PREFETCH : 0);

	f->bar_size[i] = size;
	f->cfg[PCI_BAR0 / 4 + i] = (u32)bus | flags;
	if (is64)
		f->cfg[PCI_BAR0 / 4 + i + 1] = (u32)(bus >> 32);
	f->dev.bar[i] = (struct pci_bar){ .pa = cpu, .size = size, .is64 = is64,
					  .prefetch = prefetch };
}

void model_io_bar(struct model_fn *f, int i, u32 size)
{
	f->bar_size[i] = size;
	f->cfg[PCI_BAR0 / 4 + i] = PCI_BAR_IO;
	f->dev.bar[i] = (struct pci_bar){ .size = size, .io = true };
}

static struct model_fn *fn_of(const struct pci_dev *d)
{
	return (struct model_fn *)((char *)d - offsetof(struct model_fn, dev));
}

u32 pci_cfg_read32(const struct pci_dev *d, u32 reg)
{
	return fn_of(d)->cfg[(reg & 0xffc) / 4];
}

void pci_cfg_write32(const struct pci_dev *d, u32 reg, u32 val)
{
	struct model_fn *f = fn_of(d);
	u32 i = (reg & 0xffc) / 4;
	int bar = (int)i - PCI_BAR0 / 4;

	f->writes[i]++;
	if (bar >= 0 && bar < 6) {
		u32 old = f->cfg[i];
		bool high = bar > 0 && FIELD_GET(PCI_BAR_MEM_TYPE, f->cfg[i - 1]) == PCI_BAR_MEM_64 &&
			    !(f->cfg[i - 1] & PCI_BAR_IO);
		u64 size = high ? f->bar_size[bar - 1] : f->bar_size[bar];
		u64 mask = ~(size - 1);

		if (!size) {
			f->cfg[i] = 0;
		} else if (high) {
			f->cfg[i] = val & (u32)(mask >> 32);
		} else if (old & PCI_BAR_IO) {
			f->cfg[i] = (val & (u32)mask & ~BAR_IO_FLAGS_MASK) | (old & BAR_IO_FLAGS_MASK);
		} else {
			f->cfg[i] = (val & (u32)mask & ~BAR_MEM_FLAGS_MASK) | (old & BAR_MEM_FLAGS_MASK);
		}
		return;
	}
	f->cfg[i] = val;
}

struct pci_dev *pci_find_bdf(u32 bdf)
{
	for (unsigned int i = 0; i < nfns; i++)
		if (fns[i].dev.bdf == bdf)
			return &fns[i].dev;
	return NULL;
}
