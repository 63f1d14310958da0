/* SPDX-License-Identifier: MIT */
/*
 * GICv3 distributor, redistributors and the EL2 CPU interface.
 *
 * EL2 runs its CPU interface with split priority drop and deactivation
 * (ICC_CTLR_EL1.EOImode = 1): gicv3_eoi() does both, while an interrupt
 * forwarded to a guest only gets its priority dropped (gicv3_drop()) and is
 * deactivated by the guest through a hardware-linked list register.
 */
#include <aerie/bits.h>
#include <aerie/errno.h>
#include <aerie/gicv3.h>
#include <aerie/log.h>
#include <aerie/mmio.h>
#include <aerie/percpu.h>
#include <aerie/sysreg.h>

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_ISENABLER(n)	(0x0100 + 4 * (n))
#define GICD_ICENABLER(n)	(0x0180 + 4 * (n))
#define GICD_IGROUPR(n)		(0x0080 + 4 * (n))
#define GICD_ICFGR(n)		(0x0c00 + 4 * (n))
#define GICD_IROUTER(n)		(0x6000 + 8 * (n))
#define GICD_ICFGR_EDGE(i)	BIT(2 * ((i) % 16) + 1)
#define GICD_IROUTER_AFF0	GENMASK(7, 0)
#define GICD_IROUTER_AFF1	GENMASK(15, 8)
#define GICD_IROUTER_AFF2	GENMASK(23, 16)
#define GICD_IROUTER_AFF3	GENMASK(39, 32)
#define GICD_PIDR2		0xffe8
#define GICD_CTLR_RWP		BIT(31)
#define GICD_CTLR_ARE_NS	BIT(4)
#define GICD_CTLR_ENABLE_G1A	BIT(1)
#define GICD_CTLR_ENABLE_G1	BIT(0)
#define GICD_TYPER_ITLINES	GENMASK(4, 0)
#define GIC_PIDR2_ARCH		GENMASK(7, 4)

#define GICR_FRAME		0x20000	/* RD_base + SGI_base */
#define GICR_CTLR		0x0000
#define GICR_CTLR_RWP		BIT(3)
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_TYPER_LAST		BIT(4)
#define GICR_TYPER_VLPIS	BIT(1)
#define GICR_TYPER_AFF		GENMASK(63, 32)
#define GICR_WAKER_PSLEEP	BIT(1)
#define GICR_WAKER_CASLEEP	BIT(2)
#define GICR_SGI_IGROUPR0	(0x10000 + 0x0080)
#define GICR_SGI_ISENABLER0	(0x10000 + 0x0100)
#define GICR_SGI_ICENABLER0	(0x10000 + 0x0180)
#define GIC_INTID_PPI_BASE	16
#define GIC_INTID_SPI_BASE	32
/* SBSA's recommended PPIs, when the device tree does not name them */
#define GIC_PPI_MAINT_DEFAULT	25
#define GIC_PPI_VTIMER_DEFAULT	27

/* ICC_SGI1R_EL1 */
#define SGI1R_TARGETS		GENMASK(15, 0)
#define SGI1R_AFF1		GENMASK(23, 16)
#define SGI1R_INTID		GENMASK(27, 24)
#define SGI1R_AFF2		GENMASK(39, 32)
#define SGI1R_RS		GENMASK(47, 44)
#define SGI1R_AFF3		GENMASK(55, 48)
#define MPIDR_AFF0(m)		((m) & 0xff)
#define MPIDR_AFF1(m)		(((m) >> 8) & 0xff)
#define MPIDR_AFF2(m)		(((m) >> 16) & 0xff)
#define MPIDR_AFF3(m)		(((m) >> 32) & 0xff)
#define ICC_IAR_INTID		GENMASK(23, 0)

#define ICC_SRE_SRE		BIT(0)
#define ICC_SRE_ENABLE		BIT(3)
#define ICC_CTLR_EOIMODE	BIT(1)

static const struct board *gic_board;
static paddr_t cpu_redist[MAX_CPUS];	/* each CPU's redistributor frame */

static void dist_wait_rwp(paddr_t d)
{
	for (int i = 0; i < 1000000 && (mmio_read32(d + GICD_CTLR) & GICD_CTLR_RWP); i++)
		;
}

int gicv3_init(const struct board *b)
{
	paddr_t d = b->gic.dist_base;
	u32 arch = FIELD_GET(GIC_PIDR2_ARCH, mmio_read32(d + GICD_PIDR2));
	u32 lines = (FIELD_GET(GICD_TYPER_ITLINES, mmio_read32(d + GICD_TYPER)) + 1) * 32;

	gic_board = b;
	if (arch != 3 && arch != 4) {
		pr_err("gic: distributor at 0x%llx is not GICv3/v4 (arch %u)\n",
		       (unsigned long long)d, arch);
		return -ENODEV;
	}
	mmio_write32(d + GICD_CTLR, 0);
	dist_wait_rwp(d);
	/* all SPIs disabled and in group 1 (non-secure) */
	for (u32 i = 1; i < lines / 32; i++) {
		mmio_write32(d + GICD_ICENABLER(i), ~0U);
		mmio_write32(d + GICD_IGROUPR(i), ~0U);
	}
	mmio_write32(d + GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1A | GICD_CTLR_ENABLE_G1);
	dist_wait_rwp(d);
	pr_info("gic: GICv%u, %u interrupt lines\n", arch, lines);
	return 0;
}

static void redist_wait_rwp(paddr_t rd)
{
	for (int i = 0; i < 1000000 && (mmio_read32(rd + GICR_CTLR) & GICR_CTLR_RWP); i++)
		;
}

static paddr_t find_redist(u64 mpidr)
{
	u64 aff = ((mpidr >> 8) & 0xff000000ULL) | (mpidr & 0xffffff);

	for (unsigned int r = 0; gic_board && r < gic_board->gic.redist_count; r++) {
		paddr_t f = gic_board->gic.redist_base[r];
		paddr_t end = f + gic_board->gic.redist_size[r];

		while (f < end) {
			u64 typer = mmio_read64(f + GICR_TYPER);
			if (FIELD_GET(GICR_TYPER_AFF, typer) == aff)
				return f;
			if (typer & GICR_TYPER_LAST)
				break;
			f += (typer & GICR_TYPER_VLPIS) ? 2 * GICR_FRAME : GICR_FRAME;
		}
	}
	return 0;
}

void gicv3_cpu_init(void)
{
	paddr_t rd = find_redist(read_sysreg(mpidr_el1));

	if (this_cpu()->cpu_id < MAX_CPUS)
		cpu_redist[this_cpu()->cpu_id] = rd;
	if (rd) {
		mmio_write32(rd + GICR_WAKER,
			     mmio_read32(rd + GICR_WAKER) & ~(u32)GICR_WAKER_PSLEEP);
		for (int i = 0; i < 1000000 && (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CASLEEP);
		     i++)
			;
		mmio_write32(rd + GICR_SGI_IGROUPR0, ~0U);
		mmio_write32(rd + GICR_SGI_ISENABLER0, BIT(GIC_SGI_KICK));
	}
	write_sysreg(S3_4_C12_C9_5, ICC_SRE_SRE | ICC_SRE_ENABLE); /* ICC_SRE_EL2 */
	isb();
	write_sysreg(S3_0_C4_C6_0, 0xff);	/* ICC_PMR_EL1 */
	write_sysreg(S3_0_C12_C12_7, 1);	/* ICC_IGRPEN1_EL1 */
	/* ICC_CTLR_EL1: EOI drops the priority, DIR deactivates */
	write_sysreg(S3_0_C12_C12_4, read_sysreg(S3_0_C12_C12_4) | ICC_CTLR_EOIMODE);
	isb();
}

void gicv3_ppi_enable(u32 intid, bool enable)
{
	paddr_t rd = this_cpu()->cpu_id < MAX_CPUS ? cpu_redist[this_cpu()->cpu_id] : 0;

	if (!rd || intid < GIC_INTID_PPI_BASE || intid >= GIC_INTID_SPI_BASE)
		return;
	mmio_write32(rd + (enable ? GICR_SGI_ISENABLER0 : GICR_SGI_ICENABLER0), BIT(intid));
	if (!enable)
		redist_wait_rwp(rd);
}

int gicv3_spi_route(u32 intid, u64 mpidr, bool edge)
{
	paddr_t d;
	u32 cfg;

	if (!gic_board || intid < GIC_INTID_SPI_BASE || intid >= GIC_INTID_SPURIOUS - 3)
		return -EINVAL;
	d = gic_board->gic.dist_base;
	/* level-sensitive (PCI INTx) or edge (the SMMU's queues), one CPU */
	cfg = mmio_read32(d + GICD_ICFGR(intid / 16)) & ~(u32)GICD_ICFGR_EDGE(intid);
	mmio_write32(d + GICD_ICFGR(intid / 16), cfg | (edge ? (u32)GICD_ICFGR_EDGE(intid) : 0));
	mmio_write64(d + GICD_IROUTER(intid),
		     FIELD_PREP(GICD_IROUTER_AFF0, MPIDR_AFF0(mpidr)) |
		     FIELD_PREP(GICD_IROUTER_AFF1, MPIDR_AFF1(mpidr)) |
		     FIELD_PREP(GICD_IROUTER_AFF2, MPIDR_AFF2(mpidr)) |
		     FIELD_PREP(GICD_IROUTER_AFF3, MPIDR_AFF3(mpidr)));
	return 0;
}

u32 gicv3_maint_intid(void)
{
	return gic_board && gic_board->gic.maint_irq ? gic_board->gic.maint_irq
						      : GIC_PPI_MAINT_DEFAULT;
}

u32 gicv3_vtimer_intid(void)
{
	return gic_board && gic_board->timer.virt_ppi ? gic_board->timer.virt_ppi
						       : GIC_PPI_VTIMER_DEFAULT;
}

void gicv3_spi_enable(u32 intid, bool enable)
{
	paddr_t d;

	if (!gic_board || intid < GIC_INTID_SPI_BASE || intid >= GIC_INTID_SPURIOUS - 3)
		return;
	d = gic_board->gic.dist_base;
	mmio_write32(d + (enable ? GICD_ISENABLER(intid / 32) : GICD_ICENABLER(intid / 32)),
		     1U << (intid % 32));
	if (!enable)
		dist_wait_rwp(d);
}

void gicv3_send_sgi(u64 mpidr, u32 intid)
{
	u64 v = FIELD_PREP(SGI1R_TARGETS, 1U << (MPIDR_AFF0(mpidr) % 16)) |
		FIELD_PREP(SGI1R_RS, MPIDR_AFF0(mpidr) / 16) |
		FIELD_PREP(SGI1R_AFF1, MPIDR_AFF1(mpidr)) |
		FIELD_PREP(SGI1R_AFF2, MPIDR_AFF2(mpidr)) |
		FIELD_PREP(SGI1R_AFF3, MPIDR_AFF3(mpidr)) | FIELD_PREP(SGI1R_INTID, intid);

	dsb(ish);
	write_sysreg(S3_0_C12_C11_5, v); /* ICC_SGI1R_EL1 */
	isb();
}

u32 gicv3_ack(void)
{
	u32 intid = (u32)FIELD_GET(ICC_IAR_INTID, read_sysreg(S3_0_C12_C12_0)); /* ICC_IAR1_EL1 */

	dsb(sy);
	return intid;
}

void gicv3_drop(u32 intid)
{
	write_sysreg(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1 */
	isb();
}

void gicv3_deactivate(u32 intid)
{
	write_sysreg(S3_0_C12_C11_1, intid); /* ICC_DIR_EL1 */
	isb();
}

void gicv3_eoi(u32 intid)
{
	gicv3_drop(intid);
	gicv3_deactivate(intid);
}
