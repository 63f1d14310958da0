/* SPDX-License-Identifier: MIT */
/*
 * Guest-observed costs, for `make bench` (QEMU TCG with -icount shift=0:
 * one instruction = 1 ns of virtual time, so counter ticks convert to
 * instructions with CNTFRQ). Each figure is the mean over N iterations with
 * the same loop's empty version subtracted. Prints "bench: NAME VALUE" lines
 * that tests/bench/run.sh collects.
 */
#include "../lib/aerie_guest.h"

#define N 10000
#define N_MAP 2000

static uint8_t buf[2u << 20] __attribute__((aligned(2u << 20)));

static inline uint64_t ticks(void)
{
	uint64_t v;

	__asm__ volatile("isb\n mrs %0, cntvct_el0\n isb" : "=r"(v) : : "memory");
	return v;
}

static uint64_t freq(void)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}

static void report(const char *name, uint64_t t, uint64_t empty, uint64_t n)
{
	/* instructions = ticks * 1e9 / CNTFRQ (x100 for two decimals) */
	uint64_t f = freq(), x100 = ((t > empty ? t - empty : 0) * 100000000000ULL / f) / n;

	g_puts("bench: ");
	g_puts(name);
	g_puts(" ");
	g_putd((int64_t)(x100 / 100));
	g_puts(".");
	g_putd((int64_t)(x100 % 100 / 10));
	g_putd((int64_t)(x100 % 10));
	g_puts("\n");
}

int guest_main(uint64_t bar)
{
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	struct iommu_ioas_map map = { .size = sizeof(map) };
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap) };
	struct aerie_iommu_device_info dev;
	struct aerie_iommu_list_devices list = { sizeof(list), 1, (uint64_t)(uintptr_t)&dev };
	struct iommu_hwpt_alloc hwpt = { .size = sizeof(hwpt) };
	struct aerie_iommu_device_attach at = { .size = sizeof(at) };
	uint64_t t0, empty, t;
	volatile uint64_t sink = 0;

	(void)bar;
	g_puts("bench: cntfrq ");
	g_putd((int64_t)freq());
	g_puts("\n");
	/* null hypercall: the loop with and without the HVC */
	t0 = ticks();
	for (int i = 0; i < N; i++)
		sink = sink + 1;
	empty = ticks() - t0;
	t0 = ticks();
	for (int i = 0; i < N; i++)
		sink = sink + (uint64_t)aerie_hvc(AERIE_HC_NOP, 0);
	t = ticks() - t0;
	report("null_hypercall", t, empty, N);

	if (aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &ioas))
		return 1;
	/* a stage-2 HWPT with the device attached: maps reach real tables */
	if (aerie_iommu(AERIE_CMD_LIST_DEVICES, &list) || list.num_devices != 1)
		return 1;
	hwpt.dev_id = dev.dev_id;
	hwpt.pt_id = ioas.out_ioas_id;
	if (aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &hwpt))
		return 1;
	at.dev_id = dev.dev_id;
	at.pt_id = hwpt.out_hwpt_id;
	if (aerie_iommu(AERIE_CMD_DEVICE_ATTACH, &at))
		return 1;
	map.ioas_id = ioas.out_ioas_id;
	map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
	map.user_va = (uint64_t)(uintptr_t)buf;
	map.iova = 0x200000;
	unmap.ioas_id = ioas.out_ioas_id;
	unmap.iova = 0x200000;
	for (int sz = 0; sz < 2; sz++) {
		uint64_t len = sz ? (2u << 20) : 4096;

		map.length = len;
		t0 = ticks();
		for (int i = 0; i < N_MAP; i++) {
			map.size = sizeof(map);
			unmap.size = sizeof(unmap);
			unmap.length = len;
			if (aerie_iommu(IOMMU_CMD_IOAS_MAP, &map) ||
			    aerie_iommu(IOMMU_CMD_IOAS_UNMAP, &unmap))
				return 1;
		}
		t = ticks() - t0;
		report(sz ? "ioas_map_unmap_2m" : "ioas_map_unmap_4k", t, 0, N_MAP);
	}
	return 0;
}
