/* SPDX-License-Identifier: MIT */
/*
 * Reading one of the 56 AArch64 ID registers by number (arch/cpu_id.c):
 * op0 = 3, op1 = 0, CRn = 0, CRm = 1..7, op2 = 0..7, the space HCR_EL2.TID3
 * traps; index = (CRm - 1) * 8 + op2. MRS needs the encoding in the
 * instruction, so this is a table of 56 "mrs x0, <reg>; ret" pairs (the
 * reserved encodings of the space read as zero).
 */
#define ID_REGS 56

	.text
	.globl	id_reg_read
id_reg_read:
	cmp	x0, #ID_REGS
	b.hs	2f
	adr	x1, 1f
	add	x1, x1, x0, lsl #3
	br	x1
	.balign	8
1:
	.irp	crm, 1, 2, 3, 4, 5, 6, 7
	.irp	op2, 0, 1, 2, 3, 4, 5, 6, 7
	mrs	x0, S3_0_C0_C\crm\()_\op2
	ret
	.endr
	.endr
2:	mov	x0, #0
	ret
