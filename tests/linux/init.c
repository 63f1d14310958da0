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
 */
#define SYS_openat		56
#define SYS_write		64
#define SYS_reboot		142
#define SYS_uname		160
#define SYS_sched_getaffinity	123
#define AT_FDCWD		(-100)
#define O_WRONLY		1
#define REBOOT_MAGIC1		0xfee1deadL
#define REBOOT_MAGIC2		672274793L
#define REBOOT_CMD_POWER_OFF	0x4321fedcL

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domain[65];
};

static long sys(long n, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}

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

/* the first instruction of /init reads the counter (make bench: reset to
 * /init under -icount shift=0, one tick per instruction) */
__asm__(".globl _start\n_start:\n\tmrs x0, cntvct_el0\n\tb init_main\n");
void init_main(unsigned long t0);

void init_main(unsigned long t0)
{
	static struct utsname u;
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
