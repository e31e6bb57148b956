// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-safecheck - what a grant really gives (tests/bats/unsafe.bats).
 *
 *   umdp-safecheck info GRANT
 *	prints "feature=0|1 unsafe=0|1": UMDP_FEAT_UNSAFE from
 *	UMDP_IOC_VERSION and UMDP_GRANT_UNSAFE from UMDP_IOC_INFO
 *   umdp-safecheck dma GRANT PHYS
 *   umdp-safecheck dma /sys/bus/pci/devices/BDF/resource0 -
 *	maps edu's BAR0 (through the grant at PHYS, or root's sysfs resource
 *	file), has edu's DMA engine copy XFER bytes of one page of RAM into
 *	its buffer and back into a second page, and prints "moved" when the
 *	second page now holds the first one's bytes, "unchanged" when it kept
 *	its own (root
 *	only: the pages' bus addresses come from /proc/self/pagemap)
 *
 * edu (QEMU 7.2): 0x80 source, 0x88 destination, 0x90 count, 0x98 command
 * (bit 0 run, bit 1 edu to RAM); its buffer is 4 KiB at 0x40000, and a
 * transfer outside it kills QEMU ("hardware error: EDU: DMA range ... out
 * of bounds"). QEMU 7.2's bounds check is off by one: a transfer may not
 * reach the buffer's last byte, so a full 4 KiB is out of bounds too, and
 * XFER bytes from 0x40000 are moved. Its DMA mask is 28 bits: the pages
 * are chosen below 256 MiB.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/umdp.h>

#define PAGE		4096UL
#define CANDIDATES	512
#define EDU_LEN		0x100000UL
#define EDU_BUF		0x40000UL
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_RUN	0x1
#define EDU_DMA_TO_RAM	0x2
#define DMA_MASK	((1ULL << 28) - 1)
#define XFER		2048

static int die(const char *what)
{
	fprintf(stderr, "umdp-safecheck: %s: %s\n", what, strerror(errno));
	return 1;
}

static int open_grant(const char *grant)
{
	char path[128];

	snprintf(path, sizeof(path), "/dev/umdp/%s", grant);
	return open(path, O_RDWR | O_CLOEXEC);
}

static int cmd_info(const char *grant)
{
	struct umdp_version v = { .argsz = sizeof(v) };
	struct umdp_grant_info gi = { .argsz = sizeof(gi) };
	int fd = open_grant(grant);

	if (fd < 0)
		return die("open");
	if (ioctl(fd, UMDP_IOC_VERSION, &v) || ioctl(fd, UMDP_IOC_INFO, &gi))
		return die("ioctl");
	printf("feature=%d unsafe=%d\n", !!(v.features & UMDP_FEAT_UNSAFE),
	       !!(gi.grant_flags & UMDP_GRANT_UNSAFE));
	close(fd);
	return 0;
}

/* The physical address of the page at @va, or 0. */
static uint64_t phys_of(int pagemap, void *va)
{
	uint64_t e;
	off_t off = (off_t)((uintptr_t)va / PAGE) * 8;

	if (pread(pagemap, &e, sizeof(e), off) != sizeof(e))
		return 0;
	if (!(e & (1ULL << 63)))
		return 0;
	return (e & ((1ULL << 55) - 1)) * PAGE;
}

static void wr64(volatile uint8_t *bar, unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)(bar + off) = v;
}

static uint64_t rd64(volatile uint8_t *bar, unsigned int off)
{
	return *(volatile uint64_t *)(bar + off);
}

/* One transfer; 0 once edu says it is done, -1 after 2 s. */
static int edu_dma(volatile uint8_t *bar, uint64_t src, uint64_t dst,
		   uint64_t cmd)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	wr64(bar, EDU_DMA_SRC, src);
	wr64(bar, EDU_DMA_DST, dst);
	wr64(bar, EDU_DMA_CNT, XFER);
	wr64(bar, EDU_DMA_CMD, cmd | EDU_DMA_RUN);
	for (i = 0; i < 200; i++) {
		if (!(rd64(bar, EDU_DMA_CMD) & EDU_DMA_RUN))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Two pages below edu's DMA mask, locked: *src and *dst with their bus addresses. */
static int low_pages(uint8_t **src, uint64_t *src_pa, uint8_t **dst,
		     uint64_t *dst_pa)
{
	uint8_t *pool;
	int pagemap, i, found = 0;

	pool = mmap(NULL, CANDIDATES * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED | MAP_POPULATE,
		    -1, 0);
	if (pool == MAP_FAILED)
		return -1;
	pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pagemap < 0)
		return -1;
	for (i = 0; i < CANDIDATES && found < 2; i++) {
		uint8_t *va = pool + i * PAGE;
		uint64_t pa = phys_of(pagemap, va);

		if (!pa || pa > DMA_MASK - PAGE + 1)
			continue;
		if (!found++) {
			*src = va;
			*src_pa = pa;
		} else {
			*dst = va;
			*dst_pa = pa;
		}
	}
	close(pagemap);
	errno = ENOMEM;
	return found == 2 ? 0 : -1;
}

static int cmd_dma(const char *what, const char *phys)
{
	uint8_t *src, *dst;
	uint64_t src_pa, dst_pa;
	volatile uint8_t *bar;
	int fd;

	if (what[0] == '/') {
		fd = open(what, O_RDWR | O_CLOEXEC);
		phys = "0";
	} else {
		fd = open_grant(what);
	}
	if (fd < 0)
		return die("open");
	bar = mmap(NULL, EDU_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   (off_t)strtoull(phys, NULL, 0));
	if (bar == MAP_FAILED)
		return die("mmap");
	if (low_pages(&src, &src_pa, &dst, &dst_pa))
		return die("two locked pages below 256 MiB");
	memset(src, 0xa5, PAGE);
	memset(dst, 0x5a, PAGE);
	if (edu_dma(bar, src_pa, EDU_BUF, 0) ||
	    edu_dma(bar, EDU_BUF, dst_pa, EDU_DMA_TO_RAM)) {
		fprintf(stderr, "umdp-safecheck: edu's DMA did not finish\n");
		return 1;
	}
	if (!memcmp(src, dst, XFER))
		printf("moved\n");
	else if (dst[0] == 0x5a && !memcmp(dst, dst + 1, XFER - 1))
		printf("unchanged\n");
	else
		printf("changed to something else (0x%02x)\n", dst[0]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "info"))
		return cmd_info(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "dma"))
		return cmd_dma(argv[2], argv[3]);
	fprintf(stderr, "usage: umdp-safecheck info GRANT\n"
			"       umdp-safecheck dma GRANT|RESOURCE-FILE PHYS|-\n");
	return 2;
}
