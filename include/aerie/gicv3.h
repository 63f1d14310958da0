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
/* acknowledge the highest-priority pending interrupt / end it */
u32 gicv3_ack(void);
void gicv3_eoi(u32 intid);
/* SPI routing/enable for forwarded device interrupts */
void gicv3_spi_enable(u32 intid, bool enable);

#endif
