// SPDX-License-Identifier: LGPL-2.1-or-later
/* libumdp: interrupts of a grant. */
#include <errno.h>
#include <sys/ioctl.h>

#include "umdp-internal.h"

UMDP_EXPORT int umdp_irq_fd(const struct umdp_dev *dev)
{
	return dev->fd;
}

static int irq_fetch(struct umdp_dev *dev, unsigned long req, int timeout_ms,
		     struct umdp_irq_event *events, unsigned int *nr)
{
	struct umdp_irq_fetch f = {
		.argsz = sizeof(f),
		.events = (uintptr_t)events,
		.nr = nr ? *nr : 0,
		.timeout_ms = timeout_ms,
	};

	if (ioctl(dev->fd, req, &f) < 0)
		return -errno;
	if (nr)
		*nr = f.nr;
	return (int)f.nr_new;
}

UMDP_EXPORT int umdp_irq_fetch(struct umdp_dev *dev,
			       struct umdp_irq_event *events, unsigned int *nr)
{
	return irq_fetch(dev, UMDP_IOC_IRQ_FETCH, 0, events, nr);
}

UMDP_EXPORT int umdp_irq_wait(struct umdp_dev *dev, int timeout_ms,
			      struct umdp_irq_event *events, unsigned int *nr)
{
	return irq_fetch(dev, UMDP_IOC_IRQ_WAIT, timeout_ms, events, nr);
}

UMDP_EXPORT int umdp_irq_unmask(struct umdp_dev *dev, unsigned int irq)
{
	struct umdp_irq_unmask u = { .argsz = sizeof(u), .irq = irq };

	return ioctl(dev->fd, UMDP_IOC_IRQ_UNMASK, &u) < 0 ? -errno : 0;
}
