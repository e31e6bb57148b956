// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: grant lifecycle.
 *
 * enable = 1 is all-or-nothing: snapshot the program's path, resolve it
 * without umdp_lock (in the writer's, the administrator's, context), then
 * under umdp_lock check every resource (umdp_claim.c), create the node,
 * claim the ports and publish the node. A rewrite of the path meanwhile is
 * seen by its generation counter and the enable starts over. A failure
 * undoes every step already taken, in reverse, logs exactly one line naming
 * the grant and the cause, and returns the errno; the grant stays disabled.
 * The IRQ lines are only checked here: they are requested when the
 * program opens the node (umdp_irq.c).
 *
 * Enable also clears Bus Master Enable of every PCI function the grant
 * reaches (umdp_unsafe.c).
 *
 * Revoke (enable = 0, rmdir of the grant; an exe group can only be removed
 * once it is empty; memory coming online inside a window) marks the node
 * dead, wakes its waiters, zaps its mappings, frees their write-combining
 * memtype, removes the device, frees the IRQs, releases the ports and sets
 * Bus Master Enable again where enable cleared it. It
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
#include <linux/stdarg.h>
#include <linux/string.h>

#include "umdp_internal.h"

/**
 * umdp_grant_error() - why an enable failed: log it and keep it
 * @grant: the grant; caller holds umdp_lock
 * @fmt: the sentence, without the grant's name
 *
 * Logs "grant <name>: <sentence>" and keeps the sentence for the grant's
 * read-only "last_error" attribute, so that an administrator who did not
 * see the log, and libumdp's explain call, can still tell what failed.
 */
void umdp_grant_error(struct umdp_grant *grant, const char *fmt, ...)
{
	va_list args;

	lockdep_assert_held(&umdp_lock);
	va_start(args, fmt);
	vsnprintf(grant->last_error, sizeof(grant->last_error), fmt, args);
	va_end(args);
	pr_err("grant %s: %s\n", grant->name, grant->last_error);
}

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
 * Create and publish the node of an enable whose program is resolved.
 * Caller holds umdp_lock and has checked that the grant is disabled.
 */
static int umdp_grant_enable_locked(struct umdp_grant *grant,
				    const struct path *exe_path,
				    const char *path_str)
{
	struct umdp_node *node;
	int ret;

	lockdep_assert_held(&umdp_lock);
	ret = umdp_claim_check(grant, &grant->cfg);
	if (ret)
		return ret;
	node = umdp_node_create(grant, exe_path, path_str);
	if (IS_ERR(node)) {
		ret = PTR_ERR(node);
		umdp_grant_error(grant, "cannot allocate its node (error %d)",
				 ret);
		return ret;
	}
	ret = umdp_claim_ports(grant, node);
	if (ret)
		goto err_put_node;
	ret = umdp_pci_take(grant, node);
	if (ret)
		goto err_release_ports;
	ret = umdp_masters_stop(grant, node);
	if (ret)
		goto err_release_pci;
	ret = umdp_node_add(node);
	if (ret) {
		umdp_grant_error(grant, "cannot create /dev/umdp/%s (error %d)",
				 grant->name, ret);
		goto err_restore_masters;
	}
	grant->node = node;
	grant->last_error[0] = '\0';
	pr_debug("grant %s enabled\n", grant->name);
	return 0;

err_restore_masters:
	umdp_masters_restore(node);
err_release_pci:
	umdp_pci_release(node);
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
static int umdp_resolve(struct umdp_grant *grant, const char *path_str,
			struct path *path)
{
	int ret;

	ret = kern_path(path_str, LOOKUP_FOLLOW, path);
	if (!ret && !d_is_reg(path->dentry)) {
		path_put(path);
		ret = -EINVAL;
	}
	if (!ret)
		return 0;
	mutex_lock(&umdp_lock);
	if (ret == -EINVAL)
		umdp_grant_error(grant, "%s is not a regular file", path_str);
	else
		umdp_grant_error(grant, "cannot resolve %s (error %d)",
				 path_str, ret);
	mutex_unlock(&umdp_lock);
	return ret;
}

/*
 * Enable, step 1: snapshot the program's path and its generation under
 * umdp_lock. Returns 1 when the grant is already enabled (nothing to do).
 */
static int umdp_enable_snapshot(struct umdp_grant *grant, char **path_str,
				u64 *gen)
{
	int ret = 0;

	mutex_lock(&umdp_lock);
	if (grant->node) {
		ret = 1;
	} else if (!grant->exe->path) {
		umdp_grant_error(grant, "no path set for %s",
				 umdp_exe_name(grant));
		ret = -EINVAL;
	} else {
		*gen = grant->exe->path_gen;
		*path_str = kstrdup(grant->exe->path,
				    GFP_KERNEL | __GFP_NOWARN);
		if (!*path_str) {
			umdp_grant_error(grant, "out of memory");
			ret = -ENOMEM;
		}
	}
	mutex_unlock(&umdp_lock);
	return ret;
}

/*
 * Enable, step 3: under umdp_lock, enable with the resolved program unless
 * the path was rewritten since the snapshot (-EAGAIN: resolve again) or
 * the grant was enabled meanwhile (nothing to do).
 */
static int umdp_enable_commit(struct umdp_grant *grant,
			      const struct path *exe_path,
			      const char *path_str, u64 gen)
{
	int ret = 0;

	mutex_lock(&umdp_lock);
	if (grant->exe->path_gen != gen)
		ret = -EAGAIN;
	else if (!grant->node)
		ret = umdp_grant_enable_locked(grant, exe_path, path_str);
	mutex_unlock(&umdp_lock);
	return ret;
}

/* enable = 1: snapshot, resolve (without umdp_lock), commit. */
static int umdp_grant_enable(struct umdp_grant *grant)
{
	struct path exe_path;
	char *path_str;
	u64 gen;
	int ret;

	do {
		ret = umdp_enable_snapshot(grant, &path_str, &gen);
		if (ret)
			return ret < 0 ? ret : 0;
		ret = umdp_resolve(grant, path_str, &exe_path);
		if (!ret) {
			ret = umdp_enable_commit(grant, &exe_path, path_str,
						 gen);
			path_put(&exe_path);
		}
		kfree(path_str);
	} while (ret == -EAGAIN);
	return ret;
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
	if (enable)
		return umdp_grant_enable(grant);
	mutex_lock(&umdp_lock);
	if (grant->node)
		umdp_grant_revoke(grant);
	mutex_unlock(&umdp_lock);
	return 0;
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
	/* the device's DMA stops first: the rest may take a while */
	umdp_pci_stop(node);
	umdp_node_kill(node);
	umdp_mem_release(node);
	umdp_node_del(node);
	umdp_irq_free_all(node);
	umdp_pci_release(node);
	umdp_release_ports(node);
	umdp_masters_restore(node);
	umdp_node_put(node);
	pr_debug("grant %s revoked\n", grant->name);
}
