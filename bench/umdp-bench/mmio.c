// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench mmio GRANT PHYS RESOURCE0: 4-byte MMIO read of BAR0+0x00 and
 * write of BAR0+0x04, through a umdp mapping vs through the PCI device's
 * sysfs resource0 mapping.
 */
#include <stdio.h>
#include <unistd.h>

#include "bench.h"

static struct {
	volatile uint32_t *umdp, *res;
	volatile uint32_t sink;
} M;

static void mmio_rd(volatile uint32_t *p, long n)
{
	uint32_t s = 0;

	for (long i = 0; i < n; i++)
		s += p[EDU_ID];
	M.sink = s;
}

static void mmio_wr(volatile uint32_t *p, long n)
{
	for (long i = 0; i < n; i++)
		p[EDU_LIVENESS] = (uint32_t)i;
}

static void rd_res(const struct variant *v, long n)
{
	(void)v;
	mmio_rd(M.res, n);
}

static void rd_map(const struct variant *v, long n)
{
	(void)v;
	mmio_rd(M.umdp, n);
}

static void wr_res(const struct variant *v, long n)
{
	(void)v;
	mmio_wr(M.res, n);
}

static void wr_map(const struct variant *v, long n)
{
	(void)v;
	mmio_wr(M.umdp, n);
}

int cmd_mmio(const char *grant, uint64_t phys, const char *res)
{
	struct variant v[] = {
		VARIANT("mmio.read.resource0", "4-byte MMIO read", "sysfs resource0 mapping", "-", rd_res, 1, 0),
		VARIANT("mmio.read.umdp", "4-byte MMIO read", "umdp mapping", "mmio.read.resource0", rd_map, 1, 0),
		VARIANT("mmio.write.resource0", "4-byte MMIO write", "sysfs resource0 mapping", "-", wr_res, 1, 0),
		VARIANT("mmio.write.umdp", "4-byte MMIO write", "umdp mapping", "mmio.write.resource0", wr_map, 1, 0),
	};
	struct umdp_dev *dev = open_grant(grant);
	int rfd;

	M.umdp = map_grant(dev, phys);
	M.res = map_resource(res, &rfd);
	edu_check(M.umdp, "the umdp mapping");
	edu_check(M.res, "resource0");
	M.umdp[EDU_LIVENESS] = 0x12345678;
	if (M.res[EDU_LIVENESS] != ~0x12345678U)
		die("the two mappings do not reach the same registers");
	fprintf(stderr, "# MMIO at 0x%llx\n", (unsigned long long)phys);
	measure(v, sizeof(v) / sizeof(v[0]));
	umdp_close(dev);
	close(rfd);
	return 0;
}
