/* SPDX-License-Identifier: MIT */
/*
 * Host-side instruction counts for `make bench`, run under valgrind's
 * callgrind (tests/bench/run.sh). Each measured section is bracketed by
 * CALLGRIND_ZERO_STATS / CALLGRIND_DUMP_STATS_AT("name/N"); the script reads
 * the dumps' totals and divides by N.
 *
 * The SMMU behind the driver is a "null" register model that completes
 * every command at once (CONS follows PROD), so the counts are Aerie's own
 * code, not a simulator's.
 */
#include <stdio.h>
#include <string.h>
#include <valgrind/callgrind.h>
#include <aerie/iommu_core.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/pgtable.h>
#include <aerie/smmu.h>
#include <uapi/aerie/iommu.h>
#include "hostenv.h"

#define SMMU_BASE 0x09050000ULL
#define GUEST_IPA 0x80000000ULL
#define GUEST_SIZE (64ULL << 20)

/* ---- a null SMMU: the registers the driver needs, commands done at once ---- */
static u32 regs[0x20000 / 4];

static u64 null_read(void *ctx, u64 off, unsigned int bytes)
{
	(void)ctx;
	if (off == 0x24)				/* CR0ACK */
		return regs[0x20 / 4];
	if (off == 0x9c)				/* CMDQ_CONS = PROD */
		return regs[0x98 / 4];
	if (bytes == 8)
		return regs[off / 4] | (u64)regs[off / 4 + 1] << 32;
	return regs[off / 4];
}

static void null_write(void *ctx, u64 off, u64 val, unsigned int bytes)
{
	(void)ctx;
	if (off == 0x44)
		val &= ~(1ULL << 31);			/* GBPA: update done */
	regs[off / 4] = (u32)val;
	if (bytes == 8)
		regs[off / 4 + 1] = (u32)(val >> 32);
}

static struct smmu *null_smmu(void)
{
	struct mmio_model m = { SMMU_BASE, sizeof(regs), NULL, null_read, null_write };
	struct smmu *s;

	regs[0] = 3 | (1 << 18) | (1 << 27) | (2 << 2); /* S1P S2P VMID16 2-level TTF */
	regs[1] = 16 | (7 << 16) | (8 << 21);		 /* SIDSIZE, EVTQS, CMDQS */
	regs[3] = 1 << 10;				 /* RIL */
	regs[5] = 4 | (1 << 4);				 /* OAS 44, 4K */
	hostenv_mmio_register(&m);
	if (smmu_probe(&s, SMMU_BASE, sizeof(regs)))
		return NULL;
	return s;
}

/* ---- page tables ------------------------------------------------------------- */

static void bench_pgtable(u64 n)
{
	struct pgtable pt;
	struct pgtable_inval inv;
	char name[64];

	pgtable_init(&pt, 40, 44);
	CALLGRIND_ZERO_STATS;
	/* the PA is 4K-offset so every page is a 4K leaf (no blocks) */
	pgtable_map(&pt, 1ULL << 30, n * PAGE_SIZE, (1ULL << 33) + PAGE_SIZE, PT_R | PT_W,
		    PT_ATTR_NORMAL,
		    &inv);
	snprintf(name, sizeof(name), "pgtable_map_4k/%llu", (unsigned long long)n);
	CALLGRIND_DUMP_STATS_AT(name);
	CALLGRIND_ZERO_STATS;
	pgtable_unmap(&pt, 1ULL << 30, n * PAGE_SIZE, &inv, NULL);
	pgtable_inval_complete(&pt);
	snprintf(name, sizeof(name), "pgtable_unmap_4k/%llu", (unsigned long long)n);
	CALLGRIND_DUMP_STATS_AT(name);
	pgtable_destroy(&pt);
}

/* ---- hypercalls ----------------------------------------------------------------- */

static struct vm_mem mem;
static u8 *ram;

static s64 hc(struct iommu_ctx *c, u32 nr, const void *s, size_t len)
{
	memcpy(ram + 0x1000, s, len);
	return iommu_hypercall(c, AERIE_HC_IOMMU(nr), GUEST_IPA + 0x1000);
}

static u32 out_u32(size_t off)
{
	u32 v;

	memcpy(&v, ram + 0x1000 + off, 4);
	return v;
}

int main(void)
{
	static const u64 ns[] = { 1, 16, 512, 262144 };
	struct smmu *s;
	struct iommu_ctx *c;
	struct iommu_destroy d = { sizeof(d), 999 };
	struct iommu_ioas_alloc ia = { sizeof(ia), 0, 0 };
	struct iommu_hwpt_alloc ha = { .size = sizeof(ha), .dev_id = 1 };
	struct aerie_iommu_device_attach at = { .size = sizeof(at), .dev_id = 1 };
	struct iommu_ioas_map m = { .size = sizeof(m),
				    .flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
					     IOMMU_IOAS_MAP_WRITEABLE };
	struct iommu_ioas_unmap u = { .size = sizeof(u) };
	struct iommu_hwpt_invalidate inv = { .size = sizeof(inv),
					     .data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
					     .entry_len = 16 };
	struct iommu_viommu_alloc va = { .size = sizeof(va), .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
					 .dev_id = 1 };
	u32 ioas, parent, viommu;

	hostenv_reset();
	for (unsigned int i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		bench_pgtable(ns[i]);

	s = null_smmu();
	mem.count = 1;
	mem.region[0].ipa = GUEST_IPA;
	mem.region[0].pa = hostenv_ram_alloc(GUEST_SIZE, 2 << 20);
	mem.region[0].size = GUEST_SIZE;
	ram = phys_to_virt(mem.region[0].pa);
	c = iommu_ctx_create(s, &mem, 1);
	if (!s || !c || iommu_ctx_add_device(c, 0x10, 0x08, 0x8) != 1) {
		fprintf(stderr, "bench: setup failed\n");
		return 1;
	}
	/* dispatch + validation: a command that fails its lookup */
	CALLGRIND_ZERO_STATS;
	for (int i = 0; i < 1000; i++)
		hc(c, IOMMU_CMD_DESTROY, &d, sizeof(d));
	CALLGRIND_DUMP_STATS_AT("hypercall_dispatch/1000");

	hc(c, IOMMU_CMD_IOAS_ALLOC, &ia, sizeof(ia));
	ioas = out_u32(8);
	ha.pt_id = ioas;
	ha.flags = IOMMU_HWPT_ALLOC_NEST_PARENT;
	hc(c, IOMMU_CMD_HWPT_ALLOC, &ha, sizeof(ha));
	parent = out_u32(16);
	at.pt_id = parent;
	hc(c, AERIE_CMD_DEVICE_ATTACH, &at, sizeof(at));
	m.ioas_id = ioas;
	u.ioas_id = ioas;
	for (int sz = 0; sz < 2; sz++) {
		u64 len = sz ? (2ULL << 20) : PAGE_SIZE;

		m.length = len;
		m.user_va = GUEST_IPA + (4ULL << 20);
		u.length = len;
		for (int i = 0; i < 2; i++) {
			m.iova = u.iova = (1ULL << 30) + (u64)i * (4ULL << 20);
			CALLGRIND_ZERO_STATS;
			hc(c, IOMMU_CMD_IOAS_MAP, &m, sizeof(m));
			CALLGRIND_DUMP_STATS_AT(sz ? "ioas_map_2m/1" : "ioas_map_4k/1");
			CALLGRIND_ZERO_STATS;
			hc(c, IOMMU_CMD_IOAS_UNMAP, &u, sizeof(u));
			CALLGRIND_DUMP_STATS_AT(sz ? "ioas_unmap_2m/1" : "ioas_unmap_4k/1");
		}
	}
	va.hwpt_id = parent;
	hc(c, IOMMU_CMD_VIOMMU_ALLOC, &va, sizeof(va));
	viommu = out_u32(20);
	inv.hwpt_id = viommu;
	inv.data_uptr = GUEST_IPA + 0x2000;
	for (int i = 0; i < 64; i++) {
		u64 cmd[2] = { 0x12 | (5ULL << 48), (u64)i << 12 }; /* TLBI_NH_VA */
		memcpy(ram + 0x2000 + 16 * i, cmd, 16);
	}
	for (u32 n = 1; n <= 64; n += 63) {
		char name[48];

		inv.entry_num = n;
		CALLGRIND_ZERO_STATS;
		hc(c, IOMMU_CMD_HWPT_INVALIDATE, &inv, sizeof(inv));
		snprintf(name, sizeof(name), "hwpt_invalidate/%u", n);
		CALLGRIND_DUMP_STATS_AT(name);
	}
	iommu_ctx_destroy(c);
	smmu_remove(s);
	return 0;
}
