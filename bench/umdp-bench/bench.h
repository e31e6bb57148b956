/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench.h - what the files of umdp-bench share (see main.c for the
 * subcommands and the records they print): the constants, the timing core,
 * the records, opening and mapping what is measured, IRQ placement.
 */
#ifndef UMDP_BENCH_H
#define UMDP_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include <umdp.h>

#define RUNS		5
/*
 * each run of a port or MMIO variant lasts about this long, in BLOCKS
 * blocks (timing.c: a run's figure is the median of its blocks)
 */
#define RUN_NS		250e6
#define BLOCKS		15
#define BATCH_MAX	256
#define STRING_LEN	4096
/* edges raised back to back on the testdev line, per way of raising */
#define EDGES		100000L
/* edges raised one at a time per run: RUNS runs per placement, 100,000 */
#define EDGE_ROUNDS	10000L
/* round trips per run (edu's INTx through umdp and UIO, its MSI) */
#define LEVEL_ROUNDS	10000L
/* DMA buffers set up and torn down per run: 200 of 4 KiB, 50 of 1 MiB */
#define DMA_CALLS_4K	40L
#define DMA_CALLS_1M	10L
/* interrupts per tail-latency series, taken in chunks of LAT_CHUNK */
#define LAT_ROUNDS	100000L
#define LAT_CHUNK	10000L
/* the latency histogram: 20 bins per decade from 1 us to 100 ms */
#define LAT_HIST_LO_NS		1000
#define LAT_HIST_PER_DECADE	20
#define LAT_HIST_BINS		100
/* the driver runs here; IRQs are routed here or to another CPU */
#define BENCH_CPU	0

/* edu's BAR0 registers, as 32-bit indices */
#define EDU_ID		(0x00 / 4)
#define EDU_LIVENESS	(0x04 / 4)
#define EDU_IRQ_STATUS	(0x24 / 4)
#define EDU_IRQ_RAISE	(0x60 / 4)
#define EDU_IRQ_ACK	(0x64 / 4)
#define EDU_ID_VALUE	0x010000ed

#define PCI_COMMAND_OFF		4
#define PCI_CMD_INTX_DISABLE	0x400

/* report.c: the records scripts/bench reads, and dying */
__attribute__((format(printf, 1, 2), noreturn)) void die(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void note(const char *fmt, ...);
void emit_row(const char *id, const char *section, const char *label,
	      const double *t, const char *unit, const char *ref,
	      double syscalls, long n, double hwirqs);
void emit_ratio(const char *id, const double *ratios);
void emit_loss(const char *id, const char *label, long raised,
	       unsigned long long counted, long long kernel);
void emit_latency(const char *id, const char *label, const char *load,
		  uint32_t *ns, long n, long bad);

/* timing.c: interleaved timing of variants */
struct variant;
typedef void (*bench_fn)(const struct variant *v, long calls);

/**
 * struct variant - one way of doing the same access, timed in calls
 * @id, @section, @label, @ref: as in the row record
 * @fn: makes @calls calls, each of @per accesses
 * @per: accesses per call
 * @syscalls: system calls per call
 * @calls: calls per block, found by calibrate()
 * @t: ns per access of each run
 */
struct variant {
	const char *id, *section, *label, *ref;
	bench_fn fn;
	unsigned int per;
	double syscalls;
	long calls;
	double t[RUNS];
};

#define VARIANT(i, s, l, r, f, p, sc) \
	{ .id = (i), .section = (s), .label = (l), .ref = (r), .fn = (f), \
	  .per = (p), .syscalls = (sc) }

double now_ns(void);
void measure(struct variant *v, size_t nv);

/* dev.c: opening and mapping what is measured */
int open_or_die(const char *path, int flags);
struct umdp_dev *open_grant(const char *name);
volatile uint32_t *map_resource(const char *path, int *fdp);
volatile uint32_t *map_grant(struct umdp_dev *dev, uint64_t phys);
void check_io(int err, const char *what);
void edu_check(volatile uint32_t *edu, const char *how);

/* irq.c: where an IRQ is delivered, and what the kernel counted */
/*
 * Where the interrupt is delivered, relative to the driver (pinned to
 * BENCH_CPU): on the driver's own CPU the interrupt of a raising store or
 * port write is taken right after it, before the driver even asks, so the
 * round trip has no sleep and no wake-up; on the other CPU the driver
 * sleeps and is woken across CPUs (under TCG: a halted vCPU is kicked).
 */
struct placement {
	const char *tag, *section;
	int cpu;
};

#define NR_PLACEMENTS 2
/* [1].cpu is found by main.c's pin() */
extern struct placement placements[NR_PLACEMENTS];

unsigned int nr_events(void);
void irq_to_cpu(unsigned int irq, int cpu);
void check_placement(unsigned int irq, const struct placement *pl);
long long kernel_count(unsigned int irq);

/* one per subcommand */
int cmd_ports(const char *grant, uint16_t port);			/* port.c */
int cmd_irq_edge(const char *grant, unsigned int irq);			/* irq-edge.c */
int cmd_irq_status(const char *grant, unsigned int irq);		/* irq-status.c */
int cmd_irq_edu(const char *grant, unsigned int irq, uint64_t phys);	/* irq-level.c */
int cmd_irq_msi(const char *grant, unsigned int irq);			/* irq-level.c */
int cmd_irq_uio(const char *uio, const char *config, const char *res,
		unsigned int irq);					/* irq-level.c */
int cmd_mmio(const char *grant, uint64_t phys, const char *res);	/* mmio.c */
int cmd_dma(const char *grant);						/* dma.c */
int cmd_latency(const char *grant, unsigned int irq, uint64_t phys,
		const char *load);					/* latency.c */
int cmd_latency_uio(const char *uio, const char *config, const char *res,
		    unsigned int irq, const char *load);		/* latency.c */

#endif /* UMDP_BENCH_H */
