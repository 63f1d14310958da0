/* SPDX-License-Identifier: MIT */
/*
 * The exact commands the IOMMU core makes the SMMU consume, read back word
 * for word from the software SMMU's command log (issue 15, classes 1 and 3),
 * and the strict model itself: what it refuses, how the queue stops and
 * resumes, and error injection. Guests are the shared fixture's
 * (iommufd_env.h), their commands through the hypercall entry.
 */
#include "iommufd_env.h"

/* command fields, from IHI 0070 chapter 4 */
#define OP(c) ((c)[0] & 0xff)
#define VMID_OF(c) (((c)[0] >> 32) & 0xffff)
#define SID_OF(c) ((u32)((c)[0] >> 32))
#define LEAF_OF(c) ((c)[1] & 1)
#define OP_CFGI_CD 0x05
#define OP_CFGI_CD_ALL 0x06
#define OP_TLBI_NH_ALL 0x10
#define OP_TLBI_NH_ASID 0x11
#define OP_TLBI_NH_VA 0x12
#define OP_TLBI_NH_VAA 0x13
#define OP_TLBI_S12_VMALL 0x28
#define OP_TLBI_S2_IPA 0x2a
#define OP_TLBI_NSNH_ALL 0x30
#define OP_ATC_INV 0x40
#define OP_SYNC 0x46

/* n raw commands as one batch (and its CMD_SYNC); *done: how many completed */
static int batch(const u64 *c, unsigned int n, unsigned int *done)
{
	unsigned int d;

	return smmu_cmd_batch(smmu, (const u64 (*)[2])c, n, done ? done : &d);
}

/* the VMID and stage-2 table the device's STE uses now */
static u16 ste_vmid(void)
{
	u64 ste[8];

	if (smmu_ste_read(smmu, PSID, ste))
		return 0;
	return (u16)(ste[2] & 0xffff);
}

/* the commands consumed since the log was reset, CMD_SYNCs left out */
static unsigned int logged(u64 (*out)[2], unsigned int max)
{
	const u64(*log)[2];
	unsigned int n = smmu_model_cmd_log(model, &log), k = 0;

	for (unsigned int i = 0; i < n && k < max; i++) {
		if (OP(log[i]) == OP_SYNC)
			continue;
		out[k][0] = log[i][0];
		out[k][1] = log[i][1];
		k++;
	}
	return k;
}

static void dump(const char *what, const u64 (*c)[2], unsigned int n)
{
	fprintf(stderr, "  %s: %u commands\n", what, n);
	for (unsigned int i = 0; i < n; i++)
		fprintf(stderr, "    0x%016llx 0x%016llx\n", (unsigned long long)c[i][0],
			(unsigned long long)c[i][1]);
}

/* ---- 15.1: a destroyed HWPT's VMID is invalidated before reuse --------------------------- */

TEST(a_reused_vmid_never_translates_through_the_destroyed_hwpts_entries)
{
	struct guest g;
	u32 ioas_a, ioas_b, a, b;
	u16 vmid_a;
	u8 data[16] = "to the new page", old[16] = "old page, stale", back[16];
	u64 c[8][2];
	unsigned int n;
	bool vmall = false;

	REQUIRE(setup(&g));
	/* HWPT A: IOVA 0x100000 -> BUF_GPA; the device's DMA fills the TLB */
	ioas_a = ioas_new(&g);
	REQUIRE(map_fixed(&g, ioas_a, 0x100000, BUF_GPA, 0x1000, RW) == 0);
	REQUIRE(hwpt_new(&g, ioas_a, 0, &a) == 0);
	REQUIRE(attach(&g, a) == 0);
	vmid_a = ste_vmid();
	REQUIRE(vmid_a != 0);
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x100000, old, 16), 0);
	CHECK(!memcmp(gva(&g, BUF_GPA), old, 16));
	/* destroy A: its VMID goes back, invalidated */
	REQUIRE(detach(&g) == 0);
	smmu_model_cmd_log_reset(model);
	REQUIRE(destroy(&g, a) == 0);
	n = logged(c, 8);
	for (unsigned int i = 0; i < n; i++)
		vmall |= OP(c[i]) == OP_TLBI_S12_VMALL && VMID_OF(c[i]) == vmid_a && !c[i][1];
	if (!vmall) {
		dump("HWPT destroy", (const u64(*)[2])c, n);
		CHECK(0);
	}
	/* HWPT B on another IOAS maps the same IOVA to another page, and gets
	 * A's VMID */
	ioas_b = ioas_new(&g);
	REQUIRE(map_fixed(&g, ioas_b, 0x100000, BUF_GPA + 0x5000, 0x1000, RW) == 0);
	REQUIRE(hwpt_new(&g, ioas_b, 0, &b) == 0);
	REQUIRE(attach(&g, b) == 0);
	CHECK_EQ(ste_vmid(), vmid_a);
	/* the bytes land at B's page, A's page is untouched */
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x100000, data, 16), 0);
	CHECK(!memcmp(gva(&g, BUF_GPA + 0x5000), data, 16));
	CHECK(!memcmp(gva(&g, BUF_GPA), old, 16));
	CHECK_EQ(smmu_model_dma_read(model, PSID, 0x100000, back, 16), 0);
	CHECK(!memcmp(back, data, 16));
	teardown(&g, NULL);
}

/* ---- 15.3: the exact fields of every forwarded command ------------------------------------ */

/* take VMIDs until the next one has bits above the low 8 set */
static unsigned int push_vmids_high(u16 *held, unsigned int max)
{
	unsigned int n = 0;

	while (n < max && smmu_vmid_alloc(smmu, &held[n]) == 0 && held[n] < 0x1a5)
		n++;
	if (n < max)
		smmu_vmid_free(smmu, held[n]); /* 0x1a5: the next HWPT's */
	return n;
}

TEST(forwarded_tlbi_nh_carry_aeries_whole_vmid_and_the_guests_other_fields)
{
	struct guest g;
	struct nested_env ne;
	static u16 held[0x200];
	unsigned int nheld, n;
	u16 vmid;
	u32 issued;
	u64 c[16][2];
	/* the guest writes VMIDs of its own: all of them must go */
	const u64 in[][2] = {
		{ OP_TLBI_NH_ALL | 0xffffULL << 32, 0 },
		{ OP_TLBI_NH_ASID | 0xfe00ULL << 32 | 0xabcdULL << 48, 0 },
		{ OP_TLBI_NH_VA | 0x00ffULL << 32 | (u64)ASID << 48, S1_VA | 1 },
		{ OP_TLBI_NH_VA | 0x1ULL << 32 | (u64)ASID << 48 | 3ULL << 12 | 2ULL << 20,
		  S1_VA | 1ULL << 10 | 3ULL << 8 }, /* range: NUM 3, SCALE 2, TG 4K, TTL 3 */
		{ OP_TLBI_NH_VAA | 0x8001ULL << 32, 0xffff800000001000ULL },
		{ OP_TLBI_NSNH_ALL, 0 },
	};

	REQUIRE(setup(&g));
	nheld = push_vmids_high(held, ARRAY_SIZE(held));
	REQUIRE(nested_setup(&g, &ne));
	vmid = ste_vmid();
	CHECK_EQ(vmid, 0x1a5);
	smmu_model_cmd_log_reset(model);
	CHECK_EQ(invalidate(&g, ne.viommu, in, ARRAY_SIZE(in), &issued), 0);
	CHECK_EQ(issued, ARRAY_SIZE(in));
	n = logged(c, 16);
	CHECK_EQ(n, ARRAY_SIZE(in));
	for (unsigned int i = 0; i < n && i < ARRAY_SIZE(in); i++) {
		u64 want0 = (in[i][0] & ~(0xffffULL << 32)) | (u64)vmid << 32, want1 = in[i][1];

		if (OP(in[i]) == OP_TLBI_NSNH_ALL)
			want0 = OP_TLBI_NH_ALL | (u64)vmid << 32; /* the guest's ALL is its VMID's */
		if (c[i][0] != want0 || c[i][1] != want1) {
			fprintf(stderr, "  entry %u: 0x%016llx 0x%016llx, want 0x%016llx 0x%016llx\n",
				i, (unsigned long long)c[i][0], (unsigned long long)c[i][1],
				(unsigned long long)want0, (unsigned long long)want1);
			CHECK(0);
		}
	}
	CHECK(!smmu_model_refused(model, NULL, NULL, NULL));
	for (unsigned int i = 0; i < nheld; i++)
		smmu_vmid_free(smmu, held[i]);
	teardown(&g, NULL);
}

TEST(forwarded_cfgi_cd_carry_the_physical_streamid_and_atc_inv_is_never_forwarded)
{
	struct guest g;
	struct nested_env ne;
	struct smmu_model_cfg cfg = smmu_model_default_cfg();
	u32 issued;
	u64 c[8][2];
	unsigned int n;
	const u64 in[][2] = {
		{ OP_CFGI_CD | (u64)VSID << 32, 1 },			/* SSID 0, Leaf */
		{ OP_CFGI_CD | (u64)VSID << 32, 0 },			/* non-leaf */
		{ OP_CFGI_CD_ALL | (u64)VSID << 32, 0 },
	};
	const u64 atc[1][2] = { { OP_ATC_INV | (u64)VSID << 32, 0x12345000ULL | 52 } };

	/* even on an SMMU with ATS: Aerie enables ATS on no device, so a
	 * guest's ATC_INV has nothing to do and is refused before the queue */
	cfg.ats = true;
	REQUIRE(setup_cfg(&g, &cfg));
	REQUIRE(nested_setup(&g, &ne));
	smmu_model_cmd_log_reset(model);
	CHECK_EQ(invalidate(&g, ne.viommu, atc, 1, &issued), -EIO);
	CHECK_EQ(issued, 0);
	CHECK_EQ(logged(c, 8), 0);
	CHECK_EQ(invalidate(&g, ne.viommu, in, ARRAY_SIZE(in), &issued), 0);
	CHECK_EQ(issued, ARRAY_SIZE(in));
	n = logged(c, 8);
	CHECK_EQ(n, ARRAY_SIZE(in));
	for (unsigned int i = 0; i < n && i < ARRAY_SIZE(in); i++) {
		u64 want0 = (in[i][0] & 0xffffffffULL) | (u64)PSID << 32;

		if (c[i][0] != want0 || c[i][1] != in[i][1]) {
			dump("forwarded", (const u64(*)[2])c, n);
			CHECK(0);
			break;
		}
	}
	teardown(&g, NULL);
}

/* the descriptor for `ipa` at `want` in the device's stage 2, walked here
 * from the STE (4K granule); NULL if the walk ends above that level */
static u64 *s2_slot(u64 ipa, int want)
{
	u64 ste[8];
	u32 t0sz, sl0, ias;
	int level;
	paddr_t table;

	if (smmu_ste_read(smmu, PSID, ste))
		return NULL;
	t0sz = (u32)(ste[2] >> 32) & 0x3f;
	sl0 = (u32)(ste[2] >> 38) & 3;
	ias = 64 - t0sz;
	level = sl0 == 2 ? 0 : sl0 == 1 ? 1 : 2;
	table = ste[3] & 0x000ffffffffff000ULL;
	for (int start = level;; level++) {
		u32 shift = 39 - 9 * (u32)level;
		u64 idx = (ipa >> shift) & (level == start ? ((1ULL << (ias - shift)) - 1) : 511);
		u64 *d = (u64 *)phys_to_virt(table) + idx;

		if (level == want)
			return d;
		if ((*d & 3) != 3)
			return NULL;
		table = *d & 0x0000fffffffff000ULL;
	}
}

/* the level-3 table the level-2 descriptor for `ipa` points at, or 0 */
static paddr_t s2_l3_table(u64 ipa)
{
	u64 *d = s2_slot(ipa, 2);

	return d && (*d & 3) == 3 ? *d & 0x0000fffffffff000ULL : 0;
}

/*
 * A freed level-3 table page is anybody's: make it look like another
 * owner's table whose entry for `ipa` points at a page this guest never
 * mapped. A walk the SMMU still cached through it would reach that page:
 * no DMA at ipa may get through, and the page must stay untouched.
 */
static void freed_table_unreachable(paddr_t l3, u64 ipa)
{
	u64 *slot = (u64 *)phys_to_virt(l3) + ((ipa >> 12) & 511), saved = *slot;
	paddr_t secret = hostenv_ram_alloc(0x1000, 0x1000);
	u8 buf[8] = "abcdefg", back[8];

	REQUIRE(secret != 0);
	*slot = secret | 0x7c3; /* page, AF, S2AP RW, SH */
	CHECK_EQ(smmu_model_dma_read(model, PSID, ipa, back, 8), -EFAULT);
	CHECK_EQ(smmu_model_dma_write(model, PSID, ipa, buf, 8), -EFAULT);
	CHECK_EQ(*(u8 *)phys_to_virt(secret), 0);
	*slot = saved;
}

TEST(an_unmap_that_frees_a_table_invalidates_the_walk_too)
{
	struct guest g;
	struct smmu_model_stats st, st2;
	u32 ioas, h;
	u64 c[16][2];
	unsigned int n;
	paddr_t l3;
	u8 buf[8] = "abcdefg";

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	REQUIRE(hwpt_new(&g, ioas, 0, &h) == 0);
	REQUIRE(attach(&g, h) == 0);
	/* two 4K areas in one 2 MiB region share a level-3 table */
	REQUIRE(map_fixed(&g, ioas, 0x200000, BUF_GPA, 0x1000, RW) == 0);
	REQUIRE(map_fixed(&g, ioas, 0x201000, BUF_GPA + 0x1000, 0x1000, RW) == 0);
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x200000, buf, 8), 0);
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x201000, buf, 8), 0);
	l3 = s2_l3_table(0x200000);
	REQUIRE(l3 != 0);
	/* the first unmap leaves the table: leaf-only invalidation */
	smmu_model_get_stats(model, &st);
	smmu_model_cmd_log_reset(model);
	REQUIRE(unmap(&g, ioas, 0x200000, 0x1000, NULL) == 0);
	n = logged(c, 16);
	CHECK(n >= 1);
	for (unsigned int i = 0; i < n; i++)
		CHECK(OP(c[i]) == OP_TLBI_S2_IPA && LEAF_OF(c[i]) == 1);
	CHECK_EQ(s2_l3_table(0x200000), l3);
	/* an unmap of the table's whole span frees the page: Leaf = 0 */
	smmu_model_cmd_log_reset(model);
	REQUIRE(unmap(&g, ioas, 0x200000, 0x200000, NULL) == 0);
	CHECK_EQ(s2_l3_table(0x201000), 0);
	n = logged(c, 16);
	CHECK(n >= 1);
	for (unsigned int i = 0; i < n; i++) {
		if (OP(c[i]) != OP_TLBI_S2_IPA || LEAF_OF(c[i]) != 0 ||
		    VMID_OF(c[i]) != ste_vmid()) {
			dump("unmap that freed a table", (const u64(*)[2])c, n);
			CHECK(0);
			break;
		}
	}
	smmu_model_get_stats(model, &st2);
	CHECK_EQ(st2.tlbi_leaf - st.tlbi_leaf, 1);
	CHECK(st2.tlbi_nonleaf - st.tlbi_nonleaf >= 1);
	freed_table_unreachable(l3, 0x201000);
	teardown(&g, NULL);
}

/*
 * A table that an earlier unmap emptied (leaf-only TLBI: the walk caches
 * still hold it) is freed by a later unmap that covers its span but
 * removes no leaf in it: that unmap must still make the walks through it
 * forgotten before the page is anybody's. (Found by the fuzzer: the TLBI
 * covered only the leaves removed, elsewhere.)
 */
TEST(freeing_a_table_emptied_earlier_invalidates_its_walks)
{
	struct guest g;
	u32 ioas, h;
	paddr_t l3;
	u8 buf[8] = "abcdefg";

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	REQUIRE(hwpt_new(&g, ioas, 0, &h) == 0);
	REQUIRE(attach(&g, h) == 0);
	REQUIRE(map_fixed(&g, ioas, 0x200000, BUF_GPA, 0x1000, RW) == 0);
	REQUIRE(map_fixed(&g, ioas, 0x400000, BUF_GPA + 0x1000, 0x1000, RW) == 0);
	/* a DMA through the first: the SMMU caches the walk to its table */
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x200000, buf, 8), 0);
	l3 = s2_l3_table(0x200000);
	REQUIRE(l3 != 0);
	REQUIRE(unmap(&g, ioas, 0x200000, 0x1000, NULL) == 0);
	CHECK_EQ(s2_l3_table(0x200000), l3); /* kept, empty */
	/* the span of that table and the other area: its only leaf is elsewhere */
	REQUIRE(unmap(&g, ioas, 0x200000, 0x400000, NULL) == 0);
	CHECK_EQ(s2_l3_table(0x200000), 0);
	freed_table_unreachable(l3, 0x200000);
	teardown(&g, NULL);
}

/*
 * An unmap smaller than a table's span keeps the table, empty; a 2 MiB map
 * there must still get its block: the block replaces the empty table, whose
 * page is freed only after one TLBI (Leaf = 0: walks through it are
 * forgotten) and its CMD_SYNC.
 */
TEST(a_block_replaces_a_table_an_unmap_left_empty)
{
	struct guest g;
	struct smmu_model_stats st, st2;
	struct page_stats p0, p1;
	u32 ioas, h;
	u64 c[16][2], *d;
	unsigned int n;
	paddr_t l3;
	u8 buf[8] = "abcdefg";

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	REQUIRE(hwpt_new(&g, ioas, 0, &h) == 0);
	REQUIRE(attach(&g, h) == 0);
	REQUIRE(map_fixed(&g, ioas, 0x200000, BUF_GPA, 0x1000, RW) == 0);
	REQUIRE(unmap(&g, ioas, 0x200000, 0x1000, NULL) == 0);
	l3 = s2_l3_table(0x200000);
	REQUIRE(l3 != 0);
	page_stats(&p0);
	smmu_model_get_stats(model, &st);
	smmu_model_cmd_log_reset(model);
	REQUIRE(map_fixed(&g, ioas, 0x200000, GUEST_IPA, 0x200000, RW) == 0);
	/* a level-2 block now, not the table */
	d = s2_slot(0x200000, 2);
	REQUIRE(d != NULL);
	CHECK_EQ(*d & 3, 1);
	CHECK_EQ(*d & 0x0000ffffffe00000ULL, g.ram);
	n = logged(c, 16);
	smmu_model_get_stats(model, &st2);
	CHECK_EQ(st2.tlbi_nonleaf - st.tlbi_nonleaf, 1);
	CHECK_EQ(st2.tlbi_leaf - st.tlbi_leaf, 0);
	CHECK_EQ(st2.syncs - st.syncs, 1);
	for (unsigned int i = 0; i < n; i++)
		CHECK(OP(c[i]) == OP_SYNC ||
		      (OP(c[i]) == OP_TLBI_S2_IPA && LEAF_OF(c[i]) == 0 && VMID_OF(c[i]) == ste_vmid()));
	page_stats(&p1);
	CHECK_EQ(p0.in_use - p1.in_use, 1); /* the table's page, freed */
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x3ff000, buf, 8), 0);
	CHECK_EQ(memcmp(gva(&g, GUEST_IPA + 0x1ff000), buf, 8), 0);
	teardown(&g, NULL);
}

TEST(the_tlb_holds_blocks_whole_and_honours_ttl)
{
	struct guest g;
	u32 ioas, h;
	u64 *slot, saved;
	u8 b;
	u16 vmid;
	static const struct {
		u64 w1;
		bool drops;
		const char *what;
	} cases[] = {
		{ 0x1000 | 1ULL << 10 | 3ULL << 8, false, "TTL 3 misses a level-2 block" },
		{ 0x1000 | 3ULL << 10 | 2ULL << 8, false, "TG 64K misses a 4K-granule entry" },
		{ 0x1ff000, true, "TG 0 anywhere in the block" },
		{ 0x1000 | 1ULL << 10 | 2ULL << 8, true, "TTL 2" },
	};

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	REQUIRE(hwpt_new(&g, ioas, 0, &h) == 0);
	REQUIRE(attach(&g, h) == 0);
	vmid = ste_vmid();
	/* a 2 MiB block at IOVA 0x200000 */
	REQUIRE(map_fixed(&g, ioas, 0x200000, GUEST_IPA + 0x200000, 0x200000, RW) == 0);
	slot = s2_slot(0x200000, 2);
	REQUIRE(slot && (*slot & 3) == 1);
	saved = *slot;
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 c[2] = { OP_TLBI_S2_IPA | (u64)vmid << 32, 0x200000 + cases[i].w1 };
		bool dropped;

		*slot = saved;
		CHECK_EQ(smmu_model_dma_read(model, PSID, 0x280000, &b, 1), 0); /* cached */
		*slot = 0; /* behind the SMMU's back: only the TLB still has it */
		CHECK_EQ(batch(c, 1, NULL), 0);
		dropped = smmu_model_dma_read(model, PSID, 0x280000, &b, 1) != 0;
		if (dropped != cases[i].drops) {
			fprintf(stderr, "  %s: %s\n", cases[i].what, dropped ? "dropped" : "kept");
			CHECK(0);
		}
		smmu_poll(smmu);
	}
	*slot = saved;
	teardown(&g, NULL);
}

/* ---- the strict model -------------------------------------------------------------------- */

/* queue one raw command and sync; the refusal's code (0: none) */
static int raw(const u64 c0, const u64 c1, u32 *err)
{
	u64 c[2] = { c0, c1 };
	struct smmu_model_stats st, st2;
	int ret;

	smmu_model_get_stats(model, &st);
	ret = batch(c, 1, NULL);
	smmu_model_get_stats(model, &st2);
	*err = 0;
	if (st2.cmd_errors != st.cmd_errors)
		smmu_model_refused(model, NULL, err, NULL);
	return ret;
}

TEST(the_model_refuses_what_hardware_refuses)
{
	struct guest g;
	static const struct {
		u64 w0, w1;
		const char *what;
	} bad[] = {
		{ OP_CFGI_CD | 1ULL << 10 | (u64)PSID << 32, 0, "SSec = 1" },
		{ OP_CFGI_CD_ALL | 1ULL << 10 | (u64)PSID << 32, 0, "SSec = 1" },
		{ 0x03 | 1ULL << 10 | (u64)PSID << 32, 1, "CFGI_STE SSec = 1" },
		{ OP_CFGI_CD | 1ULL << 8 | (u64)PSID << 32, 0, "reserved bit 8" },
		{ OP_CFGI_CD | (u64)PSID << 32, 2, "reserved word-1 bit" },
		{ OP_CFGI_CD | 1ULL << 12 | (u64)PSID << 32, 0, "SSID without substreams" },
		{ OP_CFGI_CD_ALL | 0x10000ULL << 32, 0, "StreamID beyond 16 bits" },
		{ OP_ATC_INV | (u64)PSID << 32, 0, "ATC_INV without ATS" },
		{ OP_TLBI_NH_ALL | 1ULL << 31 | 1ULL << 32, 0, "reserved bit 31" },
		{ OP_TLBI_NH_ALL | 1ULL << 32, 1, "word 1 of NH_ALL" },
		{ OP_TLBI_NH_VA | 1ULL << 32, 0x1000 | 1ULL << 8, "TTL with TG = 0" },
		{ OP_TLBI_NH_VA | 1ULL << 32 | 1ULL << 12, 0x1000, "NUM with TG = 0" },
		{ OP_TLBI_NH_VA | 1ULL << 32, 0x1000 | 1ULL << 10, "NH_VA TG, NUM=SCALE=TTL=0" },
		{ OP_TLBI_S2_IPA | 1ULL << 32, 0x1000 | 1ULL << 10, "TG with NUM=SCALE=TTL=0" },
		{ OP_TLBI_S2_IPA | 1ULL << 32 | 1ULL << 25, 0x1000 | 1ULL << 10, "SCALE bit 25" },
		{ OP_TLBI_S2_IPA | 1ULL << 32, 1ULL << 52, "IPA above bit 51" },
		{ OP_TLBI_S2_IPA | 1ULL << 32, 0x1000 | 1ULL << 7, "TTL128" },
		{ 0x20, 0, "TLBI_EL2_ALL without Hyp" },
		{ OP_SYNC | 3ULL << 12, 0, "CMD_SYNC CS = 0b11" },
		{ OP_SYNC, 1, "CMD_SYNC word-1 bit 0" },
		{ 0x41, 0, "PRI_RESP without PRI" },
		{ 0x44, 0, "RESUME without stall" },
		{ 0x18, 0, "TLBI_EL3_ALL" },
		{ 0x58, 0, "Secure-only opcode" },
		{ 0x00, 0, "opcode 0" },
		{ 0x7f, 0, "reserved opcode" },
	};
	static const u64 good[][2] = {
		{ OP_CFGI_CD | (u64)PSID << 32, 1 },
		{ OP_TLBI_NH_VA | 0xffffULL << 32 | 0xffffULL << 48 | 31ULL << 12 | 31ULL << 20,
		  ~0xfffULL | 1ULL << 10 | 3ULL << 8 | 1 },
		{ OP_TLBI_S2_IPA | 1ULL << 32, 0x000ffffffffff000ULL | 1ULL << 10 | 3ULL << 8 },
		{ 0x04, 31 },						/* CFGI_ALL */
		{ 0x04 | 0xffffULL << 32, 3 },				/* a range of 16 */
		{ OP_SYNC | 1ULL << 12 | 3ULL << 22 | 0xfULL << 24 | 0xdeadULL << 32, 0x40000004 },
		{ 0x01 | 0xffffffffULL << 32, 0 },	/* prefetches: out of range is fine */
	};

	REQUIRE(setup(&g));
	smmu_model_set_tolerate(model, 0); /* probe is done */
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		u32 err;
		int ret = raw(bad[i].w0, bad[i].w1, &err);

		if (ret != -EIO || err != SMMU_MODEL_CERROR_ILL) {
			fprintf(stderr, "  %s: sync %d, CERROR %u\n", bad[i].what, ret, err);
			CHECK(0);
		}
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(good); i++) {
		u32 err;
		int ret = raw(good[i][0], good[i][1], &err);

		if (ret || err) {
			fprintf(stderr, "  good %u: sync %d, CERROR %u\n", i, ret, err);
			CHECK(0);
		}
	}
	teardown(&g, NULL);
}

TEST(a_refusal_stops_the_queue_at_the_entry_until_gerrorn)
{
	struct guest g;
	u64 c[2] = { OP_CFGI_CD_ALL | 1ULL << 10 | (u64)PSID << 32, 0 };
	u64 got[2];
	u32 err;
	unsigned int done;
	const char *why;
	u64 before;

	REQUIRE(setup(&g));
	before = smmu_model_cmds_consumed(model);
	CHECK_EQ(batch(c, 1, &done), -EIO);
	CHECK_EQ(done, 0); /* the batch's first command was the refused one */
	REQUIRE(smmu_model_refused(model, got, &err, &why));
	CHECK_EQ(got[0], c[0]);
	CHECK_EQ(got[1], c[1]);
	CHECK_EQ(err, SMMU_MODEL_CERROR_ILL);
	CHECK(!strcmp(why, "SSec = 1 on the Non-secure queue"));
	/* the driver replaced it with a CMD_SYNC: two syncs consumed, no CFGI */
	CHECK_EQ(smmu_model_cmds_consumed(model) - before, 2);
	/* a batch of raw commands is a guest's: its error is the caller's, not logged */
	CHECK(!hostenv_log_contains("refused"));
	/* error injection: the 2nd command from now is refused with ABT */
	smmu_model_cmd_log_reset(model);
	smmu_model_fail_cmd(model, 2, SMMU_MODEL_CERROR_ABT);
	c[0] = OP_CFGI_CD_ALL | (u64)PSID << 32;
	{
		u64 two[2][2] = { { c[0], c[1] }, { c[0], c[1] } };

		CHECK_EQ(smmu_cmd_batch(smmu, (const u64 (*)[2])two, 2, &done), -EIO);
		CHECK_EQ(done, 1); /* the first completed, the second was refused */
	}
	REQUIRE(smmu_model_refused(model, NULL, &err, NULL));
	CHECK_EQ(err, SMMU_MODEL_CERROR_ABT);
	{
		const u64(*log)[2];
		unsigned int n = smmu_model_cmd_log(model, &log);

		/* CFGI_CD_ALL, the replacement CMD_SYNC, the driver's CMD_SYNC */
		CHECK_EQ(n, 3);
		if (n == 3) {
			CHECK_EQ(OP(log[0]), OP_CFGI_CD_ALL);
			CHECK_EQ(OP(log[1]), OP_SYNC);
			CHECK_EQ(OP(log[2]), OP_SYNC);
		}
	}
	/* one shot: the queue works again */
	CHECK_EQ(batch(c, 1, NULL), 0);
	teardown(&g, NULL);
}

int main(int argc, char **argv) { return test_main(argc, argv); }
