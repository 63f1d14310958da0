/* SPDX-License-Identifier: MIT */
/*
 * The guest's device tree, written in one pass by a small sequential writer
 * (libfdt's headers give the format's constants; its fdt_sw looks every
 * property name up in the whole strings block, byte by byte, which was most
 * of the cost of writing the tree). What it holds and where it goes:
 * docs/guests.md.
 */
#include <libfdt.h>
#include <aerie/bits.h>
#include <aerie/errno.h>
#include <aerie/guest.h>
#include <aerie/guest_fdt.h>
#include <aerie/log.h>
#include <aerie/pa.h>
#include <aerie/pci.h>
#include <aerie/string.h>
#include <aerie/vpci.h>
#include <aerie/vsmmu.h>
#include <uapi/aerie/iommu.h>
#ifndef HOST_TEST
#include <aerie/sysreg.h>
#endif

#define ROOT_ADDR_CELLS		2
#define ROOT_SIZE_CELLS		2
#define CPU_ADDR_CELLS		1	/* cpu@N: reg = MPIDR Aff0 */
#define PCI_ADDR_CELLS		3
#define GIC_INTR_CELLS		3
#define PHANDLE_GIC		1
#define PHANDLE_APB_CLK		2
#define PHANDLE_VSMMU		3
#define VSMMU_IOMMU_CELLS	1	/* the StreamID */
#define VSMMU_RIDS		0x100	/* bus 0: StreamID = RequesterID */
/* interrupt specifiers of arm,gic-v3: type, number, flags */
#define GIC_SPI			0
#define GIC_PPI			1
#define IRQ_TYPE_EDGE_RISING	1
#define IRQ_TYPE_LEVEL_HIGH	4
/* arm,armv8-timer, in the binding's order */
#define PPI_TIMER_SECURE	13
#define PPI_TIMER_NONSECURE	14
#define PPI_TIMER_VIRT		11
#define PPI_TIMER_HYP		10
#define APB_CLOCK_HZ		24000000
/* the emulated PL011 answers no ID registers: the binding's override */
#define PL011_PERIPHID		0x00041011
/* first cell of a PCI address in `ranges` (IEEE 1275 PCI binding) */
#define OF_PCI_SPACE		GENMASK(25, 24)
#define OF_PCI_SPACE_MEM32	2
#define OF_PCI_SPACE_MEM64	3
#define OF_PCI_PREFETCH		BIT(30)
#define PCI_BARS		6
#define RANGE_CELLS		(PCI_ADDR_CELLS + ROOT_ADDR_CELLS + ROOT_SIZE_CELLS)
#define MAX_RANGES		(GUEST_MAX_DEVS * PCI_BARS)
/* interrupt-map (PCI binding): child unit address (3 cells) + pin, then the
 * GIC's phandle and specifier (its #address-cells is 0) */
#define PCI_INTR_CELLS		1
#define IMAP_MASK_DEV		0xf800		/* phys.hi: the device number */
#define IMAP_MASK_PIN		7
#define IMAP_CELLS		(PCI_ADDR_CELLS + PCI_INTR_CELLS + 1 + GIC_INTR_CELLS)
#define INTID_SPI_BASE		32
#define NODE_NAME_MAX		32
#define FDTW_NAMES		48	/* distinct property names (about 35 here) */
/* the header, then the empty memory reservation map (one zero entry) */
#define FDTW_RSVMAP		sizeof(struct fdt_header)
#define FDTW_STRUCT		(FDTW_RSVMAP + sizeof(struct fdt_reserve_entry))

/*
 * A sequential writer of a version-17 tree straight into buf (4-aligned):
 * the structure block grows from FDTW_STRUCT; property names are kept as
 * pointers with their offsets in the strings block (each name once) and
 * copied after the structure block by fdtw_finish. It remembers its first
 * error: -ENOSPC when buf is too small (the tree needs exactly what
 * fdt_totalsize then says), -EINVAL for more than FDTW_NAMES names.
 */
struct fdtw {
	u8 *buf;
	u32 size, off;		/* off: the end of the structure block so far */
	int err;
	unsigned int nnames;
	u32 strsize;
	const char *name[FDTW_NAMES];
	u32 nameoff[FDTW_NAMES];
};

static void st32(u8 *p, u32 v)
{
	*(fdt32_t *)p = cpu_to_fdt32(v);
}

/* n more bytes of the structure block, its padding to 4 bytes zeroed */
static u8 *grab(struct fdtw *w, u32 n)
{
	u32 padded = ALIGN_UP(n, FDT_TAGSIZE);
	u8 *p;

	if (w->err)
		return NULL;
	if (padded < n || padded > w->size - w->off) {
		w->err = -ENOSPC;
		return NULL;
	}
	p = w->buf + w->off;
	st32(p + padded - FDT_TAGSIZE, 0);
	w->off += padded;
	return p;
}

/* where `name` is in the strings block, adding it the first time */
static u32 name_offset(struct fdtw *w, const char *name)
{
	unsigned int k;

	for (k = 0; k < w->nnames; k++)
		if (w->name[k][0] == name[0] && !strcmp(w->name[k], name))
			return w->nameoff[k];
	if (k == FDTW_NAMES) {
		w->err = -EINVAL;
		return 0;
	}
	w->name[k] = name;
	w->nameoff[k] = w->strsize;
	w->strsize += (u32)strlen(name) + 1;
	w->nnames++;
	return w->nameoff[k];
}

static void begin(struct fdtw *w, const char *name)
{
	u32 n = (u32)strlen(name) + 1;
	u8 *p = grab(w, FDT_TAGSIZE + n);

	if (p) {
		st32(p, FDT_BEGIN_NODE);
		memcpy(p + FDT_TAGSIZE, name, n);
	}
}

static void end(struct fdtw *w)
{
	u8 *p = grab(w, FDT_TAGSIZE);

	if (p)
		st32(p, FDT_END_NODE);
}

static void prop(struct fdtw *w, const char *name, const void *val, int len)
{
	u32 nameoff = name_offset(w, name);
	u8 *p = grab(w, (u32)(sizeof(struct fdt_property) + len));

	if (p) {
		st32(p, FDT_PROP);
		st32(p + 4, (u32)len);
		st32(p + 8, nameoff);
		if (len)	/* an empty property may have no value pointer */
			memcpy(p + sizeof(struct fdt_property), val, (size_t)len);
	}
}

static void fdtw_start(struct fdtw *w, void *buf, u32 size)
{
	*w = (struct fdtw){ .buf = buf, .size = size, .off = FDTW_STRUCT };
	if ((uintptr_t)buf % FDT_TAGSIZE)
		w->err = -EINVAL;
	else if (size < FDTW_STRUCT)
		w->err = -ENOSPC;
	else
		memset(w->buf + FDTW_RSVMAP, 0, sizeof(struct fdt_reserve_entry));
}

/* the FDT_END tag, the strings block after the structure block, the header */
static int fdtw_finish(struct fdtw *w)
{
	struct fdt_header *h = (struct fdt_header *)w->buf;
	u8 *p = grab(w, FDT_TAGSIZE);
	u32 strings = w->off;

	if (!p)
		return w->err;
	st32(p, FDT_END);
	if (w->strsize > w->size - strings)
		return -ENOSPC;
	for (unsigned int k = 0; k < w->nnames; k++)
		memcpy(w->buf + strings + w->nameoff[k], w->name[k], strlen(w->name[k]) + 1);
	h->magic = cpu_to_fdt32(FDT_MAGIC);
	h->totalsize = cpu_to_fdt32(strings + w->strsize);
	h->off_dt_struct = cpu_to_fdt32(FDTW_STRUCT);
	h->off_dt_strings = cpu_to_fdt32(strings);
	h->off_mem_rsvmap = cpu_to_fdt32(FDTW_RSVMAP);
	h->version = cpu_to_fdt32(17);
	h->last_comp_version = cpu_to_fdt32(16);
	h->boot_cpuid_phys = 0;
	h->size_dt_strings = cpu_to_fdt32(w->strsize);
	h->size_dt_struct = cpu_to_fdt32(strings - FDTW_STRUCT);
	return 0;
}

static void prop_str(struct fdtw *w, const char *name, const char *s)
{
	prop(w, name, s, (int)strlen(s) + 1);
}

static void prop_u32(struct fdtw *w, const char *name, u32 v)
{
	fdt32_t c = cpu_to_fdt32(v);

	prop(w, name, &c, sizeof(c));
}

static void prop_cells(struct fdtw *w, const char *name, const u32 *cells, unsigned int n)
{
	fdt32_t be[MAX_RANGES * RANGE_CELLS];

	if (n > ARRAY_SIZE(be)) {
		w->err = -EINVAL;
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	prop(w, name, be, (int)(n * sizeof(be[0])));
}

/* append a 64-bit value as two cells */
static unsigned int put64(u32 *cells, unsigned int n, u64 v)
{
	cells[n] = (u32)(v >> 32);
	cells[n + 1] = (u32)v;
	return n + 2;
}

static void reg_node(struct fdtw *w, u64 base, u64 size)
{
	u32 c[ROOT_ADDR_CELLS + ROOT_SIZE_CELLS];

	put64(c, put64(c, 0, base), size);
	prop_cells(w, "reg", c, ARRAY_SIZE(c));
}

static void node_at(char *buf, const char *what, u64 addr)
{
	snprintf(buf, NODE_NAME_MAX, "%s@%llx", what, (unsigned long long)addr);
}

static void cpus(struct fdtw *w, const struct guest *g)
{
	char name[NODE_NAME_MAX];

	begin(w, "cpus");
	prop_u32(w, "#address-cells", CPU_ADDR_CELLS);
	prop_u32(w, "#size-cells", 0);
	for (unsigned int i = 0; i < g->nvcpus; i++) {
		node_at(name, "cpu", i);
		begin(w, name);
		prop_str(w, "device_type", "cpu");
		prop_str(w, "compatible", "arm,armv8");
		prop_u32(w, "reg", i);
		prop_str(w, "enable-method", "psci");
		end(w);
	}
	end(w);
	begin(w, "psci");
	prop(w, "compatible", "arm,psci-1.0\0arm,psci-0.2", sizeof("arm,psci-1.0\0arm,psci-0.2"));
	prop_str(w, "method", "hvc");
	end(w);
}

static void gic_and_timer(struct fdtw *w, const struct guest *g)
{
	char name[NODE_NAME_MAX];
	u32 reg[2 * (ROOT_ADDR_CELLS + ROOT_SIZE_CELLS)], n;
	const u32 timer[] = {
		GIC_PPI, PPI_TIMER_SECURE, IRQ_TYPE_LEVEL_HIGH,
		GIC_PPI, PPI_TIMER_NONSECURE, IRQ_TYPE_LEVEL_HIGH,
		GIC_PPI, PPI_TIMER_VIRT, IRQ_TYPE_LEVEL_HIGH,
		GIC_PPI, PPI_TIMER_HYP, IRQ_TYPE_LEVEL_HIGH,
	};

	node_at(name, "intc", GUEST_GICD_IPA);
	begin(w, name);
	prop_str(w, "compatible", "arm,gic-v3");
	prop_u32(w, "#interrupt-cells", GIC_INTR_CELLS);
	prop_u32(w, "#address-cells", 0);	/* no children, no interrupt-map use */
	prop(w, "interrupt-controller", NULL, 0);
	n = put64(reg, 0, GUEST_GICD_IPA);
	n = put64(reg, n, GUEST_GICD_SIZE);
	n = put64(reg, n, GUEST_GICR_IPA);
	n = put64(reg, n, GUEST_GICR_STRIDE * g->nvcpus);
	prop_cells(w, "reg", reg, n);
	prop_u32(w, "phandle", PHANDLE_GIC);
	end(w);
	begin(w, "timer");
	prop_str(w, "compatible", "arm,armv8-timer");
	prop_cells(w, "interrupts", timer, ARRAY_SIZE(timer));
	end(w);
}

static void console(struct fdtw *w, char *uart_name)
{
	const u32 irq[] = { GIC_SPI, GUEST_UART_SPI, IRQ_TYPE_LEVEL_HIGH };
	const u32 clocks[] = { PHANDLE_APB_CLK, PHANDLE_APB_CLK };

	begin(w, "apb-pclk");
	prop_str(w, "compatible", "fixed-clock");
	prop_u32(w, "#clock-cells", 0);
	prop_u32(w, "clock-frequency", APB_CLOCK_HZ);
	prop_str(w, "clock-output-names", "clk24mhz");
	prop_u32(w, "phandle", PHANDLE_APB_CLK);
	end(w);
	node_at(uart_name, "pl011", GUEST_UART_IPA);
	begin(w, uart_name);
	prop(w, "compatible", "arm,pl011\0arm,primecell", sizeof("arm,pl011\0arm,primecell"));
	reg_node(w, GUEST_UART_IPA, GUEST_UART_SIZE);
	prop_cells(w, "interrupts", irq, ARRAY_SIZE(irq));
	prop_cells(w, "clocks", clocks, ARRAY_SIZE(clocks));
	prop(w, "clock-names", "uartclk\0apb_pclk", sizeof("uartclk\0apb_pclk"));
	prop_u32(w, "arm,primecell-periphid", PL011_PERIPHID);
	end(w);
}

/* Aerie itself, as Xen's "hypervisor" node: its ABI and the interrupt that
 * says records are waiting in the guest's vEVENTQ rings */
static void hypervisor(struct fdtw *w)
{
	const u32 irq[] = { GIC_SPI, AERIE_VEVENTQ_SPI, IRQ_TYPE_EDGE_RISING };

	begin(w, "hypervisor");
	prop_str(w, "compatible", "aerie,hypervisor");
	prop_u32(w, "aerie,abi-version", AERIE_ABI_VERSION);
	prop_cells(w, "interrupts", irq, ARRAY_SIZE(irq));
	prop_str(w, "interrupt-names", "veventq");
	end(w);
}

/* iommu = "vsmmu": the virtual SMMUv3 (vmm/vsmmu*.c), wired interrupts
 * only (no ITS: no msi-parent), coherent as the physical SMMU must be for
 * nesting (and VFIO refuses a device behind a non-coherent IOMMU). Its
 * interrupts are one-shot injections (edges, in effect), described as
 * level-high because the emulated distributor keeps every SPI's ICFGR at
 * level (vmm/vgic_dist.c) and a driver that asks for edge reads that back
 * and gives up on the interrupt; a level interrupt nobody holds up is
 * handled once, like an edge. */
static void vsmmu_node(struct fdtw *w)
{
	char name[NODE_NAME_MAX];
	const u32 irq[] = { GIC_SPI, GUEST_VSMMU_EVTQ_SPI, IRQ_TYPE_LEVEL_HIGH,
			    GIC_SPI, GUEST_VSMMU_GERROR_SPI, IRQ_TYPE_LEVEL_HIGH };

	node_at(name, "iommu", GUEST_VSMMU_IPA);
	begin(w, name);
	prop_str(w, "compatible", "arm,smmu-v3");
	reg_node(w, GUEST_VSMMU_IPA, VSMMU_MMIO_SIZE);
	prop_cells(w, "interrupts", irq, ARRAY_SIZE(irq));
	prop(w, "interrupt-names", "eventq\0gerror", sizeof("eventq\0gerror"));
	prop(w, "dma-coherent", NULL, 0);
	prop_u32(w, "#iommu-cells", VSMMU_IOMMU_CELLS);
	prop_u32(w, "phandle", PHANDLE_VSMMU);
	end(w);
}

/* one `ranges` entry per memory BAR of the guest's devices: PCI bus
 * address -> CPU address (= IPA: BARs are mapped at their PA) */
static unsigned int pci_ranges(const struct guest *g, u32 *cells)
{
	unsigned int n = 0;

	for (unsigned int d = 0; d < g->ndevs; d++) {
		const struct pci_dev *pd = g->devs[d];

		for (int i = 0; i < PCI_BARS; i++) {
			const struct pci_bar *b = &pd->bar[i];
			u64 bus = vpci_bar_bus_addr(pd, i);
			u32 space = b->is64 ? OF_PCI_SPACE_MEM64 : OF_PCI_SPACE_MEM32;

			if (!bus || n + RANGE_CELLS > MAX_RANGES * RANGE_CELLS)
				continue;
			cells[n++] = (u32)FIELD_PREP(OF_PCI_SPACE, space) |
				     (b->prefetch ? (u32)OF_PCI_PREFETCH : 0);
			n = put64(cells, n, bus);
			n = put64(cells, n, b->pa);
			n = put64(cells, n, b->size);
		}
	}
	return n;
}

/* one interrupt-map entry per device with an INTx Aerie forwards: its
 * virtual slot and pin -> the SPI it is injected as (= the physical one) */
static unsigned int intx_map(const struct guest *g, u32 *cells)
{
	unsigned int n = 0;

	for (unsigned int d = 0; d < g->ndevs; d++) {
		const struct pci_dev *pd = g->devs[d];
		u32 intid = pd->intx_spi + INTID_SPI_BASE;

		if (!pd->intx_pin || !pd->intx_spi || intid >= VGIC_NR_IRQS ||
		    intid == AERIE_VEVENTQ_INTID)
			continue;	/* not forwarded (arch/vgic.c) */
		cells[n++] = (g->vpci[d].vbdf << 8) & IMAP_MASK_DEV;
		cells[n++] = 0;
		cells[n++] = 0;
		cells[n++] = pd->intx_pin;
		cells[n++] = PHANDLE_GIC;
		cells[n++] = GIC_SPI;
		cells[n++] = pd->intx_spi;
		cells[n++] = IRQ_TYPE_LEVEL_HIGH;
	}
	return n;
}

static void pcie(struct fdtw *w, const struct guest *g)
{
	char name[NODE_NAME_MAX];
	u32 ranges[MAX_RANGES * RANGE_CELLS], imap[GUEST_MAX_DEVS * IMAP_CELLS];
	const u32 bus_range[] = { 0, 0 };
	const u32 imap_mask[] = { IMAP_MASK_DEV, 0, 0, IMAP_MASK_PIN };
	unsigned int n = pci_ranges(g, ranges), ni = intx_map(g, imap);

	node_at(name, "pcie", GUEST_ECAM_IPA);
	begin(w, name);
	prop_str(w, "compatible", "pci-host-ecam-generic");
	prop_str(w, "device_type", "pci");
	prop_u32(w, "#address-cells", PCI_ADDR_CELLS);
	prop_u32(w, "#size-cells", ROOT_SIZE_CELLS);
	reg_node(w, GUEST_ECAM_IPA, GUEST_ECAM_SIZE);
	prop_cells(w, "bus-range", bus_range, ARRAY_SIZE(bus_range));
	prop_u32(w, "linux,pci-domain", 0);
	prop(w, "dma-coherent", NULL, 0);
	if (n)
		prop_cells(w, "ranges", ranges, n);
	prop_u32(w, "#interrupt-cells", PCI_INTR_CELLS);
	if (ni) {
		prop_cells(w, "interrupt-map-mask", imap_mask, ARRAY_SIZE(imap_mask));
		prop_cells(w, "interrupt-map", imap, ni);
	}
	if (g->iommu_mode == GUEST_IOMMU_VSMMU) {
		/* rid-base, the vSMMU, StreamID base, length */
		const u32 imap_iommu[] = { 0, PHANDLE_VSMMU, 0, VSMMU_RIDS };

		prop_cells(w, "iommu-map", imap_iommu, ARRAY_SIZE(imap_iommu));
	}
	end(w);
}

int guest_fdt_build(const struct guest *g, void *buf, u32 size)
{
	struct fdtw w;
	char name[NODE_NAME_MAX + 1], uart[NODE_NAME_MAX];

	if (size > INT32_MAX)
		return -EINVAL;
	fdtw_start(&w, buf, size);
	begin(&w, "");
	prop_str(&w, "compatible", "aerie,guest");
	prop_str(&w, "model", "Aerie guest");
	prop_u32(&w, "#address-cells", ROOT_ADDR_CELLS);
	prop_u32(&w, "#size-cells", ROOT_SIZE_CELLS);
	prop_u32(&w, "interrupt-parent", PHANDLE_GIC);
	node_at(name, "memory", GUEST_RAM_IPA);
	begin(&w, name);
	prop_str(&w, "device_type", "memory");
	reg_node(&w, GUEST_RAM_IPA, g->ram_size);
	end(&w);
	cpus(&w, g);
	gic_and_timer(&w, g);
	if (!g->no_console)
		console(&w, uart);
	hypervisor(&w);
	/* no devices, no host bridge (its window still reads all-ones) */
	if (g->ndevs && g->iommu_mode == GUEST_IOMMU_VSMMU)
		vsmmu_node(&w);
	if (g->ndevs)
		pcie(&w, g);
	begin(&w, "chosen");
	if (!g->no_console) {
		snprintf(name, sizeof(name), "/%s", uart);
		prop_str(&w, "stdout-path", name);
	}
	if (g->bootargs)
		prop_str(&w, "bootargs", g->bootargs);
	if (g->initrd_size) {
		u32 c[2];

		prop_cells(&w, "linux,initrd-start", c, put64(c, 0, g->initrd_ipa));
		prop_cells(&w, "linux,initrd-end", c,
			   put64(c, 0, g->initrd_ipa + g->initrd_size));
	}
	/* the BARs are where they are: the guest must not reassign them */
	prop_u32(&w, "linux,pci-probe-only", 1);
	end(&w);
	end(&w);
	return fdtw_finish(&w);
}

#ifndef HOST_TEST
#define CTR_DMINLINE GENMASK(19, 16)	/* log2(words) of the smallest D-line */
#define CACHE_WORD 4

/* to the point of coherency: the guest may read it with its caches off */
static void dcache_clean(paddr_t pa, u64 len)
{
	u64 line = (u64)CACHE_WORD << FIELD_GET(CTR_DMINLINE, read_sysreg(ctr_el0));

	for (u64 a = pa & ~(line - 1); a < pa + len; a += line)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	dsb(sy);
}
#else
static void dcache_clean(paddr_t pa, u64 len)
{
	(void)pa;
	(void)len;
}
#endif

int guest_fdt_install(struct guest *g, u64 image_size)
{
	u64 off;
	void *va;
	int err;

	if (g->ram_size < GUEST_FDT_MAX || image_size > g->ram_size - GUEST_FDT_MAX)
		return -ENOSPC;
	off = g->ram_size - GUEST_FDT_MAX;
	va = phys_to_virt(g->ram_pa + off);
	err = guest_fdt_build(g, va, GUEST_FDT_MAX);
	if (err) {
		memset(va, 0, GUEST_FDT_MAX);
		return err;
	}
	dcache_clean(g->ram_pa + off, fdt_totalsize(va));
	g->boot_x0 = GUEST_RAM_IPA + off;
	return 0;
}
