/* SPDX-License-Identifier: MIT */
/*
 * A real guest at EL1 with its own stage 2 drives DMA isolation for its edu
 * through the iommufd-style hypercalls (guest/tests/dma_test.c); it powers
 * off only if every byte check inside it passed. Afterwards every page it
 * used is back.
 */
#include <aerie/edu.h>
#include <aerie/errno.h>
#include <aerie/guest.h>
#include <aerie/log.h>
#include <aerie/mem.h>
#include <aerie/page_alloc.h>
#include <aerie/selftest.h>
#include <aerie/arch.h>
#include <aerie/smmu.h>

extern const char guest_dma_test_start[], guest_dma_test_end[];
static struct guest g;

SELFTEST(guest_dma)
{
	struct pci_dev *edu = pci_find(EDU_VENDOR, EDU_DEVICE, 0);
	struct page_stats before, after;
	u64 carved = mem_carved_bytes();
	enum guest_state st;
	int err;

	struct smmu_ste_cfg abort_cfg = { .kind = SMMU_STE_ABORT };

	if (!edu)
		return -ENODEV;
	/* the stream-table span for edu's StreamID belongs to the SMMU driver
	 * (kept until the SMMU is removed): make it exist before counting */
	err = smmu_ste_install(hyp_smmu(), edu->sid, &abort_cfg);
	if (err)
		return err;
	page_stats(&before);
	err = guest_create(&g, "dma-guest", guest_dma_test_start,
			   (u64)(guest_dma_test_end - guest_dma_test_start), 16ULL << 20);
	g.iommu_mode = GUEST_IOMMU_HYPERCALL; /* dma_test builds its own HWPTs */
	if (!err)
		err = guest_assign_pci(&g, edu, 0x8);
	if (err)
		return err;
	st = guest_run(&g, edu->bar[0].pa);
	guest_destroy(&g);
	page_stats(&after);
	pr_info("guest_dma: guest ended %s; pages in use %llu -> %llu, carved %llu -> %llu\n",
		st == GUEST_OFF ? "with SYSTEM_OFF" : "badly",
		(unsigned long long)before.in_use, (unsigned long long)after.in_use,
		(unsigned long long)carved, (unsigned long long)mem_carved_bytes());
	if (st != GUEST_OFF)
		return -EIO;
	if (after.in_use != before.in_use || mem_carved_bytes() != carved)
		return -ENOMEM;
	return 0;
}
