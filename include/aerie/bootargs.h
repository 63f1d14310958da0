/* SPDX-License-Identifier: MIT */
/* Aerie's options in /chosen/bootargs: space-separated `key` or `key=value`. */
#ifndef AERIE_BOOTARGS_H
#define AERIE_BOOTARGS_H

#include <aerie/types.h>

/* true if `key` is present; its value (up to the next space) copied to val */
bool bootarg_get(const char *args, const char *key, char *val, size_t len);

#endif
