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

/* save x0-x30, the interrupted SP, ELR, SPSR, ESR, FAR; x0 = frame */
.macro	save_frame
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
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
	add	x1, sp, #FRAME_SIZE
	stp	x30, x1, [sp, #16 * 15]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [sp, #16 * 16]
	mrs	x1, esr_el2
	mrs	x2, far_el2
	stp	x1, x2, [sp, #16 * 17]
	mov	x0, sp
.endm

.macro	ventry	target
	.balign	0x80
	b	\target
.endm

.macro	hyp_fault kind
	save_frame
	mov	x1, #\kind
	bl	hyp_exception
	b	.
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.globl	hyp_vectors
hyp_vectors:
	ventry	cur_sp0_sync		/* current EL, SP_EL0 */
	ventry	cur_sp0_irq
	ventry	cur_sp0_fiq
	ventry	cur_sp0_serror
	ventry	cur_spx_sync		/* current EL, SP_ELx */
	ventry	cur_spx_irq
	ventry	cur_spx_fiq
	ventry	cur_spx_serror
	ventry	guest_sync_entry	/* lower EL, AArch64 */
	ventry	guest_irq_entry
	ventry	guest_fiq_entry
	ventry	guest_serror_entry
	ventry	low32_sync		/* lower EL, AArch32 */
	ventry	low32_irq
	ventry	low32_fiq
	ventry	low32_serror

	.text
cur_sp0_sync:	hyp_fault 0
cur_sp0_irq:	hyp_fault 1
cur_sp0_fiq:	hyp_fault 2
cur_sp0_serror:	hyp_fault 3
cur_spx_sync:	hyp_fault 0
cur_spx_irq:	hyp_fault 1
cur_spx_fiq:	hyp_fault 2
cur_spx_serror:	hyp_fault 3
low32_sync:	hyp_fault 4
low32_irq:	hyp_fault 5
low32_fiq:	hyp_fault 6
low32_serror:	hyp_fault 7

	.weak	guest_sync_entry
guest_sync_entry:	hyp_fault 4
	.weak	guest_irq_entry
guest_irq_entry:	hyp_fault 5
	.weak	guest_fiq_entry
guest_fiq_entry:	hyp_fault 6
	.weak	guest_serror_entry
guest_serror_entry:	hyp_fault 7
