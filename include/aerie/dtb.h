/* SPDX-License-Identifier: MIT */
/*
 * Aerie's read-only device-tree reader (vmm/lib/dtb.c): the few lookups the
 * board's tree (boot/board.c) and the guest package (vmm/guest_config.c)
 * need, on top of libfdt's tag walk (fdt.o: fdt_check_header, fdt_next_tag,
 * fdt_offset_ptr, fdt_first_subnode/fdt_next_subnode). libfdt's fdt_ro.o and
 * fdt_check.o are not linked: Debian builds them without function sections,
 * so the whole of each came into the image for a handful of calls.
 *
 * Results and errors follow libfdt's conventions: offsets are structure-block
 * offsets, errors are -FDT_ERR_*. Every bound is checked against the blob's
 * header, which the caller has checked first (fdt_check_header, or
 * dtb_check for a blob from a guest's side).
 */
#ifndef AERIE_DTB_H
#define AERIE_DTB_H

#include <libfdt.h>
#include <aerie/types.h>

/*
 * The whole blob's structure, before any lookup trusts it: the header
 * (fdt_check_header) and a totalsize within `size`, version 16 or later, a
 * memory reservation block that ends inside the blob, one root node with an
 * empty name and every node closed, each tag and property value inside the
 * structure block, each property name a string inside the strings block,
 * nothing but FDT_END after the root. 0 or -FDT_ERR_*.
 */
int dtb_check(const void *fdt, size_t size);

/* the NUL-terminated string at `off` in the strings block; NULL if it is
 * not one (off outside, or no NUL before the block's end) */
const char *dtb_string(const void *fdt, int off);

/* node's property `name`: its value, its length in *lenp (if lenp); NULL
 * with *lenp = -FDT_ERR_NOTFOUND, or -FDT_ERR_BADOFFSET for an offset that
 * is not a node's */
const void *dtb_getprop(const void *fdt, int node, const char *name, int *lenp);

/* a node's name (its unit address included); NULL if node is not one */
const char *dtb_get_name(const void *fdt, int node);

/* a node called `name` answers to the l bytes at s: its whole name, or its
 * name up to its unit address if s has none ("chosen" is "chosen@0" too) */
bool dtb_name_matches(const char *name, const char *s, size_t l);

/* the child of parent that dtb_name_matches `name`; -FDT_ERR_NOTFOUND if
 * none */
int dtb_subnode(const void *fdt, int parent, const char *name);

/* the index of `str` in node's string-list property `prop`;
 * -FDT_ERR_NOTFOUND if it is not there, -FDT_ERR_BADVALUE if the list is
 * not NUL-terminated before `str` is found */
int dtb_stringlist_search(const void *fdt, int node, const char *prop, const char *str);

/* node's compatible list holds `compat` */
static inline bool dtb_is_compatible(const void *fdt, int node, const char *compat)
{
	return dtb_stringlist_search(fdt, node, "compatible", compat) >= 0;
}

/* memory reservation entry n (the header's /memreserve/ list): 0;
 * -FDT_ERR_NOTFOUND at the list's terminating zero entry and past it,
 * -FDT_ERR_TRUNCATED if the list runs off the blob first */
int dtb_mem_rsv(const void *fdt, int n, u64 *base, u64 *size);

#endif
