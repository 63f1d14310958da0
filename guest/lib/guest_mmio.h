/* SPDX-License-Identifier: MIT */
/*
 * MMIO for guests whose accesses Aerie emulates: plain single-register
 * loads and stores (no writeback addressing), so that a trapped access is
 * fully described by its syndrome (ESR.ISV), as Linux's readl/writel are.
 */
#ifndef AERIE_GUEST_MMIO_H
#define AERIE_GUEST_MMIO_H

#include <stdint.h>

static inline uint8_t mmio_rd8(uint64_t a)
{
	uint32_t v;

	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return (uint8_t)v;
}

static inline uint16_t mmio_rd16(uint64_t a)
{
	uint32_t v;

	__asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return (uint16_t)v;
}

static inline uint32_t mmio_rd32(uint64_t a)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline uint64_t mmio_rd64(uint64_t a)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_wr8(uint64_t a, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline void mmio_wr32(uint64_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline void mmio_wr64(uint64_t a, uint64_t v)
{
	__asm__ volatile("str %x0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

#endif
