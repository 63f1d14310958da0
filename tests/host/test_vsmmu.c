/* SPDX-License-Identifier: MIT */
/*
 * The virtual SMMUv3 (vmm/vsmmu*.c) driven as Linux's arm-smmu-v3 driver
 * drives it: its reset sequence, CFGI_ALL and TLBI_NSNH_ALL, an attach
 * (CD, CFGI_CD, STE, CFGI_STE), unmap TLBIs, a refused command and its
 * GERRORN recovery, event delivery and overflow, against the software SMMU,
 * with the commands that reach the physical queue counted exactly; then
 * what a hostile guest can do with the same registers.
 */
#include <aerie/bits.h>
#include <aerie/vsmmu.h>
#include "iommufd_env.h"

#define VBASE		0x09050000ULL
#define EVTQ_INTID	241
#define GERROR_INTID	242
#define STRTAB_GPA	(GUEST_IPA + 0x10000)	/* 256 STEs: 16 KiB */
#define CMDQ_GPA	(GUEST_IPA + 0x20000)	/* 256 commands: 4 KiB */
#define EVTQ_GPA	(GUEST_IPA + 0x30000)	/* 128 events: 4 KiB */
#define CMDQ_LOG2	8
#define EVTQ_LOG2	7
/* registers */
#define R_IDR0 0x00
#define R_IDR1 0x04
#define R_IDR5 0x14
#define R_CR0 0x20
#define R_CR0ACK 0x24
#define R_CR1 0x28
#define R_CR2 0x2c
#define R_GBPA 0x44
#define R_IRQ_CTRL 0x50
#define R_IRQ_CTRLACK 0x54
#define R_GERROR 0x60
#define R_GERRORN 0x64
#define R_STRTAB_BASE 0x80
#define R_STRTAB_CFG 0x88
#define R_CMDQ_BASE 0x90
#define R_CMDQ_PROD 0x98
#define R_CMDQ_CONS 0x9c
#define R_EVTQ_BASE 0xa0
#define R_EVTQ_PROD 0x100a8
#define R_EVTQ_CONS 0x100ac
#define CR0_SMMUEN 1
#define CR0_EVTQEN 4
#define CR0_CMDQEN 8
/* commands */
#define C_CFGI_STE 0x03
#define C_CFGI_ALL 0x04
#define C_CFGI_CD 0x05
#define C_TLBI_NH_ALL 0x10
#define C_TLBI_NH_ASID 0x11
#define C_TLBI_NH_VA 0x12
#define C_TLBI_S2_IPA 0x2a
#define C_NSNH_ALL 0x30
#define C_SYNC 0x46
#define C_PREFETCH_CFG 0x01

static struct vsmmu *vs;
static unsigned int irqs[256];

static void count_irq(void *arg, u32 intid)
{
	(void)arg;
	irqs[intid & 255]++;
}

static u64 rd(struct guest *g, u64 off, unsigned int size)
{
	struct vmmio_access a = { .ipa = VBASE + off, .size = size };

	(void)g;
	CHECK(vsmmu_access(vs, &a));
	return a.val;
}

static void wr(u64 off, u64 val, unsigned int size)
{
	struct vmmio_access a = { .ipa = VBASE + off, .size = size, .write = true, .val = val };

	CHECK(vsmmu_access(vs, &a));
}

#define R32(off) ((u32)rd(NULL, off, 4))
#define W32(off, v) wr(off, v, 4)
#define W64(off, v) wr(off, v, 8)

static u64 phys(u8 op)
{
	struct smmu_model_stats st;

	smmu_model_get_stats(model, &st);
	return st.cmds[op];
}

static u64 syncs(void)
{
	struct smmu_model_stats st;

	smmu_model_get_stats(model, &st);
	return st.syncs;
}

/* queue n commands at PROD and write PROD once, as the driver does */
static u32 prod;
static void submit(struct guest *g, const u64 (*cmds)[2], unsigned int n)
{
	u64 *q = gva(g, CMDQ_GPA);
	u32 mask = (2U << CMDQ_LOG2) - 1, imask = (1U << CMDQ_LOG2) - 1;

	for (unsigned int i = 0; i < n; i++) {
		q[2 * (prod & imask)] = cmds[i][0];
		q[2 * (prod & imask) + 1] = cmds[i][1];
		prod = (prod + 1) & mask;
	}
	W32(R_CMDQ_PROD, prod);
}

static bool consumed(void)
{
	return R32(R_CMDQ_CONS) == prod;
}

static u64 sid_cmd(u8 op, u32 sid)
{
	return op | (u64)sid << 32;
}

/* the vSMMU over guest g's device, and Linux's reset sequence */
static bool vs_setup(struct guest *g)
{
	const struct vsmmu_params p = { .ctx = g->ctx, .mem = &g->mem, .base = VBASE,
					.evtq_intid = EVTQ_INTID, .gerror_intid = GERROR_INTID,
					.irq = count_irq };

	memset(irqs, 0, sizeof(irqs));
	prod = 0;
	return vsmmu_create(&vs, &p) == 0;
}

static void linux_reset(struct guest *g)
{
	const u64 cfgi_all[][2] = { { C_CFGI_ALL, 31 }, { C_SYNC, 0 } };
	const u64 nsnh[][2] = { { C_NSNH_ALL, 0 }, { C_SYNC, 0 } };

	W32(R_CR0, 0);
	CHECK_EQ(R32(R_CR0ACK), 0);
	W32(R_CR1, 0xd5);
	W32(R_CR2, 0x5);
	W64(R_STRTAB_BASE, STRTAB_GPA | 1ULL << 62);
	W32(R_STRTAB_CFG, 8); /* linear, 256 entries */
	W64(R_CMDQ_BASE, CMDQ_GPA | CMDQ_LOG2 | 1ULL << 62);
	W32(R_CMDQ_PROD, 0);
	W32(R_CMDQ_CONS, 0);
	W32(R_CR0, CR0_CMDQEN);
	CHECK_EQ(R32(R_CR0ACK), CR0_CMDQEN);
	submit(g, cfgi_all, 2);
	CHECK(consumed());
	submit(g, nsnh, 2);
	CHECK(consumed());
	W64(R_EVTQ_BASE, EVTQ_GPA | EVTQ_LOG2 | 1ULL << 62);
	W32(R_EVTQ_PROD, 0);
	W32(R_EVTQ_CONS, 0);
	W32(R_CR0, CR0_CMDQEN | CR0_EVTQEN);
	W32(R_IRQ_CTRL, 0);
	CHECK_EQ(R32(R_IRQ_CTRLACK), 0);
	W32(R_IRQ_CTRL, 5); /* GERROR_IRQEN | EVTQ_IRQEN */
	CHECK_EQ(R32(R_IRQ_CTRLACK), 5);
	W32(R_CR0, CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN);
	CHECK_EQ(R32(R_CR0ACK), CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN);
}

/* Linux's stage-1 STE for the device: V, S1, its CD; SHCFG = incoming and
 * the cacheability fields, which the vSTE rules do not all allow */
static void write_ste(struct guest *g, u32 sid, u64 w0, u64 w1)
{
	u64 *ste = gva(g, STRTAB_GPA + sid * 64ULL);

	ste[0] = w0;
	ste[1] = w1;
}

#define STE_S1(cd) (1 | 5ULL << 1 | (cd))
#define STE1_LINUX (1ULL << 2 | 1ULL << 4 | 3ULL << 6 | 1ULL << 44) /* CIR, COR, CSH, SHCFG */

static void linux_attach(struct guest *g)
{
	const u64 cmds[][2] = { { sid_cmd(C_CFGI_CD, VBDF), 1 }, { C_SYNC, 0 },
				{ sid_cmd(C_CFGI_STE, VBDF), 1 }, { C_SYNC, 0 },
				{ sid_cmd(C_PREFETCH_CFG, VBDF), 0 } };

	build_stage1(g, BUF_GPA);
	write_ste(g, VBDF, STE_S1(S1_CD_GPA), STE1_LINUX);
	submit(g, cmds, ARRAY_SIZE(cmds));
	CHECK(consumed());
}

static bool dma_reaches(struct guest *g, u8 v)
{
	u8 x = v;

	return smmu_model_dma_write(model, PSID, S1_VA + 0x10, &x, 1) == 0 &&
	       *(u8 *)gva(g, BUF_GPA + 0x10) == v;
}

static void vs_teardown(struct guest *g)
{
	vsmmu_destroy(vs);
	vs = NULL;
	teardown(g, NULL);
}

TEST(id_registers_say_what_linux_needs_and_nothing_more)
{
	struct guest g;
	u32 idr0, idr1;

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	idr0 = R32(R_IDR0);
	idr1 = R32(R_IDR1);
	CHECK(idr0 & 2);		/* S1P */
	CHECK(!(idr0 & 1));		/* no S2P */
	CHECK_EQ((idr0 >> 2) & 3, 2);	/* AArch64 tables */
	CHECK(idr0 & 1 << 4);		/* COHACC */
	CHECK_EQ((idr0 >> 21) & 3, 2);	/* little-endian */
	CHECK_EQ((idr0 >> 24) & 3, 1);	/* no stalls */
	CHECK_EQ((idr0 >> 27) & 3, 0);	/* linear stream table */
	CHECK(!(idr0 & (1 << 18 | 1 << 13 | 1 << 10 | 1 << 16 | 1 << 9 | 3 << 6)));
	CHECK_EQ(idr1 & 0x3f, 8);	/* SIDSIZE: bus 0 */
	CHECK_EQ((idr1 >> 6) & 0x1f, 0); /* no SSIDs */
	CHECK((idr1 >> 21 & 0x1f) > 6);	/* CMDQS: more than Linux's batch */
	CHECK(!(idr1 & 7U << 28));	/* REL, QUEUES_PRESET, TABLES_PRESET */
	CHECK(R32(R_IDR5) & 1 << 4);	/* the host's 4K granule */
	CHECK_EQ(R32(0x18), 0);		/* IIDR: no errata */
	CHECK_EQ(R32(0x1234), 0);	/* unknown: RAZ */
	vs_teardown(&g);
}

TEST(reset_cfgi_all_and_tlbi_nsnh_all_cost_what_hardware_would)
{
	struct guest g;
	u64 nh0, nsnh0, s0;

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	nh0 = phys(C_TLBI_NH_ALL);
	nsnh0 = phys(C_NSNH_ALL);
	s0 = syncs();
	linux_reset(&g);
	/* TLBI_NSNH_ALL became one TLBI_NH_ALL of the guest's VMID, with one
	 * CMD_SYNC, never an NSNH_ALL of every guest's entries; CFGI_ALL while
	 * SMMUEN = 0 changed no stream (GBPA rules), SMMUEN then made the
	 * streams abort (an empty table) */
	CHECK_EQ(phys(C_TLBI_NH_ALL) - nh0, 1);
	CHECK_EQ(phys(C_NSNH_ALL) - nsnh0, 0);
	CHECK(!dma_reaches(&g, 1));	/* SMMUEN with an empty table: abort */
	CHECK_EQ(R32(R_GERROR), R32(R_GERRORN));
	CHECK(syncs() - s0 >= 1);
	vs_teardown(&g);
}

TEST(before_the_driver_streams_bypass_to_the_guests_ram_and_gbpa_aborts_them)
{
	struct guest g;
	u8 x = 0x5a;

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	/* SMMUEN = 0, GBPA reset: bypass = IOVA is the guest's IPA */
	CHECK_EQ(smmu_model_dma_write(model, PSID, BUF_GPA, &x, 1), 0);
	CHECK_EQ(*(u8 *)gva(&g, BUF_GPA), 0x5a);
	/* nothing outside its RAM */
	CHECK(smmu_model_dma_write(model, PSID, GUEST_IPA - 0x1000, &x, 1) != 0);
	W32(R_GBPA, 1U << 31 | 1U << 20);
	CHECK_EQ(R32(R_GBPA) >> 31, 0);	/* the update completed */
	CHECK(smmu_model_dma_write(model, PSID, BUF_GPA, &x, 1) != 0);
	vs_teardown(&g);
}

TEST(attach_makes_a_nested_stream_and_its_dma_lands)
{
	struct guest g;
	u64 ste[8];

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	linux_reset(&g);
	linux_attach(&g);
	CHECK(dma_reaches(&g, 0x42));
	REQUIRE(smmu_ste_read(smmu, PSID, ste) == 0);
	CHECK_EQ((ste[0] >> 1) & 7, 7);			/* nested */
	CHECK_EQ(ste[0] & GENMASK(51, 6), S1_CD_GPA);	/* the guest's CD (an IPA) */
	CHECK_EQ(R32(R_GERROR), R32(R_GERRORN));
	/* the same STE again (Linux re-issues CFGI_STE): nothing is rebuilt */
	{
		const u64 again[][2] = { { sid_cmd(C_CFGI_STE, VBDF), 1 }, { C_SYNC, 0 } };
		u64 n0 = smmu_model_cmds_consumed(model);
		unsigned long a0 = hostenv_alloc_calls();

		submit(&g, again, 2);
		CHECK(consumed());
		CHECK_EQ(smmu_model_cmds_consumed(model), n0);
		CHECK_EQ(hostenv_alloc_calls(), a0);	/* no HWPT made and dropped */
	}
	/* back to abort (V = 0) frees the nested HWPT: teardown counts it */
	write_ste(&g, VBDF, 0, 0);
	{
		const u64 cmds[][2] = { { sid_cmd(C_CFGI_STE, VBDF), 1 }, { C_SYNC, 0 } };

		submit(&g, cmds, 2);
	}
	CHECK(consumed());
	CHECK(!dma_reaches(&g, 0x43));
	vs_teardown(&g);
}

TEST(one_prod_write_of_k_tlbis_and_a_sync_is_k_commands_and_one_sync)
{
	struct guest g;
	u64 cmds[9][2];
	const unsigned int k = 8;
	u64 va0, s0;

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	linux_reset(&g);
	linux_attach(&g);
	for (unsigned int i = 0; i < k; i++) {
		cmds[i][0] = C_TLBI_NH_VA | (u64)ASID << 48;
		cmds[i][1] = S1_VA + i * 0x1000ULL;
	}
	cmds[k][0] = C_SYNC;
	cmds[k][1] = 0;
	va0 = phys(C_TLBI_NH_VA);
	s0 = syncs();
	submit(&g, cmds, k + 1);
	CHECK(consumed());
	CHECK_EQ(phys(C_TLBI_NH_VA) - va0, k);
	CHECK_EQ(syncs() - s0, 1);
	vs_teardown(&g);
}

TEST(unmap_tlbi_really_drops_the_translation_and_the_fault_reaches_the_guest)
{
	struct guest g;
	u64 *l3, *evt = NULL;
	const u64 cmds[][2] = { { C_TLBI_NH_VA | (u64)ASID << 48, S1_VA | 1 }, { C_SYNC, 0 } };
	u8 x = 7;

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	linux_reset(&g);
	linux_attach(&g);
	CHECK(dma_reaches(&g, 0x11));	/* the translation is cached now */
	l3 = gva(&g, S1_L3_GPA);
	l3[(S1_VA >> 12) & 511] = 0;
	submit(&g, cmds, 2);
	CHECK(consumed());
	CHECK(smmu_model_dma_write(model, PSID, S1_VA, &x, 1) != 0);
	smmu_poll(smmu);
	/* one record in the guest's event queue: F_TRANSLATION, its vSID */
	CHECK_EQ(R32(R_EVTQ_PROD), 1);
	evt = gva(&g, EVTQ_GPA);
	CHECK_EQ(evt[0] & 0xff, 0x10);
	CHECK_EQ(evt[0] >> 32, VBDF);
	CHECK_EQ(irqs[EVTQ_INTID], 1);
	vs_teardown(&g);
}

TEST(a_refused_command_stops_the_queue_until_gerrorn)
{
	struct guest g;
	u64 *q;
	const u64 cmds[][2] = { { C_TLBI_NH_ASID | (u64)ASID << 48, 0 },
				{ C_TLBI_S2_IPA, 0 },
				{ C_TLBI_NH_ALL, 0 },
				{ C_SYNC, 0 } };
	u64 asid0, all0, cons;

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	linux_reset(&g);
	asid0 = phys(C_TLBI_NH_ASID);
	all0 = phys(C_TLBI_NH_ALL);
	submit(&g, cmds, 4);
	cons = R32(R_CMDQ_CONS);
	/* stopped at the S2 TLBI: CERROR_ILL, GERROR.CMDQ_ERR, its interrupt */
	CHECK_EQ(cons & 0xfffff, (prod - 3) & 0x1ff);
	CHECK_EQ((cons >> 24) & 0x7f, 1);
	CHECK_EQ((R32(R_GERROR) ^ R32(R_GERRORN)) & 1, 1);
	CHECK_EQ(irqs[GERROR_INTID], 1);
	CHECK_EQ(phys(C_TLBI_NH_ASID) - asid0, 1);	/* the one before it ran */
	CHECK_EQ(phys(C_TLBI_NH_ALL) - all0, 0);	/* nothing after it */
	CHECK_EQ(phys(C_TLBI_S2_IPA), 0);
	/* Linux's recovery: the bad command becomes a CMD_SYNC, then GERRORN;
	 * until that acknowledgement nothing moves, whatever PROD says */
	q = gva(&g, CMDQ_GPA);
	q[2 * (cons & 0xff)] = C_SYNC;
	q[2 * (cons & 0xff) + 1] = 0;
	W32(R_CMDQ_PROD, prod);
	CHECK_EQ(R32(R_CMDQ_CONS), cons);
	CHECK_EQ(phys(C_TLBI_NH_ALL) - all0, 0);
	W32(R_GERRORN, R32(R_GERROR));
	CHECK(consumed());
	CHECK_EQ((R32(R_CMDQ_CONS) >> 24) & 0x7f, 0);
	CHECK_EQ(phys(C_TLBI_NH_ALL) - all0, 1);
	vs_teardown(&g);
}

TEST(every_command_linux_never_sends_a_stage1_smmu_is_refused)
{
	struct guest g;
	const u64 bad[][2] = {
		{ 0x20, 0 }, { 0x22, 0 }, { 0x28, 0 }, { 0x2a, 0 }, { 0x18, 0 },
		{ 0x40 | (u64)VBDF << 32, 0 }, { 0x41, 0 }, { 0x44, 0 }, { 0x99, 0 },
		{ C_CFGI_STE | 1ULL << 10 | (u64)VBDF << 32, 1 },	/* SSec */
		{ C_CFGI_CD | 1ULL << 10 | (u64)VBDF << 32, 1 },	/* SSec, forwarded kind */
		{ C_CFGI_CD | 0x77ULL << 32, 1 },			/* a vSID it lacks */
	};

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	linux_reset(&g);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		u64 n0 = smmu_model_cmds_consumed(model);
		u32 cons;
		u64 *q = gva(&g, CMDQ_GPA);

		submit(&g, &bad[i], 1);
		cons = R32(R_CMDQ_CONS);
		CHECK_EQ((cons >> 24) & 0x7f, 1);
		CHECK_EQ(smmu_model_cmds_consumed(model), n0);
		q[2 * (cons & 0xff)] = C_SYNC;
		q[2 * (cons & 0xff) + 1] = 0;
		W32(R_GERRORN, R32(R_GERROR));
		CHECK(consumed());
	}
	CHECK_EQ(irqs[GERROR_INTID], ARRAY_SIZE(bad));
	vs_teardown(&g);
}

TEST(event_overflow_sets_ovflg_and_writes_nothing_past_the_queue)
{
	struct guest g;
	const u64 unmap[][2] = { { C_TLBI_NH_ALL, 0 }, { C_SYNC, 0 } };
	u64 *l3, *after;
	u8 x = 1;

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	linux_reset(&g);
	/* a 4-entry queue this time */
	W32(R_CR0, CR0_CMDQEN | CR0_SMMUEN);
	W64(R_EVTQ_BASE, EVTQ_GPA | 2);
	W32(R_EVTQ_PROD, 0);
	W32(R_EVTQ_CONS, 0);
	W32(R_CR0, CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN);
	linux_attach(&g);
	l3 = gva(&g, S1_L3_GPA);
	l3[(S1_VA >> 12) & 511] = 0;
	submit(&g, unmap, 2);
	/* a flood: 50 faults, never consumed */
	for (int i = 0; i < 50; i++) {
		CHECK(smmu_model_dma_write(model, PSID, S1_VA, &x, 1) != 0);
		smmu_poll(smmu);
	}
	CHECK_EQ(R32(R_EVTQ_PROD) & 0x7, 4);		/* full: index 0, wrapped */
	CHECK_EQ(R32(R_EVTQ_PROD) >> 31, 1);		/* OVFLG */
	after = gva(&g, EVTQ_GPA + 4 * 32);
	for (int i = 0; i < 16; i++)
		CHECK_EQ(after[i], 0);
	CHECK_EQ(irqs[EVTQ_INTID], 4);
	/* the guest consumes and acknowledges: records flow again */
	W32(R_EVTQ_CONS, 4 | 1U << 31);
	CHECK(smmu_model_dma_write(model, PSID, S1_VA, &x, 1) != 0);
	smmu_poll(smmu);
	CHECK_EQ(R32(R_EVTQ_PROD) & 0x7, 5);
	CHECK_EQ(irqs[EVTQ_INTID], 5);
	vs_teardown(&g);
}

/* ---- hostile --------------------------------------------------------------------- */

TEST(a_stream_table_outside_its_ram_reads_as_abort_never_aerie_memory)
{
	struct guest g;
	const u64 cmds[][2] = { { sid_cmd(C_CFGI_STE, VBDF), 1 }, { C_SYNC, 0 } };
	u64 ste[8], *evt;
	u64 *pool = phys_to_virt(HOSTENV_PA_BASE + 0x10000); /* Aerie's own pages */

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	linux_reset(&g);
	linux_attach(&g);
	CHECK(dma_reaches(&g, 1));
	/* a valid-looking S1 STE in Aerie's memory, and STRTAB_BASE at it */
	(void)pool;
	W32(R_CR0, CR0_CMDQEN | CR0_EVTQEN);
	W64(R_STRTAB_BASE, HOSTENV_PA_BASE + 0x10000 - VBDF * 64ULL);
	W32(R_CR0, CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN);
	submit(&g, cmds, 2);
	CHECK(consumed());
	REQUIRE(smmu_ste_read(smmu, PSID, ste) == 0);
	CHECK_EQ((ste[0] >> 1) & 7, 0);	/* abort */
	CHECK(!dma_reaches(&g, 2));
	evt = gva(&g, EVTQ_GPA);
	CHECK_EQ(evt[0] & 0xff, 0x04);	/* C_BAD_STE, its vSID */
	CHECK_EQ(evt[0] >> 32, VBDF);
	vs_teardown(&g);
}

TEST(a_stage1_ste_with_what_the_vste_rules_refuse_is_an_abort)
{
	struct guest g;
	const u64 cmds[][2] = { { sid_cmd(C_CFGI_STE, VBDF), 1 }, { C_SYNC, 0 } };
	u64 ste[8];

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	linux_reset(&g);
	linux_attach(&g);
	/* Config = nested (its own stage 2) and EATS = S1CHK */
	write_ste(&g, VBDF, 1 | 7ULL << 1 | S1_CD_GPA, 0);
	submit(&g, cmds, 2);
	CHECK(consumed());
	REQUIRE(smmu_ste_read(smmu, PSID, ste) == 0);
	CHECK_EQ((ste[0] >> 1) & 7, 0);
	write_ste(&g, VBDF, STE_S1(S1_CD_GPA), 2ULL << 28);
	submit(&g, cmds, 2);
	REQUIRE(smmu_ste_read(smmu, PSID, ste) == 0);
	CHECK_EQ((ste[0] >> 1) & 7, 0);
	CHECK(!dma_reaches(&g, 3));
	vs_teardown(&g);
}

TEST(a_command_queue_outside_its_ram_is_a_fetch_abort)
{
	struct guest g;
	u64 n0;

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	linux_reset(&g);
	W32(R_CR0, CR0_EVTQEN | CR0_SMMUEN);
	W64(R_CMDQ_BASE, HOSTENV_PA_BASE | CMDQ_LOG2);
	W32(R_CMDQ_CONS, 0);
	W32(R_CR0, CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN);
	n0 = smmu_model_cmds_consumed(model);
	W32(R_CMDQ_PROD, 5);
	CHECK_EQ(R32(R_CMDQ_CONS), 0 | 2U << 24);	/* CERROR_ABT at 0 */
	CHECK_EQ((R32(R_GERROR) ^ R32(R_GERRORN)) & 1, 1);
	CHECK_EQ(smmu_model_cmds_consumed(model), n0);
	vs_teardown(&g);
}

TEST(reserved_cr0_and_irq_ctrl_bits_are_never_acknowledged)
{
	struct guest g;

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	W32(R_CR0, 0xffffffff);
	CHECK_EQ(R32(R_CR0ACK), CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN);
	W32(R_IRQ_CTRL, 0xffffffff);
	CHECK_EQ(R32(R_IRQ_CTRLACK), 5);
	/* the wrong access sizes do nothing */
	wr(R_CR0, 0, 8);
	CHECK_EQ(R32(R_CR0ACK), CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN);
	wr(R_CR0 + 1, 0, 1);
	CHECK_EQ(R32(R_CR0ACK), CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN);
	vs_teardown(&g);
}

TEST(a_looping_command_queue_is_consumed_a_budget_per_access)
{
	struct guest g;
	u64 *q;
	u64 all0, s0;

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	linux_reset(&g);
	q = gva(&g, CMDQ_GPA);
	for (int i = 0; i < 256; i++) {
		q[2 * i] = C_TLBI_NH_ALL;
		q[2 * i + 1] = 0;
	}
	all0 = phys(C_TLBI_NH_ALL);
	s0 = syncs();
	/* PROD one lap ahead of CONS: a full queue of TLBIs */
	W32(R_CMDQ_PROD, (R32(R_CMDQ_CONS) ^ 0x100) & 0x1ff);
	CHECK_EQ(phys(C_TLBI_NH_ALL) - all0, 64);	/* one access: its budget */
	CHECK_EQ(syncs() - s0, 1);
	for (int i = 2; i <= 4; i++) {
		(void)R32(R_CMDQ_CONS);			/* the driver's poll goes on */
		CHECK_EQ(phys(C_TLBI_NH_ALL) - all0, 64 * i);
		CHECK_EQ(syncs() - s0, i);
	}
	(void)R32(R_CMDQ_CONS);
	CHECK_EQ(phys(C_TLBI_NH_ALL) - all0, 256);	/* and then stops */
	vs_teardown(&g);
}

TEST(a_guest_rewriting_its_ste_forever_holds_one_nested_hwpt)
{
	struct guest g;
	const u64 cmds[][2] = { { sid_cmd(C_CFGI_STE, VBDF), 1 }, { C_SYNC, 0 } };
	u64 objs, pages;
	struct page_stats ps;

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	linux_reset(&g);
	linux_attach(&g);
	objs = hostenv_objs_in_use();
	page_stats(&ps);
	pages = ps.in_use;
	/* two CD pointers in turn: each CFGI_STE makes a new nested HWPT and
	 * must destroy the one it replaces */
	for (int i = 0; i < 100; i++) {
		write_ste(&g, VBDF, STE_S1(S1_CD_GPA + (i & 1) * 64), STE1_LINUX);
		submit(&g, cmds, 2);
		CHECK(consumed());
	}
	write_ste(&g, VBDF, STE_S1(S1_CD_GPA), STE1_LINUX);
	submit(&g, cmds, 2);
	CHECK(dma_reaches(&g, 9));
	CHECK_EQ(hostenv_objs_in_use(), objs);
	page_stats(&ps);
	CHECK_EQ(ps.in_use, pages);
	vs_teardown(&g);
}

/* the in-hypervisor entry takes only the commands whose buffers it knows
 * to be Aerie's, with the struct size Aerie knows, under the same rules */
TEST(iommu_kcall_takes_what_the_hypercall_takes_and_nothing_else)
{
	struct guest g;
	struct iommu_ioas_alloc ia = { .size = sizeof(ia) };
	struct iommu_veventq_alloc q = { .size = sizeof(q) };
	struct iommu_ioas_iova_ranges r = { .size = sizeof(r) };
	struct iommu_destroy d = { .size = sizeof(d) + 8 };
	struct iommu_ioas_map m = { .size = sizeof(m), .flags = IOMMU_IOAS_MAP_FIXED_IOVA |
				    IOMMU_IOAS_MAP_READABLE, .length = 0x1000 };

	REQUIRE(setup(&g));
	CHECK_EQ(iommu_kcall(g.ctx, IOMMU_CMD_VEVENTQ_ALLOC, &q), -ENOTTY); /* guest ring */
	CHECK_EQ(iommu_kcall(g.ctx, IOMMU_CMD_IOAS_IOVA_RANGES, &r), -ENOTTY);
	CHECK_EQ(iommu_kcall(g.ctx, 0x7f, &ia), -ENOTTY);
	CHECK_EQ(iommu_kcall(g.ctx, IOMMU_CMD_DESTROY, &d), -EINVAL);
	CHECK_EQ(iommu_kcall(g.ctx, IOMMU_CMD_IOAS_ALLOC, &ia), 0);
	CHECK(ia.out_ioas_id > 0);
	/* IOAS_MAP's user_va is guest memory even here: outside its RAM, -EFAULT */
	m.ioas_id = ia.out_ioas_id;
	m.user_va = GUEST_IPA - 0x1000;
	m.iova = 0x100000;
	CHECK_EQ(iommu_kcall(g.ctx, IOMMU_CMD_IOAS_MAP, &m), -EFAULT);
	m.user_va = GUEST_IPA;
	CHECK_EQ(iommu_kcall(g.ctx, IOMMU_CMD_IOAS_MAP, &m), 0);
	teardown(&g, NULL);
}

TEST(the_vsmmus_objects_are_the_guests_and_go_with_its_context)
{
	struct guest g;

	REQUIRE(setup(&g));
	REQUIRE(vs_setup(&g));
	linux_reset(&g);
	linux_attach(&g);
	/* teardown checks every page and object came back */
	vs_teardown(&g);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
