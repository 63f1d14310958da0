/* SPDX-License-Identifier: MIT */
/* ARM PrimeCell PL011 UART: transmit only (the firmware set the baud rate). */
#include <aerie/bits.h>
#include <aerie/console.h>
#include <aerie/mmio.h>

#define UARTDR		0x000
#define UARTFR		0x018
#define UARTCR		0x030
#define UARTFR_TXFF	BIT(5)
#define UARTFR_BUSY	BIT(3)
#define UARTCR_UARTEN	BIT(0)
#define UARTCR_TXE	BIT(8)

void pl011_init(paddr_t base)
{
	u32 cr = mmio_read32(base + UARTCR);

	if ((cr & (UARTCR_UARTEN | UARTCR_TXE)) != (UARTCR_UARTEN | UARTCR_TXE))
		mmio_write32(base + UARTCR, cr | UARTCR_UARTEN | UARTCR_TXE);
}

void pl011_putc(paddr_t base, char c)
{
	while (mmio_read32(base + UARTFR) & UARTFR_TXFF)
		;
	mmio_write32(base + UARTDR, (u8)c);
}
