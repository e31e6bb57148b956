// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-io - peek and poke the ports of a umdp grant
 *
 *   umdp-io GRANT read8|read16|read32 PORT
 *   umdp-io GRANT write8|write16|write32 PORT VALUE
 *   umdp-io --holder FIRST[-LAST]
 *   umdp-io --irq-holder IRQ
 *
 * The program must be the grant's program (its `path`); it needs no root.
 * --holder names who holds a port range (when an exclusive grant's enable
 * failed with EBUSY, say), as /proc/ioports does; that needs root.
 * --irq-holder names the handlers of an IRQ line from /proc/interrupts;
 * anyone may ask.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <umdp.h>

#include "example.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: umdp-io GRANT read8|read16|read32 PORT\n"
		   "       umdp-io GRANT write8|write16|write32 PORT VALUE\n"
		   "       umdp-io --holder FIRST[-LAST]\n"
		   "       umdp-io --irq-holder IRQ\n");
}

static int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* --holder FIRST[-LAST]: print who holds the ports */
static int holder(const char *range)
{
	char first[16] = "", who[128];
	const char *dash = strchr(range, '-');
	uint32_t a, b;
	int err;

	snprintf(first, sizeof(first), "%.*s",
		 dash ? (int)(dash - range) : (int)strlen(range), range);
	if (parse_u32(first, 0xffff, &a) ||
	    (dash ? parse_u32(dash + 1, 0xffff, &b) : (b = a, 0)) || b < a) {
		fprintf(stderr, "umdp-io: '%s' is not a port range\n", range);
		return 2;
	}
	err = umdp_port_holder(a, b, who, sizeof(who));
	if (err == -ENOENT) {
		printf("ports 0x%x-0x%x: free\n", a, b);
		return 0;
	}
	if (err) {
		fprintf(stderr, "umdp-io: /proc/ioports: %s%s\n", strerror(-err),
			err == -EACCES ? " (only root sees its ranges)" : "");
		return 1;
	}
	printf("ports 0x%x-0x%x: held by %s\n", a, b, who);
	return 0;
}

/* --irq-holder IRQ: print who holds the line */
static int irq_holder(const char *arg)
{
	char who[128];
	uint32_t irq;
	int err;

	if (parse_u32(arg, UINT32_MAX, &irq)) {
		fprintf(stderr, "umdp-io: '%s' is not an IRQ line\n", arg);
		return 2;
	}
	err = umdp_irq_holder(irq, who, sizeof(who));
	if (err == -ENOENT) {
		printf("irq %u: free\n", irq);
		return 0;
	}
	if (err) {
		fprintf(stderr, "umdp-io: /proc/interrupts: %s\n", strerror(-err));
		return 1;
	}
	printf("irq %u: held by %s\n", irq, who);
	return 0;
}

int main(int argc, char **argv)
{
	struct umdp_dev *dev;
	const char *op;
	uint32_t port, value = 0, width;
	int write, err;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--holder"))
		return holder(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--irq-holder"))
		return irq_holder(argv[2]);
	if (argc < 4) {
		usage(stderr);
		return 2;
	}
	op = argv[2];
	if (!strncmp(op, "read", 4)) {
		write = 0;
		width = (uint32_t)atoi(op + 4);
	} else if (!strncmp(op, "write", 5)) {
		write = 1;
		width = (uint32_t)atoi(op + 5);
	} else {
		fprintf(stderr, "umdp-io: unknown operation '%s'\n", op);
		usage(stderr);
		return 2;
	}
	if ((width != 8 && width != 16 && width != 32) ||
	    argc != (write ? 5 : 4)) {
		usage(stderr);
		return 2;
	}
	if (parse_u32(argv[3], 0xffff, &port)) {
		fprintf(stderr, "umdp-io: '%s' is not a port (0..0xffff)\n", argv[3]);
		return 2;
	}
	if (write && parse_u32(argv[4], width == 32 ? UINT32_MAX : (1u << width) - 1,
			       &value)) {
		fprintf(stderr, "umdp-io: '%s' does not fit in %u bits\n", argv[4], width);
		return 2;
	}

	if (open_grant("umdp-io", argv[1], &dev))
		return 1;
	if (write) {
		if (width == 8)
			err = umdp_outb(dev, (uint16_t)port, (uint8_t)value);
		else if (width == 16)
			err = umdp_outw(dev, (uint16_t)port, (uint16_t)value);
		else
			err = umdp_outl(dev, (uint16_t)port, value);
	} else {
		uint8_t b;
		uint16_t w;

		if (width == 8) {
			err = umdp_inb(dev, (uint16_t)port, &b);
			value = b;
		} else if (width == 16) {
			err = umdp_inw(dev, (uint16_t)port, &w);
			value = w;
		} else {
			err = umdp_inl(dev, (uint16_t)port, &value);
		}
	}
	umdp_close(dev);
	if (err) {
		fprintf(stderr, "umdp-io: %s of %u bits at port 0x%x: %s\n",
			write ? "write" : "read", width, port, umdp_strerror(err));
		return 1;
	}
	if (!write)
		printf("0x%0*" PRIx32 "\n", (int)(width / 4), value);
	return 0;
}
