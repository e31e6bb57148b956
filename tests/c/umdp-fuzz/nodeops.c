// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nodeops.c - what a worker (or its forked child) does with open nodes:
 * port I/O, mappings and their touches, poll and epoll, raising IRQs.
 *
 * Every port span and touched physical address is checked against safe.c
 * once more right before the system call; a refusal there is a bug of the
 * fuzzer and is counted and reported.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/umdp.h>

#include "fuzz.h"

#define PAGE 4096UL

/*
 * @slot if it holds an open node, else the next slot that does, else -1:
 * a worker rarely holds many nodes open (one opener per node), and an
 * operation on an empty slot would test nothing.
 */
int pick_slot(const struct wstate *ws, unsigned int slot)
{
	unsigned int i;

	for (i = 0; i < NSLOT; i++)
		if (ws->fd[(slot + i) % NSLOT] >= 0)
			return (int)((slot + i) % NSLOT);
	return -1;
}

/*
 * Mostly (80%) the first open slot from @slot whose grant has "pci" (and
 * "dma" when @dma), so that the PCI and DMA ioctls reach the grants that
 * answer them; else, or when none has, pick_slot().
 */
int pick_pci_slot(const struct wstate *ws, unsigned int slot, bool dma,
		  uint64_t pick)
{
	unsigned int i;

	if (pick % 100 < 80)
		for (i = 0; i < NSLOT; i++) {
			unsigned int s = (slot + i) % NSLOT;

			if (ws->fd[s] >= 0 && ws->held[s].pci &&
			    (!dma || ws->held[s].dma_max))
				return (int)s;
		}
	return pick_slot(ws, slot);
}

/* what the node open in @slot holds: its port ranges and windows */
void learn_grant(struct wstate *ws, int slot)
{
	struct umdp_info_ports ports[4];
	struct umdp_info_mem mem[4];
	struct umdp_grant_info info;
	struct umdp_pci_info pci;
	unsigned int i;

	ws->held[slot].nports = ws->held[slot].nmem = 0;
	ws->held[slot].pci = false;
	ws->held[slot].dma_max = 0;
	memset(&pci, 0, sizeof(pci));
	pci.argsz = sizeof(pci);
	if (!ioctl(ws->fd[slot], UMDP_IOC_PCI_INFO, &pci)) {
		ws->held[slot].pci = true;
		ws->held[slot].dma_max = pci.dma_max;
	}
	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	info.nr_ioports = 4;
	info.nr_mem = 4;
	info.ioports = (uint64_t)(uintptr_t)ports;
	info.mem = (uint64_t)(uintptr_t)mem;
	if (ioctl(ws->fd[slot], UMDP_IOC_INFO, &info))
		return;
	for (i = 0; i < info.nr_ioports && i < 4; i++) {
		ws->held[slot].port[i][0] = ports[i].start;
		ws->held[slot].port[i][1] = ports[i].len;
	}
	ws->held[slot].nports = i;
	for (i = 0; i < info.nr_mem && i < 4; i++) {
		ws->held[slot].mem[i][0] = mem[i].start;
		ws->held[slot].mem[i][1] = mem[i].len;
	}
	ws->held[slot].nmem = i;
}

/*
 * Mostly, a port in or next to one of the grant's ranges: from one below
 * its start to one past its end, the edges included. Only where that span
 * is safe; else the generated @port.
 */
uint64_t aim_port(struct wstate *ws, int slot, uint64_t port, uint64_t size,
		  bool write, uint64_t pick)
{
	const uint32_t *r;
	uint64_t p;

	if (slot < 0 || !ws->held[slot].nports || pick % 100 >= 70)
		return port;
	r = ws->held[slot].port[(pick >> 8) % ws->held[slot].nports];
	p = (uint64_t)r[0] + (pick >> 16) % (r[1] + 2) - 1;
	if (!port_span_safe(p, size, write))
		return port;
	return p;
}

/* the same for mappings: the index of one, or -1 */
static int pick_map(const struct wstate *ws, unsigned int slot)
{
	unsigned int i;

	for (i = 0; i < NMAP; i++)
		if (ws->map[(slot + i) % NMAP].addr)
			return (int)((slot + i) % NMAP);
	return -1;
}

static int neg_errno(long ret)
{
	return ret < 0 ? -errno : (int)(ret > 0x7fffffff ? 0x7fffffff : ret);
}

static int unsafe(struct wstate *ws, const char *what, uint64_t a, uint64_t b)
{
	atomic_fetch_add(&ws->w->unsafe, 1);
	fatal_unsafe(what, a, b);
	return RES_NONE;
}

static int op_port_io(struct wstate *ws, const struct op *op)
{
	int s = pick_slot(ws, op->slot), fd;
	bool write = op->kind == OP_PWRITE;
	size_t n = (size_t)op->b;
	unsigned char *buf;
	struct iovec iov[2];
	int niov = 1;
	uint64_t port;
	long ret;

	if (s < 0)
		return RES_NONE;
	fd = ws->fd[s];
	port = aim_port(ws, s, op->a, op->b, write, op->sub >> 3);
	if (port != op->a)
		snprintf(ws->note, sizeof(ws->note), "aimed at 0x%" PRIx64, port);
	if (!port_span_safe(port, op->b, write))
		return unsafe(ws, "port", port, op->b);
	buf = buf_pick(ws, op->variant, n, !write, op->sub);
	if (write && (buf == bigbuf ||
		      (buf > bigbuf && buf < bigbuf + 8))) {
		uint64_t v = op->c;

		memcpy(buf, &v, sizeof(v));
	}
	if (op->attr == 0) {
		if (write)
			ret = pwrite(fd, buf, n, (off_t)port);
		else
			ret = pread(fd, buf, n, (off_t)port);
		return neg_errno(ret);
	}
	/* vectored: a second element goes to the next port span, when safe */
	iov[0].iov_base = buf;
	iov[0].iov_len = n;
	if (n && n <= 4 && port_span_safe(port + n, n, write)) {
		iov[1].iov_base = buf + n;
		iov[1].iov_len = n;
		niov = 2;
	}
	if (write)
		ret = pwritev(fd, iov, niov, (off_t)port);
	else
		ret = preadv(fd, iov, niov, (off_t)port);
	return neg_errno(ret);
}

static void map_forget(struct wstate *ws, int m)
{
	ws->map[m].addr = NULL;
	ws->map[m].len = 0;
	ws->map[m].phys = 0;
	ws->map[m].dma = false;
	ws->map[m].status = false;
}

/* may byte @t (@width bytes) of mapping @m be touched? */
bool map_touch_safe(const struct wstate *ws, unsigned int m, uint64_t t,
		    unsigned int width)
{
	if (ws->map[m].dma)
		return t + width <= ws->map[m].len;
	if (ws->map[m].status)	/* one page; a write is SIGSEGV, caught */
		return t + width <= PAGE;
	return phys_touch_safe(ws->map[m].phys + t, width);
}

void dma_forget(struct wstate *ws, int slot)
{
	ws->dma[slot].n = 0;
	ws->dma[slot].next = 0;
}

/* mmap(2)'s own errors, and what the uapi says of a DMA buffer's mmap */
static bool dma_mmap_documented(int res)
{
	switch (-res) {
	case 0:
	case EINVAL:	/* private, no "dma", length 0, unaligned offset */
	case EPERM:	/* not inside one of the node's buffers */
	case ENODEV:	/* revoked */
	case EACCES:	/* PROT_WRITE on a file not open for writing */
	case EAGAIN:
	case ENOMEM:
	case EOVERFLOW:
		return true;
	}
	return false;
}

/*
 * Mostly one of the slot's DMA buffers: pages of it up to one past its
 * end, or a freed one, or an id the node never had. Sets @off, @len and
 * the note; false when the slot knows no buffer or the draw says no.
 */
static bool aim_dma(struct wstate *ws, int *sp, uint64_t pick, uint64_t *off,
		    uint64_t *len)
{
	const struct dma_rec *b;
	uint64_t pages, k, x = pick % 100;
	int s = *sp, i;

	if (x >= 45)
		return false;
	/* the slot, or the next open one that knows a DMA buffer */
	for (i = 0; i < NSLOT && (ws->fd[s] < 0 || !ws->dma[s].n); i++)
		s = (s + 1) % NSLOT;
	if (ws->fd[s] < 0 || !ws->dma[s].n)
		return false;
	*sp = s;
	b = &ws->dma[s].b[(pick >> 8) % ws->dma[s].n];
	pages = b->size / PAGE;
	k = (pick >> 16) % (pages + 1);		/* may be one past the end */
	*off = b->offset + k * PAGE;
	*len = (1 + (pick >> 24) % (pages - k + 1)) * PAGE;
	if (x < 3)
		*off = b->offset + ((uint64_t)0x777 << 32);	/* no such id */
	else if (x < 5)
		*off += 1 + (pick >> 32) % (PAGE - 1);		/* unaligned */
	snprintf(ws->note, sizeof(ws->note), "aimed at DMA id %u%s +0x%" PRIx64,
		 b->id, b->freed ? " (freed)" : "", *off - b->offset);
	return true;
}

/*
 * Sometimes the node's status page: its offset, or a page either side, or
 * an unaligned one; one page, sometimes two. Sets @off, @len and the note.
 */
static bool aim_status(struct wstate *ws, uint64_t pick, uint64_t *off,
		       uint64_t *len)
{
	uint64_t x = pick % 100;

	if (x >= 8)
		return false;
	*off = UMDP_MMAP_STATUS;
	*len = (pick >> 8) % 8 ? PAGE : 2 * PAGE;
	if (x == 0)
		*off += PAGE;
	else if (x == 1)
		*off -= PAGE;
	else if (x == 2)
		*off += 1 + (pick >> 16) % (PAGE - 1);
	snprintf(ws->note, sizeof(ws->note), "status page %+d, %u pages",
		 (int)(int64_t)(*off - (uint64_t)UMDP_MMAP_STATUS),
		 (unsigned int)(*len / PAGE));
	return true;
}

/* what the uapi says of the status page's mmap, and mmap(2)'s own errors */
static bool status_mmap_documented(int res)
{
	switch (-res) {
	case 0:
	case EINVAL:	/* private, not one page, another offset */
	case EPERM:	/* PROT_WRITE */
	case ENODEV:	/* revoked */
	case EACCES:	/* mmap(2): a file not open for reading */
	case EAGAIN:
	case ENOMEM:
	case EOVERFLOW:
		return true;
	}
	return false;
}

static int op_mmap(struct wstate *ws, const struct op *op)
{
	unsigned int m = op->slot2 % NMAP;
	int s = pick_slot(ws, op->slot), fd;
	int prot = PROT_READ | PROT_WRITE, flags = MAP_SHARED;
	uint64_t c = op->c, off = op->a, len = op->b, pick = op->sub >> 5;
	bool dma, status = false;
	void *p;

	if (ws->map[m].addr) {
		munmap(ws->map[m].addr, ws->map[m].len);
		map_forget(ws, m);
	}
	if (s < 0)
		return RES_NONE;
	fd = ws->fd[s];
	dma = aim_dma(ws, &s, op->sub >> 3, &off, &len);
	fd = ws->fd[s];
	if (!dma)
		status = aim_status(ws, op->sub >> 45, &off, &len);
	/* mostly pages of one of the grant's windows, up to one past it */
	if (!dma && !status && ws->held[s].nmem && pick % 100 < 60) {
		const uint64_t *w = ws->held[s].mem[(pick >> 8) % ws->held[s].nmem];
		uint64_t pages = w[1] / PAGE, k = (pick >> 16) % pages;
		uint64_t o = w[0] + k * PAGE;
		uint64_t l = (1 + (pick >> 24) % (pages - k + 1)) * PAGE;

		/* the window comes from the safe pool; stay within MAP_LO..HI */
		if (o >= MAP_LO && o + l <= MAP_HI) {
			off = o;
			len = l;
			snprintf(ws->note, sizeof(ws->note),
				 "aimed at 0x%" PRIx64 "+0x%" PRIx64, off, len);
		}
	}
	if (c < 70)
		;
	else if (c < 78)
		prot = PROT_READ;
	else if (c < 82)
		prot = PROT_WRITE;
	else if (c < 86)
		flags = MAP_PRIVATE;
	else if (c < 90)
		flags |= MAP_POPULATE;
	else if (c < 93)
		flags = MAP_SHARED_VALIDATE;
	else if (c < 95)
		flags |= MAP_LOCKED;
	else if (c < 97)
		prot = PROT_NONE;
	else
		prot |= PROT_EXEC;
	p = mmap(NULL, (size_t)len, prot, flags, fd, (off_t)off);
	if (p == MAP_FAILED) {
		int res = -errno;

		if (dma && !dma_mmap_documented(res))
			return undocumented(ws, "mmap of a DMA buffer", res);
		if (status && !status_mmap_documented(res))
			return undocumented(ws, "mmap of the status page", res);
		return res;
	}
	/* the status page is never writable, nor more than its one page */
	if (status && ((prot & PROT_WRITE) || off != UMDP_MMAP_STATUS ||
		       len != PAGE || !(flags & MAP_SHARED))) {
		munmap(p, (size_t)len);
		return undocumented(ws, "a status page mapping the uapi refuses", 0);
	}
	ws->map[m].addr = p;
	ws->map[m].len = (size_t)((len + PAGE - 1) & ~(PAGE - 1));
	ws->map[m].phys = off & ~(PAGE - 1);
	ws->map[m].dma = dma;
	ws->map[m].status = status;
	if (dma)
		atomic_fetch_add(&ws->w->dma_maps, 1);
	return 0;
}

static int op_touch(struct wstate *ws, const struct op *op)
{
	int m = pick_map(ws, op->slot2);
	struct rng r;
	uint64_t i, done = 0;

	if (m < 0)
		return RES_NONE;
	rng_seed(&r, op->sub ^ op->a);
	for (i = 0; i < op->b; i++) {
		static const unsigned int widths[] = { 1, 2, 4, 8 };
		unsigned int w = widths[rng_below(&r, 4)];
		uint64_t t = rng_below(&r, ws->map[m].len) & ~(uint64_t)(w - 1);
		bool write = rng_chance(&r, 50);
		uint64_t val = rng_next(&r);
		int res;

		if (t + w > ws->map[m].len)
			continue;
		/* a mapping the kernel should have refused stays untouched
		 * outside the window and its unassigned surroundings */
		if (!map_touch_safe(ws, (unsigned int)m, t, w))
			continue;
		res = guarded_touch((unsigned char *)ws->map[m].addr + t, w,
				    write, val);
		if (res) {
			atomic_fetch_add(&ws->w->faults, 1);
			return res;
		}
		done++;
	}
	return (int)done;
}

/* pages @k of a mapping of @pages pages, at least 1 and at most pages - 1
 * (0 when the mapping has one page) */
static uint64_t part(uint64_t k, uint64_t pages)
{
	if (pages <= 1)
		return 0;
	if (k == 0)
		k = 1;
	return k < pages ? k : pages - 1;
}

static int op_munmap(struct wstate *ws, const struct op *op)
{
	int m = pick_map(ws, op->slot2);
	unsigned char *addr;
	uint64_t pages, k;
	int ret;

	if (m < 0)
		return RES_NONE;
	addr = ws->map[m].addr;
	pages = ws->map[m].len / PAGE;
	k = part(op->a, pages);
	if (op->variant == 1 && k) {		/* the head */
		ret = munmap(addr, k * PAGE);
		if (!ret) {
			ws->map[m].addr = addr + k * PAGE;
			ws->map[m].len -= k * PAGE;
			ws->map[m].phys += k * PAGE;
		}
	} else if (op->variant == 2 && k) {	/* the tail */
		ret = munmap(addr + (pages - k) * PAGE, k * PAGE);
		if (!ret)
			ws->map[m].len -= k * PAGE;
	} else {
		ret = munmap(addr, ws->map[m].len);
		if (!ret)
			map_forget(ws, m);
	}
	return ret ? -errno : 0;
}

static int op_mremap(struct wstate *ws, const struct op *op)
{
	int m = pick_map(ws, op->slot2);
	void *addr, *p;
	size_t len, nlen;
	uint64_t pages, k;
	int flags = 0;

	if (m < 0)
		return RES_NONE;
	addr = ws->map[m].addr;
	len = ws->map[m].len;
	pages = len / PAGE;
	k = op->a ? op->a : 1;
	switch (op->variant) {
	case 0:		/* grow, may move: VM_DONTEXPAND refuses */
		nlen = len + k * PAGE;
		flags = MREMAP_MAYMOVE;
		break;
	case 1:		/* shrink */
		k = part(op->a, pages);
		if (!k)
			return RES_NONE;
		nlen = len - k * PAGE;
		break;
	case 2:		/* grow in place */
		nlen = len + k * PAGE;
		break;
	default:	/* the same size, with a flag it does not take */
		nlen = len;
		flags = MREMAP_MAYMOVE | MREMAP_DONTUNMAP;
		break;
	}
	p = mremap(addr, len, nlen, flags);
	if (p == MAP_FAILED)
		return -errno;
	ws->map[m].addr = p;
	/* a grow the kernel let through must not widen what may be touched:
	 * keep the old length (touch stays inside what was granted) */
	if (nlen < len)
		ws->map[m].len = nlen;
	if (p != addr && op->variant == 3 && nlen == len)
		/* DONTUNMAP left the old range mapped (anonymous): drop it */
		munmap(addr, len);
	return 0;
}

static int op_mprotect(struct wstate *ws, const struct op *op)
{
	static const int prots[] = {
		PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
		PROT_READ | PROT_WRITE | PROT_EXEC,
	};
	int m = pick_map(ws, op->slot2);
	uint64_t pages, k;

	if (m < 0)
		return RES_NONE;
	pages = ws->map[m].len / PAGE;
	k = op->a && op->a < pages ? op->a : pages;
	if (op->variant & 1) {	/* the last k pages */
		unsigned char *a = ws->map[m].addr;

		return mprotect(a + (pages - k) * PAGE, k * PAGE,
				prots[op->c % 4]) ? -errno : 0;
	}
	return mprotect(ws->map[m].addr, k * PAGE, prots[op->c % 4]) ?
	       -errno : 0;
}

static int op_poll(struct wstate *ws, const struct op *op)
{
	static const short evs[] = {
		POLLIN, POLLIN | POLLRDNORM, POLLOUT, POLLPRI,
		POLLIN | POLLOUT | POLLPRI, POLLRDHUP, 0, POLLIN | POLLERR,
	};
	struct pollfd pfd[NSLOT];
	unsigned int i, n = (unsigned int)op->a;

	for (i = 0; i < n && i < NSLOT; i++) {
		pfd[i].fd = ws->fd[(op->slot + i) % NSLOT];
		pfd[i].events = evs[(op->c + i) % 8];
		pfd[i].revents = 0;
	}
	return neg_errno(poll(pfd, i, (int)op->b));
}

static int op_epoll(struct wstate *ws, const struct op *op)
{
	int s = pick_slot(ws, op->slot);
	int fd = s < 0 ? -1 : ws->fd[s];
	struct epoll_event ev, out[8];
	uint32_t e = EPOLLIN;

	if (ws->epfd < 0)
		return RES_NONE;
	if (op->c & 1)
		e |= EPOLLET;
	if (op->c & 2)
		e |= EPOLLONESHOT;
	if (op->c & 4)
		e |= EPOLLOUT | EPOLLPRI;
	memset(&ev, 0, sizeof(ev));
	ev.events = e;
	ev.data.u64 = op->c;
	switch (op->variant) {
	case 0:
		if (fd < 0)
			return RES_NONE;
		return neg_errno(epoll_ctl(ws->epfd, EPOLL_CTL_ADD, fd, &ev));
	case 1:
		if (fd < 0)
			return RES_NONE;
		return neg_errno(epoll_ctl(ws->epfd, EPOLL_CTL_DEL, fd, NULL));
	case 2:
		if (fd < 0)
			return RES_NONE;
		return neg_errno(epoll_ctl(ws->epfd, EPOLL_CTL_MOD, fd, &ev));
	default:
		return neg_errno(epoll_wait(ws->epfd, out,
					    1 + (int)((op->c >> 8) % 8),
					    (int)op->a));
	}
}

/* edges on a free ISA line through pc-testdev's IRQ port, via /dev/port */
static int op_raise(struct wstate *ws, const struct op *op)
{
	uint64_t port = 0x2000 + op->a, i;
	unsigned char one = 1, zero = 0;

	if (ws->portfd < 0)
		return RES_NONE;
	if (!port_span_safe(port, 1, true))
		return unsafe(ws, "irq port", port, 1);
	for (i = 0; i < op->b; i++) {
		if (pwrite(ws->portfd, &one, 1, (off_t)port) != 1 ||
		    pwrite(ws->portfd, &zero, 1, (off_t)port) != 1)
			return -errno;
	}
	return (int)i;
}

int exec_node_op(struct wstate *ws, const struct op *op)
{
	unsigned int s = op->slot % NSLOT, s2 = op->slot2 % NSLOT;

	switch (op->kind) {
	case OP_CLOSE:
		if (ws->fd[s] < 0)
			return RES_NONE;
		close(ws->fd[s]);
		ws->fd[s] = -1;
		ws->held[s].nports = ws->held[s].nmem = 0;
		ws->held[s].pci = false;
		dma_forget(ws, (int)s);
		return 0;
	case OP_DUP:
		if (ws->fd[s] < 0 || s == s2)
			return RES_NONE;
		if (ws->fd[s2] >= 0)
			close(ws->fd[s2]);
		ws->fd[s2] = dup(ws->fd[s]);
		ws->held[s2] = ws->held[s];
		ws->dma[s2] = ws->dma[s];
		return ws->fd[s2] < 0 ? -errno : 0;
	case OP_PREAD:
	case OP_PWRITE:
		return op_port_io(ws, op);
	case OP_IOCTL:
		return exec_ioctl(ws, op);
	case OP_MMAP:
		return op_mmap(ws, op);
	case OP_TOUCH:
		return op_touch(ws, op);
	case OP_MUNMAP:
		return op_munmap(ws, op);
	case OP_MREMAP:
		return op_mremap(ws, op);
	case OP_MPROTECT:
		return op_mprotect(ws, op);
	case OP_POLL:
		return op_poll(ws, op);
	case OP_EPOLL:
		return op_epoll(ws, op);
	case OP_RAISE:
		return op_raise(ws, op);
	default:
		return RES_NONE;
	}
}
