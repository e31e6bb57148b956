// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-pcicheck - checks of a "pci" grant of QEMU's edu device, run by
 * tests/bats/pci.bats as the grant's program.
 *
 *   umdp-pcicheck info GRANT
 *	UMDP_IOC_PCI_INFO names edu and BAR0; BAR0 is a window of the grant
 *	and edu's ident register reads 0x010000ed through it.
 *   umdp-pcicheck config GRANT
 *	config space reads; writes limited to the Command register's I/O,
 *	Memory and INTx Disable bits.
 *   umdp-pcicheck intx GRANT N
 *	N interrupts raised through edu's 0x60 arrive on the function's INTx,
 *	masked by INTx Disable until unmasked; none lost.
 *   umdp-pcicheck msi GRANT N
 *	the same over edu's MSI vector, and the factorials with MSI.
 *   umdp-pcicheck dma GRANT
 *	a buffer copied into edu and back by its DMA engine into a second
 *	buffer; bus mastering on only while a buffer exists.
 *   umdp-pcicheck confine GRANT
 *	edu's DMA pointed at bus addresses outside the grant's buffers (0, a
 *	guess, a freed buffer's) moves nothing into them.
 *   umdp-pcicheck limits GRANT
 *	allocations beyond the grant's "dma" are ENOSPC; a freed buffer's
 *	mapping is SIGBUS.
 *   umdp-pcicheck hold GRANT
 *	allocate a buffer, map it, print "ready" and sleep until killed.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <umdp.h>

#include "check.h"

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_IDENT	0x00
#define EDU_FACT	0x08
#define EDU_STATUS	0x20
#define EDU_IRQ_STATUS	0x24
#define EDU_IRQ_RAISE	0x60
#define EDU_IRQ_ACK	0x64
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_RUN	0x1
#define EDU_DMA_TO_PCI	0x2
#define EDU_BUF		0x40000	/* edu's internal DMA buffer */
#define XFER		2048	/* QEMU 7.2 aborts on a full 4 KiB */

struct edu {
	struct umdp_dev *dev;
	struct umdp_pci_info info;
	volatile uint32_t *bar0;
};

static void die(const char *what, int err)
{
	printf("not ok - %s: %s\n", what, umdp_strerror(err));
	exit(1);
}

static void edu_open(const char *grant, struct edu *e)
{
	void *p;
	int err;

	err = umdp_open(grant, 0, &e->dev);
	if (err)
		die("open", err);
	err = umdp_pci_info_get(e->dev, &e->info);
	if (err)
		die("UMDP_IOC_PCI_INFO", err);
	err = umdp_map(e->dev, e->info.bar[0].start, 4096, 0, &p);
	if (err)
		die("mapping BAR0", err);
	e->bar0 = p;
}

static uint32_t rd(struct edu *e, unsigned int off)
{
	return e->bar0[off / 4];
}

static void wr(struct edu *e, unsigned int off, uint32_t v)
{
	e->bar0[off / 4] = v;
}

static void wr64(struct edu *e, unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)((volatile char *)e->bar0 + off) = v;
}

static int pci_flags(struct edu *e)
{
	struct umdp_pci_info info;

	if (umdp_pci_info_get(e->dev, &info))
		return -1;
	return (int)info.pci_flags;
}

/* Run one edu DMA and wait for it (edu takes ~100 ms of virtual time). */
static int edu_dma(struct edu *e, uint64_t src, uint64_t dst, uint32_t n,
		   uint32_t dir)
{
	int i;

	wr64(e, EDU_DMA_SRC, src);
	wr64(e, EDU_DMA_DST, dst);
	wr64(e, EDU_DMA_COUNT, n);
	wr64(e, EDU_DMA_CMD, EDU_DMA_RUN | dir);
	for (i = 0; i < 500; i++) {
		if (!(rd(e, EDU_DMA_CMD) & EDU_DMA_RUN))
			return 0;
		usleep(10000);
	}
	return -1;
}

static int cmd_info(const char *grant)
{
	struct umdp_pci_dev pci;
	struct umdp_info *ui;
	struct edu e;

	edu_open(grant, &e);
	CHECK(e.info.vendor == EDU_VENDOR && e.info.device == EDU_DEVICE,
	      "the grant's function is edu (%04x:%04x)", e.info.vendor,
	      e.info.device);
	CHECK(e.info.bar[0].len == 1 << 20 &&
	      (e.info.bar[0].flags & UMDP_PCI_BAR_MEM),
	      "BAR0 is 1 MiB of memory at 0x%" PRIx64,
	      (uint64_t)e.info.bar[0].start);
	CHECK(!umdp_info_get(e.dev, &ui) &&
	      umdp_info_find_mem(ui, e.info.bar[0].start, e.info.bar[0].len),
	      "BAR0 is one of the grant's mem windows");
	umdp_info_free(ui);
	CHECK(rd(&e, EDU_IDENT) == 0x010000ed,
	      "edu's ident reads 0x010000ed through the mapped BAR0 (0x%08x)",
	      rd(&e, EDU_IDENT));
	CHECK(!umdp_pci_grant(e.dev, &pci) && pci.vendor == EDU_VENDOR &&
	      pci.bar[0].start == e.info.bar[0].start,
	      "umdp_pci_grant() names %s with BAR0 at 0x%" PRIx64, pci.bdf,
	      pci.bar[0].start);
	CHECK(!(e.info.pci_flags & UMDP_PCI_MASTER),
	      "bus mastering is off while no DMA buffer exists");
	printf("# %s iommu=%d dma_max=%" PRIu64 " dma_bits=%u\n", pci.bdf,
	       !!(e.info.pci_flags & UMDP_PCI_IOMMU),
	       (uint64_t)e.info.dma_max, e.info.dma_bits);
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

static int cmd_config(const char *grant)
{
	uint32_t v = 0, cmd = 0;
	struct edu e;

	edu_open(grant, &e);
	CHECK(!umdp_pci_config_read(e.dev, 0, 4, &v) &&
	      v == (EDU_DEVICE << 16 | EDU_VENDOR),
	      "config dword 0 reads edu's IDs (0x%08x)", v);
	CHECK(!umdp_pci_config_read(e.dev, 0x10, 4, &v) &&
	      (v & ~0xfu) == (uint32_t)e.info.bar[0].start,
	      "config reads BAR0 (0x%08x)", v);
	CHECK(umdp_pci_config_read(e.dev, 2, 4, &v) == -EINVAL,
	      "a misaligned read is EINVAL");
	CHECK(umdp_pci_config_read(e.dev, 4096, 1, &v) == -EINVAL,
	      "a read beyond the config space is EINVAL");
	CHECK(umdp_pci_config_read(e.dev, 0, 3, &v) == -EINVAL,
	      "a read of 3 bytes is EINVAL");
	umdp_pci_config_read(e.dev, 4, 2, &cmd);
	CHECK(!umdp_pci_config_write(e.dev, 4, 2, cmd | 0x400) &&
	      !umdp_pci_config_read(e.dev, 4, 2, &v) && (v & 0x400),
	      "INTx Disable may be set (0x%04x)", v);
	CHECK(!umdp_pci_config_write(e.dev, 4, 2, cmd & ~0x400u) &&
	      !umdp_pci_config_read(e.dev, 4, 2, &v) && !(v & 0x400),
	      "and cleared (0x%04x)", v);
	CHECK(umdp_pci_config_write(e.dev, 4, 2, cmd | 0x4) == -EPERM &&
	      !umdp_pci_config_read(e.dev, 4, 2, &v) && !(v & 0x4),
	      "setting Bus Master Enable is EPERM and leaves it off");
	CHECK(umdp_pci_config_write(e.dev, 0x10, 4, 0x1000) == -EPERM &&
	      !umdp_pci_config_read(e.dev, 0x10, 4, &v) &&
	      (v & ~0xfu) == (uint32_t)e.info.bar[0].start,
	      "writing BAR0 is EPERM and leaves it");
	CHECK(umdp_pci_config_write(e.dev, 6, 2, 0xffff) == -EPERM,
	      "writing the Status register is EPERM");
	CHECK(umdp_pci_config_write(e.dev, 4, 1, (cmd & 0xff) | 0x100) ==
	      -EINVAL, "a value wider than the access is EINVAL");
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

/* Raise edu's interrupt @n times, one at a time; count what arrives. */
static int cmd_irq(const char *grant, long n, int msi)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	long lost = 0, extra = 0, i;
	unsigned int nr, want;
	struct edu e;
	int r;

	edu_open(grant, &e);
	want = msi ? UMDP_IRQ_EV_MSI : UMDP_IRQ_EV_INTX;
	nr = UMDP_MAX_RANGES;
	r = umdp_irq_fetch(e.dev, ev, &nr);
	CHECK(r == 0 && nr == 1 && (ev[0].flags & want) && ev[0].total == 0,
	      "one line, an %s, nothing counted yet (flags 0x%x)",
	      msi ? "MSI vector" : "INTx", nr ? ev[0].flags : 0);
	for (i = 0; i < n; i++) {
		wr(&e, EDU_IRQ_RAISE, 1);
		nr = UMDP_MAX_RANGES;
		r = umdp_irq_wait(e.dev, 2000, ev, &nr);
		if (r != 1)
			lost++;
		else if (ev[0].count != 1)
			extra++;
		if (!msi && r == 1 && !(ev[0].flags & UMDP_IRQ_EV_MASKED))
			extra++;
		wr(&e, EDU_IRQ_ACK, rd(&e, EDU_IRQ_STATUS));
		if (!msi)
			umdp_irq_unmask(e.dev, ev[0].irq);
		if (lost > 5)
			break;
	}
	CHECK(lost == 0 && extra == 0,
	      "%ld interrupts raised one at a time: %ld lost, %ld doubled or unmasked",
	      n, lost, extra);
	if (msi) {
		/* edu raises its interrupt when a factorial is done (0x80) */
		static const uint32_t fact[] = { 1, 120, 3628800, 479001600 };
		static const uint32_t arg[] = { 0, 5, 10, 12 };
		int ok = 1;

		for (i = 0; i < 4; i++) {
			wr(&e, EDU_STATUS, 0x80);
			wr(&e, EDU_FACT, arg[i]);
			nr = UMDP_MAX_RANGES;
			r = umdp_irq_wait(e.dev, 2000, ev, &nr);
			ok &= r == 1 && rd(&e, EDU_FACT) == fact[i];
			wr(&e, EDU_IRQ_ACK, rd(&e, EDU_IRQ_STATUS));
		}
		CHECK(ok, "0!, 5!, 10!, 12! computed by edu, each announced by MSI");
	}
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

static int cmd_dma(const char *grant)
{
	struct umdp_dma a, b;
	struct edu e;
	int i, ok = 1;

	edu_open(grant, &e);
	CHECK(!(pci_flags(&e) & UMDP_PCI_MASTER),
	      "bus mastering is off before the first buffer");
	CHECK(!umdp_dma_alloc(e.dev, 4096, &a) &&
	      !umdp_dma_alloc(e.dev, 4096, &b),
	      "two 4 KiB buffers allocated (iova 0x%" PRIx64 ", 0x%" PRIx64 ")",
	      a.iova, b.iova);
	CHECK(pci_flags(&e) & UMDP_PCI_MASTER,
	      "bus mastering is on while buffers exist");
	for (i = 0; i < 4096; i++)
		ok &= ((uint8_t *)a.addr)[i] == 0 && ((uint8_t *)b.addr)[i] == 0;
	CHECK(ok, "new buffers are zeroed");
	for (i = 0; i < XFER; i++)
		((uint8_t *)a.addr)[i] = (uint8_t)(i * 7 + 3);
	CHECK(!edu_dma(&e, a.iova, EDU_BUF, XFER, 0),
	      "edu copied %d bytes of buffer A into its own memory", XFER);
	CHECK(!edu_dma(&e, EDU_BUF, b.iova, XFER, EDU_DMA_TO_PCI),
	      "and from there into buffer B");
	CHECK(!memcmp(a.addr, b.addr, XFER),
	      "buffer B holds what the driver wrote into A");
	CHECK(!umdp_dma_free(e.dev, &a) && (pci_flags(&e) & UMDP_PCI_MASTER),
	      "freeing one buffer leaves bus mastering on");
	CHECK(!umdp_dma_free(e.dev, &b) && !(pci_flags(&e) & UMDP_PCI_MASTER),
	      "freeing the last turns it off");
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

static int cmd_confine(const char *grant)
{
	static const uint64_t guesses[] = { 0, 0x100000, 0x8000000 };
	struct umdp_dma a, b, c;
	uint64_t freed;
	unsigned int i;
	uint8_t zero[XFER] = { 0 };
	struct edu e;

	edu_open(grant, &e);
	if (umdp_dma_alloc(e.dev, 4096, &a) || umdp_dma_alloc(e.dev, 4096, &b) ||
	    umdp_dma_alloc(e.dev, 4096, &c))
		die("allocating", -ENOMEM);
	freed = c.iova;
	umdp_dma_free(e.dev, &c);
	memset(a.addr, 0x5a, XFER);
	if (edu_dma(&e, a.iova, EDU_BUF, XFER, 0))
		die("loading edu's buffer", -EIO);
	memset(a.addr, 0, XFER);
	for (i = 0; i < 3; i++) {
		uint64_t to = guesses[i];

		if (to >= a.iova && to < a.iova + 4096)
			continue;
		if (to >= b.iova && to < b.iova + 4096)
			continue;
		CHECK(!edu_dma(&e, EDU_BUF, to, XFER, EDU_DMA_TO_PCI),
		      "edu's DMA to bus address 0x%" PRIx64 " ran", to);
	}
	CHECK(!edu_dma(&e, EDU_BUF, freed, XFER, EDU_DMA_TO_PCI),
	      "edu's DMA to a freed buffer's bus address 0x%" PRIx64 " ran",
	      freed);
	CHECK(!memcmp(a.addr, zero, XFER) && !memcmp(b.addr, zero, XFER),
	      "none of it reached the grant's buffers");
	CHECK(!edu_dma(&e, EDU_BUF, b.iova, XFER, EDU_DMA_TO_PCI) &&
	      ((uint8_t *)b.addr)[0] == 0x5a,
	      "while the same DMA to buffer B's bus address lands there");
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

static sigjmp_buf fault_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(fault_jmp, 1);
}

static int cmd_limits(const char *grant)
{
	struct umdp_dma_alloc al = { .argsz = sizeof(al), .size = 4096 };
	struct umdp_dma_free fr = { .argsz = sizeof(fr) };
	struct umdp_dma a, b, c;
	volatile uint8_t *p;
	struct edu e;
	int faulted = 0;

	edu_open(grant, &e);
	CHECK(!umdp_dma_alloc(e.dev, 4096, &a) &&
	      !umdp_dma_alloc(e.dev, 4096, &b),
	      "two pages fit a grant with dma 8K");
	CHECK(umdp_dma_alloc(e.dev, 1, &c) == -ENOSPC,
	      "one byte more is ENOSPC");
	CHECK(umdp_dma_alloc(e.dev, (size_t)2 << 30, &c) == -EINVAL,
	      "2 GiB at once is EINVAL");
	CHECK(!umdp_dma_free(e.dev, &b) && !umdp_dma_alloc(e.dev, 100, &b),
	      "after a free a page fits again");
	CHECK(umdp_dma_free(e.dev, &(struct umdp_dma){ .addr = &faulted,
						      .id = 999 }) == -EINVAL,
	      "freeing an id the grant does not have is EINVAL");
	umdp_dma_free(e.dev, &a);
	umdp_dma_free(e.dev, &b);

	/* a mapping of a buffer that is then freed */
	if (ioctl(umdp_fd(e.dev), UMDP_IOC_DMA_ALLOC, &al))
		die("UMDP_IOC_DMA_ALLOC", -errno);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		 umdp_fd(e.dev), (off_t)al.offset);
	CHECK(p != MAP_FAILED, "the buffer maps at its offset 0x%" PRIx64,
	      (uint64_t)al.offset);
	if (p == MAP_FAILED)
		return 1;
	p[0] = 0x42;
	CHECK(mmap(NULL, 8192, PROT_READ, MAP_SHARED, umdp_fd(e.dev),
		   (off_t)al.offset) == MAP_FAILED && errno == EPERM,
	      "a mapping longer than the buffer is EPERM");
	fr.id = al.id;
	CHECK(!ioctl(umdp_fd(e.dev), UMDP_IOC_DMA_FREE, &fr), "freed");
	signal(SIGBUS, on_sigbus);
	if (!sigsetjmp(fault_jmp, 1))
		(void)p[0];
	else
		faulted = 1;
	CHECK(faulted, "touching the freed buffer's mapping is SIGBUS");
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, umdp_fd(e.dev),
		   (off_t)al.offset) == MAP_FAILED && errno == EPERM,
	      "mapping the freed buffer again is EPERM");
	umdp_close(e.dev);
	return failures ? 1 : 0;
}

static __attribute__((noreturn)) int cmd_hold(const char *grant)
{
	struct umdp_dma a;
	struct edu e;

	edu_open(grant, &e);
	if (umdp_dma_alloc(e.dev, 4096, &a))
		die("allocating", -ENOMEM);
	memset(a.addr, 0x33, 4096);
	printf("ready iova=0x%" PRIx64 "\n", a.iova);
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "info"))
		return cmd_info(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "config"))
		return cmd_config(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "intx"))
		return cmd_irq(argv[2], atol(argv[3]), 0);
	if (argc == 4 && !strcmp(argv[1], "msi"))
		return cmd_irq(argv[2], atol(argv[3]), 1);
	if (argc == 3 && !strcmp(argv[1], "dma"))
		return cmd_dma(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "confine"))
		return cmd_confine(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "limits"))
		return cmd_limits(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2]);
	fprintf(stderr, "usage: umdp-pcicheck info|config|dma|confine|limits|hold GRANT\n"
		"       umdp-pcicheck intx|msi GRANT N\n");
	return 2;
}
