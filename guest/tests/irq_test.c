/* SPDX-License-Identifier: MIT */
/*
 * A guest that takes interrupts through Aerie's vGIC (docs/guests.md,
 * "Interrupts"): it installs its own EL1 vector table, sets up the emulated
 * GICv3 distributor and redistributor like a GIC driver would, and then
 *  - arms its virtual timer and WFIs until the handler has taken (IAR) and
 *    ended (EOIR) virtual PPI 27, three times: the second and third only
 *    arrive if ending the virtual PPI deactivated the physical one;
 *  - makes its edu raise INTx and takes that SPI, acks it at the device and
 *    sees no spurious repeat, twice;
 *  - raises it while the SPI is disabled: nothing arrives until it enables
 *    the SPI again;
 *  - checks that its EL1 registers survived all the exits to Aerie.
 * Returns 0 (then start.S powers off) only if every check passed.
 */
#include "../lib/aerie_guest.h"
#include "../lib/gic.h"
#include "../lib/guest_mmio.h"

#define INTID_VTIMER		27

#define CNTV_CTL_ENABLE		1

#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_IRQ_BIT		0x100

#define TPIDR_MAGIC		0x5eed0000c0ffee11ULL
#define WAIT_MS			1000

#define sysreg_read(r) g_sysreg_read(r)
#define sysreg_write(r, v) g_sysreg_write(r, v)
#define isb() g_isb()

#define EXPECT(cond, what)                                                   \
	do {                                                                 \
		if (!(cond)) {                                               \
			g_puts("irq_test: FAILED: " what "\n");              \
			return 1;                                            \
		}                                                            \
	} while (0)

static uint64_t bar;
static volatile uint32_t timer_hits, spi_hits, last_spi;

void g_irq(uint32_t intid)
{
	if (intid == INTID_VTIMER) {
		sysreg_write(cntv_ctl_el0, 0);	/* its output goes low */
		isb();
		timer_hits++;
	} else if (intid >= G_INTID_SPI_BASE) {
		/* the edu: ack at the device, so its INTx goes low */
		mmio_wr32(bar + EDU_REG_IRQ_ACK, mmio_rd32(bar + EDU_REG_IRQ_STATUS));
		last_spi = intid;
		spi_hits++;
	} else {
		g_irq_unexpected++;
	}
}

static uint64_t ticks_per_ms(void)
{
	return sysreg_read(cntfrq_el0) / 1000;
}

static int gic_setup(void)
{
	uint32_t typer = mmio_rd32(G_GICD + GICD_TYPER);

	EXPECT(GIC_PIDR2_ARCH(mmio_rd32(G_GICR(0) + GIC_PIDR2)) == 3,
	       "the redistributor is a GICv3 one");
	EXPECT(GICD_TYPER_ITLINES(typer) >= 1, "GICD_TYPER has SPIs");
	EXPECT(mmio_rd32(G_GICD + GICD_IIDR) != 0, "GICD_IIDR");
	EXPECT((mmio_rd64(G_GICR(0) + GICR_TYPER) >> 32) == 0 &&
	       (mmio_rd64(G_GICR(0) + GICR_TYPER) & GICR_TYPER_LAST),
	       "GICR_TYPER: affinity 0, the last redistributor");
	EXPECT(mmio_rd32(G_GICR(0) + GICR_WAKER) & GICR_WAKER_CASLEEP,
	       "the redistributor starts asleep");
	EXPECT(g_gic_init() == 0 && g_gic_cpu_init(0) == 0, "GIC bring-up");
	/* the timer PPI */
	g_gic_enable(INTID_VTIMER, 0);
	EXPECT((mmio_rd32(G_GICR_SGI(0) + GICR_IPRIORITYR(24)) >> 24) == G_PRIO_DEFAULT,
	       "the timer PPI's priority reads back");
	EXPECT(mmio_rd32(G_GICR_SGI(0) + GICR_ISENABLER0) & (1U << INTID_VTIMER),
	       "the timer PPI is enabled");
	/* every SPI (the edu's is one of them; which one is what the handler
	 * reports) */
	for (uint32_t i = G_INTID_SPI_BASE; i < g_gic_nr_irqs(); i++)
		g_gic_enable(i, 0);
	return 0;
}

static int timer_rounds(void)
{
	for (uint32_t round = 1; round <= 3; round++) {
		uint64_t start = sysreg_read(cntvct_el0), due = start + 2 * ticks_per_ms();

		sysreg_write(cntv_cval_el0, due);
		sysreg_write(cntv_ctl_el0, CNTV_CTL_ENABLE);
		isb();
		EXPECT(g_wait_irq(&timer_hits, round, WAIT_MS) == 0, "the virtual timer interrupt arrives");
		EXPECT(sysreg_read(cntvct_el0) >= due, "WFI returned only when the timer was due");
	}
	g_delay_ms(5);
	EXPECT(timer_hits == 3 && g_irq_unexpected == 0, "three timer interrupts, nothing else");
	g_puts("irq_test: virtual timer PPI 27 taken and ended 3 times (WFI until due)\n");
	return 0;
}

static int spi_rounds(void)
{
	uint32_t n;

	for (uint32_t round = 1; round <= 2; round++) {
		mmio_wr32(bar + EDU_REG_IRQ_RAISE, EDU_IRQ_BIT);
		EXPECT(g_wait_irq(&spi_hits, round, WAIT_MS) == 0, "the edu's INTx arrives");
		g_delay_ms(5);
		EXPECT(spi_hits == round, "no spurious repeat of the edu's INTx");
		EXPECT(mmio_rd32(bar + EDU_REG_IRQ_STATUS) == 0, "the edu was acked");
	}
	g_puts("irq_test: edu INTx taken as SPI ");
	g_putd(last_spi);
	g_puts(" and acked, twice, no repeat\n");

	/* disabled: the interrupt waits until the guest enables it */
	n = last_spi / 32;
	g_gic_disable(last_spi, 0);
	EXPECT(!(mmio_rd32(G_GICD + GICD_ISENABLER(n)) & (1U << (last_spi % 32))), "the SPI is disabled");
	mmio_wr32(bar + EDU_REG_IRQ_RAISE, EDU_IRQ_BIT);
	g_delay_ms(10);
	EXPECT(spi_hits == 2, "a disabled SPI is not delivered");
	g_gic_enable(last_spi, 0);
	g_delay_ms(10);
	EXPECT(spi_hits == 3, "the SPI arrives once enabled");
	EXPECT(mmio_rd32(bar + EDU_REG_IRQ_STATUS) == 0, "the edu was acked");
	g_puts("irq_test: a disabled SPI stayed pending until enabled\n");
	return 0;
}

int guest_main(uint64_t edu_bar)
{
	bar = edu_bar;
	g_puts("irq_test: hello\n");
	EXPECT(bar != 0, "an edu BAR0 in x1");
	g_vectors_install();
	sysreg_write(tpidr_el1, TPIDR_MAGIC);
	sysreg_write(tpidrro_el0, ~TPIDR_MAGIC);
	isb();
	if (gic_setup())
		return 1;
	g_irq_on();
	if (timer_rounds() || spi_rounds())
		return 1;
	EXPECT(aerie_hvc(AERIE_HC_NOP, 0) == 0, "the null hypercall");
	EXPECT(sysreg_read(tpidr_el1) == TPIDR_MAGIC && sysreg_read(tpidrro_el0) == ~TPIDR_MAGIC &&
	       sysreg_read(vbar_el1) == (uint64_t)(uintptr_t)g_vectors,
	       "EL1 registers survive exits to Aerie");
	EXPECT(g_irq_spurious == 0 && g_irq_unexpected == 0, "no spurious or unknown interrupts");
	g_irq_off();
	g_puts("irq_test: all checks passed\n");
	return 0;
}
