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
 *
 * `bench_host counts` (run natively, not under valgrind) prints instead a
 * table of exact per-operation costs: descriptor writes and table pages
 * (struct pgtable's counters) and the commands by opcode and CMD_SYNCs the
 * software SMMU (tests/host/smmu_model.c) consumed. The same counts are
 * asserted in the host unit tests, so `make test` fails if they regress.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/callgrind.h>
#include <aerie/bits.h>
#include <aerie/iommu_core.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/pgtable.h>
#include <aerie/smmu.h>
#include <uapi/aerie/iommu.h>
#include "hostenv.h"
#include "smmu_model.h"
#include "../../iommu/iommu_internal.h"	/* counts: a HWPT's descriptor writes */

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
	/* names are made outside the measured sections */
	snprintf(name, sizeof(name), "pgtable_map_4k/%llu", (unsigned long long)n);
	CALLGRIND_ZERO_STATS;
	/* the PA is 4K-offset so every page is a 4K leaf (no blocks) */
	pgtable_map(&pt, 1ULL << 30, n * PAGE_SIZE, (1ULL << 33) + PAGE_SIZE, PT_R | PT_W,
		    PT_ATTR_NORMAL,
		    &inv);
	CALLGRIND_DUMP_STATS_AT(name);
	snprintf(name, sizeof(name), "pgtable_unmap_4k/%llu", (unsigned long long)n);
	CALLGRIND_ZERO_STATS;
	pgtable_unmap(&pt, 1ULL << 30, n * PAGE_SIZE, &inv, NULL);
	pgtable_inval_complete(&pt);
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

/* ---- counts: descriptor writes, table pages, SMMU commands, syncs ------------------------ */

#define MODEL_BASE 0x0a000000ULL	/* the RIL SMMU */
#define MODEL2_BASE 0x0a100000ULL	/* the same without RIL */
#define BIG_IPA 0x100000000ULL		/* 1 GiB of "guest RAM" outside the arena: */
#define BIG_PA 0x100000000ULL		/* mapped, never touched */

static struct smmu_model *cm;
static struct smmu_model_stats st0;
static u64 w0, t0;
static int misses;

static const char *op_name(unsigned int op)
{
	switch (op) {
	case 0x03: return "CFGI_STE";
	case 0x04: return "CFGI_STE_RANGE";
	case 0x05: return "CFGI_CD";
	case 0x06: return "CFGI_CD_ALL";
	case 0x10: return "TLBI_NH_ALL";
	case 0x11: return "TLBI_NH_ASID";
	case 0x12: return "TLBI_NH_VA";
	case 0x13: return "TLBI_NH_VAA";
	case 0x28: return "TLBI_S12_VMALL";
	case 0x2a: return "TLBI_S2_IPA";
	case 0x30: return "TLBI_NSNH_ALL";
	default: return "op";
	}
}

static void begin(struct smmu_model *m, const struct pgtable *pt)
{
	cm = m;
	if (m)
		smmu_model_get_stats(m, &st0);
	w0 = pt ? pt->desc_writes : 0;
	t0 = pt ? pt->table_pages : 0;
}

static u64 d_cmd(unsigned int op)
{
	struct smmu_model_stats now;

	if (!cm)
		return 0;
	smmu_model_get_stats(cm, &now);
	return now.cmds[op] - st0.cmds[op];
}

static u64 d_sync(void)
{
	struct smmu_model_stats now;

	if (!cm)
		return 0;
	smmu_model_get_stats(cm, &now);
	return now.syncs - st0.syncs;
}

/* one table row; `ok` is whether the exact target holds */
static void row(const char *what, const struct pgtable *pt, const char *target, bool ok)
{
	char cmds[256] = "";
	size_t n = 0;
	u64 total = 0;

	for (unsigned int op = 0; op < 256; op++) {
		u64 k = op == 0x46 ? 0 : d_cmd(op);

		if (k) {
			n += (size_t)snprintf(cmds + n, sizeof(cmds) - n, "%s%s %llu",
					      n ? ", " : "", op_name(op), (unsigned long long)k);
			total += k;
		}
	}
	if (!n)
		snprintf(cmds, sizeof(cmds), "none");
	if (pt)
		printf("| %s | %llu | %+lld | %s | %llu | %s | %s |\n", what,
		       (unsigned long long)(pt->desc_writes - w0),
		       (long long)(pt->table_pages - t0), cmds, (unsigned long long)d_sync(),
		       target, ok ? "met" : "MISSED");
	else
		printf("| %s | - | - | %s | %llu | %s | %s |\n", what, cmds,
		       (unsigned long long)d_sync(), target, ok ? "met" : "MISSED");
	misses += !ok;
}

static struct smmu *model_smmu(paddr_t base, bool ril, struct smmu_model **m)
{
	struct smmu_model_cfg cfg = smmu_model_default_cfg();
	struct smmu *s;

	cfg.ril = ril;
	*m = smmu_model_create(base, &cfg);
	if (!*m || smmu_probe(&s, base, SMMU_MODEL_MMIO_SIZE))
		return NULL;
	return s;
}

static void counts_pgtable(struct smmu *s, struct smmu_model *m, struct smmu *s2,
			   struct smmu_model *m2)
{
	static const u64 ns[] = { 1, 16, 512, 262144 };
	struct pgtable pt;
	struct pgtable_inval inv;
	char what[128], target[128];
	u16 vmid, vmid2;

	smmu_vmid_alloc(s, &vmid);
	smmu_vmid_alloc(s2, &vmid2);
	for (unsigned int i = 0; i < ARRAY_SIZE(ns); i++) {
		u64 n = ns[i], k = (bitlen64(n) + 4) / 5;

		pgtable_init(&pt, 40, 44);
		begin(m, &pt);
		pgtable_map(&pt, 1ULL << 30, n * PAGE_SIZE, (1ULL << 33) + PAGE_SIZE, PT_R | PT_W,
			    PT_ATTR_NORMAL, &inv);
		snprintf(what, sizeof(what), "pgtable map of N = %llu aligned 4K pages (empty table)",
			 (unsigned long long)n);
		row(what, &pt, "one write per leaf + one per new table, no TLBI, no sync",
		    pt.desc_writes - w0 == n + (pt.table_pages - t0) && !d_sync() &&
		    inv.end == inv.start);
		/* unmap + invalidation, with RIL */
		begin(m, &pt);
		pgtable_unmap(&pt, 1ULL << 30, n * PAGE_SIZE, &inv, NULL);
		smmu_inv_s2_range(s, vmid, &inv, false);
		pgtable_inval_complete(&pt);
		snprintf(what, sizeof(what), "pgtable unmap of N = %llu pages + smmu_inv_s2_range, RIL",
			 (unsigned long long)n);
		snprintf(target, sizeof(target), "<= %llu TLBI_S2_IPA (ceil(bitlen(N)/5)), 1 sync",
			 (unsigned long long)k);
		row(what, &pt, target, d_cmd(0x2a) >= 1 && d_cmd(0x2a) <= k && d_sync() == 1 &&
		    d_cmd(0x28) == 0);
		pgtable_destroy(&pt);
		/* the same without RIL */
		pgtable_init(&pt, 40, 44);
		pgtable_map(&pt, 1ULL << 30, n * PAGE_SIZE, (1ULL << 33) + PAGE_SIZE, PT_R | PT_W,
			    PT_ATTR_NORMAL, NULL);
		begin(m2, &pt);
		pgtable_unmap(&pt, 1ULL << 30, n * PAGE_SIZE, &inv, NULL);
		smmu_inv_s2_range(s2, vmid2, &inv, false);
		pgtable_inval_complete(&pt);
		snprintf(what, sizeof(what), "pgtable unmap of N = %llu pages + smmu_inv_s2_range, no RIL",
			 (unsigned long long)n);
		row(what, &pt, "per-leaf TLBI_S2_IPA up to 64, else 1 TLBI_S12_VMALL; 1 sync",
		    d_sync() == 1 && (n <= 64 ? d_cmd(0x2a) == n && !d_cmd(0x28)
					      : !d_cmd(0x2a) && d_cmd(0x28) == 1));
		pgtable_destroy(&pt);
	}
	/* blocks */
	pgtable_init(&pt, 40, 44);
	begin(m, &pt);
	pgtable_map(&pt, 2ULL << 20, 2ULL << 20, 2ULL << 20, PT_R, PT_ATTR_NORMAL, &inv);
	row("pgtable map of one aligned 2M block (empty table)", &pt,
	    "one write per block + one per new table", pt.desc_writes - w0 == 1 + (pt.table_pages - t0));
	begin(m, &pt);
	pgtable_map(&pt, 4ULL << 30, 1ULL << 30, 1ULL << 30, PT_R, PT_ATTR_NORMAL, &inv);
	row("pgtable map of one aligned 1G block", &pt, "one write per block + one per new table",
	    pt.desc_writes - w0 == 1 + (pt.table_pages - t0));
	pgtable_destroy(&pt);
}

static void watch(struct smmu_model *m, u32 sid)
{
	u64(*obs)[8];

	smmu_model_watch_sid(m, sid);
	(void)smmu_model_observed(m, &obs);
}

/* every STE the SMMU re-read for the watched stream since watch() was valid
 * (none re-read: nothing changed, also fine) */
static bool never_invalid(struct smmu_model *m)
{
	u64(*obs)[8];
	unsigned int n = smmu_model_observed(m, &obs);

	for (unsigned int i = 0; i < n; i++)
		if (!(obs[i][0] & 1))
			return false;
	return true;
}

static int counts(void)
{
	struct smmu_model *m, *m2;
	struct smmu *s = model_smmu(MODEL_BASE, true, &m);
	struct smmu *s2 = model_smmu(MODEL2_BASE, false, &m2);
	struct iommu_ctx *c;
	struct hwpt *h, *hp;
	struct iommu_ioas_alloc ia = { sizeof(ia), 0, 0 };
	struct iommu_hwpt_alloc ha = { .size = sizeof(ha), .dev_id = 1 };
	struct aerie_iommu_device_attach at = { .size = sizeof(at), .dev_id = 1 };
	struct iommu_ioas_map mp = { .size = sizeof(mp),
				     .flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
					      IOMMU_IOAS_MAP_WRITEABLE };
	struct iommu_ioas_unmap u = { .size = sizeof(u) };
	struct iommu_viommu_alloc va = { .size = sizeof(va), .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
					 .dev_id = 1 };
	struct iommu_vdevice_alloc vd = { .size = sizeof(vd), .dev_id = 1, .virt_id = 0x8 };
	struct iommu_hwpt_invalidate inv = { .size = sizeof(inv),
					     .data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
					     .entry_len = 16 };
	struct iommu_destroy d = { .size = sizeof(d) };
	u32 ioas, ioas2, s2hwpt, parent, viommu, nested, nested2;
	static const struct { const char *name; u64 va, iova, len; } sz[] = {
		/* each in a GiB of its own: no table an earlier unmap kept */
		{ "4 KiB", GUEST_IPA + (4ULL << 20), 1ULL << 30, PAGE_SIZE },
		{ "2 MiB", GUEST_IPA + (4ULL << 20), 2ULL << 30, 2ULL << 20 },
		{ "1 GiB", BIG_IPA, 3ULL << 30, 1ULL << 30 },
	};
	char what[128];
	int err = 0;

	if (!s || !s2)
		return 1;
	printf("| operation | descriptor writes | table pages | SMMU commands | CMD_SYNC | "
	       "target | status |\n|---|---|---|---|---|---|---|\n");
	counts_pgtable(s, m, s2, m2);

	mem.count = 2;
	mem.region[0].ipa = GUEST_IPA;
	mem.region[0].pa = hostenv_ram_alloc(GUEST_SIZE, 2 << 20);
	mem.region[0].size = GUEST_SIZE;
	mem.region[1].ipa = BIG_IPA;
	mem.region[1].pa = BIG_PA;
	mem.region[1].size = 1ULL << 30;
	ram = phys_to_virt(mem.region[0].pa);
	c = iommu_ctx_create(s, &mem, 1);
	if (!c || iommu_ctx_add_device(c, 0x10, 0x08, 0x8) != 1)
		return 1;
	err |= (int)hc(c, IOMMU_CMD_IOAS_ALLOC, &ia, sizeof(ia));
	ioas = out_u32(8);
	ha.pt_id = ioas;
	err |= (int)hc(c, IOMMU_CMD_HWPT_ALLOC, &ha, sizeof(ha));
	s2hwpt = out_u32(16);
	h = (struct hwpt *)obj_lookup(c, s2hwpt, OBJ_HWPT_PAGING);
	at.pt_id = s2hwpt;
	watch(m, 0x10);
	begin(m, NULL);
	err |= (int)hc(c, AERIE_CMD_DEVICE_ATTACH, &at, sizeof(at));
	row("DEVICE_ATTACH to a stage-2 HWPT (fresh STE)", NULL, "CFGI_STE 1 + 1 sync (2 commands)",
	    d_cmd(0x03) == 1 && d_sync() == 1 && never_invalid(m));
	mp.ioas_id = u.ioas_id = ioas;
	for (unsigned int i = 0; i < ARRAY_SIZE(sz); i++) {
		u64 k = (bitlen64(sz[i].len / PAGE_SIZE) + 4) / 5;
		char target[128];

		mp.user_va = sz[i].va;
		mp.iova = u.iova = sz[i].iova;
		mp.length = u.length = sz[i].len;
		begin(m, &h->pt);
		err |= (int)hc(c, IOMMU_CMD_IOAS_MAP, &mp, sizeof(mp));
		snprintf(what, sizeof(what), "IOAS_MAP %s, stage-2 HWPT attached", sz[i].name);
		row(what, &h->pt, "one write per leaf/block + one per new table, no command",
		    h->pt.desc_writes - w0 == 1 + (h->pt.table_pages - t0) && !d_sync() &&
		    !d_cmd(0x2a) && !d_cmd(0x28));
		begin(m, &h->pt);
		err |= (int)hc(c, IOMMU_CMD_IOAS_UNMAP, &u, sizeof(u));
		snprintf(what, sizeof(what), "IOAS_UNMAP %s, stage-2 HWPT attached", sz[i].name);
		snprintf(target, sizeof(target), "<= %llu TLBI_S2_IPA, 1 sync", (unsigned long long)k);
		row(what, &h->pt, target, d_cmd(0x2a) >= 1 && d_cmd(0x2a) <= k && d_sync() == 1);
	}
	/* a 4 KiB unmap keeps its emptied table; a 2 MiB map there replaces it */
	mp.user_va = GUEST_IPA + (4ULL << 20);
	mp.iova = u.iova = 4ULL << 30;
	mp.length = u.length = PAGE_SIZE;
	err |= (int)hc(c, IOMMU_CMD_IOAS_MAP, &mp, sizeof(mp));
	err |= (int)hc(c, IOMMU_CMD_IOAS_UNMAP, &u, sizeof(u));
	mp.length = 2ULL << 20;
	begin(m, &h->pt);
	err |= (int)hc(c, IOMMU_CMD_IOAS_MAP, &mp, sizeof(mp));
	row("IOAS_MAP 2 MiB over the table a 4 KiB IOAS_UNMAP kept", &h->pt,
	    "the block replaces it: 1 write, the table freed after 1 TLBI_S2_IPA + 1 sync",
	    h->pt.desc_writes - w0 == 1 && h->pt.table_pages - t0 == (u64)-1 && d_cmd(0x2a) == 1 &&
	    d_sync() == 1);

	/* nesting: guest RAM at IOVA = IPA under a nest parent */
	err |= (int)hc(c, IOMMU_CMD_IOAS_ALLOC, &ia, sizeof(ia));
	ioas2 = out_u32(8);
	mp.ioas_id = ioas2;
	mp.user_va = mp.iova = GUEST_IPA;
	mp.length = GUEST_SIZE;
	err |= (int)hc(c, IOMMU_CMD_IOAS_MAP, &mp, sizeof(mp));
	ha.pt_id = ioas2;
	ha.flags = IOMMU_HWPT_ALLOC_NEST_PARENT;
	err |= (int)hc(c, IOMMU_CMD_HWPT_ALLOC, &ha, sizeof(ha));
	parent = out_u32(16);
	hp = (struct hwpt *)obj_lookup(c, parent, OBJ_HWPT_PAGING);
	va.hwpt_id = parent;
	err |= (int)hc(c, IOMMU_CMD_VIOMMU_ALLOC, &va, sizeof(va));
	viommu = out_u32(20);
	vd.viommu_id = viommu;
	err |= (int)hc(c, IOMMU_CMD_VDEVICE_ALLOC, &vd, sizeof(vd));
	{
		u64 vste[2] = { 1 | (5 << 1) | (GUEST_IPA + 0x3000), 0 };

		memcpy(ram + 0x3100, vste, 16);
	}
	ha = (struct iommu_hwpt_alloc){ .size = sizeof(ha), .dev_id = 1, .pt_id = viommu,
					.data_type = IOMMU_HWPT_DATA_ARM_SMMUV3, .data_len = 16,
					.data_uptr = GUEST_IPA + 0x3100 };
	begin(m, NULL);
	err |= (int)hc(c, IOMMU_CMD_HWPT_ALLOC, &ha, sizeof(ha));
	nested = out_u32(16);
	row("nested HWPT_ALLOC on a vIOMMU", NULL, "no command", !d_sync());
	at.pt_id = nested;
	watch(m, 0x10);
	begin(m, NULL);
	err |= (int)hc(c, AERIE_CMD_DEVICE_REPLACE, &at, sizeof(at));
	row("DEVICE_REPLACE stage-2 -> nested (live STE)", NULL,
	    "<= 3 CFGI_STE+sync rounds, never invalid",
	    d_cmd(0x03) <= 3 && d_cmd(0x03) == d_sync() && never_invalid(m));
	err |= (int)hc(c, IOMMU_CMD_HWPT_ALLOC, &ha, sizeof(ha));
	nested2 = out_u32(16);
	at.pt_id = nested2;
	watch(m, 0x10);
	begin(m, NULL);
	err |= (int)hc(c, AERIE_CMD_DEVICE_REPLACE, &at, sizeof(at));
	row("DEVICE_REPLACE nested -> nested (live STE)", NULL,
	    "<= 3 CFGI_STE+sync rounds, never invalid",
	    d_cmd(0x03) <= 3 && d_cmd(0x03) == d_sync() && never_invalid(m));
	d.id = nested;
	begin(m, NULL);
	err |= (int)hc(c, IOMMU_CMD_DESTROY, &d, sizeof(d));
	row("DESTROY of a detached nested HWPT", NULL, "-", true);
	at.pt_id = s2hwpt;
	watch(m, 0x10);
	begin(m, NULL);
	err |= (int)hc(c, AERIE_CMD_DEVICE_REPLACE, &at, sizeof(at));
	row("DEVICE_REPLACE nested -> stage-2 (live STE)", NULL,
	    "<= 3 CFGI_STE+sync rounds, never invalid",
	    d_cmd(0x03) <= 3 && d_cmd(0x03) == d_sync() && never_invalid(m));
	at.pt_id = nested2;
	err |= (int)hc(c, AERIE_CMD_DEVICE_REPLACE, &at, sizeof(at));

	/* maps and unmaps under the nest parent (a nested HWPT attached) */
	mp.ioas_id = u.ioas_id = ioas2;
	mp.user_va = GUEST_IPA + (4ULL << 20);
	mp.iova = u.iova = 1ULL << 30;
	mp.length = u.length = PAGE_SIZE;
	begin(m, &hp->pt);
	err |= (int)hc(c, IOMMU_CMD_IOAS_MAP, &mp, sizeof(mp));
	row("IOAS_MAP 4 KiB under a nest parent", &hp->pt, "one write per leaf + tables, no command",
	    hp->pt.desc_writes - w0 == 1 + (hp->pt.table_pages - t0) && !d_sync());
	begin(m, &hp->pt);
	err |= (int)hc(c, IOMMU_CMD_IOAS_UNMAP, &u, sizeof(u));
	row("IOAS_UNMAP 4 KiB under a nest parent", &hp->pt,
	    "<= 1 TLBI_S2_IPA + 1 TLBI_NH_ALL, 1 sync",
	    d_cmd(0x2a) == 1 && d_cmd(0x10) == 1 && d_sync() == 1);

	/* HWPT_INVALIDATE on the vIOMMU */
	inv.hwpt_id = viommu;
	inv.data_uptr = GUEST_IPA + 0x2000;
	for (int i = 0; i < 64; i++) {
		u64 cmd[2] = { 0x12 | (5ULL << 48), (u64)i << 12 }; /* TLBI_NH_VA */
		memcpy(ram + 0x2000 + 16 * i, cmd, 16);
	}
	for (u32 k = 1; k <= 64; k += 63) {
		inv.entry_num = k;
		begin(m, NULL);
		err |= (int)hc(c, IOMMU_CMD_HWPT_INVALIDATE, &inv, sizeof(inv));
		snprintf(what, sizeof(what), "HWPT_INVALIDATE of %u TLBI_NH_VA", k);
		row(what, NULL, k == 1 ? "1 command + 1 sync" : "64 commands + 1 sync",
		    d_cmd(0x12) == k && d_sync() == 1);
	}
	iommu_ctx_destroy(c);
	smmu_remove(s);
	smmu_remove(s2);
	smmu_model_destroy(m);
	smmu_model_destroy(m2);
	if (err)
		fprintf(stderr, "bench_host counts: a hypercall failed\n");
	return err || misses ? 1 : 0;
}

int main(int argc, char **argv)
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
	if (argc > 1 && !strcmp(argv[1], "counts"))
		return counts();
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
		/* as the guest bench: map and unmap at the same IOVA, measured
		 * in the steady state (the second round: the first one made the
		 * tables that an unmap of less than their span keeps) */
		m.iova = u.iova = 1ULL << 30;
		for (int i = 0; i < 2; i++) {
			if (i)
				CALLGRIND_ZERO_STATS;
			hc(c, IOMMU_CMD_IOAS_MAP, &m, sizeof(m));
			if (i)
				CALLGRIND_DUMP_STATS_AT(sz ? "ioas_map_2m/1" : "ioas_map_4k/1");
			if (i)
				CALLGRIND_ZERO_STATS;
			hc(c, IOMMU_CMD_IOAS_UNMAP, &u, sizeof(u));
			if (i)
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
		snprintf(name, sizeof(name), "hwpt_invalidate/%u", n);
		CALLGRIND_ZERO_STATS;
		hc(c, IOMMU_CMD_HWPT_INVALIDATE, &inv, sizeof(inv));
		CALLGRIND_DUMP_STATS_AT(name);
	}
	iommu_ctx_destroy(c);
	smmu_remove(s);
	return 0;
}
