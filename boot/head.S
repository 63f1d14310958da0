/* SPDX-License-Identifier: MIT */
/*
 * Aerie's entry: the Linux arm64 Image header (so QEMU -kernel, U-Boot booti
 * and other board loaders accept the same image), then the boot CPU's and the
 * secondary CPUs' first instructions.
 *
 * Boot protocol (Documentation/arch/arm64/booting.rst): x0 = DTB physical
 * address, MMU off, D-cache off, entered at EL2 (or EL1/EL3, which we
 * report / leave).
 */
#include <aerie/asm.h>

	.section .text.head, "ax"
	.globl _head_entry
_head_entry:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	_image_size		/* image_size (with BSS) */
	.quad	IMAGE_FLAGS		/* LE, 4K pages, placement anywhere */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

	.section .text.boot, "ax"
primary_entry:
	mov	x19, x0			/* DTB */
	mrs	x20, CurrentEL
	lsr	x20, x20, #2
	cmp	x20, #3
	b.ne	1f
	bl	el3_to_el2		/* x20 stays 3: boot_main reports the drop */
1:
	/* relocate: for each R_AARCH64_RELATIVE, *(base + off) = base + addend */
	adr	x21, _head_entry		/* runtime base (linked at 0) */
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
2:	cmp	x1, x2
	b.hs	3f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	2b
	add	x5, x5, x21
	str	x5, [x21, x3]
	b	2b
3:
	/* zero BSS, 64 bytes a turn (linker/aerie.ld aligns both ends; the MMU
	 * is off, so no DC ZVA: Device memory) */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
4:	cmp	x1, x2
	b.hs	5f
	stp	xzr, xzr, [x1, #16]
	stp	xzr, xzr, [x1, #32]
	stp	xzr, xzr, [x1, #48]
	stp	xzr, xzr, [x1], #64
	b	4b
5:
	/* boot CPU: per-CPU block 0 and its stack */
	adrp	x0, percpu
	add	x0, x0, :lo12:percpu
	bl	percpu_early_setup	/* returns the boot CPU's stack top */
	mov	sp, x0
	mrs	x1, CurrentEL		/* EL2 registers only if we are at EL2 */
	cmp	x1, #(2 << 2)
	b.ne	6f
	adrp	x0, percpu
	add	x0, x0, :lo12:percpu
	msr	tpidr_el2, x0
	adr	x1, hyp_vectors
	msr	vbar_el2, x1
	isb
6:	mov	x0, x19			/* dtb */
	mov	x1, x20			/* EL we were entered at */
	bl	boot_main
7:	wfi
	b	7b

/*
 * Entered at EL3 (QEMU secure=on, no firmware): run EL2 in AArch64,
 * non-secure, and drop to it.
 */
el3_to_el2:
	mov	x1, #(SCR_NS | SCR_RES1 | SCR_HCE | SCR_RW | SCR_SMD)
	msr	scr_el3, x1
	mov	x1, #(SPSR_DAIF | SPSR_EL2H)
	msr	spsr_el3, x1
	msr	elr_el3, x30
	isb
	eret

/*
 * Secondary CPUs, started with PSCI CPU_ON(mpidr, secondary_entry, percpu).
 * x0 = this CPU's struct percpu. MMU off.
 */
	.globl secondary_entry
secondary_entry:
	mov	x19, x0
	ldr	x1, [x19, #PERCPU_STACK_TOP]
	mov	sp, x1
	msr	tpidr_el2, x19
	adr	x1, hyp_vectors
	msr	vbar_el2, x1
	isb
	mov	x0, x19
	bl	secondary_main
8:	wfi
	b	8b
