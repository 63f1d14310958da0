/* SPDX-License-Identifier: MIT */
/* Debian's libfdt is built with -fstack-protector: provide the canary and
 * the failure path (a clean stop with a message, never silent corruption). */
#include <aerie/arch.h>

unsigned long __stack_chk_guard = 0x6165726965c0ffeeUL;

void __stack_chk_fail(void)
{
	hyp_panic("stack smashing detected");
}
