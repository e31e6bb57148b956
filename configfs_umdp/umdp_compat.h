/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umdp: every difference between the supported kernels, in one place.
 *
 * The module builds against Debian's 6.1 LTS and 6.12 LTS (generic and
 * PREEMPT_RT) headers; each #if below names the kernel release that changed
 * the interface it papers over.
 */
#ifndef UMDP_COMPAT_H
#define UMDP_COMPAT_H

#include <linux/device.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/version.h>

/* 6.2: struct class's devnode callback takes a const struct device. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define UMDP_DEVNODE_CONST const
#else
#define UMDP_DEVNODE_CONST
#endif

/* 6.3: struct class's dev_uevent callback takes a const struct device. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define UMDP_UEVENT_CONST const
#else
#define UMDP_UEVENT_CONST
#endif

/* 6.4: class_create() lost its owner argument. */
static inline struct class *umdp_class_create(const char *name)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

/* 6.3: vma->vm_flags became read-only; vm_flags_set() modifies it. */
static inline void umdp_vm_flags_set(struct vm_area_struct *vma,
				     vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/* 6.3: the same for setting some flags and clearing others at once. */
static inline void umdp_vm_flags_mod(struct vm_area_struct *vma,
				     vm_flags_t set, vm_flags_t clear)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/*
 * The driver core's generic driver_override (Debian 6.12.111; the Makefile
 * detects it) replaced struct pci_dev's. An empty @name clears it.
 */
static inline int umdp_pci_set_override(struct pci_dev *pdev,
					const char *name)
{
#ifdef UMDP_HAVE_DEVICE_DRIVER_OVERRIDE
	return device_set_driver_override(&pdev->dev, name);
#else
	return driver_set_override(&pdev->dev, &pdev->driver_override, name,
				   strlen(name));
#endif
}

#endif /* UMDP_COMPAT_H */
