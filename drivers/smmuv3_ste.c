/* SPDX-License-Identifier: MIT */
/*
 * The stream table and stream table entries.
 *
 * Every stream starts as Config=abort (V=1): never bypass. A 2-level table
 * (8-bit split, level-2 spans allocated on first use and filled with abort
 * entries before they are linked) is used when the SMMU offers it and the
 * StreamID space is larger than a linear table should be.
 *
 * Updates of a live entry never go through V=0 or a torn entry:
 *  - nothing live (the entry is abort): qwords 1..7, then qword 0, then one
 *    CFGI_STE + CMD_SYNC;
 *  - to abort: qword 0 only (one 64-bit store), one round;
 *  - live to live: (1) set the bits the current config does not use to the
 *    target's, round; (2) if at most one qword still differs in bits the target uses,
 *    store it, round; (3) store the rest, round: at most 3 rounds. If two or
 *    more qwords in use must change together (a new stage-2 table *and*
 *    VMID), the entry goes through Config=abort instead: valid, safe, and
 *    it only drops that stream's transactions for the moment of the switch.
 *
 * A failed round is never left half done: smmu_ste_install() returns the
 * error only after the old entry is back and synced (see ste_rollback).
 */
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/mmio.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/string.h>
#include "smmuv3_internal.h"

#define LINEAR_MAX_SID_BITS 10	/* up to 64 KiB of linear table */
#define L2_ENTRIES (1U << STRTAB_SPLIT)
#define L2_ORDER 2		/* 256 STEs x 64 bytes = 16 KiB */
#define STE_ROLLBACK_TRIES 3

static void ste_make_abort(u64 *ste)
{
	ste[0] = STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_ABORT);
	for (int i = 1; i < STE_QWORDS; i++)
		ste[i] = 0;
}

static unsigned int order_for(u64 bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

int smmu_strtab_init(struct smmu *s)
{
	u64 cfg;

	s->sid_bits = s->f.sid_bits;
	s->st_2lvl = s->f.st_2lvl && s->sid_bits > LINEAR_MAX_SID_BITS;
	if (!s->st_2lvl && s->sid_bits > 16) {
		pr_err("smmu: %u-bit StreamIDs need a 2-level stream table\n", s->sid_bits);
		return -ENODEV;
	}
	if (s->st_2lvl) {
		s->l1_count = 1U << (s->sid_bits > STRTAB_SPLIT ? s->sid_bits - STRTAB_SPLIT : 0);
		s->strtab = pages_alloc(order_for(8ULL * s->l1_count));
		s->l2 = pages_alloc(order_for(sizeof(u64 *) * s->l1_count));
		if (!s->strtab || !s->l2)
			return -ENOMEM;
		/* level-1 descriptors with SPAN = 0: no level-2 table, aborted */
		cfg = FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_2LVL) |
		      FIELD_PREP(STRTAB_CFG_SPLIT, STRTAB_SPLIT) |
		      FIELD_PREP(STRTAB_CFG_LOG2SIZE, s->sid_bits);
	} else {
		u64 n = 1ULL << s->sid_bits;

		s->strtab = pages_alloc(order_for(n * STE_SIZE));
		if (!s->strtab)
			return -ENOMEM;
		for (u64 i = 0; i < n; i++)
			ste_make_abort(s->strtab + i * STE_QWORDS);
		cfg = FIELD_PREP(STRTAB_CFG_FMT, STRTAB_CFG_FMT_LINEAR) |
		      FIELD_PREP(STRTAB_CFG_LOG2SIZE, s->sid_bits);
	}
	dma_wmb();
	mmio_write64(s->base + SMMU_STRTAB_BASE,
		     STRTAB_BASE_RA | (virt_to_phys(s->strtab) & STRTAB_BASE_ADDR));
	mmio_write32(s->base + SMMU_STRTAB_BASE_CFG, (u32)cfg);
	return 0;
}

void smmu_strtab_free(struct smmu *s)
{
	if (s->st_2lvl) {
		if (s->l2) {
			for (u32 i = 0; i < s->l1_count; i++)
				if (s->l2[i])
					pages_free(s->l2[i], L2_ORDER);
			pages_free(s->l2, order_for(sizeof(u64 *) * s->l1_count));
		}
		if (s->strtab)
			pages_free(s->strtab, order_for(8ULL * s->l1_count));
	} else if (s->strtab) {
		pages_free(s->strtab, order_for((1ULL << s->sid_bits) * STE_SIZE));
	}
	s->strtab = NULL;
	s->l2 = NULL;
}

/* the STE of `sid`, allocating its level-2 span if `alloc` */
static u64 *ste_ptr(struct smmu *s, u32 sid, bool alloc)
{
	u32 l1;
	u64 *l2;

	if (s->sid_bits < 32 && sid >> s->sid_bits)
		return NULL;
	if (!s->st_2lvl)
		return s->strtab + (u64)sid * STE_QWORDS;
	l1 = sid >> STRTAB_SPLIT;
	if (!s->l2[l1]) {
		if (!alloc)
			return NULL;
		l2 = pages_alloc(L2_ORDER);
		if (!l2)
			return NULL;
		for (u32 i = 0; i < L2_ENTRIES; i++)
			ste_make_abort(l2 + i * STE_QWORDS);
		dma_wmb();
		s->l2[l1] = l2;
		s->strtab[l1] = FIELD_PREP(STRTAB_L1_SPAN, STRTAB_SPLIT + 1) |
				(virt_to_phys(l2) & STRTAB_L1_L2PTR);
		/* the entry's first round will be a non-leaf CFGI_STE, which
		 * also makes the SMMU re-read this level-1 descriptor */
		s->cfgi_nonleaf = true;
	}
	return s->l2[l1] + (u64)(sid & (L2_ENTRIES - 1)) * STE_QWORDS;
}

static int ste_build(const struct smmu *s, const struct smmu_ste_cfg *c, u64 *ste)
{
	struct pgtable_s2cfg s2;

	for (int i = 0; i < STE_QWORDS; i++)
		ste[i] = 0;
	if (c->kind == SMMU_STE_ABORT) {
		ste_make_abort(ste);
		return 0;
	}
	if (!c->s2 || !c->s2->root || !c->vmid || (!s->f.vmid16 && c->vmid > 0xff))
		return -EINVAL;
	pgtable_s2cfg(c->s2, &s2);
	ste[0] = STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_S2);
	ste[1] = STE1_MEV | FIELD_PREP(STE1_STRW, STE_STRW_NSEL1);
	ste[2] = FIELD_PREP(STE2_S2VMID, c->vmid) | FIELD_PREP(STE2_S2T0SZ, s2.t0sz) |
		 FIELD_PREP(STE2_S2SL0, s2.sl0) | FIELD_PREP(STE2_S2IR0, s2.irgn) |
		 FIELD_PREP(STE2_S2OR0, s2.orgn) | FIELD_PREP(STE2_S2SH0, s2.sh) |
		 FIELD_PREP(STE2_S2TG, s2.tg) | FIELD_PREP(STE2_S2PS, s2.ps) | STE2_S2AA64 |
		 STE2_S2PTW | STE2_S2R;
	ste[3] = c->s2->root & STE3_S2TTB;
	if (c->kind == SMMU_STE_NESTED) {
		if (!s->f.nesting || (c->s1_ctx_ptr & ~STE0_S1CTXPTR))
			return -EINVAL;
		ste[0] = STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_NESTED) |
			 FIELD_PREP(STE0_S1FMT, c->s1_fmt) | (c->s1_ctx_ptr & STE0_S1CTXPTR) |
			 FIELD_PREP(STE0_S1CDMAX, c->s1_cdmax);
		ste[1] |= FIELD_PREP(STE1_S1DSS, c->s1dss) | FIELD_PREP(STE1_S1CIR, c->s1cir) |
			  FIELD_PREP(STE1_S1COR, c->s1cor) | FIELD_PREP(STE1_S1CSH, c->s1csh) |
			  (c->s1stalld ? STE1_S1STALLD : 0) |
			  (c->ats && s->f.ats ? FIELD_PREP(STE1_EATS, STE_EATS_TRANS) : 0);
	} else if (c->kind != SMMU_STE_S2) {
		return -EINVAL;
	}
	return 0;
}

/* the bits the SMMU uses for the configuration held in `ste` */
static void ste_used(const u64 *ste, u64 *used)
{
	u32 cfg = FIELD_GET(STE0_CFG, ste[0]);

	for (int i = 0; i < STE_QWORDS; i++)
		used[i] = 0;
	used[0] = STE0_V;
	if (!(ste[0] & STE0_V))
		return;
	used[0] |= STE0_CFG;
	if (cfg == STE_CFG_S2 || cfg == STE_CFG_NESTED) {
		used[1] = STE1_EATS | STE1_STRW | STE1_SHCFG | STE1_MEV | STE1_S2FWB;
		used[2] = STE2_S2VMID | STE2_S2T0SZ | STE2_S2SL0 | STE2_S2IR0 | STE2_S2OR0 |
			  STE2_S2SH0 | STE2_S2TG | STE2_S2PS | STE2_S2AA64 | STE2_S2ENDI |
			  STE2_S2AFFD | STE2_S2PTW | STE2_S2S | STE2_S2R;
		used[3] = STE3_S2TTB;
	}
	if (cfg == STE_CFG_NESTED || cfg == STE_CFG_S1) {
		used[0] |= STE0_S1FMT | STE0_S1CTXPTR | STE0_S1CDMAX;
		used[1] |= STE1_S1DSS | STE1_S1CIR | STE1_S1COR | STE1_S1CSH | STE1_S1STALLD;
	}
}

static bool ste_is_abort(const u64 *ste)
{
	return !(ste[0] & STE0_V) || FIELD_GET(STE0_CFG, ste[0]) == STE_CFG_ABORT;
}

static void store(u64 *slot, u64 v)
{
	*(volatile u64 *)slot = v;
	dma_store64_observe(slot, v);
}

/* make every write so far visible and have the SMMU re-read the entry */
static int round_trip(struct smmu *s, u32 sid)
{
	u64 cmd[2];
	int err, serr;

	dma_wmb();
	smmu_cmd_cfgi_ste(cmd, sid);
	if (s->cfgi_nonleaf) {
		cmd[1] &= ~CMD1_LEAF;
		s->cfgi_nonleaf = false;
	}
	err = smmu_cmd_queue_locked(s, cmd);
	s->stats.ste_rounds++;
	serr = smmu_sync_locked(s);
	return err ?: serr;
}

static int ste_write(struct smmu *s, u32 sid, u64 *cur, const u64 *tgt)
{
	u64 used_cur[STE_QWORDS], used_tgt[STE_QWORDS], step[STE_QWORDS];
	int critical = -1, ncritical = 0, err;
	bool changed = false;

	if (ste_is_abort(cur)) {
		/* nothing live to preserve: one round */
		for (int i = 1; i < STE_QWORDS; i++)
			if (cur[i] != tgt[i])
				store(&cur[i], tgt[i]);
		dma_wmb();
		store(&cur[0], tgt[0]);
		return round_trip(s, sid);
	}
	if (ste_is_abort(tgt)) {
		store(&cur[0], tgt[0]); /* V=1, Config=abort in one store */
		err = round_trip(s, sid);
		for (int i = 1; i < STE_QWORDS; i++)
			store(&cur[i], 0); /* unused under abort: no further round */
		return err;
	}
	ste_used(cur, used_cur);
	ste_used(tgt, used_tgt);
	for (int i = 0; i < STE_QWORDS; i++) {
		step[i] = (cur[i] & used_cur[i]) | (tgt[i] & ~used_cur[i]);
		if ((step[i] ^ tgt[i]) & used_tgt[i]) {
			critical = i;
			ncritical++;
		}
	}
	if (ncritical > 1) {
		/* not hitless: through a valid abort entry */
		u64 abort[STE_QWORDS];

		ste_make_abort(abort);
		store(&cur[0], abort[0]);
		err = round_trip(s, sid);
		if (err)
			return err;
		return ste_write(s, sid, cur, tgt);
	}
	for (int i = 0; i < STE_QWORDS; i++) {
		if (step[i] != cur[i]) {
			store(&cur[i], step[i]);
			changed = true;
		}
	}
	if (changed) {
		err = round_trip(s, sid);
		if (err)
			return err;
	}
	if (critical >= 0) {
		store(&cur[critical], tgt[critical]);
		err = round_trip(s, sid);
		if (err)
			return err;
	}
	changed = false;
	for (int i = 0; i < STE_QWORDS; i++) {
		if (cur[i] != tgt[i]) {
			store(&cur[i], tgt[i]);
			changed = true;
		}
	}
	return changed ? round_trip(s, sid) : 0;
}

/*
 * A round failed (a CFGI_STE or CMD_SYNC of ours refused, or the SMMU did
 * not answer): the entry may be anywhere between old and new, and the SMMU
 * may already use what was written. Put the old entry back the same hitless
 * way and sync, so the hardware sees what the caller's state says. If even
 * that cannot be synced, leave the entry at abort: the device then does less
 * than the caller's state allows, never more.
 */
static void ste_rollback(struct smmu *s, u32 sid, u64 *cur, const u64 *old)
{
	for (int i = 0; i < STE_ROLLBACK_TRIES; i++)
		if (!ste_write(s, sid, cur, old))
			return;
	pr_err("smmu: StreamID 0x%x: its entry could not be restored; left at abort\n", sid);
	store(&cur[0], STE0_V | FIELD_PREP(STE0_CFG, STE_CFG_ABORT));
	round_trip(s, sid);
}

int smmu_ste_install(struct smmu *s, u32 sid, const struct smmu_ste_cfg *cfg)
{
	u64 tgt[STE_QWORDS], old[STE_QWORDS];
	u64 *ste;
	int err;

	err = ste_build(s, cfg, tgt);
	if (err)
		return err;
	spin_lock(&s->lock);
	if (s->sid_bits < 32 && sid >> s->sid_bits) {
		err = -EINVAL;
	} else {
		ste = ste_ptr(s, sid, true);
		err = -ENOMEM;
		if (ste) {
			memcpy(old, ste, STE_SIZE);
			err = ste_write(s, sid, ste, tgt);
			if (err)
				ste_rollback(s, sid, ste, old);
		}
	}
	spin_unlock(&s->lock);
	return err;
}

int smmu_ste_read(struct smmu *s, u32 sid, u64 out[8])
{
	const u64 *ste;

	if (s->sid_bits < 32 && sid >> s->sid_bits)
		return -EINVAL;
	ste = ste_ptr(s, sid, false);
	if (!ste)
		ste_make_abort(out); /* no level-2 span: aborted */
	else
		memcpy(out, ste, STE_SIZE);
	return 0;
}
