/* SPDX-License-Identifier: MIT */
/*
 * The guest fixture the iommufd host tests share: a guest with 16 MiB of RAM
 * and one assigned device, an IOMMU context on the software SMMU, command
 * structs written into its RAM and passed by guest-physical address, and
 * the nested set-up (IOAS over all its RAM, NEST_PARENT HWPT, vIOMMU,
 * vDEVICE, its own stage 1).
 */
#ifndef AERIE_TEST_IOMMUFD_ENV_H
#define AERIE_TEST_IOMMUFD_ENV_H

#include <aerie/errno.h>
#include <aerie/iommu_core.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/smmu.h>
#include <aerie/vm_mem.h>
#include <uapi/aerie/iommu.h>
#include "hostenv.h"
#include "smmu_model.h"
#include "test.h"

#define SMMU_BASE 0x09050000ULL
#define GUEST_IPA 0x80000000ULL
#define GUEST_SIZE (16ULL << 20)
#define CMD_GPA (GUEST_IPA + 0x1000)	/* command structs */
#define DATA_GPA (GUEST_IPA + 0x2000)	/* arrays, vSTEs */
#define BUF_GPA (GUEST_IPA + 0x100000)	/* DMA buffers */
#define PSID 0x10
#define VSID 0x8
#define VBDF 0x08
#define RW (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)

/* the nested set-up's stage 1 */
#define S1_CD_GPA (GUEST_IPA + 0x200000)
#define S1_L1_GPA (GUEST_IPA + 0x201000)
#define S1_L2_GPA (GUEST_IPA + 0x202000)
#define S1_L3_GPA (GUEST_IPA + 0x203000)
#define S1_VA 0x40000000ULL
#define ASID 5

struct guest {
	struct vm_mem mem;
	struct iommu_ctx *ctx;
	paddr_t ram;
	int dev_id;
	unsigned int notified;	/* vEVENTQ notifications (the VMM's interrupt) */
};

struct nested_env {
	u32 ioas, parent, viommu, vdev, nested;
};

extern struct smmu_model *model;
extern struct smmu *smmu;
/* page and object counts after setup: teardown expects them back */
extern struct page_stats ps0;
extern u64 objs0;

void *gva(struct guest *g, u64 gpa);
bool guest_init(struct guest *g, u32 id, u32 psid);
/* the model (default config if cfg is NULL) and the driver, no guest; the
 * baseline teardown checks is taken here */
bool setup_smmu(const struct smmu_model_cfg *cfg);
/* setup_smmu, then guest 1 with PSID */
bool setup(struct guest *g);
bool setup_cfg(struct guest *g, const struct smmu_model_cfg *cfg);
/* destroys the contexts (g2 may be NULL) and checks every page and object
 * came back */
void teardown(struct guest *g, struct guest *g2);
/* one hypercall with struct `s` of `size` bytes; the struct is read back */
int hc_sized(struct guest *g, u32 nr, void *s, u32 size, u32 struct_size);
#define HC(g, nr, s) hc_sized(g, nr, &(s), sizeof(s), sizeof(s))
/* the same with the struct at `gpa`: n bytes copied in and back, its size
 * field set to `size` */
int hc_at(struct guest *g, u32 nr, u64 gpa, void *s, u32 n, u32 size);
/* IOAS_ALLOC: its error, the new id in *id */
int hc_ioas_alloc(struct guest *g, u32 *id);
/* the new IOAS's id, 0 if IOAS_ALLOC failed */
u32 ioas_new(struct guest *g);
int map_fixed(struct guest *g, u32 ioas, u64 iova, u64 gpa, u64 len, u32 rw);
/* *out (if not NULL): the length unmapped */
int unmap(struct guest *g, u32 ioas, u64 iova, u64 len, u64 *out);
int hwpt_new(struct guest *g, u32 pt, u32 flags, u32 *out);
int attach(struct guest *g, u32 pt);
int detach(struct guest *g);
int destroy(struct guest *g, u32 id);
/* the guest's stage 1: VA S1_VA -> IPA `target` (4K page) */
void build_stage1(struct guest *g, u64 target);
bool nested_setup(struct guest *g, struct nested_env *n);
/* HWPT_INVALIDATE of n 16-byte commands; *issued = entry_num written back */
int invalidate(struct guest *g, u32 id, const u64 (*cmds)[2], u32 n, u32 *issued);

#endif
