/* SPDX-License-Identifier: MIT */
/*
 * The guest's GICv3 (docs/guests.md, "Interrupts").
 *
 * CPU interface: the hardware's virtual CPU interface (ICH_*_EL2, list
 * registers). HCR_EL2.IMO/FMO send the guest's ICC_* accesses to the ICV_*
 * registers; Aerie puts interrupts into list registers (arch/vgic.c).
 * Injection works from any CPU: vgic_inject() queues the INTID in the
 * target vCPU's pending bitmap under the guest's vGIC lock and kicks that
 * vCPU's CPU out of the guest; each vCPU moves its queued interrupts into
 * free list registers (vgic_flush) right before it enters the guest. SGIs
 * a vCPU sends to its guest's vCPUs (a trapped ICC_SGI1R_EL1 write) are
 * injected the same way (vmm/vgic_sgi.c).
 *
 * Distributor and redistributors: emulated MMIO at GUEST_GICD_IPA and
 * GUEST_GICR_IPA (vmm/vgic_dist.c): enables, priorities, TYPER/IIDR/PIDR2,
 * GICR_WAKER, IROUTER; affinity routing (ARE) always on, one security
 * state, every interrupt in group 1. An interrupt the guest has not enabled
 * stays queued and is delivered when it enables it.
 *
 * Forwarded interrupts are linked to the physical ones (LR.HW = 1): the
 * guest's virtual timer (virtual PPI 27) and its devices' INTx (virtual
 * INTID = physical INTID). EL2 only drops the physical priority; the guest's
 * deactivation of the virtual interrupt deactivates the physical one.
 */
#ifndef AERIE_VGIC_H
#define AERIE_VGIC_H

#include <aerie/bits.h>
#include <aerie/spinlock.h>
#include <aerie/types.h>

#define VGIC_NR_IRQS		256	/* SGIs, PPIs and SPIs up to INTID 255 */
#define VGIC_NR_PRIV		32	/* SGIs + PPIs, per vCPU */
#define VGIC_MAX_LRS		16
#define VGIC_MAX_APRS		4
#define VGIC_VTIMER_INTID	27	/* the guest's virtual timer PPI */
#define VGIC_PRIO_MASK		0xf8	/* 5 priority bits kept */
/* GICD_CTLR with one security state (DS = 1) */
#define VGIC_CTLR_ENABLE_G0	BIT(0)
#define VGIC_CTLR_ENABLE_G1	BIT(1)
#define VGIC_CTLR_ARE		BIT(4)
#define VGIC_CTLR_DS		BIT(6)
/* GICR_WAKER */
#define VGIC_WAKER_PSLEEP	BIT(1)
#define VGIC_WAKER_CASLEEP	BIT(2)

struct guest;
struct guest_vcpu;

/* per vCPU: its redistributor and its CPU interface (in struct guest_vcpu) */
struct vgic_cpu {
	u64 pending[VGIC_NR_IRQS / 64];	/* queued, not yet in a list register */
	u64 hw[VGIC_NR_IRQS / 64];	/* ... linked to the same physical INTID */
	u32 dirty;			/* flush before the next entry */
	u32 enabled;			/* GICR_ISENABLER0 */
	u8 prio[VGIC_NR_PRIV];		/* GICR_IPRIORITYR */
	u32 waker;			/* GICR_WAKER */
	/* the CPU interface while the vCPU is not loaded */
	u64 lr[VGIC_MAX_LRS];
	u64 ap0r[VGIC_MAX_APRS], ap1r[VGIC_MAX_APRS];
	u64 vmcr, hcr;
};

/* per guest: its distributor (in struct guest) */
struct vgic_dist {
	spinlock_t lock;		/* every vGIC field of the guest */
	u32 ctlr;
	u32 enabled[VGIC_NR_IRQS / 32];	/* word 0 (private) unused */
	u8 prio[VGIC_NR_IRQS];
	u64 irouter[VGIC_NR_IRQS];	/* read back; SPIs go to vCPU 0 */
};

/* ---- CPU interface, list registers (arch/vgic.c) ---- */

/* a fresh vCPU interface and redistributor (nothing enabled, asleep); a
 * guest's distributor starts zeroed with the guest (all disabled) */
void vgic_cpu_reset(struct guest_vcpu *gv);
/* on this CPU: restore / save the vCPU's list registers, APRs and VMCR and
 * turn the virtual interface on / off; vCPU 0 also takes / gives back its
 * devices' INTx */
void vgic_load(struct guest_vcpu *gv);
void vgic_put(struct guest_vcpu *gv);
/* queue a virtual interrupt for gv (any CPU); 0 or -EINVAL */
int vgic_inject(struct guest_vcpu *gv, u32 intid);
/* the same, linked to physical INTID pintid, which the caller has
 * acknowledged and priority-dropped on gv's CPU */
int vgic_inject_hw(struct guest_vcpu *gv, u32 intid, u32 pintid);
/* move queued interrupts into list registers (gv's own CPU, before entry) */
void vgic_flush(struct guest_vcpu *gv);
/* a physical IRQ made gv (loaded here) exit: acknowledge and route it
 * (the guest's forwarded interrupts, then the handler set below, then the
 * kick and maintenance SGI/PPI) */
void vgic_handle_irq(struct guest_vcpu *gv);
/* the handler of the INTIDs Aerie keeps (include/aerie/hyp_irq.h): given
 * an acknowledged INTID, ends and handles it and returns true if it is
 * Aerie's. Set once at boot; none: every other INTID is just ended */
void vgic_set_hyp_irq_handler(bool (*fn)(u32 intid));
/* something the guest changed may make a queued interrupt deliverable */
void vgic_mark_dirty(struct guest *g);
/* may gv take intid now (enabled by the guest)? called with the lock held */
bool vgic_enabled_locked(const struct guest_vcpu *gv, u32 intid);

/* ---- SGIs between a guest's own vCPUs (vmm/vgic_sgi.c) ---- */
/* the trapped SGI generation registers (ICC_SGI1R_EL1's layout) */
enum vgic_sgi_reg { VGIC_SGI1R, VGIC_ASGI1R, VGIC_SGI0R };
/* the vCPUs (bit i: vCPU i, MPIDR Aff0 = i, Aff1..3 = 0) an ICC_SGI1R_EL1
 * value written by vCPU self of a guest with nvcpus vCPUs names */
u32 vgic_sgi_targets(u64 val, unsigned int self, unsigned int nvcpus);
/* gv wrote val to reg: inject the SGI into every vCPU it names */
void vgic_sgi_write(struct guest_vcpu *gv, enum vgic_sgi_reg reg, u64 val);

/* ---- emulated distributor and redistributors (vmm/vgic_dist.c) ---- */
struct vmmio_access;
bool vgic_mmio_access(struct guest *g, unsigned int vcpu, struct vmmio_access *a);

#endif
