/* SPDX-License-Identifier: MIT */
/*
 * Included first in every hypervisor source (the Makefile's -include).
 * Aerie is one static position-independent image that exports nothing, so
 * every symbol, defined or only declared, is hidden: the compiler reaches
 * it PC-relative (ADRP + ADD) instead of through a GOT entry that needs a
 * load and a run-time relocation. This took 196 GOT entries (4.7 KiB of
 * relocations, 1.6 KiB of data) out of the image.
 */
#ifndef __ASSEMBLY__
#pragma GCC visibility push(hidden)
#endif
