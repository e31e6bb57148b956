// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: the configfs tree.
 *
 *   /sys/kernel/config/umdp/<exe>/          path
 *   /sys/kernel/config/umdp/<exe>/<grant>/  ioports irqs mem owner group mode
 *                                           exclusive enable
 *
 * Every attribute is shown and stored under umdp_lock. A store parses into a
 * temporary and commits only when the whole value is valid, so a failed
 * write changes nothing. Grant attributes other than enable are refused with
 * EBUSY while the grant is enabled, and so is an exe group's path while any
 * of its grants is.
 *
 * configfs calls make_item/make_group/drop_item with its subsystem mutex
 * held and stores/shows with the item's fragment semaphore held; both are
 * taken before umdp_lock, and nothing here calls back into configfs with
 * umdp_lock held. After rmdir has started no store or show of the item runs
 * any more (configfs marks the fragment dead first).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/configfs.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "umdp_internal.h"

static struct umdp_exe *to_umdp_exe(struct config_item *item)
{
	return container_of(to_config_group(item), struct umdp_exe, group);
}

static struct umdp_grant *to_umdp_grant(struct config_item *item)
{
	return container_of(item, struct umdp_grant, item);
}

static ssize_t umdp_store_result(int ret, size_t count)
{
	return ret ? ret : count;
}

/* grant attributes */

static ssize_t umdp_grant_ioports_show(struct config_item *item, char *page)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	ssize_t len;

	mutex_lock(&umdp_lock);
	len = umdp_format_ports(&grant->cfg.ports, page, PAGE_SIZE);
	mutex_unlock(&umdp_lock);
	return len;
}

static ssize_t umdp_grant_ioports_store(struct config_item *item,
					const char *page, size_t count)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	struct umdp_ports tmp;
	int ret = -EBUSY;

	mutex_lock(&umdp_lock);
	if (!grant->node)
		ret = umdp_parse_ports(page, count, &tmp);
	if (!ret)
		grant->cfg.ports = tmp;
	mutex_unlock(&umdp_lock);
	return umdp_store_result(ret, count);
}

static ssize_t umdp_grant_irqs_show(struct config_item *item, char *page)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	ssize_t len;

	mutex_lock(&umdp_lock);
	len = umdp_format_irqs(&grant->cfg.irqs, page, PAGE_SIZE);
	mutex_unlock(&umdp_lock);
	return len;
}

static ssize_t umdp_grant_irqs_store(struct config_item *item,
				     const char *page, size_t count)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	struct umdp_irqs tmp;
	int ret = -EBUSY;

	mutex_lock(&umdp_lock);
	if (!grant->node)
		ret = umdp_parse_irqs(page, count, &tmp);
	if (!ret)
		grant->cfg.irqs = tmp;
	mutex_unlock(&umdp_lock);
	return umdp_store_result(ret, count);
}

static ssize_t umdp_grant_mem_show(struct config_item *item, char *page)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	ssize_t len;

	mutex_lock(&umdp_lock);
	len = umdp_format_mem(&grant->cfg.mem, page, PAGE_SIZE);
	mutex_unlock(&umdp_lock);
	return len;
}

static ssize_t umdp_grant_mem_store(struct config_item *item,
				    const char *page, size_t count)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	struct umdp_mems tmp;
	int ret = -EBUSY;

	mutex_lock(&umdp_lock);
	if (!grant->node)
		ret = umdp_parse_mem(page, count, &tmp);
	if (!ret)
		grant->cfg.mem = tmp;
	mutex_unlock(&umdp_lock);
	return umdp_store_result(ret, count);
}

static ssize_t umdp_id_show(const char *id, char *page)
{
	ssize_t len;

	mutex_lock(&umdp_lock);
	len = scnprintf(page, PAGE_SIZE, "%s\n", id);
	mutex_unlock(&umdp_lock);
	return len;
}

static ssize_t umdp_id_store(struct umdp_grant *grant, char *id,
			     const char *page, size_t count)
{
	char tmp[UMDP_ID_MAX];
	int ret = -EBUSY;

	mutex_lock(&umdp_lock);
	if (!grant->node)
		ret = umdp_parse_id(page, count, tmp);
	if (!ret)
		strscpy(id, tmp, UMDP_ID_MAX);
	mutex_unlock(&umdp_lock);
	return umdp_store_result(ret, count);
}

static ssize_t umdp_grant_owner_show(struct config_item *item, char *page)
{
	return umdp_id_show(to_umdp_grant(item)->cfg.owner, page);
}

static ssize_t umdp_grant_owner_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct umdp_grant *grant = to_umdp_grant(item);

	return umdp_id_store(grant, grant->cfg.owner, page, count);
}

static ssize_t umdp_grant_group_show(struct config_item *item, char *page)
{
	return umdp_id_show(to_umdp_grant(item)->cfg.group, page);
}

static ssize_t umdp_grant_group_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct umdp_grant *grant = to_umdp_grant(item);

	return umdp_id_store(grant, grant->cfg.group, page, count);
}

static ssize_t umdp_grant_mode_show(struct config_item *item, char *page)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	ssize_t len;

	mutex_lock(&umdp_lock);
	len = umdp_format_mode(grant->cfg.mode, page, PAGE_SIZE);
	mutex_unlock(&umdp_lock);
	return len;
}

static ssize_t umdp_grant_mode_store(struct config_item *item,
				     const char *page, size_t count)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	int ret = -EBUSY;
	int mode;

	mutex_lock(&umdp_lock);
	if (!grant->node)
		ret = umdp_parse_mode(page, count, &mode);
	if (!ret)
		grant->cfg.mode = mode;
	mutex_unlock(&umdp_lock);
	return umdp_store_result(ret, count);
}

static ssize_t umdp_grant_exclusive_show(struct config_item *item,
					 char *page)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	ssize_t len;

	mutex_lock(&umdp_lock);
	len = scnprintf(page, PAGE_SIZE, "%d\n", grant->cfg.exclusive);
	mutex_unlock(&umdp_lock);
	return len;
}

static ssize_t umdp_grant_exclusive_store(struct config_item *item,
					  const char *page, size_t count)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	int ret = -EBUSY;
	bool val;

	mutex_lock(&umdp_lock);
	if (!grant->node)
		ret = umdp_parse_01(page, count, &val);
	if (!ret)
		grant->cfg.exclusive = val;
	mutex_unlock(&umdp_lock);
	return umdp_store_result(ret, count);
}

static ssize_t umdp_grant_enable_show(struct config_item *item, char *page)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	ssize_t len;

	mutex_lock(&umdp_lock);
	len = scnprintf(page, PAGE_SIZE, "%d\n", grant->node ? 1 : 0);
	mutex_unlock(&umdp_lock);
	return len;
}

static ssize_t umdp_grant_enable_store(struct config_item *item,
				       const char *page, size_t count)
{
	bool val;
	int ret;

	ret = umdp_parse_01(page, count, &val);
	if (!ret)
		ret = umdp_grant_set_enable(to_umdp_grant(item), val);
	return umdp_store_result(ret, count);
}

CONFIGFS_ATTR(umdp_grant_, ioports);
CONFIGFS_ATTR(umdp_grant_, irqs);
CONFIGFS_ATTR(umdp_grant_, mem);
CONFIGFS_ATTR(umdp_grant_, owner);
CONFIGFS_ATTR(umdp_grant_, group);
CONFIGFS_ATTR(umdp_grant_, mode);
CONFIGFS_ATTR(umdp_grant_, exclusive);
CONFIGFS_ATTR(umdp_grant_, enable);

static struct configfs_attribute *umdp_grant_attrs[] = {
	&umdp_grant_attr_ioports,
	&umdp_grant_attr_irqs,
	&umdp_grant_attr_mem,
	&umdp_grant_attr_owner,
	&umdp_grant_attr_group,
	&umdp_grant_attr_mode,
	&umdp_grant_attr_exclusive,
	&umdp_grant_attr_enable,
	NULL,
};

/* Last reference gone: configfs no longer knows the grant. */
static void umdp_grant_release(struct config_item *item)
{
	kfree(to_umdp_grant(item));
}

static struct configfs_item_operations umdp_grant_item_ops = {
	.release	= umdp_grant_release,
};

static const struct config_item_type umdp_grant_type = {
	.ct_item_ops	= &umdp_grant_item_ops,
	.ct_attrs	= umdp_grant_attrs,
	.ct_owner	= THIS_MODULE,
};

/* exe group: attribute and grant children */

static ssize_t umdp_exe_path_show(struct config_item *item, char *page)
{
	struct umdp_exe *exe = to_umdp_exe(item);
	ssize_t len;

	mutex_lock(&umdp_lock);
	len = scnprintf(page, PAGE_SIZE, "%s\n", exe->path ? exe->path : "");
	mutex_unlock(&umdp_lock);
	return len;
}

static ssize_t umdp_exe_path_store(struct config_item *item,
				   const char *page, size_t count)
{
	struct umdp_exe *exe = to_umdp_exe(item);
	char *path = NULL;
	int ret = -EBUSY;

	mutex_lock(&umdp_lock);
	if (!umdp_exe_has_enabled_grant(exe))
		ret = umdp_parse_path(page, count, &path);
	if (!ret)
		swap(exe->path, path);
	mutex_unlock(&umdp_lock);
	kfree(path);
	return umdp_store_result(ret, count);
}

CONFIGFS_ATTR(umdp_exe_, path);

static struct configfs_attribute *umdp_exe_attrs[] = {
	&umdp_exe_attr_path,
	NULL,
};

/*
 * mkdir <exe>/<grant>: names are device names and unique across all exe
 * groups, because the node namespace under /dev/umdp is flat.
 */
static struct config_item *umdp_grant_make(struct config_group *group,
					   const char *name)
{
	struct umdp_exe *exe = container_of(group, struct umdp_exe, group);
	struct umdp_grant *grant, *other;

	if (!umdp_valid_grant_name(name))
		return ERR_PTR(-EINVAL);
	grant = kzalloc(sizeof(*grant), GFP_KERNEL);
	if (!grant)
		return ERR_PTR(-ENOMEM);
	grant->exe = exe;
	strscpy(grant->name, name, sizeof(grant->name));
	grant->cfg.mode = UMDP_MODE_UNSET;
	grant->cfg.exclusive = true;
	INIT_LIST_HEAD(&grant->list);
	config_item_init_type_name(&grant->item, name, &umdp_grant_type);

	mutex_lock(&umdp_lock);
	list_for_each_entry(other, &umdp_grants, list) {
		if (!strcmp(other->name, grant->name)) {
			mutex_unlock(&umdp_lock);
			config_item_put(&grant->item);
			return ERR_PTR(-EEXIST);
		}
	}
	list_add_tail(&grant->list, &umdp_grants);
	mutex_unlock(&umdp_lock);
	return &grant->item;
}

/* rmdir <exe>/<grant> (or a failed mkdir): revoke, forget, drop our ref. */
static void umdp_grant_drop(struct config_group *group,
			    struct config_item *item)
{
	struct umdp_grant *grant = to_umdp_grant(item);

	mutex_lock(&umdp_lock);
	if (grant->node)
		umdp_grant_revoke(grant);
	list_del_init(&grant->list);
	mutex_unlock(&umdp_lock);
	config_item_put(item);
}

static void umdp_exe_release(struct config_item *item)
{
	struct umdp_exe *exe = to_umdp_exe(item);

	kfree(exe->path);
	kfree(exe);
}

static struct configfs_item_operations umdp_exe_item_ops = {
	.release	= umdp_exe_release,
};

static struct configfs_group_operations umdp_exe_group_ops = {
	.make_item	= umdp_grant_make,
	.drop_item	= umdp_grant_drop,
};

static const struct config_item_type umdp_exe_type = {
	.ct_item_ops	= &umdp_exe_item_ops,
	.ct_group_ops	= &umdp_exe_group_ops,
	.ct_attrs	= umdp_exe_attrs,
	.ct_owner	= THIS_MODULE,
};

/* mkdir <exe>: any name configfs accepts. */
static struct config_group *umdp_exe_make(struct config_group *group,
					  const char *name)
{
	struct umdp_exe *exe;

	exe = kzalloc(sizeof(*exe), GFP_KERNEL);
	if (!exe)
		return ERR_PTR(-ENOMEM);
	config_group_init_type_name(&exe->group, name, &umdp_exe_type);
	return &exe->group;
}

static struct configfs_group_operations umdp_root_group_ops = {
	.make_group	= umdp_exe_make,
};

static const struct config_item_type umdp_root_type = {
	.ct_group_ops	= &umdp_root_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* The subsystem; registered by init, unregistered by exit, else constant. */
static struct configfs_subsystem umdp_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf	= "umdp",
			.ci_type	= &umdp_root_type,
		},
	},
};

int umdp_configfs_init(void)
{
	config_group_init(&umdp_subsys.su_group);
	mutex_init(&umdp_subsys.su_mutex);
	return configfs_register_subsystem(&umdp_subsys);
}

void umdp_configfs_exit(void)
{
	configfs_unregister_subsystem(&umdp_subsys);
	mutex_destroy(&umdp_subsys.su_mutex);
}
