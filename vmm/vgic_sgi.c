/* SPDX-License-Identifier: MIT */
/*
 * SGIs (inter-processor interrupts) a guest's vCPU sends to its own vCPUs
 * by writing ICC_SGI1R_EL1, which traps to EL2 because HCR_EL2.IMO is set
 * (vmm/sysreg_trap.c decodes the trap; docs/guests.md, "Interrupts").
 *
 * ICC_SGI1R_EL1 names its targets by affinity: Aff3.Aff2.Aff1 and a list
 * of 16 Aff0 values starting at RS * 16, or, with IRM = 1, every PE but
 * the sender. A guest's vCPU i has MPIDR Aff0 = i and Aff1..3 = 0, so a
 * target is vCPU i when Aff3..1 are 0 and bit i - RS * 16 of the list is
 * set; targets that name no vCPU of the guest are ignored, as a GIC ignores
 * affinities no PE has. Each target gets the SGI through vgic_inject():
 * queued in its pending bitmap, delivered once its redistributor has the
 * SGI enabled (GICR_ISENABLER0), its CPU kicked.
 *
 * Groups: the vGIC has one security state (GICD_CTLR.DS = 1) and every
 * interrupt is group 1 (GICR_IGROUPR0 reads as ones, writes are ignored).
 * With DS = 1, ICC_SGI0R_EL1 generates only group 0 SGIs, and
 * ICC_ASGI1R_EL1 (the "other security state's" group 1, which does not
 * exist with one security state) is handled like ICC_SGI0R_EL1, as KVM
 * does; ICC_SGI1R_EL1 generates the SGI in the group it is configured in.
 * So a write to ICC_SGI0R_EL1 or ICC_ASGI1R_EL1 reaches no vCPU: it is
 * accepted and does nothing.
 */
#include <aerie/bits.h>
#include <aerie/guest.h>
#include <aerie/vgic.h>

/* ICC_SGI1R_EL1 (ICC_ASGI1R_EL1 and ICC_SGI0R_EL1 have the same layout) */
#define ICC_SGIR_TARGETLIST	GENMASK(15, 0)
#define ICC_SGIR_AFF1		GENMASK(23, 16)
#define ICC_SGIR_INTID		GENMASK(27, 24)
#define ICC_SGIR_AFF2		GENMASK(39, 32)
#define ICC_SGIR_IRM		BIT(40)
#define ICC_SGIR_RS		GENMASK(47, 44)
#define ICC_SGIR_AFF3		GENMASK(55, 48)
#define SGIR_AFF0_PER_RS	16	/* TargetList covers Aff0 RS * 16 .. RS * 16 + 15 */

_Static_assert(GUEST_MAX_VCPUS <= 32, "vgic_sgi_targets returns a 32-bit mask");

u32 vgic_sgi_targets(u64 val, unsigned int self, unsigned int nvcpus)
{
	u64 all = nvcpus ? GENMASK(nvcpus - 1, 0) : 0;
	u64 first;

	if (val & ICC_SGIR_IRM)
		return (u32)(all & ~BIT(self));
	/* every vCPU has Aff3.Aff2.Aff1 = 0.0.0 */
	if (val & (ICC_SGIR_AFF3 | ICC_SGIR_AFF2 | ICC_SGIR_AFF1))
		return 0;
	first = FIELD_GET(ICC_SGIR_RS, val) * SGIR_AFF0_PER_RS;
	if (first >= nvcpus)
		return 0;
	return (u32)((FIELD_GET(ICC_SGIR_TARGETLIST, val) << first) & all);
}

void vgic_sgi_write(struct guest_vcpu *gv, enum vgic_sgi_reg reg, u64 val)
{
	struct guest *g = gv->g;
	u32 intid = (u32)FIELD_GET(ICC_SGIR_INTID, val);

	/* group 0 SGIs only, and every SGI of the vGIC is group 1 */
	if (reg != VGIC_SGI1R)
		return;
	for (u32 t = vgic_sgi_targets(val, gv->idx, g->nvcpus); t; t &= t - 1)
		vgic_inject(&g->vcpus[__builtin_ctz(t)], intid);
}
