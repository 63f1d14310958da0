/* SPDX-License-Identifier: MIT */
/*
 * A guest's GICv3 driver in a few calls (guest/lib/gic.c, vectors.S): what
 * a bare-metal guest needs to take interrupts under Aerie. The addresses
 * are the ones in the device tree Aerie generates (docs/guests.md,
 * "Interrupts"): distributor at G_GICD, one 128 KiB redistributor frame
 * pair per vCPU from G_GICR(0).
 *
 * Use: g_gic_init() once (on vCPU 0), g_gic_cpu_init() on every vCPU,
 * g_gic_enable() per interrupt, then unmask IRQs (g_irq_on). Each taken
 * interrupt calls the guest's g_irq(intid) between acknowledge and end of
 * interrupt; the library's weak g_irq only counts g_irq_unexpected.
 */
#ifndef AERIE_GUEST_GIC_H
#define AERIE_GUEST_GIC_H

#include <stdint.h>

#define G_GICD			0x08000000UL
#define G_GICR_STRIDE		0x20000UL
#define G_GICR(cpu)		(0x080a0000UL + G_GICR_STRIDE * (cpu))
#define G_GICR_SGI(cpu)		(G_GICR(cpu) + 0x10000UL)

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_ISENABLER(n)	(0x0100 + 4 * (n))
#define GICD_ICENABLER(n)	(0x0180 + 4 * (n))
#define GICD_IPRIORITYR(i)	(0x0400 + (i))
#define GICD_IROUTER(i)		(0x6000 + 8 * (i))
#define GIC_PIDR2		0xffe8
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_IPRIORITYR(i)	(0x0400 + (i))
#define GICD_CTLR_ENABLE_G1	(1U << 1)
#define GICD_CTLR_ARE		(1U << 4)
#define GICR_WAKER_PSLEEP	(1U << 1)
#define GICR_WAKER_CASLEEP	(1U << 2)
#define GICR_TYPER_LAST		(1U << 4)
#define GIC_PIDR2_ARCH(v)	(((v) >> 4) & 0xf)
#define GICD_TYPER_ITLINES(v)	((v) & 0x1f)

#define G_INTID_PPI_BASE	16
#define G_INTID_SPI_BASE	32
#define G_INTID_SPURIOUS	1023
#define G_PRIO_DEFAULT		0xa0

/* the guest's GIC CPU interface (ICV_* under Aerie) */
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_BPR1_EL1		S3_0_C12_C12_3
#define ICC_SRE_EL1		S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define ICC_SGI1R_EL1		S3_0_C12_C11_5

#define g_sysreg_read(r)                                                     \
	({                                                                   \
		uint64_t __v;                                                \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));                 \
		__v;                                                         \
	})
#define g_sysreg_write(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define g_isb() __asm__ volatile("isb" ::: "memory")

/* 0, or -1 with a line on the console saying what was wrong */
int g_gic_init(void);
int g_gic_cpu_init(unsigned int cpu);
/* an interrupt on (priority G_PRIO_DEFAULT; an SPI is routed to vCPU 0) or
 * off; cpu names the redistributor of an SGI/PPI */
void g_gic_enable(uint32_t intid, unsigned int cpu);
void g_gic_disable(uint32_t intid, unsigned int cpu);
/* GICD_TYPER's number of INTIDs */
uint32_t g_gic_nr_irqs(void);

/* the handler the guest provides (weak default: counts g_irq_unexpected) */
void g_irq(uint32_t intid);
extern volatile uint32_t g_irq_unexpected, g_irq_spurious;

/* VBAR_EL1 = the library's vectors: IRQs from EL1 go to g_irq, anything
 * else prints ESR/ELR and resets the guest (a failed test) */
void g_vectors_install(void);
extern char g_vectors[];
static inline void g_irq_on(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}
static inline void g_irq_off(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}
/* sleep in WFI until *count >= want (IRQs unmasked only while waiting);
 * gives up after max_ms of the virtual counter: 0 or -1 */
int g_wait_irq(volatile uint32_t *count, uint32_t want, uint32_t max_ms);
void g_delay_ms(uint64_t ms);

#endif
