/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check.h - the one assertion the C test programs share: CHECK(cond, fmt, ...)
 * prints "ok - ..." or "not ok - ..." (TAP-like, read by bats) and counts
 * the failures in the program's own `failures`.
 */
#ifndef UMDP_TEST_CHECK_H
#define UMDP_TEST_CHECK_H

#include <stdio.h>

static int failures;

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

#endif /* UMDP_TEST_CHECK_H */
