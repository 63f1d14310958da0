/* SPDX-License-Identifier: MIT */
/*
 * libfdt's sequential-write calls, as vmm/guest_fdt.c makes them, served in
 * the image by Aerie's writer (vmm/lib/dtb_write.c): no libfdt object is
 * linked (Makefile). Hypervisor only: the host tests link the host's libfdt
 * and test_dtb checks that both write the same bytes. The prototypes are
 * libfdt.h's.
 */
#include <aerie/dtb.h>

int fdt_create(void *buf, int bufsize)
{
	return dtb_create(buf, bufsize);
}

int fdt_finish_reservemap(void *fdt)
{
	return dtb_finish_reservemap(fdt);
}

int fdt_begin_node(void *fdt, const char *name)
{
	return dtb_begin_node(fdt, name);
}

int fdt_property(void *fdt, const char *name, const void *val, int len)
{
	return dtb_property(fdt, name, val, len);
}

int fdt_end_node(void *fdt)
{
	return dtb_end_node(fdt);
}

int fdt_finish(void *fdt)
{
	return dtb_finish(fdt);
}
