/* SPDX-License-Identifier: MIT */
/*
 * Host test environment: what the hypervisor's platform gives portable code,
 * simulated.
 *  - Physical memory: one arena at simulated PA HOSTENV_PA_BASE. The first
 *    HOSTENV_POOL_BYTES are the page allocator's pool (hypervisor memory);
 *    the rest is handed out with hostenv_ram_alloc() as "guest RAM".
 *  - Page/object allocators with counters and fail-nth fault injection.
 *  - MMIO: device models register an address window; mmio_read/write calls
 *    inside it are dispatched to the model.
 *  - Log: captured in a buffer (printed on failure, searchable by tests);
 *    AERIE_TEST_VERBOSE=1 also echoes it to stderr.
 */
#ifndef AERIE_HOSTENV_H
#define AERIE_HOSTENV_H

#include <stdio.h>
#include <aerie/types.h>

#define HOSTENV_PA_BASE 0x40000000ULL
#define HOSTENV_ARENA_BYTES (1ULL << 30)	/* 1 GiB simulated RAM */
#define HOSTENV_POOL_BYTES (64ULL << 20)	/* first 64 MiB: page allocator */

/* called before every test by test_main: frees everything, clears counters */
void hostenv_reset(void);

/* "guest RAM": a page-aligned chunk of the arena after the pool, aligned to
 * `align` (power of two >= 4K); contents zeroed. Returns the PA, 0 if full. */
paddr_t hostenv_ram_alloc(u64 size, u64 align);
bool hostenv_pa_valid(paddr_t pa, u64 len); /* inside the arena */

/* fault injection: the n-th allocation (page or object) from now fails;
 * n = 0 turns it off. hostenv_alloc_calls() counts allocation attempts. */
void hostenv_fail_nth(unsigned long n);
unsigned long hostenv_alloc_calls(void);
u64 hostenv_objs_in_use(void);

/* MMIO models */
struct mmio_model {
	paddr_t base;
	u64 size;
	void *ctx;
	u64 (*read)(void *ctx, u64 off, unsigned int bytes);
	void (*write)(void *ctx, u64 off, u64 val, unsigned int bytes);
};
void hostenv_mmio_register(const struct mmio_model *m);
void hostenv_mmio_unregister(paddr_t base);

/* captured log */
bool hostenv_log_contains(const char *needle);
unsigned int hostenv_log_count(const char *needle);	/* occurrences */
void hostenv_log_clear(void);
void hostenv_dump_log(FILE *f);

#endif
