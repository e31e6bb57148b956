// SPDX-License-Identifier: LGPL-2.1-or-later
/* libumdp: finding a PCI device in sysfs, and what a grant holds. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "umdp-internal.h"

#define PCI_SYSFS "/sys/bus/pci/devices"

/* The first line of a device's sysfs attribute; -1 when unreadable. */
static int read_attr(const char *bdf, const char *attr, char *buf, size_t len)
{
	char path[sizeof(PCI_SYSFS) + 64];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), PCI_SYSFS "/%s/%s", bdf, attr);
	f = fopen(path, "re");
	if (!f)
		return -1;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	return ok ? 0 : -1;
}

static int read_hex(const char *bdf, const char *attr, unsigned long *val)
{
	char buf[32], *end;

	if (read_attr(bdf, attr, buf, sizeof(buf)))
		return -1;
	*val = strtoul(buf, &end, 0);
	return end == buf ? -1 : 0;
}

/* A BDF as sysfs spells it: 0000:00:04.0 */
static int valid_bdf(const char *s)
{
	unsigned int dom, bus, dev, fn;
	char end;

	return strlen(s) == 12 &&
	       sscanf(s, "%4x:%2x:%2x.%1x%c", &dom, &bus, &dev, &fn, &end) == 4;
}

static int matches(const char *bdf, uint16_t vendor, uint16_t device)
{
	unsigned long v, d;

	return !read_hex(bdf, "vendor", &v) && !read_hex(bdf, "device", &d) &&
	       v == vendor && d == device;
}

/* The first device with these IDs, in address order. */
static int first_match(uint16_t vendor, uint16_t device, char *bdf)
{
	struct dirent **list;
	int n, i, found = 0;

	n = scandir(PCI_SYSFS, &list, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;

		if (!found && valid_bdf(name) && matches(name, vendor, device)) {
			memcpy(bdf, name, strlen(name) + 1);
			found = 1;
		}
		free(list[i]);
	}
	free(list);
	return found ? 0 : -ENOENT;
}

/* BARs from `resource` (a "start end flags" line each), class, irq, enable. */
static int read_device(struct umdp_pci_dev *pci)
{
	char path[sizeof(PCI_SYSFS) + 64], line[128];
	uint64_t start, end, flags;
	unsigned long v;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), PCI_SYSFS "/%s/resource", pci->bdf);
	f = fopen(path, "re");
	if (!f)
		return -EIO;
	for (i = 0; i < UMDP_PCI_BARS && fgets(line, sizeof(line), f); i++) {
		if (sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64, &start,
			   &end, &flags) != 3)
			break;
		pci->bar[i].start = start;
		pci->bar[i].len = end ? end - start + 1 : 0;
		pci->bar[i].flags = flags;
	}
	fclose(f);
	if (i < UMDP_PCI_BARS || read_hex(pci->bdf, "class", &v))
		return -EIO;
	pci->class = (uint32_t)v;
	if (read_hex(pci->bdf, "vendor", &v))
		return -EIO;
	pci->vendor = (uint16_t)v;
	if (read_hex(pci->bdf, "device", &v))
		return -EIO;
	pci->device = (uint16_t)v;
	/* Without a routed INTx line, or for a disabled device, irq reads 0. */
	if (read_attr(pci->bdf, "irq", line, sizeof(line)))
		return -EIO;
	pci->irq = (unsigned int)strtoul(line, NULL, 10);
	if (read_attr(pci->bdf, "enable", line, sizeof(line)))
		return -EIO;
	pci->enabled = atoi(line) > 0;
	return 0;
}

UMDP_EXPORT int umdp_pci_find(uint16_t vendor, uint16_t device,
			      const char *bdf, struct umdp_pci_dev *pci)
{
	int err;

	if (!pci)
		return -EINVAL;
	memset(pci, 0, sizeof(*pci));
	if (bdf) {
		if (!valid_bdf(bdf))
			return -EINVAL;
		if (!matches(bdf, vendor, device))
			return -ENODEV;
		memcpy(pci->bdf, bdf, strlen(bdf) + 1);
	} else {
		err = first_match(vendor, device, pci->bdf);
		if (err)
			return err;
	}
	return read_device(pci);
}

UMDP_EXPORT const struct umdp_info_mem *
umdp_info_find_mem(const struct umdp_info *info, uint64_t start,
		   uint64_t len)
{
	unsigned int i;

	for (i = 0; i < info->nr_mem; i++)
		if (start >= info->mem[i].start && len <= info->mem[i].len &&
		    start - info->mem[i].start <= info->mem[i].len - len)
			return &info->mem[i];
	return NULL;
}

UMDP_EXPORT int umdp_info_has_ports(const struct umdp_info *info,
				    uint16_t port, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < info->nr_ioports; i++)
		if (port >= info->ioports[i].start &&
		    len <= info->ioports[i].len &&
		    port - info->ioports[i].start <= info->ioports[i].len - len)
			return 1;
	return 0;
}

UMDP_EXPORT int umdp_info_has_irq(const struct umdp_info *info,
				  unsigned int irq)
{
	unsigned int i;

	for (i = 0; i < info->nr_irqs; i++)
		if (info->irqs[i] == irq)
			return 1;
	return 0;
}
