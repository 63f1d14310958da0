/* SPDX-License-Identifier: MIT */
/*
 * The virtual SMMUv3's command queue, consumed when the guest writes
 * CMDQ_PROD (and, past the per-access budget, on its CMDQ_CONS polls and
 * its GERRORN acknowledgement), as hardware consumes it:
 *  - CMD_SYNC completes at once (the commands before it are complete when
 *    the trapped access returns); PREFETCH_* does nothing;
 *  - CFGI_STE, CFGI_STE_RANGE, CFGI_ALL re-read the guest's STEs
 *    (vsmmu_ste.c);
 *  - TLBI_NH_ALL/ASID/VA/VAA, TLBI_NSNH_ALL, CFGI_CD, CFGI_CD_ALL go to the
 *    core as they are: one HWPT_INVALIDATE on the vIOMMU per access (one
 *    batch, one CMD_SYNC on the physical queue), which checks and rebuilds
 *    each one (iommu/inval.c);
 *  - anything else, and any command the core refuses, stops the queue at it
 *    with CERROR_ILL in CMDQ_CONS.ERR and GERROR.CMDQ_ERR (and its SPI)
 *    until the guest acknowledges it in GERRORN. A command that cannot be
 *    read (CMDQ_BASE outside the guest's RAM) is CERROR_ABT.
 */
#include <aerie/errno.h>
#include <uapi/aerie/iommu.h>
#include "vsmmu_internal.h"

#define CMD_SIZE		16
#define RANGE_ALL		31

static unsigned int q_log2(const struct vsmmu *v)
{
	unsigned int l = (unsigned int)FIELD_GET(Q_BASE_LOG2SIZE, v->cmdq_base);

	return l > VSMMU_CMDQ_LOG2 ? VSMMU_CMDQ_LOG2 : l; /* as IDR1.CMDQS says */
}

static bool stopped(const struct vsmmu *v)
{
	return !(v->cr0 & CR0_CMDQEN) || ((v->gerror ^ v->gerrorn) & GERROR_CMDQ_ERR);
}

static void cmdq_error(struct vsmmu *v, u32 at, u32 cerror)
{
	v->cmdq_cons = at;
	v->cmdq_err = cerror;
	vsmmu_gerror_cmdq(v);
}

/* the invalidations gathered so far, as one batch; false if the core
 * refused one (the queue then stops at it, those before it completed) */
static bool flush(struct vsmmu *v)
{
	struct iommu_hwpt_invalidate inv = {
		.size = sizeof(inv), .hwpt_id = v->viommu,
		.data_uptr = (u64)(uintptr_t)v->batch,
		.data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
		.entry_len = CMD_SIZE, .entry_num = v->nbatch,
	};
	int err;

	if (!v->nbatch)
		return true;
	err = iommu_kcall(v->p.ctx, IOMMU_CMD_HWPT_INVALIDATE, &inv);
	if (err && inv.entry_num < v->nbatch) {
		cmdq_error(v, v->batch_at[inv.entry_num], CERROR_ILL);
		v->nbatch = 0;
		return false;
	}
	v->nbatch = 0;
	return true;
}

/* one command at queue position `at`; false: the queue stopped */
static bool execute(struct vsmmu *v, const u64 cmd[2], u32 at)
{
	u32 op = (u32)FIELD_GET(CMD_OPCODE, cmd[0]);

	switch (op) {
	case CMD_SYNC:
		return true;
	case CMD_PREFETCH_CONFIG:
	case CMD_PREFETCH_ADDR:
		if (cmd[0] & CMD0_SSEC)
			break;
		return true;
	case CMD_CFGI_STE:
	case CMD_CFGI_STE_RANGE:
		if (cmd[0] & CMD0_SSEC)
			break;
		/* the invalidations queued before it happen first */
		if (!flush(v))
			return false;
		if (op == CMD_CFGI_STE) {
			vsmmu_ste_sync(v, (u32)FIELD_GET(CMD0_SID, cmd[0]), 1);
		} else {
			u32 range = (u32)FIELD_GET(CMD1_CFGI_RANGE, cmd[1]);
			u64 n = range >= RANGE_ALL ? 0 : 2ULL << range;
			u32 sid = (u32)FIELD_GET(CMD0_SID, cmd[0]);

			vsmmu_ste_sync(v, n ? sid & ~(u32)(n - 1) : 0, n);
		}
		return true;
	case CMD_CFGI_CD:
	case CMD_CFGI_CD_ALL:
	case CMD_TLBI_NH_ALL:
	case CMD_TLBI_NH_ASID:
	case CMD_TLBI_NH_VA:
	case CMD_TLBI_NH_VAA:
	case CMD_TLBI_NSNH_ALL:
		if (v->nbatch == VSMMU_BATCH && !flush(v))
			return false;
		v->batch[v->nbatch][0] = cmd[0];
		v->batch[v->nbatch][1] = cmd[1];
		v->batch_at[v->nbatch++] = at;
		return true;
	default:
		break;
	}
	/* EL2/EL3 and stage-2 TLBIs, ATC_INV, PRI_RESP, RESUME, SSec, unknown */
	if (flush(v))
		cmdq_error(v, at, CERROR_ILL);
	return false;
}

void vsmmu_cmdq_run(struct vsmmu *v)
{
	unsigned int log2 = q_log2(v), budget = VSMMU_CMD_BUDGET;
	u32 qmask = (2U << log2) - 1, imask = (1U << log2) - 1;
	ipa_t base = v->cmdq_base & Q_BASE_ADDR;

	if (stopped(v))
		return;
	v->cmdq_err = CERROR_NONE;
	v->cmdq_cons &= qmask;
	while (budget-- && v->cmdq_cons != (v->cmdq_prod & qmask)) {
		u32 at = v->cmdq_cons;
		u64 cmd[2];

		if (vm_copy_from_guest(v->p.mem, cmd, base + (u64)(at & imask) * CMD_SIZE,
				       CMD_SIZE)) {
			if (flush(v))
				cmdq_error(v, at, CERROR_ABT);
			return;
		}
		v->cmdq_cons = (at + 1) & qmask;
		if (!execute(v, cmd, at))
			return;
	}
	flush(v);
}
