/* SPDX-License-Identifier: MIT */
/*
 * Shared state of the IOMMU-core fuzzer (tests/fuzz/fuzz_iommufd.c drives
 * the inputs, tests/fuzz/fuzz_invariants.c checks them). docs/fuzzing.md
 * describes the input format and every invariant.
 */
#ifndef AERIE_FUZZ_H
#define AERIE_FUZZ_H

#include <aerie/iommu_core.h>
#include <aerie/types.h>
#include <aerie/vm_mem.h>
#include "smmu_model.h"

#define FZ_SMMU_BASE	0x09050000ULL
#define FZ_GUEST_IPA	0x80000000ULL
#define FZ_GUEST_SIZE	(4ULL << 20)
#define FZ_NGUESTS	2
#define FZ_NDEVS	2	/* devices per guest (dev_ids 1 and 2) */
#define FZ_NSAMPLES	6	/* IOVAs every device is translated at */

struct fz_guest {
	struct vm_mem mem;
	struct iommu_ctx *ctx;
	paddr_t ram;			/* host-physical base of its RAM */
	u32 psid[FZ_NDEVS];		/* physical StreamIDs of its devices */
	/* what its own hypercalls allocated minus what they freed: the pages
	 * and objects it holds, independently of the core's accounting */
	s64 pages_held, objs_held;
	u64 quota_pages;		/* 0: no limit asked by the input */
};

struct fz_state {
	struct smmu_model *model;
	struct smmu *smmu;
	struct smmu_model_cfg cfg;
	struct fz_guest g[FZ_NGUESTS];
	u64 samples[FZ_NSAMPLES];	/* recent IOVAs mapped by either guest */
	unsigned int nsamples, next_sample;
	/* what the input is doing now, printed with a broken invariant */
	unsigned int step;
	int guest;
	const char *cmd;
	s64 ret;
};

extern struct fz_state fz;

/* the checks (fuzz_invariants.c): each abort()s with a message on a violation */
struct fz_snap {
	u64 objs[FZ_NGUESTS];		/* digest of each guest's objects */
	u64 ste[FZ_NGUESTS][FZ_NDEVS][8];
	u64 pages, objs_in_use;
	u16 vmid_free;			/* lowest free VMID */
};
void fz_snapshot(struct fz_snap *s);
/* after guest `self`'s command (`after` taken then): the other guest saw
 * nothing; and if the command failed (ret != 0), nothing at all changed */
void fz_check_command(const struct fz_snap *before, const struct fz_snap *after, int self,
		      s64 ret);
/* every STE (as in `now`), ownership, translations, the command queue */
void fz_check_state(const struct fz_snap *now);
/* both contexts destroyed: every stream aborted, every page/VMID back */
void fz_check_teardown(u64 pages0, u64 objs0);
__attribute__((noreturn, format(printf, 1, 2))) void fz_die(const char *fmt, ...);

#endif
