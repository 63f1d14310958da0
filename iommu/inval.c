/* SPDX-License-Identifier: MIT */
/*
 * A guest's SMMUv3 invalidation command, made Aerie's (iommufd's rules):
 *  - TLBI_NH_ALL/ASID/VA/VAA: the VMID field becomes the guest's VMID;
 *  - TLBI_NSNH_ALL: becomes TLBI_NH_ALL for the guest's VMID;
 *  - CFGI_CD, CFGI_CD_ALL, ATC_INV: the StreamID field is a vSID, replaced by
 *    the physical StreamID of the guest's device (unknown vSID: -EIO);
 *  - every other opcode (CFGI_STE, CFGI_ALL, CMD_SYNC, stage-2 and EL2 TLBIs,
 *    PREFETCH, PRI_RESP, RESUME, ...): -EIO.
 */
#include <aerie/bits.h>
#include <aerie/errno.h>
#include "iommu_internal.h"

#define ICMD_OPCODE		GENMASK(7, 0)
#define ICMD0_VMID		GENMASK(47, 32)
#define ICMD0_SID		GENMASK(63, 32)
#define OP_CFGI_CD		0x05
#define OP_CFGI_CD_ALL		0x06
#define OP_TLBI_NH_ALL		0x10
#define OP_TLBI_NH_ASID		0x11
#define OP_TLBI_NH_VA		0x12
#define OP_TLBI_NH_VAA		0x13
#define OP_TLBI_NSNH_ALL	0x30
#define OP_ATC_INV		0x40

static int vsid_to_psid(struct iommu_ctx *c, struct viommu *v, u32 vsid, u32 *psid)
{
	for (u32 i = 0; i < c->top; i++) {
		struct obj *o = c->objs[i];

		if (!o)
			continue;
		if (v && o->type == OBJ_VDEVICE) {
			struct vdevice *vd = (struct vdevice *)o;
			if (vd->viommu == v && vd->virt_id == vsid) {
				*psid = vd->dev->psid;
				return 0;
			}
		} else if (!v && o->type == OBJ_DEVICE && ((struct device *)o)->vsid == vsid) {
			*psid = ((struct device *)o)->psid;
			return 0;
		}
	}
	return -EIO;
}

int inval_translate(struct iommu_ctx *c, u16 vmid, struct viommu *v, const u64 in[2],
		    u64 out[2])
{
	u32 psid;

	out[0] = in[0];
	out[1] = in[1];
	switch (FIELD_GET(ICMD_OPCODE, in[0])) {
	case OP_TLBI_NSNH_ALL:
		out[0] = FIELD_PREP(ICMD_OPCODE, OP_TLBI_NH_ALL) | FIELD_PREP(ICMD0_VMID, vmid);
		out[1] = 0;
		return 0;
	case OP_TLBI_NH_ALL:
	case OP_TLBI_NH_ASID:
	case OP_TLBI_NH_VA:
	case OP_TLBI_NH_VAA:
		out[0] = (in[0] & ~ICMD0_VMID) | FIELD_PREP(ICMD0_VMID, vmid);
		return 0;
	case OP_CFGI_CD:
	case OP_CFGI_CD_ALL:
	case OP_ATC_INV:
		if (vsid_to_psid(c, v, (u32)FIELD_GET(ICMD0_SID, in[0]), &psid))
			return -EIO;
		out[0] = (in[0] & ~ICMD0_SID) | FIELD_PREP(ICMD0_SID, psid);
		return 0;
	default:
		return -EIO;
	}
}
