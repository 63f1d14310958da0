/* SPDX-License-Identifier: MIT */
/*
 * vCPU setup: EL1 starts with the MMU off, EL2 traps what the guest must
 * not do itself. The guest's EL1 system registers are switched only when a
 * vCPU is loaded on / put off a CPU (vcpu_el1_restore/vcpu_el1_save), never
 * on a trap: Aerie runs at EL2 and does not use them.
 *
 * WFI is not trapped: each vCPU owns its physical CPU, so a guest's WFI
 * sleeps in hardware and wakes on its virtual interrupts (list registers) or
 * on a physical one, which exits to EL2 (its virtual timer's PPI, a device's
 * INTx, the kick SGI). WFE is trapped and skipped.
 *
 * MMU off, then on: a guest starts with HCR_EL2.DC set, so while its own
 * MMU is off its memory accesses are Normal write-back, coherent with
 * Aerie's and the SMMU's (a bare-metal guest may never turn its MMU on).
 * DC also makes the PE act as if SCTLR_EL1.M were 0, so it must go when
 * the guest turns its MMU on: HCR_EL2.TVM traps the guest's writes to the
 * EL1 memory-system registers until then (vcpu_vm_reg_write), and the write
 * to SCTLR_EL1 that sets M clears DC and TVM. A Linux guest traps about a
 * dozen times, all at boot.
 *
 * What belongs to the physical CPU rather than to the guest (error records,
 * LORegions, ACTLR_EL1, IMPLEMENTATION DEFINED registers, the OS lock and
 * power-down controls, the EL1 physical timer) traps; arch/vcpu_sysreg.c
 * says what the guest sees. What the guest owns but Aerie does not switch
 * (FP/SIMD, PMU, breakpoints and watchpoints) is reset at load.
 */
#include <aerie/bits.h>
#include <aerie/sysreg.h>
#include <aerie/string.h>
#include <aerie/sysreg_enc.h>
#include <aerie/vcpu.h>

_Static_assert(offsetof(struct vcpu, elr) == VCPU_ELR, "vcpu layout");
_Static_assert(offsetof(struct vcpu, spsr) == VCPU_SPSR, "vcpu layout");
_Static_assert(offsetof(struct vcpu, esr) == VCPU_ESR, "vcpu layout");
_Static_assert(offsetof(struct vcpu, far) == VCPU_FAR, "vcpu layout");
_Static_assert(offsetof(struct vcpu, hpfar) == VCPU_HPFAR, "vcpu layout");
_Static_assert(offsetof(struct vcpu, host) == VCPU_HOST, "vcpu layout");
_Static_assert(offsetof(struct vcpu, hvc_fast) == VCPU_HVC_FAST, "vcpu layout");

#define HCR_VM		BIT(0)	/* stage 2 on */
#define HCR_SWIO	BIT(1)
#define HCR_FMO		BIT(3)	/* physical FIQ/IRQ/SError to EL2 */
#define HCR_IMO		BIT(4)
#define HCR_AMO		BIT(5)
#define HCR_DC		BIT(12)	/* EL1 with its MMU off: default cacheable, so a
				 * guest's memory stays coherent with Aerie's view */
#define HCR_TWE		BIT(14)	/* trap WFE */
#define HCR_TVM		BIT(26)	/* trap writes to the EL1 memory-system registers */
#define HCR_TID3	BIT(18)	/* trap ID register reads (arch/cpu_id.c) */
#define HCR_TSC		BIT(19)	/* trap SMC (PSCI over SMC) */
#define HCR_TIDCP	BIT(20)	/* trap the IMPLEMENTATION DEFINED registers */
#define HCR_TACR	BIT(21)	/* trap ACTLR_EL1 */
#define HCR_RW		BIT(31)	/* EL1 is AArch64 */
#define HCR_TLOR	BIT(35)	/* trap the LORegions registers (FEAT_LOR) */
#define HCR_TERR	BIT(36)	/* trap the RAS error records (FEAT_RAS) */
#define HCR_APK		BIT(40)	/* EL1 may use its pointer-authentication keys */
#define HCR_API		BIT(41)	/* ... and the PAC/AUT instructions */
/* pointer authentication implemented: ID_AA64ISAR1_EL1.{APA,API,GPA,GPI},
 * ID_AA64ISAR2_EL1.{GPA3,APA3} */
#define ISAR1_PAUTH		(GENMASK(7, 4) | GENMASK(11, 8) | GENMASK(27, 24) | GENMASK(31, 28))
#define ISAR2_PAUTH		(GENMASK(11, 8) | GENMASK(15, 12))
#define read_id_aa64isar2()	read_sysreg(S3_0_C0_C6_2)
/* the PMU: the guest's own (MDCR_EL2 gives it every counter, none count at
 * EL2), reset when a vCPU is loaded */
#define DFR0_PMUVER		GENMASK(11, 8)
#define PMUVER_IMPDEF		0xf
#define PMUVER_V3P1		4
#define PMUVER_V3P5		6
#define MDCR_HPMN		GENMASK(4, 0)
#define MDCR_TDOSA		BIT(10)	/* trap the OS lock / power-down registers */
#define MDCR_TDRA		BIT(11)	/* trap the debug ROM address */
#define MDCR_HPMD		BIT(17)	/* no event counting at EL2 (PMUv3p1) */
#define MDCR_HCCD		BIT(23)	/* no cycle counting at EL2 (PMUv3p5) */
#define PMSELR_SEL		GENMASK(4, 0)
#define PMCR_P			BIT(1)	/* reset the event counters */
#define PMCR_C			BIT(2)	/* reset the cycle counter */
#define PMCR_N			GENMASK(15, 11)
#define PMU_ALL_COUNTERS	0xffffffffULL
#define SCTLR_EL1_RES1	(BIT(11) | BIT(20) | BIT(22) | BIT(23) | BIT(28) | BIT(29))
#define CNTHCTL_EL1PCTEN BIT(0)	/* EL1 reads the physical count */
#define CNTHCTL_EL1PCEN	BIT(1)	/* EL1 uses the physical timer: not given */
/* ID_AA64PFR0_EL1.RAS, ID_AA64MMFR1_EL1.LO: what TERR and TLOR need */
#define PFR0_RAS		GENMASK(31, 28)
#define MMFR1_LO		GENMASK(19, 16)
#define VTTBR_VMID	GENMASK(63, 48)
#define VMPIDR_RES1	BIT(31)

static unsigned int pmu_version(void)
{
	unsigned int v = (unsigned int)FIELD_GET(DFR0_PMUVER, read_sysreg(id_aa64dfr0_el1));

	return v == PMUVER_IMPDEF ? 0 : v;
}

/* nothing of the previous guest's counting: counters stopped and zeroed,
 * every event filter (PMEVTYPER<n>_EL0, PMCCFILTR_EL0) back to 0 */
static void pmu_reset(void)
{
	unsigned int n;

	if (!pmu_version())
		return;
	n = (unsigned int)FIELD_GET(PMCR_N, read_sysreg(pmcr_el0));
	for (unsigned int i = 0; i < n; i++) {
		write_sysreg(pmselr_el0, FIELD_PREP(PMSELR_SEL, i));
		isb();
		write_sysreg(pmxevtyper_el0, 0);
	}
	write_sysreg(pmccfiltr_el0, 0);
	write_sysreg(pmcntenclr_el0, PMU_ALL_COUNTERS);
	write_sysreg(pmintenclr_el1, PMU_ALL_COUNTERS);
	write_sysreg(pmovsclr_el0, PMU_ALL_COUNTERS);
	write_sysreg(pmuserenr_el0, 0);
	write_sysreg(pmselr_el0, 0);
	write_sysreg(pmcr_el0, PMCR_P | PMCR_C);
}

/* MDCR_EL2: every PMU counter the guest's, none counting at EL2 (HPMD from
 * PMUv3p1, HCCD for the cycle counter from PMUv3p5: before that the cycle
 * counter stops at EL2 only if the guest sets PMCR_EL0.DP); the OS lock,
 * power-down and debug ROM registers trapped (arch/vcpu_debug.c) */
static u64 mdcr(void)
{
	unsigned int ver = pmu_version();
	u64 m = MDCR_TDOSA | MDCR_TDRA;

	if (!ver)
		return m;
	m |= FIELD_PREP(MDCR_HPMN, FIELD_GET(PMCR_N, read_sysreg(pmcr_el0)));
	if (ver >= PMUVER_V3P1)
		m |= MDCR_HPMD;
	if (ver >= PMUVER_V3P5)
		m |= MDCR_HCCD;
	return m;
}

static bool has_pauth(void)
{
	return (read_sysreg(id_aa64isar1_el1) & ISAR1_PAUTH) ||
	       (read_id_aa64isar2() & ISAR2_PAUTH);
}

void vcpu_init(struct vcpu *v, const struct pgtable *s2, u16 vmid, u64 entry_ipa, u32 vcpu_id)
{
	memset(v, 0, sizeof(*v));
	v->elr = entry_ipa;
	v->spsr = SPSR_DAIF | SPSR_EL1H;
	v->hcr = HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_DC | HCR_TVM |
		 HCR_TID3 | HCR_TWE | HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_RW;
	/* the physical CPU's error records and LORegions (arch/vcpu_sysreg.c);
	 * RES0 where the CPU lacks the feature */
	if (FIELD_GET(PFR0_RAS, read_sysreg(id_aa64pfr0_el1)))
		v->hcr |= HCR_TERR;
	if (FIELD_GET(MMFR1_LO, read_sysreg(id_aa64mmfr1_el1)))
		v->hcr |= HCR_TLOR;
	/* pointer authentication is the guest's own (its keys are switched
	 * with its EL1 state; Aerie does not use them) */
	if (has_pauth())
		v->hcr |= HCR_APK | HCR_API;
	v->vttbr = FIELD_PREP(VTTBR_VMID, vmid) | s2->root;
	v->vtcr = pgtable_vtcr(s2);
	/* a clean EL1 (written by vcpu_el1_restore when the vCPU is loaded) */
	v->el1.sctlr = SCTLR_EL1_RES1;
	/* this CPU's EL2 controls */
	write_sysreg(vtcr_el2, v->vtcr);
	write_sysreg(vttbr_el2, v->vttbr);
	write_sysreg(hcr_el2, v->hcr);
	/* the physical count is readable (it is the virtual count: CNTVOFF_EL2
	 * is 0); the EL1 physical timer is not the guest's (arch/vcpu_sysreg.c)
	 * and is left stopped */
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	/* the guest sees its own CPU numbers: Aff0 = vCPU index, U = 0 */
	write_sysreg(vmpidr_el2, VMPIDR_RES1 | vcpu_id);
	write_sysreg(cptr_el2, 0x33ff); /* RES1 bits; FP/SIMD not trapped for EL1 */
	/* breakpoints, watchpoints and the PMU are the guest's; set, not
	 * inherited from firmware */
	write_sysreg(mdcr_el2, mdcr());
	isb();
	__asm__ volatile("tlbi vmalls12e1is\n dsb ish\n isb" ::: "memory");
}

void vcpu_el1_save(struct vcpu *v)
{
	struct vcpu_el1 *e = &v->el1;

	e->sctlr = read_sysreg(sctlr_el1);
	e->ttbr0 = read_sysreg(ttbr0_el1);
	e->ttbr1 = read_sysreg(ttbr1_el1);
	e->tcr = read_sysreg(tcr_el1);
	e->mair = read_sysreg(mair_el1);
	e->amair = read_sysreg(amair_el1);
	e->vbar = read_sysreg(vbar_el1);
	e->contextidr = read_sysreg(contextidr_el1);
	e->tpidr_el0 = read_sysreg(tpidr_el0);
	e->tpidr_el1 = read_sysreg(tpidr_el1);
	e->tpidrro_el0 = read_sysreg(tpidrro_el0);
	e->sp_el0 = read_sysreg(sp_el0);
	e->sp_el1 = read_sysreg(sp_el1);
	e->elr = read_sysreg(elr_el1);
	e->spsr = read_sysreg(spsr_el1);
	e->esr = read_sysreg(esr_el1);
	e->far = read_sysreg(far_el1);
	e->afsr0 = read_sysreg(afsr0_el1);
	e->afsr1 = read_sysreg(afsr1_el1);
	e->par = read_sysreg(par_el1);
	e->cpacr = read_sysreg(cpacr_el1);
	e->cntkctl = read_sysreg(cntkctl_el1);
	e->csselr = read_sysreg(csselr_el1);
	e->mdscr = read_sysreg(mdscr_el1);
	if (v->hcr & HCR_APK) {
		e->pauth[0] = read_sysreg(S3_0_C2_C1_0);	/* APIAKeyLo_EL1 */
		e->pauth[1] = read_sysreg(S3_0_C2_C1_1);
		e->pauth[2] = read_sysreg(S3_0_C2_C1_2);	/* APIBKey */
		e->pauth[3] = read_sysreg(S3_0_C2_C1_3);
		e->pauth[4] = read_sysreg(S3_0_C2_C2_0);	/* APDAKey */
		e->pauth[5] = read_sysreg(S3_0_C2_C2_1);
		e->pauth[6] = read_sysreg(S3_0_C2_C2_2);	/* APDBKey */
		e->pauth[7] = read_sysreg(S3_0_C2_C2_3);
		e->pauth[8] = read_sysreg(S3_0_C2_C3_0);	/* APGAKey */
		e->pauth[9] = read_sysreg(S3_0_C2_C3_1);
	}
}

void vcpu_el1_restore(const struct vcpu *v)
{
	const struct vcpu_el1 *e = &v->el1;

	write_sysreg(sctlr_el1, e->sctlr);
	write_sysreg(ttbr0_el1, e->ttbr0);
	write_sysreg(ttbr1_el1, e->ttbr1);
	write_sysreg(tcr_el1, e->tcr);
	write_sysreg(mair_el1, e->mair);
	write_sysreg(amair_el1, e->amair);
	write_sysreg(vbar_el1, e->vbar);
	write_sysreg(contextidr_el1, e->contextidr);
	write_sysreg(tpidr_el0, e->tpidr_el0);
	write_sysreg(tpidr_el1, e->tpidr_el1);
	write_sysreg(tpidrro_el0, e->tpidrro_el0);
	write_sysreg(sp_el0, e->sp_el0);
	write_sysreg(sp_el1, e->sp_el1);
	write_sysreg(elr_el1, e->elr);
	write_sysreg(spsr_el1, e->spsr);
	write_sysreg(esr_el1, e->esr);
	write_sysreg(far_el1, e->far);
	write_sysreg(afsr0_el1, e->afsr0);
	write_sysreg(afsr1_el1, e->afsr1);
	write_sysreg(par_el1, e->par);
	write_sysreg(cpacr_el1, e->cpacr);
	write_sysreg(cntkctl_el1, e->cntkctl);
	write_sysreg(csselr_el1, e->csselr);
	write_sysreg(mdscr_el1, e->mdscr);
	/* the guest's FP/SIMD registers are not switched (Aerie does not use
	 * them); a vCPU starting here must not see the previous guest's */
	fpsimd_scrub();
	pmu_reset();
	vcpu_debug_reset();
	if (v->hcr & HCR_APK) {
		write_sysreg(S3_0_C2_C1_0, e->pauth[0]);
		write_sysreg(S3_0_C2_C1_1, e->pauth[1]);
		write_sysreg(S3_0_C2_C1_2, e->pauth[2]);
		write_sysreg(S3_0_C2_C1_3, e->pauth[3]);
		write_sysreg(S3_0_C2_C2_0, e->pauth[4]);
		write_sysreg(S3_0_C2_C2_1, e->pauth[5]);
		write_sysreg(S3_0_C2_C2_2, e->pauth[6]);
		write_sysreg(S3_0_C2_C2_3, e->pauth[7]);
		write_sysreg(S3_0_C2_C3_0, e->pauth[8]);
		write_sysreg(S3_0_C2_C3_1, e->pauth[9]);
	}
	isb();
}

#define SCTLR_EL1_M	BIT(0)	/* stage 1 on */

bool vcpu_vm_reg_write(struct vcpu *v, u32 reg, u64 val)
{
	switch (reg) {
	case SYS_SCTLR_EL1:
		write_sysreg(sctlr_el1, val);
		if (val & SCTLR_EL1_M) {
			/* its own stage 1 from now on (DC would keep it off) */
			v->hcr &= ~(HCR_DC | HCR_TVM);
			write_sysreg(hcr_el2, v->hcr);
		}
		break;
	case SYS_TTBR0_EL1:
		write_sysreg(ttbr0_el1, val);
		break;
	case SYS_TTBR1_EL1:
		write_sysreg(ttbr1_el1, val);
		break;
	case SYS_TCR_EL1:
		write_sysreg(tcr_el1, val);
		break;
	case SYS_AFSR0_EL1:
		write_sysreg(afsr0_el1, val);
		break;
	case SYS_AFSR1_EL1:
		write_sysreg(afsr1_el1, val);
		break;
	case SYS_ESR_EL1:
		write_sysreg(esr_el1, val);
		break;
	case SYS_FAR_EL1:
		write_sysreg(far_el1, val);
		break;
	case SYS_MAIR_EL1:
		write_sysreg(mair_el1, val);
		break;
	case SYS_AMAIR_EL1:
		write_sysreg(amair_el1, val);
		break;
	case SYS_CONTEXTIDR_EL1:
		write_sysreg(contextidr_el1, val);
		break;
	default:
		return false;
	}
	isb();
	return true;
}
