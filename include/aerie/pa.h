/* SPDX-License-Identifier: MIT */
/*
 * Physical <-> virtual conversion for memory the hypervisor owns.
 * In the hypervisor EL2 maps RAM 1:1, so both are the identity. Host test
 * builds (HOST_TEST defined) keep "physical memory" in an arena at a fixed
 * simulated physical base; the software SMMU model and the guest-memory
 * code read physical memory only through these.
 */
#ifndef AERIE_PA_H
#define AERIE_PA_H

#include <aerie/types.h>

#ifdef HOST_TEST
void *host_phys_to_virt(paddr_t pa);   /* NULL if pa is outside the arena */
paddr_t host_virt_to_phys(const void *va);
static inline void *phys_to_virt(paddr_t pa) { return host_phys_to_virt(pa); }
static inline paddr_t virt_to_phys(const void *va) { return host_virt_to_phys(va); }
#else
static inline void *phys_to_virt(paddr_t pa) { return (void *)(uintptr_t)pa; }
static inline paddr_t virt_to_phys(const void *va) { return (paddr_t)(uintptr_t)va; }
#endif

#endif
