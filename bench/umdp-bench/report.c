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

void emit_ratio(const char *id, const double *r)
{
	double spread, m = median(r, &spread);

	printf("pratio\t%s\t%.4f\t%.4f\n", id, m, spread);
	fflush(stdout);
}

void emit_loss(const char *id, const char *label, long raised,
	       unsigned long long counted, long long kernel)
{
	printf("loss\t%s\t%s\t%ld\t%llu\t%lld\n", id, label, raised, counted,
	       kernel);
	fflush(stdout);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* the nearest-rank percentile num/den of n sorted samples */
static uint32_t rank(const uint32_t *s, long n, long num, long den)
{
	long i = (n * num + den - 1) / den - 1;

	return s[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/*
 * The histogram's grid: LAT_HIST_BINS bins, LAT_HIST_PER_DECADE per decade
 * from LAT_HIST_LO_NS; bin k holds [lo * 10^(k/d), lo * 10^((k+1)/d)), the
 * first also everything below, the last everything above.
 */
static unsigned int hist_bin(uint32_t ns)
{
	static double edge[LAT_HIST_BINS];
	unsigned int k;

	if (!edge[0]) {
		/* 10^(1/d) by bisection: no libm */
		double lo = 1, hi = 10, step, x;

		for (int it = 0; it < 100; it++) {
			double mid = (lo + hi) / 2, p = 1;

			for (int j = 0; j < LAT_HIST_PER_DECADE; j++)
				p *= mid;
			if (p < 10)
				lo = mid;
			else
				hi = mid;
		}
		step = lo;
		x = LAT_HIST_LO_NS;
		for (k = 0; k < LAT_HIST_BINS; k++) {
			x *= step;
			edge[k] = x;	/* the upper edge of bin k */
		}
	}
	for (k = 0; k < LAT_HIST_BINS - 1; k++)
		if (ns < edge[k])
			break;
	return k;
}

void emit_latency(const char *id, const char *label, const char *load,
		  uint32_t *ns, long n, long bad)
{
	unsigned long hist[LAT_HIST_BINS] = { 0 };
	double sum = 0;

	qsort(ns, (size_t)n, sizeof(*ns), cmp_u32);
	for (long i = 0; i < n; i++) {
		hist[hist_bin(ns[i])]++;
		sum += ns[i];
	}
	printf("lat\t%s\t%s\t%s\t%ld\t%ld", id, label, load, n, bad);
	if (n)
		printf("\t%u\t%u\t%u\t%u\t%u\t%.0f\t", ns[0],
		       rank(ns, n, 1, 2), rank(ns, n, 99, 100),
		       rank(ns, n, 999, 1000), ns[n - 1], sum / (double)n);
	else
		printf("\t0\t0\t0\t0\t0\t0\t");
	for (unsigned int k = 0; k < LAT_HIST_BINS; k++)
		printf("%s%lu", k ? "," : "", hist[k]);
	printf("\n");
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
