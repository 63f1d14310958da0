/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 events and global errors: smmu_poll() drains the event queue and
 * GERROR and hands each event to smmu_event_report() (the IOMMU core); an
 * event of no guest's stream it logs in words (a run of alike events once,
 * with a count). It runs on
 * every slow-path guest exit, so it is built for speed while the rest of
 * the driver's cold code (probe) is built for size. Portable C, like the
 * rest of the driver.
 */
#include <aerie/log.h>
#include <aerie/mmio.h>
#include <aerie/string.h>
#include "smmuv3_internal.h"

static u32 rd32(struct smmu *s, u32 off) { return mmio_read32(s->base + off); }
static void wr32(struct smmu *s, u32 off, u32 v) { mmio_write32(s->base + off, v); }

const char *smmu_event_name(u8 type)
{
	switch (type) {
	case EVT_F_UUT: return "F_UUT (unsupported upstream transaction)";
	case EVT_C_BAD_STREAMID: return "C_BAD_STREAMID (StreamID out of range)";
	case EVT_F_STE_FETCH: return "F_STE_FETCH (stream table entry fetch abort)";
	case EVT_C_BAD_STE: return "C_BAD_STE (invalid stream table entry)";
	case EVT_F_BAD_ATS_TREQ: return "F_BAD_ATS_TREQ";
	case EVT_F_STREAM_DISABLED: return "F_STREAM_DISABLED";
	case EVT_F_TRANSL_FORBIDDEN: return "F_TRANSL_FORBIDDEN";
	case EVT_C_BAD_SUBSTREAMID: return "C_BAD_SUBSTREAMID";
	case EVT_F_CD_FETCH: return "F_CD_FETCH (context descriptor fetch abort)";
	case EVT_C_BAD_CD: return "C_BAD_CD (invalid context descriptor)";
	case EVT_F_WALK_EABT: return "F_WALK_EABT (table walk external abort)";
	case EVT_F_TRANSLATION: return "F_TRANSLATION (translation fault)";
	case EVT_F_ADDR_SIZE: return "F_ADDR_SIZE (address size fault)";
	case EVT_F_ACCESS: return "F_ACCESS (access flag fault)";
	case EVT_F_PERMISSION: return "F_PERMISSION (permission fault)";
	case EVT_F_TLB_CONFLICT: return "F_TLB_CONFLICT";
	case EVT_F_CFG_CONFLICT: return "F_CFG_CONFLICT";
	default: return "unknown event";
	}
}

/* names in place, not pointers (each pointer would be 8 bytes and a
 * 24-byte relocation in the image) */
static const char gerror_names[][19] = {
	"CMDQ_ERR", "(reserved)", "EVENTQ_ABT_ERR", "PRIQ_ABT_ERR", "MSI_CMDQ_ABT_ERR",
	"MSI_EVENTQ_ABT_ERR", "MSI_PRIQ_ABT_ERR", "MSI_GERROR_ABT_ERR", "SFM_ERR",
};

void smmu_handle_gerror(struct smmu *s)
{
	u32 gerror = rd32(s, SMMU_GERROR), gerrorn = rd32(s, SMMU_GERRORN);
	u32 active = (gerror ^ gerrorn) & GERROR_ERR_MASK;

	if (!active)
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(gerror_names); i++)
		if (active & (1U << i))
			pr_err("smmu: global error %s\n", gerror_names[i]);
	/* CMDQ_ERR is acknowledged by the command queue code after it skips the
	 * bad command; acknowledge the rest here */
	wr32(s, SMMU_GERRORN, gerrorn ^ (active & ~(u32)GERROR_CMDQ_ERR));
}

static void decode_event(const u64 raw[4], struct smmu_event *e)
{
	memcpy(e->raw, raw, sizeof(e->raw));
	e->type = (u8)FIELD_GET(EVT0_ID, raw[0]);
	e->sid = (u32)FIELD_GET(EVT0_SID, raw[0]);
	e->addr = raw[2];
	e->read = raw[1] & EVT1_RNW;
	e->s2 = raw[1] & EVT1_S2;
	e->ipa = raw[3] & EVT3_IPA;
}

__attribute__((weak)) bool smmu_event_report(struct smmu *smmu, const struct smmu_event *evt)
{
	(void)smmu;
	(void)evt;
	return false;
}

static bool same_fault(const struct smmu_event *a, const struct smmu_event *b)
{
	return a->type == b->type && a->sid == b->sid && a->s2 == b->s2 && a->read == b->read &&
	       (a->addr >> PAGE_SHIFT) == (b->addr >> PAGE_SHIFT);
}

static void log_repeats(unsigned int n)
{
	if (n)
		pr_warn("smmu:   ... and %u more like it\n", n);
}

int smmu_poll(struct smmu *s)
{
	struct smmu_queue *q = &s->evtq;
	struct smmu_event prev = { .type = 0 };
	unsigned int repeats = 0;
	int n = 0;
	u32 prod;

	spin_lock(&s->lock);
	smmu_handle_gerror(s);
	if (s->evtq_busy) {
		/* another CPU drains the queue (it drops the lock to report each
		 * event): one drainer keeps the events and their log in order */
		spin_unlock(&s->lock);
		return 0;
	}
	s->evtq_busy = true;
	prod = rd32(s, SMMU_EVTQ_PROD);
	if ((prod ^ q->cons) & Q_OVERFLOW_FLAG)
		pr_warn("smmu: event queue overflowed: events were lost\n");
	q->prod = prod & ((2U << q->log2) - 1);
	dma_rmb();
	while (q->cons != q->prod) {
		const u64 *raw = q->base + q_idx(q, q->cons) * 4;
		struct smmu_event e;

		decode_event(raw, &e);
		e.repeat = n && same_fault(&e, &prev);
		prev = e;
		s->stats.events++;
		q->cons = q_inc(q, q->cons);
		spin_unlock(&s->lock);
		/* a guest's device: the core routes it, or logs it on that
		 * guest's own exits, rate-limited; the rest are logged here */
		if (!smmu_event_report(s, &e)) {
			if (e.repeat) {
				repeats++;
			} else {
				log_repeats(repeats);
				repeats = 0;
				pr_warn("smmu: event %s: StreamID 0x%x, %s at 0x%llx, stage %u\n",
					smmu_event_name(e.type), e.sid, e.read ? "read" : "write",
					(unsigned long long)e.addr, e.s2 ? 2 : 1);
				if (e.s2 && e.ipa)
					pr_warn("smmu:   faulting IPA 0x%llx\n",
						(unsigned long long)e.ipa);
			}
		}
		spin_lock(&s->lock);
		n++;
	}
	log_repeats(repeats);
	/* consume, and acknowledge an overflow */
	wr32(s, SMMU_EVTQ_CONS, q->cons | (prod & Q_OVERFLOW_FLAG));
	q->cons &= (2U << q->log2) - 1;
	s->evtq_busy = false;
	spin_unlock(&s->lock);
	return n;
}
