// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench irq-edge GRANT IRQ: pc-testdev ISA edge line IRQ (the grant
 * holds port 0x2000+IRQ and the line): round trips raise (write 1 then 0
 * through the node), wait and fetch, with the IRQ routed to the driver's
 * CPU and to the other one; together 100,000 edges one at a time, all of
 * which must be counted. Then, per placement, 100,000 edges back to back,
 * raised by pwrite pairs and by batches, and how many the driver and the
 * kernel counted.
 */
#include <stdio.h>
#include <unistd.h>

#include "bench.h"

static unsigned long long irq_total(struct umdp_dev *dev)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr = nr_events();
	int r = umdp_irq_fetch(dev, ev, &nr);

	if (r < 0)
		die("umdp_irq_fetch: %s", umdp_strerror(r));
	return ev[0].total;
}

/* Wait until the count stops moving (late edges), return the total. */
static unsigned long long irq_settle(struct umdp_dev *dev)
{
	unsigned long long t, last = irq_total(dev);

	for (;;) {
		usleep(100000);
		t = irq_total(dev);
		if (t == last)
			return t;
		last = t;
	}
}

static void set_line(struct umdp_dev *dev, uint16_t port, uint8_t level)
{
	check_io(umdp_outb(dev, port, level), "raising the line");
}

/* one edge, then wait for it: 0 fine, 1 lost, 2 counted more than once */
static int edge_round(struct umdp_dev *dev, uint16_t port, long *syscalls)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr = nr_events();
	int r;

	set_line(dev, port, 1);
	set_line(dev, port, 0);
	r = umdp_irq_wait(dev, 1000, ev, &nr);
	*syscalls += 3;
	if (r != 1)
		return 1;
	return ev[0].count != 1 ? 2 : 0;
}

/* edges raised one at a time, over both placements */
struct edge_tally {
	long lost, doubled, raised;
	unsigned long long counted;
	long long kdelivered;
};

/*
 * RUNS x EDGE_ROUNDS edges one at a time with the IRQ at pl, then its row;
 * 0 when more than 10 edges were lost (in all), 1 to go on.
 */
static int edges_one_at_a_time(struct umdp_dev *dev, unsigned int irq,
			       const struct placement *pl, struct edge_tally *et)
{
	uint16_t port = (uint16_t)(0x2000 + irq);
	long syscalls = 0, raised0, i;
	unsigned long long base;
	long long kbase, kb;
	double hw, t[RUNS];
	char id[64], label[128];
	int r;

	irq_to_cpu(irq, pl->cpu);
	for (i = 0, r = 0; i < 200 && r <= 3; i++)	/* warm up, move the IRQ */
		r += edge_round(dev, port, &syscalls) == 1;
	if (r > 3)
		die("IRQ %u on CPU %d: edges are not delivered", irq, pl->cpu);
	check_placement(irq, pl);
	base = irq_settle(dev);
	kbase = kernel_count(irq);
	kb = kbase;
	fprintf(stderr, "# IRQ %u on CPU %d: %d x %ld edges one at a time\n",
		irq, pl->cpu, RUNS, EDGE_ROUNDS);
	raised0 = et->raised;
	for (int run = 0; run < RUNS && et->lost <= 10; run++) {
		double t0 = now_ns();

		syscalls = 0;
		for (i = 0; i < EDGE_ROUNDS && et->lost <= 10; i++) {
			r = edge_round(dev, port, &syscalls);
			et->lost += r == 1;
			et->doubled += r == 2;
		}
		et->raised += i;
		t[run] = (now_ns() - t0) / (double)i;
	}
	et->counted += irq_settle(dev) - base;
	et->kdelivered += kernel_count(irq) - kbase;
	hw = (double)(kernel_count(irq) - kb) / (double)(et->raised - raised0);
	if (et->lost > 10) {
		note("IRQ %u one at a time: stopped after %ld edges, more than 10 were lost",
		     irq, et->raised);
		return 0;
	}
	snprintf(id, sizeof(id), "irq.edge.%s", pl->tag);
	snprintf(label, sizeof(label),
		 "umdp, testdev edge IRQ %u: raise (2 pwrites), wait+fetch", irq);
	emit_row(id, pl->section, label, t, "ns", "none",
		 (double)syscalls / EDGE_ROUNDS, EDGE_ROUNDS, hw);
	return 1;
}

/*
 * EDGES edges back to back with the IRQ at pl, nobody waiting: raised by
 * pwrite pairs, then by batches of ops (256 edges per ioctl); a loss record
 * for each.
 */
static void edges_back_to_back(struct umdp_dev *dev, unsigned int irq,
			       const struct placement *pl,
			       struct umdp_io_op *ops)
{
	uint16_t port = (uint16_t)(0x2000 + irq);
	long syscalls = 0, i;
	unsigned long long base, counted;
	long long kbase;
	char id[64], label[128];

	irq_to_cpu(irq, pl->cpu);
	for (i = 0; i < 10; i++)
		edge_round(dev, port, &syscalls);
	fprintf(stderr, "# IRQ %u on CPU %d: %ld edges back to back, twice\n",
		irq, pl->cpu, EDGES);
	/* pwrite pairs, nobody waiting */
	base = irq_settle(dev);
	kbase = kernel_count(irq);
	for (i = 0; i < EDGES; i++) {
		set_line(dev, port, 1);
		set_line(dev, port, 0);
	}
	counted = irq_settle(dev) - base;
	snprintf(id, sizeof(id), "loss.back_to_back_pwrite.%s", pl->tag);
	snprintf(label, sizeof(label), "back to back, 2 pwrites each, IRQ on %s CPU",
		 pl->cpu == BENCH_CPU ? "the driver's" : "the other");
	emit_loss(id, label, EDGES, counted, kernel_count(irq) - kbase);
	/* 256 edges per batch ioctl */
	base = irq_settle(dev);
	kbase = kernel_count(irq);
	for (i = 0; i < EDGES; i += UMDP_BATCH_MAX / 2) {
		long n = EDGES - i < UMDP_BATCH_MAX / 2 ? EDGES - i :
			 UMDP_BATCH_MAX / 2;

		check_io(umdp_batch(dev, ops, (unsigned int)(2 * n)),
			 "umdp_batch");
	}
	counted = irq_settle(dev) - base;
	snprintf(id, sizeof(id), "loss.back_to_back_batch.%s", pl->tag);
	snprintf(label, sizeof(label), "back to back, 256 per batch ioctl, IRQ on %s CPU",
		 pl->cpu == BENCH_CPU ? "the driver's" : "the other");
	emit_loss(id, label, EDGES, counted, kernel_count(irq) - kbase);
}

int cmd_irq_edge(const char *grant, unsigned int irq)
{
	struct umdp_dev *dev = open_grant(grant);
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	struct umdp_io_op ops[UMDP_BATCH_MAX];
	uint16_t port = (uint16_t)(0x2000 + irq);
	struct edge_tally et = { 0 };
	unsigned int nr = nr_events(), k;
	long i;
	int r;

	r = umdp_irq_fetch(dev, ev, &nr);
	if (r < 0 || nr != 1 || ev[0].irq != irq)
		die("grant %s does not hold exactly IRQ %u", grant, irq);
	if (ev[0].flags & UMDP_IRQ_EV_LEVEL)
		die("IRQ %u is level-triggered in this guest; an edge line is needed",
		    irq);

	for (k = 0; k < NR_PLACEMENTS; k++) {
		if (placements[k].cpu < 0)
			continue;
		if (!edges_one_at_a_time(dev, irq, &placements[k], &et))
			break;
	}
	emit_loss("loss.one_at_a_time", "one at a time, waiting for each (both placements)",
		  et.raised, et.counted, et.kdelivered);
	if (et.doubled)
		note("IRQ %u one at a time: %ld waits saw more than one interrupt",
		     irq, et.doubled);
	if (et.lost > 10)
		goto out;

	for (i = 0; i < UMDP_BATCH_MAX; i++)
		ops[i] = (struct umdp_io_op){ .port = port, .size = 1,
					      .flags = UMDP_IO_WRITE,
					      .value = !(i & 1) };
	for (k = 0; k < NR_PLACEMENTS; k++) {
		if (placements[k].cpu < 0)
			continue;
		edges_back_to_back(dev, irq, &placements[k], ops);
	}
out:
	umdp_close(dev);
	return 0;
}
