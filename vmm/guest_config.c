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
 *                       vsids = <0x8>;               // optional: the guest's StreamIDs
 *                       iommu-pages = <4096>;        // optional: its IOMMU quota
 *                       iommu = "stage2"; };         // optional: "stage2" (default),
 *                                                    // "hypercall" or "vsmmu"
 *       }; };
 *
 * Everything is validated before any guest runs: a package that is not a
 * whole, well-formed device tree (the reason is named), a missing image,
 * a RAM size that is not a multiple of 2 MiB or does not hold image + initrd
 * + device tree (the numbers are printed), a bad vCPU count or too few free
 * CPUs, an unknown device or one assigned twice, an IOMMU page quota over an
 * eighth of Aerie's pages, an unknown `iommu` mode is refused with a message
 * naming the guest; every refusal of a package is reported, and the first
 * one ends the run as "no guest started: <reason>" (vmm/main.c).
 *
 * With enough CPUs, all guests run at once, each vCPU on a physical CPU of
 * its own (CPUs 1, 2, ... in package order) while the boot CPU watches the
 * SMMU; on a single CPU they run one after another on the boot CPU. When all
 * have ended, every page and every byte of RAM they used must be back.
 */
#include <aerie/arch.h>
#include <aerie/dtb.h>
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
	enum guest_iommu iommu;
	const void *initrd;	/* NULL: none */
	int initrd_len;
	u32 bdf[MAX_DEVS], vsid[MAX_DEVS];
	int ndev;
	struct iommu_quota quota;	/* iommu-pages; 0: the defaults */
};

static struct guest guests[MAX_GUESTS];

/* the package's `iommu` values, by enum guest_iommu, and the start line's note */
static const struct {
	char name[10], note[20];	/* arrays, not pointers: no relocations */
} iommu_modes[] = {
	[GUEST_IOMMU_STAGE2] = { "stage2", ", DMA to its RAM" },
	[GUEST_IOMMU_HYPERCALL] = { "hypercall", ", DMA by hypercalls" },
	[GUEST_IOMMU_VSMMU] = { "vsmmu", ", vSMMU" },
};

/*
 * Refusals: each is printed as it is found ("guests: <reason>"), all of a
 * package's are reported, and the first is kept for the closing line
 * "no guest started: <reason>" (guests_run_package's *reason).
 */
static char first_refusal[160];
static int nrefused;

static void __attribute__((format(printf, 1, 2))) refuse(const char *fmt, ...)
{
	char msg[sizeof(first_refusal)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("guests: %s\n", msg);
	if (!nrefused++)
		memcpy(first_refusal, msg, sizeof(msg));
}

/*
 * libfdt's name for error -err, without its FDT_ERR_ prefix (the messages
 * print "libfdt: FDT_ERR_%s"). Not fdt_strerror(): its table of pointers
 * costs ~1.5 KiB of the image's text budget (a relocation per entry); this
 * is one string of the names in libfdt's order (FDT_ERR_NOTFOUND = 1 ...).
 */
static const char *fdt_reason(int err)
{
	static const char names[] =
		"NOTFOUND\0EXISTS\0NOSPACE\0BADOFFSET\0BADPATH\0BADPHANDLE\0BADSTATE\0"
		"TRUNCATED\0BADMAGIC\0BADVERSION\0BADSTRUCTURE\0BADLAYOUT\0INTERNAL\0"
		"BADNCELLS\0BADVALUE\0BADOVERLAY\0NOPHANDLES\0BADFLAGS\0ALIGNMENT\0";
	const char *p = names;

	if (err >= 0 || -err > FDT_ERR_ALIGNMENT)
		return "INTERNAL";
	for (int i = 1; i < -err; i++)
		p += strlen(p) + 1;
	return p;
}

/*
 * The initrd as a package, before any of it is used: a device tree whose
 * header says no more than the initrd holds and whose whole structure
 * dtb_check() accepts (a hostile package must not make the parser read
 * outside it), with the package's compatible. -ENOENT: not a device tree
 * at all (no guests, a warning); -EINVAL: refused, with libfdt's reason.
 */
static int check_package(const void *fdt, u64 size)
{
	const char *compat;
	int err, len;

	if (size < sizeof(struct fdt_header) || fdt_magic(fdt) != FDT_MAGIC) {
		/* not a device tree at all (U-Boot's qfw boot passes the image
		 * itself as a ramdisk): no guests, not an error */
		pr_warn("guests: the initrd (%llu bytes) is not a device tree: no guests to run\n",
			(unsigned long long)size);
		return -ENOENT;
	}
	err = dtb_check_header(fdt);
	if (err) {
		refuse("the package's device-tree header is bad (libfdt: FDT_ERR_%s)",
		       fdt_reason(err));
		return -EINVAL;
	}
	if (fdt_totalsize(fdt) > size) {
		refuse("the package is truncated: its header says %u bytes, the initrd holds "
		       "%llu (libfdt: FDT_ERR_%s)", fdt_totalsize(fdt), (unsigned long long)size,
		       "TRUNCATED");
		return -EINVAL;
	}
	err = dtb_check(fdt, size);
	if (err) {
		refuse("the package's device tree is damaged (libfdt: FDT_ERR_%s)", fdt_reason(err));
		return -EINVAL;
	}
	if (!dtb_is_compatible(fdt, 0, "aerie,guest-package")) {
		compat = dtb_getprop(fdt, 0, "compatible", &len);
		refuse("the initrd is a device tree but not an Aerie guest package: its "
		       "compatible is \"%s\", not \"aerie,guest-package\"",
		       compat && len > 0 && !compat[len - 1] ? compat : "(none)");
		return -EINVAL;
	}
	return 0;
}

/* one guest node into *c; false (with every refusal reported) if it is bad */
static bool parse_guest(const void *fdt, int node, struct guest_cfg *c)
{
	const fdt32_t *p;
	const char *s;
	u64 extent, need;
	int len, n0 = nrefused;

	memset(c, 0, sizeof(*c));
	c->name = dtb_get_name(fdt, node);
	c->image = dtb_getprop(fdt, node, "image", &c->image_len);
	if (!c->image || c->image_len <= 0)
		refuse("%s: no image", c->name);
	p = dtb_getprop(fdt, node, "ram-size", &len);
	if (!p) {
		refuse("%s: no ram-size (two cells, a multiple of 2 MiB)", c->name);
	} else if (len != 8) {
		refuse("%s: ram-size must be two cells (8 bytes); it is %d bytes", c->name, len);
	} else {
		c->ram_size = (u64)fdt32_ld(&p[0]) << 32 | fdt32_ld(&p[1]);
		if (!c->ram_size || c->ram_size & ((2ULL << 20) - 1))
			refuse("%s: ram-size 0x%llx (%llu KiB) is not a multiple of 2 MiB",
			       c->name, (unsigned long long)c->ram_size,
			       (unsigned long long)(c->ram_size >> 10));
	}
	c->ncpus = 1;
	p = dtb_getprop(fdt, node, "cpus", &len);
	if (p && len != 4)
		refuse("%s: cpus must be one cell, 1..%d (it is %d bytes)", c->name,
		       GUEST_MAX_VCPUS, len);
	else if (p && (!fdt32_ld(p) || fdt32_ld(p) > GUEST_MAX_VCPUS))
		refuse("%s: cpus = <%u>: must be 1..%d", c->name, fdt32_ld(p), GUEST_MAX_VCPUS);
	else if (p)
		c->ncpus = fdt32_ld(p);
	c->bootargs = dtb_getprop(fdt, node, "bootargs", &len);
	if (c->bootargs && (len < 1 || len > MAX_BOOTARGS || c->bootargs[len - 1] ||
			    strlen(c->bootargs) != (size_t)len - 1))
		refuse("%s: bootargs must be one string of up to %d bytes (it is %d bytes)",
		       c->name, MAX_BOOTARGS - 1, len);
	s = dtb_getprop(fdt, node, "console", &len);
	if (s && (len < 1 || s[len - 1] || (strcmp(s, "pl011") && strcmp(s, "none"))))
		refuse("%s: console must be \"pl011\" (the default) or \"none\"", c->name);
	c->no_console = s && !strcmp(s, "none");
	/* the default: a stock OS with no IOMMU driver can use its devices */
	c->iommu = GUEST_IOMMU_STAGE2;
	s = dtb_getprop(fdt, node, "iommu", &len);
	for (int m = 0; s && m < (int)ARRAY_SIZE(iommu_modes); m++)
		if (len >= 1 && !s[len - 1] && !strcmp(s, iommu_modes[m].name)) {
			c->iommu = (enum guest_iommu)m;
			s = NULL;
		}
	if (s)
		refuse("%s: iommu must be \"stage2\" (the default), \"hypercall\" or \"vsmmu\"",
		       c->name);
	c->initrd = dtb_getprop(fdt, node, "initrd", &c->initrd_len);
	if (c->initrd && c->initrd_len <= 0)
		refuse("%s: its initrd is empty", c->name);
	/* what must fit in its RAM: the image (BSS included), the initrd
	 * (page-aligned, right below the device tree) and the device tree's
	 * GUEST_FDT_MAX; guest_load_initrd() and guest_fdt_install() place
	 * them by the same rule */
	if (c->image && c->image_len > 0 && c->ram_size && nrefused == n0) {
		u64 initrd = c->initrd ? ALIGN_UP((u64)c->initrd_len, PAGE_SIZE) : 0;

		extent = guest_image_extent(c->image, (u64)c->image_len);
		need = extent + initrd + GUEST_FDT_MAX;
		if (need > c->ram_size)
			refuse("%s: image %llu + initrd %llu + device tree %llu = %llu bytes, more "
			       "than its ram-size %llu (%llu MiB)", c->name,
			       (unsigned long long)extent, (unsigned long long)initrd,
			       (unsigned long long)GUEST_FDT_MAX, (unsigned long long)need,
			       (unsigned long long)c->ram_size,
			       (unsigned long long)(c->ram_size >> 20));
	}
	p = dtb_getprop(fdt, node, "pci-devices", &len);
	if (p && (len % 4 || len / 4 > MAX_DEVS))
		refuse("%s: pci-devices must be 1..%d cells (it is %d bytes)", c->name, MAX_DEVS,
		       len);
	for (int i = 0; p && i < len / 4 && i < MAX_DEVS; i++) {
		c->bdf[i] = fdt32_ld(&p[i]);
		c->vsid[i] = c->bdf[i];
		c->ndev++;
	}
	p = dtb_getprop(fdt, node, "vsids", &len);
	for (int i = 0; p && i < len / 4 && i < c->ndev; i++)
		c->vsid[i] = fdt32_ld(&p[i]);
	/* at most an eighth of Aerie's pages: MAX_GUESTS guests leave it half */
	p = dtb_getprop(fdt, node, "iommu-pages", &len);
	if (p) {
		struct page_stats ps;

		page_stats(&ps);
		if (len != 4 || !fdt32_ld(p) || fdt32_ld(p) > ps.total / 8)
			refuse("%s: iommu-pages must be one cell, 1..%llu", c->name,
			       (unsigned long long)ps.total / 8);
		else
			c->quota.pages = fdt32_ld(p);
	}
	return nrefused == n0;
}

static int parse(const void *fdt, u64 size, struct guest_cfg *cfg, int *n)
{
	int root, node, err, seen = 0;

	*n = 0;
	err = check_package(fdt, size);
	if (err)
		return err;
	root = dtb_subnode(fdt, 0, "guests");
	if (root < 0) {
		refuse("the package has no /guests node");
		return -EINVAL;
	}
	dtb_for_each_subnode(node, fdt, root) {
		if (seen++ == MAX_GUESTS) {
			refuse("more than %d guests", MAX_GUESTS);
			break;
		}
		if (parse_guest(fdt, node, &cfg[*n]))
			(*n)++;
	}
	if (!seen)
		refuse("the package's /guests node has no guest");
	return nrefused ? -EINVAL : 0;
}

static int validate(const struct guest_cfg *cfg, int n)
{
	int err = 0;

	for (int g = 0; g < n; g++) {
		for (int d = 0; d < cfg[g].ndev; d++) {
			u32 bdf = cfg[g].bdf[d];

			if (!pci_find_bdf(bdf)) {
				refuse("%s: no PCI device %02x:%02x.%u", cfg[g].name,
				       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf));
				err = err ?: -ENODEV;
			}
			for (int h = 0; h <= g; h++)
				for (int e = 0; e < (h == g ? d : cfg[h].ndev); e++)
					if (cfg[h].bdf[e] == bdf) {
						refuse("PCI device %02x:%02x.%u is assigned twice "
						       "(%s and %s)", PCI_BUS(bdf), PCI_DEV(bdf),
						       PCI_FN(bdf), cfg[h].name, cfg[g].name);
						err = err ?: -EBUSY;
					}
		}
	}
	return err;
}

/* how its devices DMA, for the start line */
static const char *iommu_note(const struct guest_cfg *c)
{
	return c->ndev ? iommu_modes[c->iommu].note : "";
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
		refuse("%s: cannot be created with %llu MiB of RAM (%s)", c->name,
		       (unsigned long long)(c->ram_size >> 20), errno_name(err));
		return err;
	}
	iommu_ctx_set_quota(g->iommu, &c->quota);
	g->iommu_mode = c->iommu;
	err = guest_set_vcpus(g, c->ncpus, pcpu_base);
	for (int d = 0; d < c->ndev && !err; d++) {
		struct pci_dev *pd = pci_find_bdf(c->bdf[d]);

		err = guest_assign_pci(g, pd, c->vsid[d]);
		if (!first)
			first = pd;
	}
	if (err) {
		refuse("%s: device assignment failed (%s)", c->name, errno_name(err));
		guest_destroy(g);
		return err;
	}
	if (c->iommu == GUEST_IOMMU_VSMMU) {
		err = guest_vsmmu_create(g);
		if (err) {
			/* no device, or an SMMU that cannot nest (-EOPNOTSUPP) */
			refuse("%s: no virtual SMMU (%s)", c->name, errno_name(err));
			guest_destroy(g);
			return err;
		}
	}
	if (c->initrd)
		err = guest_load_initrd(g, c->initrd, (u64)c->initrd_len,
					guest_image_extent(c->image, (u64)c->image_len));
	if (err) {
		refuse("%s: no room for its initrd (%s)", c->name, errno_name(err));
		guest_destroy(g);
		return err;
	}
	/* its device tree at the top of its RAM, x0 of vCPU 0 */
	g->bootargs = c->bootargs;
	g->no_console = c->no_console;
	err = guest_fdt_install(g, guest_image_extent(c->image, (u64)c->image_len));
	if (err) {
		refuse("%s: no room for its device tree (%s)", c->name, errno_name(err));
		guest_destroy(g);
		return err;
	}
	*x1 = first ? first->bar[0].pa : 0;
	return 0;
}

/*
 * 0: every guest powered off; -errno otherwise. *reason: NULL once a guest
 * has started, else why none did (the first refusal; all were printed);
 * -ENOENT with *reason set: the initrd is not a device tree.
 */
int guests_run_package(paddr_t start, paddr_t end, const char **reason)
{
	struct guest_cfg cfg[MAX_GUESTS];
	struct guest_job jobs[MAX_GUESTS];
	struct page_stats before, after;
	u64 carved;
	int n, err, failed = 0;
	unsigned int need = 0, cpus = cpus_online();
	const void *fdt = phys_to_virt(start);
	bool together;

	nrefused = 0;
	*reason = first_refusal;
	snprintf(first_refusal, sizeof(first_refusal), "the initrd is empty");
	if (end <= start)
		return -ENOENT;
	err = parse(fdt, end - start, cfg, &n);
	if (err == -ENOENT) {
		snprintf(first_refusal, sizeof(first_refusal),
			 "the initrd (%llu bytes) is not a device tree",
			 (unsigned long long)(end - start));
		return err;
	}
	/* validate even a package parse refused: every refusal is reported */
	err = validate(cfg, n) ?: err;
	for (int i = 0; i < n; i++)
		need += cfg[i].ncpus;
	together = cpus > 1 && need <= cpus - 1;
	for (int i = 0; i < n && !together; i++)
		if (cfg[i].ncpus > 1) {
			refuse("%s wants %u vCPUs: the package needs %u free CPUs, %u %s free "
			       "(the boot CPU is Aerie's)", cfg[i].name, cfg[i].ncpus, need,
			       cpus - 1, cpus - 1 == 1 ? "is" : "are");
			err = -EINVAL;
		}
	if (err)
		return err;
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
			*reason = NULL;
			pr_info("guests: starting %s (%llu MiB, %u vCPU, %d device(s)%s)\n",
				guests[i].name, (unsigned long long)(cfg[i].ram_size >> 20),
				cfg[i].ncpus, cfg[i].ndev, iommu_note(&cfg[i]));
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
			*reason = NULL;
			pr_info("guests: starting %s on CPU %u (%llu MiB, %u vCPU(s), "
				"%d device(s)%s)\n", guests[i].name, guests[i].vcpus[0].pcpu,
				(unsigned long long)(cfg[i].ram_size >> 20), cfg[i].ncpus,
				cfg[i].ndev, iommu_note(&cfg[i]));
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
