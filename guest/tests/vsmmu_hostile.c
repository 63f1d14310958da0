/* SPDX-License-Identifier: MIT */
/*
 * The hostile guest of the vSMMU two-guest test (guest/vsmmu_hostile.dts,
 * tests/qemu/vsmmu_hostile.conf): it has a virtual SMMUv3 and tries what a
 * guest can do with one, while the victim next to it (guest/tests/victim.c)
 * checks its own DMA all along:
 *  - writes every reserved SMMU_CR0 bit: none is acknowledged;
 *  - does DMA through its own stage 1 (it must work), then floods faults
 *    (128) into a 4-entry event queue it never consumes: 4 records and
 *    OVFLG, nothing written past the queue;
 *  - loops its command queue (PROD kept one lap ahead of CONS, full of
 *    TLBI_NH_ALL): each trapped access takes 64 commands, no more (a lap
 *    of 256 is its PROD write and three CONS polls);
 *  - points SMMU_STRTAB_BASE outside its RAM: its stream aborts (its DMA moves
 *    nothing) and it gets C_BAD_STE;
 *  - points SMMU_CMDQ_BASE outside its RAM: the queue stops with CERROR_ABT.
 * Then it powers off: hardware behaviour every time, nobody else's memory.
 */
#include <aerie/edu.h>
#include "../lib/aerie_guest.h"
#include "../lib/guest_dma.h"
#include "../lib/guest_mmio.h"
#include "../lib/smmu_s1.h"
#include <aerie/smmuv3_regs.h>	/* the architecture's register and command fields */

#define VSMMU 0x09050000ULL
#define MY_SID 0x10			/* its edu at 00:02.0: vSID = its BDF */
#define CMDQ_LOG2 8
#define QMASK ((2u << CMDQ_LOG2) - 1)
#define EVTQ_LOG2 2
#define IOVA 0x100000ULL
#define LAPS 200
#define FLOOD_DMAS 8		/* the edu takes 100 ms (QEMU time) per DMA */

static uint64_t strtab[256][8] __attribute__((aligned(16384)));
static uint64_t cmdq[1u << CMDQ_LOG2][2] __attribute__((aligned(4096)));
static uint64_t evtq[8][4] __attribute__((aligned(4096)));	/* 4 used, 4 watched */
static uint8_t buf[4096] __attribute__((aligned(4096)));
static struct s1_ctx s1;
static uint32_t prod;

static uint32_t rd(uint64_t off)
{
	return mmio_rd32(VSMMU + off);
}

static void wr(uint64_t off, uint32_t v)
{
	mmio_wr32(VSMMU + off, v);
}

static void submit(uint64_t c0, uint64_t c1)
{
	cmdq[prod & (QMASK >> 1)][0] = c0;
	cmdq[prod & (QMASK >> 1)][1] = c1;
	prod = (prod + 1) & QMASK;
	cmdq[prod & (QMASK >> 1)][0] = CMD_SYNC;
	cmdq[prod & (QMASK >> 1)][1] = 0;
	prod = (prod + 1) & QMASK;
	wr(SMMU_CMDQ_PROD, prod);
}

/* one edu DMA of 64 bytes from its buffer to IOVA: how many arrived */
static int dma_in(uint64_t bar)
{
	int n = 0;

	memset(buf, 0, 64);
	g_edu_dma(bar, EDU_BUF_OFFSET, IOVA, 64, 1);
	for (int i = 0; i < 64; i++)
		n += buf[i] == 0x3c;
	return n;
}

int guest_main(uint64_t bar)
{
	uint64_t vste[2], tlbi[2];
	uint32_t p, c, n;
	int i;

	/* 1. every reserved SMMU_CR0 bit */
	wr(SMMU_CR0, 0xffffffffu);
	g_puts("CR0 = 0xffffffff: CR0ACK ");
	g_putx(rd(SMMU_CR0ACK));
	g_puts("\n");
	EXPECT(rd(SMMU_CR0ACK) == (CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN), "only the emulated CR0 bits");
	wr(SMMU_CR0, 0);

	/* 2. its own stage 1, as a driver sets it up: DMA works */
	s1_init(&s1, 9);
	EXPECT(s1_map(&s1, IOVA, (uint64_t)(uintptr_t)buf, 1) == 0, "s1_map");
	s1_vste(&s1, vste);
	strtab[MY_SID][1] = vste[1];
	strtab[MY_SID][0] = vste[0];
	mmio_wr64(VSMMU + SMMU_STRTAB_BASE, (uint64_t)(uintptr_t)strtab);
	wr(SMMU_STRTAB_BASE_CFG, 8);
	mmio_wr64(VSMMU + SMMU_CMDQ_BASE, (uint64_t)(uintptr_t)cmdq | CMDQ_LOG2);
	wr(SMMU_CMDQ_PROD, 0);
	wr(SMMU_CMDQ_CONS, 0);
	mmio_wr64(VSMMU + SMMU_EVTQ_BASE, (uint64_t)(uintptr_t)evtq | EVTQ_LOG2);
	wr(SMMU_EVTQ_PROD, 0);
	wr(SMMU_EVTQ_CONS, 0);
	wr(SMMU_IRQ_CTRL, 5);
	wr(SMMU_CR0, CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN);
	submit(CMD_CFGI_STE | (uint64_t)MY_SID << 32, 1);
	EXPECT(rd(SMMU_CMDQ_CONS) == prod, "CFGI_STE consumed");
	/* the edu's buffer: 0x3c bytes, DMA'd in from RAM first */
	memset(buf + 2048, 0x3c, 64);
	EXPECT(s1_map(&s1, IOVA + 0x1000, (uint64_t)(uintptr_t)buf, 1) == 0, "s1_map 2");
	g_edu_dma(bar, IOVA + 0x1000 + 2048, EDU_BUF_OFFSET, 64, 0);
	n = (uint32_t)dma_in(bar);
	g_puts("my DMA through my own stage 1: ");
	g_putd(n);
	g_puts(" of 64 bytes\n");
	EXPECT(n == 64, "DMA through the vSMMU");

	/* 3. a fault flood into a 4-entry queue nobody consumes */
	s1_unmap(&s1, IOVA);
	s1_tlbi_va(&s1, IOVA, tlbi);
	submit(tlbi[0], tlbi[1]);
	for (i = 0; i < FLOOD_DMAS; i++)	/* 16 faults each: one per 4 bytes */
		g_edu_dma(bar, EDU_BUF_OFFSET, IOVA, 64, 1);
	for (i = 0; i < 100000; i++)	/* let Aerie drain the SMMU */
		__asm__ volatile("nop");
	p = rd(SMMU_EVTQ_PROD);
	g_puts("a flood of faults: EVTQ_PROD ");
	g_putx(p);
	g_puts(", first event ");
	g_putx(evtq[0][0] & 0xff);
	g_puts(" for vSID ");
	g_putx(evtq[0][0] >> 32);
	g_puts("\n");
	EXPECT((p & 7) == 4 && (p >> 31), "4 records, then OVFLG");
	for (i = 4; i < 8; i++)
		EXPECT(!evtq[i][0] && !evtq[i][1] && !evtq[i][2] && !evtq[i][3],
		       "nothing past the queue");

	/* 4. a looping command queue: PROD one lap ahead, over and over */
	for (i = 0; i < (1 << CMDQ_LOG2); i++) {
		cmdq[i][0] = CMD_TLBI_NH_ALL;
		cmdq[i][1] = 0;
	}
	n = 0;
	for (int lap = 0; lap < LAPS; lap++) {
		c = rd(SMMU_CMDQ_CONS) & QMASK;
		prod = c ^ (1u << CMDQ_LOG2);
		wr(SMMU_CMDQ_PROD, prod);
		n++;
		do
			n++;
		while ((rd(SMMU_CMDQ_CONS) & QMASK) != prod);
	}
	g_puts("looping queue: ");
	g_putd(LAPS << CMDQ_LOG2);
	g_puts(" commands took ");
	g_putd(n);
	g_puts(" trapped accesses\n");
	EXPECT(n == (uint32_t)LAPS * 4, "at most 64 commands per access");

	/* 5. a stream table outside its RAM */
	wr(SMMU_CR0, CR0_CMDQEN | CR0_EVTQEN);
	mmio_wr64(VSMMU + SMMU_STRTAB_BASE, 0x0);
	wr(SMMU_CR0, CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN);
	memset(evtq, 0, sizeof(evtq));
	wr(SMMU_EVTQ_CONS, rd(SMMU_EVTQ_PROD));	/* consumed, overflow acknowledged */
	submit(CMD_CFGI_ALL, 31);
	EXPECT(s1_map(&s1, IOVA, (uint64_t)(uintptr_t)buf, 1) == 0, "s1_map 3");
	n = (uint32_t)dma_in(bar);
	g_puts("STRTAB_BASE outside my RAM: my DMA moved ");
	g_putd(n);
	g_puts(" bytes; event ");
	g_putx(evtq[0][0] & 0xff);
	g_puts("\n");
	EXPECT(n == 0, "no DMA through an unreadable stream table");

	/* 6. a command queue outside its RAM */
	wr(SMMU_CR0, CR0_EVTQEN | CR0_SMMUEN);
	mmio_wr64(VSMMU + SMMU_CMDQ_BASE, 0x3f000000ULL | CMDQ_LOG2);
	wr(SMMU_CMDQ_CONS, 0);
	wr(SMMU_CR0, CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN);
	wr(SMMU_CMDQ_PROD, 3);
	c = rd(SMMU_CMDQ_CONS);
	g_puts("CMDQ_BASE outside my RAM: CMDQ_CONS ");
	g_putx(c);
	g_puts(", active GERROR ");
	g_putx(rd(SMMU_GERROR) ^ rd(SMMU_GERRORN));
	g_puts("\n");
	EXPECT((c >> 24 & 0x7f) == 2, "CERROR_ABT");
	g_puts("every attempt met hardware behaviour\n");
	return 0;
}
