/* SPDX-License-Identifier: MIT */
/* The C library string routines Aerie and libfdt use: general registers only
 * (the C library's optimised versions use SIMD, which EL2 must not). */
#include <aerie/string.h>
#include <aerie/types.h>

/* aligned accesses only (-mstrict-align): the destination is aligned to 8
 * first; then 16 bytes a turn, in two doublewords if the source is 8-aligned
 * too, in four words if it is 4-aligned (a value in a device tree: a guest
 * image copied out of its package); the rest byte by byte */
void *memcpy(void *d, const void *s, size_t n)
{
	u8 *dp = d;
	const u8 *sp = s;

	for (; n && ((uintptr_t)dp & 7); n--)
		*dp++ = *sp++;
	if (!((uintptr_t)sp & 7)) {
		for (; n >= 16; n -= 16, dp += 16, sp += 16) {
			u64 a = ((const u64 *)sp)[0], b = ((const u64 *)sp)[1];

			((u64 *)dp)[0] = a;
			((u64 *)dp)[1] = b;
		}
		if (n >= 8) {
			*(u64 *)dp = *(const u64 *)sp;
			n -= 8, dp += 8, sp += 8;
		}
	} else if (!((uintptr_t)sp & 3)) {
		for (; n >= 16; n -= 16, dp += 16, sp += 16) {
			const u32 *w = (const u32 *)sp;
			u32 a = w[0], b = w[1], c = w[2], e = w[3];

			((u32 *)dp)[0] = a;
			((u32 *)dp)[1] = b;
			((u32 *)dp)[2] = c;
			((u32 *)dp)[3] = e;
		}
		for (; n >= 4; n -= 4, dp += 4, sp += 4)
			*(u32 *)dp = *(const u32 *)sp;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	u8 *dp = d;
	const u8 *sp = s;

	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

#define DCZID_BS	0xfULL		/* log2 of the DC ZVA block in 4-byte words */
#define DCZID_DZP	(1ULL << 4)	/* DC ZVA prohibited */
#define SCTLR_M		(1ULL << 0)
#define SCTLR_C		(1ULL << 2)
#define ZVA_MIN		256
#define CURRENT_EL2	(2ULL << 2)		/* below this, plain stores are as fast */

/* zero [p, p + n) with DC ZVA where it can (a block per instruction: 64
 * bytes on most cores, against 8 per store); needs the MMU and data cache
 * on (with them off, EL2's data accesses are Device memory, where DC ZVA
 * faults). Returns how many leading bytes it zeroed. */
static size_t zero_blocks(u8 *p, size_t n)
{
	u64 dczid, sctlr, el, bs, turns;
	u8 *start, *end, *t;

	/* Aerie entered at the wrong EL still formats its complaint */
	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	if (el != CURRENT_EL2)
		return 0;
	__asm__("mrs %0, dczid_el0" : "=r"(dczid));
	__asm__ volatile("mrs %0, sctlr_el2" : "=r"(sctlr));
	if ((dczid & DCZID_DZP) || (sctlr & (SCTLR_M | SCTLR_C)) != (SCTLR_M | SCTLR_C))
		return 0;
	bs = 4ULL << (dczid & DCZID_BS);
	if ((uintptr_t)p & (bs - 1))
		return 0;
	start = p;
	end = p + (n & ~(bs - 1));
	/* 16 blocks a turn: DC ZVA takes no offset, so each block is a DC ZVA
	 * and an add (the floor: 2 instructions a block); the loop's count
	 * and branch are shared by 16 */
	turns = (size_t)(end - p) / (16 * bs);
	if (turns)
		__asm__ volatile("1:\n\t"
				 ".rept 8\n\t"
				 "dc	zva, %[p]\n\t"
				 "add	%[t], %[p], %[bs]\n\t"
				 "dc	zva, %[t]\n\t"
				 "add	%[p], %[t], %[bs]\n\t"
				 ".endr\n\t"
				 "subs	%[n], %[n], #1\n\t"
				 "b.ne	1b"
				 : [p] "+r"(p), [t] "=&r"(t), [n] "+r"(turns)
				 : [bs] "r"(bs)
				 : "memory", "cc");
	for (; p < end; p += bs)
		__asm__ volatile("dc zva, %0" : : "r"(p) : "memory");
	return (size_t)(end - start);
}

void *memset(void *d, int c, size_t n)
{
	u8 *dp = d;

	if (c == 0 && n >= ZVA_MIN) {
		size_t done = zero_blocks(dp, n);

		dp += done;
		n -= done;
	}
	if (((uintptr_t)dp & 7) == 0) {
		u64 v = (u8)c * 0x0101010101010101ULL;
		for (; n >= 32; n -= 32, dp += 32) {
			((u64 *)dp)[0] = v;
			((u64 *)dp)[1] = v;
			((u64 *)dp)[2] = v;
			((u64 *)dp)[3] = v;
		}
		for (; n >= 8; n -= 8, dp += 8)
			*(u64 *)dp = v;
	}
	while (n--)
		*dp++ = (u8)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++)
		if (*p == (u8)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i])
		i++;
	return i;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *r = NULL;

	for (;; s++) {
		if (*s == (char)c)
			r = s;
		if (!*s)
			return (char *)r;
	}
}
