// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * worker.c - one worker: draw an operation, log it in the shared ring,
 * run it, log its result; until the time is up.
 *
 * Provisioning goes through configfs like an administrator's mkdir and
 * echo; node use through /dev/umdp/<grant>. Forked children (fork-kill,
 * open-user) run a few node operations of their own, drawn from the
 * parent's operation's sub-seed, and log them into the parent's ring; a
 * fork-kill child is killed with SIGKILL wherever it is.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

/* ---- the shared ring ---- */

void ring_log(struct wstate *ws, const struct op *op, uint64_t opno,
	      struct ring_ent **entp)
{
	struct wshm *w = ws->w;
	uint64_t h = atomic_fetch_add(&w->head, 1);
	struct ring_ent *e = &w->ring[h % RING_SIZE];
	size_t n = 0;

	atomic_store(&e->seq, 0);
	e->opno = opno;
	e->t_us = now_us() - shm->t0_us;
	atomic_store(&e->res, RES_PENDING);
	if (ws->in_child)
		n = (size_t)snprintf(e->text, sizeof(e->text), "[child %d] ",
				     (int)getpid());
	if (n < sizeof(e->text))
		op_format(op, e->text + n, sizeof(e->text) - n);
	atomic_store_explicit(&e->seq, h + 1, memory_order_release);
	*entp = e;
}

void ring_done(struct wstate *ws, struct ring_ent *ent, int res)
{
	if (ws->note[0]) {
		size_t n = strnlen(ent->text, sizeof(ent->text));

		snprintf(ent->text + n, sizeof(ent->text) - n, " (%s)", ws->note);
		ws->note[0] = '\0';
	}
	atomic_store(&ent->res, res);
}

static void count(struct wstate *ws, const struct op *op, int res)
{
	unsigned int r;

	atomic_fetch_add(&ws->w->count[op->kind], 1);
	if (res >= 0 && res < RES_SIGNAL)
		atomic_fetch_add(&ws->w->ok[op->kind], 1);
	if (res >= RES_NONE)
		r = RESULT_NONE;
	else if (res >= RES_SIGNAL)
		r = RESULT_SIG;
	else if (res >= 0)
		r = 0;
	else
		r = -res < RESULT_NONE ? (unsigned int)-res : RESULT_NONE;
	atomic_fetch_add(&ws->w->result[op->kind][r], 1);
}

/* once per worker at most this many lines about undocumented results */
#define UNDOC_LINES	5

int undocumented(struct wstate *ws, const char *what, int res)
{
	uint64_t n = atomic_fetch_add(&ws->w->undocumented, 1);

	snprintf(ws->note, sizeof(ws->note), "UNDOCUMENTED result");
	if (n < UNDOC_LINES) {
		const char *e = res < 0 ? strerrorname_np(-res) : NULL;

		printf("umdp-fuzz: worker %u: %s -> %s (%d): not what the uapi documents\n",
		       ws->id, what, e ? e : res ? "?" : "success", res);
		fflush(stdout);
	}
	return res;
}

/* ---- configfs ---- */

static void exe_dir(const struct op *op, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", CFS_ROOT, exe_name(op->exe));
}

static void grant_dir(const struct op *op, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%s", CFS_ROOT, exe_name(op->exe),
		 grant_name(op->grant));
}

/* one write(2) (or two, or a pwrite at 1) of @v to @file */
static int write_file(const char *file, const char *v, size_t n, unsigned int how)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	ssize_t ret;

	if (fd < 0)
		return -errno;
	if (how == 1 && n > 1) {
		ret = write(fd, v, n / 2);
		if (ret >= 0)
			ret = write(fd, v + n / 2, n - n / 2);
	} else if (how == 2) {
		ret = pwrite(fd, v, n, 1);
	} else {
		ret = write(fd, v, n);
	}
	if (ret < 0)
		ret = -errno;
	close(fd);
	return ret < 0 ? (int)ret : 0;
}

static int write_attr(const struct op *op, unsigned int attr,
		      unsigned int vclass, uint64_t sub, unsigned int how)
{
	static char v[VALUE_MAX];
	char path[512];
	size_t n;

	if (attr == ATTR_PATH)
		snprintf(path, sizeof(path), "%s/%s/path", CFS_ROOT,
			 exe_name(op->exe));
	else
		snprintf(path, sizeof(path), "%s/%s/%s/%s", CFS_ROOT,
			 exe_name(op->exe), grant_name(op->grant),
			 attr_names[attr]);
	n = attr_value(&vctx, attr, vclass, sub, v, sizeof(v));
	return write_file(path, v, n, how);
}

static int write_str(const struct op *op, const char *attr, const char *v)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s/%s/%s", CFS_ROOT,
		 exe_name(op->exe), grant_name(op->grant), attr);
	return write_file(path, v, strlen(v), 0);
}

static int read_file(const char *file, size_t chunk)
{
	char buf[4096];
	int fd = open(file, O_RDONLY | O_CLOEXEC), i;
	ssize_t n = 0, total = 0;

	if (fd < 0)
		return -errno;
	if (chunk > sizeof(buf))
		chunk = sizeof(buf);
	for (i = 0; i < 64; i++) {
		n = read(fd, buf, chunk);
		if (n <= 0)
			break;
		total += n;
	}
	close(fd);
	return n < 0 ? -errno : (int)total;
}

static int read_dir(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -errno;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static int op_read(const struct op *op)
{
	static const char *const sysfs[] = {
		"exe", "path", "ioports", "irqs", "mem", "exclusive",
		"irq_counts", "opened_by",
	};
	char path[512];

	if (op->attr < ATTR_N) {
		if (op->attr == ATTR_PATH)
			snprintf(path, sizeof(path), "%s/%s/path", CFS_ROOT,
				 exe_name(op->exe));
		else
			snprintf(path, sizeof(path), "%s/%s/%s/%s", CFS_ROOT,
				 exe_name(op->exe), grant_name(op->grant),
				 attr_names[op->attr]);
		return read_file(path, (size_t)op->b);
	}
	if (op->attr < 2 * ATTR_N) {
		snprintf(path, sizeof(path), "/sys/class/umdp/%s/%s",
			 grant_name(op->grant), sysfs[op->attr % 8]);
		return read_file(path, (size_t)op->b);
	}
	switch (op->grant % 4) {
	case 0:
		return read_dir(CFS_ROOT);
	case 1:
		exe_dir(op, path, sizeof(path));
		return read_dir(path);
	case 2:
		return read_dir("/dev/umdp");
	default:
		return read_dir("/sys/class/umdp");
	}
}

/*
 * Resources that let the six grants be enabled side by side: provision
 * gives grant g<n> these most of the time, so that nodes exist to be
 * opened while other grants come and go. All from the safe pool.
 */
static const struct {
	const char *ioports, *irqs, *mem;
} home[6] = {
	{ "0xe0-0xe1\n", "3\n", "0xff000000+0x4000\n" },
	{ "0xe2-0xe3\n", "5\n", "0xff004000+0x4000,wc\n" },
	{ "0xe8-0xe9\n", "7\n", "0xff008000+0x4000\n" },
	{ "0xea-0xeb\n", "10\n", "0xff00c000+0x4000\n" },
	{ "0x2003,0x2005\n", "\n", "\n" },
	{ "0x2007,0x200a\n", "\n", "\n" },
};

/*
 * g4 and g5 take an edu too where the guest has one free (g5 the first,
 * g4 the second): its BAR0, its INTx or MSI, and DMA buffers where an
 * IOMMU translates its DMA. The same draws whatever the guest has.
 */
static void provision_pci(const struct op *op, struct rng *r)
{
	static const char *const dma[] = { "64K\n", "1M\n", "8K\n" };
	unsigned int e = op->grant == 5 ? 0 : 1;
	const char *irqs, *size, *bits;
	bool with_dma;

	irqs = rng_chance(r, 50) ? "intx\n" : "msi:1\n";
	with_dma = rng_chance(r, 80);
	size = dma[rng_below(r, 3)];
	bits = rng_chance(r, 70) ? "28\n" : "32\n";
	if (e >= vctx.nedu) {
		write_str(op, "pci", "\n");
		return;
	}
	write_str(op, "pci", vctx.edu[e]);
	/* without an IOMMU, dma and msi:N need unsafe, which is never set */
	if (!vctx.iommu)
		irqs = "intx\n";
	write_str(op, "irqs", irqs);
	write_str(op, "dma_bits", bits);
	write_str(op, "dma", with_dma && vctx.iommu ? size : "0\n");
}

/* mkdir exe, path, mkdir grant, valid attributes, enable */
static int op_provision(const struct op *op)
{
	struct rng r;
	char path[512];
	int ret;

	rng_seed(&r, op->sub);
	exe_dir(op, path, sizeof(path));
	mkdir(path, 0755);
	if (op->variant != 3)
		write_attr(op, ATTR_PATH, V_VALID, rng_next(&r), 0);
	grant_dir(op, path, sizeof(path));
	ret = mkdir(path, 0755) ? -errno : 0;
	if (op->grant < 6 && rng_chance(&r, 70)) {
		write_str(op, "ioports", home[op->grant].ioports);
		write_str(op, "irqs", home[op->grant].irqs);
		write_str(op, "mem", home[op->grant].mem);
		if (op->grant >= 4)
			provision_pci(op, &r);
	} else {
		if (rng_chance(&r, 80))
			write_attr(op, ATTR_IOPORTS, V_VALID, rng_next(&r), 0);
		if (rng_chance(&r, 40))
			write_attr(op, ATTR_IRQS, V_VALID, rng_next(&r), 0);
		if (rng_chance(&r, 40))
			write_attr(op, ATTR_MEM, V_VALID, rng_next(&r), 0);
	}
	if (rng_chance(&r, 60))
		write_str(op, "owner", rng_chance(&r, 80) ? vctx.user : "root");
	if (rng_chance(&r, 30))
		write_str(op, "mode", rng_chance(&r, 50) ? "0600\n" : "0666\n");
	if (rng_chance(&r, 20))
		write_str(op, "exclusive", rng_chance(&r, 50) ? "0\n" : "1\n");
	if (op->variant != 2)
		ret = write_str(op, "enable", "1\n");
	return ret;
}

/* ---- opens and children ---- */

static int open_flags(unsigned int v)
{
	static const int flags[] = {
		O_RDWR, O_RDONLY, O_WRONLY, O_RDWR | O_NONBLOCK,
		O_RDWR | O_CLOEXEC,
	};

	return flags[v % 5];
}

static int node_open(const struct op *op)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/dev/umdp/%s", grant_name(op->grant));
	fd = open(path, open_flags(op->variant));
	return fd < 0 ? -errno : fd;
}

void run_child_ops(struct wstate *ws, uint64_t sub, unsigned int n)
{
	struct ring_ent *ent;
	struct rng r;
	struct op op;
	unsigned int i;
	int res;

	rng_seed(&r, sub);
	for (i = 0; i < n; i++) {
		gen_node_op(&r, &op, true);
		ring_log(ws, &op, i, &ent);
		res = exec_node_op(ws, &op);
		ring_done(ws, ent, res);
		count(ws, &op, res);
	}
}

static void sleep_us(uint64_t us)
{
	struct timespec ts = {
		.tv_sec = (time_t)(us / 1000000),
		.tv_nsec = (long)(us % 1000000) * 1000,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* wait for @pid up to @ms, then SIGKILL it; the result of the child */
static int reap(pid_t pid, unsigned int ms)
{
	int64_t end = now_us() + (int64_t)ms * 1000;
	int status = 0;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			break;
		/* by the clock: a loaded guest makes each sleep much longer */
		if (now_us() >= end) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		sleep_us(1000);
	}
	if (WIFSIGNALED(status))
		return RES_SIGNAL + WTERMSIG(status);
	return -WEXITSTATUS(status);
}

static void child_setup(struct wstate *ws)
{
	ws->in_child = true;
	/* a child of a dying worker must not outlive it for long */
	alarm(10);
}

static int op_fork_kill(struct wstate *ws, const struct op *op)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		child_setup(ws);
		run_child_ops(ws, op->sub, (unsigned int)op->a);
		_exit(0);
	}
	if (op->variant)
		return reap(pid, 1000);
	sleep_us(op->b);
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		return RES_SIGNAL + WTERMSIG(status);
	return -WEXITSTATUS(status);
}

/* open as the unprivileged user, then a few node operations */
static int op_open_user(struct wstate *ws, const struct op *op)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		struct ring_ent *ent;
		int fd, s = op->slot % NSLOT;

		child_setup(ws);
		if (setgroups(0, NULL) || setresgid(ws->gid, ws->gid, ws->gid) ||
		    setresuid(ws->uid, ws->uid, ws->uid))
			_exit(126);
		ring_log(ws, op, 0, &ent);
		fd = node_open(op);
		ring_done(ws, ent, fd < 0 ? fd : 0);
		if (fd < 0)
			_exit(-fd & 0x7f);
		if (ws->fd[s] >= 0)
			close(ws->fd[s]);
		ws->fd[s] = fd;
		dma_forget(ws, s);
		learn_grant(ws, s);
		run_child_ops(ws, op->sub, (unsigned int)op->a);
		_exit(0);
	}
	return reap(pid, 300);
}

int exec_op(struct wstate *ws, const struct op *op)
{
	char path[512];
	int s = op->slot % NSLOT, fd;

	switch (op->kind) {
	case OP_MKDIR_EXE: {
		int ret;

		exe_dir(op, path, sizeof(path));
		ret = mkdir(path, 0755) ? -errno : 0;
		if (op->variant)
			write_attr(op, ATTR_PATH, V_VALID, op->sub, 0);
		return ret;
	}
	case OP_RMDIR_EXE:
		exe_dir(op, path, sizeof(path));
		return rmdir(path) ? -errno : 0;
	case OP_MKDIR_GRANT:
		grant_dir(op, path, sizeof(path));
		return mkdir(path, 0755) ? -errno : 0;
	case OP_RMDIR_GRANT:
		if (op->variant) {
			struct op o = *op;
			int ret = -ENOENT;

			for (o.exe = 0; o.exe < NEXE; o.exe++) {
				grant_dir(&o, path, sizeof(path));
				if (rmdir(path) == 0)
					ret = 0;
				else if (errno != ENOENT)
					ret = -errno;
			}
			return ret;
		}
		grant_dir(op, path, sizeof(path));
		return rmdir(path) ? -errno : 0;
	case OP_PROVISION:
		return op_provision(op);
	case OP_PATH:
	case OP_ATTR:
		return write_attr(op, op->attr, op->variant, op->sub,
				  (unsigned int)op->c);
	case OP_READ:
		return op_read(op);
	case OP_ENABLE:
		return write_str(op, "enable", "1\n");
	case OP_REVOKE:
		return write_str(op, "enable", "0\n");
	case OP_OPEN:
		if (ws->fd[s] >= 0) {
			close(ws->fd[s]);
			ws->fd[s] = -1;
			ws->held[s].nports = ws->held[s].nmem = 0;
		}
		dma_forget(ws, s);
		fd = node_open(op);
		if (fd < 0)
			return fd;
		ws->fd[s] = fd;
		learn_grant(ws, s);
		return 0;
	case OP_OPEN_USER:
		return op_open_user(ws, op);
	case OP_FORK_KILL:
		return op_fork_kill(ws, op);
	default:
		return exec_node_op(ws, op);
	}
}

static void user_ids(struct wstate *ws)
{
	struct passwd *pw = getpwnam(opt.user);

	if (!pw)
		pw = getpwnam("nobody");
	ws->uid = pw ? pw->pw_uid : 65534;
	ws->gid = pw ? pw->pw_gid : 65534;
}

void worker_main(unsigned int id)
{
	struct wstate ws;
	struct ring_ent *ent;
	struct rng r;
	struct op op;
	int64_t deadline;
	uint64_t opno;
	unsigned int i;
	int res;

	memset(&ws, 0, sizeof(ws));
	ws.id = id;
	ws.w = &shm->w[id];
	for (i = 0; i < NSLOT; i++)
		ws.fd[i] = -1;
	ws.epfd = epoll_create1(EPOLL_CLOEXEC);
	ws.portfd = open("/dev/port", O_RDWR | O_CLOEXEC);
	user_ids(&ws);
	bufs_init();
	fault_handlers_init();
	signal(SIGPIPE, SIG_IGN);
	/* the supervisor, which reads the kernel log, goes first */
	setpriority(PRIO_PROCESS, 0, 5);

	rng_seed(&r, worker_seed(opt.seed, id));
	deadline = shm->t0_us + (int64_t)opt.seconds * 1000000;
	for (opno = 0; !atomic_load(&shm->stop); opno++) {
		if (opt.ops && opno >= opt.ops)
			break;
		if (now_us() >= deadline)
			break;
		gen_op(&r, &op);
		ring_log(&ws, &op, opno, &ent);
		atomic_store(&ws.w->op_start_us, now_us());
		res = exec_op(&ws, &op);
		atomic_store(&ws.w->op_start_us, 0);
		ring_done(&ws, ent, res);
		count(&ws, &op, res);
		atomic_fetch_add(&ws.w->ops, 1);
	}
	_exit(0);
}
