/* SPDX-License-Identifier: MIT */
/* The software SMMUv3's state, shared by smmu_model.c (registers, tables,
 * walks, caches) and smmu_model_cmdq.c (the command queue). Private. */
#ifndef AERIE_SMMU_MODEL_PRIV_H
#define AERIE_SMMU_MODEL_PRIV_H

#include <aerie/types.h>
#include "smmu_model.h"

/* bit helpers local to the model */
#define B(n) (1ULL << (n))
#define F(x, hi, lo) (((x) >> (lo)) & ((hi) - (lo) == 63 ? ~0ULL : ((1ULL << ((hi) - (lo) + 1)) - 1)))

/* registers */
enum {
	R_IDR0 = 0x00, R_IDR1 = 0x04, R_IDR2 = 0x08, R_IDR3 = 0x0c, R_IDR4 = 0x10,
	R_IDR5 = 0x14, R_IIDR = 0x18, R_AIDR = 0x1c, R_CR0 = 0x20, R_CR0ACK = 0x24,
	R_CR1 = 0x28, R_CR2 = 0x2c, R_GBPA = 0x44, R_IRQ_CTRL = 0x50, R_IRQ_CTRLACK = 0x54,
	R_GERROR = 0x60, R_GERRORN = 0x64, R_STRTAB_BASE = 0x80, R_STRTAB_BASE_CFG = 0x88,
	R_CMDQ_BASE = 0x90, R_CMDQ_PROD = 0x98, R_CMDQ_CONS = 0x9c, R_EVTQ_BASE = 0xa0,
	R_EVTQ_PROD = 0x100a8, R_EVTQ_CONS = 0x100ac,
};

#define TLB_SIZE 256
#define WALK_CACHE 128
#define STE_CACHE 64
#define MAX_OBSERVED 64

struct tlb_entry {
	bool valid, s1;		/* s1: an entry made by a stage-1 (or nested) walk */
	u16 vmid, asid;
	u32 sid;		/* for bypass/S1-only entries without a VMID */
	u64 page;		/* input address, aligned to size */
	u64 pa;			/* output address, aligned to size */
	u64 size;		/* the leaf's span (stage-2 blocks: 2M, 1G) */
	u8 level;		/* the leaf's walk level, for TTL */
	bool r, w;
};

/* a stage-2 table descriptor read during a walk: at `level`, for the IPAs
 * whose bits above that level's span equal `tag`, the next table is `next`.
 * Tagged by VMID and IPA only, as hardware's walk caches are. */
struct walk_entry {
	bool valid;
	u8 level;
	u16 vmid;
	u64 tag;
	paddr_t next;
};

struct ste_cache_entry {
	bool valid;
	u32 sid;
	u64 ste[8];
	bool cd_valid;
	u64 cd[8];
};

struct smmu_model {
	struct smmu_model_cfg cfg;
	paddr_t base;
	u32 idr[6];
	u32 cr0, cr1, cr2, gbpa, irq_ctrl, gerror, gerrorn;
	u64 strtab_base, cmdq_base, evtq_base;
	u32 strtab_cfg, cmdq_prod, cmdq_cons, evtq_prod, evtq_cons;
	struct ste_cache_entry stec[STE_CACHE];
	struct tlb_entry tlb[TLB_SIZE];
	struct walk_entry walkc[WALK_CACHE];
	unsigned int tlb_next, stec_next, walk_next;
	struct smmu_model_stats st;
	/* commands: consumed count, injection, log (linear, shifted down when
	 * full so that the last SMMU_MODEL_CMD_LOG are contiguous), refusal */
	u64 consumed, fail_nth;
	u32 fail_err;
	u32 fail_op_err;		/* refuse every command of opcode fail_op */
	u8 fail_op;
	unsigned int log_start, log_end;
	u64 log[2 * SMMU_MODEL_CMD_LOG][2];
	bool refused;
	u64 refused_cmd[2];
	u32 refused_err;
	const char *refused_why;
	bool watch;
	u32 watch_sid;
	u64 observed[MAX_OBSERVED][8];
	unsigned int nobserved;
	u32 store_sid;
	u64 stores[SMMU_MODEL_MAX_STORES][8];
	unsigned int nstores;
};

/* smmu_model.c */
bool model_mem_read(paddr_t pa, void *buf, size_t len);
struct ste_cache_entry *model_stec_find(struct smmu_model *m, u32 sid);
void model_stec_inval_sid(struct smmu_model *m, u32 sid);
void model_tlb_inval(struct smmu_model *m, bool (*match)(const struct tlb_entry *, const u64 *),
		     const u64 *cmd);
void model_walk_inval(struct smmu_model *m, bool all, u16 vmid, u64 s, u64 e, int below);
int model_ste_fetch(struct smmu_model *m, u32 sid, u64 ste[8]);
/* smmu_model_cmdq.c */
void model_process_cmdq(struct smmu_model *m);

#endif
