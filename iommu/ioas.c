/* SPDX-License-Identifier: MIT */
/*
 * IOAS: a guest's I/O address space, a sorted list of areas
 * IOVA -> guest-physical range of its own RAM. Every change is applied to
 * every stage-2 HWPT of the IOAS, all or nothing.
 *
 * Differences from iommufd, by design: IOVA alignment is always 4 KiB (the
 * SMMU's granule) and the guest-physical address must be page-aligned too;
 * the aperture is [0, 2^IAS) from the start, not only once a device is
 * attached; an unmap is validated completely before anything changes.
 * Which IOVAs are free, reserved or allowed: iova.c; COPY: ioas_copy.c.
 */
#include <aerie/bits.h>
#include <aerie/errno.h>
#include <aerie/page_alloc.h>
#include <aerie/string.h>
#include "iommu_internal.h"

u64 ioas_aperture_last(const struct iommu_ctx *c)
{
	return (1ULL << c->ias) - 1;
}

int ioas_alloc(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_ioas_alloc *cmd = arg;
	struct ioas *ioas;
	int id;

	if (cmd->flags)
		return -EOPNOTSUPP;
	ioas = (struct ioas *)obj_new(c, OBJ_IOAS, sizeof(*ioas), &id);
	if (!ioas)
		return id;
	cmd->out_ioas_id = (u32)id;
	return obj_commit(c, &ioas->obj, sizeof(*ioas), id, io, cmd);
}

void ioas_destroy(struct iommu_ctx *c, struct ioas *ioas)
{
	while (ioas->areas) {
		struct area *a = ioas->areas;

		ioas->areas = a->next;
		quota_free(&c->areas, a, sizeof(*a));
	}
	ctx_obj_free(c, ioas, sizeof(*ioas));
}

/* map one area into a stage-2 table; a block that replaced a table an
 * unmap left empty leaves walks to forget (hwpt_flush) */
static int map_area(struct iommu_ctx *c, struct hwpt *h, const struct area *a)
{
	struct pgtable_inval inv;
	int err = pgtable_map(&h->pt, a->iova, a->length, a->pa, a->prot, PT_ATTR_NORMAL, &inv);

	if (!err && inv.end > inv.start)
		hwpt_flush(c, h, &inv);
	return err;
}

int ioas_fill_hwpt(struct iommu_ctx *c, struct ioas *ioas, struct hwpt *h)
{
	for (struct area *a = ioas->areas; a; a = a->next) {
		int err = map_area(c, h, a);
		if (err)
			return err;
	}
	return 0;
}

struct hwpt *ioas_next_paging(struct iommu_ctx *c, struct ioas *ioas, u32 *cursor)
{
	while (*cursor < c->top) {
		struct hwpt *h = (struct hwpt *)c->objs[(*cursor)++];

		if (h && h->obj.type == OBJ_HWPT_PAGING && h->ioas == ioas)
			return h;
	}
	return NULL;
}

void ioas_insert_area(struct ioas *ioas, struct area *n)
{
	struct area **link = &ioas->areas;

	while (*link && (*link)->iova < n->iova)
		link = &(*link)->next;
	n->next = *link;
	*link = n;
}

void ioas_areas_free(struct iommu_ctx *c, struct area *list)
{
	for (struct area *next; list; list = next) {
		next = list->next;
		quota_free(&c->areas, list, sizeof(*list));
	}
}

/* every paging HWPT's reserve back (after the maps, or instead of them) */
static void unreserve_all(struct iommu_ctx *c, struct ioas *ioas)
{
	struct hwpt *h;
	u32 cur = 0;

	while ((h = ioas_next_paging(c, ioas, &cur)))
		pgtable_unreserve(&h->pt);
}

/*
 * Several maps (more than one area, or more than one paging HWPT: each
 * holds a reference on its IOAS, beside the object table's) must all
 * happen or none, and undoing some
 * could not give back exactly the tables that were there (an unmap keeps
 * or prunes emptied tables, and may not know which were new): so every
 * map is checked and every table page any of them needs is reserved in
 * its table first. After that none of them can fail.
 */
static int reserve_all(struct iommu_ctx *c, struct ioas *ioas, const struct area *list)
{
	struct hwpt *h;
	u32 cur = 0;
	int err = 0;

	while (!err && (h = ioas_next_paging(c, ioas, &cur))) {
		u64 need = 0;

		for (const struct area *a = list; a && !err; a = a->next)
			err = pgtable_map_need(&h->pt, a->iova, a->length, a->pa, a->prot,
					       PT_ATTR_NORMAL, &need);
		if (!err)
			err = pgtable_reserve(&h->pt, need);
	}
	if (err)
		unreserve_all(c, ioas);
	return err;
}

int ioas_install(struct iommu_ctx *c, struct ioas *ioas, struct area *list,
		 const struct cmd_io *io, const void *cmd)
{
	/* users: the object table's reference, then one per paging HWPT */
	bool several = list->next || ioas->obj.users > 2;
	struct area *a, *next;
	struct hwpt *h;
	u32 cur = 0;
	int err = several ? reserve_all(c, ioas, list) : 0;

	/*
	 * One map alone is all or nothing by itself; after the reservation
	 * none of several can fail (each was checked, its pages are there):
	 * a failure leaves every table as it was
	 */
	while (!err && (h = ioas_next_paging(c, ioas, &cur)))
		for (a = list; a && !err; a = a->next)
			err = map_area(c, h, a);
	if (several)
		unreserve_all(c, ioas); /* what the maps did not take (all, if refused) */
	if (err) {
		ioas_areas_free(c, list);
		return err;
	}
	for (a = list; a; a = next) {
		next = a->next;
		ioas_insert_area(ioas, a);
	}
	/* the guest's struct was checked on entry: the answer has its place */
	return cmd_respond(c, io, cmd);
}

int ioas_map(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_ioas_map *cmd = arg;
	const u32 known = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_WRITEABLE |
			  IOMMU_IOAS_MAP_READABLE;
	struct ioas *ioas;
	struct area *a;
	paddr_t pa;
	int err;

	if ((cmd->flags & ~known) || cmd->__reserved)
		return -EOPNOTSUPP;
	if (cmd->iova >= ULONG_MAX_ || cmd->length >= ULONG_MAX_)
		return -EOVERFLOW;
	if (!(cmd->flags & (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)))
		return -EINVAL;
	ioas = (struct ioas *)obj_lookup(c, cmd->ioas_id, OBJ_IOAS);
	if (!ioas)
		return -ENOENT;
	if (ioas->obj.pinned)
		return -EPERM;
	if (!cmd->length || !IS_ALIGNED(cmd->length, PAGE_SIZE))
		return -EINVAL;
	if (cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA)
		err = iova_check_fixed(c, ioas, cmd->iova, cmd->length);
	else
		err = iova_alloc(c, ioas, cmd->length, cmd->user_va, &cmd->iova);
	if (err)
		return err;
	/* only the guest's own RAM, never anything else */
	if (!IS_ALIGNED(cmd->user_va, PAGE_SIZE))
		return -EINVAL;
	if (vm_mem_translate(c->mem, cmd->user_va, cmd->length, &pa))
		return -EFAULT;
	a = quota_alloc(&c->areas, c->quota.areas, sizeof(*a));
	if (!a)
		return -ENOMEM;
	*a = (struct area){ .iova = cmd->iova, .length = cmd->length, .pa = pa,
			    .gpa = cmd->user_va,
			    .prot = ((cmd->flags & IOMMU_IOAS_MAP_READABLE) ? PT_R : 0) |
				    ((cmd->flags & IOMMU_IOAS_MAP_WRITEABLE) ? PT_W : 0) };
	return ioas_install(c, ioas, a, io, cmd);
}

int ioas_unmap(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_ioas_unmap *cmd = arg;
	struct ioas *ioas = (struct ioas *)obj_lookup(c, cmd->ioas_id, OBJ_IOAS);
	struct area **link, *a;
	struct hwpt *h;
	u64 start, last, unmapped = 0;
	u32 cur = 0;
	bool any = false, all = cmd->iova == 0 && cmd->length == ULONG_MAX_;

	if (!ioas)
		return -ENOENT;
	if (ioas->obj.pinned)
		return -EPERM;
	if (all) {
		start = 0;
		last = ULONG_MAX_;
	} else {
		if (cmd->iova >= ULONG_MAX_ || cmd->length >= ULONG_MAX_)
			return -EOVERFLOW;
		if (!cmd->length)
			return -EINVAL;
		if (range_wraps(cmd->iova, cmd->length))
			return -EOVERFLOW;
		start = cmd->iova;
		last = cmd->iova + cmd->length - 1;
		/* validate first: every area touched must lie wholly inside */
		for (a = ioas->areas; a; a = a->next) {
			if (a->iova > last || a->iova + a->length - 1 < start)
				continue;
			if (a->iova < start || a->iova + a->length - 1 > last)
				return -ENOENT;
			any = true;
		}
		if (!any)
			return -ENOENT;
	}
	for (a = ioas->areas; a; a = a->next)
		if (a->iova >= start && a->iova + a->length - 1 <= last)
			unmapped += a->length;
	/*
	 * One unmap per table over the whole requested range (its 4K pages,
	 * inside the aperture): one invalidation batch, and the tables whose
	 * span it covers are freed; an emptied table it does not cover stays
	 * for the next map there (pgtable_unmap_keep). Every area it meets
	 * lies inside it (they are page-aligned, inside the aperture) and
	 * areas are mapped whole: no block is split, it cannot fail. An unmap
	 * of everything walks the tables even with no area left: it gives
	 * back the tables earlier unmaps kept.
	 */
	if (unmapped || all) {
		u64 from = ALIGN_UP(start, PAGE_SIZE);
		u64 to = ALIGN_DOWN(MIN(last, ioas_aperture_last(c)) + 1, PAGE_SIZE);

		while ((h = ioas_next_paging(c, ioas, &cur))) {
			struct pgtable_inval inv;

			/* every HWPT's tables span the aperture (c->ias) */
			pgtable_unmap_keep(&h->pt, from, to - from, &inv, NULL);
			hwpt_flush(c, h, &inv);
		}
	}
	for (link = &ioas->areas; *link;) {
		a = *link;
		if (a->iova >= start && a->iova + a->length - 1 <= last) {
			*link = a->next;
			quota_free(&c->areas, a, sizeof(*a));
		} else {
			link = &a->next;
		}
	}
	cmd->length = unmapped;
	return cmd_respond(c, io, cmd);
}
