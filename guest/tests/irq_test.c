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
#include "../lib/guest_mmio.h"

#define GICD			0x08000000UL
#define GICR			0x080a0000UL	/* vCPU 0's frame */
#define GICR_SGI		(GICR + 0x10000)
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
#define GICR_IPRIORITYR(i)	(0x0400 + (i))
#define CTLR_ENABLE_G1		(1U << 1)
#define CTLR_ARE		(1U << 4)
#define WAKER_PSLEEP		(1U << 1)
#define WAKER_CASLEEP		(1U << 2)
#define TYPER_LAST		(1U << 4)
#define PIDR2_ARCH(v)		(((v) >> 4) & 0xf)
#define TYPER_ITLINES(v)	((v) & 0x1f)

#define INTID_VTIMER		27
#define INTID_SPI_BASE		32
#define INTID_SPURIOUS		1023
#define IAR_INTID		0xffffffU
#define PRIO_DEFAULT		0xa0

#define CNTV_CTL_ENABLE		1
#define CNTV_CTL_IMASK		2

#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_IRQ_BIT		0x100

#define TPIDR_MAGIC		0x5eed0000c0ffee11ULL

/* EL1 vectors: IRQs from EL1 with SP_EL1 go to irq_handler(), everything
 * else is a failure */
__asm__(
	".section .text.vectors, \"ax\"\n"
	".macro ventry target\n"
	"	.balign 128\n"
	"	b	\\target\n"
	".endm\n"
	"	.balign 2048\n"
	"	.globl	g_vectors\n"
	"g_vectors:\n"
	"	ventry bad_entry\n	ventry bad_entry\n	ventry bad_entry\n	ventry bad_entry\n"
	"	ventry bad_entry\n	ventry irq_entry\n	ventry bad_entry\n	ventry bad_entry\n"
	"	ventry bad_entry\n	ventry bad_entry\n	ventry bad_entry\n	ventry bad_entry\n"
	"	ventry bad_entry\n	ventry bad_entry\n	ventry bad_entry\n	ventry bad_entry\n"
	"irq_entry:\n"
	"	sub	sp, sp, #176\n"
	"	stp	x0, x1, [sp, #0]\n"
	"	stp	x2, x3, [sp, #16]\n"
	"	stp	x4, x5, [sp, #32]\n"
	"	stp	x6, x7, [sp, #48]\n"
	"	stp	x8, x9, [sp, #64]\n"
	"	stp	x10, x11, [sp, #80]\n"
	"	stp	x12, x13, [sp, #96]\n"
	"	stp	x14, x15, [sp, #112]\n"
	"	stp	x16, x17, [sp, #128]\n"
	"	stp	x18, x29, [sp, #144]\n"
	"	str	x30, [sp, #160]\n"
	"	bl	irq_handler\n"
	"	ldp	x0, x1, [sp, #0]\n"
	"	ldp	x2, x3, [sp, #16]\n"
	"	ldp	x4, x5, [sp, #32]\n"
	"	ldp	x6, x7, [sp, #48]\n"
	"	ldp	x8, x9, [sp, #64]\n"
	"	ldp	x10, x11, [sp, #80]\n"
	"	ldp	x12, x13, [sp, #96]\n"
	"	ldp	x14, x15, [sp, #112]\n"
	"	ldp	x16, x17, [sp, #128]\n"
	"	ldp	x18, x29, [sp, #144]\n"
	"	ldr	x30, [sp, #160]\n"
	"	add	sp, sp, #176\n"
	"	eret\n"
	"bad_entry:\n"
	"	mrs	x0, esr_el1\n"
	"	mrs	x1, elr_el1\n"
	"	bl	bad_exception\n"
	"	.text\n");

extern char g_vectors[];

static uint64_t bar;
static volatile uint32_t timer_hits, spi_hits, other_hits, spurious_hits, last_spi;

#define sysreg_read(r)                                                       \
	({                                                                   \
		uint64_t __v;                                                \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));                 \
		__v;                                                         \
	})
#define sysreg_write(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
/* the guest's GIC CPU interface (ICV_* under Aerie) */
#define ICC_PMR_EL1	S3_0_C4_C6_0
#define ICC_IAR1_EL1	S3_0_C12_C12_0
#define ICC_EOIR1_EL1	S3_0_C12_C12_1
#define ICC_BPR1_EL1	S3_0_C12_C12_3
#define ICC_SRE_EL1	S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1	S3_0_C12_C12_7
#define rd_icc(r) sysreg_read(r)
#define wr_icc(r, v) sysreg_write(r, v)

#define EXPECT(cond, what)                                                   \
	do {                                                                 \
		if (!(cond)) {                                               \
			g_puts("irq_test: FAILED: " what "\n");              \
			return 1;                                            \
		}                                                            \
	} while (0)


void bad_exception(uint64_t esr, uint64_t elr)
{
	g_puts("irq_test: FAILED: unexpected exception, ESR ");
	g_putx(esr);
	g_puts(" at ");
	g_putx(elr);
	g_puts("\n");
	aerie_hvc(0x84000009, 0);	/* PSCI SYSTEM_RESET: the test fails */
	for (;;)
		;
}

void irq_handler(void)
{
	uint64_t iar = rd_icc(ICC_IAR1_EL1);
	uint32_t intid = (uint32_t)(iar & IAR_INTID);

	if (intid == INTID_SPURIOUS) {
		spurious_hits++;
		return;
	}
	if (intid == INTID_VTIMER) {
		sysreg_write(cntv_ctl_el0, 0);	/* its output goes low */
		isb();
		timer_hits++;
	} else if (intid >= INTID_SPI_BASE) {
		/* the edu: ack at the device, so its INTx goes low */
		mmio_wr32(bar + EDU_REG_IRQ_ACK, mmio_rd32(bar + EDU_REG_IRQ_STATUS));
		last_spi = intid;
		spi_hits++;
	} else {
		other_hits++;
	}
	wr_icc(ICC_EOIR1_EL1, iar);
	isb();
}

static uint64_t ticks_per_ms(void)
{
	return sysreg_read(cntfrq_el0) / 1000;
}

/* spin for ms milliseconds of the virtual counter, with IRQs unmasked */
static void delay_ms(uint64_t ms)
{
	uint64_t end = sysreg_read(cntvct_el0) + ms * ticks_per_ms();

	while (sysreg_read(cntvct_el0) < end)
		;
}

/* WFI until *hits reaches want: IRQs masked around the check, so one that
 * arrives between the check and the WFI still wakes it (pending) */
static int wait_irq(volatile uint32_t *hits, uint32_t want)
{
	int i = 0;

	__asm__ volatile("msr daifset, #2" ::: "memory");
	while (*hits < want && i++ < 1000) {
		__asm__ volatile("wfi" ::: "memory");
		__asm__ volatile("msr daifclr, #2\n isb\n msr daifset, #2" ::: "memory");
	}
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	return *hits >= want ? 0 : -1;
}

static int gic_setup(void)
{
	uint32_t typer = mmio_rd32(GICD + GICD_TYPER);

	EXPECT(PIDR2_ARCH(mmio_rd32(GICD + GIC_PIDR2)) == 3, "the distributor is a GICv3 one");
	EXPECT(PIDR2_ARCH(mmio_rd32(GICR + GIC_PIDR2)) == 3, "the redistributor is a GICv3 one");
	EXPECT(TYPER_ITLINES(typer) >= 1, "GICD_TYPER has SPIs");
	EXPECT(mmio_rd32(GICD + GICD_IIDR) != 0, "GICD_IIDR");
	EXPECT((mmio_rd64(GICR + GICR_TYPER) >> 32) == 0 && (mmio_rd64(GICR + GICR_TYPER) & TYPER_LAST),
	       "GICR_TYPER: affinity 0, the last redistributor");
	/* wake my redistributor */
	EXPECT(mmio_rd32(GICR + GICR_WAKER) & WAKER_CASLEEP, "the redistributor starts asleep");
	mmio_wr32(GICR + GICR_WAKER, mmio_rd32(GICR + GICR_WAKER) & ~WAKER_PSLEEP);
	for (int i = 0; mmio_rd32(GICR + GICR_WAKER) & WAKER_CASLEEP; i++)
		EXPECT(i < 1000, "the redistributor wakes up");
	/* distributor: affinity routing, group 1 on */
	mmio_wr32(GICD + GICD_CTLR, CTLR_ARE | CTLR_ENABLE_G1);
	EXPECT((mmio_rd32(GICD + GICD_CTLR) & (CTLR_ARE | CTLR_ENABLE_G1)) ==
	       (CTLR_ARE | CTLR_ENABLE_G1), "GICD_CTLR: ARE and group 1 enabled");
	/* the timer PPI: priority, enable */
	mmio_wr8(GICR_SGI + GICR_IPRIORITYR(INTID_VTIMER), PRIO_DEFAULT);
	EXPECT((mmio_rd32(GICR_SGI + GICR_IPRIORITYR(24)) >> 24) == PRIO_DEFAULT,
	       "the timer PPI's priority reads back");
	mmio_wr32(GICR_SGI + GICR_ISENABLER0, 1U << INTID_VTIMER);
	EXPECT(mmio_rd32(GICR_SGI + GICR_ISENABLER0) & (1U << INTID_VTIMER), "the timer PPI is enabled");
	/* every SPI: priority, routed to me, enabled (the edu's is one of
	 * them; which one is what the handler reports) */
	for (uint32_t i = INTID_SPI_BASE; i < (TYPER_ITLINES(typer) + 1) * 32; i++) {
		mmio_wr8(GICD + GICD_IPRIORITYR(i), PRIO_DEFAULT);
		mmio_wr64(GICD + GICD_IROUTER(i), 0);
	}
	for (uint32_t n = 1; n < TYPER_ITLINES(typer) + 1; n++)
		mmio_wr32(GICD + GICD_ISENABLER(n), ~0U);
	/* my CPU interface */
	wr_icc(ICC_SRE_EL1, rd_icc(ICC_SRE_EL1) | 1);
	isb();
	wr_icc(ICC_PMR_EL1, 0xff);
	wr_icc(ICC_BPR1_EL1, 0);
	wr_icc(ICC_IGRPEN1_EL1, 1);
	isb();
	return 0;
}

static int timer_rounds(void)
{
	for (uint32_t round = 1; round <= 3; round++) {
		uint64_t start = sysreg_read(cntvct_el0), due = start + 2 * ticks_per_ms();

		sysreg_write(cntv_cval_el0, due);
		sysreg_write(cntv_ctl_el0, CNTV_CTL_ENABLE);
		isb();
		EXPECT(wait_irq(&timer_hits, round) == 0, "the virtual timer interrupt arrives");
		EXPECT(sysreg_read(cntvct_el0) >= due, "WFI returned only when the timer was due");
	}
	delay_ms(5);
	EXPECT(timer_hits == 3 && other_hits == 0, "three timer interrupts, nothing else");
	g_puts("irq_test: virtual timer PPI 27 taken and ended 3 times (WFI until due)\n");
	return 0;
}

static int spi_rounds(void)
{
	uint32_t n;

	for (uint32_t round = 1; round <= 2; round++) {
		mmio_wr32(bar + EDU_REG_IRQ_RAISE, EDU_IRQ_BIT);
		EXPECT(wait_irq(&spi_hits, round) == 0, "the edu's INTx arrives");
		delay_ms(5);
		EXPECT(spi_hits == round, "no spurious repeat of the edu's INTx");
		EXPECT(mmio_rd32(bar + EDU_REG_IRQ_STATUS) == 0, "the edu was acked");
	}
	g_puts("irq_test: edu INTx taken as SPI ");
	g_putd(last_spi);
	g_puts(" and acked, twice, no repeat\n");

	/* disabled: the interrupt waits until the guest enables it */
	n = last_spi / 32;
	mmio_wr32(GICD + GICD_ICENABLER(n), 1U << (last_spi % 32));
	EXPECT(!(mmio_rd32(GICD + GICD_ISENABLER(n)) & (1U << (last_spi % 32))), "the SPI is disabled");
	mmio_wr32(bar + EDU_REG_IRQ_RAISE, EDU_IRQ_BIT);
	delay_ms(10);
	EXPECT(spi_hits == 2, "a disabled SPI is not delivered");
	mmio_wr32(GICD + GICD_ISENABLER(n), 1U << (last_spi % 32));
	delay_ms(10);
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
	sysreg_write(vbar_el1, (uint64_t)(uintptr_t)g_vectors);
	sysreg_write(tpidr_el1, TPIDR_MAGIC);
	sysreg_write(tpidrro_el0, ~TPIDR_MAGIC);
	isb();
	if (gic_setup())
		return 1;
	__asm__ volatile("msr daifclr, #2" ::: "memory");	/* IRQs on */
	if (timer_rounds() || spi_rounds())
		return 1;
	EXPECT(aerie_hvc(AERIE_HC_NOP, 0) == 0, "the null hypercall");
	EXPECT(sysreg_read(tpidr_el1) == TPIDR_MAGIC && sysreg_read(tpidrro_el0) == ~TPIDR_MAGIC &&
	       sysreg_read(vbar_el1) == (uint64_t)(uintptr_t)g_vectors,
	       "EL1 registers survive exits to Aerie");
	EXPECT(spurious_hits == 0 && other_hits == 0, "no spurious or unknown interrupts");
	__asm__ volatile("msr daifset, #2" ::: "memory");
	g_puts("irq_test: all checks passed\n");
	return 0;
}
