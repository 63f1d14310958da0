/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <aerie/log.h>
#include <aerie/mmio.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include "hostenv.h"

#define POOL_PAGES (HOSTENV_POOL_BYTES / PAGE_SIZE)

static u8 *arena;
static u8 pool_used[POOL_PAGES];	/* 1 = in use */
static u64 ram_next;			/* next free byte offset after the pool */
static struct page_stats stats;
static unsigned long fail_nth, alloc_calls;
static u64 objs_in_use;

static void arena_init(void)
{
	if (arena)
		return;
	arena = mmap(NULL, HOSTENV_ARENA_BYTES, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED) {
		perror("hostenv: mmap arena");
		abort();
	}
}

void *host_phys_to_virt(paddr_t pa)
{
	arena_init();
	if (pa < HOSTENV_PA_BASE || pa >= HOSTENV_PA_BASE + HOSTENV_ARENA_BYTES)
		return NULL;
	return arena + (pa - HOSTENV_PA_BASE);
}

paddr_t host_virt_to_phys(const void *va)
{
	const u8 *p = va;

	arena_init();
	if (p < arena || p >= arena + HOSTENV_ARENA_BYTES) {
		fprintf(stderr, "hostenv: virt_to_phys(%p) outside the arena\n", va);
		abort();
	}
	return HOSTENV_PA_BASE + (u64)(p - arena);
}

bool hostenv_pa_valid(paddr_t pa, u64 len)
{
	return pa >= HOSTENV_PA_BASE && len <= HOSTENV_ARENA_BYTES &&
	       pa - HOSTENV_PA_BASE <= HOSTENV_ARENA_BYTES - len;
}

/* ---- page allocator ---------------------------------------------------- */

static bool inject_failure(void)
{
	alloc_calls++;
	if (fail_nth && --fail_nth == 0)
		return true;
	return false;
}

void hostenv_fail_nth(unsigned long n) { fail_nth = n; }
unsigned long hostenv_alloc_calls(void) { return alloc_calls; }
u64 hostenv_objs_in_use(void) { return objs_in_use; }

void *pages_alloc(unsigned int order)
{
	u64 n = 1ULL << order;

	arena_init();
	if (inject_failure())
		return NULL;
	for (u64 i = 0; i + n <= POOL_PAGES; i += n) {
		u64 j;
		for (j = 0; j < n && !pool_used[i + j]; j++)
			;
		if (j == n) {
			memset(pool_used + i, 1, n);
			memset(arena + i * PAGE_SIZE, 0, n * PAGE_SIZE);
			stats.in_use += n;
			stats.allocs++;
			return arena + i * PAGE_SIZE;
		}
	}
	return NULL;
}

void *page_alloc(void)
{
	/* fast path: scan from a hint for a single free page */
	static u64 hint;

	arena_init();
	if (inject_failure())
		return NULL;
	for (u64 k = 0; k < POOL_PAGES; k++) {
		u64 i = (hint + k) % POOL_PAGES;
		if (!pool_used[i]) {
			pool_used[i] = 1;
			hint = i + 1;
			memset(arena + i * PAGE_SIZE, 0, PAGE_SIZE);
			stats.in_use++;
			stats.allocs++;
			return arena + i * PAGE_SIZE;
		}
	}
	return NULL;
}

void pages_free(void *p, unsigned int order)
{
	u64 i, n = 1ULL << order;

	if (!p)
		return;
	i = (u64)((u8 *)p - arena) / PAGE_SIZE;
	if ((u8 *)p < arena || i + n > POOL_PAGES || ((u8 *)p - arena) % PAGE_SIZE) {
		fprintf(stderr, "hostenv: pages_free(%p) not from the pool\n", p);
		abort();
	}
	for (u64 j = 0; j < n; j++) {
		if (!pool_used[i + j]) {
			fprintf(stderr, "hostenv: double free of page %p\n",
				arena + (i + j) * PAGE_SIZE);
			abort();
		}
		pool_used[i + j] = 0;
	}
	/* poison so a use-after-free shows up in table walks */
	memset(p, 0xa5, n * PAGE_SIZE);
	stats.in_use -= n;
	stats.frees++;
}

void page_free(void *p) { pages_free(p, 0); }

void page_free_zeroed(void *p)
{
	for (size_t i = 0; p && i < PAGE_SIZE / 8; i++) {
		if (((const u64 *)p)[i]) {
			fprintf(stderr, "hostenv: page_free_zeroed(%p): word %zu is 0x%llx\n", p, i,
				(unsigned long long)((const u64 *)p)[i]);
			abort();
		}
	}
	pages_free(p, 0);
}

void page_stats(struct page_stats *out)
{
	*out = stats;
	out->total = POOL_PAGES;
}

void *obj_alloc(size_t size)
{
	void *p;

	if (size == 0 || size > PAGE_SIZE || inject_failure())
		return NULL;
	p = calloc(1, size);
	if (p)
		objs_in_use++;
	return p;
}

void obj_free(void *p, size_t size)
{
	(void)size;
	if (!p)
		return;
	objs_in_use--;
	free(p);
}

paddr_t hostenv_ram_alloc(u64 size, u64 align)
{
	u64 off;

	arena_init();
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	off = ALIGN_UP(HOSTENV_POOL_BYTES + ram_next, align);
	size = ALIGN_UP(size, PAGE_SIZE);
	if (off + size > HOSTENV_ARENA_BYTES)
		return 0;
	memset(arena + off, 0, size);
	ram_next = off + size - HOSTENV_POOL_BYTES;
	return HOSTENV_PA_BASE + off;
}

/* ---- MMIO ---------------------------------------------------------------- */

#define MAX_MODELS 8
static struct mmio_model models[MAX_MODELS];

/* <aerie/mmio.h>: the watcher of the driver's stores into SMMU structures */
void (*host_dma_store64_hook)(u64 *slot, u64 v);

void hostenv_mmio_register(const struct mmio_model *m)
{
	for (int i = 0; i < MAX_MODELS; i++) {
		if (!models[i].size) {
			models[i] = *m;
			return;
		}
	}
	abort();
}

void hostenv_mmio_unregister(paddr_t base)
{
	for (int i = 0; i < MAX_MODELS; i++)
		if (models[i].size && models[i].base == base)
			memset(&models[i], 0, sizeof(models[i]));
}

static struct mmio_model *find_model(paddr_t a, unsigned int bytes)
{
	for (int i = 0; i < MAX_MODELS; i++)
		if (models[i].size && a >= models[i].base &&
		    a + bytes <= models[i].base + models[i].size)
			return &models[i];
	fprintf(stderr, "hostenv: MMIO access to 0x%llx hits no model\n",
		(unsigned long long)a);
	abort();
}

u32 host_mmio_read32(paddr_t a)
{
	struct mmio_model *m = find_model(a, 4);
	return (u32)m->read(m->ctx, a - m->base, 4);
}
u64 host_mmio_read64(paddr_t a)
{
	struct mmio_model *m = find_model(a, 8);
	return m->read(m->ctx, a - m->base, 8);
}
void host_mmio_write32(paddr_t a, u32 v)
{
	struct mmio_model *m = find_model(a, 4);
	m->write(m->ctx, a - m->base, v, 4);
}
void host_mmio_write64(paddr_t a, u64 v)
{
	struct mmio_model *m = find_model(a, 8);
	m->write(m->ctx, a - m->base, v, 8);
}

/* ---- log ------------------------------------------------------------------ */

static char logbuf[1 << 16];
static size_t loglen;

void log_printf(enum log_level lvl, const char *fmt, ...)
{
	static const char *const tag[] = { "ERR ", "WARN ", "", "dbg " };
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (getenv("AERIE_TEST_VERBOSE"))
		fprintf(stderr, "%s%s", tag[lvl], line);
	n = (int)strlen(line);
	if (loglen + (size_t)n + 1 >= sizeof(logbuf))
		loglen = 0; /* keep the recent part */
	memcpy(logbuf + loglen, line, (size_t)n);
	loglen += (size_t)n;
	logbuf[loglen] = 0;
}

bool hostenv_log_contains(const char *needle) { return strstr(logbuf, needle) != NULL; }
unsigned int hostenv_log_count(const char *needle)
{
	unsigned int n = 0;

	for (const char *p = strstr(logbuf, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}
void hostenv_log_clear(void) { loglen = 0; logbuf[0] = 0; }
void hostenv_dump_log(FILE *f)
{
	if (loglen)
		fprintf(f, "  --- log ---\n%s  -----------\n", logbuf);
}

void hostenv_reset(void)
{
	host_dma_store64_hook = NULL;
	arena_init();
	/* tests are expected to free what they allocate; the reset keeps one
	 * test's leak from failing the next */
	memset(pool_used, 0, sizeof(pool_used));
	memset(&stats, 0, sizeof(stats));
	ram_next = 0;
	fail_nth = 0;
	alloc_calls = 0;
	objs_in_use = 0;
	memset(models, 0, sizeof(models));
	hostenv_log_clear();
}
