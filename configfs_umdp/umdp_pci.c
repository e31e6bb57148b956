// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: PCI functions as grants.
 *
 * A grant whose "pci" names a function takes it at enable, the way
 * vfio-pci and uio_pci_generic do: the function's driver_override is set
 * to "umdp-pci" and umdp's own PCI driver is attached to it, so no kernel
 * driver can bind while the grant is enabled. A function another driver
 * is bound to is refused (EBUSY, naming the driver), and so are a bridge
 * (EINVAL), a function that does not exist (ENODEV) and one another grant
 * holds (EBUSY). The function is then enabled, every BAR requested under
 * "umdp:<grant>" and granted: each page-aligned memory BAR becomes a "mem"
 * window of the node, each I/O BAR a port range. Interrupts are the
 * function's INTx ("irqs" = "intx"), masked through the function's own
 * INTx Disable bit so that a shared line needs no line masking, or MSI
 * vectors ("msi:N"), allocated here and requested at open like any line.
 *
 * Bus mastering stays off while the grant has no DMA buffer (umdp_dma.c
 * turns it on with the first and off with the last) and the driver cannot
 * turn it on: config space writes reach only the Command register's I/O,
 * Memory and INTx Disable bits (UMDP_IOC_PCI_CONFIG). An MSI is a memory
 * write of the device, which Bus Master Enable gates like any DMA, so a
 * grant with "msi:N" has bus mastering on from enable to revoke. A grant
 * with "dma" or "msi:N" therefore needs an IOMMU that translates the
 * function's DMA, so the device reaches exactly the grant's buffers (and
 * the interrupt addresses); without one the grant is root-equivalent and
 * refused unless "unsafe" is 1.
 *
 * Revoke turns bus mastering off as its very first step
 * (umdp_pci_stop()), before the node's removal and IRQs, which may take a
 * while (hundreds of milliseconds under TCG): a DMA the driver started
 * must not run meanwhile. Teardown (umdp_pci_teardown()) is reached from
 * revoke and from the PCI driver's remove (an unbind through sysfs, a hot
 * remove), whichever comes first: bus mastering off (again: an allocation
 * racing with umdp_pci_stop() may have turned it on), the node killed, the
 * IRQs and DMA buffers freed, the vectors freed, the BARs released, the
 * function disabled.
 * remove runs with the function's device lock held and never takes
 * umdp_lock; revoke holds umdp_lock and takes the device lock (to attach,
 * to unbind): the order is umdp_lock -> device lock -> pci_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "umdp_internal.h"

static struct pci_driver umdp_pci_driver;

/*
 * The function and node an enable is attaching umdp-pci to. Written under
 * umdp_lock around device_driver_attach(); read by probe, which rejects
 * any other function someone points driver_override at "umdp-pci" for.
 */
static struct pci_dev *umdp_pci_attaching;
static struct umdp_node *umdp_pci_attaching_node;

static int umdp_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	if (READ_ONCE(umdp_pci_attaching) != pdev)
		return -ENODEV;
	pci_set_drvdata(pdev, READ_ONCE(umdp_pci_attaching_node));
	return 0;
}

/*
 * Give the function its INTx back as the grant found it: enabled, unless
 * it was disabled then, or the driver left the function asserting it
 * (with no handler left on the line, a level INTx shared with another
 * device would storm it; the bit stays set and the log says why).
 */
static void umdp_pci_restore_intx(struct umdp_node *node)
{
	struct pci_dev *pdev = node->pdev;

	if (!node->intx_was_on || !pdev->pin)
		return;
	if (!pci_check_and_unmask_intx(pdev))
		pr_info("grant %s: %s asserts its INTx: given back with INTx disabled\n",
			node->name, pci_name(pdev));
}

/*
 * Undo what umdp_pci_take() set up, once: from revoke (umdp_lock held) or
 * from remove (the device lock held, umdp_lock not).
 */
static void umdp_pci_teardown(struct umdp_node *node, bool from_remove)
{
	struct pci_dev *pdev = node->pdev;

	mutex_lock(&node->pci_lock);
	if (!node->pci_live) {
		mutex_unlock(&node->pci_lock);
		return;
	}
	if (from_remove)
		pr_warn("grant %s: %s was unbound from umdp-pci: the driver is cut off until the grant is enabled again\n",
			node->name, pci_name(pdev));
	umdp_node_kill(node);
	/* the device stops mastering before anything it could reach goes */
	pci_clear_master(pdev);
	umdp_irq_free_all(node);
	umdp_dma_free_all(node);
	if (node->cfg.irqs.kind == UMDP_IRQ_MSI)
		pci_free_irq_vectors(pdev);
	umdp_pci_restore_intx(node);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	node->pci_live = false;
	mutex_unlock(&node->pci_lock);
}

static void umdp_pci_remove(struct pci_dev *pdev)
{
	struct umdp_node *node = pci_get_drvdata(pdev);

	if (node)
		umdp_pci_teardown(node, true);
	pci_set_drvdata(pdev, NULL);
}

static struct pci_driver umdp_pci_driver = {
	.name		= "umdp-pci",
	.id_table	= NULL,	/* binds through driver_override only */
	.probe		= umdp_pci_probe,
	.remove		= umdp_pci_remove,
};

/**
 * umdp_pci_check() - check the PCI settings of a grant before enable
 * @grant: the grant; caller holds umdp_lock
 * @cfg: its settings
 *
 * Return: 0, or -EINVAL (logged) for "intx", "msi:N", "dma" or a
 * "dma_bits" without "pci", or a "dma" beyond what "dma_bits" addresses.
 */
int umdp_pci_check(struct umdp_grant *grant, const struct umdp_cfg *cfg)
{
	lockdep_assert_held(&umdp_lock);
	if (!cfg->pci.set && cfg->irqs.kind != UMDP_IRQ_LINES) {
		umdp_grant_error(grant, "irqs %s needs a PCI function in pci",
				 cfg->irqs.kind == UMDP_IRQ_INTX ? "intx" :
				 "msi:N");
		return -EINVAL;
	}
	if (!cfg->pci.set && cfg->dma) {
		umdp_grant_error(grant, "dma needs a PCI function in pci");
		return -EINVAL;
	}
	if (cfg->dma_bits < 64 && cfg->dma > (1ULL << cfg->dma_bits)) {
		umdp_grant_error(grant,
				 "dma %llu: more than a %u-bit device can address (dma_bits)",
				 cfg->dma, cfg->dma_bits);
		return -EINVAL;
	}
	return 0;
}

/* May the function master the bus while the grant is enabled? */
static bool umdp_pci_masters(const struct umdp_cfg *cfg)
{
	return cfg->dma || cfg->irqs.kind == UMDP_IRQ_MSI;
}

/* Is the function's DMA translated by an IOMMU (not identity, not none)? */
static bool umdp_pci_translated(struct pci_dev *pdev)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(&pdev->dev);

	return dom && (dom->type & __IOMMU_DOMAIN_PAGING);
}

/* The enabled grant other than @grant that holds @pdev, or NULL. */
static struct umdp_grant *umdp_pci_holder(struct umdp_grant *grant,
					  struct pci_dev *pdev)
{
	struct umdp_grant *other;

	list_for_each_entry(other, &umdp_grants, list)
		if (other != grant && other->node && other->node->pdev == pdev)
			return other;
	return NULL;
}

/* Find the function of "pci"; check it can be taken. Logs why not. */
static struct pci_dev *umdp_pci_find(struct umdp_grant *grant,
				     const struct umdp_cfg *cfg)
{
	const struct umdp_pci_addr *a = &cfg->pci;
	const struct device_driver *drv;
	struct umdp_grant *other;
	struct pci_dev *pdev;
	char name[16];

	snprintf(name, sizeof(name), "%04x:%02x:%02x.%d", a->domain, a->bus,
		 PCI_SLOT(a->devfn), PCI_FUNC(a->devfn));
	pdev = pci_get_domain_bus_and_slot(a->domain, a->bus, a->devfn);
	if (!pdev) {
		umdp_grant_error(grant, "pci %s: no such PCI function", name);
		return ERR_PTR(-ENODEV);
	}
	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL ||
	    pdev->class >> 16 == PCI_BASE_CLASS_BRIDGE) {
		umdp_grant_error(grant,
				 "pci %s: a bridge, not a function a driver can be given",
				 name);
		pci_dev_put(pdev);
		return ERR_PTR(-EINVAL);
	}
	other = umdp_pci_holder(grant, pdev);
	if (other) {
		umdp_grant_error(grant, "pci %s: held by enabled grant %s",
				 name, other->name);
		pci_dev_put(pdev);
		return ERR_PTR(-EBUSY);
	}
	drv = READ_ONCE(pdev->dev.driver);
	if (drv) {
		umdp_grant_error(grant,
				 "pci %s: bound to kernel driver %s (unbind it first)",
				 name, drv->name);
		pci_dev_put(pdev);
		return ERR_PTR(-EBUSY);
	}
	return pdev;
}

/* Bind umdp-pci to @pdev for @node. */
static int umdp_pci_attach(struct umdp_grant *grant, struct umdp_node *node)
{
	struct pci_dev *pdev = node->pdev;
	int ret;

	ret = umdp_pci_set_override(pdev, umdp_pci_driver.name);
	if (ret)
		goto err;
	WRITE_ONCE(umdp_pci_attaching_node, node);
	WRITE_ONCE(umdp_pci_attaching, pdev);
	ret = device_driver_attach(&umdp_pci_driver.driver, &pdev->dev);
	WRITE_ONCE(umdp_pci_attaching, NULL);
	WRITE_ONCE(umdp_pci_attaching_node, NULL);
	if (!ret && READ_ONCE(pdev->dev.driver) != &umdp_pci_driver.driver)
		ret = -EBUSY;
	if (!ret)
		return 0;
	umdp_pci_set_override(pdev, "");
err:
	umdp_grant_error(grant, "pci %s: cannot bind umdp-pci (error %d)",
			 pci_name(pdev), ret);
	return ret;
}

static void umdp_pci_detach(struct pci_dev *pdev)
{
	if (READ_ONCE(pdev->dev.driver) == &umdp_pci_driver.driver)
		device_release_driver(&pdev->dev);
	umdp_pci_set_override(pdev, "");
}

/*
 * Add the function's BARs to the node's snapshot: page-aligned memory BARs
 * as windows (a smaller one would share its page with another device's
 * registers and is left out, logged), I/O BARs as port ranges.
 */
static int umdp_pci_grant_bars(struct umdp_grant *grant,
			       struct umdp_node *node)
{
	struct umdp_cfg *cfg = &node->cfg;
	struct pci_dev *pdev = node->pdev;
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		struct resource *res = &pdev->resource[bar];
		resource_size_t len = resource_size(res);

		if (!res->flags || !len)
			continue;
		if (res->flags & IORESOURCE_IO) {
			if (cfg->ioports.nr == UMDP_MAX_RANGES)
				goto err_full;
			cfg->ioports.r[cfg->ioports.nr].start = res->start;
			cfg->ioports.r[cfg->ioports.nr].end = res->end;
			cfg->ioports.nr++;
		} else if (res->flags & IORESOURCE_MEM) {
			if (!PAGE_ALIGNED(res->start) || !PAGE_ALIGNED(len)) {
				pr_info("grant %s: %s BAR %d (%pR) is smaller than a page: not mapped\n",
					grant->name, pci_name(pdev), bar, res);
				continue;
			}
			if (cfg->mem.nr == UMDP_MAX_RANGES)
				goto err_full;
			cfg->mem.r[cfg->mem.nr].start = res->start;
			cfg->mem.r[cfg->mem.nr].len = len;
			cfg->mem.r[cfg->mem.nr].wc = false;
			cfg->mem.nr++;
		}
	}
	return 0;

err_full:
	umdp_grant_error(grant,
			 "pci %s: its BARs and the grant's own ranges are more than %d",
			 pci_name(pdev), UMDP_MAX_RANGES);
	return -E2BIG;
}

/* Allocate the function's interrupts into the node's lines. */
static int umdp_pci_irqs(struct umdp_grant *grant, struct umdp_node *node)
{
	struct umdp_irqs *irqs = &node->cfg.irqs;
	struct pci_dev *pdev = node->pdev;
	unsigned int i;
	int ret;

	switch (irqs->kind) {
	case UMDP_IRQ_INTX:
		if (!pdev->irq || !pdev->pin) {
			umdp_grant_error(grant, "pci %s: has no INTx",
					 pci_name(pdev));
			return -EINVAL;
		}
		pci_intx(pdev, 0);
		irqs->irq[0] = pdev->irq;
		irqs->nr = 1;
		break;
	case UMDP_IRQ_MSI:
		ret = pci_alloc_irq_vectors(pdev, irqs->nr_vectors,
					    irqs->nr_vectors, PCI_IRQ_MSI);
		if (ret < 0) {
			umdp_grant_error(grant,
					 "pci %s: cannot allocate %u MSI vectors (error %d)",
					 pci_name(pdev), irqs->nr_vectors, ret);
			return ret;
		}
		for (i = 0; i < irqs->nr_vectors; i++)
			irqs->irq[i] = pci_irq_vector(pdev, i);
		irqs->nr = irqs->nr_vectors;
		break;
	default:
		return 0;
	}
	umdp_irq_init(node);
	return 0;
}

/**
 * umdp_pci_take() - take the PCI function of a grant being enabled
 * @grant: the grant; caller holds umdp_lock
 * @node: its new node, not yet published; its snapshot gains the BARs and
 *	the function's IRQs
 *
 * Return: 0 (also for a grant without "pci"), or the errno of the failed
 * step, logged, with everything taken undone.
 */
int umdp_pci_take(struct umdp_grant *grant, struct umdp_node *node)
{
	const struct umdp_cfg *cfg = &node->cfg;
	struct pci_dev *pdev;
	u16 cmd;
	int ret;

	lockdep_assert_held(&umdp_lock);
	if (!cfg->pci.set)
		return 0;
	pdev = umdp_pci_find(grant, cfg);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	node->pdev = pdev;
	node->iommu = umdp_pci_translated(pdev);
	if (umdp_pci_masters(cfg) && !node->iommu) {
		if (!cfg->unsafe) {
			umdp_grant_error(grant,
					 "%s: no IOMMU translates %s's DMA, so it could reach all memory; set unsafe to 1 to grant it",
					 cfg->dma ? "dma" : "msi (an MSI is a DMA write)",
					 pci_name(pdev));
			ret = -EPERM;
			goto err_put;
		}
		node->root_equivalent = true;
	}
	ret = umdp_pci_grant_bars(grant, node);
	if (ret)
		goto err_put;
	ret = umdp_claim_check_grants(grant, &node->cfg);
	if (ret)
		goto err_put;
	ret = umdp_pci_attach(grant, node);
	if (ret)
		goto err_put;
	ret = pci_enable_device(pdev);
	if (ret) {
		umdp_grant_error(grant, "pci %s: cannot enable it (error %d)",
				 pci_name(pdev), ret);
		goto err_detach;
	}
	pci_clear_master(pdev);
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	node->intx_was_on = !(cmd & PCI_COMMAND_INTX_DISABLE);
	ret = pci_request_regions(pdev, node->res_name);
	if (ret) {
		umdp_grant_error(grant,
				 "pci %s: its BARs are busy (error %d, see /proc/iomem)",
				 pci_name(pdev), ret);
		goto err_disable;
	}
	if (cfg->dma) {
		ret = dma_set_mask_and_coherent(&pdev->dev,
						DMA_BIT_MASK(cfg->dma_bits));
		if (ret) {
			umdp_grant_error(grant,
					 "pci %s: cannot set a %u-bit DMA mask (error %d)",
					 pci_name(pdev), cfg->dma_bits, ret);
			goto err_release;
		}
	}
	ret = umdp_pci_irqs(grant, node);
	if (ret)
		goto err_release;
	node->pci_live = true;
	/* an MSI is a write by the device: it needs bus mastering */
	if (cfg->irqs.kind == UMDP_IRQ_MSI)
		pci_set_master(pdev);
	if (umdp_pci_masters(cfg) && !node->iommu)
		pr_warn("grant %s: %s may master the bus without an IOMMU: its driver can reach all memory\n",
			grant->name, pci_name(pdev));
	return 0;

err_release:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
err_detach:
	umdp_pci_detach(pdev);
err_put:
	node->pdev = NULL;
	pci_dev_put(pdev);
	return ret;
}

/**
 * umdp_pci_stop() - the first step of revoke: bus mastering off
 * @node: the node being revoked; caller holds umdp_lock
 *
 * Nothing waits for the driver: whatever DMA it started stops reaching
 * memory now. umdp_pci_teardown() clears bus mastering once more after
 * the node is dead, before any buffer is freed.
 */
void umdp_pci_stop(struct umdp_node *node)
{
	lockdep_assert_held(&umdp_lock);
	if (!node->pdev)
		return;
	mutex_lock(&node->pci_lock);
	if (node->pci_live) {
		mutex_lock(&node->dma_lock);
		pci_clear_master(node->pdev);
		mutex_unlock(&node->dma_lock);
	}
	mutex_unlock(&node->pci_lock);
}

/**
 * umdp_pci_release() - give a revoked node's PCI function back
 * @node: the node; caller holds umdp_lock; the node is killed and its IRQs
 *	are freed
 *
 * Bus mastering off, the DMA buffers freed, the vectors freed, the BARs
 * released, the function disabled and unbound from umdp-pci: a kernel
 * driver may bind it again.
 */
void umdp_pci_release(struct umdp_node *node)
{
	struct pci_dev *pdev = node->pdev;

	lockdep_assert_held(&umdp_lock);
	if (!pdev)
		return;
	umdp_pci_teardown(node, false);
	umdp_pci_detach(pdev);
	node->pdev = NULL;
	pci_dev_put(pdev);
}

/* Fill @info; caller is inside umdp_node_enter() (node->pdev is set). */
static void umdp_pci_fill_info(struct umdp_node *node,
			       struct umdp_pci_info *p)
{
	struct pci_dev *pdev = node->pdev;
	struct umdp_pci_info info;
	u16 cmd = 0;
	int bar;

	memset(&info, 0, sizeof(info));
	info.argsz = p->argsz;
	info.flags = p->flags;
	info.domain = pci_domain_nr(pdev->bus);
	info.bus = pdev->bus->number;
	info.devfn = pdev->devfn;
	info.vendor = pdev->vendor;
	info.device = pdev->device;
	info.subsystem_vendor = pdev->subsystem_vendor;
	info.subsystem_device = pdev->subsystem_device;
	info.class = pdev->class;
	if (node->iommu)
		info.pci_flags |= UMDP_PCI_IOMMU;
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	if (cmd & PCI_COMMAND_MASTER)
		info.pci_flags |= UMDP_PCI_MASTER;
	info.dma_max = node->cfg.dma;
	mutex_lock(&node->dma_lock);
	info.dma_used = node->dma_used;
	mutex_unlock(&node->dma_lock);
	info.dma_bits = node->cfg.dma_bits;
	if (node->cfg.irqs.kind == UMDP_IRQ_MSI)
		info.nr_vectors = node->cfg.irqs.nr;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		const struct resource *res = &pdev->resource[bar];

		if (!res->flags || !resource_size(res))
			continue;
		info.bar[bar].start = res->start;
		info.bar[bar].len = resource_size(res);
		if (res->flags & IORESOURCE_IO)
			info.bar[bar].flags = UMDP_PCI_BAR_IO;
		else if (res->flags & IORESOURCE_MEM)
			info.bar[bar].flags = UMDP_PCI_BAR_MEM;
		if (res->flags & IORESOURCE_PREFETCH)
			info.bar[bar].flags |= UMDP_PCI_BAR_PREFETCH;
	}
	*p = info;
}

/* No user memory is touched inside umdp_node_enter() (umdp_mmap.c). */
/**
 * umdp_pci_owns() - is @addr in a memory BAR the node's function requested?
 * @node: the node; caller is inside umdp_node_enter(), so the BARs are
 *	still requested
 * @addr: a physical address
 *
 * Return: true when it is.
 */
bool umdp_pci_owns(const struct umdp_node *node, u64 addr)
{
	int bar;

	if (!node->pdev)
		return false;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		const struct resource *res = &node->pdev->resource[bar];

		if ((res->flags & IORESOURCE_MEM) && resource_size(res) &&
		    addr >= res->start && addr <= res->end)
			return true;
	}
	return false;
}

/**
 * umdp_pci_close() - free a node's DMA buffers when its file is released
 * @node: the node
 */
void umdp_pci_close(struct umdp_node *node)
{
	if (!node->cfg.dma)
		return;
	mutex_lock(&node->pci_lock);
	if (node->pci_live)
		umdp_dma_free_all(node);
	mutex_unlock(&node->pci_lock);
}

static long umdp_pci_info(struct umdp_node *node, void __user *argp)
{
	struct umdp_pci_info info;
	int ret;

	ret = umdp_arg_in(&info, sizeof(info), UMDP_PCI_INFO_SIZE_VER0, 0,
			  argp);
	if (ret)
		return ret;
	ret = umdp_node_enter(node);
	if (ret)
		return ret;
	umdp_pci_fill_info(node, &info);
	umdp_node_leave(node);
	return umdp_arg_out(argp, &info, sizeof(info));
}

/* Command register bits a driver may change */
#define UMDP_PCI_CMD_WRITABLE	(PCI_COMMAND_IO | PCI_COMMAND_MEMORY | \
				 PCI_COMMAND_INTX_DISABLE)

/*
 * A write of @val (@size bytes at @off) is allowed when it only touches the
 * Command register's writable bits: every other bit it covers must keep
 * its current value. The read, the check and the write happen under
 * dma_lock, which orders the Bus Master Enable changes of the first
 * allocation and the last free: a write cannot put back a Bus Master
 * Enable they changed in between.
 */
static int umdp_pci_config_write(struct umdp_node *node, u32 off, u32 size,
				 u32 val)
{
	struct pci_dev *pdev = node->pdev;
	u32 cur, mask, shift;
	int ret = -EPERM;
	u16 cmd;

	if (off < PCI_COMMAND || off + size > PCI_COMMAND + 2)
		return -EPERM;
	mutex_lock(&node->dma_lock);
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	shift = (off - PCI_COMMAND) * 8;
	mask = (size == 1 ? 0xff : 0xffff) << shift;
	cur = ((u32)cmd & mask) >> shift;
	if ((val ^ cur) & ~((u32)UMDP_PCI_CMD_WRITABLE >> shift) &
	    (mask >> shift))
		goto out;
	if (size == 1)
		ret = pcibios_err_to_errno(pci_write_config_byte(pdev, off,
								  val));
	else
		ret = pcibios_err_to_errno(pci_write_config_word(pdev, off,
								  val));
out:
	mutex_unlock(&node->dma_lock);
	return ret;
}

static long umdp_pci_config(struct file *file, struct umdp_node *node,
			    void __user *argp)
{
	struct pci_dev *pdev = node->pdev;
	struct umdp_pci_config c;
	int ret;

	ret = umdp_arg_in(&c, sizeof(c), UMDP_PCI_CONFIG_SIZE_VER0,
			  UMDP_IO_WRITE, argp);
	if (ret)
		return ret;
	if (c.pad || (c.size != 1 && c.size != 2 && c.size != 4) ||
	    c.offset % c.size || c.offset >= pdev->cfg_size ||
	    (c.size < 4 && c.value >> (8 * c.size) &&
	     (c.flags & UMDP_IO_WRITE)))
		return -EINVAL;
	if ((c.flags & UMDP_IO_WRITE) && !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = umdp_node_enter(node);
	if (ret)
		return ret;
	if (c.flags & UMDP_IO_WRITE) {
		ret = umdp_pci_config_write(node, c.offset, c.size, c.value);
	} else if (c.size == 1) {
		u8 v;

		ret = pcibios_err_to_errno(pci_read_config_byte(pdev, c.offset,
								&v));
		c.value = v;
	} else if (c.size == 2) {
		u16 v;

		ret = pcibios_err_to_errno(pci_read_config_word(pdev, c.offset,
								&v));
		c.value = v;
	} else {
		ret = pcibios_err_to_errno(pci_read_config_dword(pdev,
								 c.offset,
								 &c.value));
	}
	umdp_node_leave(node);
	if (ret)
		return ret;
	return umdp_arg_out(argp, &c, sizeof(c));
}

/**
 * umdp_pci_ioctl() - UMDP_IOC_PCI_INFO and UMDP_IOC_PCI_CONFIG
 * @file: an open file of the node
 * @cmd: the command
 * @argp: its user argument
 *
 * Return: 0 or a negative errno; -ENOTTY for another command or a grant
 * without "pci".
 */
long umdp_pci_ioctl(struct file *file, unsigned int cmd, void __user *argp)
{
	struct umdp_node *node = umdp_file_node(file);

	if (cmd != UMDP_IOC_PCI_INFO && cmd != UMDP_IOC_PCI_CONFIG)
		return -ENOTTY;
	/* node->pdev is cleared only after the node was killed */
	if (!node->cfg.pci.set)
		return -ENOTTY;
	if (cmd == UMDP_IOC_PCI_INFO)
		return umdp_pci_info(node, argp);
	return umdp_pci_config(file, node, argp);
}

int umdp_pci_init(void)
{
	return pci_register_driver(&umdp_pci_driver);
}

void umdp_pci_exit(void)
{
	pci_unregister_driver(&umdp_pci_driver);
}
