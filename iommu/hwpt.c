/* SPDX-License-Identifier: MIT */
/*
 * HWPTs.
 *  - paging (pt_id = IOAS): a stage-2 table + VMID, filled with the IOAS's
 *    mappings and kept in sync with it. NEST_PARENT is allowed when the SMMU
 *    can nest. No driver data (SMMUv3 takes none): EOPNOTSUPP.
 *  - nested (pt_id = a NEST_PARENT HWPT, the original iommufd design which
 *    Aerie keeps; or pt_id = a vIOMMU, what Linux's SMMUv3 requires): the
 *    guest's validated vSTE over the parent's stage 2 and VMID.
 * Check order and errors are iommufd's (docs/hypercall-abi.md).
 */
#include <aerie/errno.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/string.h>
#include "iommu_internal.h"

int hwpt_flush(struct iommu_ctx *c, struct hwpt *h, struct pgtable_inval *inv)
{
	int err;

	if (inv->end <= inv->start)
		return 0;
	/* a nest parent's combined stage-1+2 entries are tagged by VA, not IPA:
	 * its batch also drops them (TLBI_NH_ALL of the VMID) */
	err = smmu_inv_s2_range(c->smmu, h->vmid, inv, h->nest_parent);
	if (err) /* wider: S12_VMALL drops the VMID's walk caches as well */
		err = smmu_inv_vmid(c->smmu, h->vmid);
	/* the unlinked tables are freed only once no walker can hold them */
	if (err)
		pgtable_inval_abandon(&h->pt);
	else
		pgtable_inval_complete(&h->pt);
	return err;
}

int hwpt_paging_alloc(struct iommu_ctx *c, struct iommu_hwpt_alloc *cmd, struct ioas *ioas,
		      struct hwpt **out)
{
	const u32 known = IOMMU_HWPT_ALLOC_NEST_PARENT | IOMMU_HWPT_ALLOC_DIRTY_TRACKING |
			  IOMMU_HWPT_FAULT_ID_VALID | IOMMU_HWPT_ALLOC_PASID;
	struct hwpt *h;
	int err;

	if (cmd->flags & ~known)
		return -EOPNOTSUPP;
	/* dirty tracking, fault queues and PASIDs: not supported */
	if (cmd->flags & (IOMMU_HWPT_ALLOC_DIRTY_TRACKING | IOMMU_HWPT_FAULT_ID_VALID |
			  IOMMU_HWPT_ALLOC_PASID))
		return -EOPNOTSUPP;
	if (cmd->data_type != IOMMU_HWPT_DATA_NONE)
		return -EOPNOTSUPP;
	if ((cmd->flags & IOMMU_HWPT_ALLOC_NEST_PARENT) && !smmu_features(c->smmu)->nesting)
		return -EOPNOTSUPP;
	if (c->vmids >= c->quota.vmids)
		return -ENOSPC; /* the guest's share of the SMMU's VMIDs */
	h = ctx_obj_alloc(c, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->obj.type = OBJ_HWPT_PAGING;
	h->ioas = ioas;
	h->nest_parent = cmd->flags & IOMMU_HWPT_ALLOC_NEST_PARENT;
	err = pgtable_init_charged(&h->pt, c->ias, smmu_features(c->smmu)->oas, &c->pages);
	if (err)
		goto err_free;
	err = smmu_vmid_alloc(c->smmu, &h->vmid);
	if (err)
		goto err_pt;
	h->pt.pages_only = ioas->no_huge;
	err = ioas_fill_hwpt(c, ioas, h);
	if (err)
		goto err_vmid;
	c->vmids++;
	*out = h;
	return 0;

err_vmid:
	smmu_vmid_free(c->smmu, h->vmid);
err_pt:
	pgtable_destroy(&h->pt);
err_free:
	ctx_obj_free(c, h, sizeof(*h));
	return err;
}

int hwpt_paging_new(struct iommu_ctx *c, struct ioas *ioas, struct hwpt **out)
{
	struct iommu_hwpt_alloc cmd = { 0 };

	return hwpt_paging_alloc(c, &cmd, ioas, out);
}

static int nested_alloc(struct iommu_ctx *c, struct iommu_hwpt_alloc *cmd, struct hwpt *parent,
			struct viommu *viommu, const struct cmd_io *io, struct hwpt **out)
{
	struct iommu_hwpt_arm_smmuv3 vste;
	struct smmu_ste_cfg s1;
	struct hwpt *h;
	int err;

	if (cmd->flags)
		return -EOPNOTSUPP; /* FAULT_ID_VALID and PASID: not supported */
	if (!parent->nest_parent)
		return -EINVAL;
	if (cmd->data_type == IOMMU_HWPT_DATA_NONE || cmd->data_type == IOMMU_HWPT_DATA_VTD_S1)
		return -EINVAL; /* not this driver's type */
	if (cmd->data_type != IOMMU_HWPT_DATA_ARM_SMMUV3)
		return -EOPNOTSUPP;
	if (cmd->data_len != sizeof(vste))
		return -EINVAL;
	if (cmd_copy_in(c, io, &vste, cmd->data_uptr, sizeof(vste)))
		return -EFAULT;
	err = vste_validate(vste.ste, &s1);
	if (err)
		return err;
	h = ctx_obj_alloc(c, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->obj.type = OBJ_HWPT_NESTED;
	h->parent = parent;
	h->viommu = viommu;
	h->s1 = s1;
	*out = h;
	return 0;
}

int hwpt_alloc(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_hwpt_alloc *cmd = arg;
	struct obj *pt;
	struct hwpt *h = NULL;
	int id, err;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	if ((cmd->data_type == IOMMU_HWPT_DATA_NONE) != (cmd->data_len == 0))
		return -EINVAL;
	if (!obj_lookup(c, cmd->dev_id, OBJ_DEVICE))
		return -ENOENT;
	pt = obj_lookup(c, cmd->pt_id, OBJ_ANY);
	if (!pt)
		return -EINVAL;
	if (pt->pinned)
		return -EPERM; /* nothing new hangs off the VMM's objects */
	id = obj_free_id(c);
	if (id < 0)
		return id;
	switch (pt->type) {
	case OBJ_IOAS:
		err = hwpt_paging_alloc(c, cmd, (struct ioas *)pt, &h);
		break;
	case OBJ_HWPT_PAGING:
		err = nested_alloc(c, cmd, (struct hwpt *)pt, NULL, io, &h);
		break;
	case OBJ_VIOMMU: {
		struct viommu *v = (struct viommu *)pt;
		err = nested_alloc(c, cmd, v->parent, v, io, &h);
		break;
	}
	default:
		err = -EINVAL; /* nested-on-nested, a device, ... */
		break;
	}
	if (err)
		return err;
	cmd->out_hwpt_id = (u32)id;
	err = cmd_respond(c, io, cmd);
	if (err) {
		hwpt_destroy(c, h);
		return err;
	}
	/* references: on the IOAS, the parent or the vIOMMU */
	if (h->ioas)
		h->ioas->obj.users++;
	else if (h->viommu)
		h->viommu->obj.users++;
	else
		h->parent->obj.users++;
	obj_publish(c, &h->obj, (u32)id);
	return 0;
}

void hwpt_destroy(struct iommu_ctx *c, struct hwpt *h)
{
	if (h->obj.type == OBJ_HWPT_PAGING) {
		/* nothing may use the VMID's cached translations again: if the
		 * SMMU cannot be made to forget them (tried twice), the VMID is
		 * never handed out again; no STE names it, so its stale entries
		 * and walks (of the tables freed here) cannot be reached */
		bool forgotten = !h->obj.id || !smmu_inv_vmid(c->smmu, h->vmid) ||
				 !smmu_inv_vmid(c->smmu, h->vmid);

		pgtable_destroy(&h->pt);
		if (forgotten)
			smmu_vmid_free(c->smmu, h->vmid);
		c->vmids--;
		if (h->obj.id)
			h->ioas->obj.users--;
	} else if (h->obj.id) {
		if (h->viommu)
			h->viommu->obj.users--;
		else
			h->parent->obj.users--;
	}
	ctx_obj_free(c, h, sizeof(*h));
}

/* ---- HWPT_INVALIDATE ------------------------------------------------------------ */

#define INV_ENTRY_MAX_LEN 4096
#define INV_ENTRY_MAX_NUM 4096
#define INV_ENTRY_SIZE 16	/* one SMMUv3 command */

_Static_assert(AERIE_INVALIDATE_BUDGET <= SMMU_BATCH_MAX, "one call is one SMMU batch");

/* entry i: a shorter entry is zero-filled; a longer one needs a zero tail */
static int inv_fetch_one(struct iommu_ctx *c, const struct cmd_io *io,
			 const struct iommu_hwpt_invalidate *cmd, u32 i, u64 out[2])
{
	u64 gpa = cmd->data_uptr + (u64)i * cmd->entry_len;

	out[0] = out[1] = 0;
	if (cmd_copy_in(c, io, out, gpa, MIN(cmd->entry_len, (u32)INV_ENTRY_SIZE)))
		return -EFAULT;
	return cmd->entry_len > INV_ENTRY_SIZE ?
		       cmd_check_zero(c, io, gpa + INV_ENTRY_SIZE, cmd->entry_len - INV_ENTRY_SIZE) :
		       0;
}

/*
 * Entries [0, n): where they can be read (*src) and how many before a bad
 * one. The common case, whole commands in one region of the guest's RAM
 * (or Aerie's own array), is read in place (each word once, by the
 * translation); any other is copied entry by entry into cmds.
 */
static u32 inv_fetch(struct iommu_ctx *c, const struct cmd_io *io,
		     const struct iommu_hwpt_invalidate *cmd, u32 n, u64 (*cmds)[2],
		     const u64 (**src)[2], int *err)
{
	paddr_t pa;

	if (cmd->entry_len == INV_ENTRY_SIZE) {
		if (io->kernel) {
			*src = (const u64 (*)[2])(uintptr_t)cmd->data_uptr;
			return n;
		}
		if (IS_ALIGNED(cmd->data_uptr, 8) &&
		    !vm_mem_translate(c->mem, cmd->data_uptr, (u64)n * INV_ENTRY_SIZE, &pa)) {
			*src = phys_to_virt(pa);
			return n;
		}
	}
	*src = (const u64 (*)[2])cmds;
	for (u32 k = 0; k < n; k++) {
		*err = inv_fetch_one(c, io, cmd, k, cmds[k]);
		if (*err)
			return k;
	}
	return n;
}

/*
 * Entries are checked and rebuilt (inval.c) until the first bad one; those
 * before it go to the SMMU as one batch with one CMD_SYNC, so entry_num
 * counts exactly the commands the SMMU completed. One call's share of the
 * shared queue is bounded by AERIE_INVALIDATE_BUDGET (-EAGAIN: call again).
 */
int hwpt_invalidate(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_hwpt_invalidate *cmd = arg;
	u64 cmds[AERIE_INVALIDATE_BUDGET][2];
	u32 num = cmd->entry_num, n, good = 0;
	unsigned int done = 0;
	struct viommu *v = NULL;
	struct obj *o;
	struct hwpt *h;
	u16 vmid;
	int err = 0;

	cmd->entry_num = 0;
	if (cmd->__reserved) {
		err = -EOPNOTSUPP;
		goto out;
	}
	if (num && (!cmd->data_uptr || !cmd->entry_len)) {
		err = -EINVAL;
		goto out;
	}
	o = obj_lookup(c, cmd->hwpt_id, OBJ_ANY);
	if (!o) {
		err = -ENOENT;
		goto out;
	}
	if (o->type == OBJ_VIOMMU) {
		v = (struct viommu *)o;
		vmid = v->parent->vmid;
	} else if (o->type == OBJ_HWPT_NESTED) {
		h = (struct hwpt *)o;
		v = h->viommu;
		vmid = h->parent->vmid;
	} else {
		err = -EINVAL; /* a paging HWPT, an IOAS, ... */
		goto out;
	}
	if (cmd->data_type != IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3) {
		err = -EINVAL;
		goto out;
	}
	if (num > INV_ENTRY_MAX_NUM || cmd->entry_len > INV_ENTRY_MAX_LEN) {
		err = -EINVAL;
		goto out;
	}
	n = MIN(num, (u32)AERIE_INVALIDATE_BUDGET);
	if (n) {
		const u64 (*src)[2];
		int ferr = 0;
		u32 got = inv_fetch(c, io, cmd, n, cmds, &src, &ferr);

		good = inval_translate(c, vmid, v, src, cmds, got, &err);
		err = err ?: ferr;
	}
	/* the bad entry and those after it are not issued */
	if (good) {
		int berr = smmu_cmd_batch(c->smmu, (const u64 (*)[2])cmds, good, &done);

		err = err ?: berr;
	}
	if (!err && n < num)
		err = -EAGAIN;
	cmd->entry_num = done;
out:
	{
		int rerr = cmd_respond(c, io, cmd);
		return err ? err : rerr;
	}
}
