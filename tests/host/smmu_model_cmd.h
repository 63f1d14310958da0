/* SPDX-License-Identifier: MIT */
/*
 * The software SMMU's command checker, private to smmu_model.c: every
 * command is checked against the fields its opcode defines (IHI 0070,
 * chapter 4), written here from the specification's layouts, not the
 * driver's. The model takes the strict choice wherever the spec allows one:
 *  - a non-zero reserved (RES0) field is CERROR_ILL (4.1.5 permits it);
 *  - SSec = 1 on the Non-secure queue is CERROR_ILL (4.1.6: always), and
 *    bit 10 of a command without SSec is a reserved bit like any other;
 *  - reserved opcodes, and opcodes of features the model does not offer
 *    (Secure, EL3, MPAM, DPT, stall, PRI; EL2 without IDR0.Hyp, ATC_INV
 *    without IDR0.ATS, stage-1 commands without S1, stage-2 without S2)
 *    are CERROR_ILL, as the spec says for each;
 *  - TLBI range fields: NUM/SCALE/TG/TTL are RES0 without IDR3.RIL, NUM,
 *    SCALE and TTL are RES0 when TG = 0, and TG != 0 with NUM = SCALE =
 *    TTL = 0 is the reserved combination (CERROR_ILL); SCALE is 5 bits
 *    (IDR5.DS = 0), TTL128 is RES0 (no 128-bit descriptors);
 *  - a VMID or ASID above 8 bits without VMID16/ASID16, a VMID in a
 *    TLBI_NH_* without stage 2, CMD_SYNC with CS = 0b11, ATC_INV with
 *    Size > 52;
 *  - out-of-range parameters (4.1.7, CONSTRAINED UNPREDICTABLE: no effect
 *    or a truncated value) are refused: a StreamID beyond the stream table
 *    (STRTAB_BASE_CFG.LOG2SIZE) or IDR1.SIDSIZE, a SubstreamID beyond
 *    IDR1.SSIDSIZE, SSV = 1 without substreams. Prefetches are the
 *    exception the spec makes: out-of-range prefetches are ignored.
 * Addresses are IHI 0070's Address[55:12] for IPAs with [55:52] RES0
 * (SMMUv3.1, what AIDR reports), Address[63:12] for VAs.
 */
#ifndef AERIE_SMMU_MODEL_CMD_H
#define AERIE_SMMU_MODEL_CMD_H

#include <aerie/types.h>
#include "smmu_model.h"

/* a contiguous bit field, inclusive */
#define CF(hi, lo) ((~0ULL >> (63 - (hi))) & ~((1ULL << (lo)) - 1))

/* word 0 */
#define C0_OP		CF(7, 0)
#define C0_ATC_G	CF(9, 9)
#define C0_SSEC		CF(10, 10)	/* never in a mask: SSec = 1 is ILL */
#define C0_SSV		CF(11, 11)
#define C0_SSID		CF(31, 12)
#define C0_SID		CF(63, 32)
#define C0_NUM		CF(16, 12)
#define C0_SCALE	CF(24, 20)	/* [25] is RES0 without IDR5.DS */
#define C0_VMID		CF(47, 32)
#define C0_ASID		CF(63, 48)
#define C0_RESUME_AC	CF(12, 12)
#define C0_RESUME_AB	CF(13, 13)
#define C0_SYNC_CS	CF(13, 12)
#define C0_SYNC_MSH	CF(23, 22)
#define C0_SYNC_ATTR	CF(27, 24)
#define C0_SYNC_DATA	CF(63, 32)
/* word 1 */
#define C1_LEAF		CF(0, 0)
#define C1_RANGE	CF(4, 0)	/* CFGI_STE_RANGE */
#define C1_PF_SIZE	CF(4, 0)	/* PREFETCH_ADDR (Stride, NS: RES0) */
#define C1_ATC_SIZE	CF(5, 0)
#define C1_TTL		CF(9, 8)
#define C1_TG		CF(11, 10)
#define C1_VA		CF(63, 12)
#define C1_IPA		CF(51, 12)
#define C1_PRI_GRP	CF(8, 0)
#define C1_PRI_RESP	CF(13, 12)
#define C1_STAG		CF(15, 0)
#define C1_MSIADDR	CF(51, 2)

/* what an opcode needs and which of its fields get value checks */
enum {
	K_SID = 1 << 0,		/* StreamID checked against the stream table */
	K_SSID = 1 << 1,	/* SubstreamID (and SSV) against IDR1.SSIDSIZE */
	K_TLBI_RANGE = 1 << 2,	/* NUM/SCALE/TG/TTL rules */
	K_VMID = 1 << 3,
	K_ASID = 1 << 4,
	K_S1 = 1 << 5,		/* CERROR_ILL without stage 1 */
	K_S2 = 1 << 6,		/* CERROR_ILL without stage 2 */
	K_HYP = 1 << 7,		/* CERROR_ILL without IDR0.Hyp */
	K_ATS = 1 << 8,		/* CERROR_ILL without IDR0.ATS */
	K_NEVER = 1 << 9,	/* a feature the model never offers */
	K_RANGE = 1 << 10,	/* CFGI_STE_RANGE: the SID's low Range+1 bits ignored */
	K_NH = 1 << 11,		/* TLBI_NH_*: VMID RES0 without stage 2 */
	K_SSEC = 1 << 12,	/* has SSec (bit 10): must be 0 on this queue */
	K_DEFINED = 1 << 15,
};

struct cmd_layout {
	const char *name;
	u64 w0, w1;		/* the defined fields (opcode included) */
	u32 k;
};

#define TLBI_W0 (C0_OP | C0_NUM | C0_SCALE)
#define TLBI_W1 (C1_LEAF | C1_TTL | C1_TG)

static const struct cmd_layout cmd_layouts[256] = {
	[0x01] = { "PREFETCH_CONFIG", C0_OP | C0_SSV | C0_SSID | C0_SID, 0, K_SSID | K_SSEC },
	[0x02] = { "PREFETCH_ADDR", C0_OP | C0_SSV | C0_SSID | C0_SID, C1_PF_SIZE | C1_VA,
		   K_SSID | K_SSEC },
	[0x03] = { "CFGI_STE", C0_OP | C0_SID, C1_LEAF, K_SID | K_SSEC },
	[0x04] = { "CFGI_STE_RANGE", C0_OP | C0_SID, C1_RANGE, K_SID | K_RANGE | K_SSEC },
	[0x05] = { "CFGI_CD", C0_OP | C0_SSID | C0_SID, C1_LEAF, K_SID | K_SSID | K_S1 | K_SSEC },
	[0x06] = { "CFGI_CD_ALL", C0_OP | C0_SID, 0, K_SID | K_S1 | K_SSEC },
	[0x07] = { "CFGI_VMS_PIDM", 0, 0, K_NEVER },		/* MPAM */
	[0x10] = { "TLBI_NH_ALL", C0_OP | C0_VMID, 0, K_VMID | K_S1 | K_NH },
	[0x11] = { "TLBI_NH_ASID", C0_OP | C0_VMID | C0_ASID, 0, K_VMID | K_ASID | K_S1 | K_NH },
	[0x12] = { "TLBI_NH_VA", TLBI_W0 | C0_VMID | C0_ASID, TLBI_W1 | C1_VA,
		   K_VMID | K_ASID | K_S1 | K_NH | K_TLBI_RANGE },
	[0x13] = { "TLBI_NH_VAA", TLBI_W0 | C0_VMID, TLBI_W1 | C1_VA,
		   K_VMID | K_S1 | K_NH | K_TLBI_RANGE },
	[0x18] = { "TLBI_EL3_ALL", 0, 0, K_NEVER },		/* Secure queue only */
	[0x1a] = { "TLBI_EL3_VA", 0, 0, K_NEVER },
	[0x20] = { "TLBI_EL2_ALL", C0_OP, 0, K_S1 | K_HYP },
	[0x21] = { "TLBI_EL2_ASID", C0_OP | C0_ASID, 0, K_ASID | K_S1 | K_HYP },
	[0x22] = { "TLBI_EL2_VA", TLBI_W0 | C0_ASID, TLBI_W1 | C1_VA,
		   K_ASID | K_S1 | K_HYP | K_TLBI_RANGE },
	[0x23] = { "TLBI_EL2_VAA", TLBI_W0, TLBI_W1 | C1_VA, K_S1 | K_HYP | K_TLBI_RANGE },
	[0x28] = { "TLBI_S12_VMALL", C0_OP | C0_VMID, 0, K_VMID | K_S2 },
	[0x2a] = { "TLBI_S2_IPA", TLBI_W0 | C0_VMID, TLBI_W1 | C1_IPA,
		   K_VMID | K_S2 | K_TLBI_RANGE },
	[0x30] = { "TLBI_NSNH_ALL", C0_OP, 0, 0 },
	[0x40] = { "ATC_INV", C0_OP | C0_ATC_G | C0_SSV | C0_SSID | C0_SID,
		   C1_ATC_SIZE | C1_VA, K_SID | K_SSID | K_ATS },
	[0x41] = { "PRI_RESP", 0, 0, K_NEVER },			/* no PRI */
	[0x44] = { "RESUME", 0, 0, K_NEVER },			/* no stall model */
	[0x45] = { "STALL_TERM", 0, 0, K_NEVER },
	[0x46] = { "CMD_SYNC", C0_OP | C0_SYNC_CS | C0_SYNC_MSH | C0_SYNC_ATTR | C0_SYNC_DATA,
		   C1_MSIADDR, 0 },
	/* 0x50-0x5a, 0x60: Secure queue only; 0x70, 0x73: DPT; the rest reserved */
};

/*
 * 0 if the command is legal for this SMMU, else the CERROR code, with
 * *why naming the rule. strtab_log2: STRTAB_BASE_CFG.LOG2SIZE.
 */
static u32 cmd_check(const struct smmu_model_cfg *cfg, u32 strtab_log2, const u64 *c,
		     const char **why)
{
	const struct cmd_layout *l = &cmd_layouts[c[0] & C0_OP];
	u32 sid_bits = MIN(strtab_log2, cfg->sid_bits);
	u32 sid = (u32)((c[0] & C0_SID) >> 32);

#define REFUSE(reason) do { *why = (reason); return SMMU_MODEL_CERROR_ILL; } while (0)
	if (!l->name || (l->k & K_NEVER))
		REFUSE("reserved or unsupported opcode");
	if ((c[0] & C0_SSEC) && (l->k & K_SSEC))
		REFUSE("SSec = 1 on the Non-secure queue");
	if ((c[0] & ~l->w0) || (c[1] & ~l->w1))
		REFUSE("a reserved field is non-zero");
	if (((l->k & K_S1) && !cfg->s1) || ((l->k & K_S2) && !cfg->s2))
		REFUSE("a stage the SMMU does not implement");
	if ((l->k & K_HYP) && !cfg->hyp && !(cfg->tolerate & SMMU_MODEL_TOL_EL2_NO_HYP))
		REFUSE("TLBI_EL2_* without IDR0.Hyp");
	if ((l->k & K_ATS) && !cfg->ats)
		REFUSE("ATC_INV without IDR0.ATS");
	if ((l->k & K_VMID) && !cfg->vmid16 && (c[0] & C0_VMID) >> 40)
		REFUSE("VMID above 8 bits without VMID16");
	if ((l->k & K_NH) && !cfg->s2 && (c[0] & C0_VMID))
		REFUSE("VMID in a TLBI_NH_* without stage 2");
	if ((l->k & K_ASID) && !cfg->asid16 && (c[0] & C0_ASID) >> 56)
		REFUSE("ASID above 8 bits without ASID16");
	if (l->k & K_SID) {
		u64 first = sid;

		if (l->k & K_RANGE) {
			u32 range = (u32)(c[1] & C1_RANGE);

			first = range == 31 ? 0 : sid & ~((2ULL << range) - 1);
		}
		if (sid_bits < 32 && (first >> sid_bits))
			REFUSE("StreamID beyond the stream table");
	}
	if (l->k & K_SSID) {
		u32 ssid = (u32)((c[0] & C0_SSID) >> 12);

		if (!cfg->ssid_bits && (c[0] & C0_SSV) && (c[0] & 0xff) != 0x01 &&
		    (c[0] & 0xff) != 0x02)
			REFUSE("SSV = 1 without substreams");
		if ((ssid >> cfg->ssid_bits) && (c[0] & 0xff) != 0x01 && (c[0] & 0xff) != 0x02)
			REFUSE("SubstreamID beyond IDR1.SSIDSIZE");
	}
	if (l->k & K_TLBI_RANGE) {
		u64 tg = (c[1] & C1_TG) >> 10, ttl = (c[1] & C1_TTL) >> 8;
		u64 num = c[0] & C0_NUM, scale = c[0] & C0_SCALE;

		if (!cfg->ril && (tg || ttl || num || scale))
			REFUSE("NUM/SCALE/TG/TTL without IDR3.RIL");
		if (!tg && (ttl || num || scale))
			REFUSE("NUM/SCALE/TTL with TG = 0");
		if (tg == 2 && ttl == 1)
			ttl = 0; /* reserved without IDR5.DS: treated as 0 */
		if (tg && !num && !scale && !ttl &&
		    !((cfg->tolerate & SMMU_MODEL_TOL_RANGE_ZERO) && (c[0] & C0_OP) == 0x2a))
			REFUSE("TG != 0 with NUM = SCALE = TTL = 0");
	}
	switch (c[0] & C0_OP) {
	case 0x40:
		if ((c[1] & C1_ATC_SIZE) > 52)
			REFUSE("ATC_INV Size above 52");
		break;
	case 0x46:
		if (((c[0] & C0_SYNC_CS) >> 12) == 3)
			REFUSE("CMD_SYNC with CS = 0b11");
		break;
	default:
		break;
	}
#undef REFUSE
	return 0;
}

#endif
