// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-write FILE VALUE [REPEAT] - one write(2) of VALUE to FILE.
 *
 * VALUE may hold C escapes (\n, \t, \\, \xNN, \0), so a test can write an
 * embedded NUL; with REPEAT the bytes are repeated that many times in the
 * same single write. Prints nothing on success; on failure prints the
 * errno's name (EINVAL, EBUSY, ...) and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t unescape(const char *s, char *out)
{
	size_t n = 0;

	while (*s) {
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': out[n++] = '\n'; s++; break;
		case 't': out[n++] = '\t'; s++; break;
		case '0': out[n++] = '\0'; s++; break;
		case 'x': {
			char hex[3] = { 0 };

			memcpy(hex, s + 1, 2);
			out[n++] = (char)strtoul(hex, NULL, 16);
			s += 1 + strlen(hex);
			break;
		}
		case '\0': out[n++] = '\\'; break;
		default: out[n++] = *s++; break;
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	size_t len, total, i, repeat = 1;
	char *one, *buf;
	ssize_t r;
	int fd;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: umdp-write FILE VALUE [REPEAT]\n");
		return 2;
	}
	if (argc == 4)
		repeat = strtoul(argv[3], NULL, 0);
	one = malloc(strlen(argv[2]) + 1);
	if (!one)
		return 2;
	len = unescape(argv[2], one);
	total = len * repeat;
	buf = malloc(total + 1);
	if (!buf)
		return 2;
	for (i = 0; i < repeat; i++)
		memcpy(buf + i * len, one, len);
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	r = write(fd, buf, total);
	if (r < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	if ((size_t)r != total) {
		printf("SHORT %zd of %zu\n", r, total);
		return 1;
	}
	return close(fd) ? 1 : 0;
}
