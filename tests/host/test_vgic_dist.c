/* SPDX-License-Identifier: MIT */
/*
 * The guest's emulated GICv3 distributor and redistributors
 * (vmm/vgic_dist.c), with vgic_inject()/vgic_mark_dirty() replaced by
 * recorders that do what arch/vgic.c does to the state. Two guests exist
 * side by side; every check of an access that must do nothing snapshots
 * both whole guests before and after it.
 *
 *  - valid registers do what the GIC architecture says: set/clear enables
 *    and pending, 5-bit priorities by byte and by word, IROUTER kept and
 *    read back, GICD_CTLR group enables with ARE and DS reading as one,
 *    TYPER.ITLinesNumber matching the 256 INTIDs, GICR_TYPER affinity and
 *    Last, GICR_WAKER's ChildrenAsleep following ProcessorSleep;
 *  - every register one past its last valid index (and the private INTIDs'
 *    words in the distributor, which ARE = 1 gives to the redistributors),
 *    the emulated-as-zero ones, and every access of a size or alignment the
 *    register does not allow: reads as zero, writes change nothing in
 *    either guest and inject nothing;
 *  - the redistributor frame after the last vCPU, and everything outside
 *    the two windows, is not claimed (the guest's exit handler ends a guest
 *    that touches an address nothing emulates) and changes nothing.
 */
#include <aerie/bits.h>
#include <aerie/errno.h>
#include <aerie/guest.h>
#include <aerie/vgic.h>
#include <aerie/vmmio.h>
#include "test.h"

/* register offsets (GICv3 architecture specification), written out here
 * independently of vmm/vgic_dist.c */
#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IIDR	0x0008
#define GICD_TYPER2	0x000c
#define GICD_IGROUPR(n)	 (0x0080 + 4 * (n))
#define GICD_ISENABLER(n) (0x0100 + 4 * (n))
#define GICD_ICENABLER(n) (0x0180 + 4 * (n))
#define GICD_ISPENDR(n)	 (0x0200 + 4 * (n))
#define GICD_ICPENDR(n)	 (0x0280 + 4 * (n))
#define GICD_ISACTIVER(n) (0x0300 + 4 * (n))
#define GICD_ICACTIVER(n) (0x0380 + 4 * (n))
#define GICD_IPRIORITYR	0x0400
#define GICD_ICFGR(n)	(0x0c00 + 4 * (n))
#define GICD_IGRPMODR(n) (0x0d00 + 4 * (n))
#define GICD_NSACR(n)	(0x0e00 + 4 * (n))
#define GICD_SGIR	0x0f00
#define GICD_IROUTER(n)	(0x6000 + 8 * (n))
#define GIC_PIDR2	0xffe8

#define GICR_CTLR	0x0000
#define GICR_IIDR	0x0004
#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define SGI_FRAME	0x10000	/* the SGI_base frame, 64 KiB into the redistributor */

/* GICD_TYPER */
#define TYPER_ITLINES	GENMASK(4, 0)
#define TYPER_IDBITS	GENMASK(23, 19)
/* GICD_IROUTER: Aff3, IRM, Aff2, Aff1, Aff0 */
#define IROUTER_FIELDS	(GENMASK(39, 32) | BIT(31) | GENMASK(23, 0))
/* GICR_TYPER */
#define GICR_LAST	BIT(4)
#define GICR_PROCNUM(n)	((u64)(n) << 8)
#define GICR_AFF0(n)	((u64)(n) << 32)
/* IIDR: Arm's JEP106 code, product 'A'; PIDR2: ArchRev 3, JEDEC, DES_1 3 */
#define AERIE_IIDR	0x4100043bU
#define GICV3_PIDR2	0x3bU

#define NR_SPI_WORDS	(VGIC_NR_IRQS / 32)	/* 8: INTIDs 0..255 */
#define SENTINEL	0x5a5a5a5a5a5a5a5aULL	/* a read that leaves val alone shows */

static struct guest ga, gb;		/* 2 and 4 vCPUs */
static struct guest snap_a, snap_b;

/* ---- arch/vgic.c, recorded ------------------------------------------------------------- */

#define MAX_INJ 512
static struct { struct guest_vcpu *gv; u32 intid; } inj[MAX_INJ];
static unsigned int ninj, ndirty;
static struct guest *dirty_guest;

int vgic_inject(struct guest_vcpu *gv, u32 intid)
{
	if (ninj < MAX_INJ)
		inj[ninj] = (typeof(inj[0])){ gv, intid };
	ninj++;
	if (intid >= VGIC_NR_IRQS)
		return -EINVAL;
	gv->vgic.pending[intid / 64] |= BIT(intid % 64);
	gv->vgic.dirty = 1;
	return 0;
}

void vgic_mark_dirty(struct guest *g)
{
	ndirty++;
	dirty_guest = g;
	for (unsigned int i = 0; i < g->nvcpus; i++)
		g->vcpus[i].vgic.dirty = 1;
}

/* ---- two guests ------------------------------------------------------------------------- */

static u64 rng;

static void scribble(void *p, size_t n)
{
	u8 *b = p;

	for (size_t i = 0; i < n; i++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		b[i] = (u8)(rng >> 24);
	}
}

/* every vGIC byte of a guest, padding included: random, so a stray set, clear
 * or store anywhere shows in a snapshot (the host build's lock is nothing;
 * dirty starts at 0, so a stray vgic_mark_dirty shows too) */
static void scribble_vgic(struct guest *g)
{
	scribble(&g->vgic, sizeof(g->vgic));
	for (unsigned int i = 0; i < GUEST_MAX_VCPUS; i++) {
		scribble(&g->vcpus[i].vgic, sizeof(g->vcpus[i].vgic));
		g->vcpus[i].vgic.dirty = 0;
	}
}

static void guest_init(struct guest *g, unsigned int nvcpus, bool random)
{
	memset(g, 0, sizeof(*g));
	g->nvcpus = nvcpus;
	for (unsigned int i = 0; i < GUEST_MAX_VCPUS; i++) {
		g->vcpus[i].g = g;
		g->vcpus[i].idx = i;
	}
	if (random)
		scribble_vgic(g);
}

/* ga with 2 vCPUs, gb with 4; zeroed (as a new guest is) or random */
static void setup(bool random)
{
	rng = 0x9e3779b97f4a7c15ULL;
	guest_init(&ga, 2, random);
	guest_init(&gb, GUEST_MAX_VCPUS, random);
	ninj = ndirty = 0;
	dirty_guest = NULL;
}

static void snapshot(void)
{
	memcpy(&snap_a, &ga, sizeof(ga));
	memcpy(&snap_b, &gb, sizeof(gb));
}

static bool same(const struct guest *now, const struct guest *then, const char *which)
{
	const u8 *p = (const u8 *)now, *q = (const u8 *)then;

	for (size_t i = 0; i < sizeof(*now); i++)
		if (p[i] != q[i]) {
			fprintf(stderr, "  guest %s changed at byte %zu of struct guest "
				"(vgic_dist at %zu, vcpus at %zu)\n", which, i,
				offsetof(struct guest, vgic), offsetof(struct guest, vcpus));
			return false;
		}
	return true;
}

static bool unchanged(void)
{
	return same(&ga, &snap_a, "a") & same(&gb, &snap_b, "b");
}

/* ---- accesses --------------------------------------------------------------------------- */

#define GICD(off)	(GUEST_GICD_IPA + (u64)(off))
#define GICR(cpu, off)	(GUEST_GICR_IPA + (u64)(cpu) * GUEST_GICR_STRIDE + (u64)(off))

static bool access(struct guest *g, u64 ipa, unsigned int size, bool write, u64 *val)
{
	struct vmmio_access a = { .ipa = ipa, .size = size, .write = write, .val = *val };
	bool taken = vgic_mmio_access(g, 0, &a);

	*val = a.val;
	return taken;
}

static u64 rd(struct guest *g, u64 ipa, unsigned int size)
{
	u64 v = SENTINEL;

	CHECK(access(g, ipa, size, false, &v));
	return v;
}

static void wr(struct guest *g, u64 ipa, unsigned int size, u64 val)
{
	CHECK(access(g, ipa, size, true, &val));
}

/* an access that must do nothing: it is taken, reads as zero, and writes of
 * zero and of all-ones change neither guest and inject nothing */
static bool inert(struct guest *g, u64 ipa, unsigned int size)
{
	unsigned int ninj0 = ninj, ndirty0 = ndirty;
	u64 v = SENTINEL;
	bool ok;

	snapshot();
	ok = access(g, ipa, size, false, &v) && v == 0;
	v = 0;
	ok &= access(g, ipa, size, true, &v);
	v = ~0ULL;	/* last: what a stray store, set or clear keeps differs */
	ok &= access(g, ipa, size, true, &v);
	v = SENTINEL;
	ok &= access(g, ipa, size, false, &v) && v == 0;
	ok &= unchanged() & (ninj == ninj0) & (ndirty == ndirty0);
	if (!ok)
		fprintf(stderr, "  %u-byte access at 0x%llx (guest %s) is not inert\n", size,
			(unsigned long long)ipa, g == &ga ? "a" : "b");
	return ok;
}
#define CHECK_INERT(g, ipa, size) CHECK(inert(g, ipa, size))

/* a read-only register: reads `want`, writes change nothing */
static bool read_only(struct guest *g, u64 ipa, unsigned int size, u64 want)
{
	unsigned int ninj0 = ninj, ndirty0 = ndirty;
	u64 v = SENTINEL;
	bool ok;

	snapshot();
	ok = access(g, ipa, size, false, &v) && v == want;
	v = 0;
	ok &= access(g, ipa, size, true, &v);
	v = ~0ULL;
	ok &= access(g, ipa, size, true, &v);
	v = SENTINEL;
	ok &= access(g, ipa, size, false, &v) && v == want;
	ok &= unchanged() & (ninj == ninj0) & (ndirty == ndirty0);
	if (!ok)
		fprintf(stderr, "  %u-byte register at 0x%llx: read 0x%llx, want 0x%llx, "
			"or a write changed something\n", size, (unsigned long long)ipa,
			(unsigned long long)v, (unsigned long long)want);
	return ok;
}
#define CHECK_RO(g, ipa, size, want) CHECK(read_only(g, ipa, size, want))

/* not the vGIC's at all: not claimed, and nothing changes */
static bool unclaimed(struct guest *g, u64 ipa, unsigned int size)
{
	u64 v = SENTINEL;
	bool ok;

	snapshot();
	ok = !access(g, ipa, size, false, &v);
	v = ~0ULL;
	ok &= !access(g, ipa, size, true, &v);
	ok &= unchanged() & (ninj == 0) & (ndirty == 0);
	if (!ok)
		fprintf(stderr, "  %u-byte access at 0x%llx was claimed or changed something\n",
			size, (unsigned long long)ipa);
	return ok;
}
#define CHECK_UNCLAIMED(g, ipa, size) CHECK(unclaimed(g, ipa, size))

/* every access size and misalignment of a 32-bit register but the right one */
static void check_bad_sizes32(struct guest *g, u64 ipa)
{
	CHECK_INERT(g, ipa, 1);
	CHECK_INERT(g, ipa + 3, 1);
	CHECK_INERT(g, ipa, 2);
	CHECK_INERT(g, ipa + 2, 2);
	CHECK_INERT(g, ipa + 2, 4);
	CHECK_INERT(g, ipa + 1, 4);
	if (IS_ALIGNED(ipa, 8))
		CHECK_INERT(g, ipa, 8);
	else
		CHECK_INERT(g, ipa - 4, 8);	/* covers it and its neighbour */
}

/* ---- windows ------------------------------------------------------------------------------ */

TEST(outside_the_windows_nothing_is_claimed)
{
	setup(true);
	CHECK_UNCLAIMED(&ga, GICD(0) - 4, 4);
	CHECK_UNCLAIMED(&ga, GICD(GUEST_GICD_SIZE), 4);
	CHECK_UNCLAIMED(&ga, GICR(0, 0) - 4, 4);
	CHECK_UNCLAIMED(&ga, GUEST_UART_IPA, 4);
	/* the frame after the last vCPU: RD and SGI frames, every register */
	for (unsigned int off = 0; off < GUEST_GICR_STRIDE; off += 4)
		CHECK_UNCLAIMED(&ga, GICR(2, off), 4);
	CHECK_UNCLAIMED(&ga, GICR(2, GICR_TYPER), 8);
	CHECK_UNCLAIMED(&gb, GICR(GUEST_MAX_VCPUS, GICR_TYPER), 8);
	CHECK_UNCLAIMED(&gb, GICR(GUEST_MAX_VCPUS, GICR_WAKER), 4);
	CHECK_UNCLAIMED(&gb, GICR(GUEST_MAX_VCPUS, SGI_FRAME + GICD_ISENABLER(0)), 4);
	/* but the last word of the last frame is (and reads as zero) */
	CHECK_INERT(&ga, GICR(1, GUEST_GICR_STRIDE - 4), 4);
	CHECK_INERT(&ga, GICD(GUEST_GICD_SIZE - 4), 4);
	/* a one-vCPU guest: its second frame is nobody's */
	ga.nvcpus = 1;
	CHECK_UNCLAIMED(&ga, GICR(1, GICR_TYPER), 8);
	CHECK_UNCLAIMED(&ga, GICR(1, GICR_WAKER), 4);
	CHECK_UNCLAIMED(&ga, GICR(1, SGI_FRAME + GICD_ISPENDR(0)), 4);
}

/* ---- distributor ---------------------------------------------------------------------- */

TEST(gicd_ctlr_keeps_the_group_enables_ARE_and_DS_read_as_one)
{
	setup(false);
	CHECK_EQ(rd(&ga, GICD(GICD_CTLR), 4), VGIC_CTLR_ARE | VGIC_CTLR_DS);
	snapshot();
	wr(&ga, GICD(GICD_CTLR), 4, ~0ULL);
	CHECK_EQ(rd(&ga, GICD(GICD_CTLR), 4),
		 VGIC_CTLR_ARE | VGIC_CTLR_DS | VGIC_CTLR_ENABLE_G0 | VGIC_CTLR_ENABLE_G1);
	CHECK_EQ(ga.vgic.ctlr, VGIC_CTLR_ENABLE_G0 | VGIC_CTLR_ENABLE_G1);
	CHECK_EQ(ndirty, 1);	/* queued interrupts may be deliverable now */
	CHECK(dirty_guest == &ga);
	wr(&ga, GICD(GICD_CTLR), 4, VGIC_CTLR_ENABLE_G1);
	CHECK_EQ(rd(&ga, GICD(GICD_CTLR), 4), VGIC_CTLR_ARE | VGIC_CTLR_DS | VGIC_CTLR_ENABLE_G1);
	/* ARE and DS cannot be cleared */
	wr(&ga, GICD(GICD_CTLR), 4, 0);
	CHECK_EQ(rd(&ga, GICD(GICD_CTLR), 4), VGIC_CTLR_ARE | VGIC_CTLR_DS);
	CHECK(same(&gb, &snap_b, "b"));
	CHECK_EQ(gb.vgic.ctlr, 0);
	/* sizes and alignments a 32-bit register does not allow */
	setup(true);
	check_bad_sizes32(&ga, GICD(GICD_CTLR));
}

TEST(gicd_typer_iidr_pidr2_describe_256_intids_and_ignore_writes)
{
	u64 typer;

	setup(true);
	typer = rd(&ga, GICD(GICD_TYPER), 4);
	/* ITLinesNumber N: SPIs up to INTID 32 * (N + 1) - 1 */
	CHECK_EQ(32 * (FIELD_GET(TYPER_ITLINES, typer) + 1), VGIC_NR_IRQS);
	CHECK_EQ(FIELD_GET(TYPER_IDBITS, typer) + 1, 10);	/* INTIDs below 1024 */
	CHECK_EQ(typer & ~(TYPER_ITLINES | TYPER_IDBITS), 0);	/* no LPIs, MBIs, security */
	CHECK_RO(&ga, GICD(GICD_TYPER), 4, typer);
	CHECK_RO(&ga, GICD(GICD_IIDR), 4, AERIE_IIDR);
	CHECK_RO(&ga, GICD(GIC_PIDR2), 4, GICV3_PIDR2);
	CHECK_INERT(&ga, GICD(GICD_TYPER2), 4);
	check_bad_sizes32(&ga, GICD(GICD_TYPER));
	check_bad_sizes32(&ga, GICD(GICD_IIDR));
	check_bad_sizes32(&ga, GICD(GIC_PIDR2));
}

TEST(gicd_enables_set_and_clear_exactly_the_bits_written)
{
	u32 want[NR_SPI_WORDS] = { 0 };

	setup(false);
	snapshot();
	for (unsigned int n = 1; n < NR_SPI_WORDS; n++) {
		u32 v = 0x80000001U | (n << 8);

		wr(&ga, GICD(GICD_ISENABLER(n)), 4, v);
		want[n] = v;
		CHECK_EQ(ndirty, 2 * n - 1);	/* an enable may make a queued SPI deliverable */
		wr(&ga, GICD(GICD_ISENABLER(n)), 4, 0x2);	/* sets, never clears */
		want[n] |= 0x2;
		wr(&ga, GICD(GICD_ICENABLER(n)), 4, 0x80000000U | 0x10);	/* 0x10 was clear */
		want[n] &= ~0x80000000U;
	}
	for (unsigned int n = 1; n < NR_SPI_WORDS; n++) {
		CHECK_EQ(rd(&ga, GICD(GICD_ISENABLER(n)), 4), want[n]);
		CHECK_EQ(rd(&ga, GICD(GICD_ICENABLER(n)), 4), want[n]);
		CHECK_EQ(ga.vgic.enabled[n], want[n]);	/* what arch/vgic.c delivers by */
	}
	CHECK_EQ(ga.vgic.enabled[0], 0);
	/* all 224 SPIs, one by one */
	setup(false);
	for (unsigned int i = 32; i < VGIC_NR_IRQS; i++)
		wr(&ga, GICD(GICD_ISENABLER(i / 32)), 4, BIT(i % 32));
	for (unsigned int n = 1; n < NR_SPI_WORDS; n++)
		CHECK_EQ(rd(&ga, GICD(GICD_ISENABLER(n)), 4), 0xffffffffU);
	for (unsigned int i = 32; i < VGIC_NR_IRQS; i++) {
		wr(&ga, GICD(GICD_ICENABLER(i / 32)), 4, BIT(i % 32));
		CHECK_EQ(rd(&ga, GICD(GICD_ISENABLER(i / 32)), 4),
			 (u32)(GENMASK(31, 0) & ~GENMASK(i % 32, 0)));
	}
	CHECK(same(&gb, &snap_b, "b"));
	CHECK_EQ(ninj, 0);
}

TEST(gicd_pending_injects_into_vcpu0_and_clears_only_what_is_queued)
{
	struct vgic_cpu *c0 = &ga.vcpus[0].vgic;

	setup(false);
	snapshot();
	for (unsigned int n = 1; n < NR_SPI_WORDS; n++) {
		unsigned int base = 32 * n;

		ninj = 0;
		wr(&ga, GICD(GICD_ISPENDR(n)), 4, 0x00010003);
		CHECK_EQ(ninj, 3);
		for (unsigned int k = 0; k < 3 && k < ninj; k++)
			CHECK(inj[k].gv == &ga.vcpus[0]);	/* SPIs: vCPU 0 */
		CHECK_EQ(inj[0].intid, base);
		CHECK_EQ(inj[1].intid, base + 1);
		CHECK_EQ(inj[2].intid, base + 16);
		CHECK_EQ(rd(&ga, GICD(GICD_ISPENDR(n)), 4), 0x00010003);
		CHECK_EQ(rd(&ga, GICD(GICD_ICPENDR(n)), 4), 0x00010003);
		wr(&ga, GICD(GICD_ISPENDR(n)), 4, 0);
		CHECK_EQ(ninj, 3);
		/* clear one; a queued one linked to a physical INTID stays */
		wr(&ga, GICD(GICD_ICPENDR(n)), 4, 0x1);
		CHECK_EQ(rd(&ga, GICD(GICD_ISPENDR(n)), 4), 0x00010002);
		c0->hw[base / 64] |= BIT(base % 64 + 16);
		wr(&ga, GICD(GICD_ICPENDR(n)), 4, ~0ULL);
		CHECK_EQ(rd(&ga, GICD(GICD_ISPENDR(n)), 4), 0x00010000);
		CHECK_EQ((c0->pending[base / 64] >> (base % 64)) & 0xffffffffU, 0x00010000);
	}
	for (unsigned int i = 1; i < GUEST_MAX_VCPUS; i++)
		CHECK_EQ(ga.vcpus[i].vgic.pending[0] | ga.vcpus[i].vgic.pending[1] |
			 ga.vcpus[i].vgic.pending[2] | ga.vcpus[i].vgic.pending[3], 0);
	CHECK_EQ(c0->pending[0] & GENMASK(31, 0), 0);	/* nothing private */
	CHECK_EQ(ndirty, 0);
	CHECK(same(&gb, &snap_b, "b"));
}

TEST(gicd_igroupr_reads_as_ones_active_reads_as_zero)
{
	setup(true);
	for (unsigned int n = 1; n < NR_SPI_WORDS; n++) {
		CHECK_RO(&ga, GICD(GICD_IGROUPR(n)), 4, 0xffffffffU);
		CHECK_INERT(&ga, GICD(GICD_ISACTIVER(n)), 4);
		CHECK_INERT(&ga, GICD(GICD_ICACTIVER(n)), 4);
	}
}

/* word 0 (the private INTIDs are the redistributors', ARE = 1), the first word
 * past ITLinesNumber, and the last word of each block: inert */
TEST(gicd_bitmap_registers_past_their_last_word_do_nothing)
{
	static const unsigned int block[] = {
		GICD_IGROUPR(0), GICD_ISENABLER(0), GICD_ICENABLER(0), GICD_ISPENDR(0),
		GICD_ICPENDR(0), GICD_ISACTIVER(0), GICD_ICACTIVER(0),
	};

	setup(true);
	for (unsigned int b = 0; b < ARRAY_SIZE(block); b++) {
		CHECK_INERT(&ga, GICD(block[b]), 4);
		for (unsigned int n = NR_SPI_WORDS; n < 32; n++)
			CHECK_INERT(&ga, GICD(block[b] + 4 * n), 4);
		CHECK_INERT(&gb, GICD(block[b] + 4 * NR_SPI_WORDS), 4);
		/* a valid word, accessed the wrong way */
		check_bad_sizes32(&ga, GICD(block[b] + 4));
		check_bad_sizes32(&ga, GICD(block[b] + 4 * (NR_SPI_WORDS - 1)));
	}
}

TEST(gicd_priorities_by_byte_and_word_keep_five_bits)
{
	setup(false);
	snapshot();
	for (unsigned int i = 32; i < VGIC_NR_IRQS; i++)
		wr(&ga, GICD(GICD_IPRIORITYR + i), 1, i * 7 + 3);
	for (unsigned int i = 32; i < VGIC_NR_IRQS; i++) {
		CHECK_EQ(rd(&ga, GICD(GICD_IPRIORITYR + i), 1), (i * 7 + 3) & VGIC_PRIO_MASK & 0xff);
		CHECK_EQ(ga.vgic.prio[i], (i * 7 + 3) & VGIC_PRIO_MASK & 0xff);
	}
	/* a word is four bytes, INTID 4k in its low byte */
	wr(&ga, GICD(GICD_IPRIORITYR + 32), 4, 0x11223344);
	CHECK_EQ(rd(&ga, GICD(GICD_IPRIORITYR + 32), 4), 0x10203040);
	CHECK_EQ(rd(&ga, GICD(GICD_IPRIORITYR + 33), 1), 0x30);
	CHECK_EQ(rd(&ga, GICD(GICD_IPRIORITYR + 35), 1), 0x10);
	wr(&ga, GICD(GICD_IPRIORITYR + 252), 4, 0xffffffff);	/* the last word: 252..255 */
	CHECK_EQ(rd(&ga, GICD(GICD_IPRIORITYR + 252), 4), 0xf8f8f8f8U);
	CHECK_EQ(rd(&ga, GICD(GICD_IPRIORITYR + 255), 1), 0xf8);
	wr(&ga, GICD(GICD_IPRIORITYR + 254), 1, 0);
	CHECK_EQ(rd(&ga, GICD(GICD_IPRIORITYR + 252), 4), 0xf800f8f8U);
	for (unsigned int i = 0; i < 32; i++)
		CHECK_EQ(ga.vgic.prio[i], 0);
	CHECK(same(&gb, &snap_b, "b"));
	CHECK_EQ(ndirty + ninj, 0);
}

TEST(gicd_priorities_past_the_last_intid_or_badly_sized_do_nothing)
{
	setup(true);
	/* the private INTIDs' bytes (the redistributors') */
	for (unsigned int i = 0; i < 32; i++)
		CHECK_INERT(&ga, GICD(GICD_IPRIORITYR + i), 1);
	for (unsigned int i = 0; i < 32; i += 4)
		CHECK_INERT(&ga, GICD(GICD_IPRIORITYR + i), 4);
	/* INTID 256 and on, to the end of the IPRIORITYR space */
	for (unsigned int i = VGIC_NR_IRQS; i < 1020; i++)
		CHECK_INERT(&ga, GICD(GICD_IPRIORITYR + i), 1);
	for (unsigned int i = VGIC_NR_IRQS; i < 1020; i += 4)
		CHECK_INERT(&ga, GICD(GICD_IPRIORITYR + i), 4);
	CHECK_INERT(&gb, GICD(GICD_IPRIORITYR + VGIC_NR_IRQS), 1);
	CHECK_INERT(&gb, GICD(GICD_IPRIORITYR + VGIC_NR_IRQS), 4);
	/* halfwords, doublewords, unaligned words */
	CHECK_INERT(&ga, GICD(GICD_IPRIORITYR + 32), 2);
	CHECK_INERT(&ga, GICD(GICD_IPRIORITYR + 254), 2);
	CHECK_INERT(&ga, GICD(GICD_IPRIORITYR + 32), 8);
	CHECK_INERT(&ga, GICD(GICD_IPRIORITYR + 248), 8);
	CHECK_INERT(&ga, GICD(GICD_IPRIORITYR + 33), 4);
	CHECK_INERT(&ga, GICD(GICD_IPRIORITYR + 254), 4);
}

TEST(gicd_irouter_is_kept_and_read_back_spis_still_go_to_vcpu0)
{
	setup(false);
	snapshot();
	wr(&ga, GICD(GICD_IROUTER(32)), 8, ~0ULL);
	CHECK_EQ(rd(&ga, GICD(GICD_IROUTER(32)), 8), IROUTER_FIELDS);
	CHECK_EQ(rd(&ga, GICD(GICD_IROUTER(32)), 4), (u32)IROUTER_FIELDS);
	CHECK_EQ(rd(&ga, GICD(GICD_IROUTER(32)) + 4, 4), IROUTER_FIELDS >> 32);
	wr(&ga, GICD(GICD_IROUTER(32)) + 4, 4, 0x1);		/* Aff3 = 1, low half kept */
	CHECK_EQ(rd(&ga, GICD(GICD_IROUTER(32)), 8), 0x180ffffffULL);
	wr(&ga, GICD(GICD_IROUTER(32)), 4, 0x1);		/* Aff0 = 1, high half kept */
	CHECK_EQ(rd(&ga, GICD(GICD_IROUTER(32)), 8), 0x100000001ULL);
	for (unsigned int i = 32; i < VGIC_NR_IRQS; i++)
		wr(&ga, GICD(GICD_IROUTER(i)), 8, i % 2 ? BIT(31) : i % GUEST_MAX_VCPUS);
	for (unsigned int i = 32; i < VGIC_NR_IRQS; i++) {
		CHECK_EQ(rd(&ga, GICD(GICD_IROUTER(i)), 8), i % 2 ? BIT(31) : i % GUEST_MAX_VCPUS);
		CHECK_EQ(ga.vgic.irouter[i], i % 2 ? BIT(31) : i % GUEST_MAX_VCPUS);
	}
	for (unsigned int i = 0; i < 32; i++)
		CHECK_EQ(ga.vgic.irouter[i], 0);
	/* routed to vCPU 1, set pending: still vCPU 0's (documented) */
	wr(&ga, GICD(GICD_IROUTER(34)), 8, 1);
	wr(&ga, GICD(GICD_ISPENDR(1)), 4, BIT(2));
	CHECK_EQ(ninj, 1);
	CHECK(inj[0].gv == &ga.vcpus[0]);
	CHECK_EQ(inj[0].intid, 34);
	CHECK(same(&gb, &snap_b, "b"));
}

TEST(gicd_irouter_of_private_intids_past_the_last_or_badly_sized_does_nothing)
{
	setup(true);
	for (unsigned int i = 0; i < 32; i++) {	/* SGIs and PPIs: no routing */
		CHECK_INERT(&ga, GICD(GICD_IROUTER(i)), 8);
		CHECK_INERT(&ga, GICD(GICD_IROUTER(i)), 4);
		CHECK_INERT(&ga, GICD(GICD_IROUTER(i)) + 4, 4);
	}
	for (unsigned int i = VGIC_NR_IRQS; i < 1020; i++)
		CHECK_INERT(&ga, GICD(GICD_IROUTER(i)), 8);
	CHECK_INERT(&ga, GICD(GICD_IROUTER(VGIC_NR_IRQS)), 4);
	CHECK_INERT(&ga, GICD(GICD_IROUTER(VGIC_NR_IRQS)) + 4, 4);
	CHECK_INERT(&gb, GICD(GICD_IROUTER(VGIC_NR_IRQS)), 8);
	/* a valid one, the wrong way: unaligned doubleword, bytes, halfwords */
	CHECK_INERT(&ga, GICD(GICD_IROUTER(32)) + 4, 8);
	CHECK_INERT(&ga, GICD(GICD_IROUTER(32)) + 2, 4);
	CHECK_INERT(&ga, GICD(GICD_IROUTER(32)), 2);
	CHECK_INERT(&ga, GICD(GICD_IROUTER(32)), 1);
	CHECK_INERT(&ga, GICD(GICD_IROUTER(255)) + 7, 1);
}

TEST(gicd_icfgr_igrpmodr_nsacr_sgir_read_as_zero)
{
	setup(true);
	for (unsigned int n = 0; n <= VGIC_NR_IRQS / 16; n++)	/* 16: one past the end */
		CHECK_INERT(&ga, GICD(GICD_ICFGR(n)), 4);
	for (unsigned int n = 0; n <= NR_SPI_WORDS; n++)
		CHECK_INERT(&ga, GICD(GICD_IGRPMODR(n)), 4);
	for (unsigned int n = 0; n <= VGIC_NR_IRQS / 16; n++)
		CHECK_INERT(&ga, GICD(GICD_NSACR(n)), 4);
	CHECK_INERT(&ga, GICD(GICD_SGIR), 4);	/* RES0 with ARE = 1 */
	CHECK_INERT(&ga, GICD(0x10), 4);
	CHECK_INERT(&ga, GICD(0x40), 4);
	CHECK_INERT(&ga, GICD(0xffe4), 4);
	CHECK_INERT(&ga, GICD(GICD_IROUTER(1019)) + 8, 4);
}

/* ---- redistributors ----------------------------------------------------------------------- */

TEST(gicr_typer_gives_each_vcpu_its_affinity_and_the_last_one_last)
{
	struct guest *gs[] = { &ga, &gb };

	setup(true);
	for (unsigned int k = 0; k < 2; k++) {
		struct guest *g = gs[k];

		for (unsigned int i = 0; i < g->nvcpus; i++) {
			u64 t = GICR_AFF0(i) | GICR_PROCNUM(i) | (i == g->nvcpus - 1 ? GICR_LAST : 0);

			CHECK_RO(g, GICR(i, GICR_TYPER), 8, t);
			CHECK_RO(g, GICR(i, GICR_TYPER), 4, (u32)t);
			CHECK_RO(g, GICR(i, GICR_TYPER + 4), 4, t >> 32);
			CHECK_INERT(g, GICR(i, GICR_TYPER + 4), 8);
			CHECK_INERT(g, GICR(i, GICR_TYPER), 2);
			CHECK_INERT(g, GICR(i, GICR_TYPER + 2), 4);
			CHECK_INERT(g, GICR(i, GICR_TYPER), 1);
			CHECK_RO(g, GICR(i, GICR_IIDR), 4, AERIE_IIDR);
			CHECK_RO(g, GICR(i, GIC_PIDR2), 4, GICV3_PIDR2);
			CHECK_INERT(g, GICR(i, GICR_CTLR), 4);	/* no LPIs, RWP never set */
			check_bad_sizes32(g, GICR(i, GICR_IIDR));
		}
	}
	/* one vCPU: it is the last */
	ga.nvcpus = 1;
	CHECK_RO(&ga, GICR(0, GICR_TYPER), 8, GICR_AFF0(0) | GICR_PROCNUM(0) | GICR_LAST);
}

TEST(gicr_waker_children_asleep_follows_processor_sleep)
{
	setup(false);
	snapshot();
	CHECK_EQ(rd(&gb, GICR(2, GICR_WAKER), 4), 0);
	wr(&gb, GICR(2, GICR_WAKER), 4, VGIC_WAKER_PSLEEP);
	CHECK_EQ(rd(&gb, GICR(2, GICR_WAKER), 4), VGIC_WAKER_PSLEEP | VGIC_WAKER_CASLEEP);
	for (unsigned int i = 0; i < GUEST_MAX_VCPUS; i++)	/* only vCPU 2's */
		CHECK_EQ(gb.vcpus[i].vgic.waker, i == 2 ? VGIC_WAKER_PSLEEP | VGIC_WAKER_CASLEEP : 0);
	wr(&gb, GICR(2, GICR_WAKER), 4, VGIC_WAKER_CASLEEP);	/* read-only bit */
	CHECK_EQ(rd(&gb, GICR(2, GICR_WAKER), 4), 0);
	wr(&gb, GICR(2, GICR_WAKER), 4, ~0ULL);
	CHECK_EQ(rd(&gb, GICR(2, GICR_WAKER), 4), VGIC_WAKER_PSLEEP | VGIC_WAKER_CASLEEP);
	wr(&gb, GICR(2, GICR_WAKER), 4, 0);
	CHECK_EQ(rd(&gb, GICR(2, GICR_WAKER), 4), 0);
	CHECK(same(&ga, &snap_a, "a"));
	setup(true);
	check_bad_sizes32(&gb, GICR(3, GICR_WAKER));
}

TEST(gicr_sgi_frame_enables_pending_priorities_of_that_vcpu_only)
{
	struct vgic_cpu *c = &gb.vcpus[1].vgic;

	setup(false);
	snapshot();
	wr(&gb, GICR(1, SGI_FRAME + GICD_ISENABLER(0)), 4, 0x08000003);	/* SGI 0, 1, PPI 27 */
	CHECK_EQ(c->enabled, 0x08000003);
	CHECK_EQ(ndirty, 1);
	CHECK(dirty_guest == &gb);
	wr(&gb, GICR(1, SGI_FRAME + GICD_ICENABLER(0)), 4, 0x1);
	CHECK_EQ(rd(&gb, GICR(1, SGI_FRAME + GICD_ISENABLER(0)), 4), 0x08000002);
	CHECK_EQ(rd(&gb, GICR(1, SGI_FRAME + GICD_ICENABLER(0)), 4), 0x08000002);
	for (unsigned int i = 0; i < GUEST_MAX_VCPUS; i++)
		if (i != 1)
			CHECK_EQ(rd(&gb, GICR(i, SGI_FRAME + GICD_ISENABLER(0)), 4), 0);
	CHECK_EQ(gb.vgic.enabled[0], 0);
	/* pending: injected into that vCPU; a linked (HW) one is not cleared */
	wr(&gb, GICR(1, SGI_FRAME + GICD_ISPENDR(0)), 4, BIT(27) | BIT(5));
	CHECK_EQ(ninj, 2);
	CHECK(inj[0].gv == &gb.vcpus[1] && inj[1].gv == &gb.vcpus[1]);
	CHECK_EQ(inj[0].intid, 5);
	CHECK_EQ(inj[1].intid, 27);
	CHECK_EQ(rd(&gb, GICR(1, SGI_FRAME + GICD_ISPENDR(0)), 4), BIT(27) | BIT(5));
	CHECK_EQ(rd(&gb, GICR(0, SGI_FRAME + GICD_ISPENDR(0)), 4), 0);
	c->hw[0] |= BIT(27);
	wr(&gb, GICR(1, SGI_FRAME + GICD_ICPENDR(0)), 4, ~0ULL);
	CHECK_EQ(rd(&gb, GICR(1, SGI_FRAME + GICD_ICPENDR(0)), 4), BIT(27));
	CHECK_RO(&gb, GICR(1, SGI_FRAME + GICD_IGROUPR(0)), 4, 0xffffffffU);
	/* priorities, by byte and word */
	for (unsigned int i = 0; i < VGIC_NR_PRIV; i++)
		wr(&gb, GICR(1, SGI_FRAME + GICD_IPRIORITYR + i), 1, 0x80 + i);
	for (unsigned int i = 0; i < VGIC_NR_PRIV; i++)
		CHECK_EQ(c->prio[i], (0x80 + i) & VGIC_PRIO_MASK);
	wr(&gb, GICR(1, SGI_FRAME + GICD_IPRIORITYR + 28), 4, 0x0f1f2f3f);	/* the last word */
	CHECK_EQ(rd(&gb, GICR(1, SGI_FRAME + GICD_IPRIORITYR + 28), 4), 0x08182838);
	for (unsigned int i = 0; i < GUEST_MAX_VCPUS; i++)
		if (i != 1)
			CHECK_EQ(rd(&gb, GICR(i, SGI_FRAME + GICD_IPRIORITYR + 28), 4), 0);
	for (unsigned int i = 0; i < VGIC_NR_IRQS; i++)
		CHECK_EQ(gb.vgic.prio[i], 0);
	CHECK(same(&ga, &snap_a, "a"));
}

TEST(gicr_sgi_frame_past_the_private_intids_or_badly_sized_does_nothing)
{
	static const unsigned int block[] = {
		GICD_IGROUPR(0), GICD_ISENABLER(0), GICD_ICENABLER(0), GICD_ISPENDR(0),
		GICD_ICPENDR(0), GICD_ISACTIVER(0), GICD_ICACTIVER(0),
	};

	setup(true);
	for (unsigned int i = 0; i < GUEST_MAX_VCPUS; i++) {
		for (unsigned int b = 0; b < ARRAY_SIZE(block); b++) {
			for (unsigned int n = 1; n < 32; n++)	/* word 0 only: INTIDs 0..31 */
				CHECK_INERT(&gb, GICR(i, SGI_FRAME + block[b] + 4 * n), 4);
			check_bad_sizes32(&gb, GICR(i, SGI_FRAME + block[b]));
		}
		CHECK_INERT(&gb, GICR(i, SGI_FRAME + GICD_ISACTIVER(0)), 4);
		CHECK_INERT(&gb, GICR(i, SGI_FRAME + GICD_ICACTIVER(0)), 4);
		for (unsigned int p = VGIC_NR_PRIV; p < VGIC_NR_PRIV + 8; p++)
			CHECK_INERT(&gb, GICR(i, SGI_FRAME + GICD_IPRIORITYR + p), 1);
		CHECK_INERT(&gb, GICR(i, SGI_FRAME + GICD_IPRIORITYR + VGIC_NR_PRIV), 4);
		CHECK_INERT(&gb, GICR(i, SGI_FRAME + GICD_IPRIORITYR), 2);
		CHECK_INERT(&gb, GICR(i, SGI_FRAME + GICD_IPRIORITYR), 8);
		CHECK_INERT(&gb, GICR(i, SGI_FRAME + GICD_IPRIORITYR + 1), 4);
		CHECK_INERT(&gb, GICR(i, SGI_FRAME + GICD_ICFGR(0)), 4);
		CHECK_INERT(&gb, GICR(i, SGI_FRAME + GICD_ICFGR(1)), 4);
		CHECK_INERT(&gb, GICR(i, SGI_FRAME + GICD_ICFGR(2)), 4);
		CHECK_INERT(&gb, GICR(i, SGI_FRAME + GICD_IGRPMODR(0)), 4);
		CHECK_INERT(&gb, GICR(i, SGI_FRAME + GICD_NSACR(0)), 4);
		CHECK_INERT(&gb, GICR(i, SGI_FRAME + GIC_PIDR2), 4);
	}
}

/* many valid accesses of every kind to one guest; the other never changes */
TEST(one_guests_accesses_never_reach_the_other)
{
	struct guest *gs[] = { &ga, &gb };

	for (unsigned int k = 0; k < 2; k++) {
		struct guest *g = gs[k], *other = gs[1 - k];
		struct guest before;

		setup(true);
		memcpy(&before, other, sizeof(before));
		for (unsigned int n = 0; n < 32; n++) {
			u64 v = n % 2 ? ~0ULL : 0x5a5a5a5aULL;

			wr(g, GICD(GICD_CTLR), 4, v);
			wr(g, GICD(GICD_ISENABLER(n)), 4, v);
			wr(g, GICD(GICD_ICENABLER(n)), 4, v);
			wr(g, GICD(GICD_ISPENDR(n)), 4, v);
			wr(g, GICD(GICD_ICPENDR(n)), 4, v);
			wr(g, GICD(GICD_IPRIORITYR + 32 * n), 4, v);
			wr(g, GICD(GICD_IROUTER(8 * n)), 8, v);
			for (unsigned int i = 0; i < g->nvcpus; i++) {
				wr(g, GICR(i, GICR_WAKER), 4, v);
				wr(g, GICR(i, SGI_FRAME + GICD_ISENABLER(0)), 4, v);
				wr(g, GICR(i, SGI_FRAME + GICD_ISPENDR(0)), 4, v);
				wr(g, GICR(i, SGI_FRAME + GICD_ICPENDR(0)), 4, v);
				wr(g, GICR(i, SGI_FRAME + GICD_IPRIORITYR + n), 1, v);
			}
		}
		CHECK(same(other, &before, k ? "a" : "b"));
		for (unsigned int j = 0; j < ninj && j < MAX_INJ; j++)
			CHECK(inj[j].gv >= g->vcpus && inj[j].gv < g->vcpus + g->nvcpus);
		CHECK(ninj > 0);
		CHECK(dirty_guest == g);
	}
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
