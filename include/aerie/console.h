/* SPDX-License-Identifier: MIT */
/* The hypervisor console: the board's UART named by /chosen/stdout-path
 * (PL011, SBSA UART or 8250), or semihosting output until/unless a UART is
 * known and semihosting is on. */
#ifndef AERIE_CONSOLE_H
#define AERIE_CONSOLE_H

#include <aerie/board.h>
#include <aerie/types.h>

struct console_uart {
	enum board_uart_kind kind;
	paddr_t base;		/* 0: no UART */
	u8 reg_shift, reg_io_width;
};

/* from the board's uart (present or not) */
void console_use_uart(const struct board *b);
bool console_has_uart(void);
void console_write(const char *s, size_t n);

/* drivers/pl011.c: PL011, and the SBSA UART with init = false (it has no
 * control register: the firmware enabled it) */
void pl011_init(paddr_t base);
void pl011_putc(paddr_t base, char c);
/* drivers/ns16550.c */
void ns16550_putc(const struct console_uart *u, char c);

/* arch/semihost.c: Arm semihosting (QEMU -semihosting-config enable=on).
 * Only used when enabled (bootargs "aerie.semihosting" or the test image),
 * since HLT #0xF000 without a debugger is an undefined instruction. */
extern bool semihosting_enabled;
void semihost_write0(const char *s);
void semihost_exit(int status) __attribute__((noreturn));

#endif
