/* SPDX-License-Identifier: MIT */
/*
 * A guest's SMMUv3 invalidation command, checked and rebuilt (iommufd's
 * opcode rules, stricter in what reaches the queue):
 *  - TLBI_NH_ALL/ASID/VA/VAA: the VMID field is the guest's VMID (Aerie's
 *    16-bit value, whatever the guest wrote there);
 *  - TLBI_NSNH_ALL: becomes TLBI_NH_ALL for the guest's VMID;
 *  - CFGI_CD, CFGI_CD_ALL: the StreamID field is a vSID, replaced by the
 *    physical StreamID of the guest's device (unknown vSID: -EIO);
 *  - every other opcode (CFGI_STE, CFGI_ALL, CMD_SYNC, stage-2 and EL2 TLBIs,
 *    PREFETCH, PRI_RESP, RESUME, ATC_INV: Aerie enables ATS on no device,
 *    ...): -EIO.
 * The command that reaches the queue is built anew from the opcode's defined
 * fields only; a guest command with a bit outside them (SSec, a reserved
 * bit) or a field value the SMMU does not support (a range without RIL, an
 * unsupported granule, a 16-bit ASID without ASID16, an SSID beyond
 * SSIDSIZE) is -EIO, so no guest word reaches the shared queue unchecked and
 * the SMMU never has a reason to refuse it (IHI 0070, 4.4 and 4.3).
 */
#include <aerie/bits.h>
#include <aerie/errno.h>
#include <aerie/smmuv3_regs.h>
#include "iommu_internal.h"

/* a command's fields (IHI 0070 4.4, 4.3): CMD_*, CMD0_*, CMD1_* */
#define CMD0_ASID_HI		GENMASK(63, 56)	/* RES0 without ASID16 */

/* a TLBI's TG: the granule of its range */
#define TG_16K			2
#define TG_64K			3

/* the fields each accepted opcode defines (the VMID and StreamID fields are
 * Aerie's: never taken from the guest) */
#define NH_VA_W0	(CMD_OPCODE | CMD0_TLBI_NUM | CMD0_TLBI_SCALE | CMD0_VMID | CMD0_ASID)
#define NH_VA_W1	(CMD1_LEAF | CMD1_TLBI_TTL | CMD1_TLBI_TG | CMD1_TLBI_ADDR)
#define NH_VAA_W0	(CMD_OPCODE | CMD0_TLBI_NUM | CMD0_TLBI_SCALE | CMD0_VMID)
#define NH_ASID_W0	(CMD_OPCODE | CMD0_VMID | CMD0_ASID)
#define NH_ALL_W0	(CMD_OPCODE | CMD0_VMID)
#define CFGI_CD_W0	(CMD_OPCODE | CMD0_SSID | CMD0_SID)
#define CFGI_CD_W1	CMD1_LEAF
#define CFGI_CD_ALL_W0	(CMD_OPCODE | CMD0_SID)

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

/* what the rules need from the SMMU and the caller, found once per call */
struct inval_env {
	struct iommu_ctx *c;
	struct viommu *v;
	u64 vmid;		/* FIELD_PREP(CMD0_VMID, the guest's VMID) */
	u64 asid_bad;		/* ASID bits the SMMU lacks (no ASID16) */
	u64 tg_ok;		/* BIT(TG) for each range granule it takes; BIT(0): none */
	u32 ssid_bits;
};

static void env_init(struct inval_env *e, struct iommu_ctx *c, u16 vmid, struct viommu *v)
{
	const struct smmu_features *f = smmu_features(c->smmu);
	u32 idr5 = f->idr[5];

	e->c = c;
	e->v = v;
	e->vmid = FIELD_PREP(CMD0_VMID, vmid);
	e->asid_bad = (f->idr[0] & IDR0_ASID16) ? 0 : CMD0_ASID_HI;
	/* TG selects a range (RIL only) of a granule the SMMU implements */
	e->tg_ok = BIT(0) | (!f->ril ? 0 :
		   ((idr5 & IDR5_GRAN4K) ? BIT(TLBI_TG_4K) : 0) | ((idr5 & IDR5_GRAN16K) ? BIT(TG_16K) : 0) |
		   ((idr5 & IDR5_GRAN64K) ? BIT(TG_64K) : 0));
	e->ssid_bits = f->ssid_bits;
}

/*
 * A TLBI_NH_* whose opcode defines the fields w0/w1: checked, and rebuilt
 * with Aerie's VMID. Refused (-EIO): SSec, a reserved bit or a field this
 * opcode lacks; ASID bits the SMMU lacks; for the VA-based ones (w1 has
 * TG), a range granule (TG) the SMMU does not take, or with TG = 0 (no
 * range) any of the range fields NUM, SCALE and TTL.
 */
static inline __attribute__((always_inline)) int tlbi_rebuild(const struct inval_env *e, u64 in0,
							      u64 in1, u64 out[2], u64 w0, u64 w1)
{
	u32 tg = (u32)FIELD_GET(CMD1_TLBI_TG, in1);
	bool va = w1 & CMD1_TLBI_TG;
	u64 ok0 = va && !tg ? w0 & ~(CMD0_TLBI_NUM | CMD0_TLBI_SCALE) : w0;
	u64 ok1 = va && !tg ? w1 & ~CMD1_TLBI_TTL : w1;
	u64 bad = (in0 & ~ok0) | (in1 & ~ok1) | (in0 & (w0 & CMD0_ASID) & e->asid_bad);

	/* tg_ok has bit 0 (no range) set: one test for both cases */
	if (bad || (va && !(e->tg_ok & BIT(tg))))
		return -EIO;
	out[0] = (in0 & w0 & ~CMD0_VMID) | e->vmid;
	out[1] = in1 & w1;
	return 0;
}

/* the same for the other opcodes' field sets (one copy of the code) */
static __attribute__((noinline)) int tlbi_rebuild_any(const struct inval_env *e, u64 in0,
						      u64 in1, u64 out[2], u64 w0, u64 w1)
{
	return tlbi_rebuild(e, in0, in1, out, w0, w1);
}

static int cfgi_rebuild(const struct inval_env *e, u64 in0, u64 in1, u64 out[2], u64 w0, u64 w1)
{
	u32 psid;

	if ((in0 & ~w0) || (in1 & ~w1))
		return -EIO; /* SSec, a reserved bit, a field this opcode lacks */
	if (FIELD_GET(CMD0_SSID, in0) >> e->ssid_bits)
		return -EIO;
	/* the vSID lookup: CFGI_CD* only */
	if (vsid_to_psid(e->c, e->v, (u32)FIELD_GET(CMD0_SID, in0), &psid))
		return -EIO;
	/* rebuilt from the defined fields; the StreamID is the physical one */
	out[0] = (in0 & w0 & ~CMD0_SID) | FIELD_PREP(CMD0_SID, psid);
	out[1] = in1 & w1;
	return 0;
}

static inline int translate_one(const struct inval_env *e, const u64 cmd[2], u64 out[2])
{
	/* read once, as one 16-byte value (it may be the guest's memory, which
	 * may change under us); out may be cmd */
	typedef unsigned __int128 cmd128 __attribute__((aligned(8), may_alias));
	cmd128 raw = *(const volatile cmd128 *)cmd;
	u64 in0 = (u64)raw, in1 = (u64)(raw >> 64);
	u32 op = (u32)FIELD_GET(CMD_OPCODE, in0);

	/* TLBI_NH_VA, the common one, decided first and with its masks known */
	if (op == CMD_TLBI_NH_VA)
		return tlbi_rebuild(e, in0, in1, out, NH_VA_W0, NH_VA_W1);
	switch (op) {
	case CMD_TLBI_NSNH_ALL:
		/* it would drop every guest's entries: NH_ALL of its own VMID */
		if ((in0 & ~CMD_OPCODE) || in1)
			return -EIO;
		out[0] = FIELD_PREP(CMD_OPCODE, CMD_TLBI_NH_ALL) | e->vmid;
		out[1] = 0;
		return 0;
	case CMD_TLBI_NH_ALL:
		return tlbi_rebuild_any(e, in0, in1, out, NH_ALL_W0, 0);
	case CMD_TLBI_NH_ASID:
		return tlbi_rebuild_any(e, in0, in1, out, NH_ASID_W0, 0);
	case CMD_TLBI_NH_VAA:
		return tlbi_rebuild_any(e, in0, in1, out, NH_VAA_W0, NH_VA_W1);
	case CMD_CFGI_CD:
		return cfgi_rebuild(e, in0, in1, out, CFGI_CD_W0, CFGI_CD_W1);
	case CMD_CFGI_CD_ALL:
		return cfgi_rebuild(e, in0, in1, out, CFGI_CD_ALL_W0, 0);
	default:
		return -EIO;
	}
}

u32 inval_translate(struct iommu_ctx *c, u16 vmid, struct viommu *v, const u64 (*in)[2],
		    u64 (*out)[2], u32 n, int *err)
{
	struct inval_env e;
	const u64 (*p)[2] = in;

	env_init(&e, c, vmid, v);
	*err = 0;
	for (; p != in + n; p++, out++) {
		int r = translate_one(&e, *p, *out);

		if (r) {
			*err = r;
			break;
		}
	}
	return (u32)(p - in);
}
