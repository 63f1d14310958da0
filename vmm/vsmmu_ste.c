/* SPDX-License-Identifier: MIT */
/*
 * The virtual SMMUv3's streams, as objects of the IOMMU core (the way a VMM
 * builds an emulated SMMU on iommufd):
 *  - at creation: an IOAS mapping all of the guest's RAM at IOVA = IPA, a
 *    NEST_PARENT HWPT over it, a vIOMMU on that, an abort and a bypass
 *    nested HWPT (vSTE {V} and {V, Config = bypass}: the parent's stage 2
 *    only), and a vDEVICE per assigned device with vSID = its virtual BDF;
 *  - on CFGI_STE*, and when SMMUEN or GBPA changes: each affected stream
 *    is re-read from the guest's stream table (never further than its own
 *    RAM: a table outside it reads as an abort STE), and attached to the
 *    abort HWPT (V = 0, Config = abort, unreadable), the bypass HWPT, or a
 *    nested HWPT made from the STE masked to the fields a vSTE may carry
 *    (iommu_vste_mask) through the same HWPT_ALLOC as a hypercall: its
 *    rules (iommu/vste.c) refuse what remains wrong, and such an STE is
 *    treated as an abort STE plus a C_BAD_STE event. The stream's previous
 *    nested HWPT is destroyed once it is replaced.
 * While SMMUEN = 0, GBPA.ABORT chooses the abort or the bypass HWPT.
 */
#include <aerie/errno.h>
#include <aerie/string.h>
#include <uapi/aerie/iommu.h>
#include "vsmmu_internal.h"

#define EVT_C_BAD_STE		0x04
#define EVT0_TYPE		GENMASK(7, 0)
#define EVT0_SID		GENMASK(63, 32)
#define STRTAB_FMT_LINEAR	0

static int nested_alloc(struct vsmmu *v, const u64 ste[2], u32 *id)
{
	struct iommu_hwpt_arm_smmuv3 vste = { { ste[0], ste[1] } };
	struct iommu_hwpt_alloc h = {
		.size = sizeof(h), .dev_id = v->dev[0].dev_id, .pt_id = v->viommu,
		.data_type = IOMMU_HWPT_DATA_ARM_SMMUV3, .data_len = sizeof(vste),
		.data_uptr = (u64)(uintptr_t)&vste,
	};
	int err = iommu_kcall(v->p.ctx, IOMMU_CMD_HWPT_ALLOC, &h);

	*id = h.out_hwpt_id;
	return err;
}

static int attach(struct vsmmu *v, struct vsmmu_dev *d, u32 hwpt, bool replace)
{
	struct aerie_iommu_device_attach a = { .size = sizeof(a), .dev_id = d->dev_id,
					       .pt_id = hwpt };
	int err = iommu_kcall(v->p.ctx, replace ? AERIE_CMD_DEVICE_REPLACE : AERIE_CMD_DEVICE_ATTACH,
			      &a);

	if (!err)
		d->hwpt = hwpt;
	return err;
}

static void destroy(struct vsmmu *v, u32 id)
{
	struct iommu_destroy x = { .size = sizeof(x), .id = id };

	iommu_kcall(v->p.ctx, IOMMU_CMD_DESTROY, &x);
}

int vsmmu_objects_create(struct vsmmu *v)
{
	struct aerie_iommu_device_info info[VSMMU_MAX_DEVS];
	struct aerie_iommu_list_devices l = { .size = sizeof(l), .num_devices = VSMMU_MAX_DEVS,
					      .devices_uptr = (u64)(uintptr_t)info };
	struct iommu_ioas_alloc ia = { .size = sizeof(ia) };
	struct iommu_hwpt_alloc pa = { .size = sizeof(pa), .flags = IOMMU_HWPT_ALLOC_NEST_PARENT };
	struct iommu_viommu_alloc va = { .size = sizeof(va), .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3 };
	const u64 abort_ste[2] = { STE0_V, 0 };
	const u64 bypass_ste[2] = { STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_BYPASS), 0 };
	int err = iommu_kcall(v->p.ctx, AERIE_CMD_LIST_DEVICES, &l);

	if (err)
		return err;
	if (!l.num_devices)
		return -ENODEV; /* nothing to translate for */
	for (u32 i = 0; i < l.num_devices; i++) {
		if (info[i].vbdf >> VSMMU_SID_BITS)
			return -EINVAL; /* not on bus 0: outside its SIDSIZE */
		v->dev[i] = (struct vsmmu_dev){ .dev_id = info[i].dev_id, .vsid = info[i].vbdf };
	}
	v->ndev = l.num_devices;
	err = iommu_kcall(v->p.ctx, IOMMU_CMD_IOAS_ALLOC, &ia);
	if (err)
		return err;
	v->ioas = ia.out_ioas_id;
	for (unsigned int r = 0; r < v->p.mem->count && !err; r++) {
		struct iommu_ioas_map m = {
			.size = sizeof(m), .ioas_id = v->ioas,
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
				 IOMMU_IOAS_MAP_WRITEABLE,
			.user_va = v->p.mem->region[r].ipa, .length = v->p.mem->region[r].size,
			.iova = v->p.mem->region[r].ipa,
		};
		err = iommu_kcall(v->p.ctx, IOMMU_CMD_IOAS_MAP, &m);
	}
	if (err)
		return err;
	pa.dev_id = v->dev[0].dev_id;
	pa.pt_id = v->ioas;
	err = iommu_kcall(v->p.ctx, IOMMU_CMD_HWPT_ALLOC, &pa);
	if (err)
		return err;
	v->parent = pa.out_hwpt_id;
	va.dev_id = v->dev[0].dev_id;
	va.hwpt_id = v->parent;
	err = iommu_kcall(v->p.ctx, IOMMU_CMD_VIOMMU_ALLOC, &va);
	if (err)
		return err;
	v->viommu = va.out_viommu_id;
	err = nested_alloc(v, abort_ste, &v->abort_hwpt);
	if (!err)
		err = nested_alloc(v, bypass_ste, &v->bypass_hwpt);
	for (unsigned int i = 0; i < v->ndev && !err; i++) {
		struct iommu_vdevice_alloc vd = { .size = sizeof(vd), .viommu_id = v->viommu,
						  .dev_id = v->dev[i].dev_id,
						  .virt_id = v->dev[i].vsid };

		err = iommu_kcall(v->p.ctx, IOMMU_CMD_VDEVICE_ALLOC, &vd);
		/* GBPA's reset value: bypass (the guest's own RAM) */
		if (!err)
			err = attach(v, &v->dev[i], v->bypass_hwpt, false);
	}
	/* hook for per-guest quotas: every object above was made in the
	 * guest's own context, so it is charged to the guest like its own */
	return err;
}

/* words 0 and 1 of the guest's STE for `sid`; false: no STE there it may
 * name (outside its table or its RAM, a format not offered) */
static bool read_ste(struct vsmmu *v, u32 sid, u64 ste[2])
{
	u32 log2 = (u32)FIELD_GET(STRTAB_CFG_LOG2SIZE, v->strtab_cfg);
	ipa_t at = (v->strtab_base & STRTAB_BASE_ADDR) + (u64)sid * STE_SIZE;

	if (FIELD_GET(STRTAB_CFG_FMT, v->strtab_cfg) != STRTAB_FMT_LINEAR ||
	    log2 > VSMMU_SID_BITS || sid >> log2)
		return false;
	return vm_copy_from_guest(v->p.mem, ste, at, 2 * sizeof(u64)) == 0;
}

static void bad_ste(struct vsmmu *v, u32 sid)
{
	const u64 evt[4] = { FIELD_PREP(EVT0_TYPE, EVT_C_BAD_STE) | FIELD_PREP(EVT0_SID, sid) };

	vsmmu_evtq_record(v, evt);
}

static void sync_one(struct vsmmu *v, struct vsmmu_dev *d)
{
	u64 ste[2] = { 0, 0 };
	u32 target = v->abort_hwpt, fresh = 0, old = d->nested;
	bool bad = false;

	if (!(v->cr0 & CR0_SMMUEN)) {
		target = (v->gbpa & GBPA_ABORT) ? v->abort_hwpt : v->bypass_hwpt;
	} else if (!read_ste(v, d->vsid, ste)) {
		bad = true;
	} else if (ste[0] & STE0_V) {
		u32 cfg = (u32)FIELD_GET(STE0_CFG, ste[0]);

		iommu_vste_mask(ste);
		if (cfg == STE_CFG_BYPASS) {
			target = v->bypass_hwpt;
		} else if (cfg != STE_CFG_ABORT) {
			if (old && d->ste[0] == ste[0] && d->ste[1] == ste[1])
				return; /* the same STE again: nothing changes */
			if (nested_alloc(v, ste, &fresh))
				bad = true; /* the vSTE rules refused it */
			else
				target = fresh;
		}
	}
	if (d->hwpt != target && attach(v, d, target, true)) {
		if (fresh)
			destroy(v, fresh);
		target = v->abort_hwpt; /* cannot happen with a valid HWPT; be safe */
		if (d->hwpt != target && attach(v, d, target, true))
			return;
		fresh = 0;
	}
	d->nested = fresh;
	d->ste[0] = ste[0];
	d->ste[1] = ste[1];
	if (old && old != fresh)
		destroy(v, old);
	if (bad)
		bad_ste(v, d->vsid);
}

void vsmmu_ste_sync(struct vsmmu *v, u32 first, u64 n)
{
	for (unsigned int i = 0; i < v->ndev; i++)
		if (!n || (v->dev[i].vsid >= first && v->dev[i].vsid - first < n))
			sync_one(v, &v->dev[i]);
}
