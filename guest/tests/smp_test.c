/* SPDX-License-Identifier: MIT */
/*
 * A guest with two vCPUs (guest/smp.dts): PSCI CPU_ON with its error cases,
 * the second vCPU's identity (MPIDR), both vCPUs hammering the IOMMU
 * hypercalls of the same guest at once, CPU_OFF seen through AFFINITY_INFO,
 * and a second CPU_ON of the same vCPU.
 *
 * Then SGIs between the two vCPUs (ICC_SGI1R_EL1, emulated by Aerie): each
 * vCPU installs its vectors and brings up its own redistributor; vCPU 0
 * sends an SGI to vCPU 1 by target list and vCPU 1 answers from its
 * handler with another SGI to vCPU 0; a broadcast (IRM = 1) reaches vCPU 1
 * and not its sender; an SGI to itself arrives; SGIs naming no vCPU of the
 * guest (Aff0 5, Aff1 1, RS 1, XZR) and group 0 ones (ICC_SGI0R_EL1,
 * ICC_ASGI1R_EL1: every SGI is group 1 here) reach nobody and the guest runs
 * on; an SGI vCPU 1 has disabled arrives only once it is enabled.
 */
#include "../lib/aerie_guest.h"
#include "../lib/gic.h"
#include "../lib/guest_dma.h"

#define PSCI_CPU_ON		0xc4000003u
#define PSCI_CPU_OFF		0x84000002u
#define PSCI_AFFINITY_INFO	0xc4000004u
#define PSCI_FEATURES		0x8400000au
#define PSCI_VERSION		0x84000000u
#define PSCI_VERSION_1_1	0x10001
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)
#define PSCI_INVALID_ADDRESS	(-9)
#define AFF_ON			0
#define AFF_OFF			1
#define LOOPS			200

static uint8_t stack1[8192] __attribute__((aligned(16)));
static volatile uint64_t seen_mpidr, seen_ctx, done_loops, failures;
static volatile int64_t first_err;	/* vCPU 1's first failed call, for the log */
static volatile int first_err_call;	/* 1: IOAS_ALLOC, 2: DESTROY */

/* the second vCPU starts here with x0 = context (its stack top) */
__asm__(".pushsection .text\n"
	".globl secondary_entry\n"
	"secondary_entry:\n"
	"	mov sp, x0\n"
	"	bl secondary_main\n"
	"	movz x0, #0x8400, lsl #16\n"
	"	movk x0, #0x0002\n"		/* PSCI CPU_OFF */
	"	hvc #0\n"
	"	b .\n"
	".popsection\n");
void secondary_entry(void);

/* hvc_keeps(fn): x1..x30 set to 0x500 + n, HVC #0 with x0 = fn, then 0 if
 * every one of them came back, else the number of the first that did not:
 * the vector's fast paths (NOP, version queries) save only what a C call
 * clobbers, the full path every register, and both must give them all back */
__asm__(".pushsection .text\n"
	".globl hvc_keeps\n"
	"hvc_keeps:\n"
	"	stp x29, x30, [sp, #-96]!\n"
	"	stp x19, x20, [sp, #16]\n"
	"	stp x21, x22, [sp, #32]\n"
	"	stp x23, x24, [sp, #48]\n"
	"	stp x25, x26, [sp, #64]\n"
	"	stp x27, x28, [sp, #80]\n"
	"	.irp n,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
	"	mov x\\n, #(0x500 + \\n)\n"
	"	.endr\n"
	"	hvc #0\n"
	"	.irp n,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
	"	mov x0, #\\n\n"
	"	cmp x\\n, #(0x500 + \\n)\n"
	"	b.ne 9f\n"
	"	.endr\n"
	"	mov x0, #0\n"
	"9:	ldp x19, x20, [sp, #16]\n"
	"	ldp x21, x22, [sp, #32]\n"
	"	ldp x23, x24, [sp, #48]\n"
	"	ldp x25, x26, [sp, #64]\n"
	"	ldp x27, x28, [sp, #80]\n"
	"	ldp x29, x30, [sp], #96\n"
	"	ret\n"
	".popsection\n");
uint64_t hvc_keeps(uint64_t fn);

/* the same for the SGI part: sgi_secondary() instead */
__asm__(".pushsection .text\n"
	".globl sgi_entry\n"
	"sgi_entry:\n"
	"	mov sp, x0\n"
	"	bl sgi_secondary\n"
	"	movz x0, #0x8400, lsl #16\n"
	"	movk x0, #0x0002\n"		/* PSCI CPU_OFF */
	"	hvc #0\n"
	"	b .\n"
	".popsection\n");
void sgi_entry(void);

static int64_t psci(uint32_t fn, uint64_t a, uint64_t b, uint64_t c)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a;
	register uint64_t x2 __asm__("x2") = b;
	register uint64_t x3 __asm__("x3") = c;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}

/* allocate and destroy IOASes: both vCPUs in the same IOMMU context at once */
static int hammer(void)
{
	for (int i = 0; i < LOOPS; i++) {
		struct iommu_ioas_alloc a = { .size = sizeof(a) };
		struct iommu_destroy d = { .size = sizeof(d) };

		int64_t r = aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &a);

		if (!r) {
			d.id = a.out_ioas_id;
			r = aerie_iommu(IOMMU_CMD_DESTROY, &d);
			if (r && !first_err_call)
				first_err_call = 2;
		} else if (!first_err_call) {
			first_err_call = 1;
		}
		if (r) {
			if (!first_err)
				first_err = r;
			return 1;
		}
	}
	return 0;
}

void secondary_main(uint64_t ctx);
void secondary_main(uint64_t ctx)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	seen_ctx = ctx;
	seen_mpidr = mpidr;
	failures += (uint64_t)hammer();
	__asm__ volatile("dmb ish" ::: "memory");
	done_loops++;
}

static int wait_off(void)
{
	for (int i = 0; i < 1000000; i++)
		if (psci(PSCI_AFFINITY_INFO, 1, 0, 0) == AFF_OFF)
			return 0;
	return -1;
}

/* ---- SGIs between the two vCPUs ------------------------------------------------------- */

/* ICC_SGI1R_EL1 (ICC_SGI0R_EL1 and ICC_ASGI1R_EL1 have the same layout);
 * guest/lib has no SGI helper, so it is here */
#define ICC_ASGI1R_EL1		S3_0_C12_C11_6
#define ICC_SGI0R_EL1		S3_0_C12_C11_7
#define SGIR_TARGETS(list)	((uint64_t)(list))		/* Aff0 RS*16 + bit */
#define SGIR_AFF1(a)		((uint64_t)(a) << 16)
#define SGIR_INTID(i)		((uint64_t)(i) << 24)
#define SGIR_IRM		(1ULL << 40)			/* all but myself */
#define SGIR_RS(rs)		((uint64_t)(rs) << 44)
#define TO_VCPU(i)		SGIR_TARGETS(1u << (i))

#define SGI_PING		1	/* vCPU 0 -> vCPU 1 */
#define SGI_PONG		2	/* vCPU 1's answer, from its handler */
#define SGI_BCAST		3	/* IRM = 1 from vCPU 0 */
#define SGI_BAD			4	/* to targets that do not exist */
#define SGI_LATE		5	/* disabled on vCPU 1 at first */
#define SGI_STOP		6	/* wakes vCPU 1 to end */
#define SGI_SELF		7	/* vCPU 0 to itself */
#define NR_SGIS			16
#define NR_CPUS			2
#define WAIT_MS			1000
#define SETTLE_MS		50	/* long enough for a wrong SGI to arrive */

static volatile uint32_t sgi_hits[NR_CPUS][NR_SGIS], sgi_last[NR_CPUS];
static volatile uint32_t sgi_ready, sgi_stop, sgi_failed;

static void send_sgi(uint64_t v)
{
	g_sysreg_write(ICC_SGI1R_EL1, v);
	g_isb();
}

static unsigned int my_cpu(void)
{
	return (unsigned int)(g_sysreg_read(mpidr_el1) & 0xff);
}

/* shared by both vCPUs: counted per vCPU (MPIDR Aff0) and INTID */
void g_irq(uint32_t intid)
{
	unsigned int cpu = my_cpu();

	if (cpu >= NR_CPUS || intid >= NR_SGIS) {
		g_irq_unexpected++;
		return;
	}
	sgi_last[cpu] = intid;
	__asm__ volatile("dmb ish" ::: "memory");	/* seen before the count */
	sgi_hits[cpu][intid]++;
	if (cpu == 1 && intid == SGI_PING)
		send_sgi(SGIR_INTID(SGI_PONG) | TO_VCPU(0));
}

/* poll a counter the other vCPU changes (its interrupts do not wake me) */
static int wait_for(volatile uint32_t *count, uint32_t want, uint32_t max_ms)
{
	uint64_t end = g_sysreg_read(cntvct_el0) + max_ms * (g_sysreg_read(cntfrq_el0) / 1000);

	while (*count < want)
		if (g_sysreg_read(cntvct_el0) >= end)
			return -1;
	return 0;
}

static uint32_t hits_total(unsigned int cpu)
{
	uint32_t n = 0;

	for (int i = 0; i < NR_SGIS; i++)
		n += sgi_hits[cpu][i];
	return n;
}

/* vCPU 1: its own vectors and redistributor, SGI_LATE left disabled; then
 * it sleeps and takes SGIs until vCPU 0 says stop */
void sgi_secondary(uint64_t ctx);
void sgi_secondary(uint64_t ctx)
{
	(void)ctx;
	g_vectors_install();
	if (g_gic_cpu_init(1)) {
		sgi_failed = 1;
		return;
	}
	g_gic_enable(SGI_PING, 1);
	g_gic_enable(SGI_BCAST, 1);
	g_gic_enable(SGI_BAD, 1);
	g_gic_enable(SGI_STOP, 1);
	__asm__ volatile("dmb ish" ::: "memory");
	sgi_ready = 1;
	g_wait_irq(&sgi_stop, 1, 30000);
	g_irq_off();
}

static void put_line(const char *a, uint32_t n, const char *b)
{
	g_puts(a);
	g_putd(n);
	g_puts(b);
}

static int sgi_tests(uint64_t top)
{
	g_vectors_install();
	EXPECT(g_gic_init() == 0 && g_gic_cpu_init(0) == 0, "GIC bring-up on vCPU 0");
	g_gic_enable(SGI_PONG, 0);
	g_gic_enable(SGI_BCAST, 0);	/* enabled, so the broadcast could reach me */
	g_gic_enable(SGI_BAD, 0);
	g_gic_enable(SGI_SELF, 0);
	g_irq_on();
	EXPECT(psci(PSCI_CPU_ON, 1, (uint64_t)(uintptr_t)sgi_entry, top) == 0, "CPU_ON(1) for SGIs");
	EXPECT(wait_for(&sgi_ready, 1, WAIT_MS) == 0 && !sgi_failed, "vCPU 1 set up its GIC");

	/* target list: vCPU 0 -> vCPU 1, and vCPU 1's answer */
	send_sgi(SGIR_INTID(SGI_PING) | TO_VCPU(1));
	EXPECT(wait_for(&sgi_hits[1][SGI_PING], 1, WAIT_MS) == 0, "vCPU 1 took SGI 1");
	EXPECT(sgi_last[1] == SGI_PING && hits_total(1) == 1, "vCPU 1 saw INTID 1 once");
	put_line("smp_test: vCPU 0 sent SGI 1 to target list {1}: vCPU 1 took INTID ", sgi_last[1],
		 ", once\n");
	EXPECT(g_wait_irq(&sgi_hits[0][SGI_PONG], 1, WAIT_MS) == 0, "vCPU 0 took vCPU 1's answer");
	EXPECT(sgi_last[0] == SGI_PONG && hits_total(0) == 1, "vCPU 0 saw INTID 2 once");
	put_line("smp_test: vCPU 1 answered with SGI 2 to target list {0}: vCPU 0 took INTID ",
		 sgi_last[0], "\n");

	/* IRM = 1: everybody but me */
	send_sgi(SGIR_INTID(SGI_BCAST) | SGIR_IRM);
	EXPECT(wait_for(&sgi_hits[1][SGI_BCAST], 1, WAIT_MS) == 0, "the broadcast reached vCPU 1");
	g_delay_ms(SETTLE_MS);
	EXPECT(sgi_hits[0][SGI_BCAST] == 0, "the broadcast did not come back to its sender");
	g_puts("smp_test: broadcast (IRM=1) SGI 3 reached vCPU 1 and not its sender vCPU 0\n");

	/* target list naming myself */
	send_sgi(SGIR_INTID(SGI_SELF) | TO_VCPU(0));
	EXPECT(g_wait_irq(&sgi_hits[0][SGI_SELF], 1, WAIT_MS) == 0, "an SGI to myself");
	g_puts("smp_test: SGI 7 to target list {0} from vCPU 0 reached vCPU 0 itself\n");

	/* nobody: no such vCPU, and group 0 */
	send_sgi(SGIR_INTID(SGI_BAD) | TO_VCPU(5));			/* Aff0 5 */
	send_sgi(SGIR_INTID(SGI_BAD) | SGIR_AFF1(1) | TO_VCPU(1));	/* 0.0.1.1 */
	send_sgi(SGIR_INTID(SGI_BAD) | SGIR_RS(1) | TO_VCPU(1));	/* Aff0 17 */
	__asm__ volatile("msr S3_0_C12_C11_5, xzr\n isb" ::: "memory");	/* no target */
	g_sysreg_write(ICC_SGI0R_EL1, SGIR_INTID(SGI_BAD) | TO_VCPU(0) | TO_VCPU(1));
	g_sysreg_write(ICC_ASGI1R_EL1, SGIR_INTID(SGI_BAD) | TO_VCPU(0) | TO_VCPU(1));
	g_isb();
	g_delay_ms(SETTLE_MS);
	EXPECT(sgi_hits[0][SGI_BAD] == 0 && sgi_hits[1][SGI_BAD] == 0 && hits_total(0) == 2 &&
	       hits_total(1) == 2, "SGIs naming no vCPU reached nobody");
	g_puts("smp_test: SGIs to Aff0 5, to Aff1 1, with RS 1 and from XZR were ignored; the guest "
	       "runs on\n");
	g_puts("smp_test: ICC_SGI0R_EL1 and ICC_ASGI1R_EL1 (group 0 only) reached nobody: every "
	       "SGI is group 1\n");
	send_sgi(SGIR_INTID(SGI_BAD) | TO_VCPU(1));	/* the same SGI, to vCPU 1 */
	EXPECT(wait_for(&sgi_hits[1][SGI_BAD], 1, WAIT_MS) == 0, "SGI 4 to vCPU 1 arrives");

	/* disabled on vCPU 1: stays pending until enabled */
	send_sgi(SGIR_INTID(SGI_LATE) | TO_VCPU(1));
	g_delay_ms(SETTLE_MS);
	EXPECT(sgi_hits[1][SGI_LATE] == 0, "a disabled SGI was not delivered");
	g_gic_enable(SGI_LATE, 1);	/* vCPU 1's redistributor, written from here */
	EXPECT(wait_for(&sgi_hits[1][SGI_LATE], 1, WAIT_MS) == 0,
	       "the pending SGI arrived once enabled");
	g_puts("smp_test: SGI 5 to vCPU 1 while it was disabled: not delivered; enabled in vCPU 1's "
	       "redistributor, it arrived\n");

	sgi_stop = 1;
	__asm__ volatile("dmb ish" ::: "memory");
	send_sgi(SGIR_INTID(SGI_STOP) | TO_VCPU(1));
	EXPECT(wait_off() == 0, "vCPU 1 turned itself off after the SGIs");
	g_irq_off();
	EXPECT(hits_total(0) == 2 && hits_total(1) == 5 && sgi_hits[1][SGI_STOP] == 1 &&
	       g_irq_unexpected == 0 && g_irq_spurious == 0, "exactly the SGIs expected");
	g_puts("smp_test: all SGI checks passed\n");
	return 0;
}

int guest_main(uint64_t arg)
{
	uint64_t entry = (uint64_t)(uintptr_t)secondary_entry;
	uint64_t top = (uint64_t)(uintptr_t)(stack1 + sizeof(stack1));
	uint64_t mpidr;
	int64_t r;

	(void)arg;
	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	EXPECT((mpidr & 0xff) == 0, "vCPU 0 has Aff0 = 0");
	EXPECT(hvc_keeps(AERIE_HC_NOP) == 0, "x1..x30 kept by the null hypercall");
	EXPECT(hvc_keeps(AERIE_HC_VERSION) == 0, "x1..x30 kept by AERIE_HC_VERSION");
	EXPECT(hvc_keeps(PSCI_AFFINITY_INFO) == 0, "x1..x30 kept by AFFINITY_INFO");
	EXPECT(hvc_keeps(PSCI_FEATURES) == 0, "x1..x30 kept by PSCI_FEATURES");
	/* an IOMMU call (x1 = 0x501, its struct's address: -EFAULT) runs the
	 * core from the fast path */
	EXPECT(hvc_keeps(AERIE_HC_IOMMU(IOMMU_CMD_IOAS_ALLOC)) == 0,
	       "x1..x30 kept by an IOMMU hypercall");
	EXPECT(hvc_keeps(0xc6000fffu) == 0, "x1..x30 kept by an unknown call (full exit)");
	EXPECT(psci(PSCI_VERSION, 0, 0, 0) == PSCI_VERSION_1_1, "PSCI_VERSION 1.1");
	EXPECT(psci(PSCI_AFFINITY_INFO, 0, 1, 0) == PSCI_INVALID_PARAMS,
	       "AFFINITY_INFO at level 1 refused");
	g_puts("hypercalls keep x1..x30: NOP, AERIE_HC_VERSION, AFFINITY_INFO, PSCI_FEATURES, "
	       "an unknown call\n");
	EXPECT(psci(PSCI_FEATURES, PSCI_CPU_ON, 0, 0) == 0, "PSCI_FEATURES(CPU_ON)");
	EXPECT(psci(PSCI_AFFINITY_INFO, 1, 0, 0) == AFF_OFF, "vCPU 1 starts off");
	EXPECT(psci(PSCI_CPU_ON, 2, entry, top) == PSCI_INVALID_PARAMS, "CPU_ON of a vCPU I lack");
	EXPECT(psci(PSCI_CPU_ON, 0x100, entry, top) == PSCI_INVALID_PARAMS, "CPU_ON with Aff1");
	EXPECT(psci(PSCI_CPU_ON, 1, 0x1000, top) == PSCI_INVALID_ADDRESS,
	       "CPU_ON into memory that is not mine");
	EXPECT(psci(PSCI_CPU_ON, 0, entry, top) == PSCI_ALREADY_ON, "CPU_ON of myself");
	g_puts("CPU_ON refusals: INVALID_PARAMETERS, INVALID_ADDRESS, ALREADY_ON\n");

	for (int round = 1; round <= 2; round++) {
		done_loops = 0;
		seen_mpidr = 0;
		EXPECT(psci(PSCI_CPU_ON, 1, entry, top) == 0, "CPU_ON(1)");
		r = psci(PSCI_CPU_ON, 1, entry, top);
		EXPECT(r == PSCI_ALREADY_ON || r == PSCI_ON_PENDING || r == 0 /* already off */,
		       "a second CPU_ON(1)");
		EXPECT(hammer() == 0, "IOMMU hypercalls on vCPU 0 while vCPU 1 makes them too");
		EXPECT(wait_off() == 0, "vCPU 1 turned itself off");
		if (failures) {
			g_puts(first_err_call == 1 ? "vCPU 1: IOAS_ALLOC returned " :
						    "vCPU 1: DESTROY returned ");
			g_putd(first_err);
			g_puts("\n");
		}
		EXPECT(done_loops == 1 && failures == 0, "vCPU 1's hypercalls all succeeded");
		EXPECT((seen_mpidr & 0xff) == 1 && seen_ctx == top, "vCPU 1's MPIDR and context");
		g_puts(round == 1 ? "vCPU 1 ran (MPIDR Aff0 1, x0 = my context), 200 IOAS alloc/destroy "
				    "pairs on each vCPU at once, then CPU_OFF\n"
				  : "and once more after CPU_OFF: CPU_ON starts it again\n");
	}
	return sgi_tests(top);
}
