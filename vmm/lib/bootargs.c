/* SPDX-License-Identifier: MIT */
#include <aerie/bootargs.h>
#include <aerie/string.h>

bool bootarg_get(const char *args, const char *key, char *val, size_t len)
{
	size_t klen = strlen(key);
	const char *p = args;

	while (p && *p) {
		const char *end = strchr(p, ' ');
		size_t wlen = end ? (size_t)(end - p) : strlen(p);

		if (wlen >= klen && !strncmp(p, key, klen) &&
		    (wlen == klen || p[klen] == '=')) {
			if (val && len) {
				size_t vlen = wlen > klen ? wlen - klen - 1 : 0;
				if (vlen >= len)
					vlen = len - 1;
				memcpy(val, p + klen + 1, vlen);
				val[vlen] = 0;
			}
			return true;
		}
		p = end ? end + 1 : NULL;
	}
	return false;
}
