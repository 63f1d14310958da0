/* SPDX-License-Identifier: MIT */
/* Freestanding stand-in: the hypervisor's own string routines. */
#ifndef AERIE_FREESTANDING_STRING_H
#define AERIE_FREESTANDING_STRING_H
#include <aerie/string.h>
#endif
