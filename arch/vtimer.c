/* SPDX-License-Identifier: MIT */
/*
 * The guest's virtual timer. The guest programs CNTV_CTL_EL0/CNTV_CVAL_EL0
 * (and reads CNTVCT_EL0) itself, untrapped; CNTVOFF_EL2 is 0, so its
 * virtual count is the physical count. While a vCPU is loaded, the virtual
 * timer's physical PPI is enabled on this CPU's redistributor: when the
 * timer fires in the guest, the PPI exits to EL2, which drops its priority
 * and injects virtual PPI 27 with a hardware-linked list register
 * (arch/vgic.c); the guest's deactivation of the virtual PPI deactivates
 * the physical one, so it cannot fire again before the guest has handled it.
 *
 * On put, the timer is saved and stopped (CTL = 0: its output goes low and
 * the PPI cannot stay pending for the next vCPU) and the PPI disabled.
 */
#include <aerie/bits.h>
#include <aerie/gicv3.h>
#include <aerie/sysreg.h>
#include <aerie/vcpu.h>

#define CNTV_CTL_ENABLE		BIT(0)
#define CNTV_CTL_IMASK		BIT(1)
#define CNTV_CTL_ISTATUS	BIT(2)	/* read-only */

void vtimer_load(const struct vcpu *v)
{
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(cntv_cval_el0, v->el1.cntv_cval);
	write_sysreg(cntv_ctl_el0, v->el1.cntv_ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK));
	isb();
	gicv3_ppi_enable(gicv3_vtimer_intid(), true);
}

void vtimer_put(struct vcpu *v)
{
	v->el1.cntv_ctl = read_sysreg(cntv_ctl_el0) & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
	v->el1.cntv_cval = read_sysreg(cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	gicv3_ppi_enable(gicv3_vtimer_intid(), false);
}
