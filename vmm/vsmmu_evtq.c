/* SPDX-License-Identifier: MIT */
/*
 * The virtual SMMUv3's event queue, in the guest's RAM at EVTQ_BASE: the
 * stage-1 faults of its devices (the core's event sink for its vIOMMU,
 * with the vSID already in the record) and the vSMMU's own C_BAD_STE
 * events are written there as an SMMU writes them, and raise the eventq
 * interrupt when IRQ_CTRL.EVTQ_IRQEN is set. At most 2^EVTQS records are
 * ever pending: when the guest has not consumed them, the record is dropped
 * and EVTQ_PROD.OVFLG is toggled (until it acknowledges with OVACKFLG), so
 * a flood of faults costs a bounded amount of work and guest memory. A
 * queue outside the guest's RAM takes no record.
 *
 * evt_lock is a leaf: the sink runs with the IOMMU context's lock held, on
 * whichever CPU drains the SMMU, and calls nothing but guest-memory copies
 * and the interrupt.
 */
#include <aerie/string.h>
#include "vsmmu_internal.h"

#define EVT_SIZE		32

static unsigned int q_log2(const struct vsmmu *v)
{
	unsigned int l = (unsigned int)FIELD_GET(Q_BASE_LOG2SIZE, v->evtq_base);

	return l > VSMMU_EVTQ_LOG2 ? VSMMU_EVTQ_LOG2 : l;
}

static void record(struct vsmmu *v, const u64 evt[4], bool *irq)
{
	unsigned int log2 = q_log2(v);
	u32 qmask = (2U << log2) - 1, imask = (1U << log2) - 1;
	u32 prod = v->evtq_prod & qmask, cons = v->evtq_cons & qmask;
	ipa_t slot = (v->evtq_base & Q_BASE_ADDR) + (u64)(prod & imask) * EVT_SIZE;

	if (!v->evtq_on) {
		v->evt_dropped++;
		return;
	}
	if ((prod ^ cons) == (imask + 1)) {
		/* full: the record is lost, and the guest told so */
		v->evt_dropped++;
		if (!((v->evtq_prod ^ v->evtq_cons) & EVTQ_PROD_OVFLG))
			v->evtq_prod ^= EVTQ_PROD_OVFLG;
		return;
	}
	if (vm_copy_to_guest(v->p.mem, slot, evt, EVT_SIZE)) {
		v->evt_dropped++;
		return;
	}
	v->evtq_prod = (v->evtq_prod & EVTQ_PROD_OVFLG) | ((prod + 1) & qmask);
	*irq = v->evtq_irqen;
}

void vsmmu_evtq_record(struct vsmmu *v, const u64 evt[4])
{
	bool irq = false;

	spin_lock(&v->evt_lock);
	record(v, evt, &irq);
	spin_unlock(&v->evt_lock);
	if (irq)
		v->p.irq(v->p.irq_arg, v->p.evtq_intid);
}

void vsmmu_evtq_sink(void *arg, const u64 evt[4])
{
	vsmmu_evtq_record(arg, evt);
}

void vsmmu_evtq_enable(struct vsmmu *v, bool on, bool irqen)
{
	spin_lock(&v->evt_lock);
	v->evtq_on = on;
	v->evtq_irqen = irqen;
	spin_unlock(&v->evt_lock);
}

u64 vsmmu_evtq_read(struct vsmmu *v, u64 off)
{
	u64 val;

	spin_lock(&v->evt_lock);
	val = off == SMMU_EVTQ_BASE ? v->evtq_base : off == SMMU_EVTQ_PROD ? v->evtq_prod : v->evtq_cons;
	spin_unlock(&v->evt_lock);
	return val;
}

void vsmmu_evtq_write(struct vsmmu *v, u64 off, u64 val, unsigned int size)
{
	u32 qmask = (2U << VSMMU_EVTQ_LOG2) - 1;

	(void)size;
	spin_lock(&v->evt_lock);
	/* the base and the producer index belong to the SMMU while it is on */
	if (off == SMMU_EVTQ_BASE && !v->evtq_on)
		v->evtq_base = val & Q_BASE_FIELDS;
	else if (off == SMMU_EVTQ_PROD && !v->evtq_on)
		v->evtq_prod = (u32)val & (qmask | EVTQ_PROD_OVFLG);
	else if (off == SMMU_EVTQ_CONS)
		v->evtq_cons = (u32)val & (qmask | EVTQ_CONS_OVACKFLG);
	spin_unlock(&v->evt_lock);
}
