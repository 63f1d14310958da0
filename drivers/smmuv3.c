/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 driver: probe, enable, VMIDs and the event-queue interrupt's
 * enable. Portable C: registers through <aerie/mmio.h> only, so host tests
 * run it against the software SMMU model. Events and global errors are
 * drivers/smmuv3_evtq.c; command completion is polled through CMDQ_CONS.
 */
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/mmio.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/string.h>
#include "smmuv3_internal.h"

#define POLL_LIMIT 10000000

static u32 rd32(struct smmu *s, u32 off) { return mmio_read32(s->base + off); }
static void wr32(struct smmu *s, u32 off, u32 v) { mmio_write32(s->base + off, v); }
static void wr64(struct smmu *s, u32 off, u64 v) { mmio_write64(s->base + off, v); }

static int write_ack(struct smmu *s, u32 reg, u32 ack, u32 val)
{
	wr32(s, reg, val);
	for (int i = 0; i < POLL_LIMIT; i++) {
		if (rd32(s, ack) == val)
			return 0;
		cpu_relax();
	}
	pr_err("smmu: register 0x%x not acknowledged (wrote 0x%x)\n", reg, val);
	return -ETIMEDOUT;
}

int smmu_irq_enable(struct smmu *s)
{
	if (s->f.msi)
		wr64(s, SMMU_EVTQ_IRQ_CFG0, 0);
	return write_ack(s, SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, IRQ_CTRL_EVTQ_IRQEN);
}

static int set_gbpa_abort(struct smmu *s)
{
	u32 gbpa = rd32(s, SMMU_GBPA);

	for (int i = 0; i < POLL_LIMIT && (gbpa & GBPA_UPDATE); i++)
		gbpa = rd32(s, SMMU_GBPA);
	wr32(s, SMMU_GBPA, (gbpa | GBPA_ABORT) | GBPA_UPDATE);
	for (int i = 0; i < POLL_LIMIT; i++)
		if (!(rd32(s, SMMU_GBPA) & GBPA_UPDATE))
			return 0;
	return -ETIMEDOUT;
}

static unsigned int oas_bits(u32 enc)
{
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return enc < ARRAY_SIZE(bits) ? bits[enc] : 48;
}

static void decode_features(struct smmu *s)
{
	struct smmu_features *f = &s->f;
	u32 idr0, idr1, idr3, idr5;

	for (int i = 0; i < 6; i++)
		f->idr[i] = rd32(s, SMMU_IDR0 + 4 * i);
	f->iidr = rd32(s, SMMU_IIDR);
	f->aidr = rd32(s, SMMU_AIDR);
	idr0 = f->idr[0];
	idr1 = f->idr[1];
	idr3 = f->idr[3];
	idr5 = f->idr[5];
	f->s1 = idr0 & IDR0_S1P;
	f->s2 = idr0 & IDR0_S2P;
	f->nesting = f->s1 && f->s2;
	f->vmid16 = idr0 & IDR0_VMID16;
	f->st_2lvl = FIELD_GET(IDR0_ST_LEVEL, idr0) == IDR0_ST_LEVEL_2LVL;
	f->coherent = idr0 & IDR0_COHACC;
	f->msi = idr0 & IDR0_MSI;
	f->ats = idr0 & IDR0_ATS;
	f->ril = idr3 & IDR3_RIL;
	f->oas = oas_bits(FIELD_GET(IDR5_OAS, idr5));
	/* stage-2 input size: what the output can address, capped at 48 */
	f->ias = f->oas > 48 ? 48 : f->oas;
	f->sid_bits = FIELD_GET(IDR1_SIDSIZE, idr1);
	f->ssid_bits = FIELD_GET(IDR1_SSIDSIZE, idr1);
	f->cmdq_log2 = MIN((unsigned int)FIELD_GET(IDR1_CMDQS, idr1), (unsigned int)SMMU_CMDQ_MAX_LOG2);
	f->evtq_log2 = MIN((unsigned int)FIELD_GET(IDR1_EVTQS, idr1), 7U);
}

static void print_features(const struct smmu *s)
{
	const struct smmu_features *f = &s->f;

	pr_info("smmu: SMMUv3.%u at 0x%llx: %s%s%s, OAS %u bits, SID %u bits, SSID %u bits\n",
		f->aidr & 0xf, (unsigned long long)s->base, f->s1 ? "S1 " : "",
		f->s2 ? "S2 " : "", f->nesting ? "nesting" : "no nesting", f->oas,
		f->sid_bits, f->ssid_bits);
	pr_info("smmu: VMID%u, RIL %s, %s stream table, %scoherent walks, MSI %s, ATS %s, "
		"cmdq %u, evtq %u entries\n",
		f->vmid16 ? 16 : 8, f->ril ? "yes" : "no", s->st_2lvl ? "2-level" : "linear",
		f->coherent ? "" : "non-", f->msi ? "yes" : "no", f->ats ? "yes" : "no",
		1U << f->cmdq_log2, 1U << f->evtq_log2);
}

static int queue_alloc(struct smmu_queue *q, unsigned int log2, unsigned int qwords)
{
	u64 bytes = (8ULL * qwords) << log2;
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	q->base = pages_alloc(order);
	if (!q->base)
		return -ENOMEM;
	q->log2 = log2;
	q->qwords = qwords;
	q->prod = q->cons = 0;
	return 0;
}

static void queue_free(struct smmu_queue *q)
{
	u64 bytes = (8ULL * q->qwords) << q->log2;
	unsigned int order = 0;

	if (!q->base)
		return;
	while ((PAGE_SIZE << order) < bytes)
		order++;
	pages_free(q->base, order);
	q->base = NULL;
}

static u64 q_base_reg(const struct smmu_queue *q)
{
	return Q_BASE_ALLOC_HINT | (virt_to_phys(q->base) & Q_BASE_ADDR) |
	       FIELD_PREP(Q_BASE_LOG2SIZE, q->log2);
}

static void free_all(struct smmu *s)
{
	smmu_strtab_free(s);
	queue_free(&s->cmdq);
	queue_free(&s->evtq);
	if (s->vmid_map)
		pages_free(s->vmid_map, 1);
	obj_free(s, sizeof(*s));
}

int smmu_probe(struct smmu **out, paddr_t base, u64 size)
{
	struct smmu *s = obj_alloc(sizeof(*s));
	u64 cmd[2];
	int err;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->base = base;
	s->size = size;
	smmu_cmdq_init_batch(s);
	decode_features(s);
	if (!s->f.s2) {
		pr_err("smmu: the SMMUv3 at 0x%llx has no stage-2 translation (IDR0 0x%x): "
		       "Aerie needs it to isolate guests' DMA%s\n",
		       (unsigned long long)base, s->f.idr[0],
		       " (QEMU: -global arm-smmuv3.stage=nested)");
		obj_free(s, sizeof(*s));
		return -ENODEV;
	}
	if (!(s->f.idr[5] & IDR5_GRAN4K)) {
		pr_err("smmu: no 4K translation granule\n");
		obj_free(s, sizeof(*s));
		return -ENODEV;
	}
	s->vmid_bits = s->f.vmid16 ? 16 : 8;

	/* never bypass: abort everything while we set up */
	err = set_gbpa_abort(s);
	if (!err)
		err = write_ack(s, SMMU_CR0, SMMU_CR0ACK, 0);
	if (err)
		goto err_free;

	err = -ENOMEM;
	s->vmid_map = pages_alloc(1); /* 2^16 bits */
	if (!s->vmid_map)
		goto err_free;
	s->vmid_map[0] = 1; /* VMID 0 is never handed out */
	if (queue_alloc(&s->cmdq, s->f.cmdq_log2, 2) ||
	    queue_alloc(&s->evtq, s->f.evtq_log2, 4))
		goto err_free;
	err = smmu_strtab_init(s);
	if (err)
		goto err_free;

	wr32(s, SMMU_CR1, FIELD_PREP(CR1_TABLE_SH, CR1_SH_INNER) |
				  FIELD_PREP(CR1_TABLE_OC, CR1_CACHE_WB) |
				  FIELD_PREP(CR1_TABLE_IC, CR1_CACHE_WB) |
				  FIELD_PREP(CR1_QUEUE_SH, CR1_SH_INNER) |
				  FIELD_PREP(CR1_QUEUE_OC, CR1_CACHE_WB) |
				  FIELD_PREP(CR1_QUEUE_IC, CR1_CACHE_WB));
	wr32(s, SMMU_CR2, CR2_PTM | CR2_RECINVSID);
	wr64(s, SMMU_CMDQ_BASE, q_base_reg(&s->cmdq));
	wr32(s, SMMU_CMDQ_PROD, 0);
	wr32(s, SMMU_CMDQ_CONS, 0);
	wr64(s, SMMU_EVTQ_BASE, q_base_reg(&s->evtq));
	wr32(s, SMMU_EVTQ_PROD, 0);
	wr32(s, SMMU_EVTQ_CONS, 0);
	wr32(s, SMMU_IRQ_CTRL, 0); /* polled until smmu_irq_enable() */
	dma_wmb();

	err = write_ack(s, SMMU_CR0, SMMU_CR0ACK, CR0_CMDQEN);
	if (err)
		goto err_free;
	/* forget anything cached from before us */
	smmu_cmd_build(cmd, CMD_CFGI_ALL);
	cmd[1] = FIELD_PREP(CMD1_CFGI_RANGE, 31);
	smmu_cmd_queue_locked(s, cmd);
	smmu_cmd_build(cmd, CMD_TLBI_NSNH_ALL);
	smmu_cmd_queue_locked(s, cmd);
	if (s->f.idr[0] & IDR0_HYP) {
		/* EL2 TLBIs exist only with IDR0.Hyp (CERROR_ILL otherwise) */
		smmu_cmd_build(cmd, CMD_TLBI_EL2_ALL);
		smmu_cmd_queue_locked(s, cmd);
	}
	err = smmu_sync_locked(s);
	if (err)
		goto err_free;
	err = write_ack(s, SMMU_CR0, SMMU_CR0ACK, CR0_CMDQEN | CR0_EVTQEN);
	if (!err)
		err = write_ack(s, SMMU_CR0, SMMU_CR0ACK, CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN);
	if (err)
		goto err_free;
	smmu_handle_gerror(s);
	print_features(s);
	*out = s;
	return 0;

err_free:
	write_ack(s, SMMU_CR0, SMMU_CR0ACK, 0);
	free_all(s);
	return err;
}

const struct smmu_features *smmu_features(const struct smmu *s)
{
	return &s->f;
}

void smmu_remove(struct smmu *s)
{
	if (!s)
		return;
	write_ack(s, SMMU_CR0, SMMU_CR0ACK, 0);
	set_gbpa_abort(s);
	free_all(s);
}

/* ---- VMIDs ------------------------------------------------------------------- */

int smmu_vmid_alloc(struct smmu *s, u16 *vmid)
{
	u32 max = 1U << s->vmid_bits;
	int err = -ENOSPC;

	spin_lock(&s->lock);
	for (u32 v = 1; v < max; v++) {
		if (!(s->vmid_map[v / 64] & (1ULL << (v % 64)))) {
			s->vmid_map[v / 64] |= 1ULL << (v % 64);
			*vmid = (u16)v;
			err = 0;
			break;
		}
	}
	spin_unlock(&s->lock);
	return err;
}

void smmu_vmid_free(struct smmu *s, u16 vmid)
{
	if (!vmid)
		return;
	spin_lock(&s->lock);
	s->vmid_map[vmid / 64] &= ~(1ULL << (vmid % 64));
	spin_unlock(&s->lock);
}

/* ---- events and errors -------------------------------------------------------- */

void smmu_get_stats(const struct smmu *s, struct smmu_stats *out)
{
	*out = s->stats;
}
