// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-irqcheck - interrupts through libumdp, against QEMU's devices.
 *
 *   umdp-irqcheck edges GRANT IRQ N edge|level
 *	pc-testdev: raise N edges on ISA IRQ IRQ one at a time (port
 *	0x2000+IRQ: write 1 then 0), wait for each (and unmask a level line);
 *	every edge must be counted exactly once. Prints the average round trip
 *	(raise, wake, fetch). The line must be of the trigger type given.
 *   umdp-irqcheck isolate GRANT_A IRQ_A GRANT_B IRQ_B
 *	edges on A's line are never seen by B's node, and the other way round.
 *   umdp-irqcheck level GRANT IRQ RESOURCE0 N
 *	edu: raise its level INTx through BAR0 (RESOURCE0 is its sysfs
 *	resource0, mapped by root), check the line is counted once and stays
 *	masked until acked and unmasked; then N full rounds, with the average.
 *   umdp-irqcheck hold GRANT
 *	open, print "waiting", block in poll; print what woke it and when
 *	(CLOCK_REALTIME ns).
 *
 * Prints one "ok -"/"not ok -" line per check; exits 1 if any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <umdp.h>

#include "check.h"

static double now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* pc-testdev: port 0x2000 + n sets the level of ISA IRQ n */
static void set_line(struct umdp_dev *dev, unsigned int irq, uint8_t level)
{
	uint16_t port = (uint16_t)(0x2000 + irq);

	if (umdp_outb(dev, port, level)) {
		printf("not ok - setting IRQ %u through port 0x%x\n", irq, port);
		exit(1);
	}
}

static void raise_edge(struct umdp_dev *dev, unsigned int irq)
{
	set_line(dev, irq, 1);
	set_line(dev, irq, 0);
}

static int cmd_edges(const char *grant, unsigned int irq, long n,
		     const char *trigger)
{
	struct umdp_dev *dev = open_grant(grant);
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr;
	long lost = 0, extra = 0, i;
	uint64_t stale;
	int r, level;
	double t0;

	nr = UMDP_MAX_RANGES;
	r = umdp_irq_fetch(dev, ev, &nr);
	CHECK(r >= 0 && nr == 1 && ev[0].irq == irq && ev[0].total <= 1 &&
	      (uint64_t)r == ev[0].total,
	      "a fresh open sees at most one interrupt on IRQ %u (%llu)", irq,
	      (unsigned long long)ev[0].total);
	level = !!(ev[0].flags & UMDP_IRQ_EV_LEVEL);
	stale = ev[0].total;
	if (stale) {
		/*
		 * An interrupt the interrupt controller still had latched for
		 * the line from an earlier test (pulses raised on it while no
		 * driver held it) is delivered as soon as the line is
		 * requested, and on a level line a second one may follow the
		 * first unmask. That is a stale event, not a stuck line: the
		 * line is low, so after at most two unmasks nothing arrives.
		 */
		printf("# a pending interrupt on IRQ %u was delivered at open\n",
		       irq);
		for (i = 0; i < 3; i++) {
			if (level)
				umdp_irq_unmask(dev, irq);
			nr = UMDP_MAX_RANGES;
			r = umdp_irq_wait(dev, 50, ev, &nr);
			if (r == -ETIMEDOUT)
				break;
			stale += r == 1 ? ev[0].count : 0;
		}
		CHECK(r == -ETIMEDOUT && stale <= 2,
		      "and once it is unmasked nothing more arrives (%llu stale in all)",
		      (unsigned long long)stale);
	}
	CHECK(!strcmp(trigger, level ? "level" : "edge"),
	      "IRQ %u is %s-triggered in this guest (expected %s)", irq,
	      level ? "level" : "edge", trigger);
	nr = UMDP_MAX_RANGES;
	CHECK(umdp_irq_wait(dev, 50, ev, &nr) == -ETIMEDOUT,
	      "waiting with nothing raised times out");
	t0 = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++) {
		/*
		 * A level line is driven like a level device: held high until
		 * the driver has seen the interrupt and acks it (a pulse could
		 * fall while the IO-APIC waits for the previous EOI and be
		 * lost, as it would on real hardware).
		 */
		if (level)
			set_line(dev, irq, 1);
		else
			raise_edge(dev, irq);
		nr = UMDP_MAX_RANGES;
		r = umdp_irq_wait(dev, 1000, ev, &nr);
		if (r != 1)
			lost++;
		else if (ev[0].count != 1)
			extra++;
		if (level) {
			set_line(dev, irq, 0);
			umdp_irq_unmask(dev, irq);
		}
		if (lost > 10)
			break;	/* no point waiting a second per edge */
	}
	printf("# IRQ %u round trip (raise by port write, wake, fetch%s): %.0f ns average over %ld\n",
	       irq, level ? ", unmask" : "",
	       (now_ns(CLOCK_MONOTONIC) - t0) / (double)n, n);
	CHECK(lost == 0 && extra == 0, "%ld edges raised one at a time: %ld lost, %ld doubled",
	      n, lost, extra);
	nr = UMDP_MAX_RANGES;
	umdp_irq_fetch(dev, ev, &nr);
	CHECK(ev[0].total == (uint64_t)n + stale, "the total is %ld (%llu)",
	      n + (long)stale, (unsigned long long)ev[0].total);
	for (i = 0; i < 5; i++)
		raise_edge(dev, irq);
	usleep(100000);
	nr = UMDP_MAX_RANGES;
	r = umdp_irq_fetch(dev, ev, &nr);
	if (level)
		CHECK(r == 1 && ev[0].count == 1 && (ev[0].flags & UMDP_IRQ_EV_MASKED),
		      "5 pulses while not fetching: counted once, then masked (%llu)",
		      (unsigned long long)ev[0].count);
	else
		/* edges faster than the CPU takes them merge in the APIC */
		CHECK(r == 1 && ev[0].count >= 1 && ev[0].count <= 5,
		      "5 edges back to back while not fetching: counted once to 5 times (%llu)",
		      (unsigned long long)ev[0].count);
	CHECK(umdp_irq_unmask(dev, irq) == 0 && umdp_irq_unmask(dev, irq) == 0,
	      "unmasking twice is harmless");
	CHECK(umdp_irq_unmask(dev, irq + 1) == -EINVAL,
	      "unmasking a line not granted is EINVAL");
	umdp_close(dev);
	return failures ? 1 : 0;
}

static int poll_in(struct umdp_dev *dev, int ms)
{
	struct pollfd p = { .fd = umdp_irq_fd(dev), .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/*
 * Edges raised back to back may merge in the APIC, so the counts are
 * compared as "some" against "none": what matters is that one grant's node
 * never hears of the other's line.
 */
static int cmd_isolate(const char *ga, unsigned int ia, const char *gb,
		       unsigned int ib)
{
	struct umdp_dev *a = open_grant(ga), *b = open_grant(gb);
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned long long a_total;
	unsigned int nr;
	int i;

	for (i = 0; i < 100; i++)
		raise_edge(a, ia);
	CHECK(poll_in(a, 1000), "%s's node polls readable after its edges", ga);
	CHECK(!poll_in(b, 200), "%s's node does not", gb);
	nr = UMDP_MAX_RANGES;
	CHECK(umdp_irq_fetch(b, ev, &nr) == 0 && nr == 1 && ev[0].irq == ib &&
	      ev[0].total == 0, "%s's counts know nothing of IRQ %u", gb, ia);
	nr = UMDP_MAX_RANGES;
	CHECK(umdp_irq_fetch(a, ev, &nr) == 1 && ev[0].irq == ia && ev[0].total >= 1,
	      "%s counted its edges (%llu)", ga, (unsigned long long)ev[0].total);
	a_total = ev[0].total;
	for (i = 0; i < 50; i++)
		raise_edge(b, ib);
	CHECK(poll_in(b, 1000) && !poll_in(a, 200), "and the other way round");
	nr = UMDP_MAX_RANGES;
	CHECK(umdp_irq_fetch(a, ev, &nr) == 0 && ev[0].total == a_total,
	      "%s's count did not move (%llu)", ga, (unsigned long long)ev[0].total);
	nr = UMDP_MAX_RANGES;
	CHECK(umdp_irq_fetch(b, ev, &nr) == 1 && ev[0].irq == ib && ev[0].total >= 1,
	      "%s counted its own edges (%llu)", gb, (unsigned long long)ev[0].total);
	umdp_close(a);
	umdp_close(b);
	return failures ? 1 : 0;
}

static volatile uint32_t *map_bar(const char *resource0)
{
	int fd = open(resource0, O_RDWR | O_SYNC);
	void *p;

	if (fd < 0) {
		printf("not ok - open %s: %s\n", resource0, strerror(errno));
		exit(1);
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		printf("not ok - mmap %s: %s\n", resource0, strerror(errno));
		exit(1);
	}
	return p;
}

#define EDU_ID		(0x00 / 4)
#define EDU_IRQ_STATUS	(0x24 / 4)
#define EDU_IRQ_RAISE	(0x60 / 4)
#define EDU_IRQ_ACK	(0x64 / 4)

static int cmd_level(const char *grant, unsigned int irq, const char *res, long n)
{
	volatile uint32_t *edu = map_bar(res);
	struct umdp_dev *dev = open_grant(grant);
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr;
	long bad = 0, in_a_row = 0, i;
	double t0;
	int r;

	CHECK(edu[EDU_ID] == 0x010000ed, "edu answers at BAR0 (id %#x)", edu[EDU_ID]);
	edu[EDU_IRQ_RAISE] = 1;
	nr = UMDP_MAX_RANGES;
	r = umdp_irq_wait(dev, 1000, ev, &nr);
	CHECK(r == 1 && ev[0].irq == irq && ev[0].count == 1,
	      "raising edu's INTx wakes the driver once (count %llu)",
	      (unsigned long long)ev[0].count);
	CHECK((ev[0].flags & UMDP_IRQ_EV_LEVEL) && (ev[0].flags & UMDP_IRQ_EV_MASKED),
	      "the line is level-triggered and masked (flags %#x)", ev[0].flags);
	nr = UMDP_MAX_RANGES;
	r = umdp_irq_wait(dev, 300, ev, &nr);
	CHECK(r == -ETIMEDOUT, "the device still asserts but no storm: nothing new in 300 ms");
	nr = UMDP_MAX_RANGES;
	umdp_irq_fetch(dev, ev, &nr);
	CHECK(ev[0].total == 1, "the count stays 1 (%llu)", (unsigned long long)ev[0].total);
	CHECK(umdp_irq_unmask(dev, irq) == 0 && umdp_irq_unmask(dev, irq) == 0,
	      "unmasking twice without acking is harmless");
	nr = UMDP_MAX_RANGES;
	r = umdp_irq_wait(dev, 1000, ev, &nr);
	/*
	 * Each unmask may let it fire once more: 2 or 3, never a storm. The
	 * wait returns at the second; the second unmask may have cleared
	 * the mask flag by then, with the third interrupt on its way: let
	 * it come, then look at the settled line.
	 */
	if (r == 1) {
		nr = UMDP_MAX_RANGES;
		umdp_irq_wait(dev, 300, ev, &nr);
		nr = UMDP_MAX_RANGES;
		umdp_irq_fetch(dev, ev, &nr);
	}
	CHECK(r == 1 && ev[0].total >= 2 && ev[0].total <= 3 &&
	      (ev[0].flags & UMDP_IRQ_EV_MASKED),
	      "unmasked while still asserted, it fires again and is masked again (%llu)",
	      (unsigned long long)ev[0].total);
	edu[EDU_IRQ_ACK] = edu[EDU_IRQ_STATUS];
	CHECK(umdp_irq_unmask(dev, irq) == 0, "ack the device, then unmask");
	nr = UMDP_MAX_RANGES;
	CHECK(umdp_irq_wait(dev, 200, ev, &nr) == -ETIMEDOUT,
	      "a quiet device raises nothing after unmask");

	t0 = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++) {
		edu[EDU_IRQ_RAISE] = 1;
		nr = UMDP_MAX_RANGES;
		r = umdp_irq_wait(dev, 1000, ev, &nr);
		if (r != 1 || ev[0].count != 1) {
			bad++;
			in_a_row++;
		} else {
			in_a_row = 0;
		}
		edu[EDU_IRQ_ACK] = 1;
		umdp_irq_unmask(dev, irq);
		/* a line that stopped arriving fails now, not after n seconds */
		if (in_a_row == 3)
			break;
	}
	printf("# edu level IRQ round trip (raise, wake, fetch, ack, unmask): %.0f ns average over %ld\n",
	       (now_ns(CLOCK_MONOTONIC) - t0) / (double)n, n);
	CHECK(bad == 0, "%ld level rounds, each counted once (%ld bad)", n, bad);
	umdp_close(dev);
	return failures ? 1 : 0;
}

static int cmd_hold(const char *grant)
{
	struct umdp_dev *dev = open_grant(grant);
	struct pollfd p = { .fd = umdp_irq_fd(dev), .events = POLLIN };
	int r;

	printf("waiting\n");
	fflush(stdout);
	r = poll(&p, 1, -1);
	printf("woken %.0f r=%d%s%s%s\n", now_ns(CLOCK_REALTIME), r,
	       p.revents & POLLIN ? " POLLIN" : "",
	       p.revents & POLLHUP ? " POLLHUP" : "",
	       p.revents & POLLERR ? " POLLERR" : "");
	fflush(stdout);
	umdp_close(dev);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "edges"))
		return cmd_edges(argv[2], (unsigned int)atoi(argv[3]), atol(argv[4]),
				 argv[5]);
	if (argc == 6 && !strcmp(argv[1], "isolate"))
		return cmd_isolate(argv[2], (unsigned int)atoi(argv[3]), argv[4],
				   (unsigned int)atoi(argv[5]));
	if (argc == 6 && !strcmp(argv[1], "level"))
		return cmd_level(argv[2], (unsigned int)atoi(argv[3]), argv[4],
				 atol(argv[5]));
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2]);
	fprintf(stderr, "usage: see the comment at the top of umdp-irqcheck.c\n");
	return 2;
}
