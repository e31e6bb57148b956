// SPDX-License-Identifier: GPL-2.0-or-later
/* umdp-bench: the records scripts/bench reads (row, loss, note), and dying. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

__attribute__((format(printf, 1, 2), noreturn)) void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "umdp-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* median of RUNS figures; *spread = (max - min) / median */
static double median(const double *t, double *spread)
{
	double s[RUNS];

	memcpy(s, t, sizeof(s));
	qsort(s, RUNS, sizeof(s[0]), cmp_double);
	*spread = s[RUNS / 2] > 0 ? (s[RUNS - 1] - s[0]) / s[RUNS / 2] : 0;
	return s[RUNS / 2];
}

void emit_row(const char *id, const char *section, const char *label,
	      const double *t, const char *unit, const char *ref,
	      double syscalls, long n, double hwirqs)
{
	double spread, m = median(t, &spread);

	printf("row\t%s\t%s\t%s\t%.2f\t%s\t%s\t%.6g\t%.4f\t%ld\t%.4f\n", id,
	       section, label, m, unit, ref, syscalls, spread, n, hwirqs);
	fflush(stdout);
}

void emit_loss(const char *id, const char *label, long raised,
	       unsigned long long counted, long long kernel)
{
	printf("loss\t%s\t%s\t%ld\t%llu\t%lld\n", id, label, raised, counted,
	       kernel);
	fflush(stdout);
}

__attribute__((format(printf, 1, 2))) void note(const char *fmt, ...)
{
	va_list ap;

	printf("note\t");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}
