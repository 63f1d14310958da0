/* SPDX-License-Identifier: MIT */
/*
 * A guest that sets up DMA isolation for its own edu device through Aerie's
 * hypercalls and proves it with real DMA: bytes arrive through its IOVAs,
 * and after IOAS_UNMAP the device can no longer reach the buffer.
 * Returns 0 (then start.S powers off) only if every step behaved.
 */
#include <aerie/edu.h>
#include "../lib/aerie_guest.h"

#define IOVA_SRC 0x100000ULL
#define IOVA_DST 0x200000ULL

static uint8_t src[4096] __attribute__((aligned(4096)));
static uint8_t dst[4096] __attribute__((aligned(4096)));
static struct aerie_iommu_device_info devs[4];

#define EXPECT(cond, what)                                                   \
	do {                                                                 \
		if (!(cond)) {                                               \
			g_puts("FAILED: " what "\n");                        \
			return 1;                                            \
		}                                                            \
	} while (0)

static void wr64(uint64_t bar, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)(bar + off) = v;
}

static uint64_t rd64(uint64_t bar, uint32_t off)
{
	return *(volatile uint64_t *)(uintptr_t)(bar + off);
}

static void g_edu_dma(uint64_t bar, uint64_t from, uint64_t to, uint32_t len, int to_ram)
{
	wr64(bar, EDU_REG_DMA_SRC, from);
	wr64(bar, EDU_REG_DMA_DST, to);
	wr64(bar, EDU_REG_DMA_COUNT, len);
	wr64(bar, EDU_REG_DMA_CMD, EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0));
	while (rd64(bar, EDU_REG_DMA_CMD) & EDU_DMA_RUN)
		;
}

int guest_main(uint64_t bar)
{
	struct aerie_iommu_list_devices list = { sizeof(list), 4, (uint64_t)(uintptr_t)devs };
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	struct iommu_ioas_map map = { .size = sizeof(map) };
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap) };
	struct iommu_hwpt_alloc hwpt = { .size = sizeof(hwpt) };
	struct aerie_iommu_device_attach at = { .size = sizeof(at) };
	int64_t r;

	g_puts("hello from the guest at EL1\n");
	r = aerie_hvc(AERIE_HC_NOP, 0);
	EXPECT(r == 0, "the null hypercall");
	EXPECT(aerie_hvc(AERIE_HC_VERSION, 0) == AERIE_ABI_VERSION, "ABI version");
	EXPECT(aerie_iommu(AERIE_CMD_LIST_DEVICES, &list) == 0 && list.num_devices == 1,
	       "one assigned device");
	g_puts("my device: ");
	g_putx(devs[0].vbdf);
	g_puts(", dev_id ");
	g_putd(devs[0].dev_id);
	g_puts("\n");
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &ioas) == 0, "IOAS_ALLOC");
	map.ioas_id = ioas.out_ioas_id;
	map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE;
	map.user_va = (uint64_t)(uintptr_t)src;
	map.length = 4096;
	map.iova = IOVA_SRC;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_MAP, &map) == 0, "map the source buffer");
	map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
	map.user_va = (uint64_t)(uintptr_t)dst;
	map.iova = IOVA_DST;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_MAP, &map) == 0, "map the destination buffer");
	/* a hostile attempt on the way: Aerie's own memory is not mine */
	map.user_va = 0x40000000ULL - 0x1000000ULL;
	map.iova = 0x300000;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_MAP, &map) == -14, "mapping memory that is not mine");
	hwpt.dev_id = devs[0].dev_id;
	hwpt.pt_id = ioas.out_ioas_id;
	EXPECT(aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &hwpt) == 0, "HWPT_ALLOC");
	at.dev_id = devs[0].dev_id;
	at.pt_id = hwpt.out_hwpt_id;
	EXPECT(aerie_iommu(AERIE_CMD_DEVICE_ATTACH, &at) == 0, "attach");
	for (int i = 0; i < 256; i++)
		src[i] = (uint8_t)(i * 3 + 1);
	g_edu_dma(bar, IOVA_SRC, EDU_BUF_OFFSET, 256, 0);
	g_edu_dma(bar, EDU_BUF_OFFSET, IOVA_DST + 64, 256, 1);
	EXPECT(memcmp(dst + 64, src, 256) == 0, "DMA through my IOVAs");
	EXPECT(dst[0] == 0 && dst[63] == 0 && dst[64 + 256] == 0, "nothing else written");
	g_puts("DMA through my IOVAs: 256 bytes arrived exactly where I mapped them\n");
	unmap.ioas_id = ioas.out_ioas_id;
	unmap.iova = IOVA_DST;
	unmap.length = 4096;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_UNMAP, &unmap) == 0 && unmap.length == 4096, "unmap");
	memset(dst, 0, sizeof(dst));
	g_edu_dma(bar, EDU_BUF_OFFSET, IOVA_DST + 64, 256, 1);
	EXPECT(dst[64] == 0 && dst[65] == 0, "no DMA after unmap");
	g_puts("after IOAS_UNMAP the device cannot reach the buffer any more\n");
	return 0;
}
