/* SPDX-License-Identifier: MIT */
/*
 * The software SMMU's command queue (see smmu_model.h): commands are read
 * at CMDQ_CONS, checked against their opcode's fields (smmu_model_cmd.h),
 * executed against the caches, logged; a refused one stops the queue there
 * until GERRORN acknowledges. Field positions from IHI 0070.
 */
#include <string.h>
#include "smmu_model_priv.h"
#include "smmu_model_cmd.h"

/* ---- commands ------------------------------------------------------------------------------ */

static bool m_vmid(const struct tlb_entry *t, const u64 *c)
{
	return t->vmid == F(c[0], 47, 32);
}
static bool m_s1_vmid(const struct tlb_entry *t, const u64 *c)
{
	return t->s1 && m_vmid(t, c);
}
static bool m_s1_asid(const struct tlb_entry *t, const u64 *c)
{
	return m_s1_vmid(t, c) && t->asid == F(c[0], 63, 48);
}
static bool m_all(const struct tlb_entry *t, const u64 *c)
{
	(void)t;
	(void)c;
	return true;
}

/* the address range a TLBI_*_VA/IPA command covers */
static void tlbi_range(const u64 *c, u64 *start, u64 *end, bool ipa)
{
	u32 tg = (u32)F(c[1], 11, 10);
	u64 addr = ipa ? (c[1] & 0x000ffffffffff000ULL) : (c[1] & ~0xfffULL);

	*start = addr;
	if (tg == 0) {
		*end = addr + 4096;
	} else {
		u64 num = F(c[0], 16, 12) + 1, scale = F(c[0], 24, 20);
		*end = addr + ((num << scale) << 12); /* 4K granule only in tests */
	}
}

/* a TLBI by address reaches entry t: its span meets [s, e), and TG/TTL,
 * when given, name its granule (4K: the only one here) and its level */
static bool tlbi_reaches(const struct tlb_entry *t, const u64 *c, u64 s, u64 e)
{
	u32 tg = (u32)F(c[1], 11, 10), ttl = (u32)F(c[1], 9, 8);

	if (tg > 1 || (tg == 1 && ttl && t->level != ttl))
		return false;
	return t->page < e && s < t->page + t->size;
}

static void tlbi_va(struct smmu_model *m, const u64 *c, bool match_asid)
{
	u64 s, e;

	tlbi_range(c, &s, &e, false);
	for (int i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *t = &m->tlb[i];
		if (t->valid && t->s1 && m_vmid(t, c) && (!match_asid || t->asid == F(c[0], 63, 48)) &&
		    tlbi_reaches(t, c, s, e))
			t->valid = false;
	}
}

static void tlbi_s2_ipa(struct smmu_model *m, const u64 *c)
{
	u64 s, e;

	tlbi_range(c, &s, &e, true);
	/* only stage-2-only entries are tagged by IPA; combined S1+S2 entries
	 * need TLBI_NH_* (or S12_VMALL), as on hardware */
	for (int i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *t = &m->tlb[i];
		if (t->valid && !t->s1 && m_vmid(t, c) && tlbi_reaches(t, c, s, e))
			t->valid = false;
	}
	/* Leaf = 1: only last-level entries; the walk cache keeps its tables.
	 * Leaf = 0: tables too, at the levels above TTL when it is given */
	if (c[1] & 1) {
		m->st.tlbi_leaf++;
	} else {
		u32 tg = (u32)F(c[1], 11, 10), ttl = (u32)F(c[1], 9, 8);

		m->st.tlbi_nonleaf++;
		if (tg <= 1)
			model_walk_inval(m, false, (u16)F(c[0], 47, 32), s, e, tg && ttl ? (int)ttl : 4);
	}
}

/* a command that passed cmd_check() */
static void exec_cmd(struct smmu_model *m, const u64 *c)
{
	u8 op = (u8)(c[0] & 0xff);
	u32 sid = (u32)(c[0] >> 32);

	switch (op) {
	case 0x01: /* PREFETCH_CONFIG */
		break;
	case 0x03: /* CFGI_STE */
		model_stec_inval_sid(m, sid);
		if (m->watch && sid == m->watch_sid && m->nobserved < MAX_OBSERVED) {
			u64 ste[8];
			if (!model_ste_fetch(m, sid, ste))
				memcpy(m->observed[m->nobserved++], ste, sizeof(ste));
		}
		break;
	case 0x04: { /* CFGI_STE_RANGE (CFGI_ALL: Range = 31) */
		u64 span = 2ULL << F(c[1], 4, 0), first = sid & ~(span - 1);

		for (int i = 0; i < STE_CACHE; i++)
			if (m->stec[i].sid >= first && m->stec[i].sid - first < span)
				m->stec[i].valid = false;
		break;
	}
	case 0x05: /* CFGI_CD */
	case 0x06: { /* CFGI_CD_ALL */
		struct ste_cache_entry *e = model_stec_find(m, sid);
		if (e)
			e->cd_valid = false;
		break;
	}
	case 0x10: /* TLBI_NH_ALL */
		model_tlb_inval(m, m_s1_vmid, c);
		break;
	case 0x11: /* TLBI_NH_ASID */
		model_tlb_inval(m, m_s1_asid, c);
		break;
	case 0x12: /* TLBI_NH_VA */
		tlbi_va(m, c, true);
		break;
	case 0x13: /* TLBI_NH_VAA */
		tlbi_va(m, c, false);
		break;
	case 0x20: /* TLBI_EL2_ALL */
		break;
	case 0x28: /* TLBI_S12_VMALL */
		model_tlb_inval(m, m_vmid, c);
		model_walk_inval(m, false, (u16)F(c[0], 47, 32), 0, ~0ULL, 4);
		break;
	case 0x2a: /* TLBI_S2_IPA */
		tlbi_s2_ipa(m, c);
		break;
	case 0x30: /* TLBI_NSNH_ALL */
		model_tlb_inval(m, m_all, c);
		model_walk_inval(m, true, 0, 0, ~0ULL, 4);
		break;
	case 0x46: /* CMD_SYNC */
		m->st.syncs++;
		break;
	default: /* prefetches, EL2 TLBIs (no EL2 entries), ATC_INV: no effect here */
		break;
	}
	m->st.cmds[op]++;
}

static void log_cmd(struct smmu_model *m, const u64 *c)
{
	if (m->log_end == 2 * SMMU_MODEL_CMD_LOG) {
		memmove(m->log, m->log + SMMU_MODEL_CMD_LOG, sizeof(m->log) / 2);
		m->log_end = SMMU_MODEL_CMD_LOG;
		m->log_start = m->log_start > SMMU_MODEL_CMD_LOG ? m->log_start - SMMU_MODEL_CMD_LOG : 0;
	}
	m->log[m->log_end][0] = c[0];
	m->log[m->log_end][1] = c[1];
	m->log_end++;
	if (m->log_end - m->log_start > SMMU_MODEL_CMD_LOG)
		m->log_start = m->log_end - SMMU_MODEL_CMD_LOG;
}

/* stop the queue at the entry CONS points at, as hardware does */
static void refuse(struct smmu_model *m, const u64 *c, u32 err, const char *why)
{
	u32 mask = (2U << F(m->cmdq_base, 4, 0)) - 1;

	m->cmdq_cons = (m->cmdq_cons & mask) | (err << 24); /* ERR and the entry */
	m->gerror ^= 1; /* GERROR.CMDQ_ERR */
	m->st.cmd_errors++;
	m->refused = true;
	m->refused_cmd[0] = c ? c[0] : 0;
	m->refused_cmd[1] = c ? c[1] : 0;
	m->refused_err = err;
	m->refused_why = why;
}

void model_process_cmdq(struct smmu_model *m)
{
	u32 log2 = (u32)F(m->cmdq_base, 4, 0);
	u32 mask = (2U << log2) - 1;
	paddr_t base = m->cmdq_base & 0x000fffffffffffe0ULL;

	if (!(m->cr0 & B(3)) || ((m->gerror ^ m->gerrorn) & 1))
		return; /* disabled, or stopped on an error */
	while ((m->cmdq_cons & mask) != (m->cmdq_prod & mask)) {
		u64 c[2];

		const char *why = NULL;
		u32 err;

		if (!model_mem_read(base + (u64)(m->cmdq_cons & ((1U << log2) - 1)) * 16, c, 16)) {
			refuse(m, NULL, SMMU_MODEL_CERROR_ABT, "abort on command fetch");
			return;
		}
		err = cmd_check(&m->cfg, (u32)F(m->strtab_cfg, 5, 0), c, &why);
		if (!err && m->fail_op_err && (c[0] & 0xff) == m->fail_op) {
			err = m->fail_op_err;
			why = "injected (opcode)";
		}
		if (!err && m->fail_nth && --m->fail_nth == 0) {
			err = m->fail_err;
			why = "injected";
		}
		if (err) {
			refuse(m, c, err, why);
			return;
		}
		exec_cmd(m, c);
		m->consumed++;
		log_cmd(m, c);
		/* the index moves; CONS.ERR stays as the last error left it */
		m->cmdq_cons = (m->cmdq_cons & ~mask) | (((m->cmdq_cons & mask) + 1) & mask);
	}
}

void smmu_model_fail_cmd(struct smmu_model *m, u64 nth, u32 err)
{
	m->fail_nth = nth;
	m->fail_err = err;
}

void smmu_model_fail_opcode(struct smmu_model *m, u8 op, u32 err)
{
	m->fail_op = op;
	m->fail_op_err = err;
}

u64 smmu_model_cmds_consumed(const struct smmu_model *m)
{
	return m->consumed;
}

unsigned int smmu_model_cmd_log(const struct smmu_model *m, const u64 (**log)[2])
{
	*log = (const u64(*)[2])m->log[m->log_start];
	return m->log_end - m->log_start;
}

void smmu_model_cmd_log_reset(struct smmu_model *m)
{
	m->log_start = m->log_end = 0;
}

bool smmu_model_refused(const struct smmu_model *m, u64 cmd[2], u32 *err, const char **why)
{
	if (!m->refused)
		return false;
	if (cmd) {
		cmd[0] = m->refused_cmd[0];
		cmd[1] = m->refused_cmd[1];
	}
	if (err)
		*err = m->refused_err;
	if (why)
		*why = m->refused_why;
	return true;
}

void smmu_model_set_tolerate(struct smmu_model *m, u32 tolerate)
{
	m->cfg.tolerate = tolerate;
}
