/* SPDX-License-Identifier: MIT */
/*
 * Per-guest quotas (iommu/quota.c, docs/hypercall-abi.md "Quotas"): every
 * table page, object, IOAS area and VMID a guest's commands make Aerie hold
 * is charged to its context; past a limit the command fails with -ENOMEM
 * (-ENOSPC for VMIDs) and nothing changes, while another guest still gets
 * its share. After every step what is charged must equal what is held,
 * counted afresh (iommu_ctx_usage), and the pool's page count must move by
 * exactly the table pages charged (host objects are not pool pages).
 */
#include <aerie/pgtable.h>
#include "iommufd_env.h"

#define PSID_A PSID
#define PSID_B (PSID + 8)	/* in PSID's stream-table span: setup_smmu made it */
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* guest_init, then its quota set to *q */
static bool guest_quota(struct guest *g, u32 id, u32 psid, const struct iommu_quota *q)
{
	if (!guest_init(g, id, psid))
		return false;
	iommu_ctx_set_quota(g->ctx, q);
	return true;
}

static struct iommu_usage usage(struct guest *g)
{
	struct iommu_usage u;

	iommu_ctx_usage(g->ctx, &u);
	return u;
}

/* what is charged is what is held, field by field */
#define CHECK_BALANCED(g)                                                        \
	do {                                                                     \
		struct iommu_usage _u = usage(g);                                \
		CHECK_EQ(_u.charged.pages, _u.held.pages);                       \
		CHECK_EQ(_u.charged.objects, _u.held.objects);                   \
		CHECK_EQ(_u.charged.areas, _u.held.areas);                       \
		CHECK_EQ(_u.charged.vmids, _u.held.vmids);                       \
	} while (0)

static bool same_quota(struct iommu_quota a, struct iommu_quota b)
{
	return a.pages == b.pages && a.objects == b.objects && a.areas == b.areas &&
	       a.vmids == b.vmids;
}

/* ---- the attack of issue 13, finding 3 ------------------------------------------- */

#define ATTACK_HWPTS 64

/*
 * One 4 KiB page of the guest's RAM mapped at 2 MiB strides into 64 paging
 * HWPTs of one IOAS: every map costs a level-3 table in each HWPT. Before
 * quotas this ran until Aerie's pool was empty. Now it stops at the guest's
 * page quota, exactly, with nothing changed by the refused map.
 */
TEST(stride_attack_stops_at_the_page_quota_and_the_other_guest_keeps_its_share)
{
	struct guest a, b;
	struct iommu_quota qa = { .vmids = ATTACK_HWPTS };	/* pages: the default */
	struct iommu_usage u, u2;
	struct page_stats before, after;
	u32 ioas, hwpt[ATTACK_HWPTS], ioas_b, hwpt_b;
	u64 objs_before, maps = 0;
	u8 data[64], back[64];
	int err = 0;

	REQUIRE(setup_smmu(NULL));
	REQUIRE(guest_quota(&a, 1, PSID_A, &qa));
	REQUIRE(guest_init(&b, 2, PSID_B));
	u = usage(&a);
	CHECK_EQ(u.limit.pages, IOMMU_QUOTA_PAGES);
	CHECK_EQ(u.limit.vmids, ATTACK_HWPTS);
	REQUIRE(hc_ioas_alloc(&a, &ioas) == 0);
	for (int i = 0; i < ATTACK_HWPTS; i++)
		REQUIRE(hwpt_new(&a, ioas, 0, &hwpt[i]) == 0);
	REQUIRE(attach(&a, hwpt[0]) == 0);
	CHECK_EQ(usage(&a).charged.pages, ATTACK_HWPTS); /* the roots */
	for (maps = 0; maps < 100000; maps++) {
		page_stats(&before);
		objs_before = hostenv_objs_in_use();
		u = usage(&a);
		err = map_fixed(&a, ioas, maps * 2 * MiB, BUF_GPA, PAGE_SIZE, RW);
		if (err)
			break;
		page_stats(&after);
		/* the pool paid exactly what was charged */
		CHECK_EQ(after.in_use - before.in_use, usage(&a).charged.pages - u.charged.pages);
	}
	/* IAS 44: per HWPT a root, a level-1 and a level-2 table and one
	 * level-3 table per map: 64 * (3 + 61) = 4096, the quota */
	CHECK_EQ(err, -ENOMEM);
	CHECK_EQ(maps, IOMMU_QUOTA_PAGES / ATTACK_HWPTS - 3);
	page_stats(&after);
	u2 = usage(&a);
	CHECK_EQ(u2.charged.pages, IOMMU_QUOTA_PAGES);
	CHECK(u2.charged.pages + ATTACK_HWPTS > u2.limit.pages);
	/* the refused map changed nothing: pages, objects, areas, usage */
	CHECK_EQ(after.in_use, before.in_use);
	CHECK_EQ(hostenv_objs_in_use(), objs_before);
	CHECK(same_quota(u2.charged, u.charged));
	CHECK(same_quota(u2.held, u.held));
	CHECK_EQ(u2.charged.areas, maps);
	CHECK_BALANCED(&a);
	/* ... and is nowhere in the tables: the device sees the last good map
	 * and nothing at the refused IOVA */
	memset(data, 0x5a, sizeof(data));
	CHECK_EQ(smmu_model_dma_write(model, PSID_A, (maps - 1) * 2 * MiB, data, 64), 0);
	CHECK(!memcmp(gva(&a, BUF_GPA), data, 64));
	CHECK_EQ(smmu_model_dma_write(model, PSID_A, maps * 2 * MiB, data, 64), -EFAULT);
	/* a smaller request that still fits is refused too: the next map needs
	 * a table in every HWPT, whatever its length */
	CHECK_EQ(map_fixed(&a, ioas, maps * 2 * MiB + 0x1000, BUF_GPA, PAGE_SIZE, RW), -ENOMEM);
	/* a new paging HWPT would need a root and a copy of every area */
	CHECK_EQ(hwpt_new(&a, ioas, 0, &hwpt_b), -ENOSPC); /* its VMID cap first */

	/* the other guest still builds, maps and moves bytes */
	REQUIRE(hc_ioas_alloc(&b, &ioas_b) == 0);
	CHECK_EQ(map_fixed(&b, ioas_b, 0x100000, BUF_GPA, 16 * PAGE_SIZE, RW), 0);
	REQUIRE(hwpt_new(&b, ioas_b, 0, &hwpt_b) == 0);
	REQUIRE(attach(&b, hwpt_b) == 0);
	for (unsigned int i = 0; i < sizeof(data); i++)
		data[i] = (u8)(0x80 + i);
	CHECK_EQ(smmu_model_dma_write(model, PSID_B, 0x100000 + 5 * PAGE_SIZE, data, 64), 0);
	CHECK(!memcmp(gva(&b, BUF_GPA + 5 * PAGE_SIZE), data, 64));
	CHECK_EQ(smmu_model_dma_read(model, PSID_B, 0x100000 + 5 * PAGE_SIZE, back, 64), 0);
	CHECK(!memcmp(back, data, 64));
	CHECK_BALANCED(&b);

	/* the attacker gives everything back: its usage returns to zero */
	CHECK_EQ(detach(&a), 0);
	for (int i = 0; i < ATTACK_HWPTS; i++)
		CHECK_EQ(destroy(&a, hwpt[i]), 0);
	CHECK_EQ(destroy(&a, ioas), 0);
	u = usage(&a);
	CHECK(same_quota(u.charged, (struct iommu_quota){ 0 }));
	CHECK(same_quota(u.held, (struct iommu_quota){ 0 }));
	teardown(&a, &b);
}

/*
 * The same attack with nothing left mapped: map and unmap one 4 KiB page
 * at 2 MiB strides, so every unmap keeps its emptied level-3 table. The
 * kept tables are the attacker's: they stop it at its own page quota
 * (-ENOMEM, nothing changed), the other guest's maps and DMA go on, and
 * one unmap of everything gives every one of them back.
 */
TEST(hoarding_emptied_tables_stops_at_the_page_quota)
{
	struct guest a, b;
	struct iommu_quota qa = { .pages = 64 };
	struct page_stats p0, before, after;
	u32 ioas, hwpt, ioas_b, hwpt_b;
	u64 maps;
	u8 data[64];
	int err = 0;

	REQUIRE(setup_smmu(NULL));
	REQUIRE(guest_quota(&a, 1, PSID_A, &qa));
	REQUIRE(guest_init(&b, 2, PSID_B));
	REQUIRE(hc_ioas_alloc(&a, &ioas) == 0);
	REQUIRE(hwpt_new(&a, ioas, 0, &hwpt) == 0);
	REQUIRE(attach(&a, hwpt) == 0);
	page_stats(&p0);
	for (maps = 0; maps < 1000; maps++) {
		page_stats(&before);
		err = map_fixed(&a, ioas, maps * 2 * MiB, BUF_GPA, PAGE_SIZE, RW);
		if (err)
			break;
		REQUIRE(unmap(&a, ioas, maps * 2 * MiB, PAGE_SIZE, NULL) == 0);
	}
	page_stats(&after);
	/* a root, a level-1 and a level-2 table, then one kept table a map */
	CHECK_EQ(err, -ENOMEM);
	CHECK_EQ(maps, 64 - 3);
	CHECK_EQ(usage(&a).charged.pages, 64);
	CHECK_EQ(usage(&a).charged.areas, 0);
	CHECK_EQ(after.in_use, before.in_use); /* the refused map took nothing */
	CHECK_EQ(after.in_use - p0.in_use, 2 + maps); /* level 1, level 2, the kept ones */
	CHECK_BALANCED(&a);
	/* the other guest builds, maps and moves bytes */
	REQUIRE(hc_ioas_alloc(&b, &ioas_b) == 0);
	CHECK_EQ(map_fixed(&b, ioas_b, 0x100000, BUF_GPA, 16 * PAGE_SIZE, RW), 0);
	REQUIRE(hwpt_new(&b, ioas_b, 0, &hwpt_b) == 0);
	REQUIRE(attach(&b, hwpt_b) == 0);
	memset(data, 0x3c, sizeof(data));
	CHECK_EQ(smmu_model_dma_write(model, PSID_B, 0x100000, data, 64), 0);
	CHECK(!memcmp(gva(&b, BUF_GPA), data, 64));
	/* an unmap of everything (nothing is mapped) gives the tables back */
	page_stats(&before);
	{
		struct iommu_ioas_unmap u = { .size = sizeof(u), .ioas_id = ioas, .iova = 0,
					      .length = ~0ULL };
		CHECK_EQ(HC(&a, IOMMU_CMD_IOAS_UNMAP, u), 0);
	}
	CHECK_EQ(usage(&a).charged.pages, 1); /* the root */
	page_stats(&after);
	CHECK_EQ(before.in_use - after.in_use, 63); /* the level-1 and level-2 tables too */
	CHECK_EQ(map_fixed(&a, ioas, 0, BUF_GPA, PAGE_SIZE, RW), 0);
	CHECK_BALANCED(&a);
	teardown(&a, &b);
}

/* ---- each limit ---------------------------------------------------------------------- */

TEST(defaults_apply_when_the_package_sets_nothing)
{
	struct guest g;
	struct iommu_usage u;
	const struct iommu_quota def = { IOMMU_QUOTA_PAGES, IOMMU_QUOTA_OBJECTS,
					 IOMMU_QUOTA_AREAS, IOMMU_QUOTA_VMIDS };

	REQUIRE(setup_smmu(NULL));
	REQUIRE(guest_init(&g, 1, PSID_A));
	u = usage(&g);
	CHECK(same_quota(u.limit, def));
	CHECK(same_quota(u.charged, (struct iommu_quota){ 0 })); /* its device is Aerie's */
	iommu_ctx_set_quota(g.ctx, &(struct iommu_quota){ .areas = 7 });
	u = usage(&g);
	CHECK_EQ(u.limit.areas, 7);
	CHECK_EQ(u.limit.pages, IOMMU_QUOTA_PAGES);
	teardown(&g, NULL);
}

TEST(vmids_areas_and_pages_each_refuse_at_their_limit_and_change_nothing)
{
	struct guest g;
	struct iommu_quota q = { .pages = 5, .areas = 2, .vmids = 1 };
	struct iommu_usage u;
	struct page_stats before, after;
	u32 ioas, hwpt, h2;

	REQUIRE(setup_smmu(NULL));
	REQUIRE(guest_quota(&g, 1, PSID_A, &q));
	REQUIRE(hc_ioas_alloc(&g, &ioas) == 0);
	REQUIRE(hwpt_new(&g, ioas, 0, &hwpt) == 0);
	/* VMIDs: one paging HWPT; the second is -ENOSPC, with nothing taken */
	u = usage(&g);
	page_stats(&before);
	CHECK_EQ(hwpt_new(&g, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &h2), -ENOSPC);
	page_stats(&after);
	CHECK_EQ(after.in_use, before.in_use);
	CHECK(same_quota(usage(&g).charged, u.charged));
	CHECK_EQ(u.charged.vmids, 1);
	/* pages: 1 root + L1, L2, L3 for the first map = 4 of 5 */
	CHECK_EQ(map_fixed(&g, ioas, 0, BUF_GPA, PAGE_SIZE, RW), 0);
	CHECK_EQ(usage(&g).charged.pages, 4);
	/* another GiB needs an L2 and an L3: 6 > 5 */
	u = usage(&g);
	page_stats(&before);
	CHECK_EQ(map_fixed(&g, ioas, GiB, BUF_GPA, PAGE_SIZE, RW), -ENOMEM);
	page_stats(&after);
	CHECK_EQ(after.in_use, before.in_use);
	CHECK(same_quota(usage(&g).charged, u.charged));
	CHECK_EQ(smmu_model_translate(model, PSID_A, GiB, false, NULL), -EFAULT);
	/* the next 2 MiB needs one: 5 of 5 */
	CHECK_EQ(map_fixed(&g, ioas, 2 * MiB, BUF_GPA, PAGE_SIZE, RW), 0);
	CHECK_EQ(usage(&g).charged.pages, 5);
	CHECK_BALANCED(&g);
	/* areas: 2 of 2; a third (that needs no table) is -ENOMEM */
	CHECK_EQ(usage(&g).charged.areas, 2);
	CHECK_EQ(map_fixed(&g, ioas, 2 * MiB + PAGE_SIZE, BUF_GPA, PAGE_SIZE, RW), -ENOMEM);
	CHECK(same_quota(usage(&g).charged, (struct iommu_quota){ 5, 2, 2, 1 }));
	/* an unmap gives the area back; the table it emptied stays, charged,
	 * for the next map there (which needs no page then) */
	CHECK_EQ(unmap(&g, ioas, 2 * MiB, PAGE_SIZE, NULL), 0);
	CHECK(same_quota(usage(&g).charged, (struct iommu_quota){ 5, 2, 1, 1 }));
	CHECK_BALANCED(&g);
	CHECK_EQ(map_fixed(&g, ioas, 2 * MiB, BUF_GPA, PAGE_SIZE, RW), 0);
	CHECK(same_quota(usage(&g).charged, (struct iommu_quota){ 5, 2, 2, 1 }));
	/* an unmap over the table's whole span gives it back, after the
	 * invalidation: then the other map fits again */
	CHECK_EQ(unmap(&g, ioas, 2 * MiB, 2 * MiB, NULL), 0);
	CHECK(same_quota(usage(&g).charged, (struct iommu_quota){ 4, 2, 1, 1 }));
	CHECK_BALANCED(&g);
	CHECK_EQ(map_fixed(&g, ioas, 2 * MiB + PAGE_SIZE, BUF_GPA, PAGE_SIZE, RW), 0);
	CHECK_BALANCED(&g);
	/* destroying the HWPT returns its VMID and tables, not the areas */
	CHECK_EQ(destroy(&g, hwpt), 0);
	CHECK(same_quota(usage(&g).charged, (struct iommu_quota){ 0, 1, 2, 0 }));
	CHECK_EQ(hwpt_new(&g, ioas, 0, &hwpt), 0);
	CHECK(same_quota(usage(&g).charged, (struct iommu_quota){ 5, 2, 2, 1 }));
	CHECK_BALANCED(&g);
	teardown(&g, NULL);
}

/* the nested sequence, one command per step; returns the first error */
static int nested_steps(struct guest *g, int *step)
{
	struct iommu_viommu_alloc v = { .size = sizeof(v), .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
					.dev_id = (u32)g->dev_id };
	struct iommu_vdevice_alloc vd = { .size = sizeof(vd), .dev_id = (u32)g->dev_id,
					  .virt_id = VSID };
	struct iommu_veventq_alloc q = { .size = sizeof(q), .type = IOMMU_VEVENTQ_TYPE_ARM_SMMUV3,
					 .veventq_depth = 4, .ring_uptr = DATA_GPA + 0x800 };
	struct iommu_hwpt_alloc h;
	struct iommu_hwpt_arm_smmuv3 *vste = gva(g, DATA_GPA);
	u32 ioas, parent;
	int err;

	*step = 0;
	if ((err = hc_ioas_alloc(g, &ioas)))
		return err;
	(*step)++;
	if ((err = map_fixed(g, ioas, GUEST_IPA, GUEST_IPA, GUEST_SIZE, RW)))
		return err;
	(*step)++;
	if ((err = hwpt_new(g, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &parent)))
		return err;
	(*step)++;
	v.hwpt_id = parent;
	if ((err = HC(g, IOMMU_CMD_VIOMMU_ALLOC, v)))
		return err;
	(*step)++;
	vd.viommu_id = v.out_viommu_id;
	if ((err = HC(g, IOMMU_CMD_VDEVICE_ALLOC, vd)))
		return err;
	(*step)++;
	q.viommu_id = v.out_viommu_id;
	if ((err = HC(g, IOMMU_CMD_VEVENTQ_ALLOC, q)))
		return err;
	(*step)++;
	vste->ste[0] = 1 | (4 << 1); /* bypass: the parent's stage 2 */
	vste->ste[1] = 0;
	h = (struct iommu_hwpt_alloc){ .size = sizeof(h), .dev_id = (u32)g->dev_id,
				       .pt_id = v.out_viommu_id,
				       .data_type = IOMMU_HWPT_DATA_ARM_SMMUV3, .data_len = 16,
				       .data_uptr = DATA_GPA };
	if ((err = HC(g, IOMMU_CMD_HWPT_ALLOC, h)))
		return err;
	(*step)++;
	return attach(g, h.out_hwpt_id);
}

/* every kind of object counts: with room for k objects, the (k+1)-th
 * allocation of the sequence is -ENOMEM and takes nothing */
TEST(every_object_kind_is_charged_and_refused_past_the_object_limit)
{
	/* the sequence allocates IOAS, NEST_PARENT, vIOMMU, vDEVICE, vEVENTQ,
	 * nested HWPT: the map (step 1) is an area, not an object */
	static const int step_of_object[] = { 0, 2, 3, 4, 5, 6 };

	for (u32 k = 1; k <= 6; k++) {
		struct guest g;
		struct iommu_usage u;
		int step, err;

		REQUIRE(setup_smmu(NULL));
		REQUIRE(guest_quota(&g, 1, PSID_A, &(struct iommu_quota){ .objects = k }));
		err = nested_steps(&g, &step);
		u = usage(&g);
		if (k < 6) {
			CHECK_EQ(err, -ENOMEM);
			CHECK_EQ(step, step_of_object[k]);
			CHECK_EQ(u.charged.objects, k);
		} else {
			CHECK_EQ(err, 0);
			CHECK_EQ(u.charged.objects, 6);
		}
		CHECK_EQ(u.charged.vmids, k >= 2); /* the NEST_PARENT's */
		CHECK_BALANCED(&g);
		teardown(&g, NULL);
		if (test_current_failed)
			break;
	}
}

/* a HWPT_ALLOC that copies a filled IOAS: with every page limit short of
 * what it needs it is -ENOMEM and leaves no trace, at the limit it fits */
TEST(hwpt_alloc_of_a_filled_ioas_needs_its_pages_under_the_quota)
{
	u64 need = 0;
	u32 fit = 0;

	for (u32 limit = 1;; limit++) {
		struct guest g;
		struct iommu_usage u;
		struct page_stats before, after;
		u32 ioas, hwpt;
		int err;

		REQUIRE(setup_smmu(NULL));
		REQUIRE(guest_quota(&g, 1, PSID_A, &(struct iommu_quota){ .pages = limit }));
		REQUIRE(hc_ioas_alloc(&g, &ioas) == 0);
		/* 4K pages in 3 level-3 tables, 2 GiB apart: root, L1, 2 L2, 3 L3 */
		REQUIRE(map_fixed(&g, ioas, 0x1ff000, BUF_GPA, 2 * PAGE_SIZE, RW) == 0);
		REQUIRE(map_fixed(&g, ioas, 2 * GiB, BUF_GPA, PAGE_SIZE, RW) == 0);
		u = usage(&g);
		page_stats(&before);
		err = hwpt_new(&g, ioas, 0, &hwpt);
		page_stats(&after);
		if (err) {
			CHECK_EQ(err, -ENOMEM);
			CHECK_EQ(after.in_use, before.in_use);
			CHECK(same_quota(usage(&g).charged, u.charged));
		} else {
			need = usage(&g).charged.pages;
			fit = limit;
			CHECK_EQ(after.in_use - before.in_use, need);
		}
		CHECK_BALANCED(&g);
		teardown(&g, NULL);
		if (!err || test_current_failed || limit > 16)
			break;
	}
	CHECK_EQ(need, 7);
	CHECK_EQ(fit, 7); /* refused at 1..6 */
}

/* ---- allocation failure under a quota --------------------------------------------------- */

/*
 * The pool itself refusing at every point of a map into several HWPTs and of
 * a HWPT_ALLOC: -ENOMEM, and the charge is as before and equals what is
 * held (a failed allocation is never charged, a rolled-back one uncharged).
 */
TEST(allocation_failure_anywhere_leaves_the_charge_balanced)
{
	for (int op = 0; op < 2; op++) {
		for (unsigned long nth = 1;; nth++) {
			struct guest g;
			struct iommu_usage u;
			struct page_stats before, after;
			u32 ioas, hwpt;
			int err;

			REQUIRE(setup_smmu(NULL));
			REQUIRE(guest_init(&g, 1, PSID_A));
			REQUIRE(hc_ioas_alloc(&g, &ioas) == 0);
			REQUIRE(map_fixed(&g, ioas, 0, BUF_GPA, PAGE_SIZE, RW) == 0);
			for (int i = 0; i < 4; i++)
				REQUIRE(hwpt_new(&g, ioas, 0, &hwpt) == 0);
			u = usage(&g);
			page_stats(&before);
			hostenv_fail_nth(nth);
			err = op == 0 ? map_fixed(&g, ioas, 3 * GiB, BUF_GPA, 4 * MiB, RW)
				      : hwpt_new(&g, ioas, 0, &hwpt);
			hostenv_fail_nth(0);
			page_stats(&after);
			CHECK_BALANCED(&g);
			if (err) {
				CHECK_EQ(err, -ENOMEM);
				CHECK_EQ(after.in_use, before.in_use);
				CHECK(same_quota(usage(&g).charged, u.charged));
			} else {
				CHECK_EQ(after.in_use - before.in_use,
					 usage(&g).charged.pages - u.charged.pages);
			}
			teardown(&g, NULL);
			if (!err || test_current_failed || nth > 60)
				break;
		}
	}
}

/* ---- the page-table library's budget ------------------------------------------------------ */

static u64 held(const struct pgtable *a, const struct pgtable *b)
{
	return a->table_pages + a->deferred_pages + b->table_pages + b->deferred_pages;
}

TEST(pgtable_budget_counts_every_page_held_until_it_is_really_freed)
{
	struct pgtable_budget b = { .used = 0, .limit = 8 };
	struct pgtable p1, p2, cpu;
	struct pgtable_inval inv;
	struct page_stats s0, s;
	paddr_t ram = hostenv_ram_alloc(4 * MiB, 2 * MiB), pa;

	page_stats(&s0);
	/* IAS 42: a root of 8 concatenated tables, over the limit with one more */
	CHECK_EQ(pgtable_init_charged(&p1, 42, 44, &b), 0);
	CHECK_EQ(b.used, 8);
	CHECK_EQ(pgtable_init_charged(&p2, 44, 44, &b), -ENOMEM);
	CHECK_EQ(b.used, 8);
	pgtable_destroy(&p1);
	CHECK_EQ(b.used, 0);
	page_stats(&s);
	CHECK_EQ(s.in_use, s0.in_use);

	/* two tables share the budget */
	CHECK_EQ(pgtable_init_charged(&p1, 44, 44, &b), 0);
	CHECK_EQ(pgtable_init_charged(&p2, 44, 44, &b), 0);
	CHECK_EQ(pgtable_map(&p1, 0, 2 * MiB, ram, PT_R | PT_W, PT_ATTR_NORMAL, &inv), 0);
	CHECK_EQ(b.used, 4); /* p1: root, L1, L2 (a block); p2: root */
	CHECK_EQ(b.used, held(&p1, &p2));
	/* p2 needs L1, L2, L3: 7 of 8 */
	CHECK_EQ(pgtable_map(&p2, 0x1000, PAGE_SIZE, ram, PT_R, PT_ATTR_NORMAL, &inv), 0);
	CHECK_EQ(b.used, 7);
	/* splitting p1's block needs a table: 8 */
	CHECK_EQ(pgtable_unmap(&p1, 0, PAGE_SIZE, &inv, NULL), 0);
	CHECK_EQ(b.used, 8);
	CHECK_EQ(b.used, held(&p1, &p2));
	page_stats(&s);
	CHECK_EQ(s.in_use - s0.in_use, b.used);
	/* at the limit: a map needing a table is -ENOMEM and changes nothing */
	CHECK_EQ(pgtable_map(&p2, GiB, PAGE_SIZE, ram, PT_R, PT_ATTR_NORMAL, &inv), -ENOMEM);
	CHECK_EQ(b.used, 8);
	CHECK_EQ(pgtable_lookup(&p2, GiB, NULL, NULL, NULL, NULL), -ENOENT);
	/* a map that needs no table still works */
	CHECK_EQ(pgtable_map(&p2, 0x2000, PAGE_SIZE, ram, PT_R, PT_ATTR_NORMAL, &inv), 0);
	/* unlinked tables stay charged until the invalidation completes */
	CHECK_EQ(pgtable_unmap(&p2, 0, 2 * MiB, &inv, NULL), 0);
	CHECK(inv.tables_freed);
	CHECK_EQ(p2.deferred_pages, 3);
	CHECK_EQ(b.used, 8);
	CHECK_EQ(b.used, held(&p1, &p2));
	page_stats(&s);
	CHECK_EQ(s.in_use - s0.in_use, b.used);
	pgtable_inval_complete(&p2);
	CHECK_EQ(b.used, 5);
	CHECK_EQ(b.used, held(&p1, &p2));
	page_stats(&s);
	CHECK_EQ(s.in_use - s0.in_use, b.used);
	/* destroy with unlinked tables still pending: all of it uncharged */
	CHECK_EQ(pgtable_unmap(&p1, 0, 2 * MiB, &inv, NULL), 0);
	CHECK(p1.deferred_pages > 0);
	pgtable_destroy(&p1);
	pgtable_destroy(&p2);
	CHECK_EQ(b.used, 0);
	page_stats(&s);
	CHECK_EQ(s.in_use, s0.in_use);

	/* no budget (the CPU stage 2): nothing is charged, nothing refused */
	CHECK_EQ(pgtable_init(&cpu, 40, 40), 0);
	CHECK(cpu.budget == NULL);
	CHECK_EQ(pgtable_map(&cpu, 0, 64 * MiB, ram, PT_R, PT_ATTR_NORMAL, NULL), 0);
	CHECK_EQ(pgtable_map(&cpu, GiB, PAGE_SIZE, ram, PT_R, PT_ATTR_NORMAL, NULL), 0);
	CHECK_EQ(pgtable_lookup(&cpu, GiB, &pa, NULL, NULL, NULL), 0);
	CHECK_EQ(pa, ram);
	pgtable_destroy(&cpu);
	page_stats(&s);
	CHECK_EQ(s.in_use, s0.in_use);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
