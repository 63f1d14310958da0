/* SPDX-License-Identifier: MIT */
/*
 * A guest's trapped system-register accesses (vmm/sysreg_trap.c): the
 * syndrome of an exception with ESR_ELx.EC = 0x18 ("MSR, MRS or system
 * instruction", ESR_EC_SYS64) decoded into the register's encoding, the
 * direction and the general-purpose register, and the dispatch to the few
 * registers Aerie emulates: the GICv3 SGI generation registers
 * ICC_SGI1R_EL1, ICC_ASGI1R_EL1 and ICC_SGI0R_EL1, which trap because
 * HCR_EL2.IMO/FMO are set (vmm/vgic_sgi.c), and, until the guest turns its
 * MMU on, writes to the EL1 memory-system registers (HCR_EL2.TVM;
 * vcpu_vm_reg_write in arch/vcpu.c), and reads of the ID registers
 * (HCR_EL2.TID3; arch/cpu_id.c).
 */
#ifndef AERIE_SYSREG_TRAP_H
#define AERIE_SYSREG_TRAP_H

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

#define SYS64_RT_XZR		31	/* Rt = 31: the zero register */

/* one trapped MSR/MRS */
struct sysreg_access {
	u32 reg;		/* SYS64_REG() encoding */
	unsigned int rt;	/* 0..30, or SYS64_RT_XZR */
	bool read;		/* MRS */
};

/* decode the syndrome (ESR_ELx) of an EC 0x18 exception */
void sysreg_decode(u64 esr, struct sysreg_access *a);

struct guest_vcpu;
/* gv's last exit was an EC 0x18 trap: emulate the access and step over the
 * instruction (true), or leave everything as it is when Aerie does not
 * emulate it (false: the caller ends the guest, as for any unexpected trap) */
bool sysreg_trap(struct guest_vcpu *gv);

#endif
