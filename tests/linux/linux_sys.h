/* SPDX-License-Identifier: MIT */
/*
 * What the test guests' /init programs (tests/linux/init.c, vfio_init.c)
 * need of arm64 Linux's system-call ABI: the numbers, the flags, one raw
 * call. No libc.
 */
#ifndef AERIE_TEST_LINUX_SYS_H
#define AERIE_TEST_LINUX_SYS_H

#define SYS_ioctl		29
#define SYS_mkdirat		34
#define SYS_mount		40
#define SYS_openat		56
#define SYS_close		57
#define SYS_read		63
#define SYS_write		64
#define SYS_pread64		67
#define SYS_pwrite64		68
#define SYS_readlinkat		78
#define SYS_fsync		82
#define SYS_nanosleep		101
#define SYS_sched_getaffinity	123
#define SYS_reboot		142
#define SYS_uname		160
#define SYS_mmap		222
#define SYS_finit_module	273
#define AT_FDCWD		(-100)
#define O_RDONLY		0
#define O_WRONLY		1
#define O_RDWR			2
#define O_DIRECT		0200000	/* arm64's value */
#define EEXIST			17
#define REBOOT_MAGIC1		0xfee1deadL
#define REBOOT_MAGIC2		672274793L
#define REBOOT_CMD_POWER_OFF	0x4321fedcL

/* system call n with up to six arguments: the result, or -errno */
static inline long linux_syscall(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}

#endif
