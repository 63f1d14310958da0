/* SPDX-License-Identifier: MIT */
/*
 * A virtual CPU at EL1 (arch/vcpu.c, arch/guest_entry.S). vcpu_run() enters
 * the guest and returns when it traps to Aerie for something the fast paths
 * do not answer (the null hypercall is answered in the vector itself,
 * without saving the guest's registers; other HVC64 calls are offered to
 * v->hvc_fast first, with only the caller-saved registers saved).
 */
#ifndef AERIE_VCPU_H
#define AERIE_VCPU_H

#include <aerie/asm.h>
#include <aerie/pgtable.h>
#include <aerie/types.h>

/* the guest's EL1 system registers while its vCPU is not loaded on a CPU
 * (vcpu_el1_save/vcpu_el1_restore): switched on vCPU put/load only, never on
 * a trap, since Aerie itself runs at EL2 and does not touch them */
struct vcpu_el1 {
	u64 sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	u64 tpidr_el0, tpidr_el1, tpidrro_el0, sp_el0, sp_el1, elr, spsr;
	u64 esr, far, afsr0, afsr1, par, cpacr, cntkctl, csselr, mdscr;
	u64 cntv_ctl, cntv_cval;	/* the virtual timer (arch/vtimer.c) */
	u64 pauth[10];			/* APIA/APIB/APDA/APDB/APGA keys, lo/hi */
};

struct vcpu;
/* the hypercall fast path: an HVC64 the vector answers without leaving
 * vcpu_run() (arch/guest_entry.S). Called with the guest's x0..x3 and only
 * the registers a C call clobbers saved on the EL2 stack; done = 0 sends the
 * call down the full exit path unchanged, else x0 is the guest's result */
struct vcpu_hvc_ret {
	u64 x0, done;
};
typedef struct vcpu_hvc_ret vcpu_hvc_fn(u64 x0, u64 x1, u64 x2, u64 x3, struct vcpu *v);

struct vcpu {
	u64 x[31];		/* VCPU_X */
	u64 elr, spsr;		/* VCPU_ELR, VCPU_SPSR */
	u64 esr, far, hpfar;	/* the last exit's syndrome */
	u64 host[13];		/* VCPU_HOST: Aerie's x19..x30, sp */
	vcpu_hvc_fn *hvc_fast;	/* VCPU_HVC_FAST: set by its owner after vcpu_init */
	/* EL2 controls for this guest */
	u64 hcr, vttbr, vtcr;
	struct vcpu_el1 el1;
	bool os_lock;		/* the guest's virtual OS lock (arch/vcpu_debug.c) */
};

void vcpu_init(struct vcpu *v, const struct pgtable *s2, u16 vmid, u64 entry_ipa, u32 vcpu_id);
/* this CPU's EL1 system registers <-> v->el1 (vCPU put / load) */
void vcpu_el1_save(struct vcpu *v);
void vcpu_el1_restore(const struct vcpu *v);
/* zero this CPU's FP/SIMD registers (arch/fpsimd_scrub.S) */
void fpsimd_scrub(void);
/* the guest's virtual timer (arch/vtimer.c) on vCPU load / put: its
 * CNTV_CTL/CVAL and this CPU's virtual-timer PPI, which exits to EL2 */
void vtimer_load(const struct vcpu *v);
void vtimer_put(struct vcpu *v);
/* a write the guest made to an EL1 memory-system register while
 * HCR_EL2.TVM traps them (register: a SYS64_REG() encoding of
 * <aerie/sysreg_enc.h>): done on this CPU, where v is loaded; when it turns
 * the guest's MMU on, HCR_EL2.DC and TVM go. False for another register. */
bool vcpu_vm_reg_write(struct vcpu *v, u32 reg, u64 val);
/* a guest's read of an AArch64 ID register (HCR_EL2.TID3; arch/cpu_id.c):
 * true and the value it sees, or false if reg is not in the ID space */
bool vcpu_id_reg(u32 reg, u64 *val);
/* a trapped access to a register arch/ decides about (arch/vcpu_sysreg.c;
 * reg: a SYS64_REG() encoding; *val: the value written, or the value read):
 * DONE (emulated; the caller steps over the instruction), UNDEF (the guest
 * must take an UNDEFINED exception: vcpu_inject_undef) or UNKNOWN (not one
 * of arch/'s; the caller decides) */
enum vcpu_sysreg_result { VCPU_SYSREG_UNKNOWN, VCPU_SYSREG_DONE, VCPU_SYSREG_UNDEF };
enum vcpu_sysreg_result vcpu_sysreg_access(struct vcpu *v, u32 reg, bool read, u64 *val);
/* ... the debug OS-lock and power-down registers among them (arch/vcpu_debug.c) */
enum vcpu_sysreg_result vcpu_debug_access(struct vcpu *v, u32 reg, bool read, u64 *val);
/* make v (loaded here, stopped at a trapped instruction) take an UNDEFINED
 * exception at its EL1 for that instruction on its next entry */
void vcpu_inject_undef(struct vcpu *v);
/* breakpoints, watchpoints, DCC interrupt enables and claim tags zero,
 * the hardware OS lock open (vCPU load; arch/vcpu_debug.c) */
void vcpu_debug_reset(void);
/* run until an exit; returns VCPU_EXIT_* */
u64 vcpu_run(struct vcpu *v);

#endif
