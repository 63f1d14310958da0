/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the IOMMU core: two guests, each with two devices,
 * issue input-chosen command sequences through iommu_hypercall() against
 * the software SMMU, with input-chosen allocation failures (and, once the
 * model has it, refused SMMU commands). After every command the checks of
 * fuzz_invariants.c run; after every input both guests are destroyed and
 * everything must come back. The input format is in docs/fuzzing.md.
 *
 * Per input: a fresh SMMU model and driver (the input chooses the model's
 * configuration, e.g. a 2-entry command queue), two fresh contexts; guest
 * RAM is allocated once and zeroed between inputs with MADV_DONTNEED, so
 * only the pages an input touched cost anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <aerie/errno.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <uapi/aerie/iommu.h>
#include "fuzz.h"
#include "hostenv.h"

/*
 * Hooks for work not merged yet (see tests/fuzz/build.mk):
 *  - SMMU_MODEL_HAS_FAIL_CMD: smmu_model_fail_cmd(m, nth, err) refuses the
 *    nth next consumed command with CMDQ_CONS.ERR = err (nth = 0: off);
 *  - per-guest quotas: the input's header byte 1 chooses a page limit; the
 *    check that goes with it (charges = what is held, within the limits)
 *    is check_charges in fuzz_invariants.c.
 */
/* a page quota for a context (the other limits keep their defaults) */
static void fz_quota_set(struct iommu_ctx *c, u32 pages)
{
	struct iommu_quota q = { .pages = pages };

	iommu_ctx_set_quota(c, &q);
}

/* guest RAM layout (offsets from FZ_GUEST_IPA) */
#define SCRATCH_OFF	0x0000		/* outputs: hw-info, device lists, ranges */
#define CMD_OFF		0x1000		/* the command struct (and its tail) */
#define VSTE_OFF	0x3000		/* a vSTE for nested HWPT_ALLOC */
#define CD_OFF		0x4000		/* a stage-1 context descriptor */
#define RING_OFF	0x8000		/* vEVENTQ rings */
#define INV_OFF		0x100000	/* HWPT_INVALIDATE entry arrays */
#define INV_MAX_BYTES	(1U << 20)
#define LOW_BYTES	0x8000		/* scratch .. CD: cleared with memset */

struct fz_state fz;

static u64 pages_env, objs_env;		/* before the SMMU exists */
static u64 pages_smmu, objs_smmu;	/* SMMU probed, streams set up */
static unsigned long pend_fail_nth;
static unsigned int pend_fail_cmd, pend_fail_err;

/* FZ_TRACE=1: every command and its result on stderr (to read a finding);
 * FZ_STATS=1: at exit, how often the paths the fuzzer must reach were
 * reached (tests/fuzz/smoke.sh checks them) */
static bool trace;
static struct {
	u64 inputs, cmds, failed;
	u64 multi_batch;	/* HWPT_INVALIDATEs that issued > 16 commands */
	u64 max_issued;		/* most commands one HWPT_INVALIDATE issued */
	u64 budget;		/* HWPT_INVALIDATEs stopped at their budget (-EAGAIN) */
	u64 small_cmdq;		/* commands run with a command queue of <= 16 entries */
	u64 two_guests;		/* inputs in which both guests ran commands */
	u64 enomem;		/* commands that failed with -ENOMEM after FAIL_NTH */
	u64 fail_cmd;		/* commands run with FAIL_CMD armed */
} st;
static unsigned int ran[FZ_NGUESTS];

/* ---- input ------------------------------------------------------------------------ */

struct input {
	const u8 *p;
	size_t n;
};

static u64 take(struct input *in, unsigned int bytes)
{
	u64 v = 0;

	for (unsigned int i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (u64)*in->p << (8 * i);
	return v;
}

static u8 take1(struct input *in)
{
	return (u8)take(in, 1);
}

static void *gva(int gi, u64 off)
{
	return (u8 *)phys_to_virt(fz.g[gi].ram) + off;
}

/* mostly the ids a sequence creates; sometimes anything */
static u32 pick_id(struct input *in)
{
	u8 r = take1(in);

	return r < 0xf0 ? r % 12 : (u32)take(in, 4);
}

/* a guest-physical address: mostly its own RAM (pages, 2 MiB blocks, the
 * end), sometimes the other guest's RAM, Aerie's memory, MMIO, anything */
static u64 pick_gpa(struct input *in, int self)
{
	u8 sel = take1(in);
	u32 idx = sel >> 3;
	u64 off = idx < 16 ? (u64)idx << 12 :
		  idx < 24 ? 0x200000 + ((u64)(idx - 16) << 12) :
		  idx < 28 ? (u64)(idx - 24) << 20 : FZ_GUEST_SIZE - ((u64)(idx - 27) << 12);

	switch (sel & 7) {
	case 0: case 1: case 2: case 3:
		return FZ_GUEST_IPA + off;
	case 4:
		return fz.g[!self].ram + off;		/* a PA, not its IPA */
	case 5:
		return HOSTENV_PA_BASE + off;		/* Aerie's memory */
	case 6:
		return 0x09000000 + off;		/* MMIO */
	default:
		return take(in, 8);
	}
}

static u64 pick_len(struct input *in)
{
	u8 r = take1(in);

	if (r < 128)
		return ((u64)(r & 15) + 1) << 12;
	if (r < 160)
		return 2ULL << 20;
	if (r < 176)
		return FZ_GUEST_SIZE;
	if (r < 192)
		return (2ULL << 20) + 0x1000;
	if (r < 224)
		return r & 1 ? 0x800 : 0;
	return take(in, 8);
}

static u64 pick_iova(struct input *in)
{
	u8 r = take1(in);

	if (r < 128)
		return (u64)(r & 31) << 12;
	if (r < 176)
		return (u64)(r & 7) << 21;
	if (r < 200)
		return (u64)(r & 7) << 30;
	if (r < 216)
		return (1ULL << ((r & 1) ? 48 : 44)) - ((u64)((r >> 1) & 7) << 12);
	return take(in, 8);
}

/* ---- one command -------------------------------------------------------------------- */

/* copy the struct into the guest, run the hypercall, check everything */
static s64 issue(int gi, u8 nr, const void *cmd, u32 len, const char *name)
{
	struct fz_guest *g = &fz.g[gi];
	struct fz_snap before, after;
	unsigned long pend_fail_nth_was;
	unsigned int pend_fail_cmd_was, issued = 0;
	s64 ret;

	memcpy(gva(gi, CMD_OFF), cmd, len);
	fz.guest = gi;
	fz.cmd = name;
	fz.step++;
	fz_snapshot(&before);
	if (pend_fail_nth)
		hostenv_fail_nth(pend_fail_nth);
#ifdef SMMU_MODEL_HAS_FAIL_CMD
	if (pend_fail_cmd)
		smmu_model_fail_cmd(fz.model, pend_fail_cmd, pend_fail_err);
#endif
	ret = iommu_hypercall(g->ctx, AERIE_HC_IOMMU(nr), FZ_GUEST_IPA + CMD_OFF);
	pend_fail_nth_was = pend_fail_nth;
	pend_fail_cmd_was = pend_fail_cmd;
	hostenv_fail_nth(0);
#ifdef SMMU_MODEL_HAS_FAIL_CMD
	if (pend_fail_cmd)
		smmu_model_fail_cmd(fz.model, 0, 0);
#endif
	pend_fail_nth = 0;
	pend_fail_cmd = 0;
	fz.ret = ret;
	st.cmds++;
	st.failed += ret != 0;
	st.small_cmdq += fz.cfg.cmdq_log2 <= 4;
	st.enomem += pend_fail_nth_was && ret == -ENOMEM;
	st.fail_cmd += pend_fail_cmd_was != 0;
	ran[gi]++;
	if (nr == IOMMU_CMD_HWPT_INVALIDATE && len == sizeof(struct iommu_hwpt_invalidate)) {
		const struct iommu_hwpt_invalidate *out = gva(gi, CMD_OFF);

		issued = out->entry_num;
		if (issued > AERIE_INVALIDATE_BUDGET)
			fz_die("HWPT_INVALIDATE wrote back entry_num %u, more than one call's budget",
			       issued);
		st.multi_batch += issued > 16;
		st.budget += ret == -EAGAIN && issued == AERIE_INVALIDATE_BUDGET;
		if (issued > st.max_issued)
			st.max_issued = issued;
	}
	if (trace)
		fprintf(stderr, "fz: step %u guest %d %s -> %lld%s (issued %u)\n", fz.step, gi,
			name, (long long)ret, pend_fail_nth_was ? " FAIL_NTH armed" :
			pend_fail_cmd_was ? " FAIL_CMD armed" : "", issued);
	fz_snapshot(&after);
	g->pages_held += (s64)(after.pages - before.pages);
	g->objs_held += (s64)(after.objs_in_use - before.objs_in_use);
	fz_check_command(&before, &after, gi, ret);
	fz_check_state(&after);
	return ret;
}

static void sample_iova(u64 iova)
{
	fz.samples[2 + fz.next_sample] = iova;
	fz.next_sample = (fz.next_sample + 1) % (FZ_NSAMPLES - 2);
	if (fz.nsamples < FZ_NSAMPLES)
		fz.nsamples++;
}

static void c_destroy(struct input *in, int gi)
{
	struct iommu_destroy c = { sizeof(c), pick_id(in) };

	issue(gi, IOMMU_CMD_DESTROY, &c, sizeof(c), "DESTROY");
}

static void c_ioas_alloc(struct input *in, int gi)
{
	struct iommu_ioas_alloc c = { sizeof(c), take1(in) < 250 ? 0 : 1, 0 };

	issue(gi, IOMMU_CMD_IOAS_ALLOC, &c, sizeof(c), "IOAS_ALLOC");
}

static void c_ioas_map(struct input *in, int gi)
{
	struct iommu_ioas_map c = { .size = sizeof(c) };
	u8 f = take1(in);

	/* mostly readable+writeable, often FIXED_IOVA */
	c.flags = f < 224 ? (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE |
			     (f & 1 ? IOMMU_IOAS_MAP_FIXED_IOVA : 0)) : (f & 7);
	c.ioas_id = pick_id(in);
	c.user_va = pick_gpa(in, gi);
	c.length = pick_len(in);
	c.iova = pick_iova(in);
	if (issue(gi, IOMMU_CMD_IOAS_MAP, &c, sizeof(c), "IOAS_MAP") == 0) {
		struct iommu_ioas_map *out = gva(gi, CMD_OFF);

		sample_iova(out->iova);
		if (out->length > 0x1000)
			sample_iova(out->iova + out->length - 0x1000);
	}
}

static void c_ioas_unmap(struct input *in, int gi)
{
	struct iommu_ioas_unmap c = { .size = sizeof(c) };

	c.ioas_id = pick_id(in);
	c.iova = pick_iova(in);
	c.length = take1(in) < 16 ? ~0ULL : pick_len(in);
	issue(gi, IOMMU_CMD_IOAS_UNMAP, &c, sizeof(c), "IOAS_UNMAP");
}

static void c_hwpt_paging(struct input *in, int gi)
{
	struct iommu_hwpt_alloc c = { .size = sizeof(c) };
	u8 f = take1(in);

	c.flags = f < 160 ? 0 : f < 240 ? IOMMU_HWPT_ALLOC_NEST_PARENT : f & 0xf;
	c.dev_id = pick_id(in);
	c.pt_id = pick_id(in);
	issue(gi, IOMMU_CMD_HWPT_ALLOC, &c, sizeof(c), "HWPT_ALLOC(paging)");
}

/* a nested HWPT on a NEST_PARENT HWPT or a vIOMMU, from a chosen vSTE */
static void c_hwpt_nested(struct input *in, int gi)
{
	struct iommu_hwpt_alloc c = { .size = sizeof(c) };
	u64 *vste = gva(gi, VSTE_OFF);
	u8 k = take1(in);
	const u64 v = 1, s1ctx = (FZ_GUEST_IPA + CD_OFF);

	c.dev_id = pick_id(in);
	c.pt_id = pick_id(in);
	c.data_type = k < 240 ? IOMMU_HWPT_DATA_ARM_SMMUV3 : k % 4;
	c.data_len = k < 248 ? sizeof(struct iommu_hwpt_arm_smmuv3) : take1(in);
	c.data_uptr = FZ_GUEST_IPA + VSTE_OFF;
	switch (k & 7) {
	case 0: vste[0] = 0; vste[1] = 0; break;			/* V = 0 */
	case 1: vste[0] = v; vste[1] = 0; break;			/* abort */
	case 2: vste[0] = v | 4 << 1; vste[1] = 0; break;		/* bypass */
	case 3: case 4: vste[0] = v | 5 << 1 | s1ctx; vste[1] = 0; break;
	case 5: /* stage 1 with a context pointer the input chooses */
		vste[0] = v | 5 << 1 | (pick_gpa(in, gi) & 0x000fffffffffffc0ULL);
		vste[1] = 0;
		break;
	case 6: vste[0] = v | 5 << 1 | s1ctx; vste[1] = 1ULL << 28; break; /* EATS */
	default: vste[0] = take(in, 8); vste[1] = take(in, 8); break;
	}
	issue(gi, IOMMU_CMD_HWPT_ALLOC, &c, sizeof(c), "HWPT_ALLOC(nested)");
}

static void c_attach(struct input *in, int gi, bool replace)
{
	struct aerie_iommu_device_attach c = { sizeof(c), 0, pick_id(in), pick_id(in) };

	issue(gi, replace ? AERIE_CMD_DEVICE_REPLACE : AERIE_CMD_DEVICE_ATTACH, &c, sizeof(c),
	      replace ? "DEVICE_REPLACE" : "DEVICE_ATTACH");
}

static void c_detach(struct input *in, int gi)
{
	struct aerie_iommu_device_detach c = { sizeof(c), pick_id(in) };

	issue(gi, AERIE_CMD_DEVICE_DETACH, &c, sizeof(c), "DEVICE_DETACH");
}

static void c_viommu(struct input *in, int gi)
{
	struct iommu_viommu_alloc c = { .size = sizeof(c) };
	u8 t = take1(in);

	c.type = t < 224 ? IOMMU_VIOMMU_TYPE_ARM_SMMUV3 : t % 3;
	c.dev_id = pick_id(in);
	c.hwpt_id = pick_id(in);
	issue(gi, IOMMU_CMD_VIOMMU_ALLOC, &c, sizeof(c), "VIOMMU_ALLOC");
}

static void c_vdevice(struct input *in, int gi)
{
	struct iommu_vdevice_alloc c = { .size = sizeof(c) };
	u8 v;

	c.viommu_id = pick_id(in);
	c.dev_id = pick_id(in);
	v = take1(in);
	c.virt_id = v < 0xf0 ? v % 16 : take(in, 8);
	issue(gi, IOMMU_CMD_VDEVICE_ALLOC, &c, sizeof(c), "VDEVICE_ALLOC");
}

static void c_veventq(struct input *in, int gi)
{
	struct iommu_veventq_alloc c = { .size = sizeof(c) };
	u8 d = take1(in);

	c.viommu_id = pick_id(in);
	c.type = d < 240 ? IOMMU_VEVENTQ_TYPE_ARM_SMMUV3 : d % 3;
	c.veventq_depth = d < 128 ? 1 + d % 16 : d < 192 ? 4096 : d < 224 ? 0 : (u32)take(in, 4);
	c.ring_uptr = take1(in) < 192 ? FZ_GUEST_IPA + RING_OFF : pick_gpa(in, gi);
	issue(gi, IOMMU_CMD_VEVENTQ_ALLOC, &c, sizeof(c), "VEVENTQ_ALLOC");
}

static void c_hw_info(struct input *in, int gi)
{
	struct iommu_hw_info c = { .size = sizeof(c) };
	u8 f = take1(in);

	c.dev_id = pick_id(in);
	c.flags = f < 192 ? 0 : f & 3;
	c.out_data_type = f & 4 ? IOMMU_HW_INFO_TYPE_ARM_SMMUV3 : (f >> 3) % 4;
	c.data_len = f < 128 ? sizeof(struct iommu_hw_info_arm_smmuv3) : f < 160 ? 0 : 4096 + (f & 1);
	c.data_uptr = f < 240 ? FZ_GUEST_IPA + SCRATCH_OFF : pick_gpa(in, gi);
	issue(gi, IOMMU_CMD_GET_HW_INFO, &c, sizeof(c), "GET_HW_INFO");
}

static void c_list_devices(struct input *in, int gi)
{
	struct aerie_iommu_list_devices c = { .size = sizeof(c) };
	u8 f = take1(in);

	c.num_devices = f % 4;
	c.devices_uptr = f < 224 ? FZ_GUEST_IPA + SCRATCH_OFF : pick_gpa(in, gi);
	issue(gi, AERIE_CMD_LIST_DEVICES, &c, sizeof(c), "LIST_DEVICES");
}

static void c_iova_ranges(struct input *in, int gi)
{
	struct iommu_ioas_iova_ranges c = { .size = sizeof(c) };
	u8 f = take1(in);

	c.ioas_id = pick_id(in);
	c.num_iovas = f % 3;
	c.allowed_iovas = f < 224 ? FZ_GUEST_IPA + SCRATCH_OFF : pick_gpa(in, gi);
	issue(gi, IOMMU_CMD_IOAS_IOVA_RANGES, &c, sizeof(c), "IOAS_IOVA_RANGES");
}

/* ---- HWPT_INVALIDATE: arrays of any length from a few bytes ----------------------------- */

static const u8 inv_ops[15] = {
	0x05 /* CFGI_CD */, 0x06 /* CFGI_CD_ALL */, 0x10 /* TLBI_NH_ALL */, 0x11 /* NH_ASID */,
	0x12 /* NH_VA */, 0x13 /* NH_VAA */, 0x30 /* NSNH_ALL */, 0x40 /* ATC_INV */,
	0x05, 0x12, 0x03 /* CFGI_STE */, 0x46 /* CMD_SYNC */, 0x2a /* TLBI_S2_IPA */,
	0x28 /* TLBI_S12_VMALL */, 0x04 /* CFGI_ALL */,
};

/* one 16-byte entry: an opcode, a StreamID/ASID field, and how dirty the
 * other bits are (SSec, reserved bits, a range, raw words) */
static void inv_template(struct input *in, u64 e[2])
{
	u8 op = take1(in), sid = take1(in), dirt = take1(in);

	e[0] = op < 240 ? inv_ops[op % 15] : take1(in);
	e[1] = 0;
	switch (sid & 3) {
	case 0: e[0] |= 8ULL << 32; break;			/* its device's vSID */
	case 1: e[0] |= 9ULL << 32; break;			/* its other device */
	case 2: e[0] |= (u64)(sid >> 2) << 32; break;
	default: e[0] |= take(in, 4) << 32; break;
	}
	switch (dirt & 7) {
	case 3: e[0] |= 1ULL << 10; break;			/* SSec */
	case 4: e[0] |= take(in, 3) << 8; break;		/* bits 8..31 */
	case 5: e[1] = take(in, 8); break;
	case 6: /* a VA range: address, Leaf, TG/TTL, NUM/SCALE */
		e[1] = ((u64)(dirt >> 3) << 12) | (take1(in) & 0xfffULL);
		e[0] |= take(in, 2) << 12;
		break;
	case 7: e[0] = (e[0] & 0xff) | (take(in, 7) << 8); e[1] = take(in, 8); break;
	default: break;
	}
}

static u32 inv_count(struct input *in)
{
	u8 s = take1(in);

	if (s < 128)
		return 1 + s % 16;
	if (s < 200) /* around the 16-entry batch boundaries: 16k-1, 16k, 16k+1 */
		return 16 * (1 + (s - 128) % 24) + (s - 128) / 24 - 1;
	if (s < 240)
		return 256 + (u32)(take(in, 2) % 3841);	/* 256..4096 */
	switch (s) {
	case 240: return 4096;
	case 241: return 4097;
	case 242: return 0;
	default: return (u32)take(in, 4);
	}
}

static void c_invalidate(struct input *in, int gi)
{
	static const u32 lens[8] = { 0, 8, 15, 17, 24, 32, 4096, 4097 };
	struct iommu_hwpt_invalidate c = { .size = sizeof(c) };
	u64 a[2], b[2], gpa, off;
	u32 n, len, where, pos = ~0U;
	u8 l, u, p;

	c.hwpt_id = pick_id(in);
	n = inv_count(in);
	l = take1(in);
	len = l < 208 ? 16 : lens[l % 8];
	u = take1(in);
	c.data_type = u < 240 ? IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 : u % 4;
	gpa = FZ_GUEST_IPA + INV_OFF;
	if (u >= 208 && u < 232) /* ends inside the RAM: batch k faults */
		gpa = FZ_GUEST_IPA + FZ_GUEST_SIZE - 16ULL * (1 + take1(in) * 4);
	else if (u >= 232 && u < 236)
		gpa = 0;
	else if (u >= 236 && u < 240)
		gpa = pick_gpa(in, gi);
	c.data_uptr = gpa;
	c.entry_len = len;
	c.entry_num = n;
	inv_template(in, a);
	inv_template(in, b);
	/* where the odd entry b goes: nowhere, first, last, either side of the
	 * first batch boundary, every 16th, anywhere */
	p = take1(in);
	switch (p & 7) {
	case 1: pos = 0; break;
	case 2: pos = n - 1; break;
	case 3: pos = 15; break;
	case 4: pos = 16; break;
	case 6: pos = (u32)take(in, 2) % (n ? n : 1); break;
	default: break;
	}
	/* write what lies in its RAM (at most INV_MAX_BYTES of it) */
	off = gpa - FZ_GUEST_IPA;
	for (where = 0; where < n && gpa >= FZ_GUEST_IPA && off < FZ_GUEST_SIZE; where++) {
		u64 eo = off + (u64)where * (len ? len : 16);
		const u64 *e = (where == pos || ((p & 7) == 5 && where % 16 == 15)) ? b : a;
		u8 *dst;

		if (eo + 16 > FZ_GUEST_SIZE || (u64)where * len > INV_MAX_BYTES)
			break;
		dst = gva(gi, eo);
		memcpy(dst, e, 16);
		if (len > 16 && eo + len <= FZ_GUEST_SIZE)
			memset(dst + 16, 0, len - 16);
		if (len > 16 && where == pos && (p & 8)) /* a non-zero tail byte */
			dst[len - 1] = 1;
	}
	issue(gi, IOMMU_CMD_HWPT_INVALIDATE, &c, sizeof(c), "HWPT_INVALIDATE");
}

/* issue 12's commands: the allowed list, COPY, OPTION (attach to an IOAS is
 * DEVICE_ATTACH/REPLACE with an IOAS id, which pick_id reaches) */
static void c_allow_iovas(struct input *in, int gi)
{
	struct iommu_ioas_allow_iovas c = { .size = sizeof(c) };
	struct iommu_iova_range *r = gva(gi, SCRATCH_OFF);
	u8 n = take1(in);

	c.ioas_id = pick_id(in);
	c.num_iovas = n < 240 ? n % 4 : n % 12; /* sometimes past the maximum */
	c.allowed_iovas = FZ_GUEST_IPA + SCRATCH_OFF;
	for (u32 i = 0; i < c.num_iovas && i < 12; i++) {
		r[i].start = take1(in) < 128 ? pick_iova(in) : take(in, 8);
		r[i].last = r[i].start + pick_len(in) - 1;
	}
	issue(gi, IOMMU_CMD_IOAS_ALLOW_IOVAS, &c, sizeof(c), "IOAS_ALLOW_IOVAS");
}

static void c_copy(struct input *in, int gi)
{
	struct iommu_ioas_copy c = { .size = sizeof(c) };
	u8 f = take1(in);

	c.flags = f < 224 ? (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE |
			     (f & 1 ? IOMMU_IOAS_MAP_FIXED_IOVA : 0)) : (f & 7);
	c.dst_ioas_id = pick_id(in);
	c.src_ioas_id = pick_id(in);
	c.src_iova = pick_iova(in);
	c.dst_iova = pick_iova(in);
	c.length = pick_len(in);
	if (issue(gi, IOMMU_CMD_IOAS_COPY, &c, sizeof(c), "IOAS_COPY") == 0) {
		const struct iommu_ioas_copy *out = gva(gi, CMD_OFF);

		sample_iova(out->dst_iova);
	}
}

static void c_option(struct input *in, int gi)
{
	u8 o = take1(in);
	struct iommu_option c = { .size = sizeof(c), .option_id = o & 3, .op = (o >> 2) & 3,
				  .__reserved = o >= 250 };

	c.object_id = pick_id(in);
	c.val64 = take1(in) < 200 ? take1(in) & 1 : take(in, 8);
	issue(gi, IOMMU_CMD_OPTION, &c, sizeof(c), "OPTION");
}

/* any command number with any size and bytes: the dispatcher's struct rules */
static void c_raw(struct input *in, int gi)
{
	static const u8 nrs[] = {
		IOMMU_CMD_DESTROY, IOMMU_CMD_IOAS_ALLOC, IOMMU_CMD_IOAS_IOVA_RANGES,
		IOMMU_CMD_IOAS_MAP, IOMMU_CMD_IOAS_UNMAP, IOMMU_CMD_HWPT_ALLOC,
		IOMMU_CMD_GET_HW_INFO, IOMMU_CMD_HWPT_INVALIDATE, IOMMU_CMD_VIOMMU_ALLOC,
		IOMMU_CMD_VDEVICE_ALLOC, IOMMU_CMD_VEVENTQ_ALLOC, AERIE_CMD_LIST_DEVICES,
		AERIE_CMD_DEVICE_ATTACH, AERIE_CMD_DEVICE_REPLACE, AERIE_CMD_DEVICE_DETACH,
		IOMMU_CMD_IOAS_ALLOW_IOVAS, IOMMU_CMD_IOAS_COPY, IOMMU_CMD_OPTION,
	};
	u8 buf[64] = { 0 }, s = take1(in), k = take1(in), nr;
	u32 nbytes = take1(in) % 49, size;
	u8 *tail = gva(gi, CMD_OFF + sizeof(buf));

	nr = k < 240 ? nrs[k % sizeof(nrs)] : (u8)take1(in);
	size = s < 160 ? 8 + (s % 6) * 8 : s < 200 ? s - 160 : s < 240 ? 64 + (s - 200) * 100 :
	       (u32)take(in, 4);
	for (u32 i = 4; i < 4 + nbytes; i++)
		buf[i] = take1(in);
	memcpy(buf, &size, 4);
	memset(tail, 0, 0x1000);
	if (size > sizeof(buf) && (s & 1)) /* a non-zero byte past Aerie's struct */
		tail[(size - sizeof(buf) - 1) % 0x1000] = 1;
	issue(gi, nr, buf, sizeof(buf), "RAW");
}

/* ---- pseudo-commands ------------------------------------------------------------------ */

static void p_fail_nth(struct input *in, int gi)
{
	(void)gi;
	pend_fail_nth = 1 + take1(in) % 24;	/* for the next command */
}

static void p_fail_cmd(struct input *in, int gi)
{
	u8 b = take1(in);

	(void)gi;
	/* refuse the nth SMMU command the next hypercall makes; far into a long
	 * invalidation too */
	pend_fail_cmd = b < 224 ? 1 + (b & 31) : 1 + (u32)(take(in, 2) % 4400);
	pend_fail_err = 1 + take1(in) % 3;	/* ILL, ABT, ATC_INV_SYNC */
#ifndef SMMU_MODEL_HAS_FAIL_CMD
	pend_fail_cmd = 0;
#endif
}

/* the SMMU's events drained (routed to vEVENTQs), and a device's DMA */
static void p_poll(struct input *in, int gi)
{
	struct fz_snap now;
	u8 buf[64];
	u8 d = take1(in);
	u64 iova;

	fz.guest = gi;
	fz.cmd = "poll+DMA";
	smmu_poll(fz.smmu);
	iova = fz.samples[(d >> 1) % fz.nsamples];
	if (smmu_model_dma_read(fz.model, fz.g[gi].psid[d & 1], iova, buf, sizeof(buf)) == 0)
		smmu_model_dma_write(fz.model, fz.g[gi].psid[d & 1], iova, buf, sizeof(buf));
	fz_snapshot(&now);
	fz_check_state(&now);
}

typedef void cmd_fn(struct input *in, int gi);
static void c_attach_(struct input *in, int gi) { c_attach(in, gi, false); }
static void c_replace_(struct input *in, int gi) { c_attach(in, gi, true); }
static cmd_fn *const cmds[] = {
	c_destroy, c_ioas_alloc, c_ioas_map, c_ioas_unmap, c_hwpt_paging, c_hwpt_nested,
	c_attach_, c_replace_, c_detach, c_viommu, c_vdevice, c_veventq, c_invalidate,
	c_hw_info, c_list_devices, c_iova_ranges, c_raw, p_fail_nth, p_fail_cmd, p_poll,
	c_allow_iovas, c_copy, c_option,
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

/* ---- per input: the SMMU and two guests -------------------------------------------------- */

static void must(s64 r, const char *what)
{
	if (r)
		fz_die("setup: %s returned %lld", what, (long long)r);
}

/* each guest: an IOAS (3), a stage-2 HWPT (4) its device 1 is attached to,
 * and 64 KiB of its RAM mapped at IOVA 0 */
static void prologue(int gi)
{
	struct iommu_ioas_alloc a = { sizeof(a), 0, 0 };
	struct iommu_hwpt_alloc h = { .size = sizeof(h), .dev_id = 1, .pt_id = 3 };
	struct aerie_iommu_device_attach at = { sizeof(at), 0, 1, 4 };
	struct iommu_ioas_map m = { sizeof(m), IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
				    IOMMU_IOAS_MAP_WRITEABLE, 3, 0, FZ_GUEST_IPA + 0x200000,
				    0x10000, 0 };

	must(issue(gi, IOMMU_CMD_IOAS_ALLOC, &a, sizeof(a), "prologue IOAS_ALLOC"), "IOAS_ALLOC");
	must(issue(gi, IOMMU_CMD_HWPT_ALLOC, &h, sizeof(h), "prologue HWPT_ALLOC"), "HWPT_ALLOC");
	must(issue(gi, AERIE_CMD_DEVICE_ATTACH, &at, sizeof(at), "prologue ATTACH"), "ATTACH");
	must(issue(gi, IOMMU_CMD_IOAS_MAP, &m, sizeof(m), "prologue IOAS_MAP"), "IOAS_MAP");
}

static const u32 psids[FZ_NGUESTS][FZ_NDEVS] = {
	{ 0x10, 0x11 },		/* guest 0 */
	{ 0x18, 0x119 },	/* guest 1: one in the same level-2 span, one not */
};

/* header bytes 0 and 1: the SMMU model's configuration; 2: quotas */
static void setup(u8 hw, u8 hw2, u8 quota)
{
	static const unsigned int oas[4] = { 44, 40, 48, 36 };

	const struct smmu_ste_cfg abort_cfg = { .kind = SMMU_STE_ABORT };
	struct page_stats ps;

	fz.cfg = smmu_model_default_cfg();
	if ((hw & 3) == 3)
		fz.cfg.cmdq_log2 = 1 + ((hw >> 2) & 3);	/* 2..16 entries */
	if (hw & 0x10)
		fz.cfg.ril = false;
	if (hw & 0x20) {
		fz.cfg.st_2lvl = false;
		fz.cfg.sid_bits = 10;
	}
	if (hw & 0x40)
		fz.cfg.vmid16 = false;
	fz.cfg.oas = oas[hw2 & 3];		/* stage-2 geometry: IAS = OAS */
	if (hw2 & 4)
		fz.cfg.evtq_log2 = 1;		/* events overflow */
	page_stats(&ps);
	pages_env = ps.in_use;
	objs_env = hostenv_objs_in_use();
	fz.model = smmu_model_create(FZ_SMMU_BASE, &fz.cfg);
	must(smmu_probe(&fz.smmu, FZ_SMMU_BASE, SMMU_MODEL_MMIO_SIZE), "smmu_probe");
	for (int gi = 0; gi < FZ_NGUESTS; gi++)
		for (int d = 0; d < FZ_NDEVS; d++) /* level-2 spans exist before any guest */
			must(smmu_ste_install(fz.smmu, psids[gi][d], &abort_cfg), "STE abort");
	page_stats(&ps);
	pages_smmu = ps.in_use;
	objs_smmu = hostenv_objs_in_use();
	for (int gi = 0; gi < FZ_NGUESTS; gi++) {
		struct fz_guest *g = &fz.g[gi];
		u64 *cd = gva(gi, CD_OFF);

		g->mem.count = 1;
		g->mem.region[0].ipa = FZ_GUEST_IPA;
		g->mem.region[0].pa = g->ram;
		g->mem.region[0].size = FZ_GUEST_SIZE;
		/* a plausible CD: V, AA64, T0SZ 25, ASID 1, TTB0 in its RAM */
		cd[0] = 25 | 1ULL << 31 | 1ULL << 41 | 1ULL << 48;
		cd[1] = FZ_GUEST_IPA + CD_OFF + 0x1000;
		g->ctx = iommu_ctx_create(fz.smmu, &g->mem, (u32)gi + 1);
		if (!g->ctx)
			fz_die("setup: iommu_ctx_create");
		for (int d = 0; d < FZ_NDEVS; d++) {
			g->psid[d] = psids[gi][d];
			if (iommu_ctx_add_device(g->ctx, g->psid[d], 0x08 + (u32)d, 0x8 + (u32)d) !=
			    d + 1)
				fz_die("setup: iommu_ctx_add_device");
		}
		g->pages_held = 0;
		g->objs_held = 0;
		g->quota_pages = (quota >> (4 * gi)) & 0xf ? 4ULL << ((quota >> (4 * gi)) & 0xf) : 0;
		if (g->quota_pages)
			fz_quota_set(g->ctx, g->quota_pages);
	}
	memset(fz.samples, 0, sizeof(fz.samples));
	fz.nsamples = 2;
	fz.next_sample = 0;
	fz.samples[1] = 0xf000;
	fz.step = 0;
	pend_fail_nth = 0;	/* an input may end on a pseudo-command */
	pend_fail_cmd = 0;
}

static void teardown(void)
{
	struct page_stats ps;

	fz.cmd = "teardown";
	for (int gi = 0; gi < FZ_NGUESTS; gi++) {
		iommu_ctx_destroy(fz.g[gi].ctx);
		fz.g[gi].ctx = NULL;
	}
	fz_check_teardown(pages_smmu, objs_smmu);
	smmu_remove(fz.smmu);
	smmu_model_destroy(fz.model);
	page_stats(&ps);
	if (ps.in_use != pages_env || hostenv_objs_in_use() != objs_env)
		fz_die("smmu_remove left %lld pages, %lld objects",
		       (long long)(ps.in_use - pages_env),
		       (long long)(hostenv_objs_in_use() - objs_env));
	/* the next input starts with zeroed guest RAM: the low part every input
	 * uses is cleared, the rest dropped (only pages touched cost anything) */
	for (int gi = 0; gi < FZ_NGUESTS; gi++) {
		memset(gva(gi, 0), 0, LOW_BYTES);
		if (madvise(gva(gi, LOW_BYTES), FZ_GUEST_SIZE - LOW_BYTES, MADV_DONTNEED))
			fz_die("madvise");
	}
}

/* a smaller quarantine than ASan's 256 MiB: a use after free is still
 * caught (an input frees far less), and memory stays warm */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=32";
}

static void print_stats(void)
{
	fprintf(stderr, "fz-stats: inputs %llu commands %llu failed %llu multi_batch %llu "
		"max_issued %llu budget %llu small_cmdq %llu two_guests %llu enomem %llu fail_cmd %llu\n",
		(unsigned long long)st.inputs, (unsigned long long)st.cmds,
		(unsigned long long)st.failed, (unsigned long long)st.multi_batch,
		(unsigned long long)st.max_issued, (unsigned long long)st.budget,
		(unsigned long long)st.small_cmdq,
		(unsigned long long)st.two_guests, (unsigned long long)st.enomem,
		(unsigned long long)st.fail_cmd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	trace = getenv("FZ_TRACE") != NULL;
	if (getenv("FZ_STATS"))
		atexit(print_stats);
	hostenv_reset();
	for (int gi = 0; gi < FZ_NGUESTS; gi++)
		fz.g[gi].ram = hostenv_ram_alloc(FZ_GUEST_SIZE, 2 << 20);
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	u8 hw = take1(&in), hw2 = take1(&in), quota = take1(&in);

	setup(hw, hw2, quota);
	if (!(hw & 0x80))
		for (int gi = 0; gi < FZ_NGUESTS; gi++)
			prologue(gi);
	st.inputs++;
	memset(ran, 0, sizeof(ran));
	while (in.n) {
		u8 op = take1(&in);

		cmds[(op & 0x7f) % NCMDS](&in, op >> 7);
	}
	st.two_guests += ran[0] > 4 && ran[1] > 4; /* past the prologue's 4 each */
	teardown();
	return 0;
}
