/* SPDX-License-Identifier: MIT */
/*
 * The system registers a guest reaches only through a trap to EL2, other
 * than the ID registers (arch/cpu_id.c) and the EL1 memory-system writes
 * (arch/vcpu.c): what each one gives the guest, and the UNDEFINED
 * exception Aerie injects for those a guest must not use.
 *
 *   register                      trapped by           the guest sees
 *   OSLAR/OSLSR/OSDLR/DBGPRCR     MDCR_EL2.TDOSA       a virtual OS lock,
 *   MDRAR                         MDCR_EL2.TDRA        the rest RAZ/WI
 *                                                      (arch/vcpu_debug.c)
 *   ACTLR_EL1                     HCR_EL2.TACR         RAZ/WI
 *   ERRIDR/ERRSELR/ERX*           HCR_EL2.TERR         RAZ/WI: no error
 *                                                      records (Linux reads
 *                                                      none)
 *   LORSA/LOREA/LORN/LORC/LORID   HCR_EL2.TLOR         UNDEFINED (LO hidden
 *                                                      in ID_AA64MMFR1_EL1)
 *   IMPLEMENTATION DEFINED        HCR_EL2.TIDCP        UNDEFINED
 *   (op0 3, CRn 11 and 15)
 *   CNTP_CTL/CVAL/TVAL_EL0        CNTHCTL_EL2.EL1PCEN  UNDEFINED: the EL1
 *                                                      physical timer is
 *                                                      nobody's; guests use
 *                                                      the virtual timer
 *
 * The error records, ACTLR_EL1 and the IMPLEMENTATION DEFINED registers
 * belong to the physical CPU (and its other guests): reading them would
 * show what happened before, writing them would change it for the next.
 */
#include <aerie/bits.h>
#include <aerie/sysreg.h>
#include <aerie/sysreg_enc.h>
#include <aerie/vcpu.h>

/* SPSR_ELx / PSTATE */
#define PSR_M			GENMASK(3, 0)
#define PSR_M_EL0T		0x0
#define PSR_M_EL1T		0x4
#define PSR_M_EL1H		0x5
#define PSR_DAIF		GENMASK(9, 6)
#define PSR_SSBS		BIT(12)
#define PSR_PAN			BIT(22)
#define PSR_DIT			BIT(24)
#define PSR_TCO			BIT(25)
#define PSR_NZCV		GENMASK(31, 28)
/* SCTLR_EL1 */
#define SCTLR_SPAN		BIT(23)	/* 0: PAN set on exception entry (RES1 without PAN) */
#define SCTLR_DSSBS		BIT(44)	/* PSTATE.SSBS on exception entry */
/* ID_AA64PFR1_EL1 */
#define PFR1_MTE		GENMASK(11, 8)
/* VBAR_EL1 offsets of the synchronous vectors */
#define VEC_CUR_SP0		0x000
#define VEC_CUR_SPX		0x200
#define VEC_LOWER_A64		0x400

/*
 * An UNDEFINED exception taken to the guest's EL1 at the trapped
 * instruction, as the CPU would take it (Arm ARM D1.3, "Exception entry"):
 * ELR_EL1 = the instruction, SPSR_EL1 = its PSTATE, ESR_EL1.EC = 0 with IL;
 * the new PSTATE is EL1h with D, A, I, F masked, NZCV and DIT kept, PAN
 * kept and set when SCTLR_EL1.SPAN is 0, SSBS from SCTLR_EL1.DSSBS, TCO set
 * with MTE, and UAO, SS, IL and BTYPE zero. FEAT_NMI's ALLINT and the other
 * later PSTATE bits are not modelled (Aerie hides none of them yet, and no
 * guest it runs uses them).
 */
void vcpu_inject_undef(struct vcpu *v)
{
	u64 sctlr = read_sysreg(sctlr_el1), old = v->spsr, new;
	u64 vec;

	switch (old & PSR_M) {
	case PSR_M_EL1H:
		vec = VEC_CUR_SPX;
		break;
	case PSR_M_EL1T:
		vec = VEC_CUR_SP0;
		break;
	default:	/* EL0 (HCR_EL2.RW: AArch64) */
		vec = VEC_LOWER_A64;
		break;
	}
	new = (old & (PSR_NZCV | PSR_DIT | PSR_PAN)) | PSR_DAIF | PSR_M_EL1H;
	if (!(sctlr & SCTLR_SPAN))
		new |= PSR_PAN;
	if (sctlr & SCTLR_DSSBS)
		new |= PSR_SSBS;
	if (FIELD_GET(PFR1_MTE, read_sysreg(id_aa64pfr1_el1)))
		new |= PSR_TCO;
	write_sysreg(esr_el1, FIELD_PREP(ESR_EC, ESR_EC_UNKNOWN) | ESR_IL);
	write_sysreg(elr_el1, v->elr);
	write_sysreg(spsr_el1, old);
	v->elr = read_sysreg(vbar_el1) + vec;
	v->spsr = new;
}

static bool ras_reg(u32 reg)
{
	unsigned int crm = (unsigned int)FIELD_GET(ESR_SYS64_CRM, reg);

	return (reg & (ESR_SYS64_OP0 | ESR_SYS64_OP1 | ESR_SYS64_CRN)) ==
		       SYS64_REG(3, 0, SYS_RAS_CRN, 0, 0) &&
	       (crm == SYS_RAS_ERR_CRM || (crm >= SYS_RAS_ERX_CRM_FIRST && crm <= SYS_RAS_ERX_CRM_LAST));
}

/* reg is first..last, which differ only in op2 */
static bool op2_range(u32 reg, u32 first, u32 last)
{
	return (reg & ~ESR_SYS64_OP2) == (first & ~ESR_SYS64_OP2) &&
	       FIELD_GET(ESR_SYS64_OP2, reg) >= FIELD_GET(ESR_SYS64_OP2, first) &&
	       FIELD_GET(ESR_SYS64_OP2, reg) <= FIELD_GET(ESR_SYS64_OP2, last);
}

static bool lor_reg(u32 reg)
{
	return op2_range(reg, SYS_LORSA_EL1, SYS_LORC_EL1) || reg == SYS_LORID_EL1;
}

static bool impdef_reg(u32 reg)
{
	unsigned int crn = (unsigned int)FIELD_GET(ESR_SYS64_CRN, reg);

	return FIELD_GET(ESR_SYS64_OP0, reg) == 3 &&
	       (crn == SYS_IMPDEF_CRN_A || crn == SYS_IMPDEF_CRN_B);
}

enum vcpu_sysreg_result vcpu_sysreg_access(struct vcpu *v, u32 reg, bool read, u64 *val)
{
	enum vcpu_sysreg_result r = vcpu_debug_access(v, reg, read, val);

	if (r != VCPU_SYSREG_UNKNOWN)
		return r;
	if (reg == SYS_ACTLR_EL1 || ras_reg(reg)) {
		if (read)
			*val = 0;
		return VCPU_SYSREG_DONE;
	}
	if (lor_reg(reg) || impdef_reg(reg) ||
	    op2_range(reg, SYS_CNTP_TVAL_EL0, SYS_CNTP_CVAL_EL0))
		return VCPU_SYSREG_UNDEF;
	return VCPU_SYSREG_UNKNOWN;
}
