/* SPDX-License-Identifier: MIT */
/*
 * A minimal Xen dom0 "kernel" for run-xen-bench.sh: a flat binary with the
 * Linux arm64 Image header so Xen 4.17 loads it as the hardware domain.
 * Runs at EL1 with the MMU off; Xen loads it at RAM bank 0 + text_offset, so
 * all code is PC-relative (adr/adrp, link address 0 is 4K-congruent).
 *
 * Xen hypercall ABI (arm64): hvc #0xEA1, x16 = hypercall number, arguments
 * in x0..x4, result in x0. Xen may clobber x0..x4 (debug builds do).
 */
#define HVC_XEN 0xEA1

	.section .text.head, "ax"
	.global _start
_start:
	b	entry				/* code0 */
	.long	0				/* code1 */
	.quad	0x80000				/* text_offset */
	.quad	_end - _start			/* image_size, bss included */
	.quad	0xa				/* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

entry:
	msr	daifset, #0xf
	adrp	x1, stack_top
	add	x1, x1, :lo12:stack_top
	mov	sp, x1
	/* zero .bss (word stores: memory is Device-nGnRnE with the MMU off) */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	bl	dom0_main
	/* not reached: dom0_main ends with SCHEDOP_shutdown */
3:	wfi
	b	3b

/* u64 bench_empty(u64 n): ticks for n iterations of an empty loop */
	.text
	.global bench_empty
bench_empty:
	isb
	mrs	x1, cntvct_el0
	isb
1:	subs	x0, x0, #1
	b.ne	1b
	isb
	mrs	x2, cntvct_el0
	isb
	sub	x0, x2, x1
	ret

/*
 * u64 bench_xen_version(u64 n, u64 *ret): ticks for n xen_version
 * (XENVER_version) hypercalls; *ret = the last result (major << 16 | minor)
 */
	.global bench_xen_version
bench_xen_version:
	stp	x19, x20, [sp, #-32]!
	str	x21, [sp, #16]
	mov	x19, x0
	mov	x20, x1
	isb
	mrs	x21, cntvct_el0
	isb
1:	mov	x16, #17			/* __HYPERVISOR_xen_version */
	mov	x0, #0				/* XENVER_version */
	mov	x1, #0
	hvc	#HVC_XEN
	subs	x19, x19, #1
	b.ne	1b
	isb
	mrs	x2, cntvct_el0
	isb
	str	x0, [x20]
	sub	x0, x2, x21
	ldr	x21, [sp, #16]
	ldp	x19, x20, [sp], #32
	ret

/* long xen_hypercall3(u64 nr, u64 a0, u64 a1, u64 a2) */
	.global xen_hypercall3
xen_hypercall3:
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	hvc	#HVC_XEN
	ret

/* void dcache_clean(const void *p, u64 len): clean to PoC for Xen's cached view */
	.global dcache_clean
dcache_clean:
	add	x1, x1, x0
	bic	x0, x0, #63
1:	dc	civac, x0
	add	x0, x0, #64
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

	.section .bss.stack, "aw", %nobits
	.balign 16
	.space	8192
stack_top:
