/* SPDX-License-Identifier: MIT */
/*
 * Guest-observed costs, for `make bench` (QEMU TCG with -icount shift=0:
 * one instruction = 1 ns of virtual time, so counter ticks convert to
 * instructions with CNTFRQ; the "calib" line checks it). Each figure is the
 * mean over N iterations with the same loop's empty version subtracted.
 * Prints "bench: NAME VALUE" lines that tests/bench/run.sh collects.
 *
 * Linked after tests/bench/guest_entry.S, whose first instruction stores
 * CNTVCT_EL0 in bench_boot_ticks (reset to first guest instruction).
 *
 * Needs 1 GiB of guest RAM (guest/bench.dts): the 1 GiB IOAS_MAP takes the
 * whole RAM as its source, and so does the nest parent's IOAS (IOVA = IPA).
 */
#include "../lib/aerie_guest.h"
#include "../lib/bench_report.h"

#define N 10000			/* iterations of every loop */
#define RAM_IPA 0x40000000ULL
#define RAM_SIZE (1ULL << 30)
#define ASID 5

uint64_t bench_boot_ticks = 1;	/* written by guest_entry.S (in .data, not BSS) */

static uint8_t buf[2u << 20] __attribute__((aligned(2u << 20)));
static uint64_t cd[8] __attribute__((aligned(64)));	/* a stage-1 CD, never walked */
static struct iommu_hwpt_arm_smmuv3 vste __attribute__((aligned(16)));
static uint64_t tlbi[64][2] __attribute__((aligned(16)));

static inline uint64_t ticks(void)
{
	uint64_t v;

	__asm__ volatile("isb\n mrs %0, cntvct_el0\n isb" : "=r"(v) : : "memory");
	return v;
}

/* "bench: NAME x.yy": (t - empty) ticks over n iterations, in instructions */
#define PSCI_VERSION_FN 0x84000000u

/* one SMCCC call through SMC #0 (trapped by Aerie: HCR_EL2.TSC) */
static inline int64_t smc_call(uint64_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	__asm__ volatile("smc #0" : "+r"(x0) : : "memory", "x1", "x2", "x3");
	return (int64_t)x0;
}

static int fail(const char *what, int err)
{
	g_puts("bench: FAILED ");
	g_puts(what);
	g_puts(" ");
	g_putd(err);
	g_puts("\n");
	return 1;
}

/* ticks for a loop of exactly 2 * n + 1 instructions (mov, then subs/b.ne) */
static uint64_t calib(uint64_t n)
{
	uint64_t t0 = ticks();

	__asm__ volatile("mov x9, %0\n1: subs x9, x9, #1\n b.ne 1b" : : "r"(n) : "x9", "cc");
	return ticks() - t0;
}

/*
 * IOAS_MAP then IOAS_UNMAP of `len` bytes at `iova`, N times; MAP and UNMAP
 * are timed separately (a counter read around each), and the same loop
 * without the hypercalls is subtracted.
 */
static int map_unmap(const char *name, uint32_t ioas, uint64_t va, uint64_t iova, uint64_t len)
{
	struct iommu_ioas_map map = { .size = sizeof(map) };
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap) };
	uint64_t tm = 0, tu = 0, em = 0, eu = 0, a, b, c;
	char nm[40];
	int r1, r2;
	unsigned int k = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < N; i++) {
			map = (struct iommu_ioas_map){
				.size = sizeof(map), .ioas_id = ioas, .user_va = va, .length = len,
				.iova = iova,
				.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
					 IOMMU_IOAS_MAP_WRITEABLE };
			unmap = (struct iommu_ioas_unmap){ .size = sizeof(unmap), .ioas_id = ioas,
							   .iova = iova, .length = len };
			if (pass) {
				a = ticks();
				r1 = aerie_iommu(IOMMU_CMD_IOAS_MAP, &map);
				b = ticks();
				r2 = aerie_iommu(IOMMU_CMD_IOAS_UNMAP, &unmap);
				c = ticks();
				tm += b - a;
				tu += c - b;
				if (r1 || r2)
					return fail(name, r1 ? r1 : r2);
			} else {
				a = ticks();
				r1 = 0;
				b = ticks();
				r2 = 0;
				c = ticks();
				em += b - a;
				eu += c - b;
				if (r1 || r2)
					return 1;
			}
		}
	}
	while (name[k] && k < sizeof(nm) - 8) {
		nm[k] = name[k];
		k++;
	}
	memcpy(nm + k, "_map", 5);
	bench_report(nm, tm, em, N);
	memcpy(nm + k, "_unmap", 7);
	bench_report(nm, tu, eu, N);
	return 0;
}

int guest_main(uint64_t bar)
{
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	struct iommu_ioas_alloc ioas2 = { .size = sizeof(ioas2) };
	struct iommu_ioas_map map;
	struct aerie_iommu_device_info dev;
	struct aerie_iommu_list_devices list = { sizeof(list), 1, (uint64_t)(uintptr_t)&dev };
	struct iommu_hwpt_alloc hwpt = { .size = sizeof(hwpt) };
	struct iommu_hwpt_alloc parent = { .size = sizeof(parent) };
	struct iommu_hwpt_alloc nested;
	struct iommu_viommu_alloc viommu = { .size = sizeof(viommu),
					     .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3 };
	struct iommu_vdevice_alloc vdev = { .size = sizeof(vdev) };
	struct aerie_iommu_device_attach at = { .size = sizeof(at) };
	struct iommu_destroy d;
	struct iommu_hwpt_invalidate inv;
	uint64_t boot = bench_boot_ticks, t0, empty, t, ta, tr, td, ea, er, ed, a, b, c, e;
	uint32_t cur;
	volatile uint64_t sink = 0;
	int r1, r2, r3;

	(void)bar;
	g_puts("bench: cntfrq ");
	g_putd((int64_t)bench_freq());
	g_puts("\n");
	/* boot: the counter at the first guest instruction (reset = 0) */
	bench_report("boot_to_first_guest_insn", boot, 0, 1);
	/* the counter counts instructions: 2 * 100000 + 1 against 2 * 1 + 1 */
	t = calib(100000);
	empty = calib(1);
	g_puts("bench: calib_ticks_per_insn_x1000 ");
	g_putd((int64_t)((t - empty) * 1000 / (2 * 100000 - 2)));
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
	bench_report("null_hypercall", t, empty, N);
	/* AERIE_HC_VERSION: answered by the vector's C fast path (hvc_fast,
	 * the caller-saved registers only), the peer of Xen's xen_version */
	t0 = ticks();
	for (int i = 0; i < N; i++)
		sink = sink + (uint64_t)aerie_hvc(AERIE_HC_VERSION, 0);
	t = ticks() - t0;
	bench_report("version_hypercall", t, empty, N);
	/* PSCI_VERSION over HVC: the same fast path */
	t0 = ticks();
	for (int i = 0; i < N; i++)
		sink = sink + (uint64_t)aerie_hvc(PSCI_VERSION_FN, 0);
	t = ticks() - t0;
	bench_report("psci_version_hypercall", t, empty, N);
	/* PSCI_VERSION over SMC: the full exit path (every register into the
	 * vCPU, out of vcpu_run(), the exit loop's dispatcher, the SMMU poll) */
	t0 = ticks();
	for (int i = 0; i < N; i++)
		sink = sink + (uint64_t)smc_call(PSCI_VERSION_FN);
	t = ticks() - t0;
	bench_report("full_exit_hypercall", t, empty, N);

	if (aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &ioas))
		return fail("IOAS_ALLOC", -1);
	/* the boot package (tests/bench/boot.dts) gives 16 MiB: stop here */
	map = (struct iommu_ioas_map){ .size = sizeof(map), .ioas_id = ioas.out_ioas_id,
				       .user_va = RAM_IPA + RAM_SIZE - 4096, .length = 4096,
				       .iova = 0x200000,
				       .flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE };
	if (aerie_iommu(IOMMU_CMD_IOAS_MAP, &map)) {
		g_puts("bench: small_ram 1\n");
		return 0;
	}
	{
		struct iommu_ioas_unmap u = { .size = sizeof(u), .ioas_id = ioas.out_ioas_id,
					      .iova = 0x200000, .length = 4096 };
		if (aerie_iommu(IOMMU_CMD_IOAS_UNMAP, &u))
			return fail("IOAS_UNMAP probe", -1);
	}
	/* a stage-2 HWPT with the device attached: maps reach real tables */
	if (aerie_iommu(AERIE_CMD_LIST_DEVICES, &list) || list.num_devices != 1)
		return fail("LIST_DEVICES", -1);
	hwpt.dev_id = dev.dev_id;
	hwpt.pt_id = ioas.out_ioas_id;
	if (aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &hwpt))
		return fail("HWPT_ALLOC", -1);
	at.dev_id = dev.dev_id;
	at.pt_id = hwpt.out_hwpt_id;
	if (aerie_iommu(AERIE_CMD_DEVICE_ATTACH, &at))
		return fail("DEVICE_ATTACH", -1);
	if (map_unmap("ioas_4k", ioas.out_ioas_id, (uint64_t)(uintptr_t)buf, 0x200000, 4096) ||
	    map_unmap("ioas_2m", ioas.out_ioas_id, (uint64_t)(uintptr_t)buf, 0x200000, 2u << 20) ||
	    map_unmap("ioas_1g", ioas.out_ioas_id, RAM_IPA, RAM_IPA, RAM_SIZE))
		return 1;

	/* nesting: guest RAM at IOVA = IPA, a nest parent, a vIOMMU, a vDEVICE */
	if (aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &ioas2))
		return fail("IOAS_ALLOC 2", -1);
	map = (struct iommu_ioas_map){ .size = sizeof(map), .ioas_id = ioas2.out_ioas_id,
				       .user_va = RAM_IPA, .length = RAM_SIZE, .iova = RAM_IPA,
				       .flags = IOMMU_IOAS_MAP_FIXED_IOVA |
						IOMMU_IOAS_MAP_READABLE |
						IOMMU_IOAS_MAP_WRITEABLE };
	if ((r1 = aerie_iommu(IOMMU_CMD_IOAS_MAP, &map)))
		return fail("IOAS_MAP RAM", r1);
	parent.dev_id = dev.dev_id;
	parent.pt_id = ioas2.out_ioas_id;
	parent.flags = IOMMU_HWPT_ALLOC_NEST_PARENT;
	if ((r1 = aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &parent)))
		return fail("HWPT_ALLOC NEST_PARENT", r1);
	viommu.dev_id = dev.dev_id;
	viommu.hwpt_id = parent.out_hwpt_id;
	if ((r1 = aerie_iommu(IOMMU_CMD_VIOMMU_ALLOC, &viommu)))
		return fail("VIOMMU_ALLOC", r1);
	vdev.viommu_id = viommu.out_viommu_id;
	vdev.dev_id = dev.dev_id;
	vdev.virt_id = dev.vsid;
	if ((r1 = aerie_iommu(IOMMU_CMD_VDEVICE_ALLOC, &vdev)))
		return fail("VDEVICE_ALLOC", r1);
	/* the vSTE: V, Config = S1 translate, the CD's IPA (not read at alloc) */
	vste.ste[0] = 1 | (5u << 1) | (uint64_t)(uintptr_t)cd;
	vste.ste[1] = 0;
	/*
	 * Steady state: the device is on nested HWPT `cur`; each iteration
	 * allocates a new one, moves the device to it (DEVICE_REPLACE, a live
	 * STE update) and destroys the old one. The first iteration starts from
	 * the stage-2 HWPT, which is kept (the IOAS benches used it).
	 */
	cur = 0;
	ta = tr = td = ea = er = ed = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i <= N; i++) {
			nested = (struct iommu_hwpt_alloc){
				.size = sizeof(nested), .dev_id = dev.dev_id,
				.pt_id = viommu.out_viommu_id,
				.data_type = IOMMU_HWPT_DATA_ARM_SMMUV3, .data_len = sizeof(vste),
				.data_uptr = (uint64_t)(uintptr_t)&vste };
			at = (struct aerie_iommu_device_attach){ .size = sizeof(at),
								 .dev_id = dev.dev_id };
			d = (struct iommu_destroy){ .size = sizeof(d), .id = cur };
			if (!pass) {
				a = ticks();
				r1 = 0;
				b = ticks();
				r2 = 0;
				c = ticks();
				r3 = 0;
				e = ticks();
				if (i) {
					ea += b - a;
					er += c - b;
					ed += e - c;
				}
				if (r1 || r2 || r3)
					return 1;
				continue;
			}
			a = ticks();
			r1 = aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &nested);
			at.pt_id = nested.out_hwpt_id;
			b = ticks();
			r2 = aerie_iommu(AERIE_CMD_DEVICE_REPLACE, &at);
			c = ticks();
			r3 = cur ? aerie_iommu(IOMMU_CMD_DESTROY, &d) : 0;
			e = ticks();
			if (r1 || r2 || r3)
				return fail("nested HWPT_ALLOC/REPLACE/DESTROY", r1 ? r1 : r2 ? r2 : r3);
			if (i) {	/* iteration 0 primes: from the stage-2 HWPT */
				ta += b - a;
				tr += c - b;
				td += e - c;
			}
			cur = nested.out_hwpt_id;
		}
	}
	bench_report("nested_hwpt_alloc", ta, ea, N);
	bench_report("nested_replace", tr, er, N);
	bench_report("nested_destroy", td, ed, N);
	bench_report("nested_alloc_replace_destroy", ta + tr + td, ea + er + ed, N);

	/* HWPT_INVALIDATE on the vIOMMU: k TLBI_NH_VA (opcode 0x12, ASID 63:48) */
	for (int i = 0; i < 64; i++) {
		tlbi[i][0] = 0x12 | ((uint64_t)ASID << 48);
		tlbi[i][1] = 0x10000000ULL + ((uint64_t)i << 12);
	}
	for (uint32_t k = 1; k <= 64; k += 63) {
		empty = t = 0;
		for (int pass = 0; pass < 2; pass++) {
			for (int i = 0; i < N; i++) {
				inv = (struct iommu_hwpt_invalidate){
					.size = sizeof(inv), .hwpt_id = viommu.out_viommu_id,
					.data_uptr = (uint64_t)(uintptr_t)tlbi,
					.data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
					.entry_len = 16, .entry_num = k };
				if (!pass) {
					a = ticks();
					r1 = 0;
					b = ticks();
					empty += b - a;
					if (r1)
						return 1;
					continue;
				}
				a = ticks();
				r1 = aerie_iommu(IOMMU_CMD_HWPT_INVALIDATE, &inv);
				b = ticks();
				t += b - a;
				if (r1 || inv.entry_num != k)
					return fail("HWPT_INVALIDATE", r1);
			}
		}
		bench_report(k == 1 ? "hwpt_invalidate_1" : "hwpt_invalidate_64", t, empty, N);
	}
	(void)sink;
	return 0;
}
