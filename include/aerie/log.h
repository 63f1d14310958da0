/* SPDX-License-Identifier: MIT */
/*
 * Logging. In the hypervisor this goes to the console (PL011); in host
 * builds to stderr (tests may silence or capture it).
 */
#ifndef AERIE_LOG_H
#define AERIE_LOG_H

#include <stdarg.h>
#include <aerie/types.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_printf(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define pr_err(...) log_printf(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) log_printf(LOG_WARN, __VA_ARGS__)
#define pr_info(...) log_printf(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

/* freestanding formatter used by the hypervisor console (vmm/lib/format.c):
 * %d %i %u %x %X %p %s %c %%, flags 0 - + space #, width, precision for %s,
 * length modifiers hh h l ll z. Returns the length that would be written. */
#ifdef HOST_TEST
#include <stdio.h>
#else
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#endif

#endif
