/* SPDX-License-Identifier: MIT */
/*
 * /init of the vSMMU Linux test (tests/qemu/linux_vsmmu.conf): a stock
 * kernel whose arm-smmu-v3 driver drives Aerie's virtual SMMUv3, and user
 * space doing DMA through it with VFIO, as a VMM or a DPDK-style driver does:
 *   1. load vfio, vfio_iommu_type1 (allow_unsafe_interrupts=1: no ITS),
 *      vfio_virqfd, vfio-pci-core and vfio-pci from the kernel's own package
 *      (finit_module, in dependency order: the package has no modules.dep);
 *   2. bind the edu (00:01.0) to vfio-pci: it joins an IOMMU group;
 *   3. map a buffer with VFIO_IOMMU_MAP_DMA and run edu DMA both ways: the
 *      bytes arrive (through the guest's stage 1 and Aerie's stage 2);
 *   4. VFIO_IOMMU_UNMAP_DMA, the same DMA again: no byte moves, and the
 *      translation fault reaches the guest kernel through the vSMMU's event
 *      queue (it logs it);
 *   5. time MAP_DMA + UNMAP_DMA of one page (make bench reads the line, here
 *      and on QEMU's own SMMUv3 without Aerie, under -icount);
 *   6. power off.
 * Each step prints one "vfio: ..." line the test expects. No libc.
 */
#include "linux_sys.h"

#define PROT_RW			3
#define MAP_SHARED		1
#define MAP_PRIVATE_ANON	0x22
#define MAP_POPULATE		0x8000

/* <linux/vfio.h>: _IO(';', 100 + n) */
#define VFIO_IO(n)		(0x3b00 + 100 + (n))
#define VFIO_GET_API_VERSION	VFIO_IO(0)
#define VFIO_CHECK_EXTENSION	VFIO_IO(1)
#define VFIO_SET_IOMMU		VFIO_IO(2)
#define VFIO_GROUP_GET_STATUS	VFIO_IO(3)
#define VFIO_GROUP_SET_CONTAINER VFIO_IO(4)
#define VFIO_GROUP_GET_DEVICE_FD VFIO_IO(6)
#define VFIO_DEVICE_GET_REGION_INFO VFIO_IO(8)
#define VFIO_IOMMU_MAP_DMA	VFIO_IO(13)
#define VFIO_IOMMU_UNMAP_DMA	VFIO_IO(14)
#define VFIO_TYPE1v2_IOMMU	3
#define VFIO_GROUP_VIABLE	1
#define VFIO_DMA_READ		1
#define VFIO_DMA_WRITE		2
#define VFIO_PCI_BAR0		0
#define VFIO_PCI_CONFIG		7

/* QEMU's edu (docs/specs/edu.rst in QEMU) */
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_CNT		0x90
#define EDU_DMA_CMD		0x98
#define EDU_CMD_START		1
#define EDU_CMD_TO_RAM		2
#define EDU_BUF			0x40000	/* its 4 KiB buffer, device side */
#define PCI_COMMAND		4
#define PCI_COMMAND_MEMORY	2
#define PCI_COMMAND_MASTER	4

#define IOVA			0x100000UL	/* below the edu's 28-bit mask */
#define BENCH_IOVA		0x200000UL
#define BENCH_N			200
#define LEN			64
#define EDU_BDF			"0000:00:01.0"

struct vfio_region_info {
	unsigned int argsz, flags, index, cap_offset;
	unsigned long size, offset;
};
struct vfio_dma_map {
	unsigned int argsz, flags;
	unsigned long vaddr, iova, size;
};
struct vfio_dma_unmap {
	unsigned int argsz, flags;
	unsigned long iova, size;
};

#define sys linux_syscall
#define SYS3(n, a, b, c) sys(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)

static int out = 1;

static long slen(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	return n;
}

static void put(const char *s)
{
	SYS3(SYS_write, out, s, slen(s));
}

static void put_num(long v)
{
	char b[24];
	int i = sizeof(b) - 1;
	unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;

	b[i] = 0;
	do
		b[--i] = (char)('0' + u % 10);
	while ((u /= 10) && i > 1);
	if (v < 0)
		b[--i] = '-';
	put(b + i);
}

static void power_off(void)
{
	SYS3(SYS_reboot, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF);
	for (;;)
		;
}

static void fail(const char *what, long err)
{
	put("vfio: FAILED: ");
	put(what);
	put(" (");
	put_num(err);
	put(")\n");
	power_off();
}

static long check(long r, const char *what)
{
	if (r < 0)
		fail(what, r);
	return r;
}

static void write_file(const char *path, const char *s)
{
	long fd = check(SYS3(SYS_openat, AT_FDCWD, path, O_WRONLY), path);

	check(SYS3(SYS_write, fd, s, slen(s)), path);
	SYS3(SYS_close, fd, 0, 0);
}

static void load(const char *path, const char *params)
{
	long fd = check(SYS3(SYS_openat, AT_FDCWD, path, O_RDONLY), path);

	check(SYS3(SYS_finit_module, fd, params, 0), path);
	SYS3(SYS_close, fd, 0, 0);
}

static void nap(void)
{
	long ts[2] = { 0, 1000000 }; /* 1 ms */

	SYS3(SYS_nanosleep, ts, 0, 0);
}

static volatile unsigned long *bar;

static void mmio_w64(unsigned int off, unsigned long v)
{
	bar[off / 8] = v;
}

/* one edu DMA; 0, or -1 if it never completed */
static int edu_dma(unsigned long src, unsigned long dst, unsigned long cmd)
{
	mmio_w64(EDU_DMA_SRC, src);
	mmio_w64(EDU_DMA_DST, dst);
	mmio_w64(EDU_DMA_CNT, LEN);
	mmio_w64(EDU_DMA_CMD, cmd | EDU_CMD_START);
	for (int i = 0; i < 2000; i++) {
		if (!(bar[EDU_DMA_CMD / 8] & EDU_CMD_START))
			return 0;
		nap();
	}
	return -1;
}

static unsigned long cntvct(void)
{
	unsigned long v;

	__asm__ volatile("isb\n mrs %0, cntvct_el0\n isb" : "=r"(v) : : "memory");
	return v;
}

/* MAP_DMA + UNMAP_DMA of one page, BENCH_N times: instructions per pair
 * under -icount shift=0 (1 ns each: ticks * 1e9 / CNTFRQ) */
static void bench_map_unmap(long container, unsigned long va)
{
	struct vfio_dma_map m = { sizeof(m), VFIO_DMA_READ | VFIO_DMA_WRITE, va, BENCH_IOVA, 4096 };
	struct vfio_dma_unmap u = { sizeof(u), 0, BENCH_IOVA, 4096 };
	unsigned long f, t0, t;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	t0 = cntvct();
	for (int i = 0; i < BENCH_N; i++) {
		check(SYS3(SYS_ioctl, container, VFIO_IOMMU_MAP_DMA, &m), "bench MAP_DMA");
		check(SYS3(SYS_ioctl, container, VFIO_IOMMU_UNMAP_DMA, &u), "bench UNMAP_DMA");
	}
	t = cntvct() - t0;
	put("vfio: bench map_unmap_4k ");
	put_num((long)(t * 1000000000UL / f / BENCH_N));
	put("\n");
}

static int count_equal(const volatile unsigned char *a, unsigned char v)
{
	int n = 0;

	for (int i = 0; i < LEN; i++)
		n += a[i] == v;
	return n;
}

void _start(void)
{
	char link[128];
	char grp[32] = "/dev/vfio/";
	long n, container, group, dev, cfg_off;
	unsigned int status[2] = { 8, 0 };
	struct vfio_region_info bar0 = { sizeof(bar0), 0, VFIO_PCI_BAR0, 0, 0, 0 };
	struct vfio_region_info cfg = { sizeof(cfg), 0, VFIO_PCI_CONFIG, 0, 0, 0 };
	struct vfio_dma_map map;
	struct vfio_dma_unmap unmap;
	volatile unsigned char *buf;
	unsigned short command;
	int i, k;

	if (SYS3(SYS_write, out, "", 0) < 0)
		out = (int)SYS3(SYS_openat, AT_FDCWD, "/dev/console", O_WRONLY);
	SYS3(SYS_mkdirat, AT_FDCWD, "/sys", 0755);
	SYS3(SYS_mkdirat, AT_FDCWD, "/dev", 0755);
	check(sys(SYS_mount, (long)"sysfs", (long)"/sys", (long)"sysfs", 0, 0, 0), "mount /sys");
	check(sys(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0, 0),
	      "mount /dev");

	load("/lib/vfio.ko", "");
	load("/lib/vfio_iommu_type1.ko", "allow_unsafe_interrupts=1");
	load("/lib/vfio_virqfd.ko", "");
	load("/lib/vfio-pci-core.ko", "");
	load("/lib/vfio-pci.ko", "");
	put("vfio: modules loaded\n");

	write_file("/sys/bus/pci/devices/" EDU_BDF "/driver_override", "vfio-pci");
	write_file("/sys/bus/pci/drivers_probe", EDU_BDF);
	n = check(sys(SYS_readlinkat, AT_FDCWD, (long)"/sys/bus/pci/devices/" EDU_BDF "/iommu_group",
		      (long)link, sizeof(link) - 1, 0, 0),
		  "no iommu_group");
	link[n] = 0;
	for (i = (int)n; i > 0 && link[i - 1] != '/'; i--)
		;
	for (k = 10; link[i] && k < (int)sizeof(grp) - 1; i++, k++)
		grp[k] = link[i];
	grp[k] = 0;
	put("vfio: edu bound to vfio-pci, IOMMU group ");
	put(grp + 10);
	put("\n");

	container = check(SYS3(SYS_openat, AT_FDCWD, "/dev/vfio/vfio", O_RDWR), "/dev/vfio/vfio");
	check(SYS3(SYS_ioctl, container, VFIO_GET_API_VERSION, 0), "GET_API_VERSION");
	if (SYS3(SYS_ioctl, container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1)
		fail("no TYPE1v2", 0);
	group = check(SYS3(SYS_openat, AT_FDCWD, grp, O_RDWR), grp);
	check(SYS3(SYS_ioctl, group, VFIO_GROUP_GET_STATUS, status), "GROUP_GET_STATUS");
	if (!(status[1] & VFIO_GROUP_VIABLE))
		fail("group not viable", status[1]);
	check(SYS3(SYS_ioctl, group, VFIO_GROUP_SET_CONTAINER, &container), "SET_CONTAINER");
	check(SYS3(SYS_ioctl, container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), "SET_IOMMU");
	dev = check(SYS3(SYS_ioctl, group, VFIO_GROUP_GET_DEVICE_FD, EDU_BDF), "GET_DEVICE_FD");
	check(SYS3(SYS_ioctl, dev, VFIO_DEVICE_GET_REGION_INFO, &bar0), "BAR0 info");
	check(SYS3(SYS_ioctl, dev, VFIO_DEVICE_GET_REGION_INFO, &cfg), "config info");
	bar = (volatile unsigned long *)check(sys(SYS_mmap, 0, (long)bar0.size, PROT_RW,
						  MAP_SHARED, dev, (long)bar0.offset),
					      "mmap BAR0");
	/* bus mastering, through VFIO's view of its config space */
	cfg_off = (long)cfg.offset + PCI_COMMAND;
	check(sys(SYS_pread64, dev, (long)&command, 2, cfg_off, 0, 0), "read COMMAND");
	command |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	check(sys(SYS_pwrite64, dev, (long)&command, 2, cfg_off, 0, 0), "write COMMAND");

	buf = (volatile unsigned char *)check(sys(SYS_mmap, 0, 4096, PROT_RW,
						  MAP_PRIVATE_ANON | MAP_POPULATE, -1, 0),
					      "mmap buffer");
	map = (struct vfio_dma_map){ sizeof(map), VFIO_DMA_READ | VFIO_DMA_WRITE,
				     (unsigned long)buf, IOVA, 4096 };
	check(SYS3(SYS_ioctl, container, VFIO_IOMMU_MAP_DMA, &map), "MAP_DMA");
	put("vfio: MAP_DMA of 4 KiB at IOVA 0x100000\n");

	/* RAM -> edu, then edu -> RAM at another offset: the pattern comes back */
	for (i = 0; i < LEN; i++)
		buf[i] = 0xa5;
	if (edu_dma(IOVA, EDU_BUF, 0) || edu_dma(EDU_BUF, IOVA + 0x800, EDU_CMD_TO_RAM))
		fail("edu DMA did not complete", 0);
	n = count_equal(buf + 0x800, 0xa5);
	put("vfio: edu DMA both ways: ");
	put_num(n);
	put(" of 64 bytes arrived\n");
	if (n != LEN)
		fail("DMA through the vSMMU", n);

	bench_map_unmap(container, (unsigned long)buf);
	unmap = (struct vfio_dma_unmap){ sizeof(unmap), 0, IOVA, 4096 };
	check(SYS3(SYS_ioctl, container, VFIO_IOMMU_UNMAP_DMA, &unmap), "UNMAP_DMA");
	/* the edu's buffer still holds 0xa5: after the unmap, its write to the
	 * old IOVA must move nothing into the (still allocated) page */
	for (i = 0; i < LEN; i++)
		buf[0x800 + i] = 0;
	edu_dma(EDU_BUF, IOVA + 0x800, EDU_CMD_TO_RAM);
	for (i = 0; i < 200; i++)
		nap(); /* let the fault's event reach the kernel's log */
	n = count_equal(buf + 0x800, 0xa5);
	put("vfio: after UNMAP_DMA: ");
	put_num(n);
	put(" bytes arrived\n");
	if (n)
		fail("DMA after UNMAP_DMA", n);
	put("vfio: done; powering off\n");
	power_off();
}
