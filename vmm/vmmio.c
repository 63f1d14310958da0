/* SPDX-License-Identifier: MIT */
/* Emulated MMIO: offer a trapped guest access to each emulated device. */
#include <aerie/guest.h>
#include <aerie/vgic.h>
#include <aerie/vmmio.h>
#include <aerie/vpci.h>
#include <aerie/vsmmu.h>

bool vmmio_dispatch(struct guest *g, unsigned int vcpu, struct vmmio_access *a)
{
	(void)vcpu;
	return vuart_access(g, a) || vpci_access(g, a) || vgic_mmio_access(g, vcpu, a) ||
	       vsmmu_access(g->vsmmu, a);
}
