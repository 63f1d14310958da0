/* SPDX-License-Identifier: MIT */
/*
 * A small vsnprintf: %d %i %u %x %X %o %p %s %c %%, flags - 0 + space #,
 * width and precision (also '*'), length hh h l ll z j t. No floating point.
 * Host tests build this file with -Dvsnprintf=aerie_vsnprintf.
 */
#include <stdarg.h>
#include <aerie/log.h>
#include <aerie/types.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

#define F_LEFT 1
#define F_ZERO 2
#define F_PLUS 4
#define F_SPACE 8
#define F_ALT 16

static void put_num(struct out *o, unsigned long long v, bool neg, unsigned int base,
		    bool upper, int flags, int width, int prec)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, sign = 0, prefix = 0, zeros;

	if (v == 0 && prec != 0)
		tmp[n++] = '0';
	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if (neg || (flags & (F_PLUS | F_SPACE)))
		sign = 1;
	if ((flags & F_ALT) && base == 16 && n && !(n == 1 && tmp[0] == '0'))
		prefix = 2;
	zeros = prec > n ? prec - n : 0;
	if ((flags & F_ZERO) && !(flags & F_LEFT) && prec < 0)
		zeros = MAX(zeros, width - n - sign - prefix);
	if (!(flags & F_LEFT))
		pad(o, ' ', width - n - zeros - sign - prefix);
	if (sign)
		put(o, neg ? '-' : (flags & F_PLUS) ? '+' : ' ');
	if (prefix) {
		put(o, '0');
		put(o, upper ? 'X' : 'x');
	}
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	/* left-justified padding is added by the caller */
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int flags = 0, width = 0, prec = -1, lng = 0;
		size_t start;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				flags |= F_LEFT;
			else if (*fmt == '0')
				flags |= F_ZERO;
			else if (*fmt == '+')
				flags |= F_PLUS;
			else if (*fmt == ' ')
				flags |= F_SPACE;
			else if (*fmt == '#')
				flags |= F_ALT;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'h')
				lng--;
			else if (*fmt == 'l' || *fmt == 'z' || *fmt == 'j' || *fmt == 't')
				lng++;
			else
				break;
		}
		start = o.len;
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = lng >= 1 ? (lng >= 2 ? va_arg(ap, long long) : va_arg(ap, long))
					       : va_arg(ap, int);
			if (lng == -1)
				v = (short)v;
			else if (lng <= -2)
				v = (signed char)v;
			put_num(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v, v < 0,
				10, false, flags, width, prec);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			unsigned long long v = lng >= 1 ? (lng >= 2 ? va_arg(ap, unsigned long long)
								    : va_arg(ap, unsigned long))
							: va_arg(ap, unsigned int);
			if (lng == -1)
				v = (unsigned short)v;
			else if (lng <= -2)
				v = (unsigned char)v;
			put_num(&o, v, false, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X',
				flags & ~(F_PLUS | F_SPACE), width, prec);
			break;
		}
		case 'p':
			put_num(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, F_ALT, width,
				prec);
			break;
		case 'c':
			if (!(flags & F_LEFT))
				pad(&o, ' ', width - 1);
			put(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;

			if (!s)
				s = "(null)";
			while ((prec < 0 || n < prec) && s[n])
				n++;
			if (!(flags & F_LEFT))
				pad(&o, ' ', width - n);
			for (int i = 0; i < n; i++)
				put(&o, s[i]);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
		if ((flags & F_LEFT) && (int)(o.len - start) < width)
			pad(&o, ' ', width - (int)(o.len - start));
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
