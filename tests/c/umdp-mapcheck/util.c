// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-mapcheck: opening the grant and mapping it or dying, how a child
 * ended, waiting for the test's go-ahead.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "mapcheck.h"

struct umdp_dev *open_or_die(void)
{
	return open_grant(grant);
}

void *map_or_die(struct umdp_dev *dev, uint64_t phys, size_t len)
{
	void *p;
	int err = umdp_map(dev, phys, len, 0, &p);

	if (err) {
		printf("not ok - map 0x%" PRIx64 "+0x%zx: %s\n", phys, len,
		       umdp_strerror(err));
		exit(1);
	}
	return p;
}

/* How a child ended, for the check lines. */
const char *child_end(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by %s", sigabbrev_np(WTERMSIG(status)));
	else
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	return buf;
}

/* Print "ready", then wait for a line on stdin (the test revokes meanwhile). */
void wait_line(void)
{
	char line[64];

	printf("ready\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		exit(3);
}
