/* SPDX-License-Identifier: MIT */
/*
 * Board discovery (boot/board.c) on real device trees dumped from QEMU
 * (tests/host/dtb.mk makes them with -machine dumpdtb=), and on edited
 * copies with a node removed. The directory comes from $AERIE_DTB_DIR.
 */
#include <dirent.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <libfdt.h>
#include <aerie/board.h>
#include <aerie/errno.h>
#include "test.h"

static void *load(const char *name)
{
	const char *dir = getenv("AERIE_DTB_DIR");
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build/dtb", name);
	return test_load_file(path, NULL);
}

TEST(virt_4cpu_smmu_everything_found)
{
	struct board b;
	const char *missing;
	void *fdt = load("virt-4cpu.dtb");
	u32 sid;

	REQUIRE(fdt);
	CHECK_EQ(board_parse(fdt, &b, &missing), 0);
	CHECK(missing == NULL);
	CHECK(!strcmp(b.model, "linux,dummy-virt"));
	CHECK_EQ(b.mem_count, 1);
	CHECK_EQ(b.mem[0].base, 0x40000000);
	CHECK_EQ(b.mem[0].size, 1ULL << 30);
	CHECK_EQ(b.cpu_count, 4);
	for (unsigned int i = 0; i < 4; i++)
		CHECK_EQ(b.cpu_mpidr[i], i);
	CHECK_EQ(b.psci, PSCI_SMC);
	CHECK(b.uart.present);
	CHECK_EQ(b.uart.base, 0x09000000);
	CHECK_EQ(b.uart.size, 0x1000);
	CHECK_EQ(b.uart.irq, 1);
	CHECK(b.uart.irq_known);
	CHECK(b.gic.present);
	CHECK_EQ(b.gic.dist_base, 0x08000000);
	CHECK_EQ(b.gic.dist_size, 0x10000);
	CHECK_EQ(b.gic.redist_count, 1);
	CHECK_EQ(b.gic.redist_base[0], 0x080a0000);
	CHECK_EQ(b.gic.maint_irq, 16 + 9);
	CHECK_EQ(b.timer.virt_ppi, 27);
	CHECK_EQ(b.timer.hyp_ppi, 26);
	CHECK(b.smmu.present);
	CHECK_EQ(b.smmu.base, 0x09050000);
	CHECK_EQ(b.smmu.size, 0x20000);
	CHECK(b.smmu.phandle != 0);
	CHECK_EQ(b.smmu.irq_eventq, 74);
	CHECK_EQ(b.smmu.irq_gerror, 77);
	CHECK(b.pcie.present);
	CHECK_EQ(b.pcie.ecam_base, 0x4010000000ULL);
	CHECK_EQ(b.pcie.ecam_size, 0x10000000);
	CHECK_EQ(b.pcie.bus_start, 0);
	CHECK_EQ(b.pcie.bus_end, 255);
	CHECK_EQ(b.pcie.range_count, 3);
	CHECK_EQ(b.pcie.ranges[0].space, PCI_SPACE_IO);
	CHECK_EQ(b.pcie.ranges[0].cpu_addr, 0x3eff0000);
	CHECK_EQ(b.pcie.ranges[1].space, PCI_SPACE_MEM32);
	CHECK_EQ(b.pcie.ranges[1].pci_addr, 0x10000000);
	CHECK_EQ(b.pcie.ranges[1].cpu_addr, 0x10000000);
	CHECK_EQ(b.pcie.ranges[1].size, 0x2eff0000);
	CHECK_EQ(b.pcie.ranges[2].space, PCI_SPACE_MEM64);
	CHECK_EQ(b.pcie.ranges[2].cpu_addr, 0x8000000000ULL);
	CHECK_EQ(b.pcie.iommu_map_count, 1);
	CHECK_EQ(b.pcie.iommu_map[0].iommu_phandle, b.smmu.phandle);
	CHECK_EQ(b.pcie.iommu_map[0].length, 0x10000);
	CHECK_EQ(b.pcie.iommu_map_mask, 0xffff);
	CHECK(b.pcie.intx_spi[0] >= 3 && b.pcie.intx_spi[0] <= 6);
	/* RID 00:02.0 = 0x10 maps 1:1 on virt */
	CHECK_EQ(board_rid_to_sid(&b, 0x10, &sid), 0);
	CHECK_EQ(sid, 0x10);
	free(fdt);
}

TEST(virt_1cpu_and_bootargs)
{
	struct board b;
	const char *missing;
	void *fdt = load("virt-1cpu-args.dtb");

	REQUIRE(fdt);
	CHECK_EQ(board_parse(fdt, &b, &missing), 0);
	CHECK_EQ(b.cpu_count, 1);
	CHECK(!strcmp(b.bootargs, "aerie.test=x console=foo"));
	CHECK_EQ(b.mem[0].size, 512ULL << 20);
	free(fdt);
}

TEST(iommu_map_with_offset_and_mask)
{
	struct board b = { 0 };
	u32 sid = 0;

	b.pcie.iommu_map_count = 2;
	b.pcie.iommu_map[0] = (struct board_iommu_map){ 0x000, 7, 0x1000, 0x100 };
	b.pcie.iommu_map[1] = (struct board_iommu_map){ 0x200, 7, 0x3000, 0x10 };
	b.pcie.iommu_map_mask = 0xffff;
	b.smmu.phandle = 7;
	CHECK_EQ(board_rid_to_sid(&b, 0x0ff, &sid), 0);
	CHECK_EQ(sid, 0x10ff);
	CHECK_EQ(board_rid_to_sid(&b, 0x205, &sid), 0);
	CHECK_EQ(sid, 0x3005);
	CHECK_EQ(board_rid_to_sid(&b, 0x100, &sid), -ENOENT);
	CHECK_EQ(board_rid_to_sid(&b, 0x210, &sid), -ENOENT);
	b.pcie.iommu_map_mask = 0x00ff; /* ignore the bus number */
	CHECK_EQ(board_rid_to_sid(&b, 0x1ff, &sid), 0);
	CHECK_EQ(sid, 0x10ff);
	b.smmu.phandle = 8; /* a map for another IOMMU does not count */
	CHECK_EQ(board_rid_to_sid(&b, 0x0ff, &sid), -ENOENT);
}

/* tests/host/dts/reserved.dts: every kind of reserved memory */
TEST(reserved_memory_memreserve_nomap_and_skipped)
{
	struct board b;
	const char *missing;
	void *fdt = load("reserved.dtb");

	REQUIRE(fdt);
	CHECK_EQ(board_parse(fdt, &b, &missing), 0);
	REQUIRE(b.reserved_count == 5);
	/* the /memreserve/ first: mapped, kept from the allocator */
	CHECK_EQ(b.reserved[0].base, 0x48000000);
	CHECK_EQ(b.reserved[0].size, 0x100000);
	CHECK(!b.reserved[0].no_map);
	CHECK_EQ(b.reserved[1].base, 0x40000000);
	CHECK_EQ(b.reserved[1].size, 0x80000);
	CHECK(b.reserved[1].no_map);
	/* both reg entries of a node, each no-map */
	CHECK_EQ(b.reserved[2].base, 0x7e000000);
	CHECK_EQ(b.reserved[2].size, 0x1000000);
	CHECK(b.reserved[2].no_map);
	CHECK_EQ(b.reserved[3].base, 0x7f800000);
	CHECK_EQ(b.reserved[3].size, 0x1800);
	CHECK(b.reserved[3].no_map);
	CHECK_EQ(b.reserved[4].base, 0x50000000);
	CHECK(!b.reserved[4].no_map);
	/* the disabled node is not there; the size-only CMA pool is counted */
	CHECK_EQ(b.reserved_dynamic, 1);
	free(fdt);
}

TEST(virt_has_no_reserved_memory)
{
	struct board b;
	const char *missing;
	void *fdt = load("virt-4cpu.dtb");

	REQUIRE(fdt);
	CHECK_EQ(board_parse(fdt, &b, &missing), 0);
	CHECK_EQ(b.reserved_count, 0);
	CHECK_EQ(b.reserved_dynamic, 0);
	free(fdt);
}

static void parse_ok(const char *file, struct board *b)
{
	const char *missing = NULL;
	void *fdt = load(file);

	memset(b, 0, sizeof(*b));
	REQUIRE(fdt);
	CHECK_EQ(board_parse(fdt, b, &missing), 0);
	if (missing)
		fprintf(stderr, "  %s: missing = \"%s\"\n", file, missing);
	free(fdt);
}

TEST(console_pl011_on_virt_with_baud)
{
	struct board b;

	parse_ok("board-base.dtb", &b);
	CHECK(b.uart.present);
	CHECK_EQ(b.uart.kind, UART_PL011);
	CHECK_EQ(b.uart.base, 0x09000000);
	CHECK_EQ(b.uart.baud, 115200);
}

TEST(console_dw_apb_8250_reg_shift_width_and_baud)
{
	struct board b;

	parse_ok("console-dw8250.dtb", &b);
	CHECK(b.uart.present);
	CHECK_EQ(b.uart.kind, UART_8250);
	CHECK_EQ(b.uart.base, 0xfeb50000);
	CHECK_EQ(b.uart.reg_shift, 2);
	CHECK_EQ(b.uart.reg_io_width, 4);
	CHECK_EQ(b.uart.baud, 1500000);
	CHECK_EQ(b.uart.irq, 333);
}

TEST(console_ti_8250_default_shift_through_bus_ranges)
{
	struct board b;

	parse_ok("console-ti.dtb", &b);
	CHECK(b.uart.present);
	CHECK_EQ(b.uart.kind, UART_8250);
	CHECK_EQ(b.uart.base, 0x02800000);
	CHECK_EQ(b.uart.reg_shift, 2);
	CHECK_EQ(b.uart.reg_io_width, 1);
	CHECK_EQ(b.uart.baud, 115200);
}

TEST(console_sbsa_uart_without_options)
{
	struct board b;

	parse_ok("console-sbsa.dtb", &b);
	CHECK(b.uart.present);
	CHECK_EQ(b.uart.kind, UART_SBSA);
	CHECK_EQ(b.uart.baud, 0);
}

/* tests/host/dts/d05-smmus.dts */
TEST(disabled_nodes_skipped_and_smmu_chosen_by_iommu_map)
{
	struct board b;
	u32 sid = 0;

	parse_ok("d05-smmus.dtb", &b);
	/* the disabled GIC, SMMU and host bridge come first and are skipped */
	CHECK_EQ(b.gic.dist_base, 0x08000000);
	CHECK_EQ(b.pcie.ecam_base, 0x4010000000ULL);
	REQUIRE(b.smmu_count == 3);
	CHECK_EQ(b.smmus[0].base, 0x100000000ULL);
	CHECK_EQ(b.smmus[0].irq_eventq, 100);
	CHECK_EQ(b.smmus[1].base, 0x200000000ULL);
	CHECK_EQ(b.smmus[1].irq_gerror, 111);
	CHECK_EQ(b.smmus[2].base, 0x300000000ULL);
	CHECK_EQ(b.smmu_over, 0);
	/* guests' SMMU: the one the first iommu-map entry names */
	CHECK(b.smmu.present);
	CHECK_EQ(b.smmu.index, 1);
	CHECK_EQ(b.smmu.base, 0x200000000ULL);
	CHECK_EQ(b.smmu.irq_eventq, 110);
	CHECK_EQ(b.pcie.iommu_map_mask, 0xff);
	/* 01:00.5 = RID 0x105, masked to 0x05: first entry, SMMU 1 */
	CHECK_EQ(board_rid_to_smmu(&b, 0x105, &sid), 1);
	CHECK_EQ(sid, 0x805);
	CHECK_EQ(board_rid_to_sid(&b, 0x105, &sid), 0);
	CHECK_EQ(sid, 0x805);
	/* 00:10.0 = RID 0x80: second entry, behind the other SMMU */
	CHECK_EQ(board_rid_to_smmu(&b, 0x80, &sid), 0);
	CHECK_EQ(sid, 0x80);
	CHECK_EQ(board_rid_to_sid(&b, 0x80, &sid), -ENOENT);
}

static void check_three_cell_values(const struct board *b)
{
	CHECK_EQ(b->timer.phys_ppi, 30);
	CHECK_EQ(b->timer.virt_ppi, 27);
	CHECK_EQ(b->timer.hyp_ppi, 26);
	CHECK_EQ(b->gic.maint_irq, 25);
	CHECK_EQ(b->uart.irq, 1);
	CHECK_EQ(b->smmu.irq_eventq, 74);
	CHECK_EQ(b->smmu.irq_cmdq_sync, 76);
	CHECK_EQ(b->smmu.irq_gerror, 77);
	for (unsigned int i = 0; i < 4; i++)
		CHECK_EQ(b->pcie.intx_spi[i], 3 + i);
}

TEST(interrupts_three_cells)
{
	struct board b;

	parse_ok("board-base.dtb", &b);
	check_three_cell_values(&b);
}

/* tests/host/dts/rk3588-gic4.dts: the same interrupts in four cells */
TEST(interrupts_four_cells_rk3588)
{
	struct board b;

	parse_ok("rk3588-gic4.dtb", &b);
	check_three_cell_values(&b);
}

TEST(cpus_64_on_d05)
{
	struct board b;

	parse_ok("d05-64cpu.dtb", &b);
	CHECK_EQ(b.cpu_count, 64);
	CHECK_EQ(b.cpu_over, 0);
	CHECK_EQ(b.cpu_mpidr[0], 0);
	CHECK_EQ(b.cpu_mpidr[5], 0x101);
	CHECK_EQ(b.cpu_mpidr[63], 0x30303);
}

TEST(cpus_beyond_the_limit_are_counted)
{
	struct board b;

	parse_ok("cpus-over.dtb", &b);
	CHECK_EQ(b.cpu_count, BOARD_MAX_CPUS);
	CHECK_EQ(b.cpu_over, 70 - BOARD_MAX_CPUS);
}

static void check_missing(const char *file, const char *needle)
{
	struct board b;
	const char *missing = NULL;
	void *fdt = load(file);

	REQUIRE(fdt);
	CHECK(board_parse(fdt, &b, &missing) < 0);
	CHECK(missing != NULL);
	if (missing && !strstr(missing, needle)) {
		fprintf(stderr, "  missing = \"%s\", wanted \"%s\"\n", missing, needle);
		test_fail_at(__FILE__, __LINE__, "missing names the node");
	}
	free(fdt);
}

TEST(no_smmu_names_the_smmu)
{
	check_missing("virt-nosmmu.dtb", "arm,smmu-v3");
}

TEST(no_pcie_names_the_host_bridge)
{
	check_missing("virt-nopcie.dtb", "pci-host-ecam-generic");
}

TEST(no_gic_names_the_gic)
{
	check_missing("virt-nogic.dtb", "arm,gic-v3");
}

TEST(no_stdout_names_the_console)
{
	check_missing("virt-nostdout.dtb", "stdout-path");
}

TEST(console_unsupported_or_disabled_names_the_kinds)
{
	check_missing("console-unsupported.dtb", "snps,dw-apb-uart");
	check_missing("console-disabled.dtb", "enabled UART");
}

TEST(ecam_under_one_bus_refused)
{
	check_missing("ecam-small.dtb", "pci-host-ecam-generic");
}

/* trees whose cell counts make entries of no bytes: parsed to an end (a
 * loop over such entries used to never end; alarm() fails the test then) */
TEST(entries_of_no_cells_end)
{
	struct board b;

	alarm(10);
	/* the reserved region has no address: none is taken */
	parse_ok("reg-no-cells.dtb", &b);
	CHECK_EQ(b.reserved_count, 0);
	/* the console's bus cannot be translated: no console */
	check_missing("ranges-no-cells.dtb", "stdout-path");
	alarm(0);
}

/* cell counts the tree gets wrong, too big to multiply: a count above 4
 * (FDT_MAX_NCELLS) is not taken, and a GIC's #redistributor-regions near
 * INT_MAX finds no GICV, rather than reading outside reg */
TEST(huge_cell_counts_read_nothing_outside)
{
	/* the distributor and 4 redistributor regions (all Aerie takes) */
	static const u32 cells[] = {
		0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0x20000, 0, 0x080c0000, 0, 0x20000,
		0, 0x080e0000, 0, 0x20000, 0, 0x08100000, 0, 0x20000,
	};
	fdt32_t regs[ARRAY_SIZE(cells)];
	struct board b;
	const char *missing;
	void *base = load("board-base.dtb");
	char *fdt = malloc(65536);
	int gic;

	REQUIRE(base && fdt);
	for (size_t i = 0; i < ARRAY_SIZE(cells); i++)
		regs[i] = cpu_to_fdt32(cells[i]);
	REQUIRE(fdt_open_into(base, fdt, 65536) == 0);
	gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	REQUIRE(gic >= 0);
	REQUIRE(fdt_setprop(fdt, gic, "reg", regs, sizeof(regs)) == 0);
	REQUIRE(fdt_setprop_u32(fdt, gic, "#redistributor-regions", 0x7ffffffe) == 0);
	CHECK_EQ(board_parse(fdt, &b, &missing), 0);
	CHECK_EQ(b.gic.redist_count, 4);
	CHECK_EQ(b.gic.gicv_base, 0);
	/* the root's #address-cells is not taken: memory is read with 2 */
	REQUIRE(fdt_setprop_u32(fdt, 0, "#address-cells", 0x40000000) == 0);
	CHECK_EQ(board_parse(fdt, &b, &missing), 0);
	CHECK_EQ(b.mem[0].base, 0x40000000);
	free(fdt);
	free(base);
}

TEST(ecam_buses_limited_to_the_window)
{
	struct board b;

	parse_ok("ecam-16bus.dtb", &b);
	CHECK_EQ(b.pcie.bus_start, 0);
	CHECK_EQ(b.pcie.bus_end, 15);
}

TEST(not_a_dtb)
{
	struct board b;
	const char *missing;
	u32 junk[64] = { 0x12345678 };

	CHECK_EQ(board_parse(junk, &b, &missing), -EINVAL);
	CHECK(missing && strstr(missing, "device tree"));
}

/*
 * Debian's arm64 kernel device trees, when someone has unpacked them into
 * $AERIE_DEBIAN_DTBS (default build/debian-dtbs, which make test fills with
 * tests/host/debian-dtbs.sh; not part of the
 * repository):
 *   apt-get download linux-image-<version>-arm64:arm64
 *   dpkg-deb -x linux-image-*.deb x && cp -r x/usr/lib/linux-image-* build/debian-dtbs
 * Without them these tests pass without checking anything (and say so).
 */
static const char *debian_dir(void)
{
	const char *d = getenv("AERIE_DEBIAN_DTBS");
	static bool said;
	DIR *dir;

	d = d ? d : "build/debian-dtbs";
	dir = opendir(d);
	if (dir) {
		closedir(dir);
		return d;
	}
	if (!said)
		fprintf(stderr, "  no Debian DTBs in %s: the Debian tree checks are skipped\n", d);
	said = true;
	return NULL;
}

static void parse_one(void *fdt, size_t size, void *accepted)
{
	struct board b;
	const char *missing;

	if (board_parse(fdt, &b, &missing) == 0)
		(*(unsigned int *)accepted)++;
	else
		CHECK(missing != NULL);
}

/* every tree: no crash, no sanitizer report, a reason whenever refused */
TEST(debian_trees_all_parse)
{
	const char *dir = debian_dir();
	unsigned int accepted = 0, n;

	if (!dir)
		return;
	n = test_each_dtb(dir, parse_one, &accepted);
	fprintf(stderr, "  %u Debian trees parsed, %u accepted\n", n, accepted);
	CHECK(n > 500);
	CHECK(accepted >= 1);
}

static void *debian(const char *name, struct board *b, int *err)
{
	const char *dir = debian_dir(), *missing;
	char path[512];
	void *fdt;

	if (!dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fdt = test_load_file(path, NULL);
	if (fdt)
		*err = board_parse(fdt, b, &missing);
	return fdt;
}

TEST(debian_fvp_base_revc)
{
	struct board b;
	int err = -1;
	void *fdt = debian("arm/fvp-base-revc.dtb", &b, &err);

	if (!fdt)
		return;
	CHECK_EQ(err, 0);
	CHECK_EQ(b.mem_count, 2);
	CHECK_EQ(b.mem[0].base, 0x80000000);
	CHECK_EQ(b.mem[0].size, 0x80000000);
	/* the /memreserve/ and the no-map vram (outside RAM, still listed) */
	REQUIRE(b.reserved_count == 2);
	CHECK_EQ(b.reserved[0].base, 0x80000000);
	CHECK_EQ(b.reserved[0].size, 0x10000);
	CHECK(!b.reserved[0].no_map);
	CHECK_EQ(b.reserved[1].base, 0x18000000);
	CHECK(b.reserved[1].no_map);
	CHECK_EQ(b.cpu_count, 8);
	CHECK_EQ(b.uart.kind, UART_PL011);
	CHECK_EQ(b.uart.base, 0x1c090000);
	/* its interrupt is behind the motherboard's interrupt-map: said so, not
	 * printed as SPI 0 */
	CHECK(!b.uart.irq_known);
	CHECK_EQ(b.timer.virt_ppi, 27);
	CHECK_EQ(b.timer.hyp_ppi, 26);
	CHECK_EQ(b.smmu_count, 1);
	CHECK_EQ(b.smmu.base, 0x2b400000);
	CHECK_EQ(b.smmu.irq_eventq, 74);
	CHECK_EQ(b.smmu.irq_gerror, 79);
	CHECK_EQ(b.pcie.ecam_base, 0x40000000);
	free(fdt);
}

/* TI J721E boards: PCIe is Cadence, not ECAM (refused); the rest is read */
TEST(debian_ti_j721e_beagleboneai64)
{
	struct board b;
	int err = 0;
	void *fdt = debian("ti/k3-j721e-beagleboneai64.dtb", &b, &err);

	if (!fdt)
		return;
	CHECK_EQ(err, -ENODEV);
	CHECK(!b.pcie.present);
	CHECK_EQ(b.mem_count, 2);
	CHECK_EQ(b.reserved_count, 20);
	CHECK_EQ(b.cpu_count, 2);
	CHECK(b.uart.present);
	CHECK_EQ(b.uart.kind, UART_8250);
	CHECK_EQ(b.uart.base, 0x02800000);
	CHECK_EQ(b.uart.reg_shift, 2);
	CHECK_EQ(b.uart.baud, 115200);
	CHECK_EQ(b.timer.virt_ppi, 27);
	CHECK_EQ(b.smmu_count, 1);
	CHECK_EQ(b.smmus[0].base, 0x36600000);
	CHECK_EQ(b.smmus[0].irq_eventq, 772);
	CHECK_EQ(b.smmus[0].irq_gerror, 768);
	free(fdt);
}

/* HiSilicon D05: a disabled SMMU before four enabled ones, 64 CPUs, an
 * SBSA UART; PCIe is HiSilicon's own (refused) */
TEST(debian_hisilicon_d05)
{
	struct board b;
	int err = 0;
	void *fdt = debian("hisilicon/hip07-d05.dtb", &b, &err);

	if (!fdt)
		return;
	CHECK_EQ(err, -ENODEV);
	CHECK(!b.pcie.present);
	CHECK_EQ(b.cpu_count, 64);
	CHECK_EQ(b.cpu_over, 0);
	CHECK_EQ(b.uart.kind, UART_SBSA);
	CHECK_EQ(b.uart.base, 0x602b0000);
	REQUIRE(b.smmu_count == 4);
	CHECK_EQ(b.smmus[0].base, 0xd0040000);
	CHECK_EQ(b.smmus[1].base, 0x8d0040000ULL);
	CHECK_EQ(b.smmus[2].base, 0x400d0040000ULL);
	CHECK_EQ(b.smmus[3].base, 0x408d0040000ULL);
	CHECK_EQ(b.timer.virt_ppi, 27);
	free(fdt);
}

/* Rockchip RK3588 (Radxa ROCK 5B): four-cell GIC specifiers. The tree has
 * no memory node (U-Boot adds it) and its SMMUs disabled (overlays enable
 * them): both are added here, as the firmware would */
TEST(debian_rk3588_rock_5b)
{
	struct board b;
	int err = 0, node;
	void *fdt = debian("rockchip/rk3588-rock-5b.dtb", &b, &err), *big;
	const fdt32_t reg[4] = { cpu_to_fdt32(0), cpu_to_fdt32(0x00200000), cpu_to_fdt32(0),
				 cpu_to_fdt32(0x40000000) };

	if (!fdt)
		return;
	CHECK_EQ(err, -ENODEV); /* no memory node */
	big = malloc(fdt_totalsize(fdt) + 4096);
	REQUIRE(big && fdt_open_into(fdt, big, (int)fdt_totalsize(fdt) + 4096) == 0);
	node = fdt_add_subnode(big, 0, "memory@200000");
	REQUIRE(node >= 0);
	CHECK_EQ(fdt_setprop_string(big, node, "device_type", "memory"), 0);
	CHECK_EQ(fdt_setprop(big, node, "reg", reg, sizeof(reg)), 0);
	node = fdt_path_offset(big, "/iommu@fc900000");
	REQUIRE(node >= 0);
	CHECK_EQ(fdt_setprop_string(big, node, "status", "okay"), 0);
	err = board_parse(big, &b, &(const char *){ NULL });
	CHECK_EQ(err, -ENODEV); /* PCIe is DesignWare, not ECAM */
	CHECK(!b.pcie.present);
	CHECK_EQ(b.cpu_count, 8);
	CHECK_EQ(b.timer.virt_ppi, 27);
	CHECK_EQ(b.timer.hyp_ppi, 26);
	CHECK_EQ(b.timer.phys_ppi, 30);
	CHECK_EQ(b.gic.maint_irq, 25);
	CHECK_EQ(b.uart.kind, UART_8250);
	CHECK_EQ(b.uart.base, 0xfeb50000);
	CHECK_EQ(b.uart.reg_shift, 2);
	CHECK_EQ(b.uart.reg_io_width, 4);
	CHECK_EQ(b.uart.baud, 1500000);
	CHECK_EQ(b.uart.irq, 333);
	REQUIRE(b.smmu_count == 1);
	CHECK_EQ(b.smmus[0].base, 0xfc900000);
	CHECK_EQ(b.smmus[0].irq_eventq, 369);
	CHECK_EQ(b.smmus[0].irq_gerror, 371);
	CHECK_EQ(b.smmus[0].irq_cmdq_sync, 367);
	free(big);
	free(fdt);
}

/* NXP i.MX95: the console is an LPUART (no driver) and the SMMU disabled */
TEST(debian_imx95_19x19_evk)
{
	struct board b;
	int err = 0;
	void *fdt = debian("freescale/imx95-19x19-evk.dtb", &b, &err);

	if (!fdt)
		return;
	CHECK_EQ(err, -ENODEV);
	CHECK(!b.uart.present);
	CHECK_EQ(b.smmu_count, 0);
	CHECK_EQ(b.cpu_count, 6);
	CHECK_EQ(b.timer.virt_ppi, 27);
	CHECK_EQ(b.reserved_dynamic, 1);
	free(fdt);
}

/* virt-4cpu.dtb with a /filler node of `extra` empty properties */
static void *with_props(int extra)
{
	void *src = load("virt-4cpu.dtb"), *fdt;
	int size = 0, node = -1;
	char name[16];

	if (src)
		size = (int)fdt_totalsize(src) + extra * 24 + 4096;
	fdt = src ? malloc((size_t)size) : NULL;
	if (fdt && !fdt_open_into(src, fdt, size))
		node = fdt_add_subnode(fdt, 0, "filler");
	for (int i = 0; node >= 0 && i < extra; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		if (fdt_setprop_empty(fdt, node, name))
			node = -1;
	}
	free(src);
	if (node < 0) {
		free(fdt);
		return NULL;
	}
	return fdt;
}

/* the property table (IX_PROPS 8,192): a tree that fills it is read as
 * before, one more property is refused in words, never half read */
TEST(index_full_of_properties_read_larger_refused)
{
	struct board b, ref;
	const char *missing;
	void *fdt = load("virt-4cpu.dtb"), *big;
	int props = 0, off = 0, next;
	u32 tag;

	REQUIRE(fdt);
	CHECK_EQ(board_parse(fdt, &ref, &missing), 0);
	while ((tag = fdt_next_tag(fdt, off, &next)) != FDT_END) {
		props += tag == FDT_PROP;	/* virt's: all before any subnode */
		off = next;
	}
	big = with_props(8192 - props);
	REQUIRE(big);
	CHECK_EQ(board_parse(big, &b, &missing), 0);
	CHECK(missing == NULL);
	CHECK_EQ(b.smmu.base, ref.smmu.base);
	CHECK_EQ(b.pcie.intx_spi[3], ref.pcie.intx_spi[3]);
	CHECK_EQ(b.uart.base, ref.uart.base);
	free(big);
	big = with_props(8192 - props + 1);
	REQUIRE(big);
	CHECK_EQ(board_parse(big, &b, &missing), -E2BIG);
	CHECK(missing && strstr(missing, "8192 properties"));
	free(big);
	free(fdt);
}

int main(int argc, char **argv) { return test_main(argc, argv); }

/* virt-4cpu.dtb with `extra` empty nodes added under a new /filler, each
 * placed before the GIC, SMMU and host bridge in the blob */
static void *with_filler(int extra)
{
	void *src = load("virt-4cpu.dtb"), *fdt;
	int size, parent;
	char name[16];

	if (!src)
		return NULL;
	size = (int)fdt_totalsize(src) + extra * 32 + 4096;
	fdt = malloc((size_t)size);
	if (!fdt || fdt_open_into(src, fdt, size) || (parent = fdt_add_subnode(fdt, 0, "filler")) < 0) {
		free(src);
		free(fdt);
		return NULL;
	}
	for (int i = 0; i < extra; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		if (fdt_add_subnode(fdt, parent, name) < 0) {
			free(fdt);
			fdt = NULL;
			break;
		}
	}
	free(src);
	return fdt;
}

/* the one-pass index (IX_MAX 1,024 nodes): a tree that fills it is read as
 * before; one that does not fit is refused in words, never half read */
TEST(index_full_tree_read_larger_refused)
{
	struct board b, ref;
	const char *missing;
	void *fdt = load("virt-4cpu.dtb"), *big;
	int nodes = 0, depth = 0;

	REQUIRE(fdt);
	CHECK_EQ(board_parse(fdt, &ref, &missing), 0);
	for (int n = 0; n >= 0 && depth >= 0; n = fdt_next_node(fdt, n, &depth))
		nodes++;
	/* + /filler + (1024 - nodes - 1) children = exactly 1,024 nodes */
	big = with_filler(1024 - nodes - 1);
	REQUIRE(big);
	CHECK_EQ(board_parse(big, &b, &missing), 0);
	CHECK(missing == NULL);
	CHECK_EQ(b.smmu.base, ref.smmu.base);
	CHECK_EQ(b.gic.maint_irq, ref.gic.maint_irq);
	CHECK_EQ(b.pcie.intx_spi[3], ref.pcie.intx_spi[3]);
	CHECK_EQ(b.uart.base, ref.uart.base);
	CHECK_EQ(b.timer.virt_ppi, ref.timer.virt_ppi);
	CHECK_EQ(b.cpu_count, ref.cpu_count);
	free(big);
	big = with_filler(1024 - nodes);
	REQUIRE(big);
	CHECK_EQ(board_parse(big, &b, &missing), -E2BIG);
	CHECK(missing && strstr(missing, "1024 nodes"));
	free(big);
	free(fdt);
}
