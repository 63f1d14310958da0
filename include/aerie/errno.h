/* SPDX-License-Identifier: MIT */
/*
 * Linux errno values. The hypercall ABI returns them negated, exactly as
 * iommufd does, so a guest can compare against its own <errno.h>.
 */
#ifndef AERIE_ERRNO_H
#define AERIE_ERRNO_H

#ifndef EPERM
#define EPERM 1
#define ENOENT 2
#define EIO 5
#define E2BIG 7
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOTTY 25
#define ENOSPC 28
#define ESPIPE 29
#define ERANGE 34
#define ENOSYS 38
#define EOVERFLOW 75
#define EMSGSIZE 90
#define EOPNOTSUPP 95
#define EADDRINUSE 98
#define ETIMEDOUT 110
#endif

const char *errno_name(int err); /* "EINVAL" for 22 or -22; "E?" if unknown */

#endif
