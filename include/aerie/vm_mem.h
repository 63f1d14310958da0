/* SPDX-License-Identifier: MIT */
/*
 * A guest's RAM as Aerie gave it: IPA ranges backed by host-physical
 * ranges. Every access to guest memory on a guest's behalf goes through
 * here: the whole range must lie in ONE region (no wrap), else -EFAULT, so a
 * guest pointer can never reach MMIO, another guest or Aerie.
 */
#ifndef AERIE_VM_MEM_H
#define AERIE_VM_MEM_H

#include <aerie/types.h>

#define VM_MEM_MAX_REGIONS 8

struct vm_mem {
	struct {
		ipa_t ipa;
		paddr_t pa;
		u64 size;
	} region[VM_MEM_MAX_REGIONS];
	unsigned int count;
};

int vm_mem_translate(const struct vm_mem *m, ipa_t ipa, u64 len, paddr_t *pa);
/* the PA of ipa and how many bytes from it lie in its region (0: outside) */
u64 vm_mem_span(const struct vm_mem *m, ipa_t ipa, paddr_t *pa);
/* may a vCPU start at `entry` (PSCI CPU_ON's entry point)? 4-byte aligned,
 * and its whole first instruction in one region */
bool vm_mem_entry_valid(const struct vm_mem *m, ipa_t entry);
int vm_copy_from_guest(const struct vm_mem *m, void *dst, ipa_t src, u64 len);
int vm_copy_to_guest(const struct vm_mem *m, ipa_t dst, const void *src, u64 len);
int vm_zero_guest(const struct vm_mem *m, ipa_t dst, u64 len);

#endif
