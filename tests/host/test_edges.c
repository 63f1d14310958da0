/* SPDX-License-Identifier: MIT */
/*
 * Boundaries at the exact edge, where an off-by-one in a check lets a guest
 * one byte or one id further than it owns:
 *  - guest memory (vmm/vm_mem.c): a range that ends exactly at the end of
 *    a RAM region works and moves the right bytes, one byte more is -EFAULT
 *    and moves none, as is a range that wraps 2^64, one that spans two
 *    adjacent regions, and a region past the table's count;
 *  - object ids through the hypercall path (iommu/core.c): id
 *    IOMMU_MAX_OBJS exists and is found, IOMMU_MAX_OBJS + 1 (and 0, and
 *    2^31, and ~0) is -ENOENT for DESTROY and HWPT_ALLOC's dev_id
 *    (-EINVAL for its pt_id, as iommufd);
 *  - the command struct: at an address 4 (or 1..7) mod 8 -EFAULT; of
 *    exactly the largest size Aerie accepts (4096) with a zero tail it works,
 *    4097 is -E2BIG without reading a byte, a nonzero byte at the very last
 *    position is -E2BIG; a struct that ends exactly at the end of RAM works,
 *    one that does not fit is -EFAULT;
 *  - PSCI CPU_ON's entry point (vm_mem_entry_valid, what vmm/guest_run.c's
 *    CPU_ON asks): 2 bytes into RAM is INVALID_ADDRESS, the last 4-byte
 *    aligned address of RAM is accepted, the first one past RAM is not.
 */
#include "../../iommu/iommu_internal.h"	/* IOMMU_MAX_OBJS */
#include "iommufd_env.h"

#define MIB		(1ULL << 20)
#define KIB		(1ULL << 10)
/* the largest command struct Aerie reads (docs/hypercall-abi.md: "sizes
 * over 4096 are -E2BIG without looking") */
#define MAX_STRUCT	4096U

/* ---- guest memory ------------------------------------------------------------------------ */

/* region 0: 16 MiB at 0x40000000; region 1: 64 KiB right after it, backed
 * elsewhere; region 2: 64 KiB alone at 0x80000000; region 3: the last
 * 64 KiB below 2^64; a stale entry past the count */
#define R0_IPA	0x40000000ULL
#define R0_SIZE	(16 * MIB)
#define R1_IPA	(R0_IPA + R0_SIZE)
#define R2_IPA	0x80000000ULL
#define RX_SIZE	(64 * KIB)
#define R3_IPA	(0ULL - RX_SIZE)

static struct vm_mem mem;

static void mem_setup(void)
{
	memset(&mem, 0, sizeof(mem));
	mem.region[0].ipa = R0_IPA;
	mem.region[0].size = R0_SIZE;
	mem.region[0].pa = hostenv_ram_alloc(R0_SIZE, 2 * MIB);
	mem.region[1].ipa = R1_IPA;
	mem.region[1].size = RX_SIZE;
	mem.region[1].pa = hostenv_ram_alloc(2 * RX_SIZE, 0) + RX_SIZE; /* not contiguous */
	mem.region[2].ipa = R2_IPA;
	mem.region[2].size = RX_SIZE;
	mem.region[2].pa = hostenv_ram_alloc(RX_SIZE, 0);
	mem.region[3].ipa = R3_IPA;
	mem.region[3].size = RX_SIZE;
	mem.region[3].pa = hostenv_ram_alloc(RX_SIZE, 0);
	mem.count = 4;
	/* a region that was there once: count says it is not */
	mem.region[4].ipa = 0x90000000ULL;
	mem.region[4].size = RX_SIZE;
	mem.region[4].pa = hostenv_ram_alloc(RX_SIZE, 0);
}

static u8 *host(unsigned int r, u64 off)
{
	return (u8 *)phys_to_virt(mem.region[r].pa) + off;
}

/* translate, copy_from, copy_to and zero all agree on [ipa, ipa + len): 0 and
 * the bytes moved, or -EFAULT and nothing moved anywhere. Lengths too big
 * for a buffer are only translated and zeroed (a wrong yes would fault). */
static void check_range(u64 ipa, u64 len, int want)
{
	u64 n = len <= 32 * MIB ? len : 0;
	u8 *buf = calloc(1, n + 1), *pattern = calloc(1, n + 1);
	paddr_t pa;
	int err = vm_mem_translate(&mem, ipa, len, &pa);

	CHECK_EQ(err, want);
	if (n) {
		memset(buf, 0xee, n);
		memset(pattern, 0xc3, n);
		CHECK_EQ(vm_copy_from_guest(&mem, buf, ipa, n), want);
		for (u64 i = 0; want && i < n; i++)
			if (buf[i] != 0xee) {
				CHECK_EQ(buf[i], 0xee);
				break;
			}
		CHECK_EQ(vm_copy_to_guest(&mem, ipa, pattern, n), want);
	}
	CHECK_EQ(vm_zero_guest(&mem, ipa, len), want);
	if (err != want)
		fprintf(stderr, "  the range was 0x%llx + 0x%llx\n", (unsigned long long)ipa,
			(unsigned long long)len);
	free(buf);
	free(pattern);
}

TEST(a_range_ending_at_the_end_of_a_region_works_one_byte_more_does_not)
{
	u8 got[16];
	paddr_t pa = 0;

	mem_setup();
	/* the last 16 bytes of region 0: the right host bytes */
	for (unsigned int i = 0; i < 16; i++)
		*host(0, R0_SIZE - 16 + i) = (u8)(0x10 + i);
	CHECK_EQ(vm_copy_from_guest(&mem, got, R1_IPA - 16, 16), 0);
	for (unsigned int i = 0; i < 16; i++)
		CHECK_EQ(got[i], 0x10 + i);
	CHECK_EQ(vm_mem_translate(&mem, R1_IPA - 16, 16, &pa), 0);
	CHECK_EQ(pa, mem.region[0].pa + R0_SIZE - 16);
	CHECK_EQ(vm_mem_translate(&mem, R1_IPA - 1, 1, &pa), 0);
	CHECK_EQ(pa, mem.region[0].pa + R0_SIZE - 1);
	/* one byte more spans into region 1, backed elsewhere: refused */
	memset(host(0, R0_SIZE - 64), 0x77, 64);
	memset(host(1, 0), 0x77, 64);
	check_range(R1_IPA - 16, 17, -EFAULT);
	check_range(R1_IPA - 1, 2, -EFAULT);
	for (unsigned int i = 0; i < 64; i++) {
		CHECK_EQ(*host(0, R0_SIZE - 64 + i), 0x77);
		CHECK_EQ(*host(1, i), 0x77);
	}
	/* the same at the end of a region nothing follows */
	check_range(R2_IPA + RX_SIZE - 16, 16, 0);
	CHECK_EQ(*host(2, RX_SIZE - 1), 0);	/* zeroed by check_range */
	check_range(R2_IPA + RX_SIZE - 16, 17, -EFAULT);
	check_range(R2_IPA + RX_SIZE, 1, -EFAULT);
	check_range(R2_IPA + RX_SIZE - 1, 1, 0);
	check_range(R2_IPA, RX_SIZE, 0);
	check_range(R2_IPA, RX_SIZE + 1, -EFAULT);
	/* and at the start */
	check_range(R2_IPA - 1, 1, -EFAULT);
	check_range(R2_IPA - 1, 2, -EFAULT);
	check_range(R0_IPA, 1, 0);
	check_range(R0_IPA - 8, 16, -EFAULT);
	/* a whole region, and the whole of two adjacent ones */
	check_range(R0_IPA, R0_SIZE, 0);
	check_range(R0_IPA, R0_SIZE + RX_SIZE, -EFAULT);
	/* a region the count does not include */
	check_range(0x90000000ULL, 16, -EFAULT);
	/* an empty range names no memory */
	CHECK_EQ(vm_mem_translate(&mem, R0_IPA, 0, &pa), -EFAULT);
}

TEST(a_range_that_wraps_2_to_the_64_fails)
{
	paddr_t pa = 0;

	mem_setup();
	/* region 3 ends exactly at 2^64: its last bytes are fine */
	check_range(0ULL - 16, 16, 0);
	CHECK_EQ(vm_mem_translate(&mem, ~0ULL, 1, &pa), 0);
	CHECK_EQ(pa, mem.region[3].pa + RX_SIZE - 1);
	/* one byte more wraps to IPA 0 */
	check_range(0ULL - 16, 17, -EFAULT);
	check_range(~0ULL, 2, -EFAULT);
	/* lengths that wrap from inside a region */
	check_range(R0_IPA, ~0ULL, -EFAULT);
	check_range(R0_IPA + 16, 0ULL - 16, -EFAULT);
	check_range(R0_IPA + 16, 0ULL - R0_IPA, -EFAULT);
	check_range(R2_IPA, (0ULL - R2_IPA) + R0_IPA + 1, -EFAULT);
}

/* ---- PSCI CPU_ON's entry point ----------------------------------------------------------- */

TEST(cpu_on_entry_must_be_an_aligned_instruction_in_ram)
{
	struct vm_mem ram = { .count = 1 };

	/* a guest as guest_create makes it: one region of RAM */
	ram.region[0].ipa = R0_IPA;
	ram.region[0].size = R0_SIZE;
	ram.region[0].pa = hostenv_ram_alloc(R0_SIZE, 2 * MIB);
	CHECK(vm_mem_entry_valid(&ram, R0_IPA));
	CHECK(!vm_mem_entry_valid(&ram, R0_IPA + 2));		/* INVALID_ADDRESS */
	CHECK(!vm_mem_entry_valid(&ram, R0_IPA + 1));
	CHECK(!vm_mem_entry_valid(&ram, R0_IPA + 3));
	CHECK(vm_mem_entry_valid(&ram, R0_IPA + 4));
	CHECK(vm_mem_entry_valid(&ram, R0_IPA + R0_SIZE - 4));	/* the last one */
	CHECK(!vm_mem_entry_valid(&ram, R0_IPA + R0_SIZE - 2));
	CHECK(!vm_mem_entry_valid(&ram, R0_IPA + R0_SIZE));	/* just past RAM */
	CHECK(!vm_mem_entry_valid(&ram, R0_IPA + R0_SIZE + 4));
	CHECK(!vm_mem_entry_valid(&ram, R0_IPA - 4));		/* just below */
	CHECK(!vm_mem_entry_valid(&ram, 0));
	CHECK(!vm_mem_entry_valid(&ram, ~3ULL));
	CHECK(!vm_mem_entry_valid(&ram, 0x09000000));		/* the UART */
}

/* ---- the hypercall path: ids and structs -------------------------------------------------- */

/* the shared fixture's guest (iommufd_env.h): its RAM ends at GUEST_END */
#define GUEST_END	(GUEST_IPA + GUEST_SIZE)

static struct guest g;

/* HWPT_ALLOC of a paging HWPT for any dev_id */
static int hc_hwpt_alloc(u32 dev, u32 pt, u32 *id)
{
	struct iommu_hwpt_alloc h = { .size = sizeof(h), .dev_id = dev, .pt_id = pt };
	int err = HC(&g, IOMMU_CMD_HWPT_ALLOC, h);

	*id = h.out_hwpt_id;
	return err;
}

/* the lowest free id, found by allocating (and destroying) an IOAS */
static u32 next_id(void)
{
	u32 id = 0;

	CHECK_EQ(hc_ioas_alloc(&g, &id), 0);
	CHECK_EQ(destroy(&g, id), 0);
	return id;
}

static void check_ids_past_the_table(void)
{
	static const u32 bad[] = { 0, IOMMU_MAX_OBJS + 1, IOMMU_MAX_OBJS + 2, 1U << 31, ~0U };
	u32 out = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK_EQ(destroy(&g, bad[i]), -ENOENT);
		CHECK_EQ(hc_hwpt_alloc(bad[i], IOMMU_MAX_OBJS, &out), -ENOENT);	/* dev_id */
		CHECK_EQ(hc_hwpt_alloc((u32)g.dev_id, bad[i], &out), -EINVAL);	/* pt_id */
	}
}

TEST(id_max_objs_is_found_and_max_objs_plus_one_is_enoent)
{
	u32 id = 0, last = 0, hwpt = 0;
	unsigned int n = 0;

	REQUIRE(setup(&g));
	/* fill the table: the device has id 1, IOASes the rest */
	while (hc_ioas_alloc(&g, &id) == 0) {
		last = id;
		n++;
	}
	CHECK_EQ(n, IOMMU_MAX_OBJS - 1);
	CHECK_EQ(last, IOMMU_MAX_OBJS);
	CHECK_EQ(hc_ioas_alloc(&g, &id), -ENOSPC);
	check_ids_past_the_table();
	/* IOMMU_MAX_OBJS is an IOAS: found (no room for the HWPT, though) */
	CHECK_EQ(hc_hwpt_alloc((u32)g.dev_id, IOMMU_MAX_OBJS, &hwpt), -ENOSPC);
	CHECK_EQ(destroy(&g, 2), 0);
	CHECK_EQ(hc_hwpt_alloc((u32)g.dev_id, IOMMU_MAX_OBJS, &hwpt), 0);
	CHECK_EQ(hwpt, 2);
	CHECK_EQ(destroy(&g, IOMMU_MAX_OBJS), -EBUSY);	/* found: the HWPT holds it */
	/* the HWPT's table pages go back to the pool, poisoned: a lookup one
	 * slot past the table would now read a wild pointer */
	CHECK_EQ(destroy(&g, hwpt), 0);
	check_ids_past_the_table();
	CHECK_EQ(destroy(&g, IOMMU_MAX_OBJS), 0);
	CHECK_EQ(destroy(&g, IOMMU_MAX_OBJS), -ENOENT);
	CHECK_EQ(next_id(), 2);
	teardown(&g, NULL);
}

TEST(a_struct_at_4_mod_8_is_efault)
{
	struct iommu_ioas_alloc a = { 0 };

	REQUIRE(setup(&g));
	for (unsigned int mis = 1; mis < 8; mis++) {
		a.out_ioas_id = 0;
		CHECK_EQ(hc_at(&g, IOMMU_CMD_IOAS_ALLOC, CMD_GPA + mis, &a, sizeof(a), sizeof(a)),
			 -EFAULT);
		CHECK_EQ(a.out_ioas_id, 0);
	}
	CHECK_EQ(next_id(), 2);	/* no object was made */
	CHECK_EQ(hc_at(&g, IOMMU_CMD_IOAS_ALLOC, CMD_GPA + 8, &a, sizeof(a), sizeof(a)), 0);
	CHECK_EQ(a.out_ioas_id, 2);
	/* the same struct, ending exactly at the end of RAM (8-aligned) */
	CHECK_EQ(hc_at(&g, IOMMU_CMD_IOAS_ALLOC, GUEST_END - 16, &a, sizeof(a), sizeof(a)), 0);
	CHECK_EQ(a.out_ioas_id, 3);
	CHECK_EQ(hc_at(&g, IOMMU_CMD_IOAS_ALLOC, GUEST_END - 8, &a, 8, sizeof(a)), -EFAULT);
	CHECK_EQ(next_id(), 4);
	teardown(&g, NULL);
}

TEST(the_largest_struct_works_with_a_zero_tail_one_byte_more_is_e2big)
{
	static u8 s[MAX_STRUCT + 8];
	const struct iommu_ioas_alloc *a = (const void *)s;

	REQUIRE(setup(&g));
	/* exactly MAX_STRUCT bytes, zero tail: works, only the known part is
	 * written back */
	memset(s, 0, sizeof(s));
	CHECK_EQ(hc_at(&g, IOMMU_CMD_IOAS_ALLOC, CMD_GPA, s, MAX_STRUCT, MAX_STRUCT), 0);
	CHECK_EQ(a->out_ioas_id, 2);
	for (unsigned int i = sizeof(*a); i < MAX_STRUCT; i++)
		CHECK_EQ(s[i], 0);
	/* the byte after it is not the struct's */
	memset(s, 0, sizeof(s));
	s[MAX_STRUCT] = 0xff;
	CHECK_EQ(hc_at(&g, IOMMU_CMD_IOAS_ALLOC, CMD_GPA, s, MAX_STRUCT + 1, MAX_STRUCT), 0);
	CHECK_EQ(a->out_ioas_id, 3);
	/* a nonzero byte at the very last position, or the first of the tail */
	memset(s, 0, sizeof(s));
	s[MAX_STRUCT - 1] = 1;
	CHECK_EQ(hc_at(&g, IOMMU_CMD_IOAS_ALLOC, CMD_GPA, s, MAX_STRUCT, MAX_STRUCT), -E2BIG);
	memset(s, 0, sizeof(s));
	s[sizeof(*a)] = 0x80;
	CHECK_EQ(hc_at(&g, IOMMU_CMD_IOAS_ALLOC, CMD_GPA, s, MAX_STRUCT, MAX_STRUCT), -E2BIG);
	/* every size with a tail, its last byte nonzero (the tail is read in
	 * chunks: each remainder of a chunk is covered) */
	for (u32 size = sizeof(*a) + 1; size <= MAX_STRUCT; size++) {
		memset(s, 0, sizeof(s));
		s[size - 1] = 1;
		if (hc_at(&g, IOMMU_CMD_IOAS_ALLOC, CMD_GPA, s, size, size) != -E2BIG) {
			CHECK_EQ(size, 0);	/* names the size */
			break;
		}
	}
	/* one byte more than the largest: E2BIG, zero tail or not */
	memset(s, 0, sizeof(s));
	CHECK_EQ(hc_at(&g, IOMMU_CMD_IOAS_ALLOC, CMD_GPA, s, MAX_STRUCT + 1, MAX_STRUCT + 1),
		 -E2BIG);
	CHECK_EQ(next_id(), 4);	/* nothing made by the failures */
	/* ending exactly at the end of RAM: fine; one byte more is E2BIG
	 * without a byte read (not EFAULT), and a struct that would not fit
	 * in RAM is EFAULT */
	memset(s, 0, sizeof(s));
	CHECK_EQ(hc_at(&g, IOMMU_CMD_IOAS_ALLOC, GUEST_END - MAX_STRUCT, s, MAX_STRUCT,
		       MAX_STRUCT), 0);
	CHECK_EQ(a->out_ioas_id, 4);
	CHECK_EQ(hc_at(&g, IOMMU_CMD_IOAS_ALLOC, GUEST_END - MAX_STRUCT, s, MAX_STRUCT,
		       MAX_STRUCT + 1), -E2BIG);
	CHECK_EQ(hc_at(&g, IOMMU_CMD_IOAS_ALLOC, GUEST_END - MAX_STRUCT + 8, s, MAX_STRUCT - 8,
		       MAX_STRUCT), -EFAULT);
	CHECK_EQ(next_id(), 5);
	teardown(&g, NULL);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
