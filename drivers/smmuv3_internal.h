/* SPDX-License-Identifier: MIT */
/* The SMMUv3 driver's private state, shared by its files. */
#ifndef AERIE_SMMUV3_INTERNAL_H
#define AERIE_SMMUV3_INTERNAL_H

#include <aerie/smmu.h>
#include <aerie/spinlock.h>
#include <aerie/smmuv3_regs.h>

#define SMMU_VMID_MAX_BITS 16
#define SMMU_CMDQ_MAX_LOG2 8	/* Aerie's command queue: at most 256 entries */
#define SMMU_BATCH_POS_MAX 0xfffe

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
	/* the batch under way (smmuv3_cmdq.c): every queued command is the
	 * lock holder's; each slot keeps its command's position in the batch */
	u16 cmd_pos[1U << SMMU_CMDQ_MAX_LOG2];
	u32 batch_len;		/* commands queued in this batch */
	u32 batch_bad;		/* position of the first refused one (> POS_MAX: none) */
	u32 batch_last_bad;	/* batch_bad of the batch smmu_sync_locked just ended */
	u32 batch_err_code;	/* its CMDQ_CONS.ERR */
	bool batch_quiet;	/* refusals are the caller's to report: not logged */

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
/* end the batch with a CMD_SYNC and wait: 0, -EIO (a command of this batch
 * was refused and skipped; s->batch_last_bad says which), -ETIMEDOUT */
int smmu_sync_locked(struct smmu *s);
void smmu_cmdq_init_batch(struct smmu *s);
void smmu_cmd_cfgi_ste(u64 cmd[2], u32 sid);
void smmu_cmd_build(u64 cmd[2], u8 opcode);

/* smmuv3_ste.c */
int smmu_strtab_init(struct smmu *s);
void smmu_strtab_free(struct smmu *s);

/* smmuv3.c */
void smmu_handle_gerror(struct smmu *s);

#endif
