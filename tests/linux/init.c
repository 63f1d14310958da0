/* SPDX-License-Identifier: MIT */
/*
 * /init of the Linux guest test (tests/linux/, tests/qemu/linux_guest.conf):
 * the first user-space program of a Linux kernel running as an Aerie guest.
 * It says which kernel it runs on and how many CPUs it may use (the guest
 * has two vCPUs, so this needs Aerie's PSCI CPU_ON and the SGIs Linux uses
 * as IPIs), then powers the guest off (Linux calls PSCI SYSTEM_OFF, Aerie
 * ends the guest and exits 0). It also prints the counter its first
 * instruction read (make bench's Linux boot figure). No libc: raw system
 * calls.
 *
 * With aerietest=nvme on the kernel command line (the kernel passes it in
 * the environment) it first runs the NVMe test of
 * tests/qemu/linux_nvme_stage2.conf: the guest kernel's own nvme driver,
 * with no IOMMU driver (iommu = "stage2"), reads the disk's first 4 KiB
 * (pattern A, written by the test) and writes pattern B at 64 KiB; both with
 * O_DIRECT, so every byte moves by the controller's DMA into the guest's
 * RAM. The test checks the disk image from the host afterwards.
 */
#include "linux_sys.h"

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domain[65];
};

#define sys(n, a, b, c, d) linux_syscall(n, a, b, c, d, 0, 0)
#define sys5(n, a, b, c, d, e) linux_syscall(n, a, b, c, d, e, 0)

static int out = 1;

static void put(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	sys(SYS_write, out, (long)s, n, 0);
}

static void put_dec(unsigned long v)
{
	char b[24];
	int i = sizeof(b) - 1;

	b[i] = 0;
	do
		b[--i] = (char)('0' + v % 10);
	while ((v /= 10) && i > 0);
	put(b + i);
}

/* ---- aerietest=nvme ---------------------------------------------------------- */

#define NVME_DEV	"/dev/nvme0n1"
#define NVME_LEN	4096		/* 8 blocks of 512 bytes */
#define NVME_B_OFF	65536		/* where pattern B goes */

static unsigned char nvme_buf[NVME_LEN] __attribute__((aligned(4096)));

/* what the test wrote (A) and what the guest writes (B), one 32-byte line
 * at a time: "aerie-nvme: pattern A block 003\n" (the block's number) */
static void pattern(unsigned char *p, char which)
{
	static const char line[] = "aerie-nvme: pattern ? block ???\n";

	for (int i = 0; i < NVME_LEN; i += 32) {
		int blk = i / 512;

		for (int k = 0; k < 32; k++)
			p[i + k] = (unsigned char)line[k];
		p[i + 20] = (unsigned char)which;
		p[i + 28] = (unsigned char)('0' + blk / 100);
		p[i + 29] = (unsigned char)('0' + blk / 10 % 10);
		p[i + 30] = (unsigned char)('0' + blk % 10);
	}
}

static int fail(const char *what, long err)
{
	put("init: nvme: FAIL: ");
	put(what);
	put(" (");
	put_dec((unsigned long)-err);
	put(")\n");
	return -1;
}

/* print the lines of /proc/interrupts that name `what` (how the device's
 * interrupts reached the driver: a GIC SPI, level, is its INTx) */
static int irq_lines(const char *what)
{
	static char buf[8192];
	long fd, n, len = 0, start = 0;

	n = sys(SYS_mkdirat, AT_FDCWD, (long)"/proc", 0555, 0);
	if (n < 0 && n != -EEXIST)
		return fail("mkdir /proc", n);
	n = sys5(SYS_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
	if (n < 0)
		return fail("mount proc", n);
	fd = sys(SYS_openat, AT_FDCWD, (long)"/proc/interrupts", 0, 0);
	if (fd < 0)
		return fail("open /proc/interrupts", fd);
	while (len < (long)sizeof(buf) - 1 &&
	       (n = sys(SYS_read, fd, (long)(buf + len), (long)sizeof(buf) - 1 - len, 0)) > 0)
		len += n;
	sys(SYS_close, fd, 0, 0, 0);
	for (long i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		buf[i] = 0;
		for (long k = start; buf[k]; k++) {
			long m = 0;

			while (what[m] && buf[k + m] == what[m])
				m++;
			if (!what[m]) {
				put("init: irq:");
				put(buf + start);
				put("\n");
				break;
			}
		}
		start = i + 1;
	}
	return 0;
}

static int nvme_test(void)
{
	static unsigned char want[NVME_LEN];
	struct { long sec, nsec; } tick = { 0, 100000000 };
	long fd = -1, n;
	int i;

	n = sys(SYS_mkdirat, AT_FDCWD, (long)"/dev", 0755, 0);
	if (n < 0 && n != -EEXIST)
		return fail("mkdir /dev", n);
	n = sys5(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0);
	if (n < 0)
		return fail("mount devtmpfs", n);
	/* the driver probes and scans its namespaces asynchronously: 30 s */
	for (i = 0; i < 300 && fd < 0; i++) {
		fd = sys(SYS_openat, AT_FDCWD, (long)NVME_DEV, O_RDWR | O_DIRECT, 0);
		if (fd < 0)
			sys(SYS_nanosleep, (long)&tick, 0, 0, 0);
	}
	if (fd < 0)
		return fail("open " NVME_DEV, fd);
	put("init: nvme: " NVME_DEV " is there\n");
	n = sys(SYS_pread64, fd, (long)nvme_buf, NVME_LEN, 0);
	if (n != NVME_LEN)
		return fail("read of 4 KiB at 0", n);
	pattern(want, 'A');
	for (i = 0; i < NVME_LEN; i++)
		if (nvme_buf[i] != want[i]) {
			put("init: nvme: byte ");
			put_dec((unsigned long)i);
			put(" differs from pattern A\n");
			return fail("pattern A", 0);
		}
	put("init: nvme: read 4096 bytes of pattern A by DMA\n");
	pattern(nvme_buf, 'B');
	n = sys(SYS_pwrite64, fd, (long)nvme_buf, NVME_LEN, NVME_B_OFF);
	if (n != NVME_LEN)
		return fail("write of 4 KiB at 64 KiB", n);
	n = sys(SYS_fsync, fd, 0, 0, 0);
	if (n < 0)
		return fail("fsync", n);
	sys(SYS_close, fd, 0, 0, 0);
	put("init: nvme: wrote 4096 bytes of pattern B at 65536 by DMA\n");
	return irq_lines("nvme");
}

/* ---- /init ------------------------------------------------------------------- */

static int has_env(char **envp, const char *kv)
{
	for (; *envp; envp++) {
		int i = 0;

		while (kv[i] && (*envp)[i] == kv[i])
			i++;
		if (!kv[i] && !(*envp)[i])
			return 1;
	}
	return 0;
}

/* the kernel starts /init with sp at argc, argv[], NULL, envp[], NULL; the
 * first instruction reads the counter (make bench: reset to /init under
 * -icount shift=0, one tick per instruction) */
__asm__(".globl _start\n_start:\n\tmrs x1, cntvct_el0\n\tmov x0, sp\n\tb start_c\n");
void start_c(long *sp, unsigned long t0);

void start_c(long *sp, unsigned long t0)
{
	static struct utsname u;
	char **envp = (char **)(sp + 1 + sp[0] + 1);
	unsigned long mask[16] = { 0 };
	unsigned long cpus = 0;
	long n;

	/* no console on fd 1 if the initramfs has no /dev/console: open it */
	if (sys(SYS_write, out, (long)"", 0, 0) < 0)
		out = (int)sys(SYS_openat, AT_FDCWD, (long)"/dev/console", O_WRONLY, 0);
	sys(SYS_uname, (long)&u, 0, 0, 0);
	put("init: hello from user space: ");
	put(u.sysname);
	put(" ");
	put(u.release);
	put(" on ");
	put(u.machine);
	put(", under Aerie\n");
	put("init: counter at /init's first instruction: ");
	put_dec(t0);
	put("\n");
	if (has_env(envp, "aerietest=nvme") && nvme_test() == 0)
		put("init: nvme: passed\n");
	n = sys(SYS_sched_getaffinity, 0, sizeof(mask), (long)mask, 0);
	for (long i = 0; n > 0 && i < n / (long)sizeof(mask[0]); i++)
		cpus += (unsigned long)__builtin_popcountl(mask[i]);
	put("init: ");
	put_dec(cpus);
	put(" CPUs online; powering off\n");
	sys(SYS_reboot, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF, 0);
	for (;;)
		;
}
