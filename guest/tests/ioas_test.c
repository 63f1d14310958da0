/* SPDX-License-Identifier: MIT */
/*
 * The rest of iommufd's IOAS model, proved with real edu DMA
 * (tests/qemu/guest_ioas.conf):
 *  - attach my device to an IOAS (not a HWPT): Aerie makes an automatic
 *    HWPT and tells me its id;
 *  - IOVA_RANGES then shows the MSI window my device reserves, a FIXED map
 *    into it is refused;
 *  - ALLOW_IOVAS: an automatic IOVA comes from my allowed list and jumps
 *    the reserved window; allowing the window is refused;
 *  - IOAS_COPY into a second IOAS, REPLACE onto it: DMA through the copies,
 *    which outlive the originals; the first automatic HWPT is gone;
 *  - OPTION: HUGE_PAGES reads 1, RLIMIT_MODE cannot be set.
 * Returns 0 (then start.S powers off) only if every step behaved.
 */
#include <aerie/edu.h>
#include "../lib/aerie_guest.h"
#include "../lib/guest_dma.h"

#define IOVA_SRC 0x100000ULL
#define IOVA_DST 0x200000ULL
#define COPY_SRC 0x300000ULL
#define COPY_DST 0x400000ULL
#define EINVAL_ 22
#define ENOENT_ 2
#define EPERM_ 1
#define EBUSY_ 16
#define EADDRINUSE_ 98
#define MSI_LAST (AERIE_IOMMU_SW_MSI_BASE + AERIE_IOMMU_SW_MSI_SIZE - 1)

static uint8_t src[4096] __attribute__((aligned(4096)));
static uint8_t dst[4096] __attribute__((aligned(4096)));
static uint8_t two[8192] __attribute__((aligned(8192)));
static struct aerie_iommu_device_info devs[4];
static struct iommu_iova_range rng[4];

static int iova_ranges(uint32_t ioas)
{
	struct iommu_ioas_iova_ranges r = { .size = sizeof(r), .ioas_id = ioas, .num_iovas = 4,
					    .allowed_iovas = (uint64_t)(uintptr_t)rng };

	if (aerie_iommu(IOMMU_CMD_IOAS_IOVA_RANGES, &r))
		return -1;
	g_puts("IOVA_RANGES:");
	for (uint32_t i = 0; i < r.num_iovas; i++) {
		g_puts(" [");
		g_putx(rng[i].start);
		g_puts(", ");
		g_putx(rng[i].last);
		g_puts("]");
	}
	g_puts("\n");
	return (int)r.num_iovas;
}

static int attach_to(uint32_t nr, uint32_t dev, uint32_t *pt)
{
	struct aerie_iommu_device_attach a = { .size = sizeof(a), .dev_id = dev, .pt_id = *pt };
	int r = aerie_iommu(nr, &a);

	*pt = a.pt_id;
	return r;
}

static int destroy(uint32_t id)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };

	return aerie_iommu(IOMMU_CMD_DESTROY, &d);
}

/* DMA `len` bytes from IOVA `from` to IOVA `to` through the edu's buffer */
static int edu_copy(uint64_t bar, uint64_t from, uint64_t to, uint32_t len)
{
	return g_edu_dma(bar, from, EDU_BUF_OFFSET, len, 0) ||
	       g_edu_dma(bar, EDU_BUF_OFFSET, to, len, 1);
}

int guest_main(uint64_t bar)
{
	struct aerie_iommu_list_devices list = { sizeof(list), 4, (uint64_t)(uintptr_t)devs };
	struct iommu_ioas_alloc a = { .size = sizeof(a) }, b = { .size = sizeof(b) };
	struct iommu_ioas_map map = { .size = sizeof(map) };
	struct iommu_ioas_copy cp = { .size = sizeof(cp) };
	struct iommu_ioas_unmap un = { .size = sizeof(un) };
	struct iommu_ioas_allow_iovas al = { .size = sizeof(al),
					     .allowed_iovas = (uint64_t)(uintptr_t)rng };
	struct iommu_option opt = { .size = sizeof(opt) };
	struct aerie_iommu_device_detach det = { .size = sizeof(det) };
	uint32_t dev, pt, auto1, auto2;

	g_puts("ioas_test: the rest of the IOAS model\n");
	EXPECT(aerie_iommu(AERIE_CMD_LIST_DEVICES, &list) == 0 && list.num_devices == 1,
	       "one assigned device");
	dev = devs[0].dev_id;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &a) == 0, "IOAS_ALLOC");
	EXPECT(g_ioas_map(a.out_ioas_id, src, IOVA_SRC, 4096, 0) == 0 &&
	       g_ioas_map(a.out_ioas_id, dst, IOVA_DST, 4096, 1) == 0, "map two buffers");
	EXPECT(iova_ranges(a.out_ioas_id) == 1 && rng[0].start == 0, "one range, nothing attached");

	/* attach to the IOAS itself: an automatic HWPT */
	pt = a.out_ioas_id;
	EXPECT(attach_to(AERIE_CMD_DEVICE_ATTACH, dev, &pt) == 0 && pt != a.out_ioas_id,
	       "attach to the IOAS");
	auto1 = pt;
	g_puts("attached to IOAS ");
	g_putd(a.out_ioas_id);
	g_puts(": automatic HWPT ");
	g_putd(auto1);
	g_puts("\n");
	EXPECT(destroy(auto1) == -EBUSY_, "the attachment pins the automatic HWPT");
	for (int i = 0; i < 256; i++)
		src[i] = (uint8_t)(i ^ 0x5c);
	memset(dst, 0, sizeof(dst));
	EXPECT(edu_copy(bar, IOVA_SRC, IOVA_DST, 256) == 0 && memcmp(dst, src, 256) == 0,
	       "DMA through the automatic HWPT");
	g_puts("DMA through the automatic HWPT: 256 bytes arrived\n");

	/* my device reserves the MSI window in the IOAS */
	EXPECT(iova_ranges(a.out_ioas_id) == 2 && rng[0].start == 0 &&
	       rng[0].last == AERIE_IOMMU_SW_MSI_BASE - 1 && rng[1].start == MSI_LAST + 1,
	       "IOVA_RANGES: the gaps around the MSI window");
	EXPECT(g_ioas_map(a.out_ioas_id, two, AERIE_IOMMU_SW_MSI_BASE, 4096, 1) == -EINVAL_,
	       "a FIXED map into the MSI window is refused");
	g_puts("the MSI window is reserved: a FIXED map into it is refused\n");

	/* an allowed list on both sides of the window: 4K below, 64K above */
	rng[0] = (struct iommu_iova_range){ AERIE_IOMMU_SW_MSI_BASE - 0x1000,
					    AERIE_IOMMU_SW_MSI_BASE - 1 };
	rng[1] = (struct iommu_iova_range){ MSI_LAST + 1, MSI_LAST + 0x10000 };
	rng[2] = (struct iommu_iova_range){ AERIE_IOMMU_SW_MSI_BASE, MSI_LAST };
	al.ioas_id = a.out_ioas_id;
	al.num_iovas = 3;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_ALLOW_IOVAS, &al) == -EADDRINUSE_,
	       "allowing the reserved window is refused");
	al.num_iovas = 2;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_ALLOW_IOVAS, &al) == 0, "ALLOW_IOVAS");
	map.ioas_id = a.out_ioas_id;
	map.flags = IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
	map.user_va = (uint64_t)(uintptr_t)two;
	map.length = sizeof(two);
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_MAP, &map) == 0 && map.iova == MSI_LAST + 1,
	       "an automatic 8 KiB IOVA past the window, inside the allowed list");
	g_puts("automatic IOVA ");
	g_putx(map.iova);
	g_puts(": from my allowed list, past the reserved window\n");
	memset(two, 0, sizeof(two));
	EXPECT(edu_copy(bar, IOVA_SRC, map.iova + 0x1000 + 8, 128) == 0 &&
	       memcmp(two + 0x1000 + 8, src, 128) == 0 && two[0x1000 + 7] == 0,
	       "DMA to the automatic IOVA");

	/* copy into a second IOAS, then move the device there */
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &b) == 0, "a second IOAS");
	cp.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE;
	cp.dst_ioas_id = b.out_ioas_id;
	cp.src_ioas_id = a.out_ioas_id;
	cp.length = 4096;
	cp.src_iova = IOVA_SRC;
	cp.dst_iova = COPY_SRC;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_COPY, &cp) == 0, "IOAS_COPY of the source");
	cp.flags |= IOMMU_IOAS_MAP_WRITEABLE;
	cp.dst_iova = COPY_DST;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_COPY, &cp) == -EPERM_,
	       "a writeable copy of read-only memory is refused");
	cp.src_iova = IOVA_DST;
	cp.dst_iova = COPY_DST;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_COPY, &cp) == 0, "IOAS_COPY of the destination");
	pt = b.out_ioas_id;
	EXPECT(attach_to(AERIE_CMD_DEVICE_REPLACE, dev, &pt) == 0 && pt != auto1,
	       "replace onto the second IOAS");
	auto2 = pt;
	EXPECT(destroy(auto1) == -ENOENT_, "the first automatic HWPT went with its device");
	g_puts("replaced onto IOAS ");
	g_putd(b.out_ioas_id);
	g_puts(": automatic HWPT ");
	g_putd(auto2);
	g_puts(", the first one is gone\n");
	/* the originals go; the copies stay */
	un.ioas_id = a.out_ioas_id;
	un.iova = 0;
	un.length = ~0ULL;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_UNMAP, &un) == 0 && un.length == 4096 * 4,
	       "unmap everything in the first IOAS");
	for (int i = 0; i < 256; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	memset(dst, 0, sizeof(dst));
	EXPECT(edu_copy(bar, COPY_SRC, COPY_DST + 512, 256) == 0 &&
	       memcmp(dst + 512, src, 256) == 0 && dst[511] == 0, "DMA through the copies");
	g_puts("DMA through the copies: 256 bytes arrived, the originals long unmapped\n");
	memset(dst, 0, sizeof(dst));
	EXPECT(edu_copy(bar, COPY_SRC, IOVA_DST, 256) == 0 && dst[0] == 0,
	       "nothing reaches the old IOVAs");

	/* options */
	opt.option_id = IOMMU_OPTION_HUGE_PAGES;
	opt.op = IOMMU_OPTION_OP_GET;
	opt.object_id = b.out_ioas_id;
	EXPECT(aerie_iommu(IOMMU_CMD_OPTION, &opt) == 0 && opt.val64 == 1, "HUGE_PAGES is on");
	opt.option_id = IOMMU_OPTION_RLIMIT_MODE;
	opt.op = IOMMU_OPTION_OP_SET;
	opt.object_id = 0;
	EXPECT(aerie_iommu(IOMMU_CMD_OPTION, &opt) == -EPERM_, "RLIMIT_MODE is not mine to set");

	/* detach: the automatic HWPT goes, then the IOAS can */
	EXPECT(destroy(b.out_ioas_id) == -EBUSY_, "the IOAS is held by its automatic HWPT");
	det.dev_id = dev;
	EXPECT(aerie_iommu(AERIE_CMD_DEVICE_DETACH, &det) == 0, "detach");
	EXPECT(destroy(auto2) == -ENOENT_ && destroy(b.out_ioas_id) == 0,
	       "the automatic HWPT left with the device");
	g_puts("ioas_test: all checks passed\n");
	return 0;
}
