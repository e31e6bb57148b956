// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench - what a umdp access costs next to the kernel's own ways.
 *
 *   umdp-bench pread GRANT PORT N   1-byte pread: /dev/umdp/GRANT vs /dev/port
 *
 * Each figure is the median of 5 runs of N accesses, in ns per access, and
 * the ratio to its reference measured in the same run. Run as root in the
 * guest (for /dev/port) by the grant's program (this binary).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RUNS 5

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* ns per 1-byte pread at port, median of RUNS runs of n */
static double pread_cost(int fd, off_t port, long n)
{
	double t[RUNS];
	unsigned char b;

	for (int r = 0; r < RUNS; r++) {
		double t0 = now_ns();

		for (long i = 0; i < n; i++) {
			if (pread(fd, &b, 1, port) != 1) {
				perror("pread");
				exit(1);
			}
		}
		t[r] = (now_ns() - t0) / (double)n;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

static int open_or_die(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "umdp-bench: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	char path[128];
	long n;
	off_t port;

	if (argc != 5 || strcmp(argv[1], "pread")) {
		fprintf(stderr, "usage: umdp-bench pread GRANT PORT N\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/dev/umdp/%s", argv[2]);
	port = (off_t)strtol(argv[3], NULL, 0);
	n = strtol(argv[4], NULL, 0);
	if (n <= 0)
		return 2;

	int ufd = open_or_die(path), pfd = open_or_die("/dev/port");
	double u = pread_cost(ufd, port, n), p = pread_cost(pfd, port, n);

	printf("1-byte pread x %ld, median of %d runs:\n", n, RUNS);
	printf("  /dev/port  %8.0f ns\n", p);
	printf("  umdp node  %8.0f ns  (%.2fx /dev/port)\n", u, u / p);
	return 0;
}
