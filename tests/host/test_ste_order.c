/* SPDX-License-Identifier: MIT */
/*
 * STE updates observed store by store (issue 15, class 4). The driver's
 * store helper reports every qword it writes; the software SMMU snapshots
 * the watched STE after each one, as a walker fetching it at that moment
 * would read it. Each snapshot must be safe (V=0 or Config=abort) or
 * exactly one complete configuration: every field the SMMU uses for its
 * Config equal to the old entry's, or every one equal to the new entry's.
 * The used fields are written here from the STE layout (IHI 0070 5.2),
 * not taken from the driver.
 */
#include <aerie/errno.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/pgtable.h>
#include <aerie/smmu.h>
#include "hostenv.h"
#include "smmu_model.h"
#include "test.h"

#define SMMU_BASE 0x09050000ULL
#define SID 0x10
#define FRESH_SID 0x310		/* in a level-2 span nothing used yet */
#define MiB (1ULL << 20)
#define GUEST_IPA 0x80000000ULL

bool smmu_event_report(struct smmu *smmu, const struct smmu_event *evt)
{
	(void)smmu;
	(void)evt;
	return false;
}

struct env {
	struct smmu_model *m;
	struct smmu *s;
	struct pgtable pt[2];	/* the same geometry (IAS), different tables */
	u16 vmid[2];
	paddr_t ram;
};

static bool setup(struct env *e)
{
	struct smmu_model_cfg cfg = smmu_model_default_cfg();

	memset(e, 0, sizeof(*e));
	e->m = smmu_model_create(SMMU_BASE, &cfg);
	if (smmu_probe(&e->s, SMMU_BASE, SMMU_MODEL_MMIO_SIZE))
		return false;
	e->ram = hostenv_ram_alloc(4 * MiB, 2 * MiB);
	for (int i = 0; i < 2; i++) {
		if (pgtable_init(&e->pt[i], 40, 44) || smmu_vmid_alloc(e->s, &e->vmid[i]))
			return false;
		/* IOVA 0 -> page i of RAM; the whole RAM at GUEST_IPA for stage 1 */
		if (pgtable_map(&e->pt[i], 0, PAGE_SIZE, e->ram + (u64)i * PAGE_SIZE, PT_R,
				PT_ATTR_NORMAL, NULL) ||
		    pgtable_map(&e->pt[i], GUEST_IPA, 4 * MiB, e->ram, PT_R | PT_W,
				PT_ATTR_NORMAL, NULL))
			return false;
		((u8 *)phys_to_virt(e->ram))[(u64)i * PAGE_SIZE] = (u8)(0x11 * (i + 1));
	}
	return e->pt[0].ias == e->pt[1].ias;
}

static void teardown(struct env *e)
{
	struct page_stats ps;

	for (int i = 0; i < 2; i++)
		pgtable_destroy(&e->pt[i]);
	smmu_remove(e->s);
	smmu_model_destroy(e->m);
	page_stats(&ps);
	CHECK_EQ(ps.in_use, 0);
	CHECK_EQ(hostenv_objs_in_use(), 0);
}

/* the STE bits an SMMU uses for the entry's own Config (IHI 0070 5.2) */
static void used_bits(const u64 *ste, u64 *used)
{
	u32 cfg = (u32)(ste[0] >> 1) & 7;

	memset(used, 0, 8 * sizeof(u64));
	used[0] = 1; /* V */
	if (!(ste[0] & 1))
		return;
	used[0] |= 0xe; /* Config */
	if (cfg == 6) {
		/* stage 2 only: qword 0's S1Fmt/S1ContextPtr/S1CDMax and qword
		 * 1's S1DSS/S1CIR/S1COR/S1CSH [7:0] and S1STALLD [27] are unused */
		used[1] = ~(0xffULL | 1ULL << 27);
		for (int i = 2; i < 8; i++)
			used[i] = ~0ULL;
	} else if (cfg == 7 || cfg == 5) {
		for (int i = 0; i < 8; i++)
			used[i] = ~0ULL;
	}
}

static bool is_safe(const u64 *ste)
{
	return !(ste[0] & 1) || ((ste[0] >> 1) & 7) == 0;
}

/* `ste` is configuration `ref` as far as an SMMU can tell */
static bool same_config(const u64 *ste, const u64 *ref)
{
	u64 used[8];

	if (is_safe(ref) || (ste[0] & 0xf) != (ref[0] & 0xf))
		return false;
	used_bits(ref, used);
	for (int i = 0; i < 8; i++)
		if ((ste[i] ^ ref[i]) & used[i])
			return false;
	return true;
}

/*
 * Install `c` on `sid` and check every store. hitless: every snapshot must
 * be the old or the new configuration (no abort in between).
 */
static void change(struct env *e, u32 sid, const struct smmu_ste_cfg *c, bool hitless,
		   const char *what)
{
	u64 old[8], now[8], (*snap)[8];
	unsigned int n;

	REQUIRE(smmu_ste_read(e->s, sid, old) == 0);
	smmu_model_watch_ste_stores(e->m, sid);
	REQUIRE(smmu_ste_install(e->s, sid, c) == 0);
	REQUIRE(smmu_ste_read(e->s, sid, now) == 0);
	n = smmu_model_ste_stores(e->m, &snap);
	if (n == 0 || memcmp(snap[n - 1], now, sizeof(now))) {
		fprintf(stderr, "  %s: %u stores, the last one is not the entry installed\n", what, n);
		CHECK(0);
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		bool ok = same_config(snap[i], old) || same_config(snap[i], now) ||
			  (!hitless && is_safe(snap[i]));

		if (!ok) {
			fprintf(stderr, "  %s: after store %u of %u the walker sees a mixed entry:\n",
				what, i + 1, n);
			for (int q = 0; q < 4; q++)
				fprintf(stderr, "    qword %d: 0x%016llx (old 0x%016llx, new 0x%016llx)\n",
					q, (unsigned long long)snap[i][q],
					(unsigned long long)old[q], (unsigned long long)now[q]);
			CHECK(0);
			return;
		}
	}
}

static struct smmu_ste_cfg s2(struct env *e, int pt, int vmid)
{
	return (struct smmu_ste_cfg){ .kind = SMMU_STE_S2, .s2 = &e->pt[pt],
				      .vmid = e->vmid[vmid] };
}

static struct smmu_ste_cfg nested(struct env *e, u64 ctx, u8 s1dss)
{
	return (struct smmu_ste_cfg){ .kind = SMMU_STE_NESTED, .s2 = &e->pt[0],
				      .vmid = e->vmid[0], .s1_ctx_ptr = ctx, .s1dss = s1dss };
}

static int dma_byte(struct env *e, u32 sid, u64 iova)
{
	u8 b = 0;

	if (smmu_model_dma_read(e->m, sid, iova, &b, 1))
		return -1;
	return b;
}

TEST(first_install_never_shows_a_valid_incomplete_entry)
{
	struct env e;
	struct smmu_ste_cfg c;

	REQUIRE(setup(&e));
	/* a fresh level-2 span, then a stream in a span that exists */
	c = s2(&e, 0, 0);
	change(&e, FRESH_SID, &c, false, "abort -> S2, fresh span");
	change(&e, SID, &c, false, "abort -> S2");
	CHECK_EQ(dma_byte(&e, SID, 0), 0x11);
	c = nested(&e, GUEST_IPA, 0);
	change(&e, SID + 1, &c, false, "abort -> nested");
	teardown(&e);
}

TEST(s2_to_s2_of_the_same_geometry_with_a_new_vmid_and_table)
{
	struct env e;
	struct smmu_ste_cfg c;

	REQUIRE(setup(&e));
	c = s2(&e, 0, 0);
	REQUIRE(smmu_ste_install(e.s, SID, &c) == 0);
	CHECK_EQ(dma_byte(&e, SID, 0), 0x11);
	/* VMID (qword 2) and S2TTB (qword 3) change together: no single store
	 * can switch both, so the way must be through abort */
	c = s2(&e, 1, 1);
	change(&e, SID, &c, false, "S2 -> S2, new VMID and table");
	CHECK_EQ(dma_byte(&e, SID, 0), 0x22);
	/* only the table (qword 3) changes: one store, hitless */
	c = s2(&e, 0, 1);
	change(&e, SID, &c, true, "S2 -> S2, new table, same VMID");
	smmu_inv_vmid(e.s, e.vmid[1]); /* the same VMID now names another table */
	CHECK_EQ(dma_byte(&e, SID, 0), 0x11);
	/* only the VMID (qword 2) changes: hitless */
	c = s2(&e, 0, 0);
	change(&e, SID, &c, true, "S2 -> S2, new VMID, same table");
	CHECK_EQ(dma_byte(&e, SID, 0), 0x11);
	teardown(&e);
}

TEST(s2_nested_and_abort_changes_are_whole_configurations)
{
	struct env e;
	struct smmu_ste_cfg c;

	REQUIRE(setup(&e));
	c = s2(&e, 0, 0);
	REQUIRE(smmu_ste_install(e.s, SID, &c) == 0);
	/* the same stage 2 under a stage 1: hitless */
	c = nested(&e, GUEST_IPA, 0);
	change(&e, SID, &c, true, "S2 -> nested");
	/* another CD pointer (qword 0 only): hitless */
	c = nested(&e, GUEST_IPA + 0x1000, 0);
	change(&e, SID, &c, true, "nested -> nested, new CD");
	/* CD pointer and S1DSS (qwords 0 and 1) */
	c = nested(&e, GUEST_IPA + 0x2000, 2);
	change(&e, SID, &c, false, "nested -> nested, new CD and S1DSS");
	/* back to stage 2 only, hitless: S1DSS, used by the old entry only, is
	 * cleared after the Config switch, not counted as a second critical
	 * qword; then to another VMID and table */
	c = s2(&e, 0, 0);
	change(&e, SID, &c, true, "nested -> S2");
	c = nested(&e, GUEST_IPA, 0);
	change(&e, SID, &c, true, "S2 -> nested again");
	c = s2(&e, 1, 1);
	change(&e, SID, &c, false, "nested -> S2, new VMID and table");
	CHECK_EQ(dma_byte(&e, SID, 0), 0x22);
	c = (struct smmu_ste_cfg){ .kind = SMMU_STE_ABORT };
	change(&e, SID, &c, false, "S2 -> abort");
	CHECK_EQ(dma_byte(&e, SID, 0), -1);
	teardown(&e);
}

int main(int argc, char **argv) { return test_main(argc, argv); }
