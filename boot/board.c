/* SPDX-License-Identifier: MIT */
/*
 * Board discovery from the flattened device tree. Portable: the host tests
 * run it on DTBs dumped from QEMU and on Debian's kernel trees. No libfdt
 * code: its header gives the format; the header check and the /memreserve/
 * list come from Aerie's reader (include/aerie/dtb.h), the rest from the
 * index below.
 *
 * One pass: libfdt finds a node's parent, a phandle's node, a compatible, a
 * path or a property by walking the blob from its start (or the node's),
 * checking every tag again, each time. board_parse() walks it once
 * (ix_build: the tags read with the bounds fdt_next_tag and fdt_get_string
 * apply, after fdt_check_header) and keeps, per node in blob order, its
 * offset, its parent, its phandle, the kinds of node Aerie looks for
 * (memory, GICv3, SMMUv3, ECAM bridge, timer, PSCI), its status, interrupt
 * parent and cell counts, and where each of its properties' name and value
 * are; every later lookup reads that index, with libfdt's results. A tree of
 * more than IX_MAX nodes, IX_PROPS properties or IX_DEPTH levels is refused
 * (-E2BIG, said in words).
 */
#include <libfdt.h>
#include <aerie/bits.h>
#include <aerie/board.h>
#include <aerie/dtb.h>
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

#define GIC_SPI 0
#define GIC_PPI 1
#define GIC_SPI_BASE 32
#define GIC_PPI_BASE 16

static u64 read_cells(const fdt32_t *p, int cells)
{
	u64 v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_ld(&p[i]);
	return v;
}

/* ---- the index: one walk over the blob ---------------------------------------------- */

#define IX_MAX		1024
#define IX_PROPS	8192	/* Debian's arm64 trees: at most about 5,600 */
#define IX_DEPTH	32

enum ix_kind {
	K_GICV3, K_SMMUV3, K_ECAM, K_TIMER, K_PSCI_1_0, K_PSCI_0_2, K_PSCI, K_COUNT
};
/* in place: no relocated pointers */
static const char ix_compat[K_COUNT][24] = {
	"arm,gic-v3", "arm,smmu-v3", "pci-host-ecam-generic", "arm,armv8-timer",
	"arm,psci-1.0", "arm,psci-0.2", "arm,psci",
};
#define K_MEMORY	K_COUNT		/* device_type = "memory" */
#define F_DISABLED	BIT(8)		/* status neither "okay" nor "ok" */
#define F_IRQ_PARENT	BIT(9)		/* irq_parent[] is its interrupt-parent */
#define F_PHANDLE	BIT(10)		/* phandle[] is from "phandle" */
/* the cell counts a node gives its children, kept by the walk */
enum { C_ADDR, C_SIZE, C_IRQ, C_COUNT };
static const char ix_cells[C_COUNT][18] = { "#address-cells", "#size-cells", "#interrupt-cells" };

/* not zeroed at boot (linker/aerie.ld): ix_build writes every field it reads */
static struct {
	int n;
	int off[IX_MAX], parent[IX_MAX];
	u32 phandle[IX_MAX], irq_parent[IX_MAX];
	u16 flags[IX_MAX];	/* BIT(enum ix_kind), BIT(K_MEMORY), F_* */
	u8 has_cells[IX_MAX];	/* BIT(C_*): cells[][C_*] is the property */
	u32 cells[IX_MAX][C_COUNT];
	/* node i's properties (those fdt_getprop sees: before its first
	 * subnode) are prop[prop0[i]] .. prop[prop0[i] + nprop[i] - 1] */
	int prop0[IX_MAX], nprop[IX_MAX], nprops;
	struct { u32 name, data; int len; } prop[IX_PROPS];	/* name, data: blob offsets */
} ix __attribute__((section(".bss.noinit")));

static bool is_type(const char *t, int len, const char *type)
{
	return t && len > 0 && strncmp(t, type, (size_t)len) == 0;
}

/* one property of node i, as the lookups below would read it */
static void ix_prop(int i, const char *name, const char *v, int len)
{
	u32 v32 = len >= 4 ? fdt32_ld((const fdt32_t *)v) : 0;

	if (!strcmp(name, "compatible")) {
		/* each string of the list (fdt_stringlist_contains) */
		for (int at = 0, l; at < len; at += l + 1) {
			l = (int)strnlen(v + at, (size_t)(len - at));
			if (l == len - at)
				break;	/* not terminated */
			for (int k = 0; k < K_COUNT; k++)
				if (v[at] == ix_compat[k][0] && !strcmp(v + at, ix_compat[k]))
					ix.flags[i] |= BIT(k);
		}
	} else if (!strcmp(name, "device_type")) {
		if (is_type(v, len, "memory"))
			ix.flags[i] |= BIT(K_MEMORY);
	} else if (!strcmp(name, "status")) {
		if (strcmp(v, "okay") && strcmp(v, "ok"))
			ix.flags[i] |= F_DISABLED;
	} else if (name[0] == '#') {
		/* a count above libfdt's FDT_MAX_NCELLS is not taken (the default
		 * applies): no product of counts below can overflow */
		for (int c = 0; c < C_COUNT; c++)
			if (len >= 4 && v32 <= FDT_MAX_NCELLS && !strcmp(name, ix_cells[c])) {
				ix.cells[i][c] = v32;
				ix.has_cells[i] |= (u8)BIT(c);
			}
	} else if (len != 4) {
		return;
	} else if (!strcmp(name, "interrupt-parent")) {
		ix.irq_parent[i] = v32;
		ix.flags[i] |= F_IRQ_PARENT;
	} else if (!strcmp(name, "phandle")) {
		ix.phandle[i] = v32;
		ix.flags[i] |= F_PHANDLE;
	} else if (!strcmp(name, "linux,phandle") && !(ix.flags[i] & F_PHANDLE)) {
		ix.phandle[i] = v32;
	}
}

/* the structure and strings blocks as libfdt's fdt_offset_ptr and
 * fdt_get_string bound them (fdt_check_header has checked the header) */
struct blocks {
	const u8 *s;		/* the structure block, its size */
	u32 ssize;
	const char *str;	/* the strings block, its size */
	u32 strsize;
	bool v16;		/* version 16 or later */
	bool str_ends;		/* its last byte is 0: every name in it ends */
};

static void blocks_of(const void *fdt, struct blocks *bk)
{
	u32 total = fdt_totalsize(fdt), v = fdt_version(fdt);

	bk->s = (const u8 *)fdt + fdt_off_dt_struct(fdt);
	bk->ssize = v >= 17 ? fdt_size_dt_struct(fdt) : total - fdt_off_dt_struct(fdt);
	bk->str = (const char *)fdt + fdt_off_dt_strings(fdt);
	bk->strsize = total - fdt_off_dt_strings(fdt);
	if (v >= 17 && fdt_size_dt_strings(fdt) < bk->strsize)
		bk->strsize = fdt_size_dt_strings(fdt);
	bk->v16 = v >= 16;
	bk->str_ends = bk->strsize && !bk->str[bk->strsize - 1];
}

static inline __attribute__((always_inline)) u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* fdt_next_tag: the tag at off; *next is past it, its name or its value
 * (-1, with FDT_END, when that runs out of the structure block) */
static u32 next_tag(const struct blocks *bk, u32 off, int *next)
{
	u32 tag, len, pad, n;

	*next = -1;
	if (bk->ssize < FDT_TAGSIZE || off > bk->ssize - FDT_TAGSIZE)
		return FDT_END;
	tag = be32(bk->s + off);
	off += FDT_TAGSIZE;
	switch (tag) {
	case FDT_BEGIN_NODE:
		n = (u32)strnlen((const char *)bk->s + off, bk->ssize - off);
		if (n == bk->ssize - off)
			return FDT_END;		/* the name does not end */
		off += n + 1;
		break;
	case FDT_PROP:
		if (bk->ssize - off < 2 * FDT_TAGSIZE)
			return FDT_END;
		len = be32(bk->s + off);
		off += 2 * FDT_TAGSIZE;		/* len, nameoff */
		/* before version 16, a value of 8 bytes or more was 8-aligned */
		pad = !bk->v16 && len >= 8 && off % 8 ? 4 : 0;
		if (len > bk->ssize - off || pad > bk->ssize - off - len)
			return FDT_END;
		off += len + pad;
		break;
	case FDT_END:
	case FDT_END_NODE:
	case FDT_NOP:
		break;
	default:
		return FDT_END;
	}
	*next = (int)ALIGN_UP(off, FDT_TAGSIZE);
	return tag;
}

/* fdt_get_string: the name at nameoff in the strings block, if it ends there */
static const char *name_at(const struct blocks *bk, u32 nameoff)
{
	const char *s = bk->str + nameoff;

	if (nameoff >= bk->strsize)
		return NULL;
	return bk->str_ends || memchr(s, 0, bk->strsize - nameoff) ? s : NULL;
}

/* every tag once: a node's properties come before its subnodes */
static bool ix_build(const void *fdt)
{
	int stack[IX_DEPTH], depth = -1, off = 0, next, open = -1;
	struct blocks bk;

	blocks_of(fdt, &bk);
	ix.n = 0;
	ix.nprops = 0;
	for (;; off = next) {
		u32 tag = next_tag(&bk, (u32)off, &next);
		const u8 *prop = bk.s + off;
		const char *name, *data;
		int i = ix.n, len;

		if (next < 0)
			return false;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (i == IX_MAX || ++depth == IX_DEPTH)
				return false;
			ix.off[i] = off;
			ix.parent[i] = depth ? ix.off[stack[depth - 1]] : -FDT_ERR_NOTFOUND;
			ix.phandle[i] = 0;
			ix.flags[i] = 0;
			ix.has_cells[i] = 0;
			ix.prop0[i] = ix.nprops;
			ix.nprop[i] = 0;
			stack[depth] = i;
			open = i;
			ix.n++;
			break;
		case FDT_PROP:
			/* next_tag checked the header and the value's extent */
			if (depth < 0)
				return false;
			len = (int)be32(prop + FDT_TAGSIZE);
			name = name_at(&bk, be32(prop + 2 * FDT_TAGSIZE));
			/* the value ends (padded) where next_tag says the next tag
			 * is: that places it 4 bytes on when it was 8-aligned */
			data = (const char *)bk.s + next - ALIGN_UP((u32)len, FDT_TAGSIZE);
			if (!name)
				break;	/* fdt_getprop never matches it either */
			ix_prop(stack[depth], name, data, len);
			if (stack[depth] != open)
				break;	/* after a subnode: fdt_getprop does not see it */
			if (ix.nprops == IX_PROPS)
				return false;
			ix.prop[ix.nprops].name = (u32)(name - (const char *)fdt);
			ix.prop[ix.nprops].data = (u32)(data - (const char *)fdt);
			ix.prop[ix.nprops].len = len;
			ix.nprops++;
			ix.nprop[open]++;
			break;
		case FDT_END_NODE:
			open = -1;
			if (--depth < 0)
				return true;	/* the root's end */
			break;
		case FDT_NOP:
			break;
		default:
			return false;
		}
	}
}

/* the index entry of `node`: offsets grow in blob order */
static int ix_find(int node)
{
	int lo = 0, hi = ix.n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (ix.off[mid] == node)
			return mid;
		if (ix.off[mid] < node)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* fdt_getprop: the node's first property of that name before its first
 * subnode (ix_build checked each one's name and extent) */
static const void *getprop(const void *fdt, int node, const char *name, int *lenp)
{
	int i = ix_find(node);

	for (int k = i < 0 ? 0 : ix.prop0[i], e = i < 0 ? 0 : k + ix.nprop[i]; k < e; k++) {
		const char *pn = (const char *)fdt + ix.prop[k].name;

		if (pn[0] == name[0] && !strcmp(pn, name)) {
			if (lenp)
				*lenp = ix.prop[k].len;
			return (const char *)fdt + ix.prop[k].data;
		}
	}
	if (lenp)
		*lenp = -FDT_ERR_NOTFOUND;
	return NULL;
}

/* fdt_stringlist_search: the index of `s` in the string list `name` */
static int stringlist_search(const void *fdt, int node, const char *name, const char *s)
{
	int len, idx = 0;
	const char *l = getprop(fdt, node, name, &len), *end;
	size_t sl = strlen(s) + 1;

	if (!l)
		return len;
	for (end = l + len; l < end; idx++) {
		size_t n = strnlen(l, (size_t)(end - l)) + 1;

		if (l + n > end)
			return -FDT_ERR_BADVALUE;	/* the last one is not terminated */
		if (n == sl && !memcmp(l, s, sl))
			return idx;
		l += n;
	}
	return -FDT_ERR_NOTFOUND;
}

/* the subnode of `parent` after `prev` (-1: its first), as fdt_first_subnode
 * and fdt_next_subnode find it: a subtree's nodes follow its root in blob
 * order and have parents at or after it */
static int next_subnode(const void *fdt, int parent, int prev)
{
	for (int i = ix_find(prev < 0 ? parent : prev) + 1; i > 0 && i < ix.n; i++) {
		if (ix.parent[i] < parent)
			break;
		if (ix.parent[i] == parent)
			return ix.off[i];
	}
	return -FDT_ERR_NOTFOUND;
}

#define for_each_subnode(node, fdt, parent) \
	for ((node) = next_subnode(fdt, parent, -1); (node) >= 0; \
	     (node) = next_subnode(fdt, parent, node))

/* every node handed to the lookups below came from the index */
static int parent_of(const void *fdt, int node)
{
	int i = ix_find(node);

	return i >= 0 ? ix.parent[i] : -FDT_ERR_BADOFFSET;
}

/* fdt_node_offset_by_phandle */
static int by_phandle(const void *fdt, u32 ph)
{
	if (ph == 0 || ph == ~0U)
		return -FDT_ERR_BADPHANDLE;
	for (int i = 0; i < ix.n; i++)
		if (ix.phandle[i] == ph)
			return ix.off[i];
	return -FDT_ERR_NOTFOUND;
}

/* the first node after `from` (-1: from the root on) of kind k, as
 * fdt_node_offset_by_compatible (k < K_COUNT) finds it */
static int next_of_kind(const void *fdt, int from, int k)
{
	/* ix_find(from) + 1 is 0 only for a node that is not one */
	for (int i = from < 0 ? 0 : ix_find(from) + 1; i < ix.n && (i || from < 0); i++)
		if (ix.flags[i] & BIT(k))
			return ix.off[i];
	return -FDT_ERR_NOTFOUND;
}

static u16 flags_of(int node)
{
	int i = ix_find(node);

	return i >= 0 ? ix.flags[i] : 0;
}

/* an absolute path, as fdt_path_offset reads it: each component names a
 * child exactly, or up to its unit address ("chosen" is "chosen@0" too) */
static int path_offset(const void *fdt, const char *path)
{
	int node = 0;

	if (path[0] != '/')
		return -FDT_ERR_BADPATH;
	while (*path) {
		const char *c = path, *e;
		int i;

		while (*c == '/')
			c++;
		if (!*c)
			break;
		for (e = c; *e && *e != '/'; e++)
			;
		for (i = ix_find(node) + 1; i < ix.n; i++) {
			const char *name;
			size_t l = (size_t)(e - c);

			if (ix.parent[i] != node)
				continue;
			/* the walk checked the node: its name follows its tag */
			name = (const char *)fdt + fdt_off_dt_struct(fdt) + ix.off[i] + FDT_TAGSIZE;
			if (!strncmp(name, c, l) && (name[l] == 0 ||
			    (name[l] == '@' && !memchr(c, '@', l))))
				break;
		}
		if (i >= ix.n)
			return -FDT_ERR_NOTFOUND;
		node = ix.off[i];
		path = e;
	}
	return node;
}

/* ---- properties ---------------------------------------------------------------------- */

static int prop_u32(const void *fdt, int node, const char *name, u32 dflt)
{
	int len;
	const fdt32_t *p = getprop(fdt, node, name, &len);

	return (p && len >= 4) ? (int)fdt32_ld(p) : (int)dflt;
}

/* #address-cells, #size-cells or #interrupt-cells (c) of `node`, else dflt */
static int cells_of(const void *fdt, int node, int c, u32 dflt)
{
	int i = ix_find(node);

	return (int)(i >= 0 && (ix.has_cells[i] & BIT(c)) ? ix.cells[i][c] : dflt);
}

/* #address-cells / #size-cells that apply to the children of `parent` */
static int addr_cells(const void *fdt, int parent)
{
	return cells_of(fdt, parent, C_ADDR, 2);
}
static int size_cells(const void *fdt, int parent)
{
	return cells_of(fdt, parent, C_SIZE, 1);
}

/* translate a bus address of a child of `node`'s parent up to the CPU's
 * physical address space through every `ranges` on the way */
static int translate(const void *fdt, int node, u64 *addr)
{
	int parent = parent_of(fdt, node);

	while (parent > 0) {
		int gp = parent_of(fdt, parent);
		int len, ca, pa, cs, entry;
		const fdt32_t *r;
		bool found = false;

		if (gp < 0)
			break; /* parent is the root */
		r = getprop(fdt, parent, "ranges", &len);
		if (!r)
			return -ENOENT; /* not translatable */
		if (len == 0) { /* identity */
			parent = gp;
			continue;
		}
		ca = addr_cells(fdt, parent);
		cs = size_cells(fdt, parent);
		pa = addr_cells(fdt, gp);
		entry = (ca + pa + cs) * 4;
		if (!entry)
			return -ENOENT;	/* entries of no cells: none to match */
		for (int off = 0; off + entry <= len; off += entry) {
			const fdt32_t *e = r + off / 4;
			u64 child = read_cells(e, ca), paddr = read_cells(e + ca, pa);
			u64 size = read_cells(e + ca + pa, cs);
			if (*addr >= child && *addr - child < size) {
				*addr = paddr + (*addr - child);
				found = true;
				break;
			}
		}
		if (!found)
			return -ENOENT;
		parent = gp;
	}
	return 0;
}

/* the idx-th `reg` entry of `node`, translated to a CPU physical address */
static int node_reg(const void *fdt, int node, int idx, u64 *addr, u64 *size)
{
	int parent = parent_of(fdt, node);
	int ac, sc, len;
	const fdt32_t *reg;

	if (parent < 0)
		return -EINVAL;
	ac = addr_cells(fdt, parent);
	sc = size_cells(fdt, parent);
	reg = getprop(fdt, node, "reg", &len);
	/* no entry of no cells (a loop over entries would never end), and
	 * no product that overflows (idx can come from the tree) */
	if (!reg || idx < 0 || !(ac + sc) || (u64)(idx + 1) * (u64)(ac + sc) * 4 > (u64)len)
		return -ENOENT;
	reg += idx * (ac + sc);
	*addr = read_cells(reg, ac);
	*size = read_cells(reg + ac, sc);
	return translate(fdt, node, addr);
}

/* the interrupt parent of `node`: the nearest interrupt-parent up the tree */
static int irq_parent(const void *fdt, int node)
{
	while (node >= 0) {
		int i = ix_find(node);

		if (i < 0)
			break;
		if (ix.flags[i] & F_IRQ_PARENT)
			return by_phandle(fdt, ix.irq_parent[i]);
		node = ix.parent[i];
	}
	return -FDT_ERR_NOTFOUND;
}

/* the INTID of a GICv3 specifier of `cells` cells (type, number, flags and,
 * with 4 cells, the PPI partition); 0 if `gic` is not a GICv3 or the
 * specifier is of a kind Aerie does not use (extended SPI/PPI ranges) */
static u32 gic_intid(const void *fdt, int gic, const fdt32_t *spec, int cells)
{
	u32 type, num;

	if (gic < 0 || cells < 3 || !(flags_of(gic) & BIT(K_GICV3)))
		return 0;
	type = fdt32_ld(&spec[0]);
	num = fdt32_ld(&spec[1]);
	if (type == GIC_PPI && num < 16)
		return num + GIC_PPI_BASE;
	if (type == GIC_SPI && num < 1020 - GIC_SPI_BASE)
		return num + GIC_SPI_BASE;
	return 0;
}

static int irq_cells(const void *fdt, int parent)
{
	return parent < 0 ? 0 : cells_of(fdt, parent, C_IRQ, 0);
}

/* interrupt number `idx` of `node` as an INTID, from `interrupts-extended`
 * or from `interrupts` read with its interrupt parent's #interrupt-cells */
static u32 node_irq(const void *fdt, int node, int idx)
{
	int len, parent, cells;
	const fdt32_t *p = getprop(fdt, node, "interrupts-extended", &len);

	if (p) {
		for (int off = 0, i = 0; off < len / 4; i++) {
			parent = by_phandle(fdt, fdt32_ld(&p[off]));
			cells = irq_cells(fdt, parent);
			if (cells <= 0 || (off + 1 + cells) * 4 > len)
				return 0;
			if (i == idx)
				return gic_intid(fdt, parent, &p[off + 1], cells);
			off += 1 + cells;
		}
		return 0;
	}
	p = getprop(fdt, node, "interrupts", &len);
	parent = irq_parent(fdt, node);
	cells = irq_cells(fdt, parent);
	if (!p || cells <= 0 || (idx + 1) * cells * 4 > len)
		return 0;
	return gic_intid(fdt, parent, &p[idx * cells], cells);
}

static int irq_by_name(const void *fdt, int node, const char *name)
{
	int idx = stringlist_search(fdt, node, "interrupt-names", name);

	return idx < 0 ? 0 : (int)node_irq(fdt, node, idx);
}

static bool is_device_type(const void *fdt, int node, const char *type)
{
	int len;
	const char *t = getprop(fdt, node, "device_type", &len);

	return is_type(t, len, type);
}

static bool node_enabled(const void *fdt, int node)
{
	return !(flags_of(node) & F_DISABLED);
}

static int parse_memory(const void *fdt, struct board *b)
{
	for (int node = next_of_kind(fdt, -1, K_MEMORY); node >= 0;
	     node = next_of_kind(fdt, node, K_MEMORY)) {
		if (!node_enabled(fdt, node))
			continue;
		for (int i = 0; b->mem_count < BOARD_MAX_MEM; i++) {
			u64 base, size;
			if (node_reg(fdt, node, i, &base, &size))
				break;
			if (size) {
				b->mem[b->mem_count].base = base;
				b->mem[b->mem_count].size = size;
				b->mem_count++;
			}
		}
	}
	return b->mem_count ? 0 : -ENODEV;
}

static int add_reserved(struct board *b, u64 base, u64 size, bool no_map)
{
	if (!size)
		return 0;
	if (b->reserved_count == BOARD_MAX_RESERVED)
		return -ENOSPC;
	b->reserved[b->reserved_count].base = base;
	b->reserved[b->reserved_count].size = size;
	b->reserved[b->reserved_count].no_map = no_map;
	b->reserved_count++;
	return 0;
}

/* /memreserve/ entries (the blob's header) and /reserved-memory children
 * with `reg`; size-only children are placed by an OS that wants them, so
 * firmware is not using them: counted and left to the allocator */
static int parse_reserved(const void *fdt, struct board *b)
{
	int rm, node, err = 0;
	u64 base, size;

	for (int i = 0; !err && dtb_mem_rsv(fdt, i, &base, &size) == 0; i++)
		err = add_reserved(b, base, size, false);
	rm = path_offset(fdt, "/reserved-memory");
	if (rm < 0)
		return err;
	for_each_subnode(node, fdt, rm) {
		bool no_map = getprop(fdt, node, "no-map", NULL) != NULL;
		int i;

		if (!node_enabled(fdt, node))
			continue;
		for (i = 0; !err && node_reg(fdt, node, i, &base, &size) == 0; i++)
			err = add_reserved(b, base, size, no_map);
		if (i == 0 && getprop(fdt, node, "size", NULL))
			b->reserved_dynamic++;
	}
	return err;
}

static int parse_cpus(const void *fdt, struct board *b)
{
	int cpus = path_offset(fdt, "/cpus"), node, psci, ac;
	const char *method;

	if (cpus < 0)
		return -ENODEV;
	ac = addr_cells(fdt, cpus);
	for_each_subnode(node, fdt, cpus) {
		int len;
		const fdt32_t *reg;

		if (!is_device_type(fdt, node, "cpu") || !node_enabled(fdt, node))
			continue;
		reg = getprop(fdt, node, "reg", &len);
		if (!reg || len < ac * 4)
			continue;
		if (b->cpu_count == BOARD_MAX_CPUS) {
			b->cpu_over++;
			continue;
		}
		b->cpu_mpidr[b->cpu_count++] = read_cells(reg, ac);
	}
	if (!b->cpu_count)
		return -ENODEV;
	psci = next_of_kind(fdt, -1, K_PSCI_1_0);
	if (psci < 0)
		psci = next_of_kind(fdt, -1, K_PSCI_0_2);
	if (psci < 0)
		psci = next_of_kind(fdt, -1, K_PSCI);
	b->psci = PSCI_NONE;
	if (psci >= 0 && node_enabled(fdt, psci)) {
		method = getprop(fdt, psci, "method", NULL);
		if (method && !strcmp(method, "smc"))
			b->psci = PSCI_SMC;
		else if (method && !strcmp(method, "hvc"))
			b->psci = PSCI_HVC;
	}
	return 0;
}

/* the UARTs Aerie can drive as its console; reg_shift / reg_io_width are
 * the defaults when the node has no reg-shift / reg-io-width property */
static const struct {
	char compatible[18];	/* in place: no relocated pointers */
	u8 kind, reg_shift, reg_io_width;
} uart_kinds[] = {
	{ "arm,pl011", UART_PL011, 0, 4 },
	{ "arm,sbsa-uart", UART_SBSA, 0, 4 },
	{ "snps,dw-apb-uart", UART_8250, 0, 1 },
	/* TI's 8250 (K3: AM65x, J721E): registers 4 bytes apart by definition */
	{ "ti,am654-uart", UART_8250, 2, 1 },
	{ "ns16550a", UART_8250, 0, 1 },
	{ "ns16550", UART_8250, 0, 1 },
};

/* stdout-path = "alias-or-path[:options]"; options start with the baud */
static int parse_uart(const void *fdt, struct board *b)
{
	int chosen = path_offset(fdt, "/chosen"), node, len, colon;
	const char *path;
	char buf[128];
	u64 base, size;
	unsigned int k;

	if (chosen < 0)
		return -ENODEV;
	path = getprop(fdt, chosen, "stdout-path", &len);
	if (!path)
		path = getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!path || len <= 1)
		return -ENODEV;
	len = (int)strnlen(path, (size_t)len);
	for (colon = 0; colon < len && path[colon] != ':'; colon++)
		;
	if (colon >= (int)sizeof(buf))
		return -EINVAL;
	memcpy(buf, path, (size_t)colon);
	buf[colon] = 0;
	if (buf[0] != '/') {
		int aliases = path_offset(fdt, "/aliases");
		const char *alias = aliases < 0 ? NULL : getprop(fdt, aliases, buf, NULL);
		if (!alias)
			return -ENODEV;
		node = path_offset(fdt, alias);
	} else {
		node = path_offset(fdt, buf);
	}
	if (node < 0 || !node_enabled(fdt, node))
		return -ENODEV;
	for (k = 0; k < ARRAY_SIZE(uart_kinds); k++)
		if (stringlist_search(fdt, node, "compatible", uart_kinds[k].compatible) >= 0)
			break;
	if (k == ARRAY_SIZE(uart_kinds) || node_reg(fdt, node, 0, &base, &size))
		return -ENODEV;
	b->uart.kind = (enum board_uart_kind)uart_kinds[k].kind;
	b->uart.reg_shift = (u8)prop_u32(fdt, node, "reg-shift", uart_kinds[k].reg_shift);
	b->uart.reg_io_width = (u8)prop_u32(fdt, node, "reg-io-width", uart_kinds[k].reg_io_width);
	if (b->uart.kind == UART_8250 &&
	    (b->uart.reg_shift > 3 || (b->uart.reg_io_width != 1 && b->uart.reg_io_width != 4)))
		return -EINVAL;
	for (int i = colon + 1; i < len && path[i] >= '0' && path[i] <= '9'; i++)
		b->uart.baud = b->uart.baud * 10 + (u32)(path[i] - '0');
	if (b->uart.baud > 100000000)
		b->uart.baud = 0;
	b->uart.present = true;
	b->uart.base = base;
	b->uart.size = size;
	b->uart.irq = node_irq(fdt, node, 0);
	/* an SPI read from a GIC parent; behind an interrupt-map (FVP's
	 * motherboard bus) it is not resolved here, and Aerie's console polls */
	b->uart.irq_known = b->uart.irq >= GIC_SPI_BASE;
	if (b->uart.irq_known)
		b->uart.irq -= GIC_SPI_BASE;
	return 0;
}

static int enabled_by_kind(const void *fdt, int k)
{
	int node = next_of_kind(fdt, -1, k);

	while (node >= 0 && !node_enabled(fdt, node))
		node = next_of_kind(fdt, node, k);
	return node;
}

static int parse_gic(const void *fdt, struct board *b)
{
	int node = enabled_by_kind(fdt, K_GICV3);
	u32 nredist;
	u64 base, size;
	int i;

	if (node < 0)
		return -ENODEV;
	if (node_reg(fdt, node, 0, &base, &size))
		return -ENODEV;
	b->gic.dist_base = base;
	b->gic.dist_size = size;
	nredist = (u32)prop_u32(fdt, node, "#redistributor-regions", 1);
	for (i = 0; i < (int)nredist && i < BOARD_MAX_REDIST; i++) {
		if (node_reg(fdt, node, 1 + i, &base, &size))
			return -ENODEV;
		b->gic.redist_base[i] = base;
		b->gic.redist_size[i] = size;
	}
	b->gic.redist_count = (unsigned int)i;
	/* after the redistributors: GICC, GICH, GICV (optional); the count is
	 * the tree's, so its index is made without overflow */
	if (nredist <= (u32)INT32_MAX - 3 && !node_reg(fdt, node, 1 + (int)nredist + 2, &base, &size))
		b->gic.gicv_base = base;
	b->gic.maint_irq = node_irq(fdt, node, 0);
	b->gic.present = true;
	return 0;
}

static u32 spi_by_name(const void *fdt, int node, const char *name)
{
	u32 irq = (u32)irq_by_name(fdt, node, name);

	return irq >= GIC_SPI_BASE ? irq - GIC_SPI_BASE : 0;
}

/* every enabled SMMUv3 node (HiSilicon D05 has a disabled one first) */
static int parse_smmus(const void *fdt, struct board *b)
{
	int node;

	for (node = next_of_kind(fdt, -1, K_SMMUV3); node >= 0;
	     node = next_of_kind(fdt, node, K_SMMUV3)) {
		struct board_smmu *m = &b->smmus[b->smmu_count];
		u64 base, size;

		if (!node_enabled(fdt, node) || node_reg(fdt, node, 0, &base, &size))
			continue;
		if (b->smmu_count == BOARD_MAX_SMMU) {
			b->smmu_over++;
			continue;
		}
		m->base = base;
		m->size = size;
		m->phandle = ix.phandle[ix_find(node)];
		m->irq_eventq = spi_by_name(fdt, node, "eventq");
		m->irq_gerror = spi_by_name(fdt, node, "gerror");
		m->irq_cmdq_sync = spi_by_name(fdt, node, "cmdq-sync");
		b->smmu_count++;
	}
	return b->smmu_count ? 0 : -ENODEV;
}

static int smmu_by_phandle(const struct board *b, u32 phandle)
{
	for (unsigned int i = 0; i < b->smmu_count; i++)
		if (b->smmus[i].phandle == phandle)
			return (int)i;
	return -ENOENT;
}

/* the SMMU of guests' DMA: the one the host bridge's iommu-map names */
static int choose_smmu(struct board *b)
{
	int i = 0;
	const struct board_smmu *m;

	if (b->pcie.iommu_map_count) {
		i = smmu_by_phandle(b, b->pcie.iommu_map[0].iommu_phandle);
		if (i < 0)
			return i;
	}
	m = &b->smmus[i];
	b->smmu.present = true;
	b->smmu.index = (unsigned int)i;
	b->smmu.base = m->base;
	b->smmu.size = m->size;
	b->smmu.phandle = m->phandle;
	b->smmu.irq_eventq = m->irq_eventq;
	b->smmu.irq_gerror = m->irq_gerror;
	b->smmu.irq_cmdq_sync = m->irq_cmdq_sync;
	return 0;
}

/* INTA..INTD of slot 0 from the host bridge's interrupt-map; each entry:
 * child unit address, child specifier (the bridge's #address-cells and
 * #interrupt-cells), parent phandle, then the parent's unit address and
 * specifier (that parent's #address-cells and #interrupt-cells) */
static void parse_pcie_intx(const void *fdt, int node, struct board *b)
{
	int len, n, cac = cells_of(fdt, node, C_ADDR, 3);
	int cic = cells_of(fdt, node, C_IRQ, 1);
	const fdt32_t *map = getprop(fdt, node, "interrupt-map", &len);

	if (!map || cac < 1 || cic < 1)
		return;
	n = len / 4;
	for (int off = 0; off + cac + cic + 1 <= n;) {
		const fdt32_t *e = &map[off];
		int parent = by_phandle(fdt, fdt32_ld(&e[cac + cic]));
		int pac = parent < 0 ? -1 : cells_of(fdt, parent, C_ADDR, 0);
		int pic = irq_cells(fdt, parent);
		int entry = cac + cic + 1 + pac + pic;
		u32 devfn = (fdt32_ld(&e[0]) >> 8) & 0xff, pin = fdt32_ld(&e[cac]), intid;

		if (pac < 0 || pic <= 0 || off + entry > n)
			return;
		intid = gic_intid(fdt, parent, &e[cac + cic + 1 + pac], pic);
		if (devfn == 0 && pin >= 1 && pin <= 4 && intid >= GIC_SPI_BASE)
			b->pcie.intx_spi[pin - 1] = intid - GIC_SPI_BASE;
		off += entry;
	}
}

static int parse_pcie(const void *fdt, struct board *b)
{
	int node = enabled_by_kind(fdt, K_ECAM);
	int len, pac, entry;
	const fdt32_t *p;
	u64 base, size;

	if (node < 0)
		return -ENODEV;
	if (node_reg(fdt, node, 0, &base, &size))
		return -ENODEV;
	b->pcie.present = true;
	b->pcie.ecam_base = base;
	b->pcie.ecam_size = size;
	p = getprop(fdt, node, "bus-range", &len);
	if (p && len >= 8) {
		b->pcie.bus_start = fdt32_ld(&p[0]);
		b->pcie.bus_end = fdt32_ld(&p[1]);
	} else {
		b->pcie.bus_start = 0;
		b->pcie.bus_end = 255;
	}
	/* 1 MiB of ECAM per bus: no bus beyond the window (nor below one bus) */
	if (size < (1ULL << 20) || b->pcie.bus_end < b->pcie.bus_start || b->pcie.bus_end > 255) {
		b->pcie.present = false;
		return -EINVAL;
	}
	if (b->pcie.bus_end - b->pcie.bus_start >= size >> 20)
		b->pcie.bus_end = b->pcie.bus_start + (u32)(size >> 20) - 1;
	/* ranges: pci addr (3 cells) + parent addr + size (2 cells) */
	pac = addr_cells(fdt, parent_of(fdt, node));
	entry = 3 + pac + 2;
	p = getprop(fdt, node, "ranges", &len);
	for (int off = 0; p && (off + entry) * 4 <= len &&
			  b->pcie.range_count < BOARD_MAX_RANGES; off += entry) {
		struct board_pci_range *r = &b->pcie.ranges[b->pcie.range_count];
		u32 hi = fdt32_ld(&p[off]);
		u64 cpu = read_cells(&p[off + 3], pac);

		r->space = (enum pci_space)((hi >> 24) & 3);
		r->prefetchable = (hi >> 30) & 1;
		r->pci_addr = read_cells(&p[off + 1], 2);
		r->cpu_addr = cpu;
		r->size = read_cells(&p[off + 3 + pac], 2);
		if (translate(fdt, node, &r->cpu_addr) == 0)
			b->pcie.range_count++;
	}
	p = getprop(fdt, node, "iommu-map", &len);
	for (int off = 0; p && (off + 4) * 4 <= len &&
			  b->pcie.iommu_map_count < BOARD_MAX_IOMMU_MAP; off += 4) {
		struct board_iommu_map *m = &b->pcie.iommu_map[b->pcie.iommu_map_count++];
		m->rid_base = fdt32_ld(&p[off]);
		m->iommu_phandle = fdt32_ld(&p[off + 1]);
		m->sid_base = fdt32_ld(&p[off + 2]);
		m->length = fdt32_ld(&p[off + 3]);
	}
	b->pcie.iommu_map_mask = (u32)prop_u32(fdt, node, "iommu-map-mask", 0xffff);
	parse_pcie_intx(fdt, node, b);
	return 0;
}

static int parse_timer(const void *fdt, struct board *b)
{
	int node = enabled_by_kind(fdt, K_TIMER);

	if (node < 0)
		return -ENODEV;
	/* secure phys, non-secure phys, virtual, hypervisor */
	b->timer.phys_ppi = node_irq(fdt, node, 1);
	b->timer.virt_ppi = node_irq(fdt, node, 2);
	b->timer.hyp_ppi = node_irq(fdt, node, 3);
	return 0;
}

static void parse_chosen(const void *fdt, struct board *b)
{
	int chosen = path_offset(fdt, "/chosen"), len;
	const char *args;
	const fdt32_t *p;

	if (chosen < 0)
		return;
	args = getprop(fdt, chosen, "bootargs", &len);
	if (args && len > 0) {
		size_t n = strnlen(args, (size_t)len);
		if (n >= sizeof(b->bootargs))
			n = sizeof(b->bootargs) - 1;
		memcpy(b->bootargs, args, n);
		b->bootargs[n] = 0;
	}
	p = getprop(fdt, chosen, "linux,initrd-start", &len);
	if (p && (len == 4 || len == 8))
		b->initrd_start = read_cells(p, len / 4);
	p = getprop(fdt, chosen, "linux,initrd-end", &len);
	if (p && (len == 4 || len == 8))
		b->initrd_end = read_cells(p, len / 4);
}

int board_parse(const void *fdt, struct board *b, const char **missing)
{
	const char *model;
	int len;

	memset(b, 0, sizeof(*b));
	*missing = NULL;
	if (dtb_check_header(fdt)) {
		*missing = "a valid device tree blob in x0";
		return -EINVAL;
	}
	if (!ix_build(fdt)) {
		*missing = "a device tree of at most " STR(IX_MAX) " nodes, " STR(IX_PROPS)
			   " properties, " STR(IX_DEPTH) " levels deep";
		return -E2BIG;
	}
	model = getprop(fdt, 0, "model", &len);
	if (model && len > 0) {
		size_t n = strnlen(model, (size_t)len);
		if (n >= sizeof(b->model))
			n = sizeof(b->model) - 1;
		memcpy(b->model, model, n);
	}
	parse_chosen(fdt, b);
	/* the UART first, so that later errors can be printed */
	if (parse_uart(fdt, b))
		*missing = "/chosen/stdout-path naming an enabled UART Aerie drives "
			   "(arm,pl011, arm,sbsa-uart, ns16550(a), snps,dw-apb-uart, ti,am654-uart)";
	if (parse_memory(fdt, b)) {
		*missing = "memory node (device_type = \"memory\")";
		return -ENODEV;
	}
	if (parse_reserved(fdt, b)) {
		*missing = "reserved-memory list of at most " STR(BOARD_MAX_RESERVED) " regions";
		return -ENOSPC;
	}
	if (parse_cpus(fdt, b)) {
		*missing = "/cpus with cpu nodes";
		return -ENODEV;
	}
	if (parse_gic(fdt, b)) {
		*missing = "GICv3 interrupt controller (compatible \"arm,gic-v3\")";
		return -ENODEV;
	}
	if (parse_timer(fdt, b)) {
		*missing = "architected timer (compatible \"arm,armv8-timer\")";
		return -ENODEV;
	}
	if (parse_smmus(fdt, b)) {
		*missing = "SMMUv3 (compatible \"arm,smmu-v3\", enabled; on QEMU: -M virt,iommu=smmuv3)";
		return -ENODEV;
	}
	if (parse_pcie(fdt, b)) {
		*missing = "PCIe ECAM host bridge (compatible \"pci-host-ecam-generic\", enabled)";
		return -ENODEV;
	}
	if (choose_smmu(b)) {
		*missing = "enabled SMMUv3 where the host bridge's iommu-map points";
		return -ENODEV;
	}
	if (*missing)
		return -ENODEV; /* no console */
	return 0;
}

/* the iommu-map entry for `rid` (after iommu-map-mask): the first that
 * covers it, as Linux's of_map_id() takes it */
static const struct board_iommu_map *rid_map(const struct board *b, u32 rid, u32 *sid)
{
	rid &= b->pcie.iommu_map_mask;
	for (unsigned int i = 0; i < b->pcie.iommu_map_count; i++) {
		const struct board_iommu_map *m = &b->pcie.iommu_map[i];
		if (rid >= m->rid_base && rid - m->rid_base < m->length) {
			*sid = m->sid_base + (rid - m->rid_base);
			return m;
		}
	}
	return NULL;
}

int board_rid_to_sid(const struct board *b, u32 rid, u32 *sid)
{
	const struct board_iommu_map *m = rid_map(b, rid, sid);

	return m && (!b->smmu.phandle || m->iommu_phandle == b->smmu.phandle) ? 0 : -ENOENT;
}

int board_rid_to_smmu(const struct board *b, u32 rid, u32 *sid)
{
	const struct board_iommu_map *m = rid_map(b, rid, sid);

	return m ? smmu_by_phandle(b, m->iommu_phandle) : -ENOENT;
}

static const char *psci_name(enum psci_method m)
{
	return m == PSCI_SMC ? "smc" : m == PSCI_HVC ? "hvc" : "none";
}

void board_print(const struct board *b)
{
	static const char space[][6] = { "cfg", "io", "mem32", "mem64" }; /* no pointers */
	static const char uart_name[][10] = { "PL011", "SBSA UART", "8250" };

	pr_info("board: %s\n", b->model[0] ? b->model : "(no model)");
	for (unsigned int i = 0; i < b->mem_count; i++)
		pr_info("  memory   0x%llx-0x%llx (%llu MiB)\n",
			(unsigned long long)b->mem[i].base,
			(unsigned long long)(b->mem[i].base + b->mem[i].size - 1),
			(unsigned long long)(b->mem[i].size >> 20));
	for (unsigned int i = 0; i < b->reserved_count; i++)
		pr_info("  reserved 0x%llx-0x%llx%s\n", (unsigned long long)b->reserved[i].base,
			(unsigned long long)(b->reserved[i].base + b->reserved[i].size - 1),
			b->reserved[i].no_map ? " no-map" : "");
	if (b->reserved_dynamic)
		pr_info("  reserved %u size-only region(s) not placed: left to the allocator\n",
			b->reserved_dynamic);
	pr_info("  cpus     %u, PSCI via %s\n", b->cpu_count, psci_name(b->psci));
	if (b->cpu_over)
		pr_warn("  cpus     %u more not used: Aerie takes %u\n", b->cpu_over, BOARD_MAX_CPUS);
	if (b->uart.present && b->uart.irq_known)
		pr_info("  console  %s at 0x%llx (SPI %u)\n", uart_name[b->uart.kind],
			(unsigned long long)b->uart.base, b->uart.irq);
	else if (b->uart.present)
		pr_info("  console  %s at 0x%llx (its interrupt not read: polled)\n",
			uart_name[b->uart.kind], (unsigned long long)b->uart.base);
	if (b->uart.present && b->uart.baud) /* stdout-path's option, if it has one */
		pr_info("  console  %u baud (as the firmware set it)\n", b->uart.baud);
	pr_info("  gic      GICv3 dist 0x%llx, %u redistributor region(s) at 0x%llx, maint INTID %u\n",
		(unsigned long long)b->gic.dist_base, b->gic.redist_count,
		(unsigned long long)b->gic.redist_base[0], b->gic.maint_irq);
	pr_info("  timer    hyp INTID %u, virt INTID %u\n", b->timer.hyp_ppi, b->timer.virt_ppi);
	for (unsigned int i = 0; i < b->smmu_count; i++)
		pr_info("  smmu     SMMUv3 at 0x%llx (eventq SPI %u, gerror SPI %u)%s\n",
			(unsigned long long)b->smmus[i].base, b->smmus[i].irq_eventq,
			b->smmus[i].irq_gerror, i == b->smmu.index ? ", guests' DMA" : "");
	if (b->smmu_over)
		pr_warn("  smmu     %u more SMMUv3 not used: Aerie takes %u\n", b->smmu_over,
			BOARD_MAX_SMMU);
	pr_info("  pcie     ECAM 0x%llx (+%llu MiB), buses %u-%u\n",
		(unsigned long long)b->pcie.ecam_base,
		(unsigned long long)(b->pcie.ecam_size >> 20), b->pcie.bus_start, b->pcie.bus_end);
	for (unsigned int i = 0; i < b->pcie.range_count; i++) {
		const struct board_pci_range *r = &b->pcie.ranges[i];
		pr_info("           %s%s pci 0x%llx -> cpu 0x%llx (+0x%llx)\n", space[r->space],
			r->prefetchable ? " pref" : "", (unsigned long long)r->pci_addr,
			(unsigned long long)r->cpu_addr, (unsigned long long)r->size);
	}
	for (unsigned int i = 0; i < b->pcie.iommu_map_count; i++)
		pr_info("           iommu-map rid 0x%x+%u -> sid 0x%x\n",
			b->pcie.iommu_map[i].rid_base, b->pcie.iommu_map[i].length,
			b->pcie.iommu_map[i].sid_base);
}
