// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: grant lifecycle.
 *
 * enable = 1 is all-or-nothing under umdp_lock: resolve the program, check
 * and claim the ports, check the memory windows, request the IRQs, create
 * the node. A failure undoes every step already taken, in reverse, logs
 * exactly one line naming the grant and the cause, and returns the errno;
 * the grant stays disabled.
 *
 * Revoke (enable = 0, rmdir of the grant; an exe group can only be removed
 * once it is empty) marks the node dead, wakes its waiters, zaps its
 * mappings, removes the device, frees the IRQs and releases the ports. It
 * never waits for user space: open files keep the (dead) node alive through
 * their reference and see ENODEV.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "umdp_internal.h"

/* /proc/ioports is read into a buffer this large to name a port holder. */
#define UMDP_IOPORTS_BUF	(64 * 1024)
/* longest holder name logged */
#define UMDP_HOLDER_MAX		64

bool umdp_exe_has_enabled_grant(const struct umdp_exe *exe)
{
	struct umdp_grant *grant;

	lockdep_assert_held(&umdp_lock);
	list_for_each_entry(grant, &umdp_grants, list)
		if (grant->exe == exe && grant->node)
			return true;
	return false;
}

static char *umdp_exe_name(const struct umdp_grant *grant)
{
	return config_item_name(&grant->exe->group.cg_item);
}

/*
 * Who holds ports [start, end], as /proc/ioports names it: the deepest (most
 * indented) entry overlapping the range. No lookup of the resource tree is
 * exported, so the file is read in the writer's (the administrator's)
 * context; "unknown" when that fails.
 */
static void umdp_ioport_holder(u32 start, u32 end, char *who, size_t size)
{
	char *buf, *line, *next;
	struct file *file;
	size_t len = 0;
	loff_t pos = 0;
	int best = -1;
	ssize_t n;

	strscpy(who, "unknown", size);
	buf = kvmalloc(UMDP_IOPORTS_BUF, GFP_KERNEL);
	if (!buf)
		return;
	file = filp_open("/proc/ioports", O_RDONLY, 0);
	if (IS_ERR(file))
		goto out_free;
	while (len < UMDP_IOPORTS_BUF - 1) {
		n = kernel_read(file, buf + len, UMDP_IOPORTS_BUF - 1 - len,
				&pos);
		if (n <= 0)
			break;
		len += n;
	}
	filp_close(file, NULL);
	buf[len] = '\0';

	for (line = buf; line; line = next) {
		unsigned long long s, e;
		int depth, off = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		depth = strspn(line, " ");
		if (sscanf(line + depth, "%llx-%llx : %n", &s, &e, &off) != 2 ||
		    !off)
			continue;
		if (s > end || e < start || depth <= best)
			continue;
		best = depth;
		strscpy(who, line + depth + off, size);
	}
out_free:
	kvfree(buf);
}

/* Release the port regions claimed so far, in reverse. */
static void umdp_release_ports(struct umdp_node *node)
{
	while (node->nr_regions) {
		const struct umdp_port_range *r =
			&node->cfg.ports.r[--node->nr_regions];

		release_region(r->start, r->end - r->start + 1);
	}
}

/*
 * Ports: refuse overlap with any other enabled grant (EBUSY), then, for an
 * exclusive grant, claim every range with request_region (EBUSY when taken).
 */
static int umdp_claim_ports(const struct umdp_grant *grant,
			    struct umdp_node *node)
{
	const struct umdp_ports *ports = &node->cfg.ports;
	const struct umdp_grant *other;
	char who[UMDP_HOLDER_MAX];
	unsigned int i, j;

	list_for_each_entry(other, &umdp_grants, list) {
		const struct umdp_ports *theirs;

		if (other == grant || !other->node)
			continue;
		theirs = &other->node->cfg.ports;
		for (i = 0; i < ports->nr; i++) {
			for (j = 0; j < theirs->nr; j++) {
				if (!umdp_port_ranges_overlap(&ports->r[i],
							      &theirs->r[j]))
					continue;
				pr_err("grant %s: ports 0x%x-0x%x overlap enabled grant %s\n",
				       grant->name, ports->r[i].start,
				       ports->r[i].end, other->name);
				return -EBUSY;
			}
		}
	}
	if (!node->cfg.exclusive)
		return 0;

	for (i = 0; i < ports->nr; i++) {
		const struct umdp_port_range *r = &ports->r[i];

		if (!request_region(r->start, r->end - r->start + 1,
				    node->res_name)) {
			umdp_ioport_holder(r->start, r->end, who, sizeof(who));
			pr_err("grant %s: ports 0x%x-0x%x busy (held by %s)\n",
			       grant->name, r->start, r->end, who);
			umdp_release_ports(node);
			return -EBUSY;
		}
		node->nr_regions++;
	}
	return 0;
}

/*
 * Memory windows: never System RAM (EINVAL), never overlapping another
 * enabled grant's (EBUSY). Nothing is requested: a PCI driver or sysfs
 * resource file may share the window; the grant is a permission only.
 */
static int umdp_check_mem(const struct umdp_grant *grant,
			  const struct umdp_node *node)
{
	const struct umdp_mems *mem = &node->cfg.mem;
	const struct umdp_grant *other;
	unsigned int i, j;

	for (i = 0; i < mem->nr; i++) {
		const struct umdp_mem_range *r = &mem->r[i];

		if (region_intersects(r->start, r->len, IORESOURCE_SYSTEM_RAM,
				      IORES_DESC_NONE) != REGION_DISJOINT) {
			pr_err("grant %s: mem 0x%llx+0x%llx overlaps System RAM\n",
			       grant->name, r->start, r->len);
			return -EINVAL;
		}
	}
	list_for_each_entry(other, &umdp_grants, list) {
		const struct umdp_mems *theirs;

		if (other == grant || !other->node)
			continue;
		theirs = &other->node->cfg.mem;
		for (i = 0; i < mem->nr; i++) {
			for (j = 0; j < theirs->nr; j++) {
				if (!umdp_mem_ranges_overlap(&mem->r[i],
							     &theirs->r[j]))
					continue;
				pr_err("grant %s: mem 0x%llx+0x%llx overlaps enabled grant %s\n",
				       grant->name, mem->r[i].start,
				       mem->r[i].len, other->name);
				return -EBUSY;
			}
		}
	}
	return 0;
}

/*
 * Steps 2-5 of enable, with the program already resolved. Caller holds
 * umdp_lock and has checked that the grant is disabled.
 */
static int umdp_grant_enable_locked(struct umdp_grant *grant,
				    const struct path *exe_path,
				    const char *path_str)
{
	struct umdp_node *node;
	int ret;

	lockdep_assert_held(&umdp_lock);
	node = umdp_node_create(grant, exe_path, path_str);
	if (IS_ERR(node)) {
		ret = PTR_ERR(node);
		pr_err("grant %s: cannot allocate its node (error %d)\n",
		       grant->name, ret);
		return ret;
	}
	ret = umdp_claim_ports(grant, node);
	if (ret)
		goto err_put_node;
	ret = umdp_check_mem(grant, node);
	if (ret)
		goto err_release_ports;
	ret = umdp_irq_check_all(grant, node);
	if (ret)
		goto err_release_ports;
	ret = umdp_node_add(node);
	if (ret) {
		pr_err("grant %s: cannot create /dev/umdp/%s (error %d)\n",
		       grant->name, grant->name, ret);
		goto err_release_ports;
	}
	grant->node = node;
	pr_debug("grant %s enabled\n", grant->name);
	return 0;

err_release_ports:
	umdp_release_ports(node);
err_put_node:
	umdp_node_put(node);
	return ret;
}

/*
 * Resolve the program in the writer's (the administrator's) context, never
 * in an opener's. Called without umdp_lock: a lookup may need configfs's
 * directory locks (a path under /sys/kernel/config), which rmdir holds
 * while its drop_item waits for umdp_lock.
 */
static int umdp_resolve(const struct umdp_grant *grant, const char *path_str,
			struct path *path)
{
	int ret;

	ret = kern_path(path_str, LOOKUP_FOLLOW, path);
	if (ret) {
		pr_err("grant %s: cannot resolve %s (error %d)\n",
		       grant->name, path_str, ret);
		return ret;
	}
	if (!d_is_reg(path->dentry)) {
		pr_err("grant %s: %s is not a regular file\n",
		       grant->name, path_str);
		path_put(path);
		return -EINVAL;
	}
	return 0;
}

/**
 * umdp_grant_set_enable() - the enable attribute: enable or revoke a grant
 * @grant: the grant
 * @enable: the value written
 *
 * Enabling an enabled grant or revoking a disabled one does nothing. The
 * caller holds no umdp lock.
 *
 * Return: 0, or the errno of the failed enable step.
 */
int umdp_grant_set_enable(struct umdp_grant *grant, bool enable)
{
	struct path exe_path;
	char *path_str;
	int ret;

	if (!enable) {
		mutex_lock(&umdp_lock);
		if (grant->node)
			umdp_grant_revoke(grant);
		mutex_unlock(&umdp_lock);
		return 0;
	}

	for (;;) {
		mutex_lock(&umdp_lock);
		if (grant->node) {
			mutex_unlock(&umdp_lock);
			return 0;
		}
		if (!grant->exe->path) {
			pr_err("grant %s: no path set for %s\n",
			       grant->name, umdp_exe_name(grant));
			mutex_unlock(&umdp_lock);
			return -EINVAL;
		}
		path_str = kstrdup(grant->exe->path,
				   GFP_KERNEL | __GFP_NOWARN);
		mutex_unlock(&umdp_lock);
		if (!path_str) {
			pr_err("grant %s: out of memory\n", grant->name);
			return -ENOMEM;
		}

		ret = umdp_resolve(grant, path_str, &exe_path);
		if (ret) {
			kfree(path_str);
			return ret;
		}

		mutex_lock(&umdp_lock);
		if (grant->exe->path && !strcmp(grant->exe->path, path_str))
			break;
		/* The path was rewritten meanwhile: resolve the new one. */
		mutex_unlock(&umdp_lock);
		path_put(&exe_path);
		kfree(path_str);
	}

	ret = 0;
	if (!grant->node)
		ret = umdp_grant_enable_locked(grant, &exe_path, path_str);
	mutex_unlock(&umdp_lock);
	path_put(&exe_path);
	kfree(path_str);
	return ret;
}

/**
 * umdp_grant_revoke() - revoke an enabled grant
 * @grant: the grant; caller holds umdp_lock and grant->node is set
 *
 * Open files of the node keep it allocated and see ENODEV from then on.
 */
void umdp_grant_revoke(struct umdp_grant *grant)
{
	struct umdp_node *node = grant->node;

	lockdep_assert_held(&umdp_lock);
	grant->node = NULL;
	umdp_node_kill(node);
	umdp_node_del(node);
	umdp_irq_free_all(node);
	umdp_release_ports(node);
	umdp_node_put(node);
	pr_debug("grant %s revoked\n", grant->name);
}
