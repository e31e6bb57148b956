// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench irq-status GRANT IRQ: an interrupt seen without a system call.
 * pc-testdev's edge line IRQ (the grant holds port 0x2000+IRQ and the line)
 * is raised on BENCH_CPU, where the IRQ is routed too, and a driver thread
 * pinned to the other CPU sees it: by spinning on the node's status page
 * (umdp_status_spin: one memory read and a PAUSE per turn), or by sleeping
 * in umdp_irq_wait (the poll/fetch path: wait, then fetch, in one call),
 * and, to tell what TCG makes of PAUSE, by spinning with plain loads and no
 * PAUSE. The figure is the time from just before the raise to the driver
 * thread holding the new count, runs of the three ways interleaved. Edges
 * are raised one at a time (raise, wait until the driver has seen it,
 * next): RUNS x STATUS_ROUNDS = 100,000 seen by umdp_status_spin, all of
 * which must be seen, and RUNS x EDGE_ROUNDS each the other ways.
 *
 * Under TCG a PAUSE ends the vCPU's translated code and takes QEMU's big
 * lock on the way back in (QEMU 7.2, mttcg), the lock every port access of
 * the raising vCPU needs: a PAUSE loop slows the very raise it waits for.
 * The raiser therefore waits for the driver with plain loads.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench.h"

/* edges per run seen by spinning: RUNS runs, 100,000 */
#define STATUS_ROUNDS	20000L
/* how long the raiser waits for the driver to see one edge */
#define SEE_TIMEOUT_NS	1000000000ULL

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* how the driver thread waits */
enum seer_way {
	SEER_WAIT,	/* umdp_irq_wait */
	SEER_SPIN,	/* umdp_status_spin */
	SEER_LOAD,	/* plain acquire loads of seq, no PAUSE */
};

/**
 * struct seer - the driver thread, on the CPU the raiser is not on
 * @dev: the handle (shared with the raiser: libumdp handles are)
 * @st: the status page
 * @line: the line's entry on it
 * @way: enum seer_way
 * @cpu: where it runs (from its creation on: the raiser spins on its own
 *	CPU meanwhile)
 * @ready: it runs and @seen holds the count it starts from
 * @stop: the raiser is done
 * @seen: the line's count when the driver last saw a change
 * @seen_ns: when (CLOCK_MONOTONIC), stored before @seen
 */
struct seer {
	struct umdp_dev *dev;
	const struct umdp_status *st;
	const struct umdp_status_line *line;
	int way, cpu;
	atomic_int ready, stop;
	_Atomic uint64_t seen, seen_ns;
};

static void *seer_main(void *arg)
{
	struct seer *s = arg;
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	uint64_t seq, count, t;
	unsigned int nr;

	seq = umdp_status_seq(s->st);
	atomic_store(&s->seen, umdp_status_count(s->line));
	atomic_store(&s->ready, 1);
	while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		if (s->way == SEER_SPIN) {
			if (umdp_status_spin(s->st, &seq, mono_ns() + 20000000) != 1)
				continue;
			t = mono_ns();
			count = umdp_status_count(s->line);
		} else if (s->way == SEER_LOAD) {
			unsigned int k;

			for (k = 0; k < 100000; k++)
				if (umdp_status_seq(s->st) != seq)
					break;
			if (k == 100000)
				continue;
			t = mono_ns();
			seq = umdp_status_seq(s->st);
			count = umdp_status_count(s->line);
		} else {
			nr = nr_events();
			if (umdp_irq_wait(s->dev, 20, ev, &nr) != 1)
				continue;
			t = mono_ns();
			count = ev[0].total;
		}
		atomic_store_explicit(&s->seen_ns, t, memory_order_relaxed);
		atomic_store_explicit(&s->seen, count, memory_order_release);
	}
	return NULL;
}

/* what one run of one way gave */
struct run_tally {
	long raised, lost, doubled;
	unsigned long long counted;
	long long kernel;
};

/*
 * One run of @rounds edges raised one at a time, seen by a driver thread
 * waiting the way @way on @cpu. Returns the mean ns from raise to seen.
 */
static double status_run(struct umdp_dev *dev, const struct umdp_status *st,
			 unsigned int irq, int cpu, int way, long rounds,
			 struct run_tally *rt)
{
	struct seer s = { .dev = dev, .st = st, .way = way, .cpu = cpu };
	uint16_t port = (uint16_t)(0x2000 + irq);
	uint64_t want, seen, t0, sum = 0, count0;
	long long k0 = kernel_count(irq);
	long i, ok = 0;
	pthread_attr_t attr;
	cpu_set_t set;
	pthread_t th;
	int err;

	s.line = umdp_status_line(st, 0);
	count0 = umdp_status_count(s.line);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_attr_init(&attr);
	err = pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	if (!err)
		err = pthread_create(&th, &attr, seer_main, &s);
	pthread_attr_destroy(&attr);
	if (err)
		die("a driver thread on CPU %d: %s", cpu, strerror(err));
	while (!atomic_load(&s.ready))
		sched_yield();
	for (i = 0; i < rounds && rt->lost <= 10; i++) {
		/* the last edge was seen (or given up on): count from there */
		want = atomic_load_explicit(&s.seen, memory_order_acquire) + 1;
		t0 = mono_ns();
		check_io(umdp_outb(dev, port, 1), "raising the line");
		check_io(umdp_outb(dev, port, 0), "lowering the line");
		/* no PAUSE: see the top of the file */
		while ((seen = atomic_load_explicit(&s.seen,
						    memory_order_acquire)) < want &&
		       mono_ns() - t0 < SEE_TIMEOUT_NS)
			;
		if (seen < want) {
			rt->lost++;
			continue;
		}
		rt->doubled += seen > want;
		sum += atomic_load_explicit(&s.seen_ns, memory_order_relaxed) - t0;
		ok++;
	}
	atomic_store(&s.stop, 1);
	pthread_join(th, NULL);
	rt->raised += i;
	rt->counted += umdp_status_count(s.line) - count0;
	rt->kernel += kernel_count(irq) - k0;
	return ok ? (double)sum / (double)ok : 0;
}

int cmd_irq_status(const char *grant, unsigned int irq)
{
	struct umdp_dev *dev = open_grant(grant);
	const struct umdp_status *st;
	const struct umdp_status_line *line;
	struct run_tally spin = { 0 }, wait = { 0 }, load = { 0 }, warm = { 0 };
	double ts[RUNS], tw[RUNS], tl[RUNS];
	int other = placements[1].cpu, err;
	char label[160];

	if (other < 0)
		die("irq-status needs a second CPU for the driver thread");
	err = umdp_status_map(dev, &st);
	if (err)
		die("umdp_status_map: %s", umdp_strerror(err));
	line = umdp_status_line(st, 0);
	if (!line || line->irq != irq || st->nr_lines != 1)
		die("grant %s does not hold exactly IRQ %u", grant, irq);
	if (umdp_status_flags(line) & UMDP_IRQ_EV_LEVEL)
		die("IRQ %u is level-triggered in this guest; an edge line is needed",
		    irq);

	/* the IRQ on the raiser's CPU; the driver alone on the other one */
	irq_to_cpu(irq, BENCH_CPU);
	status_run(dev, st, irq, other, SEER_WAIT, 200, &warm);	/* moves the IRQ */
	status_run(dev, st, irq, other, SEER_SPIN, 200, &warm);
	status_run(dev, st, irq, other, SEER_LOAD, 200, &warm);
	if (warm.lost > 3)
		die("IRQ %u: edges are not delivered", irq);
	check_placement(irq, &placements[0]);
	fprintf(stderr, "# IRQ %u on CPU %d, driver on CPU %d: %d x %ld edges seen by umdp_status_spin, %d x %ld by waiting, %d x %ld by plain loads\n",
		irq, BENCH_CPU, other, RUNS, STATUS_ROUNDS, RUNS, EDGE_ROUNDS,
		RUNS, EDGE_ROUNDS);
	for (int run = 0; run < RUNS && spin.lost <= 10 && wait.lost <= 10 &&
			  load.lost <= 10; run++) {
		ts[run] = status_run(dev, st, irq, other, SEER_SPIN,
				     STATUS_ROUNDS, &spin);
		tw[run] = status_run(dev, st, irq, other, SEER_WAIT,
				     EDGE_ROUNDS, &wait);
		tl[run] = status_run(dev, st, irq, other, SEER_LOAD,
				     EDGE_ROUNDS, &load);
	}
	if (spin.lost > 10 || wait.lost > 10 || load.lost > 10) {
		note("IRQ %u seen on the other CPU: stopped, more than 10 edges were lost (%ld spinning, %ld waiting, %ld loading)",
		     irq, spin.lost, wait.lost, load.lost);
	} else {
		snprintf(label, sizeof(label),
			 "testdev IRQ %u: raise, driver on CPU %d waits (wait+fetch)",
			 irq, other);
		emit_row("irq.status.wait", "IRQ seen by a driver on the other CPU, raised on CPU 0",
			 label, tw, "ns", "none", 3, EDGE_ROUNDS,
			 (double)wait.kernel / (double)wait.raised);
		snprintf(label, sizeof(label),
			 "testdev IRQ %u: raise, driver on CPU %d spins (status page)",
			 irq, other);
		emit_row("irq.status.spin", "IRQ seen by a driver on the other CPU, raised on CPU 0",
			 label, ts, "ns", "irq.status.wait,irq.edge.same,irq.edge.other",
			 2, STATUS_ROUNDS, (double)spin.kernel / (double)spin.raised);
		snprintf(label, sizeof(label),
			 "the same spin with plain loads, no PAUSE (TCG check)");
		emit_row("irq.status.load", "IRQ seen by a driver on the other CPU, raised on CPU 0",
			 label, tl, "ns", "irq.status.wait,irq.status.spin",
			 2, EDGE_ROUNDS, (double)load.kernel / (double)load.raised);
	}
	emit_loss("loss.status_spin",
		  "one at a time, seen by spinning on the status page (driver on the other CPU)",
		  spin.raised, spin.counted, spin.kernel);
	if (spin.doubled || wait.doubled || load.doubled)
		note("IRQ %u seen on the other CPU: %ld (spinning), %ld (waiting) and %ld (loading) edges counted more than once",
		     irq, spin.doubled, wait.doubled, load.doubled);
	umdp_status_unmap(st);
	umdp_close(dev);
	return 0;
}
