// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: a grant's resources against the system and the other grants.
 *
 * At enable, umdp_claim_check() refuses, in one pass over the enabled
 * grants, any port range, IRQ line or memory window that another enabled
 * grant already holds (the same rule for all three), refuses
 * root-equivalent ports without "unsafe" (umdp_unsafe.c), then checks each
 * resource against the system: IRQ lines must exist and have no handler,
 * memory windows must not touch System RAM (nested resources included, such
 * as "System RAM (kmem)" under "Soft Reserved"), nor a region a kernel
 * driver or the system has claimed (busy, as /dev/mem refuses under
 * CONFIG_IO_STRICT_DEVMEM), and a write-combining window must lie inside one
 * resource of the iomem tree (the PAT code WARNs on a WC reservation that
 * spans resources). umdp_claim_ports() then claims an exclusive grant's port
 * ranges with request_region(). Every refusal is logged as one line naming
 * the grant, the resource and the cause.
 *
 * Memory windows are not claimed (root's sysfs resource files keep working
 * beside a grant), so the checks are repeated where it matters:
 * the fault handler maps no page that is RAM or busy by then
 * (umdp_mem_page_usable()), and memory that comes online inside an enabled
 * grant's window (hotplug, dax kmem) revokes the grant before it becomes
 * RAM (the memory notifier below).
 *
 * Who holds a busy port range is not looked up here: the kernel exports no
 * lookup of the resource tree, and reading /proc/ioports from the kernel is
 * not done. The log line names the range; user space names the holder
 * (libumdp's umdp_port_holder(), which reads /proc/ioports).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/pfn.h>

#include "umdp_internal.h"

/* The kinds of resource a grant holds, as inclusive spans of u64. */
enum umdp_res {
	UMDP_RES_PORTS,
	UMDP_RES_IRQS,
	UMDP_RES_MEM,
	UMDP_RES_KINDS,
};

static unsigned int umdp_res_count(const struct umdp_cfg *cfg,
				   enum umdp_res kind)
{
	switch (kind) {
	case UMDP_RES_PORTS:
		return cfg->ioports.nr;
	case UMDP_RES_IRQS:
		return cfg->irqs.nr;
	default:
		return cfg->mem.nr;
	}
}

/* Item @i of @kind as [*first, *last]; validated ranges cannot wrap. */
static void umdp_res_span(const struct umdp_cfg *cfg, enum umdp_res kind,
			  unsigned int i, u64 *first, u64 *last)
{
	switch (kind) {
	case UMDP_RES_PORTS:
		*first = cfg->ioports.r[i].start;
		*last = cfg->ioports.r[i].end;
		break;
	case UMDP_RES_IRQS:
		*first = cfg->irqs.irq[i];
		*last = *first;
		break;
	default:
		*first = cfg->mem.r[i].start;
		*last = *first + cfg->mem.r[i].len - 1;
		break;
	}
}

/* The enable error "<resource>: <why>" for item @i of @kind. */
static void umdp_res_error(struct umdp_grant *grant,
			   const struct umdp_cfg *cfg, enum umdp_res kind,
			   unsigned int i, const char *why)
{
	u64 first, last;

	umdp_res_span(cfg, kind, i, &first, &last);
	switch (kind) {
	case UMDP_RES_PORTS:
		umdp_grant_error(grant, "ports 0x%llx-0x%llx: %s", first, last,
				 why);
		break;
	case UMDP_RES_IRQS:
		umdp_grant_error(grant, "irq %llu: %s", first, why);
		break;
	default:
		umdp_grant_error(grant, "mem 0x%llx+0x%llx: %s", first,
				 last - first + 1, why);
		break;
	}
}

/* Index of the first item of @kind in @a that overlaps one in @b, or -1. */
static int umdp_res_overlap(const struct umdp_cfg *a,
			    const struct umdp_cfg *b, enum umdp_res kind)
{
	unsigned int i, j;
	u64 af, al, bf, bl;

	for (i = 0; i < umdp_res_count(a, kind); i++) {
		umdp_res_span(a, kind, i, &af, &al);
		for (j = 0; j < umdp_res_count(b, kind); j++) {
			umdp_res_span(b, kind, j, &bf, &bl);
			if (af <= bl && bf <= al)
				return i;
		}
	}
	return -1;
}

/**
 * umdp_claim_check_grants() - refuse resources another grant holds
 * @grant: the grant being enabled; caller holds umdp_lock
 * @cfg: the resources to check
 *
 * Return: 0, or -EBUSY (logged, naming the resource and the other grant).
 */
int umdp_claim_check_grants(struct umdp_grant *grant,
			    const struct umdp_cfg *cfg)
{
	const struct umdp_grant *other;
	enum umdp_res kind;
	char why[UMDP_NAME_MAX + 32];
	int i;

	lockdep_assert_held(&umdp_lock);
	list_for_each_entry(other, &umdp_grants, list) {
		if (other == grant || !other->node)
			continue;
		for (kind = 0; kind < UMDP_RES_KINDS; kind++) {
			i = umdp_res_overlap(cfg, &other->node->cfg, kind);
			if (i < 0)
				continue;
			snprintf(why, sizeof(why), "held by enabled grant %s",
				 other->name);
			umdp_res_error(grant, cfg, kind, i, why);
			return -EBUSY;
		}
	}
	return 0;
}

/* walk_iomem_res_desc() callback: the first match ends the walk. */
static int umdp_first(struct resource *res, void *arg)
{
	*(struct resource *)arg = *res;
	return 1;
}

/*
 * The first resource at any depth of the iomem tree that intersects
 * [start, start + len) and has all of @flags, trimmed to the range, in
 * *@found. Takes the resource lock for reading; changes nothing.
 */
static bool umdp_iomem_find(u64 start, u64 len, unsigned long flags,
			    struct resource *found)
{
	return walk_iomem_res_desc(IORES_DESC_NONE, flags, start,
				   start + len - 1, found, umdp_first) == 1;
}

/**
 * umdp_mem_page_usable() - may this page of a granted window be mapped now?
 * @node: the node mapping it; caller is inside umdp_node_enter()
 * @pfn: the page frame
 *
 * Called by the fault handler: RAM onlined since enable, or a region a
 * kernel driver claimed since, is never mapped. A BAR of the node's own
 * "pci" function is busy under the node's name (nothing can claim a region
 * inside it) and is.
 *
 * Return: true when the page is neither System RAM nor busy but by @node.
 */
bool umdp_mem_page_usable(const struct umdp_node *node, unsigned long pfn)
{
	struct resource res;

	if (page_is_ram(pfn))
		return false;
	if (umdp_pci_owns(node, PFN_PHYS(pfn)))
		return true;
	return !umdp_iomem_find(PFN_PHYS(pfn), PAGE_SIZE,
				IORESOURCE_MEM | IORESOURCE_BUSY, &res);
}

/*
 * Does [start, start + len) lie inside every iomem resource it touches, so
 * that the PAT code's sanity check of a write-combining reservation
 * passes? The kernel offers no read-only look-up of the tree's shape, so
 * this probes: the range is requested as a region of its own, which fails
 * exactly when it straddles a resource's edge or encloses a resource, and
 * released at once. Like any request of iomem, the probe revokes root's
 * /dev/mem and sysfs resource mappings of the range; it runs once, at
 * enable, for write-combining windows only.
 */
static bool umdp_iomem_nests(u64 start, u64 len)
{
	struct resource *res;

	res = __request_region(&iomem_resource, start, len, "umdp:probe", 0);
	if (!res)
		return false;
	__release_region(&iomem_resource, start, len);
	return true;
}

/*
 * Memory windows: never System RAM at any depth of the tree (EINVAL), never
 * busy (EBUSY), and a write-combining window inside one resource (EINVAL).
 */
static int umdp_check_window(struct umdp_grant *grant,
			     const struct umdp_cfg *cfg, unsigned int i)
{
	const struct umdp_mem_range *r = &cfg->mem.r[i];
	struct resource res;

	if (umdp_iomem_find(r->start, r->len, IORESOURCE_SYSTEM_RAM, &res)) {
		umdp_res_error(grant, cfg, UMDP_RES_MEM, i,
			       "overlaps System RAM");
		return -EINVAL;
	}
	if (umdp_iomem_find(r->start, r->len, IORESOURCE_MEM | IORESOURCE_BUSY,
			    &res)) {
		umdp_grant_error(grant,
				 "mem 0x%llx+0x%llx: 0x%llx-0x%llx is busy, claimed by a kernel driver or the system (see /proc/iomem)",
				 r->start, r->len, (u64)res.start,
				 (u64)res.end);
		return -EBUSY;
	}
	if (r->wc && !umdp_iomem_nests(r->start, r->len)) {
		umdp_res_error(grant, cfg, UMDP_RES_MEM, i,
			       "a write-combining window must lie inside one resource of /proc/iomem");
		return -EINVAL;
	}
	return 0;
}

static int umdp_check_mem(struct umdp_grant *grant, const struct umdp_cfg *cfg)
{
	unsigned int i;
	int ret;

	for (i = 0; i < cfg->mem.nr; i++) {
		ret = umdp_check_window(grant, cfg, i);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * umdp_claim_check() - may a grant's settings be enabled?
 * @grant: the grant; caller holds umdp_lock
 * @cfg: the settings to enable (the new node's snapshot)
 *
 * Claims nothing. Logs one line naming the grant, the resource and the
 * cause on failure.
 *
 * Return: 0; -EBUSY for a resource another enabled grant or a kernel
 * driver holds, -EPERM for root-equivalent ports without "unsafe",
 * -EINVAL for an IRQ line that does not exist, a window over System RAM or
 * a write-combining window that spans resources.
 */
int umdp_claim_check(struct umdp_grant *grant, const struct umdp_cfg *cfg)
{
	unsigned int i;
	int ret;

	lockdep_assert_held(&umdp_lock);
	ret = umdp_claim_check_grants(grant, cfg);
	if (ret)
		return ret;
	ret = umdp_pci_check(grant, cfg);
	if (ret)
		return ret;
	ret = umdp_unsafe_check(grant, cfg);
	if (ret)
		return ret;
	for (i = 0; i < cfg->irqs.nr; i++) {
		ret = umdp_irq_check(grant, cfg->irqs.irq[i]);
		if (ret)
			return ret;
	}
	return umdp_check_mem(grant, cfg);
}

/**
 * umdp_release_ports() - release the port regions claimed so far, in reverse
 * @node: the node; caller holds umdp_lock
 */
void umdp_release_ports(struct umdp_node *node)
{
	lockdep_assert_held(&umdp_lock);
	while (node->nr_regions) {
		const struct umdp_port_range *r =
			&node->cfg.ioports.r[--node->nr_regions];

		release_region(r->start, r->end - r->start + 1);
	}
}

/**
 * umdp_claim_ports() - claim an exclusive grant's ports with request_region
 * @grant: the grant being enabled; caller holds umdp_lock
 * @node: its new node
 *
 * Does nothing for a grant with exclusive = 0. On failure releases what it
 * claimed and logs the busy range.
 *
 * Return: 0, or -EBUSY when a range is taken.
 */
int umdp_claim_ports(struct umdp_grant *grant, struct umdp_node *node)
{
	const struct umdp_ports *ports = &node->cfg.ioports;
	unsigned int i;

	lockdep_assert_held(&umdp_lock);
	if (!node->cfg.exclusive)
		return 0;
	for (i = 0; i < ports->nr; i++) {
		const struct umdp_port_range *r = &ports->r[i];

		if (!request_region(r->start, r->end - r->start + 1,
				    node->res_name)) {
			umdp_res_error(grant, &node->cfg, UMDP_RES_PORTS, i,
				       "busy, held by a kernel driver or the system (see /proc/ioports)");
			umdp_release_ports(node);
			return -EBUSY;
		}
		node->nr_regions++;
	}
	return 0;
}

/* Does an enabled grant's window intersect [first, last]? */
static bool umdp_node_has_mem(const struct umdp_node *node, u64 first,
			      u64 last)
{
	const struct umdp_mems *mem = &node->cfg.mem;
	unsigned int i;

	for (i = 0; i < mem->nr; i++)
		if (mem->r[i].start <= last &&
		    first <= mem->r[i].start + mem->r[i].len - 1)
			return true;
	return false;
}

/*
 * Memory is about to come online as System RAM (hotplug, dax kmem): revoke
 * every grant with a window over it, before any of it is handed out.
 */
static int umdp_memory_notify(struct notifier_block *nb, unsigned long action,
			      void *arg)
{
	const struct memory_notify *mn = arg;
	struct umdp_grant *grant;
	u64 first, last;

	if (action != MEM_GOING_ONLINE)
		return NOTIFY_OK;
	first = PFN_PHYS(mn->start_pfn);
	last = PFN_PHYS(mn->start_pfn + mn->nr_pages) - 1;
	mutex_lock(&umdp_lock);
	list_for_each_entry(grant, &umdp_grants, list) {
		if (!grant->node || !umdp_node_has_mem(grant->node, first, last))
			continue;
		pr_warn("grant %s: revoked: memory 0x%llx-0x%llx is coming online as System RAM inside its window\n",
			grant->name, first, last);
		umdp_grant_revoke(grant);
	}
	mutex_unlock(&umdp_lock);
	return NOTIFY_OK;
}

/* Registered by init, unregistered by exit; the notifier chain's lock. */
static struct notifier_block umdp_memory_nb = {
	.notifier_call = umdp_memory_notify,
};

int umdp_claim_init(void)
{
	return register_memory_notifier(&umdp_memory_nb);
}

void umdp_claim_exit(void)
{
	unregister_memory_notifier(&umdp_memory_nb);
}
