/* SPDX-License-Identifier: MIT */
/*
 * dom0 side of run-xen-bench.sh: time N empty loop iterations and N
 * xen_version hypercalls with CNTVCT_EL0, print "xenbench: ..." lines through
 * console_io (CONSOLEIO_write; Xen writes the hardware domain's output
 * straight to its serial console) and power off with SCHEDOP_shutdown.
 */
typedef unsigned long u64;
typedef unsigned int u32;

#define N 10000

#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_sched_op 29
#define CONSOLEIO_write 0
#define SCHEDOP_shutdown 2
#define SHUTDOWN_poweroff 0

u64 bench_empty(u64 n);
u64 bench_xen_version(u64 n, u64 *ret);
long xen_hypercall3(u64 nr, u64 a0, u64 a1, u64 a2);
void dcache_clean(const void *p, u64 len);

static char line[128] __attribute__((aligned(64)));
static u32 shutdown_reason __attribute__((aligned(64)));

static u64 put_str(u64 n, const char *s)
{
	while (*s && n < sizeof(line) - 1)
		line[n++] = *s++;
	return n;
}

static u64 put_dec(u64 n, u64 v)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i && n < sizeof(line) - 1)
		line[n++] = tmp[--i];
	return n;
}

static void emit(u64 n)
{
	line[n++] = '\n';
	dcache_clean(line, n);
	xen_hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, n, (u64)line);
}

static void print_val(const char *name, u64 v)
{
	u64 n = put_str(0, "xenbench: ");

	n = put_str(n, name);
	n = put_str(n, " ");
	emit(put_dec(n, v));
}

/* "xenbench: NAME X.Y" with X.Y = ticks / iters rounded to one decimal */
static void print_per(const char *name, u64 ticks, u64 iters, int neg)
{
	u64 x10 = (ticks * 10 + iters / 2) / iters;
	u64 n = put_str(0, "xenbench: ");

	n = put_str(n, name);
	n = put_str(n, neg ? " -" : " ");
	n = put_dec(n, x10 / 10);
	n = put_str(n, ".");
	emit(put_dec(n, x10 % 10));
}

void dom0_main(void)
{
	u64 freq, empty, hc, ver = 0;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	empty = bench_empty(N);
	hc = bench_xen_version(N, &ver);

	print_val("cntfrq", freq);
	print_val("xen_version_major", ver >> 16);
	print_val("xen_version_minor", ver & 0xffff);
	print_val("empty_loop_ticks", empty);
	print_val("hypercall_loop_ticks", hc);
	print_per("empty_loop", empty, N, 0);
	if (hc >= empty)
		print_per("null_hypercall", hc - empty, N, 0);
	else
		print_per("null_hypercall", empty - hc, N, 1);

	shutdown_reason = SHUTDOWN_poweroff;
	dcache_clean(&shutdown_reason, sizeof(shutdown_reason));
	xen_hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (u64)&shutdown_reason, 0);
	for (;;)
		__asm__ volatile("wfi");
}
