// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench: tail latency of edu's level INTx, interrupt by interrupt.
 *
 *   latency GRANT IRQ PHYS LOAD
 *	through umdp (the raw grant of BAR0 at PHYS and the line IRQ): the
 *	driver sleeps in umdp_irq_wait (the poll/fetch path), or spins on the
 *	node's status page with umdp_status_spin; LAT_ROUNDS interrupts each,
 *	in chunks of LAT_CHUNK taken in turn.
 *   latency-uio UIODEV CONFIG RESOURCE0 IRQ LOAD
 *	through uio_pci_generic: the driver sleeps in read() on UIODEV.
 *
 * One interrupt: the driver (pinned to BENCH_CPU) raises it (MMIO write of
 * edu's raise register), and the time from just before that write to the
 * driver holding the new count is one sample; then it acks the device and
 * unmasks the line (umdp_irq_unmask, or UIO's write of the command word),
 * and waits 50 us (LAT_GAP_NS) before the next one.
 * The IRQ is routed to the other CPU, where scripts/bench runs stress-ng
 * for the rows LOAD = "stress-ng" ("idle": nothing runs there), so the
 * interrupt is handled where the load is and the driver is woken (or sees
 * the page change) across CPUs.
 *
 * Each series gives a "lat" record (see main.c): the count, percentiles,
 * the maximum and a histogram on a logarithmic grid (report.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* the spin gives up on an interrupt after this long */
#define LAT_TIMEOUT_NS	1000000000ULL
/*
 * Between two interrupts, untimed, the driver waits this long, in every
 * series alike: long enough for the late second delivery of QEMU's
 * IO-APIC (umdp_settle()) to land before the next raise, not in its round.
 */
#define LAT_GAP_NS	50000.0

static void gap(void)
{
	double t = now_ns() + LAT_GAP_NS;

	while (now_ns() < t)
		;
}

/**
 * struct lat_series - the samples of one way of waiting
 * @ns: one per interrupt seen, in ns
 * @n: how many so far
 * @bad: interrupts not seen, or seen counted other than once
 */
struct lat_series {
	uint32_t *ns;
	long n, bad;
};

static void series_init(struct lat_series *s)
{
	s->ns = calloc(LAT_ROUNDS, sizeof(*s->ns));
	if (!s->ns)
		die("out of memory");
	s->n = 0;
	s->bad = 0;
}

static void series_add(struct lat_series *s, double t0, double t1)
{
	double d = t1 - t0;

	if (s->n < LAT_ROUNDS)
		s->ns[s->n++] = d <= 0 ? 0 : d >= 4e9 ? 4000000000U : (uint32_t)d;
}

static volatile uint32_t *lat_edu;

/* what the driver holds after the umdp way of waiting, for the checks */
struct umdp_way {
	struct umdp_dev *dev;
	const struct umdp_status *st;
	const struct umdp_status_line *line;
	unsigned int irq;
	uint64_t seq, count;
	long spurious;
	int unfetched;
};

/*
 * Before a round: the line must be unmasked and its count where the last
 * round left it. QEMU's IO-APIC delivers a level interrupt again at the
 * EOI while the line is still high, and the handler masks lazily
 * (disable_irq_nosync), so now and then a vCPU takes that second delivery
 * after the driver acked and unmasked: counted, the line masked again
 * (tests/c/umdp-statuscheck.c). Drain it (fetch), unmask again, and count
 * it, so that it is neither a sample nor a lost interrupt.
 */
static void umdp_settle(struct umdp_way *w)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr;

	gap();
	/* the spin rounds leave their interrupts on the file: fetch them */
	if (w->unfetched) {
		nr = nr_events();
		umdp_irq_fetch(w->dev, ev, &nr);
		w->unfetched = 0;
	}
	for (int k = 0; k < 4; k++) {
		if (umdp_status_count(w->line) == w->count &&
		    !(umdp_status_flags(w->line) & UMDP_IRQ_EV_MASKED))
			return;
		w->spurious++;
		nr = nr_events();
		umdp_irq_fetch(w->dev, ev, &nr);
		check_io(umdp_irq_unmask(w->dev, w->irq), "umdp_irq_unmask");
		w->count = umdp_status_count(w->line);
		w->seq = umdp_status_seq(w->st);
		gap();
	}
}

/* raise, sleep in umdp_irq_wait, ack, unmask */
static void poll_round(struct umdp_way *w, struct lat_series *s)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr = nr_events();
	double t0, t1;
	int r;

	umdp_settle(w);
	t0 = now_ns();
	lat_edu[EDU_IRQ_RAISE] = 1;
	r = umdp_irq_wait(w->dev, 1000, ev, &nr);
	t1 = now_ns();
	if (r == 1 && ev[0].count == 1)
		series_add(s, t0, t1);
	else
		s->bad++;
	lat_edu[EDU_IRQ_ACK] = 1;
	check_io(umdp_irq_unmask(w->dev, w->irq), "umdp_irq_unmask");
	w->count = umdp_status_count(w->line);
	w->seq = umdp_status_seq(w->st);
}

/*
 * raise, spin on the status page until the line's count moves, ack,
 * unmask. The sequence number also moves when the unmask clears the
 * line's MASKED flag, so the spin goes on until the count itself moved.
 */
static void spin_round(struct umdp_way *w, struct lat_series *s)
{
	uint64_t count = w->count, deadline;
	double t0, t1;
	int r;

	umdp_settle(w);
	t0 = now_ns();
	deadline = (uint64_t)t0 + LAT_TIMEOUT_NS;
	lat_edu[EDU_IRQ_RAISE] = 1;
	do {
		r = umdp_status_spin(w->st, &w->seq, deadline);
	} while (r == 1 && (count = umdp_status_count(w->line)) == w->count);
	t1 = now_ns();
	if (r == 1 && count == w->count + 1)
		series_add(s, t0, t1);
	else
		s->bad++;
	w->unfetched = 1;
	lat_edu[EDU_IRQ_ACK] = 1;
	check_io(umdp_irq_unmask(w->dev, w->irq), "umdp_irq_unmask");
	w->count = umdp_status_count(w->line);
	w->seq = umdp_status_seq(w->st);
}

/* the IRQ goes to the other CPU; the driver stays on BENCH_CPU */
static const struct placement *lat_placement(unsigned int irq)
{
	const struct placement *pl = &placements[1];

	if (pl->cpu < 0)
		die("the latency series need a second CPU for the IRQ");
	irq_to_cpu(irq, pl->cpu);
	return pl;
}

int cmd_latency(const char *grant, unsigned int irq, uint64_t phys,
		const char *load)
{
	struct umdp_dev *dev = open_grant(grant);
	struct umdp_way w = { .dev = dev, .irq = irq };
	struct lat_series poll, spin, warm;
	const struct placement *pl;
	int err;

	lat_edu = map_grant(dev, phys);
	edu_check(lat_edu, "the umdp mapping");
	err = umdp_status_map(dev, &w.st);
	if (err)
		die("umdp_status_map: %s", umdp_strerror(err));
	w.line = umdp_status_line(w.st, 0);
	if (!w.line || w.line->irq != irq)
		die("grant %s does not hold IRQ %u first", grant, irq);
	umdp_irq_unmask(dev, irq);
	w.count = umdp_status_count(w.line);
	w.seq = umdp_status_seq(w.st);
	pl = lat_placement(irq);
	series_init(&poll);
	series_init(&spin);
	series_init(&warm);
	for (int i = 0; i < 200; i++) {	/* moves the IRQ, warms up */
		poll_round(&w, &warm);
		spin_round(&w, &warm);
	}
	if (warm.bad > 3)
		die("edu's INTx through umdp: %ld of 400 interrupts not seen",
		    warm.bad);
	check_placement(irq, pl);
	fprintf(stderr, "# latency, %s: edu INTx on CPU %d, driver on CPU %d: %ld interrupts each by wait+fetch and by the status page\n",
		load, pl->cpu, BENCH_CPU, LAT_ROUNDS);
	for (long done = 0; done < LAT_ROUNDS; done += LAT_CHUNK) {
		for (long i = 0; i < LAT_CHUNK; i++)
			poll_round(&w, &poll);
		for (long i = 0; i < LAT_CHUNK; i++)
			spin_round(&w, &spin);
		if (poll.bad > 10 || spin.bad > 10)
			break;
	}
	if (w.spurious)
		note("latency, %s: %ld spurious interrupts on edu's INTx through umdp (QEMU's IO-APIC redelivers a level interrupt at the EOI; drained and unmasked again between rounds, no sample)",
		     load, w.spurious);
	emit_latency("lat.poll", "umdp wait+fetch (poll path)", load,
		     poll.ns, poll.n, poll.bad);
	emit_latency("lat.spin", "umdp status page (umdp_status_spin)", load,
		     spin.ns, spin.n, spin.bad);
	free(poll.ns);
	free(spin.ns);
	free(warm.ns);
	umdp_status_unmap(w.st);
	umdp_close(dev);
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* what the UIO way holds */
struct uio_way {
	int ufd, cfd;
	uint16_t cmd;
	uint32_t count;
};

/* raise, sleep in read(), ack, re-enable INTx in the command word */
static void uio_round(struct uio_way *u, struct lat_series *s)
{
	double t0, t1;
	uint32_t c;

	gap();
	alarm(10);
	t0 = now_ns();
	lat_edu[EDU_IRQ_RAISE] = 1;
	if (read(u->ufd, &c, sizeof(c)) != (ssize_t)sizeof(c))
		die("read on the UIO device: %s", errno == EINTR ?
		    "no interrupt within 10 s" : strerror(errno));
	t1 = now_ns();
	if (c == u->count + 1)
		series_add(s, t0, t1);
	else
		s->bad++;
	u->count = c;
	lat_edu[EDU_IRQ_ACK] = 1;
	if (pwrite(u->cfd, &u->cmd, 2, PCI_COMMAND_OFF) != 2)
		die("config pwrite: %s", strerror(errno));
}

int cmd_latency_uio(const char *uio, const char *config, const char *res,
		    unsigned int irq, const char *load)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct uio_way u = { .ufd = open_or_die(uio, O_RDWR),
			     .cfd = open_or_die(config, O_RDWR) };
	const struct placement *pl;
	struct lat_series s, warm;
	int rfd;

	lat_edu = map_resource(res, &rfd);
	edu_check(lat_edu, "resource0");
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))	/* no SA_RESTART: read() fails */
		die("sigaction: %s", strerror(errno));
	if (pread(u.cfd, &u.cmd, 2, PCI_COMMAND_OFF) != 2)
		die("%s: pread: %s", config, strerror(errno));
	u.cmd &= (uint16_t)~PCI_CMD_INTX_DISABLE;
	if (pwrite(u.cfd, &u.cmd, 2, PCI_COMMAND_OFF) != 2)
		die("%s: pwrite: %s", config, strerror(errno));
	pl = lat_placement(irq);
	series_init(&s);
	series_init(&warm);
	uio_round(&u, &warm);		/* learns the count */
	for (int i = 0; i < 200; i++)	/* moves the IRQ, warms up */
		uio_round(&u, &warm);
	check_placement(irq, pl);
	fprintf(stderr, "# latency, %s: edu INTx on CPU %d, driver on CPU %d: %ld interrupts by UIO\n",
		load, pl->cpu, BENCH_CPU, LAT_ROUNDS);
	for (long i = 0; i < LAT_ROUNDS && s.bad <= 10; i++)
		uio_round(&u, &s);
	alarm(0);
	emit_latency("lat.uio", "UIO read() (uio_pci_generic)", load, s.ns,
		     s.n, s.bad);
	free(s.ns);
	free(warm.ns);
	close(u.ufd);
	close(u.cfd);
	close(rfd);
	return 0;
}
