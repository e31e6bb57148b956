// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-hold GRANT|/PATH [--spin] - keep a grant open for tests.
 *
 * Opens the grant (printing "opened", or the errno name and exit 1), then
 * for every line on stdin reads one byte at port 0xe0 and prints "ok 0xNN"
 * or the errno name; exits at end of input. With --spin it reads port 0xe0
 * in a loop until killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[128], line[64];
	unsigned char b;
	int fd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: umdp-hold GRANT [--spin]\n");
		return 2;
	}
	if (argv[1][0] == '/')
		snprintf(path, sizeof(path), "%s", argv[1]);
	else
		snprintf(path, sizeof(path), "/dev/umdp/%s", argv[1]);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	printf("opened\n");
	fflush(stdout);
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
