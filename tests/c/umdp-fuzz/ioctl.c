// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ioctl.c - every ioctl of <linux/umdp.h>, with random argsz, flags and
 * contents, and bad user pointers.
 *
 * The argument struct sits in a zeroed scratch area with room behind it,
 * so a larger argsz with a zero tail is valid and one with a non-zero byte
 * is E2BIG; or it ends right before the guard page, or it is put in a
 * read-only page (the kernel's write-back faults), in a umdp mapping, or
 * it is not there at all (NULL, kernel, unmapped). Port spans in batches
 * and strings follow safe.c like every other access, and so do config
 * space writes (config_write_safe()).
 *
 * The PCI and DMA ioctls' results are checked against what the uapi header
 * documents; a DMA buffer the kernel hands out is remembered per slot so
 * that later frees (double ones too) and mmaps aim at it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/umdp.h>

#include "fuzz.h"

#define ARG_AREA	8192	/* at bigbuf + BIGBUF - ARG_AREA: ends at the guard */
#define ARRAYS		(128 * 1024)	/* at bigbuf + ARRAYS: batch ops, events... */

static unsigned char *ro_arg;

static uint32_t gen_argsz(struct rng *r, uint32_t size, uint32_t ver0)
{
	uint64_t x = rng_below(r, 100);

	if (x < 60)
		return size;
	if (x < 70)
		return ver0;
	if (x < 75)
		return (uint32_t)rng_below(r, ver0);
	if (x < 80)
		return 0;
	if (x < 85)
		return size + 8 * (uint32_t)(1 + rng_below(r, 8));
	if (x < 90)
		return size + (uint32_t)(1 + rng_below(r, 64));
	if (x < 93)
		return 4096;
	if (x < 95)
		return 0xffffffffU;
	return (uint32_t)rng_below(r, 257);
}

static uint32_t gen_flags(struct rng *r, uint32_t valid)
{
	uint64_t x = rng_below(r, 100);

	if (x < 85)
		return rng_chance(r, 50) ? valid : 0;
	if (x < 95)
		return 1U << rng_below(r, 32);
	return (uint32_t)rng_next(r);
}

static uint32_t gen_count(struct rng *r, uint32_t max)
{
	uint64_t x = rng_below(r, 100);

	if (x < 70)
		return 1 + (uint32_t)rng_below(r, 8);
	if (x < 78)
		return 9 + (uint32_t)rng_below(r, 56);
	if (x < 83)
		return max;
	if (x < 86)
		return max + 1;
	if (x < 90)
		return 0;
	if (x < 93)
		return 0xffffffffU;
	return (uint32_t)rng_below(r, max + 88);
}

/*
 * A user pointer for an array of @bytes: mostly @good, sometimes another
 * kind. Wherever the kernel could read the array (a misaligned or
 * guard-crossing place in the scratch buffer, a umdp mapping) @good's
 * content is copied there first, so that a batch the kernel reads holds
 * only the safe operations fill_batch() made, whatever the pointer.
 */
static uint64_t gen_array_ptr(struct wstate *ws, struct rng *r, size_t bytes,
			      unsigned char *good)
{
	unsigned int kind;
	unsigned char *p;

	if (rng_chance(r, 85))
		return (uint64_t)(uintptr_t)good;
	kind = (unsigned int)rng_below(r, BUF_N);
	p = buf_pick(ws, kind, bytes, true, rng_next(r));
	if (p >= bigbuf && p < bigbuf + BIGBUF && p != good) {
		size_t room = (size_t)(bigbuf + BIGBUF - p);

		memmove(p, good, bytes < room ? bytes : room);
	} else if (kind == BUF_UMDP_MAP) {
		/* umdp_map_ptr() vouches for one page only */
		if (bytes > 4096 || guarded_copy(p, good, bytes))
			p = good;
	}
	return (uint64_t)(uintptr_t)p;
}

/*
 * Where the argument goes: a pointer of @kind with @argsz readable bytes
 * where that is the point, holding the first @size bytes of @arg.
 * Returns NULL for kinds that hold nothing (the pointer goes as is).
 */
static void *place_arg(struct wstate *ws, struct rng *r, unsigned int kind,
		       const void *arg, size_t size, uint32_t argsz,
		       bool nonzero_tail, uint64_t *uarg)
{
	unsigned char *area = bigbuf + BIGBUF - ARG_AREA;
	unsigned char *p;

	switch (kind) {
	case BUF_READONLY:
		/* a page of its own: buf_pick()'s read-only page holds only
		 * safe batch entries and must keep them */
		if (!ro_arg) {
			ro_arg = mmap(NULL, 4096, PROT_READ,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (ro_arg == MAP_FAILED)
				ro_arg = NULL;
		}
		p = ro_arg;
		if (p && mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0) {
			memcpy(p, arg, size);
			mprotect(p, 4096, PROT_READ);
		}
		*uarg = (uint64_t)(uintptr_t)p;
		return p;
	case BUF_GUARD:
		/* the struct ends at the guard page: any tail faults */
		p = bigbuf + BIGBUF - size;
		memcpy(p, arg, size);
		*uarg = (uint64_t)(uintptr_t)p;
		return p;
	case BUF_UMDP_MAP:
		p = buf_pick(ws, kind, size, false, rng_next(r));
		if (p != bigbuf) {
			if (guarded_copy(p, arg, size) == 0) {
				*uarg = (uint64_t)(uintptr_t)p;
				return p;
			}
		}
		/* fall through: no usable mapping */
		/* FALLTHROUGH */
	case BUF_GOOD:
	case BUF_MISALIGNED: {
		size_t off = kind == BUF_MISALIGNED ? 1 + rng_below(r, 7) : 0;
		size_t room = ARG_AREA - off;
		size_t clear = argsz < room ? argsz : room;

		p = area + off;
		if (clear < size)
			clear = size;
		memset(p, 0, clear);
		memcpy(p, arg, size);
		if (nonzero_tail && argsz > size && argsz - size <= room - size)
			p[size + rng_below(r, argsz - size)] = 0x5a;
		*uarg = (uint64_t)(uintptr_t)p;
		return p;
	}
	default:
		*uarg = (uint64_t)(uintptr_t)buf_pick(ws, kind, size, false,
						      rng_next(r));
		return NULL;
	}
}

static int do_ioctl(int fd, unsigned long cmd, uint64_t uarg)
{
	int ret = ioctl(fd, cmd, (unsigned long)uarg);

	return ret < 0 ? -errno : ret;
}

static void fill_batch(struct wstate *ws, int slot, struct rng *r,
		       struct umdp_io_op *ops, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint8_t size, flags;
		uint64_t port;

		size = (uint8_t)gen_io_size(r);
		flags = rng_chance(r, 50) ? UMDP_IO_WRITE : UMDP_IO_READ;
		if (rng_chance(r, 5))
			flags = (uint8_t)rng_next(r);
		/* a write-only IRQ port only where the op is a clean write */
		port = gen_port(r, size, flags == UMDP_IO_WRITE);
		port = aim_port(ws, slot, port, size, flags == UMDP_IO_WRITE,
				rng_next(r));
		ops[i].port = (uint16_t)port;
		ops[i].size = size;
		ops[i].flags = flags;
		ops[i].value = (uint32_t)rng_next(r);
	}
}

/*
 * What the uapi header says UMDP_IOC_PCI_INFO, _PCI_CONFIG, _DMA_ALLOC and
 * _DMA_FREE return: 0, or -EFAULT (a bad pointer), -EINVAL (argsz below
 * VER0, an unknown flag, a bad field), -E2BIG (a non-zero tail), -ENOTTY
 * (a grant without "pci" or "dma"), -ENODEV (revoked); -EPERM for a config
 * write it does not allow; -EBADF for a write, an allocation or a free on
 * a file not open for writing; -ENOSPC beyond "dma", -ENOMEM.
 */
static bool pci_documented(unsigned int ioc, int ret)
{
	switch (-ret) {
	case 0:
	case EFAULT:
	case EINVAL:
	case E2BIG:
	case ENOTTY:
	case ENODEV:
		return true;
	case EPERM:
		return ioc == IOC_PCI_CONFIG;
	case EBADF:
		return ioc != IOC_PCI_INFO;
	case ENOSPC:
	case ENOMEM:
		return ioc == IOC_DMA_ALLOC;
	}
	return false;
}

/*
 * A buffer's life in one operation, right after its allocation: map it,
 * touch every page, maybe free it while mapped. After a free that
 * succeeded the buffer must be out of reach whatever else happened
 * meanwhile (another worker may revoke the grant, ids are never reused):
 * a touch of the old mapping must fault, a second free and a new mmap of
 * its offset must fail. Anything else is a use after free, reported.
 */
static void dma_lifecycle(struct wstate *ws, int slot, struct dma_rec *b,
			  struct rng *r)
{
	struct umdp_dma_free f = { .argsz = sizeof(f), .id = b->id };
	int fd = ws->fd[slot], ret, res;
	size_t len = (size_t)b->size, off;
	unsigned char *p;
	void *q;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)b->offset);
	if (p == MAP_FAILED) {
		res = -errno;
		/* mmap(2): a shared mapping needs a file open for reading */
		if (res == -EACCES &&
		    (fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY)
			return;
		if (res != -ENODEV && res != -ENOMEM)
			undocumented(ws, "mmap of a buffer just allocated", res);
		return;
	}
	atomic_fetch_add(&ws->w->dma_maps, 1);
	for (off = 0; off < len; off += 4096)
		if (guarded_touch(p + off, 8, true, rng_next(r)))
			break;	/* revoked meanwhile: SIGBUS */
	if (rng_chance(r, 60)) {
		ret = ioctl(fd, UMDP_IOC_DMA_FREE, &f) ? -errno : 0;
		if (ret == 0) {
			b->freed = true;
			atomic_fetch_add(&ws->w->dma_frees, 1);
			if (!guarded_touch(p + len - 8, 8, false, 0))
				undocumented(ws, "a touch of a freed DMA buffer's mapping did not fault",
					     0);
			ret = ioctl(fd, UMDP_IOC_DMA_FREE, &f) ? -errno : 0;
			if (ret != -EINVAL && ret != -ENODEV)
				undocumented(ws, "a second free of a DMA buffer",
					     ret);
			q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
				 (off_t)b->offset);
			if (q != MAP_FAILED) {
				munmap(q, 4096);
				undocumented(ws, "an mmap of a freed DMA buffer worked",
					     0);
			} else if (errno != EPERM && errno != ENODEV) {
				undocumented(ws, "an mmap of a freed DMA buffer",
					     -errno);
			}
		} else if (!pci_documented(IOC_DMA_FREE, ret)) {
			undocumented(ws, "DMA_FREE of a buffer just allocated",
				     ret);
		}
	}
	munmap(p, len);
}

static struct dma_rec *dma_remember(struct wstate *ws, int slot,
				    const void *placed)
{
	struct umdp_dma_alloc da;
	struct dma_rec *b;

	memcpy(&da, placed, sizeof(da));
	b = &ws->dma[slot].b[ws->dma[slot].next];
	b->id = da.id;
	b->offset = da.offset;
	b->size = (da.size + 4095) & ~(uint64_t)4095;
	b->freed = false;
	ws->dma[slot].next = (ws->dma[slot].next + 1) % NDMA;
	if (ws->dma[slot].n < NDMA)
		ws->dma[slot].n++;
	atomic_fetch_add(&ws->w->dma_allocs, 1);
	return b;
}

int exec_ioctl(struct wstate *ws, const struct op *op)
{
	unsigned char *arrays = bigbuf + ARRAYS;
	bool pci = op->attr >= IOC_PCI_INFO && op->attr <= IOC_DMA_FREE;
	int slot = pci ? pick_pci_slot(ws, op->slot,
				       op->attr >= IOC_DMA_ALLOC, op->sub >> 7) :
		   pick_slot(ws, op->slot);
	int fd, i;
	uint32_t argsz, size, ver0;
	bool tail;
	struct rng r;
	uint64_t uarg = 0;
	union {
		struct umdp_version v;
		struct umdp_io_batch b;
		struct umdp_io_string s;
		struct umdp_grant_info i;
		struct umdp_irq_fetch f;
		struct umdp_irq_unmask u;
		struct umdp_pci_info pi;
		struct umdp_pci_config pc;
		struct umdp_dma_alloc da;
		struct umdp_dma_free df;
		unsigned char raw[256];
	} a;
	struct dma_rec *freeing = NULL;
	unsigned long cmd = 0;
	void *placed;
	int ret;

	/* a free goes mostly where buffers were allocated */
	if (op->attr == IOC_DMA_FREE && slot >= 0 && !ws->dma[slot].n &&
	    op->sub % 100 < 80)
		for (i = 1; i < NSLOT; i++)
			if (ws->fd[(slot + i) % NSLOT] >= 0 &&
			    ws->dma[(slot + i) % NSLOT].n) {
				slot = (slot + i) % NSLOT;
				break;
			}
	fd = slot < 0 ? -1 : ws->fd[slot];
	if (fd < 0)
		return RES_NONE;
	rng_seed(&r, op->sub);
	memset(&a, 0, sizeof(a));

	switch (op->attr) {
	case IOC_VERSION:
		cmd = UMDP_IOC_VERSION;
		size = sizeof(a.v);
		ver0 = UMDP_VERSION_SIZE_VER0;
		a.v.flags = gen_flags(&r, 0);
		a.v.api = (uint32_t)rng_next(&r);
		a.v.features = rng_next(&r);
		break;
	case IOC_BATCH: {
		struct umdp_io_op *ops = (struct umdp_io_op *)arrays;
		uint32_t n;

		cmd = UMDP_IOC_BATCH;
		size = sizeof(a.b);
		ver0 = UMDP_IO_BATCH_SIZE_VER0;
		a.b.flags = gen_flags(&r, 0);
		a.b.count = gen_count(&r, UMDP_BATCH_MAX);
		n = a.b.count < UMDP_BATCH_MAX + 88 ? a.b.count : 0;
		fill_batch(ws, slot, &r, ops, n);
		a.b.ops = gen_array_ptr(ws, &r, (size_t)n * sizeof(*ops),
					arrays);
		a.b.pad = rng_chance(&r, 95) ? 0 : (uint32_t)rng_next(&r);
		break;
	}
	case IOC_STRING: {
		uint32_t bytes;

		cmd = UMDP_IOC_STRING;
		size = sizeof(a.s);
		ver0 = UMDP_IO_STRING_SIZE_VER0;
		a.s.flags = gen_flags(&r, UMDP_IO_WRITE);
		a.s.size = (uint8_t)gen_io_size(&r);
		a.s.port = (uint16_t)aim_port(ws, slot,
				gen_port(&r, a.s.size, a.s.flags == UMDP_IO_WRITE),
				a.s.size, a.s.flags == UMDP_IO_WRITE, rng_next(&r));
		a.s.count = gen_count(&r, UMDP_STRING_MAX /
				      (a.s.size ? a.s.size : 1));
		if (rng_chance(&r, 10))
			a.s.count = 512 + (uint32_t)rng_below(&r, 1024);
		bytes = a.s.count <= UMDP_STRING_MAX ? a.s.count * a.s.size : 0;
		if (bytes > UMDP_STRING_MAX)
			bytes = UMDP_STRING_MAX;
		if (a.s.flags == UMDP_IO_WRITE)
			memset(bigbuf, (int)(op->sub & 0xff), bytes);
		a.s.buf = gen_array_ptr(ws, &r, bytes, bigbuf);
		a.s.pad = rng_chance(&r, 95) ? 0 : (uint8_t)rng_next(&r);
		break;
	}
	case IOC_INFO: {
		uint32_t *nr[3] = { &a.i.nr_ioports, &a.i.nr_irqs, &a.i.nr_mem };
		__u64 *ptr[3] = { &a.i.ioports, &a.i.irqs, &a.i.mem };
		unsigned int k;

		cmd = UMDP_IOC_INFO;
		size = sizeof(a.i);
		ver0 = UMDP_GRANT_INFO_SIZE_VER0;
		a.i.flags = gen_flags(&r, 0);
		for (k = 0; k < 3; k++) {
			uint64_t x = rng_below(&r, 100);

			*nr[k] = x < 60 ? (uint32_t)rng_below(&r, 5) :
				 x < 80 ? 16 : x < 90 ?
				 17 + (uint32_t)rng_below(&r, 16) :
				 (uint32_t)rng_next(&r);
			*ptr[k] = rng_chance(&r, 15) ? 0 :
				  gen_array_ptr(ws, &r, 16 * 24,
						arrays + k * 1024);
		}
		break;
	}
	case IOC_IRQ_FETCH:
	case IOC_IRQ_WAIT: {
		uint64_t x = rng_below(&r, 100);

		cmd = op->attr == IOC_IRQ_FETCH ? UMDP_IOC_IRQ_FETCH :
						  UMDP_IOC_IRQ_WAIT;
		size = sizeof(a.f);
		ver0 = UMDP_IRQ_FETCH_SIZE_VER0;
		a.f.flags = gen_flags(&r, 0);
		a.f.nr = x < 60 ? 16 : x < 80 ? (uint32_t)rng_below(&r, 4) :
			 x < 90 ? 4 : (uint32_t)rng_next(&r);
		a.f.events = gen_array_ptr(ws, &r, 16 * 24, arrays);
		a.f.timeout_ms = (int32_t)rng_below(&r, 31);
		if (op->child && rng_chance(&r, 40)) {
			static const int32_t t[] = { -1, INT_MIN, 100000, 1000 };

			a.f.timeout_ms = t[rng_below(&r, 4)];
		}
		a.f.nr_new = (uint32_t)rng_next(&r);
		a.f.pad = rng_chance(&r, 95) ? 0 : (uint32_t)rng_next(&r);
		break;
	}
	case IOC_IRQ_UNMASK: {
		static const uint32_t lines[] = { 3, 5, 7, 10 };

		cmd = UMDP_IOC_IRQ_UNMASK;
		size = sizeof(a.u);
		ver0 = UMDP_IRQ_UNMASK_SIZE_VER0;
		a.u.flags = gen_flags(&r, 0);
		a.u.irq = rng_chance(&r, 80) ? lines[rng_below(&r, 4)] :
			  (uint32_t)rng_next(&r);
		a.u.pad = rng_chance(&r, 95) ? 0 : (uint32_t)rng_next(&r);
		break;
	}
	case IOC_PCI_INFO:
		cmd = UMDP_IOC_PCI_INFO;
		size = sizeof(a.pi);
		ver0 = UMDP_PCI_INFO_SIZE_VER0;
		a.pi.flags = gen_flags(&r, 0);
		/* what the kernel fills in: garbage on the way in */
		a.pi.domain = (uint32_t)rng_next(&r);
		a.pi.dma_max = rng_next(&r);
		a.pi.bar[(unsigned int)rng_below(&r, 6)].start = rng_next(&r);
		break;
	case IOC_PCI_CONFIG: {
		static const uint32_t bad_sizes[] = { 0, 3, 8, 16, 0xffffffffU };

		cmd = UMDP_IOC_PCI_CONFIG;
		size = sizeof(a.pc);
		ver0 = UMDP_PCI_CONFIG_SIZE_VER0;
		a.pc.flags = gen_flags(&r, UMDP_IO_WRITE);
		a.pc.size = rng_chance(&r, 90) ? 1U << rng_below(&r, 3) :
			    bad_sizes[rng_below(&r, 5)];
		/* any flag may be a write to a kernel that misreads them */
		a.pc.offset = gen_config_offset(&r, a.pc.flags != 0,
						a.pc.size);
		a.pc.value = rng_chance(&r, 60) ?
			     (uint32_t)rng_below(&r, 0x800) :
			     (uint32_t)rng_next(&r);
		a.pc.pad = rng_chance(&r, 95) ? 0 : (uint32_t)rng_next(&r);
		if (a.pc.flags && !config_write_safe(a.pc.offset, a.pc.size)) {
			atomic_fetch_add(&ws->w->unsafe, 1);
			fatal_unsafe("config write", a.pc.offset, a.pc.size);
			return RES_NONE;
		}
		break;
	}
	case IOC_DMA_ALLOC: {
		static const uint64_t sizes[] = {
			4096, 4096, 4096, 8192, 1, 100, 12288, 65536, 65537,
			1 << 20, 0, (1 << 30) + 1, 1ULL << 62, UINT64_MAX,
			1 << 30,
		};

		cmd = UMDP_IOC_DMA_ALLOC;
		size = sizeof(a.da);
		ver0 = UMDP_DMA_ALLOC_SIZE_VER0;
		a.da.flags = gen_flags(&r, 0);
		a.da.size = sizes[rng_below(&r, sizeof(sizes) / sizeof(sizes[0]))];
		a.da.iova = rng_next(&r);
		a.da.offset = rng_next(&r);
		a.da.id = (uint32_t)rng_next(&r);
		a.da.pad = rng_chance(&r, 95) ? 0 : (uint32_t)rng_next(&r);
		break;
	}
	case IOC_DMA_FREE: {
		uint64_t x = rng_below(&r, 100);
		unsigned int n = slot < 0 ? 0 : ws->dma[slot].n;

		cmd = UMDP_IOC_DMA_FREE;
		size = sizeof(a.df);
		ver0 = UMDP_DMA_FREE_SIZE_VER0;
		a.df.flags = gen_flags(&r, 0);
		if (n && x < 75) {
			/* a buffer of this node's, maybe freed already */
			freeing = &ws->dma[slot].b[rng_below(&r, n)];
			a.df.id = freeing->id;
			snprintf(ws->note, sizeof(ws->note), "id %u%s",
				 freeing->id, freeing->freed ? " (freed)" : "");
		} else if (x < 87) {
			a.df.id = (uint32_t)rng_below(&r, 64);
		} else if (x < 94) {
			a.df.id = 0xffffffffU;
		} else {
			a.df.id = (uint32_t)rng_next(&r);
		}
		a.df.pad = rng_chance(&r, 95) ? 0 : (uint32_t)rng_next(&r);
		break;
	}
	case IOC_UNKNOWN: {
		unsigned int dir = (unsigned int)rng_below(&r, 4);
		unsigned int nr = (unsigned int)rng_below(&r, 0x20);
		unsigned int sz = (unsigned int)rng_below(&r, 64);

		/* never one of the real numbers: their arguments are above */
		if (dir == 0 && sz == 0 && (nr <= 3 || (nr >= 0x10 && nr <= 0x12)))
			nr = 0x1f;
		cmd = _IOC(dir, UMDP_IOCTL_MAGIC, nr, sz);
		size = sizeof(a.raw);
		ver0 = 0;
		for (sz = 0; sz < sizeof(a.raw); sz++)
			a.raw[sz] = (unsigned char)rng_next(&r);
		break;
	}
	default: {
		static const unsigned long generic[] = {
			FIONREAD, FIONBIO, FIOCLEX, FIONCLEX, FIOASYNC,
			FIOQSIZE,
		};
		int *ip = (int *)(void *)a.raw;

		cmd = generic[rng_below(&r, 6)];
		size = sizeof(int);
		ver0 = 0;
		*ip = (int)rng_below(&r, 2);
		break;
	}
	}

	if (op->attr < IOC_UNKNOWN) {
		argsz = gen_argsz(&r, size, ver0);
		tail = argsz > size && rng_chance(&r, 40);
		memcpy(a.raw, &argsz, sizeof(argsz));
	} else {
		argsz = size;
		tail = false;
	}
	placed = place_arg(ws, &r, op->variant, &a, size, argsz, tail, &uarg);
	ret = do_ioctl(fd, cmd, uarg);
	atomic_fetch_add(&ws->w->ioc_count[op->attr], 1);
	if (ret >= 0)
		atomic_fetch_add(&ws->w->ioc_ok[op->attr], 1);
	else if (-ret < RESULT_NONE)
		atomic_fetch_add(&ws->w->ioc_errno[op->attr][-ret], 1);
	if (pci) {
		if (!pci_documented(op->attr, ret))
			return undocumented(ws, ioc_names[op->attr], ret);
		if (ret == 0 && op->attr == IOC_DMA_FREE)
			atomic_fetch_add(&ws->w->dma_frees, 1);
		if (ret == 0 && freeing)
			freeing->freed = true;
		/* a new buffer: remember it, where its argument came back */
		if (ret == 0 && op->attr == IOC_DMA_ALLOC && placed &&
		    argsz >= sizeof(a.da) &&
		    (op->variant == BUF_GOOD || op->variant == BUF_MISALIGNED)) {
			struct dma_rec *b = dma_remember(ws, slot, placed);

			if (rng_chance(&r, 50))
				dma_lifecycle(ws, slot, b, &r);
		}
	}
	/* interrupts that reached the driver: proof the IRQ path is used */
	if (ret == 0 && placed && (op->attr == IOC_IRQ_FETCH ||
				   op->attr == IOC_IRQ_WAIT) &&
	    argsz >= sizeof(struct umdp_irq_fetch) &&
	    (op->variant == BUF_GOOD || op->variant == BUF_MISALIGNED)) {
		struct umdp_irq_fetch f;

		memcpy(&f, placed, sizeof(f));
		atomic_fetch_add(&ws->w->irq_lines, f.nr_new);
	}
	return ret;
}
