/* SPDX-License-Identifier: MIT */
/* GICv3 (drivers/gicv3.c): distributor and per-CPU redistributor/CPU
 * interface bring-up at EL2. The virtual interface (list registers) is the
 * vGIC's (arch/vgic*). */
#ifndef AERIE_GICV3_H
#define AERIE_GICV3_H

#include <aerie/board.h>

int gicv3_init(const struct board *b);
void gicv3_cpu_init(void);
/* SPI routing/enable for forwarded device interrupts */
void gicv3_spi_enable(u32 intid, bool enable);

#endif
