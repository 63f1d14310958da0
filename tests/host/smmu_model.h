/* SPDX-License-Identifier: MIT */
/*
 * A software SMMUv3 for host tests: registers behind an MMIO window, the
 * stream table (linear and 2-level), STEs (abort, bypass, S1, S2, nested),
 * context descriptors, stage-1 and stage-2 table walks (4K granule), the
 * command queue and the event queue, all read from and written to the
 * simulated physical memory like hardware. It caches STEs, CDs and
 * translations, so a missing CFGI/TLBI leaves a stale translation behind,
 * exactly what tests must be able to catch. Field layouts are written here
 * from the SMMUv3 specification, independently of the driver.
 *
 * Commands are strict: each one is checked field by field against its
 * opcode's defined fields (smmu_model_cmd.h); a reserved bit, SSec = 1, an
 * unknown or unsupported opcode or a bad field value stops the queue with
 * CMDQ_CONS.ERR = CERROR_ILL, CONS at the faulting entry and GERROR.CMDQ_ERR
 * toggled, until GERRORN acknowledges it.
 */
#ifndef AERIE_SMMU_MODEL_H
#define AERIE_SMMU_MODEL_H

#include <aerie/types.h>

struct smmu_model_cfg {
	bool s1, s2, ril, vmid16, asid16, st_2lvl, coherent;
	bool hyp;		/* IDR0.Hyp: TLBI_EL2_* are legal */
	bool ats;		/* IDR0.ATS: ATC_INV is legal */
	unsigned int sid_bits, ssid_bits, oas, cmdq_log2, evtq_log2;
	u32 tolerate;		/* SMMU_MODEL_TOL_*: refusals switched off */
};

/*
 * Rules the model can be told to let through (each bit names one; they were
 * bugs of Aerie's driver, both fixed, so SMMU_MODEL_TOL_KNOWN, the default,
 * is empty; a future known bug gets a bit here until its fix).
 *  - EL2_NO_HYP: TLBI_EL2_ALL is accepted (as a no-op) although IDR0.Hyp = 0;
 *    the spec makes it CERROR_ILL (smmu_probe sends it unconditionally).
 *  - RANGE_ZERO: TLBI_S2_IPA (only: guests cannot send it) with TG != 0 and
 *    NUM = SCALE = TTL = 0 (a reserved combination, CERROR_ILL) is accepted
 *    as a one-granule invalidation (smmu_inv_s2_range sends it for every
 *    chunk of exactly one page).
 */
#define SMMU_MODEL_TOL_EL2_NO_HYP	(1U << 0)
#define SMMU_MODEL_TOL_RANGE_ZERO	(1U << 1)
#define SMMU_MODEL_TOL_KNOWN		0	/* both fixed: kept for tests of the rules */

/* a config for a QEMU-like SMMU: S1+S2, RIL, 2-level, 16-bit SIDs, 16-bit
 * ASIDs and VMIDs, no Hyp, no ATS, no PRI, no stall model */
struct smmu_model_cfg smmu_model_default_cfg(void);

struct smmu_model;
struct smmu_model *smmu_model_create(paddr_t mmio_base, const struct smmu_model_cfg *cfg);
void smmu_model_destroy(struct smmu_model *m);
/* switch refusals off or on again after creation (e.g. once probe is done) */
void smmu_model_set_tolerate(struct smmu_model *m, u32 tolerate);

#define SMMU_MODEL_MMIO_SIZE 0x20000

/*
 * Translate one access as hardware would, through the caches. 0 and the PA,
 * or -EFAULT after recording the event the SMMU would (if any).
 */
int smmu_model_translate(struct smmu_model *m, u32 sid, u64 iova, bool write, paddr_t *pa);
/* device DMA: every page is translated first; on a fault nothing is
 * transferred and -EFAULT is returned (the event is in the queue) */
int smmu_model_dma_write(struct smmu_model *m, u32 sid, u64 iova, const void *buf, size_t len);
int smmu_model_dma_read(struct smmu_model *m, u32 sid, u64 iova, void *buf, size_t len);

struct smmu_model_stats {
	u64 cmds[256];		/* by opcode, as consumed */
	u64 syncs;
	u64 events;
	u64 events_lost;
	u64 ste_fetches, cd_fetches;
	u64 tlb_hits, tlb_misses;
	u64 cmd_errors;
	u64 tlbi_leaf, tlbi_nonleaf;	/* TLBI_S2_IPA by Leaf */
	u64 walk_hits;			/* stage-2 walks started from the walk cache */
};
void smmu_model_get_stats(const struct smmu_model *m, struct smmu_model_stats *out);
void smmu_model_reset_stats(struct smmu_model *m);

/* Every STE the SMMU re-read for `sid` because of a CFGI_STE, in order
 * (tests check that a live update never shows V=0 or a mixed entry). */
void smmu_model_watch_sid(struct smmu_model *m, u32 sid);
unsigned int smmu_model_observed(const struct smmu_model *m, u64 (**stes)[8]);

/*
 * Every single store the driver makes into `sid`'s STE (reported by the
 * SMMUv3 driver's store helper through <aerie/mmio.h>'s host hook): the
 * entry as a walker would read it right after that store, in order. One
 * model watches at a time; SMMU_MODEL_MAX_STORES are kept.
 */
#define SMMU_MODEL_MAX_STORES 256
void smmu_model_watch_ste_stores(struct smmu_model *m, u32 sid);
unsigned int smmu_model_ste_stores(const struct smmu_model *m, u64 (**stes)[8]);

/* drop every cached STE/CD/translation/walk (a test's "cold" start) */
void smmu_model_flush_caches(struct smmu_model *m);

/* ---- commands --------------------------------------------------------------------- */

/* CMDQ_CONS.ERR codes */
#define SMMU_MODEL_CERROR_ILL		1
#define SMMU_MODEL_CERROR_ABT		2
#define SMMU_MODEL_CERROR_ATC_INV_SYNC	3

/*
 * Error injection: the nth command consumed from now on (1 = the next one)
 * is refused with CMDQ_CONS.ERR = err exactly as a real refusal (the queue
 * stops at it until GERRORN acknowledges); nth = 0 cancels. One shot.
 */
void smmu_model_fail_cmd(struct smmu_model *m, u64 nth, u32 err);
/* every command with opcode `op` is refused with `err` until err = 0 */
void smmu_model_fail_opcode(struct smmu_model *m, u8 op, u32 err);
/* commands consumed (executed: CONS moved past them) since creation;
 * refused ones are not counted */
u64 smmu_model_cmds_consumed(const struct smmu_model *m);

/*
 * The last SMMU_MODEL_CMD_LOG consumed commands, both words, oldest first
 * (*log points into the model, valid until the next command). Refused
 * commands are not in it; see smmu_model_refused().
 */
#define SMMU_MODEL_CMD_LOG 4096
unsigned int smmu_model_cmd_log(const struct smmu_model *m, const u64 (**log)[2]);
void smmu_model_cmd_log_reset(struct smmu_model *m);
/* the last refused command: its words, the error code and why (a short
 * string naming the rule); false if none was refused since creation */
bool smmu_model_refused(const struct smmu_model *m, u64 cmd[2], u32 *err, const char **why);

#endif
