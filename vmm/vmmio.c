/* SPDX-License-Identifier: MIT */
/* Emulated MMIO: offer a trapped guest access to each emulated device. */
#include <aerie/guest.h>
#include <aerie/vmmio.h>

bool vmmio_dispatch(struct guest *g, unsigned int vcpu, struct vmmio_access *a)
{
	(void)vcpu;
	return vuart_access(g, a);
}
