/* SPDX-License-Identifier: MIT */
/* The hypervisor console: the board's PL011 (from /chosen/stdout-path), or
 * semihosting output until/unless a UART is known and semihosting is on. */
#ifndef AERIE_CONSOLE_H
#define AERIE_CONSOLE_H

#include <aerie/types.h>

void console_use_pl011(paddr_t base);
void console_write(const char *s, size_t n);

/* drivers/pl011.c */
void pl011_init(paddr_t base);
void pl011_putc(paddr_t base, char c);

/* arch/semihost.c: Arm semihosting (QEMU -semihosting-config enable=on).
 * Only used when enabled (bootargs "aerie.semihosting" or the test image),
 * since HLT #0xF000 without a debugger is an undefined instruction. */
extern bool semihosting_enabled;
void semihost_write0(const char *s);
void semihost_exit(int status) __attribute__((noreturn));

#endif
