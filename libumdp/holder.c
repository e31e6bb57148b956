// SPDX-License-Identifier: LGPL-2.1-or-later
/* libumdp: who holds an I/O port range or an IRQ line, from procfs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

/*
 * The action names of one line of /proc/interrupts after its "N:" label,
 * e.g. from "   0   9   IO-APIC   9-fasteoi   acpi" with @ncpu = 2 the names
 * "acpi". The line is: one count per online CPU, the chip's name, then
 * "<hwirq>-<flow>" (e.g. "9-fasteoi", "512000-edge") and, when the line
 * has handlers, their names separated by ", ". Returns 0 with the names
 * in @buf, -ENOENT when the line has no handler.
 */
static int irq_actions(const char *rest, unsigned int ncpu, char *buf,
		       size_t len)
{
	const char *p = rest, *tok, *after_chip = NULL;
	unsigned int i;
	size_t n;

	for (i = 0; i < ncpu; i++) {
		p += strspn(p, " \t");
		p += strspn(p, "0123456789");
	}
	for (;;) {
		p += strspn(p, " \t");
		if (!*p)
			return -ENOENT;
		tok = p;
		p += strcspn(p, " \t");
		if (!after_chip) {
			after_chip = p;
			continue;
		}
		/* "<hwirq>-<flow>": the handlers' names follow */
		n = strspn(tok, "0123456789");
		if (n && tok[n] == '-')
			break;
	}
	p += strspn(p, " \t");
	if (!*p)
		return -ENOENT;
	n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	snprintf(buf, len, "%.*s", (int)n, p);
	return 0;
}

UMDP_EXPORT int umdp_irq_holder(unsigned int irq, char *buf, size_t len)
{
	char *line = NULL;
	size_t cap = 0;
	const char *p;
	unsigned int ncpu = 0, n;
	int off, err = -ENOENT;
	FILE *f;

	if (!buf || !len)
		return -EINVAL;
	f = fopen("/proc/interrupts", "re");
	if (!f)
		return -errno;
	/* the header names one column per online CPU: "CPU0 CPU1 ..." */
	if (getline(&line, &cap, f) > 0)
		for (p = strstr(line, "CPU"); p; p = strstr(p + 3, "CPU"))
			ncpu++;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		off = 0;
		if (sscanf(line, " %u:%n", &n, &off) != 1 || !off || n != irq)
			continue;
		err = irq_actions(line + off, ncpu, buf, len);
		break;
	}
	free(line);
	fclose(f);
	return err;
}
