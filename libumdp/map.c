// SPDX-License-Identifier: LGPL-2.1-or-later
/* libumdp: mapping granted device memory. */
#include <errno.h>
#include <sys/mman.h>
#include <sys/types.h>

#include "umdp-internal.h"

UMDP_EXPORT int umdp_map(struct umdp_dev *dev, uint64_t phys, size_t len,
			 unsigned int flags, void **addrp)
{
	void *p;

	if (!dev || !addrp || flags || len == 0)
		return -EINVAL;
	/* off_t is the mmap offset; it must carry phys unchanged */
	if ((uint64_t)(off_t)phys != phys || (off_t)phys < 0)
		return -EOVERFLOW;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
		 (off_t)phys);
	if (p == MAP_FAILED)
		return -errno;
	*addrp = p;
	return 0;
}

UMDP_EXPORT int umdp_unmap(void *addr, size_t len)
{
	return munmap(addr, len) ? -errno : 0;
}
