/* SPDX-License-Identifier: MIT */
/*
 * Boot sequence of the boot CPU (entered from boot/head.S with the DTB
 * address and the exception level we were entered at):
 *   DTB -> console -> EL check -> allocator -> EL2 MMU -> GIC -> CPUs
 *   -> SMMU + PCI -> guests (or, in the test image, the selected self-test).
 */
#include <libfdt.h>
#include <aerie/arch.h>
#include <aerie/board.h>
#include <aerie/bootargs.h>
#include <aerie/console.h>
#include <aerie/errno.h>
#include <aerie/gicv3.h>
#include <aerie/hyp_irq.h>
#include <aerie/log.h>
#include <aerie/mem.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/pci.h>
#include <aerie/percpu.h>
#include <aerie/psci.h>
#include <aerie/selftest.h>
#include <aerie/smmu.h>
#include <aerie/sysreg.h>

#define AERIE_VERSION "0.1"

/* exit statuses (semihosting), documented in docs/architecture.md */
#define EXIT_BAD_EL 3
#define EXIT_BAD_DTB 4
#define EXIT_NO_MEMORY 5
#define EXIT_NO_SMMU 6
#define EXIT_GUESTS_FAILED 7

static struct board board;
static struct smmu *the_smmu;

struct smmu *hyp_smmu(void)
{
	return the_smmu;
}

void console_enable_locking(void);

int guests_run_package(paddr_t start, paddr_t end, const char **reason);

const struct board *selftest_board(void)
{
	return &board;
}

/*
 * Without a console and without semihosting nobody can read why Aerie
 * stopped, so it does not park silently in WFI: it powers the board off
 * through PSCI SYSTEM_OFF (docs/booting-on-a-board.md, "Console").
 */
static void stop(int status)
{
	pr_err("aerie: stopping (status %d)\n", status);
	if (!console_has_uart() && !semihosting_enabled)
		psci_system_off();
	hyp_exit(status);
}

void boot_main(paddr_t dtb, u64 entered_el)
{
	paddr_t img_start = virt_to_phys(_head), img_end = virt_to_phys(_end);
	const char *missing;
	struct page_stats ps;
	bool expect_package;
	int err;

#ifdef AERIE_SELFTEST
	semihosting_enabled = true;
#endif
	err = board_parse(phys_to_virt(dtb), &board, &missing);
	if (bootarg_get(board.bootargs, "aerie.semihosting", NULL, 0))
		semihosting_enabled = true;
	console_use_uart(&board);
	psci_set_method(board.psci); /* for stop() before the CPUs come up */

	pr_info("\nAerie " AERIE_VERSION " - type-1 micro-hypervisor for arm64\n");
	if (entered_el == 3) {
		pr_info("aerie: entered at EL3 without firmware: made the drop from EL3 to EL2\n");
		entered_el = 2;
	}
	if (entered_el != 2) {
		pr_err("aerie: entered at EL%llu, but Aerie must be entered at EL2 "
		       "(on QEMU: -M virt,virtualization=on; on a board: boot it from "
		       "firmware that leaves EL2 to the OS)\n",
		       (unsigned long long)entered_el);
		stop(EXIT_BAD_EL);
	}
	if (err) {
		pr_err("aerie: the device tree at 0x%llx lacks a %s\n", (unsigned long long)dtb,
		       missing ? missing : "(unknown)");
		stop(EXIT_BAD_DTB);
	}
	pr_info("aerie: at EL2, image 0x%llx-0x%llx, DTB 0x%llx\n",
		(unsigned long long)img_start, (unsigned long long)img_end,
		(unsigned long long)dtb);

	{
		/* Aerie, the DTB, the initrd and what the tree reserves: never
		 * in the allocator, so never in a guest's RAM either */
		struct mem_reserved res[3 + BOARD_MAX_RESERVED] = {
			{ img_start, img_end },
			{ dtb, dtb + fdt_totalsize(phys_to_virt(dtb)) },
			{ board.initrd_start, board.initrd_end },
		};
		unsigned int nres = 3;

		for (unsigned int i = 0; i < board.reserved_count; i++, nres++) {
			res[nres].start = board.reserved[i].base;
			res[nres].end = board.reserved[i].base + board.reserved[i].size;
		}
		if (mem_init(&board, res, nres)) {
			pr_err("aerie: no free memory in the device tree's memory banks\n");
			stop(EXIT_NO_MEMORY);
		}
	}
	if (mmu_init(&board, img_start, img_end))
		stop(EXIT_NO_MEMORY);
	console_enable_locking();
	board_print(&board);
	page_stats(&ps);
	pr_info("mem: %llu MiB free for the hypervisor's allocator\n",
		(unsigned long long)(ps.total * PAGE_SIZE >> 20));

	if (gicv3_init(&board) == 0)
		gicv3_cpu_init();
	smp_boot(&board);

	if (smmu_probe(&the_smmu, board.smmu.base, board.smmu.size)) {
		pr_err("aerie: cannot run guests with DMA isolation without the SMMU\n");
		stop(EXIT_NO_SMMU);
	}
	/* the other SMMUs are taken too, so that every stream behind them
	 * aborts (firmware may have left them in bypass); guests' devices
	 * must sit behind the_smmu (vmm/guest.c refuses the others) */
	for (unsigned int i = 0; i < board.smmu_count; i++) {
		struct smmu *other;

		if (i != board.smmu.index &&
		    smmu_probe(&other, board.smmus[i].base, board.smmus[i].size))
			pr_warn("aerie: the SMMUv3 at 0x%llx could not be set up: the DMA of "
				"devices behind it is not blocked by Aerie\n",
				(unsigned long long)board.smmus[i].base);
	}
	hyp_irqs_init(&board);
	pci_enumerate(&board);
	pci_print();

#ifdef AERIE_SELFTEST
	selftest_run_from_bootargs(&board);
#endif
	/* aerie.package (make run): a guest package is expected, so an
	 * initrd that is none, or no initrd, is a failure */
	expect_package = bootarg_get(board.bootargs, "aerie.package", NULL, 0);
	if (board.initrd_end > board.initrd_start) {
		const char *reason;

		err = guests_run_package(board.initrd_start, board.initrd_end, &reason);
		if (err == -ENOENT && !expect_package) {
			pr_info("aerie: boot complete; no guests configured\n");
			hyp_exit(0);
		}
		if (reason) {
			pr_err("aerie: no guest started: %s%s\n", reason,
			       err == -ENOENT ? " (aerie.package: a package was expected)" : "");
			stop(EXIT_GUESTS_FAILED);
		}
		pr_info("aerie: all guests ended%s\n", err ? " (not all of them well)" : "");
		hyp_exit(err ? EXIT_GUESTS_FAILED : 0);
	}
	if (expect_package) {
		pr_err("aerie: no guest started: there is no initrd (aerie.package: a package "
		       "was expected)\n");
		stop(EXIT_GUESTS_FAILED);
	}

	pr_info("aerie: boot complete; no guests configured\n");
	hyp_exit(0);
}
