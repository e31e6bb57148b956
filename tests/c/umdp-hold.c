// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-hold GRANT|/PATH [--spin | --opens N | --ins N] - keep a grant open
 * for tests.
 *
 * Opens the grant (printing "opened", or the errno name and exit 1), then
 * for every line on stdin reads one byte at port 0xe0 and prints "ok 0xNN"
 * or the errno name; exits at end of input. With --spin it reads port 0xe0
 * in a loop until killed. With --opens N it opens the grant N times instead
 * (closing each file it gets) and prints "opened A", then "ERRNO B" for
 * each error that came, in the order they first came. With --ins N it
 * reads N bytes from port 0xe0 with UMDP_IOC_STRING, again and again, until
 * a call fails, and prints the calls done and the errno name.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/umdp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* --opens N: N opens of @path, the outcomes counted */
static int try_opens(const char *path, long n)
{
	int errs[8], counts[8], nerrs = 0, opened = 0, fd, i;
	long k;

	for (k = 0; k < n; k++) {
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			opened++;
			close(fd);
			continue;
		}
		for (i = 0; i < nerrs && errs[i] != errno; i++)
			;
		if (i == nerrs) {
			if (nerrs == 8)
				return 1;
			errs[nerrs] = errno;
			counts[nerrs++] = 0;
		}
		counts[i]++;
	}
	printf("opened %d\n", opened);
	for (i = 0; i < nerrs; i++)
		printf("%s %d\n", strerrorname_np(errs[i]), counts[i]);
	return 0;
}

/* --ins N: string reads of N bytes at port 0xe0 until one fails */
static int string_reads(int fd, long n)
{
	static unsigned char buf[UMDP_STRING_MAX];
	struct umdp_io_string s = {
		.argsz = sizeof(s), .buf = (uintptr_t)buf, .port = 0xe0,
		.size = 1, .count = (__u32)n,
	};
	long calls = 0;

	if (n < 1 || n > UMDP_STRING_MAX)
		return 2;
	while (ioctl(fd, UMDP_IOC_STRING, &s) == 0)
		calls++;
	printf("calls %ld %s\n", calls, strerrorname_np(errno));
	return 0;
}

int main(int argc, char **argv)
{
	char path[128], line[64];
	unsigned char b;
	int fd;

	if (argc < 2 || argc > 4 ||
	    (argc == 4 && strcmp(argv[2], "--opens") && strcmp(argv[2], "--ins"))) {
		fprintf(stderr, "usage: umdp-hold GRANT [--spin | --opens N | --ins N]\n");
		return 2;
	}
	if (argv[1][0] == '/')
		snprintf(path, sizeof(path), "%s", argv[1]);
	else
		snprintf(path, sizeof(path), "/dev/umdp/%s", argv[1]);
	if (argc == 4 && !strcmp(argv[2], "--opens"))
		return try_opens(path, strtol(argv[3], NULL, 10));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	printf("opened\n");
	fflush(stdout);
	if (argc == 4)
		return string_reads(fd, strtol(argv[3], NULL, 10));
	if (argc == 3 && !strcmp(argv[2], "--spin")) {
		for (;;)
			if (pread(fd, &b, 1, 0xe0) != 1)
				return 1;
	}
	while (fgets(line, sizeof(line), stdin)) {
		if (pread(fd, &b, 1, 0xe0) == 1)
			printf("ok 0x%02x\n", b);
		else
			printf("%s\n", strerrorname_np(errno));
		fflush(stdout);
	}
	return close(fd) ? 1 : 0;
}
