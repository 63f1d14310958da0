/* SPDX-License-Identifier: MIT */
/*
 * The vGIC's CPU side: the GICv3 virtual CPU interface (ICH_*_EL2), list
 * registers, injection and interrupt forwarding (include/aerie/vgic.h).
 *
 * A vCPU's list registers, active-priority registers and VMCR live in the
 * hardware while it is loaded on its CPU and in struct vgic_cpu otherwise
 * (vgic_load / vgic_put). Interrupts to inject are queued in the vCPU's
 * pending bitmap under the guest's vGIC lock (from any CPU, which then
 * kicks the vCPU's CPU); the vCPU itself moves the queued interrupts the
 * guest has enabled into free list registers before each entry
 * (vgic_flush). When more are deliverable than there are free list
 * registers, the underflow maintenance interrupt (ICH_HCR_EL2.UIE) brings
 * it back to EL2 once the guest has consumed them.
 *
 * Physical interrupts forwarded to a guest (its virtual timer's PPI and its
 * devices' INTx SPIs, routed to vCPU 0's CPU) are acknowledged and
 * priority-dropped at EL2 and injected with LR.HW = 1 and the physical
 * INTID: the guest's deactivation deactivates the physical interrupt, so a
 * level-sensitive source cannot fire again until the guest handled it.
 */
#include <aerie/bits.h>
#include <aerie/errno.h>
#include <aerie/gicv3.h>
#include <aerie/guest.h>
#include <aerie/log.h>
#include <aerie/percpu.h>
#include <aerie/string.h>
#include <aerie/sysreg.h>
#include <aerie/vgic.h>
#include <uapi/aerie/iommu.h>

/* ICH_LR<n>_EL2 */
#define ICH_LR_VINTID		GENMASK(31, 0)
#define ICH_LR_PINTID		GENMASK(44, 32)
#define ICH_LR_PRIO		GENMASK(55, 48)
#define ICH_LR_GROUP		BIT(60)
#define ICH_LR_HW		BIT(61)
#define ICH_LR_STATE		GENMASK(63, 62)
#define LR_STATE_PENDING	1
#define LR_STATE_ACTIVE		2
/* ICH_HCR_EL2 */
#define ICH_HCR_EN		BIT(0)
#define ICH_HCR_UIE		BIT(1)
/* ICH_VTR_EL2 */
#define ICH_VTR_LISTREGS	GENMASK(4, 0)
#define ICH_VTR_PREBITS		GENMASK(28, 26)
#define APR_MIN_PREBITS		5	/* one AP0R/AP1R per 32 preemption levels */

#define INTID_SPI_BASE		32
/* load/put and set-up paths run once per vCPU run: built for size */
#define __cold			__attribute__((cold))

/* the handler of the physical interrupts Aerie keeps for itself, set by
 * the layer that owns them (vmm/hyp_irq.c): arch/ does not call up */
static bool (*hyp_irq_handler)(u32 intid);

void vgic_set_hyp_irq_handler(bool (*fn)(u32 intid))
{
	__atomic_store_n(&hyp_irq_handler, fn, __ATOMIC_RELEASE);
}

/* who owns each physical SPI forwarded to a guest */
static spinlock_t fwd_lock = SPINLOCK_INIT;
static const struct guest *spi_owner[VGIC_NR_IRQS];

/* ---- ICH_* register access ------------------------------------------------------------ */

__attribute__((noinline)) static u64 read_lr(unsigned int n)
{
	switch (n) {
	case 0: return read_sysreg(S3_4_C12_C12_0);
	case 1: return read_sysreg(S3_4_C12_C12_1);
	case 2: return read_sysreg(S3_4_C12_C12_2);
	case 3: return read_sysreg(S3_4_C12_C12_3);
	case 4: return read_sysreg(S3_4_C12_C12_4);
	case 5: return read_sysreg(S3_4_C12_C12_5);
	case 6: return read_sysreg(S3_4_C12_C12_6);
	case 7: return read_sysreg(S3_4_C12_C12_7);
	case 8: return read_sysreg(S3_4_C12_C13_0);
	case 9: return read_sysreg(S3_4_C12_C13_1);
	case 10: return read_sysreg(S3_4_C12_C13_2);
	case 11: return read_sysreg(S3_4_C12_C13_3);
	case 12: return read_sysreg(S3_4_C12_C13_4);
	case 13: return read_sysreg(S3_4_C12_C13_5);
	case 14: return read_sysreg(S3_4_C12_C13_6);
	default: return read_sysreg(S3_4_C12_C13_7);
	}
}

__attribute__((noinline)) static void write_lr(unsigned int n, u64 v)
{
	switch (n) {
	case 0: write_sysreg(S3_4_C12_C12_0, v); break;
	case 1: write_sysreg(S3_4_C12_C12_1, v); break;
	case 2: write_sysreg(S3_4_C12_C12_2, v); break;
	case 3: write_sysreg(S3_4_C12_C12_3, v); break;
	case 4: write_sysreg(S3_4_C12_C12_4, v); break;
	case 5: write_sysreg(S3_4_C12_C12_5, v); break;
	case 6: write_sysreg(S3_4_C12_C12_6, v); break;
	case 7: write_sysreg(S3_4_C12_C12_7, v); break;
	case 8: write_sysreg(S3_4_C12_C13_0, v); break;
	case 9: write_sysreg(S3_4_C12_C13_1, v); break;
	case 10: write_sysreg(S3_4_C12_C13_2, v); break;
	case 11: write_sysreg(S3_4_C12_C13_3, v); break;
	case 12: write_sysreg(S3_4_C12_C13_4, v); break;
	case 13: write_sysreg(S3_4_C12_C13_5, v); break;
	case 14: write_sysreg(S3_4_C12_C13_6, v); break;
	default: write_sysreg(S3_4_C12_C13_7, v); break;
	}
}

/* ICH_AP0R<n>_EL2 / ICH_AP1R<n>_EL2 */
__attribute__((noinline)) static u64 read_apr(unsigned int grp, unsigned int n)
{
	switch (grp * 4 + n) {
	case 0: return read_sysreg(S3_4_C12_C8_0);
	case 1: return read_sysreg(S3_4_C12_C8_1);
	case 2: return read_sysreg(S3_4_C12_C8_2);
	case 3: return read_sysreg(S3_4_C12_C8_3);
	case 4: return read_sysreg(S3_4_C12_C9_0);
	case 5: return read_sysreg(S3_4_C12_C9_1);
	case 6: return read_sysreg(S3_4_C12_C9_2);
	default: return read_sysreg(S3_4_C12_C9_3);
	}
}

__attribute__((noinline)) static void write_apr(unsigned int grp, unsigned int n, u64 v)
{
	switch (grp * 4 + n) {
	case 0: write_sysreg(S3_4_C12_C8_0, v); break;
	case 1: write_sysreg(S3_4_C12_C8_1, v); break;
	case 2: write_sysreg(S3_4_C12_C8_2, v); break;
	case 3: write_sysreg(S3_4_C12_C8_3, v); break;
	case 4: write_sysreg(S3_4_C12_C9_0, v); break;
	case 5: write_sysreg(S3_4_C12_C9_1, v); break;
	case 6: write_sysreg(S3_4_C12_C9_2, v); break;
	default: write_sysreg(S3_4_C12_C9_3, v); break;
	}
}

#define read_ich_hcr()		read_sysreg(S3_4_C12_C11_0)
#define write_ich_hcr(v)	write_sysreg(S3_4_C12_C11_0, v)
#define read_ich_vtr()		read_sysreg(S3_4_C12_C11_1)
#define read_ich_elrsr()	read_sysreg(S3_4_C12_C11_5)
#define read_ich_vmcr()		read_sysreg(S3_4_C12_C11_7)
#define write_ich_vmcr(v)	write_sysreg(S3_4_C12_C11_7, v)

static unsigned int nr_lrs(void)
{
	return MIN((unsigned int)FIELD_GET(ICH_VTR_LISTREGS, read_ich_vtr()) + 1, VGIC_MAX_LRS);
}

static unsigned int nr_aprs(void)
{
	unsigned int pre = (unsigned int)FIELD_GET(ICH_VTR_PREBITS, read_ich_vtr()) + 1;

	return MIN(1U << (pre - APR_MIN_PREBITS), VGIC_MAX_APRS);
}

/* the physical INTID a hardware-linked virtual INTID stands for */
static u32 hw_pintid(u32 intid)
{
	return intid == VGIC_VTIMER_INTID ? gicv3_vtimer_intid() : intid;
}

/* ---- state, enables ------------------------------------------------------------------- */

__cold void vgic_cpu_reset(struct guest_vcpu *gv)
{
	struct vgic_dist *d = &gv->g->vgic;

	spin_lock(&d->lock);
	memset(&gv->vgic, 0, sizeof(gv->vgic));
	gv->vgic.waker = VGIC_WAKER_PSLEEP | VGIC_WAKER_CASLEEP;
	spin_unlock(&d->lock);
}

/* GICD_CTLR.EnableGrp1 gates every group 1 interrupt, the redistributors'
 * SGIs and PPIs too (ARE = 1); then the INTID's own enable */
bool vgic_enabled_locked(const struct guest_vcpu *gv, u32 intid)
{
	const struct vgic_dist *d = &gv->g->vgic;

	if (!(d->ctlr & VGIC_CTLR_ENABLE_G1))
		return false;
	if (intid < VGIC_NR_PRIV)
		return gv->vgic.enabled & BIT(intid);
	return intid < VGIC_NR_IRQS && (d->enabled[intid / 32] & BIT(intid % 32));
}

static u8 prio_locked(const struct guest_vcpu *gv, u32 intid)
{
	return intid < VGIC_NR_PRIV ? gv->vgic.prio[intid] : gv->g->vgic.prio[intid];
}

static void kick(const struct guest_vcpu *gv)
{
	if (gv->pcpu != this_cpu()->cpu_id &&
	    __atomic_load_n(&gv->power, __ATOMIC_ACQUIRE) == VCPU_ON)
		gicv3_send_sgi(percpu[gv->pcpu].mpidr, GIC_SGI_KICK);
}

__cold void vgic_mark_dirty(struct guest *g)
{
	for (unsigned int i = 0; i < g->nvcpus; i++) {
		struct guest_vcpu *gv = &g->vcpus[i];
		bool queued = false;

		__atomic_store_n(&gv->vgic.dirty, 1, __ATOMIC_RELEASE);
		for (unsigned int w = 0; w < ARRAY_SIZE(gv->vgic.pending); w++)
			queued |= __atomic_load_n(&gv->vgic.pending[w], __ATOMIC_RELAXED) != 0;
		if (queued)
			kick(gv);
	}
}

/* ---- injection ------------------------------------------------------------------------ */

static int queue(struct guest_vcpu *gv, u32 intid, bool hw)
{
	struct vgic_dist *d = &gv->g->vgic;
	struct vgic_cpu *c = &gv->vgic;

	if (intid >= VGIC_NR_IRQS)
		return -EINVAL;
	spin_lock(&d->lock);
	c->pending[intid / 64] |= BIT(intid % 64);
	if (hw)
		c->hw[intid / 64] |= BIT(intid % 64);
	__atomic_store_n(&c->dirty, 1, __ATOMIC_RELEASE);
	spin_unlock(&d->lock);
	kick(gv);
	return 0;
}

int vgic_inject(struct guest_vcpu *gv, u32 intid)
{
	return queue(gv, intid, false);
}

int vgic_inject_hw(struct guest_vcpu *gv, u32 intid, u32 pintid)
{
	if (intid >= VGIC_NR_IRQS || pintid != hw_pintid(intid) || gv->pcpu != this_cpu()->cpu_id)
		return -EINVAL;
	return queue(gv, intid, true);
}

/* the list register holding intid, or -1 */
static int lr_find(u32 intid, unsigned int nlr, u64 used)
{
	for (unsigned int n = 0; n < nlr; n++)
		if ((used & BIT(n)) && FIELD_GET(ICH_LR_VINTID, read_lr(n)) == intid)
			return (int)n;
	return -1;
}

void vgic_flush(struct guest_vcpu *gv)
{
	struct vgic_dist *d = &gv->g->vgic;
	struct vgic_cpu *c = &gv->vgic;
	unsigned int nlr;
	u64 free, used;
	bool overflow = false;

	if (!__atomic_load_n(&c->dirty, __ATOMIC_ACQUIRE))
		return;
	nlr = nr_lrs();
	free = read_ich_elrsr() & GENMASK(nlr - 1, 0);
	used = ~free & GENMASK(nlr - 1, 0);
	spin_lock(&d->lock);
	__atomic_store_n(&c->dirty, 0, __ATOMIC_RELAXED);
	for (u32 w = 0; w < ARRAY_SIZE(c->pending); w++) {
		for (u64 bits = c->pending[w]; bits; bits &= bits - 1) {
			u32 intid = w * 64 + (u32)__builtin_ctzll(bits);
			bool hw = c->hw[w] & BIT(intid % 64);
			int n;
			u64 lr;

			if (!vgic_enabled_locked(gv, intid))
				continue;	/* stays queued until the guest enables it */
			n = lr_find(intid, nlr, used);
			if (n >= 0) {
				/* already there: pending merges; a software one that
				 * is active becomes active and pending again */
				lr = read_lr((unsigned int)n);
				if (FIELD_GET(ICH_LR_STATE, lr) & LR_STATE_PENDING) {
					if (hw && !(lr & ICH_LR_HW))
						gicv3_deactivate(hw_pintid(intid));
				} else if (!hw && !(lr & ICH_LR_HW)) {
					write_lr((unsigned int)n, lr | FIELD_PREP(ICH_LR_STATE,
										  LR_STATE_PENDING));
				} else {
					/* wait for the guest to deactivate it */
					__atomic_store_n(&c->dirty, 1, __ATOMIC_RELAXED);
					continue;
				}
			} else if (!free) {
				overflow = true;
				continue;
			} else {
				n = __builtin_ctzll(free);
				free &= free - 1;
				used |= BIT(n);
				lr = FIELD_PREP(ICH_LR_VINTID, intid) |
				     FIELD_PREP(ICH_LR_PRIO, prio_locked(gv, intid)) | ICH_LR_GROUP |
				     FIELD_PREP(ICH_LR_STATE, LR_STATE_PENDING);
				if (hw)
					lr |= ICH_LR_HW | FIELD_PREP(ICH_LR_PINTID, hw_pintid(intid));
				write_lr((unsigned int)n, lr);
			}
			c->pending[w] &= ~BIT(intid % 64);
			c->hw[w] &= ~BIT(intid % 64);
		}
	}
	spin_unlock(&d->lock);
	/* more deliverable than list registers: come back when they drain */
	if (overflow)
		write_ich_hcr(read_ich_hcr() | ICH_HCR_UIE);
	else
		write_ich_hcr(read_ich_hcr() & ~ICH_HCR_UIE);
	isb();
}

/* ---- physical interrupts while a vCPU runs --------------------------------------------- */

void vgic_handle_irq(struct guest_vcpu *gv)
{
	struct guest *g = gv->g;
	u32 intid = gicv3_ack();
	bool (*handler)(u32 intid);

	if (intid >= GIC_INTID_SPURIOUS - 3)
		return;
	if (intid == gicv3_vtimer_intid()) {
		gicv3_drop(intid);
		if (vgic_inject_hw(gv, VGIC_VTIMER_INTID, intid))
			gicv3_deactivate(intid);
		return;
	}
	if (intid >= INTID_SPI_BASE && intid < VGIC_NR_IRQS &&
	    __atomic_load_n(&spi_owner[intid], __ATOMIC_ACQUIRE) == g) {
		gicv3_drop(intid);
		if (vgic_inject_hw(&g->vcpus[0], intid, intid))
			gicv3_deactivate(intid);
		return;
	}
	handler = __atomic_load_n(&hyp_irq_handler, __ATOMIC_ACQUIRE);
	if (handler && handler(intid))
		return;
	/* the kick SGI, the maintenance interrupt (the list registers have
	 * drained: flush again), or one that is nobody's */
	gicv3_eoi(intid);
	if (intid == gicv3_maint_intid())
		__atomic_store_n(&gv->vgic.dirty, 1, __ATOMIC_RELEASE);
}

/* vCPU 0's CPU takes the guest's devices' INTx */
__cold static void fwd_take(struct guest *g)
{
	for (unsigned int i = 0; i < g->ndevs; i++) {
		u32 spi = g->devs[i]->intx_spi, intid = spi + INTID_SPI_BASE;
		bool mine;

		if (!spi)
			continue;
		if (intid >= VGIC_NR_IRQS || intid == AERIE_VEVENTQ_INTID) {
			pr_warn("[%s] INTx SPI %u is beyond the vGIC's %u INTIDs or its event "
				"interrupt: not forwarded\n", g->name, spi, VGIC_NR_IRQS);
			continue;
		}
		spin_lock(&fwd_lock);
		mine = !spi_owner[intid] || spi_owner[intid] == g;
		if (mine)
			__atomic_store_n(&spi_owner[intid], g, __ATOMIC_RELEASE);
		spin_unlock(&fwd_lock);
		if (!mine) {
			pr_warn("[%s] INTx SPI %u is shared with another guest: not forwarded\n",
				g->name, spi);
			continue;
		}
		if (!gicv3_spi_route(intid, this_cpu()->mpidr, false))
			gicv3_spi_enable(intid, true);
	}
}

__cold static void fwd_release(struct guest *g)
{
	for (unsigned int i = 0; i < g->ndevs; i++) {
		u32 intid = g->devs[i]->intx_spi + INTID_SPI_BASE;
		bool mine;

		if (!g->devs[i]->intx_spi || intid >= VGIC_NR_IRQS || intid == AERIE_VEVENTQ_INTID)
			continue;
		spin_lock(&fwd_lock);
		mine = spi_owner[intid] == g;
		if (mine)
			__atomic_store_n(&spi_owner[intid], NULL, __ATOMIC_RELEASE);
		spin_unlock(&fwd_lock);
		if (mine)
			gicv3_spi_enable(intid, false);
	}
}

/* ---- load / put ----------------------------------------------------------------------- */

__cold void vgic_load(struct guest_vcpu *gv)
{
	struct vgic_cpu *c = &gv->vgic;
	unsigned int nlr = nr_lrs(), napr = nr_aprs();

	for (unsigned int n = 0; n < nlr; n++)
		write_lr(n, c->lr[n]);
	for (unsigned int n = 0; n < napr; n++) {
		write_apr(0, n, c->ap0r[n]);
		write_apr(1, n, c->ap1r[n]);
	}
	write_ich_vmcr(c->vmcr);
	write_ich_hcr(c->hcr | ICH_HCR_EN);
	isb();
	gicv3_ppi_enable(gicv3_maint_intid(), true);
	if (gv->idx == 0)
		fwd_take(gv->g);
	__atomic_store_n(&c->dirty, 1, __ATOMIC_RELEASE);
}

__cold void vgic_put(struct guest_vcpu *gv)
{
	struct vgic_dist *d = &gv->g->vgic;
	struct vgic_cpu *c = &gv->vgic;
	unsigned int nlr = nr_lrs(), napr = nr_aprs();

	if (gv->idx == 0)
		fwd_release(gv->g);
	gicv3_ppi_enable(gicv3_maint_intid(), false);
	c->hcr = read_ich_hcr() & ~(ICH_HCR_EN | ICH_HCR_UIE);
	write_ich_hcr(0);
	c->vmcr = read_ich_vmcr();
	for (unsigned int n = 0; n < napr; n++) {
		c->ap0r[n] = read_apr(0, n);
		c->ap1r[n] = read_apr(1, n);
		write_apr(0, n, 0);
		write_apr(1, n, 0);
	}
	/* the physical side of a linked interrupt does not wait for a vCPU
	 * that is not running: deactivate it, keep the virtual one */
	for (unsigned int n = 0; n < nlr; n++) {
		u64 lr = read_lr(n);

		if ((lr & ICH_LR_HW) && FIELD_GET(ICH_LR_STATE, lr)) {
			gicv3_deactivate((u32)FIELD_GET(ICH_LR_PINTID, lr));
			lr &= ~(ICH_LR_HW | ICH_LR_PINTID);
		}
		c->lr[n] = lr;
		write_lr(n, 0);
	}
	spin_lock(&d->lock);
	for (u32 w = 0; w < ARRAY_SIZE(c->hw); w++) {
		for (u64 bits = c->hw[w]; bits; bits &= bits - 1)
			gicv3_deactivate(hw_pintid(w * 64 + (u32)__builtin_ctzll(bits)));
		c->hw[w] = 0;
	}
	spin_unlock(&d->lock);
	isb();
}
