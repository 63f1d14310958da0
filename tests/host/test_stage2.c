/* SPDX-License-Identifier: MIT */
/*
 * iommu = "stage2" (iommu_ctx_attach_stage2): the VMM attaches a guest's
 * device to a HWPT over exactly its RAM. Checked through the software SMMU
 * (DMA to RAM lands at the right physical page, DMA anywhere else faults and
 * moves no byte) and through the hypercall entry (the guest may look at the
 * pinned device and objects, never change them; refusals change nothing).
 */
#include "iommufd_env.h"

#define PIN_IOAS 2	/* after the device (1): the ids the core hands out */
#define PIN_HWPT 3

static bool stage2_setup(struct guest *g)
{
	return setup(g) && iommu_ctx_attach_stage2(g->ctx, (u32)g->dev_id) == 0;
}

static u64 events(void)
{
	struct smmu_model_stats st;

	smmu_model_get_stats(model, &st);
	return st.events;
}

/* DMA of 8 bytes at `iova` (write then read back); 0 or -EFAULT */
static int dma_rw(u32 sid, u64 iova, u64 val)
{
	u64 back = 0;
	int err = smmu_model_dma_write(model, sid, iova, &val, sizeof(val));

	if (!err)
		err = smmu_model_dma_read(model, sid, iova, &back, sizeof(back));
	if (!err && back != val)
		return -EIO;
	return err;
}

TEST(stage2_dma_lands_in_the_guests_ram_at_iova_equal_ipa)
{
	struct guest g;
	const u64 ipas[] = { GUEST_IPA, BUF_GPA + 0x123 * 8, GUEST_IPA + GUEST_SIZE - 8 };

	REQUIRE(setup(&g));
	/* before: the stream is abort, as for every assigned device */
	CHECK_EQ(dma_rw(PSID, BUF_GPA, 1), -EFAULT);
	smmu_poll(smmu);
	CHECK_EQ(iommu_ctx_attach_stage2(g.ctx, (u32)g.dev_id), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(ipas); i++) {
		u64 val = 0xa5a5000000000000ULL | ipas[i];

		CHECK_EQ(dma_rw(PSID, ipas[i], val), 0);
		/* the page the guest's CPU sees at that IPA */
		CHECK_EQ(*(u64 *)gva(&g, ipas[i]), val);
	}
	/* the guest's RAM fills the table: no translation needed a guest command */
	CHECK_EQ(iommu_ctx_attach_stage2(g.ctx, (u32)g.dev_id), -EBUSY);
	CHECK_EQ(iommu_ctx_attach_stage2(g.ctx, 77), -ENOENT);
	teardown(&g, NULL);
}

TEST(stage2_dma_outside_the_guests_ram_faults_and_moves_nothing)
{
	struct guest g;
	u64 buf[2] = { 0x1111, 0x2222 }, before;
	u64 outside[7];

	REQUIRE(stage2_setup(&g));
	/* just below and just above its RAM, its UART's IPA, 0, Aerie's own
	 * memory and its RAM's host-physical address as IOVAs (a PA is not an
	 * IPA), the top of a 40-bit input range */
	outside[0] = GUEST_IPA - 8;
	outside[1] = GUEST_IPA + GUEST_SIZE;
	outside[2] = 0x09000000;
	outside[3] = 0;
	outside[4] = HOSTENV_PA_BASE;
	outside[5] = g.ram;
	outside[6] = (1ULL << 40) - 8;
	for (unsigned int i = 0; i < ARRAY_SIZE(outside); i++) {
		u64 ev = events();

		CHECK(outside[i] + 8 <= GUEST_IPA || outside[i] >= GUEST_IPA + GUEST_SIZE);
		CHECK_EQ(dma_rw(PSID, outside[i], 0x5a), -EFAULT);
		CHECK(events() > ev); /* the SMMU recorded the fault */
		smmu_poll(smmu);
	}
	/* 16 bytes from the last 8 of RAM: every page is translated first, so
	 * the in-RAM half is not written either */
	before = *(u64 *)gva(&g, GUEST_IPA + GUEST_SIZE - 8);
	CHECK_EQ(smmu_model_dma_write(model, PSID, GUEST_IPA + GUEST_SIZE - 8, buf, sizeof(buf)),
		 -EFAULT);
	CHECK_EQ(*(u64 *)gva(&g, GUEST_IPA + GUEST_SIZE - 8), before);
	smmu_poll(smmu);
	iommu_ctx_log_flush(g.ctx);
	CHECK(hostenv_log_contains("its device 00:01.0 was stopped by Aerie's stage 2"));
	teardown(&g, NULL);
}

TEST(stage2_two_guests_each_reach_only_their_own_ram)
{
	struct guest a, b;

	REQUIRE(stage2_setup(&a));
	REQUIRE(guest_init(&b, 2, PSID + 8));
	REQUIRE(iommu_ctx_attach_stage2(b.ctx, (u32)b.dev_id) == 0);
	/* the same IPA: each device reaches its own guest's page */
	CHECK_EQ(dma_rw(PSID, BUF_GPA, 0xaaaa), 0);
	CHECK_EQ(dma_rw(PSID + 8, BUF_GPA, 0xbbbb), 0);
	CHECK_EQ(*(u64 *)gva(&a, BUF_GPA), 0xaaaa);
	CHECK_EQ(*(u64 *)gva(&b, BUF_GPA), 0xbbbb);
	teardown(&a, &b);
}

TEST(stage2_devices_of_one_guest_share_one_pinned_hwpt)
{
	struct guest g;
	int dev2;

	REQUIRE(stage2_setup(&g));
	dev2 = iommu_ctx_add_device(g.ctx, PSID + 8, VBDF + 8, VSID + 8);
	REQUIRE(dev2 == PIN_HWPT + 1);
	CHECK_EQ(iommu_ctx_attach_stage2(g.ctx, (u32)dev2), 0);
	CHECK_EQ(ioas_new(&g), PIN_HWPT + 2); /* no further object was made */
	CHECK_EQ(dma_rw(PSID + 8, BUF_GPA, 0xcccc), 0);
	CHECK_EQ(*(u64 *)gva(&g, BUF_GPA), 0xcccc);
	teardown(&g, NULL);
}

TEST(stage2_guest_may_look_but_not_detach_replace_or_destroy)
{
	struct guest g;
	struct aerie_iommu_device_info *info;
	struct aerie_iommu_list_devices l = { .size = sizeof(l), .num_devices = 4,
					      .devices_uptr = DATA_GPA };
	struct aerie_iommu_device_detach dt = { .size = sizeof(dt) };
	struct aerie_iommu_device_attach rp = { .size = sizeof(rp) };
	struct iommu_hw_info hi = { .size = sizeof(hi), .data_uptr = DATA_GPA, .data_len = 64 };
	struct iommu_iova_range *ranges;
	struct iommu_ioas_iova_ranges r = { .size = sizeof(r), .ioas_id = PIN_IOAS,
					    .num_iovas = 4, .allowed_iovas = DATA_GPA };
	struct page_stats before, after;
	u32 own_ioas, own_hwpt, h;
	u64 objs, len;
	int dev2;

	REQUIRE(stage2_setup(&g));
	/* looking is fine: the listing, hw-info, the pinned IOAS's ranges */
	CHECK_EQ(HC(&g, AERIE_CMD_LIST_DEVICES, l), 0);
	info = gva(&g, DATA_GPA);
	CHECK_EQ(l.num_devices, 1);
	CHECK_EQ(info[0].dev_id, g.dev_id);
	CHECK_EQ(info[0].vbdf, VBDF);
	hi.dev_id = (u32)g.dev_id;
	CHECK_EQ(HC(&g, IOMMU_CMD_GET_HW_INFO, hi), 0);
	CHECK_EQ(HC(&g, IOMMU_CMD_IOAS_IOVA_RANGES, r), 0);
	ranges = gva(&g, DATA_GPA);
	CHECK_EQ(ranges[0].start, 0);
	CHECK_EQ(r.num_iovas, 2); /* around the MSI window its device reserves */
	/* a HWPT of its own over an IOAS of its own may be made... */
	own_ioas = ioas_new(&g);
	CHECK_EQ(own_ioas, PIN_HWPT + 1);
	CHECK_EQ(map_fixed(&g, own_ioas, 0x1000, BUF_GPA, 0x1000, RW), 0);
	CHECK_EQ(hwpt_new(&g, own_ioas, 0, &own_hwpt), 0);
	page_stats(&before);
	objs = hostenv_objs_in_use();
	smmu_model_reset_stats(model);
	/* ...but nothing that changes the device's translation */
	CHECK_EQ(attach(&g, own_hwpt), -EPERM);
	rp.dev_id = (u32)g.dev_id;
	rp.pt_id = own_hwpt;
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_REPLACE, rp), -EPERM);
	rp.pt_id = PIN_HWPT; /* not even its own HWPT, a no-op otherwise */
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_ATTACH, rp), -EPERM);
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_REPLACE, rp), -EPERM);
	/* nor through an IOAS (its automatic HWPT would replace the pinned one) */
	rp.pt_id = own_ioas;
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_REPLACE, rp), -EPERM);
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_ATTACH, rp), -EPERM);
	rp.pt_id = PIN_IOAS;
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_REPLACE, rp), -EPERM);
	dt.dev_id = (u32)g.dev_id;
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_DETACH, dt), -EPERM);
	CHECK_EQ(destroy(&g, PIN_HWPT), -EBUSY);
	CHECK_EQ(destroy(&g, PIN_IOAS), -EBUSY);
	CHECK_EQ(destroy(&g, (u32)g.dev_id), -EBUSY);
	/* the pinned IOAS is exactly its RAM: no map, no unmap, nothing on it */
	CHECK_EQ(map_fixed(&g, PIN_IOAS, 0x1000, BUF_GPA, 0x1000, RW), -EPERM);
	CHECK_EQ(unmap(&g, PIN_IOAS, GUEST_IPA, GUEST_SIZE, &len), -EPERM);
	CHECK_EQ(unmap(&g, PIN_IOAS, 0, ~0ULL, &len), -EPERM);
	CHECK_EQ(hwpt_new(&g, PIN_IOAS, 0, &h), -EPERM);
	/* refusals change nothing: no page, no object, no SMMU command */
	page_stats(&after);
	CHECK_EQ(after.in_use, before.in_use);
	CHECK_EQ(hostenv_objs_in_use(), objs);
	{
		struct smmu_model_stats st;

		smmu_model_get_stats(model, &st);
		CHECK_EQ(st.syncs, 0);
	}
	/* and the device still DMAs to the guest's RAM, all of it */
	CHECK_EQ(dma_rw(PSID, GUEST_IPA + 0x5000, 0x77), 0);
	CHECK_EQ(*(u64 *)gva(&g, GUEST_IPA + 0x5000), 0x77);
	/* nor may a device of its own join the pinned HWPT (a device added
	 * without the VMM's attachment, as under "hypercall") */
	dev2 = iommu_ctx_add_device(g.ctx, PSID + 8, VBDF + 8, VSID + 8);
	REQUIRE(dev2 > 0);
	rp.dev_id = (u32)dev2;
	rp.pt_id = PIN_HWPT;
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_ATTACH, rp), -EPERM);
	rp.pt_id = own_hwpt;
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_ATTACH, rp), 0); /* its own HWPT: fine */
	rp.pt_id = PIN_HWPT;
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_REPLACE, rp), -EPERM);
	rp.pt_id = PIN_IOAS; /* nor an automatic HWPT on the pinned IOAS */
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_REPLACE, rp), -EPERM);
	CHECK_EQ(dma_rw(PSID + 8, 0x1000, 0x42), 0); /* still on its own HWPT */
	CHECK_EQ(*(u64 *)gva(&g, BUF_GPA), 0x42);
	dt.dev_id = (u32)dev2;
	CHECK_EQ(HC(&g, AERIE_CMD_DEVICE_DETACH, dt), 0);
	/* the guest's own objects stay its own to destroy */
	CHECK_EQ(destroy(&g, own_hwpt), 0);
	CHECK_EQ(destroy(&g, own_ioas), 0);
	teardown(&g, NULL);
}

/* the guest attached its device itself first: the VMM does not take it */
TEST(stage2_attach_refuses_an_attached_device_and_changes_nothing)
{
	struct guest g;
	u32 ioas, hwpt;

	REQUIRE(setup(&g));
	ioas = ioas_new(&g);
	CHECK_EQ(map_fixed(&g, ioas, 0x1000, BUF_GPA, 0x1000, RW), 0);
	CHECK_EQ(hwpt_new(&g, ioas, 0, &hwpt), 0);
	CHECK_EQ(attach(&g, hwpt), 0);
	CHECK_EQ(iommu_ctx_attach_stage2(g.ctx, (u32)g.dev_id), -EBUSY);
	CHECK_EQ(dma_rw(PSID, 0x1000, 0x99), 0);
	CHECK_EQ(*(u64 *)gva(&g, BUF_GPA), 0x99);
	CHECK_EQ(dma_rw(PSID, BUF_GPA, 0x99), -EFAULT);
	teardown(&g, NULL);
}

/* RAM the stage-2 table cannot map (above the SMMU's input range): refused
 * by the page-table library's own check, and nothing is left behind */
TEST(stage2_ram_beyond_the_input_range_is_refused_cleanly)
{
	struct guest g;
	struct vm_mem saved;
	struct page_stats before, after;
	u64 objs;

	REQUIRE(setup(&g));
	saved = g.mem;
	g.mem.region[1] = g.mem.region[0];
	g.mem.region[1].ipa = 1ULL << 50;
	g.mem.count = 2;
	page_stats(&before);
	objs = hostenv_objs_in_use();
	CHECK_EQ(iommu_ctx_attach_stage2(g.ctx, (u32)g.dev_id), -EINVAL);
	page_stats(&after);
	CHECK_EQ(after.in_use, before.in_use);
	CHECK_EQ(hostenv_objs_in_use(), objs);
	g.mem = saved;
	CHECK_EQ(ioas_new(&g), PIN_IOAS); /* no id was taken */
	CHECK_EQ(dma_rw(PSID, BUF_GPA, 1), -EFAULT);
	teardown(&g, NULL);
}

TEST(stage2_allocation_failure_anywhere_leaves_nothing)
{
	for (unsigned long nth = 1; nth < 64; nth++) {
		struct guest g;
		struct page_stats before, after;
		u64 objs;
		int err;

		REQUIRE(setup(&g));
		page_stats(&before);
		objs = hostenv_objs_in_use();
		hostenv_fail_nth(nth);
		err = iommu_ctx_attach_stage2(g.ctx, (u32)g.dev_id);
		hostenv_fail_nth(0);
		if (err == 0) {
			CHECK_EQ(dma_rw(PSID, BUF_GPA, 3), 0);
			teardown(&g, NULL);
			break;
		}
		CHECK_EQ(err, -ENOMEM);
		page_stats(&after);
		CHECK_EQ(after.in_use, before.in_use);
		CHECK_EQ(hostenv_objs_in_use(), objs);
		CHECK_EQ(dma_rw(PSID, BUF_GPA, 3), -EFAULT);
		smmu_poll(smmu);
		teardown(&g, NULL);
		if (test_current_failed)
			break;
	}
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
