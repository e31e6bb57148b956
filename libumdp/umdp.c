// SPDX-License-Identifier: LGPL-2.1-or-later
/* libumdp: opening grant nodes, port I/O, grant info, error strings. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "umdp-internal.h"

int umdp_valid_name(const char *name)
{
	size_t n;

	if (!name)
		return 0;
	n = strlen(name);
	if (n == 0 || n >= UMDP_NAME_MAX)
		return 0;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

UMDP_EXPORT int umdp_open(const char *name, unsigned int flags,
			  struct umdp_dev **devp)
{
	struct umdp_dev *dev;
	char path[sizeof(UMDP_DEV_DIR) + UMDP_NAME_MAX + 1];

	if (!devp || !umdp_valid_name(name) || flags)
		return -EINVAL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	snprintf(path, sizeof(path), UMDP_DEV_DIR "/%s", name);
	dev->fd = open(path, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0) {
		int err = -errno;

		free(dev);
		return err;
	}
	*devp = dev;
	return 0;
}

UMDP_EXPORT void umdp_close(struct umdp_dev *dev)
{
	if (!dev)
		return;
	close(dev->fd);
	free(dev);
}

UMDP_EXPORT int umdp_fd(const struct umdp_dev *dev)
{
	return dev->fd;
}

/* One pread/pwrite of 1, 2 or 4 bytes at offset = port. */
static int port_read(struct umdp_dev *dev, uint16_t port, void *val, size_t n)
{
	ssize_t r = pread(dev->fd, val, n, port);

	if (r < 0)
		return -errno;
	return r == (ssize_t)n ? 0 : -EIO;
}

static int port_write(struct umdp_dev *dev, uint16_t port, const void *val,
		      size_t n)
{
	ssize_t r = pwrite(dev->fd, val, n, port);

	if (r < 0)
		return -errno;
	return r == (ssize_t)n ? 0 : -EIO;
}

UMDP_EXPORT int umdp_inb(struct umdp_dev *dev, uint16_t port, uint8_t *val)
{
	return port_read(dev, port, val, sizeof(*val));
}

UMDP_EXPORT int umdp_inw(struct umdp_dev *dev, uint16_t port, uint16_t *val)
{
	return port_read(dev, port, val, sizeof(*val));
}

UMDP_EXPORT int umdp_inl(struct umdp_dev *dev, uint16_t port, uint32_t *val)
{
	return port_read(dev, port, val, sizeof(*val));
}

UMDP_EXPORT int umdp_outb(struct umdp_dev *dev, uint16_t port, uint8_t val)
{
	return port_write(dev, port, &val, sizeof(val));
}

UMDP_EXPORT int umdp_outw(struct umdp_dev *dev, uint16_t port, uint16_t val)
{
	return port_write(dev, port, &val, sizeof(val));
}

UMDP_EXPORT int umdp_outl(struct umdp_dev *dev, uint16_t port, uint32_t val)
{
	return port_write(dev, port, &val, sizeof(val));
}

static int do_ioctl(struct umdp_dev *dev, unsigned long req, void *arg)
{
	return ioctl(dev->fd, req, arg) < 0 ? -errno : 0;
}

UMDP_EXPORT int umdp_batch(struct umdp_dev *dev, struct umdp_io_op *ops,
			   unsigned int count)
{
	struct umdp_io_batch b = {
		.argsz = sizeof(b),
		.ops = (uintptr_t)ops,
		.count = count,
	};

	return do_ioctl(dev, UMDP_IOC_BATCH, &b);
}

static int string_io(struct umdp_dev *dev, uint16_t port, unsigned int size,
		     const void *buf, unsigned int count, unsigned int flags)
{
	struct umdp_io_string s = {
		.argsz = sizeof(s),
		.flags = flags,
		.buf = (uintptr_t)buf,
		.count = count,
		.port = port,
		.size = (uint8_t)size,
	};

	if (size > 4)
		return -EINVAL;
	return do_ioctl(dev, UMDP_IOC_STRING, &s);
}

UMDP_EXPORT int umdp_ins(struct umdp_dev *dev, uint16_t port,
			 unsigned int size, void *buf, unsigned int count)
{
	return string_io(dev, port, size, buf, count, UMDP_IO_READ);
}

UMDP_EXPORT int umdp_outs(struct umdp_dev *dev, uint16_t port,
			  unsigned int size, const void *buf,
			  unsigned int count)
{
	return string_io(dev, port, size, buf, count, UMDP_IO_WRITE);
}

UMDP_EXPORT int umdp_version(struct umdp_dev *dev, struct umdp_version *ver)
{
	*ver = (struct umdp_version){ .argsz = sizeof(*ver) };
	return do_ioctl(dev, UMDP_IOC_VERSION, ver);
}

/* The info, its three arrays behind it, in one allocation. */
static struct umdp_info *info_alloc(const struct umdp_grant_info *counts)
{
	size_t ports = counts->nr_ioports * sizeof(struct umdp_info_ports);
	size_t mem = counts->nr_mem * sizeof(struct umdp_info_mem);
	size_t irqs = counts->nr_irqs * sizeof(uint32_t);
	struct umdp_info *info;
	char *p;

	info = calloc(1, sizeof(*info) + ports + mem + irqs);
	if (!info)
		return NULL;
	p = (char *)(info + 1);
	info->ioports = (struct umdp_info_ports *)p;
	info->mem = (struct umdp_info_mem *)(p + ports);
	info->irqs = (uint32_t *)(p + ports + mem);
	return info;
}

UMDP_EXPORT int umdp_info_get(struct umdp_dev *dev, struct umdp_info **infop)
{
	struct umdp_grant_info gi = { .argsz = sizeof(gi) };
	struct umdp_info *info;
	int err;

	/* Counts first; the grant's settings cannot change while it is open. */
	err = do_ioctl(dev, UMDP_IOC_INFO, &gi);
	if (err)
		return err;
	info = info_alloc(&gi);
	if (!info)
		return -ENOMEM;
	gi.ioports = (uintptr_t)info->ioports;
	gi.irqs = (uintptr_t)info->irqs;
	gi.mem = (uintptr_t)info->mem;
	err = do_ioctl(dev, UMDP_IOC_INFO, &gi);
	if (err) {
		free(info);
		return err;
	}
	memcpy(info->name, gi.name, sizeof(info->name));
	info->name[sizeof(info->name) - 1] = '\0';
	info->flags = gi.grant_flags;
	info->nr_ioports = gi.nr_ioports;
	info->nr_irqs = gi.nr_irqs;
	info->nr_mem = gi.nr_mem;
	*infop = info;
	return 0;
}

UMDP_EXPORT void umdp_info_free(struct umdp_info *info)
{
	free(info);
}

UMDP_EXPORT const char *umdp_strerror(int err)
{
	switch (-err) {
	case 0:
		return "success";
	case ENODEV:
		return "grant is not enabled (disabled or revoked)";
	case EACCES:
		return "this program is not the grant's program";
	case EBUSY:
		return "grant is already open by another process";
	case EPERM:
		return "port or address not granted";
	case ENOENT:
		return "no such grant node";
	case ETIMEDOUT:
		return "timed out";
	default:
		return strerror(-err);
	}
}
