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

#include <aerie/sysreg_enc.h>
#include <aerie/types.h>

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
