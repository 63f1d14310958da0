/* SPDX-License-Identifier: MIT */
/*
 * 8250/16550-compatible UART (ns16550a, Synopsys DesignWare APB UART, TI's
 * K3 UART): transmit only. The firmware set the line (baud, 8N1) and the
 * FIFOs; Aerie only writes the transmit holding register when the line
 * status says it is empty, so neither the divisor latch nor LCR is touched
 * (which also avoids the DesignWare "busy" LCR quirk).
 * Registers are `reg-shift` apart and read/written `reg-io-width` bytes wide.
 */
#include <aerie/bits.h>
#include <aerie/console.h>
#include <aerie/mmio.h>

#define UART_THR	0	/* transmit holding (write) */
#define UART_LSR	5	/* line status */
#define UART_LSR_THRE	BIT(5)	/* transmit holding register empty */

static u32 reg_read(const struct console_uart *u, unsigned int reg)
{
	paddr_t a = u->base + ((paddr_t)reg << u->reg_shift);
	u32 v;

	if (u->reg_io_width == 4)
		return mmio_read32(a);
	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static void reg_write(const struct console_uart *u, unsigned int reg, u32 v)
{
	paddr_t a = u->base + ((paddr_t)reg << u->reg_shift);

	if (u->reg_io_width == 4)
		mmio_write32(a, v);
	else
		__asm__ volatile("strb %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

void ns16550_putc(const struct console_uart *u, char c)
{
	while (!(reg_read(u, UART_LSR) & UART_LSR_THRE))
		;
	reg_write(u, UART_THR, (u8)c);
}
