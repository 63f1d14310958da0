/* SPDX-License-Identifier: MIT */
/* vCPU setup: EL1 starts with the MMU off, EL2 traps what the guest must
 * not do itself. */
#include <aerie/bits.h>
#include <aerie/sysreg.h>
#include <aerie/string.h>
#include <aerie/vcpu.h>

_Static_assert(offsetof(struct vcpu, elr) == VCPU_ELR, "vcpu layout");
_Static_assert(offsetof(struct vcpu, spsr) == VCPU_SPSR, "vcpu layout");
_Static_assert(offsetof(struct vcpu, esr) == VCPU_ESR, "vcpu layout");
_Static_assert(offsetof(struct vcpu, far) == VCPU_FAR, "vcpu layout");
_Static_assert(offsetof(struct vcpu, hpfar) == VCPU_HPFAR, "vcpu layout");
_Static_assert(offsetof(struct vcpu, host) == VCPU_HOST, "vcpu layout");

#define HCR_VM		BIT(0)	/* stage 2 on */
#define HCR_SWIO	BIT(1)
#define HCR_FMO		BIT(3)	/* physical FIQ/IRQ/SError to EL2 */
#define HCR_IMO		BIT(4)
#define HCR_AMO		BIT(5)
#define HCR_DC		BIT(12)	/* EL1 with its MMU off: default cacheable, so a
				 * guest's memory stays coherent with Aerie's view */
#define HCR_TWI		BIT(13)	/* trap WFI/WFE */
#define HCR_TWE		BIT(14)
#define HCR_TSC		BIT(19)	/* trap SMC (PSCI over SMC) */
#define HCR_RW		BIT(31)	/* EL1 is AArch64 */
#define SCTLR_EL1_RES1	(BIT(11) | BIT(20) | BIT(22) | BIT(23) | BIT(28) | BIT(29))
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN	BIT(1)
#define VTTBR_VMID	GENMASK(63, 48)
#define VMPIDR_RES1	BIT(31)

void vcpu_init(struct vcpu *v, const struct pgtable *s2, u16 vmid, u64 entry_ipa, u32 vcpu_id)
{
	memset(v, 0, sizeof(*v));
	v->elr = entry_ipa;
	v->spsr = SPSR_DAIF | SPSR_EL1H;
	v->hcr = HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_DC | HCR_TWI | HCR_TWE |
		 HCR_TSC | HCR_RW;
	v->vttbr = FIELD_PREP(VTTBR_VMID, vmid) | s2->root;
	v->vtcr = pgtable_vtcr(s2);
	/* this CPU's EL2 controls and a clean EL1 */
	write_sysreg(vtcr_el2, v->vtcr);
	write_sysreg(vttbr_el2, v->vttbr);
	write_sysreg(hcr_el2, v->hcr);
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	/* the guest sees its own CPU numbers: Aff0 = vCPU index, U = 0 */
	write_sysreg(vmpidr_el2, VMPIDR_RES1 | vcpu_id);
	write_sysreg(cptr_el2, 0x33ff); /* RES1 bits; FP/SIMD not trapped for EL1 */
	isb();
	__asm__ volatile("tlbi vmalls12e1is\n dsb ish\n isb" ::: "memory");
}
