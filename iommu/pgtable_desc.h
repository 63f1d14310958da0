/* SPDX-License-Identifier: MIT */
/* VMSAv8-64 stage-2 descriptor fields, 4K granule (Arm ARM D8.3). */
#ifndef AERIE_PGTABLE_DESC_H
#define AERIE_PGTABLE_DESC_H

#include <aerie/bits.h>

#define S2_VALID		BIT(0)
#define S2_TYPE_TABLE		BIT(1)	/* levels 0-2: table; level 3: page */
#define S2_MEMATTR		GENMASK(5, 2)
#define S2_MEMATTR_NORMAL_WB	0xf	/* outer WB, inner WB (FWB = 0) */
#define S2_MEMATTR_DEVICE_nGnRE	0x1
#define S2_AP_R			BIT(6)	/* S2AP[0] */
#define S2_AP_W			BIT(7)	/* S2AP[1] */
#define S2_SH			GENMASK(9, 8)
#define S2_SH_INNER		3
#define S2_AF			BIT(10)
#define S2_XN			GENMASK(54, 53)
#define S2_XN_NONE		0	/* executable at EL1 and EL0 */
#define S2_XN_ALL		2	/* execute-never at EL1 and EL0 */
#define S2_OA			GENMASK(47, 12)
#define S2_TABLE_ADDR		GENMASK(47, 12)

#define PT_ENTRIES		512
#define PT_LEVEL_SHIFT(l)	(12 + 9 * (3 - (l)))	/* 39, 30, 21, 12 */
#define PT_LEVEL_SIZE(l)	(1ULL << PT_LEVEL_SHIFT(l))

/* VTCR_EL2 (and the matching STE S2 fields) */
#define VTCR_T0SZ		GENMASK(5, 0)
#define VTCR_SL0		GENMASK(7, 6)
#define VTCR_IRGN0		GENMASK(9, 8)
#define VTCR_ORGN0		GENMASK(11, 10)
#define VTCR_SH0		GENMASK(13, 12)
#define VTCR_TG0		GENMASK(15, 14)
#define VTCR_PS			GENMASK(18, 16)
#define VTCR_RES1		BIT(31)
#define VTCR_RGN_WBWA		1
#define VTCR_TG0_4K		0
/* SL0 for the 4K granule: the starting level */
#define VTCR_SL0_4K_L2		0
#define VTCR_SL0_4K_L1		1
#define VTCR_SL0_4K_L0		2

#endif
