/* SPDX-License-Identifier: MIT */
/* Arm semihosting calls (HLT #0xF000 in AArch64): console output and exit
 * with a status, which is how QEMU tests report their verdict. */
#include <aerie/console.h>

#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

bool semihosting_enabled;

static u64 semihost_call(u64 op, const void *param)
{
	register u64 x0 __asm__("x0") = op;
	register const void *x1 __asm__("x1") = param;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

void semihost_write0(const char *s)
{
	semihost_call(SYS_WRITE0, s);
}

void semihost_exit(int status)
{
	u64 block[2] = { ADP_STOPPED_APPLICATION_EXIT, (u64)(s64)status };

	semihost_call(SYS_EXIT_EXTENDED, block);
	for (;;)
		__asm__ volatile("wfi");
}
