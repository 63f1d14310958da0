/* SPDX-License-Identifier: MIT */
/*
 * The command queue.
 *
 * A batch is a run of commands ending in one CMD_SYNC (CS = none), queued,
 * published and waited for under one hold of the SMMU lock: every command
 * in the queue while the lock is held belongs to the holder's batch, so an
 * error the SMMU reports is charged to the command that caused it and to
 * nobody else. Each slot remembers its command's position in the batch.
 *
 * A refused command (CMDQ_CONS.ERR, GERROR.CMDQ_ERR) stops the queue at that
 * entry. It is replaced with a CMD_SYNC, as Linux's driver does, the error
 * is acknowledged and the queue moves on; the batch learns the position of
 * its first refused command (smmu_sync_locked returns -EIO). The error path
 * runs wherever the queue is waited on (free space and sync completion), and
 * every wait is bounded: SMMU_POLL_LIMIT reads of CMDQ_CONS.
 */
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/mmio.h>
#include "smmuv3_internal.h"

/* a CMD_SYNC completes in microseconds; QEMU consumes on the PROD write */
#define SMMU_POLL_LIMIT 1000000

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

static void publish(struct smmu *s)
{
	dma_wmb(); /* the entries before the doorbell */
	mmio_write32(s->base + SMMU_CMDQ_PROD, s->cmdq.prod);
	s->pending = 0;
}

static const char *cmdq_err_name(u32 code)
{
	return code == CMDQ_ERR_ILL ? "illegal command" :
	       code == CMDQ_ERR_ABT ? "abort on command fetch" :
	       code == CMDQ_ERR_ATC_INV_SYNC ? "ATC invalidation timeout" : "error";
}

/* the queue stopped at `cons`: charge the command there to its batch,
 * replace it with a harmless CMD_SYNC and acknowledge, so the queue moves on */
static void skip_refused(struct smmu *s, u32 cons)
{
	struct smmu_queue *q = &s->cmdq;
	u32 idx = q_idx(q, cons);
	u64 *bad = q->base + idx * 2;
	u32 code = (u32)FIELD_GET(CMDQ_CONS_ERR, cons);
	u32 gerrorn = mmio_read32(s->base + SMMU_GERRORN);

	if (s->batch_bad > s->cmd_pos[idx]) {
		s->batch_bad = s->cmd_pos[idx];
		s->batch_err_code = code;
	}
	s->stats.refused++;
	if (!s->batch_quiet)
		pr_err("smmu: command 0x%02llx refused (%s): 0x%016llx 0x%016llx\n",
		       (unsigned long long)FIELD_GET(CMD_OPCODE, bad[0]), cmdq_err_name(code),
		       (unsigned long long)bad[0], (unsigned long long)bad[1]);
	bad[0] = FIELD_PREP(CMD_OPCODE, CMD_SYNC);
	bad[1] = 0;
	dma_wmb();
	mmio_write32(s->base + SMMU_GERRORN, gerrorn ^ GERROR_CMDQ_ERR);
}

/* read CMDQ_CONS once, handling a stop on an error: Aerie's copy of cons */
static void poll_cons(struct smmu *s)
{
	struct smmu_queue *q = &s->cmdq;
	u32 cons = mmio_read32(s->base + SMMU_CMDQ_CONS);

	/* CONS.ERR says why only while GERROR.CMDQ_ERR is active: it may keep
	 * an old error's code after the queue moved on (QEMU's SMMU does) */
	if (FIELD_GET(CMDQ_CONS_ERR, cons) != CMDQ_ERR_NONE &&
	    ((mmio_read32(s->base + SMMU_GERROR) ^ mmio_read32(s->base + SMMU_GERRORN)) &
	     GERROR_CMDQ_ERR))
		skip_refused(s, cons);
	q->cons = cons & ((2U << q->log2) - 1);
}

/* wait until at least `need` entries are free */
static int wait_space(struct smmu *s, u32 need)
{
	struct smmu_queue *q = &s->cmdq;
	u32 size = 1U << q->log2;

	for (int i = 0; i < SMMU_POLL_LIMIT; i++) {
		poll_cons(s);
		if (size - q_used(q) >= need)
			return 0;
		cpu_relax();
	}
	pr_err("smmu: command queue stuck (prod 0x%x cons 0x%x)\n", q->prod, q->cons);
	return -ETIMEDOUT;
}

/* as many of cmds[*i..n) as the free space takes, written straight into
 * the queue with their batch positions (one slot is always kept for the
 * CMD_SYNC that ends the batch); with no room, publish and wait for some */
static int queue_run(struct smmu *s, const u64 (*cmds)[2], unsigned int *i, unsigned int n)
{
	struct smmu_queue *q = &s->cmdq;
	u32 prod = q->prod, wrap = (2U << q->log2) - 1, mask = (1U << q->log2) - 1;
	u32 room = (1U << q->log2) - q_used(q), k;

	if (room < 2) {
		publish(s);
		return wait_space(s, 2);
	}
	k = MIN(n - *i, room - 1);
	/* locals: the stores below cannot change them */
	u64 (*slots)[2] = (u64 (*)[2])q->base;
	u16 *cmd_pos = s->cmd_pos;
	const u64 (*c)[2] = &cmds[*i];
	u32 pos = s->batch_len, end = prod + k;

	/* prod counts on past the wrap bit here: masked once at the end; a
	 * command moves as one 16-byte value (a load pair, a store pair) */
	for (; prod != end; prod++, c++) {
		typedef unsigned __int128 cmd128 __attribute__((aligned(8), may_alias));
		u32 idx = prod & mask;

		*(cmd128 *)slots[idx] = *(const cmd128 *)c;
		cmd_pos[idx] = (u16)pos;
		pos += pos < SMMU_BATCH_POS_MAX;
	}
	q->prod = prod & wrap;
	s->batch_len += k;
	s->pending += k;
	*i += k;
	return 0;
}

int smmu_cmd_queue_locked(struct smmu *s, const u64 cmd[2])
{
	unsigned int i = 0;
	int err = 0;

	while (!err && !i)
		err = queue_run(s, (const u64 (*)[2])cmd, &i, 1);
	return err;
}

static void batch_reset(struct smmu *s)
{
	s->batch_len = 0;
	s->batch_bad = SMMU_BATCH_POS_MAX + 1;
	s->batch_err_code = CMDQ_ERR_NONE;
	s->batch_quiet = false;
}

int smmu_sync_locked(struct smmu *s)
{
	struct smmu_queue *q = &s->cmdq;
	u64 cmd[2];
	int err;

	smmu_cmd_build(cmd, CMD_SYNC);
	cmd[0] |= FIELD_PREP(CMD0_SYNC_CS, SYNC_CS_NONE);
	err = smmu_cmd_queue_locked(s, cmd);
	if (!err) {
		s->stats.syncs++;
		publish(s);
		err = -ETIMEDOUT;
		for (int i = 0; i < SMMU_POLL_LIMIT; i++) {
			poll_cons(s);
			if (q->cons == q->prod) {
				err = 0;
				break;
			}
			cpu_relax();
		}
		if (err)
			pr_err("smmu: CMD_SYNC timed out (prod 0x%x cons 0x%x)\n", q->prod, q->cons);
	}
	if (!err && s->batch_bad <= SMMU_BATCH_POS_MAX)
		err = -EIO;
	s->batch_last_bad = s->batch_bad;
	batch_reset(s);
	return err;
}

int smmu_cmd_batch(struct smmu *s, const u64 (*cmds)[2], unsigned int n, unsigned int *done)
{
	int err = 0;

	*done = 0;
	if (n > SMMU_BATCH_MAX)
		return -EINVAL;
	spin_lock(&s->lock);
	s->batch_quiet = true; /* the owner gets the error; nothing to log */
	for (unsigned int i = 0; i < n && !err;)
		err = queue_run(s, cmds, &i, n);
	/* what was queued is issued, and ends in one CMD_SYNC */
	if (s->batch_len) {
		unsigned int queued = s->batch_len;
		int serr = smmu_sync_locked(s);

		/* commands before the first refused one have completed */
		*done = serr == -EIO ? MIN(s->batch_last_bad, queued) :
			serr ? 0 : queued;
		if (!err)
			err = serr;
	}
	batch_reset(s);
	spin_unlock(&s->lock);
	return err;
}

void smmu_cmdq_init_batch(struct smmu *s)
{
	batch_reset(s);
}
