/* SPDX-License-Identifier: MIT */
/*
 * Per-guest quotas: every page, object, IOAS area and VMID a guest's
 * commands make Aerie hold is charged to its context, and refused past the
 * limit its package set (docs/hypercall-abi.md, "Quotas"). Table pages are
 * charged by the page-table library itself (struct pgtable_budget), when
 * they are allocated and when they are really freed; objects and areas
 * here; VMIDs where paging HWPTs are made and destroyed (hwpt.c). All of it
 * under the context's lock.
 */
#include <aerie/page_alloc.h>
#include "iommu_internal.h"

void *quota_alloc(u32 *used, u32 limit, size_t size)
{
	void *p;

	if (*used >= limit)
		return NULL;
	p = obj_alloc(size);
	if (p)
		(*used)++;
	return p;
}

void quota_free(u32 *used, void *p, size_t size)
{
	(*used)--;
	obj_free(p, size);
}

void iommu_ctx_set_quota(struct iommu_ctx *c, const struct iommu_quota *q)
{
	static const struct iommu_quota def = { IOMMU_QUOTA_PAGES, IOMMU_QUOTA_OBJECTS,
						IOMMU_QUOTA_AREAS, IOMMU_QUOTA_VMIDS };
	const u32 *in = &q->pages, *d = &def.pages;
	u32 *out = &c->quota.pages;

	spin_lock(&c->lock);
	for (unsigned int i = 0; i < sizeof(*q) / sizeof(u32); i++)
		out[i] = in[i] ? in[i] : d[i];
	c->pages.limit = c->quota.pages;
	spin_unlock(&c->lock);
}

void iommu_ctx_usage(struct iommu_ctx *c, struct iommu_usage *out)
{
	struct iommu_quota held = { 0 };

	spin_lock(&c->lock);
	for (u32 i = 0; i < c->top; i++) {
		struct obj *o = c->objs[i];

		if (!o || o->type == OBJ_DEVICE)
			continue; /* Aerie's, not the guest's */
		held.objects++;
		if (o->type == OBJ_HWPT_PAGING) {
			const struct pgtable *pt = &((struct hwpt *)o)->pt;

			held.vmids++;
			held.pages += (u32)(pt->table_pages + pt->deferred_pages + pt->reserved);
		} else if (o->type == OBJ_IOAS) {
			for (struct area *a = ((struct ioas *)o)->areas; a; a = a->next)
				held.areas++;
		}
	}
	out->limit = c->quota;
	out->charged = (struct iommu_quota){ (u32)c->pages.used, c->objects, c->areas, c->vmids };
	out->held = held;
	spin_unlock(&c->lock);
}
