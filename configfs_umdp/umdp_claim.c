// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: a grant's resources against the system and the other grants.
 *
 * At enable, umdp_claim_check() refuses, in one pass over the enabled
 * grants, any port range, IRQ line or memory window that another enabled
 * grant already holds (the same rule for all three), then checks each
 * resource against the system: IRQ lines must exist and have no handler,
 * memory windows must not touch System RAM. umdp_claim_ports() then claims
 * an exclusive grant's port ranges with request_region(). Every refusal is
 * logged as one line naming the grant, the resource and the cause.
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
#include <linux/mm.h>

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

/* -EBUSY when another enabled grant holds any of @cfg's resources. */
static int umdp_check_grants(struct umdp_grant *grant,
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

/* Memory windows: never System RAM (EINVAL). */
static int umdp_check_mem(struct umdp_grant *grant, const struct umdp_cfg *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->mem.nr; i++) {
		const struct umdp_mem_range *r = &cfg->mem.r[i];

		if (region_intersects(r->start, r->len, IORESOURCE_SYSTEM_RAM,
				      IORES_DESC_NONE) == REGION_DISJOINT)
			continue;
		umdp_res_error(grant, cfg, UMDP_RES_MEM, i, "overlaps System RAM");
		return -EINVAL;
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
 * driver holds, -EINVAL for an IRQ line that does not exist or a window
 * over System RAM.
 */
int umdp_claim_check(struct umdp_grant *grant, const struct umdp_cfg *cfg)
{
	unsigned int i;
	int ret;

	lockdep_assert_held(&umdp_lock);
	ret = umdp_check_grants(grant, cfg);
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
