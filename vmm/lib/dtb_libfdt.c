/* SPDX-License-Identifier: MIT */
/*
 * The two functions libfdt's sequential writer (fdt_sw.o: the guests'
 * device trees, vmm/guest_fdt.c) takes from libfdt's fdt.o, served by
 * Aerie's reader (vmm/lib/dtb.c) so that fdt.o is not linked (Makefile,
 * LIBFDT_OBJS). Hypervisor only: the host tests link the host's libfdt,
 * which has its own. Should a later libfdt's fdt_sw.o want more of fdt.o,
 * the image does not link (an undefined reference), so nothing changes
 * unseen.
 */
#include <aerie/dtb.h>

/* libfdt_internal.h's, not installed with libfdt */
const char *fdt_find_string_(const char *strtab, int tabsize, const char *s);

uint32_t fdt_next_tag(const void *fdt, int startoffset, int *nextoffset)
{
	return dtb_next_tag(fdt, startoffset, nextoffset);
}

const char *fdt_find_string_(const char *strtab, int tabsize, const char *s)
{
	return dtb_find_string(strtab, tabsize, s);
}
