/* SPDX-License-Identifier: MIT */
/*
 * Guest-observed costs of the virtual SMMUv3 (iommu = "vsmmu",
 * tests/bench/vsmmu.dts), for `make bench` next to the hypercall path's
 * figures (guest/tests/bench.c: same clock, same method). The guest drives
 * the vSMMU's registers as Linux's arm-smmu-v3 driver does (linear stream
 * table, command and event queues in its RAM, CR0_SMMUEN), gives the edu a
 * stage-1 STE, then times:
 *  - vsmmu_tlbi_1: one SMMU_CMDQ_PROD write carrying TLBI_NH_VA + CMD_SYNC (the
 *    commands are complete when the trapped write returns);
 *  - vsmmu_cons_read: the SMMU_CMDQ_CONS read a driver polls with after it;
 *  - vsmmu_cfgi_ste_nested: one PROD write carrying CFGI_STE + CMD_SYNC
 *    for an STE that changed (two CDs in turn): a nested HWPT made from
 *    it, installed, the previous one destroyed.
 * Prints "bench: NAME VALUE" lines; "bench: FAILED ..." on an error.
 */
#include "../lib/aerie_guest.h"
#include "../lib/bench_report.h"
#include "../lib/guest_mmio.h"
#include "../lib/smmu_s1.h"
#include <aerie/smmuv3_regs.h>	/* the architecture's register and command fields */

#define N 2000
#define VSMMU 0x09050000ULL
#define EDU_SID 0x08			/* its virtual BDF 00:01.0 */
#define CMDQ_LOG2 8
#define CMDQ_MASK ((2u << CMDQ_LOG2) - 1)

static uint64_t strtab[256][8] __attribute__((aligned(16384)));
static uint64_t cmdq[1u << CMDQ_LOG2][2] __attribute__((aligned(4096)));
static struct s1_ctx s1[2];
static uint32_t prod;

static inline uint64_t ticks(void)
{
	uint64_t v;

	__asm__ volatile("isb\n mrs %0, cntvct_el0\n isb" : "=r"(v) : : "memory");
	return v;
}

static int fail(const char *what, uint64_t v)
{
	g_puts("bench: FAILED ");
	g_puts(what);
	g_puts(" ");
	g_putx(v);
	g_puts("\n");
	return 1;
}

static void queue(uint64_t c0, uint64_t c1)
{
	cmdq[prod & (CMDQ_MASK >> 1)][0] = c0;
	cmdq[prod & (CMDQ_MASK >> 1)][1] = c1;
	prod = (prod + 1) & CMDQ_MASK;
}

static int settled(void)
{
	return mmio_rd32(VSMMU + SMMU_CMDQ_CONS) == prod &&
	       mmio_rd32(VSMMU + SMMU_GERROR) == mmio_rd32(VSMMU + SMMU_GERRORN);
}

static void set_ste(int which)
{
	uint64_t vste[2];

	s1_vste(&s1[which], vste);
	strtab[EDU_SID][1] = vste[1];
	strtab[EDU_SID][0] = vste[0];
}

int guest_main(uint64_t bar)
{
	uint64_t a, b, t = 0, tc = 0, empty = 0, tlbi[2];
	int i, pass;

	(void)bar;
	s1_init(&s1[0], 5);
	s1_init(&s1[1], 6);
	if (s1_map(&s1[0], 0x100000, 0x100000 + 0x40000000ULL, 1) ||
	    s1_map(&s1[1], 0x100000, 0x100000 + 0x40000000ULL, 1))
		return fail("s1_map", 0);
	s1_tlbi_va(&s1[0], 0x100000, tlbi);
	/* Linux's order: tables and queues, CR0_CMDQEN, then CR0_SMMUEN */
	mmio_wr32(VSMMU + SMMU_CR0, 0);
	mmio_wr64(VSMMU + SMMU_STRTAB_BASE, (uint64_t)(uintptr_t)strtab);
	mmio_wr32(VSMMU + SMMU_STRTAB_BASE_CFG, 8);
	mmio_wr64(VSMMU + SMMU_CMDQ_BASE, (uint64_t)(uintptr_t)cmdq | CMDQ_LOG2);
	mmio_wr32(VSMMU + SMMU_CMDQ_PROD, 0);
	mmio_wr32(VSMMU + SMMU_CMDQ_CONS, 0);
	mmio_wr32(VSMMU + SMMU_CR0, 8 | 1);
	if (mmio_rd32(VSMMU + SMMU_CR0ACK) != 9)
		return fail("CR0ACK", mmio_rd32(VSMMU + SMMU_CR0ACK));
	set_ste(0);
	queue(CMD_CFGI_STE | (uint64_t)EDU_SID << 32, 1);
	queue(CMD_SYNC, 0);
	mmio_wr32(VSMMU + SMMU_CMDQ_PROD, prod);
	if (!settled())
		return fail("attach", mmio_rd32(VSMMU + SMMU_CMDQ_CONS));

	/* TLBI_NH_VA + CMD_SYNC, one PROD write; then the CONS poll */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < N; i++) {
			queue(tlbi[0], tlbi[1]);
			queue(CMD_SYNC, 0);
			if (!pass) {
				a = ticks();
				b = ticks();
				empty += b - a;
				prod = (prod - 2) & CMDQ_MASK;
				continue;
			}
			a = ticks();
			mmio_wr32(VSMMU + SMMU_CMDQ_PROD, prod);
			b = ticks();
			t += b - a;
			a = ticks();
			(void)mmio_rd32(VSMMU + SMMU_CMDQ_CONS);
			b = ticks();
			tc += b - a;
		}
	}
	if (!settled())
		return fail("tlbi", mmio_rd32(VSMMU + SMMU_CMDQ_CONS));
	bench_report("vsmmu_tlbi_1", t, empty, N);
	bench_report("vsmmu_cons_read", tc, empty, N);

	/* CFGI_STE + CMD_SYNC for an STE that changed: a nested HWPT each time */
	t = 0;
	for (i = 0; i < N; i++) {
		set_ste((i + 1) & 1);
		queue(CMD_CFGI_STE | (uint64_t)EDU_SID << 32, 1);
		queue(CMD_SYNC, 0);
		a = ticks();
		mmio_wr32(VSMMU + SMMU_CMDQ_PROD, prod);
		b = ticks();
		t += b - a;
	}
	if (!settled())
		return fail("cfgi_ste", mmio_rd32(VSMMU + SMMU_CMDQ_CONS));
	bench_report("vsmmu_cfgi_ste_nested", t, empty, N);
	return 0;
}
