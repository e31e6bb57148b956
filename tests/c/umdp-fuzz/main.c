// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umdp-fuzz - a bounded, replayable fuzzer of umdp's configfs tree and
 * nodes. Runs only inside the umdp-vm guest (scripts/fuzz boots it).
 *
 *   umdp-fuzz [--seconds N] [--seed S] [--workers N] [--module KO]
 *   umdp-fuzz --dry-run [--seed S] [--ops N] [--workers N]
 *
 *   --seconds N        stop after N seconds (default 60)
 *   --seed S           the run's seed (default: random); printed first
 *   --workers N        worker processes (default 4, at most 16)
 *   --ops N            stop each worker after N operations
 *   --dry-run          print each worker's operations (with --ops, 200 by
 *                      default) and touch nothing: the same seed prints the
 *                      same sequence
 *   --module KO        insmod KO first unless umdp is loaded
 *   --keep-module      do not rmmod umdp at the end
 *   --user NAME        the unprivileged user for opens (default umdp-demo)
 *   --hang-seconds N   an operation running this long is a hang (default 60)
 *   --selftest-report  plant a marked report in the kernel log a third of
 *                      the way in, to prove that a report stops the run
 *
 * Prints the seed first. Watches the kernel log from the start: on a
 * report (KASAN, BUG:, WARNING:, lockdep, UBSAN, ODEBUG, ...) it stops the
 * workers, prints the seed, the report and the last operations of every
 * worker, cleans up and exits 1. At the end it revokes and removes every
 * grant and exe group, unloads umdp, reads the kernel log once more and
 * prints "ops=N reports=N" and the count of each kind of operation.
 * Exit status: 0 only with no report; 1 with one; 2 for a usage or setup
 * error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <pwd.h>

#include "fuzz.h"

#define SELFTEST_TAG	"umdp-fuzz-selftest:"

struct opts opt = {
	.seconds = 60,
	.workers = 4,
	.user = "umdp-demo",
	.hang_seconds = 60,
};
struct value_ctx vctx;
struct shm *shm;

static pid_t workers[MAX_WORKERS];
static bool worker_done[MAX_WORKERS];
static struct kmsg *kmsg;
static unsigned int reports;
static char self_path[4096];
static char user_name[64];

int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void usage(int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f,
		"usage: umdp-fuzz [--seconds N] [--seed S] [--workers N] [--ops N]\n"
		"                 [--module KO] [--keep-module] [--user NAME]\n"
		"                 [--hang-seconds N] [--selftest-report]\n"
		"       umdp-fuzz --dry-run [--seed S] [--ops N] [--workers N]\n");
	exit(status);
}

static uint64_t num(const char *s, const char *what)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end) {
		fprintf(stderr, "umdp-fuzz: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static void parse(int argc, char **argv)
{
	bool seeded = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

#define NEEDS_ARG do { if (!v) usage(2); i++; } while (0)
		if (!strcmp(a, "--seconds")) {
			NEEDS_ARG;
			opt.seconds = (unsigned int)num(v, "seconds");
		} else if (!strcmp(a, "--seed")) {
			NEEDS_ARG;
			opt.seed = num(v, "seed");
			seeded = true;
		} else if (!strcmp(a, "--workers")) {
			NEEDS_ARG;
			opt.workers = (unsigned int)num(v, "workers");
		} else if (!strcmp(a, "--ops")) {
			NEEDS_ARG;
			opt.ops = num(v, "ops");
		} else if (!strcmp(a, "--dry-run")) {
			opt.dry_run = true;
		} else if (!strcmp(a, "--module")) {
			NEEDS_ARG;
			opt.module = v;
		} else if (!strcmp(a, "--keep-module")) {
			opt.keep_module = true;
		} else if (!strcmp(a, "--user")) {
			NEEDS_ARG;
			opt.user = v;
		} else if (!strcmp(a, "--hang-seconds")) {
			NEEDS_ARG;
			opt.hang_seconds = (unsigned int)num(v, "hang-seconds");
		} else if (!strcmp(a, "--selftest-report")) {
			opt.selftest_report = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(0);
		} else {
			usage(2);
		}
#undef NEEDS_ARG
	}
	if (opt.workers < 1 || opt.workers > MAX_WORKERS || !opt.seconds ||
	    !opt.hang_seconds)
		usage(2);
	if (!seeded && getrandom(&opt.seed, sizeof(opt.seed), 0) !=
			       sizeof(opt.seed))
		opt.seed = (uint64_t)now_us() ^ (uint64_t)getpid() << 32;
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int ok = f && fgets(buf, (int)len, f);

	if (f)
		fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/*
 * The guest's edus no driver is bound to (pci grants take them), in
 * address order, and whether an IOMMU translates the first one's DMA.
 */
static void find_edus(void)
{
	struct dirent **list;
	char path[512], v[64];
	int n, i;

	n = scandir("/sys/bus/pci/devices", &list, NULL, alphasort);
	for (i = 0; i < n; i++) {
		const char *d = list[i]->d_name;

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", d);
		if (d[0] != '.' && !read_line(path, v, sizeof(v)) &&
		    !strcmp(v, "0x1234")) {
			snprintf(path, sizeof(path),
				 "/sys/bus/pci/devices/%s/device", d);
			if (!read_line(path, v, sizeof(v)) &&
			    !strcmp(v, "0x11e8") && vctx.nedu < MAX_EDU &&
			    strlen(d) < sizeof(vctx.edu[0])) {
				snprintf(path, sizeof(path),
					 "/sys/bus/pci/devices/%s/driver", d);
				if (access(path, F_OK))
					strcpy(vctx.edu[vctx.nedu++], d);
			}
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	if (vctx.nedu) {
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%s/iommu_group/type", vctx.edu[0]);
		vctx.iommu = !read_line(path, v, sizeof(v)) &&
			     (!strcmp(v, "DMA") || !strcmp(v, "DMA-FQ"));
	}
}

static void setup_ctx(void)
{
	ssize_t n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	struct passwd *pw = getpwnam(opt.user);

	self_path[n > 0 ? n : 0] = '\0';
	snprintf(user_name, sizeof(user_name), "%s", opt.user);
	vctx.self = self_path;
	vctx.user = user_name;
	vctx.uid = pw ? pw->pw_uid : 65534;
}

static int dry_run(void)
{
	uint64_t n = opt.ops ? opt.ops : 200, i;
	unsigned int w;
	char text[RING_TEXT];
	struct rng r;
	struct op op;

	printf("umdp-fuzz: seed=0x%016" PRIx64 " workers=%u dry-run ops=%" PRIu64 "\n",
	       opt.seed, opt.workers, n);
	for (w = 0; w < opt.workers; w++) {
		rng_seed(&r, worker_seed(opt.seed, w));
		for (i = 0; i < n; i++) {
			gen_op(&r, &op);
			op_format(&op, text, sizeof(text));
			printf("w%u #%" PRIu64 " %s\n", w, i, text);
		}
	}
	return 0;
}

/* ---- reports ---- */

static const char *res_text(int res, char *buf, size_t len)
{
	if (res == RES_PENDING)
		return "(in progress)";
	if (res >= RES_NONE)
		return "(nothing to do)";
	if (res >= RES_SIGNAL) {
		snprintf(buf, len, "SIG%s", sigabbrev_np(res - RES_SIGNAL) ?
			 sigabbrev_np(res - RES_SIGNAL) : "?");
		return buf;
	}
	if (res < 0) {
		const char *e = strerrorname_np(-res);

		snprintf(buf, len, "%s", e ? e : "E?");
		return buf;
	}
	snprintf(buf, len, "ok %d", res);
	return buf;
}

static int cmp_seq(const void *a, const void *b)
{
	uint64_t x = (*(struct ring_ent *const *)a)->seq;
	uint64_t y = (*(struct ring_ent *const *)b)->seq;

	return x < y ? -1 : x > y;
}

/* the rings as they were when a hang was seen (NULL: the live ones) */
static struct wshm *ring_snapshot;

static void snapshot_rings(void)
{
	static struct wshm copy[MAX_WORKERS];
	unsigned int w;

	for (w = 0; w < opt.workers; w++)
		memcpy(&copy[w], &shm->w[w], sizeof(copy[w]));
	ring_snapshot = copy;
}

static void print_ring(unsigned int w)
{
	struct wshm *ws = ring_snapshot ? &ring_snapshot[w] : &shm->w[w];
	struct ring_ent *e[RING_SIZE];
	unsigned int i, n = 0;
	char rb[48];

	printf("--- last operations of worker %u (pid %d, %" PRIu64 " operations) ---\n",
	       w, (int)ws->pid, atomic_load(&ws->ops));
	for (i = 0; i < RING_SIZE; i++)
		if (atomic_load(&ws->ring[i].seq))
			e[n++] = &ws->ring[i];
	qsort(e, n, sizeof(e[0]), cmp_seq);
	for (i = 0; i < n; i++)
		printf("  w%u #%" PRIu64 " +%.6fs %s -> %s\n", w, e[i]->opno,
		       (double)e[i]->t_us / 1e6, e[i]->text,
		       res_text(atomic_load(&e[i]->res), rb, sizeof(rb)));
}

static void replay_hint(void)
{
	printf("umdp-fuzz: seed=0x%016" PRIx64 " (replay: umdp-fuzz --seed 0x%016"
	       PRIx64 " --seconds %u --workers %u)\n", opt.seed, opt.seed,
	       opt.seconds, opt.workers);
}

static void signal_workers(int sig)
{
	unsigned int w;

	for (w = 0; w < opt.workers; w++)
		if (workers[w] > 0 && !worker_done[w])
			kill(-workers[w], sig);
}

static void print_file(const char *path, const char *indent)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("%s%s", indent, line);
	fclose(f);
}

/* every process whose parent is @pid, and theirs: their kernel stacks */
static void print_stacks(pid_t pid, int depth)
{
	char path[64], line[256];
	struct dirent *d;
	DIR *proc;

	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	printf("  pid %d wchan: ", (int)pid);
	print_file(path, "");
	printf("\n");
	snprintf(path, sizeof(path), "/proc/%d/stack", (int)pid);
	print_file(path, "    ");
	if (depth > 3 || !(proc = opendir("/proc")))
		return;
	while ((d = readdir(proc))) {
		pid_t child = (pid_t)atoi(d->d_name);
		FILE *f;
		int ppid = 0;

		if (child <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)child);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f)) {
			char *p = strrchr(line, ')');

			if (p)
				sscanf(p + 1, " %*c %d", &ppid);
		}
		fclose(f);
		if (ppid == pid)
			print_stacks(child, depth + 1);
	}
	closedir(proc);
}

static void report_header(const char *what)
{
	reports++;
	printf("\numdp-fuzz: REPORT %u: %s\n", reports, what);
	replay_hint();
}

/* stop everyone where they are (their rings stop moving), then say why */
static void report_begin(const char *what)
{
	signal_workers(SIGSTOP);
	report_header(what);
}

static void report_rings(void)
{
	unsigned int w;

	for (w = 0; w < opt.workers; w++)
		print_ring(w);
	fflush(stdout);
}

static void report_kernel(void)
{
	report_begin("the kernel log has a report");
	/* the rest of the report as the kernel writes it */
	kmsg_collect(kmsg, 1500);
	printf("--- kernel log ---\n");
	kmsg_print_report(kmsg, stdout);
	report_rings();
}

static void report_hang(unsigned int w, const char *why)
{
	char what[160];
	unsigned int i;

	snprintf(what, sizeof(what), "worker %u (pid %d): %s", w,
		 (int)workers[w], why);
	/* the rings as they are now, and the stacks before SIGSTOP, which
	 * would pull sleepers out of them */
	snapshot_rings();
	report_header(what);
	printf("--- kernel stacks of the workers and their children ---\n");
	for (i = 0; i < opt.workers; i++)
		if (!worker_done[i])
			print_stacks(workers[i], 0);
	/* the blocked tasks, as the kernel sees them */
	kmsg_start_report(kmsg);
	{
		int fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);

		if (fd >= 0) {
			if (write(fd, "w", 1) < 0)
				perror("sysrq");
			close(fd);
		}
	}
	kmsg_collect(kmsg, 1500);
	signal_workers(SIGSTOP);
	printf("--- kernel log ---\n");
	kmsg_print_report(kmsg, stdout);
	printf("(the operations as they were when the hang was seen)\n");
	report_rings();
	ring_snapshot = NULL;
}

/* ---- the run ---- */

static void plant_selftest_report(void)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	static const char msg[] =
		SELFTEST_TAG " a report planted by umdp-fuzz --selftest-report (not a kernel bug)\n";

	if (fd < 0 || write(fd, msg, sizeof(msg) - 1) < 0)
		perror("umdp-fuzz: /dev/kmsg");
	if (fd >= 0)
		close(fd);
}

static int spawn_workers(void)
{
	unsigned int w;

	fflush(stdout);
	fflush(stderr);
	for (w = 0; w < opt.workers; w++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("umdp-fuzz: fork");
			return -1;
		}
		if (pid == 0) {
			setpgid(0, 0);
			atomic_store(&shm->w[w].pid, getpid());
			worker_main(w);
		}
		setpgid(pid, pid);
		workers[w] = pid;
		atomic_store(&shm->w[w].pid, pid);
	}
	return 0;
}

static int worker_index(pid_t pid)
{
	unsigned int w;

	for (w = 0; w < opt.workers; w++)
		if (workers[w] == pid)
			return (int)w;
	return -1;
}

/* reap whatever exited; false when a worker died of something */
static bool reap_workers(void)
{
	int status, w;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		w = worker_index(pid);
		if (w < 0)
			continue;	/* an orphaned child of a worker */
		worker_done[w] = true;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		{
			char why[96];

			if (WIFSIGNALED(status))
				snprintf(why, sizeof(why), "died of signal %d (%s)",
					 WTERMSIG(status),
					 strsignal(WTERMSIG(status)));
			else
				snprintf(why, sizeof(why), "exited with status %d",
					 WEXITSTATUS(status));
			/* a kernel report may say why */
			kmsg_collect(kmsg, 500);
			report_begin(why);
			printf("--- kernel log ---\n");
			kmsg_print_report(kmsg, stdout);
			report_rings();
		}
		return false;
	}
	return true;
}

static bool all_done(void)
{
	unsigned int w;

	for (w = 0; w < opt.workers; w++)
		if (!worker_done[w])
			return false;
	return true;
}

static void supervise(void)
{
	int64_t deadline = shm->t0_us + (int64_t)opt.seconds * 1000000;
	int64_t hang = (int64_t)opt.hang_seconds * 1000000;
	int64_t next_progress = shm->t0_us + 10 * 1000000;
	bool planted = false;
	unsigned int w;

	for (;;) {
		int64_t now;

		if (kmsg_poll(kmsg, 100)) {
			report_kernel();
			return;
		}
		if (!reap_workers())
			return;
		if (all_done())
			return;
		now = now_us();
		if (opt.selftest_report && !planted &&
		    now >= shm->t0_us + (int64_t)opt.seconds * 1000000 / 3) {
			plant_selftest_report();
			planted = true;
		}
		for (w = 0; w < opt.workers; w++) {
			int64_t start = atomic_load(&shm->w[w].op_start_us);

			if (worker_done[w])
				continue;
			if (start && now - start > hang) {
				report_hang(w, "one operation has been running for too long");
				return;
			}
			if (now > deadline + hang) {
				report_hang(w, "still running long after the end");
				return;
			}
		}
		if (now >= next_progress) {
			uint64_t ops = 0;

			for (w = 0; w < opt.workers; w++)
				ops += atomic_load(&shm->w[w].ops);
			printf("umdp-fuzz: %" PRId64 " s: %" PRIu64 " operations\n",
			       (now - shm->t0_us) / 1000000, ops);
			fflush(stdout);
			next_progress += 10 * 1000000;
		}
	}
}

/* kill every worker and its children, reap all; false if some won't die */
static bool stop_all(void)
{
	int64_t end = now_us() + 30 * 1000000;
	unsigned int w;
	pid_t pid;

	atomic_store(&shm->stop, 1);
	signal_workers(SIGKILL);
	for (w = 0; w < opt.workers; w++)
		if (workers[w] > 0)
			kill(-workers[w], SIGKILL);
	for (;;) {
		int status;

		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno == ECHILD)
			return true;
		if (pid > 0) {
			int i = worker_index(pid);

			if (i >= 0)
				worker_done[i] = true;
			continue;
		}
		if (now_us() > end)
			break;
		/* orphans of killed workers are ours (subreaper): kill them */
		for (w = 0; w < opt.workers; w++)
			kill(-workers[w], SIGKILL);
		usleep(20000);
	}
	report_begin("processes did not die within 30 s of SIGKILL");
	for (w = 0; w < opt.workers; w++)
		if (!worker_done[w])
			print_stacks(workers[w], 0);
	print_stacks(getpid(), 0);
	report_rings();
	return false;
}

/*
 * Revoke and remove everything, check kmemleak, rmmod: in a child, so
 * that a kernel that hangs there cannot hang the fuzzer.
 */
static void finish(void)
{
	int64_t end;
	pid_t pid;
	int status = 0;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int failed = 0;

		/* lines low while the grants still hold them: nothing pends */
		if (lower_irq_lines(stdout))
			failed |= 8;
		if (cleanup_configfs(stdout))
			failed |= 1;
		if (kmemleak_available()) {
			int leaks;

			printf("umdp-fuzz: kmemleak scan\n");
			fflush(stdout);
			leaks = kmemleak_check(stdout);
			if (leaks) {
				printf("umdp-fuzz: kmemleak: %d suspected leaks\n",
				       leaks);
				failed |= 4;
			}
		}
		if (!opt.keep_module && module_unload(stdout))
			failed |= 2;
		fflush(stdout);
		_exit(failed);
	}
	end = now_us() + 120 * 1000000LL;
	while (pid > 0) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (now_us() > end) {
			report_begin("revoking, removing and unloading everything hangs");
			print_stacks(pid, 0);
			return;
		}
		usleep(50000);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		int st = WIFEXITED(status) ? WEXITSTATUS(status) : 255;

		report_begin(st & 2 ? "umdp could not be unloaded" :
			     st & 4 ? "kmemleak found leaks" :
			     st & 1 ? "grants or exe groups could not be removed" :
			     st & 8 ? "pc-testdev's IRQ lines could not be lowered" :
			     "the cleanup failed");
	}
}

static void summary(void)
{
	uint64_t total = 0, faults = 0, unsafe = 0, irqs = 0, c, ok;
	uint64_t undoc = 0, dma_allocs = 0, dma_frees = 0, dma_maps = 0;
	unsigned int w, k;

	for (w = 0; w < opt.workers; w++) {
		faults += atomic_load(&shm->w[w].faults);
		irqs += atomic_load(&shm->w[w].irq_lines);
		unsafe += atomic_load(&shm->w[w].unsafe);
		undoc += atomic_load(&shm->w[w].undocumented);
		dma_allocs += atomic_load(&shm->w[w].dma_allocs);
		dma_frees += atomic_load(&shm->w[w].dma_frees);
		dma_maps += atomic_load(&shm->w[w].dma_maps);
		for (k = 0; k < OP_NKINDS; k++)
			total += atomic_load(&shm->w[w].count[k]);
	}
	printf("umdp-fuzz: per kind: count, succeeded, most frequent other results\n");
	for (k = 0; k < OP_NKINDS; k++) {
		uint64_t res[RESULTS] = { 0 };
		unsigned int i, j, shown = 0;

		c = ok = 0;
		for (w = 0; w < opt.workers; w++) {
			c += atomic_load(&shm->w[w].count[k]);
			ok += atomic_load(&shm->w[w].ok[k]);
			for (i = 0; i < RESULTS; i++)
				res[i] += atomic_load(&shm->w[w].result[k][i]);
		}
		printf("  %-12s %8" PRIu64 " %8" PRIu64, op_names[k], c, ok);
		/* the three largest error counts */
		for (j = 0; j < 3; j++) {
			unsigned int best = 0;

			for (i = 1; i < RESULTS; i++)
				if (res[i] > res[best] || (best == 0 && res[i]))
					best = i;
			if (!best || !res[best])
				break;
			printf("%s %s %" PRIu64, shown++ ? "," : "  ",
			       best == RESULT_NONE ? "no-target" :
			       best == RESULT_SIG ? "signal" :
			       strerrorname_np((int)best) ?
			       strerrorname_np((int)best) : "E?", res[best]);
			res[best] = 0;
		}
		printf("\n");
	}
	printf("umdp-fuzz: touches that faulted (SIGBUS/SIGSEGV caught): %" PRIu64
	       "; IRQ fetches that found new interrupts: %" PRIu64
	       "; kernel log records lost: %" PRIu64 "\n", faults, irqs,
	       kmsg_lost(kmsg));
	printf("umdp-fuzz: ioctls by argument: issued, succeeded, most frequent errors\n");
	for (k = 0; k < IOC_N; k++) {
		uint64_t e[RESULTS] = { 0 };
		unsigned int i, j;

		c = ok = 0;
		for (w = 0; w < opt.workers; w++) {
			c += atomic_load(&shm->w[w].ioc_count[k]);
			ok += atomic_load(&shm->w[w].ioc_ok[k]);
			for (i = 0; i < RESULTS; i++)
				e[i] += atomic_load(&shm->w[w].ioc_errno[k][i]);
		}
		printf("  %-12s %8" PRIu64 " %8" PRIu64, ioc_names[k], c, ok);
		for (j = 0; j < 3; j++) {
			unsigned int best = 0;

			for (i = 1; i < RESULTS; i++)
				if (e[i] > e[best])
					best = i;
			if (!best || !e[best])
				break;
			printf("%s %s %" PRIu64, j ? "," : "  ",
			       strerrorname_np((int)best) ?
			       strerrorname_np((int)best) : "E?", e[best]);
			e[best] = 0;
		}
		printf("\n");
	}
	printf("umdp-fuzz: DMA buffers allocated (and remembered): %" PRIu64
	       ", freed: %" PRIu64 "; mmaps of DMA buffers that worked: %" PRIu64
	       "\n", dma_allocs, dma_frees, dma_maps);
	if (undoc) {
		printf("umdp-fuzz: %" PRIu64 " PCI/DMA results the uapi does not document\n",
		       undoc);
		reports++;
	}
	if (unsafe) {
		printf("umdp-fuzz: %" PRIu64 " operations refused by the safety check (a bug of the fuzzer)\n",
		       unsafe);
		reports++;
	}
	replay_hint();
	printf("ops=%" PRIu64 " reports=%u\n", total, reports);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	bool clean = true;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse(argc, argv);
	setup_ctx();
	if (opt.dry_run)
		return dry_run();

	printf("umdp-fuzz: seed=0x%016" PRIx64 " workers=%u seconds=%u\n",
	       opt.seed, opt.workers, opt.seconds);
	find_edus();
	if (vctx.nedu)
		printf("umdp-fuzz: grants g5 and g4 may take %s%s%s (pci), %s\n",
		       vctx.edu[0], vctx.nedu > 1 ? " and " : "",
		       vctx.nedu > 1 ? vctx.edu[1] : "",
		       vctx.iommu ? "with DMA buffers (an IOMMU translates)" :
		       "without DMA (no IOMMU: dma needs unsafe)");
	else
		printf("umdp-fuzz: no free edu: no pci grants, the PCI and DMA ioctls see grants without them\n");
	if (getenv("UMDP_IN_GUEST") == NULL ||
	    strcmp(getenv("UMDP_IN_GUEST"), "1")) {
		fprintf(stderr, "umdp-fuzz: refusing to run outside the umdp-vm guest (UMDP_IN_GUEST=1)\n");
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "umdp-fuzz: needs root (configfs, /dev/kmsg)\n");
		return 2;
	}
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	kmsg = kmsg_open();
	if (shm == MAP_FAILED || !kmsg) {
		perror("umdp-fuzz: setup");
		return 2;
	}
	shm->seed = opt.seed;
	if (opt.selftest_report)
		kmsg_add_pattern(SELFTEST_TAG);
	if (kmemleak_available())
		kmemleak_clear();
	if (opt.module && module_load(opt.module))
		return 2;
	if (access(CFS_ROOT, F_OK)) {
		fprintf(stderr, "umdp-fuzz: %s: %s (is umdp loaded?)\n",
			CFS_ROOT, strerror(errno));
		return 2;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);

	shm->t0_us = now_us();
	if (spawn_workers() == 0)
		supervise();
	clean = stop_all();
	if (clean)
		finish();
	/* the kernel log once more: what the cleanup and rmmod provoked */
	kmsg_reset(kmsg);
	kmsg_collect(kmsg, 1000);
	if (kmsg_in_report(kmsg)) {
		report_begin("the kernel log has a report (after the run)");
		printf("--- kernel log ---\n");
		kmsg_print_report(kmsg, stdout);
	}
	summary();
	return reports ? 1 : 0;
}
