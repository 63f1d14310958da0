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
 */
#ifndef AERIE_SMMU_MODEL_H
#define AERIE_SMMU_MODEL_H

#include <aerie/types.h>

struct smmu_model_cfg {
	bool s1, s2, ril, vmid16, st_2lvl, coherent;
	unsigned int sid_bits, ssid_bits, oas, cmdq_log2, evtq_log2;
};

/* a config for a QEMU-like SMMU: S1+S2, RIL, 2-level, 16-bit SIDs */
struct smmu_model_cfg smmu_model_default_cfg(void);

struct smmu_model;
struct smmu_model *smmu_model_create(paddr_t mmio_base, const struct smmu_model_cfg *cfg);
void smmu_model_destroy(struct smmu_model *m);

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
};
void smmu_model_get_stats(const struct smmu_model *m, struct smmu_model_stats *out);
void smmu_model_reset_stats(struct smmu_model *m);

/* Every STE the SMMU re-read for `sid` because of a CFGI_STE, in order
 * (tests check that a live update never shows V=0 or a mixed entry). */
void smmu_model_watch_sid(struct smmu_model *m, u32 sid);
unsigned int smmu_model_observed(const struct smmu_model *m, u64 (**stes)[8]);

/* drop every cached STE/CD/translation (a test's "cold" start) */
void smmu_model_flush_caches(struct smmu_model *m);

#endif
