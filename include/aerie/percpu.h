/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data. TPIDR_EL2 holds this CPU's struct percpu; assembly uses the
 * PERCPU_* offsets from <aerie/asm.h> (asserted in arch/percpu.c).
 */
#ifndef AERIE_PERCPU_H
#define AERIE_PERCPU_H

#include <aerie/asm.h>
#include <aerie/types.h>

struct percpu {
	struct percpu *self;	/* PERCPU_SELF */
	void *stack_top;	/* PERCPU_STACK_TOP */
	void *vcpu;		/* PERCPU_VCPU: the vCPU running here, or NULL */
	u32 cpu_id;		/* PERCPU_CPU_ID: logical CPU number, 0 = boot CPU */
	u32 online;
	u64 mpidr;
	/* work handed to this CPU by cpu_run_on() */
	void (*volatile work_fn)(void *arg);
	void *volatile work_arg;
};

extern struct percpu percpu[MAX_CPUS];

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("mrs %0, tpidr_el2" : "=r"(p));
	return p;
}

unsigned int cpus_online(void);
/* Start fn(arg) on logical CPU `cpu` (which must be online and idle).
 * Returns 0, or -EINVAL/-EBUSY. The CPU goes back to idle when fn returns. */
int cpu_run_on(unsigned int cpu, void (*fn)(void *), void *arg);

#endif
