/* SPDX-License-Identifier: MIT */
/*
 * iommu = "stage2": the VMM attaches a guest's devices to its RAM, for a
 * guest with no IOMMU driver (docs/guests.md). The same objects a guest's
 * hypercalls make (an IOAS whose areas are its RAM regions at IOVA = IPA,
 * a paging HWPT filled from it), made by the VMM and pinned: the guest's
 * commands may name them only to look (docs/hypercall-abi.md). They are
 * charged to the guest's quota like its own objects (its package asked for
 * them), so what it is charged always equals what it holds.
 */
#include <aerie/errno.h>
#include <aerie/page_alloc.h>
#include "iommu_internal.h"

/*
 * The pinned IOAS (one read/write area per RAM region, IOVA = IPA) and its
 * paging HWPT, published with the ids the guest's own objects would get and
 * charged the same way.
 * The page-table library checks the ranges (the SMMU's input and output
 * sizes, alignment): RAM it cannot map fails the fill, and nothing is left.
 */
static int stage2_build(struct iommu_ctx *c)
{
	struct iommu_hwpt_alloc none = { 0 };
	struct ioas *ioas = ctx_obj_alloc(c, sizeof(*ioas));
	struct hwpt *h;
	int id, err = ioas ? 0 : -ENOMEM;

	for (unsigned int i = 0; !err && i < c->mem->count; i++) {
		struct area *a = quota_alloc(&c->areas, c->quota.areas, sizeof(*a));

		if (!a) {
			err = -ENOMEM;
			break;
		}
		*a = (struct area){ .iova = c->mem->region[i].ipa, .length = c->mem->region[i].size,
				    .pa = c->mem->region[i].pa, .prot = PT_R | PT_W };
		ioas_insert_area(ioas, a);
	}
	if (err)
		goto err_ioas;
	ioas->obj.type = OBJ_IOAS;
	err = hwpt_paging_alloc(c, &none, ioas, &h);
	if (err)
		goto err_ioas;
	id = obj_free_id(c);
	if (id > 0) {
		obj_publish(c, &ioas->obj, (u32)id);
		id = obj_free_id(c);
		if (id < 0)
			obj_unpublish(c, &ioas->obj);
	}
	if (id < 0) {
		err = id;
		hwpt_destroy(c, h); /* unpublished: no reference to drop */
		goto err_ioas;
	}
	ioas->obj.users++; /* the HWPT's */
	obj_publish(c, &h->obj, (u32)id);
	ioas->obj.pinned = h->obj.pinned = true;
	c->stage2 = h;
	return 0;

err_ioas:
	if (ioas)
		ioas_destroy(c, ioas);
	return err;
}

int iommu_ctx_attach_stage2(struct iommu_ctx *c, u32 dev_id)
{
	struct device *d;
	int err;

	spin_lock(&c->lock);
	d = (struct device *)obj_lookup(c, dev_id, OBJ_DEVICE);
	if (!d)
		err = -ENOENT;
	else if (d->attached)
		err = -EBUSY;
	else
		err = c->stage2 ? 0 : stage2_build(c);
	if (!err)
		err = dev_set_ste(c, d, c->stage2);
	if (!err)
		d->obj.pinned = true;
	spin_unlock(&c->lock);
	return err;
}
