/* SPDX-License-Identifier: MIT */
/*
 * The iommufd-style core through its hypercall entry, as a guest uses it:
 * command structs are written into the guest's RAM and passed by
 * guest-physical address. Effects are checked through the software SMMU:
 * bytes a device DMAs land where IOVA -> GPA -> PA says, or nowhere.
 */
/* the error tables below start from a good struct and override one field */
#pragma GCC diagnostic ignored "-Woverride-init"
#include "iommufd_env.h"

/* ---- dispatch ---------------------------------------------------------------------- */

TEST(struct_size_rules_and_bad_pointers)
{
	struct guest g;
	struct iommu_ioas_alloc a = { 0 };
	u8 big[64] = { 0 };

	REQUIRE(setup(&g));
	CHECK_EQ(iommu_hypercall(g.ctx, AERIE_HC_IOMMU(0x7f), CMD_GPA), -ENOTTY);
	CHECK_EQ(iommu_hypercall(g.ctx, AERIE_HC_IOMMU(0x88), CMD_GPA), -ENOTTY); /* VFIO_IOAS */
	CHECK_EQ(hc_sized(&g, IOMMU_CMD_IOAS_ALLOC, &a, 8, sizeof(a)), -EINVAL);
	/* a bigger struct: fine with a zero tail, E2BIG otherwise */
	CHECK_EQ(hc_sized(&g, IOMMU_CMD_IOAS_ALLOC, big, 64, 64), 0);
	CHECK(((struct iommu_ioas_alloc *)big)->out_ioas_id > 0);
	memset(big, 0, sizeof(big));
	big[40] = 1;
	CHECK_EQ(hc_sized(&g, IOMMU_CMD_IOAS_ALLOC, big, 64, 64), -E2BIG);
	CHECK_EQ(hc_sized(&g, IOMMU_CMD_IOAS_ALLOC, big, 1 << 20, 64), -E2BIG);
	/* pointers outside the guest's RAM, or unaligned: EFAULT, never a crash */
	CHECK_EQ(iommu_hypercall(g.ctx, AERIE_HC_IOMMU(IOMMU_CMD_IOAS_ALLOC), 0x09000000), -EFAULT);
	CHECK_EQ(iommu_hypercall(g.ctx, AERIE_HC_IOMMU(IOMMU_CMD_IOAS_ALLOC), HOSTENV_PA_BASE),
		 -EFAULT);
	*(u32 *)gva(&g, GUEST_IPA + GUEST_SIZE - 8) = 12; /* 4 bytes past RAM */
	CHECK_EQ(iommu_hypercall(g.ctx, AERIE_HC_IOMMU(IOMMU_CMD_IOAS_ALLOC),
				 GUEST_IPA + GUEST_SIZE - 8), -EFAULT);
	CHECK_EQ(iommu_hypercall(g.ctx, AERIE_HC_IOMMU(IOMMU_CMD_IOAS_ALLOC), CMD_GPA + 2),
		 -EFAULT);
	CHECK_EQ(iommu_hypercall(g.ctx, AERIE_HC_IOMMU(IOMMU_CMD_IOAS_ALLOC), ~0ULL - 3), -EFAULT);
	teardown(&g, NULL);
}

/* ---- IOAS ---------------------------------------------------------------------------- */

TEST(ioas_alloc_and_map_errors_in_iommufd_order)
{
	struct guest g;
	struct iommu_ioas_alloc a = { .size = sizeof(a), .flags = 1 };
	struct iommu_ioas_map m;
	u32 ioas;

	REQUIRE(setup(&g));
	CHECK_EQ(HC(&g, IOMMU_CMD_IOAS_ALLOC, a), -EOPNOTSUPP);
	ioas = ioas_new(&g);
	CHECK_EQ(ioas, 2); /* the device is 1: one id space, lowest first */
#define MAP(...) (m = (struct iommu_ioas_map){ .size = sizeof(m), .ioas_id = ioas, \
	.user_va = BUF_GPA, .length = 0x1000, .iova = 0x10000, \
	.flags = IOMMU_IOAS_MAP_FIXED_IOVA | RW, __VA_ARGS__ }, HC(&g, IOMMU_CMD_IOAS_MAP, m))
	CHECK_EQ(MAP(.flags = 1 << 5 | RW), -EOPNOTSUPP);
	CHECK_EQ(MAP(.__reserved = 1), -EOPNOTSUPP);
	CHECK_EQ(MAP(.iova = ~0ULL), -EOVERFLOW);
	CHECK_EQ(MAP(.length = ~0ULL), -EOVERFLOW);
	CHECK_EQ(MAP(.flags = IOMMU_IOAS_MAP_FIXED_IOVA), -EINVAL);
	CHECK_EQ(MAP(.ioas_id = 77), -ENOENT);
	CHECK_EQ(MAP(.ioas_id = (u32)g.dev_id), -ENOENT); /* wrong kind */
	CHECK_EQ(MAP(.length = 0), -EINVAL);
	CHECK_EQ(MAP(.length = 0x800), -EINVAL);
	CHECK_EQ(MAP(.iova = 0x10800), -EINVAL);
	CHECK_EQ(MAP(.iova = ~0ULL - 0xfff, .length = 0x2000), -EOVERFLOW);
	CHECK_EQ(MAP(.iova = ~0ULL - 0xfff), -EINVAL); /* fits, but reserved */
	CHECK_EQ(MAP(.iova = 1ULL << 50), -EINVAL); /* outside the aperture */
	CHECK_EQ(MAP(.user_va = BUF_GPA + 8), -EINVAL);
	/* only the guest's own RAM */
	CHECK_EQ(MAP(.user_va = HOSTENV_PA_BASE), -EFAULT);
	CHECK_EQ(MAP(.user_va = 0x09000000), -EFAULT);
	CHECK_EQ(MAP(.user_va = GUEST_IPA + GUEST_SIZE - 0x1000, .length = 0x2000), -EFAULT);
	CHECK_EQ(MAP(.user_va = ~0ULL & ~0xfffULL), -EFAULT);
	CHECK_EQ(MAP(), 0);
	CHECK_EQ(MAP(.iova = 0xf000, .length = 0x2000), -EEXIST);
	/* automatic IOVA: aligned, never 0, no overlap */
	m = (struct iommu_ioas_map){ .size = sizeof(m), .ioas_id = ioas, .user_va = BUF_GPA,
				     .length = 0x4000, .flags = RW };
	CHECK_EQ(HC(&g, IOMMU_CMD_IOAS_MAP, m), 0);
	CHECK(m.iova >= 0x1000 && IS_ALIGNED(m.iova, 0x4000));
	CHECK(!ranges_overlap(m.iova, 0x4000, 0x10000, 0x1000));
#undef MAP
	teardown(&g, NULL);
}

TEST(ioas_unmap_whole_areas_only_and_validates_first)
{
	struct guest g;
	u32 ioas;
	u64 len;

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	CHECK_EQ(unmap(&g, ioas, 0, ~0ULL, &len), 0); /* unmap-all of nothing */
	CHECK_EQ(len, 0);
	CHECK_EQ(map_fixed(&g, ioas, 0x10000, BUF_GPA, 0x2000, RW), 0);
	CHECK_EQ(map_fixed(&g, ioas, 0x20000, BUF_GPA, 0x2000, RW), 0);
	CHECK_EQ(unmap(&g, 99, 0x10000, 0x2000, NULL), -ENOENT);
	CHECK_EQ(unmap(&g, ioas, 0x10000, 0, NULL), -EINVAL);
	CHECK_EQ(unmap(&g, ioas, ~0ULL - 0xfff, 0x2000, NULL), -EOVERFLOW);
	CHECK_EQ(unmap(&g, ioas, 0x30000, 0x1000, NULL), -ENOENT);	/* a hole */
	CHECK_EQ(unmap(&g, ioas, 0x10000, 0x1000, NULL), -ENOENT);	/* part of an area */
	/* the first area is covered but the second straddles: nothing changes */
	CHECK_EQ(unmap(&g, ioas, 0x10000, 0x11000, NULL), -ENOENT);
	CHECK_EQ(map_fixed(&g, ioas, 0x10000, BUF_GPA, 0x1000, RW), -EEXIST); /* still there */
	CHECK_EQ(unmap(&g, ioas, 0x8000, 0x20000, &len), 0);	/* holes are fine */
	CHECK_EQ(len, 0x4000);
	CHECK_EQ(unmap(&g, ioas, 0x10000, 0x2000, NULL), -ENOENT);
	teardown(&g, NULL);
}

TEST(iova_ranges_and_emsgsize)
{
	struct guest g;
	struct iommu_ioas_iova_ranges r = { .size = sizeof(r), .num_iovas = 0,
					    .allowed_iovas = DATA_GPA };
	struct iommu_iova_range *out;

	REQUIRE(setup(&g));
	r.ioas_id = ioas_new(&g);
	CHECK_EQ(HC(&g, IOMMU_CMD_IOAS_IOVA_RANGES, r), -EMSGSIZE);
	CHECK_EQ(r.num_iovas, 1);
	CHECK_EQ(HC(&g, IOMMU_CMD_IOAS_IOVA_RANGES, r), 0);
	out = gva(&g, DATA_GPA);
	CHECK_EQ(out->start, 0);
	CHECK_EQ(out->last, (1ULL << 44) - 1);
	CHECK_EQ(r.out_iova_alignment, 4096);
	r.__reserved = 1;
	CHECK_EQ(HC(&g, IOMMU_CMD_IOAS_IOVA_RANGES, r), -EOPNOTSUPP);
	teardown(&g, NULL);
}

/* ---- stage-2 HWPT and real DMA ---------------------------------------------------------- */

TEST(stage2_hwpt_follows_the_ioas_and_dma_lands_at_the_gpa)
{
	struct guest g;
	u32 ioas, hwpt;
	u8 data[32], back[32];

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	/* a mapping before the HWPT exists, one after the device is attached */
	CHECK_EQ(map_fixed(&g, ioas, 0x100000, BUF_GPA, 0x1000, RW), 0);
	CHECK_EQ(hwpt_new(&g, ioas, 0, &hwpt), 0);
	CHECK_EQ(attach(&g, hwpt), 0);
	CHECK_EQ(map_fixed(&g, ioas, 0x200000, BUF_GPA + 0x3000, 0x1000,
			   IOMMU_IOAS_MAP_READABLE), 0);
	for (int i = 0; i < 32; i++)
		data[i] = (u8)(0xc0 + i);
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x100010, data, 32), 0);
	CHECK(!memcmp((u8 *)gva(&g, BUF_GPA) + 0x10, data, 32));
	memcpy(gva(&g, BUF_GPA + 0x3000), data, 32);
	CHECK_EQ(smmu_model_dma_read(model, PSID, 0x200000, back, 32), 0);
	CHECK(!memcmp(back, data, 32));
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x200000, data, 32), -EFAULT); /* RO */
	/* after IOAS_UNMAP the device is cut off at once (invalidated) */
	CHECK_EQ(unmap(&g, ioas, 0x100000, 0x1000, NULL), 0);
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x100010, data, 32), -EFAULT);
	teardown(&g, NULL);
}

TEST(hwpt_alloc_errors_match_iommufd)
{
	struct guest g;
	struct iommu_hwpt_alloc h;
	u32 ioas, s2, parent, nested;
	struct iommu_hwpt_arm_smmuv3 *vste;

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	vste = gva(&g, DATA_GPA);
	vste->ste[0] = 0; /* V=0: an abort vSTE, accepted */
	vste->ste[1] = 0;
#define ALLOC(...) (h = (struct iommu_hwpt_alloc){ .size = sizeof(h), .dev_id = (u32)g.dev_id, \
	.pt_id = ioas, __VA_ARGS__ }, HC(&g, IOMMU_CMD_HWPT_ALLOC, h))
	CHECK_EQ(ALLOC(.__reserved = 1), -EOPNOTSUPP);
	CHECK_EQ(ALLOC(.data_type = IOMMU_HWPT_DATA_ARM_SMMUV3), -EINVAL);
	CHECK_EQ(ALLOC(.data_len = 16), -EINVAL);
	CHECK_EQ(ALLOC(.dev_id = 50), -ENOENT);
	CHECK_EQ(ALLOC(.dev_id = ioas), -ENOENT);
	CHECK_EQ(ALLOC(.pt_id = 50), -EINVAL);
	CHECK_EQ(ALLOC(.pt_id = (u32)g.dev_id), -EINVAL);
	CHECK_EQ(ALLOC(.flags = 1 << 7), -EOPNOTSUPP);
	CHECK_EQ(ALLOC(.flags = IOMMU_HWPT_ALLOC_DIRTY_TRACKING), -EOPNOTSUPP);
	CHECK_EQ(ALLOC(.flags = IOMMU_HWPT_FAULT_ID_VALID), -EOPNOTSUPP);
	CHECK_EQ(ALLOC(.data_type = IOMMU_HWPT_DATA_ARM_SMMUV3, .data_len = 16,
		       .data_uptr = DATA_GPA), -EOPNOTSUPP); /* no data for stage 2 */
	CHECK_EQ(ALLOC(), 0);
	s2 = h.out_hwpt_id;
	CHECK_EQ(ALLOC(.flags = IOMMU_HWPT_ALLOC_NEST_PARENT), 0);
	parent = h.out_hwpt_id;
	/* nested */
#define NALLOC(pt, ...) ALLOC(.pt_id = pt, .data_type = IOMMU_HWPT_DATA_ARM_SMMUV3, \
	.data_len = 16, .data_uptr = DATA_GPA, __VA_ARGS__)
	CHECK_EQ(NALLOC(s2), -EINVAL);				/* not a nest parent */
	CHECK_EQ(NALLOC(parent, .flags = IOMMU_HWPT_ALLOC_NEST_PARENT), -EOPNOTSUPP);
	CHECK_EQ(NALLOC(parent, .data_len = 8), -EINVAL);
	CHECK_EQ(NALLOC(parent, .data_len = 24), -EINVAL);
	CHECK_EQ(NALLOC(parent, .data_type = IOMMU_HWPT_DATA_VTD_S1), -EINVAL);
	CHECK_EQ(NALLOC(parent, .data_type = 9), -EOPNOTSUPP);
	CHECK_EQ(NALLOC(parent, .data_uptr = 0x1000), -EFAULT);
	CHECK_EQ(NALLOC(parent), 0);
	nested = h.out_hwpt_id;
	CHECK_EQ(NALLOC(nested), -EINVAL);			/* nested on nested */
#undef NALLOC
#undef ALLOC
	teardown(&g, NULL);
}

TEST(vste_is_checked_bit_exactly)
{
	struct guest g;
	struct iommu_hwpt_alloc h;
	u32 ioas, parent;
	struct iommu_hwpt_arm_smmuv3 *vste;
	static const struct {
		u64 w0, w1;
		int err;
	} cases[] = {
		{ 0, 0, 0 },				/* V=0: abort */
		{ 0xffffffffffffff00ULL, ~0ULL, 0 },	/* V=0: everything ignored */
		{ 1, 0, 0 },				/* abort */
		{ 1 | 4 << 1, 0, 0 },			/* bypass -> parent's S2 */
		{ 1 | 5 << 1 | GUEST_IPA, 0, 0 },	/* stage 1 */
		{ 1 | 6 << 1, 0, -EIO },		/* S2 translate: refused */
		{ 1 | 7 << 1, 0, -EIO },		/* nested: refused */
		{ 1 | 1 << 1, 0, -EIO },		/* reserved Config */
		{ 1 | 5 << 1 | 1ULL << 52, 0, -EIO },	/* bit 52 (outside the masks) */
		{ 1 | 5 << 1, 1ULL << 19, -EIO },	/* MEV is Aerie's */
		{ 1 | 5 << 1, 1ULL << 30, -EIO },	/* STRW */
		{ 1 | 5 << 1, 2ULL << 28, -EIO },	/* EATS = S1CHK */
		{ 1 | 5 << 1, 1ULL << 28 | 1ULL << 27 | 0xff, 0 }, /* EATS, STALLD, S1C* */
	};

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	vste = gva(&g, DATA_GPA);
	h = (struct iommu_hwpt_alloc){ .size = sizeof(h), .dev_id = (u32)g.dev_id, .pt_id = ioas,
				       .flags = IOMMU_HWPT_ALLOC_NEST_PARENT };
	REQUIRE(HC(&g, IOMMU_CMD_HWPT_ALLOC, h) == 0);
	parent = h.out_hwpt_id;
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		int err;

		vste->ste[0] = cases[i].w0;
		vste->ste[1] = cases[i].w1;
		h = (struct iommu_hwpt_alloc){ .size = sizeof(h), .dev_id = (u32)g.dev_id,
					       .pt_id = parent,
					       .data_type = IOMMU_HWPT_DATA_ARM_SMMUV3,
					       .data_len = 16, .data_uptr = DATA_GPA };
		err = HC(&g, IOMMU_CMD_HWPT_ALLOC, h);
		if (err != cases[i].err) {
			fprintf(stderr, "  case %u: got %d, want %d\n", i, err, cases[i].err);
			CHECK(0);
		}
	}
	teardown(&g, NULL);
}

/* ---- nested, end to end ----------------------------------------------------------------- */


TEST(nested_dma_through_the_guests_stage1_and_invalidation)
{
	struct guest g;
	struct nested_env n;
	struct smmu_model_stats st, st2;
	u8 data[16] = "through S1+S2!", back[16];
	u64 tlbi[1][2] = { { 0x12 | ((u64)ASID << 48), S1_VA } }; /* TLBI_NH_VA */
	u32 issued;

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	CHECK_EQ(smmu_model_dma_write(model, PSID, S1_VA + 0x20, data, 16), 0);
	CHECK(!memcmp((u8 *)gva(&g, BUF_GPA) + 0x20, data, 16));
	/* the guest points its page elsewhere: stale until it invalidates */
	build_stage1(&g, BUF_GPA + 0x1000);
	CHECK_EQ(smmu_model_dma_read(model, PSID, S1_VA + 0x20, back, 16), 0);
	CHECK(!memcmp(back, data, 16)); /* old page, from the TLB */
	smmu_model_get_stats(model, &st);
	CHECK_EQ(invalidate(&g, n.viommu, tlbi, 1, &issued), 0);
	smmu_model_get_stats(model, &st2);
	CHECK_EQ(issued, 1);
	CHECK_EQ(st2.cmds[0x12] - st.cmds[0x12], 1);
	CHECK_EQ(st2.syncs - st.syncs, 1);
	memset(gva(&g, BUF_GPA + 0x1000 + 0x20), 0x77, 16);
	CHECK_EQ(smmu_model_dma_read(model, PSID, S1_VA + 0x20, back, 16), 0);
	CHECK_EQ(back[0], 0x77); /* the new page */
	/* an empty array is allowed (the uAPI's rule) */
	CHECK_EQ(invalidate(&g, n.viommu, tlbi, 0, &issued), 0);
	CHECK_EQ(issued, 0);
	teardown(&g, NULL);
}

TEST(invalidation_commands_are_filtered_and_rewritten)
{
	struct guest g;
	struct nested_env n;
	struct smmu_model_stats st, st2;
	u32 issued;
	/* VMID 0x3333 in the guest's commands must become Aerie's */
	u64 ok3[3][2] = { { 0x10 | 0x3333ULL << 32, 0 },		/* TLBI_NH_ALL */
			  { 0x30, 0 },					/* TLBI_NSNH_ALL */
			  { 0x06 | (u64)VSID << 32, 0 } };		/* CFGI_CD_ALL vSID */
	u64 bad[3][2] = { { 0x11 | (u64)ASID << 48, 0 },		/* TLBI_NH_ASID: ok */
			  { 0x03 | (u64)PSID << 32, 1 },		/* CFGI_STE: refused */
			  { 0x10, 0 } };
	u64 foreign[1][2] = { { 0x06 | 0x99ULL << 32, 0 } };		/* unknown vSID */
	static const u8 refused[] = { 0x01, 0x03, 0x04, 0x20, 0x28, 0x2a, 0x41, 0x44, 0x46, 0x7f };

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	smmu_model_get_stats(model, &st);
	CHECK_EQ(invalidate(&g, n.viommu, ok3, 3, &issued), 0);
	CHECK_EQ(issued, 3);
	smmu_model_get_stats(model, &st2);
	CHECK_EQ(st2.cmds[0x10] - st.cmds[0x10], 2);
	CHECK_EQ(st2.cmds[0x30] - st.cmds[0x30], 0); /* NSNH became NH_ALL */
	CHECK_EQ(st2.cmds[0x06] - st.cmds[0x06], 1);
	CHECK_EQ(st2.syncs - st.syncs, 1);
	CHECK_EQ(st2.cmd_errors, 0);
	/* the batch stops at the first refused entry: only what was issued counts */
	CHECK_EQ(invalidate(&g, n.viommu, bad, 3, &issued), -EIO);
	CHECK_EQ(issued, 1);
	CHECK_EQ(invalidate(&g, n.viommu, foreign, 1, &issued), -EIO);
	CHECK_EQ(issued, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(refused); i++) {
		u64 c[1][2] = { { refused[i] | (u64)VSID << 32, 0 } };
		CHECK_EQ(invalidate(&g, n.viommu, c, 1, &issued), -EIO);
		CHECK_EQ(issued, 0);
	}
	/* a paging HWPT or an IOAS is not something to invalidate this way */
	CHECK_EQ(invalidate(&g, n.parent, ok3, 1, &issued), -EINVAL);
	CHECK_EQ(invalidate(&g, n.ioas, ok3, 1, &issued), -EINVAL);
	CHECK_EQ(invalidate(&g, 300, ok3, 1, &issued), -ENOENT);
	teardown(&g, NULL);
}

TEST(destroy_is_refcounted)
{
	struct guest g;
	struct nested_env n;
	struct aerie_iommu_device_detach d = { .size = sizeof(d) };

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	CHECK_EQ(destroy(&g, 0), -ENOENT);
	CHECK_EQ(destroy(&g, 400), -ENOENT);
	CHECK_EQ(destroy(&g, (u32)g.dev_id), -EBUSY);	/* Aerie's, not the guest's */
	CHECK_EQ(destroy(&g, n.ioas), -EBUSY);		/* has a HWPT */
	CHECK_EQ(destroy(&g, n.parent), -EBUSY);	/* held by the vIOMMU */
	CHECK_EQ(destroy(&g, n.viommu), -EBUSY);	/* nested HWPT, vDEVICE */
	CHECK_EQ(destroy(&g, n.nested), -EBUSY);	/* attached */
	d.dev_id = (u32)g.dev_id;
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_DETACH, d), 0);
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_DETACH, d), -EINVAL);
	CHECK_EQ(destroy(&g, n.nested), 0);
	CHECK_EQ(destroy(&g, n.nested), -ENOENT);
	CHECK_EQ(destroy(&g, n.viommu), -EBUSY);	/* the vDEVICE */
	CHECK_EQ(destroy(&g, n.vdev), 0);
	CHECK_EQ(destroy(&g, n.viommu), 0);
	CHECK_EQ(destroy(&g, n.parent), 0);
	CHECK_EQ(destroy(&g, n.ioas), 0);		/* mappings alone don't pin it */
	teardown(&g, NULL);
}

TEST(attach_replace_detach)
{
	struct guest g;
	struct aerie_iommu_device_attach a = { .size = sizeof(a) };
	u32 ioas, h1, h2;
	u8 x = 0x5a;
	u64 ste[8];

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	CHECK_EQ(map_fixed(&g, ioas, 0x1000, BUF_GPA, 0x1000, RW), 0);
	CHECK_EQ(hwpt_new(&g, ioas, 0, &h1), 0);
	CHECK_EQ(hwpt_new(&g, ioas, 0, &h2), 0);
	a.dev_id = (u32)g.dev_id;
	a.pt_id = h2;
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_REPLACE, a), -EINVAL); /* not attached */
	CHECK_EQ(attach(&g, (u32)g.dev_id), -EINVAL);	/* not a HWPT or IOAS */
	CHECK_EQ(attach(&g, 99), -ENOENT);
	a.flags = 1;
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_ATTACH, a), -EOPNOTSUPP);
	CHECK_EQ(attach(&g, h1), 0);
	CHECK_EQ(attach(&g, h1), 0);			/* the same: nothing to do */
	CHECK_EQ(attach(&g, h2), -EINVAL);		/* attach never replaces */
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x1000, &x, 1), 0);
	a.flags = 0;
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_REPLACE, a), 0);
	CHECK_EQ(destroy(&g, h1), 0);			/* no longer attached */
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x1000, &x, 1), 0);
	CHECK_EQ(smmu_ste_read(smmu, PSID, ste), 0);
	CHECK_EQ((ste[0] >> 1) & 7, 6);
	teardown(&g, NULL);
	/* after teardown the stream is abort again: checked in a fresh SMMU by
	 * the teardown test below */
}

TEST(list_devices_and_hw_info)
{
	struct guest g;
	struct aerie_iommu_list_devices l = { .size = sizeof(l), .devices_uptr = DATA_GPA };
	struct aerie_iommu_device_info *info = gva(&g, DATA_GPA);
	struct iommu_hw_info hi = { .size = sizeof(hi), .data_uptr = DATA_GPA, .data_len = 64 };
	struct iommu_hw_info_arm_smmuv3 *smmuinfo;

	REQUIRE(setup(&g));
	info = gva(&g, DATA_GPA);
	CHECK_EQ(HC(&g, AERIE_CMD_LIST_DEVICES, l), -EMSGSIZE);
	CHECK_EQ(l.num_devices, 1);
	CHECK_EQ(HC(&g, AERIE_CMD_LIST_DEVICES, l), 0);
	CHECK_EQ(info->dev_id, (u32)g.dev_id);
	CHECK_EQ(info->vbdf, VBDF);
	CHECK_EQ(info->vsid, VSID);
	memset(gva(&g, DATA_GPA), 0xff, 64);
	hi.dev_id = (u32)g.dev_id;
	CHECK_EQ(HC(&g, IOMMU_CMD_GET_HW_INFO, hi), 0);
	smmuinfo = gva(&g, DATA_GPA);
	CHECK_EQ(hi.data_len, 40);
	CHECK_EQ(hi.out_data_type, IOMMU_HW_INFO_TYPE_ARM_SMMUV3);
	CHECK(smmuinfo->idr[0] & 2);		/* S1P */
	CHECK(!(smmuinfo->idr[0] & 1));		/* never S2P */
	CHECK(!(smmuinfo->idr[0] & (1 << 18)));	/* nor VMID16 */
	CHECK(smmuinfo->idr[3] & (1 << 10));	/* RIL */
	CHECK_EQ(smmuinfo->idr[5] & 7, 4);	/* OAS = Aerie's stage-2 input: 44 bits */
	CHECK_EQ(((u8 *)gva(&g, DATA_GPA))[50], 0); /* the rest zero-filled */
	hi.dev_id = 77;
	CHECK_EQ(HC(&g, IOMMU_CMD_GET_HW_INFO, hi), -ENOENT);
	hi.dev_id = (u32)g.dev_id;
	hi.flags = 2;
	CHECK_EQ(HC(&g, IOMMU_CMD_GET_HW_INFO, hi), -EOPNOTSUPP);
	hi.flags = IOMMU_HW_INFO_FLAG_INPUT_TYPE;
	hi.out_data_type = 3;
	CHECK_EQ(HC(&g, IOMMU_CMD_GET_HW_INFO, hi), -EOPNOTSUPP);
	teardown(&g, NULL);
}

TEST(viommu_and_vdevice_rules)
{
	struct guest g;
	struct iommu_viommu_alloc v;
	struct iommu_vdevice_alloc vd;
	u32 ioas, s2, parent, viommu;

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	CHECK_EQ(hwpt_new(&g, ioas, 0, &s2), 0);
	CHECK_EQ(hwpt_new(&g, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &parent), 0);
#define VALLOC(...) (v = (struct iommu_viommu_alloc){ .size = sizeof(v), \
	.type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3, .dev_id = (u32)g.dev_id, .hwpt_id = parent, \
	__VA_ARGS__ }, HC(&g, IOMMU_CMD_VIOMMU_ALLOC, v))
	CHECK_EQ(VALLOC(.flags = 1), -EOPNOTSUPP);
	CHECK_EQ(VALLOC(.type = IOMMU_VIOMMU_TYPE_DEFAULT), -EOPNOTSUPP);
	CHECK_EQ(VALLOC(.dev_id = 99), -ENOENT);
	CHECK_EQ(VALLOC(.type = 2), -EOPNOTSUPP);
	CHECK_EQ(VALLOC(.hwpt_id = 0), -ENOENT);
	CHECK_EQ(VALLOC(.hwpt_id = ioas), -ENOENT);
	CHECK_EQ(VALLOC(.hwpt_id = s2), -EINVAL);
	CHECK_EQ(VALLOC(), 0);
	viommu = v.out_viommu_id;
#undef VALLOC
#define VDALLOC(...) (vd = (struct iommu_vdevice_alloc){ .size = sizeof(vd), \
	.viommu_id = viommu, .dev_id = (u32)g.dev_id, .virt_id = 0x20, __VA_ARGS__ }, \
	HC(&g, IOMMU_CMD_VDEVICE_ALLOC, vd))
	CHECK_EQ(VDALLOC(.virt_id = 1ULL << 32), -EINVAL);
	CHECK_EQ(VDALLOC(.viommu_id = parent), -ENOENT);
	CHECK_EQ(VDALLOC(.dev_id = ioas), -ENOENT);
	CHECK_EQ(VDALLOC(), 0);
	CHECK_EQ(VDALLOC(.virt_id = 0x21), -EEXIST); /* one vDEVICE per device */
#undef VDALLOC
	teardown(&g, NULL);
}

/* ---- vEVENTQ ------------------------------------------------------------------------------ */

#define RING_GPA (GUEST_IPA + 0x3000)

static int veventq_new(struct guest *g, u32 viommu, u32 depth, u64 ring, u32 *out)
{
	struct iommu_veventq_alloc q = { .size = sizeof(q), .viommu_id = viommu,
					 .type = IOMMU_VEVENTQ_TYPE_ARM_SMMUV3,
					 .veventq_depth = depth, .ring_uptr = ring };
	int err = HC(g, IOMMU_CMD_VEVENTQ_ALLOC, q);

	if (out)
		*out = q.out_veventq_id;
	return err;
}

TEST(veventq_alloc_rules)
{
	struct guest g;
	struct nested_env n;
	struct iommu_veventq_alloc q;
	u32 id;

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
#define QALLOC(...) (q = (struct iommu_veventq_alloc){ .size = sizeof(q), .viommu_id = n.viommu, \
	.type = IOMMU_VEVENTQ_TYPE_ARM_SMMUV3, .veventq_depth = 4, .ring_uptr = RING_GPA, \
	__VA_ARGS__ }, HC(&g, IOMMU_CMD_VEVENTQ_ALLOC, q))
	CHECK_EQ(QALLOC(.flags = 1), -EOPNOTSUPP);
	CHECK_EQ(QALLOC(.__reserved = 1), -EOPNOTSUPP);
	CHECK_EQ(QALLOC(.type = IOMMU_VEVENTQ_TYPE_DEFAULT), -EOPNOTSUPP);
	CHECK_EQ(QALLOC(.viommu_id = n.parent), -ENOENT);
	CHECK_EQ(QALLOC(.type = 2), -EOPNOTSUPP);
	CHECK_EQ(QALLOC(.veventq_depth = 0), -EINVAL);
	CHECK_EQ(QALLOC(.veventq_depth = 100000), -EINVAL);
	CHECK_EQ(QALLOC(.ring_uptr = GUEST_IPA + GUEST_SIZE - 64), -EFAULT);
	CHECK_EQ(QALLOC(.ring_uptr = HOSTENV_PA_BASE), -EFAULT);
	CHECK_EQ(QALLOC(), 0);
	id = q.out_veventq_id;
	CHECK_EQ(QALLOC(), -EEXIST); /* one per vIOMMU */
#undef QALLOC
	CHECK_EQ(destroy(&g, n.viommu), -EBUSY);
	CHECK_EQ(destroy(&g, id), 0);
	teardown(&g, NULL);
}

static struct aerie_vevent_record *ring_rec(struct guest *g, u32 i)
{
	return (struct aerie_vevent_record *)((u8 *)gva(g, RING_GPA) +
					     sizeof(struct aerie_veventq_ring)) + i;
}

TEST(stage1_faults_reach_the_guests_ring_with_its_vsid)
{
	struct guest g;
	struct nested_env n;
	struct aerie_veventq_ring *ring;
	u8 b[4];
	u8 after[64];

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	REQUIRE(veventq_new(&g, n.viommu, 2, RING_GPA, NULL) == 0);
	ring = gva(&g, RING_GPA);
	CHECK_EQ(ring->depth, 2);
	CHECK_EQ(g.notified, 0);
	/* a stage-1 hole: the guest's own fault, delivered */
	CHECK_EQ(smmu_model_dma_read(model, PSID, S1_VA + 0x5000, b, 4), -EFAULT);
	CHECK_EQ(smmu_poll(smmu), 1);
	CHECK_EQ(ring->prod, 1);
	CHECK_EQ(ring_rec(&g, 0)->hdr.flags, 0);
	CHECK_EQ(ring_rec(&g, 0)->hdr.sequence, 0);
	CHECK_EQ(ring_rec(&g, 0)->data.evt[0] & 0xff, 0x10);	/* F_TRANSLATION */
	CHECK_EQ(ring_rec(&g, 0)->data.evt[0] >> 32, VSID);	/* never the physical SID */
	CHECK_EQ(ring_rec(&g, 0)->data.evt[2], S1_VA + 0x5000);
	CHECK_EQ(g.notified, 1);	/* one record, one notification */
	/* fill the ring and overflow it: 1 fits, 2 are lost */
	for (int i = 1; i <= 3; i++)
		smmu_model_dma_read(model, PSID, S1_VA + 0x5000 + i * 0x1000ULL, b, 4);
	smmu_poll(smmu);
	CHECK_EQ(ring->prod, 2);
	CHECK_EQ(ring_rec(&g, 1)->hdr.sequence, 1);
	CHECK_EQ(g.notified, 2);	/* the two lost ones add nothing to read */
	/* the guest consumes both; the next event comes after a LOST record */
	ring->cons = 2;
	smmu_model_dma_read(model, PSID, S1_VA + 0x9000, b, 4);
	smmu_poll(smmu);
	CHECK_EQ(ring->prod, 4);
	CHECK_EQ(ring_rec(&g, 0)->hdr.flags, IOMMU_VEVENTQ_FLAG_LOST_EVENTS);
	CHECK_EQ(ring_rec(&g, 0)->hdr.sequence, 4);			/* 2 and 3 were lost */
	CHECK_EQ(ring_rec(&g, 1)->hdr.sequence, 5);
	CHECK_EQ(ring_rec(&g, 1)->data.evt[2], S1_VA + 0x9000);
	CHECK_EQ(g.notified, 3);	/* LOST record and event: one notification */
	/* a guest that corrupts its consumer index loses events, nothing else */
	memcpy(after, ring_rec(&g, 2), sizeof(after));
	ring->cons = 0xdeadbeef;
	smmu_model_dma_read(model, PSID, S1_VA + 0xa000, b, 4);
	smmu_poll(smmu);
	CHECK_EQ(ring->prod, 4);
	CHECK(!memcmp(after, ring_rec(&g, 2), sizeof(after)));
	CHECK_EQ(g.notified, 3);
	teardown(&g, NULL);
}

TEST(stage2_faults_stay_aeries)
{
	struct guest g;
	struct nested_env n;
	struct aerie_veventq_ring *ring;
	u8 b[4];

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	REQUIRE(veventq_new(&g, n.viommu, 4, RING_GPA, NULL) == 0);
	ring = gva(&g, RING_GPA);
	/* the guest unmaps the IPA its stage 1 points to: a stage-2 fault */
	CHECK_EQ(unmap(&g, n.ioas, GUEST_IPA, GUEST_SIZE, NULL), 0);
	CHECK_EQ(smmu_model_dma_read(model, PSID, S1_VA, b, 4), -EFAULT);
	CHECK(smmu_poll(smmu) >= 1);
	CHECK_EQ(ring->prod, 0);
	CHECK_EQ(g.notified, 0);	/* Aerie's fault: nothing for the guest */
	CHECK(!hostenv_log_contains("was stopped by Aerie's stage 2")); /* not yet: */
	iommu_ctx_log_flush(g.ctx);	/* on the guest's own exit */
	CHECK(hostenv_log_contains("its device 00:01.0 was stopped by Aerie's stage 2"));
	teardown(&g, NULL);
}

/* ---- two guests ----------------------------------------------------------------------- */

TEST(guests_cannot_reach_each_other)
{
	struct guest a, b;
	u32 ioas_a, hwpt_a, ioas_b;
	u8 x = 1;

	REQUIRE(setup(&a));
	REQUIRE(guest_init(&b, 2, PSID + 8));
	ioas_a = ioas_new(&a);
	ioas_b = ioas_new(&b);
	CHECK_EQ(ioas_a, ioas_b); /* per-guest id spaces */
	CHECK_EQ(hwpt_new(&a, ioas_a, 0, &hwpt_a), 0);
	CHECK_EQ(attach(&a, hwpt_a), 0);
	/* B cannot name A's objects (A has more ids than B) */
	CHECK_EQ(destroy(&b, hwpt_a), -ENOENT);
	CHECK_EQ(attach(&b, hwpt_a), -ENOENT);
	/* B cannot map A's RAM: only its own region is its RAM */
	CHECK_EQ(map_fixed(&b, ioas_b, 0x1000, a.ram, 0x1000, RW), -EFAULT);
	CHECK_EQ(map_fixed(&b, ioas_b, 0x1000, GUEST_IPA, 0x1000, RW), 0);
	/* B's device (never attached) cannot DMA; A's device only where A maps */
	CHECK_EQ(smmu_model_dma_write(model, PSID + 8, 0x1000, &x, 1), -EFAULT);
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x1000, &x, 1), -EFAULT);
	teardown(&a, &b);
}

TEST(teardown_returns_everything_and_aborts_streams)
{
	struct guest g;
	struct nested_env n;
	u64 ste[8];
	struct page_stats ps;

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	iommu_ctx_destroy(g.ctx);
	CHECK_EQ(smmu_ste_read(smmu, PSID, ste), 0);
	CHECK_EQ(ste[0] & 0xf, 1); /* abort */
	page_stats(&ps);
	CHECK_EQ(ps.in_use, ps0.in_use);
	CHECK_EQ(hostenv_objs_in_use(), objs0);
	smmu_remove(smmu);
	smmu_model_destroy(model);
}

/* ---- allocation failure at every point ------------------------------------------------------ */

/*
 * Make the nth allocation fail for n = 1, 2, ... until the operation
 * succeeds. An atomic operation must then leave no trace (pages, objects);
 * a multi-step sequence (atomic = false) must at least leak nothing once the
 * guest is torn down (teardown() checks it).
 */
static void fail_nth_sweep(const char *what, int (*op)(struct guest *, struct nested_env *),
			   bool atomic)
{
	for (unsigned long nth = 1;; nth++) {
		struct guest g;
		struct nested_env n = { 0 };
		struct page_stats before, after;
		u64 objs_before;
		int err;

		REQUIRE(setup(&g));
		REQUIRE(op(&g, NULL) == 0); /* the state the op starts from */
		page_stats(&before);
		objs_before = hostenv_objs_in_use();
		hostenv_fail_nth(nth);
		err = op(&g, &n);
		hostenv_fail_nth(0);
		if (err == 0) {
			teardown(&g, NULL);
			break;
		}
		if (err != -ENOMEM) {
			fprintf(stderr, "  %s: fail at %lu gave %d\n", what, nth, err);
			CHECK(0);
		}
		page_stats(&after);
		if (atomic) {
			CHECK_EQ(after.in_use, before.in_use);
			CHECK_EQ(hostenv_objs_in_use(), objs_before);
		}
		teardown(&g, NULL);
		if (nth > 40 || test_current_failed)
			break;
	}
}

/* each op: with n == NULL build the starting state, else do the operation */
static int op_ioas_alloc(struct guest *g, struct nested_env *n)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };

	return n ? HC(g, IOMMU_CMD_IOAS_ALLOC, a) : 0;
}

static u32 fixture_ioas, fixture_hwpt;

static int op_map_with_hwpt(struct guest *g, struct nested_env *n)
{
	if (!n) {
		fixture_ioas = ioas_new(g);
		return hwpt_new(g, fixture_ioas, 0, &fixture_hwpt);
	}
	return map_fixed(g, fixture_ioas, 0x40000000, BUF_GPA, 0x3000, RW);
}

static int op_hwpt_alloc_filled(struct guest *g, struct nested_env *n)
{
	u32 h;

	if (!n) {
		fixture_ioas = ioas_new(g);
		return map_fixed(g, fixture_ioas, 0x1000, BUF_GPA, 0x3000, RW);
	}
	return hwpt_new(g, fixture_ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &h);
}

static int op_nested_all(struct guest *g, struct nested_env *n)
{
	return n ? (nested_setup(g, n) ? 0 : -ENOMEM) : 0;
}

TEST(allocation_failure_anywhere_changes_nothing)
{
	fail_nth_sweep("IOAS_ALLOC", op_ioas_alloc, true);
	fail_nth_sweep("IOAS_MAP with a HWPT", op_map_with_hwpt, true);
	fail_nth_sweep("HWPT_ALLOC of a filled IOAS", op_hwpt_alloc_filled, true);
}

/* fixtures for the single-command sweeps: built by the n == NULL call */
static struct nested_env fx;

static int fx_parent(struct guest *g)
{
	fx.ioas = ioas_new(g);
	if (map_fixed(g, fx.ioas, GUEST_IPA, GUEST_IPA, GUEST_SIZE, RW))
		return -1;
	return hwpt_new(g, fx.ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &fx.parent);
}

static int fx_viommu(struct guest *g)
{
	struct iommu_viommu_alloc v = { .size = sizeof(v), .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
					.dev_id = (u32)g->dev_id };

	if (fx_parent(g))
		return -1;
	v.hwpt_id = fx.parent;
	if (HC(g, IOMMU_CMD_VIOMMU_ALLOC, v))
		return -1;
	fx.viommu = v.out_viommu_id;
	return 0;
}

static int op_viommu_alloc(struct guest *g, struct nested_env *n)
{
	struct iommu_viommu_alloc v = { .size = sizeof(v), .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
					.dev_id = (u32)g->dev_id };

	if (!n)
		return fx_parent(g);
	v.hwpt_id = fx.parent;
	return HC(g, IOMMU_CMD_VIOMMU_ALLOC, v);
}

static int op_vdevice_alloc(struct guest *g, struct nested_env *n)
{
	struct iommu_vdevice_alloc vd = { .size = sizeof(vd), .dev_id = (u32)g->dev_id,
					  .virt_id = VSID };

	if (!n)
		return fx_viommu(g);
	vd.viommu_id = fx.viommu;
	return HC(g, IOMMU_CMD_VDEVICE_ALLOC, vd);
}

static int op_veventq_alloc(struct guest *g, struct nested_env *n)
{
	return n ? veventq_new(g, fx.viommu, 8, RING_GPA, NULL) : fx_viommu(g);
}

static int op_nested_hwpt_alloc(struct guest *g, struct nested_env *n)
{
	struct iommu_hwpt_alloc h = { .size = sizeof(h), .dev_id = (u32)g->dev_id,
				      .data_type = IOMMU_HWPT_DATA_ARM_SMMUV3, .data_len = 16,
				      .data_uptr = DATA_GPA };
	struct iommu_hwpt_arm_smmuv3 *vste = gva(g, DATA_GPA);

	if (!n)
		return fx_viommu(g);
	vste->ste[0] = 1 | (5 << 1) | S1_CD_GPA;
	vste->ste[1] = 0;
	h.pt_id = fx.viommu;
	return HC(g, IOMMU_CMD_HWPT_ALLOC, h);
}

static int op_attach(struct guest *g, struct nested_env *n)
{
	return n ? attach(g, fx.parent) : fx_parent(g);
}

TEST(allocation_failure_in_each_nested_command_changes_nothing)
{
	fail_nth_sweep("VIOMMU_ALLOC", op_viommu_alloc, true);
	fail_nth_sweep("VDEVICE_ALLOC", op_vdevice_alloc, true);
	fail_nth_sweep("VEVENTQ_ALLOC", op_veventq_alloc, true);
	fail_nth_sweep("HWPT_ALLOC nested", op_nested_hwpt_alloc, true);
	fail_nth_sweep("DEVICE_ATTACH", op_attach, true);
}

TEST(allocation_failure_in_the_nested_sequence_leaks_nothing)
{
	/* a failure anywhere in the whole nested setup; teardown must still
	 * return every page (the sweep checks it through teardown()) */
	fail_nth_sweep("nested setup", op_nested_all, false);
}

int main(int argc, char **argv) { return test_main(argc, argv); }

/* ---- make bench's counts table, gated ----------------------------------------------------- */

TEST(ioas_map_issues_no_command_and_nest_parent_unmap_adds_one_nh_all)
{
	struct guest g;
	struct nested_env n;
	struct smmu_model_stats st, st2;
	u32 ioas, hwpt;

	REQUIRE(setup(&g));
	/* a stage-2 HWPT attached: MAP writes tables only; UNMAP is one
	 * TLBI_S2_IPA (RIL) and one CMD_SYNC, for 4K, 2M and 16M alike */
	ioas = ioas_new(&g);
	REQUIRE(ioas);
	REQUIRE(hwpt_new(&g, ioas, 0, &hwpt) == 0);
	REQUIRE(attach(&g, hwpt) == 0);
	/* (each size in a GiB of its own: no table an earlier unmap kept) */
	for (u64 len = PAGE_SIZE, iova = 1ULL << 30; len <= GUEST_SIZE; len *= 64, iova += 1ULL << 30) {
		smmu_model_get_stats(model, &st);
		CHECK_EQ(map_fixed(&g, ioas, iova, GUEST_IPA, len, RW), 0);
		smmu_model_get_stats(model, &st2);
		CHECK(!memcmp(&st, &st2, sizeof(st)));
		CHECK_EQ(unmap(&g, ioas, iova, len, NULL), 0);
		smmu_model_get_stats(model, &st2);
		CHECK_EQ(st2.cmds[0x2a] - st.cmds[0x2a], 1);
		CHECK_EQ(st2.cmds[0x28] - st.cmds[0x28], 0);
		CHECK_EQ(st2.cmds[0x10] - st.cmds[0x10], 0);
		CHECK_EQ(st2.syncs - st.syncs, 1);
	}
	{
		struct aerie_iommu_device_detach dd = { .size = sizeof(dd),
							.dev_id = (u32)g.dev_id };
		REQUIRE(HC(&g, AERIE_CMD_DEVICE_DETACH, dd) == 0);
	}
	REQUIRE(nested_setup(&g, &n));
	smmu_model_get_stats(model, &st);
	CHECK_EQ(map_fixed(&g, n.ioas, 1ULL << 30, GUEST_IPA, PAGE_SIZE, RW), 0);
	smmu_model_get_stats(model, &st2);
	CHECK(!memcmp(&st, &st2, sizeof(st)));
	CHECK_EQ(unmap(&g, n.ioas, 1ULL << 30, PAGE_SIZE, NULL), 0);
	smmu_model_get_stats(model, &st2);
	CHECK_EQ(st2.cmds[0x2a] - st.cmds[0x2a], 1);
	CHECK_EQ(st2.cmds[0x10] - st.cmds[0x10], 1); /* the guest's stage-1 walks cached IPAs */
	CHECK_EQ(st2.syncs - st.syncs, 1);
	teardown(&g, NULL);
}

TEST(hwpt_invalidate_of_64_entries_is_64_commands_and_one_sync)
{
	struct guest g;
	struct nested_env n;
	struct smmu_model_stats st, st2;
	u64 cmds[64][2];
	u32 issued;

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	for (int i = 0; i < 64; i++) {
		cmds[i][0] = 0x12 | ((u64)ASID << 48); /* TLBI_NH_VA */
		cmds[i][1] = S1_VA + ((u64)i << 12);
	}
	smmu_model_get_stats(model, &st);
	CHECK_EQ(invalidate(&g, n.viommu, cmds, 64, &issued), 0);
	smmu_model_get_stats(model, &st2);
	CHECK_EQ(issued, 64);
	CHECK_EQ(st2.cmds[0x12] - st.cmds[0x12], 64);
	CHECK_EQ(st2.syncs - st.syncs, 1);
	CHECK_EQ(st2.cmd_errors, 0);
	teardown(&g, NULL);
}
