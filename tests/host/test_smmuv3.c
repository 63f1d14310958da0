/* SPDX-License-Identifier: MIT */
/*
 * The SMMUv3 driver against the software SMMU: real DMA through tables the
 * driver programmed, events, invalidation reaching the TLB, and exact costs.
 */
#include <aerie/bits.h>
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
#define OTHER_SID 0x18
#define MiB (1ULL << 20)

static struct smmu_event last_evt;
static int nevents;

bool smmu_event_report(struct smmu *smmu, const struct smmu_event *evt)
{
	(void)smmu;
	last_evt = *evt;
	nevents++;
	return false; /* no guest's: the driver logs it */
}

struct env {
	struct smmu_model *m;
	struct smmu *s;
	struct pgtable pt;
	u16 vmid;
	paddr_t ram;		/* 4 MiB of "RAM" the mappings point into */
};

static bool setup_cfg(struct env *e, const struct smmu_model_cfg *cfg)
{
	memset(e, 0, sizeof(*e));
	nevents = 0;
	e->m = smmu_model_create(SMMU_BASE, cfg);
	if (smmu_probe(&e->s, SMMU_BASE, SMMU_MODEL_MMIO_SIZE))
		return false;
	e->ram = hostenv_ram_alloc(4 * MiB, 2 * MiB);
	if (pgtable_init(&e->pt, smmu_features(e->s)->ias > 40 ? 40 : 39, 44))
		return false;
	return smmu_vmid_alloc(e->s, &e->vmid) == 0;
}

static bool setup(struct env *e)
{
	struct smmu_model_cfg cfg = smmu_model_default_cfg();

	return setup_cfg(e, &cfg);
}

static void teardown(struct env *e)
{
	struct page_stats ps;

	pgtable_destroy(&e->pt);
	smmu_remove(e->s);
	smmu_model_destroy(e->m);
	page_stats(&ps);
	CHECK_EQ(ps.in_use, 0);
	CHECK_EQ(hostenv_objs_in_use(), 0);
}

static int install_s2(struct env *e, u32 sid, struct pgtable *pt, u16 vmid)
{
	struct smmu_ste_cfg c = { .kind = SMMU_STE_S2, .s2 = pt, .vmid = vmid };

	return smmu_ste_install(e->s, sid, &c);
}

static u8 *ram(struct env *e, u64 off)
{
	return (u8 *)phys_to_virt(e->ram) + off;
}

TEST(probe_decodes_features_and_aborts_every_stream)
{
	struct env e;
	u8 buf[16] = { 1, 2, 3 };
	u64 ste[8];

	REQUIRE(setup(&e));
	CHECK(smmu_features(e.s)->s2 && smmu_features(e.s)->s1 && smmu_features(e.s)->nesting);
	CHECK(smmu_features(e.s)->ril && smmu_features(e.s)->vmid16 && smmu_features(e.s)->st_2lvl);
	CHECK_EQ(smmu_features(e.s)->oas, 44);
	CHECK_EQ(smmu_features(e.s)->sid_bits, 16);
	CHECK(hostenv_log_contains("smmu: SMMUv3"));
	/* no stream was configured: DMA goes nowhere, whatever the address */
	CHECK_EQ(smmu_model_dma_write(e.m, SID, e.ram, buf, sizeof(buf)), -EFAULT);
	CHECK_EQ(smmu_model_dma_write(e.m, 0, 0, buf, sizeof(buf)), -EFAULT);
	CHECK_EQ(ram(&e, 0)[0], 0);
	CHECK_EQ(smmu_ste_read(e.s, SID, ste), 0);
	CHECK_EQ(ste[0] & 0xf, 1); /* V=1, Config=abort */
	teardown(&e);
}

TEST(probe_refuses_an_smmu_without_stage2)
{
	struct smmu_model_cfg cfg = smmu_model_default_cfg();
	struct smmu_model *m;
	struct smmu *s = (struct smmu *)1;
	struct page_stats ps;

	cfg.s2 = false;
	m = smmu_model_create(SMMU_BASE, &cfg);
	CHECK_EQ(smmu_probe(&s, SMMU_BASE, SMMU_MODEL_MMIO_SIZE), -ENODEV);
	CHECK(s == NULL);
	CHECK(hostenv_log_contains("no stage-2 translation"));
	smmu_model_destroy(m);
	page_stats(&ps);
	CHECK_EQ(ps.in_use, 0);
	CHECK_EQ(hostenv_objs_in_use(), 0);
}

TEST(dma_lands_exactly_where_stage2_maps_it_both_ways)
{
	struct env e;
	u8 out[300], back[300];

	REQUIRE(setup(&e));
	for (int i = 0; i < 300; i++)
		out[i] = (u8)(i * 7 + 1);
	/* IOVA 0x100000 (2 pages) -> RAM + 1 MiB; guards on both sides */
	REQUIRE(pgtable_map(&e.pt, 0x100000, 2 * PAGE_SIZE, e.ram + MiB, PT_R | PT_W,
			    PT_ATTR_NORMAL, NULL) == 0);
	REQUIRE(install_s2(&e, SID, &e.pt, e.vmid) == 0);
	/* crossing the page boundary */
	CHECK_EQ(smmu_model_dma_write(e.m, SID, 0x100000 + 4000, out, sizeof(out)), 0);
	CHECK(!memcmp(ram(&e, MiB + 4000), out, sizeof(out)));
	for (u64 i = 0; i < 4 * MiB; i++) {
		if (i >= MiB + 4000 && i < MiB + 4000 + sizeof(out))
			continue;
		if (ram(&e, 0)[i]) {
			fprintf(stderr, "  stray byte at RAM+0x%llx\n", (unsigned long long)i);
			CHECK(0);
			break;
		}
	}
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0x100000 + 4000, back, sizeof(back)), 0);
	CHECK(!memcmp(back, out, sizeof(out)));
	/* another stream, never configured, still cannot reach it */
	CHECK_EQ(smmu_model_dma_read(e.m, OTHER_SID, 0x100000, back, 16), -EFAULT);
	teardown(&e);
}

TEST(unmapped_iova_faults_with_the_event_in_words)
{
	struct env e;
	u8 buf[8] = { 0xaa };

	REQUIRE(setup(&e));
	REQUIRE(pgtable_map(&e.pt, 0x100000, PAGE_SIZE, e.ram, PT_R | PT_W, PT_ATTR_NORMAL,
			    NULL) == 0);
	REQUIRE(install_s2(&e, SID, &e.pt, e.vmid) == 0);
	CHECK_EQ(smmu_model_dma_write(e.m, SID, 0x200040, buf, sizeof(buf)), -EFAULT);
	CHECK_EQ(smmu_poll(e.s), 1);
	CHECK_EQ(nevents, 1);
	CHECK_EQ(last_evt.type, 0x10);
	CHECK_EQ(last_evt.sid, SID);
	CHECK_EQ(last_evt.addr, 0x200040);
	CHECK(!last_evt.read);
	CHECK(last_evt.s2);
	CHECK(hostenv_log_contains("F_TRANSLATION (translation fault): StreamID 0x10, write at 0x200040"));
	CHECK_EQ(smmu_poll(e.s), 0); /* drained */
	teardown(&e);
}

TEST(read_only_mapping_rejects_device_writes)
{
	struct env e;
	u8 buf[8] = { 0x55, 0x55 };

	REQUIRE(setup(&e));
	REQUIRE(pgtable_map(&e.pt, 0x100000, PAGE_SIZE, e.ram, PT_R, PT_ATTR_NORMAL, NULL) == 0);
	REQUIRE(install_s2(&e, SID, &e.pt, e.vmid) == 0);
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0x100000, buf, sizeof(buf)), 0);
	CHECK_EQ(smmu_model_dma_write(e.m, SID, 0x100000, buf, sizeof(buf)), -EFAULT);
	CHECK_EQ(ram(&e, 0)[0], 0);
	CHECK_EQ(smmu_poll(e.s), 1);
	CHECK_EQ(last_evt.type, 0x13);
	CHECK(hostenv_log_contains("F_PERMISSION"));
	teardown(&e);
}

TEST(unmap_needs_the_invalidation_and_the_driver_sends_it)
{
	struct env e;
	struct pgtable_inval inv;
	u8 buf[8];

	REQUIRE(setup(&e));
	REQUIRE(pgtable_map(&e.pt, 0x100000, 4 * PAGE_SIZE, e.ram, PT_R | PT_W, PT_ATTR_NORMAL,
			    NULL) == 0);
	REQUIRE(install_s2(&e, SID, &e.pt, e.vmid) == 0);
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0x101000, buf, sizeof(buf)), 0); /* cached */
	REQUIRE(pgtable_unmap(&e.pt, 0x100000, 4 * PAGE_SIZE, &inv, NULL) == 0);
	/* the TLB still holds it: without invalidation the device gets through */
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0x101000, buf, sizeof(buf)), 0);
	CHECK_EQ(smmu_inv_s2_range(e.s, e.vmid, &inv, false), 0);
	pgtable_inval_complete(&e.pt);
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0x101000, buf, sizeof(buf)), -EFAULT);
	teardown(&e);
}

static u64 delta_cmds(struct env *e, const struct smmu_model_stats *before, u8 op)
{
	struct smmu_model_stats now;

	smmu_model_get_stats(e->m, &now);
	return now.cmds[op] - before->cmds[op];
}

static u64 delta_syncs(struct env *e, const struct smmu_model_stats *before)
{
	struct smmu_model_stats now;

	smmu_model_get_stats(e->m, &now);
	return now.syncs - before->syncs;
}

TEST(fresh_ste_costs_one_cfgi_and_one_sync)
{
	struct env e;
	struct smmu_model_stats st;
	struct smmu_stats ds;

	REQUIRE(setup(&e));
	/* first stream of an untouched span (the level-1 descriptor too) */
	smmu_model_get_stats(e.m, &st);
	REQUIRE(install_s2(&e, SID, &e.pt, e.vmid) == 0);
	CHECK_EQ(delta_cmds(&e, &st, 0x03), 1);
	CHECK_EQ(delta_syncs(&e, &st), 1);
	/* and a stream in a span that already exists */
	smmu_model_get_stats(e.m, &st);
	REQUIRE(install_s2(&e, OTHER_SID, &e.pt, e.vmid) == 0);
	CHECK_EQ(delta_cmds(&e, &st, 0x03), 1);
	CHECK_EQ(delta_syncs(&e, &st), 1);
	/* the driver's own counters agree with what the SMMU consumed */
	smmu_get_stats(e.s, &ds);
	smmu_model_get_stats(e.m, &st);
	CHECK_EQ(ds.syncs, st.syncs);
	CHECK_EQ(ds.ste_rounds, 2);
	teardown(&e);
}

static bool same_used_s2(const u64 *a, u16 vmid, paddr_t ttb)
{
	return (a[0] & 0xf) == (1 | (6 << 1)) && (a[2] & 0xffff) == vmid &&
	       (a[3] & 0x000ffffffffffff0ULL) == ttb;
}

TEST(live_replace_is_never_invalid_or_mixed)
{
	struct env e;
	struct pgtable pt2;
	struct smmu_model_stats st;
	u16 vmid2;
	u64(*obs)[8];
	unsigned int n;
	u8 buf[4];

	REQUIRE(setup(&e));
	REQUIRE(pgtable_init(&pt2, 39, 44) == 0);
	REQUIRE(smmu_vmid_alloc(e.s, &vmid2) == 0);
	CHECK(vmid2 != e.vmid);
	REQUIRE(pgtable_map(&e.pt, 0, PAGE_SIZE, e.ram, PT_R, PT_ATTR_NORMAL, NULL) == 0);
	REQUIRE(pgtable_map(&pt2, 0, PAGE_SIZE, e.ram + PAGE_SIZE, PT_R, PT_ATTR_NORMAL, NULL) == 0);
	ram(&e, 0)[0] = 0x11;
	ram(&e, PAGE_SIZE)[0] = 0x22;
	REQUIRE(install_s2(&e, SID, &e.pt, e.vmid) == 0);
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0, buf, 1), 0);
	CHECK_EQ(buf[0], 0x11);
	smmu_model_watch_sid(e.m, SID);
	smmu_model_get_stats(e.m, &st);
	REQUIRE(install_s2(&e, SID, &pt2, vmid2) == 0);
	CHECK(delta_cmds(&e, &st, 0x03) <= 3);
	CHECK_EQ(delta_cmds(&e, &st, 0x03), delta_syncs(&e, &st));
	n = smmu_model_observed(e.m, &obs);
	CHECK(n >= 1);
	for (unsigned int i = 0; i < n; i++) {
		bool abort = (obs[i][0] & 0xf) == 1;
		CHECK(obs[i][0] & 1); /* never V=0 */
		CHECK(abort || same_used_s2(obs[i], e.vmid, e.pt.root) ||
		      same_used_s2(obs[i], vmid2, pt2.root));
	}
	CHECK(same_used_s2(obs[n - 1], vmid2, pt2.root));
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0, buf, 1), 0);
	CHECK_EQ(buf[0], 0x22);
	pgtable_destroy(&pt2);
	teardown(&e);
}

static void check_range_invalidation(bool ril, u64 npages)
{
	struct env e;
	struct smmu_model_cfg cfg = smmu_model_default_cfg();
	struct smmu_model_stats st;
	struct pgtable_inval inv;
	u8 buf[4];

	cfg.ril = ril;
	REQUIRE(setup_cfg(&e, &cfg));
	REQUIRE(pgtable_map(&e.pt, 0x40000000, npages * PAGE_SIZE, e.ram, PT_R, PT_ATTR_NORMAL,
			    NULL) == 0);
	REQUIRE(install_s2(&e, SID, &e.pt, e.vmid) == 0);
	/* fill the TLB at both ends */
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0x40000000, buf, 4), 0);
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0x40000000 + (npages - 1) * PAGE_SIZE, buf, 4), 0);
	REQUIRE(pgtable_unmap(&e.pt, 0x40000000, npages * PAGE_SIZE, &inv, NULL) == 0);
	smmu_model_get_stats(e.m, &st);
	CHECK_EQ(smmu_inv_s2_range(e.s, e.vmid, &inv, false), 0);
	CHECK_EQ(delta_syncs(&e, &st), 1);
	if (ril) {
		u64 n = delta_cmds(&e, &st, 0x2a);
		CHECK(n >= 1 && n <= (bitlen64(npages) + 4) / 5);
		CHECK_EQ(delta_cmds(&e, &st, 0x28), 0);
	} else if (npages <= 64) {
		CHECK_EQ(delta_cmds(&e, &st, 0x2a), npages);
		CHECK_EQ(delta_cmds(&e, &st, 0x28), 0);
	} else {
		CHECK_EQ(delta_cmds(&e, &st, 0x2a), 0);
		CHECK_EQ(delta_cmds(&e, &st, 0x28), 1);
	}
	/* and it worked: both ends are gone */
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0x40000000, buf, 4), -EFAULT);
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0x40000000 + (npages - 1) * PAGE_SIZE, buf, 4),
		 -EFAULT);
	pgtable_inval_complete(&e.pt);
	teardown(&e);
}

TEST(range_invalidation_with_ril_is_ceil_bitlen_over_5)
{
	static const u64 ns[] = { 1, 2, 31, 32, 33, 63, 100, 511, 512, 1000 };

	for (unsigned int i = 0; i < ARRAY_SIZE(ns) && !test_current_failed; i++)
		check_range_invalidation(true, ns[i]);
}

TEST(without_ril_per_leaf_then_one_vmall)
{
	static const u64 ns[] = { 1, 5, 64, 65, 300 };

	for (unsigned int i = 0; i < ARRAY_SIZE(ns) && !test_current_failed; i++)
		check_range_invalidation(false, ns[i]);
}

TEST(nothing_to_invalidate_costs_nothing)
{
	struct env e;
	struct smmu_model_stats st, now;
	struct pgtable_inval inv;

	REQUIRE(setup(&e));
	REQUIRE(pgtable_map(&e.pt, 0, PAGE_SIZE, e.ram, PT_R, PT_ATTR_NORMAL, &inv) == 0);
	smmu_model_get_stats(e.m, &st);
	CHECK_EQ(smmu_inv_s2_range(e.s, e.vmid, &inv, false), 0);
	smmu_model_get_stats(e.m, &now);
	CHECK(!memcmp(&st, &now, sizeof(st)));
	teardown(&e);
}

/* ---- nested: a stage 1 built in "guest RAM", walked through stage 2 --------------- */

#define GUEST_IPA 0x80000000ULL

/* stage-1 descriptor, 4K page, AF, AP[2] per `ro` */
static u64 s1_page(u64 out, bool ro)
{
	return out | 3 | (1ULL << 10) | (ro ? (1ULL << 7) : 0);
}

TEST(nested_translates_through_both_stages)
{
	struct env e;
	struct smmu_ste_cfg c;
	u8 out[64], back[64];
	/* guest RAM: IPA GUEST_IPA .. +4 MiB = e.ram; stage 1 at the start */
	u64 *l1, *l2, *l3, *cd;

	REQUIRE(setup(&e));
	REQUIRE(pgtable_map(&e.pt, GUEST_IPA, 4 * MiB, e.ram, PT_R | PT_W, PT_ATTR_NORMAL,
			    NULL) == 0);
	/* the guest's tables (IPA offsets): CD at +0, L1 +4K, L2 +8K, L3 +12K;
	 * IOVA 0x12345000 -> IPA GUEST_IPA + 1 MiB */
	cd = (u64 *)ram(&e, 0);
	l1 = (u64 *)ram(&e, 0x1000);
	l2 = (u64 *)ram(&e, 0x2000);
	l3 = (u64 *)ram(&e, 0x3000);
	cd[0] = 25 /* T0SZ: 39 bits */ | (1ULL << 31) /* V */ | (1ULL << 41) /* AA64 */ |
		(2ULL << 32) /* IPS 40 bits */ | (7ULL << 48) /* ASID */;
	cd[1] = GUEST_IPA + 0x1000;
	l1[(0x12345000ULL >> 30) & 511] = (GUEST_IPA + 0x2000) | 3;
	l2[(0x12345000ULL >> 21) & 511] = (GUEST_IPA + 0x3000) | 3;
	l3[(0x12345000ULL >> 12) & 511] = s1_page(GUEST_IPA + MiB, false);
	c = (struct smmu_ste_cfg){ .kind = SMMU_STE_NESTED, .s2 = &e.pt, .vmid = e.vmid,
				   .s1_ctx_ptr = GUEST_IPA, .s1dss = 0 };
	REQUIRE(smmu_ste_install(e.s, SID, &c) == 0);
	for (int i = 0; i < 64; i++)
		out[i] = (u8)(0x80 + i);
	CHECK_EQ(smmu_model_dma_write(e.m, SID, 0x12345000 + 100, out, sizeof(out)), 0);
	CHECK(!memcmp(ram(&e, MiB + 100), out, sizeof(out)));
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0x12345000 + 100, back, sizeof(back)), 0);
	CHECK(!memcmp(back, out, sizeof(out)));
	/* a stage-1 hole is a stage-1 fault */
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0x12346000, back, 4), -EFAULT);
	CHECK_EQ(smmu_poll(e.s), 1);
	CHECK_EQ(last_evt.type, 0x10);
	CHECK(!last_evt.s2);
	teardown(&e);
}

TEST(s2_to_nested_with_the_same_stage2_is_hitless)
{
	struct env e;
	struct smmu_ste_cfg c;
	u64(*obs)[8];
	unsigned int n;
	struct smmu_model_stats st;

	REQUIRE(setup(&e));
	REQUIRE(pgtable_map(&e.pt, GUEST_IPA, 4 * MiB, e.ram, PT_R | PT_W, PT_ATTR_NORMAL,
			    NULL) == 0);
	REQUIRE(install_s2(&e, SID, &e.pt, e.vmid) == 0);
	smmu_model_watch_sid(e.m, SID);
	smmu_model_get_stats(e.m, &st);
	c = (struct smmu_ste_cfg){ .kind = SMMU_STE_NESTED, .s2 = &e.pt, .vmid = e.vmid,
				   .s1_ctx_ptr = GUEST_IPA };
	REQUIRE(smmu_ste_install(e.s, SID, &c) == 0);
	CHECK(delta_cmds(&e, &st, 0x03) <= 3);
	n = smmu_model_observed(e.m, &obs);
	for (unsigned int i = 0; i < n; i++) {
		u32 cfg = (obs[i][0] >> 1) & 7;
		CHECK(obs[i][0] & 1);
		CHECK(cfg == 6 || cfg == 7); /* never through abort */
	}
	CHECK_EQ((obs[n - 1][0] >> 1) & 7, 7);
	CHECK(obs[n - 1][1] & (1ULL << 19)); /* MEV */
	teardown(&e);
}

TEST(linear_stream_table_for_a_small_sid_space)
{
	struct env e;
	struct smmu_model_cfg cfg = smmu_model_default_cfg();
	u8 buf[4] = { 9, 8, 7, 6 };

	cfg.sid_bits = 8;
	cfg.st_2lvl = false;
	REQUIRE(setup_cfg(&e, &cfg));
	REQUIRE(pgtable_map(&e.pt, 0, PAGE_SIZE, e.ram, PT_R | PT_W, PT_ATTR_NORMAL, NULL) == 0);
	REQUIRE(install_s2(&e, SID, &e.pt, e.vmid) == 0);
	CHECK_EQ(smmu_model_dma_write(e.m, SID, 0, buf, 4), 0);
	CHECK_EQ(ram(&e, 0)[3], 6);
	CHECK_EQ(install_s2(&e, 0x100, &e.pt, e.vmid), -EINVAL); /* out of range */
	teardown(&e);
}

TEST(back_to_abort_stops_dma_at_once)
{
	struct env e;
	struct smmu_ste_cfg c = { .kind = SMMU_STE_ABORT };
	u8 buf[4];

	REQUIRE(setup(&e));
	REQUIRE(pgtable_map(&e.pt, 0, PAGE_SIZE, e.ram, PT_R, PT_ATTR_NORMAL, NULL) == 0);
	REQUIRE(install_s2(&e, SID, &e.pt, e.vmid) == 0);
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0, buf, 4), 0);
	REQUIRE(smmu_ste_install(e.s, SID, &c) == 0);
	CHECK_EQ(smmu_model_dma_read(e.m, SID, 0, buf, 4), -EFAULT);
	teardown(&e);
}

TEST(a_refused_command_is_reported_and_the_queue_moves_on)
{
	struct env e;
	u64 cmds[3][2] = { { 0x30, 0 }, { 0x7f, 0 }, { 0x30, 0 } };
	unsigned int done = 99;

	REQUIRE(setup(&e));
	/* the batch that owns the refused command learns which one it was */
	CHECK_EQ(smmu_cmd_batch(e.s, (const u64 (*)[2])cmds, 3, &done), -EIO);
	CHECK_EQ(done, 1);
	/* and the queue moves on for the next batch */
	CHECK_EQ(smmu_cmd_batch(e.s, (const u64 (*)[2])cmds, 1, &done), 0);
	CHECK_EQ(done, 1);
	teardown(&e);
}

TEST(bad_ste_config_is_refused_before_touching_hardware)
{
	struct env e;
	struct smmu_ste_cfg c = { .kind = SMMU_STE_S2, .s2 = NULL, .vmid = 1 };

	REQUIRE(setup(&e));
	CHECK_EQ(smmu_ste_install(e.s, SID, &c), -EINVAL);
	c.s2 = &e.pt;
	c.vmid = 0;
	CHECK_EQ(smmu_ste_install(e.s, SID, &c), -EINVAL);
	c.kind = (enum smmu_ste_kind)9;
	c.vmid = 1;
	CHECK_EQ(smmu_ste_install(e.s, SID, &c), -EINVAL);
	teardown(&e);
}

TEST(vmids_are_unique_and_never_zero)
{
	struct env e;
	struct smmu_model_cfg cfg = smmu_model_default_cfg();
	u16 v;
	int n = 1; /* setup took one */

	cfg.vmid16 = false;
	REQUIRE(setup_cfg(&e, &cfg));
	while (smmu_vmid_alloc(e.s, &v) == 0) {
		CHECK(v != 0 && v != e.vmid);
		n++;
	}
	CHECK_EQ(n, 255);
	smmu_vmid_free(e.s, 77);
	CHECK_EQ(smmu_vmid_alloc(e.s, &v), 0);
	CHECK_EQ(v, 77);
	teardown(&e);
}

int main(int argc, char **argv) { return test_main(argc, argv); }
