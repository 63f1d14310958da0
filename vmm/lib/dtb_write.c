/* SPDX-License-Identifier: MIT */
/*
 * Aerie's device-tree writer (include/aerie/dtb.h): libfdt's sequential
 * write calls, the blob byte for byte the one libfdt's fdt_sw.o writes for
 * the same calls (tests/host/test_dtb.c compares them). Portable.
 *
 * While it is written the buffer holds the header (magic FDT_SW_MAGIC,
 * totalsize the buffer's size), the reservation block, the structure block
 * growing up from off_dt_struct, and the strings growing down from the
 * buffer's end (size_dt_strings of them). A property's nameoff is then its
 * name's place counted back from the end, negative; dtb_finish moves the
 * strings up behind the structure block and adds size_dt_strings to each.
 */
#include <aerie/dtb.h>
#include <aerie/string.h>

#define H(field) offsetof(struct fdt_header, field)
/* a blob being written is no device tree yet: libfdt's own mark for it */
#define SW_MAGIC (~(u32)FDT_MAGIC)
/* the header, then the reservation block at the next 16 bytes (zeros) */
#define RSVMAP ALIGN_UP(sizeof(struct fdt_header), sizeof(struct fdt_reserve_entry))

/* the buffer is 4-byte aligned (dtb_create): header fields and tags are
 * whole words */
static u32 get(const void *fdt, size_t at)
{
	return fdt32_to_cpu(*(const fdt32_t *)((const char *)fdt + at));
}

static void put(void *fdt, size_t at, u32 v)
{
	*(fdt32_t *)((char *)fdt + at) = cpu_to_fdt32(v);
}

/* n more bytes at the structure block's end, if they fit below the
 * strings: their place, the padding to the next word zeroed */
static char *grow(void *fdt, u32 n)
{
	u32 end = get(fdt, H(off_dt_struct)) + get(fdt, H(size_dt_struct));
	u32 padded = ALIGN_UP(n, FDT_TAGSIZE);
	char *p = (char *)fdt + end;

	if (padded < n || padded > get(fdt, H(totalsize)) - get(fdt, H(size_dt_strings)) - end)
		return NULL;
	put(fdt, H(size_dt_struct), get(fdt, H(size_dt_struct)) + padded);
	memset(p + n, 0, padded - n);
	return p;
}

/* a tag and the n bytes that follow it (a name, a property's header and
 * value) */
static char *tag(void *fdt, u32 t, u32 n)
{
	char *p = n + FDT_TAGSIZE >= n ? grow(fdt, n + FDT_TAGSIZE) : NULL;

	if (p)
		put(p, 0, t);
	return p;
}

int dtb_create(void *buf, int size)
{
	if ((uintptr_t)buf & (FDT_TAGSIZE - 1))
		return -FDT_ERR_ALIGNMENT;
	if (size < (int)RSVMAP)
		return -FDT_ERR_NOSPACE;
	memset(buf, 0, RSVMAP);
	put(buf, H(magic), SW_MAGIC);
	put(buf, H(version), 17);
	put(buf, H(last_comp_version), 16);
	put(buf, H(totalsize), (u32)size);
	put(buf, H(off_mem_rsvmap), RSVMAP);
	put(buf, H(off_dt_struct), RSVMAP);
	return 0;
}

/* the reservation block: its terminating entry alone */
int dtb_finish_reservemap(void *fdt)
{
	char *p = grow(fdt, sizeof(struct fdt_reserve_entry));

	if (!p)
		return -FDT_ERR_NOSPACE;
	memset(p, 0, sizeof(struct fdt_reserve_entry));
	put(fdt, H(off_dt_struct), get(fdt, H(off_dt_struct)) + get(fdt, H(size_dt_struct)));
	put(fdt, H(size_dt_struct), 0);
	return 0;
}

int dtb_begin_node(void *fdt, const char *name)
{
	u32 n = (u32)strlen(name) + 1;
	char *p = tag(fdt, FDT_BEGIN_NODE, n);

	if (!p)
		return -FDT_ERR_NOSPACE;
	memcpy(p + FDT_TAGSIZE, name, n);
	return 0;
}

int dtb_end_node(void *fdt)
{
	return tag(fdt, FDT_END_NODE, 0) ? 0 : -FDT_ERR_NOSPACE;
}

/* name's nameoff (negative, see above): a string already written that
 * ends the same way, else a new one below them */
static int name_offset(void *fdt, const char *name)
{
	char *end = (char *)fdt + get(fdt, H(totalsize));
	u32 have = get(fdt, H(size_dt_strings)), n = (u32)strlen(name) + 1;
	u32 struct_end = get(fdt, H(off_dt_struct)) + get(fdt, H(size_dt_struct));
	const char *s = dtb_find_string(end - have, (int)have, name);

	if (s)
		return (int)(s - end);
	if (n > get(fdt, H(totalsize)) - have - struct_end)
		return 1;	/* no room: not a nameoff */
	memcpy(end - have - n, name, n);
	put(fdt, H(size_dt_strings), have + n);
	return -(int)(have + n);
}

int dtb_property(void *fdt, const char *name, const void *val, int len)
{
	int nameoff = len < 0 ? 1 : name_offset(fdt, name);
	char *p = nameoff <= 0 ? tag(fdt, FDT_PROP, 8 + (u32)len) : NULL;

	if (len < 0)
		return -FDT_ERR_BADVALUE;
	if (!p)
		return -FDT_ERR_NOSPACE;
	put(p, offsetof(struct fdt_property, len), (u32)len);
	put(p, offsetof(struct fdt_property, nameoff), (u32)nameoff);
	memcpy(p + sizeof(struct fdt_property), val, (size_t)len);
	return 0;
}

int dtb_finish(void *fdt)
{
	u32 strings = get(fdt, H(size_dt_strings)), at;
	int off = 0, next;

	if (!tag(fdt, FDT_END, 0))
		return -FDT_ERR_NOSPACE;
	at = get(fdt, H(off_dt_struct)) + get(fdt, H(size_dt_struct));
	memmove((char *)fdt + at, (char *)fdt + get(fdt, H(totalsize)) - strings, strings);
	put(fdt, H(off_dt_strings), at);
	for (u32 t; (t = dtb_next_tag(fdt, off, &next)) != FDT_END; off = next) {
		char *p = (char *)fdt + get(fdt, H(off_dt_struct)) + off;

		if (t == FDT_PROP)
			put(p, offsetof(struct fdt_property, nameoff),
			    get(p, offsetof(struct fdt_property, nameoff)) + strings);
	}
	if (next < 0)
		return next;
	put(fdt, H(totalsize), at + strings);
	put(fdt, H(magic), FDT_MAGIC);
	return 0;
}
