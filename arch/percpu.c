/* SPDX-License-Identifier: MIT */
/* Per-CPU blocks and the boot CPU's stack (the others' are allocated by
 * smp_boot(), so that MAX_CPUS costs no BSS stacks). */
#include <aerie/percpu.h>

struct percpu percpu[MAX_CPUS];
static u8 boot_stack[HYP_STACK_SIZE] __aligned(16);

_Static_assert(offsetof(struct percpu, self) == PERCPU_SELF, "percpu layout");
_Static_assert(offsetof(struct percpu, stack_top) == PERCPU_STACK_TOP, "percpu layout");
_Static_assert(offsetof(struct percpu, vcpu) == PERCPU_VCPU, "percpu layout");
_Static_assert(offsetof(struct percpu, cpu_id) == PERCPU_CPU_ID, "percpu layout");

/* Called from boot/head.S on the boot CPU (MMU off, at any EL; touches no
 * system register). Initialises every CPU's block; returns the boot CPU's
 * stack top. */
void *percpu_early_setup(struct percpu *boot)
{
	for (unsigned int i = 0; i < MAX_CPUS; i++) {
		percpu[i].self = &percpu[i];
		percpu[i].cpu_id = i;
	}
	percpu[0].stack_top = boot_stack + HYP_STACK_SIZE;
	return boot->stack_top;
}
