/* SPDX-License-Identifier: MIT */
/* log_printf and the console: whole lines under one lock so CPUs don't mix. */
#include <stdarg.h>
#include <aerie/console.h>
#include <aerie/log.h>
#include <aerie/spinlock.h>

static struct console_uart uart;
static spinlock_t console_lock = SPINLOCK_INIT;
static bool locks_usable;

void console_use_uart(const struct board *b)
{
	if (!b->uart.present)
		return;
	uart.kind = b->uart.kind;
	uart.reg_shift = b->uart.reg_shift;
	uart.reg_io_width = b->uart.reg_io_width;
	if (uart.kind == UART_PL011)
		pl011_init(b->uart.base);
	uart.base = b->uart.base;
}

bool console_has_uart(void)
{
	return uart.base != 0;
}


/* exclusive monitors need cacheable memory: no lock before the MMU is on */
void console_enable_locking(void)
{
	locks_usable = true;
}

/* the UART's kind decided once a write, not once a character */
void console_write(const char *s, size_t n)
{
	if (uart.base && uart.kind != UART_8250) {
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '\n')
				pl011_putc(uart.base, '\r');
			pl011_putc(uart.base, s[i]);
		}
	} else if (uart.base) {
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '\n')
				ns16550_putc(&uart, '\r');
			ns16550_putc(&uart, s[i]);
		}
	} else if (semihosting_enabled) {
		char chunk[129];
		while (n) {
			size_t k = n < 128 ? n : 128;
			for (size_t i = 0; i < k; i++)
				chunk[i] = s[i];
			chunk[k] = 0;
			semihost_write0(chunk);
			s += k;
			n -= k;
		}
	}
}

void log_printf(enum log_level lvl, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	(void)lvl;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (locks_usable)
		spin_lock(&console_lock);
	console_write(buf, (size_t)n);
	if (locks_usable)
		spin_unlock(&console_lock);
}
