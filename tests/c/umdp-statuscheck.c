// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-statuscheck - the node's read-only status page, through libumdp and
 * raw mmap(2), against QEMU's devices.
 *
 *   umdp-statuscheck header GRANT [IRQ...]
 *	the feature bit, the header (magic, version, sizes) and the lines:
 *	exactly the IRQs given, in that order, with count 0 at open.
 *   umdp-statuscheck edges GRANT IRQ N edge|level
 *	pc-testdev: raise N edges on ISA IRQ IRQ one at a time (port
 *	0x2000+IRQ: write 1 then 0; a level line is held high until seen,
 *	then lowered and unmasked), each seen by spinning on the page: seq
 *	moves, the count grows by exactly one, a level line shows MASKED until
 *	unmasked; every 100 edges (and at the end) the page's count equals
 *	UMDP_IOC_IRQ_FETCH's total.
 *   umdp-statuscheck level GRANT IRQ RESOURCE0 N
 *	edu: raise its level INTx through BAR0 (RESOURCE0 is its sysfs
 *	resource0, mapped by root): the page shows the interrupt and MASKED,
 *	stays so (no storm) until the device is acked and the line unmasked,
 *	then shows it unmasked; N rounds.
 *   umdp-statuscheck refuse GRANT
 *	the mappings the module refuses: PROT_WRITE (EPERM), MAP_PRIVATE, a
 *	length other than one page, offsets near UMDP_MMAP_STATUS (EINVAL);
 *	mprotect to PROT_WRITE (EACCES); a store through the mapping
 *	(SIGSEGV, in a child); an O_RDONLY fd maps it, an O_WRONLY fd cannot
 *	(EACCES); a forked child reads it; the mapping outlives close.
 *   umdp-statuscheck revoke GRANT
 *	map, print "ready", wait for a line on stdin (the test revokes the
 *	grant meanwhile): then a read of the mapping is SIGBUS (in this
 *	process and in a forked child), a new mmap on the still-open fd is
 *	ENODEV, and munmap works.
 *   umdp-statuscheck spin GRANT IRQ N
 *	a thread pinned to CPU 1 spins on the page (umdp_status_spin); the
 *	main thread, on CPU 0, raises N edges on pc-testdev's edge line IRQ
 *	one at a time: raise, wait until the spinner has seen it, next. Every
 *	edge must be seen (0 lost); prints the mean time from the raise to the
 *	spinner seeing it.
 *
 * Prints one "ok -"/"not ok -" line per check; exits 1 if any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <umdp.h>

#include "check.h"

#define PAGE		4096UL
#define SEC_NS		1000000000ULL

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * SEC_NS + (uint64_t)ts.tv_nsec;
}

static const struct umdp_status *map_status(struct umdp_dev *dev)
{
	const struct umdp_status *st;
	int err = umdp_status_map(dev, &st);

	if (err) {
		printf("not ok - umdp_status_map: %s\n", umdp_strerror(err));
		exit(1);
	}
	return st;
}

/* raw mmap of the node: 0 or -errno; unmaps what it got */
static int try_map(int fd, size_t len, int prot, int flags, uint64_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, (off_t)off);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, len);
	return 0;
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

/* the FETCH total of line i (UMDP_MAX_RANGES always fit) */
static uint64_t fetch_total(struct umdp_dev *dev, unsigned int i, uint32_t *flags)
{
	struct umdp_irq_event ev[UMDP_MAX_RANGES];
	unsigned int nr = UMDP_MAX_RANGES;
	int r = umdp_irq_fetch(dev, ev, &nr);

	if (r < 0 || i >= nr) {
		printf("not ok - umdp_irq_fetch: %s\n", umdp_strerror(r));
		exit(1);
	}
	if (flags)
		*flags = ev[i].flags;
	return ev[i].total;
}

/* ---- SIGBUS/SIGSEGV probes ------------------------------------------------ */

static sigjmp_buf probe_env;
static volatile sig_atomic_t probe_armed, probe_sig;

static void probe_handler(int sig)
{
	if (!probe_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	probe_sig = sig;
	siglongjmp(probe_env, 1);
}

static void probe_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_handler;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

/* Read 64 bits at p: 0, or the signal the access raised. */
static int probe_read(const volatile void *p)
{
	probe_sig = 0;
	probe_armed = 1;
	if (!sigsetjmp(probe_env, 1))
		(void)*(const volatile uint64_t *)p;
	probe_armed = 0;
	return probe_sig;
}

/* How a child that touched @p (reading, or writing when @write) ended. */
static const char *child_touch(const volatile void *p, int write, char *buf,
			       size_t size)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGBUS, SIG_DFL);
		signal(SIGSEGV, SIG_DFL);
		if (write)
			*(volatile uint64_t *)(uintptr_t)p = 1;
		else
			(void)*(const volatile uint64_t *)p;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		snprintf(buf, size, "no child");
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "%s", sigabbrev_np(WTERMSIG(status)));
	else
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	return buf;
}

/* ---- header ---------------------------------------------------------------- */

static int cmd_header(const char *grant, int nirq, char **irqs)
{
	struct umdp_dev *dev = open_grant(grant);
	struct umdp_version ver;
	const struct umdp_status *st;
	int i, err;

	err = umdp_version(dev, &ver);
	CHECK(!err && (ver.features & UMDP_FEAT_STATUS_PAGE),
	      "UMDP_IOC_VERSION reports UMDP_FEAT_STATUS_PAGE (%#llx)",
	      (unsigned long long)ver.features);
	st = map_status(dev);
	CHECK(st->magic == UMDP_STATUS_MAGIC && st->version == UMDP_STATUS_VERSION,
	      "the page starts with the magic and version %u (%#x, %u)",
	      UMDP_STATUS_VERSION, st->magic, st->version);
	CHECK(st->size == sizeof(struct umdp_status) &&
	      st->line_size == sizeof(struct umdp_status_line) && !st->reserved,
	      "header of %zu bytes, lines of %zu (%u, %u)",
	      sizeof(struct umdp_status), sizeof(struct umdp_status_line),
	      st->size, st->line_size);
	CHECK(st->nr_lines == (uint32_t)nirq, "%d lines (%u)", nirq, st->nr_lines);
	for (i = 0; i < nirq && i < (int)st->nr_lines; i++) {
		const struct umdp_status_line *l = umdp_status_line(st, (unsigned int)i);
		unsigned int irq = (unsigned int)atoi(irqs[i]);

		CHECK(l->irq == irq && umdp_status_count(l) <= 1,
		      "line %d is IRQ %u, count %llu at open", i, l->irq,
		      (unsigned long long)umdp_status_count(l));
	}
	CHECK(umdp_status_line(st, st->nr_lines) == NULL,
	      "umdp_status_line() past the last line is NULL");
	umdp_status_unmap(st);
	umdp_close(dev);
	return failures ? 1 : 0;
}

/* ---- level lines ----------------------------------------------------------- */

/*
 * Spurious interrupts on a level line: QEMU's IO-APIC delivers a level
 * interrupt again at the EOI while the line is still high, and the handler
 * masked the line lazily (disable_irq_nosync), so the kernel masks it at
 * the IO-APIC only when that second delivery is taken. A vCPU that takes it
 * late, after the driver lowered the line and unmasked, runs the handler
 * for it: counted, and the line masked again, as on hardware an interrupt
 * latched before the line fell. The checks below tell such an interrupt
 * (the count moved) from a line left masked for no reason (it did not).
 */

/* a level source: raise() asserts it, quiet() acks the device */
struct level_src {
	void (*raise)(void *ctx);
	void (*quiet)(void *ctx);
	void *ctx;
};

struct level_tally {
	long lost, extra, not_masked, still_masked, spurious;
};

/*
 * Unmask a level line whose device is quiet: the page must show it
 * unmasked, or masked again by a new interrupt whose count shows within
 * 10 ms (a spurious one: unmask again). 0 when it ends unmasked.
 */
static int unmask_settle(struct umdp_dev *dev, const struct umdp_status_line *l,
			 unsigned int irq, long *spurious)
{
	uint64_t c, deadline;
	int k;

	for (k = 0; k < 4; k++) {
		c = umdp_status_count(l);	/* masked: it cannot move yet */
		if (umdp_irq_unmask(dev, irq))
			return -1;
		if (!(umdp_status_flags(l) & UMDP_IRQ_EV_MASKED))
			return 0;
		deadline = mono_ns() + 10000000;
		while (umdp_status_count(l) == c && mono_ns() < deadline)
			__builtin_ia32_pause();
		if (umdp_status_count(l) == c)
			return -1;	/* masked, and no interrupt did it */
		(*spurious)++;
	}
	return -1;
}

/*
 * One round on a level line: raise, spin until the page moves, check it
 * counted one interrupt and shows the line MASKED, quiet the device,
 * unmask, check it shows the line unmasked.
 */
static void level_round(struct umdp_dev *dev, const struct umdp_status *st,
			const struct umdp_status_line *l, unsigned int irq,
			const struct level_src *src, struct level_tally *t)
{
	uint64_t seq = umdp_status_seq(st), count = umdp_status_count(l), c;
	int r;

	src->raise(src->ctx);
	r = umdp_status_spin(st, &seq, mono_ns() + SEC_NS);
	c = umdp_status_count(l);
	if ((r != 1 || c == count) &&
	    (umdp_status_flags(l) & UMDP_IRQ_EV_MASKED)) {
		/*
		 * A spurious interrupt, counted before the raise, masked the
		 * line: the raise found it masked. Quiet, unmask, again.
		 */
		t->spurious++;
		src->quiet(src->ctx);
		if (unmask_settle(dev, l, irq, &t->spurious))
			t->still_masked++;
		seq = umdp_status_seq(st);
		count = umdp_status_count(l);
		src->raise(src->ctx);
		r = umdp_status_spin(st, &seq, mono_ns() + SEC_NS);
		c = umdp_status_count(l);
	}
	if (r != 1 || c == count)
		t->lost++;
	else if (c != count + 1)
		t->extra++;
	else if (!(umdp_status_flags(l) & UMDP_IRQ_EV_MASKED))
		t->not_masked++;
	src->quiet(src->ctx);
	if (unmask_settle(dev, l, irq, &t->spurious))
		t->still_masked++;
}

/* FETCH's total, bracketed by two reads of the page: the same counter */
static int fetch_matches(struct umdp_dev *dev, const struct umdp_status_line *l)
{
	uint64_t a = umdp_status_count(l), f = fetch_total(dev, 0, NULL);
	uint64_t b = umdp_status_count(l);

	return a <= f && f <= b;
}

/* ---- edges ----------------------------------------------------------------- */

struct testdev_line {
	struct umdp_dev *dev;
	unsigned int irq;
};

static void testdev_raise(void *ctx)
{
	struct testdev_line *t = ctx;

	set_line(t->dev, t->irq, 1);
}

static void testdev_quiet(void *ctx)
{
	struct testdev_line *t = ctx;

	set_line(t->dev, t->irq, 0);
}

static int cmd_edges(const char *grant, unsigned int irq, long n,
		     const char *trigger)
{
	struct umdp_dev *dev = open_grant(grant);
	const struct umdp_status *st = map_status(dev);
	const struct umdp_status_line *l = umdp_status_line(st, 0);
	struct testdev_line td = { dev, irq };
	const struct level_src src = { testdev_raise, testdev_quiet, &td };
	struct level_tally t = { 0 };
	long differ = 0, i;
	uint64_t seq, count, c, start;
	uint32_t flags;
	int level, r;

	if (!l || l->irq != irq) {
		printf("not ok - the page's first line is not IRQ %u\n", irq);
		return 1;
	}
	level = !!(umdp_status_flags(l) & UMDP_IRQ_EV_LEVEL);
	CHECK(!strcmp(trigger, level ? "level" : "edge"),
	      "the page says IRQ %u is %s-triggered (expected %s)", irq,
	      level ? "level" : "edge", trigger);
	/* an interrupt left pending on the line from before comes at open */
	if (umdp_status_count(l)) {
		printf("# a pending interrupt on IRQ %u was delivered at open\n", irq);
		if (level)
			umdp_irq_unmask(dev, irq);
		usleep(50000);
	}
	seq = umdp_status_seq(st);
	r = umdp_status_spin(st, &seq, mono_ns() + 50000000);
	CHECK(r == -ETIMEDOUT, "nothing raised: spinning 50 ms times out (%d)", r);
	start = count = umdp_status_count(l);
	CHECK(fetch_total(dev, 0, NULL) == count,
	      "the page's count equals FETCH's total (%llu)",
	      (unsigned long long)count);

	for (i = 0; i < n && t.lost <= 10; i++) {
		if (level) {
			level_round(dev, st, l, irq, &src, &t);
		} else {
			seq = umdp_status_seq(st);
			count = umdp_status_count(l);
			set_line(dev, irq, 1);
			set_line(dev, irq, 0);
			r = umdp_status_spin(st, &seq, mono_ns() + SEC_NS);
			c = umdp_status_count(l);
			if (r != 1 || c == count)
				t.lost++;
			else if (c != count + 1)
				t.extra++;
		}
		if (i % 100 == 99 && !fetch_matches(dev, l))
			differ++;
	}
	count = umdp_status_count(l);
	CHECK(t.lost == 0 && t.extra == 0,
	      "%ld edges on IRQ %u, each seen on the page by spinning: %ld lost, %ld counted more than once",
	      i, irq, t.lost, t.extra);
	if (level) {
		CHECK(t.not_masked == 0 && t.still_masked == 0,
		      "each time the page showed the level line MASKED until unmask (%ld not masked, %ld still masked after unmask)",
		      t.not_masked, t.still_masked);
		printf("# %ld spurious interrupts (taken after the line fell and was unmasked)\n",
		       t.spurious);
		CHECK(count - start == (uint64_t)(i + t.spurious),
		      "the count grew by the rounds and the spurious interrupts (%llu = %ld + %ld)",
		      (unsigned long long)(count - start), i, t.spurious);
	} else {
		CHECK(count - start == (uint64_t)i, "the count grew by %ld (%llu)",
		      i, (unsigned long long)(count - start));
	}
	CHECK(differ == 0 && fetch_matches(dev, l),
	      "the page's count equals FETCH's total, every 100 edges and at the end (%llu, %ld differed)",
	      (unsigned long long)umdp_status_count(l), differ);
	fetch_total(dev, 0, &flags);
	CHECK(flags == umdp_status_flags(l), "and so do the flags (%#x, %#x)",
	      flags, umdp_status_flags(l));
	umdp_status_unmap(st);
	umdp_close(dev);
	return failures ? 1 : 0;
}

/* ---- edu level INTx --------------------------------------------------------- */

#define EDU_ID		(0x00 / 4)
#define EDU_IRQ_STATUS	(0x24 / 4)
#define EDU_IRQ_RAISE	(0x60 / 4)
#define EDU_IRQ_ACK	(0x64 / 4)

static volatile uint32_t *map_bar(const char *resource0)
{
	int fd = open(resource0, O_RDWR | O_SYNC);
	void *p;

	if (fd < 0) {
		printf("not ok - open %s: %s\n", resource0, strerror(errno));
		exit(1);
	}
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		printf("not ok - mmap %s: %s\n", resource0, strerror(errno));
		exit(1);
	}
	return p;
}

static void edu_raise(void *ctx)
{
	volatile uint32_t *edu = ctx;

	edu[EDU_IRQ_RAISE] = 1;
}

static void edu_quiet(void *ctx)
{
	volatile uint32_t *edu = ctx;

	edu[EDU_IRQ_ACK] = edu[EDU_IRQ_STATUS];
}

static int cmd_level(const char *grant, unsigned int irq, const char *res,
		     long n)
{
	volatile uint32_t *edu = map_bar(res);
	struct umdp_dev *dev = open_grant(grant);
	const struct umdp_status *st = map_status(dev);
	const struct umdp_status_line *l = umdp_status_line(st, 0);
	const struct level_src src = { edu_raise, edu_quiet,
				       (void *)(uintptr_t)edu };
	struct level_tally t = { 0 };
	uint64_t seq, seq2, start;
	uint32_t f;
	long i;
	int r;

	CHECK(edu[EDU_ID] == 0x010000ed, "edu answers at BAR0 (id %#x)", edu[EDU_ID]);
	CHECK(l && l->irq == irq, "the page's line is edu's IRQ %u", irq);
	if (!l)
		return 1;
	CHECK(umdp_status_count(l) == 0 &&
	      !(umdp_status_flags(l) & UMDP_IRQ_EV_MASKED),
	      "at open: count 0, not masked (flags %#x)", umdp_status_flags(l));
	seq = umdp_status_seq(st);
	edu[EDU_IRQ_RAISE] = 1;
	r = umdp_status_spin(st, &seq, mono_ns() + SEC_NS);
	f = umdp_status_flags(l);
	CHECK(r == 1 && umdp_status_count(l) == 1,
	      "raising edu's INTx moves seq and the count to 1 (%d, %llu)", r,
	      (unsigned long long)umdp_status_count(l));
	CHECK((f & UMDP_IRQ_EV_LEVEL) && (f & UMDP_IRQ_EV_MASKED),
	      "the page shows the line level-triggered and MASKED (flags %#x)", f);
	r = umdp_status_spin(st, &seq, mono_ns() + 300000000);
	CHECK(r == -ETIMEDOUT && umdp_status_count(l) == 1 &&
	      (umdp_status_flags(l) & UMDP_IRQ_EV_MASKED),
	      "the device still asserts, but the page does not change for 300 ms: still MASKED, count 1");
	CHECK(fetch_total(dev, 0, &f) == 1 && (f & UMDP_IRQ_EV_MASKED),
	      "FETCH agrees: total 1, masked (flags %#x)", f);
	edu[EDU_IRQ_ACK] = edu[EDU_IRQ_STATUS];
	CHECK(umdp_status_flags(l) & UMDP_IRQ_EV_MASKED,
	      "acking the device alone leaves the line MASKED");
	seq2 = umdp_status_seq(st);
	CHECK(umdp_irq_unmask(dev, irq) == 0, "unmask");
	f = umdp_status_flags(l);
	CHECK(!(f & UMDP_IRQ_EV_MASKED) && umdp_status_seq(st) != seq2,
	      "after unmask the page shows it unmasked and seq moved (flags %#x)", f);
	seq = umdp_status_seq(st);
	r = umdp_status_spin(st, &seq, mono_ns() + 200000000);
	CHECK(r == -ETIMEDOUT && umdp_status_count(l) == 1,
	      "a quiet device raises nothing after unmask");

	start = umdp_status_count(l);
	for (i = 0; i < n && t.lost <= 3; i++)
		level_round(dev, st, l, irq, &src, &t);
	printf("# %ld spurious interrupts (taken after the line fell and was unmasked)\n",
	       t.spurious);
	CHECK(t.lost == 0 && t.extra == 0 && t.not_masked == 0 &&
	      t.still_masked == 0,
	      "%ld rounds: counted once, MASKED until unmask, then not (%ld lost, %ld counted twice, %ld not masked, %ld still masked)",
	      i, t.lost, t.extra, t.not_masked, t.still_masked);
	CHECK(umdp_status_count(l) - start == (uint64_t)(i + t.spurious),
	      "the count grew by the rounds and the spurious interrupts (%llu = %ld + %ld)",
	      (unsigned long long)(umdp_status_count(l) - start), i, t.spurious);
	CHECK(fetch_matches(dev, l), "the page's count equals FETCH's total (%llu)",
	      (unsigned long long)umdp_status_count(l));
	umdp_status_unmap(st);
	umdp_close(dev);
	return failures ? 1 : 0;
}

/* ---- refusals ---------------------------------------------------------------- */

static int cmd_refuse(const char *grant)
{
	struct umdp_dev *dev = open_grant(grant);
	int fd = umdp_fd(dev), r, ro;
	const struct umdp_status *st;
	char node[64], end[32];
	void *p;

	CHECK(try_map(fd, PAGE, PROT_READ, MAP_SHARED, UMDP_MMAP_STATUS) == 0,
	      "one page, PROT_READ, MAP_SHARED at UMDP_MMAP_STATUS maps");
	r = try_map(fd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, UMDP_MMAP_STATUS);
	CHECK(r == -EPERM, "PROT_WRITE is EPERM (%s)", strerror(-r));
	r = try_map(fd, PAGE, PROT_WRITE, MAP_SHARED, UMDP_MMAP_STATUS);
	CHECK(r == -EPERM, "PROT_WRITE alone is EPERM (%s)", strerror(-r));
	r = try_map(fd, PAGE, PROT_READ, MAP_PRIVATE, UMDP_MMAP_STATUS);
	CHECK(r == -EINVAL, "MAP_PRIVATE is EINVAL (%s)", strerror(-r));
	r = try_map(fd, 2 * PAGE, PROT_READ, MAP_SHARED, UMDP_MMAP_STATUS);
	CHECK(r == -EINVAL, "two pages are EINVAL (%s)", strerror(-r));
	r = try_map(fd, PAGE, PROT_READ, MAP_SHARED, UMDP_MMAP_STATUS + PAGE);
	CHECK(r == -EINVAL, "the page after it is EINVAL (%s)", strerror(-r));
	r = try_map(fd, PAGE, PROT_READ, MAP_SHARED, UMDP_MMAP_DMA_BASE - PAGE);
	CHECK(r == -EINVAL, "the last page below UMDP_MMAP_DMA_BASE is EINVAL (%s)",
	      strerror(-r));
	r = try_map(fd, 2 * PAGE, PROT_READ, MAP_SHARED, UMDP_MMAP_STATUS - PAGE);
	CHECK(r == -EPERM,
	      "a mapping from the page below it is a memory window not granted: EPERM (%s)",
	      strerror(-r));

	st = map_status(dev);
	p = (void *)(uintptr_t)st;
	r = mprotect(p, PAGE, PROT_READ | PROT_WRITE) ? -errno : 0;
	CHECK(r == -EACCES, "mprotect to PROT_WRITE is EACCES (%s)", strerror(-r));
	CHECK(mprotect(p, PAGE, PROT_READ) == 0, "mprotect back to PROT_READ works");
	CHECK(!strcmp(child_touch(st, 1, end, sizeof(end)), "SEGV"),
	      "a store through the mapping is SIGSEGV (child: %s)", end);
	CHECK(!strcmp(child_touch(st, 0, end, sizeof(end)), "exit 0"),
	      "a forked child reads it (child: %s)", end);
	CHECK(st->magic == UMDP_STATUS_MAGIC, "and the page is unchanged");
	r = mremap(p, PAGE, 2 * PAGE, 0) == MAP_FAILED ? -errno : 0;
	CHECK(r != 0, "mremap cannot grow it (%s)", strerror(-r));

	umdp_close(dev);
	CHECK(st->magic == UMDP_STATUS_MAGIC,
	      "the mapping outlives umdp_close()");
	umdp_status_unmap(st);

	/* one opener at a time: the handle and its mapping are gone now */
	snprintf(node, sizeof(node), UMDP_DEV_DIR "/%s", grant);
	ro = open(node, O_RDONLY | O_CLOEXEC);
	CHECK(ro >= 0, "open read-only (%s)", strerror(errno));
	if (ro >= 0) {
		r = try_map(ro, PAGE, PROT_READ, MAP_SHARED, UMDP_MMAP_STATUS);
		CHECK(r == 0, "an O_RDONLY fd maps the page (%s)", strerror(-r));
		r = try_map(ro, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			    UMDP_MMAP_STATUS);
		CHECK(r == -EACCES,
		      "PROT_WRITE on an O_RDONLY fd is mmap(2)'s own EACCES (%s)",
		      strerror(-r));
		close(ro);
	}
	ro = open(node, O_WRONLY | O_CLOEXEC);
	CHECK(ro >= 0, "open write-only (%s)", strerror(errno));
	if (ro >= 0) {
		r = try_map(ro, PAGE, PROT_READ, MAP_SHARED, UMDP_MMAP_STATUS);
		CHECK(r == -EACCES, "an O_WRONLY fd cannot map it: EACCES (%s)",
		      strerror(-r));
		close(ro);
	}
	return failures ? 1 : 0;
}

/* ---- revoke ------------------------------------------------------------------ */

static int cmd_revoke(const char *grant)
{
	struct umdp_dev *dev = open_grant(grant);
	const struct umdp_status *st = map_status(dev);
	char line[64], end[32];
	int r;

	probe_init();
	CHECK(probe_read(&st->seq) == 0, "the page reads before revoke");
	printf("ready\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 3;
	CHECK(!strcmp(child_touch(&st->seq, 0, end, sizeof(end)), "BUS"),
	      "after revoke a forked child's read of the mapping is SIGBUS (%s)",
	      end);
	r = probe_read(&st->seq);
	CHECK(r == SIGBUS, "and so is this process's (%s)",
	      r ? sigabbrev_np(r) : "no signal");
	r = try_map(umdp_fd(dev), PAGE, PROT_READ, MAP_SHARED, UMDP_MMAP_STATUS);
	CHECK(r == -ENODEV, "a new mmap of the page is ENODEV (%s)", strerror(-r));
	r = umdp_status_map(dev, &st);
	CHECK(r == -ENODEV, "umdp_status_map() says ENODEV too (%s)",
	      umdp_strerror(r));
	CHECK(umdp_status_unmap(st) == 0, "munmap of the dead mapping works");
	umdp_close(dev);
	return failures ? 1 : 0;
}

/* ---- spin: CPU 1 spins, CPU 0 raises ----------------------------------------- */

struct spin_ctx {
	const struct umdp_status *st;
	const struct umdp_status_line *l;
	_Atomic uint64_t seen;		/* the count the spinner saw last */
	_Atomic uint64_t seen_ns;	/* when it saw it */
	atomic_bool done;
	atomic_bool ready;
};

static int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* on CPU 1 from its creation on (the raiser spins on CPU 0 meanwhile) */
static void *spinner(void *arg)
{
	struct spin_ctx *c = arg;
	uint64_t seq;

	seq = umdp_status_seq(c->st);
	atomic_store(&c->seen, umdp_status_count(c->l));
	atomic_store(&c->ready, true);
	while (!atomic_load(&c->done)) {
		if (umdp_status_spin(c->st, &seq, mono_ns() + 20000000) != 1)
			continue;
		atomic_store(&c->seen_ns, mono_ns());
		atomic_store(&c->seen, umdp_status_count(c->l));
	}
	return NULL;
}

static int cmd_spin(const char *grant, unsigned int irq, long n)
{
	struct umdp_dev *dev = open_grant(grant);
	struct spin_ctx c = { .st = map_status(dev) };
	long lost = 0, extra = 0, i;
	uint64_t want, seen, deadline, t0, lat = 0;
	pthread_attr_t attr;
	cpu_set_t set;
	pthread_t th;
	uint32_t flags;
	int err;

	c.l = umdp_status_line(c.st, 0);
	if (!c.l || c.l->irq != irq) {
		printf("not ok - the page's first line is not IRQ %u\n", irq);
		return 1;
	}
	if (umdp_status_flags(c.l) & UMDP_IRQ_EV_LEVEL) {
		printf("not ok - IRQ %u is level-triggered; an edge line is needed\n", irq);
		return 1;
	}
	CHECK(pin_to(0) == 0, "the raiser runs on CPU 0");
	CPU_ZERO(&set);
	CPU_SET(1, &set);
	pthread_attr_init(&attr);
	err = pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	if (!err)
		err = pthread_create(&th, &attr, spinner, &c);
	pthread_attr_destroy(&attr);
	CHECK(!err, "the spinner runs on CPU 1 (%s)", strerror(err));
	if (err)
		return 1;
	while (!atomic_load(&c.ready))
		sched_yield();
	for (i = 0; i < n && lost <= 10; i++) {
		/* the previous edge was seen (or given up on): count from here */
		want = umdp_status_count(c.l) + 1;
		t0 = mono_ns();
		set_line(dev, irq, 1);
		set_line(dev, irq, 0);
		deadline = t0 + SEC_NS;
		/* plain loads: under TCG a PAUSE takes QEMU's big lock, which
		 * the raising port writes need */
		while ((seen = atomic_load(&c.seen)) < want && mono_ns() < deadline)
			;
		if (seen < want) {
			lost++;
		} else {
			extra += (long)(seen - want);
			lat += atomic_load(&c.seen_ns) - t0;
		}
	}
	atomic_store(&c.done, true);
	pthread_join(th, NULL);
	printf("# IRQ %u: raise (2 port writes) to the spinner on CPU 1 seeing it on the page: %.0f ns average over %ld\n",
	       irq, (double)lat / (double)(i - lost > 0 ? i - lost : 1), i);
	CHECK(lost == 0 && extra == 0,
	      "%ld edges raised one at a time on CPU 0, each seen by the spinner on CPU 1: %ld lost, %ld extra",
	      i, lost, extra);
	CHECK(fetch_total(dev, 0, &flags) == umdp_status_count(c.l),
	      "the page's count and FETCH's total are both %llu",
	      (unsigned long long)umdp_status_count(c.l));
	umdp_status_unmap(c.st);
	umdp_close(dev);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "header"))
		return cmd_header(argv[2], argc - 3, argv + 3);
	if (argc == 6 && !strcmp(argv[1], "edges"))
		return cmd_edges(argv[2], (unsigned int)atoi(argv[3]), atol(argv[4]),
				 argv[5]);
	if (argc == 6 && !strcmp(argv[1], "level"))
		return cmd_level(argv[2], (unsigned int)atoi(argv[3]), argv[4],
				 atol(argv[5]));
	if (argc == 3 && !strcmp(argv[1], "refuse"))
		return cmd_refuse(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "revoke"))
		return cmd_revoke(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "spin"))
		return cmd_spin(argv[2], (unsigned int)atoi(argv[3]), atol(argv[4]));
	fprintf(stderr, "usage: see the comment at the top of umdp-statuscheck.c\n");
	return 2;
}
