/* SPDX-License-Identifier: MIT */
/*
 * A guest that discovers its machine the way Linux would: from the device
 * tree in x0 (a tiny parser of the structure block, no libfdt), then from
 * the emulated ECAM window it describes. It must see its RAM, its one vCPU,
 * exactly one PCI function (its edu, at the virtual BDF LIST_DEVICES
 * reports) and all-ones everywhere else, though the machine has a second
 * edu. BAR0 sizing gives the 1 MiB mask, writing another address does not
 * move the BAR, the Command register keeps I/O space off, and the device
 * still answers at the address the DTB's `ranges` give for its BAR.
 * Returns 0 (then start.S powers off) only if every check passed.
 */
#include <aerie/edu.h>
#include "../lib/aerie_guest.h"
#include "../lib/guest_mmio.h"

/* what tests/qemu/probe_package.conf's package gives this guest */
#define EXPECT_RAM_BASE		0x40000000ULL
#define EXPECT_RAM_SIZE		0x1000000ULL
#define EXPECT_CPUS		1
#define EXPECT_FDT_MAX		0x10000ULL	/* the DTB: the last 64 KiB of RAM */
#define EDU_BAR0_SIZE		0x100000ULL
#define EDU_ID_VALUE		0x010000edU

/* flattened device tree (devicetree specification, chapter 5) */
#define FDT_MAGIC		0xd00dfeedU
#define FDT_OFF_STRUCT		8
#define FDT_OFF_STRINGS		12
#define FDT_SIZE_STRUCT		36
#define FDT_BEGIN_NODE		1
#define FDT_END_NODE		2
#define FDT_PROP		3
#define FDT_NOP			4
#define FDT_END			9
#define MAX_RANGES		8
#define RANGE_CELLS		7	/* PCI address (3), CPU address (2), size (2) */
#define MAX_IMAP		4
#define IMAP_CELLS		8	/* PCI address (3), pin, GIC phandle, GIC specifier (3) */
#define IMAP_DEV_SHIFT		11	/* phys.hi: bus 23:16, device 15:11 */
#define GIC_SPI			0
#define GIC_LEVEL_HIGH		4
#define GIC_EDGE_RISING		1
#define INTID_SPI_BASE		32
#define VGIC_INTIDS		256	/* GICD_TYPER of Aerie's vGIC */

/* PCI configuration space */
#define ECAM_DEV_SHIFT		15
#define ECAM_FN_SHIFT		12
#define PCI_SLOTS		32
#define PCI_FNS			8
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define   PCI_COMMAND_BITS	0xffffU	/* Command; Status above */
#define   PCI_COMMAND_IO	0x1
#define   PCI_COMMAND_MEMORY	0x2
#define   PCI_COMMAND_MASTER	0x4
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_BAR1		0x14
#define PCI_ROM_ADDRESS		0x30
#define PCI_INTERRUPT_PIN	0x3d
#define PCI_BAR_FLAGS		0xfU
#define ALL_ONES32		0xffffffffU
#define BAR_MOVED_TO		0x20000000U	/* an address the guest must not get */
#define LIVENESS_PATTERN	0x5a5aa5a5U

struct probe {
	uint64_t ram_base, ram_size, ecam, ecam_size;
	int cpus, pcie_compatible, stdout_ok;
	uint32_t ranges[MAX_RANGES][RANGE_CELLS];
	int nranges;
	uint32_t imap[MAX_IMAP][IMAP_CELLS], imap_mask[4];
	int nimap;
	uint32_t gic_phandle, hyp_irq[3];
	int hyp_compatible;
};

static struct aerie_iommu_device_info devs[4];
static int failures;

static void check(int ok, const char *what)
{
	g_puts(ok ? "ok: " : "FAILED: ");
	g_puts(what);
	g_puts("\n");
	if (!ok)
		failures++;
}

/* ---- the device tree ---------------------------------------------------------------- */

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* one property of the node `node` (at `depth`) */
static void fdt_prop(struct probe *p, const char *node, const char *parent, int depth,
		     const char *name, const uint8_t *val, uint32_t len)
{
	if (depth == 1 && starts_with(node, "memory@") && str_eq(name, "reg") && len == 16) {
		p->ram_base = be64(val);
		p->ram_size = be64(val + 8);
	}
	if (depth == 2 && str_eq(parent, "cpus") && starts_with(node, "cpu@") &&
	    str_eq(name, "device_type") && str_eq((const char *)val, "cpu"))
		p->cpus++;
	if (depth == 1 && starts_with(node, "pcie@")) {
		if (str_eq(name, "reg") && len == 16) {
			p->ecam = be64(val);
			p->ecam_size = be64(val + 8);
		}
		if (str_eq(name, "compatible") && str_eq((const char *)val, "pci-host-ecam-generic"))
			p->pcie_compatible = 1;
		if (str_eq(name, "interrupt-map"))
			for (uint32_t off = 0; off + 4 * IMAP_CELLS <= len && p->nimap < MAX_IMAP;
			     off += 4 * IMAP_CELLS, p->nimap++)
				for (int c = 0; c < IMAP_CELLS; c++)
					p->imap[p->nimap][c] = be32(val + off + 4 * c);
		if (str_eq(name, "interrupt-map-mask") && len == 16)
			for (int c = 0; c < 4; c++)
				p->imap_mask[c] = be32(val + 4 * c);
		if (str_eq(name, "ranges"))
			for (uint32_t off = 0; off + 4 * RANGE_CELLS <= len && p->nranges < MAX_RANGES;
			     off += 4 * RANGE_CELLS, p->nranges++)
				for (int c = 0; c < RANGE_CELLS; c++)
					p->ranges[p->nranges][c] = be32(val + off + 4 * c);
	}
	if (depth == 1 && starts_with(node, "intc@") && str_eq(name, "phandle") && len == 4)
		p->gic_phandle = be32(val);
	if (depth == 1 && str_eq(node, "hypervisor")) {
		if (str_eq(name, "compatible"))
			p->hyp_compatible = str_eq((const char *)val, "aerie,hypervisor");
		if (str_eq(name, "interrupts") && len == 12)
			for (int c = 0; c < 3; c++)
				p->hyp_irq[c] = be32(val + 4 * c);
	}
	if (depth == 1 && str_eq(node, "chosen") && str_eq(name, "stdout-path"))
		p->stdout_ok = str_eq((const char *)val, "/pl011@9000000");
}

static int fdt_walk(uint64_t dtb, struct probe *p)
{
	const uint8_t *fdt = (const uint8_t *)(uintptr_t)dtb;
	const uint8_t *s, *end;
	const char *strings, *names[4] = { "", "", "", "" };
	int depth = -1;

	if (be32(fdt) != FDT_MAGIC)
		return -1;
	s = fdt + be32(fdt + FDT_OFF_STRUCT);
	end = s + be32(fdt + FDT_SIZE_STRUCT);
	strings = (const char *)fdt + be32(fdt + FDT_OFF_STRINGS);
	while (s < end) {
		uint32_t tok = be32(s);

		s += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			depth++;
			if (depth < 4)
				names[depth] = (const char *)s;
			s += (str_len((const char *)s) + 4) & ~(size_t)3;
			break;
		case FDT_END_NODE:
			depth--;
			break;
		case FDT_PROP: {
			uint32_t len = be32(s), nameoff = be32(s + 4);

			if (depth >= 0 && depth < 4)
				fdt_prop(p, names[depth], depth ? names[depth - 1] : "", depth,
					 strings + nameoff, s + 8, len);
			s += 8 + ((len + 3) & ~3U);
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			return depth == -1 ? 0 : -1;
		default:
			return -1;
		}
	}
	return -1;
}

/* the CPU address of PCI bus address `bus` through the host bridge's ranges */
static uint64_t pci_to_cpu(const struct probe *p, uint64_t bus)
{
	for (int i = 0; i < p->nranges; i++) {
		uint64_t child = (uint64_t)p->ranges[i][1] << 32 | p->ranges[i][2];
		uint64_t parent = (uint64_t)p->ranges[i][3] << 32 | p->ranges[i][4];
		uint64_t size = (uint64_t)p->ranges[i][5] << 32 | p->ranges[i][6];

		if (bus >= child && bus - child < size)
			return parent + (bus - child);
	}
	return 0;
}

static uint64_t cfg(const struct probe *p, unsigned int dev, unsigned int fn, unsigned int reg)
{
	return p->ecam + ((uint64_t)dev << ECAM_DEV_SHIFT) + ((uint64_t)fn << ECAM_FN_SHIFT) + reg;
}

/* ---- the checks ---------------------------------------------------------------------- */

static void check_dtb(uint64_t dtb, struct probe *p)
{
	check(dtb == EXPECT_RAM_BASE + EXPECT_RAM_SIZE - EXPECT_FDT_MAX,
	      "x0 points at the last 64 KiB of RAM");
	check(fdt_walk(dtb, p) == 0, "the DTB has the magic and a well-formed structure block");
	check(p->ram_base == EXPECT_RAM_BASE && p->ram_size == EXPECT_RAM_SIZE,
	      "/memory is my 16 MiB at 0x40000000");
	check(p->cpus == EXPECT_CPUS, "/cpus has my one vCPU");
	check(p->stdout_ok, "/chosen stdout-path names the PL011");
	check(p->pcie_compatible && p->ecam && p->ecam_size >= (1ULL << 20),
	      "a pci-host-ecam-generic node with a bus-0 ECAM window");
	check(p->nranges == 1, "its ranges: exactly my one memory BAR");
	check(p->hyp_compatible && p->hyp_irq[0] == GIC_SPI &&
	      p->hyp_irq[1] + INTID_SPI_BASE == AERIE_VEVENTQ_INTID && p->hyp_irq[2] == GIC_EDGE_RISING,
	      "/hypervisor names Aerie's event interrupt, an edge SPI");
	g_puts("ECAM at ");
	g_putx(p->ecam);
	g_puts("\n");
}

/* returns the slot of the one function found, -1 if not exactly one */
static int scan(const struct probe *p)
{
	int found = -1, n = 0;

	for (unsigned int dev = 0; dev < PCI_SLOTS; dev++)
		for (unsigned int fn = 0; fn < PCI_FNS; fn++) {
			uint32_t id = mmio_rd32(cfg(p, dev, fn, PCI_VENDOR_ID));

			if (id == ALL_ONES32)
				continue;
			g_puts("found ");
			g_putx(id);
			g_puts(" at slot ");
			g_putd(dev);
			g_puts(" function ");
			g_putd(fn);
			g_puts("\n");
			if (id == ((uint32_t)EDU_DEVICE << 16 | EDU_VENDOR) && fn == 0)
				found = (int)dev;
			n++;
		}
	return n == 1 ? found : -1;
}

static void check_config(const struct probe *p, unsigned int dev, uint64_t x1)
{
	uint64_t bar0 = cfg(p, dev, 0, PCI_BAR0);
	uint32_t orig = mmio_rd32(bar0), cmd, pin;
	uint64_t cpu = pci_to_cpu(p, orig & ~PCI_BAR_FLAGS);
	volatile uint32_t *regs;

	check(mmio_rd16(cfg(p, dev, 0, PCI_VENDOR_ID)) == EDU_VENDOR &&
	      mmio_rd16(cfg(p, dev, 0, PCI_DEVICE_ID)) == EDU_DEVICE,
	      "16-bit reads: vendor 0x1234, device 0x11e8");
	check(mmio_rd8(cfg(p, dev, 0, PCI_HEADER_TYPE)) == 0, "8-bit read: header type 0");
	check(mmio_rd64(cfg(p, dev, 0, PCI_VENDOR_ID)) == ~0ULL,
	      "an 8-byte access reads all-ones (and the guest lives on)");

	cmd = mmio_rd32(cfg(p, dev, 0, PCI_COMMAND)) & PCI_COMMAND_BITS;
	mmio_wr32(cfg(p, dev, 0, PCI_COMMAND),
		 cmd | PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	cmd = mmio_rd32(cfg(p, dev, 0, PCI_COMMAND));
	check(!(cmd & PCI_COMMAND_IO) && (cmd & PCI_COMMAND_MEMORY) && (cmd & PCI_COMMAND_MASTER),
	      "Command: memory and bus master stick, I/O space does not");

	check(cpu && cpu == x1, "BAR0 translated through ranges is where Aerie mapped it");
	mmio_wr32(bar0, ALL_ONES32);
	check(mmio_rd32(bar0) == ((uint32_t)~(EDU_BAR0_SIZE - 1) | (orig & PCI_BAR_FLAGS)),
	      "BAR0 sizing reads the 1 MiB mask");
	mmio_wr32(bar0, orig);
	check(mmio_rd32(bar0) == orig, "restoring BAR0 reads its address again");
	mmio_wr32(bar0, BAR_MOVED_TO);
	check(mmio_rd32(bar0) == orig, "writing another address does not move BAR0");
	mmio_wr32(cfg(p, dev, 0, PCI_BAR1), ALL_ONES32);
	check(mmio_rd32(cfg(p, dev, 0, PCI_BAR1)) == 0, "BAR1 is not implemented");
	check(mmio_rd32(cfg(p, dev, 0, PCI_ROM_ADDRESS)) == 0, "no expansion ROM");
	pin = mmio_rd8(cfg(p, dev, 0, PCI_INTERRUPT_PIN));
	check(pin >= 1 && pin <= 4 && p->nimap == 1 && p->imap_mask[0] == 0xf800 &&
	      p->imap_mask[3] == 7 && p->imap[0][0] == dev << IMAP_DEV_SHIFT &&
	      p->imap[0][3] == pin && p->imap[0][4] == p->gic_phandle &&
	      p->imap[0][5] == GIC_SPI && p->imap[0][6] + INTID_SPI_BASE < VGIC_INTIDS &&
	      p->imap[0][7] == GIC_LEVEL_HIGH,
	      "interrupt-map: my slot and its Interrupt Pin -> a level SPI of my GIC");
	g_puts("INTx: pin ");
	g_putd(pin);
	g_puts(" -> SPI ");
	g_putd(p->imap[0][6]);
	g_puts("\n");

	regs = (volatile uint32_t *)(uintptr_t)cpu;
	check(cpu && regs[EDU_REG_ID / 4] == EDU_ID_VALUE,
	      "the edu still answers at its real BAR: ID 0x010000ed");
	if (cpu) {
		regs[EDU_REG_LIVENESS / 4] = LIVENESS_PATTERN;
		check(regs[EDU_REG_LIVENESS / 4] == ~LIVENESS_PATTERN, "edu liveness register");
	}
}

int guest_main(uint64_t x1, uint64_t dtb)
{
	struct aerie_iommu_list_devices list = { sizeof(list), 4, (uint64_t)(uintptr_t)devs };
	struct probe p = { 0 };
	int slot;

	g_puts("probe: DTB at ");
	g_putx(dtb);
	g_puts("\n");
	check_dtb(dtb, &p);
	if (failures || !p.ecam)
		return 1;
	slot = scan(&p);
	check(slot >= 0, "the ECAM shows exactly one function: my edu");
	if (slot < 0)
		return 1;
	check(aerie_iommu(AERIE_CMD_LIST_DEVICES, &list) == 0 && list.num_devices == 1 &&
	      devs[0].vbdf == ((uint32_t)slot << 3),
	      "LIST_DEVICES reports the same virtual BDF");
	check_config(&p, (unsigned int)slot, x1);
	if (failures)
		return 1;
	g_puts("probe: all checks passed\n");
	return 0;
}
