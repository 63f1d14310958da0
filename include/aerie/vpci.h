/* SPDX-License-Identifier: MIT */
/*
 * The guest's PCI configuration space (vmm/vpci.c): an emulated ECAM window
 * (bus 0 only) at GUEST_ECAM_IPA, never in the guest's stage 2, so every
 * access traps. Each assigned device sits at its virtual BDF; every other
 * BDF reads as all-ones. Reads come from the real device, writes are
 * policed (docs/assigning-a-device.md):
 *  - Command: only memory space, bus master and INTx disable reach the
 *    device; I/O space and the rest keep their value. Status: ignored.
 *  - BARs: the sizing protocol is emulated (a value with every address bit
 *    set, e.g. all-ones, then the size mask reads back), but the real BAR
 *    never moves: any other value is ignored and the BAR reads its real
 *    address again (IPA = PA). I/O and unassigned BARs read as 0 (not
 *    implemented).
 *  - Expansion ROM reads 0; every other write (capabilities such as MSI and
 *    MSI-X, bridge windows, the extended space) is ignored.
 *  - 8-byte or misaligned accesses read all-ones and write nothing.
 * Portable: host tests run it against a software config space.
 */
#ifndef AERIE_VPCI_H
#define AERIE_VPCI_H

#include <aerie/types.h>

struct guest;
struct pci_dev;
struct vmmio_access;

/* per assigned device, parallel to guest->devs[] */
struct vpci_dev {
	u32 vbdf;		/* bus << 8 | dev << 3 | fn, as the guest sees it */
	u32 sizing;		/* bit i: BAR register i reads its size mask */
};

/* the virtual BDF device d gets in guest g: its own BDF if it is function 0
 * on bus 0, otherwise 00:N.0 with N the lowest slot >= 1 that no function
 * on the physical bus 0 and no device of g uses. -ENOSPC when no slot is
 * left, -EBUSY if one of d's BARs overlaps a guest address Aerie emulates
 * or the guest's RAM. No state changes. */
int vpci_choose_vbdf(const struct guest *g, const struct pci_dev *d);

/* a trapped access: false if it is outside the guest's ECAM window */
bool vpci_access(struct guest *g, struct vmmio_access *a);

/* the PCI bus address BAR i of d decodes (its real register; 0 if none) */
u64 vpci_bar_bus_addr(const struct pci_dev *d, int i);

#endif
