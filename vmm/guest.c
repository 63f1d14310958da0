/* SPDX-License-Identifier: MIT */
/*
 * Guests: creation (RAM, stage 2, VMID, IOMMU context), vCPUs, device
 * assignment and teardown. Running them is vmm/guest_run.c.
 */
#include <aerie/arch.h>
#include <aerie/bits.h>
#include <aerie/errno.h>
#include <aerie/guest.h>
#include <aerie/log.h>
#include <aerie/mem.h>
#include <aerie/pa.h>
#include <aerie/percpu.h>
#include <aerie/smmu.h>
#include <aerie/string.h>
#include <aerie/sysreg.h>
#include <aerie/vgic.h>
#include <aerie/vsmmu.h>
#include <uapi/aerie/iommu.h>

/* the arm64 Image header (Linux's Documentation/arch/arm64/booting.rst) */
#define IMAGE_HDR_SIZE		64
#define IMAGE_TEXT_OFFSET	8	/* u64 */
#define IMAGE_SIZE		16	/* u64: effective size, BSS included */
#define IMAGE_MAGIC_OFF		56	/* u32 */
#define IMAGE_MAGIC		0x644d5241u	/* "ARM\x64" */

static u16 next_vmid = 1;
static spinlock_t vmid_lock = SPINLOCK_INIT;

static u64 le64_at(const u8 *p)
{
	u64 v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

u64 guest_image_extent(const void *image, u64 len)
{
	const u8 *p = image;
	u64 text, size;

	if (len < IMAGE_HDR_SIZE || (u32)le64_at(p + IMAGE_MAGIC_OFF) != IMAGE_MAGIC)
		return len;
	text = le64_at(p + IMAGE_TEXT_OFFSET);
	size = le64_at(p + IMAGE_SIZE);
	/* a header that claims the impossible counts as no header */
	if (text > (1ULL << 40) || size > (1ULL << 40) || text + size < len)
		return len;
	return text + size;
}

/* records landed in one of the guest's vEVENTQ rings: its notification SPI,
 * to vCPU 0 like every SPI (docs/hypercall-abi.md, "vEVENTQ") */
static void veventq_notify(void *arg)
{
	struct guest *g = arg;

	vgic_inject(&g->vcpus[0], AERIE_VEVENTQ_INTID);
}

int guest_create(struct guest *g, const char *name, const void *image, u64 image_size,
		 u64 ram_size)
{
	int err;

	memset(g, 0, sizeof(*g));
	for (unsigned int i = 0; i < sizeof(g->name) - 1 && name[i]; i++)
		g->name[i] = name[i];
	if (image_size > ram_size)
		return -EINVAL;
	g->ram_size = ram_size;
	g->ram_pa = mem_carve(ram_size, 2ULL << 20);
	if (!g->ram_pa)
		return -ENOMEM;
	memcpy(phys_to_virt(g->ram_pa), image, image_size);
	g->mem.region[0].ipa = GUEST_RAM_IPA;
	g->mem.region[0].pa = g->ram_pa;
	g->mem.region[0].size = ram_size;
	g->mem.count = 1;
	spin_lock(&vmid_lock);
	g->vmid = next_vmid++;
	spin_unlock(&vmid_lock);
	err = pgtable_init(&g->s2, 40, 40);
	if (!err)
		err = pgtable_map(&g->s2, GUEST_RAM_IPA, ram_size, g->ram_pa, PT_R | PT_W | PT_X,
				  PT_ATTR_NORMAL, NULL);
	if (!err) {
		g->iommu = iommu_ctx_create(hyp_smmu(), &g->mem, g->vmid);
		if (!g->iommu)
			err = -ENOMEM;
		else
			iommu_ctx_set_notify(g->iommu, veventq_notify, g);
	}
	if (!err)
		err = guest_set_vcpus(g, 1, this_cpu()->cpu_id);
	if (err) {
		guest_destroy(g);
		return err;
	}
	g->state = GUEST_RUNNING;
	/* make the image visible to a guest that starts with caches off */
	for (u64 a = g->ram_pa; a < g->ram_pa + ALIGN_UP(image_size, 64); a += 64)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	dsb(sy);
	return 0;
}

int guest_load_initrd(struct guest *g, const void *data, u64 len, u64 reserved)
{
	u64 off;

	if (!len || g->ram_size < GUEST_FDT_MAX + len)
		return -ENOSPC;
	off = ALIGN_DOWN(g->ram_size - GUEST_FDT_MAX - len, PAGE_SIZE);
	if (off < reserved)
		return -ENOSPC;
	memcpy(phys_to_virt(g->ram_pa + off), data, len);
	/* a guest that reads it with its caches off sees it */
	for (u64 a = ALIGN_DOWN(g->ram_pa + off, 64); a < g->ram_pa + off + len; a += 64)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	dsb(sy);
	g->initrd_ipa = GUEST_RAM_IPA + off;
	g->initrd_size = len;
	return 0;
}

int guest_set_vcpus(struct guest *g, unsigned int nvcpus, unsigned int pcpu_base)
{
	if (!nvcpus || nvcpus > GUEST_MAX_VCPUS || pcpu_base + nvcpus > MAX_CPUS)
		return -EINVAL;
	g->nvcpus = nvcpus;
	for (unsigned int i = 0; i < nvcpus; i++) {
		struct guest_vcpu *gv = &g->vcpus[i];

		gv->g = g;
		gv->idx = i;
		gv->pcpu = pcpu_base + i;
		gv->power = VCPU_OFF;
	}
	return 0;
}

/*
 * Only an endpoint whose DMA Aerie isolates can be given away. A guest's
 * IOMMU context (iommu/core.c) lives on one SMMU, the one board.smmu names
 * (the host bridge's iommu-map): a device behind another SMMU is refused,
 * so a guest never has devices on two SMMUs.
 */
static int guest_pci_assignable(const struct guest *g, const struct pci_dev *d)
{
	const char *why = NULL;

	if (d->bridge)
		why = "it is a PCI bridge (bridges stay with Aerie: assign the devices behind it)";
	else if (!d->sid_valid && d->smmu_base)
		why = "it sits behind another SMMUv3 than the one guests' DMA goes through";
	else if (!d->sid_valid)
		why = "it has no StreamID (not in the host bridge's iommu-map)";
	if (!why)
		return 0;
	pr_err("[%s] %02x:%02x.%u (%04x:%04x) cannot be assigned: %s\n", g->name,
	       PCI_BUS(d->bdf), PCI_DEV(d->bdf), PCI_FN(d->bdf), d->vendor, d->device, why);
	return -EINVAL;
}

int guest_assign_pci(struct guest *g, struct pci_dev *d, u32 vsid)
{
	int err, vbdf;

	if (g->ndevs == ARRAY_SIZE(g->devs))
		return -ENOSPC;
	err = guest_pci_assignable(g, d);
	if (err)
		return err;
	/* where its config space appears in the guest's ECAM (vmm/vpci.c) */
	vbdf = vpci_choose_vbdf(g, d);
	if (vbdf < 0)
		return vbdf;
	for (int i = 0; i < 6; i++) {
		if (!d->bar[i].pa || !d->bar[i].size)
			continue;
		/* whole pages are mapped: only a BAR alone on its pages (as
		 * drivers/pci_ecam.c places them) can be given away */
		if (!IS_ALIGNED(d->bar[i].pa, PAGE_SIZE)) {
			pr_err("[%s] %02x:%02x.%u BAR%d at 0x%llx is not page-aligned: it may "
			       "share a page with another device\n", g->name, PCI_BUS(d->bdf),
			       PCI_DEV(d->bdf), PCI_FN(d->bdf), i, (unsigned long long)d->bar[i].pa);
			return -EINVAL;
		}
		err = pgtable_map(&g->s2, d->bar[i].pa, ALIGN_UP(d->bar[i].size, PAGE_SIZE),
				  d->bar[i].pa, PT_R | PT_W, PT_ATTR_DEVICE, NULL);
		if (err)
			return err;
	}
	err = iommu_ctx_add_device(g->iommu, d->sid, (u32)vbdf, vsid);
	if (err < 0)
		return err;
	/* iommu = "stage2": DMA to its RAM from the start, before it masters */
	if (g->iommu_mode == GUEST_IOMMU_STAGE2)
		err = iommu_ctx_attach_stage2(g->iommu, (u32)err);
	if (err < 0)
		return err;
	g->vpci[g->ndevs] = (struct vpci_dev){ .vbdf = (u32)vbdf };
	g->devs[g->ndevs++] = d;
	pci_enable(d, true);
	return 0;
}

static void vsmmu_irq(void *arg, u32 intid)
{
	struct guest *g = arg;

	vgic_inject(&g->vcpus[0], intid);
}

int guest_vsmmu_create(struct guest *g)
{
	const struct vsmmu_params p = {
		.ctx = g->iommu, .mem = &g->mem, .base = GUEST_VSMMU_IPA,
		.evtq_intid = GUEST_VSMMU_EVTQ_SPI + 32, .gerror_intid = GUEST_VSMMU_GERROR_SPI + 32,
		.irq = vsmmu_irq, .irq_arg = g,
	};

	return vsmmu_create(&g->vsmmu, &p);
}

void guest_destroy(struct guest *g)
{
	/* devices stop mastering; their streams go back to abort below */
	for (unsigned int i = 0; i < g->ndevs; i++)
		pci_enable(g->devs[i], false);
	g->ndevs = 0;
	vsmmu_destroy(g->vsmmu);
	g->vsmmu = NULL;
	if (g->iommu)
		iommu_ctx_destroy(g->iommu);
	g->iommu = NULL;
	if (g->s2.root) {
		pgtable_destroy(&g->s2);
		/* no CPU keeps this VMID's translations */
		__asm__ volatile("dsb ishst\n tlbi alle1is\n dsb ish\n isb" ::: "memory");
	}
	if (g->ram_pa)
		mem_uncarve(g->ram_pa, g->ram_size); /* mem_carve zeroes it for the next owner */
	g->ram_pa = 0;
}
