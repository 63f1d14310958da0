/* SPDX-License-Identifier: MIT */
/* The hypervisor's formatter, built for the host under other names so it
 * can be compared with the C library's. */
#include <stdio.h>
#define vsnprintf aerie_vsnprintf
#define snprintf aerie_snprintf
#include "../../vmm/lib/format.c"
