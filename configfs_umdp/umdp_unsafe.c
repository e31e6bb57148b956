// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: what a grant really gives.
 *
 * Some I/O ports hand whoever drives them the whole machine, whoever owns
 * the node: the ISA DMA controllers and their page registers reach
 * physical memory, the i8042 resets the CPU, port 0x92 resets and gates
 * A20, and PCI configuration mechanism #1 (0xcf8-0xcff) reprograms any
 * device's BARs and bus mastering (0xcf9 resets the machine). A grant that
 * holds any of them is root-equivalent: enable refuses it with EPERM unless
 * the administrator set the grant's "unsafe" attribute to 1, and the node
 * shows it (sysfs "unsafe", UMDP_GRANT_UNSAFE in UMDP_IOC_INFO).
 *
 * A PCI function whose BAR a grant reaches could be told to master the bus
 * and copy any physical memory (QEMU's edu device does so through BAR0
 * 0x80-0x98). Enable therefore clears Bus Master Enable of every PCI
 * function with a memory or I/O BAR that intersects one of the grant's
 * windows or port ranges, and revoke sets it again where it was set. Its
 * config space is out of reach of every grant that is not root-equivalent,
 * so the driver cannot turn it back on. A function a kernel driver is
 * bound to is refused (EBUSY, naming the driver) even when that driver did
 * not claim its BARs: turning its bus mastering off would break it, and
 * two drivers would program one device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/pci.h>

#include "umdp_internal.h"

/**
 * struct umdp_hazard - a root-equivalent range of I/O ports
 * @first: first port
 * @last: last port
 * @why: what it gives, for the log and last_error
 */
struct umdp_hazard {
	u16 first;
	u16 last;
	const char *why;
};

static const struct umdp_hazard umdp_hazards[] = {
	{ 0x0000, 0x001f, "ISA DMA reaches memory" },
	{ 0x0060, 0x0060, "the i8042 resets the CPU" },
	{ 0x0064, 0x0064, "the i8042 resets the CPU" },
	{ 0x0080, 0x009f, "DMA pages; 0x92 resets" },
	{ 0x00c0, 0x00df, "ISA DMA reaches memory" },
	{ 0x0cf8, 0x0cff, "PCI config; 0xcf9 resets" },
};

/*
 * The first root-equivalent hazard @cfg's ports touch, or NULL; *@range is
 * the index of the port range that touches it.
 */
static const struct umdp_hazard *umdp_cfg_hazard(const struct umdp_cfg *cfg,
						 unsigned int *range)
{
	const struct umdp_ports *p = &cfg->ioports;
	unsigned int i, h;

	for (i = 0; i < p->nr; i++) {
		for (h = 0; h < ARRAY_SIZE(umdp_hazards); h++) {
			if (p->r[i].start <= umdp_hazards[h].last &&
			    umdp_hazards[h].first <= p->r[i].end) {
				*range = i;
				return &umdp_hazards[h];
			}
		}
	}
	return NULL;
}

/**
 * umdp_cfg_root_equivalent() - does a grant's configuration hand out the
 *	machine?
 * @cfg: the settings
 *
 * Return: true when a port range touches a root-equivalent port.
 */
bool umdp_cfg_root_equivalent(const struct umdp_cfg *cfg)
{
	unsigned int i;

	return umdp_cfg_hazard(cfg, &i);
}

/**
 * umdp_unsafe_check() - refuse a root-equivalent grant without "unsafe"
 * @grant: the grant being enabled; caller holds umdp_lock
 * @cfg: its settings
 *
 * Return: 0, or -EPERM (logged, naming the range and what it gives).
 */
int umdp_unsafe_check(struct umdp_grant *grant, const struct umdp_cfg *cfg)
{
	const struct umdp_hazard *h;
	unsigned int i;

	lockdep_assert_held(&umdp_lock);
	if (cfg->unsafe)
		return 0;
	h = umdp_cfg_hazard(cfg, &i);
	if (!h)
		return 0;
	umdp_grant_error(grant,
			 "ports 0x%x-0x%x: root-equivalent (0x%x-0x%x: %s); set unsafe to 1 to grant them",
			 cfg->ioports.r[i].start, cfg->ioports.r[i].end,
			 h->first, h->last, h->why);
	return -EPERM;
}

/* Does BAR @res of a PCI function intersect one of @cfg's ranges? */
static bool umdp_bar_granted(const struct umdp_cfg *cfg,
			     const struct resource *res)
{
	unsigned int i;

	if (!res->flags || !resource_size(res))
		return false;
	if (res->flags & IORESOURCE_MEM) {
		for (i = 0; i < cfg->mem.nr; i++)
			if (cfg->mem.r[i].start <= res->end &&
			    res->start <= cfg->mem.r[i].start +
					  cfg->mem.r[i].len - 1)
				return true;
	} else if (res->flags & IORESOURCE_IO) {
		for (i = 0; i < cfg->ioports.nr; i++)
			if (cfg->ioports.r[i].start <= res->end &&
			    res->start <= cfg->ioports.r[i].end)
				return true;
	}
	return false;
}

static bool umdp_pci_granted(const struct umdp_cfg *cfg, struct pci_dev *pdev)
{
	int bar;

	for (bar = 0; bar <= PCI_ROM_RESOURCE; bar++)
		if (umdp_bar_granted(cfg, &pdev->resource[bar]))
			return true;
	return false;
}

/**
 * umdp_masters_stop() - clear Bus Master Enable of the PCI functions a
 *	grant reaches
 * @grant: the grant being enabled; caller holds umdp_lock
 * @node: its new node; the functions are recorded there
 *
 * Return: 0, -EBUSY when a function reached is bound to a kernel driver, or
 * -E2BIG when more than UMDP_MAX_MASTERS functions are reached (nothing
 * changed either way).
 */
int umdp_masters_stop(struct umdp_grant *grant, struct umdp_node *node)
{
	struct pci_dev *pdev = NULL;
	u16 cmd;

	lockdep_assert_held(&umdp_lock);
	for_each_pci_dev(pdev) {
		const struct device_driver *drv;
		struct umdp_master *m;

		/* the grant's own function: umdp_pci.c rules its mastering */
		if (pdev == node->pdev || !umdp_pci_granted(&node->cfg, pdev))
			continue;
		drv = READ_ONCE(pdev->dev.driver);
		if (drv) {
			umdp_grant_error(grant,
					 "PCI function %s: bound to kernel driver %s (unbind it first)",
					 pci_name(pdev), drv->name);
			pci_dev_put(pdev);
			umdp_masters_restore(node);
			return -EBUSY;
		}
		if (node->nr_masters == UMDP_MAX_MASTERS) {
			pci_dev_put(pdev);
			umdp_masters_restore(node);
			umdp_grant_error(grant,
					 "reaches more than %d PCI functions",
					 UMDP_MAX_MASTERS);
			return -E2BIG;
		}
		m = &node->masters[node->nr_masters++];
		m->pdev = pci_dev_get(pdev);
		pci_read_config_word(pdev, PCI_COMMAND, &cmd);
		m->was_master = cmd & PCI_COMMAND_MASTER;
		if (m->was_master) {
			pci_clear_master(pdev);
			pr_info("grant %s: bus mastering of %s off while the grant is enabled\n",
				grant->name, pci_name(pdev));
		}
	}
	return 0;
}

/**
 * umdp_masters_restore() - set Bus Master Enable again where enable
 *	cleared it, and drop the functions
 * @node: the node; caller holds umdp_lock
 */
void umdp_masters_restore(struct umdp_node *node)
{
	lockdep_assert_held(&umdp_lock);
	while (node->nr_masters) {
		struct umdp_master *m = &node->masters[--node->nr_masters];

		if (m->was_master)
			pci_set_master(m->pdev);
		pci_dev_put(m->pdev);
		m->pdev = NULL;
	}
}
