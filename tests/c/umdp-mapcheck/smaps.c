// SPDX-License-Identifier: GPL-2.0-or-later
/* umdp-mapcheck: a mapping's VmFlags in /proc/self/smaps. */
#include <stdio.h>
#include <string.h>

#include "mapcheck.h"

/* The VmFlags line of the VMA starting at addr, without "VmFlags:". */
int vma_flags(void *addr, char *out, size_t size)
{
	char line[512];
	unsigned long start, end;
	int in = 0, found = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = start == (unsigned long)addr;
			continue;
		}
		if (in && !strncmp(line, "VmFlags:", 8)) {
			strncpy(out, line + 8, size - 1);
			out[size - 1] = '\0';
			out[strcspn(out, "\n")] = '\0';
			found = 1;
			break;
		}
	}
	fclose(f);
	return found;
}

int has_flag(const char *flags, const char *f)
{
	char pat[8];

	snprintf(pat, sizeof(pat), " %s", f);
	for (const char *p = flags; (p = strstr(p, pat)); p += 3)
		if (p[3] == ' ' || p[3] == '\0')
			return 1;
	return 0;
}
