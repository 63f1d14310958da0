/* SPDX-License-Identifier: MIT */
/*
 * The command queue: commands are written into the queue and published with
 * one CMDQ_PROD write per batch; smmu_sync() adds a CMD_SYNC (CS = none) and
 * polls CMDQ_CONS until the SMMU has consumed it, i.e. completed everything
 * before it.
 */
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/mmio.h>
#include "smmuv3_internal.h"

#define SYNC_POLL_LIMIT 100000000

void smmu_cmd_build(u64 cmd[2], u8 opcode)
{
	cmd[0] = FIELD_PREP(CMD_OPCODE, opcode);
	cmd[1] = 0;
}

void smmu_cmd_cfgi_ste(u64 cmd[2], u32 sid)
{
	smmu_cmd_build(cmd, CMD_CFGI_STE);
	cmd[0] |= FIELD_PREP(CMD0_SID, sid);
	cmd[1] = CMD1_LEAF;
}

static u32 read_cons(struct smmu *s)
{
	return mmio_read32(s->base + SMMU_CMDQ_CONS);
}

static void publish(struct smmu *s)
{
	dma_wmb(); /* the entries before the doorbell */
	mmio_write32(s->base + SMMU_CMDQ_PROD, s->cmdq.prod);
	s->pending = 0;
}

/* a command the SMMU refused: log it, replace it with a harmless CMD_SYNC
 * and acknowledge the error so the queue moves on */
static int handle_cmdq_error(struct smmu *s, u32 cons)
{
	struct smmu_queue *q = &s->cmdq;
	u64 *bad = q->base + q_idx(q, cons) * 2;
	u32 code = FIELD_GET(CMDQ_CONS_ERR, cons);
	u32 gerror = mmio_read32(s->base + SMMU_GERROR);
	u32 gerrorn = mmio_read32(s->base + SMMU_GERRORN);

	if (!((gerror ^ gerrorn) & GERROR_CMDQ_ERR))
		return 0;
	pr_err("smmu: command 0x%02llx refused (%s): 0x%016llx 0x%016llx\n",
	       (unsigned long long)FIELD_GET(CMD_OPCODE, bad[0]),
	       code == CMDQ_ERR_ILL ? "illegal command" :
	       code == CMDQ_ERR_ABT ? "abort on command fetch" :
	       code == CMDQ_ERR_ATC_INV_SYNC ? "ATC invalidation timeout" : "error",
	       (unsigned long long)bad[0], (unsigned long long)bad[1]);
	bad[0] = FIELD_PREP(CMD_OPCODE, CMD_SYNC);
	bad[1] = 0;
	dma_wmb();
	mmio_write32(s->base + SMMU_GERRORN, gerrorn ^ GERROR_CMDQ_ERR);
	return -EIO;
}

/* wait until at least `need` entries are free */
static int wait_space(struct smmu *s, u32 need)
{
	struct smmu_queue *q = &s->cmdq;
	u32 size = 1U << q->log2;

	for (int i = 0; i < SYNC_POLL_LIMIT; i++) {
		q->cons = read_cons(s) & ((2U << q->log2) - 1);
		if (size - q_used(q) >= need)
			return 0;
		cpu_relax();
	}
	pr_err("smmu: command queue stuck (prod 0x%x cons 0x%x)\n", q->prod, q->cons);
	return -ETIMEDOUT;
}

int smmu_cmd_queue_locked(struct smmu *s, const u64 cmd[2])
{
	struct smmu_queue *q = &s->cmdq;
	u64 *slot;

	/* keep room for the CMD_SYNC that will end the batch */
	if ((1U << q->log2) - q_used(q) < 2) {
		int err;

		publish(s);
		err = wait_space(s, 2);
		if (err)
			return err;
	}
	slot = q->base + q_idx(q, q->prod) * 2;
	slot[0] = cmd[0];
	slot[1] = cmd[1];
	q->prod = q_inc(q, q->prod);
	s->pending++;
	s->stats.cmds[FIELD_GET(CMD_OPCODE, cmd[0])]++;
	return 0;
}

int smmu_sync_locked(struct smmu *s)
{
	struct smmu_queue *q = &s->cmdq;
	u64 cmd[2];
	int err = 0;

	smmu_cmd_build(cmd, CMD_SYNC);
	cmd[0] |= FIELD_PREP(CMD0_SYNC_CS, SYNC_CS_NONE);
	err = smmu_cmd_queue_locked(s, cmd);
	if (err)
		return err;
	s->stats.syncs++;
	publish(s);
	for (int i = 0; i < SYNC_POLL_LIMIT; i++) {
		u32 cons = read_cons(s);

		if (FIELD_GET(CMDQ_CONS_ERR, cons) != CMDQ_ERR_NONE ||
		    ((mmio_read32(s->base + SMMU_GERROR) ^
		      mmio_read32(s->base + SMMU_GERRORN)) & GERROR_CMDQ_ERR))
			err = handle_cmdq_error(s, cons) ?: err;
		q->cons = cons & ((2U << q->log2) - 1);
		if (q->cons == q->prod)
			return err;
		cpu_relax();
	}
	pr_err("smmu: CMD_SYNC timed out (prod 0x%x cons 0x%x)\n", q->prod, q->cons);
	return -ETIMEDOUT;
}

int smmu_cmd_queue(struct smmu *s, const u64 cmd[2])
{
	int err;

	spin_lock(&s->lock);
	err = smmu_cmd_queue_locked(s, cmd);
	spin_unlock(&s->lock);
	return err;
}

int smmu_cmd_queue_n(struct smmu *s, const u64 (*cmds)[2], unsigned int n, unsigned int *done)
{
	int err = 0;

	*done = 0;
	spin_lock(&s->lock);
	for (unsigned int i = 0; i < n && !err; i++) {
		err = smmu_cmd_queue_locked(s, cmds[i]);
		if (!err)
			(*done)++;
	}
	spin_unlock(&s->lock);
	return err;
}

int smmu_sync(struct smmu *s)
{
	int err;

	spin_lock(&s->lock);
	err = smmu_sync_locked(s);
	spin_unlock(&s->lock);
	return err;
}
