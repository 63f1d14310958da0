/* SPDX-License-Identifier: MIT */
/*
 * An IOAS's IOVA space: what is reserved in it, its allowed list, and the
 * choice of IOVA for MAP and COPY (iommufd's io_pagetable rules).
 *
 * Reserved, per IOAS: everything outside the aperture [0, 2^IAS), and while
 * a device is attached to it (to one of its paging HWPTs, or to a nested
 * HWPT over one) the software MSI window (AERIE_IOMMU_SW_MSI_BASE, where an
 * ITS doorbell will be mapped; what Linux's SMMUv3 driver reserves). They
 * are computed from the attachments when needed, never stored, so they
 * cannot go stale.
 * No mapping may use a reserved IOVA; the allowed list (ALLOW_IOVAS) is
 * where automatic IOVAs come from, and no reservation may fall into it.
 */
#include <aerie/bits.h>
#include <aerie/errno.h>
#include <aerie/string.h>
#include "iommu_internal.h"

struct ioas *dev_ioas(const struct device *d)
{
	const struct hwpt *h = d->attached;

	if (h && h->obj.type == OBJ_HWPT_NESTED)
		h = h->parent;
	return h ? h->ioas : NULL;
}

static const struct iommu_iova_range sw_msi = {
	AERIE_IOMMU_SW_MSI_BASE, AERIE_IOMMU_SW_MSI_BASE + AERIE_IOMMU_SW_MSI_SIZE - 1
};

u32 resv_collect(struct iommu_ctx *c, const struct ioas *ioas, struct iommu_iova_range *r)
{
	u32 n = 0;

	for (u32 i = 0; i < c->top; i++) {
		const struct device *e = (const struct device *)c->objs[i];

		if (e && e->obj.type == OBJ_DEVICE && dev_ioas(e) == ioas) {
			r[n++] = sw_msi; /* the same window for every device: once */
			break;
		}
	}
	r[n++] = (struct iommu_iova_range){ ioas_aperture_last(c) + 1, ULONG_MAX_ };
	return n;
}

static bool hits(const struct iommu_iova_range *r, u32 n, u64 start, u64 last)
{
	for (u32 i = 0; i < n; i++)
		if (r[i].start <= last && start <= r[i].last)
			return true;
	return false;
}

bool area_hits(const struct ioas *ioas, u64 start, u64 last)
{
	for (const struct area *a = ioas->areas; a && a->iova <= last; a = a->next)
		if (start <= a->iova + a->length - 1)
			return true;
	return false;
}

int iova_check_fixed(struct iommu_ctx *c, const struct ioas *ioas, u64 iova, u64 len)
{
	struct iommu_iova_range r[IOMMU_RESV_MAX];

	if (!IS_ALIGNED(iova, PAGE_SIZE))
		return -EINVAL;
	if (range_wraps(iova, len))
		return -EOVERFLOW;
	if (hits(r, resv_collect(c, ioas, r), iova, iova + len - 1))
		return -EINVAL;
	if (area_hits(ioas, iova, iova + len - 1))
		return -EEXIST;
	return 0;
}

/*
 * The lowest IOVA >= PAGE_SIZE, aligned, where [iova, iova + len) meets no
 * area and no reserved range and lies inside one allowed range (if there
 * is a list). Every step moves past one obstacle: linear in their number.
 */
int iova_alloc(struct iommu_ctx *c, const struct ioas *ioas, u64 len, u64 hint, u64 *iova)
{
	struct iommu_iova_range r[IOMMU_RESV_MAX];
	const struct area *a = ioas->areas;
	u32 n, k = 0;
	u64 align, cand;

	if (len >= ULONG_MAX_ / 2)
		return -EOVERFLOW;
	/* like iommufd: min(roundup_pow_of_two(length), lowest bit of the
	 * address), but never below the 4K granule */
	align = 1ULL << bitlen64(len - 1);
	if (hint && (hint & -hint) < align)
		align = hint & -hint;
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	n = resv_collect(c, ioas, r);
	for (cand = ALIGN_UP(PAGE_SIZE, align);; cand = ALIGN_UP(cand, align)) {
		u64 last = cand + len - 1;
		bool moved = false;

		if (cand == 0 || last < cand)
			return -ENOSPC; /* wrapped */
		if (ioas->nallowed) {
			while (k < ioas->nallowed && ioas->allowed[k].last < cand)
				k++;
			if (k == ioas->nallowed)
				return -ENOSPC;
			if (ioas->allowed[k].start > cand) {
				cand = ioas->allowed[k].start;
				continue;
			}
			if (last > ioas->allowed[k].last) {
				cand = ioas->allowed[k].last + 1;
				continue;
			}
		}
		while (a && a->iova + a->length <= cand)
			a = a->next;
		if (a && a->iova <= last) {
			cand = a->iova + a->length;
			continue;
		}
		for (u32 i = 0; i < n && !moved; i++) {
			if (r[i].start <= last && cand <= r[i].last) {
				if (r[i].last == ULONG_MAX_)
					return -ENOSPC;
				cand = r[i].last + 1;
				moved = true;
			}
		}
		if (!moved) {
			*iova = cand;
			return 0;
		}
	}
}

int dev_resv_check(struct iommu_ctx *c, const struct device *d, const struct ioas *ioas)
{
	(void)c;
	if (!ioas || dev_ioas(d) == ioas)
		return 0; /* nothing new reserved */
	if (area_hits(ioas, sw_msi.start, sw_msi.last) ||
	    hits(ioas->allowed, ioas->nallowed, sw_msi.start, sw_msi.last))
		return -EADDRINUSE;
	return 0;
}

/* ---- IOVA_RANGES, ALLOW_IOVAS -------------------------------------------------------------- */

int ioas_iova_ranges(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_ioas_iova_ranges *cmd = arg;
	struct iommu_iova_range r[IOMMU_RESV_MAX];
	struct ioas *ioas;
	u32 cap = cmd->num_iovas, n, count = 0;
	u64 pos = 0;
	int err;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	ioas = (struct ioas *)obj_lookup(c, cmd->ioas_id, OBJ_IOAS);
	if (!ioas)
		return -ENOENT;
	/* the gaps between the (sorted) reserved ranges; the last one always
	 * ends at 2^64 - 1 (outside the aperture) */
	n = resv_collect(c, ioas, r);
	for (u32 i = 0; i < n; i++) {
		if (r[i].start > pos) {
			struct iommu_iova_range gap = { pos, r[i].start - 1 };

			if (count < cap) {
				err = vm_copy_to_guest(c->mem, cmd->allowed_iovas + count * sizeof(gap),
						       &gap, sizeof(gap));
				if (err)
					return err;
			}
			count++;
		}
		if (r[i].last == ULONG_MAX_)
			break;
		if (r[i].last >= pos)
			pos = r[i].last + 1;
	}
	cmd->num_iovas = count;
	cmd->out_iova_alignment = PAGE_SIZE;
	err = cmd_respond(c, io, cmd);
	if (err)
		return err;
	return count > cap ? -EMSGSIZE : 0;
}

int ioas_allow_iovas(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_ioas_allow_iovas *cmd = arg;
	struct iommu_iova_range list[AERIE_IOAS_ALLOWED_MAX], r[IOMMU_RESV_MAX];
	struct ioas *ioas;
	u32 n = 0, k;

	(void)io;
	if (cmd->__reserved)
		return -EOPNOTSUPP;
	ioas = (struct ioas *)obj_lookup(c, cmd->ioas_id, OBJ_IOAS);
	if (!ioas)
		return -ENOENT;
	if (cmd->num_iovas > AERIE_IOAS_ALLOWED_MAX)
		return -ENOMEM; /* Aerie's limit per IOAS */
	for (u32 i = 0; i < cmd->num_iovas; i++) {
		struct iommu_iova_range e;

		if (vm_copy_from_guest(c->mem, &e, cmd->allowed_iovas + i * sizeof(e), sizeof(e)))
			return -EFAULT;
		/* iommufd's rule: a range has start < last, none overlaps another */
		if (e.start >= e.last || hits(list, n, e.start, e.last))
			return -EINVAL;
		for (k = n++; k && list[k - 1].start > e.start; k--)
			list[k] = list[k - 1];
		list[k] = e;
	}
	/* no allowed IOVA may be reserved; the old list stays on failure */
	for (u32 i = 0, m = resv_collect(c, ioas, r); i < n; i++)
		if (hits(r, m, list[i].start, list[i].last))
			return -EADDRINUSE;
	memcpy(ioas->allowed, list, sizeof(list));
	ioas->nallowed = n;
	return 0;
}
