/* SPDX-License-Identifier: MIT */
/* The virtual SMMUv3's state and register layout, shared by vmm/vsmmu*.c. */
#ifndef AERIE_VSMMU_INTERNAL_H
#define AERIE_VSMMU_INTERNAL_H

#include <aerie/bits.h>
#include <aerie/smmuv3_regs.h>
#include <aerie/spinlock.h>
#include <aerie/vsmmu.h>
#include <uapi/aerie/iommu.h>

/* registers (IHI 0070, 6.3): page 0, then page 1's event queue pointers */

/* ID register fields */
#define IDR0_TTF_AARCH64	2
#define IDR0_TTENDIAN_LE	2
#define IDR0_STALL_NONE		1
#define IDR5_GRAN		GENMASK(6, 4)

#define CR0_EMULATED		(CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN)
#define GBPA_FIELDS		(GBPA_ABORT | GENMASK(17, 16) | GENMASK(13, 8) | GENMASK(7, 0))
#define IRQ_CTRL_EMULATED	(IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVTQ_IRQEN)
#define STRTAB_CFG_FIELDS	(STRTAB_CFG_LOG2SIZE | STRTAB_CFG_SPLIT | STRTAB_CFG_FMT)
#define Q_BASE_RWA		BIT(62)
#define Q_BASE_FIELDS		(Q_BASE_ADDR | Q_BASE_LOG2SIZE | Q_BASE_RWA)
#define CERROR_NONE		0
#define CERROR_ILL		1
#define CERROR_ABT		2
#define EVTQ_PROD_OVFLG		BIT(31)
#define EVTQ_CONS_OVACKFLG	BIT(31)
#define IRQ_CFG0_ADDR		GENMASK(51, 2)

/* stream table entries: the two words the vSMMU reads */

/* what the vSMMU offers (docs/vsmmu.md) */
#define VSMMU_SID_BITS		8	/* bus 0: vSID = devfn */
#define VSMMU_CMDQ_LOG2		8	/* 256 commands (Linux needs > 64) */
#define VSMMU_EVTQ_LOG2		7	/* 128 events: the cap on pending events */
#define VSMMU_CMD_BUDGET	64	/* commands consumed per trapped access */
#define VSMMU_BATCH		VSMMU_CMD_BUDGET	/* so one access is one batch */
_Static_assert(VSMMU_BATCH <= AERIE_INVALIDATE_BUDGET, "one HWPT_INVALIDATE per access");
#define VSMMU_MAX_DEVS		4

struct vsmmu_dev {
	u32 dev_id, vsid;
	u32 hwpt;		/* attached now: abort, bypass or `nested` */
	u32 nested;		/* its own nested HWPT (0: none) */
	u64 ste[2];		/* the masked guest STE `nested` was made from */
};

struct vsmmu {
	struct vsmmu_params p;
	spinlock_t lock;	/* registers, command queue, streams; taken before the
				 * context's lock (the core is called with it held) */
	spinlock_t evt_lock;	/* the event queue: a leaf, taken inside the
				 * context's lock by the event sink */
	u32 idr[6], iidr;
	u32 cr0, cr1, cr2, gbpa, irq_ctrl, gerror, gerrorn, strtab_cfg;
	u64 strtab_base, cmdq_base, gerror_irq_cfg0, evtq_irq_cfg0;
	u32 cmdq_prod, cmdq_cons, cmdq_err;
	/* the event queue (evt_lock) */
	u64 evtq_base;
	u32 evtq_prod, evtq_cons;
	bool evtq_on, evtq_irqen;
	u64 evt_dropped;
	/* the core's objects */
	u32 ioas, parent, viommu, abort_hwpt, bypass_hwpt;
	struct vsmmu_dev dev[VSMMU_MAX_DEVS];
	unsigned int ndev;
	/* invalidations of the access being handled: one core batch */
	u64 batch[VSMMU_BATCH][2];
	u32 batch_at[VSMMU_BATCH];	/* their queue positions */
	unsigned int nbatch;
	u32 irqs;		/* interrupts to raise once the lock is dropped */
};

#define VSMMU_IRQ_GERROR	BIT(0)

/* vsmmu.c: the command queue reports an error (GERROR.CMDQ_ERR, its SPI) */
void vsmmu_gerror_cmdq(struct vsmmu *v);
/* vsmmu_cmdq.c: consume what the guest queued (on PROD writes, CONS reads
 * and the GERRORN acknowledgement); bounded by VSMMU_CMD_BUDGET */
void vsmmu_cmdq_run(struct vsmmu *v);
/* vsmmu_ste.c */
int vsmmu_objects_create(struct vsmmu *v);
/* re-evaluate the stream(s) of vSIDs [first, first + n) (n = 0: all) from
 * the guest's stream table, or GBPA while SMMUEN = 0 */
void vsmmu_ste_sync(struct vsmmu *v, u32 first, u64 n);
/* vsmmu_evtq.c */
void vsmmu_evtq_sink(void *arg, const u64 evt[4]);
void vsmmu_evtq_record(struct vsmmu *v, const u64 evt[4]);
u64 vsmmu_evtq_read(struct vsmmu *v, u64 off);
void vsmmu_evtq_write(struct vsmmu *v, u64 off, u64 val, unsigned int size);
void vsmmu_evtq_enable(struct vsmmu *v, bool on, bool irqen);

#endif
