/* SPDX-License-Identifier: MIT */
/*
 * The guest's device tree (vmm/guest_fdt.c), read back with libfdt: RAM,
 * vCPUs, PSCI, GIC, timer, console, and a host bridge whose ranges are
 * exactly the guest's memory BARs; Aerie's own node names the vEVENTQ
 * interrupt; every buffer too small is refused cleanly; the install puts it
 * in the last 64 KiB of RAM.
 */
#include <libfdt.h>
#include <aerie/errno.h>
#include <aerie/guest.h>
#include <aerie/guest_fdt.h>
#include <aerie/pa.h>
#include <uapi/aerie/iommu.h>
#include "hostenv.h"
#include "pci_cfg_model.h"
#include "test.h"

#define MIB (1ULL << 20)
#define BAR_PA 0x10000000ULL
#define BAR64_PA 0x8000000000ULL
#define BUF_SIZE 0x10000

static struct guest g;
static u8 buf[BUF_SIZE] __attribute__((aligned(8)));	/* the writer needs 4 */

static void setup(unsigned int nvcpus, bool with_devices)
{
	memset(&g, 0, sizeof(g));
	g.ram_size = 32 * MIB;
	g.nvcpus = nvcpus;
	model_reset();
	if (with_devices) {
		struct model_fn *edu = model_add(PCI_BDF(0, 1, 0), 0x1234, 0x11e8, 0x00ff00);
		struct model_fn *nic = model_add(PCI_BDF(1, 0, 0), 0x8086, 0x10d3, 0x020000);

		model_bar(edu, 0, BAR_PA, BAR_PA, MIB, false, false);
		/* a bus address that differs from the CPU address */
		model_bar(nic, 0, 0x200000, BAR_PA + 2 * MIB, 0x20000, false, false);
		model_bar(nic, 2, BAR64_PA, BAR64_PA, 0x4000, true, true);
		model_io_bar(nic, 4, 0x20);
		/* INTA on SPI 4; INTB on the SPI that is Aerie's event interrupt */
		edu->dev.intx_pin = 1;
		edu->dev.intx_spi = 4;
		nic->dev.intx_pin = 2;
		nic->dev.intx_spi = AERIE_VEVENTQ_SPI;
		g.devs[0] = &edu->dev;
		g.devs[1] = &nic->dev;
		g.vpci[0].vbdf = PCI_BDF(0, 1, 0);
		g.vpci[1].vbdf = PCI_BDF(0, 2, 0);
		g.ndevs = 2;
	}
}

static u64 cells64(const fdt32_t *p)
{
	return (u64)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
}

static const fdt32_t *getprop(const void *fdt, const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(fdt, path);

	if (node < 0) {
		fprintf(stderr, "  no node %s\n", path);
		return NULL;
	}
	return fdt_getprop(fdt, node, name, len);
}

TEST(describes_ram_cpus_psci_gic_timer_console)
{
	const fdt32_t *p;
	const char *s;
	int len, node, n = 0;

	setup(2, false);
	REQUIRE(guest_fdt_build(&g, buf, sizeof(buf)) == 0);
	CHECK_EQ(fdt_check_header(buf), 0);
	CHECK(fdt_totalsize(buf) < 4096);
	p = getprop(buf, "/memory@40000000", "reg", &len);
	REQUIRE(p && len == 16);
	CHECK_EQ(cells64(p), GUEST_RAM_IPA);
	CHECK_EQ(cells64(p + 2), 32 * MIB);
	s = (const char *)getprop(buf, "/memory@40000000", "device_type", &len);
	CHECK(s && !strcmp(s, "memory"));
	fdt_for_each_subnode(node, buf, fdt_path_offset(buf, "/cpus")) {
		p = fdt_getprop(buf, node, "reg", &len);
		CHECK(p && len == 4 && fdt32_to_cpu(*p) == (u32)n);
		CHECK(!fdt_node_check_compatible(buf, node, "arm,armv8"));
		s = fdt_getprop(buf, node, "enable-method", NULL);
		CHECK(s && !strcmp(s, "psci"));
		n++;
	}
	CHECK_EQ(n, 2);
	node = fdt_path_offset(buf, "/psci");
	CHECK(!fdt_node_check_compatible(buf, node, "arm,psci-1.0"));
	s = fdt_getprop(buf, node, "method", NULL);
	CHECK(s && !strcmp(s, "hvc"));
	node = fdt_node_offset_by_compatible(buf, -1, "arm,gic-v3");
	REQUIRE(node >= 0);
	CHECK(fdt_getprop(buf, node, "interrupt-controller", NULL));
	p = fdt_getprop(buf, node, "reg", &len);
	REQUIRE(p && len == 32);
	CHECK_EQ(cells64(p), GUEST_GICD_IPA);
	CHECK_EQ(cells64(p + 2), GUEST_GICD_SIZE);
	CHECK_EQ(cells64(p + 4), GUEST_GICR_IPA);
	CHECK_EQ(cells64(p + 6), 2 * GUEST_GICR_STRIDE);
	CHECK_EQ(fdt_get_phandle(buf, node), 1);
	p = getprop(buf, "/", "interrupt-parent", &len);
	CHECK(p && fdt32_to_cpu(*p) == 1);
	p = getprop(buf, "/timer", "interrupts", &len);
	REQUIRE(p && len == 48);
	CHECK_EQ(fdt32_to_cpu(p[1]), 13);
	CHECK_EQ(fdt32_to_cpu(p[4]), 14);
	CHECK_EQ(fdt32_to_cpu(p[7]), 11);
	CHECK_EQ(fdt32_to_cpu(p[10]), 10);
	s = (const char *)getprop(buf, "/chosen", "stdout-path", NULL);
	REQUIRE(s);
	node = fdt_path_offset(buf, s);
	CHECK(node >= 0 && !fdt_node_check_compatible(buf, node, "arm,pl011"));
	p = fdt_getprop(buf, node, "reg", &len);
	CHECK(p && len == 16 && cells64(p) == GUEST_UART_IPA);
	/* no devices: no host bridge */
	CHECK(fdt_node_offset_by_compatible(buf, -1, "pci-host-ecam-generic") < 0);
	/* Aerie: its ABI version and the vEVENTQ notification, an edge SPI */
	node = fdt_node_offset_by_compatible(buf, -1, "aerie,hypervisor");
	REQUIRE(node >= 0);
	p = fdt_getprop(buf, node, "aerie,abi-version", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == AERIE_ABI_VERSION);
	p = fdt_getprop(buf, node, "interrupts", &len);
	REQUIRE(p && len == 12);
	CHECK_EQ(fdt32_to_cpu(p[0]), 0);			/* GIC_SPI */
	CHECK_EQ(fdt32_to_cpu(p[1]) + 32, AERIE_VEVENTQ_INTID);
	CHECK_EQ(fdt32_to_cpu(p[2]), 1);			/* edge, rising */
	s = fdt_getprop(buf, node, "interrupt-names", NULL);
	CHECK(s && !strcmp(s, "veventq"));
	/* no bootargs unless the package gives some */
	CHECK(!getprop(buf, "/chosen", "bootargs", NULL));
	g.bootargs = "console=ttyAMA0 rdinit=/init";
	REQUIRE(guest_fdt_build(&g, buf, sizeof(buf)) == 0);
	s = (const char *)getprop(buf, "/chosen", "bootargs", &len);
	CHECK(s && len == sizeof("console=ttyAMA0 rdinit=/init") &&
	      !strcmp(s, "console=ttyAMA0 rdinit=/init"));
	/* console = "none": no PL011 node, no stdout-path */
	g.no_console = true;
	REQUIRE(guest_fdt_build(&g, buf, sizeof(buf)) == 0);
	CHECK(fdt_node_offset_by_compatible(buf, -1, "arm,pl011") < 0);
	CHECK(!getprop(buf, "/chosen", "stdout-path", NULL));
	g.no_console = false;
	/* an initrd: where it is, for Linux */
	CHECK(!getprop(buf, "/chosen", "linux,initrd-start", NULL));
	g.initrd_ipa = GUEST_RAM_IPA + 0x1f00000;
	g.initrd_size = 0x12345;
	REQUIRE(guest_fdt_build(&g, buf, sizeof(buf)) == 0);
	p = getprop(buf, "/chosen", "linux,initrd-start", &len);
	CHECK(p && len == 8 && cells64(p) == GUEST_RAM_IPA + 0x1f00000);
	p = getprop(buf, "/chosen", "linux,initrd-end", &len);
	CHECK(p && len == 8 && cells64(p) == GUEST_RAM_IPA + 0x1f00000 + 0x12345);
}

/* the DTB of a 1-vCPU guest with the edu and the nic: its host bridge node */
static int bridge_with_two_devices(void)
{
	setup(1, true);
	if (guest_fdt_build(&g, buf, sizeof(buf)))
		return -1;
	return fdt_node_offset_by_compatible(buf, -1, "pci-host-ecam-generic");
}

TEST(the_host_bridge_ranges_are_exactly_the_memory_bars)
{
	const fdt32_t *p;
	int node, len;

	node = bridge_with_two_devices();
	REQUIRE(node >= 0);
	CHECK(!strcmp(fdt_get_name(buf, node, NULL), "pcie@3f000000"));
	p = fdt_getprop(buf, node, "reg", &len);
	REQUIRE(p && len == 16);
	CHECK_EQ(cells64(p), GUEST_ECAM_IPA);
	CHECK_EQ(cells64(p + 2), GUEST_ECAM_SIZE);
	p = fdt_getprop(buf, node, "bus-range", &len);
	CHECK(p && len == 8 && !p[0] && !p[1]);
	p = fdt_getprop(buf, node, "ranges", &len);
	REQUIRE(p && len == 3 * 7 * 4);
	/* edu BAR0: 32-bit memory, bus = CPU address */
	CHECK_EQ(fdt32_to_cpu(p[0]), 0x02000000);
	CHECK_EQ(cells64(p + 1), BAR_PA);
	CHECK_EQ(cells64(p + 3), BAR_PA);
	CHECK_EQ(cells64(p + 5), MIB);
	/* nic BAR0: bus address 0x200000 at CPU 0x10200000 */
	CHECK_EQ(fdt32_to_cpu(p[7]), 0x02000000);
	CHECK_EQ(cells64(p + 8), 0x200000);
	CHECK_EQ(cells64(p + 10), BAR_PA + 2 * MIB);
	CHECK_EQ(cells64(p + 12), 0x20000);
	/* nic BAR2: 64-bit prefetchable; its I/O BAR is not there */
	CHECK_EQ(fdt32_to_cpu(p[14]), 0x43000000);
	CHECK_EQ(cells64(p + 15), BAR64_PA);
	CHECK_EQ(cells64(p + 17), BAR64_PA);
	CHECK_EQ(cells64(p + 19), 0x4000);
	p = getprop(buf, "/chosen", "linux,pci-probe-only", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == 1);
}

TEST(the_interrupt_map_routes_each_forwarded_intx)
{
	const fdt32_t *p;
	int node, len;

	node = bridge_with_two_devices();
	REQUIRE(node >= 0);
	p = fdt_getprop(buf, node, "#interrupt-cells", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(*p) == 1);
	p = fdt_getprop(buf, node, "interrupt-map-mask", &len);
	REQUIRE(p && len == 16);
	CHECK_EQ(fdt32_to_cpu(p[0]), 0xf800);
	CHECK_EQ(fdt32_to_cpu(p[3]), 7);
	/* only the edu: the nic's INTx would land on the event interrupt */
	p = fdt_getprop(buf, node, "interrupt-map", &len);
	REQUIRE(p && len == 8 * 4);
	CHECK_EQ(fdt32_to_cpu(p[0]), 1 << 11);		/* slot 1 */
	CHECK_EQ(fdt32_to_cpu(p[1]) | fdt32_to_cpu(p[2]), 0);
	CHECK_EQ(fdt32_to_cpu(p[3]), 1);			/* INTA */
	CHECK_EQ(fdt32_to_cpu(p[4]), 1);			/* the GIC's phandle */
	CHECK_EQ(fdt32_to_cpu(p[5]), 0);			/* GIC_SPI */
	CHECK_EQ(fdt32_to_cpu(p[6]), 4);
	CHECK_EQ(fdt32_to_cpu(p[7]), 4);			/* level, high */
}

/* each property name once in the strings block, each one used */
static bool names_once(const void *fdt)
{
	const char *strs = (const char *)fdt + fdt_off_dt_strings(fdt);
	u32 size = fdt_size_dt_strings(fdt), used = 0;
	int off = 0, next;

	for (u32 a = 0; a < size; a += (u32)strlen(strs + a) + 1)
		for (u32 b = a + (u32)strlen(strs + a) + 1; b < size; b += (u32)strlen(strs + b) + 1)
			if (!strcmp(strs + a, strs + b))
				return false;
	for (u32 tag; (tag = fdt_next_tag(fdt, off, &next)) != FDT_END; off = next)
		if (tag == FDT_PROP) {
			const struct fdt_property *p = fdt_offset_ptr(fdt, off, sizeof(*p));
			u32 end = fdt32_to_cpu(p->nameoff) + (u32)strlen(strs + fdt32_to_cpu(p->nameoff)) + 1;

			used = end > used ? end : used;
		}
	return used == size;
}

/* every shape of guest: a tree libfdt's full check accepts, names shared */
TEST(every_tree_is_whole_and_valid)
{
	for (int shape = 0; shape < 6; shape++) {
		setup(shape % 3 + 1, shape >= 2);
		g.iommu_mode = shape >= 4 ? GUEST_IOMMU_VSMMU : g.iommu_mode;
		g.no_console = shape == 3;
		if (shape == 5) {
			g.bootargs = "console=ttyAMA0 rdinit=/init";
			g.initrd_ipa = GUEST_RAM_IPA + 0x1f00000;
			g.initrd_size = 0x12345;
		}
		REQUIRE(guest_fdt_build(&g, buf, sizeof(buf)) == 0);
		CHECK_EQ(fdt_check_full(buf, sizeof(buf)), 0);
		CHECK_EQ(fdt_check_full(buf, fdt_totalsize(buf)), 0);
		CHECK_EQ(fdt_version(buf), 17);
		CHECK_EQ(fdt_num_mem_rsv(buf), 0);
		CHECK(names_once(buf));
	}
	/* a buffer that is not 4-aligned is refused, not written */
	CHECK_EQ(guest_fdt_build(&g, buf + 1, sizeof(buf) - 1), -EINVAL);
}

TEST(every_too_small_buffer_is_enospc)
{
	u32 need;

	setup(4, true);
	REQUIRE(guest_fdt_build(&g, buf, sizeof(buf)) == 0);
	need = fdt_totalsize(buf);
	for (u32 size = 0; size < need; size++)
		CHECK_EQ(guest_fdt_build(&g, buf, size), -ENOSPC);
	CHECK_EQ(guest_fdt_build(&g, buf, need), 0);
	CHECK_EQ(fdt_check_header(buf), 0);
}

TEST(install_puts_it_in_the_last_64k_of_ram)
{
	void *fdt;

	setup(1, true);
	g.ram_pa = hostenv_ram_alloc(g.ram_size, 2 * MIB);
	REQUIRE(g.ram_pa);
	CHECK_EQ(guest_fdt_install(&g, g.ram_size - GUEST_FDT_MAX + 1), -ENOSPC);
	CHECK_EQ(g.boot_x0, 0);
	CHECK_EQ(guest_fdt_install(&g, g.ram_size - GUEST_FDT_MAX), 0);
	CHECK_EQ(g.boot_x0, GUEST_RAM_IPA + g.ram_size - GUEST_FDT_MAX);
	fdt = phys_to_virt(g.ram_pa + g.ram_size - GUEST_FDT_MAX);
	CHECK_EQ(fdt_check_header(fdt), 0);
	CHECK(fdt_path_offset(fdt, "/memory@40000000") >= 0);
	g.ram_size = GUEST_FDT_MAX - 4096;
	g.boot_x0 = 0;
	CHECK_EQ(guest_fdt_install(&g, 0), -ENOSPC);
	CHECK_EQ(g.boot_x0, 0);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}

/* iommu = "vsmmu": the node Linux's arm-smmu-v3 binds to, and the host
 * bridge's iommu-map to it; without it, neither */
TEST(a_vsmmu_guest_has_an_smmu_node_and_an_iommu_map)
{
	const fdt32_t *p;
	const char *s;
	int len, node;
	u32 phandle;

	setup(1, true);
	REQUIRE(guest_fdt_build(&g, buf, sizeof(buf)) == 0);
	CHECK(fdt_path_offset(buf, "/iommu@9050000") < 0);
	CHECK(!getprop(buf, "/pcie@3f000000", "iommu-map", &len));
	g.iommu_mode = GUEST_IOMMU_VSMMU;
	REQUIRE(guest_fdt_build(&g, buf, sizeof(buf)) == 0);
	node = fdt_path_offset(buf, "/iommu@9050000");
	REQUIRE(node >= 0);
	CHECK_EQ(fdt_node_check_compatible(buf, node, "arm,smmu-v3"), 0);
	p = fdt_getprop(buf, node, "reg", &len);
	REQUIRE(p && len == 16);
	CHECK_EQ(cells64(p), GUEST_VSMMU_IPA);
	CHECK_EQ(cells64(p + 2), 0x20000);	/* page 0 and page 1 */
	p = fdt_getprop(buf, node, "#iommu-cells", &len);
	REQUIRE(p && len == 4);
	CHECK_EQ(fdt32_to_cpu(*p), 1);
	CHECK(fdt_getprop(buf, node, "dma-coherent", &len) != NULL);
	CHECK(fdt_getprop(buf, node, "msi-parent", &len) == NULL);
	s = fdt_getprop(buf, node, "interrupt-names", &len);
	REQUIRE(s && len == (int)sizeof("eventq\0gerror"));
	CHECK(!memcmp(s, "eventq\0gerror", sizeof("eventq\0gerror")));
	p = fdt_getprop(buf, node, "interrupts", &len);
	REQUIRE(p && len == 24);
	CHECK_EQ(fdt32_to_cpu(p[1]), GUEST_VSMMU_EVTQ_SPI);
	CHECK_EQ(fdt32_to_cpu(p[4]), GUEST_VSMMU_GERROR_SPI);
	phandle = fdt_get_phandle(buf, node);
	CHECK(phandle != 0);
	/* every RequesterID of bus 0 is the StreamID of the same value */
	p = getprop(buf, "/pcie@3f000000", "iommu-map", &len);
	REQUIRE(p && len == 16);
	CHECK_EQ(fdt32_to_cpu(p[0]), 0);
	CHECK_EQ(fdt32_to_cpu(p[1]), phandle);
	CHECK_EQ(fdt32_to_cpu(p[2]), 0);
	CHECK_EQ(fdt32_to_cpu(p[3]), 0x100);
}
