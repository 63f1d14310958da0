/* SPDX-License-Identifier: MIT */
/* Register and descriptor field helpers: named masks, never magic numbers. */
#ifndef AERIE_BITS_H
#define AERIE_BITS_H

#include <aerie/types.h>

#define BIT(n) (1ULL << (n))
/* bits h..l inclusive, h >= l */
#define GENMASK(h, l) ((~0ULL >> (63 - (h))) & (~0ULL << (l)))

#define __mask_shift(m) (__builtin_ctzll(m))
/* place v into the field described by mask m */
#define FIELD_PREP(m, v) ((((u64)(v)) << __mask_shift(m)) & (m))
/* extract the field described by mask m from x */
#define FIELD_GET(m, x) ((((u64)(x)) & (m)) >> __mask_shift(m))
/* does v fit in the field m? */
#define FIELD_FITS(m, v) ((((u64)(v)) & ~((m) >> __mask_shift(m))) == 0)

static inline unsigned int bitlen64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline unsigned int ilog2_64(u64 x)
{
	return 63 - __builtin_clzll(x);
}

static inline bool is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

#endif
