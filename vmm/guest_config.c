/* SPDX-License-Identifier: MIT */
/*
 * Guest configuration: a device tree passed as the initrd (the "guest
 * package", docs/guests.md), so a board user configures guests without
 * rebuilding Aerie:
 *
 *   / { compatible = "aerie,guest-package";
 *       guests { NAME { image = /incbin/("guest.bin");
 *                       ram-size = <0x0 0x1000000>;
 *                       pci-devices = <0x0008>;      // bus << 8 | dev << 3 | fn
 *                       vsids = <0x8>; };            // optional: the guest's StreamIDs
 *       }; };
 *
 * Everything is validated before any guest runs: a missing image, a RAM size
 * that is not a multiple of 2 MiB or does not fit, an unknown device or one
 * assigned twice is refused with a message naming the guest.
 * Guests run one after another on the boot CPU.
 */
#include <libfdt.h>
#include <aerie/errno.h>
#include <aerie/guest.h>
#include <aerie/log.h>
#include <aerie/pa.h>
#include <aerie/string.h>

#define MAX_GUESTS 4
#define MAX_DEVS 4

struct guest_cfg {
	const char *name;
	const void *image;
	int image_len;
	u64 ram_size;
	u32 bdf[MAX_DEVS], vsid[MAX_DEVS];
	int ndev;
};

static struct guest guests[MAX_GUESTS];

static int parse(const void *fdt, struct guest_cfg *cfg, int *n)
{
	int root = fdt_path_offset(fdt, "/guests"), node, len;

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
		    c->ram_size < (u64)c->image_len) {
			pr_err("guests: %s: ram-size 0x%llx must be a multiple of 2 MiB and hold "
			       "the image\n", c->name, (unsigned long long)c->ram_size);
			return -EINVAL;
		}
		p = fdt_getprop(fdt, node, "pci-devices", &len);
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

/* 0: every guest powered off (or there were none); -errno otherwise */
int guests_run_package(paddr_t start, paddr_t end)
{
	struct guest_cfg cfg[MAX_GUESTS];
	int n, err, failed = 0;
	const void *fdt = phys_to_virt(start);

	if (end <= start)
		return 0;
	err = parse(fdt, cfg, &n);
	if (err == -ENOENT)
		return 0;
	if (!err)
		err = validate(cfg, n);
	if (err)
		return err;
	for (int i = 0; i < n; i++) {
		struct guest *g = &guests[i];
		struct pci_dev *first = NULL;
		enum guest_state st;

		err = guest_create(g, cfg[i].name, cfg[i].image, (u64)cfg[i].image_len,
				   cfg[i].ram_size);
		if (err) {
			pr_err("guests: %s: cannot be created (%s)\n", cfg[i].name, errno_name(err));
			return err;
		}
		for (int d = 0; d < cfg[i].ndev && !err; d++) {
			struct pci_dev *pd = pci_find_bdf(cfg[i].bdf[d]);
			err = guest_assign_pci(g, pd, cfg[i].vsid[d]);
			if (!first)
				first = pd;
		}
		if (err) {
			pr_err("guests: %s: device assignment failed (%s)\n", cfg[i].name,
			       errno_name(err));
			guest_destroy(g);
			return err;
		}
		pr_info("guests: starting %s (%llu MiB, %d device(s))\n", g->name,
			(unsigned long long)(cfg[i].ram_size >> 20), cfg[i].ndev);
		st = guest_run(g, first ? first->bar[0].pa : 0);
		if (st != GUEST_OFF)
			failed++;
		guest_destroy(g);
	}
	return failed ? -EIO : 0;
}
