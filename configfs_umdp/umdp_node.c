// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: the node /dev/umdp/<grant>.
 *
 * A node is created by each enable and killed by the matching revoke. Its
 * struct device (class umdp, named after the grant, placed under /dev/umdp/
 * by umdp_devnode()) carries the read-only sysfs view of the grant and the
 * uevent variables udev applies. Its char device admits one opener at a
 * time, and only the grant's program.
 *
 * Revoke never waits for user space: it clears @alive under the node's
 * info_lock (file operations hold that lock for reading and check @alive
 * first, like drivers/uio's info_lock), wakes every waiter, waits for port
 * I/O (which checks @alive under io_lock instead) and zaps every mapping.
 * Open files keep the node allocated through their reference until they
 * are closed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/idr.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/nsproxy.h>
#include <linux/pseudo_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/user_namespace.h>

#include "umdp_internal.h"

/* "umdp" */
#define UMDP_FS_MAGIC		0x756d6470

/*
 * A pseudo file system whose anonymous inodes give each node an
 * address_space of its own (the mapping hook, see umdp_node_zap_mappings()).
 * umdp_fs_mnt and umdp_fs_count are guarded by simple_pin_fs()'s own lock;
 * every node holds one pin, so the mount exists exactly while nodes do.
 */
static struct vfsmount *umdp_fs_mnt;
static int umdp_fs_count;

static int umdp_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, UMDP_FS_MAGIC) ? 0 : -ENOMEM;
}

/* Never registered; the VFS links its one superblock in under sb_lock. */
static struct file_system_type umdp_fs_type = {
	.name		= "umdp",
	.owner		= THIS_MODULE,
	.init_fs_context = umdp_fs_init_fs_context,
	.kill_sb	= kill_anon_super,
};

static int umdp_node_map_init(struct umdp_node *node)
{
	struct inode *inode;
	int ret;

	ret = simple_pin_fs(&umdp_fs_type, &umdp_fs_mnt, &umdp_fs_count);
	if (ret)
		return ret;
	inode = alloc_anon_inode(umdp_fs_mnt->mnt_sb);
	if (IS_ERR(inode)) {
		simple_release_fs(&umdp_fs_mnt, &umdp_fs_count);
		return PTR_ERR(inode);
	}
	node->map_inode = inode;
	return 0;
}

static void umdp_node_map_exit(struct umdp_node *node)
{
	if (!node->map_inode)
		return;
	iput(node->map_inode);
	node->map_inode = NULL;
	simple_release_fs(&umdp_fs_mnt, &umdp_fs_count);
}

/*
 * Revoke hook for mmap: every open file of a node uses the node's
 * map_inode->i_mapping as its f_mapping, so every mapping of the node made
 * through any of its files is in that one address_space and this removes
 * them all. Once mmap exists, a later access faults, and the fault handler
 * refuses because the node is no longer alive.
 */
static void umdp_node_zap_mappings(struct umdp_node *node)
{
	unmap_mapping_range(node->map_inode->i_mapping, 0, 0, 1);
}

/* The struct device's release: the node's last reference is gone. */
static void umdp_node_release(struct device *dev)
{
	struct umdp_node *node = to_umdp_node(dev);

	umdp_node_map_exit(node);
	umdp_status_free(node);
	/* may wait for the grace period a recent revoke's io_lock started */
	percpu_free_rwsem(&node->io_lock);
	path_put(&node->exe_path);
	path_put(&node->root);
	kfree(node->path_str);
	kfree(node->exe_name);
	kfree(node);
}

void umdp_node_get(struct umdp_node *node)
{
	get_device(&node->dev);
}

void umdp_node_put(struct umdp_node *node)
{
	put_device(&node->dev);
}

/*
 * The opener must run the grant's program: its executable is the very
 * inode resolved at enable (pinned by node->exe_path), and it must be in
 * the initial user namespace (a user namespace could PR_SET_MM_EXE_FILE),
 * in the enabling administrator's mount namespace and under the same root
 * (no chroot). Bind mounts, namespaces and chroot therefore cannot spoof it.
 */
static bool umdp_caller_is_program(const struct umdp_node *node)
{
	struct mm_struct *mm = current->mm;
	struct file *exe;
	struct path root;
	bool ok;

	if (current_user_ns() != &init_user_ns)
		return false;
	if (!current->nsproxy || current->nsproxy->mnt_ns != node->mnt_ns)
		return false;
	if (!current->fs || !mm)
		return false;
	get_fs_root(current->fs, &root);
	ok = path_equal(&root, &node->root);
	path_put(&root);
	if (!ok)
		return false;
	rcu_read_lock();
	exe = rcu_dereference(mm->exe_file);
	ok = exe && file_inode(exe) == d_inode(node->exe_path.dentry);
	rcu_read_unlock();
	return ok;
}

static void umdp_node_mark_closed(struct umdp_node *node)
{
	spin_lock(&node->open_lock);
	node->opened = false;
	node->opener_pid = 0;
	node->opener_comm[0] = '\0';
	spin_unlock(&node->open_lock);
}

static int umdp_fop_open(struct inode *inode, struct file *file)
{
	struct umdp_node *node = container_of(inode->i_cdev, struct umdp_node,
					      cdev);
	char comm[TASK_COMM_LEN];
	struct umdp_file *uf;
	int ret;

	uf = kzalloc(sizeof(*uf), GFP_KERNEL);
	if (!uf)
		return -ENOMEM;
	get_task_comm(comm, current);

	ret = umdp_node_enter(node);
	if (ret)
		goto err_free_uf;
	if (!umdp_caller_is_program(node)) {
		/* comm is the caller's to choose: escape what is not printable */
		pr_warn_ratelimited("%*pE[%d] may not open grant %s: not the grant's program\n",
				    (int)strnlen(comm, sizeof(comm)), comm,
				    task_tgid_nr(current), node->name);
		ret = -EACCES;
		goto err_leave;
	}
	spin_lock(&node->open_lock);
	if (node->opened) {
		spin_unlock(&node->open_lock);
		ret = -EBUSY;
		goto err_leave;
	}
	node->opened = true;
	node->opener_pid = task_tgid_nr(current);
	memcpy(node->opener_comm, comm, sizeof(comm));
	spin_unlock(&node->open_lock);

	/* The opener's IRQ lines: requested now, freed by release/revoke. */
	ret = umdp_irq_request_all(node);
	if (ret)
		goto err_unmark_opened;

	umdp_node_get(node);
	uf->node = node;
	mutex_init(&uf->fetch_lock);
	mutex_init(&uf->batch_lock);
	file->private_data = uf;
	file->f_mapping = node->map_inode->i_mapping;
	umdp_node_leave(node);
	return 0;

err_unmark_opened:
	umdp_node_mark_closed(node);
err_leave:
	umdp_node_leave(node);
err_free_uf:
	kfree(uf);
	return ret;
}

/* Safe after revoke: only drops what the file held. */
static int umdp_fop_release(struct inode *inode, struct file *file)
{
	struct umdp_file *uf = file->private_data;
	struct umdp_node *node = uf->node;

	umdp_irq_free_all(node);
	umdp_pci_close(node);
	umdp_node_mark_closed(node);
	kfree(uf->batch_ops);
	kfree(uf);
	umdp_node_put(node);
	return 0;
}

/*
 * No nonseekable_open(): pread/pwrite at offset = port need FMODE_PREAD and
 * FMODE_PWRITE.
 */
static const struct file_operations umdp_fops = {
	.owner		= THIS_MODULE,
	.open		= umdp_fop_open,
	.release	= umdp_fop_release,
	.llseek		= noop_llseek,
	.read		= umdp_io_read,
	.write		= umdp_io_write,
	.unlocked_ioctl	= umdp_ioctl,
	.poll		= umdp_irq_poll,
	.mmap		= umdp_mmap,
	.compat_ioctl	= compat_ptr_ioctl,
};

/**
 * umdp_node_create() - a new, unpublished node for an enable of a grant
 * @grant: the grant; caller holds umdp_lock
 * @exe_path: the grant's program, resolved by the caller (a reference is
 *	taken)
 * @path_str: its path as written (copied)
 *
 * Snapshots the grant's settings and the enabling administrator's root and
 * mount namespace. Drop with umdp_node_put().
 *
 * Return: the node, or an ERR_PTR.
 */
struct umdp_node *umdp_node_create(const struct umdp_grant *grant,
				   const struct path *exe_path,
				   const char *path_str)
{
	struct umdp_node *node;
	int ret;

	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return ERR_PTR(-ENOMEM);
	ret = percpu_init_rwsem(&node->io_lock);
	if (ret) {
		kfree(node);
		return ERR_PTR(ret);
	}
	node->minor = -1;
	device_initialize(&node->dev);
	node->dev.class = umdp_class;
	node->dev.release = umdp_node_release;
	/* From here on umdp_node_put() frees everything below. */
	init_rwsem(&node->info_lock);
	mutex_init(&node->irq_lock);
	mutex_init(&node->mem_lock);
	mutex_init(&node->pci_lock);
	mutex_init(&node->dma_lock);
	INIT_LIST_HEAD(&node->dma_bufs);
	init_waitqueue_head(&node->wait);
	spin_lock_init(&node->open_lock);
	strscpy(node->name, grant->name, sizeof(node->name));
	snprintf(node->res_name, sizeof(node->res_name), "umdp:%s",
		 grant->name);
	node->cfg = grant->cfg;
	node->root_equivalent = umdp_cfg_root_equivalent(&node->cfg);
	ret = umdp_status_alloc(node);
	if (ret)
		goto err_put_node;
	umdp_irq_init(node);
	node->exe_path = *exe_path;
	path_get(&node->exe_path);
	get_fs_root(current->fs, &node->root);
	node->mnt_ns = current->nsproxy->mnt_ns;

	ret = -ENOMEM;
	node->exe_name = kstrdup(config_item_name(&grant->exe->group.cg_item),
				 GFP_KERNEL);
	node->path_str = kstrdup(path_str, GFP_KERNEL);
	if (!node->exe_name || !node->path_str)
		goto err_put_node;
	ret = dev_set_name(&node->dev, "%s", grant->name);
	if (ret)
		goto err_put_node;
	ret = umdp_node_map_init(node);
	if (ret)
		goto err_put_node;
	return node;

err_put_node:
	umdp_node_put(node);
	return ERR_PTR(ret);
}

/**
 * umdp_node_add() - publish a node: /dev/umdp/<grant> and its sysfs view
 * @node: the node, with its resources claimed
 *
 * Return: 0, or a negative errno (the node is left unpublished and dead).
 */
int umdp_node_add(struct umdp_node *node)
{
	int minor, ret;

	minor = ida_alloc_max(&umdp_minor_ida, UMDP_MINORS - 1, GFP_KERNEL);
	if (minor < 0)
		return minor;
	node->minor = minor;
	node->dev.devt = MKDEV(MAJOR(umdp_devt), MINOR(umdp_devt) + minor);
	cdev_init(&node->cdev, &umdp_fops);
	node->cdev.owner = THIS_MODULE;

	/* Alive before it is visible: the add uevent may start the driver. */
	down_write(&node->info_lock);
	WRITE_ONCE(node->alive, true);
	up_write(&node->info_lock);

	ret = cdev_device_add(&node->cdev, &node->dev);
	if (ret)
		goto err_kill_node;
	return 0;

err_kill_node:
	umdp_node_kill(node);
	umdp_mem_release(node);
	/*
	 * cdev_device_add() makes the char device live before the device
	 * exists: an open through a stale /dev node in that gap may have
	 * requested the IRQs. No open can start now; free what one took.
	 */
	umdp_irq_free_all(node);
	ida_free(&umdp_minor_ida, minor);
	node->minor = -1;
	return ret;
}

/**
 * umdp_node_kill() - make every later file operation of a node fail
 * @node: the node
 *
 * Clears @alive and wakes all waiters (poll will report POLLHUP | POLLERR)
 * under info_lock, then, if a file is open, takes and drops io_lock for
 * writing while still holding info_lock: a port access that saw @alive set
 * is over when this returns, and a later one sees it clear. Waits only for
 * file operations already inside info_lock or io_lock, never for user
 * space (neither is held across a user copy or a sleep on the driver), and
 * for an RCU grace period (percpu_down_write()). Then zaps all mappings.
 * May be called twice (PCI teardown and revoke both kill): the second call
 * finds @alive clear under info_lock, which the first held until port I/O
 * was over, and has nothing to wait for.
 */
void umdp_node_kill(struct umdp_node *node)
{
	bool opened;

	down_write(&node->info_lock);
	if (node->alive) {
		WRITE_ONCE(node->alive, false);
		wake_up_all(&node->wait);
		spin_lock(&node->open_lock);
		opened = node->opened;
		spin_unlock(&node->open_lock);
		/*
		 * Port I/O runs on an open file, and none is opened from
		 * now on (open checks @alive under info_lock). A file
		 * closed already has no operation in flight (release comes
		 * after the last one), so only an open file needs the wait.
		 */
		if (opened) {
			percpu_down_write(&node->io_lock);
			percpu_up_write(&node->io_lock);
		}
	}
	up_write(&node->info_lock);
	umdp_node_zap_mappings(node);
}

/**
 * umdp_node_del() - unpublish a node: the device node and sysfs view go
 * @node: a node umdp_node_add() published, already killed
 */
void umdp_node_del(struct umdp_node *node)
{
	cdev_device_del(&node->cdev, &node->dev);
	ida_free(&umdp_minor_ida, node->minor);
	node->minor = -1;
}

/* class callbacks */

char *umdp_devnode(UMDP_DEVNODE_CONST struct device *dev, umode_t *mode)
{
	return kasprintf(GFP_KERNEL, "umdp/%s", dev_name(dev));
}

/*
 * Room the driver core still adds after the class's uevent callback:
 * "SEQNUM=<u64>" and its NUL.
 */
#define UMDP_UEVENT_RESERVE	sizeof("SEQNUM=18446744073709551615")

/* Would "KEY=value" still fit the uevent buffer, leaving the core its room? */
static bool umdp_uevent_fits(const struct kobj_uevent_env *env,
			     const char *key, const char *value)
{
	return strlen(key) + strlen(value) + 1 + UMDP_UEVENT_RESERVE <=
	       sizeof(env->buf) - env->buflen;
}

/*
 * UMDP_GRANT, UMDP_EXE and, where set, UMDP_OWNER, UMDP_GROUP, UMDP_MODE;
 * UMDP_PATH last, and only when it fits (a path may be longer than the
 * uevent buffer, and a failed uevent would reach udev not at all).
 */
int umdp_dev_uevent(UMDP_UEVENT_CONST struct device *dev,
		    struct kobj_uevent_env *env)
{
	const struct umdp_node *node = to_umdp_node(dev);
	int ret;

	ret = add_uevent_var(env, "UMDP_GRANT=%s", node->name);
	if (!ret)
		ret = add_uevent_var(env, "UMDP_EXE=%s", node->exe_name);
	if (!ret && node->cfg.owner.s[0])
		ret = add_uevent_var(env, "UMDP_OWNER=%s", node->cfg.owner.s);
	if (!ret && node->cfg.group.s[0])
		ret = add_uevent_var(env, "UMDP_GROUP=%s", node->cfg.group.s);
	if (!ret && node->cfg.mode != UMDP_MODE_UNSET)
		ret = add_uevent_var(env, "UMDP_MODE=%04o", node->cfg.mode);
	if (!ret && umdp_uevent_fits(env, "UMDP_PATH=", node->path_str))
		ret = add_uevent_var(env, "UMDP_PATH=%s", node->path_str);
	return ret;
}

/* read-only sysfs view: /sys/class/umdp/<grant>/ */

static ssize_t exe_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%s\n", to_umdp_node(dev)->exe_name);
}
static DEVICE_ATTR_RO(exe);

static ssize_t path_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", to_umdp_node(dev)->path_str);
}
static DEVICE_ATTR_RO(path);

/*
 * UMDP_NODE_CFG_ATTR(file, member, format) - a read-only sysfs file showing
 * the node's snapshot of a grant setting; the snapshot never changes, so
 * no lock is needed.
 */
#define UMDP_NODE_CFG_ATTR(_file, _member, _format)			\
static ssize_t _file##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	return _format(&to_umdp_node(dev)->cfg._member, buf);		\
}									\
static DEVICE_ATTR_RO(_file)

UMDP_NODE_CFG_ATTR(ioports, ioports, umdp_format_ports);
UMDP_NODE_CFG_ATTR(irqs, irqs, umdp_format_irqs);
UMDP_NODE_CFG_ATTR(mem, mem, umdp_format_mem);
UMDP_NODE_CFG_ATTR(exclusive, exclusive, umdp_format_01);

/* 1 when the grant holds root-equivalent resources (umdp_unsafe.c) */
static ssize_t unsafe_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return umdp_format_01(&to_umdp_node(dev)->root_equivalent, buf);
}
static DEVICE_ATTR_RO(unsafe);

/* One line per IRQ: "<irq> <count>". */
static ssize_t irq_counts_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	const struct umdp_node *node = to_umdp_node(dev);
	unsigned int i;
	int len = 0;

	for (i = 0; i < node->cfg.irqs.nr; i++)
		len += sysfs_emit_at(buf, len, "%u %llu\n",
				     node->irqs[i].irq,
				     (u64)atomic64_read(&node->irqs[i].st->count));
	return len;
}
static DEVICE_ATTR_RO(irq_counts);

/* "<pid> <comm>", or "-" when nobody has the node open. */
static ssize_t opened_by_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct umdp_node *node = to_umdp_node(dev);
	char comm[TASK_COMM_LEN];
	bool opened;
	pid_t pid;

	spin_lock(&node->open_lock);
	opened = node->opened;
	pid = node->opener_pid;
	memcpy(comm, node->opener_comm, sizeof(comm));
	spin_unlock(&node->open_lock);
	if (!opened)
		return sysfs_emit(buf, "-\n");
	return sysfs_emit(buf, "%d %s\n", pid, comm);
}
static DEVICE_ATTR_RO(opened_by);

static struct attribute *umdp_node_attrs[] = {
	&dev_attr_exe.attr,
	&dev_attr_path.attr,
	&dev_attr_ioports.attr,
	&dev_attr_irqs.attr,
	&dev_attr_mem.attr,
	&dev_attr_exclusive.attr,
	&dev_attr_unsafe.attr,
	&dev_attr_irq_counts.attr,
	&dev_attr_opened_by.attr,
	NULL,
};

static const struct attribute_group umdp_node_group = {
	.attrs = umdp_node_attrs,
};

const struct attribute_group *umdp_node_groups[] = {
	&umdp_node_group,
	NULL,
};
