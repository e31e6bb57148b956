// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench - what a umdp access costs next to the kernel's own ways.
 *
 *   umdp-bench pread GRANT PORT N   1-byte pread: /dev/umdp/GRANT vs /dev/port
 *   umdp-bench mmio GRANT PHYS RESOURCE0 N
 *                                   4-byte read of the first register of a
 *                                   PCI BAR at PHYS: through a umdp mapping
 *                                   of GRANT vs through the BAR's sysfs
 *                                   resource file (e.g.
 *                                   /sys/bus/pci/devices/BDF/resource0)
 *
 * Each figure is the median of 5 runs of N accesses, in ns per access, and
 * the ratio to its reference measured in the same run. Run as root in the
 * guest (for /dev/port and sysfs resource files) by the grant's program
 * (this binary).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <umdp.h>

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

static double median(double *t)
{
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

/* ns per 4-byte read at p, one run of n */
static double mmio_run(const volatile uint32_t *p, long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		(void)*p;
	return (now_ns() - t0) / (double)n;
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

static int bench_mmio(const char *grant, uint64_t phys, const char *res,
		      long n)
{
	const volatile uint32_t *u, *s;
	struct umdp_dev *dev;
	void *um, *sm;
	double tu[RUNS], ts[RUNS];
	int err, fd;

	err = umdp_open(grant, 0, &dev);
	if (!err)
		err = umdp_map(dev, phys, 4096, 0, &um);
	if (err) {
		fprintf(stderr, "umdp-bench: grant %s: %s\n", grant,
			umdp_strerror(err));
		return 1;
	}
	fd = open_or_die(res);
	sm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (sm == MAP_FAILED) {
		fprintf(stderr, "umdp-bench: mmap %s: %s\n", res, strerror(errno));
		return 1;
	}
	u = um;
	s = sm;
	if (*u != *s) {		/* also takes both first-touch faults */
		fprintf(stderr, "umdp-bench: the two mappings disagree\n");
		return 1;
	}
	/* interleaved, so drift of the host hits both alike */
	for (int r = 0; r < RUNS; r++) {
		tu[r] = mmio_run(u, n);
		ts[r] = mmio_run(s, n);
	}
	printf("4-byte MMIO read at 0x%llx x %ld, median of %d runs:\n",
	       (unsigned long long)phys, n, RUNS);
	printf("  sysfs resource mapping %8.1f ns\n", median(ts));
	printf("  umdp mapping           %8.1f ns  (%.2fx sysfs)\n",
	       median(tu), median(tu) / median(ts));
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: umdp-bench pread GRANT PORT N\n"
		"       umdp-bench mmio GRANT PHYS RESOURCE0 N\n");
	exit(2);
}

int main(int argc, char **argv)
{
	char path[128];
	long n;
	off_t port;

	if (argc == 6 && !strcmp(argv[1], "mmio")) {
		n = strtol(argv[5], NULL, 0);
		if (n <= 0)
			usage();
		return bench_mmio(argv[2], strtoull(argv[3], NULL, 0),
				  argv[4], n);
	}
	if (argc != 5 || strcmp(argv[1], "pread"))
		usage();
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
