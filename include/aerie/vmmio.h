/* SPDX-License-Identifier: MIT */
/*
 * Emulated MMIO for guests (vmm/vmmio.c): a trapped guest access that the
 * syndrome describes (ISV = 1) is offered to each emulated device in turn.
 */
#ifndef AERIE_VMMIO_H
#define AERIE_VMMIO_H

#include <aerie/types.h>

struct guest;

struct vmmio_access {
	u64 ipa;
	unsigned int size;	/* 1, 2, 4 or 8 bytes */
	bool write;
	u64 val;		/* in: the value written; out: the value read */
};

/* true if an emulated device took the access */
bool vmmio_dispatch(struct guest *g, unsigned int vcpu, struct vmmio_access *a);

/* the emulated PL011 console (vmm/vuart.c) */
bool vuart_access(struct guest *g, struct vmmio_access *a);

/* stop the guest: every vCPU leaves it (vmm/guest_run.c) */
struct guest_vcpu;
void guest_stop(struct guest *g, const struct guest_vcpu *self, int state, const char *why);

#endif
