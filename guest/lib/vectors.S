/* SPDX-License-Identifier: MIT */
/*
 * A guest's EL1 vector table (guest/lib/gic.h): IRQs taken from EL1 with
 * SP_EL1 call g_irq_entry() with the caller-saved registers preserved;
 * every other exception calls g_bad_exception(ESR_EL1, ELR_EL1).
 */
	.macro ventry target
	.balign 128
	b	\target
	.endm

	.section .text.vectors, "ax"
	.balign 2048
	.globl	g_vectors
g_vectors:
	ventry bad_entry	/* current EL, SP_EL0 */
	ventry bad_entry
	ventry bad_entry
	ventry bad_entry
	ventry bad_entry	/* current EL, SP_ELx: sync */
	ventry irq_entry	/* IRQ */
	ventry bad_entry
	ventry bad_entry
	ventry bad_entry	/* lower EL */
	ventry bad_entry
	ventry bad_entry
	ventry bad_entry
	ventry bad_entry
	ventry bad_entry
	ventry bad_entry
	ventry bad_entry

irq_entry:
	sub	sp, sp, #176
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	bl	g_irq_entry
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	add	sp, sp, #176
	eret

bad_entry:
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	bl	g_bad_exception
	b	.
