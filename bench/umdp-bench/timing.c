// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench: the timing core. Every figure is the median of RUNS runs, a
 * run's the median of its BLOCKS blocks; the variants of one measurement
 * take turns block by block, and a row's ratio to a reference timed with
 * it is paired block by block (measure()).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Find how many calls make a run of about RUN_NS (also warms up). */
static void calibrate(struct variant *v)
{
	long n = 1;
	double el;

	for (;;) {
		double t0 = now_ns();

		v->fn(v, n);
		el = now_ns() - t0;
		if (el >= RUN_NS / 8 || n >= (1L << 30))
			break;
		n *= el < RUN_NS / 1000 ? 16 : 2;
	}
	v->calls = (long)((double)n * RUN_NS / el);
	if (v->calls < 1)
		v->calls = 1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * RUNS runs of every variant, each run BLOCKS blocks of calls/BLOCKS
 * calls, the variants taking turns block by block; a run's figure is the
 * median of its blocks. A block the host interrupted (another thread of
 * QEMU, or of the host, took the vCPU's core for a few ms) is a slow
 * block, not a slow run: the runs' spread measures the access, not the
 * host.
 */
/* the variant of v[] whose id is @id, -1 if none */
static int find(const struct variant *v, size_t nv, const char *id)
{
	for (size_t i = 0; i < nv; i++)
		if (!strcmp(v[i].id, id))
			return (int)i;
	return -1;
}

/*
 * The ratios are paired: in each turn the row's block and its reference's
 * ran a few ms apart, so a slow stretch of the host (the steal time of the
 * machine QEMU runs on comes and goes over seconds) slows both; per run
 * the median of the blocks' ratios, then the median of the runs'.
 */
void measure(struct variant *v, size_t nv)
{
	double (*blk)[BLOCKS] = calloc(nv, sizeof(*blk));
	double (*pr)[RUNS] = calloc(nv, sizeof(*pr));
	int *ref = calloc(nv, sizeof(*ref));
	double rb[BLOCKS];
	size_t i;

	if (!blk || !pr || !ref)
		die("out of memory");
	for (i = 0; i < nv; i++) {
		calibrate(&v[i]);
		v[i].calls = (v[i].calls + BLOCKS - 1) / BLOCKS;
		ref[i] = find(v, nv, v[i].ref);
	}
	for (int r = 0; r < RUNS; r++) {
		for (int b = 0; b < BLOCKS; b++) {
			for (i = 0; i < nv; i++) {
				double t0 = now_ns();

				v[i].fn(&v[i], v[i].calls);
				blk[i][b] = (now_ns() - t0) /
					    ((double)v[i].calls * v[i].per);
			}
		}
		for (i = 0; i < nv; i++) {
			if (ref[i] < 0)
				continue;
			for (int b = 0; b < BLOCKS; b++)
				rb[b] = blk[i][b] / blk[ref[i]][b];
			qsort(rb, BLOCKS, sizeof(rb[0]), cmp_double);
			pr[i][r] = rb[BLOCKS / 2];
		}
		for (i = 0; i < nv; i++) {
			qsort(blk[i], BLOCKS, sizeof(blk[i][0]), cmp_double);
			v[i].t[r] = blk[i][BLOCKS / 2];
		}
	}
	for (i = 0; i < nv; i++) {
		emit_row(v[i].id, v[i].section, v[i].label, v[i].t, "ns",
			 v[i].ref, v[i].syscalls / v[i].per,
			 v[i].calls * BLOCKS * (long)v[i].per, -1);
		if (ref[i] >= 0)
			emit_ratio(v[i].id, pr[i]);
	}
	free(blk);
	free(pr);
	free(ref);
}
