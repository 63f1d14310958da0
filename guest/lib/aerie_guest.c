/* SPDX-License-Identifier: MIT */
/* Console (the PL011 Aerie emulates at 0x09000000); libc is picolibc (libc.c). */
#include "aerie_guest.h"

#define UART_DR ((volatile uint32_t *)0x09000000)

void g_puts(const char *s)
{
	while (*s)
		*UART_DR = (uint32_t)*s++;
}

void g_putx(uint64_t v)
{
	char b[19] = "0x";
	int n = 2;

	for (int shift = 60; shift >= 0; shift -= 4) {
		unsigned d = (v >> shift) & 0xf;
		if (n > 2 || d || shift == 0)
			b[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
	}
	b[n] = 0;
	g_puts(b);
}

void g_putd(int64_t v)
{
	char b[24];
	int n = 23;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	b[n] = 0;
	do {
		b[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		b[--n] = '-';
	g_puts(b + n);
}
