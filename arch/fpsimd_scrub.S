/* SPDX-License-Identifier: MIT */
/*
 * fpsimd_scrub(): zero V0-V31, FPCR and FPSR on this CPU. Aerie never
 * keeps anything in the FP/SIMD registers (-mgeneral-regs-only), so it does
 * not switch them; but the previous guest on this CPU left its values there,
 * and a vCPU being loaded must not see them (vcpu_el1_restore). This is the
 * one place the image writes FP/SIMD registers (scripts/check-no-fp.sh
 * allows it by name); it never reads them. Writing a V register also zeroes
 * the rest of its SVE Z register.
 */
	.text
	.globl	fpsimd_scrub
	.type	fpsimd_scrub, %function
fpsimd_scrub:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	movi	v\n\().2d, #0
	.endr
	msr	fpcr, xzr
	msr	fpsr, xzr
	ret
	.size	fpsimd_scrub, . - fpsimd_scrub
