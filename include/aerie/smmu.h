/* SPDX-License-Identifier: MIT */
/*
 * The narrow interface between the portable IOMMU core (iommu/) and the
 * SMMUv3 driver (drivers/smmuv3*.c). The driver itself is portable C that
 * reaches registers only through <aerie/mmio.h>, so host tests run it
 * against the software SMMU model (tests/host/smmu_model.c).
 *
 * Costs (asserted in host tests): a fresh STE = 1 CFGI_STE + 1 CMD_SYNC;
 * replacing a live STE <= 3 such rounds, never transiently invalid;
 * a stage-2 unmap invalidation = one batch ending in exactly one CMD_SYNC.
 */
#ifndef AERIE_SMMU_H
#define AERIE_SMMU_H

#include <aerie/types.h>
#include <aerie/pgtable.h>

struct smmu;	/* one SMMUv3 instance (opaque to the core) */

/* what the hardware offers, decoded from IDR0..5 */
struct smmu_features {
	u32 idr[6], iidr, aidr;	/* raw values */
	bool s1, s2, nesting;	/* stage support (nesting = S1P && S2P) */
	bool ril;		/* range invalidation (IDR3.RIL) */
	bool vmid16;
	bool st_2lvl;
	bool coherent;		/* COHACC */
	bool msi;
	bool ats;
	unsigned int ias, oas;	/* address sizes in bits */
	unsigned int sid_bits, ssid_bits;
	unsigned int cmdq_log2, evtq_log2;
};

/* probe: DT-discovered base + size; the driver maps nothing itself */
int smmu_probe(struct smmu **out, paddr_t base, u64 size);
const struct smmu_features *smmu_features(const struct smmu *smmu);
void smmu_remove(struct smmu *smmu); /* disable, free every page it owns */

/* VMIDs: 1..max; 0 is never handed out. -ENOSPC when exhausted. */
int smmu_vmid_alloc(struct smmu *smmu, u16 *vmid);
void smmu_vmid_free(struct smmu *smmu, u16 vmid);

/* What one stream should do. */
enum smmu_ste_kind {
	SMMU_STE_ABORT = 0,	/* Config=abort (the default for every stream) */
	SMMU_STE_S2,		/* stage-2 only */
	SMMU_STE_NESTED,	/* guest stage 1 + Aerie stage 2 */
};

struct smmu_ste_cfg {
	enum smmu_ste_kind kind;
	/* stage 2 (S2 and NESTED) */
	const struct pgtable *s2;
	u16 vmid;
	/* stage 1 (NESTED only): fields already validated by the core, as the
	 * vSTE carries them (see iommu/vste.c) */
	u64 s1_ctx_ptr;		/* S1ContextPtr, an IPA walked through stage 2 */
	u8 s1_fmt, s1_cdmax;
	u8 s1dss, s1cir, s1cor, s1csh;
	bool s1stalld;
	bool ats;		/* EATS = trans: only for a device whose ATS Aerie
				 * enabled (none yet), and only if the SMMU has ATS */
};

/* Install the configuration of stream `sid` (allocating a level-2 stream
 * table span if needed). Live entries are updated hitlessly.
 * -EINVAL: sid out of range or cfg inconsistent; -ENOMEM. */
int smmu_ste_install(struct smmu *smmu, u32 sid, const struct smmu_ste_cfg *cfg);
/* raw 64-byte STE currently installed (for tests and hw-info checks) */
int smmu_ste_read(struct smmu *smmu, u32 sid, u64 ste[8]);

/*
 * Invalidation. Every call below is one batch: its commands and one CMD_SYNC
 * are queued and waited for under one hold of the SMMU lock, so the queue
 * never holds another caller's commands and an error is charged to the
 * command that caused it (a refused command is skipped, the queue moves on).
 */
/* stage-2 IPA range for `vmid` from what the page-table library reported;
 * chooses range TLBIs (RIL), per-leaf TLBIs, or one S12_VMALL past a
 * threshold; with `nest_parent` also TLBI_NH_ALL for the VMID (combined
 * stage-1+2 entries are tagged by VA, not IPA). Nothing to do: no commands. */
int smmu_inv_s2_range(struct smmu *smmu, u16 vmid, const struct pgtable_inval *inv,
		      bool nest_parent);
int smmu_inv_vmid(struct smmu *smmu, u16 vmid);	/* S12_VMALL + sync */
/* n raw 16-byte commands (already validated and rebuilt by the core), then
 * one CMD_SYNC. 0: all completed (*done = n). -EIO: the SMMU refused command
 * *done (those before it completed; it was skipped, nothing is logged: the
 * caller reports). -ETIMEDOUT (*done = 0). -EINVAL: n > SMMU_BATCH_MAX. */
#define SMMU_BATCH_MAX 128
int smmu_cmd_batch(struct smmu *smmu, const u64 (*cmds)[2], unsigned int n, unsigned int *done);

/*
 * Events. smmu_poll() drains the event queue and GERROR; for each event it
 * calls smmu_event_report() which the IOMMU core implements (routing a
 * stage-1 fault of a nested stream to that guest's event ring, counting the
 * others for that guest's log); events of no guest's stream it logs in
 * words itself. Returns the number of events drained.
 */
int smmu_poll(struct smmu *smmu);
/* the event queue's wired interrupt on (its handler calls smmu_poll; the
 * queue is drained by polling as well): 0 or -ETIMEDOUT */
int smmu_irq_enable(struct smmu *smmu);
struct smmu_event {
	u64 raw[4];
	u8 type;		/* event type (F_TRANSLATION = 0x10, ...) */
	u32 sid;
	u64 addr;		/* input address */
	bool read;		/* RnW: 1 = read */
	bool s2;		/* fault occurred at stage 2 */
	u64 ipa;		/* IPA for stage-2 faults */
	bool repeat;		/* same type, stream, stage, direction and page as
				 * the event before it in this batch: not logged */
};
/* true: the event's stream is a guest's device, and the core handles (and
 * logs) it; the driver logs only the others */
bool smmu_event_report(struct smmu *smmu, const struct smmu_event *evt);
const char *smmu_event_name(u8 type);

/* counters for cost assertions */
struct smmu_stats {
	u64 syncs;		/* CMD_SYNCs issued */
	u64 ste_rounds;		/* CFGI_STE+SYNC rounds for STE updates */
	u64 events;
	u64 refused;		/* commands the SMMU refused (skipped) */
};
void smmu_get_stats(const struct smmu *smmu, struct smmu_stats *out);

#endif
