/* SPDX-License-Identifier: MIT */
/*
 * Real DMA through QEMU's SMMUv3 with QEMU's edu device, on tables Aerie
 * programmed itself (run with two `-device edu`, tests/qemu/smmu_dma_*.args).
 * Every test checks bytes in memory, not just return codes.
 */
#include <aerie/arch.h>
#include <aerie/edu.h>
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/pci.h>
#include <aerie/pgtable.h>
#include <aerie/selftest.h>
#include <aerie/smmu.h>
#include <aerie/string.h>

#define CHECK(c) SELFTEST_CHECK(c)

#define IOVA_RW 0x100000ULL
#define IOVA_RW2 0x200000ULL
#define IOVA_HOLE 0x300000ULL
#define IOVA_RO 0x400000ULL
#define GUARD 0x5a

/*
 * The first event the driver drained since the last reset (the test image's
 * event sink). edu moves data in 4-byte accesses, so one refused DMA gives
 * one event per access; the first names the DMA's start address.
 */
static struct smmu_event last_evt;
static int nevents;

void iommu_event_observer(const struct smmu_event *evt);
void iommu_event_observer(const struct smmu_event *evt)
{
	if (nevents++ == 0)
		last_evt = *evt;
}

static void events_reset(void)
{
	nevents = 0;
	memset(&last_evt, 0, sizeof(last_evt));
}

struct dma_env {
	struct smmu *smmu;
	struct pci_dev *edu, *edu2;
	paddr_t bar, bar2;
	struct pgtable pt;
	u16 vmid;
	u8 *area;		/* 4 pages: guard, buf, guard, buf2 */
	u8 *buf, *buf2;
};

static int setup(struct dma_env *e)
{
	struct smmu_ste_cfg c;
	int err;

	memset(e, 0, sizeof(*e));
	e->smmu = hyp_smmu();
	e->edu = pci_find(EDU_VENDOR, EDU_DEVICE, 0);
	e->edu2 = pci_find(EDU_VENDOR, EDU_DEVICE, 1);
	CHECK(e->smmu && e->edu && e->edu2 && e->edu->sid_valid && e->edu2->sid_valid);
	CHECK(e->edu->sid != e->edu2->sid);
	e->bar = e->edu->bar[0].pa;
	e->bar2 = e->edu2->bar[0].pa;
	pci_enable(e->edu, true);
	pci_enable(e->edu2, true); /* bus master on: only the SMMU can stop it */
	CHECK(edu_present(e->bar) && edu_present(e->bar2));
	e->area = pages_alloc(2);
	CHECK(e->area);
	memset(e->area, GUARD, 4 * PAGE_SIZE);
	e->buf = e->area + PAGE_SIZE;
	e->buf2 = e->area + 3 * PAGE_SIZE;
	memset(e->buf, 0, PAGE_SIZE);
	memset(e->buf2, 0, PAGE_SIZE);
	err = pgtable_init(&e->pt, 39, smmu_features(e->smmu)->oas);
	if (!err)
		err = smmu_vmid_alloc(e->smmu, &e->vmid);
	if (!err)
		err = pgtable_map(&e->pt, IOVA_RW, PAGE_SIZE, virt_to_phys(e->buf), PT_R | PT_W,
				  PT_ATTR_NORMAL, NULL);
	if (!err)
		err = pgtable_map(&e->pt, IOVA_RW2, PAGE_SIZE, virt_to_phys(e->buf2),
				  PT_R | PT_W, PT_ATTR_NORMAL, NULL);
	if (!err)
		err = pgtable_map(&e->pt, IOVA_RO, PAGE_SIZE, virt_to_phys(e->buf), PT_R,
				  PT_ATTR_NORMAL, NULL);
	if (err)
		return err;
	c = (struct smmu_ste_cfg){ .kind = SMMU_STE_S2, .s2 = &e->pt, .vmid = e->vmid };
	err = smmu_ste_install(e->smmu, e->edu->sid, &c);
	smmu_poll(e->smmu);
	events_reset();
	return err;
}

static bool guards_intact(const struct dma_env *e)
{
	for (u64 i = 0; i < PAGE_SIZE; i++)
		if (e->area[i] != GUARD || e->area[2 * PAGE_SIZE + i] != GUARD)
			return false;
	return true;
}

static void pattern(u8 *p, u32 len, u8 seed)
{
	for (u32 i = 0; i < len; i++)
		p[i] = (u8)(seed + i * 13);
}

/* RAM -> device -> RAM through stage-2 IOVAs; bytes land exactly there */
SELFTEST(smmu_dma_map)
{
	struct dma_env e;
	u8 expect[256];

	CHECK(setup(&e) == 0);
	pattern(e.buf2, 256, 0x31);
	memcpy(expect, e.buf2, sizeof(expect));
	/* buf2 -> device buffer, then device -> buf at offset 512 */
	CHECK(edu_dma(e.bar, IOVA_RW2, 0, 256, false) == 0);
	CHECK(edu_dma(e.bar, IOVA_RW + 512, 0, 256, true) == 0);
	CHECK(memcmp(e.buf + 512, expect, 256) == 0);
	for (u32 i = 0; i < PAGE_SIZE; i++)
		CHECK(i >= 512 && i < 768 ? 1 : e.buf[i] == 0);
	CHECK(guards_intact(&e));
	CHECK(nevents == 0 && smmu_poll(e.smmu) == 0);
	pr_info("smmu_dma_map: 256 bytes went RAM -> edu -> RAM through IOVAs 0x%llx/0x%llx, "
		"nothing else changed\n", IOVA_RW2, IOVA_RW + 512);
	return 0;
}

/* an unmapped IOVA: nothing changes, a translation fault names edu's SID */
SELFTEST(smmu_dma_unmapped)
{
	struct dma_env e;

	CHECK(setup(&e) == 0);
	pattern(e.buf2, 64, 0x77);
	CHECK(edu_dma(e.bar, IOVA_RW2, 0, 64, false) == 0); /* device buffer = pattern */
	CHECK(edu_dma(e.bar, IOVA_HOLE + 0x40, 0, 64, true) == 0);
	CHECK(smmu_poll(e.smmu) >= 1);
	CHECK(last_evt.type == 0x10); /* F_TRANSLATION */
	CHECK(last_evt.sid == e.edu->sid);
	CHECK(last_evt.addr == IOVA_HOLE + 0x40);
	CHECK(!last_evt.read);
	for (u32 i = 0; i < PAGE_SIZE; i++)
		CHECK(e.buf[i] == 0);
	CHECK(guards_intact(&e));
	/* Aerie keeps running and the device still works where it may */
	CHECK(edu_dma(e.bar, IOVA_RW, 0, 64, true) == 0);
	CHECK(memcmp(e.buf, e.buf2, 64) == 0);
	return 0;
}

/* after unmap + invalidation the SMMU's TLB no longer lets it through */
SELFTEST(smmu_dma_inval)
{
	struct dma_env e;
	struct pgtable_inval inv;

	CHECK(setup(&e) == 0);
	pattern(e.buf2, 128, 0x10);
	CHECK(edu_dma(e.bar, IOVA_RW2, 0, 128, false) == 0);
	CHECK(edu_dma(e.bar, IOVA_RW, 0, 128, true) == 0); /* translation now cached */
	CHECK(memcmp(e.buf, e.buf2, 128) == 0);
	memset(e.buf, 0, PAGE_SIZE);
	CHECK(pgtable_unmap(&e.pt, IOVA_RW, PAGE_SIZE, &inv, NULL) == 0);
	CHECK(smmu_inv_s2_range(e.smmu, e.vmid, &inv, false) == 0);
	pgtable_inval_complete(&e.pt);
	events_reset();
	CHECK(edu_dma(e.bar, IOVA_RW, 0, 128, true) == 0);
	for (u32 i = 0; i < PAGE_SIZE; i++)
		CHECK(e.buf[i] == 0);
	CHECK(smmu_poll(e.smmu) >= 1 && last_evt.type == 0x10 && last_evt.addr == IOVA_RW);
	return 0;
}

/* a device whose stream was never configured cannot DMA at all */
SELFTEST(smmu_dma_unconfigured)
{
	struct dma_env e;
	u64 ste[8];

	CHECK(setup(&e) == 0);
	CHECK(smmu_ste_read(e.smmu, e.edu2->sid, ste) == 0);
	CHECK((ste[0] & 0xf) == 1); /* V=1, Config=abort */
	pattern(e.buf2, 64, 0x99);
	/* same IOVAs the configured device may use: still nothing, either way */
	CHECK(edu_dma(e.bar2, IOVA_RW2, 0, 64, false) == 0);
	CHECK(edu_dma(e.bar2, IOVA_RW, 0, 64, true) == 0);
	CHECK(edu_dma(e.bar2, virt_to_phys(e.buf) & EDU_DMA_MASK, 0, 64, true) == 0);
	for (u32 i = 0; i < PAGE_SIZE; i++)
		CHECK(e.buf[i] == 0);
	CHECK(guards_intact(&e));
	return 0;
}

/*
 * A read-only mapping: device writes fault, reads work. The write comes
 * first: QEMU 10 records no event for a permission fault that hits a
 * translation already in its IOTLB (it files it as stage 1 and checks the
 * stage-1 record-faults bit), although it blocks the write either way.
 */
SELFTEST(smmu_dma_readonly)
{
	struct dma_env e;

	CHECK(setup(&e) == 0);
	pattern(e.buf, 64, 0x42);
	memset(e.buf2, 0xee, 64);
	CHECK(edu_dma(e.bar, IOVA_RW2, 0, 64, false) == 0);	  /* device buffer = 0xee */
	CHECK(edu_dma(e.bar, IOVA_RO, 0, 64, true) == 0);	  /* write: refused */
	for (u32 i = 0; i < 64; i++)
		CHECK(e.buf[i] == (u8)(0x42 + i * 13));
	CHECK(smmu_poll(e.smmu) >= 1);
	CHECK(last_evt.type == 0x13); /* F_PERMISSION */
	CHECK(last_evt.sid == e.edu->sid && last_evt.addr == IOVA_RO);
	CHECK(edu_dma(e.bar, IOVA_RO, 0, 64, false) == 0);	  /* read: allowed */
	CHECK(edu_dma(e.bar, IOVA_RW2, 0, 64, true) == 0);	  /* prove it arrived */
	CHECK(memcmp(e.buf2, e.buf, 64) == 0);
	CHECK(guards_intact(&e));
	return 0;
}

/* no two memory BARs (of any devices) share a page; returns the number of
 * BARs smaller than a page it saw */
static int bars_on_own_pages(void)
{
	int small = 0;

	for (unsigned int i = 0; i < pci_dev_count(); i++) {
		const struct pci_dev *a = pci_dev_at(i);

		for (int m = 0; m < 6; m++) {
			const struct pci_bar *x = &a->bar[m];

			if (!x->pa || x->io)
				continue;
			if (!IS_ALIGNED(x->pa, PAGE_SIZE))
				return -1;
			small += x->size < PAGE_SIZE;
			for (unsigned int j = 0; j < pci_dev_count(); j++) {
				for (int n = 0; n < 6; n++) {
					const struct pci_bar *y = &pci_dev_at(j)->bar[n];

					if (y == x || !y->pa || y->io)
						continue;
					if (y->pa < ALIGN_UP(x->pa + x->size, PAGE_SIZE) &&
					    x->pa < ALIGN_UP(y->pa + y->size, PAGE_SIZE))
						return -1;
				}
			}
		}
	}
	return small;
}

/*
 * Enumeration behind a conventional PCI-PCI bridge (an edu on bus 0 and one
 * behind `-device pci-bridge`): the second edu gets bus 1 and a BAR inside
 * the bridge's window; its DMA carries the bridge's RequesterID (alias), so
 * its StreamID is the bridge's, and DMA through that StreamID works. Two
 * devices with BARs of a few bytes (i6300esb, pvpanic-pci) each get a page
 * of their own, so assigning one never exposes the other's registers.
 */
SELFTEST(pci_bridge)
{
	struct dma_env e;
	struct smmu_ste_cfg c;
	struct pci_dev *br = NULL;
	u32 win;
	u64 base, limit;

	CHECK(setup(&e) == 0);
	CHECK(PCI_BUS(e.edu->bdf) == 0 && PCI_BUS(e.edu2->bdf) == 1);
	for (unsigned int i = 0; i < pci_dev_count(); i++)
		if (pci_dev_at(i)->bridge && PCI_BUS(pci_dev_at(i)->bdf) == 0)
			br = pci_dev_at(i);
	CHECK(br);
	CHECK(e.edu2->dma_rid == br->bdf);
	CHECK(e.edu2->sid == br->bdf); /* virt's iommu-map is 1:1 */
	CHECK(((pci_cfg_read32(br, 0x18) >> 8) & 0xff) == 1);	/* secondary bus */
	CHECK(((pci_cfg_read32(br, 0x18) >> 16) & 0xff) == 1);	/* subordinate bus */
	win = pci_cfg_read32(br, 0x20);
	base = (u64)(win & 0xfff0) << 16;
	limit = ((u64)(win & 0xfff00000)) | 0xfffff;
	CHECK(e.bar2 >= base && e.bar2 + e.edu2->bar[0].size - 1 <= limit);
	c = (struct smmu_ste_cfg){ .kind = SMMU_STE_S2, .s2 = &e.pt, .vmid = e.vmid };
	CHECK(smmu_ste_install(e.smmu, e.edu2->sid, &c) == 0);
	pattern(e.buf2, 100, 0x5);
	CHECK(edu_dma(e.bar2, IOVA_RW2, 0, 100, false) == 0);
	CHECK(edu_dma(e.bar2, IOVA_RW + 8, 0, 100, true) == 0);
	CHECK(memcmp(e.buf + 8, e.buf2, 100) == 0);
	CHECK(guards_intact(&e));
	CHECK(bars_on_own_pages() >= 2);
	pr_info("pci_bridge: edu %02x:%02x.%u behind the bridge, StreamID 0x%x, BAR0 0x%llx: "
		"DMA ok\n", PCI_BUS(e.edu2->bdf), PCI_DEV(e.edu2->bdf), PCI_FN(e.edu2->bdf),
		e.edu2->sid, (unsigned long long)e.bar2);
	return 0;
}
