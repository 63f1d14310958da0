/* SPDX-License-Identifier: MIT */
/*
 * The hostile guest of the two-guest test (guest/hostile.dts). It tries
 * every way out it can think of; each attempt must come back with its error
 * code (iommufd's meaning) or end in an SMMU fault that reaches nothing.
 * Then it tries to empty Aerie's page pool (issue 13, finding 3) and must be
 * stopped at its own quota. Last, it touches memory it does not own, which
 * must end it (and only it):
 * the victim next to it keeps running and checks its DMA throughout.
 * A surprise makes it return 1 (SYSTEM_RESET), which fails the test.
 */
#include <aerie/edu.h>
#include "../lib/aerie_guest.h"
#include "../lib/guest_dma.h"

#define EFAULT 14
#define EINVAL 22
#define ENOENT 2
#define EIO 5
#define E2BIG 7
#define EBUSY 16
#define EOVERFLOW 75
#define EOPNOTSUPP 95
#define ENOMEM 12
#define ENOSPC 28
#define EAGAIN 11
#define RAM_IPA 0x40000000ULL
#define RAM_SIZE 0x1000000ULL
#define VICTIM_SID 0x8		/* the other guest's device (physical StreamID) */
#define IOVA_BUF 0x100000ULL
#define QUOTA_PAGES 1024	/* its iommu-pages (guest/hostile.dts) */
#define QUOTA_VMIDS 32		/* the default (docs/hypercall-abi.md, "Quotas") */

static uint8_t buf[4096] __attribute__((aligned(4096)));
static uint8_t big[8192] __attribute__((aligned(4096)));
static struct aerie_iommu_device_info devs[4];
static struct iommu_hwpt_arm_smmuv3 vste;
static struct iommu_viommu_arm_smmuv3_invalidate cmds[2];
static uint32_t hwpts[QUOTA_VMIDS + 1];
static struct iommu_iova_range range;
static int fails;
static struct iommu_viommu_arm_smmuv3_invalidate flood[300];

static void check(const char *what, int64_t got, int64_t want)
{
	g_puts(got == want ? "  refused: " : "  SURPRISE: ");
	g_puts(what);
	g_puts(" -> ");
	g_putd(got);
	if (got != want) {
		g_puts(", expected ");
		g_putd(want);
		fails++;
	}
	g_puts("\n");
}

static int64_t hc(uint32_t nr, uint64_t ptr)
{
	return aerie_hvc(AERIE_HC_IOMMU(nr), ptr);
}

static int64_t map_raw(uint32_t ioas, uint32_t flags, uint64_t va, uint64_t iova, uint64_t len)
{
	struct iommu_ioas_map m = { .size = sizeof(m), .ioas_id = ioas, .flags = flags,
				    .user_va = va, .iova = iova, .length = len };

	return aerie_iommu(IOMMU_CMD_IOAS_MAP, &m);
}

static int64_t nested_with(uint32_t viommu, uint32_t dev, uint64_t w0, uint64_t w1, uint32_t len)
{
	struct iommu_hwpt_alloc h = { .size = sizeof(h), .dev_id = dev, .pt_id = viommu,
				      .data_type = IOMMU_HWPT_DATA_ARM_SMMUV3, .data_len = len,
				      .data_uptr = (uint64_t)(uintptr_t)&vste };
	int64_t r;

	vste.ste[0] = w0;
	vste.ste[1] = w1;
	r = aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &h);
	return r ? r : h.out_hwpt_id;
}

static int64_t inval(uint32_t id, uint64_t c0, uint64_t c1, uint32_t entry_len)
{
	struct iommu_hwpt_invalidate inv = { .size = sizeof(inv), .hwpt_id = id,
					     .data_uptr = (uint64_t)(uintptr_t)cmds,
					     .data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
					     .entry_len = entry_len, .entry_num = 1 };

	cmds[0].cmd[0] = c0;
	cmds[0].cmd[1] = c1; /* cmds[1]: the tail of a 32-byte entry */
	return aerie_iommu(IOMMU_CMD_HWPT_INVALIDATE, &inv);
}

static int64_t destroy(uint32_t id)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };

	return aerie_iommu(IOMMU_CMD_DESTROY, &d);
}

static int64_t inval_n(uint32_t id, uint32_t from, uint32_t n, uint32_t *done)
{
	struct iommu_hwpt_invalidate inv = { .size = sizeof(inv), .hwpt_id = id,
					     .data_uptr = (uint64_t)(uintptr_t)&flood[from],
					     .data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
					     .entry_len = 16, .entry_num = n };
	int64_t r = aerie_iommu(IOMMU_CMD_HWPT_INVALIDATE, &inv);

	*done = inv.entry_num;
	return r;
}

/*
 * Issue 13's attack 2: one HWPT_INVALIDATE of 300 entries whose first has
 * SSec=1 used to stop the SMMU's shared command queue for good (the victim's
 * DMA with it). Now no bit outside a command's fields reaches the queue, and
 * one call holds it for at most AERIE_INVALIDATE_BUDGET commands.
 */
static int queue_attack(uint32_t viommu, uint32_t vsid)
{
	uint32_t done, total = 0, calls = 0;
	int64_t r;

	for (int i = 0; i < 300; i++) {
		flood[i].cmd[0] = 0x05 | (uint64_t)vsid << 32; /* CFGI_CD of my own vSID */
		flood[i].cmd[1] = 1;
	}
	flood[0].cmd[0] |= 1ULL << 10; /* SSec */
	r = inval_n(viommu, 0, 300, &done);
	check("300 invalidations, the first with SSec=1", r, -EIO);
	EXPECT(done == 0, "nothing of them issued");
	flood[0].cmd[0] = 0x05 | (uint64_t)vsid << 32 | 1ULL << 8; /* a reserved bit */
	check("300 invalidations, the first with a reserved bit", inval_n(viommu, 0, 300, &done),
	      -EIO);
	flood[0].cmd[0] = 0x05 | (uint64_t)vsid << 32;
	/* the queue goes on, and one call gets at most its budget of it */
	do {
		r = inval_n(viommu, total, 300 - total, &done);
		EXPECT(done <= AERIE_INVALIDATE_BUDGET, "at most the budget per call");
		total += done;
		calls++;
	} while (r == -EAGAIN && done);
	check("the same 300, good ones, to the end", r, 0);
	EXPECT(total == 300, "all 300 issued");
	g_puts("queue: 300 invalidations led by SSec=1 refused, 0 issued; 300 good ones in ");
	g_putd(calls);
	g_puts(" calls of at most ");
	g_putd(AERIE_INVALIDATE_BUDGET);
	g_puts("\n");
	return 0;
}

/* the stage-2 tables of one HWPT after m maps at 2 MiB strides from IOVA 0
 * (the geometry of docs/pgtable.md): its root, then a level-1 table per
 * 512 GiB (only when the root is level 0), a level-2 table per GiB and a
 * level-3 table per map */
static uint64_t tables_after(unsigned int ias, uint64_t m)
{
	uint64_t last = (m << 21) - 1, n = ias > 39 && ias < 44 ? 1ULL << (ias - 39) : 1;

	if (m)
		n += (ias >= 44 ? (last >> 39) + 1 : 0) + (last >> 30) + 1 + m;
	return n;
}

/*
 * One page of my RAM mapped at 2 MiB strides into as many paging HWPTs of
 * one IOAS as I may have: each map costs a level-3 table in every HWPT.
 * Without quotas this took all of Aerie's pool; now the HWPTs stop at my
 * VMID cap and the maps at my page quota, to the page.
 */
static int quota_attack(uint32_t ioas, uint32_t dev)
{
	struct iommu_ioas_iova_ranges rg = { .size = sizeof(rg), .ioas_id = ioas, .num_iovas = 1,
					     .allowed_iovas = (uint64_t)(uintptr_t)&range };
	const uint32_t rw = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			    IOMMU_IOAS_MAP_WRITEABLE;
	uint64_t m, held, need;
	unsigned int ias = 0, n;
	int64_t r = 0;

	g_puts("quota: one page at 2 MiB strides into paging HWPTs until Aerie says no:\n");
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_IOVA_RANGES, &rg) == 0, "IOVA_RANGES");
	while (ias < 64 && (range.last >> ias))
		ias++;
	for (n = 0; n <= QUOTA_VMIDS; n++) {
		struct iommu_hwpt_alloc h = { .size = sizeof(h), .dev_id = dev, .pt_id = ioas };

		r = aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &h);
		if (r)
			break;
		hwpts[n] = h.out_hwpt_id;
	}
	check("a paging HWPT past my VMID cap", r, -ENOSPC);
	EXPECT(n == QUOTA_VMIDS, "32 paging HWPTs before -ENOSPC");
	for (m = 0; m < 100000; m++) {
		r = map_raw(ioas, rw, (uintptr_t)buf, m << 21, 4096);
		if (r)
			break;
	}
	check("the map that would take my tables past my quota", r, -ENOMEM);
	held = n * tables_after(ias, m);
	need = n * (tables_after(ias, m + 1) - tables_after(ias, m));
	EXPECT(held <= QUOTA_PAGES && held + need > QUOTA_PAGES, "-ENOMEM exactly at the quota");
	g_puts("quota: ");
	g_putd(n);
	g_puts(" paging HWPTs (my VMID cap), ");
	g_putd((int64_t)m);
	g_puts(" maps: ");
	g_putd((int64_t)held);
	g_puts(" table pages held, the next map needs ");
	g_putd((int64_t)need);
	g_puts(" more: -ENOMEM at my quota of ");
	g_putd(QUOTA_PAGES);
	g_puts("\n");
	/* the maps are given back (their tables too), then the refused one fits */
	{
		struct iommu_ioas_unmap u = { .size = sizeof(u), .ioas_id = ioas, .iova = 0,
					      .length = ~0ULL };
		EXPECT(aerie_iommu(IOMMU_CMD_IOAS_UNMAP, &u) == 0 && u.length == m * 4096,
		       "unmap all");
	}
	check("the map refused before fits once the others are unmapped",
	      map_raw(ioas, rw, (uintptr_t)buf, m << 21, 4096), 0);
	for (unsigned int i = 0; i < n; i++)
		EXPECT(destroy(hwpts[i]) == 0, "DESTROY a HWPT");
	return 0;
}

int guest_main(uint64_t bar)
{
	struct aerie_iommu_list_devices list = { sizeof(list), 4, (uint64_t)(uintptr_t)devs };
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) }, ioas2 = { .size = sizeof(ioas2) };
	struct iommu_hwpt_alloc h = { .size = sizeof(h) };
	struct iommu_viommu_alloc vi = { .size = sizeof(vi) };
	struct iommu_vdevice_alloc vd = { .size = sizeof(vd) };
	struct aerie_iommu_device_attach at = { .size = sizeof(at) };
	struct iommu_destroy des = { .size = sizeof(des) };
	uint32_t *raw = (uint32_t *)(uintptr_t)big;
	uint32_t dev, parent, nested, viommu, bypass;
	const uint32_t rw = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			    IOMMU_IOAS_MAP_WRITEABLE;
	int64_t id;

	EXPECT(aerie_iommu(AERIE_CMD_LIST_DEVICES, &list) == 0 && list.num_devices == 1,
	       "one assigned device");
	dev = devs[0].dev_id;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &ioas) == 0, "IOAS_ALLOC");

	g_puts("hypercall pointers that are not my RAM:\n");
	check("struct in my device's BAR", hc(IOMMU_CMD_IOAS_ALLOC, bar), -EFAULT);
	check("struct in the console's MMIO", hc(IOMMU_CMD_IOAS_ALLOC, 0x09000000), -EFAULT);
	check("struct in Aerie's memory below my RAM", hc(IOMMU_CMD_IOAS_ALLOC, RAM_IPA - 0x1000),
	      -EFAULT);
	check("struct at guest-physical 0", hc(IOMMU_CMD_IOAS_ALLOC, 0), -EFAULT);
	check("unaligned struct", hc(IOMMU_CMD_IOAS_ALLOC, (uint64_t)(uintptr_t)big + 1), -EFAULT);
	check("struct straddling the end of my RAM",
	      hc(IOMMU_CMD_IOAS_ALLOC, RAM_IPA + RAM_SIZE - 4), -EFAULT);
	check("a wrapping pointer", hc(IOMMU_CMD_IOAS_ALLOC, 0xfffffffffffffff8ULL), -EFAULT);

	g_puts("bad struct sizes:\n");
	memset(big, 0, sizeof(big));
	check("size 0", hc(IOMMU_CMD_IOAS_ALLOC, (uint64_t)(uintptr_t)big), -EINVAL);
	raw[0] = 4;
	check("size 4", hc(IOMMU_CMD_IOAS_ALLOC, (uint64_t)(uintptr_t)big), -EINVAL);
	raw[0] = 4096;
	big[2000] = 1;
	check("size 4096 with a non-zero tail", hc(IOMMU_CMD_IOAS_ALLOC, (uint64_t)(uintptr_t)big),
	      -E2BIG);
	raw[0] = 1u << 20;
	check("size 1 MiB", hc(IOMMU_CMD_IOAS_ALLOC, (uint64_t)(uintptr_t)big), -E2BIG);
	check("an unknown command", hc(0x7f, (uint64_t)(uintptr_t)&ioas), -25 /* ENOTTY */);

	g_puts("IOAS_MAP of memory that is not mine, and bad ranges:\n");
	check("map guest-physical 0", map_raw(ioas.out_ioas_id, rw, 0, IOVA_BUF, 4096), -EFAULT);
	check("map Aerie's memory below my RAM",
	      map_raw(ioas.out_ioas_id, rw, RAM_IPA - 0x200000, IOVA_BUF, 4096), -EFAULT);
	check("map past the end of my RAM",
	      map_raw(ioas.out_ioas_id, rw, RAM_IPA + RAM_SIZE - 4096, IOVA_BUF, 8192), -EFAULT);
	check("map my device's MMIO", map_raw(ioas.out_ioas_id, rw, bar, IOVA_BUF, 4096), -EFAULT);
	check("map the other guest's RAM (by any address: 0x41000000)",
	      map_raw(ioas.out_ioas_id, rw, 0x41000000, IOVA_BUF, 4096), -EFAULT);
	check("length 0", map_raw(ioas.out_ioas_id, rw, (uintptr_t)buf, IOVA_BUF, 0), -EINVAL);
	check("unaligned IOVA", map_raw(ioas.out_ioas_id, rw, (uintptr_t)buf, IOVA_BUF + 8, 4096),
	      -EINVAL);
	check("unaligned length", map_raw(ioas.out_ioas_id, rw, (uintptr_t)buf, IOVA_BUF, 100),
	      -EINVAL);
	check("wrapping IOVA range", map_raw(ioas.out_ioas_id, rw, (uintptr_t)buf,
					     0xfffffffffffff000ULL, 8192), -EOVERFLOW);
	check("wrapping source range", map_raw(ioas.out_ioas_id, rw, 0xfffffffffffff000ULL,
					       IOVA_BUF, 8192), -EFAULT);
	check("unknown flags", map_raw(ioas.out_ioas_id, rw | (1u << 9), (uintptr_t)buf, IOVA_BUF,
				       4096), -EOPNOTSUPP);

	g_puts("object ids that are not mine:\n");
	for (uint32_t i = 20; i < 200; i++) {
		des.id = i;
		if (aerie_iommu(IOMMU_CMD_DESTROY, &des) != -ENOENT) {
			check("DESTROY of an id I never allocated", -1, -ENOENT);
			break;
		}
	}
	check("DESTROY of ids 20..199 (nothing of mine: the other guest's live there)", -ENOENT,
	      -ENOENT);
	des.id = dev;
	check("DESTROY of my device (the assignment holds it)",
	      aerie_iommu(IOMMU_CMD_DESTROY, &des), -EBUSY);
	h.dev_id = 0x1000;
	h.pt_id = ioas.out_ioas_id;
	check("HWPT_ALLOC for a device id I do not have", aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &h),
	      -ENOENT);
	at.dev_id = ioas.out_ioas_id;
	at.pt_id = ioas.out_ioas_id;
	check("attach an IOAS as if it were a device", aerie_iommu(AERIE_CMD_DEVICE_ATTACH, &at),
	      -ENOENT);

	g_puts("vSTEs asking for more than stage 1:\n");
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &ioas2) == 0, "IOAS_ALLOC 2");
	EXPECT(map_raw(ioas2.out_ioas_id, rw, RAM_IPA, RAM_IPA, RAM_SIZE) == 0, "map my RAM");
	h = (struct iommu_hwpt_alloc){ .size = sizeof(h), .dev_id = dev, .pt_id = ioas2.out_ioas_id,
				       .flags = IOMMU_HWPT_ALLOC_NEST_PARENT };
	EXPECT(aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &h) == 0, "NEST_PARENT");
	parent = h.out_hwpt_id;
	vi = (struct iommu_viommu_alloc){ .size = sizeof(vi), .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
					  .dev_id = dev, .hwpt_id = parent };
	EXPECT(aerie_iommu(IOMMU_CMD_VIOMMU_ALLOC, &vi) == 0, "VIOMMU_ALLOC");
	viommu = vi.out_viommu_id;
	vd = (struct iommu_vdevice_alloc){ .size = sizeof(vd), .viommu_id = viommu, .dev_id = dev,
					   .virt_id = VICTIM_SID };
	EXPECT(aerie_iommu(IOMMU_CMD_VDEVICE_ALLOC, &vd) == 0, "VDEVICE_ALLOC");
	check("Config = stage 2 only (6)", nested_with(viommu, dev, 1 | 6 << 1, 0, 16), -EIO);
	check("Config = S1+S2 (7)", nested_with(viommu, dev, 1 | 7 << 1, 0, 16), -EIO);
	check("word 1 with STRW (EL2 streams)", nested_with(viommu, dev, 1 | 5 << 1,
							    1ULL << 30, 16), -EIO);
	check("word 1 with MEV", nested_with(viommu, dev, 1 | 5 << 1, 1ULL << 19, 16), -EIO);
	check("a whole 64-byte STE (stage-2 words)", nested_with(viommu, dev, 1 | 5 << 1, 0, 64),
	      -EINVAL);
	id = nested_with(viommu, dev, 1 | 4 << 1, 0, 16);
	check("Config = bypass: accepted, it means my parent stage 2 only", id > 0 ? 0 : id, 0);
	bypass = (uint32_t)id;

	g_puts("a CD pointer outside my RAM: accepted (as Linux), faults in my stage 2:\n");
	id = nested_with(viommu, dev, 1 | 5 << 1 | (RAM_IPA - 0x10000), 0, 16);
	check("nested HWPT whose CD is in Aerie's memory", id > 0 ? 0 : id, 0);
	nested = (uint32_t)id;
	at.dev_id = dev;
	at.pt_id = nested;
	check("attach it", aerie_iommu(AERIE_CMD_DEVICE_ATTACH, &at), 0);
	memset(buf, 0x33, sizeof(buf));
	g_edu_dma(bar, 0x1000, EDU_BUF_OFFSET, 64, 0);
	g_edu_dma(bar, EDU_BUF_OFFSET, (uintptr_t)buf, 64, 1);
	check("DMA through it changed none of my bytes", buf[0] == 0x33 ? 0 : 1, 0);

	g_puts("invalidation commands that are not mine to give:\n");
	check("CFGI_STE", inval(viommu, 0x03 | (uint64_t)VICTIM_SID << 32, 0, 16), -EIO);
	check("CFGI_CD for a vSID I do not have", inval(viommu, 0x05 | 0x10ULL << 32, 0, 16), -EIO);
	check("TLBI_S12_VMALL for VMID 1", inval(viommu, 0x28 | 1ULL << 32, 0, 16), -EIO);
	check("TLBI_EL2_ALL", inval(viommu, 0x20, 0, 16), -EIO);
	check("CMD_SYNC", inval(viommu, 0x46, 0, 16), -EIO);
	check("TLBI_NH_ALL naming VMID 1: done, for my VMID", inval(viommu, 0x10 | 1ULL << 32, 0,
								  16), 0);
	check("8-byte entries: zero-filled, accepted (Linux's rule)", inval(viommu, 0x10, 0, 8), 0);
	memset(cmds, 0, sizeof(cmds));
	cmds[1].cmd[0] = 1;
	check("32-byte entries with a non-zero tail", inval(viommu, 0x10, 0, 32), -E2BIG);

	if (queue_attack(viommu, VICTIM_SID))
		return 1;

	/* give back what I built, leaves first: my quota is whole again */
	{
		struct aerie_iommu_device_detach det = { .size = sizeof(det), .dev_id = dev };

		EXPECT(aerie_iommu(AERIE_CMD_DEVICE_DETACH, &det) == 0, "DETACH");
	}
	EXPECT(destroy(nested) == 0 && destroy(bypass) == 0 && destroy(vd.out_vdevice_id) == 0 &&
	       destroy(viommu) == 0 && destroy(parent) == 0 && destroy(ioas2.out_ioas_id) == 0,
	       "DESTROY what I built");
	if (quota_attack(ioas.out_ioas_id, dev))
		return 1;

	g_puts("last: a load from memory that is not mine ends me, and only me\n");
	(void)*(volatile uint64_t *)(uintptr_t)(RAM_IPA - 0x1000);
	g_puts("SURPRISE: the load came back\n");
	return 1 + fails;
}
