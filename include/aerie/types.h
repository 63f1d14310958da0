/* SPDX-License-Identifier: MIT */
/* Basic types shared by the hypervisor and its host-side test builds. */
#ifndef AERIE_TYPES_H
#define AERIE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/*
 * Address kinds (Hafnium's idea: keep them apart by name). All are plain
 * integers so portable code stays simple; the names document intent.
 *   paddr_t - a host physical address (what the SMMU and stage 2 output)
 *   ipa_t   - a guest intermediate-physical address (guest-physical)
 *   iova_t  - an I/O virtual address (input to a device's translation)
 */
typedef u64 paddr_t;
typedef u64 ipa_t;
typedef u64 iova_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define offsetofend(T, m) (offsetof(T, m) + sizeof(((T *)0)->m))
#define container_of(p, T, m) ((T *)((char *)(p) - offsetof(T, m)))

/* guests also see picolibc's <sys/cdefs.h>, which defines the same three */
#ifndef __unused
#define __unused __attribute__((unused))
#endif
#ifndef __packed
#define __packed __attribute__((packed))
#endif
#ifndef __aligned
#define __aligned(n) __attribute__((aligned(n)))
#endif
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* true if [a, a+alen) and [b, b+blen) overlap; lengths > 0, no wrap */
static inline bool ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/* true if a + len wraps past 2^64 (len > 0) */
static inline bool range_wraps(u64 a, u64 len)
{
	return len != 0 && a + (len - 1) < a;
}

#endif
