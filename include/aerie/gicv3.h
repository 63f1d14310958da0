/* SPDX-License-Identifier: MIT */
/* GICv3 (drivers/gicv3.c): distributor and per-CPU redistributor/CPU
 * interface bring-up at EL2. The virtual interface (list registers) is the
 * vGIC's (arch/vgic*). */
#ifndef AERIE_GICV3_H
#define AERIE_GICV3_H

#include <aerie/board.h>

int gicv3_init(const struct board *b);
void gicv3_cpu_init(void);
/* the SGI that makes a CPU leave its guest and look at its vCPU's state */
#define GIC_SGI_KICK		1
#define GIC_INTID_SPURIOUS	1023
void gicv3_send_sgi(u64 mpidr, u32 intid);
/* acknowledge the highest-priority pending interrupt / end it (priority
 * drop and deactivation) */
u32 gicv3_ack(void);
void gicv3_eoi(u32 intid);
/* the two halves (EOImode 1): an interrupt forwarded to a guest is only
 * dropped here and deactivated by the guest (list register HW = 1) */
void gicv3_drop(u32 intid);
void gicv3_deactivate(u32 intid);
/* SPI routing/enable for forwarded device interrupts and Aerie's own (INTIDs) */
void gicv3_spi_enable(u32 intid, bool enable);
/* level-sensitive or edge-triggered, routed to the CPU with this MPIDR;
 * -EINVAL if not an SPI */
int gicv3_spi_route(u32 intid, u64 mpidr, bool edge);
/* a PPI on this CPU's redistributor */
void gicv3_ppi_enable(u32 intid, bool enable);
/* the PPIs of the virtual interface's maintenance interrupt and the EL1
 * virtual timer (from the device tree, else SBSA's 25 and 27) */
u32 gicv3_maint_intid(void);
u32 gicv3_vtimer_intid(void);

#endif
