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

#define MSI_LAST (AERIE_IOMMU_SW_MSI_BASE + AERIE_IOMMU_SW_MSI_SIZE - 1)

/* is a device attached to ioas (its MSI window reserved there)? */
static bool msi_reserved(struct iommu_ctx *c, const struct ioas *ioas)
{
	for (u32 i = 0; i < c->top; i++) {
		const struct device *e = (const struct device *)c->objs[i];

		if (e && e->obj.type == OBJ_DEVICE && dev_ioas(e) == ioas)
			return true;
	}
	return false;
}

static bool hits(const struct iommu_iova_range *r, u32 n, u64 start, u64 last)
{
	for (u32 i = 0; i < n; i++)
		if (r[i].start <= last && start <= r[i].last)
			return true;
	return false;
}

static bool hits_msi(u64 start, u64 last)
{
	return start <= MSI_LAST && AERIE_IOMMU_SW_MSI_BASE <= last;
}

/* does [start, last] meet a reserved range of ioas? */
static bool resv_hits(struct iommu_ctx *c, const struct ioas *ioas, u64 start, u64 last)
{
	return last > ioas_aperture_last(c) || (hits_msi(start, last) && msi_reserved(c, ioas));
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
	if (!IS_ALIGNED(iova, PAGE_SIZE))
		return -EINVAL;
	if (range_wraps(iova, len))
		return -EOVERFLOW;
	if (resv_hits(c, ioas, iova, iova + len - 1))
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
	const struct area *a = ioas->areas;
	bool msi = msi_reserved(c, ioas);
	u64 align, cand, ap = ioas_aperture_last(c);
	u32 k = 0;

	if (len >= ULONG_MAX_ / 2)
		return -EOVERFLOW;
	/* like iommufd: min(roundup_pow_of_two(length), lowest bit of the
	 * address), but never below the 4K granule */
	align = 1ULL << bitlen64(len - 1);
	if (hint && (hint & -hint) < align)
		align = hint & -hint;
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	for (cand = ALIGN_UP(PAGE_SIZE, align);; cand = ALIGN_UP(cand, align)) {
		u64 last = cand + len - 1;

		if (cand == 0 || last < cand || last > ap)
			return -ENOSPC; /* wrapped, or past the aperture */
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
		if (msi && hits_msi(cand, last)) {
			cand = MSI_LAST + 1;
			continue;
		}
		*iova = cand;
		return 0;
	}
}

int dev_resv_check(const struct device *d, const struct ioas *ioas)
{
	if (!ioas || dev_ioas(d) == ioas)
		return 0; /* nothing new reserved */
	if (area_hits(ioas, AERIE_IOMMU_SW_MSI_BASE, MSI_LAST) ||
	    hits(ioas->allowed, ioas->nallowed, AERIE_IOMMU_SW_MSI_BASE, MSI_LAST))
		return -EADDRINUSE;
	return 0;
}

/* ---- IOVA_RANGES, ALLOW_IOVAS -------------------------------------------------------------- */

int ioas_iova_ranges(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_ioas_iova_ranges *cmd = arg;
	struct ioas *ioas;
	u32 cap = cmd->num_iovas;
	int err;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	ioas = (struct ioas *)obj_lookup(c, cmd->ioas_id, OBJ_IOAS);
	if (!ioas)
		return -ENOENT;
	{
		/* the gaps: below and above the MSI window if it is reserved */
		bool msi = msi_reserved(c, ioas);
		struct iommu_iova_range gap[2] = {
			{ 0, msi ? AERIE_IOMMU_SW_MSI_BASE - 1 : ioas_aperture_last(c) },
			{ MSI_LAST + 1, ioas_aperture_last(c) },
		};

		cmd->num_iovas = msi ? 2 : 1;
		err = vm_copy_to_guest(c->mem, cmd->allowed_iovas, gap,
				       MIN(cap, cmd->num_iovas) * sizeof(gap[0]));
		if (err)
			return err;
	}
	cmd->out_iova_alignment = PAGE_SIZE;
	err = cmd_respond(c, io, cmd);
	if (err)
		return err;
	return cmd->num_iovas > cap ? -EMSGSIZE : 0;
}

int ioas_allow_iovas(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_ioas_allow_iovas *cmd = arg;
	struct iommu_iova_range list[AERIE_IOAS_ALLOWED_MAX];
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
	for (u32 i = 0; i < n; i++)
		if (resv_hits(c, ioas, list[i].start, list[i].last))
			return -EADDRINUSE;
	memcpy(ioas->allowed, list, sizeof(list));
	ioas->nallowed = n;
	return 0;
}
