/* SPDX-License-Identifier: MIT */
/*
 * The guest's device tree (vmm/guest_fdt.c), generated with libfdt's
 * sequential-write API, so that vCPU 0 enters as the Linux arm64 boot
 * protocol says: x0 = the DTB's guest-physical address. It describes only
 * what the guest has: its RAM, its vCPUs (PSCI over HVC), the emulated
 * PL011, the GICv3 and timer it will see, and a generic ECAM host bridge
 * whose `ranges` are exactly its devices' memory BARs (docs/guests.md).
 */
#ifndef AERIE_GUEST_FDT_H
#define AERIE_GUEST_FDT_H

#include <aerie/types.h>

struct guest;

/* write g's device tree into buf (size bytes, 4-aligned); 0, -ENOSPC if it
 * does not fit, -EINVAL for a buf that is not 4-aligned or a tree the
 * writer cannot hold (vmm/guest_fdt.c) */
int guest_fdt_build(const struct guest *g, void *buf, u32 size);

/* build it in the last GUEST_FDT_MAX bytes of g's RAM and set g->boot_x0
 * to its IPA; -ENOSPC when that space would overlap the image (image_size
 * bytes at the start of RAM). g->boot_x0 is unchanged on failure. */
int guest_fdt_install(struct guest *g, u64 image_size);

#endif
