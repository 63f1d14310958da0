/* SPDX-License-Identifier: MIT */
/*
 * Devices assigned to a guest: listing, attach / replace / detach (the STE
 * changes live and hitlessly through the SMMU driver), and hw-info.
 */
#include <aerie/errno.h>
#include <aerie/string.h>
#include "iommu_internal.h"

/* IDR fields a guest may use for its stage 1 (iommufd's SMMUv3 rules) */
#define IDR0_GUEST_MASK	(0x3ULL << 27 /* ST_LEVEL */ | 1ULL << 26 /* TERM_MODEL */ | \
			 0x3ULL << 24 /* STALL_MODEL */ | 0x3ULL << 21 /* TTENDIAN */ | \
			 1ULL << 19 /* CD2L */ | 1ULL << 12 /* ASID16 */ | 0x3ULL << 2 /* TTF */)
#define IDR0_S1P	(1ULL << 1)
#define IDR1_GUEST_MASK	(0x3fULL /* SIDSIZE */ | 0x1fULL << 6 /* SSIDSIZE */)
#define IDR3_GUEST_MASK	(0x3ULL << 11 /* BBML */ | 1ULL << 10 /* RIL */)
#define IDR5_GUEST_MASK	(0x3ULL << 10 /* VAX */ | 0x7ULL << 4 /* GRAN64K/16K/4K */)
#define IDR5_OAS_MASK	0x7ULL

int dev_list(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct aerie_iommu_list_devices *cmd = arg;
	u32 cap = cmd->num_devices, n = 0;
	int err;

	for (u32 i = 0; i < c->top; i++) {
		struct device *d = (struct device *)c->objs[i];
		struct aerie_iommu_device_info info;

		if (!d || d->obj.type != OBJ_DEVICE)
			continue;
		if (n < cap) {
			info = (struct aerie_iommu_device_info){ d->obj.id, d->vbdf, d->vsid, 0 };
			err = cmd_copy_out(c, io, cmd->devices_uptr + (u64)n * sizeof(info),
					   &info, sizeof(info));
			if (err)
				return err;
		}
		n++;
	}
	cmd->num_devices = n;
	err = cmd_respond(c, io, cmd);
	if (err)
		return err;
	return n > cap ? -EMSGSIZE : 0;
}

/* program d's stream for h (NULL: abort) */
int dev_set_ste(struct iommu_ctx *c, struct device *d, struct hwpt *h)
{
	struct smmu_ste_cfg cfg = { .kind = SMMU_STE_ABORT };
	struct hwpt *old = d->attached;
	int err;

	if (h && h->obj.type == OBJ_HWPT_PAGING) {
		cfg = (struct smmu_ste_cfg){ .kind = SMMU_STE_S2, .s2 = &h->pt, .vmid = h->vmid };
	} else if (h) {
		cfg = h->s1;
		/* Aerie enables ATS on no device: translated requests would skip
		 * stage 2, so EATS stays 0 whatever the vSTE asked (as Linux does
		 * for a master without ATS) */
		cfg.ats = false;
		if (cfg.kind != SMMU_STE_ABORT) {
			/* bypass means the parent's stage 2, never real bypass */
			cfg.s2 = &h->parent->pt;
			cfg.vmid = h->parent->vmid;
		}
	}
	err = smmu_ste_install(c->smmu, d->psid, &cfg);
	if (err)
		return err;
	d->attached = h;
	if (h)
		h->obj.users++;
	if (old) {
		old->obj.users--;
		hwpt_auto_put(c, old);
	}
	return 0;
}

static int lookup_pair(struct iommu_ctx *c, u32 dev_id, u32 pt_id, struct device **d,
		       struct hwpt **h)
{
	struct obj *o;

	*d = (struct device *)obj_lookup(c, dev_id, OBJ_DEVICE);
	if (!*d)
		return -ENOENT;
	o = obj_lookup(c, pt_id, OBJ_ANY);
	if (!o)
		return -ENOENT;
	if (o->type != OBJ_HWPT_PAGING && o->type != OBJ_HWPT_NESTED)
		return -EINVAL;
	*h = (struct hwpt *)o;
	/* a stage-1 vSTE on a vIOMMU needs the device's vDEVICE there first */
	if ((*h)->obj.type == OBJ_HWPT_NESTED && (*h)->viommu &&
	    (*h)->s1.kind == SMMU_STE_NESTED &&
	    (!(*d)->vdev || (*d)->vdev->viommu != (*h)->viommu))
		return -ENOENT;
	return 0;
}

/* ATTACH never replaces (-EINVAL if attached elsewhere); REPLACE needs an
 * attachment (-EINVAL if none); both are no-ops for the same HWPT. A pinned
 * device or HWPT: -EPERM (DETACH too) */
static int attach_common(struct iommu_ctx *c, struct aerie_iommu_device_attach *cmd,
			 const struct cmd_io *io, bool replace)
{
	struct device *d;
	struct hwpt *h;
	struct obj *o;
	int err;

	if (cmd->flags)
		return -EOPNOTSUPP;
	/* pt_id = an IOAS: its automatic HWPT (auto_domain.c); neither a pinned
	 * device nor the pinned IOAS takes part */
	if ((o = obj_lookup(c, cmd->pt_id, OBJ_IOAS))) {
		d = (struct device *)obj_lookup(c, cmd->dev_id, OBJ_DEVICE);
		if (d && (d->obj.pinned || o->pinned))
			return -EPERM;
		return dev_attach_ioas(c, cmd, io, replace);
	}
	err = lookup_pair(c, cmd->dev_id, cmd->pt_id, &d, &h);
	if (err)
		return err;
	if (d->obj.pinned || h->obj.pinned)
		return -EPERM; /* iommu = "stage2": the VMM's attachment, for good */
	if (d->attached == h)
		return 0;
	if (replace != (d->attached != NULL))
		return -EINVAL;
	/* the device's reserved IOVAs move to the HWPT's IOAS */
	err = dev_resv_check(d, h->obj.type == OBJ_HWPT_NESTED ? h->parent->ioas : h->ioas);
	if (err)
		return err;
	return dev_set_ste(c, d, h);
}

int dev_attach(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	return attach_common(c, arg, io, false);
}

int dev_replace(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	return attach_common(c, arg, io, true);
}

int dev_detach(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct aerie_iommu_device_detach *cmd = arg;
	struct device *d = (struct device *)obj_lookup(c, cmd->dev_id, OBJ_DEVICE);

	(void)io;
	if (!d)
		return -ENOENT;
	if (d->obj.pinned)
		return -EPERM;
	if (!d->attached)
		return -EINVAL;
	return dev_set_ste(c, d, NULL);
}

int dev_hw_info(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_hw_info *cmd = arg;
	const struct smmu_features *f = smmu_features(c->smmu);
	struct iommu_hw_info_arm_smmuv3 info = { 0 };
	u32 want = IOMMU_HW_INFO_TYPE_DEFAULT;
	int err;

	if ((cmd->flags & ~IOMMU_HW_INFO_FLAG_INPUT_TYPE) || cmd->__reserved[0] ||
	    cmd->__reserved[1] || cmd->__reserved[2])
		return -EOPNOTSUPP;
	if (!obj_lookup(c, cmd->dev_id, OBJ_DEVICE))
		return -ENOENT;
	if (cmd->flags & IOMMU_HW_INFO_FLAG_INPUT_TYPE)
		want = cmd->out_data_type;
	if (want != IOMMU_HW_INFO_TYPE_DEFAULT && want != IOMMU_HW_INFO_TYPE_ARM_SMMUV3)
		return -EOPNOTSUPP;
	/* what the guest may use for its stage 1: no stage-2 or host-only bits;
	 * its output addresses are IPAs, bounded by Aerie's stage-2 input */
	info.idr[0] = (u32)((f->idr[0] & IDR0_GUEST_MASK) | (f->s1 ? IDR0_S1P : 0));
	info.idr[1] = (u32)(f->idr[1] & IDR1_GUEST_MASK);
	info.idr[3] = (u32)(f->idr[3] & IDR3_GUEST_MASK);
	info.idr[5] = (u32)((f->idr[5] & IDR5_GUEST_MASK) | pgtable_pa_bits_encoding(c->ias));
	info.iidr = f->iidr;
	info.aidr = f->aidr;
	err = cmd_copy_out(c, io, cmd->data_uptr, &info, MIN(cmd->data_len, (u32)sizeof(info)));
	if (!err && cmd->data_len > sizeof(info))
		err = cmd_zero_out(c, io, cmd->data_uptr + sizeof(info),
				   cmd->data_len - sizeof(info));
	if (err)
		return err;
	cmd->data_len = sizeof(info);
	cmd->out_data_type = IOMMU_HW_INFO_TYPE_ARM_SMMUV3;
	cmd->out_max_pasid_log2 = 0;
	cmd->out_capabilities = 0;
	return cmd_respond(c, io, cmd);
}
