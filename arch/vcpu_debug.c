/* SPDX-License-Identifier: MIT */
/*
 * The guest's self-hosted debug state. Breakpoints, watchpoints, MDSCR_EL1,
 * the DCC interrupt enables and the claim tags are the guest's own: not
 * trapped (MDCR_EL2.TDA = 0), so a Linux guest's hw_breakpoint and ptrace
 * work at full speed. Aerie does not use them and does not save them (a
 * vCPU is loaded once per power-on, like the FP/SIMD and PMU state), so
 * they are reset when a vCPU is loaded (vcpu_debug_reset): the next guest
 * on this CPU sees every breakpoint and watchpoint zero and disabled.
 * MDSCR_EL1 is switched with the rest of EL1 (arch/vcpu.c).
 *
 * What the guest must not reach is trapped: the OS lock, OS double lock and
 * core power-down request (MDCR_EL2.TDOSA), and the debug ROM address
 * (MDCR_EL2.TDRA), all of them one per physical CPU and about its external
 * debugger. The hardware's OS lock stays unlocked (so the guest's own
 * breakpoints fire); the guest gets a virtual OS lock of its own, which it
 * can set and read back but which does not hold its debug exceptions back
 * (Linux only ever clears it). The rest reads as zero and ignores writes.
 * Debug exceptions target EL1 (MDCR_EL2.TDE = 0), so a guest's breakpoint or
 * watchpoint never fires at EL2.
 */
#include <aerie/bits.h>
#include <aerie/sysreg.h>
#include <aerie/sysreg_enc.h>
#include <aerie/vcpu.h>

/* ID_AA64DFR0_EL1: breakpoints and watchpoints, less one */
#define DFR0_BRPS		GENMASK(15, 12)
#define DFR0_WRPS		GENMASK(23, 20)
#define DBG_MAX			16
/* OSLAR_EL1 / OSLSR_EL1 */
#define OSLAR_OSLK		BIT(0)
#define OSLSR_OSLM1		BIT(3)	/* OSLM = 0b10: the OS lock is implemented */
#define OSLSR_OSLK		BIT(1)
#define DBGCLAIM_ALL		GENMASK(7, 0)

#define ZERO_BP(n)                                    \
	case n:                                       \
		write_sysreg(dbgbcr##n##_el1, 0);     \
		write_sysreg(dbgbvr##n##_el1, 0);     \
		__attribute__((fallthrough))
#define ZERO_WP(n)                                    \
	case n:                                       \
		write_sysreg(dbgwcr##n##_el1, 0);     \
		write_sysreg(dbgwvr##n##_el1, 0);     \
		__attribute__((fallthrough))

/* registers beyond the implemented count are UNDEFINED even at EL2: count
 * down from the last one the CPU has */
static void zero_breakpoints(unsigned int last)
{
	switch (last) {
	ZERO_BP(15); ZERO_BP(14); ZERO_BP(13); ZERO_BP(12); ZERO_BP(11); ZERO_BP(10);
	ZERO_BP(9); ZERO_BP(8); ZERO_BP(7); ZERO_BP(6); ZERO_BP(5); ZERO_BP(4);
	ZERO_BP(3); ZERO_BP(2); ZERO_BP(1); ZERO_BP(0);
	default:
		break;
	}
}

static void zero_watchpoints(unsigned int last)
{
	switch (last) {
	ZERO_WP(15); ZERO_WP(14); ZERO_WP(13); ZERO_WP(12); ZERO_WP(11); ZERO_WP(10);
	ZERO_WP(9); ZERO_WP(8); ZERO_WP(7); ZERO_WP(6); ZERO_WP(5); ZERO_WP(4);
	ZERO_WP(3); ZERO_WP(2); ZERO_WP(1); ZERO_WP(0);
	default:
		break;
	}
}

_Static_assert(DFR0_BRPS >> 12 == DBG_MAX - 1 && DFR0_WRPS >> 20 == DBG_MAX - 1,
	       "a 4-bit count of at most 16");

void vcpu_debug_reset(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);

	zero_breakpoints((unsigned int)FIELD_GET(DFR0_BRPS, dfr0));
	zero_watchpoints((unsigned int)FIELD_GET(DFR0_WRPS, dfr0));
	write_sysreg(mdccint_el1, 0);
	write_sysreg(dbgclaimclr_el1, DBGCLAIM_ALL);
	/* the hardware OS lock open, whatever the previous guest or firmware
	 * left: the guest's debug events depend on its own MDSCR_EL1 only */
	write_sysreg(oslar_el1, 0);
	isb();
}

enum vcpu_sysreg_result vcpu_debug_access(struct vcpu *v, u32 reg, bool read, u64 *val)
{
	switch (reg) {
	case SYS_OSLAR_EL1:	/* write-only */
		if (read)
			return VCPU_SYSREG_UNDEF;
		v->os_lock = *val & OSLAR_OSLK;
		return VCPU_SYSREG_DONE;
	case SYS_OSLSR_EL1:	/* read-only */
		if (!read)
			return VCPU_SYSREG_UNDEF;
		*val = OSLSR_OSLM1 | (v->os_lock ? OSLSR_OSLK : 0);
		return VCPU_SYSREG_DONE;
	case SYS_MDRAR_EL1:	/* read-only: no ROM table (ROMADDR not valid) */
		if (!read)
			return VCPU_SYSREG_UNDEF;
		*val = 0;
		return VCPU_SYSREG_DONE;
	case SYS_OSDLR_EL1:	/* no double lock, no power-down request */
	case SYS_DBGPRCR_EL1:
		if (read)
			*val = 0;
		return VCPU_SYSREG_DONE;
	default:
		return VCPU_SYSREG_UNKNOWN;
	}
}
