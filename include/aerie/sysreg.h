/* SPDX-License-Identifier: MIT */
/* System register access and barriers (hypervisor only). */
#ifndef AERIE_SYSREG_H
#define AERIE_SYSREG_H

#include <aerie/bits.h>

#define read_sysreg(r)                                                   \
	({                                                               \
		u64 __v;                                                 \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));             \
		__v;                                                     \
	})
#define write_sysreg(r, v)                                               \
	do {                                                             \
		u64 __v = (u64)(v);                                      \
		__asm__ volatile("msr " #r ", %x0" : : "rZ"(__v));       \
	} while (0)

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")

/* spin for `us` microseconds on the generic counter (reads no MMIO, so a
 * polling loop paced with it leaves the bus and the emulator's locks alone) */
static inline void udelay(u64 us)
{
	u64 freq = read_sysreg(cntfrq_el0), start = read_sysreg(cntpct_el0);

	while (read_sysreg(cntpct_el0) - start < freq / 1000000 * us)
		__asm__ volatile("yield");
}
#define sev() __asm__ volatile("sev" ::: "memory")

/* ESR_ELx */
#define ESR_EC			GENMASK(31, 26)
#define ESR_IL			BIT(25)
#define ESR_ISS			GENMASK(24, 0)
#define ESR_EC_UNKNOWN		0x00
#define ESR_EC_WFX		0x01
#define ESR_EC_FP		0x07
#define ESR_EC_ILL		0x0e
#define ESR_EC_SVC64		0x15
#define ESR_EC_HVC64		0x16
#define ESR_EC_SMC64		0x17
#define ESR_EC_SYS64		0x18
#define ESR_EC_SVE		0x19
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_IABT_CUR		0x21
#define ESR_EC_PC_ALIGN		0x22
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_DABT_CUR		0x25
#define ESR_EC_SP_ALIGN		0x26
#define ESR_EC_SERROR		0x2f
#define ESR_EC_BRK64		0x3c
/* data/instruction abort ISS */
#define ESR_ISS_DFSC		GENMASK(5, 0)
#define ESR_ISS_WNR		BIT(6)
#define ESR_ISS_S1PTW		BIT(7)
#define ESR_ISS_SRT		GENMASK(20, 16)
#define ESR_ISS_SAS		GENMASK(23, 22)
#define ESR_ISS_ISV		BIT(24)

/* ID_AA64MMFR0_EL1 */
#define MMFR0_PARANGE		GENMASK(3, 0)

const char *esr_class_name(unsigned int ec);

#endif
