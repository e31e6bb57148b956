// SPDX-License-Identifier: LGPL-2.1-or-later
/* libumdp: the PCI function of a grant, its config space and DMA buffers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "umdp-internal.h"

/* the kernel's IORESOURCE_* flags, as sysfs `resource` shows them */
#define UMDP_IORESOURCE_IO		0x100
#define UMDP_IORESOURCE_MEM		0x200
#define UMDP_IORESOURCE_PREFETCH	0x2000

UMDP_EXPORT int umdp_pci_info_get(struct umdp_dev *dev,
				  struct umdp_pci_info *info)
{
	if (!dev || !info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return ioctl(dev->fd, UMDP_IOC_PCI_INFO, info) < 0 ? -errno : 0;
}

UMDP_EXPORT int umdp_pci_grant(struct umdp_dev *dev, struct umdp_pci_dev *pci)
{
	struct umdp_pci_info info;
	int i, ret;

	if (!pci)
		return -EINVAL;
	ret = umdp_pci_info_get(dev, &info);
	if (ret)
		return ret;
	memset(pci, 0, sizeof(*pci));
	snprintf(pci->bdf, sizeof(pci->bdf), "%04x:%02x:%02x.%u",
		 info.domain & 0xffff, info.bus, info.devfn >> 3,
		 info.devfn & 7u);
	pci->vendor = info.vendor;
	pci->device = info.device;
	pci->class = info.class;
	pci->enabled = 1;
	for (i = 0; i < UMDP_PCI_BARS; i++) {
		const struct umdp_pci_bar_info *b = &info.bar[i];

		pci->bar[i].start = b->start;
		pci->bar[i].len = b->len;
		if (b->flags & UMDP_PCI_BAR_IO)
			pci->bar[i].flags |= UMDP_IORESOURCE_IO;
		if (b->flags & UMDP_PCI_BAR_MEM)
			pci->bar[i].flags |= UMDP_IORESOURCE_MEM;
		if (b->flags & UMDP_PCI_BAR_PREFETCH)
			pci->bar[i].flags |= UMDP_IORESOURCE_PREFETCH;
	}
	return 0;
}

static int umdp_pci_config(struct umdp_dev *dev, unsigned int offset,
			   unsigned int size, uint32_t *value, int write)
{
	struct umdp_pci_config c = {
		.argsz = sizeof(c),
		.flags = write ? UMDP_IO_WRITE : 0,
		.offset = offset,
		.size = size,
		.value = *value,
	};

	if (!dev)
		return -EINVAL;
	if (ioctl(dev->fd, UMDP_IOC_PCI_CONFIG, &c) < 0)
		return -errno;
	*value = c.value;
	return 0;
}

UMDP_EXPORT int umdp_pci_config_read(struct umdp_dev *dev, unsigned int offset,
				     unsigned int size, uint32_t *value)
{
	uint32_t v = 0;
	int ret;

	if (!value)
		return -EINVAL;
	ret = umdp_pci_config(dev, offset, size, &v, 0);
	if (!ret)
		*value = v;
	return ret;
}

UMDP_EXPORT int umdp_pci_config_write(struct umdp_dev *dev,
				      unsigned int offset, unsigned int size,
				      uint32_t value)
{
	return umdp_pci_config(dev, offset, size, &value, 1);
}

static int umdp_dma_ioc_free(struct umdp_dev *dev, uint32_t id)
{
	struct umdp_dma_free f = { .argsz = sizeof(f), .id = id };

	return ioctl(dev->fd, UMDP_IOC_DMA_FREE, &f) < 0 ? -errno : 0;
}

UMDP_EXPORT int umdp_dma_alloc(struct umdp_dev *dev, size_t size,
			       struct umdp_dma *buf)
{
	struct umdp_dma_alloc a = { .argsz = sizeof(a), .size = size };
	void *p;
	int ret;

	if (!dev || !buf || !size)
		return -EINVAL;
	if (ioctl(dev->fd, UMDP_IOC_DMA_ALLOC, &a) < 0)
		return -errno;
	/* the module rounds up to whole pages */
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
		 (off_t)a.offset);
	if (p == MAP_FAILED) {
		ret = -errno;
		umdp_dma_ioc_free(dev, a.id);
		return ret;
	}
	buf->addr = p;
	buf->size = size;
	buf->iova = a.iova;
	buf->id = a.id;
	return 0;
}

UMDP_EXPORT int umdp_dma_free(struct umdp_dev *dev, struct umdp_dma *buf)
{
	int ret;

	if (!dev || !buf || !buf->addr)
		return -EINVAL;
	munmap(buf->addr, buf->size);
	ret = umdp_dma_ioc_free(dev, buf->id);
	memset(buf, 0, sizeof(*buf));
	return ret;
}
