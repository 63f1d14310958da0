/* SPDX-License-Identifier: MIT */
/*
 * Aerie's read-only device-tree reader (include/aerie/dtb.h): property,
 * name, string-list and reservation lookups and a full structural check,
 * on libfdt's tag walk (fdt_next_tag checks each tag, node name and
 * property value against the structure block). Portable: the host tests
 * run it next to libfdt's own (tests/host/test_dtb.c).
 */
#include <aerie/dtb.h>
#include <aerie/string.h>

/* the strings block's size: a field of the header from version 17 on,
 * before it the rest of the blob (fdt_check_header checked both bounds) */
static u32 strings_size(const void *fdt)
{
	if (fdt_version(fdt) >= 17)
		return fdt_size_dt_strings(fdt);
	return fdt_totalsize(fdt) - fdt_off_dt_strings(fdt);
}

const char *dtb_string(const void *fdt, int off)
{
	u32 size = strings_size(fdt), room = size - (u32)off;
	const char *s;

	if (off < 0 || (u32)off >= size)
		return NULL;
	s = (const char *)fdt + fdt_off_dt_strings(fdt) + off;
	return strnlen(s, room) < room ? s : NULL;
}

/* a header field's 32 or 64 bits at byte `at` of p: the blob's offsets are
 * a guest's to choose (a package), so no aligned structure access */
static u32 ld32(const void *p, size_t at)
{
	return fdt32_ld((const fdt32_t *)((const char *)p + at));
}

static u64 ld64(const void *p, size_t at)
{
	return fdt64_ld((const fdt64_t *)((const char *)p + at));
}

/* the name of the property whose tag is at `off` (fdt_next_tag checked
 * its extent); NULL if it is not a string of the strings block */
static const char *prop_name(const void *fdt, int off, const void **prop)
{
	*prop = fdt_offset_ptr(fdt, off, sizeof(struct fdt_property));
	return dtb_string(fdt, (int)ld32(*prop, offsetof(struct fdt_property, nameoff)));
}

/* the tag after node's FDT_BEGIN_NODE (its first property, if any) in
 * *next; false if node is not the offset of one */
static bool node_tag(const void *fdt, int node, int *next)
{
	return node >= 0 && !(node & (FDT_TAGSIZE - 1)) &&
	       fdt_next_tag(fdt, node, next) == FDT_BEGIN_NODE && *next >= 0;
}

/* a node's properties come first, NOPs among them: the first other tag
 * ends them */
const void *dtb_getprop(const void *fdt, int node, const char *name, int *lenp)
{
	int off, next, err = -FDT_ERR_BADOFFSET;

	if (node_tag(fdt, node, &off)) {
		for (;; off = next) {
			u32 tag = fdt_next_tag(fdt, off, &next);
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

	/* fdt_next_tag found the name's NUL inside the structure block */
	return node_tag(fdt, node, &next) ? fdt_offset_ptr(fdt, node + FDT_TAGSIZE, 1) : NULL;
}

bool dtb_name_matches(const char *name, const char *s, size_t l)
{
	return !strncmp(name, s, l) && (name[l] == 0 || (name[l] == '@' && !memchr(s, '@', l)));
}

int dtb_subnode(const void *fdt, int parent, const char *name)
{
	int node;

	fdt_for_each_subnode(node, fdt, parent) {
		const char *n = dtb_get_name(fdt, node);

		if (n && dtb_name_matches(n, name, strlen(name)))
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

int dtb_mem_rsv(const void *fdt, int n, u64 *base, u64 *size)
{
	u64 off = fdt_off_mem_rsvmap(fdt);

	for (int i = 0; i <= n; i++, off += sizeof(struct fdt_reserve_entry)) {
		if (off + sizeof(struct fdt_reserve_entry) > fdt_totalsize(fdt))
			return -FDT_ERR_TRUNCATED;
		*base = ld64(fdt, off + offsetof(struct fdt_reserve_entry, address));
		*size = ld64(fdt, off + offsetof(struct fdt_reserve_entry, size));
		if (!*size)
			return -FDT_ERR_NOTFOUND;
	}
	return n < 0 ? -FDT_ERR_NOTFOUND : 0;
}

int dtb_check(const void *fdt, size_t size)
{
	int err, depth = 0, off = 0, next;
	bool root_done = false;
	const void *prop;
	u64 b, s;

	if (size < sizeof(struct fdt_header))
		return -FDT_ERR_TRUNCATED;
	err = fdt_check_header(fdt);
	if (err)
		return err;
	if (fdt_totalsize(fdt) > size)
		return -FDT_ERR_TRUNCATED;
	/* before 16 a node's name was its whole path */
	if (fdt_version(fdt) < 16)
		return -FDT_ERR_BADVERSION;
	for (int i = 0; (err = dtb_mem_rsv(fdt, i, &b, &s)) == 0; i++)
		;
	if (err != -FDT_ERR_NOTFOUND)
		return err;
	for (;; off = next) {
		u32 tag = fdt_next_tag(fdt, off, &next);

		if (next < 0)
			return next;
		if (root_done && tag != FDT_END)
			return -FDT_ERR_BADSTRUCTURE;
		switch (tag) {
		case FDT_BEGIN_NODE:
			/* the root first, its name empty */
			if (!depth++ && *(const char *)fdt_offset_ptr(fdt, off + FDT_TAGSIZE, 1))
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_END_NODE:
			if (!depth)
				return -FDT_ERR_BADSTRUCTURE;
			root_done = !--depth;
			break;
		case FDT_PROP:
			if (!depth)
				return -FDT_ERR_BADSTRUCTURE;
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
