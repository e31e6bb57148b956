// SPDX-License-Identifier: GPL-2.0
/*
 * umdp: the node's ioctls and their extensible arguments.
 *
 * Every argument starts with argsz and flags (include/uapi/linux/umdp.h):
 * umdp_arg_in() copies the caller's argsz bytes, zero-fills what an older
 * caller does not know and refuses a newer caller's non-zero tail (E2BIG,
 * copy_struct_from_user()); umdp_arg_out() writes back no more than the
 * caller's argsz. The version query and the grant's info live here; port
 * I/O (umdp_io.c) and interrupts (umdp_irq.c) have their own ioctls.
 */
#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "umdp_internal.h"

/* The first published size of each argument, and every element's size. */
static_assert(sizeof(struct umdp_version) == UMDP_VERSION_SIZE_VER0);
static_assert(sizeof(struct umdp_io_batch) == UMDP_IO_BATCH_SIZE_VER0);
static_assert(sizeof(struct umdp_io_string) == UMDP_IO_STRING_SIZE_VER0);
static_assert(offsetofend(struct umdp_grant_info, nr_mem) ==
	      UMDP_GRANT_INFO_SIZE_VER0);
static_assert(sizeof(struct umdp_grant_info) == 80);
static_assert(sizeof(struct umdp_irq_fetch) == UMDP_IRQ_FETCH_SIZE_VER0);
static_assert(sizeof(struct umdp_irq_unmask) == UMDP_IRQ_UNMASK_SIZE_VER0);
static_assert(sizeof(struct umdp_io_op) == 8);
static_assert(sizeof(struct umdp_info_ports) == 8);
static_assert(sizeof(struct umdp_info_mem) == 24);
static_assert(sizeof(struct umdp_irq_event) == 24);

/* What this module offers; see struct umdp_version. */
#define UMDP_FEATURES	(UMDP_FEAT_PORT_IO | UMDP_FEAT_IRQ | \
			 UMDP_FEAT_MMAP | UMDP_FEAT_INFO | \
			 UMDP_FEAT_LAST_ERROR | UMDP_FEAT_UNSAFE | \
			 UMDP_FEAT_PCI | UMDP_FEAT_DMA | \
			 UMDP_FEAT_STATUS_PAGE)

/**
 * umdp_arg_in() - copy in an extensible ioctl argument
 * @karg: the module's struct, @ksize bytes; its first two members are
 *	argsz and flags (u32 each)
 * @ksize: sizeof the module's struct
 * @minsz: the struct's first published size (UMDP_*_SIZE_VER0)
 * @valid_flags: the flags this ioctl knows
 * @uarg: the user's argument
 *
 * On success karg->argsz is the caller's argsz, which umdp_arg_out()
 * honours.
 *
 * Return: 0; -EFAULT; -EINVAL for an argsz below @minsz or an unknown
 * flag; -E2BIG for a larger struct whose bytes beyond @ksize are not all
 * zero.
 */
int umdp_arg_in(void *karg, size_t ksize, size_t minsz, u32 valid_flags,
		const void __user *uarg)
{
	u32 *head = karg;
	u32 argsz;
	int ret;

	if (get_user(argsz, (const u32 __user *)uarg))
		return -EFAULT;
	if (argsz < minsz)
		return -EINVAL;
	ret = copy_struct_from_user(karg, ksize, uarg, argsz);
	if (ret)
		return ret;
	head[0] = argsz;
	return head[1] & ~valid_flags ? -EINVAL : 0;
}

/**
 * umdp_arg_out() - copy an extensible ioctl argument back
 * @uarg: the user's argument
 * @karg: the module's struct, filled by umdp_arg_in() and the ioctl
 * @ksize: sizeof the module's struct
 *
 * Never writes past the caller's argsz, nor past @ksize.
 *
 * Return: 0 or -EFAULT.
 */
int umdp_arg_out(void __user *uarg, const void *karg, size_t ksize)
{
	size_t n = min_t(size_t, *(const u32 *)karg, ksize);

	return copy_to_user(uarg, karg, n) ? -EFAULT : 0;
}

static long umdp_ioctl_version(void __user *argp)
{
	struct umdp_version v;
	int ret;

	ret = umdp_arg_in(&v, sizeof(v), UMDP_VERSION_SIZE_VER0, 0, argp);
	if (ret)
		return ret;
	v.api = UMDP_API_VERSION;
	v.pad = 0;
	v.features = UMDP_FEATURES;
	return umdp_arg_out(argp, &v, sizeof(v));
}

/* Copy the first @cap of @n elements of @size to user pointer @uptr. */
static int umdp_copy_array(u64 uptr, u32 cap, const void *src, u32 n,
			   size_t size)
{
	n = min(n, cap);
	if (!n)
		return 0;
	return copy_to_user(u64_to_user_ptr(uptr), src, n * size) ? -EFAULT : 0;
}

static long umdp_ioctl_info(struct umdp_node *node, void __user *argp)
{
	const struct umdp_cfg *cfg = &node->cfg;
	struct umdp_info_ports ports[UMDP_MAX_RANGES];
	struct umdp_info_mem mem[UMDP_MAX_RANGES] = {};
	struct umdp_grant_info info;
	unsigned int i;
	int ret;

	ret = umdp_arg_in(&info, sizeof(info), UMDP_GRANT_INFO_SIZE_VER0, 0,
			  argp);
	if (ret)
		return ret;
	for (i = 0; i < cfg->ioports.nr; i++) {
		ports[i].start = cfg->ioports.r[i].start;
		ports[i].len = cfg->ioports.r[i].end - ports[i].start + 1;
	}
	for (i = 0; i < cfg->mem.nr; i++) {
		mem[i].start = cfg->mem.r[i].start;
		mem[i].len = cfg->mem.r[i].len;
		mem[i].flags = cfg->mem.r[i].wc ? UMDP_MEM_WC : 0;
	}
	ret = umdp_copy_array(info.ioports, info.nr_ioports, ports,
			      cfg->ioports.nr, sizeof(ports[0]));
	if (!ret)
		ret = umdp_copy_array(info.irqs, info.nr_irqs, cfg->irqs.irq,
				      cfg->irqs.nr, sizeof(u32));
	if (!ret)
		ret = umdp_copy_array(info.mem, info.nr_mem, mem, cfg->mem.nr,
				      sizeof(mem[0]));
	if (ret)
		return ret;
	memset(info.name, 0, sizeof(info.name));
	strscpy(info.name, node->name, sizeof(info.name));
	info.grant_flags = cfg->exclusive ? UMDP_GRANT_EXCLUSIVE : 0;
	if (node->root_equivalent)
		info.grant_flags |= UMDP_GRANT_UNSAFE;
	info.nr_ioports = cfg->ioports.nr;
	info.nr_irqs = cfg->irqs.nr;
	info.nr_mem = cfg->mem.nr;
	return umdp_arg_out(argp, &info, sizeof(info));
}

/**
 * umdp_ioctl() - every ioctl of a node
 * @file: an open file of the node
 * @cmd: UMDP_IOC_*
 * @arg: user pointer to the command's argument
 *
 * Return: 0 or a negative errno; -ENODEV after revoke, -ENOTTY for an
 * unknown command.
 */
long umdp_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct umdp_node *node = umdp_file_node(file);
	void __user *argp = (void __user *)arg;
	long ret;

	if (!READ_ONCE(node->alive))
		return -ENODEV;
	switch (cmd) {
	case UMDP_IOC_VERSION:
		return umdp_ioctl_version(argp);
	case UMDP_IOC_INFO:
		return umdp_ioctl_info(node, argp);
	}
	ret = umdp_io_ioctl(file, cmd, argp);
	if (ret == -ENOTTY)
		ret = umdp_irq_ioctl(file, cmd, argp);
	if (ret == -ENOTTY)
		ret = umdp_pci_ioctl(file, cmd, argp);
	if (ret == -ENOTTY)
		ret = umdp_dma_ioctl(file, cmd, argp);
	return ret;
}
