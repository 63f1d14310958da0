/* SPDX-License-Identifier: MIT */
/*
 * Physical interrupts Aerie keeps for itself (include/aerie/hyp_irq.h).
 *
 * The SMMU's event-queue interrupt: an edge on a wired SPI whenever the
 * SMMU writes an event. A guest running on the boot CPU exits for it and
 * the queue is drained at once (a guest's stage-1 fault then reaches its
 * vEVENTQ ring and raises its notification interrupt even while the guest
 * sleeps in WFI). Without it (no SPI in the device tree, or an SMMU that
 * does not acknowledge) the queue is drained on every slow-path exit and
 * every millisecond by the boot CPU, as before.
 */
#include <aerie/arch.h>
#include <aerie/gicv3.h>
#include <aerie/hyp_irq.h>
#include <aerie/log.h>
#include <aerie/percpu.h>
#include <aerie/smmu.h>
#include <aerie/vgic.h>

#define INTID_SPI_BASE 32

static u32 smmu_evtq_intid;	/* 0: none */

void hyp_irqs_init(const struct board *b)
{
	u32 intid = b->smmu.irq_eventq + INTID_SPI_BASE;

	if (!b->smmu.irq_eventq || !hyp_smmu())
		return;
	if (gicv3_spi_route(intid, this_cpu()->mpidr, true)) {
		pr_warn("smmu: event-queue SPI %u cannot be routed: polled only\n",
			b->smmu.irq_eventq);
		return;
	}
	gicv3_spi_enable(intid, true);
	if (smmu_irq_enable(hyp_smmu())) {
		gicv3_spi_enable(intid, false);
		return;
	}
	smmu_evtq_intid = intid;
	vgic_set_hyp_irq_handler(hyp_irq_handle);
}

bool hyp_irq_handle(u32 intid)
{
	if (!smmu_evtq_intid || intid != smmu_evtq_intid)
		return false;
	/* ended first: an event written while draining pulses again */
	gicv3_eoi(intid);
	smmu_poll(hyp_smmu());
	return true;
}

bool hyp_irq_smmu_events(void)
{
	return smmu_evtq_intid != 0;
}
