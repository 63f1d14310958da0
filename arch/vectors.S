/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors.
 * - Current EL (SP_EL0 or SP_ELx): a hypervisor fault. The full register
 *   frame is saved and hyp_exception() prints a decoded dump and stops.
 * - Lower EL, AArch64: guest traps. Each entry branches at once, saving
 *   nothing, to guest_{sync,irq,fiq,serror}_entry (arch/guest_*.S): all guest
 *   GPRs are live, SP_EL2 is this CPU's stack top, TPIDR_EL2 its percpu.
 *   Weak defaults below report the exception as unexpected.
 * - Lower EL, AArch32: never allowed (HCR_EL2.RW=1): unexpected.
 */
#include <aerie/asm.h>

#define FRAME_SIZE	(36 * 8)

/* a hypervisor fault, in its own vector slot: x0/x1 into the frame, the kind
 * in x1, then the rest of the frame in hyp_fault_common */
.macro	hyp_fault kind
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	mov	x1, #\kind
	b	hyp_fault_common
.endm

.macro	ventry	target
	.balign	0x80
	b	\target
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.globl	hyp_vectors
hyp_vectors:
	hyp_fault 0		/* current EL, SP_EL0 */
	hyp_fault 1
	hyp_fault 2
	hyp_fault 3
	hyp_fault 0		/* current EL, SP_ELx */
	hyp_fault 1
	hyp_fault 2
	hyp_fault 3
	ventry	guest_sync_entry	/* lower EL, AArch64 */
	ventry	guest_irq_entry
	ventry	guest_fiq_entry
	ventry	guest_serror_entry
	hyp_fault 4		/* lower EL, AArch32 */
	hyp_fault 5
	hyp_fault 6
	hyp_fault 7

/* the rest of the frame: x2-x30, the interrupted SP, ELR, SPSR, ESR, FAR;
 * then hyp_exception(frame, kind) */
hyp_fault_common:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x2, sp, #FRAME_SIZE
	stp	x30, x2, [sp, #16 * 15]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #16 * 16]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #16 * 17]
	mov	x0, sp
	bl	hyp_exception
	b	.

/* the guest entries' defaults (arch/guest_entry.S has the real ones) */
.macro	weak_fault name, kind
	.weak	\name
\name:
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	mov	x1, #\kind
	b	hyp_fault_common
.endm
	weak_fault guest_sync_entry, 4
	weak_fault guest_irq_entry, 5
	weak_fault guest_fiq_entry, 6
	weak_fault guest_serror_entry, 7
