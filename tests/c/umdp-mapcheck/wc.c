// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-mapcheck wc PHYS: the window is granted ",wc": round trip, and the
 * PAT memtype table holds one write-combining entry for the window from
 * its first mapping on, whatever the mappings do, until revoke frees it
 * (root only; the caller checks the revoke).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mapcheck.h"

/* Lines of /sys/kernel/debug/x86/pat_memtype_list naming WC at [s, e). */
static int pat_wc_entries(uint64_t s, uint64_t e)
{
	char line[256], a[40], b[40];
	int n = 0;
	FILE *f = fopen("/sys/kernel/debug/x86/pat_memtype_list", "r");

	if (!f)
		return -1;
	snprintf(a, sizeof(a), "%016" PRIx64, s);
	snprintf(b, sizeof(b), "%016" PRIx64, e);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "write-combining") && strstr(line, a) && strstr(line, b))
			n++;
	fclose(f);
	return n;
}

void check_wc(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die();
	void *m = map_or_die(dev, phys, TESTDEV_LEN);
	char flags[256] = "";
	pid_t pid;
	int n;

	wr32(m, 0x300, 0x0badcafe);
	CHECK(rd32(m, 0x300) == 0x0badcafe, "a write-combining window round-trips");
	n = pat_wc_entries(phys, phys + TESTDEV_LEN);
	if (n < 0) {
		printf("ok - # skip no PAT memtype list (PAT off or no debugfs)\n");
	} else {
		CHECK(n == 1, "PAT holds one write-combining entry for the window (%d)", n);
		fflush(stdout);
		pid = fork();
		if (pid == 0)
			_exit(rd32(m, 0x300) != 0x0badcafe);
		waitpid(pid, NULL, 0);
		CHECK(pat_wc_entries(phys, phys + TESTDEV_LEN) == 1,
		      "still one after a forked child with the mapping exited");
		umdp_unmap(m, TESTDEV_LEN);
		CHECK(pat_wc_entries(phys, phys + TESTDEV_LEN) == 1,
		      "still one after munmap: the node holds it until revoke");
		m = map_or_die(dev, phys, TESTDEV_LEN);
		CHECK(pat_wc_entries(phys, phys + TESTDEV_LEN) == 1,
		      "and still one, not two, after mapping again");
	}
	CHECK(vma_flags(m, flags, sizeof(flags)) && has_flag(flags, "io") &&
	      has_flag(flags, "pf"), "VmFlags has io pf (%s)", flags);
	umdp_unmap(m, TESTDEV_LEN);
	umdp_close(dev);
}
