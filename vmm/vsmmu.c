/* SPDX-License-Identifier: MIT */
/*
 * The virtual SMMUv3's registers (docs/vsmmu.md): creation, the trapped
 * accesses, the ID registers derived from what the physical SMMU offers a
 * guest's stage 1 (the core's GET_HW_INFO), and the control registers.
 * 32-bit registers take 32-bit accesses, the 64-bit ones (*_BASE,
 * *_IRQ_CFG0) a 64-bit access or two 32-bit halves; any other access, and
 * every offset not emulated, reads as zero and ignores writes. Commands:
 * vsmmu_cmdq.c; streams and the core's objects: vsmmu_ste.c; events:
 * vsmmu_evtq.c.
 */
#include <aerie/errno.h>
#include <aerie/page_alloc.h>
#include <aerie/string.h>
#include <uapi/aerie/iommu.h>
#include "vsmmu_internal.h"

/* the physical SMMU's IDR bits passed on (what the core lets a guest's
 * stage 1 use), and the ones set whatever it has */
#define IDR0_FROM_HOST		(IDR0_ASID16 | IDR0_TTF)
#define IDR3_FROM_HOST		IDR3_RIL
#define IDR5_FROM_HOST		(IDR5_GRAN | IDR5_OAS)

static void derive_ids(struct vsmmu *v, const struct iommu_hw_info_arm_smmuv3 *hw)
{
	memset(v->idr, 0, sizeof(v->idr));
	/* stage 1 only, AArch64 tables, coherent, little-endian, no stalls,
	 * linear stream table; no S2P, VMID16, MSI, ATS, PRI, HYP, HTTU */
	v->idr[0] = (u32)((hw->idr[0] & IDR0_FROM_HOST) | IDR0_S1P | IDR0_COHACC |
			  FIELD_PREP(IDR0_TTENDIAN, IDR0_TTENDIAN_LE) |
			  FIELD_PREP(IDR0_STALL_MODEL, IDR0_STALL_NONE));
	if (!FIELD_GET(IDR0_TTF, hw->idr[0]))
		v->idr[0] |= (u32)FIELD_PREP(IDR0_TTF, IDR0_TTF_AARCH64);
	v->idr[1] = (u32)(FIELD_PREP(IDR1_SIDSIZE, VSMMU_SID_BITS) |
			  FIELD_PREP(IDR1_EVTQS, VSMMU_EVTQ_LOG2) |
			  FIELD_PREP(IDR1_CMDQS, VSMMU_CMDQ_LOG2));
	v->idr[3] = (u32)(hw->idr[3] & IDR3_FROM_HOST);
	/* OAS: the core reports the guest's IPA size (its stage-1 output) */
	v->idr[5] = (u32)(hw->idr[5] & IDR5_FROM_HOST);
	/* IIDR/AIDR 0: no implementation a driver applies errata for */
	v->iidr = 0;
}

int vsmmu_create(struct vsmmu **out, const struct vsmmu_params *p)
{
	struct vsmmu *v = obj_alloc(sizeof(*v));
	int err;

	_Static_assert(sizeof(struct vsmmu) <= 4096, "one page at most");
	if (!v)
		return -ENOMEM;
	memset(v, 0, sizeof(*v));
	v->p = *p;
	err = vsmmu_objects_create(v);
	if (!err) {
		struct iommu_hw_info hw = { .size = sizeof(hw), .dev_id = v->dev[0].dev_id };
		struct iommu_hw_info_arm_smmuv3 info;

		hw.data_len = sizeof(info);
		hw.data_uptr = (u64)(uintptr_t)&info;
		err = iommu_kcall(p->ctx, IOMMU_CMD_GET_HW_INFO, &hw);
		if (!err)
			derive_ids(v, &info);
	}
	if (!err)
		err = iommu_viommu_set_sink(p->ctx, v->viommu, vsmmu_evtq_sink, v);
	if (err) {
		/* the objects made so far belong to the context: it frees them */
		obj_free(v, sizeof(*v));
		return err;
	}
	*out = v;
	return 0;
}

void vsmmu_destroy(struct vsmmu *v)
{
	if (!v)
		return;
	iommu_viommu_set_sink(v->p.ctx, v->viommu, NULL, NULL);
	obj_free(v, sizeof(*v));
}

/* ---- control registers ---------------------------------------------------------------- */

static void raise_gerror(struct vsmmu *v)
{
	if (v->irq_ctrl & IRQ_CTRL_GERROR_IRQEN)
		v->irqs |= VSMMU_IRQ_GERROR;
}

static void write_cr0(struct vsmmu *v, u32 val)
{
	u32 old = v->cr0;

	/* bits of features it does not offer are RES0: dropped, never acked */
	v->cr0 = val & CR0_EMULATED;
	vsmmu_evtq_enable(v, v->cr0 & CR0_EVTQEN, v->irq_ctrl & IRQ_CTRL_EVTQ_IRQEN);
	if ((old ^ v->cr0) & CR0_SMMUEN)
		vsmmu_ste_sync(v, 0, 0); /* the stream table, or GBPA, takes over */
	if (!(old & CR0_CMDQEN) && (v->cr0 & CR0_CMDQEN))
		vsmmu_cmdq_run(v);
}

static u64 reg_read(struct vsmmu *v, u64 off)
{
	switch (off) {
	case SMMU_IDR0 ... SMMU_IDR5:
		return v->idr[off / 4];
	case SMMU_IIDR:
		return v->iidr;
	case SMMU_CR0:
	case SMMU_CR0ACK:
		return v->cr0;
	case SMMU_CR1:
		return v->cr1;
	case SMMU_CR2:
		return v->cr2;
	case SMMU_GBPA:
		return v->gbpa; /* updates complete at once: UPDATE reads 0 */
	case SMMU_IRQ_CTRL:
	case SMMU_IRQ_CTRLACK:
		return v->irq_ctrl;
	case SMMU_GERROR:
		return v->gerror;
	case SMMU_GERRORN:
		return v->gerrorn;
	case SMMU_GERROR_IRQ_CFG0:
		return v->gerror_irq_cfg0;
	case SMMU_STRTAB_BASE:
		return v->strtab_base;
	case SMMU_STRTAB_BASE_CFG:
		return v->strtab_cfg;
	case SMMU_CMDQ_BASE:
		return v->cmdq_base;
	case SMMU_CMDQ_PROD:
		return v->cmdq_prod;
	case SMMU_CMDQ_CONS:
		/* a driver polling for its CMD_SYNC: go on where the budget stopped */
		vsmmu_cmdq_run(v);
		return v->cmdq_cons | (u32)FIELD_PREP(CMDQ_CONS_ERR, v->cmdq_err);
	case SMMU_EVTQ_IRQ_CFG0:
		return v->evtq_irq_cfg0;
	case SMMU_EVTQ_BASE:
	case SMMU_EVTQ_PROD:
	case SMMU_EVTQ_CONS:
		return vsmmu_evtq_read(v, off);
	default:
		return 0;
	}
}

static void reg_write(struct vsmmu *v, u64 off, u64 val, unsigned int size)
{
	u32 qmask = (2U << VSMMU_CMDQ_LOG2) - 1; /* index + wrap of the largest queue */

	switch (off) {
	case SMMU_CR0:
		write_cr0(v, (u32)val);
		break;
	case SMMU_CR1:
		v->cr1 = (u32)val & (u32)GENMASK(11, 0);
		break;
	case SMMU_CR2:
		v->cr2 = (u32)val & (u32)GENMASK(2, 0);
		break;
	case SMMU_GBPA:
		v->gbpa = (u32)(val & GBPA_FIELDS);
		if (!(v->cr0 & CR0_SMMUEN) && (val & GBPA_UPDATE))
			vsmmu_ste_sync(v, 0, 0);
		break;
	case SMMU_IRQ_CTRL:
		v->irq_ctrl = (u32)val & IRQ_CTRL_EMULATED;
		vsmmu_evtq_enable(v, v->cr0 & CR0_EVTQEN, v->irq_ctrl & IRQ_CTRL_EVTQ_IRQEN);
		break;
	case SMMU_GERRORN:
		v->gerrorn = (u32)val & GERROR_CMDQ_ERR;
		/* acknowledged: the command queue goes on from CONS */
		vsmmu_cmdq_run(v);
		break;
	case SMMU_GERROR_IRQ_CFG0:
		v->gerror_irq_cfg0 = val & IRQ_CFG0_ADDR; /* no MSIs: stored only */
		break;
	case SMMU_EVTQ_IRQ_CFG0:
		v->evtq_irq_cfg0 = val & IRQ_CFG0_ADDR;
		break;
	case SMMU_STRTAB_BASE:
		if (!(v->cr0 & CR0_SMMUEN))
			v->strtab_base = val & (STRTAB_BASE_ADDR | STRTAB_BASE_RA);
		break;
	case SMMU_STRTAB_BASE_CFG:
		if (!(v->cr0 & CR0_SMMUEN))
			v->strtab_cfg = (u32)val & (u32)STRTAB_CFG_FIELDS;
		break;
	case SMMU_CMDQ_BASE:
		if (!(v->cr0 & CR0_CMDQEN))
			v->cmdq_base = val & Q_BASE_FIELDS;
		break;
	case SMMU_CMDQ_PROD:
		v->cmdq_prod = (u32)val & qmask;
		vsmmu_cmdq_run(v);
		break;
	case SMMU_CMDQ_CONS:
		if (!(v->cr0 & CR0_CMDQEN)) {
			v->cmdq_cons = (u32)val & qmask;
			v->cmdq_err = CERROR_NONE;
		}
		break;
	case SMMU_EVTQ_BASE:
	case SMMU_EVTQ_PROD:
	case SMMU_EVTQ_CONS:
		vsmmu_evtq_write(v, off, val, size);
		break;
	default:
		break; /* read-only or not emulated */
	}
}

static bool is_reg64(u64 off)
{
	switch (off) {
	case SMMU_GERROR_IRQ_CFG0:
	case SMMU_STRTAB_BASE:
	case SMMU_CMDQ_BASE:
	case SMMU_EVTQ_BASE:
	case SMMU_EVTQ_IRQ_CFG0:
		return true;
	default:
		return false;
	}
}

bool vsmmu_access(struct vsmmu *v, struct vmmio_access *a)
{
	u64 off, reg;
	unsigned int shift = 0;
	u32 irqs;

	if (!v || a->ipa < v->p.base || a->ipa - v->p.base >= VSMMU_MMIO_SIZE)
		return false;
	off = a->ipa - v->p.base;
	reg = off & ~7ULL;
	spin_lock(&v->lock);
	if (is_reg64(reg) && (a->size == 8 ? off == reg : a->size == 4)) {
		/* the whole register, or one 32-bit half of it */
		shift = (unsigned int)(off - reg) * 8;
		if (a->write) {
			u64 mask = a->size == 8 ? ~0ULL : 0xffffffffULL << shift;
			u64 val = (reg_read(v, reg) & ~mask) | ((a->val << shift) & mask);

			reg_write(v, reg, val, 8);
		} else {
			a->val = reg_read(v, reg) >> shift;
			if (a->size == 4)
				a->val &= 0xffffffffULL;
		}
	} else if (a->size == 4 && !(off & 3) && !is_reg64(reg)) {
		if (a->write)
			reg_write(v, off, a->val & 0xffffffffULL, 4);
		else
			a->val = reg_read(v, off) & 0xffffffffULL;
	} else if (!a->write) {
		a->val = 0; /* a size the register does not take: RAZ/WI */
	}
	irqs = v->irqs;
	v->irqs = 0;
	spin_unlock(&v->lock);
	if (irqs & VSMMU_IRQ_GERROR)
		v->p.irq(v->p.irq_arg, v->p.gerror_intid);
	return true;
}

/* the command queue reports an error: GERROR.CMDQ_ERR active, its SPI */
void vsmmu_gerror_cmdq(struct vsmmu *v)
{
	if (!((v->gerror ^ v->gerrorn) & GERROR_CMDQ_ERR)) {
		v->gerror ^= GERROR_CMDQ_ERR;
		raise_gerror(v);
	}
}
