/* SPDX-License-Identifier: MIT */
/* Console (the PL011 Aerie emulates at 0x09000000) and tiny libc pieces. */
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

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	uint8_t *dp = d;

	while (n--)
		*dp++ = (uint8_t)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
