/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check.h - the one assertion the C test programs share: CHECK(cond, fmt, ...)
 * prints "ok - ..." or "not ok - ..." (TAP-like, read by bats) and counts
 * the failures in the program's own `failures`.
 *
 * A program of several files defines CHECK_SHARED before including this and
 * `int failures;` in one of them, so that all its files count in one place.
 *
 * open_grant() opens a grant or ends the program with one "not ok" line.
 */
#ifndef UMDP_TEST_CHECK_H
#define UMDP_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#include <umdp.h>

#ifdef CHECK_SHARED
extern int failures;
#else
static int failures;
#endif

#define CHECK(cond, ...)                                        \
	do {                                                    \
		if (cond) {                                     \
			printf("ok - ");                        \
		} else {                                        \
			printf("not ok - ");                    \
			failures++;                             \
		}                                               \
		printf(__VA_ARGS__);                            \
		printf("\n");                                   \
		fflush(stdout);                                 \
	} while (0)

static inline struct umdp_dev *open_grant(const char *name)
{
	struct umdp_dev *dev;
	int err = umdp_open(name, 0, &dev);

	if (err) {
		printf("not ok - open %s: %s\n", name, umdp_strerror(err));
		exit(1);
	}
	return dev;
}

#endif /* UMDP_TEST_CHECK_H */
