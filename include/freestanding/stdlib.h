/* SPDX-License-Identifier: MIT */
/* Freestanding stand-in: libfdt_env.h includes <stdlib.h> but libfdt's
 * read-only and sequential-write code needs nothing from it. */
#ifndef AERIE_FREESTANDING_STDLIB_H
#define AERIE_FREESTANDING_STDLIB_H
#include <stddef.h>
#endif
