/* SPDX-License-Identifier: MIT */
/*
 * What a guest's commands may do to the SMMU command queue every guest
 * shares: each command is rebuilt from its opcode's fields (SSec and
 * reserved bits never reach the queue), one call's share of the queue is
 * bounded, and nothing one guest sends stops another guest's DMA.
 */
#include "iommufd_env.h"

#define PSID_B (PSID + 8)

/* guest B: a stage-2 HWPT over its first 64 KiB at IOVA 0, attached */
static bool stage2_guest(struct guest *b, u32 *ioas)
{
	u32 hwpt;

	if (!guest_init(b, 2, PSID_B))
		return false;
	*ioas = ioas_new(b);
	return *ioas && !map_fixed(b, *ioas, 0, GUEST_IPA, 0x10000, RW) &&
	       !hwpt_new(b, *ioas, 0, &hwpt) && !attach(b, hwpt);
}

/* B's device writes and the bytes land in B's RAM */
static bool b_dma_works(struct guest *b, u8 v)
{
	u8 x = v;

	return smmu_model_dma_write(model, PSID_B, 0x40, &x, 1) == 0 &&
	       *(u8 *)gva(b, GUEST_IPA + 0x40) == v;
}

TEST(a_command_with_a_bit_outside_its_fields_is_refused_before_the_queue)
{
	struct guest g;
	struct nested_env n;
	u32 issued;
	struct smmu_model_cfg cfg = smmu_model_default_cfg();
	const u64 va = S1_VA, asid = (u64)ASID << 48;
	/* each is one bad command; all of them would otherwise be forwarded */
	const u64 bad[][2] = {
		{ 0x05 | 1ULL << 10 | (u64)VSID << 32, 1 },	/* CFGI_CD, SSec */
		{ 0x06 | 1ULL << 10 | (u64)VSID << 32, 0 },	/* CFGI_CD_ALL, SSec */
		{ 0x05 | (u64)VSID << 32, 2 },			/* CFGI_CD, word 1 reserved */
		{ 0x05 | 1ULL << 12 | (u64)VSID << 32, 1 },	/* SSID 1: SSIDSIZE is 0 */
		{ 0x06 | 1ULL << 8 | (u64)VSID << 32, 0 },	/* CFGI_CD_ALL, reserved */
		{ 0x12 | 1ULL << 8 | asid, va },		/* TLBI_NH_VA, word 0 reserved */
		{ 0x12 | asid, va | 1ULL << 4 },		/* TLBI_NH_VA, word 1 reserved */
		{ 0x12 | 3ULL << 12 | asid, va },		/* NUM without TG */
		{ 0x12 | asid, va | 1ULL << 8 },		/* TTL without TG */
		{ 0x12 | asid, va | 2ULL << 10 },		/* TG 16K: only 4K granules */
		{ 0x12 | 0x100ULL << 48, va },			/* ASID 0x100 without ASID16 */
		{ 0x11 | 0x8000ULL << 48, 0 },			/* likewise */
		{ 0x13 | asid, va },				/* TLBI_NH_VAA has no ASID */
		{ 0x11 | asid, 1 },				/* TLBI_NH_ASID, word 1 */
		{ 0x10, 1ULL << 12 },				/* TLBI_NH_ALL, word 1 */
		{ 0x30 | 1ULL << 32, 0 },			/* TLBI_NSNH_ALL has no fields */
		{ 0x40 | (u64)VSID << 32, 0 },			/* ATC_INV: no ATS anywhere */
	};

	cfg.asid16 = false; /* 8-bit ASIDs */
	REQUIRE(setup_cfg(&g, &cfg));
	REQUIRE(nested_setup(&g, &n));
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		u64 before = smmu_model_cmds_consumed(model);

		CHECK_EQ(invalidate(&g, n.viommu, &bad[i], 1, &issued), -EIO);
		CHECK_EQ(issued, 0);
		CHECK_EQ(smmu_model_cmds_consumed(model), before); /* not even a CMD_SYNC */
	}
	teardown(&g, NULL);
}

TEST(every_defined_field_still_reaches_the_smmu)
{
	struct guest g;
	struct nested_env n;
	u32 issued;
	u64 before;
	/* a range TLBI (TG 4K, NUM 3, SCALE 1, TTL 3, Leaf) and a CFGI_CD with Leaf */
	const u64 ok[][2] = {
		{ 0x12 | 3ULL << 12 | 1ULL << 20 | (u64)ASID << 48, S1_VA | 1ULL << 10 | 3ULL << 8 | 1 },
		{ 0x05 | (u64)VSID << 32, 1 },
		{ 0x11 | 0xffULL << 48, 0 },
	};

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	before = smmu_model_cmds_consumed(model);
	CHECK_EQ(invalidate(&g, n.viommu, ok, ARRAY_SIZE(ok), &issued), 0);
	CHECK_EQ(issued, ARRAY_SIZE(ok));
	CHECK_EQ(smmu_model_cmds_consumed(model) - before, ARRAY_SIZE(ok) + 1); /* and one CMD_SYNC */
	teardown(&g, NULL);
}

/*
 * Entries of another length than a command (iommufd's entry_len): a longer
 * one counts only if its tail is zero (-E2BIG at the first that is not,
 * the entries before it issued), a shorter one is the command's first
 * bytes, zero-filled.
 */
TEST(an_entry_longer_than_a_command_needs_a_zero_tail)
{
	struct guest g;
	struct nested_env n;
	struct smmu_model_stats st, st2;
	u8 *data;
	struct iommu_hwpt_invalidate inv = { .size = sizeof(inv),
					     .data_uptr = DATA_GPA + 0x800,
					     .data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
					     .entry_len = 80, .entry_num = 3 };

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	inv.hwpt_id = n.viommu;
	data = gva(&g, DATA_GPA + 0x800);
	memset(data, 0, 3 * 80);
	for (int i = 0; i < 3; i++) {
		u64 cmd[2] = { 0x12 | ((u64)ASID << 48), S1_VA + ((u64)i << 12) };

		memcpy(data + i * 80, cmd, 16);
	}
	/* the third entry's tail has a byte past the first 64 of it */
	data[2 * 80 + 79] = 1;
	smmu_model_get_stats(model, &st);
	CHECK_EQ(HC(&g, IOMMU_CMD_HWPT_INVALIDATE, inv), -E2BIG);
	smmu_model_get_stats(model, &st2);
	CHECK_EQ(inv.entry_num, 2);
	CHECK_EQ(st2.cmds[0x12] - st.cmds[0x12], 2);
	/* all zero: all three */
	data[2 * 80 + 79] = 0;
	inv.entry_num = 3;
	smmu_model_get_stats(model, &st);
	CHECK_EQ(HC(&g, IOMMU_CMD_HWPT_INVALIDATE, inv), 0);
	smmu_model_get_stats(model, &st2);
	CHECK_EQ(inv.entry_num, 3);
	CHECK_EQ(st2.cmds[0x12] - st.cmds[0x12], 3);
	/* 8 bytes: the command's first word, its second zero (TLBI_NH_VA of
	 * VA 0, no range) */
	inv.entry_len = 8;
	inv.entry_num = 1;
	smmu_model_get_stats(model, &st);
	CHECK_EQ(HC(&g, IOMMU_CMD_HWPT_INVALIDATE, inv), 0);
	smmu_model_get_stats(model, &st2);
	CHECK_EQ(inv.entry_num, 1);
	CHECK_EQ(st2.cmds[0x12] - st.cmds[0x12], 1);
	teardown(&g, NULL);
}

TEST(one_call_takes_at_most_its_budget_of_the_queue)
{
	struct guest g;
	struct nested_env n;
	static u64 cmds[300][2];
	struct smmu_model_stats st, st2;
	u32 issued, left = 300, off = 0;
	const u32 expect[] = { AERIE_INVALIDATE_BUDGET, AERIE_INVALIDATE_BUDGET,
			       300 - 2 * AERIE_INVALIDATE_BUDGET };

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	for (int i = 0; i < 300; i++) {
		cmds[i][0] = 0x12 | ((u64)ASID << 48);
		cmds[i][1] = S1_VA + ((u64)i << 12);
	}
	/* the guest goes on where entry_num says, as with iommufd */
	for (unsigned int call = 0; call < ARRAY_SIZE(expect); call++) {
		smmu_model_get_stats(model, &st);
		CHECK_EQ(invalidate(&g, n.viommu, &cmds[off], left, &issued),
			 call + 1 < ARRAY_SIZE(expect) ? -EAGAIN : 0);
		smmu_model_get_stats(model, &st2);
		CHECK_EQ(issued, expect[call]);
		CHECK_EQ(st2.cmds[0x12] - st.cmds[0x12], expect[call]);
		CHECK_EQ(st2.syncs - st.syncs, 1);
		off += issued;
		left -= issued;
	}
	CHECK_EQ(left, 0);
	teardown(&g, NULL);
}

TEST(a_batch_larger_than_the_queue_waits_for_room)
{
	struct guest g;
	struct nested_env n;
	struct smmu_model_cfg cfg = smmu_model_default_cfg();
	static u64 cmds[AERIE_INVALIDATE_BUDGET][2];
	struct smmu_model_stats st, st2;
	u32 issued;

	cfg.cmdq_log2 = 2; /* 4 entries */
	REQUIRE(setup_cfg(&g, &cfg));
	REQUIRE(nested_setup(&g, &n));
	for (int i = 0; i < AERIE_INVALIDATE_BUDGET; i++) {
		cmds[i][0] = 0x12 | ((u64)ASID << 48);
		cmds[i][1] = S1_VA + ((u64)i << 12);
	}
	smmu_model_get_stats(model, &st);
	CHECK_EQ(invalidate(&g, n.viommu, cmds, AERIE_INVALIDATE_BUDGET, &issued), 0);
	smmu_model_get_stats(model, &st2);
	CHECK_EQ(issued, AERIE_INVALIDATE_BUDGET);
	CHECK_EQ(st2.cmds[0x12] - st.cmds[0x12], AERIE_INVALIDATE_BUDGET);
	CHECK_EQ(st2.syncs - st.syncs, 1);
	CHECK_EQ(st2.cmd_errors, 0);
	teardown(&g, NULL);
}

/* issue 13's attack 2: 300 entries whose first has SSec=1 once stopped the
 * shared queue for good; now the call fails and every other guest goes on */
TEST(ssec_at_the_head_of_a_long_invalidation_stops_nobody)
{
	struct guest a, b;
	struct nested_env n;
	static u64 cmds[300][2];
	u32 issued, ioas_b;

	REQUIRE(setup(&a));
	REQUIRE(nested_setup(&a, &n));
	REQUIRE(stage2_guest(&b, &ioas_b));
	for (int i = 0; i < 300; i++) {
		cmds[i][0] = 0x05 | (u64)VSID << 32; /* CFGI_CD */
		cmds[i][1] = 1;
	}
	cmds[0][0] |= 1ULL << 10;
	CHECK(b_dma_works(&b, 0x11));
	CHECK_EQ(invalidate(&a, n.viommu, cmds, 300, &issued), -EIO);
	CHECK_EQ(issued, 0);
	/* the queue is not stopped: B's DMA, its commands and A's next call work */
	CHECK(b_dma_works(&b, 0x22));
	CHECK_EQ(unmap(&b, ioas_b, 0, 0x10000, NULL), 0);
	CHECK(!b_dma_works(&b, 0x33));
	CHECK_EQ(invalidate(&a, n.viommu, &cmds[1], 1, &issued), 0);
	CHECK_EQ(issued, 1);
	teardown(&a, &b);
}

TEST(a_vste_asking_for_ats_gets_eats_zero)
{
	struct guest g;
	struct nested_env n;
	struct iommu_hwpt_arm_smmuv3 *vste;
	struct iommu_hwpt_alloc h;
	u64 ste[8];

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	vste = gva(&g, DATA_GPA);
	vste->ste[0] = 1 | (5 << 1) | S1_CD_GPA;
	vste->ste[1] = 1ULL << 28; /* EATS = translate */
	h = (struct iommu_hwpt_alloc){ .size = sizeof(h), .dev_id = (u32)g.dev_id,
				       .pt_id = n.viommu, .data_type = IOMMU_HWPT_DATA_ARM_SMMUV3,
				       .data_len = 16, .data_uptr = DATA_GPA };
	REQUIRE(HC(&g, IOMMU_CMD_HWPT_ALLOC, h) == 0);
	struct aerie_iommu_device_attach r = { .size = sizeof(r), .dev_id = (u32)g.dev_id,
					       .pt_id = h.out_hwpt_id };
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_REPLACE, r), 0);
	REQUIRE(smmu_ste_read(smmu, PSID, ste) == 0);
	CHECK_EQ((ste[1] >> 28) & 3, 0); /* Aerie enabled ATS nowhere */
	CHECK_EQ((ste[0] >> 1) & 7, 7);	 /* and it is the nested entry */
	teardown(&g, NULL);
}

/* issue 13's finding 4: a guest's faults were logged on whichever CPU
 * polled, one line each; now they are counted and logged on its own exits,
 * a bounded number of lines however many there are */
TEST(a_fault_flood_is_logged_on_the_guests_exits_in_bounded_lines)
{
	struct guest a, b;
	u32 ioas_b;
	u8 x = 1;

	REQUIRE(setup(&a));
	REQUIRE(stage2_guest(&b, &ioas_b));
	hostenv_log_clear();
	for (int round = 0; round < 40; round++) {
		/* a burst of B's faults outside its 64 KiB, drained elsewhere */
		for (int i = 0; i < 50; i++)
			smmu_model_dma_write(model, PSID_B, 0x100000 + (u64)i * 0x1000, &x, 1);
		smmu_poll(smmu);
		CHECK_EQ(hostenv_log_count("smmu: event"), 0);	/* not the poller's */
		iommu_ctx_log_flush(a.ctx);			/* nothing of A's */
		CHECK_EQ(hostenv_log_count("guest 1:"), 0);
		iommu_ctx_log_flush(b.ctx);			/* B's exit */
	}
	CHECK_EQ(hostenv_log_count("guest 2: its device 00:01.0 was stopped by Aerie's stage 2"), 16);
	CHECK(hostenv_log_contains("write at 0x100000; 50 fault(s) (and more like it)"));
	CHECK_EQ(hostenv_log_count("guest 2: its further SMMU faults are counted, not logged"), 1);
	iommu_ctx_destroy(b.ctx);
	CHECK(hostenv_log_contains("guest 2: 2000 SMMU faults in all"));
	b.ctx = NULL;
	teardown(&a, NULL);
}

/* ---- issue 13, finding 1: a failed STE round leaves nothing live ----------------------- */

static bool ste_is_abort(void)
{
	u64 ste[8];

	return !smmu_ste_read(smmu, PSID, ste) && (ste[0] & 1) && ((ste[0] >> 1) & 7) == 0;
}

static int replace(struct guest *g, u32 pt)
{
	struct aerie_iommu_device_attach r = { .size = sizeof(r), .dev_id = (u32)g->dev_id,
					       .pt_id = pt };

	return HC(g, AERIE_CMD_DEVICE_REPLACE, r);
}

TEST(an_attach_whose_ste_round_is_refused_leaves_the_stream_aborted_and_unattached)
{
	struct guest g;
	u32 ioas, a, b;
	u8 x = 0x5a;

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	REQUIRE(map_fixed(&g, ioas, 0, GUEST_IPA, 0x10000, RW) == 0);
	REQUIRE(hwpt_new(&g, ioas, 0, &a) == 0);
	/* the attach's CFGI_STE (the first command of its first round) is refused */
	smmu_model_fail_cmd(model, 1, SMMU_MODEL_CERROR_ILL);
	CHECK_EQ(attach(&g, a), -EIO);
	/* what the SMMU sees is what the core says: not attached, aborted */
	CHECK(ste_is_abort());
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x40, &x, 1), -EFAULT);
	CHECK_EQ(replace(&g, a), -EINVAL);	/* no attachment to replace */
	/* so A holds no reference: it can be destroyed, its VMID and tables go
	 * back to the pool, and the next HWPT that gets them is not reached */
	CHECK_EQ(destroy(&g, a), 0);
	REQUIRE(hwpt_new(&g, ioas, 0, &b) == 0);
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x40, &x, 1), -EFAULT);
	CHECK_EQ(attach(&g, b), 0);
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x40, &x, 1), 0);
	CHECK_EQ(*(u8 *)gva(&g, GUEST_IPA + 0x40), 0x5a);
	teardown(&g, NULL);
}

/* issue 15, test 5: a failed live change keeps attachment, references and
 * EBUSY exactly as they were, and the SMMU still uses the old entry */
TEST(a_replace_whose_ste_round_is_refused_changes_nothing)
{
	struct guest g;
	struct nested_env n;
	u32 s2;
	u64 before[8], after[8];
	u8 data[4] = "abc", back[4];

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	REQUIRE(hwpt_new(&g, n.ioas, 0, &s2) == 0);
	REQUIRE(smmu_ste_read(smmu, PSID, before) == 0);
	/* nested -> a new VMID and table: two rounds (through abort) of CFGI_STE
	 * and CMD_SYNC; each of the four commands is refused in turn */
	for (u64 nth = 1; nth <= 4; nth++) {
		smmu_model_fail_cmd(model, nth, SMMU_MODEL_CERROR_ILL);
		CHECK_EQ(replace(&g, s2), -EIO);
		smmu_model_fail_cmd(model, 0, 0);
		REQUIRE(smmu_ste_read(smmu, PSID, after) == 0);
		CHECK(!memcmp(before, after, sizeof(before)));
		CHECK_EQ(destroy(&g, n.nested), -EBUSY);	/* still attached to it */
	}
	/* the stage-1 translation is the one in use */
	CHECK_EQ(smmu_model_dma_write(model, PSID, S1_VA, data, 4), 0);
	CHECK_EQ(smmu_model_dma_read(model, PSID, S1_VA, back, 4), 0);
	CHECK(!memcmp(back, data, 4));
	CHECK_EQ(replace(&g, s2), 0);
	teardown(&g, NULL);
}

/* a refused command is charged to the batch that owns it: the guest whose
 * command it was learns which one, nobody else sees an error */
TEST(a_refused_guest_command_is_charged_to_its_own_call_only)
{
	struct guest a, b;
	struct nested_env n;
	u32 issued, ioas_b, h2;
	u64 cmds[3][2] = { { 0x10, 0 }, { 0x10, 0 }, { 0x10, 0 } };

	REQUIRE(setup(&a));
	REQUIRE(nested_setup(&a, &n));
	REQUIRE(stage2_guest(&b, &ioas_b));
	smmu_model_fail_cmd(model, 2, SMMU_MODEL_CERROR_ILL);
	CHECK_EQ(invalidate(&a, n.viommu, (const u64 (*)[2])cmds, 3, &issued), -EIO);
	CHECK_EQ(issued, 1); /* the first completed; the second was refused */
	/* B's next STE rounds and unmap are clean */
	REQUIRE(hwpt_new(&b, ioas_b, 0, &h2) == 0);
	CHECK_EQ(replace(&b, h2), 0);
	CHECK(b_dma_works(&b, 0x44));
	CHECK_EQ(unmap(&b, ioas_b, 0, 0x10000, NULL), 0);
	CHECK(!b_dma_works(&b, 0x55));
	CHECK_EQ(invalidate(&a, n.viommu, (const u64 (*)[2])cmds, 3, &issued), 0);
	CHECK_EQ(issued, 3);
	teardown(&a, &b);
}

/* finding 2's hang: a refusal inside a batch longer than the queue used to
 * leave wait_space spinning on a stopped queue with the SMMU lock held */
TEST(a_refusal_in_a_batch_longer_than_the_queue_is_handled_while_waiting_for_room)
{
	struct guest g;
	struct nested_env n;
	struct smmu_model_cfg cfg = smmu_model_default_cfg();
	static u64 cmds[64][2];
	u32 issued;

	cfg.cmdq_log2 = 2; /* 4 entries */
	REQUIRE(setup_cfg(&g, &cfg));
	REQUIRE(nested_setup(&g, &n));
	for (int i = 0; i < 64; i++)
		cmds[i][0] = 0x10; /* TLBI_NH_ALL */
	smmu_model_fail_cmd(model, 2, SMMU_MODEL_CERROR_ILL);
	CHECK_EQ(invalidate(&g, n.viommu, cmds, 64, &issued), -EIO);
	CHECK_EQ(issued, 1);
	CHECK_EQ(invalidate(&g, n.viommu, cmds, 64, &issued), 0);
	CHECK_EQ(issued, 64);
	teardown(&g, NULL);
}

/* the fuzzer's finding: an unmap or destroy whose invalidation failed went
 * on as if it had worked (stale translations, freed tables a walker may
 * hold, a VMID handed out again with its stale entries) */
TEST(an_unmap_whose_tlbi_is_refused_still_forgets_the_mapping)
{
	struct guest a, b;
	u32 ioas_b;

	REQUIRE(setup(&a));
	REQUIRE(stage2_guest(&b, &ioas_b));
	REQUIRE(b_dma_works(&b, 0x61)); /* the model's TLB holds it now */
	smmu_model_fail_cmd(model, 1, SMMU_MODEL_CERROR_ILL); /* the unmap's TLBI */
	unmap(&b, ioas_b, 0, 0x10000, NULL);
	CHECK(!b_dma_works(&b, 0x62)); /* a wider invalidation went after it */
	teardown(&a, &b);
}

TEST(a_vmid_the_smmu_could_not_forget_is_not_handed_out_again)
{
	struct guest a, b;
	u32 ioas_b, h2;
	u64 ste[8];
	u16 old_vmid;

	REQUIRE(setup(&a));
	REQUIRE(stage2_guest(&b, &ioas_b));
	REQUIRE(smmu_ste_read(smmu, PSID_B, ste) == 0);
	old_vmid = (u16)ste[2];
	REQUIRE(b_dma_works(&b, 0x71));
	{
		struct aerie_iommu_device_detach d = { .size = sizeof(d), .dev_id = (u32)b.dev_id };

		REQUIRE(HC(&b, AERIE_CMD_DEVICE_DETACH, d) == 0);
	}
	/* the SMMU refuses every S12_VMALL: the destroy cannot make it forget */
	smmu_model_fail_opcode(model, 0x28, SMMU_MODEL_CERROR_ILL);
	CHECK_EQ(destroy(&b, 3), 0);		/* the HWPT (ids: device 1, IOAS 2) */
	smmu_model_fail_opcode(model, 0, 0);
	REQUIRE(hwpt_new(&b, ioas_b, 0, &h2) == 0);
	REQUIRE(attach(&b, h2) == 0);
	REQUIRE(smmu_ste_read(smmu, PSID_B, ste) == 0);
	CHECK((u16)ste[2] != old_vmid);
	CHECK(b_dma_works(&b, 0x72));
	teardown(&a, &b);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
