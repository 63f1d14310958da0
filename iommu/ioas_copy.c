/* SPDX-License-Identifier: MIT */
/*
 * IOAS_COPY: what [src_iova, src_iova + length) of one IOAS maps, mapped
 * again into another IOAS (or the same one), iommufd's check order. The
 * source must be covered by back-to-back areas (parts of areas are fine);
 * each source area gives the copy one area of its own, with its own
 * lifetime (unmapping the source leaves the copy). Nothing is pinned: the
 * memory is the guest's own RAM either way.
 */
#include <aerie/errno.h>
#include "iommu_internal.h"

int ioas_copy(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_ioas_copy *cmd = arg;
	const u32 known = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_WRITEABLE |
			  IOMMU_IOAS_MAP_READABLE;
	const u32 prot = ((cmd->flags & IOMMU_IOAS_MAP_READABLE) ? PT_R : 0) |
			 ((cmd->flags & IOMMU_IOAS_MAP_WRITEABLE) ? PT_W : 0);
	struct ioas *src, *dst;
	const struct area *first, *s;
	struct area *list = NULL, **tail = &list;
	u64 last, cur;
	int err;

	if (cmd->flags & ~known)
		return -EOPNOTSUPP;
	if (cmd->length >= ULONG_MAX_ || cmd->src_iova >= ULONG_MAX_ ||
	    cmd->dst_iova >= ULONG_MAX_)
		return -EOVERFLOW;
	if (!prot)
		return -EINVAL;
	src = (struct ioas *)obj_lookup(c, cmd->src_ioas_id, OBJ_IOAS);
	if (!src)
		return -ENOENT;
	if (!cmd->length)
		return -EINVAL;
	if (range_wraps(cmd->src_iova, cmd->length))
		return -EOVERFLOW;
	last = cmd->src_iova + cmd->length - 1;
	for (first = src->areas; first && first->iova + first->length <= cmd->src_iova;
	     first = first->next)
		;
	/* contiguous cover: each area starts where the one before ended */
	for (s = first, cur = cmd->src_iova;; s = s->next) {
		if (!s || s->iova > cur)
			return -ENOENT;
		cur = s->iova + s->length;
		if (cur - 1 >= last)
			break;
	}
	dst = (struct ioas *)obj_lookup(c, cmd->dst_ioas_id, OBJ_IOAS);
	if (!dst)
		return -ENOENT;
	if (!IS_ALIGNED(cmd->length, PAGE_SIZE))
		return -EINVAL;
	if (cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA)
		err = iova_check_fixed(c, dst, cmd->dst_iova, cmd->length);
	else
		err = iova_alloc(c, dst, cmd->length,
				 first->gpa + (cmd->src_iova - first->iova), &cmd->dst_iova);
	if (err)
		return err;
	/* the source offset on the IOVA alignment (4K) */
	if (!IS_ALIGNED(cmd->src_iova, PAGE_SIZE))
		return -EINVAL;
	for (s = first, cur = cmd->src_iova; cur <= last; s = s->next) {
		u64 end = MIN(last, s->iova + s->length - 1);
		struct area *a = NULL;

		/* iommufd: no write access to memory mapped without it */
		err = (prot & PT_W) && !(s->prot & PT_W) ? -EPERM : 0;
		if (!err) {
			a = quota_alloc(&c->areas, c->quota.areas, sizeof(*a));
			err = a ? 0 : -ENOMEM;
		}
		if (err) {
			ioas_areas_free(c, list);
			return err;
		}
		*a = (struct area){ .iova = cmd->dst_iova + (cur - cmd->src_iova),
				    .length = end - cur + 1, .pa = s->pa + (cur - s->iova),
				    .gpa = s->gpa + (cur - s->iova), .prot = prot };
		*tail = a;
		tail = &a->next;
		cur = end + 1;
	}
	return ioas_install(c, dst, list, io, cmd);
}
