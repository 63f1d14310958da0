/* SPDX-License-Identifier: MIT */
/*
 * The bench guest's very first instruction (linked before guest/lib/start.S,
 * so it is at the start of the image, where Aerie enters the guest). It
 * reads CNTVCT_EL0: CNTVOFF_EL2 is 0 and under -icount shift=0 the counter
 * is the number of instructions executed since reset, so this is "reset to
 * the first guest instruction". The value goes to bench_boot_ticks (in
 * .data: start.S zeroes only BSS), then the ordinary entry runs. Only x2 and
 * x3 are used: x0/x1 (Aerie's arguments) reach _start untouched.
 */
	.section .text.start, "ax"
	.globl	bench_entry
bench_entry:
	mrs	x2, cntvct_el0
	adrp	x3, bench_boot_ticks
	str	x2, [x3, :lo12:bench_boot_ticks]
	b	_start
