// SPDX-License-Identifier: GPL-2.0-or-later
/* umdp-bench: opening and mapping what is measured, or dying. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	return fd;
}

struct umdp_dev *open_grant(const char *name)
{
	struct umdp_dev *dev;
	int err = umdp_open(name, 0, &dev);

	if (err)
		die("open grant %s: %s", name, umdp_strerror(err));
	return dev;
}

volatile uint32_t *map_resource(const char *path, int *fdp)
{
	int fd = open_or_die(path, O_RDWR | O_SYNC);
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		die("mmap %s: %s", path, strerror(errno));
	*fdp = fd;
	return p;
}

volatile uint32_t *map_grant(struct umdp_dev *dev, uint64_t phys)
{
	void *p;
	int err = umdp_map(dev, phys, 4096, 0, &p);

	if (err)
		die("umdp_map 0x%llx: %s", (unsigned long long)phys,
		    umdp_strerror(err));
	return p;
}

void check_io(int err, const char *what)
{
	if (err)
		die("%s: %s", what, umdp_strerror(err));
}

void edu_check(volatile uint32_t *edu, const char *how)
{
	uint32_t id = edu[EDU_ID];

	if (id != EDU_ID_VALUE)
		die("edu through %s: id 0x%x, expected 0x%x", how, id, EDU_ID_VALUE);
	edu[EDU_IRQ_ACK] = edu[EDU_IRQ_STATUS];
}
