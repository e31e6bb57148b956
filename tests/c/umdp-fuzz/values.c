// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * values.c - what the fuzzer writes into configfs attributes.
 *
 * A valid value of ioports, irqs or mem is drawn from pc-testdev's
 * resources only (ports 0xe0-0xe3, 0xe8-0xeb, the IRQ ports 0x2003,
 * 0x2005, 0x2007, 0x200a; lines 3, 5, 7, 10; pages of the 64 KiB window
 * at 0xff000000), in every notation the parser takes (hex, HEX, decimal,
 * octal, "a-b", "a+len", ",wc"). A malformed value is a valid one with a
 * mutation that no parser may accept whatever it truncates: a byte that
 * no value can hold, an embedded NUL, a reversed range of safe ends,
 * numbers past every limit whose low 16 or 32 bits are still safe, a page
 * or more with such a byte right after the first item... So a kernel that
 * parses wrongly still never gets a well-formed unsafe resource from here.
 *
 * A valid "pci" names one of the guest's free edus (none: empty); "dma"
 * at most 1 MiB; "irqs" sometimes "intx" or "msi:N" (for an edu grant).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

struct sb {
	char *p;
	size_t n, cap;
};

static void sb_putc(struct sb *b, char c)
{
	if (b->n < b->cap)
		b->p[b->n++] = c;
}

static void sb_puts(struct sb *b, const char *s)
{
	while (*s)
		sb_putc(b, *s++);
}

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sb *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n, i;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	for (i = 0; i < n && i < (int)sizeof(tmp) - 1; i++)
		sb_putc(b, tmp[i]);
}

/* insert @c at @pos */
static void sb_insert(struct sb *b, size_t pos, char c)
{
	if (b->n >= b->cap)
		return;
	if (pos > b->n)
		pos = b->n;
	memmove(b->p + pos + 1, b->p + pos, b->n - pos);
	b->p[pos] = c;
	b->n++;
}

/* bytes no attribute value may hold anywhere (for paths: see below) */
static const char markers[] = " \t#!.:_~\x01\x7f\x80\xff";

static char marker(struct rng *r)
{
	return markers[rng_below(r, sizeof(markers) - 1)];
}

/* a number in one of the notations kstrtou64(..., 0) reads */
static void put_num(struct sb *b, struct rng *r, uint64_t v)
{
	switch (rng_below(r, 10)) {
	case 0:
	case 1:
		sb_printf(b, "%" PRIu64, v);
		break;
	case 2:
		sb_printf(b, "0X%" PRIX64, v);
		break;
	case 3:
		sb_printf(b, "0%" PRIo64, v);
		break;
	case 4:
		sb_printf(b, "0x%04" PRIx64, v);
		break;
	default:
		sb_printf(b, "0x%" PRIx64, v);
		break;
	}
}

static const uint16_t irq_ports[] = { 0x2003, 0x2005, 0x2007, 0x200a };
static const unsigned int irq_lines[] = { 3, 5, 7, 10 };

static void valid_port_item(struct sb *b, struct rng *r)
{
	uint64_t first, last;

	uint64_t x = rng_below(r, 100);

	if (x < 45) {
		first = rng_chance(r, 50) ? 0xe0 : 0xe8;
		last = first + 3;
	} else if (x < 85) {
		uint64_t base = rng_chance(r, 50) ? 0xe0 : 0xe8;
		uint64_t s = rng_below(r, 4);

		first = base + s;
		last = first + rng_below(r, 4 - s);
	} else {
		first = last = irq_ports[rng_below(r, 4)];
	}
	put_num(b, r, first);
	if (first == last && rng_chance(r, 70))
		return;
	if (rng_chance(r, 60)) {
		sb_putc(b, '-');
		put_num(b, r, last);
	} else {
		sb_putc(b, '+');
		put_num(b, r, last - first + 1);
	}
}

/* the PCI forms of "irqs", for a grant with "pci" (alone in the list) */
static const char *const pci_irqs[] = { "intx", "msi:1", "msi:2" };

static void valid_irq_item(struct sb *b, struct rng *r)
{
	unsigned int l = irq_lines[rng_below(r, 4)];

	put_num(b, r, l);
	if (rng_chance(r, 15)) {
		sb_putc(b, '-');
		put_num(b, r, l);
	}
}

static void valid_mem_item(struct sb *b, struct rng *r)
{
	uint64_t s, n;

	if (rng_chance(r, 40)) {
		s = 0;
		n = 16;
	} else {
		s = rng_below(r, 16);
		n = 1 + rng_below(r, 16 - s);
	}
	put_num(b, r, TESTDEV_MEM + s * 0x1000);
	if (rng_chance(r, 70)) {
		sb_putc(b, '+');
		put_num(b, r, n * 0x1000);
	} else {
		sb_putc(b, '-');
		put_num(b, r, TESTDEV_MEM + (s + n) * 0x1000 - 1);
	}
	if (rng_chance(r, 25))
		sb_puts(b, ",wc");
}

static void valid_list(struct sb *b, struct rng *r, unsigned int attr)
{
	unsigned int i, n;

	if (attr == ATTR_MEM && rng_chance(r, 5)) {
		/* sixteen one-page windows: UMDP_MAX_RANGES exactly */
		for (i = 0; i < 16; i++)
			sb_printf(b, "%s0x%" PRIx64 "+0x1000", i ? "," : "",
				  TESTDEV_MEM + i * 0x1000);
		return;
	}
	if (attr == ATTR_IRQS && rng_chance(r, 10)) {
		sb_puts(b, pci_irqs[rng_below(r, 3)]);
		return;
	}
	n = rng_chance(r, 70) ? 1 : 2 + (unsigned int)rng_below(r, 2);
	for (i = 0; i < n; i++) {
		if (i)
			sb_putc(b, ',');
		if (attr == ATTR_IOPORTS)
			valid_port_item(b, r);
		else if (attr == ATTR_IRQS)
			valid_irq_item(b, r);
		else
			valid_mem_item(b, r);
	}
}

static void valid_value(struct sb *b, struct rng *r,
			const struct value_ctx *ctx, unsigned int attr)
{
	static const char *const modes[] = {
		"0600", "0660", "0666", "600", "0", "0777", "0640", "0400",
	};
	static const char *const names[] = {
		"root", "0", "nobody", "daemon", "_umdp-none$",
	};

	switch (attr) {
	case ATTR_IOPORTS:
	case ATTR_IRQS:
	case ATTR_MEM:
		valid_list(b, r, attr);
		break;
	case ATTR_OWNER:
	case ATTR_GROUP:
		if (rng_chance(r, 50))
			sb_puts(b, rng_chance(r, 50) ? ctx->user : "");
		if (b->n == 0 && rng_chance(r, 50))
			sb_printf(b, "%u", ctx->uid);
		if (b->n == 0)
			sb_puts(b, names[rng_below(r, 5)]);
		break;
	case ATTR_MODE:
		sb_puts(b, modes[rng_below(r, 8)]);
		break;
	case ATTR_EXCLUSIVE:
	case ATTR_ENABLE:
		sb_putc(b, rng_chance(r, 50) ? '1' : '0');
		break;
	case ATTR_PCI:
		if (ctx->nedu)
			sb_puts(b, ctx->edu[rng_below(r, ctx->nedu)]);
		break;
	case ATTR_DMA: {
		static const char *const dma[] = {
			"4K", "8K", "64K", "1M", "4096", "65536", "0", "12K",
		};

		sb_puts(b, dma[rng_below(r, 8)]);
		break;
	}
	case ATTR_DMA_BITS: {
		static const char *const bits[] = { "28", "32", "64", "12", "40" };

		sb_puts(b, bits[rng_below(r, 5)]);
		break;
	}
	case ATTR_PATH: {
		uint64_t x = rng_below(r, 100);

		if (x < 70)
			sb_puts(b, ctx->self);
		else if (x < 78)
			sb_puts(b, "/proc/self/exe");
		else if (x < 86)
			sb_puts(b, "/bin/true");
		else if (x < 90)
			sb_puts(b, "/nonexistent/umdp-fuzz");
		else if (x < 93)
			sb_puts(b, "/dev/null");
		else if (x < 96)
			sb_puts(b, "/tmp");
		else if (x < 98)
			sb_printf(b, "%s/", ctx->self);
		else
			sb_printf(b, "/%s", ctx->self);
		break;
	}
	default:
		sb_putc(b, 'x');
		break;
	}
}

static bool is_list(unsigned int attr)
{
	return attr == ATTR_IOPORTS || attr == ATTR_IRQS || attr == ATTR_MEM;
}

static void reversed(struct sb *b, struct rng *r, unsigned int attr)
{
	if (attr == ATTR_IOPORTS) {
		uint64_t base = rng_chance(r, 50) ? 0xe0 : 0xe8;
		uint64_t s = rng_below(r, 3);
		uint64_t e = s + 1 + rng_below(r, 3 - s);

		put_num(b, r, base + e);
		sb_putc(b, '-');
		put_num(b, r, base + s);
	} else if (attr == ATTR_IRQS) {
		sb_puts(b, rng_chance(r, 50) ? "10-3" : "7-5");
	} else {
		uint64_t s = rng_below(r, 15);

		put_num(b, r, TESTDEV_MEM + (s + 1) * 0x1000);
		sb_putc(b, '-');
		put_num(b, r, TESTDEV_MEM + s * 0x1000 + 0xfff);
	}
}

/* past every limit; what a truncating parser would keep is still safe */
static void huge(struct sb *b, struct rng *r, unsigned int attr)
{
	uint64_t k = rng_below(r, 6);

	switch (attr) {
	case ATTR_IOPORTS: {
		uint64_t p = (rng_chance(r, 50) ? 0xe0 : 0xe8) +
			     rng_below(r, 4);

		if (k == 0)
			sb_printf(b, "0x%" PRIx64, p | (uint64_t)1 << 16);
		else if (k == 1)
			sb_printf(b, "0x%" PRIx64, p | (uint64_t)1 << 32);
		else if (k == 2)	/* 2^64 + p: overflows u64 */
			sb_printf(b, "1844674407370955%04" PRIu64,
				  1616 + p);
		else if (k == 3)
			sb_printf(b, "0x%" PRIx64 "+0x10000", p);
		else if (k == 4)
			sb_printf(b, "0x%" PRIx64 "-0x%" PRIx64, p,
				  p | (uint64_t)0xffff0000);
		else
			sb_printf(b, "0x1%016" PRIx64, p);
		break;
	}
	case ATTR_IRQS: {
		unsigned int l = irq_lines[rng_below(r, 4)];

		if (k == 0)
			sb_printf(b, "%u", (1U << 24) + l);
		else if (k == 1)
			sb_printf(b, "0x%" PRIx64, ((uint64_t)1 << 32) + l);
		else if (k == 2)
			sb_printf(b, "1844674407370955%04u", 1616 + l);
		else if (k == 3)
			sb_printf(b, "%u-%u", l, (1U << 24) + l);
		else
			sb_printf(b, "0x1%016x", l);
		break;
	}
	case ATTR_MEM:
		if (k == 0)
			sb_printf(b, "0x%" PRIx64 "+0x10000",
				  TESTDEV_MEM + PHYS_BEYOND);
		else if (k == 1)
			sb_printf(b, "0x%" PRIx64 "+0x%" PRIx64, TESTDEV_MEM,
				  PHYS_BEYOND);
		else if (k == 2)
			sb_printf(b, "0xffffffff%08" PRIx64 "+0x10000",
				  TESTDEV_MEM);
		else if (k == 3)	/* 2^64 + 0xff000000 */
			sb_puts(b, "18446744077987741696+0x10000");
		else if (k == 4)
			sb_printf(b, "0x%" PRIx64 "-0xffffffffffffffff",
				  TESTDEV_MEM);
		else
			sb_printf(b, "0x1%016" PRIx64 "+0x1000", TESTDEV_MEM);
		break;
	case ATTR_OWNER:
	case ATTR_GROUP:
		sb_puts(b, k < 2 ? "4294967295" : k < 4 ? "4294967296" :
			"99999999999999999999");
		break;
	case ATTR_MODE:
		sb_puts(b, k < 2 ? "01000" : k < 4 ? "07777" : "0777777777777");
		break;
	case ATTR_EXCLUSIVE:
	case ATTR_ENABLE:
		sb_puts(b, k < 3 ? "10" : "0000000001");
		break;
	default:
		sb_putc(b, '/');
		while (b->n < 1100)
			sb_puts(b, "huge/");
		break;
	}
}

static void overlong(struct sb *b, struct rng *r, const struct value_ctx *ctx,
		     unsigned int attr)
{
	static const size_t lens[] = {
		1023, 1024, 1025, 4093, 4094, 4095, 4096, 5000, 8192,
	};
	size_t target = lens[rng_below(r, sizeof(lens) / sizeof(lens[0]))];
	size_t mark;

	if (target > b->cap)
		target = b->cap;
	if (attr == ATTR_PATH) {
		/* absolute, valid bytes; too long from 1024 on */
		while (b->n < target)
			sb_puts(b, "/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		b->n = target;
		return;
	}
	valid_value(b, r, ctx, attr);
	/* a byte no value holds, right after the first item */
	sb_puts(b, ",#");
	mark = b->n;
	while (b->n < target) {
		size_t before = b->n;

		valid_value(b, r, ctx, attr);
		sb_putc(b, ',');
		if (b->n == before)
			break;
	}
	if (b->n > target && target > mark)
		b->n = target;
}

size_t attr_value(const struct value_ctx *ctx, unsigned int attr,
		  unsigned int vclass, uint64_t sub, char *out, size_t cap)
{
	struct sb b = { out, 0, cap };
	struct rng r;
	bool newline;

	rng_seed(&r, sub);
	newline = rng_chance(&r, 85);
	switch (vclass) {
	case V_VALID:
		valid_value(&b, &r, ctx, attr);
		break;
	case V_EMPTY:
		break;
	case V_MARKER:
		valid_value(&b, &r, ctx, attr);
		if (attr == ATTR_PATH)	/* relative: not absolute */
			sb_insert(&b, 0, 'x');
		else
			sb_insert(&b, rng_below(&r, b.n + 1), marker(&r));
		break;
	case V_GARBAGE: {
		size_t n = 1 + rng_below(&r, 48), i;

		for (i = 0; i < n; i++)
			sb_putc(&b, (char)(1 + rng_below(&r, 255)));
		if (attr == ATTR_PATH)
			b.p[0] = 'g';	/* never absolute */
		else
			b.p[rng_below(&r, b.n)] = marker(&r);
		break;
	}
	case V_NUL:
		valid_value(&b, &r, ctx, attr);
		sb_insert(&b, rng_below(&r, b.n + 1), '\0');
		break;
	case V_OVERLONG:
		overlong(&b, &r, ctx, attr);
		newline = false;
		break;
	case V_REVERSED:
		if (is_list(attr))
			reversed(&b, &r, attr);
		else
			sb_puts(&b, "1-0");
		break;
	case V_HUGE:
		huge(&b, &r, attr);
		break;
	case V_SIGN:
		sb_putc(&b, rng_chance(&r, 50) ? '+' : '-');
		valid_value(&b, &r, ctx, attr);
		break;
	case V_EMPTY_ITEM: {
		uint64_t how = rng_below(&r, 3);

		if (how == 0)
			sb_putc(&b, ',');
		valid_value(&b, &r, ctx, attr);
		if (how == 1)
			sb_putc(&b, ',');
		if (how == 2) {
			sb_puts(&b, ",,");
			valid_value(&b, &r, ctx, attr);
		}
		break;
	}
	case V_NEWLINES: {
		uint64_t how = rng_below(&r, 4);

		if (how == 0)
			sb_putc(&b, '\n');
		valid_value(&b, &r, ctx, attr);
		if (how == 1)
			sb_puts(&b, "\n\n");
		else if (how == 2)
			sb_puts(&b, "\r\n");
		else if (how == 3) {
			sb_putc(&b, '\n');
			valid_value(&b, &r, ctx, attr);
		}
		newline = false;
		break;
	}
	case V_BLANK: {
		bool lead = rng_chance(&r, 50);

		if (lead)
			sb_putc(&b, rng_chance(&r, 50) ? ' ' : '\t');
		valid_value(&b, &r, ctx, attr);
		if (!lead || rng_chance(&r, 30))
			sb_putc(&b, rng_chance(&r, 50) ? ' ' : '\t');
		break;
	}
	case V_UNALIGNED:
		if (attr == ATTR_MEM) {
			uint64_t s = rng_below(&r, 15);

			if (rng_chance(&r, 50))
				sb_printf(&b, "0x%" PRIx64 "+0x1000",
					  TESTDEV_MEM + s * 0x1000 +
					  1 + rng_below(&r, 0xfff));
			else
				sb_printf(&b, "0x%" PRIx64 "-0x%" PRIx64,
					  TESTDEV_MEM + s * 0x1000,
					  TESTDEV_MEM + s * 0x1000 +
					  rng_below(&r, 0xffe));
		} else {
			valid_value(&b, &r, ctx, attr);
			sb_insert(&b, 0, marker(&r));
		}
		break;
	case V_ZERO_LEN:
		if (attr == ATTR_IOPORTS)
			sb_puts(&b, "0xe0+0");
		else if (attr == ATTR_MEM)
			sb_printf(&b, "0x%" PRIx64 "+0", TESTDEV_MEM);
		else if (attr == ATTR_IRQS)
			sb_puts(&b, "3+1");
		else
			sb_puts(&b, "+0");
		break;
	default:
		break;
	}
	if (newline)
		sb_putc(&b, '\n');
	return b.n;
}

unsigned int gen_vclass(struct rng *r, unsigned int attr)
{
	static const unsigned int list_bad[] = {
		V_MARKER, V_GARBAGE, V_NUL, V_OVERLONG, V_REVERSED, V_HUGE,
		V_SIGN, V_EMPTY_ITEM, V_NEWLINES, V_BLANK, V_UNALIGNED,
		V_ZERO_LEN,
	};
	static const unsigned int other_bad[] = {
		V_MARKER, V_GARBAGE, V_NUL, V_OVERLONG, V_HUGE, V_SIGN,
		V_EMPTY_ITEM, V_NEWLINES, V_BLANK,
	};
	unsigned int x = (unsigned int)rng_below(r, 100);

	if (x < 62)
		return V_VALID;
	if (x < 67)
		return V_EMPTY;
	if (is_list(attr))
		return list_bad[rng_below(r, sizeof(list_bad) /
					     sizeof(list_bad[0]))];
	return other_bad[rng_below(r, sizeof(other_bad) /
				      sizeof(other_bad[0]))];
}
