/* SPDX-License-Identifier: MIT */
/*
 * Guest configuration: a device tree passed as the initrd (the "guest
 * package", docs/guests.md), so a board user configures guests without
 * rebuilding Aerie:
 *
 *   / { compatible = "aerie,guest-package";
 *       guests { NAME { image = /incbin/("guest.bin");
 *                       ram-size = <0x0 0x1000000>;
 *                       cpus = <1>;                   // optional: vCPUs (default 1)
 *                       pci-devices = <0x0008>;      // bus << 8 | dev << 3 | fn
 *                       vsids = <0x8>; };            // optional: the guest's StreamIDs
 *       }; };
 *
 * Everything is validated before any guest runs: a missing image, a RAM size
 * that is not a multiple of 2 MiB or does not fit, a bad vCPU count, an
 * unknown device or one assigned twice is refused with a message naming the
 * guest.
 *
 * With enough CPUs, all guests run at once, each vCPU on a physical CPU of
 * its own (CPUs 1, 2, ... in package order) while the boot CPU watches the
 * SMMU; on a single CPU they run one after another on the boot CPU. When all
 * have ended, every page and every byte of RAM they used must be back.
 */
#include <libfdt.h>
#include <aerie/arch.h>
#include <aerie/errno.h>
#include <aerie/guest.h>
#include <aerie/guest_fdt.h>
#include <aerie/log.h>
#include <aerie/mem.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/percpu.h>
#include <aerie/smmu.h>
#include <aerie/string.h>
#include <aerie/sysreg.h>

#define MAX_GUESTS 4
#define MAX_DEVS GUEST_MAX_DEVS
#define MAX_BOOTARGS 1024	/* with its NUL; Linux/arm64 takes 2048 */

struct guest_cfg {
	const char *name;
	const void *image;
	int image_len;
	u64 ram_size;
	u32 ncpus;
	const char *bootargs;	/* NULL: none */
	bool no_console;
	u32 iommu_mode;		/* enum guest_iommu */
	const void *initrd;	/* NULL: none */
	int initrd_len;
	u32 bdf[MAX_DEVS], vsid[MAX_DEVS];
	int ndev;
};

static struct guest guests[MAX_GUESTS];

static int parse(const void *fdt, struct guest_cfg *cfg, int *n)
{
	int root = fdt_path_offset(fdt, "/guests"), node, len;
	const char *s;

	*n = 0;
	if (fdt_magic(fdt) != FDT_MAGIC) {
		/* not a device tree at all (U-Boot's qfw boot passes the image
		 * itself as a ramdisk): no guests, not an error */
		pr_warn("guests: the initrd is not a device tree: no guests to run\n");
		return -ENOENT;
	}
	if (fdt_check_header(fdt) || fdt_node_check_compatible(fdt, 0, "aerie,guest-package")) {
		pr_err("guests: the initrd is not an Aerie guest package\n");
		return -EINVAL;
	}
	if (root < 0) {
		pr_err("guests: the package has no /guests node\n");
		return -EINVAL;
	}
	fdt_for_each_subnode(node, fdt, root) {
		struct guest_cfg *c = &cfg[*n];
		const fdt32_t *p;

		if (*n == MAX_GUESTS) {
			pr_err("guests: more than %d guests\n", MAX_GUESTS);
			return -EINVAL;
		}
		memset(c, 0, sizeof(*c));
		c->name = fdt_get_name(fdt, node, NULL);
		c->image = fdt_getprop(fdt, node, "image", &c->image_len);
		if (!c->image || c->image_len <= 0) {
			pr_err("guests: %s: no image\n", c->name);
			return -EINVAL;
		}
		p = fdt_getprop(fdt, node, "ram-size", &len);
		if (!p || len != 8) {
			pr_err("guests: %s: ram-size must be two cells\n", c->name);
			return -EINVAL;
		}
		c->ram_size = (u64)fdt32_ld(&p[0]) << 32 | fdt32_ld(&p[1]);
		if (!c->ram_size || c->ram_size & ((2ULL << 20) - 1) ||
		    c->ram_size < guest_image_extent(c->image, (u64)c->image_len)) {
			pr_err("guests: %s: ram-size 0x%llx must be a multiple of 2 MiB and hold "
			       "the image\n", c->name, (unsigned long long)c->ram_size);
			return -EINVAL;
		}
		c->ncpus = 1;
		p = fdt_getprop(fdt, node, "cpus", &len);
		if (p && (len != 4 || !fdt32_ld(p) || fdt32_ld(p) > GUEST_MAX_VCPUS)) {
			pr_err("guests: %s: cpus must be one cell, 1..%d\n", c->name,
			       GUEST_MAX_VCPUS);
			return -EINVAL;
		}
		if (p)
			c->ncpus = fdt32_ld(p);
		c->bootargs = fdt_getprop(fdt, node, "bootargs", &len);
		if (c->bootargs && (len < 1 || len > MAX_BOOTARGS || c->bootargs[len - 1] ||
				    strlen(c->bootargs) != (size_t)len - 1)) {
			pr_err("guests: %s: bootargs must be one string of up to %d bytes\n",
			       c->name, MAX_BOOTARGS - 1);
			return -EINVAL;
		}
		s = fdt_getprop(fdt, node, "console", &len);
		if (s && (len < 1 || s[len - 1] || (strcmp(s, "pl011") && strcmp(s, "none")))) {
			pr_err("guests: %s: console must be \"pl011\" (the default) or \"none\"\n",
			       c->name);
			return -EINVAL;
		}
		c->no_console = s && !strcmp(s, "none");
		/* iommu = "hypercall" (the default here) or "vsmmu" */
		s = fdt_getprop(fdt, node, "iommu", &len);
		c->iommu_mode = GUEST_IOMMU_HYPERCALL;
		if (s && len > 0 && !s[len - 1] && !strcmp(s, "vsmmu"))
			c->iommu_mode = GUEST_IOMMU_VSMMU;
		else if (s && (len < 1 || s[len - 1] || strcmp(s, "hypercall"))) {
			pr_err("guests: %s: iommu must be \"hypercall\" or \"vsmmu\"\n", c->name);
			return -EINVAL;
		}
		c->initrd = fdt_getprop(fdt, node, "initrd", &c->initrd_len);
		if (c->initrd && (c->initrd_len <= 0 ||
				  guest_image_extent(c->image, (u64)c->image_len) +
				  (u64)c->initrd_len + GUEST_FDT_MAX > c->ram_size)) {
			pr_err("guests: %s: its image, initrd and device tree do not fit in "
			       "its RAM\n", c->name);
			return -EINVAL;
		}
		p = fdt_getprop(fdt, node, "pci-devices", &len);
		if (p && (len % 4 || len / 4 > MAX_DEVS)) {
			pr_err("guests: %s: pci-devices must be 1..%d cells\n", c->name, MAX_DEVS);
			return -EINVAL;
		}
		for (int i = 0; p && i < len / 4 && i < MAX_DEVS; i++) {
			c->bdf[i] = fdt32_ld(&p[i]);
			c->vsid[i] = c->bdf[i];
			c->ndev++;
		}
		p = fdt_getprop(fdt, node, "vsids", &len);
		for (int i = 0; p && i < len / 4 && i < c->ndev; i++)
			c->vsid[i] = fdt32_ld(&p[i]);
		(*n)++;
	}
	return 0;
}

static int validate(const struct guest_cfg *cfg, int n)
{
	for (int g = 0; g < n; g++) {
		for (int d = 0; d < cfg[g].ndev; d++) {
			u32 bdf = cfg[g].bdf[d];

			if (!pci_find_bdf(bdf)) {
				pr_err("guests: %s: no PCI device %02x:%02x.%u\n", cfg[g].name,
				       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf));
				return -ENODEV;
			}
			for (int h = 0; h <= g; h++)
				for (int e = 0; e < (h == g ? d : cfg[h].ndev); e++)
					if (cfg[h].bdf[e] == bdf) {
						pr_err("guests: PCI device %02x:%02x.%u is assigned "
						       "twice (%s and %s)\n", PCI_BUS(bdf),
						       PCI_DEV(bdf), PCI_FN(bdf), cfg[h].name,
						       cfg[g].name);
						return -EBUSY;
					}
		}
	}
	return 0;
}

struct guest_job {
	struct guest *g;
	u64 x1;
	u32 done;
	enum guest_state st;
};

static void guest_thread(void *arg)
{
	struct guest_job *j = arg;

	j->st = guest_run(j->g, j->x1);
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
	sev();
}

static int build(const struct guest_cfg *c, struct guest *g, unsigned int pcpu_base, u64 *x1)
{
	struct pci_dev *first = NULL;
	int err = guest_create(g, c->name, c->image, (u64)c->image_len, c->ram_size);

	if (err) {
		pr_err("guests: %s: cannot be created (%s)\n", c->name, errno_name(err));
		return err;
	}
	err = guest_set_vcpus(g, c->ncpus, pcpu_base);
	for (int d = 0; d < c->ndev && !err; d++) {
		struct pci_dev *pd = pci_find_bdf(c->bdf[d]);

		err = guest_assign_pci(g, pd, c->vsid[d]);
		if (!first)
			first = pd;
	}
	if (err) {
		pr_err("guests: %s: device assignment failed (%s)\n", c->name, errno_name(err));
		guest_destroy(g);
		return err;
	}
	g->iommu_mode = c->iommu_mode;
	if (c->iommu_mode == GUEST_IOMMU_VSMMU)
		err = guest_vsmmu_create(g);
	if (err) {
		/* no device, or an SMMU that cannot nest (-EOPNOTSUPP) */
		pr_err("guests: %s: no virtual SMMU (%s)\n", c->name, errno_name(err));
		guest_destroy(g);
		return err;
	}
	if (c->initrd)
		err = guest_load_initrd(g, c->initrd, (u64)c->initrd_len,
					guest_image_extent(c->image, (u64)c->image_len));
	if (err) {
		pr_err("guests: %s: no room for its initrd (%s)\n", c->name, errno_name(err));
		guest_destroy(g);
		return err;
	}
	/* its device tree at the top of its RAM, x0 of vCPU 0 */
	g->bootargs = c->bootargs;
	g->no_console = c->no_console;
	err = guest_fdt_install(g, guest_image_extent(c->image, (u64)c->image_len));
	if (err) {
		pr_err("guests: %s: no room for its device tree (%s)\n", c->name, errno_name(err));
		guest_destroy(g);
		return err;
	}
	*x1 = first ? first->bar[0].pa : 0;
	return 0;
}

/* 0: every guest powered off (or there were none); -errno otherwise */
int guests_run_package(paddr_t start, paddr_t end)
{
	struct guest_cfg cfg[MAX_GUESTS];
	struct guest_job jobs[MAX_GUESTS];
	struct page_stats before, after;
	u64 carved;
	int n, err, failed = 0;
	unsigned int need = 0, cpus = cpus_online();
	const void *fdt = phys_to_virt(start);
	bool together;

	if (end <= start)
		return 0;
	err = parse(fdt, cfg, &n);
	if (err == -ENOENT)
		return 0;
	if (!err)
		err = validate(cfg, n);
	if (err)
		return err;
	for (int i = 0; i < n; i++)
		need += cfg[i].ncpus;
	together = cpus > 1 && need <= cpus - 1;
	for (int i = 0; i < n && !together; i++)
		if (cfg[i].ncpus > 1) {
			pr_err("guests: %s wants %u vCPUs, but the %d guest(s) need %u CPUs "
			       "besides the boot CPU and %u are online\n", cfg[i].name,
			       cfg[i].ncpus, n, need, cpus);
			return -EINVAL;
		}
	/* a device's stream-table span is the SMMU driver's for good: make it
	 * exist before counting, so that the count measures the guests alone */
	for (int i = 0; i < n; i++)
		for (int d = 0; d < cfg[i].ndev; d++) {
			struct smmu_ste_cfg abort_cfg = { .kind = SMMU_STE_ABORT };

			err = smmu_ste_install(hyp_smmu(), pci_find_bdf(cfg[i].bdf[d])->sid,
					       &abort_cfg);
			if (err)
				return err;
		}
	page_stats(&before);
	carved = mem_carved_bytes();
	if (!together) {
		for (int i = 0; i < n && !err; i++) {
			u64 x1;

			err = build(&cfg[i], &guests[i], this_cpu()->cpu_id, &x1);
			if (err)
				break;
			pr_info("guests: starting %s (%llu MiB, %u vCPU, %d device(s))\n",
				guests[i].name, (unsigned long long)(cfg[i].ram_size >> 20),
				cfg[i].ncpus, cfg[i].ndev);
			if (guest_run(&guests[i], x1) != GUEST_OFF)
				failed++;
			guest_destroy(&guests[i]);
		}
	} else {
		unsigned int pcpu = 1;
		int built = 0;

		for (int i = 0; i < n && !err; i++, built++) {
			err = build(&cfg[i], &guests[i], pcpu, &jobs[i].x1);
			jobs[i].g = &guests[i];
			jobs[i].done = 0;
			pcpu += cfg[i].ncpus;
		}
		for (int i = 0; i < built && !err; i++) {
			pr_info("guests: starting %s on CPU %u (%llu MiB, %u vCPU(s), "
				"%d device(s))\n", guests[i].name, guests[i].vcpus[0].pcpu,
				(unsigned long long)(cfg[i].ram_size >> 20), cfg[i].ncpus,
				cfg[i].ndev);
			if (cpu_run_on(guests[i].vcpus[0].pcpu, guest_thread, &jobs[i]))
				jobs[i].done = 1, jobs[i].st = GUEST_CRASHED;
		}
		/* the boot CPU watches the SMMU (every millisecond) until every
		 * guest has ended */
		for (bool all = false; !err && !all;) {
			all = true;
			for (int i = 0; i < built; i++)
				all &= __atomic_load_n(&jobs[i].done, __ATOMIC_ACQUIRE) != 0;
			smmu_poll(hyp_smmu());
			udelay(1000);
		}
		for (int i = 0; i < built; i++) {
			if (!err && jobs[i].st != GUEST_OFF)
				failed++;
			guest_destroy(&guests[i]);
		}
	}
	if (err)
		return err;
	page_stats(&after);
	pr_info("guests: all ended; hypervisor pages in use %llu -> %llu, guest RAM carved "
		"%llu -> %llu bytes\n", (unsigned long long)before.in_use,
		(unsigned long long)after.in_use, (unsigned long long)carved,
		(unsigned long long)mem_carved_bytes());
	if (after.in_use != before.in_use || mem_carved_bytes() != carved) {
		pr_err("guests: teardown leaked memory\n");
		return -ENOMEM;
	}
	return failed ? -EIO : 0;
}
