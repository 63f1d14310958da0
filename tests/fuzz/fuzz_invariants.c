/* SPDX-License-Identifier: MIT */
/*
 * The fuzzer's invariants (docs/fuzzing.md lists them). They read the IOMMU
 * core's objects (iommu_internal.h), the STEs the SMMU sees (smmu_ste_read),
 * the model's registers and the page/object counters. A violation prints
 * what the input was doing and abort()s, so libFuzzer keeps the input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <aerie/bits.h>
#include <aerie/mmio.h>
#include <aerie/page_alloc.h>
#include "fuzz.h"
#include "hostenv.h"
#include "iommu_internal.h"

/*
 * Hook for per-guest accounting (not merged yet): define
 * FZ_USAGE_PAGES(ctx) to the pages the core charges to a context, e.g.
 * in tests/fuzz/build.mk. Then "each guest's charged pages equal what it
 * holds" is checked after every command (held = what its hypercalls
 * allocated minus what they freed, counted by the harness), and, with a
 * quota set, that it never holds more than its quota.
 */

/* STE fields (IHI 0070: STE words 0, 2, 3), the harness's own copy */
#define STE0_V		BIT(0)
#define STE0_CFG	GENMASK(3, 1)
#define STE0_S1CTXPTR	GENMASK(51, 6)
#define STE2_S2VMID	GENMASK(15, 0)
#define STE3_S2TTB	GENMASK(51, 4)
#define CFG_ABORT	0
#define CFG_S2		6
#define CFG_NESTED	7

/* model registers: the command queue's state as hardware shows it */
#define REG_GERROR	0x60
#define REG_GERRORN	0x64
#define REG_CMDQ_PROD	0x98
#define REG_CMDQ_CONS	0x9c
#define GERROR_CMDQ_ERR	BIT(0)
#define CMDQ_CONS_ERR	GENMASK(30, 24)

/* streams no guest owns: they stay abort whatever the guests do */
static const u32 canary_sids[] = { 0x0, 0x12, 0x118, 0xff };

void fz_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_iommufd: invariant broken: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  at step %u: guest %d, %s, returned %lld\n", fz.step, fz.guest,
		fz.cmd ? fz.cmd : "setup", (long long)fz.ret);
	hostenv_dump_log(stderr);
	abort();
}

static u64 mix(u64 h, u64 v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdULL;
}

/* everything a failed command must leave as it was, in one digest */
static u64 objs_digest(struct iommu_ctx *c)
{
	u64 h = 0;

	for (u32 i = 0; i < c->top; i++) {
		struct obj *o = c->objs[i];

		if (!o)
			continue;
		h = mix(h, i);
		h = mix(h, (uintptr_t)o);
		h = mix(h, o->type | (u64)o->users << 8 | (u64)o->id << 40);
		switch (o->type) {
		case OBJ_DEVICE: {
			struct device *d = (struct device *)o;
			h = mix(h, (uintptr_t)d->attached);
			h = mix(h, (uintptr_t)d->vdev);
			break;
		}
		case OBJ_IOAS:
			for (struct area *a = ((struct ioas *)o)->areas; a; a = a->next) {
				h = mix(h, a->iova);
				h = mix(h, a->length ^ a->pa ^ a->prot);
			}
			break;
		case OBJ_HWPT_PAGING: {
			struct hwpt *p = (struct hwpt *)o;
			h = mix(h, p->pt.root ^ (u64)p->vmid << 52);
			h = mix(h, p->pt.table_pages);
			break;
		}
		case OBJ_VIOMMU:
			h = mix(h, (uintptr_t)((struct viommu *)o)->eventq);
			break;
		default:
			break;
		}
	}
	return h;
}

static u16 lowest_free_vmid(void)
{
	u16 v = 0;

	if (smmu_vmid_alloc(fz.smmu, &v))
		return 0;
	smmu_vmid_free(fz.smmu, v);
	return v;
}

void fz_snapshot(struct fz_snap *s)
{
	struct page_stats ps;

	for (int gi = 0; gi < FZ_NGUESTS; gi++) {
		s->objs[gi] = objs_digest(fz.g[gi].ctx);
		for (int d = 0; d < FZ_NDEVS; d++)
			smmu_ste_read(fz.smmu, fz.g[gi].psid[d], s->ste[gi][d]);
	}
	page_stats(&ps);
	s->pages = ps.in_use;
	s->objs_in_use = hostenv_objs_in_use();
	s->vmid_free = lowest_free_vmid();
}

void fz_check_command(const struct fz_snap *b, const struct fz_snap *after, int self, s64 ret)
{
	const struct fz_snap a = *after;
	int other = !self;

	/* the other guest: its objects and its devices' STEs, untouched */
	if (a.objs[other] != b->objs[other])
		fz_die("guest %d's command changed guest %d's objects", self, other);
	for (int d = 0; d < FZ_NDEVS; d++)
		if (memcmp(a.ste[other][d], b->ste[other][d], sizeof(a.ste[0][0])))
			fz_die("guest %d's command changed the STE of guest %d's device %d "
			       "(SID 0x%x)", self, other, d + 1, fz.g[other].psid[d]);
	if (!ret)
		return;
	/* a failed command changed nothing */
	if (a.objs[self] != b->objs[self])
		fz_die("a failed command changed its guest's objects or attachments");
	for (int d = 0; d < FZ_NDEVS; d++)
		if (memcmp(a.ste[self][d], b->ste[self][d], sizeof(a.ste[0][0])))
			fz_die("a failed command changed the STE of device %d (SID 0x%x): "
			       "0x%016llx -> 0x%016llx", d + 1, fz.g[self].psid[d],
			       (unsigned long long)b->ste[self][d][0],
			       (unsigned long long)a.ste[self][d][0]);
	if (a.pages != b->pages)
		fz_die("a failed command changed the pages in use: %llu -> %llu",
		       (unsigned long long)b->pages, (unsigned long long)a.pages);
	if (a.objs_in_use != b->objs_in_use)
		fz_die("a failed command changed the objects in use: %llu -> %llu",
		       (unsigned long long)b->objs_in_use, (unsigned long long)a.objs_in_use);
	if (a.vmid_free != b->vmid_free)
		fz_die("a failed command changed the VMIDs in use (lowest free %u -> %u)",
		       b->vmid_free, a.vmid_free);
}

static bool live_in(struct iommu_ctx *c, const struct obj *o)
{
	return o && o->id >= 1 && o->id <= IOMMU_MAX_OBJS && c->objs[o->id - 1] == o;
}

/* the STE of device d of guest gi is what its attachment says, and what it
 * points at belongs to guest gi */
static void check_ste(int gi, const struct device *d, const u64 *ste)
{
	struct iommu_ctx *c = fz.g[gi].ctx;
	const struct hwpt *h = d->attached, *s2 = NULL;
	u32 want = CFG_ABORT, cfg;

	if (!(ste[0] & STE0_V))
		fz_die("guest %d device %u (SID 0x%x): STE not valid", gi, d->obj.id, d->psid);
	if (h) {
		if (!live_in(c, &h->obj))
			fz_die("guest %d device %u is attached to an HWPT not in its table", gi,
			       d->obj.id);
		if (h->obj.type == OBJ_HWPT_PAGING) {
			want = CFG_S2;
			s2 = h;
		} else if (h->obj.type == OBJ_HWPT_NESTED) {
			if (!live_in(c, &h->parent->obj) || h->parent->obj.type != OBJ_HWPT_PAGING)
				fz_die("guest %d: nested HWPT %u's parent is not its live paging "
				       "HWPT", gi, h->obj.id);
			want = h->s1.kind == SMMU_STE_NESTED ? CFG_NESTED :
			       h->s1.kind == SMMU_STE_S2 ? CFG_S2 : CFG_ABORT;
			s2 = want == CFG_ABORT ? NULL : h->parent;
		} else {
			fz_die("guest %d device %u is attached to a non-HWPT object", gi, d->obj.id);
		}
	}
	cfg = (u32)FIELD_GET(STE0_CFG, ste[0]);
	if (cfg != want)
		fz_die("guest %d device %u (SID 0x%x): STE Config %u, its attachment (%s %u) "
		       "wants %u", gi, d->obj.id, d->psid, cfg, h ? "HWPT" : "none",
		       h ? h->obj.id : 0, want);
	if (!s2)
		return;
	if (FIELD_GET(STE2_S2VMID, ste[2]) != s2->vmid)
		fz_die("guest %d device %u: STE VMID %llu, its HWPT %u has VMID %u", gi,
		       d->obj.id, (unsigned long long)FIELD_GET(STE2_S2VMID, ste[2]),
		       s2->obj.id, s2->vmid);
	if ((ste[3] & STE3_S2TTB) != s2->pt.root)
		fz_die("guest %d device %u: STE S2TTB 0x%llx, its HWPT %u's tables at 0x%llx",
		       gi, d->obj.id, (unsigned long long)(ste[3] & STE3_S2TTB), s2->obj.id,
		       (unsigned long long)s2->pt.root);
	if (want == CFG_NESTED && (ste[0] & STE0_S1CTXPTR) != h->s1.s1_ctx_ptr)
		fz_die("guest %d device %u: STE S1ContextPtr is not its vSTE's", gi, d->obj.id);
}

/* no two live paging HWPTs, in any guest, share a VMID or a table */
static void check_ownership(void)
{
	enum { MAXH = 2 * IOMMU_MAX_OBJS };
	static u64 key[MAXH];
	static int owner[MAXH];
	unsigned int n = 0;

	for (int gi = 0; gi < FZ_NGUESTS; gi++) {
		struct iommu_ctx *c = fz.g[gi].ctx;

		for (u32 i = 0; i < c->top; i++) {
			const struct hwpt *h = (const struct hwpt *)c->objs[i];

			if (!h || h->obj.type != OBJ_HWPT_PAGING)
				continue;
			if (!h->vmid || !h->pt.root)
				fz_die("guest %d: paging HWPT %u without VMID or tables", gi, i + 1);
			for (unsigned int k = 0; k < n; k++)
				if (key[k] == h->vmid || key[k] == h->pt.root)
					fz_die("guest %d's HWPT %u shares its %s with guest %d's",
					       gi, i + 1, key[k] == h->vmid ? "VMID" : "tables",
					       owner[k]);
			key[n] = h->vmid;
			owner[n++] = gi;
			key[n] = h->pt.root;
			owner[n++] = gi;
		}
	}
}

/* every sampled IOVA a device translates lands in its own guest's RAM */
static void check_translations(void)
{
	for (int gi = 0; gi < FZ_NGUESTS; gi++) {
		const struct fz_guest *g = &fz.g[gi];

		for (int d = 0; d < FZ_NDEVS; d++) {
			for (unsigned int k = 0; k < fz.nsamples; k++) {
				paddr_t pa;

				if (smmu_model_translate(fz.model, g->psid[d], fz.samples[k],
							 k & 1, &pa))
					continue;
				if (pa < g->ram || pa >= g->ram + FZ_GUEST_SIZE)
					fz_die("guest %d's device %d reached PA 0x%llx (IOVA 0x%llx) "
					       "outside its RAM", gi, d + 1, (unsigned long long)pa,
					       (unsigned long long)fz.samples[k]);
			}
		}
	}
}

/* the shared command queue is running: no error left unacknowledged and
 * nothing published but unconsumed */
static void check_cmdq(void)
{
	u32 gerror = mmio_read32(FZ_SMMU_BASE + REG_GERROR);
	u32 gerrorn = mmio_read32(FZ_SMMU_BASE + REG_GERRORN);
	u32 prod = mmio_read32(FZ_SMMU_BASE + REG_CMDQ_PROD);
	u32 cons = mmio_read32(FZ_SMMU_BASE + REG_CMDQ_CONS);

	if ((gerror ^ gerrorn) & GERROR_CMDQ_ERR)
		fz_die("the command queue was left stopped on an error (CONS.ERR %llu)",
		       (unsigned long long)FIELD_GET(CMDQ_CONS_ERR, cons));
	if ((prod ^ cons) & ~CMDQ_CONS_ERR & ((2U << fz.cfg.cmdq_log2) - 1))
		fz_die("the command queue was left with unconsumed commands (prod 0x%x cons 0x%x)",
		       prod, cons);
}

/* each guest's charges (iommu/quota.c) equal what it holds, recounted from
 * its objects, field by field, and never exceed its limits */
static void check_charges(void)
{
	static const char *const what[] = { "table pages", "objects", "areas", "VMIDs" };

	for (int gi = 0; gi < FZ_NGUESTS; gi++) {
		struct iommu_usage u;
		const u32 *lim, *chg, *held;

		iommu_ctx_usage(fz.g[gi].ctx, &u);
		lim = &u.limit.pages;
		chg = &u.charged.pages;
		held = &u.held.pages;
		for (int k = 0; k < 4; k++) {
			if (chg[k] != held[k])
				fz_die("guest %d is charged %u %s but holds %u", gi, chg[k], what[k],
				       held[k]);
			if (chg[k] > lim[k])
				fz_die("guest %d holds %u %s, over its quota of %u", gi, chg[k],
				       what[k], lim[k]);
		}
	}
	for (int gi = 0; gi < FZ_NGUESTS; gi++)
		if (fz.g[gi].pages_held < 0 || fz.g[gi].objs_held < 0)
			fz_die("guest %d's hypercalls freed more than they allocated", gi);
}

void fz_check_state(const struct fz_snap *now)
{
	for (int gi = 0; gi < FZ_NGUESTS; gi++) {
		struct iommu_ctx *c = fz.g[gi].ctx;
		unsigned int ndev = 0;

		for (u32 i = 0; i < c->top; i++) {
			const struct device *d = (const struct device *)c->objs[i];

			const struct hwpt *h = (const struct hwpt *)c->objs[i];

			/* an automatic HWPT lives exactly as long as a device is on it */
			if (h && h->obj.type == OBJ_HWPT_PAGING && h->auto_domain && h->obj.users < 2)
				fz_die("guest %d: automatic HWPT %u with no device on it", gi, h->obj.id);
			if (d && d->obj.type == OBJ_DEVICE) {
				if (d->obj.id < 1 || d->obj.id > FZ_NDEVS ||
				    d->psid != fz.g[gi].psid[d->obj.id - 1])
					fz_die("guest %d: device %u is not the one it was given", gi,
					       d->obj.id);
				check_ste(gi, d, now->ste[gi][d->obj.id - 1]);
				ndev++;
			}
		}
		if (ndev != FZ_NDEVS)
			fz_die("guest %d has %u devices, not %u", gi, ndev, FZ_NDEVS);
	}
	for (unsigned int i = 0; i < sizeof(canary_sids) / sizeof(canary_sids[0]); i++) {
		u64 ste[8];

		smmu_ste_read(fz.smmu, canary_sids[i], ste);
		if (!(ste[0] & STE0_V) || FIELD_GET(STE0_CFG, ste[0]) != CFG_ABORT)
			fz_die("SID 0x%x, which no guest owns, is not abort", canary_sids[i]);
	}
	check_ownership();
	check_translations();
	check_cmdq();
	check_charges();
}

void fz_check_teardown(u64 pages0, u64 objs0)
{
	struct page_stats ps;

	for (int gi = 0; gi < FZ_NGUESTS; gi++) {
		for (int d = 0; d < FZ_NDEVS; d++) {
			u64 ste[8];

			smmu_ste_read(fz.smmu, fz.g[gi].psid[d], ste);
			if (!(ste[0] & STE0_V) || FIELD_GET(STE0_CFG, ste[0]) != CFG_ABORT)
				fz_die("after teardown guest %d's device %d is not abort", gi, d + 1);
		}
	}
	page_stats(&ps);
	if (ps.in_use != pages0 || hostenv_objs_in_use() != objs0)
		fz_die("destroying the guests left %lld pages and %lld objects",
		       (long long)(ps.in_use - pages0), (long long)(hostenv_objs_in_use() - objs0));
	if (lowest_free_vmid() != 1)
		fz_die("destroying the guests left VMID 1 in use");
	check_cmdq();
}
