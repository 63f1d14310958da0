/* SPDX-License-Identifier: MIT */
/* Bring-up self-tests (run in QEMU by tests/qemu/run.sh). */
#include <aerie/arch.h>
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/page_alloc.h>
#include <aerie/pa.h>
#include <aerie/percpu.h>
#include <aerie/selftest.h>
#include <aerie/string.h>
#include <aerie/sysreg.h>

#define CHECK(c) SELFTEST_CHECK(c)

/* Booted at EL2 with the MMU and caches on, the board as QEMU built it. */
SELFTEST(boot)
{
	const struct board *b = selftest_board();
	u64 sctlr = read_sysreg(sctlr_el2);

	CHECK((read_sysreg(CurrentEL) >> 2) == 2);
	CHECK(sctlr & 1);		/* M */
	CHECK(sctlr & (1 << 2));	/* C */
	CHECK(sctlr & (1 << 12));	/* I */
	CHECK(b->mem_count >= 1 && b->mem[0].size >= (256ULL << 20));
	CHECK(b->uart.present && b->gic.present && b->smmu.present && b->pcie.present);
	CHECK(b->psci == PSCI_SMC);
	return 0;
}

static volatile u32 ran_on[MAX_CPUS];

static void mark(void *arg)
{
	ran_on[this_cpu()->cpu_id] = (u32)(uintptr_t)arg;
}

/* Every CPU of the DTB is online and runs work handed to it. */
SELFTEST(smp)
{
	const struct board *b = selftest_board();

	CHECK(b->cpu_count >= 2);
	CHECK(cpus_online() == b->cpu_count);
	for (unsigned int c = 1; c < b->cpu_count; c++)
		CHECK(cpu_run_on(c, mark, (void *)(uintptr_t)(0x100 + c)) == 0);
	for (unsigned int c = 1; c < b->cpu_count; c++) {
		for (u64 spin = 0; ran_on[c] != 0x100 + c; spin++)
			CHECK(spin < 100000000ULL);
	}
	CHECK(cpu_run_on(0, mark, NULL) == -EINVAL);
	return 0;
}

/* The allocator hands out zeroed, aligned pages and counts them back. */
SELFTEST(alloc)
{
	struct page_stats before, after;
	void *pages[64];
	void *big;
	void *objs[300];

	page_stats(&before);
	for (int i = 0; i < 64; i++) {
		u64 *p = pages[i] = page_alloc();
		CHECK(p && IS_ALIGNED(virt_to_phys(p), PAGE_SIZE));
		for (int k = 0; k < 512; k++)
			CHECK(p[k] == 0);
		p[0] = 0xdead;
	}
	big = pages_alloc(9);	/* 2 MiB, naturally aligned */
	CHECK(big && IS_ALIGNED(virt_to_phys(big), 1 << 21));
	for (int i = 0; i < 300; i++) {
		objs[i] = obj_alloc(24 + (i % 5) * 100);
		CHECK(objs[i]);
	}
	for (int i = 0; i < 300; i++)
		obj_free(objs[i], 24 + (i % 5) * 100);
	for (int i = 0; i < 64; i++)
		page_free(pages[i]);
	pages_free(big, 9);
	page_stats(&after);
	CHECK(after.in_use == before.in_use);
	CHECK(after.total == before.total);
	return 0;
}

/*
 * Pages given back zeroed (page_free_zeroed: freed page tables) come out
 * of this CPU's cache again first, still all zero (the word that chained
 * them cleared), counted free while cached; a full cache sends the rest to
 * the bitmap, and a large allocation can still have them.
 */
SELFTEST(alloc_zeroed)
{
	struct page_stats before, mid, after;
	void *pages[40], *again[40];

	page_stats(&before);
	for (int i = 0; i < 40; i++) {
		pages[i] = page_alloc();
		CHECK(pages[i]);
	}
	for (int i = 0; i < 40; i++)
		page_free_zeroed(pages[i]);
	page_stats(&mid);
	CHECK(mid.in_use == before.in_use);
	for (int i = 0; i < 40; i++) {
		u64 *p = again[i] = page_alloc();
		CHECK(p && IS_ALIGNED(virt_to_phys(p), PAGE_SIZE));
		for (int k = 0; k < 512; k++)
			CHECK(p[k] == 0);
	}
	/* the cached ones first, newest first: the cache took the first 16 */
	CHECK(again[0] == pages[15] && again[15] == pages[0]);
	for (int i = 0; i < 40; i++)
		page_free(again[i]);
	page_stats(&after);
	CHECK(after.in_use == before.in_use);
	CHECK(after.allocs - before.allocs == after.frees - before.frees);
	return 0;
}

/* An unexpected exception at EL2: the decoded dump ends QEMU with status 2,
 * which tests/qemu/el2_fault.conf expects. Returning is a failure. */
SELFTEST(el2_fault)
{
	volatile u64 *bad = (volatile u64 *)0x1000; /* below RAM: unmapped */

	pr_info("el2_fault: reading 0x1000, which Aerie does not map\n");
	(void)*bad;
	return -EINVAL;
}

/* memset (vmm/lib/string.c) to zero, where it uses DC ZVA (16 blocks a
 * turn, then one at a time, then stores): every start within a block and
 * lengths around 1 and 16 blocks and past them; the bytes zeroed, none
 * around them touched */
SELFTEST(memset_zero_blocks)
{
	static u8 buf[8192] __aligned(256);
	u64 dczid;
	unsigned int bs;
	const unsigned int lens[] = { 0, 1, 255, 256, 257, 1024, 1088, 1151 };

	__asm__("mrs %0, dczid_el0" : "=r"(dczid));
	bs = 4U << (dczid & 0xf);
	pr_info("memset_zero_blocks: DC ZVA block %u bytes\n", bs);
	CHECK(bs <= 256);	/* room for 26 blocks and two of offset */
	for (unsigned int off = 0; off < 2 * bs; off += off < 8 ? 1 : 8)
		for (unsigned int l = 0; l < ARRAY_SIZE(lens) + 3; l++) {
			unsigned int n = l < ARRAY_SIZE(lens) ? lens[l] : (16 + 4 * (l - 8)) * bs +
						      (l - 8) * 24;

			memset(buf, 0xee, sizeof(buf));
			CHECK(memset(buf + off, 0, n) == buf + off);
			for (unsigned int i = 0; i < sizeof(buf); i++)
				CHECK(buf[i] == (i >= off && i < off + n ? 0 : 0xee));
		}
	return 0;
}

/* memcpy (vmm/lib/string.c) with every source and destination alignment and
 * the lengths around its 16-, 8- and 4-byte steps: the bytes copied, none
 * around them touched */
SELFTEST(memcpy_alignments)
{
	static u8 src[128], dst[128];

	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (u8)(i * 7 + 3);
	for (unsigned int so = 0; so < 16; so++)
		for (unsigned int dof = 0; dof < 16; dof++)
			for (unsigned int n = 0; n <= 80; n++) {
				memset(dst, 0xee, sizeof(dst));
				CHECK(memcpy(dst + dof, src + so, n) == dst + dof);
				for (unsigned int i = 0; i < sizeof(dst); i++)
					CHECK(dst[i] == (i >= dof && i < dof + n ? src[so + i - dof] : 0xee));
			}
	return 0;
}
