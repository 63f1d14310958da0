/* SPDX-License-Identifier: MIT */
/* Guest memory access, checked range by range (portable). */
#include <aerie/errno.h>
#include <aerie/pa.h>
#include <aerie/string.h>
#include <aerie/vm_mem.h>

u64 vm_mem_span(const struct vm_mem *m, ipa_t ipa, paddr_t *pa)
{
	for (unsigned int i = 0; i < m->count && i < VM_MEM_MAX_REGIONS; i++) {
		u64 off = ipa - m->region[i].ipa;

		if (ipa >= m->region[i].ipa && off < m->region[i].size) {
			*pa = m->region[i].pa + off;
			return m->region[i].size - off;
		}
	}
	return 0;
}

int vm_mem_translate(const struct vm_mem *m, ipa_t ipa, u64 len, paddr_t *pa)
{
	/* inside one region: cannot wrap either */
	return len && vm_mem_span(m, ipa, pa) >= len ? 0 : -EFAULT;
}

bool vm_mem_entry_valid(const struct vm_mem *m, ipa_t entry)
{
	paddr_t pa;

	return IS_ALIGNED(entry, 4) && !vm_mem_translate(m, entry, 4, &pa);
}

int vm_copy_from_guest(const struct vm_mem *m, void *dst, ipa_t src, u64 len)
{
	paddr_t pa;

	if (len == 0)
		return 0;
	if (vm_mem_translate(m, src, len, &pa))
		return -EFAULT;
	memcpy(dst, phys_to_virt(pa), len);
	return 0;
}

int vm_copy_to_guest(const struct vm_mem *m, ipa_t dst, const void *src, u64 len)
{
	paddr_t pa;

	if (len == 0)
		return 0;
	if (vm_mem_translate(m, dst, len, &pa))
		return -EFAULT;
	memcpy(phys_to_virt(pa), src, len);
	return 0;
}

int vm_zero_guest(const struct vm_mem *m, ipa_t dst, u64 len)
{
	paddr_t pa;

	if (len == 0)
		return 0;
	if (vm_mem_translate(m, dst, len, &pa))
		return -EFAULT;
	memset(phys_to_virt(pa), 0, len);
	return 0;
}
