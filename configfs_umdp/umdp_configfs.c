// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: the configfs tree.
 *
 *   /sys/kernel/config/umdp/<exe>/          path
 *   /sys/kernel/config/umdp/<exe>/<grant>/  ioports irqs mem owner group mode
 *                                           exclusive unsafe pci dma
 *                                           dma_bits enable
 *                                           last_error (RO)
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
#include <linux/sysfs.h>

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

/*
 * UMDP_GRANT_ATTR(name, type, parse, format) - a grant attribute backed by
 * grant->cfg.name of @type: show formats it under umdp_lock; store parses
 * the write into a temporary with @parse and commits it under umdp_lock,
 * unless the grant is enabled (EBUSY). A failed write changes nothing.
 */
#define UMDP_GRANT_ATTR(_name, _type, _parse, _format)			\
static ssize_t umdp_grant_##_name##_show(struct config_item *item,	\
					 char *page)			\
{									\
	struct umdp_grant *grant = to_umdp_grant(item);			\
	ssize_t len;							\
									\
	mutex_lock(&umdp_lock);						\
	len = _format(&grant->cfg._name, page);				\
	mutex_unlock(&umdp_lock);					\
	return len;							\
}									\
									\
static ssize_t umdp_grant_##_name##_store(struct config_item *item,	\
					  const char *page,		\
					  size_t count)			\
{									\
	struct umdp_grant *grant = to_umdp_grant(item);			\
	_type tmp;							\
	int ret = -EBUSY;						\
									\
	mutex_lock(&umdp_lock);						\
	if (!grant->node)						\
		ret = _parse(page, count, &tmp);			\
	if (!ret)							\
		grant->cfg._name = tmp;					\
	mutex_unlock(&umdp_lock);					\
	return umdp_store_result(ret, count);				\
}									\
									\
CONFIGFS_ATTR(umdp_grant_, _name)

UMDP_GRANT_ATTR(ioports, struct umdp_ports, umdp_parse_ports,
		umdp_format_ports);
UMDP_GRANT_ATTR(irqs, struct umdp_irqs, umdp_parse_irqs, umdp_format_irqs);
UMDP_GRANT_ATTR(mem, struct umdp_mems, umdp_parse_mem, umdp_format_mem);
UMDP_GRANT_ATTR(owner, struct umdp_id, umdp_parse_id, umdp_format_id);
UMDP_GRANT_ATTR(group, struct umdp_id, umdp_parse_id, umdp_format_id);
UMDP_GRANT_ATTR(mode, int, umdp_parse_mode, umdp_format_mode);
UMDP_GRANT_ATTR(exclusive, bool, umdp_parse_01, umdp_format_01);
UMDP_GRANT_ATTR(unsafe, bool, umdp_parse_01, umdp_format_01);
UMDP_GRANT_ATTR(pci, struct umdp_pci_addr, umdp_parse_pci, umdp_format_pci);
UMDP_GRANT_ATTR(dma, u64, umdp_parse_dma, umdp_format_dma);
UMDP_GRANT_ATTR(dma_bits, unsigned int, umdp_parse_dma_bits,
		umdp_format_uint);

/* enable: not a setting but the transition; see umdp_grant.c */
static ssize_t umdp_grant_enable_show(struct config_item *item, char *page)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	bool enabled;

	mutex_lock(&umdp_lock);
	enabled = grant->node;
	mutex_unlock(&umdp_lock);
	return umdp_format_01(&enabled, page);
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

CONFIGFS_ATTR(umdp_grant_, enable);

/* last_error: why the last enable failed, one line; empty when it did not */
static ssize_t umdp_grant_last_error_show(struct config_item *item,
					  char *page)
{
	struct umdp_grant *grant = to_umdp_grant(item);
	ssize_t len;

	mutex_lock(&umdp_lock);
	len = sysfs_emit(page, "%s\n", grant->last_error);
	mutex_unlock(&umdp_lock);
	return len;
}

CONFIGFS_ATTR_RO(umdp_grant_, last_error);

static struct configfs_attribute *umdp_grant_attrs[] = {
	&umdp_grant_attr_ioports,
	&umdp_grant_attr_irqs,
	&umdp_grant_attr_mem,
	&umdp_grant_attr_owner,
	&umdp_grant_attr_group,
	&umdp_grant_attr_mode,
	&umdp_grant_attr_exclusive,
	&umdp_grant_attr_unsafe,
	&umdp_grant_attr_pci,
	&umdp_grant_attr_dma,
	&umdp_grant_attr_dma_bits,
	&umdp_grant_attr_enable,
	&umdp_grant_attr_last_error,
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
	len = sysfs_emit(page, "%s\n", exe->path ? exe->path : "");
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
	if (!ret) {
		swap(exe->path, path);
		exe->path_gen++;
	}
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
	grant->cfg.dma_bits = UMDP_DMA_BITS_DEFAULT;
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
