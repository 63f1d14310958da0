/* SPDX-License-Identifier: MIT */
/* Constants shared by assembly and C (no C syntax outside the guard). */
#ifndef AERIE_ASM_H
#define AERIE_ASM_H

/* Linux arm64 Image header flags: little-endian, 4K pages, place anywhere */
#define IMAGE_FLAGS_BE		0
#define IMAGE_FLAGS_PAGE_4K	(1 << 1)
#define IMAGE_FLAGS_ANYWHERE	(1 << 3)
#define IMAGE_FLAGS		(IMAGE_FLAGS_PAGE_4K | IMAGE_FLAGS_ANYWHERE)

#define R_AARCH64_RELATIVE	1027

/* SCR_EL3 */
#define SCR_NS			(1 << 0)
#define SCR_RES1		(3 << 4)
#define SCR_SMD			(1 << 7)
#define SCR_HCE			(1 << 8)
#define SCR_RW			(1 << 10)

/* SPSR */
#define SPSR_DAIF		(0xf << 6)
#define SPSR_EL1H		0x5
#define SPSR_EL2H		0x9

/* struct percpu offsets used by assembly (checked in arch/percpu.c) */
#define PERCPU_SELF		0
#define PERCPU_STACK_TOP	8
#define PERCPU_VCPU		16
#define PERCPU_CPU_ID		24

#define HYP_STACK_SIZE		(16 * 1024)
/* per-CPU blocks are static (64 bytes each); stacks of the secondary CPUs
 * come from the page allocator when they are started (arch/smp.c) */
#define MAX_CPUS		64

#endif

/* struct vcpu offsets used by arch/guest_entry.S (checked in arch/vcpu.c) */
#define VCPU_X			0	/* x0..x30 */
#define VCPU_ELR		248
#define VCPU_SPSR		256
#define VCPU_ESR		264
#define VCPU_FAR		272
#define VCPU_HPFAR		280
#define VCPU_HOST		288	/* x19..x30, sp: 13 words */
#define VCPU_HVC_FAST		392	/* the hypercall fast path (struct vcpu) */
#define VCPU_EXIT_SYNC		1
#define VCPU_EXIT_IRQ		2
#define VCPU_EXIT_FIQ		3
#define VCPU_EXIT_SERROR	4
/* the null hypercall the fast path answers (AERIE_HC_NOP) */
#define AERIE_HC_NOP_ID_HI	0xC600
#define AERIE_HC_NOP_ID_LO	0x0001
