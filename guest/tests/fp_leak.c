/* SPDX-License-Identifier: MIT */
/*
 * Two guests run one after another on the same CPU (guest/fp.dts with
 * -smp 1, tests/qemu/fp_scrub.conf); Aerie never switches FP/SIMD state,
 * so it must zero it when a vCPU is loaded; the same for the PMU and the
 * breakpoints and watchpoints, which the guest also uses directly. Both run
 * this image; the role comes from the bootargs in each one's DTB. The
 * writer fills V0-V31 and FPSR with a pattern, sets the cycle counter and
 * leaves it counting, plants PMU event filters, breakpoint and watchpoint
 * values, the OS lock and the EL1 physical timer, and powers off; the
 * reader returns non-zero (SYSTEM_RESET) if it sees any of that, and checks
 * what Aerie keeps from guests: the EL1 physical timer, LORegions and the
 * IMPLEMENTATION DEFINED registers are UNDEFINED for it (trapped, an
 * exception injected), and its PMU counts nothing at EL2 (cpu_state.c).
 * Their RAM too: the second is given the RAM the first had (the same size,
 * carved again from the same place), and Aerie must have zeroed it
 * (mem_carve), so the writer fills all of its RAM it does not stand on with
 * a pattern and the reader must find all of that zero.
 */
#include "../lib/aerie_guest.h"

/* guest/tests/cpu_state.c */
void cpu_plant(void);
int cpu_check(void);

#define CPACR_FPEN	(3UL << 20)	/* EL1/EL0 FP/SIMD not trapped */
#define PATTERN		0x5ec2e75ec2e75ec2ULL
#define FPSR_QC		(1UL << 27)	/* a sticky flag the writer sets */
#define FDT_MAGIC	0xd00dfeedU
#define PMCR_E		1UL		/* counters on */
#define PMCNTEN_CYCLES	(1UL << 31)
#define CYCLES_PATTERN	0x7777777777ULL
#define RAM_PATTERN	0xa5a5a5a5a5a5a5a5ULL
#define GUEST_FDT_MAX	0x10000		/* the DTB's 64 KiB at the top of RAM */
#define STACK_ROOM	0x10000		/* the stack, down from the DTB */
#define ALIGN8(a)	(((a) + 7) & ~7ULL)

extern uint64_t __bss_end[];		/* guest.ld: the image's end, page-aligned */

static void fp_on(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(v));
	__asm__ volatile("msr cpacr_el1, %0\n isb" : : "r"(v | CPACR_FPEN) : "memory");
}

static void fill(uint64_t p)
{
	__asm__ volatile(
		".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
		"	dup v\\n\\().2d, %0\n"
		".endr\n"
		"	msr fpsr, %1\n"
		: : "r"(p), "r"(FPSR_QC) : "memory");
}

/* OR of every 64-bit half of V0-V31 and FPSR */
static uint64_t leftovers(void)
{
	uint64_t acc = 0, t;

	__asm__ volatile(
		"	mov %0, xzr\n"
		".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
		"	umov %1, v\\n\\().d[0]\n"
		"	orr %0, %0, %1\n"
		"	umov %1, v\\n\\().d[1]\n"
		"	orr %0, %0, %1\n"
		".endr\n"
		"	mrs %1, fpsr\n"
		"	orr %0, %0, %1\n"
		: "=&r"(acc), "=&r"(t));
	return acc;
}

/* does the DTB's bootargs say `word`? (a plain scan of the blob: enough
 * for the two fixed strings of fp.dts) */
static int says(uint64_t dtb, const char *word)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)dtb;
	uint32_t size = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];

	if (!dtb || ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]) !=
			    FDT_MAGIC)
		return 0;
	for (uint32_t i = 0; i + 6 <= size; i++) {
		uint32_t n = 0;

		while (word[n] && p[i + n] == (uint8_t)word[n])
			n++;
		if (!word[n])
			return 1;
	}
	return 0;
}

static uint32_t be32(uint64_t a)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)a;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* RAM the guest does not stand on: past its image (BSS included) up to its
 * stack's room below the DTB, and past the DTB to the end of RAM. Fill it
 * (fill != 0), or return the OR of it (fill == 0); *bytes: how much */
static uint64_t free_ram(uint64_t dtb, uint64_t fill, uint64_t *bytes)
{
	uint64_t acc = 0, r[2][2] = {
		{ (uint64_t)(uintptr_t)__bss_end, dtb - STACK_ROOM },
		{ ALIGN8(dtb + be32(dtb + 4)), dtb + GUEST_FDT_MAX },
	};

	*bytes = 0;
	for (int i = 0; i < 2; i++)
		for (uint64_t a = r[i][0]; a < r[i][1]; a += 8, *bytes += 8) {
			volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)a;

			if (fill)
				*p = fill;
			else
				acc |= *p;
		}
	return acc;
}

int guest_main(uint64_t x1, uint64_t dtb)
{
	uint64_t bytes;

	uint64_t left;

	(void)x1;
	fp_on();
	if (says(dtb, "role=writer")) {
		fill(PATTERN);
		__asm__ volatile("msr pmccntr_el0, %0\n msr pmcntenset_el0, %1\n msr pmcr_el0, %2\n isb"
				 : : "r"(CYCLES_PATTERN), "r"(PMCNTEN_CYCLES), "r"(PMCR_E));
		g_puts("fp_leak: writer left a pattern in V0-V31 and FPSR.QC\n");
		g_puts("fp_leak: writer left the cycle counter counting from 0x7777777777\n");
		cpu_plant();
		free_ram(dtb, RAM_PATTERN, &bytes);
		g_puts("fp_leak: writer filled its free RAM with a pattern: ");
		g_putx(bytes);
		g_puts(" bytes\n");
		return 0;
	}
	if (!says(dtb, "role=reader")) {
		g_puts("fp_leak: FAILED: no role in bootargs\n");
		return 1;
	}
	left = leftovers();
	if (left) {
		g_puts("fp_leak: FAILED: the previous guest's FP/SIMD bits are visible: ");
		g_putx(left);
		g_puts("\n");
		return 1;
	}
	g_puts("fp_leak: reader found V0-V31 and FPSR zero\n");
	left = free_ram(dtb, 0, &bytes);
	if (left || bytes < 0x100000) {
		g_puts("fp_leak: FAILED: the previous guest's RAM is visible (or too little was read): ");
		g_putx(left);
		g_puts("\n");
		return 1;
	}
	g_puts("fp_leak: reader found its free RAM zero: ");
	g_putx(bytes);
	g_puts(" bytes\n");
	{
		uint64_t cycles, en, pmcr;

		__asm__ volatile("mrs %0, pmccntr_el0\n mrs %1, pmcntenset_el0\n mrs %2, pmcr_el0"
				 : "=r"(cycles), "=r"(en), "=r"(pmcr));
		if (cycles >= CYCLES_PATTERN || (en & PMCNTEN_CYCLES) || (pmcr & PMCR_E)) {
			g_puts("fp_leak: FAILED: the previous guest's PMU state: cycles ");
			g_putx(cycles);
			g_puts("\n");
			return 1;
		}
		g_puts("fp_leak: reader found the PMU stopped and reset\n");
	}
	return cpu_check();
}
