/* SPDX-License-Identifier: MIT */
/*
 * Guest entry: EL1, MMU off, x0 = the guest's DTB (its IPA, at the top of
 * its RAM; 0 when Aerie gave none), x1 = Aerie's test-guest argument (the
 * assigned device's BAR0). Zero BSS, take a stack just below the DTB (at the
 * top of 16 MiB of RAM without one), let EL1 use FP/SIMD (picolibc's memset
 * does), set up picolibc's TLS (libc.c), run
 *	int guest_main(uint64_t arg, uint64_t dtb)	(arg = x1, dtb = x0)
 * and report its verdict with PSCI: SYSTEM_OFF for 0, SYSTEM_RESET otherwise.
 *
 * The image starts with an arm64 Image header (Linux's booting.rst), so
 * Aerie knows how far its BSS reaches when it places the guest's DTB.
 */
	.section .text.start, "ax"
	.globl	_start
_start:
	b	1f			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_size		/* image_size: BSS included (guest.ld) */
	.quad	0			/* flags: little-endian */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */
1:
	mov	x19, x1
	mov	x20, x0
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:	movz	x0, #0x4100, lsl #16	/* 0x41000000: top of 16 MiB of RAM */
	cbz	x20, 4f
	and	x0, x20, #~0xf		/* the stack grows down from the DTB */
4:	mov	sp, x0
	mov	x0, #(3 << 20)		/* CPACR_EL1.FPEN: picolibc's memset uses SIMD */
	msr	cpacr_el1, x0
	isb
	bl	guest_libc_init		/* picolibc's TLS (libc.c) */
	mov	x0, x19
	mov	x1, x20
	bl	guest_main
	cbnz	x0, 3f
	movz	x0, #0x8400, lsl #16
	movk	x0, #0x0008		/* PSCI SYSTEM_OFF */
	hvc	#0
3:	movz	x0, #0x8400, lsl #16
	movk	x0, #0x0009		/* PSCI SYSTEM_RESET */
	hvc	#0
	b	.
