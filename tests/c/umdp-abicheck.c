// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-abicheck GRANT - the node's ioctl ABI, by raw ioctl(2) calls.
 *
 * The grant must hold ports 0xe0-0xe3 and 0xe8-0xeb (pc-testdev) and IRQ
 * lines 5 and 7, and this program must be its program. Checks the version
 * query, the extensible arguments (older, newer and too short sizes, unknown
 * flags), the info arrays, FETCH's line count, and that the write ioctls
 * need a file opened for writing. Prints one TAP-like line per check; exits
 * 1 if any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <umdp.h>

#include "check.h"

/* An argument with room for a newer caller's tail. */
struct bigger {
	struct umdp_grant_info info;
	unsigned char tail[16];
};

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static void check_version(int fd, const char *grant)
{
	struct umdp_version v = { .argsz = sizeof(v) };
	struct umdp_dev *dev;
	int err;

	err = xioctl(fd, UMDP_IOC_VERSION, &v);
	CHECK(!err && v.api == UMDP_API_VERSION,
	      "UMDP_IOC_VERSION reports API %u (%d)", v.api, err);
	CHECK((v.features & (UMDP_FEAT_PORT_IO | UMDP_FEAT_IRQ | UMDP_FEAT_MMAP |
			     UMDP_FEAT_INFO)) == (UMDP_FEAT_PORT_IO | UMDP_FEAT_IRQ |
						  UMDP_FEAT_MMAP | UMDP_FEAT_INFO),
	      "features include port I/O, IRQ, mmap and info (%#llx)",
	      (unsigned long long)v.features);
	v = (struct umdp_version){ .argsz = sizeof(v), .flags = 1 };
	CHECK(xioctl(fd, UMDP_IOC_VERSION, &v) == -EINVAL,
	      "an unknown flag of the version query is EINVAL");

	/* the library's call, through a second opener after this one */
	close(fd);
	err = umdp_open(grant, 0, &dev);
	CHECK(!err, "umdp_open (%s)", umdp_strerror(err));
	if (err)
		return;
	memset(&v, 0, sizeof(v));
	err = umdp_version(dev, &v);
	CHECK(!err && v.api == UMDP_API_VERSION && (v.features & UMDP_FEAT_IRQ),
	      "umdp_version() gives the same (%d)", err);
	umdp_close(dev);
}

static void check_sizes(int fd)
{
	struct umdp_io_op op = { .port = 0xe0, .size = 4 };
	struct umdp_io_batch b = { .argsz = UMDP_IO_BATCH_SIZE_VER0 - 1,
				   .ops = (uintptr_t)&op, .count = 1 };
	struct bigger big;
	int err;

	CHECK(xioctl(fd, UMDP_IOC_BATCH, &b) == -EINVAL,
	      "argsz below the first published size is EINVAL");
	b.argsz = sizeof(b);
	CHECK(xioctl(fd, UMDP_IOC_BATCH, &b) == 0, "argsz = sizeof works");

	memset(&big, 0, sizeof(big));
	big.info.argsz = sizeof(big);
	err = xioctl(fd, UMDP_IOC_INFO, &big);
	CHECK(!err && big.info.nr_ioports == 2,
	      "a newer caller's larger argument with a zero tail works (%d)", err);
	big.tail[7] = 1;
	CHECK(xioctl(fd, UMDP_IOC_INFO, &big) == -E2BIG,
	      "a larger argument with a non-zero tail is E2BIG");
	b.flags = 1u << 31;
	CHECK(xioctl(fd, UMDP_IOC_BATCH, &b) == -EINVAL,
	      "an unknown flag of a batch is EINVAL");
	CHECK(xioctl(fd, _IO(UMDP_IOCTL_MAGIC, 0x7f), &b) == -ENOTTY,
	      "an unknown ioctl is ENOTTY");
}

static void check_info(int fd)
{
	struct umdp_info_ports ports[2] = { { 0, 0 }, { 0xdead, 0xdead } };
	struct umdp_grant_info info;
	unsigned char *raw = (unsigned char *)&info;
	uint32_t irqs[2] = { 0, 0 };
	size_t i;
	int err, untouched = 1;

	/* the old, shortest size: name and counts, nothing written beyond */
	memset(&info, 0xa5, sizeof(info));
	info.argsz = UMDP_GRANT_INFO_SIZE_VER0;
	info.flags = 0;
	info.nr_ioports = info.nr_irqs = info.nr_mem = 0;
	err = xioctl(fd, UMDP_IOC_INFO, &info);
	for (i = UMDP_GRANT_INFO_SIZE_VER0; i < sizeof(info); i++)
		untouched &= raw[i] == 0xa5;
	CHECK(!err && info.nr_ioports == 2 && info.nr_irqs == 2 &&
	      info.nr_mem == 0 && (info.grant_flags & UMDP_GRANT_EXCLUSIVE),
	      "an old-sized (%d-byte) info gives the counts (%d)",
	      UMDP_GRANT_INFO_SIZE_VER0, err);
	CHECK(untouched, "and nothing is written past its argsz");

	/* room for one of two ranges: one is written, the count says two */
	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	info.nr_ioports = 1;
	info.ioports = (uintptr_t)ports;
	info.nr_irqs = 2;
	info.irqs = (uintptr_t)irqs;
	err = xioctl(fd, UMDP_IOC_INFO, &info);
	CHECK(!err && info.nr_ioports == 2 && ports[0].start == 0xe0 &&
	      ports[0].len == 4 && ports[1].start == 0xdead,
	      "info fills only the entries the caller has room for (%d)", err);
	CHECK(irqs[0] == 5 && irqs[1] == 7, "and lists the IRQs 5, 7 (%u %u)",
	      irqs[0], irqs[1]);
}

static void check_fetch(int fd)
{
	struct umdp_irq_event ev[2];
	struct umdp_irq_fetch f = { .argsz = sizeof(f), .events = (uintptr_t)ev,
				    .nr = 1 };
	int err;

	CHECK(xioctl(fd, UMDP_IOC_IRQ_FETCH, &f) == -EINVAL,
	      "FETCH with room for 1 of the grant's 2 lines is EINVAL");
	f.nr = 2;
	err = xioctl(fd, UMDP_IOC_IRQ_FETCH, &f);
	CHECK(!err && f.nr == 2 && ev[0].irq == 5 && ev[1].irq == 7,
	      "FETCH with room for both works (%d)", err);
}

static void check_read_only(const char *node)
{
	struct umdp_io_op op = { .port = 0xe0, .size = 1, .flags = UMDP_IO_WRITE };
	struct umdp_io_batch b = { .argsz = sizeof(b), .ops = (uintptr_t)&op,
				   .count = 1 };
	unsigned char buf[4] = { 0 };
	struct umdp_io_string s = { .argsz = sizeof(s), .flags = UMDP_IO_WRITE,
				    .buf = (uintptr_t)buf, .count = 4,
				    .port = 0xe8, .size = 1 };
	struct umdp_irq_unmask u = { .argsz = sizeof(u), .irq = 5 };
	int fd = open(node, O_RDONLY | O_CLOEXEC);

	CHECK(fd >= 0, "open %s read-only (%s)", node, strerror(errno));
	if (fd < 0)
		return;
	CHECK(xioctl(fd, UMDP_IOC_BATCH, &b) == -EBADF,
	      "a batch with a write on a read-only fd is EBADF");
	op.flags = UMDP_IO_READ;
	CHECK(xioctl(fd, UMDP_IOC_BATCH, &b) == 0,
	      "a batch of reads on a read-only fd works");
	CHECK(xioctl(fd, UMDP_IOC_STRING, &s) == -EBADF,
	      "outs on a read-only fd is EBADF");
	s.flags = UMDP_IO_READ;
	CHECK(xioctl(fd, UMDP_IOC_STRING, &s) == 0,
	      "ins on a read-only fd works");
	CHECK(xioctl(fd, UMDP_IOC_IRQ_UNMASK, &u) == -EBADF,
	      "IRQ unmask on a read-only fd is EBADF");
	CHECK(pwrite(fd, buf, 1, 0xe0) < 0 && errno == EBADF,
	      "pwrite on a read-only fd is EBADF");
	close(fd);
}

int main(int argc, char **argv)
{
	char node[64];
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: umdp-abicheck GRANT\n");
		return 2;
	}
	snprintf(node, sizeof(node), UMDP_DEV_DIR "/%s", argv[1]);
	fd = open(node, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0, "open %s (%s)", node, strerror(errno));
	if (fd < 0)
		return 1;
	check_sizes(fd);
	check_info(fd);
	check_fetch(fd);
	check_version(fd, argv[1]);	/* closes fd */
	check_read_only(node);
	return failures ? 1 : 0;
}
