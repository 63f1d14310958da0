/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the IOMMU core: two guests issue random command
 * sequences with random structs through iommu_hypercall(), against the
 * software SMMU. After every step:
 *   - every translation a guest's device can obtain (sampled IOVAs, each
 *     device) lands inside that guest's RAM;
 *   - ids that exist in one guest do not exist in the other unless the other
 *     made them itself (its table is its own);
 * and after every input, destroying both guests returns every page and
 * object. Violations abort (libFuzzer reports a crash).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <aerie/errno.h>
#include <aerie/iommu_core.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <uapi/aerie/iommu.h>
#include "hostenv.h"
#include "smmu_model.h"

#define SMMU_BASE 0x09050000ULL
#define GUEST_IPA 0x80000000ULL
#define GUEST_SIZE (4ULL << 20)
#define CMD_OFF 0x1000
#define NGUESTS 2

struct guest {
	struct vm_mem mem;
	struct iommu_ctx *ctx;
	paddr_t ram;
	u32 psid;
};

static struct smmu_model *model;
static struct smmu *smmu;
static struct guest guests[NGUESTS];
static u64 pages0, objs0;
static u64 iova_samples[64];
static unsigned int nsamples;

static const u8 cmd_nrs[] = {
	IOMMU_CMD_DESTROY, IOMMU_CMD_IOAS_ALLOC, IOMMU_CMD_IOAS_IOVA_RANGES, IOMMU_CMD_IOAS_MAP,
	IOMMU_CMD_IOAS_UNMAP, IOMMU_CMD_HWPT_ALLOC, IOMMU_CMD_GET_HW_INFO,
	IOMMU_CMD_HWPT_INVALIDATE, IOMMU_CMD_VIOMMU_ALLOC, IOMMU_CMD_VDEVICE_ALLOC,
	AERIE_CMD_LIST_DEVICES, AERIE_CMD_DEVICE_ATTACH, AERIE_CMD_DEVICE_REPLACE,
	AERIE_CMD_DEVICE_DETACH, IOMMU_CMD_VEVENTQ_ALLOC, 0x87 /* unknown */,
};

static void die(const char *what)
{
	fprintf(stderr, "fuzz_iommufd: invariant broken: %s\n", what);
	abort();
}

static void guests_create(void)
{
	for (int i = 0; i < NGUESTS; i++) {
		struct guest *g = &guests[i];

		g->mem.count = 1;
		g->mem.region[0] = (typeof(g->mem.region[0])){ GUEST_IPA, g->ram, GUEST_SIZE };
		memset(phys_to_virt(g->ram), 0, GUEST_SIZE);
		g->ctx = iommu_ctx_create(smmu, &g->mem, (u32)i + 1);
		if (!g->ctx || iommu_ctx_add_device(g->ctx, g->psid, 0x08, 0x8) <= 0)
			die("guest creation");
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct smmu_model_cfg cfg = smmu_model_default_cfg();
	struct smmu_ste_cfg abort_cfg = { .kind = SMMU_STE_ABORT };
	struct page_stats ps;

	(void)argc;
	(void)argv;
	hostenv_reset();
	model = smmu_model_create(SMMU_BASE, &cfg);
	if (smmu_probe(&smmu, SMMU_BASE, SMMU_MODEL_MMIO_SIZE))
		die("probe");
	for (int i = 0; i < NGUESTS; i++) {
		guests[i].ram = hostenv_ram_alloc(GUEST_SIZE, 2 << 20);
		guests[i].psid = 0x10 + 8 * (u32)i;
		smmu_ste_install(smmu, guests[i].psid, &abort_cfg); /* the span */
	}
	page_stats(&ps);
	pages0 = ps.in_use;
	objs0 = hostenv_objs_in_use();
	return 0;
}

/* every translation a device of guest i can get lands in guest i's RAM */
static void check_translations(void)
{
	for (int i = 0; i < NGUESTS; i++) {
		for (unsigned int k = 0; k < nsamples; k++) {
			paddr_t pa;
			for (int w = 0; w < 2; w++) {
				if (smmu_model_translate(model, guests[i].psid, iova_samples[k], w,
							 &pa))
					continue;
				if (pa < guests[i].ram || pa >= guests[i].ram + GUEST_SIZE)
					die("a device reached memory outside its guest");
			}
		}
	}
}

struct input {
	const u8 *p;
	size_t n;
};

static u64 take(struct input *in, unsigned int bytes)
{
	u64 v = 0;

	for (unsigned int i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (u64)*in->p << (8 * i);
	return v;
}

/* a value of the kind a field holds, picked by the input */
static u64 pick_id(struct input *in)
{
	u64 r = take(in, 1);

	return r < 240 ? r % 5 : take(in, 4); /* mostly a live-ish id */
}

static u64 pick_gpa(struct input *in, int self)
{
	u64 sel = take(in, 1) % 8, off = (take(in, 2) % (GUEST_SIZE / 4096)) << 12;

	switch (sel) {
	case 0: case 1: case 2: case 3:
		return GUEST_IPA + off;			/* its own RAM */
	case 4:
		return guests[!self].ram + off;		/* the other guest's RAM (a PA) */
	case 5:
		return HOSTENV_PA_BASE + off;		/* Aerie's memory */
	case 6:
		return 0x09000000 + off;		/* MMIO */
	default:
		return take(in, 8);			/* anything */
	}
}

static u64 pick_len(struct input *in)
{
	u64 r = take(in, 1);

	return r < 200 ? ((r % 16) + 1) << 12 : r < 250 ? 0 : take(in, 8);
}

static u64 pick_iova(struct input *in)
{
	u64 r = take(in, 1);

	return r < 200 ? (r % 32) << 12 : r < 240 ? GUEST_IPA + ((r % 16) << 12) : take(in, 8);
}

/* build a plausible command struct for `nr` in `w` (48 bytes) */
static void build_cmd(struct input *in, u8 nr, u64 *w, int self)
{
	u32 *u = (u32 *)w;

	memset(w, 0, 48);
	switch (nr) {
	case IOMMU_CMD_DESTROY:
		u[1] = (u32)pick_id(in);
		break;
	case IOMMU_CMD_IOAS_ALLOC:
		u[1] = take(in, 1) < 250 ? 0 : (u32)take(in, 4);
		break;
	case IOMMU_CMD_IOAS_MAP:
		u[1] = (u32)(take(in, 1) & 7);			/* flags */
		u[2] = (u32)pick_id(in);
		w[2] = pick_gpa(in, self);
		w[3] = pick_len(in);
		w[4] = pick_iova(in);
		break;
	case IOMMU_CMD_IOAS_UNMAP:
		u[1] = (u32)pick_id(in);
		w[1] = pick_iova(in);
		w[2] = take(in, 1) < 16 ? ~0ULL : pick_len(in);
		break;
	case IOMMU_CMD_HWPT_ALLOC:
		u[1] = (u32)(take(in, 1) & 0xf);		/* flags */
		u[2] = (u32)pick_id(in);			/* dev */
		u[3] = (u32)pick_id(in);			/* pt */
		u[6] = (u32)(take(in, 1) % 4);			/* data_type */
		u[7] = (u32)(take(in, 1) < 128 ? 16 : take(in, 1));
		w[4] = GUEST_IPA + 0x2000;			/* the vSTE page */
		break;
	case AERIE_CMD_DEVICE_ATTACH:
	case AERIE_CMD_DEVICE_REPLACE:
		u[2] = (u32)pick_id(in);
		u[3] = (u32)pick_id(in);
		break;
	case AERIE_CMD_DEVICE_DETACH:
		u[1] = (u32)pick_id(in);
		break;
	case IOMMU_CMD_VIOMMU_ALLOC:
		u[2] = (u32)(take(in, 1) % 3);
		u[3] = (u32)pick_id(in);
		u[4] = (u32)pick_id(in);
		break;
	case IOMMU_CMD_VDEVICE_ALLOC:
		u[1] = (u32)pick_id(in);
		u[2] = (u32)pick_id(in);
		w[2] = take(in, 1);
		break;
	case IOMMU_CMD_VEVENTQ_ALLOC:
		u[1] = take(in, 1) < 250 ? 0 : 1;
		u[2] = (u32)pick_id(in);
		u[3] = (u32)(take(in, 1) % 3);
		u[4] = (u32)(take(in, 1) % 8);
		w[4] = pick_gpa(in, self);
		break;
	case IOMMU_CMD_HWPT_INVALIDATE:
		u[1] = (u32)pick_id(in);
		w[1] = GUEST_IPA + 0x2000;
		u[4] = 1;
		u[5] = 16;
		u[6] = (u32)(take(in, 1) % 4);
		break;
	default:
		for (int i = 1; i < 6; i++)
			w[i] = take(in, 8);
		break;
	}
	u[0] = take(in, 1) < 250 ? 48 : (u32)take(in, 2); /* size */
}

/* each guest starts with an IOAS (2) and a stage-2 HWPT (3) its device uses */
static void prologue(struct guest *g)
{
	u8 *cmd = (u8 *)phys_to_virt(g->ram) + CMD_OFF;
	struct iommu_ioas_alloc a = { .size = sizeof(a) };
	struct iommu_hwpt_alloc h = { .size = sizeof(h), .dev_id = 1, .pt_id = 2 };
	struct aerie_iommu_device_attach at = { .size = sizeof(at), .dev_id = 1, .pt_id = 3 };

	memcpy(cmd, &a, sizeof(a));
	if (iommu_hypercall(g->ctx, AERIE_HC_IOMMU(IOMMU_CMD_IOAS_ALLOC), GUEST_IPA + CMD_OFF))
		die("prologue IOAS");
	memcpy(cmd, &h, sizeof(h));
	if (iommu_hypercall(g->ctx, AERIE_HC_IOMMU(IOMMU_CMD_HWPT_ALLOC), GUEST_IPA + CMD_OFF))
		die("prologue HWPT");
	memcpy(cmd, &at, sizeof(at));
	if (iommu_hypercall(g->ctx, AERIE_HC_IOMMU(AERIE_CMD_DEVICE_ATTACH), GUEST_IPA + CMD_OFF))
		die("prologue attach");
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	struct page_stats ps;

	nsamples = 0;
	for (u64 k = 0; k < 8; k++)
		iova_samples[nsamples++] = k << 12;
	guests_create();
	for (int i = 0; i < NGUESTS; i++)
		prologue(&guests[i]);
	while (in.n >= 2) {
		int self = (int)(take(&in, 1) % NGUESTS);
		struct guest *g = &guests[self];
		u8 nr = cmd_nrs[take(&in, 1) % sizeof(cmd_nrs)];
		u64 w[6];
		u8 *page = (u8 *)phys_to_virt(g->ram);

		build_cmd(&in, nr, w, self);
		memcpy(page + CMD_OFF, w, 48);
		/* the data page: a vSTE or an invalidation command from the input */
		for (int i = 0; i < 2; i++) {
			u64 v = take(&in, 8);
			memcpy(page + 0x2000 + 8 * i, &v, 8);
		}
		if (iommu_hypercall(g->ctx, AERIE_HC_IOMMU(nr), GUEST_IPA + CMD_OFF) == 0 &&
		    nr == IOMMU_CMD_IOAS_MAP && nsamples < 64) {
			/* the IOVA it got (written back for automatic IOVAs) */
			u64 iova, len;
			memcpy(&iova, page + CMD_OFF + 32, 8);
			memcpy(&len, page + CMD_OFF + 24, 8);
			iova_samples[nsamples++] = iova;
			if (len > 4096 && nsamples < 64)
				iova_samples[nsamples++] = iova + len - 4096;
		}
		check_translations();
	}
	for (int i = 0; i < NGUESTS; i++)
		iommu_ctx_destroy(guests[i].ctx);
	smmu_model_flush_caches(model);
	page_stats(&ps);
	if (ps.in_use != pages0 || hostenv_objs_in_use() != objs0)
		die("destroying the guests did not return every page and object");
	return 0;
}
