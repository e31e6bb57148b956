// SPDX-License-Identifier: LGPL-2.1-or-later
/* libumdp: the node's status page, interrupts seen without a system call. */
#include <errno.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "umdp-internal.h"

/* Turns of the spin between two looks at the clock. */
#define SPIN_CLOCK_EVERY	32

static size_t page_size(void)
{
	long n = sysconf(_SC_PAGESIZE);

	return n > 0 ? (size_t)n : 4096;
}

UMDP_EXPORT int umdp_status_map(struct umdp_dev *dev,
				const struct umdp_status **statusp)
{
	struct umdp_version ver;
	const struct umdp_status *st;
	size_t len = page_size();
	void *p;
	int err;

	if (!dev || !statusp)
		return -EINVAL;
	/* off_t is the mmap offset; it must carry the offset unchanged */
	if ((uint64_t)(off_t)UMDP_MMAP_STATUS != UMDP_MMAP_STATUS)
		return -EOVERFLOW;
	err = umdp_version(dev, &ver);
	if (err)
		return err == -ENOTTY ? -EOPNOTSUPP : err;
	if (!(ver.features & UMDP_FEAT_STATUS_PAGE))
		return -EOPNOTSUPP;
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, dev->fd,
		 (off_t)UMDP_MMAP_STATUS);
	if (p == MAP_FAILED)
		return -errno;
	st = p;
	if (st->magic != UMDP_STATUS_MAGIC || st->version < 1 ||
	    st->size < UMDP_STATUS_SIZE_VER0 ||
	    st->line_size < UMDP_STATUS_LINE_SIZE_VER0 ||
	    st->size + (size_t)st->nr_lines * st->line_size > len) {
		munmap(p, len);
		return -EPROTO;
	}
	*statusp = st;
	return 0;
}

UMDP_EXPORT int umdp_status_unmap(const struct umdp_status *status)
{
	if (!status)
		return -EINVAL;
	return munmap((void *)status, page_size()) ? -errno : 0;
}

/* What a spinning CPU does between two reads: let the sibling thread run. */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

UMDP_EXPORT int umdp_status_spin(const struct umdp_status *status,
				 uint64_t *seen_seq, uint64_t deadline_ns)
{
	unsigned int turn = 0;
	uint64_t seq;

	if (!status || !seen_seq)
		return -EINVAL;
	for (;;) {
		seq = umdp_status_seq(status);
		if (seq != *seen_seq) {
			*seen_seq = seq;
			return 1;
		}
		if (++turn == SPIN_CLOCK_EVERY) {
			turn = 0;
			if (monotonic_ns() >= deadline_ns)
				return -ETIMEDOUT;
		}
		cpu_relax();
	}
}
