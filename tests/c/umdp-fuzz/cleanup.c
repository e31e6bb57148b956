// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cleanup.c - loading umdp, and leaving nothing behind: every grant
 * revoked and removed, every exe group removed, pc-testdev's IRQ lines
 * low, the module unloaded, and (on a kernel with kmemleak) a last scan
 * for leaks.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define KMEMLEAK "/sys/kernel/debug/kmemleak"

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int write_str(const char *file, const char *s)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* one pass; returns the number of directories that could not go */
static int cleanup_pass(FILE *log, bool last)
{
	DIR *root = opendir(CFS_ROOT), *exe;
	struct dirent *e, *g;
	char path[512], file[1024];
	int failed = 0;

	if (!root)
		return 0;
	while ((e = readdir(root))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CFS_ROOT, e->d_name);
		if (!is_dir(path))
			continue;
		exe = opendir(path);
		while (exe && (g = readdir(exe))) {
			if (g->d_name[0] == '.')
				continue;
			snprintf(file, sizeof(file), "%s/%s", path, g->d_name);
			if (!is_dir(file))
				continue;
			snprintf(file, sizeof(file), "%s/%s/enable", path,
				 g->d_name);
			write_str(file, "0\n");
			snprintf(file, sizeof(file), "%s/%s", path, g->d_name);
			if (rmdir(file)) {
				if (last)
					fprintf(log, "umdp-fuzz: cleanup: rmdir %s: %s\n",
						file, strerror(errno));
				failed++;
			}
		}
		if (exe)
			closedir(exe);
		if (rmdir(path)) {
			if (last)
				fprintf(log, "umdp-fuzz: cleanup: rmdir %s: %s\n",
					path, strerror(errno));
			failed++;
		}
	}
	closedir(root);
	return failed;
}

int cleanup_configfs(FILE *log)
{
	int i, failed = 0;

	for (i = 0; i < 3; i++) {
		failed = cleanup_pass(log, i == 2);
		if (!failed)
			break;
	}
	return failed;
}

/*
 * Random port writes through a node or /dev/port can leave one of
 * pc-testdev's ISA lines high (a write of anything but 0 to 0x2000 + n
 * raises line n and it stays raised). The next driver of that line would
 * then see an interrupt it never caused: lower every line the fuzzer
 * may touch.
 */
int lower_irq_lines(FILE *log)
{
	static const unsigned int lines[] = { 3, 5, 7, 10 };
	unsigned char zero = 0;
	unsigned int i;
	int fd, failed = 0;

	fd = open("/dev/port", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(log, "umdp-fuzz: /dev/port: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (pwrite(fd, &zero, 1, (off_t)(0x2000 + lines[i])) != 1) {
			fprintf(log, "umdp-fuzz: lowering IRQ %u: %s\n",
				lines[i], strerror(errno));
			failed = 1;
		}
	}
	close(fd);
	return failed;
}

int module_load(const char *ko)
{
	int fd, ret;

	if (is_dir("/sys/module/umdp"))
		return 0;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "umdp-fuzz: %s: %s\n", ko, strerror(errno));
		return -1;
	}
	ret = (int)syscall(SYS_finit_module, fd, "", 0);
	if (ret)
		fprintf(stderr, "umdp-fuzz: insmod %s: %s\n", ko,
			strerror(errno));
	close(fd);
	return ret;
}

/* rmmod umdp; a module still in use after everything is gone is a leak */
int module_unload(FILE *log)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	char ref[32] = "?";
	int i, fd;
	ssize_t n;

	if (!is_dir("/sys/module/umdp"))
		return 0;
	for (i = 0; i < 50; i++) {
		if (syscall(SYS_delete_module, "umdp", O_NONBLOCK) == 0)
			return 0;
		if (errno != EBUSY && errno != EAGAIN)
			break;
		nanosleep(&ts, NULL);
	}
	fd = open("/sys/module/umdp/refcnt", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, ref, sizeof(ref) - 1);
		ref[n > 0 ? n : 0] = '\0';
		if (n > 0 && ref[n - 1] == '\n')
			ref[n - 1] = '\0';
		close(fd);
	}
	fprintf(log, "umdp-fuzz: rmmod umdp failed: %s (refcnt %s) with every grant gone and every process dead\n",
		strerror(errno), ref);
	return -1;
}

bool kmemleak_available(void)
{
	return access(KMEMLEAK, W_OK) == 0;
}

void kmemleak_clear(void)
{
	write_str(KMEMLEAK, "clear");
}

/* a scan now; prints what it found, returns the number of leaks */
int kmemleak_check(FILE *f)
{
	char buf[4096];
	FILE *k;
	int leaks = 0;

	if (write_str(KMEMLEAK, "scan"))
		return 0;
	k = fopen(KMEMLEAK, "r");
	if (!k)
		return 0;
	while (fgets(buf, sizeof(buf), k)) {
		if (strstr(buf, "unreferenced object"))
			leaks++;
		if (leaks)
			fprintf(f, "  %s", buf);
	}
	fclose(k);
	return leaks;
}
