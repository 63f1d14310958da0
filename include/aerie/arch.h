/* SPDX-License-Identifier: MIT */
/* Architecture services the rest of the hypervisor uses. */
#ifndef AERIE_ARCH_H
#define AERIE_ARCH_H

#include <aerie/board.h>
#include <aerie/types.h>

/* the register frame saved by an EL2 exception (arch/vectors.S) */
struct hyp_frame {
	u64 x[31];
	u64 sp;
	u64 elr, spsr, esr, far;
};

void hyp_exception(struct hyp_frame *f, u64 kind);

/* EL2 stage-1 MMU (arch/mmu.c): identity map of RAM + the board's MMIO */
int mmu_init(const struct board *b, paddr_t image_start, paddr_t image_end);
void mmu_enable_this_cpu(void);

/* host PSCI calls (arch/psci.c), conduit from the DTB */
void psci_set_method(enum psci_method m);
s64 psci_cpu_on(u64 mpidr, paddr_t entry, u64 ctx);
void psci_system_off(void) __attribute__((noreturn));
u32 psci_version(void);

/* bring up all CPUs (arch/smp.c) */
void smp_boot(const struct board *b);

/* stop: semihosting exit with `status` when enabled, else PSCI SYSTEM_OFF
 * (status 0) or spin */
void hyp_exit(int status) __attribute__((noreturn));
void hyp_panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* the SMMU Aerie probed at boot (vmm/main.c) */
struct smmu *hyp_smmu(void);

extern char _head[], _end[], _etext[], _erodata[];
extern char secondary_entry[], hyp_vectors[];

#endif
