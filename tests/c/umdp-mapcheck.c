// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-mapcheck GRANT MODE PHYS [ARGS] - device memory through libumdp.
 *
 *   testdev PHYS         checks on pc-testdev's 64 KiB RAM window at PHYS:
 *                        two mappings, fork, refusals, smaps flags, mremap,
 *                        partial munmap
 *   edu PHYS             checks on edu's BAR0 at PHYS: id, liveness,
 *                        factorial
 *   wc PHYS              the window is granted ",wc": round trip, and the
 *                        PAT memtype table holds a write-combining entry
 *                        for exactly the mapping's lifetime (root only)
 *   poke PHYS OFF VAL    map the page at PHYS, write 32-bit VAL at OFF
 *   peek PHYS OFF        map the page at PHYS, print the 32-bit value at OFF
 *   map PHYS LEN [private]  one mmap of the node; prints "ok" or the errno
 *                        name (raw mmap(2) with MAP_PRIVATE when asked)
 *   revoke PHYS          maps, forks a child, prints "ready" and waits for
 *                        a line on stdin (the grant is revoked meanwhile);
 *                        then checks SIGBUS in child and parent, ENODEV,
 *                        munmap and close
 *   closed PHYS          maps, closes the handle, uses the mapping, prints
 *                        "ready", waits for a line (revoke), checks SIGBUS
 *   forkexit PHYS        children that use the mapping and exit while the
 *                        parent keeps using it
 *   race PHYS            threads map and first-touch the window over and
 *                        over; prints "ready", waits for a line (revoke
 *                        meanwhile); then no page of any mapping may be
 *                        reachable
 *
 * Prints one TAP-like line per check; exits 1 if any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <umdp.h>

#define PAGE		4096UL
#define TESTDEV_LEN	0x10000UL

#include "check.h"

static const char *grant;

static uint32_t rd32(void *base, unsigned long off)
{
	return *(volatile uint32_t *)((char *)base + off);
}

static void wr32(void *base, unsigned long off, uint32_t v)
{
	*(volatile uint32_t *)((char *)base + off) = v;
}

static struct umdp_dev *open_or_die(void)
{
	struct umdp_dev *dev;
	int err = umdp_open(grant, 0, &dev);

	if (err) {
		printf("not ok - open %s: %s\n", grant, umdp_strerror(err));
		exit(1);
	}
	return dev;
}

static void *map_or_die(struct umdp_dev *dev, uint64_t phys, size_t len)
{
	void *p;
	int err = umdp_map(dev, phys, len, 0, &p);

	if (err) {
		printf("not ok - map 0x%" PRIx64 "+0x%zx: %s\n", phys, len,
		       umdp_strerror(err));
		exit(1);
	}
	return p;
}

/* ---- touching a mapping that may raise SIGBUS ---------------------------- */

/* Per thread: a synchronous SIGBUS/SIGSEGV goes to the faulting thread. */
static _Thread_local sigjmp_buf probe_env;
static _Thread_local volatile sig_atomic_t probe_armed, probe_sig;

static void probe_handler(int sig)
{
	if (!probe_armed) {
		/* not a probe: die of it, as without a handler */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	probe_sig = sig;
	siglongjmp(probe_env, 1);
}

/* Catch SIGBUS and SIGSEGV raised inside probe_read(), from now on. */
static void probe_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_handler;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

/* Read 32 bits at p: 0, or the signal the access raised. */
static int probe_read(void *p)
{
	probe_sig = 0;
	probe_armed = 1;
	if (!sigsetjmp(probe_env, 1))
		(void)rd32(p, 0);
	probe_armed = 0;
	return probe_sig;
}

/* How a child ended, for the check lines. */
static const char *child_end(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by %s", sigabbrev_np(WTERMSIG(status)));
	else
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	return buf;
}

/* ---- /proc/self/smaps ---------------------------------------------------- */

/* The VmFlags line of the VMA starting at addr, without "VmFlags:". */
static int vma_flags(void *addr, char *out, size_t size)
{
	char line[512];
	unsigned long start, end;
	int in = 0, found = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = start == (unsigned long)addr;
			continue;
		}
		if (in && !strncmp(line, "VmFlags:", 8)) {
			strncpy(out, line + 8, size - 1);
			out[size - 1] = '\0';
			out[strcspn(out, "\n")] = '\0';
			found = 1;
			break;
		}
	}
	fclose(f);
	return found;
}

static int has_flag(const char *flags, const char *f)
{
	char pat[8];

	snprintf(pat, sizeof(pat), " %s", f);
	for (const char *p = flags; (p = strstr(p, pat)); p += 3)
		if (p[3] == ' ' || p[3] == '\0')
			return 1;
	return 0;
}

/* ---- modes --------------------------------------------------------------- */

static void check_testdev(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die();
	void *m1 = map_or_die(dev, phys, TESTDEV_LEN);
	void *m2 = map_or_die(dev, phys, TESTDEV_LEN);
	void *p, *q;
	char flags[256] = "", how[64];
	unsigned long off;
	int ok, status, err;
	pid_t pid;

	CHECK(m1 != m2, "two mappings of one fd at different addresses");
	for (off = 0; off < TESTDEV_LEN; off += PAGE)
		wr32(m1, off + 4, 0xc0de0000u + (uint32_t)(off / PAGE));
	ok = 1;
	for (off = 0; off < TESTDEV_LEN; off += PAGE)
		ok &= rd32(m2, off + 4) == 0xc0de0000u + (uint32_t)(off / PAGE);
	CHECK(ok, "a word written on every page through one mapping reads back through the other");
	*(volatile uint8_t *)((char *)m1 + 0x101) = 0x5a;
	*(volatile uint16_t *)((char *)m1 + 0x102) = 0xbeef;
	CHECK(rd32(m2, 0x100) == (0xbeef5a00u | (rd32(m1, 0x100) & 0xff)),
	      "byte and halfword stores land in the right lanes");

	wr32(m1, 0x200, 0x11111111);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (rd32(m1, 0x200) != 0x11111111)
			_exit(2);
		wr32(m2, 0x204, 0x22222222);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a forked child reads the parent's value through its copy (%s)",
	      child_end(status, how, sizeof(how)));
	CHECK(rd32(m1, 0x204) == 0x22222222,
	      "the parent reads the child's write through the other mapping");

	ok = vma_flags(m1, flags, sizeof(flags));
	CHECK(ok, "/proc/self/smaps shows the mapping (VmFlags:%s)", flags);
	CHECK(ok && has_flag(flags, "io") && has_flag(flags, "pf") &&
	      has_flag(flags, "dd") && has_flag(flags, "de") &&
	      has_flag(flags, "sh"),
	      "VmFlags has io pf dd de sh");

	errno = 0;
	p = mremap(m1, TESTDEV_LEN, 2 * TESTDEV_LEN, MREMAP_MAYMOVE);
	CHECK(p == MAP_FAILED, "mremap growth (may move) fails (%s)",
	      strerrorname_np(errno));
	errno = 0;
	p = mremap(m1, TESTDEV_LEN, TESTDEV_LEN + PAGE, 0);
	CHECK(p == MAP_FAILED, "mremap growth in place fails (%s)",
	      strerrorname_np(errno));
	p = mremap(m2, TESTDEV_LEN, TESTDEV_LEN / 2, 0);
	CHECK(p == m2 && rd32(m2, 4) == 0xc0de0000u,
	      "mremap shrinking works and the rest still reads");
	CHECK(umdp_unmap(m2, TESTDEV_LEN / 2) == 0, "munmap of the shrunk mapping");

	/* split: unmap the second page of a 4-page mapping */
	p = map_or_die(dev, phys, 4 * PAGE);
	CHECK(umdp_unmap((char *)p + PAGE, PAGE) == 0, "munmap of one page in the middle");
	CHECK(rd32(p, 4) == 0xc0de0000u && rd32(p, 2 * PAGE + 4) == 0xc0de0002u &&
	      rd32(p, 3 * PAGE + 4) == 0xc0de0003u,
	      "both remaining pieces still map the right pages");
	CHECK(umdp_unmap(p, 4 * PAGE) == 0, "munmap of the pieces");

	/* a mapping moved by mremap keeps mapping the same pages */
	p = map_or_die(dev, phys + PAGE, 2 * PAGE);
	q = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	q = mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		   (char *)q + PAGE);
	CHECK(q != MAP_FAILED && q != p && rd32(q, PAGE + 4) == 0xc0de0002u,
	      "a mapping moved by mremap still maps its pages");
	if (q != MAP_FAILED)
		umdp_unmap(q, 2 * PAGE);

	/* edges and refusals */
	CHECK(umdp_map(dev, phys + TESTDEV_LEN - PAGE, PAGE, 0, &p) == 0 &&
	      rd32(p, 4) == 0xc0de000fu && umdp_unmap(p, PAGE) == 0,
	      "the window's last page maps");
	err = umdp_map(dev, phys + TESTDEV_LEN - PAGE, 2 * PAGE, 0, &p);
	CHECK(err == -EPERM, "a mapping one page past the window is EPERM (%d)", err);
	err = umdp_map(dev, phys - PAGE, 2 * PAGE, 0, &p);
	CHECK(err == -EPERM, "a mapping starting one page below is EPERM (%d)", err);
	err = umdp_map(dev, phys + TESTDEV_LEN, PAGE, 0, &p);
	CHECK(err == -EPERM, "the page right after the window is EPERM (%d)", err);
	err = umdp_map(dev, 0, PAGE, 0, &p);
	CHECK(err == -EPERM, "physical page 0 is EPERM (%d)", err);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, umdp_fd(dev), (off_t)phys);
	CHECK(p == MAP_FAILED && errno == EINVAL, "MAP_PRIVATE is EINVAL (%s)",
	      p == MAP_FAILED ? strerrorname_np(errno) : "mapped");
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, umdp_fd(dev), (off_t)phys);
	CHECK(p == MAP_FAILED && errno == EINVAL, "read-only MAP_PRIVATE is EINVAL too");
	CHECK(umdp_map(dev, phys, PAGE, 1, &p) == -EINVAL, "umdp_map flags != 0 is EINVAL");
	CHECK(umdp_map(dev, phys + 8, PAGE, 0, &p) == -EINVAL, "a misaligned address is EINVAL");
	CHECK(umdp_map(dev, phys, 0, 0, &p) == -EINVAL, "length 0 is EINVAL");

	CHECK(umdp_unmap(m1, TESTDEV_LEN) == 0, "munmap");
	umdp_close(dev);

	/* a read-only descriptor maps read-only and shared */
	{
		char path[128];
		int fd;

		snprintf(path, sizeof(path), UMDP_DEV_DIR "/%s", grant);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		p = fd < 0 ? MAP_FAILED :
		    mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, (off_t)phys);
		CHECK(p != MAP_FAILED && rd32(p, 4) == 0xc0de0000u,
		      "an O_RDONLY fd maps PROT_READ, MAP_SHARED");
		q = fd < 0 ? MAP_FAILED :
		    mmap(NULL, PAGE, PROT_WRITE, MAP_SHARED, fd, (off_t)phys);
		CHECK(q == MAP_FAILED && errno == EACCES,
		      "but not PROT_WRITE (EACCES)");
		if (p != MAP_FAILED)
			munmap(p, PAGE);
		if (fd >= 0)
			close(fd);
	}
}

static void check_edu(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die();
	void *bar = map_or_die(dev, phys, 0x100000);
	uint32_t v;
	int spins;

	v = rd32(bar, 0x00);
	CHECK(v == 0x010000ed, "edu id register reads 0x010000ed (0x%08x)", v);
	wr32(bar, 0x04, 0x12345678);
	v = rd32(bar, 0x04);
	CHECK(v == ~0x12345678u, "liveness register returns ~0x12345678 (0x%08x)", v);
	wr32(bar, 0x04, 0);
	CHECK(rd32(bar, 0x04) == 0xffffffffu, "and ~0 after writing 0");
	for (unsigned int n = 5; n <= 10; n += 5) {
		uint32_t want = n == 5 ? 120 : 3628800;

		wr32(bar, 0x08, n);
		for (spins = 0; (rd32(bar, 0x20) & 1) && spins < 1000000; spins++)
			;
		v = rd32(bar, 0x08);
		CHECK(v == want, "factorial of %u reads %u (%u; %d status polls)",
		      n, want, v, spins);
	}
	CHECK(umdp_unmap(bar, 0x100000) == 0, "munmap of BAR0");
	umdp_close(dev);
}

/* Lines of /sys/kernel/debug/x86/pat_memtype_list naming WC at [s, e). */
static int pat_wc_entries(uint64_t s, uint64_t e)
{
	char line[256], a[40], b[40];
	int n = 0;
	FILE *f = fopen("/sys/kernel/debug/x86/pat_memtype_list", "r");

	if (!f)
		return -1;
	snprintf(a, sizeof(a), "%016" PRIx64, s);
	snprintf(b, sizeof(b), "%016" PRIx64, e);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "write-combining") && strstr(line, a) && strstr(line, b))
			n++;
	fclose(f);
	return n;
}

static void check_wc(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die();
	void *m = map_or_die(dev, phys, TESTDEV_LEN);
	char flags[256] = "";
	pid_t pid;
	int n;

	wr32(m, 0x300, 0x0badcafe);
	CHECK(rd32(m, 0x300) == 0x0badcafe, "a write-combining window round-trips");
	n = pat_wc_entries(phys, phys + TESTDEV_LEN);
	if (n < 0) {
		printf("ok - # skip no PAT memtype list (PAT off or no debugfs)\n");
	} else {
		CHECK(n == 1, "PAT holds one write-combining entry for the mapping (%d)", n);
		fflush(stdout);
		pid = fork();
		if (pid == 0)
			_exit(rd32(m, 0x300) != 0x0badcafe);
		waitpid(pid, NULL, 0);
		CHECK(pat_wc_entries(phys, phys + TESTDEV_LEN) == 1,
		      "still one after a forked child with the mapping exited");
		umdp_unmap(m, TESTDEV_LEN);
		CHECK(pat_wc_entries(phys, phys + TESTDEV_LEN) == 0,
		      "and none after munmap");
		m = map_or_die(dev, phys, TESTDEV_LEN);
	}
	CHECK(vma_flags(m, flags, sizeof(flags)) && has_flag(flags, "io") &&
	      has_flag(flags, "pf"), "VmFlags has io pf (%s)", flags);
	umdp_unmap(m, TESTDEV_LEN);
	umdp_close(dev);
}

static void mode_map(uint64_t phys, size_t len, int private)
{
	struct umdp_dev *dev = open_or_die();
	void *p;
	int err;

	if (private) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			 umdp_fd(dev), (off_t)phys);
		err = p == MAP_FAILED ? -errno : 0;
	} else {
		err = umdp_map(dev, phys, len, 0, &p);
	}
	printf("%s\n", err ? strerrorname_np(-err) : "ok");
	umdp_close(dev);
	exit(err ? 1 : 0);
}

static void wait_line(void)
{
	char line[64];

	printf("ready\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		exit(3);
}

static void check_revoke(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die();
	void *m = map_or_die(dev, phys, TESTDEV_LEN);
	int go[2], ready[2], status, err, sig;
	char how[64], c;
	pid_t pid;

	wr32(m, 0x400, 0xa5a5a5a5);
	if (pipe(go) || pipe(ready))
		exit(1);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* touch before revoke, signal, wait, touch again */
		if (rd32(m, 0x400) != 0xa5a5a5a5)
			_exit(2);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(3);
		(void)rd32(m, 0x400);
		_exit(0);
	}
	if (read(ready[0], &c, 1) != 1)
		exit(1);
	probe_init();
	wait_line();

	if (write(go[1], "g", 1) != 1)
		exit(1);
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS,
	      "a child forked before revoke dies of SIGBUS on its old mapping (%s)",
	      child_end(status, how, sizeof(how)));
	sig = probe_read((char *)m + 0x400);
	CHECK(sig == SIGBUS, "the parent's access after revoke raises SIGBUS (%s)",
	      sig ? sigabbrev_np(sig) : "no signal");
	err = umdp_map(dev, phys, PAGE, 0, &m);
	CHECK(err == -ENODEV, "mmap after revoke is ENODEV (%d)", err);
	err = umdp_unmap(m, TESTDEV_LEN);
	CHECK(err == 0, "munmap after revoke is fine (%d)", err);
	CHECK(close(umdp_fd(dev)) == 0, "close after revoke is fine");
	printf("done\n");
}

static void check_closed(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die(), *again;
	void *m = map_or_die(dev, phys, TESTDEV_LEN);
	int err, sig;

	probe_init();
	umdp_close(dev);
	wr32(m, 0x500, 0x5a5a5a5a);
	CHECK(rd32(m, 0x500) == 0x5a5a5a5a, "the mapping works after the fd is closed");
	err = umdp_open(grant, 0, &again);
	CHECK(err == -EBUSY, "a live mapping keeps the file open: a second open is EBUSY (%d)", err);
	if (!err)
		umdp_close(again);
	wait_line();
	sig = probe_read((char *)m + 0x500);
	CHECK(sig == SIGBUS, "after revoke the access raises SIGBUS (%s)",
	      sig ? sigabbrev_np(sig) : "no signal");
	CHECK(umdp_unmap(m, TESTDEV_LEN) == 0, "munmap after revoke is fine");
	printf("done\n");
}

/* ---- revoke racing with faults ------------------------------------------ */

#define RACERS 3

struct racer {
	pthread_t thread;
	struct umdp_dev *dev;
	uint64_t phys;
	void *last;		/* its mapping when the grant went */
	unsigned long rounds;
	int err;		/* how it noticed: 0 (it did not), -ENODEV, SIGBUS */
};

static atomic_int race_stop, racers_done;

/*
 * Map the window afresh and touch every page, over and over, unmapping the
 * previous mapping only after the next is touched, until revoke shows
 * (mmap ENODEV, or SIGBUS in the middle of a sweep).
 */
static void *racer_main(void *arg)
{
	struct racer *r = arg;
	void *cur = NULL, *next;
	unsigned long off;

	while (!atomic_load(&race_stop)) {
		r->err = umdp_map(r->dev, r->phys, TESTDEV_LEN, 0, &next);
		if (r->err)
			break;
		for (off = 0; off < TESTDEV_LEN; off += PAGE) {
			r->err = probe_read((char *)next + off);
			if (r->err)
				break;
		}
		if (cur)
			umdp_unmap(cur, TESTDEV_LEN);
		cur = next;
		r->rounds++;
		if (r->err)
			break;
	}
	r->last = cur;
	atomic_fetch_add(&racers_done, 1);
	return NULL;
}

static void check_race(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die();
	struct racer r[RACERS];
	unsigned long off;
	int i, live;

	probe_init();
	for (i = 0; i < RACERS; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].dev = dev;
		r[i].phys = phys;
		if (pthread_create(&r[i].thread, NULL, racer_main, &r[i]))
			exit(1);
	}
	wait_line();
	/* they must stop by themselves; race_stop only ends a hang (10 s) */
	for (i = 0; i < 1000 && atomic_load(&racers_done) < RACERS; i++)
		usleep(10000);
	atomic_store(&race_stop, 1);
	for (i = 0; i < RACERS; i++) {
		pthread_join(r[i].thread, NULL);
		CHECK(r[i].err == -ENODEV || r[i].err == SIGBUS,
		      "racer %d noticed the revoke after %lu rounds (%s)", i,
		      r[i].rounds, r[i].err == -ENODEV ? "mmap ENODEV" :
		      r[i].err == SIGBUS ? "SIGBUS mid-sweep" : "not at all");
		live = 0;
		for (off = 0; r[i].last && off < TESTDEV_LEN; off += PAGE)
			live += probe_read((char *)r[i].last + off) != SIGBUS;
		CHECK(r[i].last && !live,
		      "every page of racer %d's last mapping raises SIGBUS (%d reachable)",
		      i, live);
	}
	printf("done\n");
}

static void check_forkexit(uint64_t phys)
{
	struct umdp_dev *dev = open_or_die();
	void *m = map_or_die(dev, phys, TESTDEV_LEN);
	int status, ok = 1, i;
	pid_t pid;

	for (i = 0; i < 20; i++) {
		wr32(m, 0x600, (uint32_t)i);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			if (rd32(m, 0x600) != (uint32_t)i)
				_exit(2);
			wr32(m, 0x604, 0x1000u + (uint32_t)i);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
		      rd32(m, 0x604) == 0x1000u + (uint32_t)i;
	}
	CHECK(ok, "20 children used the mapping and exited; the parent saw each write");
	wr32(m, 0x608, 0x600df00d);
	CHECK(rd32(m, 0x608) == 0x600df00d, "the parent's mapping still works");
	CHECK(umdp_unmap(m, TESTDEV_LEN) == 0, "munmap");
	umdp_close(dev);
	dev = open_or_die();
	CHECK(1, "the grant opens again: nothing left holds the file");
	umdp_close(dev);
}

static uint64_t num(const char *s)
{
	return strtoull(s, NULL, 0);
}

int main(int argc, char **argv)
{
	const char *mode;
	uint64_t phys;

	if (argc < 4) {
		fprintf(stderr, "usage: umdp-mapcheck GRANT MODE PHYS [ARGS]\n");
		return 2;
	}
	grant = argv[1];
	mode = argv[2];
	phys = num(argv[3]);
	if (!strcmp(mode, "testdev")) {
		check_testdev(phys);
	} else if (!strcmp(mode, "edu")) {
		check_edu(phys);
	} else if (!strcmp(mode, "wc")) {
		check_wc(phys);
	} else if (!strcmp(mode, "poke") && argc == 6) {
		struct umdp_dev *dev = open_or_die();
		void *p = map_or_die(dev, phys, PAGE);

		wr32(p, num(argv[4]), (uint32_t)num(argv[5]));
		return 0;
	} else if (!strcmp(mode, "peek") && argc == 5) {
		struct umdp_dev *dev = open_or_die();
		void *p = map_or_die(dev, phys, PAGE);

		printf("0x%08x\n", rd32(p, num(argv[4])));
		return 0;
	} else if (!strcmp(mode, "map") && (argc == 5 || argc == 6)) {
		mode_map(phys, num(argv[4]), argc == 6 && !strcmp(argv[5], "private"));
	} else if (!strcmp(mode, "revoke")) {
		check_revoke(phys);
	} else if (!strcmp(mode, "closed")) {
		check_closed(phys);
	} else if (!strcmp(mode, "race")) {
		check_race(phys);
	} else if (!strcmp(mode, "forkexit")) {
		check_forkexit(phys);
	} else {
		fprintf(stderr, "umdp-mapcheck: bad mode or arguments\n");
		return 2;
	}
	return failures ? 1 : 0;
}
