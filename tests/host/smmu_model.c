/* SPDX-License-Identifier: MIT */
/* The software SMMUv3 (see smmu_model.h). Field positions from IHI 0070. */
#include <stdlib.h>
#include <string.h>
#include <aerie/errno.h>
#include <aerie/mmio.h>
#include <aerie/pa.h>
#include "hostenv.h"
#include "smmu_model_priv.h"

struct smmu_model_cfg smmu_model_default_cfg(void)
{
	return (struct smmu_model_cfg){
		.s1 = true, .s2 = true, .ril = true, .vmid16 = true, .asid16 = true,
		.st_2lvl = true, .coherent = true, .sid_bits = 16, .ssid_bits = 0, .oas = 44,
		.cmdq_log2 = 8, .evtq_log2 = 7, .tolerate = SMMU_MODEL_TOL_KNOWN,
	};
}

/* ---- memory ------------------------------------------------------------------ */

bool model_mem_read(paddr_t pa, void *buf, size_t len)
{
	if (!hostenv_pa_valid(pa, len))
		return false;
	memcpy(buf, phys_to_virt(pa), len);
	return true;
}

static bool mem_write(paddr_t pa, const void *buf, size_t len)
{
	if (!hostenv_pa_valid(pa, len))
		return false;
	memcpy(phys_to_virt(pa), buf, len);
	return true;
}

/* ---- events ------------------------------------------------------------------ */

enum {
	E_C_BAD_STREAMID = 0x02, E_F_STE_FETCH = 0x03, E_C_BAD_STE = 0x04,
	E_F_CD_FETCH = 0x09, E_C_BAD_CD = 0x0a, E_F_WALK_EABT = 0x0b,
	E_F_TRANSLATION = 0x10, E_F_ADDR_SIZE = 0x11, E_F_ACCESS = 0x12,
	E_F_PERMISSION = 0x13,
};

static void raise_event(struct smmu_model *m, u8 type, u32 sid, u64 iova, bool write,
			bool s2, u64 ipa)
{
	u32 log2 = (u32)F(m->evtq_base, 4, 0);
	u32 size = 1U << log2, mask = (2U << log2) - 1;
	u32 prod = m->evtq_prod & mask, cons = m->evtq_cons & mask;
	u64 rec[4];
	paddr_t slot;

	if (!(m->cr0 & B(2)))
		return; /* EVENTQEN off: events are discarded */
	if (((prod - cons) & mask) >= size) {
		m->evtq_prod ^= B(31); /* overflow flag */
		m->st.events_lost++;
		return;
	}
	rec[0] = type | ((u64)sid << 32);
	rec[1] = (write ? 0 : B(35)) | (s2 ? B(39) : 0);
	rec[2] = iova;
	rec[3] = s2 ? (ipa & 0x000ffffffffff000ULL) : 0;
	slot = (m->evtq_base & 0x000fffffffffffe0ULL) + (u64)(prod & (size - 1)) * 32;
	if (!mem_write(slot, rec, sizeof(rec)))
		return;
	m->evtq_prod = (m->evtq_prod & B(31)) | ((prod + 1) & mask);
	m->st.events++;
}

/* ---- caches ------------------------------------------------------------------- */

struct ste_cache_entry *model_stec_find(struct smmu_model *m, u32 sid)
{
	for (int i = 0; i < STE_CACHE; i++)
		if (m->stec[i].valid && m->stec[i].sid == sid)
			return &m->stec[i];
	return NULL;
}

void model_stec_inval_sid(struct smmu_model *m, u32 sid)
{
	struct ste_cache_entry *e = model_stec_find(m, sid);

	if (e)
		e->valid = false;
}

void model_tlb_inval(struct smmu_model *m, bool (*match)(const struct tlb_entry *, const u64 *),
		     const u64 *cmd)
{
	for (int i = 0; i < TLB_SIZE; i++)
		if (m->tlb[i].valid && match(&m->tlb[i], cmd))
			m->tlb[i].valid = false;
}

void smmu_model_flush_caches(struct smmu_model *m)
{
	memset(m->stec, 0, sizeof(m->stec));
	memset(m->tlb, 0, sizeof(m->tlb));
	memset(m->walkc, 0, sizeof(m->walkc));
}

/* the IPA span one descriptor at `level` covers, as a shift */
static u32 level_shift(int level)
{
	return 39 - 9 * (u32)level;
}

/* the walk cache is set-associative: WALK_WAYS entries per set */
#define WALK_WAYS 4

static struct walk_entry *walk_set(const struct smmu_model *m, u16 vmid, int level, u64 tag)
{
	u64 h = (tag * 0x9e3779b97f4a7c15ULL) ^ ((u64)vmid << 7) ^ (u64)level;

	return (struct walk_entry *)&m->walkc[((h >> 32) % (WALK_CACHE / WALK_WAYS)) * WALK_WAYS];
}

static const struct walk_entry *walk_find(const struct smmu_model *m, u16 vmid, int level, u64 ipa)
{
	u64 tag = ipa >> level_shift(level);
	const struct walk_entry *w = walk_set(m, vmid, level, tag);

	for (int i = 0; i < WALK_WAYS; i++, w++)
		if (w->valid && w->tag == tag && w->vmid == vmid && w->level == level)
			return w;
	return NULL;
}

static void walk_insert(struct smmu_model *m, u16 vmid, int level, u64 ipa, paddr_t next)
{
	u64 tag = ipa >> level_shift(level);
	struct walk_entry *set = walk_set(m, vmid, level, tag), *w = NULL;

	if (walk_find(m, vmid, level, ipa))
		return;
	for (int i = 0; i < WALK_WAYS && !w; i++)
		if (!set[i].valid)
			w = &set[i];
	if (!w)
		w = &set[m->walk_next++ % WALK_WAYS];
	*w = (struct walk_entry){
		.valid = true, .level = (u8)level, .vmid = vmid, .tag = tag, .next = next,
	};
}

/* drop the walk entries of `vmid` (all VMIDs if `all`) read at a level
 * below `below` that cover any IPA in [s, e) */
void model_walk_inval(struct smmu_model *m, bool all, u16 vmid, u64 s, u64 e, int below)
{
	for (int i = 0; i < WALK_CACHE; i++) {
		struct walk_entry *w = &m->walkc[i];
		u32 sh = level_shift(w->level);
		u64 lo = w->tag << sh, hi = lo + (1ULL << sh);

		if (w->valid && (all || w->vmid == vmid) && w->level < below && lo < e && s < hi)
			w->valid = false;
	}
}

/* ---- stream table ---------------------------------------------------------------- */

/* where the STE of sid is; 0, or the event type to raise */
static int ste_addr(struct smmu_model *m, u32 sid, paddr_t *out)
{
	u32 log2size = (u32)F(m->strtab_cfg, 5, 0);
	u32 fmt = (u32)F(m->strtab_cfg, 17, 16);
	u32 split = (u32)F(m->strtab_cfg, 10, 6);
	paddr_t base = m->strtab_base & 0x000fffffffffffc0ULL;
	paddr_t addr;

	if (log2size < 32 && (sid >> log2size))
		return E_C_BAD_STREAMID;
	if (fmt == 0) {
		addr = base + (u64)sid * 64;
	} else {
		u64 l1;
		u32 span;

		if (!model_mem_read(base + (u64)(sid >> split) * 8, &l1, 8))
			return E_F_STE_FETCH;
		span = (u32)F(l1, 4, 0);
		if (span == 0)
			return E_C_BAD_STE; /* no level-2 table: invalid */
		if ((sid & ((1U << split) - 1)) >= (1U << (span - 1)))
			return E_C_BAD_STE;
		addr = (l1 & 0x000fffffffffffc0ULL) + (u64)(sid & ((1U << split) - 1)) * 64;
	}
	*out = addr;
	return 0;
}

/* fetch the STE of sid; 0, or the event type to raise */
int model_ste_fetch(struct smmu_model *m, u32 sid, u64 ste[8])
{
	paddr_t addr;
	int ev;

	m->st.ste_fetches++;
	ev = ste_addr(m, sid, &addr);
	if (ev)
		return ev;
	if (!model_mem_read(addr, ste, 64))
		return E_F_STE_FETCH;
	return 0;
}

static bool ste_valid(const struct smmu_model *m, const u64 *ste)
{
	u32 cfg = (u32)F(ste[0], 3, 1);

	if (!(ste[0] & 1))
		return false;
	if (cfg != 0 && cfg != 4 && cfg != 5 && cfg != 6 && cfg != 7)
		return false;
	if ((cfg == 5 || cfg == 7) && !m->cfg.s1)
		return false;
	if (cfg == 6 || cfg == 7) {
		u32 t0sz = (u32)F(ste[2], 37, 32), tg = (u32)F(ste[2], 47, 46);
		u32 vmid = (u32)F(ste[2], 15, 0);
		if (!m->cfg.s2 || tg != 0 || !(ste[2] & B(51)) || t0sz < 16 || t0sz > 39)
			return false;
		if (!m->cfg.vmid16 && vmid > 0xff)
			return false;
		if (!(ste[3] & 0x000ffffffffffff0ULL))
			return false;
	}
	return true;
}

/* ---- table walks -------------------------------------------------------------------- */

struct walk {
	u64 pa;
	bool r, w;
	int fault;	/* 0 or event type */
	bool s2;	/* the fault was at stage 2 */
	u64 ipa;
	u8 level;	/* of the leaf */
};

/* stage 2: ipa -> pa with the STE's S2 fields, starting from the deepest
 * table the walk cache holds for this VMID and IPA */
static struct walk s2_walk(struct smmu_model *m, const u64 *ste, u64 ipa)
{
	struct walk res = { .s2 = true, .ipa = ipa };
	u32 t0sz = (u32)F(ste[2], 37, 32), sl0 = (u32)F(ste[2], 39, 38);
	int level = sl0 == 2 ? 0 : sl0 == 1 ? 1 : 2;
	int start = level;
	u32 ias = 64 - t0sz;
	u16 vmid = (u16)F(ste[2], 15, 0);
	paddr_t table = ste[3] & 0x000ffffffffffff0ULL & ~0xfffULL;

	if (ias < 64 && (ipa >> ias)) {
		res.fault = E_F_TRANSLATION;
		return res;
	}
	for (int l = 2; l >= start; l--) {
		const struct walk_entry *w = walk_find(m, vmid, l, ipa);

		if (w) {
			table = w->next;
			level = l + 1;
			m->st.walk_hits++;
			break;
		}
	}
	for (;; level++) {
		u32 shift = 39 - 9 * level;
		/* the start level may be concatenated: it takes all upper bits */
		u64 idx = (ipa >> shift) & (level == start ? ((1ULL << (ias - shift)) - 1) : 511);
		u64 d;

		if (!model_mem_read(table + idx * 8, &d, 8)) {
			res.fault = E_F_WALK_EABT;
			return res;
		}
		if (!(d & 1)) {
			res.fault = E_F_TRANSLATION;
			return res;
		}
		if (level < 3 && (d & 2)) {
			table = d & 0x0000fffffffff000ULL;
			walk_insert(m, vmid, level, ipa, table);
			continue;
		}
		if (level == 3 && !(d & 2)) {
			res.fault = E_F_TRANSLATION;
			return res;
		}
		if (level == 0) {
			res.fault = E_F_TRANSLATION;
			return res;
		}
		if (!(d & B(10))) {
			res.fault = E_F_ACCESS;
			return res;
		}
		res.pa = (d & 0x0000fffffffff000ULL & ~((1ULL << shift) - 1)) |
			 (ipa & ((1ULL << shift) - 1));
		res.r = d & B(6);
		res.w = d & B(7);
		res.level = (u8)level;
		return res;
	}
}

/* an address the stage-1 walk needs (CD, table): through stage 2 when nested */
static struct walk s1_input_pa(struct smmu_model *m, const u64 *ste, bool nested, u64 ipa)
{
	struct walk w = { .pa = ipa, .r = true, .w = true };

	if (!nested)
		return w;
	w = s2_walk(m, ste, ipa);
	if (!w.fault && !w.r)
		w.fault = E_F_PERMISSION;
	return w;
}

/* stage 1 with a CD: va -> ipa (or pa when not nested) */
static struct walk s1_walk(struct smmu_model *m, const u64 *ste, const u64 *cd, bool nested,
			   u64 va)
{
	struct walk res = { 0 };
	u32 t0sz = (u32)F(cd[0], 5, 0);
	u32 ias = 64 - t0sz;
	int level = ias > 39 ? 0 : ias > 30 ? 1 : 2;
	int start = level;
	paddr_t table = cd[1] & 0x000ffffffffffff0ULL & ~0xfffULL;

	if ((ias < 64 && (va >> ias)) || (cd[0] & B(14))) {
		res.fault = E_F_TRANSLATION;
		return res;
	}
	for (;; level++) {
		u32 shift = 39 - 9 * level;
		u64 idx = (va >> shift) & (level == start ? ((1ULL << (ias - shift)) - 1) : 511);
		struct walk t = s1_input_pa(m, ste, nested, table + idx * 8);
		u64 d;

		if (t.fault) {
			t.s2 = true;
			return t;
		}
		if (!model_mem_read(t.pa, &d, 8)) {
			res.fault = E_F_WALK_EABT;
			return res;
		}
		if (!(d & 1) || (level == 3 && !(d & 2)) || (level == 0 && !(d & 2))) {
			res.fault = E_F_TRANSLATION;
			return res;
		}
		if (level < 3 && (d & 2)) {
			table = d & 0x0000fffffffff000ULL;
			continue;
		}
		if (!(d & B(10))) {
			res.fault = E_F_ACCESS;
			return res;
		}
		res.pa = (d & 0x0000fffffffff000ULL & ~((1ULL << shift) - 1)) |
			 (va & ((1ULL << shift) - 1));
		res.r = true;
		res.w = !(d & B(7)); /* AP[2] = 1: read-only */
		res.level = (u8)level;
		return res;
	}
}

/* ---- translation ---------------------------------------------------------------------- */

int smmu_model_translate(struct smmu_model *m, u32 sid, u64 iova, bool write, paddr_t *pa)
{
	struct ste_cache_entry *e;
	u64 ste[8];
	u32 cfg;
	u16 vmid, asid = 0;
	bool s1;
	struct walk w;

	if (!(m->cr0 & B(0))) {
		if (m->gbpa & B(20))
			return -EFAULT; /* global abort, no event */
		*pa = iova;
		return 0;
	}
	e = model_stec_find(m, sid);
	if (!e) {
		int ev = model_ste_fetch(m, sid, ste);

		if (ev) {
			raise_event(m, (u8)ev, sid, iova, write, false, 0);
			return -EFAULT;
		}
		e = &m->stec[m->stec_next++ % STE_CACHE];
		memset(e, 0, sizeof(*e));
		e->valid = true;
		e->sid = sid;
		memcpy(e->ste, ste, sizeof(ste));
	}
	memcpy(ste, e->ste, sizeof(ste));
	if (!ste_valid(m, ste)) {
		raise_event(m, E_C_BAD_STE, sid, iova, write, false, 0);
		return -EFAULT;
	}
	cfg = (u32)F(ste[0], 3, 1);
	if (cfg == 0)
		return -EFAULT; /* abort: terminated, no event */
	if (cfg == 4) {
		*pa = iova;
		return 0;
	}
	s1 = cfg == 5 || cfg == 7;
	vmid = (cfg == 6 || cfg == 7) ? (u16)F(ste[2], 15, 0) : 0;
	if (s1 && !e->cd_valid) {
		struct walk c = s1_input_pa(m, ste, cfg == 7, ste[0] & 0x000fffffffffffc0ULL);

		m->st.cd_fetches++;
		if (c.fault) {
			raise_event(m, c.fault == E_F_WALK_EABT ? E_F_CD_FETCH : (u8)c.fault,
				    sid, iova, write, true, c.ipa);
			return -EFAULT;
		}
		if (!model_mem_read(c.pa, e->cd, 64)) {
			raise_event(m, E_F_CD_FETCH, sid, iova, write, false, 0);
			return -EFAULT;
		}
		e->cd_valid = true;
	}
	if (s1) {
		if (!(e->cd[0] & B(31)) || !(e->cd[0] & B(41)) || F(e->cd[0], 7, 6) != 0) {
			raise_event(m, E_C_BAD_CD, sid, iova, write, false, 0);
			return -EFAULT;
		}
		asid = (u16)F(e->cd[0], 63, 48);
	}
	/* TLB */
	for (int i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *t = &m->tlb[i];

		if (t->valid && t->s1 == s1 && t->vmid == vmid && (!s1 || t->asid == asid) &&
		    (vmid || t->sid == sid) && t->page == (iova & ~(t->size - 1))) {
			m->st.tlb_hits++;
			if (write ? !t->w : !t->r) {
				raise_event(m, E_F_PERMISSION, sid, iova, write, !s1, iova);
				return -EFAULT;
			}
			*pa = t->pa | (iova & (t->size - 1));
			return 0;
		}
	}
	m->st.tlb_misses++;
	if (s1) {
		w = s1_walk(m, ste, e->cd, cfg == 7, iova);
		if (!w.fault && cfg == 7) {
			struct walk w2 = s2_walk(m, ste, w.pa);

			if (w2.fault || (write ? !w2.w : !w2.r)) {
				if (!w2.fault)
					w2.fault = E_F_PERMISSION;
				raise_event(m, (u8)w2.fault, sid, iova, write, true, w.pa);
				return -EFAULT;
			}
			w2.r = w2.r && w.r;
			w2.w = w2.w && w.w;
			w.pa = w2.pa;
			w.r = w2.r;
			w.w = w2.w;
		}
	} else {
		w = s2_walk(m, ste, iova);
	}
	if (w.fault) {
		raise_event(m, (u8)w.fault, sid, iova, write, w.s2, w.ipa);
		return -EFAULT;
	}
	if (write ? !w.w : !w.r) {
		raise_event(m, E_F_PERMISSION, sid, iova, write, !s1, iova);
		return -EFAULT;
	}
	{
		/* combined and stage-1 entries are kept per 4K page */
		u64 size = s1 ? 4096 : 1ULL << level_shift(w.level);

		m->tlb[m->tlb_next++ % TLB_SIZE] = (struct tlb_entry){
			.valid = true, .s1 = s1, .vmid = vmid, .asid = asid, .sid = sid,
			.page = iova & ~(size - 1), .pa = w.pa & ~(size - 1), .size = size,
			.level = w.level, .r = w.r, .w = w.w,
		};
	}
	*pa = w.pa;
	return 0;
}

static int dma(struct smmu_model *m, u32 sid, u64 iova, void *buf, size_t len, bool write)
{
	paddr_t pas[64];
	u64 first = iova & ~0xfffULL;
	size_t npages = (size_t)((((iova + len + 0xfff) & ~0xfffULL) - first) >> 12);

	if (npages > 64)
		return -EINVAL;
	for (size_t i = 0; i < npages; i++) {
		u64 va = i == 0 ? iova : first + i * 4096;
		if (smmu_model_translate(m, sid, va, write, &pas[i]))
			return -EFAULT;
	}
	for (size_t i = 0, done = 0; i < npages; i++) {
		u64 va = i == 0 ? iova : first + i * 4096;
		size_t chunk = MIN(len - done, 4096 - (va & 0xfff));
		bool ok = write ? mem_write(pas[i], (u8 *)buf + done, chunk)
				: model_mem_read(pas[i], (u8 *)buf + done, chunk);
		if (!ok)
			return -EFAULT;
		done += chunk;
	}
	return 0;
}

int smmu_model_dma_write(struct smmu_model *m, u32 sid, u64 iova, const void *buf, size_t len)
{
	return dma(m, sid, iova, (void *)buf, len, true);
}

int smmu_model_dma_read(struct smmu_model *m, u32 sid, u64 iova, void *buf, size_t len)
{
	return dma(m, sid, iova, buf, len, false);
}

/* ---- registers ------------------------------------------------------------------------------- */

static u64 reg_read(void *ctx, u64 off, unsigned int bytes)
{
	struct smmu_model *m = ctx;

	(void)bytes;
	switch (off) {
	case R_IDR0: case R_IDR1: case R_IDR2: case R_IDR3: case R_IDR4: case R_IDR5:
		return m->idr[off / 4];
	case R_IIDR: return 0x43b;
	case R_AIDR: return 0x1;
	case R_CR0: return m->cr0;
	case R_CR0ACK: return m->cr0;
	case R_CR1: return m->cr1;
	case R_CR2: return m->cr2;
	case R_GBPA: return m->gbpa;
	case R_IRQ_CTRL: case R_IRQ_CTRLACK: return m->irq_ctrl;
	case R_GERROR: return m->gerror;
	case R_GERRORN: return m->gerrorn;
	case R_STRTAB_BASE: return m->strtab_base;
	case R_STRTAB_BASE_CFG: return m->strtab_cfg;
	case R_CMDQ_BASE: return m->cmdq_base;
	case R_CMDQ_PROD: return m->cmdq_prod;
	case R_CMDQ_CONS: return m->cmdq_cons;
	case R_EVTQ_BASE: return m->evtq_base;
	case R_EVTQ_PROD: return m->evtq_prod;
	case R_EVTQ_CONS: return m->evtq_cons;
	default: return 0;
	}
}

static void reg_write(void *ctx, u64 off, u64 val, unsigned int bytes)
{
	struct smmu_model *m = ctx;

	(void)bytes;
	switch (off) {
	case R_CR0:
		m->cr0 = (u32)val & (B(0) | B(2) | B(3));
		if (!(m->cr0 & B(3)))
			m->cmdq_cons &= ~(0x7fU << 24);
		break;
	case R_CR1: m->cr1 = (u32)val; break;
	case R_CR2: m->cr2 = (u32)val; break;
	case R_GBPA: m->gbpa = (u32)val & ~(u32)B(31); break; /* update completes at once */
	case R_IRQ_CTRL: m->irq_ctrl = (u32)val; break;
	case R_GERRORN:
		m->gerrorn = (u32)val;
		/* CONS.ERR keeps its value (it means something only while
		 * GERROR.CMDQ_ERR is active), as on QEMU's SMMU */
		if (!((m->gerror ^ m->gerrorn) & 1))
			model_process_cmdq(m);
		break;
	case R_STRTAB_BASE: if (!(m->cr0 & B(0))) m->strtab_base = val; break;
	case R_STRTAB_BASE_CFG: if (!(m->cr0 & B(0))) m->strtab_cfg = (u32)val; break;
	case R_CMDQ_BASE: if (!(m->cr0 & B(3))) m->cmdq_base = val; break;
	case R_CMDQ_PROD:
		m->cmdq_prod = (u32)val;
		model_process_cmdq(m);
		break;
	case R_CMDQ_CONS: if (!(m->cr0 & B(3))) m->cmdq_cons = (u32)val; break;
	case R_EVTQ_BASE: if (!(m->cr0 & B(2))) m->evtq_base = val; break;
	case R_EVTQ_PROD: if (!(m->cr0 & B(2))) m->evtq_prod = (u32)val; break;
	case R_EVTQ_CONS: m->evtq_cons = (u32)val; break;
	default: break;
	}
}

struct smmu_model *smmu_model_create(paddr_t mmio_base, const struct smmu_model_cfg *cfg)
{
	struct smmu_model *m = calloc(1, sizeof(*m));
	struct mmio_model mm;
	static const u32 oas_enc[] = { 32, 36, 40, 42, 44, 48, 52 };
	u32 oas = 0;

	if (!m)
		abort();
	m->cfg = *cfg;
	m->base = mmio_base;
	for (u32 i = 0; i < 7; i++)
		if (oas_enc[i] == cfg->oas)
			oas = i;
	m->idr[0] = (cfg->s2 ? 1 : 0) | (cfg->s1 ? 2 : 0) | (2 << 2) /* TTF AArch64 */ |
		    (cfg->coherent ? B(4) : 0) | (cfg->hyp ? B(9) : 0) | (cfg->ats ? B(10) : 0) |
		    (cfg->asid16 ? B(12) : 0) | (cfg->vmid16 ? B(18) : 0) |
		    (1U << 24) /* STALL_MODEL: no stall */ | ((u64)(cfg->st_2lvl ? 1 : 0) << 27);
	m->idr[1] = cfg->sid_bits | (cfg->ssid_bits << 6) | (cfg->evtq_log2 << 16) |
		    (cfg->cmdq_log2 << 21);
	m->idr[3] = cfg->ril ? B(10) : 0;
	m->idr[5] = oas | B(4);
	m->gbpa = 0; /* reset: bypass, as the spec allows; the driver must abort */
	mm = (struct mmio_model){ mmio_base, SMMU_MODEL_MMIO_SIZE, m, reg_read, reg_write };
	hostenv_mmio_register(&mm);
	return m;
}

static struct smmu_model *store_watcher;

/* the driver stored v at slot: snapshot the watched STE if slot is in it */
static void store_hook(u64 *slot, u64 v)
{
	struct smmu_model *m = store_watcher;
	u64 ste[8];
	paddr_t pa = virt_to_phys(slot), at;

	(void)v;
	if (!m || m->nstores >= SMMU_MODEL_MAX_STORES || ste_addr(m, m->store_sid, &at) ||
	    pa < at || pa >= at + 64)
		return;
	if (model_mem_read(at, ste, sizeof(ste)))
		memcpy(m->stores[m->nstores++], ste, sizeof(ste));
}

void smmu_model_watch_ste_stores(struct smmu_model *m, u32 sid)
{
	store_watcher = m;
	m->store_sid = sid;
	m->nstores = 0;
	host_dma_store64_hook = store_hook;
}

unsigned int smmu_model_ste_stores(const struct smmu_model *m, u64 (**stes)[8])
{
	*stes = (u64(*)[8])m->stores;
	return m->nstores;
}

void smmu_model_destroy(struct smmu_model *m)
{
	if (store_watcher == m) {
		store_watcher = NULL;
		host_dma_store64_hook = NULL;
	}
	hostenv_mmio_unregister(m->base);
	free(m);
}

void smmu_model_get_stats(const struct smmu_model *m, struct smmu_model_stats *out)
{
	*out = m->st;
}

void smmu_model_reset_stats(struct smmu_model *m)
{
	memset(&m->st, 0, sizeof(m->st));
}

void smmu_model_watch_sid(struct smmu_model *m, u32 sid)
{
	m->watch = true;
	m->watch_sid = sid;
	m->nobserved = 0;
}

unsigned int smmu_model_observed(const struct smmu_model *m, u64 (**stes)[8])
{
	*stes = (u64(*)[8])m->observed;
	return m->nobserved;
}
