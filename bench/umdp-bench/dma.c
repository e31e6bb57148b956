// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench dma GRANT: what setting up a DMA buffer costs, on a "pci"
 * grant with "dma" (edu: dma=2M dma_bits=28).
 *
 * Per call: umdp_dma_alloc() (UMDP_IOC_DMA_ALLOC, which allocates, zeroes
 * and maps the buffer for the device, then mmap() of it), the first touch
 * of its first and last page (the module inserts a buffer's pages at fault
 * time, so this is where the page tables are filled), umdp_dma_free()
 * (munmap(), then UMDP_IOC_DMA_FREE). 4 KiB and 1 MiB buffers; for 1 MiB
 * also the first touch of every page, and the free once every page is
 * mapped. The grant holds no other buffer, so each allocation turns the
 * function's bus mastering on and each free turns it off again, as for a
 * driver's first and last buffer; the "held" cases keep another 4 KiB
 * buffer allocated meanwhile, so bus mastering stays on, as for a
 * driver's later buffers.
 *
 * The cases are interleaved run by run; a run's figure is the mean of its
 * calls, each timed on its own.
 */
#include <stdio.h>
#include <unistd.h>

#include "bench.h"

/**
 * struct dma_case - one way of setting up and tearing down a buffer
 * @tag: its rows' ids end in .<tag>
 * @size: bytes
 * @every_page: touch every page, else the first and the last
 * @held: another buffer is held meanwhile (bus mastering stays on)
 * @calls: buffers per run
 * @alloc, @touch, @free: per run, the mean ns of umdp_dma_alloc(), of it
 *	and the first touches, of umdp_dma_free()
 */
struct dma_case {
	const char *tag;
	size_t size;
	int every_page, held;
	long calls;
	double alloc[RUNS], touch[RUNS], free[RUNS];
};

/* One buffer: allocate, map, touch, free; adds its times in ns to sums. */
static void dma_call(struct umdp_dev *dev, const struct dma_case *c,
		     size_t page, double sums[3])
{
	struct umdp_dma buf;
	volatile uint8_t *p;
	double t0, t1, t2, t3;
	int err;

	t0 = now_ns();
	err = umdp_dma_alloc(dev, c->size, &buf);
	t1 = now_ns();
	if (err)
		die("umdp_dma_alloc %zu bytes: %s", c->size, umdp_strerror(err));
	p = buf.addr;
	if (c->every_page) {
		for (size_t off = 0; off < c->size; off += page)
			p[off] = 1;
	} else {
		p[0] = 1;
		p[c->size - 1] = 1;
	}
	t2 = now_ns();
	err = umdp_dma_free(dev, &buf);
	t3 = now_ns();
	if (err)
		die("umdp_dma_free: %s", umdp_strerror(err));
	sums[0] += t1 - t0;
	sums[1] += t2 - t0;
	sums[2] += t3 - t2;
}

/* CALLS buffers of case C; RUN < 0: a warm-up, not recorded */
static void dma_run(struct umdp_dev *dev, struct dma_case *c, size_t page,
		    long calls, int run)
{
	double sums[3] = { 0, 0, 0 };
	struct umdp_dma keep;
	int err;

	if (c->held) {
		err = umdp_dma_alloc(dev, 4096, &keep);
		if (err)
			die("umdp_dma_alloc of the held buffer: %s", umdp_strerror(err));
	}
	for (long i = 0; i < calls; i++)
		dma_call(dev, c, page, sums);
	if (c->held) {
		err = umdp_dma_free(dev, &keep);
		if (err)
			die("umdp_dma_free of the held buffer: %s", umdp_strerror(err));
	}
	if (run < 0)
		return;
	c->alloc[run] = sums[0] / (double)c->calls;
	c->touch[run] = sums[1] / (double)c->calls;
	c->free[run] = sums[2] / (double)c->calls;
}

/*
 * The first buffer: zeroed, within dma_bits, the grant's only one.
 * Returns whether an IOMMU maps the buffers: "IOMMU" or "no IOMMU".
 */
static const char *dma_check(struct umdp_dev *dev, size_t size)
{
	struct umdp_pci_info info = { 0 };
	struct umdp_dma buf;
	const volatile uint8_t *p;
	int err = umdp_dma_alloc(dev, size, &buf);

	if (err)
		die("umdp_dma_alloc %zu bytes: %s", size, umdp_strerror(err));
	p = buf.addr;
	if (p[0] || p[size - 1])
		die("a new DMA buffer is not zeroed");
	err = umdp_pci_info_get(dev, &info);
	if (err)
		die("umdp_pci_info_get: %s", umdp_strerror(err));
	if (info.dma_bits < 64 && (buf.iova + size - 1) >> info.dma_bits)
		die("DMA buffer at 0x%llx beyond dma_bits %u",
		    (unsigned long long)buf.iova, info.dma_bits);
	if (info.dma_used != size)
		note("the DMA grant holds %llu bytes of buffers besides the bench's",
		     (unsigned long long)(info.dma_used - size));
	fprintf(stderr, "# DMA: %llu bytes at most, %u bits, %s; first buffer at 0x%llx\n",
		(unsigned long long)info.dma_max, info.dma_bits,
		info.pci_flags & UMDP_PCI_IOMMU ? "IOMMU" : "no IOMMU",
		(unsigned long long)buf.iova);
	err = umdp_dma_free(dev, &buf);
	if (err)
		die("umdp_dma_free: %s", umdp_strerror(err));
	return info.pci_flags & UMDP_PCI_IOMMU ? "IOMMU" : "no IOMMU";
}

int cmd_dma(const char *grant)
{
	struct dma_case c[] = {
		{ .tag = "4k", .size = 4096, .calls = DMA_CALLS_4K },
		{ .tag = "1m", .size = 1 << 20, .calls = DMA_CALLS_1M },
		{ .tag = "1m.all", .size = 1 << 20, .every_page = 1,
		  .calls = DMA_CALLS_1M },
		{ .tag = "4k.held", .size = 4096, .held = 1, .calls = DMA_CALLS_4K },
		{ .tag = "1m.held", .size = 1 << 20, .held = 1, .calls = DMA_CALLS_1M },
	};
	const size_t nc = sizeof(c) / sizeof(c[0]);
	struct umdp_dev *dev = open_grant(grant);
	long page = sysconf(_SC_PAGESIZE);
	const char *mmu;
	char s4[64], s1[64];

	if (page <= 0)
		page = 4096;
	mmu = dma_check(dev, c[1].size);
	snprintf(s4, sizeof(s4), "DMA set-up, 4 KiB buffer, %s", mmu);
	snprintf(s1, sizeof(s1), "DMA set-up, 1 MiB buffer, %s", mmu);
	for (size_t k = 0; k < nc; k++)
		dma_run(dev, &c[k], (size_t)page, 1, -1);
	fprintf(stderr, "# DMA set-up: %d runs of %ld (4 KiB) and %ld (1 MiB) buffers\n",
		RUNS, (long)DMA_CALLS_4K, (long)DMA_CALLS_1M);
	for (int run = 0; run < RUNS; run++)
		for (size_t k = 0; k < nc; k++)
			dma_run(dev, &c[k], (size_t)page, c[k].calls, run);

	emit_row("dma.alloc.4k", s4, "umdp_dma_alloc: allocate + map (ioctl, mmap)",
		 c[0].alloc, "ns", "none", 2, c[0].calls, -1);
	emit_row("dma.alloc.4k.held", s4, "umdp_dma_alloc, another buffer held",
		 c[3].alloc, "ns", "dma.alloc.4k", 2, c[3].calls, -1);
	emit_row("dma.touch.4k", s4, "umdp_dma_alloc + first touch of the page",
		 c[0].touch, "ns", "dma.alloc.4k", 2, c[0].calls, -1);
	emit_row("dma.free.4k", s4, "umdp_dma_free: unmap + free (munmap, ioctl)",
		 c[0].free, "ns", "none", 2, c[0].calls, -1);
	emit_row("dma.free.4k.held", s4, "umdp_dma_free, another buffer held",
		 c[3].free, "ns", "dma.free.4k", 2, c[3].calls, -1);
	emit_row("dma.alloc.1m", s1, "umdp_dma_alloc: allocate + map (ioctl, mmap)",
		 c[1].alloc, "ns", "none", 2, c[1].calls, -1);
	emit_row("dma.alloc.1m.held", s1, "umdp_dma_alloc, another buffer held",
		 c[4].alloc, "ns", "dma.alloc.1m", 2, c[4].calls, -1);
	emit_row("dma.touch.1m", s1, "umdp_dma_alloc + first touch of first and last page",
		 c[1].touch, "ns", "dma.alloc.1m", 2, c[1].calls, -1);
	emit_row("dma.touch.1m.all", s1, "umdp_dma_alloc + first touch of all 256 pages",
		 c[2].touch, "ns", "dma.alloc.1m", 2, c[2].calls, -1);
	emit_row("dma.free.1m", s1, "umdp_dma_free, first and last page mapped",
		 c[1].free, "ns", "none", 2, c[1].calls, -1);
	emit_row("dma.free.1m.held", s1, "umdp_dma_free, another buffer held",
		 c[4].free, "ns", "dma.free.1m", 2, c[4].calls, -1);
	emit_row("dma.free.1m.all", s1, "umdp_dma_free, all 256 pages mapped",
		 c[2].free, "ns", "dma.free.1m", 2, c[2].calls, -1);
	umdp_close(dev);
	return 0;
}
