// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-iocheck GRANT - libumdp port I/O against QEMU's pc-testdev.
 *
 * The grant must hold exactly 0xe0-0xe3 and 0xe8-0xeb: the 32-bit scratch
 * register (any width, byte lane from the address) and the same register
 * byte-wise. Prints one TAP-like line per check; exits 1 if any failed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <umdp.h>

#include "check.h"

static uint32_t reg_read(struct umdp_dev *dev)
{
	uint32_t v = 0;

	if (umdp_inl(dev, 0xe0, &v))
		failures++;
	return v;
}

static void check_widths(struct umdp_dev *dev)
{
	uint8_t b[4], bb[4];
	uint16_t w0 = 0, w1 = 0;
	int i, err = 0;

	CHECK(umdp_outl(dev, 0xe0, 0x12345678) == 0, "outl 0xe0");
	CHECK(reg_read(dev) == 0x12345678, "inl 0xe0 reads back 0x12345678");
	for (i = 0; i < 4; i++) {
		err |= umdp_inb(dev, (uint16_t)(0xe0 + i), &b[i]);
		err |= umdp_inb(dev, (uint16_t)(0xe8 + i), &bb[i]);
	}
	CHECK(!err && b[0] == 0x78 && b[1] == 0x56 && b[2] == 0x34 && b[3] == 0x12,
	      "inb 0xe0..0xe3 are the byte lanes 78 56 34 12");
	CHECK(!memcmp(b, bb, 4), "inb 0xe8..0xeb give the same bytes");
	CHECK(!umdp_inw(dev, 0xe0, &w0) && !umdp_inw(dev, 0xe2, &w1) &&
	      w0 == 0x5678 && w1 == 0x1234, "inw 0xe0/0xe2 are the two halves");
	CHECK(!umdp_outb(dev, 0xe1, 0xaa) && reg_read(dev) == 0x1234aa78,
	      "outb 0xe1 replaces byte lane 1");
	CHECK(!umdp_outw(dev, 0xe2, 0xbeef) && reg_read(dev) == 0xbeefaa78,
	      "outw 0xe2 replaces the upper half");
	CHECK(!umdp_outb(dev, 0xeb, 0x01) && reg_read(dev) == 0x01efaa78,
	      "outb 0xeb writes byte 3 of the register");
}

static void check_batch(struct umdp_dev *dev)
{
	struct umdp_io_op ops[6] = {
		{ .port = 0xe0, .size = 4, .flags = UMDP_IO_WRITE, .value = 0xcafef00d },
		{ .port = 0xe0, .size = 4, .flags = UMDP_IO_READ },
		{ .port = 0xe3, .size = 1, .flags = UMDP_IO_READ },
		{ .port = 0xe2, .size = 2, .flags = UMDP_IO_READ },
		{ .port = 0xe8, .size = 1, .flags = UMDP_IO_WRITE, .value = 0x11 },
		{ .port = 0xe0, .size = 4, .flags = UMDP_IO_READ },
	};
	struct umdp_io_op bad[2] = {
		{ .port = 0xe0, .size = 4, .flags = UMDP_IO_WRITE, .value = 0x0badbad0 },
		{ .port = 0xe2, .size = 4, .flags = UMDP_IO_READ },
	};
	struct umdp_io_op big[UMDP_BATCH_MAX + 1];
	int err;

	err = umdp_batch(dev, ops, 6);
	CHECK(!err, "a batch of 6 mixed accesses succeeds (%s)", umdp_strerror(err));
	CHECK(ops[1].value == 0xcafef00d && ops[2].value == 0xca &&
	      ops[3].value == 0xcafe && ops[5].value == 0xcafef011,
	      "batch results equal single accesses (%#x %#x %#x %#x)",
	      ops[1].value, ops[2].value, ops[3].value, ops[5].value);
	err = umdp_batch(dev, bad, 2);
	CHECK(err == -EPERM, "a batch with one span past the grant is EPERM (%d)", err);
	CHECK(reg_read(dev) == 0xcafef011, "and none of its accesses ran");
	bad[1].size = 3;
	CHECK(umdp_batch(dev, bad, 2) == -EINVAL, "a batch with size 3 is EINVAL");
	bad[1].size = 4;
	bad[1].flags = 7;
	CHECK(umdp_batch(dev, bad, 2) == -EINVAL, "a batch with a bad direction is EINVAL");
	CHECK(umdp_batch(dev, ops, 0) == -EINVAL, "an empty batch is EINVAL");
	memset(big, 0, sizeof(big));
	for (unsigned int i = 0; i <= UMDP_BATCH_MAX; i++) {
		big[i].port = 0xe0;
		big[i].size = 1;
	}
	CHECK(umdp_batch(dev, big, UMDP_BATCH_MAX) == 0, "a batch of UMDP_BATCH_MAX succeeds");
	CHECK(umdp_batch(dev, big, UMDP_BATCH_MAX + 1) == -EINVAL,
	      "a batch of UMDP_BATCH_MAX + 1 is EINVAL");
}

static void check_string(struct umdp_dev *dev)
{
	static uint8_t buf[UMDP_STRING_MAX];
	uint32_t words[3] = { 0x01020304, 0x05060708, 0x0a0b0c0d };
	uint32_t rd[3] = { 0 };
	int i, same = 1;

	for (i = 0; i < 5; i++)
		buf[i] = (uint8_t)(0x41 + i);
	CHECK(!umdp_outs(dev, 0xe8, 1, buf, 5) && (reg_read(dev) & 0xff) == 0x45,
	      "outsb of 5 bytes to 0xe8 leaves the last one in lane 0");
	CHECK(!umdp_outs(dev, 0xe0, 4, words, 3) && reg_read(dev) == 0x0a0b0c0d,
	      "outsl of 3 words leaves the last one");
	CHECK(!umdp_ins(dev, 0xe0, 4, rd, 3) && rd[0] == 0x0a0b0c0d &&
	      rd[2] == 0x0a0b0c0d, "insl reads the register 3 times");
	memset(buf, 0, sizeof(buf));
	CHECK(!umdp_ins(dev, 0xe1, 1, buf, UMDP_STRING_MAX),
	      "insb of 64 KiB succeeds");
	for (i = 0; i < UMDP_STRING_MAX; i++)
		same &= buf[i] == 0x0c;
	CHECK(same, "and every byte is lane 1 (0x0c)");
	CHECK(umdp_ins(dev, 0xe1, 1, buf, UMDP_STRING_MAX + 1) == -EINVAL,
	      "string I/O over 64 KiB is EINVAL");
	CHECK(umdp_ins(dev, 0xe2, 4, rd, 1) == -EPERM,
	      "insl at 0xe2 (span past the grant) is EPERM");
	CHECK(umdp_outs(dev, 0xe0, 3, buf, 1) == -EINVAL, "string size 3 is EINVAL");
}

static void check_spans(struct umdp_dev *dev)
{
	uint8_t b;
	uint16_t w;
	uint32_t l;
	char raw[8];

	CHECK(umdp_inb(dev, 0xe4, &b) == -EPERM, "inb 0xe4 (not granted) is EPERM");
	CHECK(umdp_inb(dev, 0xdf, &b) == -EPERM, "inb 0xdf (below the grant) is EPERM");
	CHECK(umdp_inw(dev, 0xe3, &w) == -EPERM, "inw 0xe3 (crosses the end) is EPERM");
	CHECK(umdp_inl(dev, 0xe1, &l) == -EPERM, "inl 0xe1 (crosses the end) is EPERM");
	CHECK(umdp_inl(dev, 0xe9, &l) == -EPERM, "inl 0xe9 (crosses the end) is EPERM");
	CHECK(umdp_outw(dev, 0xeb, 1) == -EPERM, "outw 0xeb (crosses the end) is EPERM");
	CHECK(umdp_outl(dev, 0xe2, 1) == -EPERM, "outl 0xe2 (crosses the end) is EPERM");
	CHECK(pread(umdp_fd(dev), raw, 3, 0xe0) < 0 && errno == EINVAL,
	      "pread of 3 bytes is EINVAL");
	CHECK(pread(umdp_fd(dev), raw, 8, 0xe0) < 0 && errno == EINVAL,
	      "pread of 8 bytes is EINVAL");
	CHECK(pread(umdp_fd(dev), raw, 1, 0x10000) < 0 && errno == EPERM,
	      "pread at 0x10000 is EPERM");
}

static void check_info(struct umdp_dev *dev, const char *name)
{
	struct umdp_info *info;
	int err = umdp_info_get(dev, &info);

	CHECK(!err, "grant info (%s)", umdp_strerror(err));
	CHECK(!strcmp(info->name, name), "info names the grant (%s)", info->name);
	CHECK(info->nr_ioports == 2 && info->ioports[0].start == 0xe0 &&
	      info->ioports[0].len == 4 && info->ioports[1].start == 0xe8 &&
	      info->ioports[1].len == 4, "info lists 0xe0+4 and 0xe8+4");
	umdp_info_free(info);
}

static void *reader(void *arg)
{
	struct umdp_dev *dev = arg;
	long bad = 0;
	uint32_t v;

	for (int i = 0; i < 2000; i++)
		if (umdp_inl(dev, 0xe0, &v) || v != 0x5a5aa5a5)
			bad++;
	return (void *)bad;
}

static void check_threads(struct umdp_dev *dev)
{
	pthread_t t[4];
	long bad = 0;
	void *r;
	int i;

	umdp_outl(dev, 0xe0, 0x5a5aa5a5);
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, reader, dev);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	CHECK(bad == 0, "4 threads x 2000 reads on one handle all succeed (%ld bad)", bad);
}

int main(int argc, char **argv)
{
	struct umdp_dev *dev;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: umdp-iocheck GRANT\n");
		return 2;
	}
	err = umdp_open(argv[1], 0, &dev);
	if (err) {
		printf("not ok - open %s: %s\n", argv[1], umdp_strerror(err));
		return 1;
	}
	check_widths(dev);
	check_batch(dev);
	check_string(dev);
	check_spans(dev);
	check_info(dev, argv[1]);
	check_threads(dev);
	umdp_close(dev);
	return failures ? 1 : 0;
}
