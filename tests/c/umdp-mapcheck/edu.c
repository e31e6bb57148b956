// SPDX-License-Identifier: GPL-2.0-or-later
/* umdp-mapcheck edu PHYS: edu's BAR0 at PHYS: id, liveness, factorial. */
#include "mapcheck.h"

void check_edu(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die();
	void *bar = map_or_die(dev, phys, 0x100000);
	uint32_t v;
	int spins;

	v = rd32(bar, 0x00);
	CHECK(v == 0x010000ed, "edu id register reads 0x010000ed (0x%08x)", v);
	wr32(bar, 0x04, 0x12345678);
	v = rd32(bar, 0x04);
	CHECK(v == ~0x12345678u, "liveness register returns ~0x12345678 (0x%08x)", v);
	wr32(bar, 0x04, 0);
	CHECK(rd32(bar, 0x04) == 0xffffffffu, "and ~0 after writing 0");
	for (unsigned int n = 5; n <= 10; n += 5) {
		uint32_t want = n == 5 ? 120 : 3628800;

		wr32(bar, 0x08, n);
		for (spins = 0; (rd32(bar, 0x20) & 1) && spins < 1000000; spins++)
			;
		v = rd32(bar, 0x08);
		CHECK(v == want, "factorial of %u reads %u (%u; %d status polls)",
		      n, want, v, spins);
	}
	CHECK(umdp_unmap(bar, 0x100000) == 0, "munmap of BAR0");
	umdp_close(dev);
}
