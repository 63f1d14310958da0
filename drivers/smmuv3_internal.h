/* SPDX-License-Identifier: MIT */
/* The SMMUv3 driver's private state, shared by its files. */
#ifndef AERIE_SMMUV3_INTERNAL_H
#define AERIE_SMMUV3_INTERNAL_H

#include <aerie/smmu.h>
#include <aerie/spinlock.h>
#include "smmuv3_regs.h"

#define SMMU_VMID_MAX_BITS 16

struct smmu_queue {
	u64 *base;		/* entries */
	unsigned int log2;	/* 2^log2 entries */
	unsigned int qwords;	/* qwords per entry */
	u32 prod, cons;		/* index with the wrap bit at bit log2 */
};

struct smmu {
	paddr_t base;
	u64 size;
	struct smmu_features f;
	spinlock_t lock;

	/* stream table */
	u64 *strtab;		/* linear table, or the level-1 descriptors */
	bool st_2lvl;
	unsigned int sid_bits;
	unsigned int l1_count;
	u64 **l2;		/* level-2 tables by level-1 index (2-level only) */
	bool cfgi_nonleaf;	/* next STE round must also refresh the L1 descriptor */

	struct smmu_queue cmdq, evtq;
	bool evtq_busy;		/* a CPU is draining the event queue */
	unsigned int pending;	/* commands written since the last doorbell */

	u64 *vmid_map;		/* bitmap, 1 = in use */
	unsigned int vmid_bits;

	struct smmu_stats stats;
};

static inline u32 q_idx(const struct smmu_queue *q, u32 v)
{
	return v & ((1U << q->log2) - 1);
}

static inline u32 q_wrap(const struct smmu_queue *q, u32 v)
{
	return v & (1U << q->log2);
}

static inline u32 q_inc(const struct smmu_queue *q, u32 v)
{
	return (v + 1) & ((2U << q->log2) - 1);
}

/* number of entries between cons and prod */
static inline u32 q_used(const struct smmu_queue *q)
{
	return (q->prod - q->cons) & ((2U << q->log2) - 1);
}

/* smmuv3_cmdq.c */
int smmu_cmd_queue_locked(struct smmu *s, const u64 cmd[2]);
int smmu_sync_locked(struct smmu *s);
void smmu_cmd_cfgi_ste(u64 cmd[2], u32 sid);
void smmu_cmd_build(u64 cmd[2], u8 opcode);

/* smmuv3_ste.c */
int smmu_strtab_init(struct smmu *s);
void smmu_strtab_free(struct smmu *s);

/* smmuv3.c */
void smmu_handle_gerror(struct smmu *s);

#endif
