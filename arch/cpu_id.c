/* SPDX-License-Identifier: MIT */
/*
 * The CPU a guest sees: its reads of the AArch64 ID registers trap to EL2
 * (HCR_EL2.TID3) and get the real values minus what Aerie does not give
 * guests. Today that is SVE and SME: their state (Z/P/ZA registers,
 * streaming mode) is not part of a vCPU's context and CPTR_EL2 traps them,
 * so a guest must not see them (Linux would probe ZCR_EL1 and be ended);
 * AMU and MPAM, whose EL2 controls Aerie does not set up, go too, and
 * LORegions, whose registers HCR_EL2.TLOR makes UNDEFINED for guests
 * (arch/vcpu_sysreg.c).
 * Everything else reads as the hardware has it (a vCPU owns its CPU).
 */
#include <aerie/bits.h>
#include <aerie/sysreg_enc.h>
#include <aerie/vcpu.h>

#define ID_SPACE_CRM_FIRST	1
#define ID_SPACE_CRM_LAST	7
#define ID_SPACE_OP2S		8

/* ID_AA64PFR0_EL1 (CRm 4, op2 0) */
#define PFR0_SVE		GENMASK(35, 32)
#define PFR0_MPAM		GENMASK(43, 40)
#define PFR0_AMU		GENMASK(47, 44)
/* ID_AA64PFR1_EL1 (CRm 4, op2 1) */
#define PFR1_MPAM_FRAC		GENMASK(19, 16)
#define PFR1_SME		GENMASK(27, 24)

/* ID_AA64MMFR1_EL1 (CRm 7, op2 1) */
#define MMFR1_LO		GENMASK(19, 16)

#define SYS_ID_AA64MMFR1_EL1	SYS64_REG(3, 0, 0, 7, 1)
#define SYS_ID_AA64PFR0_EL1	SYS64_REG(3, 0, 0, 4, 0)
#define SYS_ID_AA64PFR1_EL1	SYS64_REG(3, 0, 0, 4, 1)
#define SYS_ID_AA64ZFR0_EL1	SYS64_REG(3, 0, 0, 4, 4)	/* SVE's features */
#define SYS_ID_AA64SMFR0_EL1	SYS64_REG(3, 0, 0, 4, 5)	/* SME's features */

u64 id_reg_read(unsigned int idx);	/* arch/id_regs.S */

bool vcpu_id_reg(u32 reg, u64 *val)
{
	unsigned int crm = (unsigned int)FIELD_GET(ESR_SYS64_CRM, reg);
	unsigned int op2 = (unsigned int)FIELD_GET(ESR_SYS64_OP2, reg);

	if ((reg & ~(ESR_SYS64_CRM | ESR_SYS64_OP2)) != SYS64_REG(3, 0, 0, 0, 0) ||
	    crm < ID_SPACE_CRM_FIRST || crm > ID_SPACE_CRM_LAST)
		return false;
	*val = id_reg_read((crm - ID_SPACE_CRM_FIRST) * ID_SPACE_OP2S + op2);
	switch (reg) {
	case SYS_ID_AA64PFR0_EL1:
		*val &= ~(PFR0_SVE | PFR0_MPAM | PFR0_AMU);
		break;
	case SYS_ID_AA64PFR1_EL1:
		*val &= ~(PFR1_SME | PFR1_MPAM_FRAC);
		break;
	case SYS_ID_AA64MMFR1_EL1:
		*val &= ~MMFR1_LO;
		break;
	case SYS_ID_AA64ZFR0_EL1:
	case SYS_ID_AA64SMFR0_EL1:
		*val = 0;
		break;
	default:
		break;
	}
	return true;
}
