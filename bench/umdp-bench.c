// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-bench - what a umdp access costs next to the kernel's own mechanisms.
 *
 * Run as root in the guest (ioperm, /dev/port, sysfs resource and config
 * files, /dev/uio*), as the grant's program (this binary); scripts/bench
 * provisions the grants and runs every subcommand in one guest boot:
 *
 *   umdp-bench ports GRANT PORT
 *	1-byte port read and write at PORT: inb/outb after ioperm (the limit),
 *	/dev/port pread/pwrite, umdp pread/pwrite, umdp batches of 1, 16, 64
 *	and 256 accesses, umdp string I/O (insb/outsb) of 4096 bytes.
 *   umdp-bench irq-edge GRANT IRQ
 *	pc-testdev ISA edge line IRQ (the grant holds port 0x2000+IRQ and the
 *	line): round trips raise (write 1 then 0 through the node), wait and
 *	fetch, with the IRQ routed to the driver's CPU and to the other one;
 *	together 100,000 edges one at a time, all of which must be counted.
 *	Then, per placement, 100,000 edges back to back, raised by pwrite
 *	pairs and by batches, and how many the driver and the kernel counted.
 *   umdp-bench irq-edu GRANT IRQ PHYS
 *	edu's level INTx through umdp: raise through a umdp mapping of BAR0 at
 *	PHYS, wait and fetch, ack the device, unmask the line; both placements.
 *   umdp-bench mmio GRANT PHYS RESOURCE0
 *	4-byte MMIO read of BAR0+0x00 and write of BAR0+0x04, through a umdp
 *	mapping vs through the PCI device's sysfs resource0 mapping.
 *   umdp-bench irq-uio UIODEV CONFIG RESOURCE0 IRQ
 *	edu's INTx through uio_pci_generic (bound to edu, umdp not holding the
 *	line): raise through resource0, read() on UIODEV, ack the device,
 *	re-enable INTx by writing the command word to the sysfs CONFIG file;
 *	both placements.
 *
 * The driver is pinned to CPU BENCH_CPU; IRQs are routed through
 * /proc/irq/N/smp_affinity_list.
 *
 * Every figure is the median of RUNS runs; the variants of one measurement
 * are interleaved run by run, so drift of the host hits them alike. The
 * output is for scripts/bench, tab separated, one record per line:
 *
 *   row  ID SECTION LABEL VALUE UNIT REF SYSCALLS SPREAD N HWIRQS
 *	VALUE is the median in UNIT (ns per access or per round trip); REF
 *	the ID of the row it is compared with ("-": it is a reference, "none":
 *	there is no kernel peer; it may come from another subcommand); SYSCALLS the system calls per access or round
 *	trip, counted; SPREAD (max - min) / median of the runs; N the accesses
 *	or rounds per run; HWIRQS the interrupts the kernel handled on the
 *	line per round trip (/proc/interrupts), -1 where there is no line.
 *   loss ID LABEL RAISED COUNTED KERNEL
 *	edges raised, counted by the driver, handled by the kernel according
 *	to /proc/interrupts (-1: unknown)
 *   note TEXT
 *
 * Progress goes to stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <umdp.h>

#define RUNS		5
/* each run of a port or MMIO variant lasts about this long */
#define RUN_NS		250e6
#define BATCH_MAX	256
#define STRING_LEN	4096
/* edges raised back to back on the testdev line, per way of raising */
#define EDGES		100000L
/* edges raised one at a time per run: RUNS runs per placement, 100,000 */
#define EDGE_ROUNDS	10000L
/* level round trips per run (edu through umdp and through UIO) */
#define LEVEL_ROUNDS	10000L
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

static __attribute__((format(printf, 1, 2), noreturn)) void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "umdp-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* median of RUNS figures; *spread = (max - min) / median */
static double median(const double *t, double *spread)
{
	double s[RUNS];

	memcpy(s, t, sizeof(s));
	qsort(s, RUNS, sizeof(s[0]), cmp_double);
	*spread = s[RUNS / 2] > 0 ? (s[RUNS - 1] - s[0]) / s[RUNS / 2] : 0;
	return s[RUNS / 2];
}

static void emit_row(const char *id, const char *section, const char *label,
		     const double *t, const char *unit, const char *ref,
		     double syscalls, long n, double hwirqs)
{
	double spread, m = median(t, &spread);

	printf("row\t%s\t%s\t%s\t%.2f\t%s\t%s\t%.6g\t%.4f\t%ld\t%.4f\n", id,
	       section, label, m, unit, ref, syscalls, spread, n, hwirqs);
	fflush(stdout);
}

static void emit_loss(const char *id, const char *label, long raised,
		      unsigned long long counted, long long kernel)
{
	printf("loss\t%s\t%s\t%ld\t%llu\t%lld\n", id, label, raised, counted,
	       kernel);
	fflush(stdout);
}

static __attribute__((format(printf, 1, 2))) void note(const char *fmt, ...)
{
	va_list ap;

	printf("note\t");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	return fd;
}

static struct umdp_dev *open_grant(const char *name)
{
	struct umdp_dev *dev;
	int err = umdp_open(name, 0, &dev);

	if (err)
		die("open grant %s: %s", name, umdp_strerror(err));
	return dev;
}

static volatile uint32_t *map_resource(const char *path, int *fdp)
{
	int fd = open_or_die(path, O_RDWR | O_SYNC);
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		die("mmap %s: %s", path, strerror(errno));
	*fdp = fd;
	return p;
}

static volatile uint32_t *map_grant(struct umdp_dev *dev, uint64_t phys)
{
	void *p;
	int err = umdp_map(dev, phys, 4096, 0, &p);

	if (err)
		die("umdp_map 0x%llx: %s", (unsigned long long)phys,
		    umdp_strerror(err));
	return p;
}

/* ---- interleaved timing of variants ------------------------------------ */

struct variant;
typedef void (*bench_fn)(const struct variant *v, long calls);

/**
 * struct variant - one way of doing the same access, timed in calls
 * @id, @section, @label, @ref: as in the row record
 * @fn: makes @calls calls, each of @per accesses
 * @per: accesses per call
 * @syscalls: system calls per call
 * @calls: calls per run, found by calibrate()
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

/* Find how many calls make a run of about RUN_NS (also warms up). */
static void calibrate(struct variant *v)
{
	long n = 1;
	double el;

	for (;;) {
		double t0 = now_ns();

		v->fn(v, n);
		el = now_ns() - t0;
		if (el >= RUN_NS / 8 || n >= (1L << 30))
			break;
		n *= el < RUN_NS / 1000 ? 16 : 2;
	}
	v->calls = (long)((double)n * RUN_NS / el);
	if (v->calls < 1)
		v->calls = 1;
}

static void measure(struct variant *v, size_t nv)
{
	size_t i;

	for (i = 0; i < nv; i++)
		calibrate(&v[i]);
	for (int r = 0; r < RUNS; r++) {
		for (i = 0; i < nv; i++) {
			double t0 = now_ns();

			v[i].fn(&v[i], v[i].calls);
			v[i].t[r] = (now_ns() - t0) /
				    ((double)v[i].calls * v[i].per);
		}
	}
	for (i = 0; i < nv; i++)
		emit_row(v[i].id, v[i].section, v[i].label, v[i].t, "ns",
			 v[i].ref, v[i].syscalls / v[i].per,
			 v[i].calls * (long)v[i].per, -1);
}

/* ---- 1-byte port I/O ----------------------------------------------------- */

static struct {
	struct umdp_dev *dev;
	int devport;
	uint16_t port;
	struct umdp_io_op rd[BATCH_MAX], wr[BATCH_MAX];
	uint8_t buf[STRING_LEN];
	volatile uint8_t sink;
} P;

static void check_io(int err, const char *what)
{
	if (err)
		die("%s: %s", what, umdp_strerror(err));
}

static void rd_inb(const struct variant *v, long n)
{
	(void)v;
	for (long i = 0; i < n; i++)
		P.sink = inb(P.port);
}

static void rd_devport(const struct variant *v, long n)
{
	uint8_t b;

	(void)v;
	for (long i = 0; i < n; i++)
		if (pread(P.devport, &b, 1, P.port) != 1)
			die("/dev/port pread: %s", strerror(errno));
	P.sink = b;
}

static void rd_umdp(const struct variant *v, long n)
{
	uint8_t b = 0;

	(void)v;
	for (long i = 0; i < n; i++)
		check_io(umdp_inb(P.dev, P.port, &b), "umdp_inb");
	P.sink = b;
}

static void rd_batch(const struct variant *v, long n)
{
	for (long i = 0; i < n; i++)
		check_io(umdp_batch(P.dev, P.rd, v->per), "umdp_batch");
}

static void rd_string(const struct variant *v, long n)
{
	for (long i = 0; i < n; i++)
		check_io(umdp_ins(P.dev, P.port, 1, P.buf, v->per), "umdp_ins");
}

static void wr_outb(const struct variant *v, long n)
{
	(void)v;
	for (long i = 0; i < n; i++)
		outb((uint8_t)i, P.port);
}

static void wr_devport(const struct variant *v, long n)
{
	(void)v;
	for (long i = 0; i < n; i++) {
		uint8_t b = (uint8_t)i;

		if (pwrite(P.devport, &b, 1, P.port) != 1)
			die("/dev/port pwrite: %s", strerror(errno));
	}
}

static void wr_umdp(const struct variant *v, long n)
{
	(void)v;
	for (long i = 0; i < n; i++)
		check_io(umdp_outb(P.dev, P.port, (uint8_t)i), "umdp_outb");
}

static void wr_batch(const struct variant *v, long n)
{
	for (long i = 0; i < n; i++)
		check_io(umdp_batch(P.dev, P.wr, v->per), "umdp_batch");
}

static void wr_string(const struct variant *v, long n)
{
	for (long i = 0; i < n; i++)
		check_io(umdp_outs(P.dev, P.port, 1, P.buf, v->per), "umdp_outs");
}

#define RD "1-byte port read"
#define WR "1-byte port write"

static int cmd_ports(const char *grant, uint16_t port)
{
	struct variant rd[] = {
		VARIANT("read.inb", RD, "inb after ioperm (root)", "-", rd_inb, 1, 0),
		VARIANT("read.devport", RD, "/dev/port pread", "read.inb", rd_devport, 1, 1),
		VARIANT("read.umdp", RD, "umdp pread", "read.devport", rd_umdp, 1, 1),
		VARIANT("read.batch1", RD, "umdp batch of 1, per access", "read.inb", rd_batch, 1, 1),
		VARIANT("read.batch16", RD, "umdp batch of 16, per access", "read.inb", rd_batch, 16, 1),
		VARIANT("read.batch64", RD, "umdp batch of 64, per access", "read.inb", rd_batch, 64, 1),
		VARIANT("read.batch256", RD, "umdp batch of 256, per access", "read.inb", rd_batch, 256, 1),
		VARIANT("read.insb", RD, "umdp insb of 4096, per byte", "read.inb", rd_string, STRING_LEN, 1),
	};
	struct variant wr[] = {
		VARIANT("write.outb", WR, "outb after ioperm (root)", "-", wr_outb, 1, 0),
		VARIANT("write.devport", WR, "/dev/port pwrite", "write.outb", wr_devport, 1, 1),
		VARIANT("write.umdp", WR, "umdp pwrite", "write.devport", wr_umdp, 1, 1),
		VARIANT("write.batch1", WR, "umdp batch of 1, per access", "write.outb", wr_batch, 1, 1),
		VARIANT("write.batch16", WR, "umdp batch of 16, per access", "write.outb", wr_batch, 16, 1),
		VARIANT("write.batch64", WR, "umdp batch of 64, per access", "write.outb", wr_batch, 64, 1),
		VARIANT("write.batch256", WR, "umdp batch of 256, per access", "write.outb", wr_batch, 256, 1),
		VARIANT("write.outsb", WR, "umdp outsb of 4096, per byte", "write.outb", wr_string, STRING_LEN, 1),
	};
	uint8_t a, b;

	P.dev = open_grant(grant);
	P.devport = open_or_die("/dev/port", O_RDWR);
	P.port = port;
	if (ioperm(port, 1, 1))
		die("ioperm 0x%x: %s", port, strerror(errno));
	for (int i = 0; i < BATCH_MAX; i++) {
		P.rd[i] = (struct umdp_io_op){ .port = port, .size = 1,
					       .flags = UMDP_IO_READ };
		P.wr[i] = (struct umdp_io_op){ .port = port, .size = 1,
					       .flags = UMDP_IO_WRITE,
					       .value = (uint8_t)i };
	}
	/* all paths reach the same register */
	outb(0x5a, port);
	check_io(umdp_inb(P.dev, port, &a), "umdp_inb");
	if (pread(P.devport, &b, 1, port) != 1 || a != 0x5a || b != 0x5a)
		die("port 0x%x: inb wrote 0x5a, umdp read 0x%x, /dev/port 0x%x",
		    port, a, b);
	fprintf(stderr, "# port 0x%x: reads\n", port);
	measure(rd, sizeof(rd) / sizeof(rd[0]));
	fprintf(stderr, "# port 0x%x: writes\n", port);
	measure(wr, sizeof(wr) / sizeof(wr[0]));
	umdp_close(P.dev);
	close(P.devport);
	return 0;
}

/* ---- IRQs ---------------------------------------------------------------- */

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

static struct placement placements[] = {
	{ "same", "IRQ round trip, IRQ on the driver's CPU", BENCH_CPU },
	{ "other", "IRQ round trip, IRQ on the other CPU", -1 },
};
#define NR_PLACEMENTS (sizeof(placements) / sizeof(placements[0]))

static unsigned int nr_events(void)
{
	return UMDP_MAX_RANGES;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Route IRQ to one CPU (takes effect at its next interrupt on x86). */
static void irq_to_cpu(unsigned int irq, int cpu)
{
	char path[64], text[16];
	int err;

	snprintf(path, sizeof(path), "/proc/irq/%u/smp_affinity_list", irq);
	snprintf(text, sizeof(text), "%d\n", cpu);
	err = write_file(path, text);
	if (err)
		die("%s: %s", path, strerror(-err));
}

/* The CPU the IRQ is delivered to now, -1 if not exactly one. */
static int irq_effective_cpu(unsigned int irq)
{
	char path[64], text[32] = "", *end;
	long cpu;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/irq/%u/effective_affinity_list", irq);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (r <= 0)
		return -1;
	cpu = strtol(text, &end, 10);
	return end != text && *end == '\n' ? (int)cpu : -1;
}

static void check_placement(unsigned int irq, const struct placement *pl)
{
	int cpu = irq_effective_cpu(irq);

	if (cpu != pl->cpu)
		note("IRQ %u: asked for CPU %d, delivered to %d (rows \"%s\" are not what they say)",
		     irq, pl->cpu, cpu, pl->section);
}

/* Interrupts of IRQ the kernel handled, all CPUs (/proc/interrupts). */
static long long kernel_count(unsigned int irq)
{
	char line[512], *p, *end;
	long long sum = -1;
	FILE *f = fopen("/proc/interrupts", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long n = strtoul(line, &p, 10);

		if (p == line || *p != ':' || n != irq)
			continue;
		sum = 0;
		for (p++;; p = end) {
			unsigned long long c = strtoull(p, &end, 10);

			if (end == p)
				break;
			sum += (long long)c;
		}
		break;
	}
	fclose(f);
	return sum;
}

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

static int cmd_irq_edge(const char *grant, unsigned int irq)
{
	struct umdp_dev *dev = open_grant(grant);
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	struct umdp_io_op ops[UMDP_BATCH_MAX];
	uint16_t port = (uint16_t)(0x2000 + irq);
	long lost = 0, doubled = 0, raised = 0, syscalls = 0, i;
	unsigned long long base, counted = 0;
	long long kbase, kb, kdelivered = 0;
	long raised0;
	double hw;
	char id[64], label[128];
	unsigned int nr = nr_events(), k;
	double t[RUNS];
	int r;

	r = umdp_irq_fetch(dev, ev, &nr);
	if (r < 0 || nr != 1 || ev[0].irq != irq)
		die("grant %s does not hold exactly IRQ %u", grant, irq);
	if (ev[0].flags & UMDP_IRQ_EV_LEVEL)
		die("IRQ %u is level-triggered in this guest; an edge line is needed",
		    irq);

	for (k = 0; k < NR_PLACEMENTS; k++) {
		const struct placement *pl = &placements[k];

		if (pl->cpu < 0)
			continue;
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
		raised0 = raised;
		for (int run = 0; run < RUNS && lost <= 10; run++) {
			double t0 = now_ns();

			syscalls = 0;
			for (i = 0; i < EDGE_ROUNDS && lost <= 10; i++) {
				r = edge_round(dev, port, &syscalls);
				lost += r == 1;
				doubled += r == 2;
			}
			raised += i;
			t[run] = (now_ns() - t0) / (double)i;
		}
		counted += irq_settle(dev) - base;
		kdelivered += kernel_count(irq) - kbase;
		hw = (double)(kernel_count(irq) - kb) / (double)(raised - raised0);
		if (lost > 10) {
			note("IRQ %u one at a time: stopped after %ld edges, more than 10 were lost",
			     irq, raised);
			break;
		}
		snprintf(id, sizeof(id), "irq.edge.%s", pl->tag);
		snprintf(label, sizeof(label),
			 "umdp, testdev edge IRQ %u: raise (2 pwrites), wait+fetch", irq);
		emit_row(id, pl->section, label, t, "ns", "none",
			 (double)syscalls / EDGE_ROUNDS, EDGE_ROUNDS, hw);
	}
	emit_loss("loss.one_at_a_time", "one at a time, waiting for each (both placements)",
		  raised, counted, kdelivered);
	if (doubled)
		note("IRQ %u one at a time: %ld waits saw more than one interrupt",
		     irq, doubled);
	if (lost > 10)
		goto out;

	for (i = 0; i < UMDP_BATCH_MAX; i++)
		ops[i] = (struct umdp_io_op){ .port = port, .size = 1,
					      .flags = UMDP_IO_WRITE,
					      .value = !(i & 1) };
	for (k = 0; k < NR_PLACEMENTS; k++) {
		const struct placement *pl = &placements[k];

		if (pl->cpu < 0)
			continue;
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
out:
	umdp_close(dev);
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* SIGALRM interrupts a blocked read()/ioctl() (no SA_RESTART) */
static void arm_watchdog(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		die("sigaction: %s", strerror(errno));
}

static void edu_check(volatile uint32_t *edu, const char *how)
{
	uint32_t id = edu[EDU_ID];

	if (id != EDU_ID_VALUE)
		die("edu through %s: id 0x%x, expected 0x%x", how, id, EDU_ID_VALUE);
	edu[EDU_IRQ_ACK] = edu[EDU_IRQ_STATUS];
}

/*
 * One level round through umdp: raise through the mapping, wait and fetch,
 * ack the device, unmask the line. Returns the rounds that did not see
 * exactly one interrupt (0 or 1).
 */
static int edu_umdp_round(struct umdp_dev *dev, volatile uint32_t *edu,
			  unsigned int irq, long *syscalls)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr = nr_events();
	int r, bad;

	edu[EDU_IRQ_RAISE] = 1;
	r = umdp_irq_wait(dev, 1000, ev, &nr);
	bad = r != 1 || ev[0].count != 1;
	edu[EDU_IRQ_ACK] = 1;
	r = umdp_irq_unmask(dev, irq);
	*syscalls += 2;
	if (r)
		die("umdp_irq_unmask: %s", umdp_strerror(r));
	return bad;
}

static int cmd_irq_edu(const char *grant, unsigned int irq, uint64_t phys)
{
	struct umdp_dev *dev = open_grant(grant);
	volatile uint32_t *edu = map_grant(dev, phys);
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr, k;
	long bad = 0, syscalls = 0, i;
	long long kbase;
	char id[64], ref[64];
	double t[RUNS];

	edu_check(edu, "the umdp mapping");
	umdp_irq_unmask(dev, irq);
	nr = nr_events();
	umdp_irq_fetch(dev, ev, &nr);
	if (!(ev[0].flags & UMDP_IRQ_EV_LEVEL))
		note("edu's IRQ %u is not level-triggered here", irq);
	for (k = 0; k < NR_PLACEMENTS; k++) {
		const struct placement *pl = &placements[k];

		if (pl->cpu < 0)
			continue;
		irq_to_cpu(irq, pl->cpu);
		for (i = 0; i < 200 && bad <= 3; i++)
			bad += edu_umdp_round(dev, edu, irq, &syscalls);
		if (bad > 3)
			die("edu through umdp: no interrupts (is the PCI device enabled, its ACPI interrupt link routed?)");
		check_placement(irq, pl);
		fprintf(stderr, "# edu IRQ %u on CPU %d through umdp: %d x %ld round trips\n",
			irq, pl->cpu, RUNS, LEVEL_ROUNDS);
		bad = 0;
		kbase = kernel_count(irq);
		for (int run = 0; run < RUNS; run++) {
			double t0 = now_ns();

			syscalls = 0;
			for (i = 0; i < LEVEL_ROUNDS; i++)
				bad += edu_umdp_round(dev, edu, irq, &syscalls);
			t[run] = (now_ns() - t0) / (double)LEVEL_ROUNDS;
		}
		snprintf(id, sizeof(id), "irq.edu.%s", pl->tag);
		snprintf(ref, sizeof(ref), "irq.uio.%s", pl->tag);
		emit_row(id, pl->section,
			 "umdp, edu level INTx: raise (MMIO), wait+fetch, ack, unmask",
			 t, "ns", ref, (double)syscalls / LEVEL_ROUNDS, LEVEL_ROUNDS,
			 (double)(kernel_count(irq) - kbase) / (RUNS * LEVEL_ROUNDS));
		if (bad)
			note("edu through umdp, IRQ on CPU %d: %ld of %ld rounds did not see exactly one interrupt",
			     pl->cpu, bad, RUNS * LEVEL_ROUNDS);
	}
	umdp_close(dev);
	return 0;
}

/*
 * One level round through UIO: raise through resource0, read() the event
 * count (blocks until the IRQ; uio_pci_generic has masked INTx in config
 * space), ack the device, clear INTX_DISABLE in the command word.
 */
static int uio_round(volatile uint32_t *edu, int ufd, int cfd, uint16_t cmd,
		     uint32_t *count, long *syscalls)
{
	uint32_t c;
	int bad;

	edu[EDU_IRQ_RAISE] = 1;
	if (read(ufd, &c, sizeof(c)) != (ssize_t)sizeof(c))
		die("read on the UIO device: %s", errno == EINTR ?
		    "no interrupt within the watchdog's time" : strerror(errno));
	bad = c != *count + 1;
	*count = c;
	edu[EDU_IRQ_ACK] = 1;
	if (pwrite(cfd, &cmd, 2, PCI_COMMAND_OFF) != 2)
		die("config pwrite: %s", strerror(errno));
	*syscalls += 2;
	return bad;
}

static int cmd_irq_uio(const char *uio, const char *config, const char *res,
		       unsigned int irq)
{
	int rfd, ufd = open_or_die(uio, O_RDWR);
	int cfd = open_or_die(config, O_RDWR);
	volatile uint32_t *edu = map_resource(res, &rfd);
	uint32_t count = 0;
	uint16_t cmd;
	long bad = 0, syscalls = 0, i;
	long long kbase;
	char id[64];
	double t[RUNS];
	unsigned int k;

	edu_check(edu, "resource0");
	if (pread(cfd, &cmd, 2, PCI_COMMAND_OFF) != 2)
		die("%s: pread: %s", config, strerror(errno));
	cmd &= (uint16_t)~PCI_CMD_INTX_DISABLE;
	if (pwrite(cfd, &cmd, 2, PCI_COMMAND_OFF) != 2)
		die("%s: pwrite: %s", config, strerror(errno));
	arm_watchdog();
	alarm(10);
	uio_round(edu, ufd, cfd, cmd, &count, &syscalls); /* learns the count */
	for (k = 0; k < NR_PLACEMENTS; k++) {
		const struct placement *pl = &placements[k];

		if (pl->cpu < 0)
			continue;
		irq_to_cpu(irq, pl->cpu);
		alarm(30);
		for (i = 0; i < 200; i++)
			uio_round(edu, ufd, cfd, cmd, &count, &syscalls);
		check_placement(irq, pl);
		fprintf(stderr, "# edu IRQ %u on CPU %d through UIO: %d x %ld round trips\n",
			irq, pl->cpu, RUNS, LEVEL_ROUNDS);
		bad = 0;
		kbase = kernel_count(irq);
		for (int run = 0; run < RUNS; run++) {
			double t0;

			alarm(30 + LEVEL_ROUNDS / 100);
			t0 = now_ns();
			syscalls = 0;
			for (i = 0; i < LEVEL_ROUNDS; i++)
				bad += uio_round(edu, ufd, cfd, cmd, &count, &syscalls);
			t[run] = (now_ns() - t0) / (double)LEVEL_ROUNDS;
		}
		snprintf(id, sizeof(id), "irq.uio.%s", pl->tag);
		emit_row(id, pl->section,
			 "UIO, edu level INTx: raise (MMIO), read, ack, config pwrite",
			 t, "ns", "-", (double)syscalls / LEVEL_ROUNDS, LEVEL_ROUNDS,
			 (double)(kernel_count(irq) - kbase) / (RUNS * LEVEL_ROUNDS));
		if (bad)
			note("edu through UIO, IRQ on CPU %d: %ld of %ld rounds did not see exactly one interrupt",
			     pl->cpu, bad, RUNS * LEVEL_ROUNDS);
	}
	alarm(0);
	close(ufd);
	close(cfd);
	close(rfd);
	return 0;
}

/* ---- MMIO ---------------------------------------------------------------- */

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

static int cmd_mmio(const char *grant, uint64_t phys, const char *res)
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

static __attribute__((noreturn)) void usage(void)
{
	fprintf(stderr, "usage: umdp-bench ports GRANT PORT\n"
		"       umdp-bench irq-edge GRANT IRQ\n"
		"       umdp-bench irq-edu GRANT IRQ PHYS\n"
		"       umdp-bench mmio GRANT PHYS RESOURCE0\n"
		"       umdp-bench irq-uio UIODEV CONFIG RESOURCE0 IRQ\n");
	exit(2);
}

static unsigned long long num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		usage();
	return v;
}

/*
 * Pin to BENCH_CPU, so that no figure depends on migrations, and find the
 * CPU for the "other" placement.
 */
static void pin(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity: %s", strerror(errno));
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (cpu != BENCH_CPU && CPU_ISSET(cpu, &set)) {
			placements[1].cpu = cpu;
			break;
		}
	}
	CPU_ZERO(&set);
	CPU_SET(BENCH_CPU, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("pinning to CPU %d: %s", BENCH_CPU, strerror(errno));
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	pin();

	if (argc == 4 && !strcmp(cmd, "ports"))
		return cmd_ports(argv[2], (uint16_t)num(argv[3]));
	if (argc == 4 && !strcmp(cmd, "irq-edge"))
		return cmd_irq_edge(argv[2], (unsigned int)num(argv[3]));
	if (argc == 5 && !strcmp(cmd, "irq-edu"))
		return cmd_irq_edu(argv[2], (unsigned int)num(argv[3]), num(argv[4]));
	if (argc == 5 && !strcmp(cmd, "mmio"))
		return cmd_mmio(argv[2], num(argv[3]), argv[4]);
	if (argc == 6 && !strcmp(cmd, "irq-uio"))
		return cmd_irq_uio(argv[2], argv[3], argv[4],
				   (unsigned int)num(argv[5]));
	usage();
}
