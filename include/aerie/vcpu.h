/* SPDX-License-Identifier: MIT */
/*
 * A virtual CPU at EL1 (arch/vcpu.c, arch/guest_entry.S). vcpu_run() enters
 * the guest and returns when it traps to Aerie for something the fast path
 * does not answer (the null hypercall is answered in the vector itself,
 * without saving the guest's registers).
 */
#ifndef AERIE_VCPU_H
#define AERIE_VCPU_H

#include <aerie/asm.h>
#include <aerie/pgtable.h>
#include <aerie/types.h>

struct vcpu {
	u64 x[31];		/* VCPU_X */
	u64 elr, spsr;		/* VCPU_ELR, VCPU_SPSR */
	u64 esr, far, hpfar;	/* the last exit's syndrome */
	u64 host[13];		/* VCPU_HOST: Aerie's x19..x30, sp */
	/* EL2 controls for this guest */
	u64 hcr, vttbr, vtcr;
};

void vcpu_init(struct vcpu *v, const struct pgtable *s2, u16 vmid, u64 entry_ipa, u32 vcpu_id);
/* run until an exit; returns VCPU_EXIT_* */
u64 vcpu_run(struct vcpu *v);

#endif
