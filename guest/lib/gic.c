/* SPDX-License-Identifier: MIT */
/* A guest's GICv3 driver (guest/lib/gic.h). */
#include "aerie_guest.h"
#include "gic.h"
#include "guest_mmio.h"

volatile uint32_t g_irq_unexpected, g_irq_spurious;

#define FAIL(what)                                                           \
	do {                                                                 \
		g_puts("gic: " what "\n");                                   \
		return -1;                                                   \
	} while (0)

__attribute__((weak)) void g_irq(uint32_t intid)
{
	(void)intid;
	g_irq_unexpected++;
}

/* from vectors.S */
void g_irq_entry(void)
{
	uint64_t iar = g_sysreg_read(ICC_IAR1_EL1);
	uint32_t intid = (uint32_t)(iar & 0xffffff);

	if (intid == G_INTID_SPURIOUS) {
		g_irq_spurious++;
		return;
	}
	g_irq(intid);
	g_sysreg_write(ICC_EOIR1_EL1, iar);
	g_isb();
}

void g_bad_exception(uint64_t esr, uint64_t elr)
{
	g_puts("guest: FAILED: unexpected exception, ESR ");
	g_putx(esr);
	g_puts(" at ");
	g_putx(elr);
	g_puts("\n");
	aerie_hvc(0x84000009, 0);	/* PSCI SYSTEM_RESET: the test fails */
	for (;;)
		;
}

uint32_t g_gic_nr_irqs(void)
{
	return (GICD_TYPER_ITLINES(mmio_rd32(G_GICD + GICD_TYPER)) + 1) * 32;
}

int g_gic_init(void)
{
	if (GIC_PIDR2_ARCH(mmio_rd32(G_GICD + GIC_PIDR2)) != 3)
		FAIL("the distributor is not a GICv3 one");
	mmio_wr32(G_GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	if ((mmio_rd32(G_GICD + GICD_CTLR) & (GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1)) !=
	    (GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1))
		FAIL("GICD_CTLR: ARE and group 1 do not stick");
	return 0;
}

int g_gic_cpu_init(unsigned int cpu)
{
	uint64_t rd = G_GICR(cpu);

	if (GIC_PIDR2_ARCH(mmio_rd32(rd + GIC_PIDR2)) != 3)
		FAIL("the redistributor is not a GICv3 one");
	if ((mmio_rd64(rd + GICR_TYPER) >> 32) != cpu)
		FAIL("GICR_TYPER: the frame is not this vCPU's");
	mmio_wr32(rd + GICR_WAKER, mmio_rd32(rd + GICR_WAKER) & ~GICR_WAKER_PSLEEP);
	for (int i = 0; mmio_rd32(rd + GICR_WAKER) & GICR_WAKER_CASLEEP; i++)
		if (i > 1000)
			FAIL("the redistributor does not wake up");
	g_sysreg_write(ICC_SRE_EL1, g_sysreg_read(ICC_SRE_EL1) | 1);
	g_isb();
	g_sysreg_write(ICC_PMR_EL1, 0xff);
	g_sysreg_write(ICC_BPR1_EL1, 0);
	g_sysreg_write(ICC_IGRPEN1_EL1, 1);
	g_isb();
	return 0;
}

void g_gic_enable(uint32_t intid, unsigned int cpu)
{
	if (intid < G_INTID_SPI_BASE) {
		mmio_wr8(G_GICR_SGI(cpu) + GICR_IPRIORITYR(intid), G_PRIO_DEFAULT);
		mmio_wr32(G_GICR_SGI(cpu) + GICR_ISENABLER0, 1U << intid);
		return;
	}
	mmio_wr8(G_GICD + GICD_IPRIORITYR(intid), G_PRIO_DEFAULT);
	mmio_wr64(G_GICD + GICD_IROUTER(intid), 0);
	mmio_wr32(G_GICD + GICD_ISENABLER(intid / 32), 1U << (intid % 32));
}

void g_gic_disable(uint32_t intid, unsigned int cpu)
{
	if (intid < G_INTID_SPI_BASE)
		mmio_wr32(G_GICR_SGI(cpu) + GICR_ICENABLER0, 1U << intid);
	else
		mmio_wr32(G_GICD + GICD_ICENABLER(intid / 32), 1U << (intid % 32));
}

void g_delay_ms(uint64_t ms)
{
	uint64_t end = g_sysreg_read(cntvct_el0) + ms * (g_sysreg_read(cntfrq_el0) / 1000);

	while (g_sysreg_read(cntvct_el0) < end)
		;
}

/* IRQs masked around the check, so one that arrives between the check and
 * the WFI still wakes it (pending); the virtual counter bounds the wait
 * only as often as something wakes the vCPU, so callers that may wait for
 * nothing arm a timer or accept the bound as approximate */
int g_wait_irq(volatile uint32_t *count, uint32_t want, uint32_t max_ms)
{
	uint64_t end = g_sysreg_read(cntvct_el0) + max_ms * (g_sysreg_read(cntfrq_el0) / 1000);

	g_irq_off();
	while (*count < want && g_sysreg_read(cntvct_el0) < end) {
		__asm__ volatile("wfi" ::: "memory");
		__asm__ volatile("msr daifclr, #2\n isb\n msr daifset, #2" ::: "memory");
	}
	g_irq_on();
	return *count >= want ? 0 : -1;
}

void g_vectors_install(void)
{
	g_sysreg_write(vbar_el1, (uint64_t)(uintptr_t)g_vectors);
	g_isb();
}
