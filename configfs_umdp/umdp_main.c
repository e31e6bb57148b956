// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: user-mode driver grants, provisioned through configfs.
 *
 * An administrator grants a program some I/O ports, IRQ lines and physical
 * memory windows under /sys/kernel/config/umdp/<exe>/<grant>/; while the
 * grant is enabled it is the character device /dev/umdp/<grant>, which only
 * that program may open.
 *
 * This file holds the global state and module init/exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/init.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>

#include "umdp_internal.h"

/*
 * umdp_lock guards umdp_grants, every grant's cfg and node pointer, every
 * exe group's path, and serialises all enable/revoke transitions.
 */
DEFINE_MUTEX(umdp_lock);

/* Every grant that exists in configfs, enabled or not; umdp_lock. */
LIST_HEAD(umdp_grants);

/* The device class; set by init, cleared by exit, constant in between. */
struct class *umdp_class;

/* First dev_t of the UMDP_MINORS reserved; set by init, then constant. */
dev_t umdp_devt;

/* Minors of published nodes; the IDA has its own internal lock. */
DEFINE_IDA(umdp_minor_ida);

static int __init umdp_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&umdp_devt, 0, UMDP_MINORS, "umdp");
	if (ret)
		return ret;

	umdp_class = umdp_class_create("umdp");
	if (IS_ERR(umdp_class)) {
		ret = PTR_ERR(umdp_class);
		goto err_unregister_chrdev;
	}
	umdp_class->devnode = umdp_devnode;
	umdp_class->dev_uevent = umdp_dev_uevent;
	umdp_class->dev_groups = umdp_node_groups;

	ret = umdp_claim_init();
	if (ret)
		goto err_destroy_class;
	ret = umdp_pci_init();
	if (ret)
		goto err_claim_exit;
	ret = umdp_configfs_init();
	if (ret)
		goto err_pci_exit;
	return 0;

err_pci_exit:
	umdp_pci_exit();
err_claim_exit:
	umdp_claim_exit();
err_destroy_class:
	class_destroy(umdp_class);
	umdp_class = NULL;
err_unregister_chrdev:
	unregister_chrdev_region(umdp_devt, UMDP_MINORS);
	return ret;
}

/*
 * Every configfs directory pins the module, and so does every open node, so
 * by now no grant exists and no node is left.
 */
static void __exit umdp_exit(void)
{
	umdp_configfs_exit();
	umdp_pci_exit();
	umdp_claim_exit();
	class_destroy(umdp_class);
	umdp_class = NULL;
	unregister_chrdev_region(umdp_devt, UMDP_MINORS);
	ida_destroy(&umdp_minor_ida);
}

module_init(umdp_init);
module_exit(umdp_exit);

MODULE_LICENSE("GPL");
/* The top-level Makefile's UMDP_VERSION, through Kbuild. */
#ifndef UMDP_VERSION
#define UMDP_VERSION "unknown"
#endif
MODULE_VERSION(UMDP_VERSION);
MODULE_AUTHOR("umdp developers");
MODULE_DESCRIPTION("User-mode driver grants of I/O ports, IRQs and memory, provisioned through configfs");
