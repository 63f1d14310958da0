/* SPDX-License-Identifier: MIT */
/* Small helpers the test guests share: edu DMA, IOAS_MAP, checks. */
#ifndef AERIE_GUEST_DMA_H
#define AERIE_GUEST_DMA_H

#include <aerie/edu.h>
#include "aerie_guest.h"
#include "gic.h"

#define G_EDU_DMA_TIMEOUT_MS 5000	/* edu takes ~100 ms of QEMU's clock */

#define EXPECT(cond, what)                                                   \
	do {                                                                 \
		if (!(cond)) {                                               \
			g_puts("FAILED: " what "\n");                        \
			return 1;                                            \
		}                                                            \
	} while (0)

static inline void g_wr64(uint64_t bar, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)(bar + off) = v;
}

static inline uint64_t g_rd64(uint64_t bar, uint32_t off)
{
	return *(volatile uint64_t *)(uintptr_t)(bar + off);
}

/* one edu DMA between `from` and `to` (one of them the edu's buffer);
 * 0, or -1 (and a FAILED line) if it did not finish in time: a device that
 * is not an edu, or that Aerie took away, must not hang the guest */
static inline int g_edu_dma(uint64_t bar, uint64_t from, uint64_t to, uint32_t len, int to_ram)
{
	uint64_t end = g_sysreg_read(cntvct_el0) +
		       G_EDU_DMA_TIMEOUT_MS * (g_sysreg_read(cntfrq_el0) / 1000);

	g_wr64(bar, EDU_REG_DMA_SRC, from);
	g_wr64(bar, EDU_REG_DMA_DST, to);
	g_wr64(bar, EDU_REG_DMA_COUNT, len);
	g_wr64(bar, EDU_REG_DMA_CMD, EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0));
	while (g_rd64(bar, EDU_REG_DMA_CMD) & EDU_DMA_RUN) {
		if (g_sysreg_read(cntvct_el0) >= end) {
			g_puts("FAILED: edu DMA did not finish within 5 s\n");
			return -1;
		}
	}
	return 0;
}

static inline int g_ioas_map(uint32_t ioas, const void *buf, uint64_t iova, uint64_t len,
			     int writable)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map), .ioas_id = ioas,
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 (writable ? IOMMU_IOAS_MAP_WRITEABLE : 0),
		.user_va = (uint64_t)(uintptr_t)buf, .length = len, .iova = iova,
	};

	return aerie_iommu(IOMMU_CMD_IOAS_MAP, &map);
}

#endif
