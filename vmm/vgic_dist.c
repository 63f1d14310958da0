/* SPDX-License-Identifier: MIT */
/*
 * The guest's emulated GICv3 distributor (GUEST_GICD_IPA) and
 * redistributors (GUEST_GICR_IPA, one GUEST_GICR_STRIDE frame per vCPU):
 * what a GICv3 driver needs to set up and route its interrupts.
 *
 *  - one security state (GICD_CTLR.DS = 1), affinity routing always on
 *    (ARE = 1), every interrupt in group 1 (IGROUPR reads as ones);
 *  - enables (ISENABLER/ICENABLER), priorities (IPRIORITYR, 5 bits), set /
 *    clear pending (ISPENDR/ICPENDR: the interrupts queued for injection),
 *    GICD_IROUTER (kept and read back; SPIs are delivered to vCPU 0),
 *    GICR_WAKER (ChildrenAsleep follows ProcessorSleep), TYPER, IIDR, PIDR2;
 *  - everything else (active state, ICFGR, IGRPMODR, NSACR, LPIs) reads as
 *    zero and ignores writes, as does an access of a size or alignment the
 *    register does not allow.
 *
 * Enabling an interrupt that is queued makes it deliverable (vgic_flush on
 * the next entry of the vCPU it is queued for).
 */
#include <aerie/bits.h>
#include <aerie/guest.h>
#include <aerie/vgic.h>
#include <aerie/vmmio.h>

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_IPRIORITYR		0x0400
#define GICD_IROUTER		0x6000
#define GIC_PIDR2		0xffe8
#define BITMAP_REGS		0x80	/* bytes of one bit-per-INTID register block */

#define GICD_TYPER_ITLINES	GENMASK(4, 0)
#define GICD_TYPER_IDBITS	GENMASK(23, 19)
#define GICD_IROUTER_VALID	(GENMASK(39, 32) | BIT(31) | GENMASK(23, 0))
#define GIC_IIDR_IMPLEMENTER	GENMASK(11, 0)
#define GIC_IIDR_PRODUCT	GENMASK(31, 24)
#define IIDR_IMPLEMENTER_ARM	0x43b
#define IIDR_PRODUCT_AERIE	0x41	/* 'A' */
#define GIC_PIDR2_ARCHREV	GENMASK(7, 4)
#define GIC_PIDR2_JEDEC		BIT(3)
#define GIC_PIDR2_DES1		GENMASK(2, 0)
#define PIDR2_ARCH_GICV3	3
#define PIDR2_DES1_ARM		3

#define GICR_CTLR		0x0000
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_SGI_BASE		0x10000
#define GICR_TYPER_LAST		BIT(4)
#define GICR_TYPER_PROCNUM	GENMASK(23, 8)
#define GICR_TYPER_AFF0		GENMASK(39, 32)

#define INTID_BITS		10	/* INTIDs below 1024 */
#define SPI_BASE		32

static const u32 iidr = FIELD_PREP(GIC_IIDR_IMPLEMENTER, IIDR_IMPLEMENTER_ARM) |
			FIELD_PREP(GIC_IIDR_PRODUCT, IIDR_PRODUCT_AERIE);
static const u32 pidr2 = FIELD_PREP(GIC_PIDR2_ARCHREV, PIDR2_ARCH_GICV3) | GIC_PIDR2_JEDEC |
			 FIELD_PREP(GIC_PIDR2_DES1, PIDR2_DES1_ARM);

/* what one access does beyond the register file: interrupts to queue */
struct effect {
	u32 set_pending;	/* bit i: INTID base + i */
	u32 base;
	struct guest_vcpu *target;
	bool dirty;
};

static bool word_access(const struct vmmio_access *a)
{
	return a->size == 4 && IS_ALIGNED(a->ipa, 4);
}

/* part of a 64-bit register (8-byte access, or either 4-byte half) */
static bool dword_access(const struct vmmio_access *a)
{
	return (a->size == 8 && IS_ALIGNED(a->ipa, 8)) || word_access(a);
}

static u64 dword_read(u64 reg, const struct vmmio_access *a)
{
	return a->size == 8 ? reg : (u32)(reg >> (8 * (a->ipa & 4)));
}

static u64 dword_write(u64 reg, const struct vmmio_access *a)
{
	unsigned int shift = 8 * (a->ipa & 4);

	if (a->size == 8)
		return a->val;
	return (reg & ~(GENMASK(31, 0) << shift)) | ((a->val & GENMASK(31, 0)) << shift);
}

/* IPRIORITYR: bytes or words of bytes */
static void prio_access(u8 *prio, unsigned int first, struct vmmio_access *a)
{
	if (!a->write)
		a->val = 0;
	if ((a->size != 1 && a->size != 4) || !IS_ALIGNED(a->ipa, a->size))
		return;
	for (unsigned int i = 0; i < a->size; i++) {
		if (a->write)
			prio[first + i] = (u8)(a->val >> (8 * i)) & VGIC_PRIO_MASK;
		else
			a->val |= (u64)prio[first + i] << (8 * i);
	}
}

/* one bit-per-INTID register of 32 INTIDs from `base`: enables, pending */
static void bits_access(struct guest_vcpu *gv, u32 *enabled, u32 base, u32 reg,
			struct vmmio_access *a, struct effect *e)
{
	struct vgic_cpu *c = &gv->vgic;
	u32 queued = (u32)(c->pending[base / 64] >> (base % 64));
	u32 v = (u32)a->val;

	switch (reg) {
	case GICD_ISENABLER:
	case GICD_ICENABLER:
		if (!a->write) {
			a->val = *enabled;
		} else {
			*enabled = reg == GICD_ISENABLER ? *enabled | v : *enabled & ~v;
			e->dirty = reg == GICD_ISENABLER;
		}
		break;
	case GICD_ISPENDR:
		if (!a->write)
			a->val = queued;
		else if (v) {
			e->set_pending = v;
			e->base = base;
			e->target = gv;
		}
		break;
	case GICD_ICPENDR:
		if (!a->write) {
			a->val = queued;
		} else {
			/* only what is still queued; linked ones stay (their
			 * physical side is active until the guest ends them) */
			v &= ~(u32)(c->hw[base / 64] >> (base % 64));
			c->pending[base / 64] &= ~((u64)v << (base % 64));
		}
		break;
	case GICD_IGROUPR:
		if (!a->write)
			a->val = GENMASK(31, 0);
		break;
	default:
		if (!a->write)
			a->val = 0;
		break;
	}
}

static void dist_access(struct guest *g, u64 off, struct vmmio_access *a, struct effect *e)
{
	struct vgic_dist *d = &g->vgic;

	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
		u32 reg = (u32)(off & ~(u64)(BITMAP_REGS - 1)), n = (u32)(off - reg) / 4;

		if (!word_access(a) || n == 0 || n >= VGIC_NR_IRQS / 32) {
			/* private INTIDs are the redistributors' (ARE = 1) */
			if (!a->write)
				a->val = 0;
			return;
		}
		bits_access(&g->vcpus[0], &d->enabled[n], n * 32, reg, a, e);
		return;
	}
	if (off >= GICD_IPRIORITYR + SPI_BASE && off < GICD_IPRIORITYR + VGIC_NR_IRQS) {
		prio_access(d->prio, (unsigned int)(off - GICD_IPRIORITYR), a);
		return;
	}
	if (off >= GICD_IROUTER + 8 * SPI_BASE && off < GICD_IROUTER + 8 * VGIC_NR_IRQS &&
	    dword_access(a)) {
		u64 *r = &d->irouter[(off - GICD_IROUTER) / 8];

		if (a->write)
			*r = dword_write(*r, a) & GICD_IROUTER_VALID;
		else
			a->val = dword_read(*r, a);
		return;
	}
	if (!a->write)
		a->val = 0;
	if (!word_access(a))
		return;
	switch (off) {
	case GICD_CTLR:
		if (a->write) {
			d->ctlr = (u32)a->val & (VGIC_CTLR_ENABLE_G0 | VGIC_CTLR_ENABLE_G1);
			e->dirty = true;
		} else {
			a->val = d->ctlr | VGIC_CTLR_ARE | VGIC_CTLR_DS;
		}
		break;
	case GICD_TYPER:
		if (!a->write)
			a->val = FIELD_PREP(GICD_TYPER_ITLINES, VGIC_NR_IRQS / 32 - 1) |
				 FIELD_PREP(GICD_TYPER_IDBITS, INTID_BITS - 1);
		break;
	case GICD_IIDR:
		if (!a->write)
			a->val = iidr;
		break;
	case GIC_PIDR2:
		if (!a->write)
			a->val = pidr2;
		break;
	default:
		break;
	}
}

static void redist_access(struct guest *g, unsigned int idx, u64 off, struct vmmio_access *a,
			  struct effect *e)
{
	struct guest_vcpu *gv = &g->vcpus[idx];
	struct vgic_cpu *c = &gv->vgic;

	if (off == GICR_TYPER || off == GICR_TYPER + 4) {
		u64 typer = FIELD_PREP(GICR_TYPER_AFF0, idx) | FIELD_PREP(GICR_TYPER_PROCNUM, idx) |
			    (idx == g->nvcpus - 1 ? GICR_TYPER_LAST : 0);

		if (!a->write)
			a->val = dword_access(a) ? dword_read(typer, a) : 0;
		return;
	}
	/* word 0 of each bit-per-INTID block: the private INTIDs */
	if (off >= GICR_SGI_BASE + GICD_IGROUPR && off < GICR_SGI_BASE + GICD_IPRIORITYR &&
	    IS_ALIGNED(off - GICR_SGI_BASE, BITMAP_REGS)) {
		if (word_access(a))
			bits_access(gv, &c->enabled, 0, (u32)(off - GICR_SGI_BASE), a, e);
		else if (!a->write)
			a->val = 0;
		return;
	}
	if (off >= GICR_SGI_BASE + GICD_IPRIORITYR &&
	    off < GICR_SGI_BASE + GICD_IPRIORITYR + VGIC_NR_PRIV) {
		prio_access(c->prio, (unsigned int)(off - GICR_SGI_BASE - GICD_IPRIORITYR), a);
		return;
	}
	if (!a->write)
		a->val = 0;
	if (!word_access(a))
		return;
	switch (off) {
	case GICR_IIDR:
		if (!a->write)
			a->val = iidr;
		break;
	case GICR_WAKER:
		if (a->write)
			c->waker = (u32)a->val & VGIC_WAKER_PSLEEP ?
					   VGIC_WAKER_PSLEEP | VGIC_WAKER_CASLEEP : 0;
		else
			a->val = c->waker;
		break;
	case GIC_PIDR2:
		if (!a->write)
			a->val = pidr2;
		break;
	default:		/* GICR_CTLR: no LPIs, RWP never set */
		break;
	}
}

bool vgic_mmio_access(struct guest *g, unsigned int vcpu, struct vmmio_access *a)
{
	u64 gicr_end = GUEST_GICR_IPA + (u64)g->nvcpus * GUEST_GICR_STRIDE;
	struct effect e = { 0 };

	(void)vcpu;
	if (a->ipa >= GUEST_GICD_IPA && a->ipa < GUEST_GICD_IPA + GUEST_GICD_SIZE) {
		spin_lock(&g->vgic.lock);
		dist_access(g, a->ipa - GUEST_GICD_IPA, a, &e);
		spin_unlock(&g->vgic.lock);
	} else if (a->ipa >= GUEST_GICR_IPA && a->ipa < gicr_end) {
		u64 off = a->ipa - GUEST_GICR_IPA;

		spin_lock(&g->vgic.lock);
		redist_access(g, (unsigned int)(off / GUEST_GICR_STRIDE), off % GUEST_GICR_STRIDE,
			      a, &e);
		spin_unlock(&g->vgic.lock);
	} else {
		return false;
	}
	for (u32 bits = e.set_pending; bits; bits &= bits - 1)
		vgic_inject(e.target, e.base + (u32)__builtin_ctz(bits));
	if (e.dirty)
		vgic_mark_dirty(g);
	return true;
}
