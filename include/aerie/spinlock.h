/* SPDX-License-Identifier: MIT */
/* Ticket spinlock (load/store-exclusive; no LSE requirement). Host test
 * builds are single-threaded: the lock compiles to nothing. */
#ifndef AERIE_SPINLOCK_H
#define AERIE_SPINLOCK_H

#include <aerie/types.h>

typedef struct {
	volatile u32 next, owner;
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

#ifdef HOST_TEST
static inline void spin_lock(spinlock_t *l) { (void)l; }
static inline void spin_unlock(spinlock_t *l) { (void)l; }
#else
static inline void spin_lock(spinlock_t *l)
{
	u32 ticket, tmp;

	__asm__ volatile("1: ldaxr %w0, [%2]\n"
			 "   add %w1, %w0, #1\n"
			 "   stxr w3, %w1, [%2]\n"
			 "   cbnz w3, 1b\n"
			 : "=&r"(ticket), "=&r"(tmp)
			 : "r"(&l->next)
			 : "x3", "memory");
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		__asm__ volatile("yield");
}
static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}
#endif

#endif
