// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * edu - a user-space driver for QEMU's edu PCI device (1234:11e8)
 *
 *   edu [-l] [--dma] [--msi] [-d BDF] GRANT N...
 *
 * For each N (0..12; 12! is the largest factorial that fits in 32 bits) the
 * device computes N! while the driver sleeps until the completion interrupt;
 * the driver then acks the device, unmasks the line, reads the result,
 * checks it against its own computation and prints "N! = RESULT". Last it
 * prints "edu: K interrupts, each acked and unmasked" and
 * "edu: released GRANT".
 *
 *   -d BDF      use the edu device at BDF (e.g. 0000:00:04.0) instead of
 *               the first one found in /sys/bus/pci/devices
 *   -l, --loop  repeat the list until SIGINT or SIGTERM (results are
 *               printed for the first round only, every round is checked)
 *   --dma       then copy a buffer into the device and back into a second
 *               one with edu's DMA engine, and compare (a "pci" grant with
 *               "dma"); prints "edu: DMA: 2048 bytes in and out, equal"
 *   --msi       insist that the interrupts arrive as MSI (a "pci" grant
 *               with irqs msi:1)
 *   -h, --help  this text, on stdout
 *
 * The administrator grants the whole function: umdp takes it, grants its
 * BAR0, and gives it MSI and DMA buffers (confined by the IOMMU, where the
 * machine has one; without one "dma" also needs "unsafe" = 1):
 *
 *   mkdir -p /sys/kernel/config/umdp/edu/edu
 *   echo /usr/local/bin/edu > /sys/kernel/config/umdp/edu/path
 *   cd /sys/kernel/config/umdp/edu/edu
 *   echo 0000:00:04.0 > pci; echo msi:1 > irqs; echo 64K > dma
 *   echo 1 > enable
 *
 * Or, without a "pci" grant, the device's BAR0 and IRQ as raw resources,
 * after enabling the device (which routes its INTx line):
 *
 *   echo 1 > /sys/bus/pci/devices/0000:00:04.0/enable
 *   mkdir /sys/kernel/config/umdp/edu /sys/kernel/config/umdp/edu/edu
 *   echo /usr/local/bin/edu > /sys/kernel/config/umdp/edu/path
 *   cd /sys/kernel/config/umdp/edu/edu
 *   echo 0xfea00000+0x100000 > mem; echo 11 > irqs; echo 1 > enable
 *
 * SIGINT and SIGTERM end the run cleanly: the factorial interrupt is
 * switched off, a pending interrupt acked, the grant released; the exit
 * status is then 0. A revoke of the grant ends the run too (exit 1).
 * Exit status 1: the device or grant cannot be used, or
 * the device misbehaved (one sentence says why); 2: bad usage, including
 * an N out of range (checked before anything is opened).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <umdp.h>

#include "example.h"

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8

/* BAR0 registers (32-bit) */
#define EDU_ID		0x00	/* 0xRRrr00ed: major, minor version */
#define EDU_FACT	0x08	/* write N: start computing N!; read: result */
#define EDU_STATUS	0x20
#define  EDU_STATUS_COMPUTING	0x01	/* read only */
#define  EDU_STATUS_IRQFACT	0x80	/* raise FACT_IRQ when done */
#define EDU_IRQ_STATUS	0x24
#define  EDU_IRQ_FACT	0x01
#define EDU_IRQ_ACK	0x64	/* write the bits to clear */

#define PROG		"edu"
#define FACT_MAX	12
#define IRQ_TIMEOUT_S	2

struct edu {
	const char *grant;
	int pci_grant;			/* the grant holds the function ("pci") */
	int msi;			/* its line is an MSI vector */
	struct umdp_pci_dev pci;
	struct umdp_dev *dev;
	volatile uint32_t *regs;
	sigset_t waitmask;		/* the mask while sleeping: signals open */
	uint64_t irqs;			/* interrupts handled */
	int started;			/* the device was touched */
	int revoked;			/* the grant was revoked under us */
};

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [-l] [--dma] [--msi] [-d BDF] GRANT N...\n"
		   "  computes N! (N = 0..%d) on the edu device, one interrupt each\n"
		   "  -d BDF      the device at BDF (default: the first edu found)\n"
		   "  -l, --loop  repeat until SIGINT or SIGTERM\n"
		   "  --dma       then a DMA round trip through the device\n"
		   "  --msi       the interrupts must arrive as MSI\n"
		   "  -h, --help  this text\n", PROG, FACT_MAX);
}

/* ---- finding the device in sysfs ----------------------------------------- */

static const struct pci_kind device_kind = {
	EDU_VENDOR, EDU_DEVICE, "edu device", "an edu device", "0000:00:04.0",
};

static int find_device(const char *want, struct umdp_pci_dev *pci)
{
	int ret = find_pci(PROG, &device_kind, want, pci);

	if (ret)
		return ret;
	if (!pci->bar[0].len) {
		fprintf(stderr, "%s: BAR0 of %s is not assigned\n", PROG, pci->bdf);
		return 1;
	}
	if (!pci->enabled || !pci->irq) {
		fprintf(stderr, "%s: %s is not enabled, so its interrupt is not routed (as root: echo 1 > /sys/bus/pci/devices/%s/enable)\n",
			PROG, pci->bdf, pci->bdf);
		return 1;
	}
	return 0;
}

/* ---- the grant ----------------------------------------------------------- */

/*
 * A "pci" grant names the function itself: take BAR0 from it and the line
 * from the grant's IRQs (INTx or an MSI vector). Return: 0 for a pci grant,
 * -ENOTTY for another grant, 1 after a message.
 */
static int grant_device(struct edu *e, const char *want)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr = UMDP_MAX_RANGES;
	int err = umdp_pci_grant(e->dev, &e->pci);

	if (err == -ENOTTY)
		return err;
	if (err) {
		fprintf(stderr, "%s: cannot query grant '%s': %s\n", PROG,
			e->grant, umdp_strerror(err));
		return 1;
	}
	if (e->pci.vendor != EDU_VENDOR || e->pci.device != EDU_DEVICE ||
	    (want && strcmp(want, e->pci.bdf))) {
		fprintf(stderr, "%s: grant '%s' holds %s (%04x:%04x), not %s\n",
			PROG, e->grant, e->pci.bdf, e->pci.vendor,
			e->pci.device, want ? want : "an edu device");
		return 1;
	}
	err = umdp_irq_fetch(e->dev, ev, &nr);
	if (err < 0 || nr != 1) {
		fprintf(stderr, "%s: grant '%s' must hold one line of %s (irqs intx or msi:1)\n",
			PROG, e->grant, e->pci.bdf);
		return 1;
	}
	e->pci.irq = ev[0].irq;
	e->msi = !!(ev[0].flags & UMDP_IRQ_EV_MSI);
	e->pci_grant = 1;
	return 0;
}

/* Does the grant hold BAR0 and the IRQ? Checked before touching anything. */
static int check_grant(struct edu *e)
{
	struct umdp_info *info;
	int err = umdp_info_get(e->dev, &info), ret = 1;

	if (err) {
		fprintf(stderr, "%s: cannot query grant '%s': %s\n", PROG,
			e->grant, umdp_strerror(err));
		return 1;
	}
	if (!umdp_info_find_mem(info, e->pci.bar[0].start, e->pci.bar[0].len))
		fprintf(stderr, "%s: grant '%s' does not include BAR0 of %s (0x%" PRIx64 "+0x%" PRIx64 ")\n",
			PROG, e->grant, e->pci.bdf, e->pci.bar[0].start, e->pci.bar[0].len);
	else if (!umdp_info_has_irq(info, e->pci.irq))
		fprintf(stderr, "%s: grant '%s' does not include IRQ %u of %s\n",
			PROG, e->grant, e->pci.irq, e->pci.bdf);
	else
		ret = 0;
	umdp_info_free(info);
	return ret;
}

/* ---- the device ---------------------------------------------------------- */

static uint32_t rd(struct edu *e, unsigned int reg)
{
	return e->regs[reg / 4];
}

static void wr(struct edu *e, unsigned int reg, uint32_t val)
{
	e->regs[reg / 4] = val;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

/* Let a factorial in progress finish (the device takes microseconds). */
static void wait_idle(struct edu *e)
{
	int i;

	for (i = 0; i < 100 && (rd(e, EDU_STATUS) & EDU_STATUS_COMPUTING); i++)
		sleep_ms(1);
}

/*
 * Ack whatever the device signals, count what the line delivered and take
 * it back if masked: at start (an earlier driver may have left the device
 * asserting) and at the end. A failure here shows at the first wait.
 */
static void drain(struct edu *e)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr = UMDP_MAX_RANGES, i;
	uint32_t st = rd(e, EDU_IRQ_STATUS);

	if (st)
		wr(e, EDU_IRQ_ACK, st);
	if (umdp_irq_fetch(e->dev, ev, &nr) < 0)
		return;
	for (i = 0; i < nr; i++) {
		if (ev[i].irq != e->pci.irq)
			continue;
		e->irqs += ev[i].count;
		if (ev[i].flags & UMDP_IRQ_EV_MASKED)
			umdp_irq_unmask(e->dev, e->pci.irq);
	}
}

static int check_id(struct edu *e)
{
	uint32_t id = rd(e, EDU_ID);

	if ((id & 0xffff) != 0x00ed) {
		fprintf(stderr, "%s: %s does not identify as edu (id register 0x%08" PRIx32 ")\n",
			PROG, e->pci.bdf, id);
		return 1;
	}
	printf("%s: edu %u.%u at %s, BAR0 0x%" PRIx64 ", IRQ %u\n", PROG,
	       id >> 24, (id >> 16) & 0xff, e->pci.bdf, e->pci.bar[0].start, e->pci.irq);
	return 0;
}

/* Start from a quiet device, then turn the factorial interrupt on. */
static void edu_start(struct edu *e)
{
	e->started = 1;
	wr(e, EDU_STATUS, 0);
	wait_idle(e);
	drain(e);
	wr(e, EDU_STATUS, EDU_STATUS_IRQFACT);
}

/*
 * Leave the device quiet: no factorial interrupt, nothing pending. A
 * computation may still be finishing; its interrupt, if already decided,
 * comes right after the status bit clears, so look a little later.
 */
static void edu_stop(struct edu *e)
{
	if (e->revoked)
		return;		/* BAR0 is gone: an access would be SIGBUS */
	wr(e, EDU_STATUS, 0);
	wait_idle(e);
	sleep_ms(10);
	drain(e);
}

/*
 * Sleep until the line fires or a signal arrives.
 * Return: 0 fired, 1 signal, -ETIMEDOUT, -ENODEV (revoked), other -errno.
 */
static int sleep_irq(struct edu *e, const struct timespec *deadline)
{
	struct pollfd pfd = { .fd = umdp_irq_fd(e->dev), .events = POLLIN };
	struct timespec now, left;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left.tv_sec = deadline->tv_sec - now.tv_sec;
	left.tv_nsec = deadline->tv_nsec - now.tv_nsec;
	if (left.tv_nsec < 0) {
		left.tv_sec--;
		left.tv_nsec += 1000000000L;
	}
	if (left.tv_sec < 0)
		return -ETIMEDOUT;
	r = ppoll(&pfd, 1, &left, &e->waitmask);
	if (r < 0)
		return errno == EINTR ? 1 : -errno;
	if (r == 0)
		return -ETIMEDOUT;
	if (pfd.revents & (POLLHUP | POLLERR))
		return -ENODEV;
	return 0;
}

/*
 * The interrupt handler's part: count, ack the device, unmask the line.
 * Return: 1 when the factorial is done, 0 for another cause, -errno.
 */
static int service_irq(struct edu *e)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr = UMDP_MAX_RANGES, i;
	uint32_t st;
	int r, masked = 0;

	r = umdp_irq_fetch(e->dev, ev, &nr);
	if (r < 0)
		return r;
	for (i = 0; i < nr; i++) {
		if (ev[i].irq != e->pci.irq)
			continue;
		e->irqs += ev[i].count;
		masked = !!(ev[i].flags & UMDP_IRQ_EV_MASKED);
	}
	st = rd(e, EDU_IRQ_STATUS);
	if (st)
		wr(e, EDU_IRQ_ACK, st);
	if (masked) {
		r = umdp_irq_unmask(e->dev, e->pci.irq);
		if (r)
			return r;
	}
	return (st & EDU_IRQ_FACT) && !(rd(e, EDU_STATUS) & EDU_STATUS_COMPUTING);
}

static void explain_wait(struct edu *e, unsigned int n, int err)
{
	if (err == -ETIMEDOUT)
		fprintf(stderr, "%s: no interrupt from %s on IRQ %u within %d s of starting %u!\n",
			PROG, e->pci.bdf, e->pci.irq, IRQ_TIMEOUT_S, n);
	else if (err == -ENODEV)
		fprintf(stderr, "%s: grant '%s' was revoked\n", PROG, e->grant);
	else
		fprintf(stderr, "%s: waiting for IRQ %u: %s\n", PROG, e->pci.irq,
			umdp_strerror(err));
}

/* Start n! and sleep until its interrupt. Return: 0, 1 on a signal, -errno. */
static int factorial(struct edu *e, unsigned int n, uint32_t *result)
{
	struct timespec deadline;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += IRQ_TIMEOUT_S;
	wr(e, EDU_FACT, n);
	do {
		r = sleep_irq(e, &deadline);
		if (r)
			return r;
		r = service_irq(e);
		if (r < 0)
			return r;
	} while (!r);
	*result = rd(e, EDU_FACT);
	return 0;
}

static uint32_t cpu_factorial(unsigned int n)
{
	uint32_t f = 1;

	while (n > 1)
		f *= n--;
	return f;
}

/* Every N once. Return: 0 done, 1 on an error (reported), 2 stopped. */
static int one_round(struct edu *e, const unsigned int *ns, int count, int print)
{
	uint32_t result;
	int i, r;

	for (i = 0; i < count; i++) {
		if (stop)
			return 2;
		r = factorial(e, ns[i], &result);
		if (r == 1)
			return 2;
		if (r) {
			e->revoked |= r == -ENODEV;
			explain_wait(e, ns[i], r);
			return 1;
		}
		if (result != cpu_factorial(ns[i])) {
			fprintf(stderr, "%s: the device says %u! = %" PRIu32 ", but it is %" PRIu32 "\n",
				PROG, ns[i], result, cpu_factorial(ns[i]));
			return 1;
		}
		if (print)
			printf("%u! = %" PRIu32 "\n", ns[i], result);
	}
	return 0;
}

static int run(struct edu *e, const unsigned int *ns, int count, int loop)
{
	int r, round = 0;

	do {
		r = one_round(e, ns, count, round++ == 0);
	} while (loop && r == 0);
	return r == 1;
}

/* ---- main ---------------------------------------------------------------- */

static int parse_n(const char *s, unsigned int *n)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > FACT_MAX) {
		fprintf(stderr, "%s: N must be a number from 0 to %d (%d! is the largest factorial that fits in 32 bits), not '%s'\n",
			PROG, FACT_MAX, FACT_MAX, s);
		return -1;
	}
	*n = (unsigned int)v;
	return 0;
}

/* Parse the command line. Return: -1 to go on, else the exit status. */
struct opts {
	const char *bdf;
	int loop;
	int dma;
	int msi;
};

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "loop", no_argument, NULL, 'l' },
		{ "dma", no_argument, NULL, 'D' },
		{ "msi", no_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "hld:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'l':
			o->loop = 1;
			break;
		case 'D':
			o->dma = 1;
			break;
		case 'M':
			o->msi = 1;
			break;
		case 'd':
			o->bdf = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind < 2) {
		usage(stderr);
		return 2;
	}
	return -1;
}

static int map_bar0(struct edu *e)
{
	void *bar;
	int err = umdp_map(e->dev, e->pci.bar[0].start, e->pci.bar[0].len, 0, &bar);

	if (err) {
		fprintf(stderr, "%s: cannot map BAR0 of %s: %s\n", PROG,
			e->pci.bdf, umdp_strerror(err));
		return 1;
	}
	e->regs = bar;
	return 0;
}

/* ---- DMA ------------------------------------------------------------------ */

#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define  EDU_DMA_RUN	0x01
#define  EDU_DMA_TO_PCI	0x02	/* from the device's buffer to memory */
#define EDU_DMA_BUF	0x40000	/* the device's own 4 KiB buffer */
#define DMA_BYTES	2048	/* QEMU 7.2's edu aborts on a full 4 KiB */

static void wr64(struct edu *e, unsigned int reg, uint64_t val)
{
	*(volatile uint64_t *)((volatile char *)e->regs + reg) = val;
}

/* One transfer of edu's engine; it takes about 100 ms. */
static int edu_dma(struct edu *e, uint64_t src, uint64_t dst, uint32_t cmd)
{
	int i;

	wr64(e, EDU_DMA_SRC, src);
	wr64(e, EDU_DMA_DST, dst);
	wr64(e, EDU_DMA_COUNT, DMA_BYTES);
	wr64(e, EDU_DMA_CMD, EDU_DMA_RUN | cmd);
	for (i = 0; i < 300; i++) {
		if (!(rd(e, EDU_DMA_CMD) & EDU_DMA_RUN))
			return 0;
		sleep_ms(10);
	}
	fprintf(stderr, "%s: the DMA transfer did not finish within 3 s\n", PROG);
	return 1;
}

/* Buffer A into the device, the device into buffer B; compare. */
static int dma_round_trip(struct edu *e)
{
	struct umdp_dma a, b;
	int err, ret = 1, i;

	err = umdp_dma_alloc(e->dev, 4096, &a);
	if (!err) {
		err = umdp_dma_alloc(e->dev, 4096, &b);
		if (err)
			umdp_dma_free(e->dev, &a);
	}
	if (err) {
		fprintf(stderr, "%s: cannot allocate DMA buffers in grant '%s': %s\n",
			PROG, e->grant, err == -ENOTTY ?
			"the grant has no dma (echo 64K > dma)" :
			umdp_strerror(err));
		return 1;
	}
	for (i = 0; i < DMA_BYTES; i++)
		((uint8_t *)a.addr)[i] = (uint8_t)(i * 13 + 1);
	if (!edu_dma(e, a.iova, EDU_DMA_BUF, 0) &&
	    !edu_dma(e, EDU_DMA_BUF, b.iova, EDU_DMA_TO_PCI)) {
		if (memcmp(a.addr, b.addr, DMA_BYTES))
			fprintf(stderr, "%s: DMA: what came back differs from what went in\n",
				PROG);
		else
			ret = 0;
	}
	if (!ret)
		printf("%s: DMA: %d bytes in and out, equal (bus addresses 0x%" PRIx64 " and 0x%" PRIx64 ")\n",
		       PROG, DMA_BYTES, a.iova, b.iova);
	umdp_dma_free(e->dev, &b);
	umdp_dma_free(e->dev, &a);
	return ret;
}

int main(int argc, char **argv)
{
	struct edu e = { 0 };
	struct opts o = { 0 };
	unsigned int *ns;
	int count, i, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = parse_args(argc, argv, &o);
	if (ret >= 0)
		return ret;
	e.grant = argv[optind++];
	count = argc - optind;
	ns = calloc((size_t)count, sizeof(*ns));
	if (!ns)
		return 1;
	for (i = 0; i < count; i++)
		if (parse_n(argv[optind + i], &ns[i]))
			return 2;
	catch_signals(&e.waitmask);
	/* sysfs first: it says why a device cannot work before anything opens */
	ret = find_device(o.bdf, &e.pci);
	if (!ret)
		ret = open_grant(PROG, e.grant, &e.dev);
	if (ret)
		return ret;
	/* a "pci" grant names the function and its line itself */
	ret = grant_device(&e, o.bdf);
	if (ret == -ENOTTY)
		ret = 0;
	if (!ret && o.msi && !e.msi) {
		fprintf(stderr, "%s: --msi: grant '%s' does not give MSI (echo msi:1 > irqs)\n",
			PROG, e.grant);
		ret = 1;
	}
	if (ret) {
		umdp_close(e.dev);
		return ret;
	}
	ret = check_grant(&e);
	if (!ret)
		ret = map_bar0(&e);
	if (!ret)
		ret = check_id(&e);
	if (!ret) {
		edu_start(&e);
		ret = run(&e, ns, count, o.loop);
		edu_stop(&e);
		if (!ret)
			printf("%s: %" PRIu64 " interrupts%s\n", PROG, e.irqs,
			       e.msi ? " as MSI, each acked" :
			       ", each acked and unmasked");
		if (!ret && o.dma)
			ret = dma_round_trip(&e);
	}
	if (e.regs)
		umdp_unmap((void *)e.regs, e.pci.bar[0].len);
	umdp_close(e.dev);
	if (e.started)
		printf("%s: released %s\n", PROG, e.grant);
	free(ns);
	return ret;
}
