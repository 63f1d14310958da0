/* SPDX-License-Identifier: MIT */
/*
 * Secondary CPUs: started with PSCI CPU_ON at boot/head.S:secondary_entry,
 * each on its own stack and per-CPU block; they report in and then idle,
 * waiting for work from cpu_run_on().
 */
#include <aerie/arch.h>
#include <aerie/errno.h>
#include <aerie/gicv3.h>
#include <aerie/log.h>
#include <aerie/page_alloc.h>
#include <aerie/pa.h>
#include <aerie/percpu.h>
#include <aerie/psci.h>
#include <aerie/sysreg.h>

#define MPIDR_AFF_MASK 0xff00ffffffULL

static unsigned int online_count = 1;

unsigned int cpus_online(void)
{
	return __atomic_load_n(&online_count, __ATOMIC_ACQUIRE);
}

static void idle_loop(struct percpu *pc)
{
	for (;;) {
		void (*fn)(void *) = __atomic_load_n(&pc->work_fn, __ATOMIC_ACQUIRE);

		if (fn) {
			void *arg = pc->work_arg;
			fn(arg);
			__atomic_store_n(&pc->work_fn, NULL, __ATOMIC_RELEASE);
			continue;
		}
		wfe();
	}
}

void secondary_main(struct percpu *pc)
{
	mmu_enable_this_cpu();
	gicv3_cpu_init();
	pc->mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	pr_info("cpu %u (mpidr 0x%llx) online at EL2\n", pc->cpu_id,
		(unsigned long long)pc->mpidr);
	__atomic_store_n(&pc->online, 1, __ATOMIC_RELEASE);
	__atomic_add_fetch(&online_count, 1, __ATOMIC_ACQ_REL);
	sev();
	idle_loop(pc);
}

int cpu_run_on(unsigned int cpu, void (*fn)(void *), void *arg)
{
	struct percpu *pc;

	if (cpu >= MAX_CPUS || !percpu[cpu].online || cpu == this_cpu()->cpu_id)
		return -EINVAL;
	pc = &percpu[cpu];
	if (__atomic_load_n(&pc->work_fn, __ATOMIC_ACQUIRE))
		return -EBUSY;
	pc->work_arg = arg;
	__atomic_store_n(&pc->work_fn, fn, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
	return 0;
}

#define STACK_ORDER 2	/* 4 pages = HYP_STACK_SIZE */
_Static_assert((PAGE_SIZE << STACK_ORDER) == HYP_STACK_SIZE, "stack order");

/* what a CPU starting with its MMU (and caches) off reads: write it back */
static void clean_to_poc(const void *p, u64 size)
{
	for (uintptr_t a = ALIGN_DOWN((uintptr_t)p, 64); a < (uintptr_t)p + size; a += 64)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

/* a stack for the CPU in `pc`, from the page allocator */
static int give_stack(struct percpu *pc)
{
	u8 *stack = pc->stack_top ? NULL : pages_alloc(STACK_ORDER);

	if (!pc->stack_top && !stack)
		return -ENOMEM;
	if (stack) {
		clean_to_poc(stack, HYP_STACK_SIZE);
		pc->stack_top = stack + HYP_STACK_SIZE;
	}
	clean_to_poc(pc, sizeof(*pc));
	return 0;
}

void smp_boot(const struct board *b)
{
	u64 self = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	unsigned int next = 1;

	percpu[0].mpidr = self;
	percpu[0].online = 1;
	psci_set_method(b->psci);
	if (b->psci == PSCI_NONE) {
		pr_warn("smp: no PSCI in the device tree: running on the boot CPU only\n");
		return;
	}
	for (unsigned int i = 0; i < b->cpu_count && next < MAX_CPUS; i++) {
		struct percpu *pc = &percpu[next];
		s64 ret;

		if ((b->cpu_mpidr[i] & MPIDR_AFF_MASK) == self)
			continue;
		pc->mpidr = b->cpu_mpidr[i];
		if (give_stack(pc)) {
			pr_err("smp: no memory for the stack of cpu %u\n", next);
			break;
		}
		ret = psci_cpu_on(b->cpu_mpidr[i], virt_to_phys(secondary_entry),
				  virt_to_phys(pc));
		if (ret != PSCI_RET_SUCCESS) {
			pr_err("smp: CPU_ON(0x%llx) failed: %lld\n",
			       (unsigned long long)b->cpu_mpidr[i], (long long)ret);
			continue;
		}
		for (u64 spin = 0; !__atomic_load_n(&pc->online, __ATOMIC_ACQUIRE); spin++) {
			if (spin > 200000000ULL) {
				pr_err("smp: cpu %u (mpidr 0x%llx) did not report in\n", next,
				       (unsigned long long)b->cpu_mpidr[i]);
				break;
			}
			__asm__ volatile("yield");
		}
		next++;
	}
	pr_info("smp: %u of %u CPUs online\n", cpus_online(), b->cpu_count);
	if (b->cpu_count > MAX_CPUS || b->cpu_over)
		pr_warn("smp: the board has %u CPUs, Aerie runs on at most %u (MAX_CPUS): "
			"the others stay off\n", b->cpu_count + b->cpu_over, MAX_CPUS);
}
