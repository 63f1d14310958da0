/* SPDX-License-Identifier: MIT */
/* The few libc string routines the hypervisor uses (vmm/lib/string.c, general
 * registers only); host builds get the C library's. */
#ifndef AERIE_STRING_H
#define AERIE_STRING_H

#ifdef HOST_TEST
#include <string.h>
#else
#include <stddef.h>
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
#endif

#endif
