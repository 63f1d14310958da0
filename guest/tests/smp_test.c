/* SPDX-License-Identifier: MIT */
/*
 * A guest with two vCPUs (guest/smp.dts): PSCI CPU_ON with its error cases,
 * the second vCPU's identity (MPIDR), both vCPUs hammering the IOMMU
 * hypercalls of the same guest at once, CPU_OFF seen through AFFINITY_INFO,
 * and a second CPU_ON of the same vCPU.
 */
#include "../lib/aerie_guest.h"
#include "../lib/guest_dma.h"

#define PSCI_CPU_ON		0xc4000003u
#define PSCI_CPU_OFF		0x84000002u
#define PSCI_AFFINITY_INFO	0xc4000004u
#define PSCI_FEATURES		0x8400000au
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)
#define PSCI_INVALID_ADDRESS	(-9)
#define AFF_ON			0
#define AFF_OFF			1
#define LOOPS			200

static uint8_t stack1[8192] __attribute__((aligned(16)));
static volatile uint64_t seen_mpidr, seen_ctx, done_loops, failures;

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

		if (aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &a))
			return 1;
		d.id = a.out_ioas_id;
		if (aerie_iommu(IOMMU_CMD_DESTROY, &d))
			return 1;
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

int guest_main(uint64_t arg)
{
	uint64_t entry = (uint64_t)(uintptr_t)secondary_entry;
	uint64_t top = (uint64_t)(uintptr_t)(stack1 + sizeof(stack1));
	uint64_t mpidr;
	int64_t r;

	(void)arg;
	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	EXPECT((mpidr & 0xff) == 0, "vCPU 0 has Aff0 = 0");
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
		EXPECT(done_loops == 1 && failures == 0, "vCPU 1's hypercalls all succeeded");
		EXPECT((seen_mpidr & 0xff) == 1 && seen_ctx == top, "vCPU 1's MPIDR and context");
		g_puts(round == 1 ? "vCPU 1 ran (MPIDR Aff0 1, x0 = my context), 200 IOAS alloc/destroy "
				    "pairs on each vCPU at once, then CPU_OFF\n"
				  : "and once more after CPU_OFF: CPU_ON starts it again\n");
	}
	return 0;
}
