/* SPDX-License-Identifier: MIT */
/*
 * Entering and leaving a guest.
 *
 * vcpu_run(v) saves Aerie's callee-saved registers and SP in v->host, loads
 * the guest's ELR/SPSR and x0..x30, and ERETs. SP_EL2 stays just below
 * vcpu_run's frame, so the exception entries below can push on it.
 *
 * guest_sync_entry is reached straight from the vector table with every
 * guest register live. The null hypercall (HVC #0 with x0 = AERIE_HC_NOP)
 * is answered here with two scratch registers and no other state touched:
 * about a dozen instructions between the trap and the ERET. Any other HVC64
 * is offered to the vCPU's hvc_fast (its owner's dispatcher for the calls
 * that need only x0..x3 and no exit: version and feature queries, PSCI
 * AFFINITY_INFO) with only the caller-saved registers on the EL2 stack:
 * about 50 instructions, trap to ERET. Everything else saves the full
 * register file into the vcpu and returns from vcpu_run() with the exit
 * reason.
 */
#include <aerie/asm.h>

#define ESR_EC_SHIFT	26
#define EC_HVC64	0x16
#define FAST_FRAME	(18 * 8)	/* x2..x18, x30 */

	.text
	.globl	vcpu_run
vcpu_run:
	stp	x19, x20, [x0, #VCPU_HOST + 0]
	stp	x21, x22, [x0, #VCPU_HOST + 16]
	stp	x23, x24, [x0, #VCPU_HOST + 32]
	stp	x25, x26, [x0, #VCPU_HOST + 48]
	stp	x27, x28, [x0, #VCPU_HOST + 64]
	stp	x29, x30, [x0, #VCPU_HOST + 80]
	mov	x1, sp
	str	x1, [x0, #VCPU_HOST + 96]
	ldp	x1, x2, [x0, #VCPU_ELR]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0, #0]
	eret

/* save the guest's registers into this CPU's vcpu and leave vcpu_run */
.macro	guest_exit reason
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PERCPU_VCPU]
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #0]
	mov	x1, #\reason
	b	guest_exit_common
.endm

/* x2-x18 and x30 back from the fast path's frame (the stores are at 2: below) */
.macro	fast_frame_restore
	ldp	x2, x3, [sp, #16 * 0]
	ldp	x4, x5, [sp, #16 * 1]
	ldp	x6, x7, [sp, #16 * 2]
	ldp	x8, x9, [sp, #16 * 3]
	ldp	x10, x11, [sp, #16 * 4]
	ldp	x12, x13, [sp, #16 * 5]
	ldp	x14, x15, [sp, #16 * 6]
	ldp	x16, x17, [sp, #16 * 7]
	ldp	x18, x30, [sp, #16 * 8]
.endm

	.globl	guest_sync_entry
guest_sync_entry:
	stp	x0, x1, [sp, #-16]!
	mrs	x1, esr_el2
	lsr	x1, x1, #ESR_EC_SHIFT
	cmp	x1, #EC_HVC64
	b.ne	1f
	movz	x1, #AERIE_HC_NOP_ID_LO
	movk	x1, #AERIE_HC_NOP_ID_HI, lsl #16
	cmp	x0, x1
	b.ne	2f
	/* the null hypercall: x0 = 0, x1 restored, back to the guest */
	ldr	x1, [sp, #8]
	add	sp, sp, #16
	mov	x0, #0
	eret
2:	/* any other HVC64: the vCPU's hvc_fast(x0..x3, vcpu) with the registers
	 * a C call may clobber (x2-x18, x30; x0/x1 are pushed) saved here; the
	 * callee-saved ones stay the guest's own through the call */
	sub	sp, sp, #FAST_FRAME
	stp	x2, x3, [sp, #16 * 0]
	stp	x4, x5, [sp, #16 * 1]
	stp	x6, x7, [sp, #16 * 2]
	stp	x8, x9, [sp, #16 * 3]
	stp	x10, x11, [sp, #16 * 4]
	stp	x12, x13, [sp, #16 * 5]
	stp	x14, x15, [sp, #16 * 6]
	stp	x16, x17, [sp, #16 * 7]
	stp	x18, x30, [sp, #16 * 8]
	ldr	x1, [sp, #FAST_FRAME + 8]
	mrs	x4, tpidr_el2
	ldr	x4, [x4, #PERCPU_VCPU]
	ldr	x5, [x4, #VCPU_HVC_FAST]
	blr	x5
	cbz	x1, 3f
	/* answered: x0 is the result, every other register the guest's */
	fast_frame_restore
	ldr	x1, [sp, #FAST_FRAME + 8]
	add	sp, sp, #FAST_FRAME + 16
	eret
3:	/* not answered: every register back as the guest left it, full exit */
	fast_frame_restore
	add	sp, sp, #FAST_FRAME
1:	ldp	x0, x1, [sp], #16
	guest_exit VCPU_EXIT_SYNC

	.globl	guest_irq_entry
guest_irq_entry:
	guest_exit VCPU_EXIT_IRQ
	.globl	guest_fiq_entry
guest_fiq_entry:
	guest_exit VCPU_EXIT_FIQ
	.globl	guest_serror_entry
guest_serror_entry:
	guest_exit VCPU_EXIT_SERROR

/* x0 = vcpu, x1 = reason */
guest_exit_common:
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #VCPU_ELR]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [x0, #VCPU_ESR]
	mrs	x2, hpfar_el2
	str	x2, [x0, #VCPU_HPFAR]
	ldr	x2, [x0, #VCPU_HOST + 96]
	mov	sp, x2
	ldp	x19, x20, [x0, #VCPU_HOST + 0]
	ldp	x21, x22, [x0, #VCPU_HOST + 16]
	ldp	x23, x24, [x0, #VCPU_HOST + 32]
	ldp	x25, x26, [x0, #VCPU_HOST + 48]
	ldp	x27, x28, [x0, #VCPU_HOST + 64]
	ldp	x29, x30, [x0, #VCPU_HOST + 80]
	mov	x0, x1
	ret
