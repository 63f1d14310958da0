/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 TLB invalidation from what the page-table library reported.
 *  - With range invalidation (IDR3.RIL): TLBI_S2_IPA commands with
 *    NUM/SCALE, each covering (NUM+1) << SCALE pages, at most
 *    ceil(bitlen(pages) / 5) of them.
 *  - Without: one TLBI_S2_IPA per leaf up to SMMU_INV_PER_PAGE_MAX, beyond
 *    that a single TLBI_S12_VMALL for the VMID.
 * Leaf-only unless table pages were freed (walk caches must forget them).
 * A nest parent's batch starts with TLBI_NH_ALL for the VMID.
 * Every batch ends with exactly one CMD_SYNC, in the same hold of the SMMU
 * lock; an empty report costs nothing.
 */
#include <aerie/errno.h>
#include "smmuv3_internal.h"

#define SMMU_INV_PER_PAGE_MAX 64

static int queue_vmall(struct smmu *s, u16 vmid)
{
	u64 cmd[2];

	smmu_cmd_build(cmd, CMD_TLBI_S12_VMALL);
	cmd[0] |= FIELD_PREP(CMD0_VMID, vmid);
	return smmu_cmd_queue_locked(s, cmd);
}

static int queue_ipa(struct smmu *s, u16 vmid, u64 ipa, bool leaf, u32 num, u32 scale,
		     bool range)
{
	u64 cmd[2];

	smmu_cmd_build(cmd, CMD_TLBI_S2_IPA);
	cmd[0] |= FIELD_PREP(CMD0_VMID, vmid);
	cmd[1] = (ipa & CMD1_S2_IPA) | (leaf ? CMD1_LEAF : 0);
	if (range) {
		cmd[0] |= FIELD_PREP(CMD0_TLBI_NUM, num) | FIELD_PREP(CMD0_TLBI_SCALE, scale);
		cmd[1] |= FIELD_PREP(CMD1_TLBI_TG, TLBI_TG_4K);
	}
	return smmu_cmd_queue_locked(s, cmd);
}

static int queue_nh_all(struct smmu *s, u16 vmid)
{
	u64 cmd[2];

	smmu_cmd_build(cmd, CMD_TLBI_NH_ALL);
	cmd[0] |= FIELD_PREP(CMD0_VMID, vmid);
	return smmu_cmd_queue_locked(s, cmd);
}

static int queue_s2_range(struct smmu *s, u16 vmid, const struct pgtable_inval *inv)
{
	u64 pages = (inv->end - inv->start) >> PAGE_SHIFT, ipa = inv->start;
	u64 stride = inv->min_leaf ? inv->min_leaf : PAGE_SIZE;
	bool leaf = !inv->tables_freed;
	int err = 0;

	if (s->f.ril) {
		while (pages && !err) {
			u32 scale = (u32)__builtin_ctzll(pages);
			u64 num = (pages >> scale) & TLBI_RANGE_NUM_MAX;

			/* a range of one page would be TG with NUM = SCALE = TTL
			 * = 0, a reserved encoding: a plain TLBI (TG = 0) */
			err = queue_ipa(s, vmid, ipa, leaf, (u32)num - 1, scale,
					num != 1 || scale != 0);
			ipa += (num << scale) << PAGE_SHIFT;
			pages -= num << scale;
		}
		return err;
	}
	if ((inv->end - inv->start) / stride > SMMU_INV_PER_PAGE_MAX)
		return queue_vmall(s, vmid);
	/* one per leaf: the smallest leaf size removed is the stride */
	for (u64 a = inv->start; a < inv->end && !err; a += stride)
		err = queue_ipa(s, vmid, a, leaf, 0, 0, false);
	return err;
}

int smmu_inv_s2_range(struct smmu *s, u16 vmid, const struct pgtable_inval *inv,
		      bool nest_parent)
{
	int err = 0;

	if (!inv || inv->end <= inv->start)
		return 0;
	spin_lock(&s->lock);
	if (nest_parent)
		err = queue_nh_all(s, vmid);
	if (!err)
		err = queue_s2_range(s, vmid, inv);
	if (s->batch_len) {
		int serr = smmu_sync_locked(s);

		err = err ?: serr;
	}
	spin_unlock(&s->lock);
	return err;
}

int smmu_inv_vmid(struct smmu *s, u16 vmid)
{
	int err;

	spin_lock(&s->lock);
	err = queue_vmall(s, vmid);
	if (!err)
		err = smmu_sync_locked(s);
	spin_unlock(&s->lock);
	return err;
}
