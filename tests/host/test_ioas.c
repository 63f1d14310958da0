/* SPDX-License-Identifier: MIT */
/*
 * The rest of iommufd's IOAS model through the hypercall entry: IOAS_COPY,
 * reserved IOVA ranges (the MSI window of an attached device, outside the
 * aperture) and IOVA_RANGES, ALLOW_IOVAS, OPTION (HUGE_PAGES, RLIMIT_MODE),
 * and attach/replace to an IOAS (auto-domains). Errors in iommufd's check
 * order; effects through the software SMMU (bytes a device DMAs).
 */
#pragma GCC diagnostic ignored "-Woverride-init"
#include "iommufd_env.h"
#include "../../iommu/iommu_internal.h"	/* a HWPT's table, for its leaf sizes */

#define MSI AERIE_IOMMU_SW_MSI_BASE
#define MSI_LAST (AERIE_IOMMU_SW_MSI_BASE + AERIE_IOMMU_SW_MSI_SIZE - 1)
#define APERTURE_LAST ((1ULL << 44) - 1)	/* the model's IAS */

static int copy(struct guest *g, u32 flags, u32 dst, u32 src, u64 src_iova, u64 len, u64 *dst_iova)
{
	struct iommu_ioas_copy c = { .size = sizeof(c), .flags = flags, .dst_ioas_id = dst,
				     .src_ioas_id = src, .length = len, .src_iova = src_iova,
				     .dst_iova = *dst_iova };
	int err = HC(g, IOMMU_CMD_IOAS_COPY, c);

	*dst_iova = c.dst_iova;
	return err;
}

static int map_auto(struct guest *g, u32 ioas, u64 gpa, u64 len, u64 *iova)
{
	struct iommu_ioas_map m = { .size = sizeof(m), .ioas_id = ioas, .user_va = gpa,
				    .length = len, .flags = RW };
	int err = HC(g, IOMMU_CMD_IOAS_MAP, m);

	*iova = m.iova;
	return err;
}

/* IOVA_RANGES into DATA_GPA with capacity cap: the count, or -errno */
static int ranges(struct guest *g, u32 ioas, u32 cap, u32 *num)
{
	struct iommu_ioas_iova_ranges r = { .size = sizeof(r), .ioas_id = ioas, .num_iovas = cap,
					    .allowed_iovas = DATA_GPA };
	int err = HC(g, IOMMU_CMD_IOAS_IOVA_RANGES, r);

	*num = r.num_iovas;
	return err;
}

static int allow(struct guest *g, u32 ioas, const struct iommu_iova_range *list, u32 n)
{
	struct iommu_ioas_allow_iovas a = { .size = sizeof(a), .ioas_id = ioas, .num_iovas = n,
					    .allowed_iovas = DATA_GPA + 0x800 };

	memcpy(gva(g, DATA_GPA + 0x800), list, n * sizeof(*list));
	return HC(g, IOMMU_CMD_IOAS_ALLOW_IOVAS, a);
}

static int option(struct guest *g, u32 id, u16 op, u32 obj, u64 *val)
{
	struct iommu_option o = { .size = sizeof(o), .option_id = id, .op = op, .object_id = obj,
				  .val64 = *val };
	int err = HC(g, IOMMU_CMD_OPTION, o);

	*val = o.val64;
	return err;
}

static int attach_pt(struct guest *g, u32 nr, u32 dev, u32 *pt)
{
	struct aerie_iommu_device_attach a = { .size = sizeof(a), .dev_id = dev, .pt_id = *pt };
	int err = HC(g, nr, a);

	*pt = a.pt_id;
	return err;
}

static int detach_dev(struct guest *g, u32 dev)
{
	struct aerie_iommu_device_detach d = { .size = sizeof(d), .dev_id = dev };

	return HC(g, AERIE_CMD_DEVICE_DETACH, d);
}

static bool dma_ok(struct guest *g, u32 sid, u64 iova, u64 gpa, u8 v)
{
	*(u8 *)gva(g, gpa) = 0;
	return smmu_model_dma_write(model, sid, iova, &v, 1) == 0 && *(u8 *)gva(g, gpa) == v;
}

static u64 leaf_size(struct guest *g, u32 hwpt, u64 iova)
{
	struct hwpt *h = (struct hwpt *)obj_lookup(g->ctx, hwpt, OBJ_HWPT_PAGING);
	u64 leaf = 0;

	if (!h || pgtable_lookup(&h->pt, iova, NULL, NULL, NULL, &leaf))
		return 0;
	return leaf;
}

static bool usage_consistent(struct guest *g)
{
	struct iommu_usage u;

	iommu_ctx_usage(g->ctx, &u);
	return !memcmp(&u.charged, &u.held, sizeof(u.held));
}

/* ---- IOAS_COPY ------------------------------------------------------------------------- */

TEST(copy_errors_in_iommufd_order)
{
	struct guest g;
	u32 src, dst, h;
	u64 iova;

	REQUIRE(setup(&g));
	src = ioas_new(&g);
	dst = ioas_new(&g);
	REQUIRE(map_fixed(&g, src, 0x10000, BUF_GPA, 0x2000, IOMMU_IOAS_MAP_READABLE) == 0);
	REQUIRE(map_fixed(&g, src, 0x12000, BUF_GPA + 0x2000, 0x2000, RW) == 0);
	REQUIRE(map_fixed(&g, src, 0x20000, BUF_GPA, 0x1000, RW) == 0);
	REQUIRE(hwpt_new(&g, dst, 0, &h) == 0);
#define CP(fl, d, s, si, len, di) (iova = (di), copy(&g, (fl), (d), (s), (si), (len), &iova))
	const u32 F = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE;
	CHECK_EQ(CP(F | 1 << 3, dst, src, 0x10000, 0x1000, 0x40000), -EOPNOTSUPP);
	CHECK_EQ(CP(F, dst, src, 0x10000, ~0ULL, 0x40000), -EOVERFLOW);
	CHECK_EQ(CP(F, dst, src, ~0ULL, 0x1000, 0x40000), -EOVERFLOW);
	CHECK_EQ(CP(F, dst, src, 0x10000, 0x1000, ~0ULL), -EOVERFLOW);
	CHECK_EQ(CP(IOMMU_IOAS_MAP_FIXED_IOVA, dst, src, 0x10000, 0x1000, 0x40000), -EINVAL);
	CHECK_EQ(CP(F, dst, 99, 0x10000, 0x1000, 0x40000), -ENOENT);
	CHECK_EQ(CP(F, dst, h, 0x10000, 0x1000, 0x40000), -ENOENT);	/* not an IOAS */
	CHECK_EQ(CP(F, dst, src, 0x10000, 0, 0x40000), -EINVAL);
	CHECK_EQ(CP(F, dst, src, ~0ULL - 0xfff, 0x2000, 0x40000), -EOVERFLOW);
	CHECK_EQ(CP(F, dst, src, 0x30000, 0x1000, 0x40000), -ENOENT);	/* nothing there */
	CHECK_EQ(CP(F, dst, src, 0x13000, 0x2000, 0x40000), -ENOENT);	/* runs off the end */
	CHECK_EQ(CP(F, dst, src, 0x12000, 0xf000, 0x40000), -ENOENT);	/* a hole inside */
	CHECK_EQ(CP(F, dst, src, 0xf000, 0x2000, 0x40000), -ENOENT);	/* starts in a hole */
	CHECK_EQ(CP(F, 99, src, 0x10000, 0x1000, 0x40000), -ENOENT);
	CHECK_EQ(CP(F, dst, src, 0x10000, 0x800, 0x40000), -EINVAL);	/* not 4K granular */
	CHECK_EQ(CP(F, dst, src, 0x10000, 0x1000, 0x40800), -EINVAL);
	CHECK_EQ(CP(F, dst, src, 0x12000, 0x2000, ~0ULL - 0xfff), -EOVERFLOW);
	CHECK_EQ(CP(F, dst, src, 0x10000, 0x1000, 1ULL << 50), -EINVAL);	/* reserved */
	REQUIRE(map_fixed(&g, dst, 0x40000, BUF_GPA, 0x1000, RW) == 0);
	CHECK_EQ(CP(F, dst, src, 0x12000, 0x2000, 0x3f000), -EEXIST);
	/* writeable from read-only memory: EPERM, after the IOVA checks */
	CHECK_EQ(CP(F | IOMMU_IOAS_MAP_WRITEABLE, dst, src, 0x11000, 0x2000, 0x50000), -EPERM);
	CHECK_EQ(CP(F, dst, src, 0x10800, 0x1000, 0x50000), -EINVAL);	/* sub-page source */
	/* nothing of it reached dst */
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x50000, &g, 1), -EFAULT);
	CHECK(usage_consistent(&g));
#undef CP
	teardown(&g, NULL);
}

TEST(copy_maps_the_same_memory_with_its_own_lifetime)
{
	struct guest g;
	u32 src, dst, h;
	u64 iova = 0x80000, len;

	REQUIRE(setup(&g));
	src = ioas_new(&g);
	dst = ioas_new(&g);
	/* two back-to-back areas over different memory */
	REQUIRE(map_fixed(&g, src, 0x10000, BUF_GPA, 0x2000, RW) == 0);
	REQUIRE(map_fixed(&g, src, 0x12000, BUF_GPA + 0x10000, 0x2000, RW) == 0);
	REQUIRE(hwpt_new(&g, dst, 0, &h) == 0);
	REQUIRE(attach(&g, h) == 0);
	/* a sub-range spanning both: 0x11000..0x12fff */
	CHECK_EQ(copy(&g, IOMMU_IOAS_MAP_FIXED_IOVA | RW, dst, src, 0x11000, 0x2000, &iova), 0);
	CHECK_EQ(iova, 0x80000);
	CHECK(dma_ok(&g, PSID, 0x80000, BUF_GPA + 0x1000, 0x11));
	CHECK(dma_ok(&g, PSID, 0x81000, BUF_GPA + 0x10000, 0x12));
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x82000, &g, 1), -EFAULT);
	/* one area per source area: each can go on its own */
	CHECK_EQ(unmap(&g, dst, 0x80000, 0x1000, &len), 0);
	CHECK_EQ(len, 0x1000);
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x80000, &g, 1), -EFAULT);
	CHECK(dma_ok(&g, PSID, 0x81000, BUF_GPA + 0x10000, 0x13));
	/* the source going away leaves the copy */
	CHECK_EQ(unmap(&g, src, 0, ~0ULL, &len), 0);
	CHECK_EQ(len, 0x4000);
	CHECK(dma_ok(&g, PSID, 0x81000, BUF_GPA + 0x10000, 0x14));
	/* automatic: aligned like MAP (the source's guest-physical address) */
	REQUIRE(map_fixed(&g, src, 0x200000, BUF_GPA, 0x4000, RW) == 0);
	CHECK_EQ(copy(&g, RW, dst, src, 0x200000, 0x4000, &iova), 0);
	CHECK(iova >= 0x1000 && IS_ALIGNED(iova, 0x4000));
	CHECK(dma_ok(&g, PSID, iova + 0x3000, BUF_GPA + 0x3000, 0x15));
	/* into the same IOAS */
	CHECK_EQ(copy(&g, RW, src, src, 0x201000, 0x1000, &iova), 0);
	CHECK(iova != 0x201000);
	CHECK(usage_consistent(&g));
	teardown(&g, NULL);
}

/* ---- reserved ranges, IOVA_RANGES ------------------------------------------------------- */

TEST(an_attached_device_reserves_the_msi_window)
{
	struct guest g;
	struct iommu_iova_range *out;
	u32 ioas, h, n;
	u64 iova;

	REQUIRE(setup(&g));
	out = gva(&g, DATA_GPA);
	ioas = ioas_new(&g);
	REQUIRE(hwpt_new(&g, ioas, 0, &h) == 0);
	CHECK_EQ(ranges(&g, ioas, 4, &n), 0);
	CHECK_EQ(n, 1);
	CHECK_EQ(out[0].start, 0);
	CHECK_EQ(out[0].last, APERTURE_LAST);
	REQUIRE(attach(&g, h) == 0);
	/* the gaps: below and above the window; a probe with no array at all
	 * learns the count */
	{
		struct iommu_ioas_iova_ranges r = { .size = sizeof(r), .ioas_id = ioas };

		CHECK_EQ(HC(&g, IOMMU_CMD_IOAS_IOVA_RANGES, r), -EMSGSIZE);
		CHECK_EQ(r.num_iovas, 2);
		CHECK_EQ(r.out_iova_alignment, 4096);
	}
	CHECK_EQ(ranges(&g, ioas, 1, &n), -EMSGSIZE);
	CHECK_EQ(n, 2);
	CHECK_EQ(out[0].last, MSI - 1);
	CHECK_EQ(ranges(&g, ioas, 4, &n), 0);
	CHECK_EQ(n, 2);
	CHECK_EQ(out[0].start, 0);
	CHECK_EQ(out[0].last, MSI - 1);
	CHECK_EQ(out[1].start, MSI_LAST + 1);
	CHECK_EQ(out[1].last, APERTURE_LAST);
	/* FIXED into it: EINVAL; a mapping that touches its last byte too */
	CHECK_EQ(map_fixed(&g, ioas, MSI + 0x1000, BUF_GPA, 0x1000, RW), -EINVAL);
	CHECK_EQ(map_fixed(&g, ioas, MSI_LAST + 1 - 0x2000, BUF_GPA, 0x4000, RW), -EINVAL);
	/* everything below it taken: 16 MiB of RAM mapped again and again */
	for (u64 at = 0; at < 0x7000000; at += GUEST_SIZE)
		REQUIRE(map_fixed(&g, ioas, at, GUEST_IPA, GUEST_SIZE, RW) == 0);
	REQUIRE(map_fixed(&g, ioas, 0x7000000, GUEST_IPA, GUEST_SIZE - 0x1000, RW) == 0);
	CHECK_EQ(map_fixed(&g, ioas, MSI - 0x1000, BUF_GPA, 0x1000, RW), 0);
	CHECK_EQ(map_fixed(&g, ioas, MSI_LAST + 1, BUF_GPA, 0x1000, RW), 0);
	/* an automatic IOVA goes round the window */
	CHECK_EQ(map_auto(&g, ioas, BUF_GPA, 0x1000, &iova), 0);
	CHECK_EQ(iova, MSI_LAST + 1 + 0x1000);
	/* the other IOAS sees nothing reserved */
	CHECK_EQ(map_fixed(&g, ioas_new(&g), MSI, BUF_GPA, 0x1000, RW), 0);
	/* detached: the window is usable again */
	CHECK_EQ(detach_dev(&g, (u32)g.dev_id), 0);
	CHECK_EQ(ranges(&g, ioas, 4, &n), 0);
	CHECK_EQ(n, 1);
	CHECK_EQ(map_fixed(&g, ioas, MSI, BUF_GPA, 0x1000, RW), 0);
	/* and now the device cannot come back: an area sits in its window */
	CHECK_EQ(attach(&g, h), -EADDRINUSE);
	CHECK_EQ(smmu_model_dma_write(model, PSID, MSI - 0x1000, &g, 1), -EFAULT);
	teardown(&g, NULL);
}

TEST(nested_attach_reserves_in_the_parents_ioas)
{
	struct guest g;
	struct nested_env n;
	u32 num;

	REQUIRE(setup(&g));
	REQUIRE(nested_setup(&g, &n));
	CHECK_EQ(ranges(&g, n.ioas, 4, &num), 0);
	CHECK_EQ(num, 2);
	CHECK_EQ(map_fixed(&g, n.ioas, MSI, BUF_GPA, 0x1000, RW), -EINVAL);
	teardown(&g, NULL);
}

/* ---- ALLOW_IOVAS -------------------------------------------------------------------------- */

TEST(allow_iovas_rules_in_iommufd_order)
{
	struct guest g;
	struct iommu_ioas_allow_iovas a = { .size = sizeof(a), .num_iovas = 1,
					    .allowed_iovas = DATA_GPA + 0x800 };
	struct iommu_iova_range l[9];
	u32 ioas, h;
	u64 iova;

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	a.ioas_id = ioas;
	a.__reserved = 1;
	CHECK_EQ(HC(&g, IOMMU_CMD_IOAS_ALLOW_IOVAS, a), -EOPNOTSUPP);
	a.__reserved = 0;
	a.ioas_id = 99;
	CHECK_EQ(HC(&g, IOMMU_CMD_IOAS_ALLOW_IOVAS, a), -ENOENT);
	a.ioas_id = ioas;
	a.allowed_iovas = 0x09000000;
	CHECK_EQ(HC(&g, IOMMU_CMD_IOAS_ALLOW_IOVAS, a), -EFAULT);
	for (int i = 0; i < 9; i++)
		l[i] = (struct iommu_iova_range){ 0x100000ULL * (i + 1), 0x100000ULL * (i + 1) + 0xfff };
	CHECK_EQ(allow(&g, ioas, l, 9), -ENOMEM);	/* Aerie keeps 8 */
	l[0] = (struct iommu_iova_range){ 0x100000, 0x100000 };
	CHECK_EQ(allow(&g, ioas, l, 1), -EINVAL);	/* a single byte: start == last */
	l[0] = (struct iommu_iova_range){ 0x200000, 0x100000 };
	CHECK_EQ(allow(&g, ioas, l, 1), -EINVAL);
	l[0] = (struct iommu_iova_range){ 0x100000, 0x1fffff };
	l[1] = (struct iommu_iova_range){ 0x1ff000, 0x2fffff };
	CHECK_EQ(allow(&g, ioas, l, 2), -EINVAL);	/* overlapping */
	l[1] = (struct iommu_iova_range){ APERTURE_LAST - 0xfff, APERTURE_LAST + 0x1000 };
	CHECK_EQ(allow(&g, ioas, l, 2), -EADDRINUSE);	/* reaches the reserved */
	/* a good list, given out of order: automatic IOVAs come from it */
	l[0] = (struct iommu_iova_range){ 0x40000000, 0x40003fff };
	l[1] = (struct iommu_iova_range){ 0x30000000, 0x30001fff };
	CHECK_EQ(allow(&g, ioas, l, 2), 0);
	CHECK_EQ(map_auto(&g, ioas, BUF_GPA, 0x2000, &iova), 0);
	CHECK_EQ(iova, 0x30000000);
	CHECK_EQ(map_auto(&g, ioas, BUF_GPA, 0x4000, &iova), 0);
	CHECK_EQ(iova, 0x40000000);
	CHECK_EQ(map_auto(&g, ioas, BUF_GPA, 0x1000, &iova), -ENOSPC);
	/* FIXED is not bound by it (iommufd: the list guarantees, not limits) */
	CHECK_EQ(map_fixed(&g, ioas, 0x10000, BUF_GPA, 0x1000, RW), 0);
	/* a refused list keeps the old one */
	l[2] = (struct iommu_iova_range){ 0x50000000, 0x5000ffff };
	l[3] = (struct iommu_iova_range){ 1ULL << 50, (1ULL << 50) + 0xffff };
	CHECK_EQ(allow(&g, ioas, &l[2], 2), -EADDRINUSE);
	CHECK_EQ(map_auto(&g, ioas, BUF_GPA, 0x1000, &iova), -ENOSPC);
	/* the list over the MSI window: a device cannot attach */
	l[0] = (struct iommu_iova_range){ 0x1000, 0x0fffffff };
	CHECK_EQ(allow(&g, ioas, l, 1), 0);
	REQUIRE(hwpt_new(&g, ioas, 0, &h) == 0);
	CHECK_EQ(attach(&g, h), -EADDRINUSE);
	/* and once it is attached, the window cannot be allowed */
	CHECK_EQ(allow(&g, ioas, l, 0), 0);		/* an empty list: no list */
	CHECK_EQ(attach(&g, h), 0);
	CHECK_EQ(allow(&g, ioas, l, 1), -EADDRINUSE);
	l[0] = (struct iommu_iova_range){ 0x1000, MSI - 1 };
	CHECK_EQ(allow(&g, ioas, l, 1), 0);
	CHECK_EQ(map_auto(&g, ioas, BUF_GPA, 0x1000, &iova), 0);
	CHECK(iova < MSI);
	teardown(&g, NULL);
}

/* ---- OPTION ---------------------------------------------------------------------------------- */

TEST(option_errors_and_the_global_options)
{
	struct guest g;
	struct iommu_option o = { .size = sizeof(o), .option_id = IOMMU_OPTION_HUGE_PAGES,
				  .op = IOMMU_OPTION_OP_GET };
	u32 ioas;
	u64 v = 7;

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	o.object_id = ioas;
	o.__reserved = 1;
	CHECK_EQ(HC(&g, IOMMU_CMD_OPTION, o), -EOPNOTSUPP);
	CHECK_EQ(option(&g, 2, IOMMU_OPTION_OP_GET, ioas, &v), -EOPNOTSUPP);
	CHECK_EQ(option(&g, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_GET, 99, &v), -ENOENT);
	CHECK_EQ(option(&g, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_GET, 0, &v), -ENOENT);
	CHECK_EQ(option(&g, IOMMU_OPTION_HUGE_PAGES, 2, ioas, &v), -EOPNOTSUPP);
	CHECK_EQ(option(&g, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_GET, ioas, &v), 0);
	CHECK_EQ(v, 1);
	v = 2;
	CHECK_EQ(option(&g, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_SET, ioas, &v), -EINVAL);
	/* RLIMIT_MODE: global; reads per-user (0), setting needs privilege */
	v = 7;
	CHECK_EQ(option(&g, IOMMU_OPTION_RLIMIT_MODE, IOMMU_OPTION_OP_GET, ioas, &v), -EOPNOTSUPP);
	CHECK_EQ(option(&g, IOMMU_OPTION_RLIMIT_MODE, IOMMU_OPTION_OP_GET, 0, &v), 0);
	CHECK_EQ(v, 0);
	v = 1;
	CHECK_EQ(option(&g, IOMMU_OPTION_RLIMIT_MODE, IOMMU_OPTION_OP_SET, 0, &v), -EPERM);
	CHECK_EQ(option(&g, IOMMU_OPTION_RLIMIT_MODE, 2, 0, &v), -EOPNOTSUPP);
	teardown(&g, NULL);
}

TEST(huge_pages_off_maps_4k_leaves)
{
	struct guest g;
	u32 ioas, h;
	u64 v;

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	REQUIRE(hwpt_new(&g, ioas, 0, &h) == 0);
	/* the default: a 2M-aligned 2 MiB mapping is one block */
	REQUIRE(map_fixed(&g, ioas, 0x40000000, GUEST_IPA, 2 << 20, RW) == 0);
	CHECK_EQ(leaf_size(&g, h, 0x40000000), 2 << 20);
	/* not while the tables hold mappings */
	v = 0;
	CHECK_EQ(option(&g, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_SET, ioas, &v), -EINVAL);
	REQUIRE(unmap(&g, ioas, 0, ~0ULL, NULL) == 0);
	CHECK_EQ(option(&g, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_SET, ioas, &v), 0);
	v = 9;
	CHECK_EQ(option(&g, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_GET, ioas, &v), 0);
	CHECK_EQ(v, 0);
	REQUIRE(map_fixed(&g, ioas, 0x40000000, GUEST_IPA, 2 << 20, RW) == 0);
	CHECK_EQ(leaf_size(&g, h, 0x40000000), 4096);
	CHECK_EQ(leaf_size(&g, h, 0x401ff000), 4096);
	/* a HWPT made later follows the IOAS's setting */
	{
		u32 h2;

		REQUIRE(hwpt_new(&g, ioas, 0, &h2) == 0);
		CHECK_EQ(leaf_size(&g, h2, 0x40000000), 4096);
	}
	/* on again: always allowed; new mappings use blocks */
	v = 1;
	CHECK_EQ(option(&g, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_SET, ioas, &v), 0);
	REQUIRE(map_fixed(&g, ioas, 0x80000000, GUEST_IPA, 2 << 20, RW) == 0);
	CHECK_EQ(leaf_size(&g, h, 0x80000000), 2 << 20);
	CHECK_EQ(leaf_size(&g, h, 0x40000000), 4096);
	CHECK(usage_consistent(&g));
	teardown(&g, NULL);
}

/* ---- attach to an IOAS: auto-domains ----------------------------------------------------------- */

TEST(attach_to_an_ioas_makes_and_drops_an_auto_domain)
{
	struct guest g;
	u32 ioas, ioas2, pt, auto1, auto2, user;
	int dev2;

	REQUIRE(setup(&g));
	dev2 = iommu_ctx_add_device(g.ctx, PSID + 1, VBDF + 8, VSID + 1);
	REQUIRE(dev2 > 0);
	ioas = ioas_new(&g);
	ioas2 = ioas_new(&g);
	REQUIRE(map_fixed(&g, ioas, 0x10000, BUF_GPA, 0x1000, RW) == 0);
	REQUIRE(map_fixed(&g, ioas2, 0x20000, BUF_GPA + 0x1000, 0x1000, RW) == 0);
	pt = ioas;
	CHECK_EQ(attach_pt(&g, AERIE_CMD_DEVICE_REPLACE, (u32)g.dev_id, &pt), -EINVAL);
	pt = ioas;
	CHECK_EQ(attach_pt(&g, AERIE_CMD_DEVICE_ATTACH, 99, &pt), -ENOENT);
	pt = ioas;
	CHECK_EQ(attach_pt(&g, AERIE_CMD_DEVICE_ATTACH, (u32)g.dev_id, &pt), 0);
	auto1 = pt;
	CHECK(auto1 != ioas && auto1 > 0);
	CHECK(dma_ok(&g, PSID, 0x10000, BUF_GPA, 0x21));
	/* a HWPT like any other: pinned by its attachment, and the IOAS by it */
	CHECK_EQ(destroy(&g, auto1), -EBUSY);
	CHECK_EQ(destroy(&g, ioas), -EBUSY);
	/* the same again, and a second device: the same auto-domain */
	pt = ioas;
	CHECK_EQ(attach_pt(&g, AERIE_CMD_DEVICE_ATTACH, (u32)g.dev_id, &pt), 0);
	CHECK_EQ(pt, auto1);
	pt = ioas;
	CHECK_EQ(attach_pt(&g, AERIE_CMD_DEVICE_ATTACH, (u32)dev2, &pt), 0);
	CHECK_EQ(pt, auto1);
	CHECK(dma_ok(&g, PSID + 1, 0x10000, BUF_GPA, 0x22));
	/* attach never replaces */
	pt = ioas2;
	CHECK_EQ(attach_pt(&g, AERIE_CMD_DEVICE_ATTACH, (u32)g.dev_id, &pt), -EINVAL);
	/* replace onto the other IOAS: a second auto-domain */
	pt = ioas2;
	CHECK_EQ(attach_pt(&g, AERIE_CMD_DEVICE_REPLACE, (u32)g.dev_id, &pt), 0);
	auto2 = pt;
	CHECK(auto2 != auto1);
	CHECK(dma_ok(&g, PSID, 0x20000, BUF_GPA + 0x1000, 0x23));
	CHECK_EQ(smmu_model_dma_write(model, PSID, 0x10000, &g, 1), -EFAULT);
	/* auto1 still has dev2; when it leaves, auto1 is gone */
	CHECK_EQ(detach_dev(&g, (u32)dev2), 0);
	CHECK_EQ(destroy(&g, auto1), -ENOENT);
	CHECK_EQ(smmu_model_dma_write(model, PSID + 1, 0x10000, &g, 1), -EFAULT);
	CHECK_EQ(destroy(&g, ioas), 0);		/* nothing holds it any more */
	/* replace from an auto-domain to a user HWPT drops it too */
	CHECK_EQ(hwpt_new(&g, ioas2, 0, &user), 0);
	pt = user;
	CHECK_EQ(attach_pt(&g, AERIE_CMD_DEVICE_REPLACE, (u32)g.dev_id, &pt), 0);
	CHECK_EQ(destroy(&g, auto2), -ENOENT);
	CHECK(dma_ok(&g, PSID, 0x20000, BUF_GPA + 0x1000, 0x24));
	/* and back: a user HWPT is never taken as the IOAS's auto-domain */
	pt = ioas2;
	CHECK_EQ(attach_pt(&g, AERIE_CMD_DEVICE_REPLACE, (u32)g.dev_id, &pt), 0);
	CHECK(pt != user);
	CHECK_EQ(destroy(&g, user), 0);
	CHECK(usage_consistent(&g));
	teardown(&g, NULL);
}

TEST(attach_to_an_ioas_refusals_change_nothing)
{
	struct guest g;
	struct iommu_quota q = { .vmids = 1 };
	u32 ioas, pt, h;
	u8 ste0[64], ste1[64];

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	/* an area in the MSI window: EADDRINUSE, no HWPT made */
	REQUIRE(map_fixed(&g, ioas, MSI, BUF_GPA, 0x1000, RW) == 0);
	pt = ioas;
	CHECK_EQ(attach_pt(&g, AERIE_CMD_DEVICE_ATTACH, (u32)g.dev_id, &pt), -EADDRINUSE);
	CHECK_EQ(destroy(&g, ioas + 1), -ENOENT);
	CHECK_EQ(destroy(&g, ioas), 0);
	/* over the VMID quota: ENOSPC */
	iommu_ctx_set_quota(g.ctx, &q);
	ioas = ioas_new(&g);
	REQUIRE(hwpt_new(&g, ioas, 0, &h) == 0);
	REQUIRE(attach(&g, h) == 0);
	CHECK_EQ(smmu_ste_read(smmu, PSID, (u64 *)ste0), 0);
	pt = ioas_new(&g);
	CHECK_EQ(attach_pt(&g, AERIE_CMD_DEVICE_REPLACE, (u32)g.dev_id, &pt), -ENOSPC);
	CHECK_EQ(smmu_ste_read(smmu, PSID, (u64 *)ste1), 0);
	CHECK(!memcmp(ste0, ste1, sizeof(ste0)));
	CHECK(usage_consistent(&g));
	teardown(&g, NULL);
}

/* ---- allocation failure anywhere ---------------------------------------------------------------- */

static u32 fx_src, fx_dst;

static int fail_sweep(struct guest *g, int (*op)(struct guest *, bool))
{
	for (unsigned long nth = 1; nth < 60; nth++) {
		struct page_stats before, after;
		u64 objs;
		int err;

		if (!setup(g) || op(g, false)) {
			CHECK(0);
			return -1;
		}
		page_stats(&before);
		objs = hostenv_objs_in_use();
		hostenv_fail_nth(nth);
		err = op(g, true);
		hostenv_fail_nth(0);
		page_stats(&after);
		if (err && err != -ENOMEM) {
			fprintf(stderr, "  fail at %lu gave %d\n", nth, err);
			CHECK(0);
		}
		if (err) {
			CHECK_EQ(after.in_use, before.in_use);
			CHECK_EQ(hostenv_objs_in_use(), objs);
			CHECK(usage_consistent(g));
		}
		teardown(g, NULL);
		if (!err || test_current_failed)
			return err;
	}
	CHECK(0);
	return -1;
}

/* COPY of three source areas into an IOAS with two HWPTs */
static int op_copy(struct guest *g, bool run)
{
	u64 iova = 0x40000000;
	u32 h;

	if (run)
		return copy(g, IOMMU_IOAS_MAP_FIXED_IOVA | RW, fx_dst, fx_src, 0x10000, 0x6000, &iova);
	fx_src = ioas_new(g);
	fx_dst = ioas_new(g);
	if (map_fixed(g, fx_src, 0x10000, BUF_GPA, 0x2000, RW) ||
	    map_fixed(g, fx_src, 0x12000, BUF_GPA + 0x4000, 0x2000, RW) ||
	    map_fixed(g, fx_src, 0x14000, BUF_GPA + 0x8000, 0x2000, RW))
		return -1;
	return hwpt_new(g, fx_dst, 0, &h) || hwpt_new(g, fx_dst, 0, &h);
}

/* attach to a filled IOAS: a new auto-domain */
static int op_attach_ioas(struct guest *g, bool run)
{
	u32 pt = fx_dst;

	if (run)
		return attach_pt(g, AERIE_CMD_DEVICE_ATTACH, (u32)g->dev_id, &pt);
	fx_dst = ioas_new(g);
	return map_fixed(g, fx_dst, 0x1000, BUF_GPA, 0x3000, RW) ||
	       map_fixed(g, fx_dst, 0x40000000, GUEST_IPA, 4 << 20, RW);
}

/* replace onto another IOAS: the old auto-domain must survive a failure */
static int op_replace_ioas(struct guest *g, bool run)
{
	u32 pt = fx_dst;

	if (run)
		return attach_pt(g, AERIE_CMD_DEVICE_REPLACE, (u32)g->dev_id, &pt);
	fx_src = ioas_new(g);
	fx_dst = ioas_new(g);
	if (map_fixed(g, fx_dst, 0x1000, BUF_GPA, 0x3000, RW))
		return -1;
	pt = fx_src;
	return attach_pt(g, AERIE_CMD_DEVICE_ATTACH, (u32)g->dev_id, &pt);
}

static int op_allow_option(struct guest *g, bool run)
{
	struct iommu_iova_range l = { 0x100000, 0x1fffff };
	u64 v = 0;

	if (!run) {
		fx_src = ioas_new(g);
		return 0;
	}
	return allow(g, fx_src, &l, 1) ?:
	       option(g, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_SET, fx_src, &v);
}

TEST(allocation_failure_in_the_new_commands_changes_nothing)
{
	struct guest g;

	CHECK_EQ(fail_sweep(&g, op_copy), 0);
	CHECK_EQ(fail_sweep(&g, op_attach_ioas), 0);
	CHECK_EQ(fail_sweep(&g, op_replace_ioas), 0);
	CHECK_EQ(fail_sweep(&g, op_allow_option), 0);
}

/* ---- random sequences: the books stay balanced --------------------------------------------- */

static u64 rng_state = 0x9e3779b97f4a7c15ULL;
static u64 rnd(u64 n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state % n;
}

/* an IOVA a command might use: near the MSI window, small, or anywhere */
static u64 some_iova(void)
{
	static const u64 base[] = { 0, 0x1000, MSI - 0x2000, MSI, MSI_LAST + 1, 0x40000000 };

	return rnd(4) ? base[rnd(ARRAY_SIZE(base))] + rnd(8) * 0x1000 : rnd(1ULL << 45) & ~0xfffULL;
}

static int copies_ok;
/*
 * An IOAS_MAP into two tables, where the first has the tables it needs (an
 * unmap kept them, empty) and the second must allocate: a failure in the
 * second must leave the first's kept tables where they were. (Undoing the
 * first map with a pruning unmap freed them: found by the fuzzer.) Each
 * allocation the call makes is failed in turn.
 */
TEST(a_refused_map_keeps_the_tables_an_unmap_kept)
{
	for (unsigned long nth = 1; nth <= 3; nth++) {
		struct guest g;
		struct page_stats before, after;
		struct hwpt *h1;
		u32 ioas, hw1, hw2;
		u64 t1;
		int err;

		REQUIRE(setup(&g));
		ioas = ioas_new(&g);
		REQUIRE(hwpt_new(&g, ioas, 0, &hw1) == 0);
		REQUIRE(map_fixed(&g, ioas, 0x200000, BUF_GPA, PAGE_SIZE, RW) == 0);
		REQUIRE(unmap(&g, ioas, 0x200000, PAGE_SIZE, NULL) == 0);
		REQUIRE(hwpt_new(&g, ioas, 0, &hw2) == 0); /* no tables there */
		h1 = (struct hwpt *)obj_lookup(g.ctx, hw1, OBJ_HWPT_PAGING);
		REQUIRE(h1 != NULL);
		t1 = h1->pt.table_pages;
		page_stats(&before);
		hostenv_fail_nth(nth);
		err = map_fixed(&g, ioas, 0x200000, BUF_GPA, PAGE_SIZE, RW);
		hostenv_fail_nth(0);
		page_stats(&after);
		if (err) {
			CHECK_EQ(err, -ENOMEM);
			CHECK_EQ(h1->pt.table_pages, t1);
			CHECK_EQ(after.in_use, before.in_use);
			CHECK_EQ(leaf_size(&g, hw1, 0x200000), 0);
			CHECK_EQ(leaf_size(&g, hw2, 0x200000), 0);
			CHECK(usage_consistent(&g));
		} else {
			CHECK_EQ(leaf_size(&g, hw1, 0x200000), PAGE_SIZE);
			CHECK_EQ(leaf_size(&g, hw2, 0x200000), PAGE_SIZE);
		}
		teardown(&g, NULL);
	}
}

TEST(random_sequences_of_the_new_commands_keep_every_rule)
{
	for (int round = 0; round < 60; round++) {
		struct guest g;
		int dev2;

		REQUIRE(setup(&g));
		dev2 = iommu_ctx_add_device(g.ctx, PSID + 1, VBDF + 8, VSID + 1);
		REQUIRE(dev2 > 0);
		u64 last_iova = 0;
		u32 last_ioas = 0;
		for (int step = 0; step < 200; step++) {
			u32 id = (u32)rnd(12) + 1, id2 = (u32)rnd(12) + 1, pt = id;
			u32 dev = rnd(2) ? (u32)g.dev_id : (u32)dev2;
			u64 iova = some_iova(), v = rnd(3), len = (rnd(4) + 1) * 0x1000;
			struct iommu_iova_range l[2] = { { some_iova(), 0 }, { some_iova(), 0 } };

			l[0].last = l[0].start + rnd(0x100000);
			l[1].last = l[1].start + rnd(0x100000);
			switch (rnd(11)) {
			case 0: ioas_new(&g); break;
			case 1:
				if (!map_fixed(&g, id, iova, BUF_GPA + rnd(16) * 0x1000, len, RW)) {
					last_iova = iova;
					last_ioas = id;
				}
				break;
			case 2:
				if (!map_auto(&g, id, BUF_GPA, len, &iova)) {
					last_iova = iova;
					last_ioas = id;
				}
				break;
			case 3: unmap(&g, id, rnd(2) ? 0 : iova, rnd(2) ? ~0ULL : len, NULL); break;
			case 4:
				if (rnd(4))
					copies_ok += !copy(&g, rnd(2) ? IOMMU_IOAS_MAP_FIXED_IOVA | RW : RW, id, last_ioas,
					     last_iova + rnd(2) * 0x1000, 0x1000, &iova);
				else
					copy(&g, (u32)rnd(8), id, id2, iova, len, &iova);
				break;
			case 5: allow(&g, id, l, (u32)rnd(3)); break;
			case 6: option(&g, (u32)rnd(3), (u16)rnd(3), id, &v); break;
			case 7: attach_pt(&g, rnd(2) ? AERIE_CMD_DEVICE_ATTACH : AERIE_CMD_DEVICE_REPLACE,
					  dev, &pt); break;
			case 8: detach_dev(&g, dev); break;
			case 9: destroy(&g, id); break;
			case 10: { u32 h; hwpt_new(&g, id, 0, &h); } break;
			}
			REQUIRE(usage_consistent(&g));
			/* no IOAS with a device on it maps its MSI window */
			for (u32 i = 1; i <= 12; i++) {
				struct ioas *ioas = (struct ioas *)obj_lookup(g.ctx, i, OBJ_IOAS);
				struct hwpt *h;

				if (!ioas)
					continue;
				for (u32 k = 1; k <= 12; k++) {
					struct device *d = (struct device *)obj_lookup(g.ctx, k, OBJ_DEVICE);

					if (d && dev_ioas(d) == ioas)
						CHECK(!area_hits(ioas, MSI, MSI_LAST));
				}
				/* an auto-domain always has a device */
				for (u32 k = 1; k <= 12; k++) {
					h = (struct hwpt *)obj_lookup(g.ctx, k, OBJ_HWPT_PAGING);
					if (h && h->auto_domain)
						CHECK(h->obj.users > 1);
				}
			}
			if (test_current_failed) {
				fprintf(stderr, "  round %d step %d\n", round, step);
				break;
			}
		}
		teardown(&g, NULL);
		if (test_current_failed)
			return;
	}
	CHECK(copies_ok > 0);	/* the sequences do reach COPY's success path */
}

int main(int argc, char **argv) { return test_main(argc, argv); }
