/* SPDX-License-Identifier: MIT */
/*
 * picolibc glue (Debian's picolibc-aarch64-linux-gnu, release build): a
 * guest has <string.h>, <stdio.h> and the rest of picolibc's libc.a.
 * stdout/stderr write to the guest's console, the PL011 Aerie emulates at
 * 0x09000000 (printf goes through the integer-only __i_vfprintf: no
 * floating point in the guest library; guest/build.mk's GUEST_LIBS).
 * stdin reads nothing (EOF). picolibc keeps errno and a few more in
 * thread-local storage: guest_libc_init() (from start.S, before
 * guest_main) copies the TLS template (guest/guest.ld) and points vCPU 0's
 * TPIDR_EL0 at it; another vCPU that calls picolibc first does the same with
 * guest_libc_init_cpu() on a block of its own.
 * Not linked: picolibc's semihosting (libsemihost). A guest has no business
 * with QEMU's semihosting (under QEMU an EL1 HLT #0xf000 reaches QEMU
 * without Aerie seeing it); its console and PSCI SYSTEM_OFF are its I/O and
 * its exit.
 */
#include <stdio.h>
#include <string.h>
#include "aerie_guest.h"

#define UART_DR ((volatile uint32_t *)0x09000000)

static int console_put(char c, FILE *f)
{
	(void)f;
	*UART_DR = (uint32_t)(unsigned char)c;
	return (unsigned char)c;
}

static int console_get(FILE *f)
{
	(void)f;
	return EOF;
}

static FILE console = FDEV_SETUP_STREAM(console_put, console_get, NULL, _FDEV_SETUP_RW);
FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;

/* picolibc: lib/picolib/inittls.c and machine/aarch64/tls.c */
void _init_tls(void *tls);
void _set_tls(void *tls);
extern char __tls_base[];

void guest_libc_init_cpu(void *tls)
{
	_init_tls(tls);
	_set_tls(tls);
}

void guest_libc_init(void)
{
	guest_libc_init_cpu(__tls_base);
}
