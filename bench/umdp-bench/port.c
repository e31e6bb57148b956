// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench ports GRANT PORT: 1-byte port read and write at PORT: inb/outb
 * after ioperm (the limit), /dev/port pread/pwrite, umdp pread/pwrite, umdp
 * batches of 1, 16, 64 and 256 accesses, umdp string I/O (insb/outsb) of
 * 4096 bytes, umdp_inb()/umdp_outb() (libumdp's wrapper of the pread and
 * pwrite); and the floors of the two single-access paths: a /dev/port
 * pread/pwrite of 0 bytes and a umdp pread/pwrite refused with EPERM (a
 * port outside the grant), the same system call without the access.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/io.h>
#include <unistd.h>

#include "bench.h"

static struct {
	struct umdp_dev *dev;
	int devport, fd;
	uint16_t port, refused;
	struct umdp_io_op rd[BATCH_MAX], wr[BATCH_MAX];
	uint8_t buf[STRING_LEN];
	volatile uint8_t sink;
} P;


static void rd_inb(const struct variant *v, long n)
{
	(void)v;
	for (long i = 0; i < n; i++)
		P.sink = inb(P.port);
}

static void rd_devport(const struct variant *v, long n)
{
	uint8_t b;

	(void)v;
	for (long i = 0; i < n; i++)
		if (pread(P.devport, &b, 1, P.port) != 1)
			die("/dev/port pread: %s", strerror(errno));
	P.sink = b;
}

/* pread(2) on the node, as on /dev/port */
static void rd_umdp(const struct variant *v, long n)
{
	uint8_t b = 0;

	(void)v;
	for (long i = 0; i < n; i++)
		if (pread(P.fd, &b, 1, P.port) != 1)
			die("umdp pread: %s", strerror(errno));
	P.sink = b;
}

/* the same through libumdp */
static void rd_lib(const struct variant *v, long n)
{
	uint8_t b = 0;

	(void)v;
	for (long i = 0; i < n; i++)
		check_io(umdp_inb(P.dev, P.port, &b), "umdp_inb");
	P.sink = b;
}

/* the floors: the same system calls, refused or empty, no port access */
static void rd_devport0(const struct variant *v, long n)
{
	uint8_t b;

	(void)v;
	for (long i = 0; i < n; i++)
		if (pread(P.devport, &b, 0, P.port) != 0)
			die("/dev/port pread of 0 bytes: %s", strerror(errno));
}

static void rd_refused(const struct variant *v, long n)
{
	uint8_t b;

	(void)v;
	for (long i = 0; i < n; i++)
		if (pread(P.fd, &b, 1, P.refused) != -1)
			die("umdp pread of port 0x%x: not refused", P.refused);
}

static void rd_batch(const struct variant *v, long n)
{
	for (long i = 0; i < n; i++)
		check_io(umdp_batch(P.dev, P.rd, v->per), "umdp_batch");
}

static void rd_string(const struct variant *v, long n)
{
	for (long i = 0; i < n; i++)
		check_io(umdp_ins(P.dev, P.port, 1, P.buf, v->per), "umdp_ins");
}

static void wr_outb(const struct variant *v, long n)
{
	(void)v;
	for (long i = 0; i < n; i++)
		outb((uint8_t)i, P.port);
}

static void wr_devport(const struct variant *v, long n)
{
	(void)v;
	for (long i = 0; i < n; i++) {
		uint8_t b = (uint8_t)i;

		if (pwrite(P.devport, &b, 1, P.port) != 1)
			die("/dev/port pwrite: %s", strerror(errno));
	}
}

static void wr_umdp(const struct variant *v, long n)
{
	(void)v;
	for (long i = 0; i < n; i++) {
		uint8_t b = (uint8_t)i;

		if (pwrite(P.fd, &b, 1, P.port) != 1)
			die("umdp pwrite: %s", strerror(errno));
	}
}

static void wr_lib(const struct variant *v, long n)
{
	(void)v;
	for (long i = 0; i < n; i++)
		check_io(umdp_outb(P.dev, P.port, (uint8_t)i), "umdp_outb");
}

static void wr_devport0(const struct variant *v, long n)
{
	uint8_t b = 0;

	(void)v;
	for (long i = 0; i < n; i++)
		if (pwrite(P.devport, &b, 0, P.port) != 0)
			die("/dev/port pwrite of 0 bytes: %s", strerror(errno));
}

static void wr_refused(const struct variant *v, long n)
{
	uint8_t b = 0;

	(void)v;
	for (long i = 0; i < n; i++)
		if (pwrite(P.fd, &b, 1, P.refused) != -1)
			die("umdp pwrite of port 0x%x: not refused", P.refused);
}

static void wr_batch(const struct variant *v, long n)
{
	for (long i = 0; i < n; i++)
		check_io(umdp_batch(P.dev, P.wr, v->per), "umdp_batch");
}

static void wr_string(const struct variant *v, long n)
{
	for (long i = 0; i < n; i++)
		check_io(umdp_outs(P.dev, P.port, 1, P.buf, v->per), "umdp_outs");
}

#define RD "1-byte port read"
#define WR "1-byte port write"

int cmd_ports(const char *grant, uint16_t port)
{
	struct variant rd[] = {
		VARIANT("read.inb", RD, "inb after ioperm (root)", "-", rd_inb, 1, 0),
		VARIANT("read.devport", RD, "/dev/port pread", "read.inb", rd_devport, 1, 1),
		VARIANT("read.umdp", RD, "umdp pread", "read.devport", rd_umdp, 1, 1),
		VARIANT("read.lib", RD, "umdp_inb() (libumdp: the pread and its checks)", "read.umdp", rd_lib, 1, 1),
		VARIANT("read.devport0", RD, "/dev/port pread of 0 bytes (no access)", "none", rd_devport0, 1, 1),
		VARIANT("read.refused", RD, "umdp pread refused, EPERM (no access)", "read.devport0", rd_refused, 1, 1),
		VARIANT("read.batch1", RD, "umdp batch of 1, per access", "read.inb", rd_batch, 1, 1),
		VARIANT("read.batch16", RD, "umdp batch of 16, per access", "read.inb", rd_batch, 16, 1),
		VARIANT("read.batch64", RD, "umdp batch of 64, per access", "read.inb", rd_batch, 64, 1),
		VARIANT("read.batch256", RD, "umdp batch of 256, per access", "read.inb", rd_batch, 256, 1),
		VARIANT("read.insb", RD, "umdp insb of 4096, per byte", "read.inb", rd_string, STRING_LEN, 1),
	};
	struct variant wr[] = {
		VARIANT("write.outb", WR, "outb after ioperm (root)", "-", wr_outb, 1, 0),
		VARIANT("write.devport", WR, "/dev/port pwrite", "write.outb", wr_devport, 1, 1),
		VARIANT("write.umdp", WR, "umdp pwrite", "write.devport", wr_umdp, 1, 1),
		VARIANT("write.lib", WR, "umdp_outb() (libumdp: the pwrite and its checks)", "write.umdp", wr_lib, 1, 1),
		VARIANT("write.devport0", WR, "/dev/port pwrite of 0 bytes (no access)", "none", wr_devport0, 1, 1),
		VARIANT("write.refused", WR, "umdp pwrite refused, EPERM (no access)", "write.devport0", wr_refused, 1, 1),
		VARIANT("write.batch1", WR, "umdp batch of 1, per access", "write.outb", wr_batch, 1, 1),
		VARIANT("write.batch16", WR, "umdp batch of 16, per access", "write.outb", wr_batch, 16, 1),
		VARIANT("write.batch64", WR, "umdp batch of 64, per access", "write.outb", wr_batch, 64, 1),
		VARIANT("write.batch256", WR, "umdp batch of 256, per access", "write.outb", wr_batch, 256, 1),
		VARIANT("write.outsb", WR, "umdp outsb of 4096, per byte", "write.outb", wr_string, STRING_LEN, 1),
	};
	uint8_t a, b;

	P.dev = open_grant(grant);
	P.fd = umdp_fd(P.dev);
	P.devport = open_or_die("/dev/port", O_RDWR);
	P.port = port;
	/* not granted (the grant is PORT's few ports): never accessed */
	P.refused = (uint16_t)(port + 0x100);
	if (ioperm(port, 1, 1))
		die("ioperm 0x%x: %s", port, strerror(errno));
	for (int i = 0; i < BATCH_MAX; i++) {
		P.rd[i] = (struct umdp_io_op){ .port = port, .size = 1,
					       .flags = UMDP_IO_READ };
		P.wr[i] = (struct umdp_io_op){ .port = port, .size = 1,
					       .flags = UMDP_IO_WRITE,
					       .value = (uint8_t)i };
	}
	/* all paths reach the same register */
	outb(0x5a, port);
	check_io(umdp_inb(P.dev, port, &a), "umdp_inb");
	if (pread(P.devport, &b, 1, port) != 1 || a != 0x5a || b != 0x5a)
		die("port 0x%x: inb wrote 0x5a, umdp read 0x%x, /dev/port 0x%x",
		    port, a, b);
	fprintf(stderr, "# port 0x%x: reads\n", port);
	measure(rd, sizeof(rd) / sizeof(rd[0]));
	fprintf(stderr, "# port 0x%x: writes\n", port);
	measure(wr, sizeof(wr) / sizeof(wr[0]));
	umdp_close(P.dev);
	close(P.devport);
	return 0;
}
