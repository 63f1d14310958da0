/* SPDX-License-Identifier: MIT */
/*
 * Physical interrupts Aerie keeps for itself (vmm/hyp_irq.c): today the
 * SMMU's event-queue interrupt, routed to the boot CPU. Aerie runs with
 * IRQs masked at EL2, so they are taken when they make a guest exit on
 * that CPU; the queue is also drained by polling (docs/architecture.md).
 */
#ifndef AERIE_HYP_IRQ_H
#define AERIE_HYP_IRQ_H

#include <aerie/board.h>
#include <aerie/types.h>

/* on the boot CPU, after the GIC and the SMMU are up */
void hyp_irqs_init(const struct board *b);
/* an acknowledged INTID that is Aerie's: ended and handled, true (the
 * vGIC's exit path calls it through vgic_set_hyp_irq_handler) */
bool hyp_irq_handle(u32 intid);
/* whether the SMMU's events raise the interrupt (else they are only polled) */
bool hyp_irq_smmu_events(void);

#endif
