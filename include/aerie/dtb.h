/* SPDX-License-Identifier: MIT */
/*
 * Aerie's device-tree reader (vmm/lib/dtb.c): the few lookups the board's
 * tree (boot/board.c) and the guest package (vmm/guest_config.c) need,
 * with their own header check and tag walk. The guests' trees are written
 * by vmm/guest_fdt.c's own sequential writer. No libfdt object is linked
 * into the image: Debian builds libfdt without function sections, so each
 * object came whole for a handful of calls (fdt.o, fdt_ro.o, fdt_check.o,
 * fdt_sw.o: 10.6 KB); libfdt.h still gives the types, header accessors and
 * error codes.
 *
 * Results and errors follow libfdt's conventions (libfdt.h's types, header
 * accessors and FDT_ERR_* codes): offsets are structure-block offsets,
 * errors are -FDT_ERR_*. Every bound is checked against the blob's header,
 * which the caller has checked first (dtb_check_header, or dtb_check for a
 * blob from a guest's side).
 */
#ifndef AERIE_DTB_H
#define AERIE_DTB_H

#include <libfdt.h>
#include <aerie/types.h>

/* the header: the magic, version 17 (the oldest any tool of the last 15
 * years writes) or a later one compatible with it, and every block inside
 * totalsize. 0, -FDT_ERR_BADMAGIC, -FDT_ERR_BADVERSION or
 * -FDT_ERR_TRUNCATED */
int dtb_check_header(const void *fdt);

/* len bytes at off in the structure block; NULL if they are not all in it */
const void *dtb_offset_ptr(const void *fdt, int off, u32 len);

/* the tag at `off` and in *next the offset of the one after it (its name,
 * or its value, inside the structure block); FDT_END with *next < 0 if
 * there is no whole tag at off (-FDT_ERR_TRUNCATED: none at all,
 * -FDT_ERR_BADSTRUCTURE: an unknown tag, a name without its NUL, a value
 * longer than the block) */
u32 dtb_next_tag(const void *fdt, int off, int *next);

/* a node's first child, the next child of its parent; -FDT_ERR_NOTFOUND
 * when there is none */
int dtb_first_subnode(const void *fdt, int parent);
int dtb_next_subnode(const void *fdt, int node);
#define dtb_for_each_subnode(node, fdt, parent) \
	for ((node) = dtb_first_subnode(fdt, parent); (node) >= 0; \
	     (node) = dtb_next_subnode(fdt, node))

/*
 * The whole blob's structure, before any lookup trusts it: the header
 * (dtb_check_header) and a totalsize within `size`, a memory reservation
 * list that ends inside the blob, one root node at offset 0 with an empty
 * name and every node closed, each tag and property value inside the structure
 * block, each property name a string inside the strings block, nothing but
 * FDT_END after the root. 0 or -FDT_ERR_*.
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
