/* SPDX-License-Identifier: MIT */
/* PSCI calls from EL2 to the firmware (SMC) or an outer hypervisor (HVC). */
#include <aerie/arch.h>
#include <aerie/console.h>
#include <aerie/psci.h>

static enum psci_method method;

void psci_set_method(enum psci_method m)
{
	method = m;
}

static s64 psci_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	if (method == PSCI_SMC)
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	else if (method == PSCI_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	else
		return PSCI_RET_NOT_SUPPORTED;
	return (s64)x0;
}

u32 psci_version(void)
{
	return (u32)psci_call(PSCI_FN_VERSION, 0, 0, 0);
}

s64 psci_cpu_on(u64 mpidr, paddr_t entry, u64 ctx)
{
	return psci_call(PSCI_FN64_CPU_ON, mpidr, entry, ctx);
}

void psci_system_off(void)
{
	psci_call(PSCI_FN_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void hyp_exit(int status)
{
	if (semihosting_enabled)
		semihost_exit(status);
	if (status == 0)
		psci_system_off();
	for (;;)
		__asm__ volatile("wfi");
}
