/* SPDX-License-Identifier: MIT */
/*
 * The guest-side library: the public ABI (<uapi/aerie/iommu.h>) plus a few
 * helpers any bare-metal guest can link (guest/lib/aerie_guest.c), and
 * picolibc's <string.h> and <stdio.h> (printf on the console: libc.c).
 */
#ifndef AERIE_GUEST_LIB_H
#define AERIE_GUEST_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uapi/aerie/iommu.h>

/* one SMCCC call through HVC #0: returns x0 */
static inline int64_t aerie_hvc(uint64_t fn, uint64_t arg)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = arg;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1) : : "memory", "x2", "x3");
	return (int64_t)x0;
}

/* an IOMMU command: `cmd` is the struct (its address is guest-physical:
 * guests run with the MMU off, or identity-mapped) */
static inline int aerie_iommu(uint32_t nr, void *cmd)
{
	return (int)aerie_hvc(AERIE_HC_IOMMU(nr), (uint64_t)(uintptr_t)cmd);
}

void g_puts(const char *s);
void g_putx(uint64_t v);
void g_putd(int64_t v);
/* picolibc's TLS (errno, ...) for a vCPU other than vCPU 0 (libc.c): tls
 * must hold the guest's TLS block (guest.ld: __tls_size bytes, 16 aligned) */
void guest_libc_init_cpu(void *tls);

#endif
