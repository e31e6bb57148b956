// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * safe.c - the hardware the fuzzer may reach, whatever the kernel does.
 *
 * The guest is QEMU with real emulated devices: a write to 0xf4
 * (isa-debug-exit) ends the machine, 0xe4 (pc-testdev's flush page)
 * mprotects guest RAM under QEMU's feet, 0x2010 and up abort QEMU, 0xcf8,
 * 0x92, 0x64, 0x70 reconfigure or reset it. umdp is supposed to refuse any
 * port outside a grant, but the fuzzer is there to find where it does not,
 * so every access it asks for stays on hardware that is harmless even if
 * the kernel let it through:
 *
 *  - port spans inside pc-testdev's scratch register, 0xe0-0xe3 and
 *    0xe8-0xeb (read or write, any width), or one byte written to
 *    0x2000 + n for the free ISA lines n = 3, 5, 7, 10 (never read: that
 *    region has no read handler);
 *  - offsets above 0xffff only when their low 16 bits (what a truncating
 *    kernel would use) are such a span;
 *  - physical addresses touched through a mapping inside [MAP_LO, MAP_HI):
 *    pc-testdev's 64 KiB window and unassigned space around it (and the
 *    fuzzer's own DMA buffers, which are RAM);
 *  - PCI config space writes (UMDP_IOC_PCI_CONFIG with any flag set) whose
 *    every byte, taken modulo 256 (what a kernel that truncated the offset
 *    to a 256-byte space would write), is in the header's first 16 bytes
 *    (IDs, Command: I/O, Memory, Bus Master, INTx Disable... edu never
 *    masters the bus unless told through its BAR, which the fuzzer never
 *    touches; Status, class, cache line, latency, BIST) or in 0x3c-0x3f
 *    (interrupt line and pin): never a BAR, the ROM or a capability (MSI
 *    could aim the device's interrupt writes elsewhere).
 *
 * Edges are tested with grants of parts of these ranges: a grant of
 * 0xe0-0xe1 and an access at 0xe1 of 2 bytes. Invalid sizes (0, 3, 8...)
 * are only used where 4 bytes from the port would still be safe.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

static const uint16_t irq_ports[] = { 0x2003, 0x2005, 0x2007, 0x200a };

static bool in_scratch(uint64_t first, uint64_t last)
{
	return (first >= 0xe0 && last <= 0xe3) ||
	       (first >= 0xe8 && last <= 0xeb);
}

bool port_span_safe(uint64_t port, uint64_t size, bool write)
{
	uint64_t eff = size == 0 ? 1 : size > 4 ? 4 : size;
	uint64_t p = port & 0xffff;
	unsigned int i;

	/* a kernel that mishandled an invalid size would move up to 4 bytes */
	if (size != 1 && size != 2 && size != 4)
		eff = 4;
	if (in_scratch(p, p + eff - 1))
		return true;
	if (!write || eff != 1)
		return false;
	for (i = 0; i < sizeof(irq_ports) / sizeof(irq_ports[0]); i++)
		if (p == irq_ports[i])
			return true;
	return false;
}

bool phys_touch_safe(uint64_t phys, unsigned int width)
{
	return phys >= MAP_LO && phys + width <= MAP_HI;
}

static bool config_byte_safe(uint64_t offset)
{
	uint64_t b = offset & 0xff;

	return b < 0x10 || (b >= 0x3c && b < 0x40);
}

bool config_write_safe(uint64_t offset, uint64_t size)
{
	uint64_t eff = size == 1 || size == 2 || size == 4 ? size : 4, i;

	for (i = 0; i < eff; i++)
		if (!config_byte_safe(offset + i))
			return false;
	return true;
}

/*
 * An offset into config space for an access of @size: reads anywhere
 * (aligned mostly, the edges of the 256 and 4096-byte spaces, beyond);
 * writes only where config_write_safe() allows, the Command register most.
 */
uint32_t gen_config_offset(struct rng *r, bool write, uint32_t size)
{
	static const uint32_t wr[] = {
		0x04, 0x04, 0x04, 0x05, 0x06, 0x00, 0x02, 0x08, 0x0c, 0x0d,
		0x0e, 0x0f, 0x3c, 0x3d, 0x3e, 0x03, 0x07, 0x0b,
		/* beyond the 256-byte header, low byte still safe */
		0x100, 0x104, 0x13c, 0xf04, 0x1000, 0x1004, 0x10004,
		0xffff0004,
	};
	static const uint32_t rd[] = {
		0xfc, 0xfe, 0xff, 0x100, 0xffc, 0xffe, 0xfff, 0x1000,
		0xffffffff, 0x80000000,
	};
	uint32_t off;
	unsigned int tries;

	if (!write) {
		if (rng_chance(r, 85))
			return (uint32_t)rng_below(r, 0x100) &
			       ~(uint32_t)(rng_chance(r, 90) && size &&
					   size <= 4 ? size - 1 : 0);
		return rd[rng_below(r, sizeof(rd) / sizeof(rd[0]))];
	}
	for (tries = 0; tries < 8; tries++) {
		off = wr[rng_below(r, sizeof(wr) / sizeof(wr[0]))];
		if (config_write_safe(off, size))
			return off;
	}
	return 0x04;	/* safe for every size */
}

void fatal_unsafe(const char *what, uint64_t a, uint64_t b)
{
	fprintf(stderr, "umdp-fuzz: BUG in the fuzzer: unsafe %s 0x%" PRIx64
		" 0x%" PRIx64 " refused\n", what, a, b);
	fflush(stderr);
}

/* 1, 2 or 4 mostly; sometimes a size the kernel must refuse */
uint64_t gen_io_size(struct rng *r)
{
	static const uint64_t bad[] = { 0, 3, 5, 8, 16, 4096, 1 << 20 };

	if (rng_chance(r, 92)) {
		static const uint64_t good[] = { 1, 2, 4 };

		return good[rng_below(r, 3)];
	}
	return bad[rng_below(r, sizeof(bad) / sizeof(bad[0]))];
}

/*
 * A port for an access of @size: a safe span, rarely moved above 0xffff
 * (low 16 bits kept) or below 0 (the VFS refuses).
 */
uint64_t gen_port(struct rng *r, uint64_t size, bool write)
{
	uint64_t eff = (size == 1 || size == 2 || size == 4) ? size : 4;
	uint64_t p;
	unsigned int tries;

	if (write && eff == 1 && rng_chance(r, 10)) {
		p = irq_ports[rng_below(r, 4)];
	} else {
		/* a start inside one of the two scratch ranges that fits */
		uint64_t n = 4 - eff + 1;

		p = (rng_chance(r, 50) ? 0xe0 : 0xe8) + rng_below(r, n);
	}
	for (tries = 0; tries < 1 && rng_chance(r, 6); tries++) {
		static const uint64_t hi[] = {
			1ULL << 16, 1ULL << 32, 1ULL << 62, 0xffff0000ULL,
		};

		if (rng_chance(r, 25))
			p = (uint64_t)-(int64_t)0x10000 + p;
		else
			p |= hi[rng_below(r, 4)];
	}
	if (!port_span_safe(p, size, write))
		fatal_unsafe("port from the generator", p, size);
	return p;
}

/*
 * An mmap range: page offsets around the testdev window, sometimes
 * unaligned, sometimes beyond any physical address, lengths from 0 to
 * past the window (clamped so that [off, off + len) stays in MAP_LO..HI
 * for addresses the fuzzer could ever touch).
 */
void gen_map_range(struct rng *r, uint64_t *off, uint64_t *len)
{
	uint64_t o, l;

	if (rng_chance(r, 25)) {
		/* inside a quarter of the window: what provision grants */
		*off = TESTDEV_MEM + 0x4000 * rng_below(r, 4) +
		       0x1000 * rng_below(r, 2);
		*len = (1 + rng_below(r, 3)) * 0x1000;
		return;
	}
	if (rng_chance(r, 40)) {
		/* inside the window: what a grant of all of it allows */
		uint64_t k = rng_chance(r, 30) ? 0 : rng_below(r, 16);

		*off = TESTDEV_MEM + k * 0x1000;
		*len = k == 0 && rng_chance(r, 50) ? TESTDEV_MEM_LEN :
		       (1 + rng_below(r, 16 - k)) * 0x1000;
		return;
	}
	o = TESTDEV_MEM + ((int64_t)rng_below(r, 40) - 8) * 0x1000;
	if (rng_chance(r, 40))
		o = TESTDEV_MEM + rng_below(r, 16) * 0x1000;
	if (rng_chance(r, 5))
		o += 1 + rng_below(r, 0xfff);
	if (rng_chance(r, 3))
		o += PHYS_BEYOND;

	switch (rng_below(r, 10)) {
	case 0:
		l = 0;
		break;
	case 1:
		l = 1 + rng_below(r, 0x3000);
		break;
	case 2:
		l = 1ULL << (30 + rng_below(r, 10));
		break;
	case 3:
		l = TESTDEV_MEM_LEN;
		break;
	default:
		l = (1 + rng_below(r, 16)) * 0x1000;
		break;
	}
	*off = o;
	*len = l;
}
