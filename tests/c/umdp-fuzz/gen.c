// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gen.c - the PRNG and the operations it draws.
 *
 * Everything here is a pure function of the PRNG state: no system call,
 * no result of an earlier operation. That is what makes a run replayable
 * (the same seed gives each worker the same sequence) and what
 * `umdp-fuzz --dry-run` prints.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

/* ---- PRNG: splitmix64 ---- */

uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed)
{
	r->s = seed;
	(void)splitmix64(&r->s);
}

uint64_t rng_next(struct rng *r)
{
	return splitmix64(&r->s);
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	return n ? rng_next(r) % n : 0;
}

bool rng_chance(struct rng *r, unsigned int percent)
{
	return rng_below(r, 100) < percent;
}

uint64_t worker_seed(uint64_t seed, unsigned int worker)
{
	uint64_t s = seed ^ (0x51ed27a3ULL * (worker + 1));

	return splitmix64(&s);
}

/* ---- names ---- */

const char *const op_names[OP_NKINDS] = {
	[OP_MKDIR_EXE] = "mkdir-exe",
	[OP_RMDIR_EXE] = "rmdir-exe",
	[OP_MKDIR_GRANT] = "mkdir-grant",
	[OP_RMDIR_GRANT] = "rmdir-grant",
	[OP_PROVISION] = "provision",
	[OP_PATH] = "path",
	[OP_ATTR] = "attr",
	[OP_READ] = "read",
	[OP_ENABLE] = "enable",
	[OP_REVOKE] = "revoke",
	[OP_OPEN] = "open",
	[OP_OPEN_USER] = "open-user",
	[OP_CLOSE] = "close",
	[OP_DUP] = "dup",
	[OP_PREAD] = "pread",
	[OP_PWRITE] = "pwrite",
	[OP_IOCTL] = "ioctl",
	[OP_MMAP] = "mmap",
	[OP_TOUCH] = "touch",
	[OP_MUNMAP] = "munmap",
	[OP_MREMAP] = "mremap",
	[OP_MPROTECT] = "mprotect",
	[OP_POLL] = "poll",
	[OP_EPOLL] = "epoll",
	[OP_RAISE] = "raise-irq",
	[OP_FORK_KILL] = "fork-kill",
};

const char *const attr_names[ATTR_N] = {
	[ATTR_IOPORTS] = "ioports",
	[ATTR_IRQS] = "irqs",
	[ATTR_MEM] = "mem",
	[ATTR_OWNER] = "owner",
	[ATTR_GROUP] = "group",
	[ATTR_MODE] = "mode",
	[ATTR_EXCLUSIVE] = "exclusive",
	[ATTR_ENABLE] = "enable",
	[ATTR_LAST_ERROR] = "last_error",
	[ATTR_PCI] = "pci",
	[ATTR_DMA] = "dma",
	[ATTR_DMA_BITS] = "dma_bits",
	[ATTR_PATH] = "path",
};

const char *const vclass_names[V_NCLASS] = {
	[V_VALID] = "valid",
	[V_EMPTY] = "empty",
	[V_MARKER] = "marker",
	[V_GARBAGE] = "garbage",
	[V_NUL] = "nul",
	[V_OVERLONG] = "overlong",
	[V_REVERSED] = "reversed",
	[V_HUGE] = "huge",
	[V_SIGN] = "sign",
	[V_EMPTY_ITEM] = "empty-item",
	[V_NEWLINES] = "newlines",
	[V_BLANK] = "blank",
	[V_UNALIGNED] = "unaligned",
	[V_ZERO_LEN] = "zero-len",
};

const char *const ioc_names[IOC_N] = {
	[IOC_VERSION] = "VERSION",
	[IOC_BATCH] = "BATCH",
	[IOC_STRING] = "STRING",
	[IOC_INFO] = "INFO",
	[IOC_IRQ_FETCH] = "IRQ_FETCH",
	[IOC_IRQ_WAIT] = "IRQ_WAIT",
	[IOC_IRQ_UNMASK] = "IRQ_UNMASK",
	[IOC_PCI_INFO] = "PCI_INFO",
	[IOC_PCI_CONFIG] = "PCI_CONFIG",
	[IOC_DMA_ALLOC] = "DMA_ALLOC",
	[IOC_DMA_FREE] = "DMA_FREE",
	[IOC_UNKNOWN] = "unknown",
	[IOC_GENERIC] = "generic",
};

const char *const buf_names[BUF_N] = {
	[BUF_GOOD] = "good",
	[BUF_NULL] = "null",
	[BUF_UNMAPPED] = "unmapped",
	[BUF_KERNEL] = "kernel",
	[BUF_NONCANON] = "noncanonical",
	[BUF_READONLY] = "readonly",
	[BUF_GUARD] = "guard",
	[BUF_MISALIGNED] = "misaligned",
	[BUF_UMDP_MAP] = "umdp-map",
};

static const char *const exe_names[NEXE] = {
	"fz0", "fz1", "fz2",
	"fz3-a-rather-long-exe-group-name-that-is-still-fine-for-configfs-"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};

/* the last two: the longest valid grant name, and an invalid one */
static const char *const grant_names[NGRANT] = {
	"g0", "g1", "g2", "g3", "g4", "g5",
	"g6-is-31-characters-long.xxxxxx",
	"g7-is-32-characters-long.xxxxxxx",
};

const char *exe_name(unsigned int exe)
{
	return exe_names[exe % NEXE];
}

const char *grant_name(unsigned int grant)
{
	return grant_names[grant % NGRANT];
}

/* ---- drawing ---- */

struct weight {
	enum op_kind kind;
	unsigned int w;
};

static const struct weight weights[] = {
	{ OP_MKDIR_EXE, 8 },	{ OP_RMDIR_EXE, 5 },
	{ OP_MKDIR_GRANT, 25 },	{ OP_RMDIR_GRANT, 12 },
	{ OP_PROVISION, 30 },	{ OP_PATH, 12 },
	{ OP_ATTR, 60 },	{ OP_READ, 25 },
	{ OP_ENABLE, 50 },	{ OP_REVOKE, 20 },
	{ OP_OPEN, 100 },	{ OP_OPEN_USER, 12 },
	{ OP_CLOSE, 20 },	{ OP_DUP, 8 },
	{ OP_PREAD, 80 },	{ OP_PWRITE, 80 },
	{ OP_IOCTL, 130 },	{ OP_MMAP, 40 },
	{ OP_TOUCH, 60 },	{ OP_MUNMAP, 12 },
	{ OP_MREMAP, 8 },	{ OP_MPROTECT, 8 },
	{ OP_POLL, 25 },	{ OP_EPOLL, 25 },
	{ OP_RAISE, 30 },	{ OP_FORK_KILL, 14 },
};

/* node operations only: what a forked child does with inherited files */
static const struct weight node_weights[] = {
	{ OP_PREAD, 60 },	{ OP_PWRITE, 60 },
	{ OP_IOCTL, 100 },	{ OP_MMAP, 25 },
	{ OP_TOUCH, 60 },	{ OP_MUNMAP, 8 },
	{ OP_MREMAP, 5 },	{ OP_MPROTECT, 5 },
	{ OP_POLL, 25 },	{ OP_EPOLL, 15 },
	{ OP_CLOSE, 10 },	{ OP_DUP, 5 },
	{ OP_RAISE, 20 },
};

static enum op_kind pick(struct rng *r, const struct weight *w, size_t n)
{
	unsigned int total = 0, x;
	size_t i;

	for (i = 0; i < n; i++)
		total += w[i].w;
	x = (unsigned int)rng_below(r, total);
	for (i = 0; i < n; i++) {
		if (x < w[i].w)
			return w[i].kind;
		x -= w[i].w;
	}
	return w[n - 1].kind;
}

/*
 * A grant, nearly always under its home exe group (grant % 3): grant names
 * are unique across groups, so a grant made under another group stays in
 * the way of its home group until removed there. Only mkdir-grant tries
 * other groups (EEXIST, or a misplaced grant), and rmdir-grant removes a
 * name from every group now and then.
 */
static void pick_grant(struct rng *r, struct op *op)
{
	op->grant = rng_chance(r, 94) ? (unsigned int)rng_below(r, 6) :
					(unsigned int)(6 + rng_below(r, 2));
	op->exe = op->grant % 3;
	if (op->kind == OP_MKDIR_GRANT && rng_chance(r, 10))
		op->exe = (unsigned int)rng_below(r, NEXE);
}

/* open(2) flags, as an index printed by op_format */
static const char *const open_flag_names[] = {
	"rdwr", "rdonly", "wronly", "rdwr|nonblock", "rdwr|cloexec",
};

static void gen_node_args(struct rng *r, struct op *op)
{
	op->slot = (unsigned int)rng_below(r, NSLOT);
	op->slot2 = (unsigned int)rng_below(r, NSLOT);
	op->sub = rng_next(r);

	switch (op->kind) {
	case OP_PREAD:
	case OP_PWRITE:
		op->b = gen_io_size(r);
		op->a = gen_port(r, op->b, op->kind == OP_PWRITE);
		op->variant = rng_chance(r, 88) ? BUF_GOOD :
			      (unsigned int)rng_below(r, BUF_N);
		/* 0: pread/pwrite, 1: preadv/pwritev */
		op->attr = rng_chance(r, 85) ? 0 : 1;
		op->c = rng_next(r);
		break;
	case OP_IOCTL: {
		static const unsigned int iw[IOC_N] = {
			[IOC_VERSION] = 8, [IOC_BATCH] = 25,
			[IOC_STRING] = 20, [IOC_INFO] = 12,
			[IOC_IRQ_FETCH] = 12, [IOC_IRQ_WAIT] = 8,
			[IOC_IRQ_UNMASK] = 8, [IOC_PCI_INFO] = 5,
			[IOC_PCI_CONFIG] = 10, [IOC_DMA_ALLOC] = 10,
			[IOC_DMA_FREE] = 8, [IOC_UNKNOWN] = 5,
			[IOC_GENERIC] = 2,
		};
		unsigned int total = 0, x, i;

		for (i = 0; i < IOC_N; i++)
			total += iw[i];
		x = (unsigned int)rng_below(r, total);
		for (i = 0; i < IOC_N - 1 && x >= iw[i]; i++)
			x -= iw[i];
		op->attr = i;
		op->variant = rng_chance(r, 88) ? BUF_GOOD :
			      (unsigned int)rng_below(r, BUF_N);
		break;
	}
	case OP_MMAP:
		gen_map_range(r, &op->a, &op->b);
		/* c: prot/flags choice */
		op->c = rng_below(r, 100);
		break;
	case OP_TOUCH:
		op->a = rng_next(r);
		op->b = 1 + rng_below(r, rng_chance(r, 80) ? 8 : 256);
		break;
	case OP_MUNMAP:
	case OP_MREMAP:
	case OP_MPROTECT:
		op->variant = (unsigned int)rng_below(r, 4);
		op->a = rng_below(r, 17);
		op->c = rng_below(r, 4);
		break;
	case OP_POLL:
		op->a = 1 + rng_below(r, 3);
		op->b = op->child && rng_chance(r, 50) ? (uint64_t)-1 :
			rng_below(r, 21);
		op->c = rng_below(r, 8);
		break;
	case OP_EPOLL:
		op->variant = (unsigned int)rng_below(r, 4);
		op->a = op->child && rng_chance(r, 30) ? (uint64_t)-1 :
			rng_below(r, 11);
		op->c = rng_next(r);
		break;
	case OP_RAISE: {
		static const unsigned int lines[] = { 3, 5, 7, 10 };

		op->a = lines[rng_below(r, 4)];
		op->b = 1 + rng_below(r, rng_chance(r, 80) ? 2 : 16);
		break;
	}
	default:
		break;
	}
}

void gen_node_op(struct rng *r, struct op *op, bool child)
{
	memset(op, 0, sizeof(*op));
	op->child = child;
	op->kind = pick(r, node_weights,
			sizeof(node_weights) / sizeof(node_weights[0]));
	gen_node_args(r, op);
}

void gen_op(struct rng *r, struct op *op)
{
	memset(op, 0, sizeof(*op));
	op->kind = pick(r, weights, sizeof(weights) / sizeof(weights[0]));
	pick_grant(r, op);
	if (op->kind == OP_MKDIR_EXE || op->kind == OP_RMDIR_EXE)
		op->exe = (unsigned int)rng_below(r, NEXE);
	op->sub = rng_next(r);

	switch (op->kind) {
	case OP_MKDIR_EXE:
		op->variant = rng_chance(r, 70);	/* also write our path */
		break;
	case OP_RMDIR_GRANT:
		op->variant = rng_chance(r, 40);	/* from every group */
		break;
	case OP_PROVISION:
		op->variant = (unsigned int)rng_below(r, 4);
		break;
	case OP_PATH:
		op->attr = ATTR_PATH;
		op->variant = gen_vclass(r, ATTR_PATH);
		break;
	case OP_ATTR:
		op->attr = (unsigned int)rng_below(r, ATTR_PATH);
		if (op->attr == ATTR_LAST_ERROR && rng_chance(r, 70))
			op->attr = ATTR_IOPORTS;
		op->variant = gen_vclass(r, op->attr);
		/* 0: one write; 1: split in two writes; 2: pwrite at 1 */
		op->c = rng_chance(r, 90) ? 0 : 1 + rng_below(r, 2);
		break;
	case OP_READ:
		/* 0..ATTR_N-1: configfs; +ATTR_N: sysfs; 2*ATTR_N: readdirs */
		op->attr = (unsigned int)rng_below(r, 2 * ATTR_N + 1);
		op->b = rng_chance(r, 80) ? 4096 : 1 + rng_below(r, 16);
		break;
	case OP_OPEN:
	case OP_OPEN_USER:
		op->slot = (unsigned int)rng_below(r, NSLOT);
		op->variant = rng_chance(r, 75) ? 0 :
			      (unsigned int)rng_below(r, 5);
		op->a = 1 + rng_below(r, 10);	/* child ops (user) */
		break;
	case OP_CLOSE:
	case OP_DUP:
		op->slot = (unsigned int)rng_below(r, NSLOT);
		op->slot2 = (unsigned int)rng_below(r, NSLOT);
		break;
	case OP_FORK_KILL:
		op->a = 1 + rng_below(r, 12);		/* child ops */
		op->b = rng_below(r, 4000);		/* µs before the kill */
		op->variant = rng_chance(r, 80) ? 0 : 1; /* 1: let it finish */
		break;
	default:
		if (op->kind >= OP_PREAD)
			gen_node_args(r, op);
		break;
	}
}

/* ---- printing ---- */

static size_t value_preview(const struct op *op, char *buf, size_t len)
{
	char v[VALUE_MAX];
	size_t n, i, o = 0;

	n = attr_value(&vctx, op->attr, op->variant, op->sub, v, sizeof(v));
	if (len < 8)
		return 0;
	buf[o++] = '"';
	for (i = 0; i < n && i < 40 && o + 6 < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '\n')
			o += (size_t)snprintf(buf + o, len - o, "\\n");
		else if (c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, len - o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	o += (size_t)snprintf(buf + o, len - o, "\"%s(%zu)", i < n ? "..." : "",
			      n);
	return o;
}

size_t op_format(const struct op *op, char *buf, size_t len)
{
	const char *name = op_names[op->kind];
	char val[96];
	int n = 0;

	switch (op->kind) {
	case OP_MKDIR_EXE:
	case OP_RMDIR_EXE:
		n = snprintf(buf, len, "%s %s%s", name, exe_name(op->exe),
			     op->kind == OP_MKDIR_EXE && op->variant ? " +path" : "");
		break;
	case OP_RMDIR_GRANT:
		if (op->variant) {
			n = snprintf(buf, len, "%s */%s", name,
				     grant_name(op->grant));
			break;
		}
		/* fall through */
	case OP_MKDIR_GRANT:
	case OP_ENABLE:
	case OP_REVOKE:
		n = snprintf(buf, len, "%s %s/%s", name, exe_name(op->exe),
			     grant_name(op->grant));
		break;
	case OP_PROVISION:
		n = snprintf(buf, len, "%s %s/%s v%u sub=%016" PRIx64, name,
			     exe_name(op->exe), grant_name(op->grant),
			     op->variant, op->sub);
		break;
	case OP_PATH:
	case OP_ATTR:
		value_preview(op, val, sizeof(val));
		if (op->kind == OP_PATH)
			n = snprintf(buf, len, "%s %s %s %s", name,
				     exe_name(op->exe),
				     vclass_names[op->variant], val);
		else
			n = snprintf(buf, len, "%s %s/%s/%s %s%s %s", name,
				     exe_name(op->exe), grant_name(op->grant),
				     attr_names[op->attr],
				     vclass_names[op->variant],
				     op->c == 1 ? " split" :
				     op->c == 2 ? " pwrite@1" : "", val);
		break;
	case OP_READ:
		n = snprintf(buf, len, "%s %s %s/%s n=%" PRIu64, name,
			     op->attr < ATTR_N ? "configfs" :
			     op->attr < 2 * ATTR_N ? "sysfs" : "readdir",
			     exe_name(op->exe), op->attr < 2 * ATTR_N ?
			     attr_names[op->attr % ATTR_N] : "*", op->b);
		break;
	case OP_OPEN:
	case OP_OPEN_USER:
		n = snprintf(buf, len, "%s slot%u /dev/umdp/%s %s", name,
			     op->slot, grant_name(op->grant),
			     open_flag_names[op->variant]);
		if (op->kind == OP_OPEN_USER && n > 0 && (size_t)n < len)
			n += snprintf(buf + n, len - (size_t)n,
				      " ops=%" PRIu64 " sub=%016" PRIx64,
				      op->a, op->sub);
		break;
	case OP_CLOSE:
		n = snprintf(buf, len, "%s slot%u", name, op->slot);
		break;
	case OP_DUP:
		n = snprintf(buf, len, "%s slot%u -> slot%u", name, op->slot,
			     op->slot2);
		break;
	case OP_PREAD:
	case OP_PWRITE:
		n = snprintf(buf, len, "%s%s slot%u port=0x%" PRIx64
			     " size=%" PRIu64 " buf=%s val=0x%08" PRIx64, name,
			     op->attr == 1 ? "v" : "",
			     op->slot, op->a, op->b, buf_names[op->variant],
			     op->c & 0xffffffff);
		break;
	case OP_IOCTL:
		n = snprintf(buf, len, "%s slot%u %s arg=%s sub=%016" PRIx64,
			     name, op->slot, ioc_names[op->attr],
			     buf_names[op->variant], op->sub);
		break;
	case OP_MMAP:
		n = snprintf(buf, len, "%s map%u slot%u off=0x%" PRIx64
			     " len=0x%" PRIx64 " mode=%" PRIu64, name,
			     op->slot2, op->slot, op->a, op->b, op->c);
		break;
	case OP_TOUCH:
		n = snprintf(buf, len, "%s map%u n=%" PRIu64 " at=%016" PRIx64,
			     name, op->slot2, op->b, op->a);
		break;
	case OP_MUNMAP:
	case OP_MREMAP:
	case OP_MPROTECT:
		n = snprintf(buf, len, "%s map%u how=%u pages=%" PRIu64
			     " prot=%" PRIu64, name, op->slot2, op->variant,
			     op->a, op->c);
		break;
	case OP_POLL:
		n = snprintf(buf, len, "%s slot%u+%" PRIu64 " timeout=%d ev=%" PRIu64,
			     name, op->slot, op->a, (int)op->b, op->c);
		break;
	case OP_EPOLL:
		n = snprintf(buf, len, "%s %s slot%u timeout=%d", name,
			     op->variant == 0 ? "add" : op->variant == 1 ? "del" :
			     op->variant == 2 ? "mod" : "wait", op->slot,
			     (int)op->a);
		break;
	case OP_RAISE:
		n = snprintf(buf, len, "%s %" PRIu64 " x%" PRIu64, name, op->a,
			     op->b);
		break;
	case OP_FORK_KILL:
		n = snprintf(buf, len, "%s ops=%" PRIu64 " %s after=%" PRIu64
			     "us sub=%016" PRIx64, name, op->a,
			     op->variant ? "wait" : "kill", op->b, op->sub);
		break;
	case OP_NKINDS:
		break;
	}
	if (n < 0)
		n = 0;
	if ((size_t)n >= len)
		n = (int)len - 1;
	return (size_t)n;
}
