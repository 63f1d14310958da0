/* SPDX-License-Identifier: MIT */
/*
 * System registers as a trapped access names them: the ESR_ELx.ISS fields
 * of an exception with EC = 0x18 (MSR, MRS or system instruction) and the
 * encodings (op0, op1, CRn, CRm, op2) of the registers Aerie looks at when
 * a guest's access traps. Plain definitions, shared by arch/ (which
 * emulates the registers it owns: arch/vcpu.c, arch/cpu_id.c) and vmm/
 * (which decodes the syndrome and dispatches: vmm/sysreg_trap.c).
 */
#ifndef AERIE_SYSREG_ENC_H
#define AERIE_SYSREG_ENC_H

#include <aerie/bits.h>
#include <aerie/types.h>

/* ESR_ELx.ISS for EC 0x18 */
#define ESR_SYS64_DIR_READ	BIT(0)		/* 1: MRS (read), 0: MSR (write) */
#define ESR_SYS64_CRM		GENMASK(4, 1)
#define ESR_SYS64_RT		GENMASK(9, 5)
#define ESR_SYS64_CRN		GENMASK(13, 10)
#define ESR_SYS64_OP1		GENMASK(16, 14)
#define ESR_SYS64_OP2		GENMASK(19, 17)
#define ESR_SYS64_OP0		GENMASK(21, 20)
/* the fields that name the register (not Rt, not the direction) */
#define ESR_SYS64_REG		(ESR_SYS64_OP0 | ESR_SYS64_OP2 | ESR_SYS64_OP1 | \
				 ESR_SYS64_CRN | ESR_SYS64_CRM)

/* a register's encoding as the ISS names it (S<op0>_<op1>_C<crn>_C<crm>_<op2>) */
#define SYS64_REG(op0, op1, crn, crm, op2)                                     \
	((u32)(FIELD_PREP(ESR_SYS64_OP0, op0) | FIELD_PREP(ESR_SYS64_OP1, op1) | \
	       FIELD_PREP(ESR_SYS64_CRN, crn) | FIELD_PREP(ESR_SYS64_CRM, crm) |   \
	       FIELD_PREP(ESR_SYS64_OP2, op2)))

#define SYS_ICC_SGI1R_EL1	SYS64_REG(3, 0, 12, 11, 5)
#define SYS_ICC_ASGI1R_EL1	SYS64_REG(3, 0, 12, 11, 6)
#define SYS_ICC_SGI0R_EL1	SYS64_REG(3, 0, 12, 11, 7)
/* what HCR_EL2.TVM traps (writes only): the EL1 memory-system registers */
#define SYS_SCTLR_EL1		SYS64_REG(3, 0, 1, 0, 0)
#define SYS_TTBR0_EL1		SYS64_REG(3, 0, 2, 0, 0)
#define SYS_TTBR1_EL1		SYS64_REG(3, 0, 2, 0, 1)
#define SYS_TCR_EL1		SYS64_REG(3, 0, 2, 0, 2)
#define SYS_AFSR0_EL1		SYS64_REG(3, 0, 5, 1, 0)
#define SYS_AFSR1_EL1		SYS64_REG(3, 0, 5, 1, 1)
#define SYS_ESR_EL1		SYS64_REG(3, 0, 5, 2, 0)
#define SYS_FAR_EL1		SYS64_REG(3, 0, 6, 0, 0)
#define SYS_MAIR_EL1		SYS64_REG(3, 0, 10, 2, 0)
#define SYS_AMAIR_EL1		SYS64_REG(3, 0, 10, 3, 0)
#define SYS_CONTEXTIDR_EL1	SYS64_REG(3, 0, 13, 0, 1)

/* the debug OS-lock and power-down registers (MDCR_EL2.TDOSA) and the
 * debug ROM address (MDCR_EL2.TDRA): arch/vcpu_debug.c */
#define SYS_MDRAR_EL1		SYS64_REG(2, 0, 1, 0, 0)
#define SYS_OSLAR_EL1		SYS64_REG(2, 0, 1, 0, 4)
#define SYS_OSLSR_EL1		SYS64_REG(2, 0, 1, 1, 4)
#define SYS_OSDLR_EL1		SYS64_REG(2, 0, 1, 3, 4)
#define SYS_DBGPRCR_EL1		SYS64_REG(2, 0, 1, 4, 4)
/* the auxiliary control register (HCR_EL2.TACR) */
#define SYS_ACTLR_EL1		SYS64_REG(3, 0, 1, 0, 1)
/* the RAS error-record registers (HCR_EL2.TERR): ERRIDR_EL1, ERRSELR_EL1
 * (CRn 5, CRm 3) and the ERX* window onto the selected record (CRm 4, 5) */
#define SYS_RAS_ERR_CRM		3
#define SYS_RAS_ERX_CRM_FIRST	4
#define SYS_RAS_ERX_CRM_LAST	5
#define SYS_RAS_CRN		5
/* LORegions (HCR_EL2.TLOR): LORSA, LOREA, LORN, LORC (op2 0-3), LORID (7) */
#define SYS_LORSA_EL1		SYS64_REG(3, 0, 10, 4, 0)
#define SYS_LORC_EL1		SYS64_REG(3, 0, 10, 4, 3)
#define SYS_LORID_EL1		SYS64_REG(3, 0, 10, 4, 7)
/* the IMPLEMENTATION DEFINED register space (HCR_EL2.TIDCP): op0 3, CRn 11 or 15 */
#define SYS_IMPDEF_CRN_A	11
#define SYS_IMPDEF_CRN_B	15
/* the EL1 physical timer (CNTHCTL_EL2.EL1PCEN = 0): TVAL, CTL, CVAL (op2 0-2) */
#define SYS_CNTP_TVAL_EL0	SYS64_REG(3, 3, 14, 2, 0)
#define SYS_CNTP_CTL_EL0	SYS64_REG(3, 3, 14, 2, 1)
#define SYS_CNTP_CVAL_EL0	SYS64_REG(3, 3, 14, 2, 2)

#define SYS64_RT_XZR		31	/* Rt = 31: the zero register */

#endif
