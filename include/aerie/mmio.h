/* SPDX-License-Identifier: MIT */
/*
 * Device register access and ordering barriers for portable drivers.
 * In the hypervisor these are real loads/stores and DSB/DMB; in host tests
 * (HOST_TEST) MMIO accesses are routed to the software device models under
 * tests/ (tests/host/hostenv.c dispatches by address) and barriers become
 * compiler/CPU fences.
 */
#ifndef AERIE_MMIO_H
#define AERIE_MMIO_H

#include <aerie/types.h>

#ifdef HOST_TEST
u32 host_mmio_read32(paddr_t addr);
u64 host_mmio_read64(paddr_t addr);
void host_mmio_write32(paddr_t addr, u32 val);
void host_mmio_write64(paddr_t addr, u64 val);
static inline u32 mmio_read32(paddr_t a) { return host_mmio_read32(a); }
static inline u64 mmio_read64(paddr_t a) { return host_mmio_read64(a); }
static inline void mmio_write32(paddr_t a, u32 v) { host_mmio_write32(a, v); }
static inline void mmio_write64(paddr_t a, u64 v) { host_mmio_write64(a, v); }
#define dma_wmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dma_rmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define cpu_relax() do { } while (0)
/* a test watching single stores into structures the SMMU walks (the STE
 * writer reports each qword it stores); NULL: nobody watches */
extern void (*host_dma_store64_hook)(u64 *slot, u64 v);
static inline void dma_store64_observe(u64 *slot, u64 v)
{
	if (host_dma_store64_hook)
		host_dma_store64_hook(slot, v);
}
#else
static inline void dma_store64_observe(u64 *slot, u64 v)
{
	(void)slot;
	(void)v;
}
static inline u32 mmio_read32(paddr_t a)
{
	u32 v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}
static inline u64 mmio_read64(paddr_t a)
{
	u64 v;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}
static inline void mmio_write32(paddr_t a, u32 v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}
static inline void mmio_write64(paddr_t a, u64 v)
{
	__asm__ volatile("str %x0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}
/* order normal-memory writes (tables, queue entries) before a doorbell */
#define dma_wmb() __asm__ volatile("dsb st" ::: "memory")
#define dma_rmb() __asm__ volatile("dsb ld" ::: "memory")
#define mb() __asm__ volatile("dsb sy" ::: "memory")
#define cpu_relax() __asm__ volatile("yield" ::: "memory")
#endif

#endif
