/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internals of libumdp: not installed, not exported. */
#ifndef UMDP_INTERNAL_H
#define UMDP_INTERNAL_H

#include "umdp.h"

#define UMDP_EXPORT __attribute__((visibility("default")))

/* The handle is immutable after umdp_open(): safe to share across threads. */
struct umdp_dev {
	int fd;
	char name[UMDP_NAME_MAX];
};

int umdp_valid_name(const char *name);

#endif /* UMDP_INTERNAL_H */
