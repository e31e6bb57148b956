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
 *	line): round trip raise (write 1 then 0 through the node), wake, fetch;
 *	100,000 edges one at a time (5 runs of 20,000, the round-trip figure),
 *	then 100,000 edges back to back, raised by pwrite pairs and by batches,
 *	and how many of them the driver counted.
 *   umdp-bench irq-edu GRANT IRQ PHYS
 *	edu's level INTx through umdp: raise through a umdp mapping of BAR0 at
 *	PHYS, wait and fetch, ack the device, unmask the line.
 *   umdp-bench mmio GRANT PHYS RESOURCE0
 *	4-byte MMIO read of BAR0+0x00 and write of BAR0+0x04, through a umdp
 *	mapping vs through the PCI device's sysfs resource0 mapping.
 *   umdp-bench irq-uio UIODEV CONFIG RESOURCE0
 *	edu's INTx through uio_pci_generic (bound to edu, umdp not holding the
 *	line): raise through resource0, read() on UIODEV, ack the device,
 *	re-enable INTx by writing the command word to the sysfs CONFIG file.
 *
 * Every figure is the median of RUNS runs; the variants of one measurement
 * are interleaved run by run, so drift of the host hits them alike. The
 * output is for scripts/bench, tab separated, one record per line:
 *
 *   row  ID SECTION LABEL VALUE UNIT REF SYSCALLS SPREAD N
 *	VALUE is the median in UNIT (ns per access or per round trip); REF
 *	the ID of the row it is compared with ("-" for none; it may come from
 *	another subcommand); SYSCALLS the system calls per access or round
 *	trip, counted; SPREAD (max - min) / median of the runs; N the accesses
 *	or rounds per run.
 *   loss ID LABEL RAISED COUNTED
 *   note TEXT
 *
 * Progress goes to stderr.
 */
#include <errno.h>
#include <fcntl.h>
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
#define RUN_NS		60e6
#define BATCH_MAX	256
#define STRING_LEN	4096
/* edges raised on the testdev line, one at a time and back to back */
#define EDGES		100000L
/* level round trips per run (edu through umdp and through UIO) */
#define LEVEL_ROUNDS	2000L

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
		     double syscalls, long n)
{
	double spread, m = median(t, &spread);

	printf("row\t%s\t%s\t%s\t%.2f\t%s\t%s\t%.6g\t%.4f\t%ld\n", id, section,
	       label, m, unit, ref, syscalls, spread, n);
	fflush(stdout);
}

static void emit_loss(const char *id, const char *label, long raised,
		      unsigned long long counted)
{
	printf("loss\t%s\t%s\t%ld\t%llu\n", id, label, raised, counted);
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
			 v[i].calls * (long)v[i].per);
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
					       .dir = UMDP_IO_READ };
		P.wr[i] = (struct umdp_io_op){ .port = port, .size = 1,
					       .dir = UMDP_IO_WRITE,
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

static unsigned int nr_events(void)
{
	return UMDP_MAX_RANGES;
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

static int cmd_irq_edge(const char *grant, unsigned int irq)
{
	struct umdp_dev *dev = open_grant(grant);
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	struct umdp_io_op ops[UMDP_BATCH_MAX];
	uint16_t port = (uint16_t)(0x2000 + irq);
	long per_run = EDGES / RUNS, lost = 0, doubled = 0, raised = 0, i;
	unsigned long long base, counted;
	double t[RUNS];
	unsigned int nr = nr_events();
	int r;

	r = umdp_irq_fetch(dev, ev, &nr);
	if (r < 0 || nr != 1 || ev[0].irq != irq)
		die("grant %s does not hold exactly IRQ %u", grant, irq);
	if (ev[0].flags & UMDP_IRQ_EV_LEVEL)
		die("IRQ %u is level-triggered in this guest; an edge line is needed",
		    irq);

	/* warm up */
	for (i = 0; i < 200; i++) {
		set_line(dev, port, 1);
		set_line(dev, port, 0);
		nr = nr_events();
		umdp_irq_wait(dev, 1000, ev, &nr);
	}
	base = irq_settle(dev);

	fprintf(stderr, "# IRQ %u: %ld edges one at a time\n", irq, EDGES);
	for (int run = 0; run < RUNS; run++) {
		double t0 = now_ns();

		for (i = 0; i < per_run; i++) {
			set_line(dev, port, 1);
			set_line(dev, port, 0);
			nr = nr_events();
			r = umdp_irq_wait(dev, 1000, ev, &nr);
			if (r != 1)
				lost++;
			else if (ev[0].count != 1)
				doubled++;
			if (lost > 10)
				break;
		}
		raised += i;
		t[run] = (now_ns() - t0) / (double)(i ? i : 1);
		if (lost > 10)
			break;
	}
	counted = irq_settle(dev) - base;
	if (lost > 10) {
		note("IRQ %u one at a time: stopped after %ld edges, more than 10 were lost",
		     irq, raised);
	} else {
		emit_row("irq.edge", "IRQ round trip",
			 "umdp testdev ISA edge IRQ 7: raise (2 pwrites), wait+fetch",
			 t, "ns", "irq.uio", 3, per_run);
	}
	emit_loss("loss.one_at_a_time",
		  "edges raised one at a time, waiting for each", raised, counted);
	if (doubled)
		note("IRQ %u one at a time: %ld waits saw more than one interrupt",
		     irq, doubled);

	/* back to back: pwrite pairs, nobody waiting */
	fprintf(stderr, "# IRQ %u: %ld edges back to back\n", irq, EDGES);
	base = irq_settle(dev);
	for (i = 0; i < EDGES; i++) {
		set_line(dev, port, 1);
		set_line(dev, port, 0);
	}
	counted = irq_settle(dev) - base;
	emit_loss("loss.back_to_back_pwrite",
		  "edges raised back to back, 2 pwrites each", EDGES, counted);

	/* back to back: 256 edges per batch ioctl */
	for (i = 0; i < UMDP_BATCH_MAX; i++)
		ops[i] = (struct umdp_io_op){ .port = port, .size = 1,
					      .dir = UMDP_IO_WRITE,
					      .value = !(i & 1) };
	base = irq_settle(dev);
	for (i = 0; i < EDGES; i += UMDP_BATCH_MAX / 2) {
		long k = EDGES - i < UMDP_BATCH_MAX / 2 ? EDGES - i : UMDP_BATCH_MAX / 2;

		check_io(umdp_batch(dev, ops, (unsigned int)(2 * k)), "umdp_batch");
	}
	counted = irq_settle(dev) - base;
	emit_loss("loss.back_to_back_batch",
		  "edges raised back to back, 256 per batch ioctl", EDGES, counted);
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

static int cmd_irq_edu(const char *grant, unsigned int irq, uint64_t phys)
{
	struct umdp_dev *dev = open_grant(grant);
	volatile uint32_t *edu = map_grant(dev, phys);
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr;
	long bad = 0, syscalls = 0, i;
	double t[RUNS];
	int r;

	edu_check(edu, "the umdp mapping");
	umdp_irq_unmask(dev, irq);
	nr = nr_events();
	umdp_irq_fetch(dev, ev, &nr);
	if (!(ev[0].flags & UMDP_IRQ_EV_LEVEL))
		note("edu's IRQ %u is not level-triggered here", irq);
	fprintf(stderr, "# edu IRQ %u through umdp: %d x %ld round trips\n", irq,
		RUNS, LEVEL_ROUNDS);
	for (int run = -1; run < RUNS; run++) {	/* run -1 warms up */
		double t0 = now_ns();

		syscalls = 0;
		for (i = 0; i < LEVEL_ROUNDS; i++) {
			edu[EDU_IRQ_RAISE] = 1;
			nr = nr_events();
			r = umdp_irq_wait(dev, 1000, ev, &nr);
			syscalls++;
			if (r != 1 || ev[0].count != 1) {
				bad++;
				fprintf(stderr, "# round %ld: r=%d count=%llu flags=%#x status=%#x\n",
					i, r, (unsigned long long)ev[0].count, ev[0].flags,
					edu[EDU_IRQ_STATUS]);
			}
			edu[EDU_IRQ_ACK] = 1;
			r = umdp_irq_unmask(dev, irq);
			syscalls++;
			if (r)
				die("umdp_irq_unmask: %s", umdp_strerror(r));
			if (bad > 10)
				die("edu through umdp: more than 10 rounds without exactly one interrupt"
				    " (is the PCI device enabled, its ACPI interrupt link routed?)");
		}
		if (run >= 0)
			t[run] = (now_ns() - t0) / (double)LEVEL_ROUNDS;
	}
	emit_row("irq.edu", "IRQ round trip",
		 "umdp edu level INTx: raise (MMIO), wait+fetch, ack, unmask", t,
		 "ns", "irq.uio", (double)syscalls / LEVEL_ROUNDS, LEVEL_ROUNDS);
	if (bad)
		note("edu through umdp: %ld rounds did not see exactly one interrupt", bad);
	umdp_close(dev);
	return 0;
}

static void irq_uio_round(volatile uint32_t *edu, int ufd, int cfd,
			  uint16_t cmd, uint32_t *count, long *bad)
{
	uint32_t c;

	edu[EDU_IRQ_RAISE] = 1;
	if (read(ufd, &c, sizeof(c)) != (ssize_t)sizeof(c))
		die("read on the UIO device: %s", errno == EINTR ?
		    "no interrupt within 10 s" : strerror(errno));
	if (c != *count + 1)
		(*bad)++;
	*count = c;
	edu[EDU_IRQ_ACK] = 1;
	if (pwrite(cfd, &cmd, 2, PCI_COMMAND_OFF) != 2)
		die("config pwrite: %s", strerror(errno));
}

static int cmd_irq_uio(const char *uio, const char *config, const char *res)
{
	int rfd, ufd = open_or_die(uio, O_RDWR);
	int cfd = open_or_die(config, O_RDWR);
	volatile uint32_t *edu = map_resource(res, &rfd);
	uint32_t count = 0;
	uint16_t cmd;
	long bad = 0, i;
	double t[RUNS];

	edu_check(edu, "resource0");
	if (pread(cfd, &cmd, 2, PCI_COMMAND_OFF) != 2)
		die("%s: pread: %s", config, strerror(errno));
	cmd &= (uint16_t)~PCI_CMD_INTX_DISABLE;
	if (pwrite(cfd, &cmd, 2, PCI_COMMAND_OFF) != 2)
		die("%s: pwrite: %s", config, strerror(errno));
	arm_watchdog();
	/* the first read() tells the current count */
	alarm(10);
	irq_uio_round(edu, ufd, cfd, cmd, &count, &bad);
	bad = 0;
	fprintf(stderr, "# edu through UIO: %d x %ld round trips\n", RUNS,
		LEVEL_ROUNDS);
	for (int run = -1; run < RUNS; run++) {
		double t0;

		alarm(10 + LEVEL_ROUNDS / 100);
		t0 = now_ns();
		for (i = 0; i < LEVEL_ROUNDS; i++)
			irq_uio_round(edu, ufd, cfd, cmd, &count, &bad);
		if (run >= 0)
			t[run] = (now_ns() - t0) / (double)LEVEL_ROUNDS;
	}
	alarm(0);
	emit_row("irq.uio", "IRQ round trip",
		 "UIO edu level INTx: raise (MMIO), read, ack, config pwrite", t,
		 "ns", "-", 2, LEVEL_ROUNDS);
	if (bad)
		note("edu through UIO: %ld rounds did not see exactly one interrupt", bad);
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
		"       umdp-bench irq-uio UIODEV CONFIG RESOURCE0\n");
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

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (argc == 4 && !strcmp(cmd, "ports"))
		return cmd_ports(argv[2], (uint16_t)num(argv[3]));
	if (argc == 4 && !strcmp(cmd, "irq-edge"))
		return cmd_irq_edge(argv[2], (unsigned int)num(argv[3]));
	if (argc == 5 && !strcmp(cmd, "irq-edu"))
		return cmd_irq_edu(argv[2], (unsigned int)num(argv[3]), num(argv[4]));
	if (argc == 5 && !strcmp(cmd, "mmio"))
		return cmd_mmio(argv[2], num(argv[3]), argv[4]);
	if (argc == 5 && !strcmp(cmd, "irq-uio"))
		return cmd_irq_uio(argv[2], argv[3], argv[4]);
	usage();
}
