/* SPDX-License-Identifier: MIT */
/*
 * The guest's console: a write-only PL011 at GUEST_UART_IPA. Lines are
 * printed with the guest's name; the flag register never says busy and the
 * other registers read as zero. A guest configured without a console has
 * none: its accesses there are data aborts like any address it does not own.
 */
#include <aerie/guest.h>
#include <aerie/log.h>
#include <aerie/vmmio.h>

#define PL011_DR	0x00
#define PL011_WINDOW	0x1000

static void console_put(struct guest *g, char c)
{
	spin_lock(&g->lock);
	if (c == '\n' || g->line_len == sizeof(g->line) - 1) {
		g->line[g->line_len] = 0;
		pr_info("[%s] %s\n", g->name, g->line);
		g->line_len = 0;
	}
	if (c != '\r' && c != '\n')
		g->line[g->line_len++] = c;
	spin_unlock(&g->lock);
}

bool vuart_access(struct guest *g, struct vmmio_access *a)
{
	if (g->no_console || a->ipa < GUEST_UART_IPA || a->ipa >= GUEST_UART_IPA + PL011_WINDOW)
		return false;
	if (a->write && a->ipa - GUEST_UART_IPA == PL011_DR)
		console_put(g, (char)a->val);
	else if (!a->write)
		a->val = 0;
	return true;
}
