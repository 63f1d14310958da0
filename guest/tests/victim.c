/* SPDX-License-Identifier: MIT */
/*
 * The well-behaved guest of the two-guest test (guest/hostile.dts): while
 * the hostile guest next to it tries every way out, it keeps running DMA
 * through its own stage-2 IOVAs and checks every byte of every round, and
 * that its canary page (mapped nowhere) is never touched.
 */
#include <aerie/edu.h>
#include "../lib/aerie_guest.h"
#include "../lib/guest_dma.h"

#define MIN_ROUNDS 8
#define SECONDS 12	/* longer than the hostile guest takes to try everything,
			 * with room for a loaded machine (about 4 s alone) */
#define IOVA_SRC 0x100000ULL
#define IOVA_DST 0x200000ULL

static uint8_t src[4096] __attribute__((aligned(4096)));
static uint8_t dst[4096] __attribute__((aligned(4096)));
static uint8_t canary[4096] __attribute__((aligned(4096)));
static struct aerie_iommu_device_info devs[4];

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t frequency(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

int guest_main(uint64_t bar)
{
	struct aerie_iommu_list_devices list = { sizeof(list), 4, (uint64_t)(uintptr_t)devs };
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	struct iommu_hwpt_alloc hwpt = { .size = sizeof(hwpt) };
	struct aerie_iommu_device_attach at = { .size = sizeof(at) };

	memset(canary, 0x5a, sizeof(canary));
	EXPECT(aerie_iommu(AERIE_CMD_LIST_DEVICES, &list) == 0 && list.num_devices == 1,
	       "one assigned device");
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &ioas) == 0, "IOAS_ALLOC");
	EXPECT(g_ioas_map(ioas.out_ioas_id, src, IOVA_SRC, 4096, 0) == 0 &&
	       g_ioas_map(ioas.out_ioas_id, dst, IOVA_DST, 4096, 1) == 0, "IOAS_MAP");
	hwpt.dev_id = devs[0].dev_id;
	hwpt.pt_id = ioas.out_ioas_id;
	EXPECT(aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &hwpt) == 0, "HWPT_ALLOC");
	at.dev_id = devs[0].dev_id;
	at.pt_id = hwpt.out_hwpt_id;
	EXPECT(aerie_iommu(AERIE_CMD_DEVICE_ATTACH, &at) == 0, "attach");
	uint64_t end = counter() + SECONDS * frequency();
	int r;

	g_puts("DMA rounds start\n");
	for (r = 0; r < MIN_ROUNDS || counter() < end; r++) {
		for (int i = 0; i < 4096; i++)
			src[i] = (uint8_t)(i * 7 + r * 13 + 1);
		memset(dst, 0, sizeof(dst));
		g_edu_dma(bar, IOVA_SRC + 512, EDU_BUF_OFFSET, 1024, 0);
		g_edu_dma(bar, EDU_BUF_OFFSET, IOVA_DST + 1024, 1024, 1);
		EXPECT(memcmp(dst + 1024, src + 512, 1024) == 0, "a DMA round's bytes");
		EXPECT(dst[1023] == 0 && dst[2048] == 0, "nothing around them");
		for (int i = 0; i < 4096; i++)
			EXPECT(canary[i] == 0x5a, "the canary page");
	}
	g_putd(r);
	g_puts(" rounds of DMA in ");
	g_putd(SECONDS);
	g_puts(" s next to the hostile guest: every byte right, canary intact\n");
	return 0;
}
