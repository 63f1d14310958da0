/* SPDX-License-Identifier: MIT */
/*
 * Aerie's read-only device-tree reader (include/aerie/dtb.h): the header
 * check, the tag walk (each tag, node name and property value checked to
 * lie inside the structure block), subnode iteration, property, name,
 * string-list and reservation lookups and a full structural check.
 * Portable: the host tests run it next to libfdt's own (tests/host/test_dtb.c).
 */
#include <aerie/dtb.h>
#include <aerie/string.h>

/* 32 or 64 big-endian bits at byte `at` of p: a blob's offsets are a
 * guest's to choose (a package), so no aligned structure access */
static u32 ld32(const void *p, size_t at)
{
	return fdt32_ld((const fdt32_t *)((const char *)p + at));
}

static u64 ld64(const void *p, size_t at)
{
	return fdt64_ld((const fdt64_t *)((const char *)p + at));
}

/* a block of `size` bytes at `off` lies after the header, inside the blob */
static bool in_blob(const void *fdt, u32 off, u32 size)
{
	return off >= sizeof(struct fdt_header) && (u64)off + size <= fdt_totalsize(fdt);
}

int dtb_check_header(const void *fdt)
{
	if (fdt_magic(fdt) != FDT_MAGIC)
		return -FDT_ERR_BADMAGIC;
	if (fdt_version(fdt) < 17 || fdt_last_comp_version(fdt) > 17)
		return -FDT_ERR_BADVERSION;
	if (fdt_totalsize(fdt) > INT32_MAX || !in_blob(fdt, fdt_off_mem_rsvmap(fdt), 0) ||
	    !in_blob(fdt, fdt_off_dt_struct(fdt), fdt_size_dt_struct(fdt)) ||
	    !in_blob(fdt, fdt_off_dt_strings(fdt), fdt_size_dt_strings(fdt)))
		return -FDT_ERR_TRUNCATED;
	return 0;
}

/* the header's bounds again, not its magic: libfdt's sequential writer
 * walks a blob it is still building (vmm/lib/dtb_libfdt.c) */
const void *dtb_offset_ptr(const void *fdt, int off, u32 len)
{
	if (off < 0 || (u64)(u32)off + len > fdt_size_dt_struct(fdt) ||
	    (u64)fdt_off_dt_struct(fdt) + (u32)off + len > fdt_totalsize(fdt))
		return NULL;
	return (const char *)fdt + fdt_off_dt_struct(fdt) + off;
}

u32 dtb_next_tag(const void *fdt, int off, int *next)
{
	const char *p = dtb_offset_ptr(fdt, off, FDT_TAGSIZE);
	u32 tag, room, len = FDT_TAGSIZE;

	*next = -FDT_ERR_TRUNCATED;
	if (!p)
		return FDT_END;
	tag = ld32(p, 0);
	/* what is left of the structure block after the tag */
	room = fdt_size_dt_struct(fdt) - (u32)off - FDT_TAGSIZE;
	*next = -FDT_ERR_BADSTRUCTURE;
	switch (tag) {
	case FDT_BEGIN_NODE:	/* the name and its NUL */
		len += (u32)strnlen(p + FDT_TAGSIZE, room) + 1;
		if (len > room + FDT_TAGSIZE)
			return FDT_END;
		break;
	case FDT_PROP:		/* length, name offset, value */
		if (room < 8 || ld32(p, 4) > room - 8)
			return FDT_END;
		len = sizeof(struct fdt_property) + ld32(p, 4);
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return FDT_END;
	}
	*next = (int)ALIGN_UP((u32)off + len, FDT_TAGSIZE);
	return tag;
}

const char *dtb_string(const void *fdt, int off)
{
	u32 size = fdt_size_dt_strings(fdt), room = size - (u32)off;
	const char *s;

	if (off < 0 || (u32)off >= size)
		return NULL;
	s = (const char *)fdt + fdt_off_dt_strings(fdt) + off;
	return strnlen(s, room) < room ? s : NULL;
}

/* the name of the property whose tag is at `off` (dtb_next_tag checked
 * its extent); NULL if it is not a string of the strings block */
static const char *prop_name(const void *fdt, int off, const void **prop)
{
	*prop = dtb_offset_ptr(fdt, off, sizeof(struct fdt_property));
	return dtb_string(fdt, (int)ld32(*prop, offsetof(struct fdt_property, nameoff)));
}

/* the tag after node's FDT_BEGIN_NODE (its first property, if any) in
 * *next; false if node is not the offset of one */
static bool node_tag(const void *fdt, int node, int *next)
{
	return !(node & (FDT_TAGSIZE - 1)) && dtb_next_tag(fdt, node, next) == FDT_BEGIN_NODE &&
	       *next >= 0;
}

/* the first FDT_BEGIN_NODE at `depth` 0 after node's own, where the walk
 * starts at `depth` (0: node's children, 1: its siblings) */
static int node_at(const void *fdt, int node, int depth)
{
	int off, next;

	if (!node_tag(fdt, node, &off))
		return -FDT_ERR_BADOFFSET;
	for (;; off = next) {
		u32 tag = dtb_next_tag(fdt, off, &next);

		if (next < 0)
			return next;
		if (tag == FDT_BEGIN_NODE && depth++ == 0)
			return off;
		if ((tag == FDT_END_NODE && depth-- == 0) || tag == FDT_END)
			return -FDT_ERR_NOTFOUND;
	}
}

int dtb_first_subnode(const void *fdt, int parent)
{
	return node_at(fdt, parent, 0);
}

int dtb_next_subnode(const void *fdt, int node)
{
	return node_at(fdt, node, 1);
}

/* a node's properties come first, NOPs among them: the first other tag
 * ends them */
const void *dtb_getprop(const void *fdt, int node, const char *name, int *lenp)
{
	int off, next, err = -FDT_ERR_BADOFFSET;

	if (node_tag(fdt, node, &off)) {
		for (;; off = next) {
			u32 tag = dtb_next_tag(fdt, off, &next);
			const char *pname;
			const void *prop;

			err = next < 0 ? next : -FDT_ERR_NOTFOUND;
			if (tag == FDT_NOP && next >= 0)
				continue;
			if (tag != FDT_PROP || next < 0)
				break;
			pname = prop_name(fdt, off, &prop);
			if (pname && !strcmp(pname, name)) {
				if (lenp)
					*lenp = (int)ld32(prop, offsetof(struct fdt_property, len));
				return (const char *)prop + sizeof(struct fdt_property);
			}
		}
	}
	if (lenp)
		*lenp = err;
	return NULL;
}

const char *dtb_get_name(const void *fdt, int node)
{
	int next;

	/* dtb_next_tag found the name's NUL inside the structure block */
	return node_tag(fdt, node, &next) ? dtb_offset_ptr(fdt, node + FDT_TAGSIZE, 1) : NULL;
}

bool dtb_name_matches(const char *name, const char *s, size_t l)
{
	return !strncmp(name, s, l) && (name[l] == 0 || (name[l] == '@' && !memchr(s, '@', l)));
}

int dtb_subnode(const void *fdt, int parent, const char *name)
{
	int node;

	dtb_for_each_subnode(node, fdt, parent) {
		if (dtb_name_matches(dtb_get_name(fdt, node), name, strlen(name)))
			return node;
	}
	return node;
}

int dtb_stringlist_search(const void *fdt, int node, const char *prop, const char *str)
{
	int len, idx = 0;
	const char *s = dtb_getprop(fdt, node, prop, &len);
	size_t want = strlen(str) + 1;

	if (!s)
		return len;
	for (const char *end = s + len; s < end; idx++) {
		size_t n = strnlen(s, (size_t)(end - s)) + 1;

		if (s + n > end)
			return -FDT_ERR_BADVALUE;
		if (n == want && !memcmp(s, str, n))
			return idx;
		s += n;
	}
	return -FDT_ERR_NOTFOUND;
}

/* the reservation entry at byte `off` of the blob: 0, -FDT_ERR_NOTFOUND
 * for the terminating one (size 0), -FDT_ERR_TRUNCATED outside the blob */
static int rsv_at(const void *fdt, u64 off, u64 *base, u64 *size)
{
	if (off + sizeof(struct fdt_reserve_entry) > fdt_totalsize(fdt))
		return -FDT_ERR_TRUNCATED;
	*base = ld64(fdt, off + offsetof(struct fdt_reserve_entry, address));
	*size = ld64(fdt, off + offsetof(struct fdt_reserve_entry, size));
	return *size ? 0 : -FDT_ERR_NOTFOUND;
}

/* entries 0..n in one walk: the list ends at its first terminator */
int dtb_mem_rsv(const void *fdt, int n, u64 *base, u64 *size)
{
	u64 off = fdt_off_mem_rsvmap(fdt);
	int err = -FDT_ERR_NOTFOUND;

	for (int i = 0; i <= n; i++, off += sizeof(struct fdt_reserve_entry)) {
		err = rsv_at(fdt, off, base, size);
		if (err)
			break;
	}
	return err;
}

int dtb_check(const void *fdt, size_t size)
{
	int err, depth = 0, off = 0, next;
	bool root_done = false;
	const void *prop;
	u64 b, s;

	if (size < sizeof(struct fdt_header))
		return -FDT_ERR_TRUNCATED;
	err = dtb_check_header(fdt);
	if (err)
		return err;
	if (fdt_totalsize(fdt) > size)
		return -FDT_ERR_TRUNCATED;
	/* the reservation list, once over: its terminator inside the blob */
	for (u64 at = fdt_off_mem_rsvmap(fdt); (err = rsv_at(fdt, at, &b, &s)) == 0;
	     at += sizeof(struct fdt_reserve_entry))
		;
	if (err != -FDT_ERR_NOTFOUND)
		return err;
	for (;; off = next) {
		u32 tag = dtb_next_tag(fdt, off, &next);

		if (next < 0)
			return next;
		/* the root first, at offset 0 (node 0 is the root for every
		 * caller), nothing but FDT_END after it: so every other tag
		 * is inside the root, at depth 1 or more */
		if ((!off && tag != FDT_BEGIN_NODE) || (root_done && tag != FDT_END))
			return -FDT_ERR_BADSTRUCTURE;
		switch (tag) {
		case FDT_BEGIN_NODE:
			/* the root's name empty */
			if (!depth++ && *dtb_get_name(fdt, off))
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_END_NODE:
			root_done = !--depth;
			break;
		case FDT_PROP:
			if (!prop_name(fdt, off, &prop))
				return -FDT_ERR_BADOFFSET;
			break;
		case FDT_NOP:
			break;
		default:	/* FDT_END */
			return root_done ? 0 : -FDT_ERR_BADSTRUCTURE;
		}
	}
}
