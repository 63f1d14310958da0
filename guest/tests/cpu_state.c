/* SPDX-License-Identifier: MIT */
/*
 * The CPU state the fp_leak guests (guest/tests/fp_leak.c) pass on, or try
 * to, besides FP/SIMD: the writer (cpu_plant) leaves values in everything a
 * guest can write and the next guest on this CPU could read; the reader
 * (cpu_check) fails if it sees any of them, and checks that what Aerie
 * keeps from guests takes an UNDEFINED exception at EL1 and that its PMU
 * counts nothing while Aerie runs.
 *
 *   breakpoints/watchpoints   the guest's, reset at vCPU load: DBGBVR/BCR,
 *                             DBGWVR/WCR 0 and the last pair 0
 *   OS lock, double lock      trapped (MDCR_EL2.TDOSA): a virtual lock per
 *                             vCPU, open when it starts; no double lock
 *   PMU event filters         the guest's, reset at load: PMEVTYPER<n>_EL0,
 *                             PMCCFILTR_EL0 0
 *   PMU at EL2                counters filtered to count only at EL2
 *                             (NSH = 1, P = U = 1) stay 0 across a few
 *                             hundred trapping hypercalls (MDCR_EL2.HPMD,
 *                             HCCD)
 *   EL1 physical timer        CNTP_CTL/CVAL/TVAL_EL0 UNDEFINED
 *   LORegions                 ID_AA64MMFR1_EL1.LO 0, LORC_EL1 UNDEFINED
 *   IMPLEMENTATION DEFINED    L2CTLR_EL1 and CBAR_EL1 (QEMU's Cortex-A57
 *                             ones, which -cpu max keeps; CBAR holds the
 *                             GIC's physical address) UNDEFINED
 *
 * The guest takes the UNDEFINED exceptions on its own vector table: the
 * handler counts them, keeps ESR_EL1 and steps over the instruction.
 */
#include "../lib/aerie_guest.h"

#define ESR_EC_SHIFT		26
#define ESR_EC_UNKNOWN		0
#define ESR_IL			(1UL << 25)
/* ID_AA64DFR0_EL1 */
#define DFR0_BRPS_SHIFT		12
#define DFR0_WRPS_SHIFT		20
#define DFR0_PMUVER_SHIFT	8
#define ID_FIELD_MASK		0xfUL
/* ID_AA64MMFR1_EL1 */
#define MMFR1_LO_SHIFT		16
/* PMU */
#define PMCR_E			(1UL << 0)
#define PMCR_P			(1UL << 1)
#define PMCR_C			(1UL << 2)
#define PMCR_N_SHIFT		11
#define PMCR_N_MASK		0x1fUL
#define PMCNTEN_CYCLES		(1UL << 31)
#define PMCNTEN_EVENT0		(1UL << 0)
#define PMEVTYPER_P		(1UL << 31)	/* not at EL1 */
#define PMEVTYPER_U		(1UL << 30)	/* not at EL0 */
#define PMEVTYPER_NSH		(1UL << 27)	/* at EL2 */
#define PMU_EVENT_CPU_CYCLES	0x11
#define PMU_EVENT_PLANTED	0x23		/* STALL_BACKEND, any non-zero one */
/* OSLAR_EL1 / OSLSR_EL1 / OSDLR_EL1 */
#define OSDLR_DLK		(1UL << 0)
#define OSLK			(1UL << 1)	/* OSLSR_EL1.OSLK */
#define OSLSR_OSLM1		(1UL << 3)
/* CNTP_CTL_EL0 */
#define CNTP_ENABLE		(1UL << 0)
#define CNTP_IMASK		(1UL << 1)
#define PSCI_VERSION		0x84000000UL

#define PLANT_BVR		0x0000aaaaaaaa0000UL	/* word-aligned addresses */
#define PLANT_WVR		0x0000bbbbbbbb0008UL
#define PLANT_BCR		0x1e6UL		/* BAS 0xf, PMC 0b11, E = 0 (not armed) */
#define PLANT_WCR		0x1ffeUL	/* BAS 0xff, LSC 0b11, PAC 0b11, E = 0 */
#define PLANT_CVAL		0x0123456789abcdefUL
#define EL2_HVCS		500

/* from the vectors below */
volatile uint64_t undefs, last_esr;

__asm__(
	"	.section .text.cpu_vectors, \"ax\"\n"
	"	.balign 2048\n"
	"cpu_vectors:\n"
	"	.rept 4\n"		/* current EL, SP_EL0 */
	"	.balign 128\n"
	"	b	cpu_bad\n"
	"	.endr\n"
	"	.balign 128\n"		/* current EL, SP_EL1: synchronous */
	"	stp	x0, x1, [sp, #-16]!\n"
	"	mrs	x0, esr_el1\n"
	"	adrp	x1, last_esr\n"
	"	str	x0, [x1, :lo12:last_esr]\n"
	"	adrp	x1, undefs\n"
	"	ldr	x0, [x1, :lo12:undefs]\n"
	"	add	x0, x0, #1\n"
	"	str	x0, [x1, :lo12:undefs]\n"
	"	mrs	x0, elr_el1\n"
	"	add	x0, x0, #4\n"
	"	msr	elr_el1, x0\n"
	"	ldp	x0, x1, [sp], #16\n"
	"	eret\n"
	"	.rept 11\n"
	"	.balign 128\n"
	"	b	cpu_bad\n"
	"	.endr\n"
	"cpu_bad:\n"
	"	mrs	x0, esr_el1\n"
	"	mrs	x1, elr_el1\n"
	"	bl	g_bad_exception\n"
	"	.text\n");
extern char cpu_vectors[];
void g_bad_exception(uint64_t esr, uint64_t elr);

#define MRS(reg)                                                          \
	({                                                                \
		uint64_t __v = 0;                                         \
		__asm__ volatile("mrs %0, " reg : "+r"(__v) : : "memory"); \
		__v;                                                      \
	})
#define MSR(reg, v) __asm__ volatile("msr " reg ", %0\n isb" : : "r"((uint64_t)(v)) : "memory")

static int fails;

static void fail(const char *what, uint64_t v)
{
	g_puts("fp_leak: FAILED: ");
	g_puts(what);
	g_puts(": ");
	g_putx(v);
	g_puts("\n");
	fails++;
}

static uint64_t field(uint64_t reg, unsigned int shift)
{
	return (reg >> shift) & ID_FIELD_MASK;
}

/* did the access between two calls take exactly one UNDEFINED exception? */
static uint64_t undefs_before;

static void expect_undef_start(void)
{
	undefs_before = undefs;
	last_esr = ~0UL;
}

static void expect_undef(const char *what)
{
	if (undefs != undefs_before + 1 ||
	    last_esr != ((uint64_t)ESR_EC_UNKNOWN << ESR_EC_SHIFT | ESR_IL))
		fail(what, undefs - undefs_before);
}

/* ---- breakpoints and watchpoints: the first and the last of each ---- */

#define DBG_CASE(n, op)                                                       \
	case n:                                                               \
		op(n);                                                        \
		break

#define DBG_SWITCH(idx, op)                                                   \
	switch (idx) {                                                        \
		DBG_CASE(1, op); DBG_CASE(2, op); DBG_CASE(3, op); DBG_CASE(4, op); \
		DBG_CASE(5, op); DBG_CASE(6, op); DBG_CASE(7, op); DBG_CASE(8, op); \
		DBG_CASE(9, op); DBG_CASE(10, op); DBG_CASE(11, op); DBG_CASE(12, op); \
		DBG_CASE(13, op); DBG_CASE(14, op); DBG_CASE(15, op);         \
	default:                                                              \
		op(0);                                                        \
		break;                                                        \
	}

static uint64_t bp[2], wp[2];

#define PLANT_BP(n)                                   \
	do {                                          \
		MSR("dbgbvr" #n "_el1", PLANT_BVR);   \
		MSR("dbgbcr" #n "_el1", PLANT_BCR);   \
	} while (0)
#define PLANT_WP(n)                                   \
	do {                                          \
		MSR("dbgwvr" #n "_el1", PLANT_WVR);   \
		MSR("dbgwcr" #n "_el1", PLANT_WCR);   \
	} while (0)
#define READ_BP(n) (bp[0] = MRS("dbgbvr" #n "_el1"), bp[1] = MRS("dbgbcr" #n "_el1"))
#define READ_WP(n) (wp[0] = MRS("dbgwvr" #n "_el1"), wp[1] = MRS("dbgwcr" #n "_el1"))

static unsigned int last_bp(void)
{
	return (unsigned int)field(MRS("id_aa64dfr0_el1"), DFR0_BRPS_SHIFT);
}

static unsigned int last_wp(void)
{
	return (unsigned int)field(MRS("id_aa64dfr0_el1"), DFR0_WRPS_SHIFT);
}

static void debug_plant(void)
{
	PLANT_BP(0);
	PLANT_WP(0);
	DBG_SWITCH(last_bp(), PLANT_BP);
	DBG_SWITCH(last_wp(), PLANT_WP);
	MSR("oslar_el1", 1);	/* the OS lock, locked */
	MSR("osdlr_el1", OSDLR_DLK);	/* and double-locked */
	if (!(MRS("oslsr_el1") & OSLK))
		fail("the OS lock does not read back locked", MRS("oslsr_el1"));
}

static void debug_check(void)
{
	uint64_t v;

	READ_BP(0);
	READ_WP(0);
	if (bp[0] | bp[1] | wp[0] | wp[1])
		fail("the previous guest's breakpoint/watchpoint 0 (BVR, BCR, WVR, WCR ORed)",
		     bp[0] | bp[1] | wp[0] | wp[1]);
	DBG_SWITCH(last_bp(), READ_BP);
	DBG_SWITCH(last_wp(), READ_WP);
	if (bp[0] | bp[1] | wp[0] | wp[1])
		fail("the previous guest's last breakpoint/watchpoint", bp[0] | bp[1] | wp[0] | wp[1]);
	v = MRS("oslsr_el1");
	if ((v & OSLK) || !(v & OSLSR_OSLM1))
		fail("OSLSR_EL1 is not an open, implemented OS lock", v);
	v = MRS("osdlr_el1");
	if (v)
		fail("the previous guest's OS double lock", v);
	if (!fails)
		g_puts("fp_leak: reader found breakpoints, watchpoints and the OS lock reset\n");
}

/* ---- PMU ---- */

static unsigned int pmu_counters(void)
{
	if (!field(MRS("id_aa64dfr0_el1"), DFR0_PMUVER_SHIFT))
		return 0;
	return (unsigned int)((MRS("pmcr_el0") >> PMCR_N_SHIFT) & PMCR_N_MASK);
}

static void pmu_plant(void)
{
	unsigned int n = pmu_counters();

	for (unsigned int i = 0; i < n; i++) {
		MSR("pmselr_el0", i);
		MSR("pmxevtyper_el0", PMEVTYPER_U | PMU_EVENT_PLANTED);
	}
	MSR("pmccfiltr_el0", PMEVTYPER_P | PMEVTYPER_NSH);
}

static void pmu_check(void)
{
	unsigned int n = pmu_counters();
	uint64_t acc = 0, ev, cyc;
	int before = fails;

	if (!field(MRS("id_aa64dfr0_el1"), DFR0_PMUVER_SHIFT)) {
		g_puts("fp_leak: no PMU\n");
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		MSR("pmselr_el0", i);
		acc |= MRS("pmxevtyper_el0");
	}
	if (acc)
		fail("the previous guest's PMEVTYPER<n>_EL0 (ORed)", acc);
	if (MRS("pmccfiltr_el0"))
		fail("the previous guest's PMCCFILTR_EL0", MRS("pmccfiltr_el0"));
	/* count at EL2 only, through a few hundred exits that run Aerie's
	 * full trap path */
	MSR("pmccfiltr_el0", PMEVTYPER_P | PMEVTYPER_U | PMEVTYPER_NSH);
	if (n) {
		MSR("pmselr_el0", 0);
		MSR("pmxevtyper_el0", PMEVTYPER_P | PMEVTYPER_U | PMEVTYPER_NSH | PMU_EVENT_CPU_CYCLES);
	}
	MSR("pmcr_el0", PMCR_P | PMCR_C);
	MSR("pmcntenset_el0", PMCNTEN_CYCLES | (n ? PMCNTEN_EVENT0 : 0));
	MSR("pmcr_el0", PMCR_E);
	for (unsigned int i = 0; i < EL2_HVCS; i++)
		aerie_hvc(PSCI_VERSION, 0);
	MSR("pmcr_el0", 0);
	cyc = MRS("pmccntr_el0");
	ev = n ? MRS("pmevcntr0_el0") : 0;
	if (cyc)
		fail("the cycle counter counted at EL2", cyc);
	if (ev)
		fail("event counter 0 counted CPU cycles at EL2", ev);
	MSR("pmcntenclr_el0", PMCNTEN_CYCLES | PMCNTEN_EVENT0);
	if (fails == before)
		g_puts("fp_leak: reader found the PMU event filters reset and nothing counted at EL2\n");
}

/* ---- what Aerie keeps from guests ---- */

static void timer_plant(void)
{
	expect_undef_start();
	MSR("cntp_cval_el0", PLANT_CVAL);
	MSR("cntp_ctl_el0", CNTP_ENABLE | CNTP_IMASK);
	g_puts(undefs != undefs_before ? "fp_leak: writer's CNTP_CVAL/CTL writes were refused\n"
				       : "fp_leak: writer left the EL1 physical timer armed\n");
}

static void refused_check(void)
{
	int before = fails;
	uint64_t v;

	expect_undef_start();
	v = MRS("cntp_ctl_el0");
	expect_undef("CNTP_CTL_EL0 read did not UNDEF (exceptions taken; value follows)");
	if (v)
		fail("CNTP_CTL_EL0", v);
	expect_undef_start();
	v = MRS("cntp_cval_el0");
	expect_undef("CNTP_CVAL_EL0 read did not UNDEF");
	if (v)
		fail("CNTP_CVAL_EL0", v);
	expect_undef_start();
	MRS("cntp_tval_el0");
	expect_undef("CNTP_TVAL_EL0 read did not UNDEF");
	expect_undef_start();
	MSR("cntp_ctl_el0", CNTP_ENABLE);
	expect_undef("CNTP_CTL_EL0 write did not UNDEF");
	v = field(MRS("id_aa64mmfr1_el1"), MMFR1_LO_SHIFT);
	if (v)
		fail("ID_AA64MMFR1_EL1.LO shows LORegions", v);
	expect_undef_start();
	MRS("S3_0_C10_C4_3");	/* LORC_EL1 */
	expect_undef("LORC_EL1 read did not UNDEF");
	expect_undef_start();
	MRS("S3_1_C11_C0_2");	/* L2CTLR_EL1 */
	expect_undef("IMPLEMENTATION DEFINED L2CTLR_EL1 read did not UNDEF");
	expect_undef_start();
	v = MRS("S3_1_C15_C3_0");	/* CBAR_EL1 */
	expect_undef("IMPLEMENTATION DEFINED CBAR_EL1 read did not UNDEF");
	if (v)
		fail("CBAR_EL1 (the GIC's physical address)", v);
	if (fails == before)
		g_puts("fp_leak: reader took UNDEF for the EL1 physical timer, LORegions and "
		       "IMPLEMENTATION DEFINED registers\n");
}

void cpu_plant(void)
{
	MSR("vbar_el1", (uint64_t)(uintptr_t)cpu_vectors);
	debug_plant();
	pmu_plant();
	timer_plant();
	g_puts("fp_leak: writer left breakpoints, watchpoints, the OS lock and PMU filters set\n");
}

int cpu_check(void)
{
	MSR("vbar_el1", (uint64_t)(uintptr_t)cpu_vectors);
	debug_check();
	pmu_check();
	refused_check();
	return fails;
}
