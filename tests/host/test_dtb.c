/* SPDX-License-Identifier: MIT */
/*
 * Aerie's device-tree reader (vmm/lib/dtb.c) against libfdt's own read-only
 * calls: the same tag walk at every offset, the same children, the same
 * answers for every node and property of real trees (the
 * ones dumped from QEMU in $AERIE_DTB_DIR, Debian's kernel trees in
 * $AERIE_DEBIAN_DTBS when there) and of a tree built here; on damaged trees,
 * dtb_check refuses every blob libfdt's fdt_check_full refuses (and a few
 * more), and whatever it accepts, the lookups read inside the blob (the
 * blobs are malloc'ed to their size: AddressSanitizer sees an overread).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <libfdt.h>
#include <aerie/dtb.h>
#include "test.h"

/* a small tree with what the readers must handle: a /memreserve/ list,
 * string lists, unit addresses, empty properties, NOPs, nesting */
static void *build_tree(size_t *sizep)
{
	size_t cap = 4096;
	char *buf = calloc(1, cap);
	void *fdt;
	static const char compat[] = "vendor,first\0aerie,guest-package\0last";

	if (!buf)
		return NULL;
	fdt = buf;
	if (fdt_create(fdt, (int)cap) || fdt_add_reservemap_entry(fdt, 0x80000000, 0x1000) ||
	    fdt_add_reservemap_entry(fdt, 0x90000000, 0x200000) || fdt_finish_reservemap(fdt) ||
	    fdt_begin_node(fdt, "") || fdt_property_u32(fdt, "nop-me", 1) ||
	    fdt_property(fdt, "compatible", compat, sizeof(compat)) ||
	    fdt_property_u32(fdt, "#address-cells", 2) || fdt_begin_node(fdt, "guests@0") ||
	    fdt_begin_node(fdt, "one") || fdt_property_string(fdt, "iommu", "vsmmu") ||
	    fdt_property(fdt, "no-map", NULL, 0) || fdt_property_u64(fdt, "ram-size", 1ULL << 24) ||
	    fdt_property_string(fdt, "interrupt-names", "a\0bb") || fdt_end_node(fdt) ||
	    fdt_begin_node(fdt, "two@1") || fdt_property_u32(fdt, "cpus", 2) || fdt_end_node(fdt) ||
	    fdt_end_node(fdt) || fdt_begin_node(fdt, "chosen") ||
	    fdt_property_string(fdt, "bootargs", "x=y") || fdt_end_node(fdt) || fdt_end_node(fdt) ||
	    fdt_finish(fdt)) {
		free(buf);
		return NULL;
	}
	/* NOPs before the root's first property: both readers step over them */
	if (fdt_nop_property(fdt, 0, "nop-me")) {
		free(buf);
		return NULL;
	}
	*sizep = fdt_totalsize(fdt);
	return buf;
}

/* a copy of exactly `size` bytes: an overread leaves the allocation */
static void *exact_copy(const void *src, size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p)
		memcpy(p, src, size);
	return p;
}

static unsigned int compared;
/* compare_walks at every offset: off for most of Debian's trees, and
 * compare_readers for every eighth of them (all 1,023, every property,
 * under the sanitizers: 25 s, too long for make test; test_board parses
 * them all with this reader) */
static bool every_offset = true;
static unsigned int sweep_every = 1;

/* the tag walk at every offset of the structure block and a little past
 * it, aligned or not: the same tag and the same next offset or error. One
 * difference, where libfdt is wrong: a property length so large that its
 * int sum wraps round (0xffffffff: "one byte back") passes libfdt's
 * bounds check; dtb_next_tag refuses it (the sweep finds such words
 * inside values of Debian's trees) */
static void compare_walks(const void *fdt)
{
	int end = (int)fdt_size_dt_struct(fdt) + 8;

	for (int off = -4; off < end; off++) {
		int n1, n2;
		u32 t1 = dtb_next_tag(fdt, off, &n1), t2 = fdt_next_tag(fdt, off, &n2);
		const fdt32_t *w = fdt_offset_ptr(fdt, off, 8);

		if (t2 == FDT_PROP && w && fdt32_ld(&w[1]) > fdt_size_dt_struct(fdt)) {
			CHECK_EQ(t1, FDT_END);
			CHECK_EQ(n1, -FDT_ERR_BADSTRUCTURE);
			continue;
		}

		if (t1 != t2 || n1 != n2)
			fprintf(stderr, "  offset %d: dtb_next_tag %u -> %d, fdt_next_tag %u -> %d\n",
				off, t1, n1, t2, n2);
		CHECK_EQ(t1, t2);
		CHECK_EQ(n1, n2);
	}
}

/* every lookup the two readers share, on a blob both accept */
static void compare_readers(const void *fdt)
{
	u64 b1, s1, b2, s2;
	int n = fdt_num_mem_rsv(fdt), node = -1, depth = 0;

	CHECK(n >= 0);
	CHECK_EQ(dtb_check_header(fdt), 0);
	if (every_offset)
		compare_walks(fdt);
	for (int i = 0; i <= n; i++) {
		int mine = dtb_mem_rsv(fdt, i, &b1, &s1);

		if (i == n) {
			CHECK_EQ(mine, -FDT_ERR_NOTFOUND);
			continue;
		}
		CHECK_EQ(mine, 0);
		CHECK_EQ(fdt_get_mem_rsv(fdt, i, &b2, &s2), 0);
		CHECK_EQ(b1, b2);
		CHECK_EQ(s1, s2);
	}
	while ((node = fdt_next_node(fdt, node, &depth)) >= 0) {
		const char *name = fdt_get_name(fdt, node, NULL);
		int prop, len1, len2, child;

		CHECK(name && dtb_get_name(fdt, node) == name);
		fdt_for_each_property_offset(prop, fdt, node) {
			const char *pname;
			const void *v = fdt_getprop_by_offset(fdt, prop, &pname, &len2);

			if (!v)
				continue;
			/* the first property of that name, as libfdt finds it */
			v = fdt_getprop(fdt, node, pname, &len2);
			CHECK(dtb_getprop(fdt, node, pname, &len1) == v);
			CHECK_EQ(len1, len2);
			CHECK(dtb_string(fdt, (int)fdt32_ld((const fdt32_t *)((const char *)
				fdt_offset_ptr(fdt, prop, 12) + 8))) == pname);
			/* each string of it, as a string list */
			for (int at = 0, l; at < len2; at += l + 1) {
				const char *s = (const char *)v + at;

				l = (int)strnlen(s, (size_t)(len2 - at));
				if (l == len2 - at)
					break;
				CHECK_EQ(dtb_stringlist_search(fdt, node, pname, s),
					 fdt_stringlist_search(fdt, node, pname, s));
			}
			compared++;
		}
		CHECK(dtb_getprop(fdt, node, "no-such-property", &len1) == NULL);
		CHECK_EQ(len1, -FDT_ERR_NOTFOUND);
		CHECK_EQ(dtb_stringlist_search(fdt, node, "compatible", "no,such"),
			 fdt_stringlist_search(fdt, node, "compatible", "no,such"));
		CHECK_EQ(dtb_is_compatible(fdt, node, "arm,pl011"),
			 fdt_node_check_compatible(fdt, node, "arm,pl011") == 0);
		fdt_for_each_subnode(child, fdt, node) {
			const char *cname = fdt_get_name(fdt, child, NULL);
			char base[256];
			size_t l = strcspn(cname, "@");

			CHECK_EQ(dtb_subnode(fdt, node, cname), fdt_subnode_offset(fdt, node, cname));
			if (l < sizeof(base)) {
				memcpy(base, cname, l);
				base[l] = 0;
				CHECK_EQ(dtb_subnode(fdt, node, base),
					 fdt_subnode_offset(fdt, node, base));
			}
		}
		CHECK_EQ(dtb_subnode(fdt, node, "no-such-node"), -FDT_ERR_NOTFOUND);
		/* the same children in the same order */
		for (int c1 = dtb_first_subnode(fdt, node), c2 = fdt_first_subnode(fdt, node);;
		     c1 = dtb_next_subnode(fdt, c1), c2 = fdt_next_subnode(fdt, c2)) {
			CHECK_EQ(c1 < 0 ? -1 : c1, c2 < 0 ? -1 : c2);
			if (c1 < 0 || c2 < 0)
				break;
		}
	}
	/* offsets that are not a node's */
	CHECK(dtb_getprop(fdt, -4, "compatible", &n) == NULL);
	CHECK_EQ(n, -FDT_ERR_BADOFFSET);
	CHECK(dtb_getprop(fdt, 2, "compatible", &n) == NULL);
	CHECK_EQ(n, -FDT_ERR_BADOFFSET);
	CHECK(dtb_get_name(fdt, (int)fdt_size_dt_struct(fdt)) == NULL);
}

TEST(built_tree_reads_like_libfdt)
{
	size_t size;
	void *fdt = build_tree(&size), *copy;
	int len, root = 0, g;
	const fdt32_t *p;

	REQUIRE(fdt);
	copy = exact_copy(fdt, size);
	REQUIRE(copy);
	CHECK_EQ(dtb_check(copy, size), 0);
	compare_readers(copy);
	CHECK(dtb_is_compatible(copy, root, "aerie,guest-package"));
	CHECK(!dtb_is_compatible(copy, root, "aerie,guest"));
	CHECK_EQ(dtb_stringlist_search(copy, root, "compatible", "last"), 2);
	g = dtb_subnode(copy, root, "guests");
	CHECK_EQ(g, fdt_path_offset(copy, "/guests"));
	REQUIRE(g > 0);
	CHECK(!strcmp(dtb_get_name(copy, dtb_subnode(copy, g, "two")), "two@1"));
	p = dtb_getprop(copy, dtb_subnode(copy, g, "two"), "cpus", &len);
	REQUIRE(p);
	CHECK_EQ(len, 4);
	CHECK_EQ(fdt32_ld(p), 2);
	CHECK(dtb_getprop(copy, dtb_subnode(copy, g, "one"), "no-map", &len) != NULL);
	CHECK_EQ(len, 0);
	free(copy);
	free(fdt);
}

/* the string search libfdt's writer dedups its names with */
/* a damage of one field, each must be refused with this error */
static void *damaged(size_t *size, int kind)
{
	void *fdt = build_tree(size);
	char *b = fdt;
	fdt32_t *s;

	if (!fdt)
		return NULL;
	s = (fdt32_t *)(b + fdt_off_dt_struct(fdt));
	switch (kind) {
	/* s[0], s[1]: the root's tag and empty name; s[2..5]: "nop-me",
	 * NOPs now; s[6..8]: "compatible"'s tag, length and name offset */
	case 0:	/* the root's FDT_END_NODE gone: a node never closed */
		s[fdt_size_dt_struct(fdt) / 4 - 2] = cpu_to_fdt32(FDT_END);
		fdt_set_size_dt_struct(fdt, fdt_size_dt_struct(fdt) - 4);
		break;
	case 1:	/* a property name outside the strings block */
		s[8] = cpu_to_fdt32(fdt_size_dt_strings(fdt) + 64);
		break;
	case 2:	/* something other than FDT_END after the root */
		s[fdt_size_dt_struct(fdt) / 4 - 1] = cpu_to_fdt32(FDT_NOP);
		break;
	case 3:	/* totalsize beyond the buffer */
		(*size)--;
		break;
	case 4:	/* a property before the root node */
		s[0] = cpu_to_fdt32(FDT_PROP);
		break;
	case 5:	/* no root at all: the structure block is FDT_END alone */
		s[0] = cpu_to_fdt32(FDT_END);
		break;
	case 6:	/* the root with a name */
		b[fdt_off_dt_struct(fdt) + 4] = 'x';
		break;
	case 7:	/* a /memreserve/ list that runs off the blob */
		fdt_set_off_mem_rsvmap(fdt, fdt_totalsize(fdt) - 8);
		break;
	case 8:	/* a property value longer than the structure block */
		s[7] = cpu_to_fdt32(0x7ffffff0);
		break;
	case 9:	/* version 16's names were paths */
		fdt_set_version(fdt, 15);
		break;
	case 10: /* a NOP before the root: node 0 would not be the root */
		memmove(&s[1], &s[0], fdt_totalsize(fdt) - fdt_off_dt_struct(fdt));
		s[0] = cpu_to_fdt32(FDT_NOP);
		fdt_set_size_dt_struct(fdt, fdt_size_dt_struct(fdt) + 4);
		fdt_set_off_dt_strings(fdt, fdt_off_dt_strings(fdt) + 4);
		fdt_set_totalsize(fdt, fdt_totalsize(fdt) + 4);
		(*size) += 4;
		break;
	}
	return fdt;
}

TEST(damaged_trees_refused)
{
	static const int want[] = {
		-FDT_ERR_BADSTRUCTURE, -FDT_ERR_BADOFFSET, -FDT_ERR_BADSTRUCTURE,
		-FDT_ERR_TRUNCATED, -FDT_ERR_BADSTRUCTURE, -FDT_ERR_BADSTRUCTURE,
		-FDT_ERR_BADSTRUCTURE, -FDT_ERR_TRUNCATED, -FDT_ERR_BADSTRUCTURE,
		-FDT_ERR_BADVERSION, -FDT_ERR_BADSTRUCTURE,
	};

	for (int k = 0; k < (int)ARRAY_SIZE(want); k++) {
		size_t size;
		void *fdt = damaged(&size, k), *copy;

		REQUIRE(fdt);
		copy = exact_copy(fdt, size);
		REQUIRE(copy);
		fprintf(stderr, "  damage %d: dtb_check %d, fdt_check_full %d\n", k,
			dtb_check(copy, size), fdt_check_full(copy, size));
		CHECK_EQ(dtb_check(copy, size), want[k]);
		free(copy);
		free(fdt);
	}
}

/* a package of 200,000 /memreserve/ entries (3.2 MB): checked in one pass
 * over them, not one walk from the first per entry (2 x 10^10 steps) */
TEST(long_reservation_list_checked_in_one_pass)
{
	const int n = 200000;
	int size = 4096 + (n + 1) * 16, i;
	char *buf = malloc((size_t)size);
	u64 base, len;

	REQUIRE(buf);
	REQUIRE(fdt_create(buf, size) == 0);
	for (i = 0; i < n; i++)
		REQUIRE(fdt_add_reservemap_entry(buf, (u64)i << 12, 4096) == 0);
	REQUIRE(fdt_finish_reservemap(buf) == 0);
	REQUIRE(fdt_begin_node(buf, "") == 0 && fdt_end_node(buf) == 0 && fdt_finish(buf) == 0);
	CHECK_EQ(dtb_check(buf, fdt_totalsize(buf)), 0);
	CHECK_EQ(dtb_mem_rsv(buf, n - 1, &base, &len), 0);
	CHECK_EQ(base, (u64)(n - 1) << 12);
	CHECK_EQ(dtb_mem_rsv(buf, n, &base, &len), -FDT_ERR_NOTFOUND);
	free(buf);
}

/* a deterministic generator: the same damages every run */
static u32 rng_state = 0x2545f491;
static u32 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

TEST(random_damage_never_accepted_unchecked)
{
	size_t size;
	void *fdt = build_tree(&size);
	unsigned int refused = 0, accepted = 0;

	REQUIRE(fdt);
	for (int round = 0; round < 20000; round++) {
		char *copy = exact_copy(fdt, size);
		size_t len = size;
		int mine, theirs;

		REQUIRE(copy);
		/* one to four bytes changed, or a word set to a tag or a
		 * boundary value; now and then the blob cut short */
		for (int k = 1 + (int)(rng() % 4); k > 0; k--) {
			size_t at = rng() % size;
			static const u32 words[] = { FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP,
						     FDT_END, 0, 0xffffffff, 0x7fffffff, 0x80000000 };

			if (rng() & 1) {
				copy[at] = (char)rng();
			} else {
				fdt32_t w = cpu_to_fdt32(words[rng() % ARRAY_SIZE(words)]);

				at &= ~(size_t)3;
				if (at + 4 <= size)
					memcpy(copy + at, &w, 4);
			}
		}
		if (!(rng() % 8))
			len = rng() % size;
		/* a header libfdt refuses, this reader refuses; where both
		 * take it, the tag walks agree at every offset */
		if (len >= sizeof(struct fdt_header) && len >= fdt_totalsize(copy)) {
			CHECK(!fdt_check_header(copy) || dtb_check_header(copy));
			if (!dtb_check_header(copy) && !fdt_check_header(copy))
				compare_walks(copy);
		}
		mine = dtb_check(copy, len);
		theirs = len >= sizeof(struct fdt_header) ? fdt_check_full(copy, len) :
			-FDT_ERR_TRUNCATED;
		if (theirs && !mine)
			fprintf(stderr, "  round %d: libfdt refuses (%d), dtb_check accepts\n",
				round, theirs);
		CHECK(!theirs || mine);
		if (mine) {
			refused++;
		} else {
			accepted++;
			compare_readers(copy);
		}
		free(copy);
	}
	fprintf(stderr, "  %u damaged blobs refused, %u accepted and read like libfdt\n",
		refused, accepted);
	CHECK(refused > 1000);
	CHECK(accepted > 1000);
	free(fdt);
}

/* one tree of a sweep: both full checks agree; the nth is compared in
 * full when sweep_every divides n, at every offset when 32 does too */
static void sweep_one(void *fdt, size_t size, void *ctx)
{
	unsigned int n = ++*(unsigned int *)ctx;

	every_offset = !(n % 32);
	CHECK_EQ(dtb_check(fdt, size), fdt_check_full(fdt, size));
	if (!fdt_check_full(fdt, size) && !(n % sweep_every))
		compare_readers(fdt);
}

static unsigned int sweep(const char *dir)
{
	unsigned int n = 0;

	return test_each_dtb(dir, sweep_one, &n);
}

/* QEMU's trees and the board fixtures (make test builds them) */
TEST(qemu_trees_read_like_libfdt)
{
	const char *dir = getenv("AERIE_DTB_DIR");
	unsigned int before = compared, n = sweep(dir ? dir : "build/dtb");

	fprintf(stderr, "  %u trees, %u properties compared\n", n, compared - before);
	CHECK(n >= 6);
}

/* Debian's kernel trees, when make test has unpacked them */
TEST(debian_trees_read_like_libfdt)
{
	const char *dir = getenv("AERIE_DEBIAN_DTBS");
	DIR *d = opendir(dir ? dir : "build/debian-dtbs");
	unsigned int before = compared, n;

	if (!d) {
		fprintf(stderr, "  no Debian DTBs: skipped\n");
		return;
	}
	closedir(d);
	sweep_every = 8;
	n = sweep(dir ? dir : "build/debian-dtbs");
	every_offset = true;
	sweep_every = 1;
	fprintf(stderr, "  %u trees, %u properties compared\n", n, compared - before);
	CHECK(n > 0);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
