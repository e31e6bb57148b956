// SPDX-License-Identifier: LGPL-2.1-or-later
/* libumdp: who holds an I/O port range, from /proc/ioports. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "umdp-internal.h"

/*
 * One line of /proc/ioports: "  0060-0060 : keyboard", indented by two
 * spaces per level. Returns the depth, or -1 for a line of another form.
 */
static int parse_line(const char *line, unsigned int *start,
		      unsigned int *end, const char **name)
{
	int depth = (int)strspn(line, " ");
	int off = 0;

	if (sscanf(line + depth, "%x-%x : %n", start, end, &off) != 2 || !off)
		return -1;
	*name = line + depth + off;
	return depth;
}

UMDP_EXPORT int umdp_port_holder(unsigned int first, unsigned int last,
				 char *buf, size_t len)
{
	char line[256];
	const char *name = "";
	unsigned int s, e, any = 0;
	int depth, best = -1;
	FILE *f;

	if (!buf || !len || first > last || last > UMDP_PORT_MAX)
		return -EINVAL;
	f = fopen("/proc/ioports", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		depth = parse_line(line, &s, &e, &name);
		any |= depth >= 0 ? e : 0;
		if (depth <= best || s > last || e < first)
			continue;
		best = depth;
		snprintf(buf, len, "%s", name);
	}
	fclose(f);
	/* the kernel shows other users every range as 0000-0000 */
	if (!any)
		return -EACCES;
	return best < 0 ? -ENOENT : 0;
}
