/* SPDX-License-Identifier: MIT */
/*
 * A virtual SMMUv3 for a guest (iommu = "vsmmu", docs/vsmmu.md): 128 KiB of
 * trapped registers (page 0 and page 1) that a stock SMMUv3 driver programs,
 * built as a client of the IOMMU core (iommu_kcall): one vIOMMU on a
 * NEST_PARENT HWPT over the guest's RAM, one vDEVICE per assigned device
 * (vSID = its virtual BDF), an abort and a bypass (stage 2 only) HWPT, and
 * a nested HWPT from each stage-1 STE the guest writes. Portable: host
 * tests drive it against the software SMMU.
 */
#ifndef AERIE_VSMMU_H
#define AERIE_VSMMU_H

#include <aerie/iommu_core.h>
#include <aerie/types.h>
#include <aerie/vm_mem.h>
#include <aerie/vmmio.h>

#define VSMMU_MMIO_SIZE		0x20000ULL	/* page 0 + page 1 */

/* raise a (virtual, edge-triggered) interrupt of the guest; from any CPU,
 * possibly with the IOMMU context's lock held */
typedef void vsmmu_irq_fn(void *arg, u32 intid);

struct vsmmu_params {
	struct iommu_ctx *ctx;		/* the guest's: every object is made there */
	const struct vm_mem *mem;	/* its RAM: its tables and queues live there */
	ipa_t base;			/* where the registers appear */
	u32 evtq_intid, gerror_intid;
	vsmmu_irq_fn *irq;
	void *irq_arg;
};

struct vsmmu;

/* build the vSMMU over every device already in p->ctx; each stream starts
 * in GBPA's reset state (bypass: the guest's own RAM, IOVA = IPA). -errno
 * (-EOPNOTSUPP without a nesting-capable SMMU); nothing is left behind */
int vsmmu_create(struct vsmmu **out, const struct vsmmu_params *p);
/* a trapped access: false if outside its window */
bool vsmmu_access(struct vsmmu *v, struct vmmio_access *a);
/* stop event delivery and free it (its core objects go with the context) */
void vsmmu_destroy(struct vsmmu *v);

#endif
